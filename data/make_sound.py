"""Synthesise data/sound.wav: the clip notebook 09 fits (run: python data/make_sound.py).

Two 2-second parts, 16 kHz, 16-bit mono, made from nothing but sines, so the file is
ours to give away (CC0). Part 1 (the test clip): four plucked notes (A3 C#4 E4 A4), each
a fundamental and two harmonics (1, 1/2, 1/3) under an exponential decay, then a chirp
sweeping 150 -> 1500 Hz. Part 2 (the validation clip, for choosing knobs): other notes
(D4 F#4 A4 D4) and a chirp sweeping down. Everything stays below 1.6 kHz, so a quarter
of the samples (4 kHz) still resolves it. Each part fades in and out over 10 ms.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 16000
PART_SECONDS = 2.0
PATH = Path(__file__).with_name("sound.wav")


def note(frequency: float, t: np.ndarray, decay: float = 6.0) -> np.ndarray:
    """A plucked note: harmonics k = 1, 2, 3 with amplitude 1/k, times exp(-decay t)."""
    tone = sum(np.sin(2 * np.pi * k * frequency * t) / k for k in (1, 2, 3))
    return tone * np.exp(-decay * t)


def chirp(f0: float, f1: float, t: np.ndarray) -> np.ndarray:
    """A linear chirp from f0 to f1 Hz over t: phase 2 pi (f0 t + (f1 - f0) t² / (2 T))."""
    duration = t[-1] + (t[1] - t[0])
    return np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t ** 2 / (2 * duration)))


def part(notes, chirp_from: float, chirp_to: float, rate: int = RATE,
         seconds: float = PART_SECONDS) -> np.ndarray:
    """Notes of 0.3 s each, then a chirp for the rest; peak 0.9, 10 ms fades at both ends."""
    n = int(rate * seconds)
    signal = np.zeros(n)
    step = int(0.3 * rate)
    for i, frequency in enumerate(notes):
        t = np.arange(n - i * step) / rate
        signal[i * step:] += note(frequency, t)
    start = len(notes) * step
    t = np.arange(n - start) / rate
    signal[start:] += 0.8 * chirp(chirp_from, chirp_to, t)
    signal *= 0.9 / np.abs(signal).max()
    fade = int(0.01 * rate)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
    signal[:fade] *= ramp
    signal[-fade:] *= ramp[::-1]
    return signal


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
