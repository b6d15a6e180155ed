"""Sound as a 1-D signal on coordinates: t in [-1, 1] -> amplitude (10_beyond_images teaches it).

Two bundled clips, each a test part and a validation part: ``data/sound.wav``
(``data/make_sound.py``: sines below 1.6 kHz, band-limited by construction) and
``data/pluck.wav`` (``data/make_pluck.py``: Karplus-Strong plucked strings, noise bursts
with energy up to the Nyquist frequency). The protocol is the image one in 1-D: train on
the even samples, test on the odd ones (2x upsampling). Classical answers: linear
interpolation, and band-limited interpolation (zero-padding the spectrum, a periodic
sinc), exact for a band-limited periodic signal; mirrored at the end so that a clip is
not treated as a loop. Score: the signal-to-noise ratio
``SNR = 10 log10(sum a² / sum (â - a)²)`` (0 dB = predicting silence); :func:`audio_psnr`
(peak = the full range [-1, 1]) flatters quiet sounds.

Your own sound: :mod:`helpers.wav` reads any PCM or float WAV (a section, mono,
resampled, said in one line) and cuts its held-out split; :mod:`helpers.sound_fit` runs
the notebook's contest on it, and ``python -m helpers fit-sound --sound PATH`` from the
command line.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from .metrics import psnr
from .wav import load_parts

SOUND = Path(__file__).resolve().parent.parent / "data" / "sound.wav"
PLUCK = SOUND.with_name("pluck.wav")
PARTS = ("test", "validation")
def load_sound(part: str = "test", seconds: float = 2.0, rate: int = 16000,
               path=SOUND) -> torch.Tensor:
    """The first ``seconds`` of one part of a clip at ``rate`` Hz: ``(N,)`` float32.

    path: :data:`SOUND`, :data:`PLUCK` or any WAV (:func:`helpers.wav.read_wav`); the test
    part is the file's first half, the validation part its second half
    (:func:`helpers.wav.load_parts`).
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}, got {part!r}.")
    path = Path(path)
    if not path.is_file() and path.parent == SOUND.parent and path.suffix == ".wav":
        raise FileNotFoundError(f"{path} is missing; run python data/make_{path.stem}.py.")
    return load_parts(path, seconds, rate)[part]


def check_amplitude(signal: torch.Tensor, what: str = "the amplitudes") -> None:
    """One sentence if ``signal`` is far outside [-1, 1] (int16 samples, 16-bit range)."""
    signal = torch.as_tensor(signal)
    peak = float(signal.abs().max()) if signal.numel() else 0.0
    if peak > 2:
        raise ValueError(f"{what} go up to {peak:g}, far outside [-1, 1]: 16-bit samples? "
                         "divide them by 32767 (wav.read_wav and wav.load_audio return "
                         "[-1, 1]).")


def time_coords(n: int) -> torch.Tensor:
    """Sample centres ``t_k = (2k + 1) / n - 1`` in (-1, 1), as pixel centres: ``(n, 1)``."""
    return ((2 * torch.arange(n, dtype=torch.float32) + 1) / n - 1)[:, None]


def split_even_odd(signal: torch.Tensor):
    """``(N,)`` -> coords and values of train (even samples) and test (odd samples).

    Returns ``(train_t (N/2, 1), train_y (N/2, 1), test_t, test_y)`` on the full clip's
    time axis; N must be even.
    """
    if len(signal) % 2:
        raise ValueError(f"the clip has {len(signal)} samples; the even/odd split needs an "
                         "even number (drop the last sample).")
    t = time_coords(len(signal))
    y = signal[:, None]
    return t[0::2], y[0::2], t[1::2], y[1::2]


def linear_odd(even: torch.Tensor) -> torch.Tensor:
    """Linear interpolation: odd sample 2k+1 = (even k + even k+1) / 2; the last repeats."""
    check_amplitude(even, "the even samples' amplitudes")
    right = torch.cat([even[1:], even[-1:]])
    return (even + right) / 2


def bandlimited_odd(even: torch.Tensor, mirror: bool = False) -> torch.Tensor:
    """Band-limited interpolation of the odd samples from the even ones: ``(M,) -> (M,)``.

    Zero-pad the even samples' spectrum to twice the length (the Nyquist bin split in
    two halves) and invert: the periodic sinc (Dirichlet kernel) interpolant. Exact when
    the signal is periodic and has no frequency at or above half the even samples' rate.
    The FFT treats the clip as a loop, so a clip that ends far from where it starts gets
    a jump, whose ripple spreads over the clip; ``mirror=True`` interpolates
    ``even, reversed(even)`` (a loop with no jump, as the DCT does) and keeps the first half.
    """
    check_amplitude(even, "the even samples' amplitudes")
    if mirror:
        return bandlimited_odd(torch.cat([even, even.flip(0)]))[: len(even)]
    m = len(even)
    spectrum = torch.fft.rfft(even.double())
    padded = torch.zeros(m + 1, dtype=spectrum.dtype)
    padded[: len(spectrum)] = spectrum
    if m % 2 == 0:
        padded[m // 2] = spectrum[m // 2] / 2  # the Nyquist bin is shared by +f and -f
    full = torch.fft.irfft(padded, n=2 * m) * 2
    return full[1::2].to(even.dtype)


def snr(prediction: torch.Tensor, target: torch.Tensor) -> float:
    """Signal-to-noise ratio in dB: ``10 log10(sum target² / sum (prediction - target)²)``.

    0 dB = predicting silence (all zeros); +inf for an exact prediction. Both in [-1, 1]:
    int16 amplitudes raise one sentence (:func:`check_amplitude`).
    """
    check_amplitude(target, "the target's amplitudes")
    check_amplitude(prediction, "the prediction's amplitudes")
    error = float(((prediction.double() - target.double()) ** 2).sum())
    signal = float((target.double() ** 2).sum())
    return math.inf if error == 0 else 10 * math.log10(signal / error)


def audio_psnr(prediction: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR of a waveform in [-1, 1]: the series' PSNR of ``(a + 1) / 2`` (peak = full range)."""
    check_amplitude(target, "the target's amplitudes")
    check_amplitude(prediction, "the prediction's amplitudes")
    return psnr((prediction + 1) / 2, (target + 1) / 2)


def spectrogram(signal, rate: int, n_fft: int = 256, floor_db: float = -80.0):
    """Short-time Fourier magnitude in dB: ``(freqs (F,), times (T,), dB (F, T))``.

    A Hann window of ``n_fft`` samples, hop n_fft / 4; dB relative to the loudest bin,
    clipped at ``floor_db``. Shows which frequencies a fit has (spectral bias in sound).
    """
    signal = torch.as_tensor(signal, dtype=torch.float32).flatten().cpu()
    window = torch.hann_window(n_fft)
    stft = torch.stft(signal, n_fft, hop_length=n_fft // 4, window=window, return_complex=True)
    magnitude = stft.abs()
    db = 20 * torch.log10(magnitude / magnitude.max().clamp_min(1e-12) + 1e-12)
    freqs = torch.fft.rfftfreq(n_fft, 1 / rate)
    times = torch.arange(db.shape[1]) * (n_fft // 4) / rate
    return freqs.numpy(), times.numpy(), db.clamp_min(floor_db).numpy()


def spectrogram_image(signal, rate: int, n_fft: int = 256, floor_db: float = -80.0,
                      cmap: str = "magma") -> np.ndarray:
    """:func:`spectrogram` as an ``(F, T, 3)`` RGB image in [0, 1], low frequencies at the bottom."""
    import matplotlib

    _, _, db = spectrogram(signal, rate, n_fft, floor_db)
    scaled = (db - floor_db) / -floor_db
    return matplotlib.colormaps[cmap](scaled[::-1])[..., :3].astype(np.float32)
