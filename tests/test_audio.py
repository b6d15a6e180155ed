"""helpers.audio: the bundled clip, the even/odd split, the classical interpolations."""
import importlib.util
import math

import numpy as np
import pytest
import torch

from helpers import audio, wav

from conftest import ROOT


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "data" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make_sound():
    return _script("make_sound")


@pytest.mark.parametrize("script, bundled", [("make_sound", audio.SOUND), ("make_pluck", audio.PLUCK)])
def test_bundled_wav_is_what_the_script_writes(tmp_path, script, bundled):
    path = _script(script).write(tmp_path / "fresh.wav")
    rate, fresh = wav.read_wav(path)
    bundled_rate, samples = wav.read_wav(bundled)
    assert rate == bundled_rate == 16000 and samples.shape == (4 * 16000, 1)
    assert np.array_equal(fresh, samples)


def test_the_chirp_is_inside_the_first_second():
    rate = 8000
    clip = audio.load_sound("test", 1.0, rate)
    freqs, times, db = audio.spectrogram(clip, rate)
    late = times > 0.9  # the end of the 1-s clip: the chirp near 1.5 kHz, the notes long decayed
    peak = freqs[db[:, late].mean(axis=1).argmax()]
    assert 1200 < peak < 1600


def test_pluck_is_not_band_limited_and_linear_beats_bandlimited_on_it():
    clip = audio.load_sound("test", 1.0, 8000, path=audio.PLUCK)
    power = torch.fft.rfft(clip.double()).abs() ** 2
    above = power[torch.fft.rfftfreq(len(clip), 1 / 8000) >= 2000].sum() / power.sum()
    assert above > 0.01  # energy the even samples (4 kHz, Nyquist 2 kHz) cannot hold
    even, odd = clip[0::2], clip[1::2]
    assert audio.snr(audio.linear_odd(even), odd) > audio.snr(audio.bandlimited_odd(even), odd)
    with pytest.raises(FileNotFoundError, match="make_nothing.py"):
        audio.load_sound(path=ROOT / "data" / "nothing.wav")


def test_load_sound_parts_lengths_and_range():
    test = audio.load_sound("test", seconds=1.0, rate=16000)
    validation = audio.load_sound("validation", seconds=1.0, rate=16000)
    assert test.shape == validation.shape == (16000,)
    assert test.abs().max() <= 0.91 and test.abs().max() > 0.5
    assert not torch.allclose(test, validation)  # two different clips
    assert audio.load_sound("test", seconds=0.5, rate=8000).shape == (4000,)
    assert audio.load_sound("test", seconds=1.0, rate=7000).shape == (7000,)  # any rate
    with pytest.raises(ValueError, match="part must be"):
        audio.load_sound("train")


def test_decimate_is_exact_on_a_periodic_bandlimited_signal():
    k = np.arange(400)
    signal = np.sin(2 * np.pi * 7 * k / 400) + 0.3 * np.cos(2 * np.pi * 90 * k / 400)
    assert np.allclose(wav.decimate(signal, 2), signal[::2], atol=1e-12)
    high = signal + np.sin(2 * np.pi * 150 * k / 400)  # above the new Nyquist (100): removed
    assert np.allclose(wav.decimate(high, 2), signal[::2], atol=1e-12)


def test_decimation_keeps_the_band_below_the_new_nyquist():
    full = audio.load_sound("test", 1.0, 16000)
    half = audio.load_sound("test", 1.0, 8000)
    # the clip has nothing above 1.6 kHz, so every other sample is what decimation gives
    assert audio.audio_psnr(half, full[::2]) > 45


def test_split_even_odd_coords_and_values():
    signal = torch.arange(8, dtype=torch.float32)
    train_t, train_y, test_t, test_y = audio.split_even_odd(signal)
    assert torch.equal(train_y[:, 0], signal[0::2]) and torch.equal(test_y[:, 0], signal[1::2])
    assert torch.allclose(train_t[:, 0], torch.tensor([-7, -3, 1, 5]) / 8)
    assert torch.allclose(test_t[:, 0], torch.tensor([-5, -1, 3, 7]) / 8)
    with pytest.raises(ValueError, match="even number"):
        audio.split_even_odd(torch.zeros(5))


def test_linear_interpolation_is_exact_on_a_ramp_inside():
    ramp = torch.linspace(-1, 1, 20)
    odd = audio.linear_odd(ramp[0::2])
    assert torch.allclose(odd[:-1], ramp[1::2][:-1], atol=1e-6)
    assert odd[-1] == ramp[-2]  # nothing to the right of the last even sample


def test_bandlimited_interpolation_is_exact_on_a_bandlimited_signal():
    n = 256
    k = torch.arange(n, dtype=torch.float64)
    # periodic, frequencies below a quarter of the sampling rate (the even samples' Nyquist)
    signal = (torch.sin(2 * math.pi * 5 * k / n) + 0.5 * torch.cos(2 * math.pi * 40 * k / n + 1)
              + 0.2 * torch.sin(2 * math.pi * 63 * k / n))
    odd = audio.bandlimited_odd(signal[0::2])
    assert torch.allclose(odd, signal[1::2], atol=1e-9)
    # linear interpolation is not: it damps the high component
    assert (audio.linear_odd(signal[0::2]) - signal[1::2]).abs().max() > 0.05


def test_bandlimited_beats_linear_on_the_clip():
    signal = audio.load_sound("test", 1.0, 8000)
    _, train_y, _, test_y = audio.split_even_odd(signal)
    linear = audio.audio_psnr(audio.linear_odd(train_y[:, 0]), test_y[:, 0])
    band = audio.audio_psnr(audio.bandlimited_odd(train_y[:, 0]), test_y[:, 0])
    assert band > linear + 10 and linear > 30


def test_mirrored_bandlimited_removes_the_loop_jump():
    k = torch.arange(512, dtype=torch.float64)
    ramp = k / 512  # starts at 0, ends near 1: a loop would jump back
    odd_loop = audio.bandlimited_odd(ramp[0::2])
    odd_mirror = audio.bandlimited_odd(ramp[0::2], mirror=True)
    assert audio.snr(odd_mirror, ramp[1::2]) > audio.snr(odd_loop, ramp[1::2]) + 10
    assert odd_mirror.shape == (256,)
    n = 256  # on a periodic band-limited signal that is symmetric in the mirror, both are exact
    signal = torch.cos(2 * math.pi * 5 * (torch.arange(n, dtype=torch.float64)) / n)
    assert torch.allclose(audio.bandlimited_odd(signal[0::2]), signal[1::2], atol=1e-9)


def test_snr_is_zero_for_silence_and_twenty_for_a_tenth():
    target = torch.sin(torch.linspace(0, 20, 1000))
    assert audio.snr(torch.zeros(1000), target) == 0.0
    assert math.isclose(audio.snr(0.9 * target, target), 20.0, rel_tol=1e-6)
    assert audio.snr(target, target) == math.inf
    quiet = 0.01 * target  # PSNR flatters a quiet sound, SNR does not
    assert audio.audio_psnr(torch.zeros(1000), quiet) > 40 and audio.snr(torch.zeros(1000), quiet) == 0.0


def test_audio_psnr_uses_the_full_range_as_peak():
    target = torch.zeros(100)
    assert math.isclose(audio.audio_psnr(target + 0.2, target), -10 * math.log10(0.01),
                        rel_tol=1e-6)  # error 0.2 of a range 2 is 0.1 of the range


def test_spectrogram_finds_a_tone():
    rate = 8000
    t = torch.arange(rate) / rate
    freqs, times, db = audio.spectrogram(torch.sin(2 * math.pi * 1000 * t), rate, n_fft=256)
    assert db.shape == (129, len(times)) and db.max() == 0 and db.min() >= -80
    assert abs(freqs[db[:, len(times) // 2].argmax()] - 1000) <= rate / 256
    image = audio.spectrogram_image(torch.sin(2 * math.pi * 1000 * t), rate)
    assert image.shape == (129, len(times), 3) and 0 <= image.min() and image.max() <= 1
