"""A learner's own sound: every kind of WAV reads, and each trap gives one sentence.

The traps of a real recording (issue: "your own data, end to end"): a 32-bit float WAV,
8- and 24-bit PCM, stereo, WAVE_FORMAT_EXTENSIBLE, a file that is not a WAV, an empty
one, a section past the end, a rate that does not divide the file's, int16 amplitudes;
and ``python -m helpers fit-sound`` on a small float WAV.
"""
import json
import math
import struct
import wave

import numpy as np
import pytest
import torch
from scipy.io import wavfile

from helpers import audio, sound_fit, wav
from helpers.tools import cli

RATE = 8000
KSDATAFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def tone(n=RATE, hz=440.0, amplitude=0.8):
    return amplitude * np.sin(2 * np.pi * hz * np.arange(n) / RATE)


def write_raw(path, data: bytes, tag: int, bits: int, channels: int = 1, rate: int = RATE,
              extensible: bool = False):
    """A WAV written byte by byte (scipy writes neither 24-bit nor the extensible header)."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 0xFFFE if extensible else tag, channels, rate, rate * block,
                      block, bits)
    if extensible:
        fmt += struct.pack("<HHIH", 22, bits, 0, tag) + KSDATAFORMAT_TAIL
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(data)) + data + b"\0" * (len(data) % 2))
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def pcm24(values: np.ndarray) -> bytes:
    """Integers in [-2^23, 2^23) as little-endian 3-byte samples."""
    return values.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()


# --- every kind of WAV reads, as (N, C) float32 in [-1, 1] ---------------------------

def test_a_32_bit_float_stereo_wav_reads(tmp_path):
    left, right = tone(), tone(hz=300, amplitude=0.5)
    path = tmp_path / "float.wav"
    wavfile.write(path, 22050, np.stack([left, right], axis=1).astype(np.float32))
    rate, samples = wav.read_wav(path)
    assert rate == 22050 and samples.dtype == np.float32 and samples.shape == (RATE, 2)
    assert np.array_equal(samples[:, 1], right.astype(np.float32))


def test_a_64_bit_float_wav_reads(tmp_path):
    path = tmp_path / "double.wav"
    wavfile.write(path, RATE, tone())
    rate, samples = wav.read_wav(path)
    assert samples.shape == (RATE, 1) and np.allclose(samples[:, 0], tone(), atol=1e-7)


@pytest.mark.parametrize("bits, dtype, full", [(8, np.uint8, 127), (16, np.int16, 32767),
                                               (32, np.int32, 2 ** 31 - 1)])
def test_pcm_of_8_16_and_32_bits_reads_as_full_scale(tmp_path, bits, dtype, full):
    codes = np.round(tone() * full).astype(np.int64)
    path = tmp_path / f"pcm{bits}.wav"
    wavfile.write(path, RATE, (codes + 128 if bits == 8 else codes).astype(dtype))
    _, samples = wav.read_wav(path)
    assert samples.shape == (RATE, 1)
    assert np.allclose(samples[:, 0], codes / full, atol=1e-7)
    assert abs(samples.max() - 0.8) < 1 / full + 1e-6  # 8-bit PCM is unsigned: 128 is silence


def test_24_bit_pcm_reads(tmp_path):
    codes = np.round(tone() * (2 ** 23 - 1)).astype(np.int64)
    path = write_raw(tmp_path / "pcm24.wav", pcm24(codes), wav.PCM, 24)
    rate, samples = wav.read_wav(path)
    assert rate == RATE and np.allclose(samples[:, 0], codes / (2 ** 23 - 1), atol=1e-7)


@pytest.mark.parametrize("kind", ["24-bit PCM", "32-bit float"])
def test_the_extensible_format_reads(tmp_path, kind, capsys):
    left, right = tone(), tone(hz=300, amplitude=0.5)
    if kind == "24-bit PCM":
        codes = np.round(np.stack([left, right], axis=1) * (2 ** 23 - 1)).astype(np.int64)
        data, tag, bits = pcm24(codes.ravel()), wav.PCM, 24
    else:
        data, tag, bits = np.stack([left, right], axis=1).astype("<f4").tobytes(), wav.FLOAT, 32
    path = write_raw(tmp_path / "ext.wav", data, tag, bits, channels=2, extensible=True)
    rate, samples = wav.read_wav(path)
    assert samples.shape == (RATE, 2) and np.allclose(samples[:, 1], right, atol=1e-6)
    wav.load_audio(path)
    assert capsys.readouterr().out == f"ext.wav: 8000 Hz stereo {kind} (extensible), 1 s -> mono\n"


def test_the_bundled_files_read_as_they_were_written():
    rate, samples = wav.read_wav(audio.PLUCK)
    with wave.open(str(audio.PLUCK), "rb") as file:
        codes = np.frombuffer(file.readframes(file.getnframes()), "<i2")
    assert rate == 16000 and samples.shape == (len(codes), 1)
    assert np.array_equal(samples[:, 0], (codes / 32767).astype(np.float32))


# --- the loader: a section, mono or one channel, any rate, said in one line ----------

def test_stereo_mixes_to_mono_or_gives_one_channel(tmp_path, capsys):
    left, right = tone(), tone(hz=300, amplitude=0.5)
    path = tmp_path / "stereo.wav"
    wavfile.write(path, RATE, np.stack([left, right], axis=1).astype(np.float32))
    _, mono = wav.load_audio(path)
    _, one = wav.load_audio(path, channels=1, say=None)
    assert torch.allclose(mono, torch.tensor((left + right) / 2, dtype=torch.float32), atol=1e-6)
    assert torch.allclose(one, torch.tensor(right, dtype=torch.float32), atol=1e-7)
    assert capsys.readouterr().out == "stereo.wav: 8000 Hz stereo 32-bit float, 1 s -> mono\n"
    with pytest.raises(ValueError, match=r"^stereo.wav has 2 channel\(s\); choose channels='mix' "
                                         r"or an index from 0 to 1, got 2\.$"):
        wav.load_audio(path, channels=2)


def test_a_section_resampled_to_any_rate_says_so(tmp_path, capsys):
    path = tmp_path / "pluck.wav"  # 3.2 s of 44.1 kHz float stereo, as a recording might be
    samples = wav.resample(wav.read_wav(audio.PLUCK)[1][:, 0].astype(np.float64), 16000, 44100)
    samples = samples[: round(3.2 * 44100)].clip(-1, 1).astype(np.float32)
    wavfile.write(path, 44100, np.stack([samples, samples], axis=1))
    rate, section = wav.load_audio(path, seconds=1.0, start=0.5, rate=8000)
    assert capsys.readouterr().out == ("pluck.wav: 44100 Hz stereo 32-bit float, 3.2 s -> mono, "
                                       "8000 Hz, 1 s from 0.5 s\n")
    assert rate == 8000 and section.shape == (8000,) and section.abs().max() <= 1
    # the section sits where the whole file, resampled, has it
    whole = wav.resample(samples.astype(np.float64), 44100, 8000)
    assert np.allclose(section.numpy(), whole[4000:12000], atol=1e-5)


def test_a_rate_that_does_not_divide_the_files_resamples():
    clip = audio.load_sound("test", 1.0, 7000)  # was: "rate must divide 16000 Hz"
    assert clip.shape == (7000,)
    # the notes keep their band: every other sample of the 14 kHz clip is the 7 kHz clip
    fine = audio.load_sound("test", 1.0, 14000)
    assert audio.snr(clip, fine[0::2]) > 30
    t = np.arange(RATE) / RATE  # a 1 kHz tone stays a 1 kHz tone at 11025 Hz
    resampled = wav.resample(np.sin(2 * np.pi * 1000 * t), RATE, 11025)
    peak = np.fft.rfftfreq(len(resampled), 1 / 11025)[np.abs(np.fft.rfft(resampled)).argmax()]
    assert len(resampled) == 11025 and abs(peak - 1000) < 2


def test_load_sound_gives_the_bundled_results_it_gave_before():
    """The bundled clips as load_sound read them before any WAV was allowed: int16 / 32767,
    each half decimated by FFT, then cut."""
    for path in (audio.SOUND, audio.PLUCK):
        with wave.open(str(path), "rb") as file:
            codes = np.frombuffer(file.readframes(file.getnframes()), "<i2")
        half = len(codes) // 2
        for part, clip in zip(audio.PARTS, (codes[:half], codes[half:])):
            for seconds, rate in ((1.0, 8000), (2.0, 16000), (0.5, 4000)):
                before = clip.astype(np.float64) / 32767
                before = wav.decimate(before, 16000 // rate) if rate != 16000 else before
                before = torch.tensor(before[: int(seconds * rate)], dtype=torch.float32)
                assert torch.equal(audio.load_sound(part, seconds, rate, path), before)


def test_load_parts_splits_a_file_in_halves_and_says_what_it_did(tmp_path, capsys):
    path = tmp_path / "mine.wav"
    samples = np.concatenate([tone(), tone(hz=300)]).astype(np.float32)
    wavfile.write(path, RATE, np.stack([samples, samples], axis=1))
    parts = wav.load_parts(path, seconds=0.5, rate=4000, say=print)
    assert capsys.readouterr().out == ("mine.wav: 8000 Hz stereo 32-bit float, 2 s -> mono, "
                                       "4000 Hz, test part 0.5 s from 0 s, validation part 0.5 s "
                                       "from 1 s\n")
    assert parts["test"].shape == parts["validation"].shape == (2000,)
    assert audio.snr(parts["validation"], torch.tensor(tone(hz=300)[:4000:2], dtype=torch.float32)) > 20
    odd = wav.load_parts(path, seconds=None, rate=RATE, start=1.0 / RATE)  # 15999 samples left
    assert len(odd["test"]) % 2 == 0  # an even number, for the even/odd split


# --- each trap: one sentence that says what to do ------------------------------------

def message(error) -> str:
    text = str(error.value)
    assert "\n" not in text and text.endswith("."), text
    return text


def test_a_file_that_is_not_a_wav(tmp_path):
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3\x04\x00" + bytes(100))
    with pytest.raises(ValueError) as error:
        wav.read_wav(path)
    assert message(error) == ("song.mp3 is not a WAV file (it starts with b'ID3\\x04', not "
                              "RIFF....WAVE); convert it to a PCM or float WAV, e.g. `ffmpeg -i "
                              "song.mp3 -c:a pcm_f32le out.wav`.")


def test_an_empty_file_and_a_wav_without_samples(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(ValueError) as error:
        wav.read_wav(tmp_path / "empty.wav")
    assert message(error) == "empty.wav is empty (0 bytes); export or record the sound again."
    path = write_raw(tmp_path / "silent.wav", b"", wav.PCM, 16)
    with pytest.raises(ValueError) as error:
        wav.load_audio(path)
    assert message(error) == ("silent.wav holds no samples (a header and no sound); export or "
                              "record the sound again.")


def test_a_missing_file_a_folder_and_a_compressed_wav(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        wav.load_audio(tmp_path / "nothing.wav")
    assert message(error).endswith("nothing.wav does not exist; give the path of a .wav file.")
    with pytest.raises(IsADirectoryError, match="is a folder; give the path of a .wav file in it"):
        wav.read_wav(tmp_path)
    path = write_raw(tmp_path / "phone.wav", bytes(800), 7, 8)
    with pytest.raises(ValueError) as error:
        wav.read_wav(path)
    assert message(error).startswith("phone.wav holds mu-law audio, which is compressed; convert")


def test_float_samples_at_int16_scale_are_refused(tmp_path):
    path = tmp_path / "loud.wav"
    wavfile.write(path, RATE, (tone() * 32767).astype(np.float32))
    with pytest.raises(ValueError) as error:
        wav.read_wav(path)
    assert "divide them by 32767 and write the file again" in message(error)


def test_a_section_past_the_end(tmp_path):
    path = tmp_path / "short.wav"
    wavfile.write(path, RATE, tone(2 * RATE).astype(np.float32))  # 2 s
    with pytest.raises(ValueError) as error:
        wav.load_audio(path, seconds=1.0, start=1.5)
    assert message(error) == ("1 s from 1.5 s runs past the end of short.wav (2 s long); ask "
                              "for at most 0.5 s from there.")
    with pytest.raises(ValueError) as error:
        wav.load_audio(path, start=3)
    assert message(error) == ("start = 3 s is outside short.wav, which lasts 2 s; choose a "
                              "start from 0 to below 2 s.")
    with pytest.raises(ValueError) as error:
        wav.load_parts(path, seconds=1.5, rate=RATE)
    assert message(error) == ("each part of short.wav (a half of its 2 s) lasts 1 s; ask for "
                              "at most 1 s.")
    with pytest.raises(ValueError, match=r"lasts 2 s; ask for at most 2 s\.$"):
        audio.load_sound("test", 3.0, 8000)  # the bundled clips: two parts of 2 s


def test_a_rate_that_is_not_a_whole_number():
    with pytest.raises(ValueError, match=r"rate must be a whole number of Hz \(e.g. 8000\), got 8000.5"):
        audio.load_sound("test", 1.0, 8000.5)


@pytest.mark.parametrize("where", ["snr", "audio_psnr", "linear_odd", "bandlimited_odd"])
def test_int16_amplitudes_are_refused_with_what_to_do(where):
    with wave.open(str(audio.PLUCK), "rb") as file:  # read as a learner might: raw int16
        codes = np.frombuffer(file.readframes(4000), "<i2")
    raw = torch.tensor(codes, dtype=torch.float32)
    call = {"snr": lambda: audio.snr(raw / 32767, raw), "audio_psnr": lambda: audio.audio_psnr(raw, raw),
            "linear_odd": lambda: audio.linear_odd(raw[0::2]),
            "bandlimited_odd": lambda: audio.bandlimited_odd(raw[0::2], mirror=True)}[where]
    with pytest.raises(ValueError) as error:
        call()
    peak = int(np.abs(codes[0::2] if where.endswith("odd") else codes).max())
    what = "the even samples'" if where.endswith("odd") else "the target's"
    assert message(error) == (f"{what} amplitudes go up to {peak}, far outside [-1, 1]: 16-bit samples? "
                              "divide them by 32767 (wav.read_wav and wav.load_audio return "
                              "[-1, 1]).")
    scaled = raw / 32767  # and after dividing, the same call works
    assert math.isfinite(audio.snr(audio.linear_odd(scaled[0::2]), scaled[1::2]))


# --- the contest as a helper, and the command ----------------------------------------

def test_contest_chooses_on_validation_and_scores_on_test(one_thread):
    test = audio.load_sound("test", 0.25, 4000)
    val = audio.load_sound("validation", 0.25, 4000)
    lines = []
    r = sound_fit.contest(test, val, "notes", hidden=16, steps=30, factors=(0.5, 1.0),
                          grid_weights=(0.01, 1.0), log=lines.append)
    assert r.c == max(r.sweep, key=r.sweep.get) and r.omega0 == r.c * r.omega_rule
    assert r.best_net == f"SIREN, ω0 = {r.omega0:.0f} (c = {r.c:g})"
    assert r.scores["silence (all zeros)"] == 0 and r.scores["sample grid (no network)"] == 0
    assert r.scores["band-limited (FFT, a loop)"] > r.scores["linear interpolation"] + 10
    assert r.scores["linear interpolation"] == audio.snr(audio.linear_odd(test[0::2]), test[1::2])
    assert lines[0].startswith("notes, validation SNR of SIREN by c: 0.5 (ω0")
    assert len(r.rows) == 10 and all(v.shape == (500,) for v in r.rows.values())
    with pytest.raises(ValueError, match="needs an even number"):
        sound_fit.contest(test[:-1], val[:-1])


def test_fit_sound_json_on_a_small_float_wav(tmp_path, capsys, one_thread):
    path = tmp_path / "mine.wav"
    left = tone(RATE, hz=220) * np.linspace(1, 0, RATE)
    wavfile.write(path, RATE, np.stack([left, 0.5 * left], axis=1).astype(np.float32))
    out = tmp_path / "out"
    code = cli.main(["fit-sound", "--sound", str(path), "--seconds", "0.25", "--rate", "4000",
                     "--steps", "20", "--hidden", "16", "--out", str(out), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    report = json.loads(captured.out.strip().splitlines()[-1])
    assert report["rate"] == 4000 and report["samples"] == 1000 and report["seconds"] == 0.25
    assert report["c"] in (0.2, 0.5, 1.0, 2.0, 5.0) and report["omega0"] > 0
    assert set(report["test_snr"]) == {
        "silence (all zeros)", "linear interpolation", "band-limited (FFT, a loop)",
        "band-limited, mirrored ends", "sample grid (no network)", "ReLU MLP",
        "SIREN, ω0 = 30 (the image value)", report["best_network"],
        *(f"sample grid + {p} (w={w:g})" for p, w in report["weights"].items())}
    assert report["test_snr"]["linear interpolation"] > 20  # a slow tone: easy to interpolate
    assert captured.err.startswith("mine.wav: 8000 Hz stereo 32-bit float, 1 s -> mono, 4000 Hz")
    assert "test, ReLU MLP trained" in captured.err  # progress on stderr
    rate, written = wavfile.read(out / "reconstruction.wav")
    assert rate == 4000 and written.dtype == np.float32 and written.shape == (1000,)
    assert (out / "spectrogram.png").stat().st_size > 10000


@pytest.mark.parametrize("argv, says", [
    (["--sound", "nothing.wav"], "error: nothing.wav does not exist; give the path of a .wav file.\n"),
    (["--sound", "pluck", "--seconds", "3"], "error: each part of pluck.wav (a half of its 4 s) "
                                             "lasts 2 s; ask for at most 2 s.\n"),
    (["--sound", "pluck", "--rate", "0"], "error: argument --rate: must be at least 1, got 0\n"),
])
def test_fit_sound_bad_input_exits_2_with_one_line(argv, says, capsys):
    try:
        code = cli.main(["fit-sound", *argv, "--json"])
    except SystemExit as stop:  # argparse's own checks stop the parser
        code = stop.code
    captured = capsys.readouterr()
    assert code == 2 and captured.err == says and captured.out == ""
