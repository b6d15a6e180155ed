"""Synthesise data/pluck.wav: a sound that is *not* band-limited (run: python data/make_pluck.py).

The clip in ``sound.wav`` is a sum of sines below 1.6 kHz, so band-limited interpolation
must win on it. This one is made the way a plucked string sounds (Karplus and Strong
1983): each note starts as a burst of white noise one period long, which a delay line
repeats while averaging neighbouring samples, so the high harmonics die first. The burst
has energy up to the file's Nyquist frequency, and each onset is a step: no sample rate
holds all of it, and the train samples (every other one) hold even less.

Two 2-second parts, 16 kHz, 16-bit mono, from a seeded generator (CC0, made for this
project). Part 1 (test): eight notes 0.25 s apart (E2 A2 D3 G3 B3 E4 B3 G3). Part 2
(validation, for choosing knobs): other notes (A2 D3 F3 A3 C4 F4 C4 A3) and other noise.
Each part: peak 0.9, 10 ms fades at both ends.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 16000
PART_SECONDS = 2.0
PATH = Path(__file__).with_name("pluck.wav")
TEST_NOTES = (82.41, 110.0, 146.83, 196.0, 246.94, 329.63, 246.94, 196.0)
VALIDATION_NOTES = (110.0, 146.83, 174.61, 220.0, 261.63, 349.23, 261.63, 220.0)


def karplus_strong(frequency: float, n: int, rng: np.random.Generator, rate: int = RATE,
                   decay: float = 0.996) -> np.ndarray:
    """``n`` samples of a plucked string: noise one period p long, then
    ``y[k] = decay * (y[k - p] + y[k - p - 1]) / 2``."""
    period = int(round(rate / frequency))
    y = np.zeros(n + period)
    y[:period] = rng.uniform(-1, 1, period)
    for k in range(period, n + period):
        y[k] = decay * 0.5 * (y[k - period] + y[k - period - 1])
    return y[:n]


def part(notes, seed: int, rate: int = RATE, seconds: float = PART_SECONDS) -> np.ndarray:
    """Notes 0.25 s apart, each ringing to the end; peak 0.9, 10 ms fades at both ends."""
    rng = np.random.default_rng(seed)
    n = int(rate * seconds)
    signal = np.zeros(n)
    step = int(0.25 * rate)
    for i, frequency in enumerate(notes):
        signal[i * step:] += karplus_strong(frequency, n - i * step, rng, rate)
    signal *= 0.9 / np.abs(signal).max()
    fade = int(0.01 * rate)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
    signal[:fade] *= ramp
    signal[-fade:] *= ramp[::-1]
    return signal


def synthesize(rate: int = RATE) -> np.ndarray:
    """Both parts, test then validation: ``(2 * PART_SECONDS * rate,)`` floats in [-0.9, 0.9]."""
    return np.concatenate([part(TEST_NOTES, seed=1, rate=rate),
                           part(VALIDATION_NOTES, seed=2, rate=rate)])


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
