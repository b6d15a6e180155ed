"""Reading your own sound: any WAV file -> float32 samples in [-1, 1] (10_beyond_images).

:func:`read_wav` reads PCM (8-bit unsigned, 16, 24 or 32-bit) and float (32 or 64-bit)
WAVs, plain or WAVE_FORMAT_EXTENSIBLE, any rate and channels, as ``(rate, (N, C))``;
integers are divided by their largest code (32767 for 16-bit). :func:`load_audio` cuts
a section, mixes the channels to mono (or picks one) and resamples
(``scipy.signal.resample_poly``: a polyphase filter for any ratio of rates), saying what
it did in one line. :func:`load_parts` gives the notebook's held-out split of a file:
its first half is the test part, its second half the validation part. A file that is
not a WAV, compressed, empty or cut short gets one sentence that says what to do.
"""
from __future__ import annotations

import math
import struct
import warnings
from pathlib import Path

import numpy as np
import torch

# WAV format tags (the fmt chunk's first field; WAVE_FORMAT_EXTENSIBLE names one of them
# in its sub-format): the two this reader decodes, and the compressed ones it names.
PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
COMPRESSED = {2: "Microsoft ADPCM", 6: "A-law", 7: "mu-law", 0x11: "IMA ADPCM", 0x55: "MP3"}
CONVERT = "convert it to a PCM or float WAV, e.g. `ffmpeg -i IN -c:a pcm_f32le out.wav`"


def _wav_format(path: Path) -> dict:
    """The fmt chunk of a WAV: ``{"tag", "channels", "rate", "bits", "extensible"}``.

    One sentence (ValueError / OSError) for a file that is missing, empty or not a WAV.
    """
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; give the path of a .wav file.")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the path of a .wav file in it.")
    with open(path, "rb") as file:
        head = file.read(12)
        if not head:
            raise ValueError(f"{path.name} is empty (0 bytes); export or record the sound again.")
        if head[:4] not in (b"RIFF", b"RIFX", b"RF64") or head[8:12] != b"WAVE":
            raise ValueError(f"{path.name} is not a WAV file (it starts with {head[:4]!r}, not "
                             f"RIFF....WAVE); {CONVERT.replace('IN', path.name)}.")
        order = ">" if head[:4] == b"RIFX" else "<"
        while len(chunk := file.read(8)) == 8:
            name, size = chunk[:4], struct.unpack(order + "I", chunk[4:])[0]
            if name != b"fmt ":
                file.seek(size + size % 2, 1)
                continue
            fmt = file.read(size)
            if len(fmt) < 16:
                break
            tag, channels, rate, _, _, bits = struct.unpack(order + "HHIIHH", fmt[:16])
            extensible = tag == EXTENSIBLE and len(fmt) >= 26
            if extensible:  # the sub-format GUID starts with the real tag
                tag = struct.unpack(order + "H", fmt[24:26])[0]
            return {"tag": tag, "channels": channels, "rate": rate, "bits": bits,
                    "extensible": extensible}
    raise ValueError(f"{path.name} has no readable format chunk (a cut-off or damaged WAV); "
                     "export it again.")


def _describe(fmt: dict) -> str:
    """``'16-bit PCM'``, ``'32-bit float (extensible)'``, ...: how the samples are stored."""
    kind = "float" if fmt["tag"] == FLOAT else "PCM"
    return f"{fmt['bits']}-bit {kind}" + (" (extensible)" if fmt["extensible"] else "")


def _read(path) -> tuple[int, np.ndarray, dict]:
    """``(rate, (N, C) float64 samples, format)``: :func:`read_wav` before the float32 cast."""
    from scipy.io import wavfile

    path = Path(path)
    fmt = _wav_format(path)
    if fmt["tag"] not in (PCM, FLOAT):
        what = COMPRESSED.get(fmt["tag"], f"format {fmt['tag']}")
        raise ValueError(f"{path.name} holds {what} audio, which is compressed; "
                         f"{CONVERT.replace('IN', path.name)}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # chunks it skips (LIST, fact, ...) are not errors
            rate, data = wavfile.read(path)
    except (ValueError, EOFError, struct.error) as error:
        raise ValueError(f"{path.name} could not be read as a WAV ({error}); export it "
                         "again, e.g. as 16-bit PCM or 32-bit float.") from None
    if data.size == 0:
        raise ValueError(f"{path.name} holds no samples (a header and no sound); export or "
                         "record the sound again.")
    data = data.reshape(len(data), -1)
    if data.dtype.kind == "f":
        samples = data.astype(np.float64)
        if not np.isfinite(samples).all():
            raise ValueError(f"{path.name} holds NaN or infinite samples; export it again.")
        peak = np.abs(samples).max()
        if peak > 2:
            raise ValueError(f"{path.name} holds float samples up to {peak:g}, far outside "
                             "[-1, 1] (16-bit values stored as floats?); divide them by 32767 "
                             "and write the file again.")
    elif data.dtype == np.uint8:  # 8-bit PCM is unsigned, silence at 128
        samples = (data.astype(np.float64) - 128) / 127
    else:  # scipy left-aligns 24-bit samples in int32: their full scale is 2^31 - 2^8
        full = 2.0 ** 31 - 2.0 ** 8 if fmt["bits"] == 24 else float(np.iinfo(data.dtype).max)
        samples = data.astype(np.float64) / full
    if data.dtype.kind in "iu":  # the one code below -full (e.g. -32768) lands just past -1
        samples = samples.clip(-1.0, 1.0)
    return rate, samples, fmt


def read_wav(path) -> tuple[int, np.ndarray]:
    """Any PCM or float WAV as ``(rate, samples)``: ``(N, C)`` float32 in [-1, 1].

    PCM of 8 (unsigned), 16, 24 or 32 bits, 32- or 64-bit float, plain or
    WAVE_FORMAT_EXTENSIBLE, any rate and number of channels (read by scipy.io.wavfile).
    Integers are divided by their largest code (32767 for 16 bits), the scale the
    series' own files are written at (``data/make_sound.py``: ``round(a · 32767)``), so a
    sound written from [-1, 1] reads back as it was; the one code below (-32768) reads as -1.
    Float samples are returned as stored (a float WAV may peak slightly past ±1). A file
    that is missing, empty, not a WAV or compressed raises one sentence saying what to do.
    """
    rate, samples, _ = _read(path)
    return rate, samples.astype(np.float32)


def resample(signal: np.ndarray, rate: int, new_rate: int) -> np.ndarray:
    """``(N,)`` at ``rate`` -> ``(ceil(N · new_rate / rate),)`` at ``new_rate``, any two rates.

    scipy's polyphase filter (``resample_poly``, up and down by the rates over their
    greatest common divisor): a low-pass at the lower Nyquist frequency, then every sample
    of the new grid (sample j at time j / new_rate, as the old one).
    """
    from scipy.signal import resample_poly

    if rate == new_rate:
        return signal
    g = math.gcd(int(rate), int(new_rate))
    return resample_poly(signal, new_rate // g, rate // g)


def _channels(samples: np.ndarray, channels, name: str) -> tuple[np.ndarray, str]:
    """``(N, C)`` -> ``(N,)``: the mean of the channels (``'mix'``) or one of them (an index)."""
    count = samples.shape[1]
    if channels == "mix":
        return samples.mean(axis=1), ("mono" if count > 1 else "")
    if isinstance(channels, bool) or not isinstance(channels, int) or not -count <= channels < count:
        raise ValueError(f"{name} has {count} channel(s); choose channels='mix' or an index "
                         f"from 0 to {count - 1}, got {channels!r}.")
    return samples[:, channels], (f"channel {channels % count}" if count > 1 else "")


def _layout(count: int) -> str:
    return {1: "mono", 2: "stereo"}.get(count, f"{count} channels")


def _check_rate(rate) -> None:
    if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, np.integer))
                             or rate < 1):
        raise ValueError(f"rate must be a whole number of Hz (e.g. 8000), got {rate!r}.")


def _open(path: Path, rate, start: float) -> tuple[int, np.ndarray, dict, float]:
    """Read ``path`` after checking ``rate``; its rate, samples, format and length (s),
    or one sentence when ``start`` lies outside the file."""
    _check_rate(rate)
    file_rate, samples, fmt = _read(path)
    duration = len(samples) / file_rate
    if not (start >= 0 and math.isfinite(start)) or start >= duration:
        raise ValueError(f"start = {start:g} s is outside {path.name}, which lasts "
                         f"{duration:.3g} s; choose a start from 0 to below {duration:.3g} s.")
    return file_rate, samples, fmt, duration


def load_audio(path, seconds: float | None = None, start: float = 0.0, rate: int | None = None,
               channels="mix", say=print) -> tuple[int, torch.Tensor]:
    """A section of any WAV as ``(rate, (N,) float32 in [-1, 1])``, saying what it did.

    seconds: the section's length from ``start`` (seconds; None: to the end). channels:
    ``'mix'`` (their mean) or the index of one. rate: resample to it (any rate,
    :func:`resample`; None: keep the file's). One line through ``say`` (None: silent), e.g.
    ``pluck.wav: 44100 Hz stereo 32-bit float, 3.2 s -> mono, 8000 Hz, 1.0 s from 0.5 s``.
    A section past the end of the file is an error, not a shorter sound.
    """
    path = Path(path)
    file_rate, samples, fmt, duration = _open(path, rate, start)
    if seconds is not None and not (seconds > 0 and start + seconds <= duration + 1e-9):
        raise ValueError(f"{seconds:g} s from {start:g} s runs past the end of {path.name} "
                         f"({duration:.3g} s long); ask for at most {duration - start:.3g} s "
                         "from there.")
    mono, said = _channels(samples, channels, path.name)
    new_rate = rate or file_rate
    first = round(start * file_rate)
    end = len(mono) if seconds is None else min(len(mono), first + round(seconds * file_rate))
    length = math.ceil((end - first) * new_rate / file_rate)
    if new_rate != file_rate:
        # resample a little more than the section (the filter's reach) so that its ends are
        # filtered with the sound around them, from a multiple of the down factor (aligned)
        g = math.gcd(file_rate, new_rate)
        up, down = new_rate // g, file_rate // g
        reach = 10 * max(up, down) // up + 2
        left = max(0, first - reach) // down * down
        out = resample(mono[left:min(len(mono), end + reach)], file_rate, new_rate)
        offset = round(first * new_rate / file_rate) - left // down * up
        mono = out[offset:offset + length]
    else:
        mono = mono[first:end]
    clipped = int((np.abs(mono) > 1).sum())
    if say:
        done = [x for x in (said, f"{new_rate} Hz" if new_rate != file_rate else "",
                            f"{len(mono) / new_rate:.3g} s from {start:g} s"
                            if first or end < len(samples) else "",
                            f"{clipped} samples clipped to [-1, 1]" if clipped else "") if x]
        say(f"{path.name}: {file_rate} Hz {_layout(samples.shape[1])} {_describe(fmt)}, "
            f"{duration:.3g} s" + (f" -> {', '.join(done)}" if done else " (used as it is)"))
    return new_rate, torch.tensor(mono.clip(-1, 1), dtype=torch.float32)


def decimate(signal: np.ndarray, factor: int) -> np.ndarray:
    """Keep every ``factor``-th sample after removing what they cannot hold, by FFT.

    The spectrum is cut at the new Nyquist frequency and inverted at ``len / factor``
    samples: exact for a periodic band-limited signal (each part of the clip fades in and
    out, so its periodic extension has no jump).
    """
    n = len(signal) // factor * factor
    spectrum = np.fft.rfft(signal[:n])
    return np.fft.irfft(spectrum[: n // factor // 2 + 1], n // factor) / factor


def load_parts(path, seconds: float | None = 2.0, rate: int = 16000, start: float = 0.0,
               say=None) -> dict:
    """The held-out split of a WAV: ``{"test": (N,), "validation": (N,)}`` float32 at ``rate``.

    The sound from ``start`` (seconds) to the end of the file, channels mixed to mono, is
    cut in two halves: the first is the test part, the second the validation part. Each
    whole part is brought to ``rate``: by FFT (:func:`decimate`) when ``rate`` divides the
    file's rate, exact on the bundled clips, which fade in and out; else by
    :func:`resample`. Then its first ``seconds`` (None: all of it), an even number of
    samples (for the even/odd split). One line through ``say`` (None: silent).
    """
    path = Path(path)
    file_rate, samples, fmt, duration = _open(path, rate, start)
    mono, said = _channels(samples, "mix", path.name)
    mono = mono[round(start * file_rate):]
    half = len(mono) // 2
    part_seconds = half / file_rate
    if seconds is not None and not (0 < seconds <= part_seconds + 1e-9):
        raise ValueError(f"each part of {path.name} (a half of its {len(mono) / file_rate:.3g} s"
                         f"{f' from {start:g} s' if start else ''}) lasts {part_seconds:.3g} s; "
                         f"ask for at most {part_seconds:.3g} s.")
    parts = {}
    for part, clip in zip(("test", "validation"), (mono[:half], mono[half:])):
        if rate != file_rate:
            clip = decimate(clip, file_rate // rate) if file_rate % rate == 0 else \
                resample(clip, file_rate, rate)
        n = len(clip) if seconds is None else int(seconds * rate)
        parts[part] = torch.tensor(clip[: n // 2 * 2].clip(-1, 1), dtype=torch.float32)
    if say:
        done = [x for x in (said, f"{rate} Hz" if rate != file_rate else "") if x]
        length = len(parts["test"]) / rate
        say(f"{path.name}: {file_rate} Hz {_layout(samples.shape[1])} {_describe(fmt)}, "
            f"{duration:.3g} s -> " + "".join(f"{x}, " for x in done)
            + f"test part {length:.3g} s from {start:g} s, validation part {length:.3g} s "
              f"from {start + part_seconds:.3g} s")
    return parts
