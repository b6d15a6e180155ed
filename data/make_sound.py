"""Synthesise data/sound.wav: the clip 10_beyond_images fits (run: python data/make_sound.py).

Two 2-second parts, 16 kHz, 16-bit mono, made from nothing but sines, so the file is
ours to give away (CC0). Each second of a part: four plucked notes 0.1 s apart, each a
fundamental and two harmonics (1, 1/2, 1/3) under a 10 ms attack and an exponential
decay, then a chirp from 0.45 s to the end of the second, so a 1-second clip holds notes
*and* a chirp.
Part 1 (the test clip): A3 C#4 E4 A4 and a chirp 150 -> 1500 Hz, then the same notes an
octave down and the chirp back. Part 2 (the validation clip, for choosing knobs): D4
F#4 A4 D4 and 1400 -> 200 Hz, then the reverse. Everything stays below 1.6 kHz, so a
quarter of the samples (4 kHz) still resolves it: the sound is band-limited by
construction. Each part fades in and out over 10 ms.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 16000
PART_SECONDS = 2.0
PATH = Path(__file__).with_name("sound.wav")


def note(frequency: float, t: np.ndarray, decay: float = 6.0, attack: float = 0.01) -> np.ndarray:
    """A plucked note: harmonics k = 1, 2, 3 with amplitude 1/k, times exp(-decay t), after a
    raised-cosine attack of ``attack`` seconds (a sudden start would add high frequencies)."""
    tone = sum(np.sin(2 * np.pi * k * frequency * t) / k for k in (1, 2, 3))
    rise = 0.5 - 0.5 * np.cos(np.pi * np.clip(t / attack, 0, 1))
    return tone * np.exp(-decay * t) * rise


def chirp(f0: float, f1: float, t: np.ndarray) -> np.ndarray:
    """A linear chirp from f0 to f1 Hz over t: phase 2 pi (f0 t + (f1 - f0) t² / (2 T))."""
    duration = t[-1] + (t[1] - t[0])
    return np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t ** 2 / (2 * duration)))


def _fade(signal: np.ndarray, rate: int, seconds: float = 0.01) -> np.ndarray:
    """Raised-cosine fade-in and fade-out over ``seconds`` at both ends."""
    fade = int(seconds * rate)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
    signal[:fade] *= ramp
    signal[-fade:] *= ramp[::-1]
    return signal


def second(notes, chirp_from: float, chirp_to: float, rate: int = RATE) -> np.ndarray:
    """One second: notes 0.1 s apart, then a chirp from 0.45 s on (faded in and out)."""
    signal = np.zeros(rate)
    step = int(0.1 * rate)
    for i, frequency in enumerate(notes):
        signal[i * step:] += note(frequency, np.arange(rate - i * step) / rate)
    start = int(0.45 * rate)
    t = np.arange(rate - start) / rate
    signal[start:] += 0.8 * _fade(chirp(chirp_from, chirp_to, t), rate)
    return signal


def part(notes, chirp_from: float, chirp_to: float, rate: int = RATE) -> np.ndarray:
    """Two seconds: :func:`second` up, then the notes an octave down and the chirp back;
    peak 0.9, 10 ms fades at both ends."""
    signal = np.concatenate([second(notes, chirp_from, chirp_to, rate),
                             second([f / 2 for f in notes], chirp_to, chirp_from, rate)])
    return _fade(signal * 0.9 / np.abs(signal).max(), rate)


def synthesize(rate: int = RATE) -> np.ndarray:
    """Both parts, test then validation: ``(2 * PART_SECONDS * rate,)`` floats in [-0.9, 0.9]."""
    test = part([220.0, 277.18, 329.63, 440.0], 150.0, 1500.0, rate)
    validation = part([293.66, 369.99, 440.0, 293.66], 1400.0, 200.0, rate)
    return np.concatenate([test, validation])


def write(path: Path = PATH, rate: int = RATE) -> Path:
    """Write the clip as 16-bit mono PCM (the standard library's wave module)."""
    import wave

    with wave.open(str(path), "wb") as file:
        file.setnchannels(1)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(np.round(synthesize(rate) * 32767).astype("<i2").tobytes())
    return path


if __name__ == "__main__":
    print(f"wrote {write()}")
