"""Argument checks shared by every encoder, model and fit: one sentence a learner can act on.

``positive(0, "scale (sigma)", "try 10 for a 512x512 photo")`` raises
``ValueError: scale (sigma) must be a positive number, got 0; try 10 for a 512x512 photo.``
Whole numbers are ints (NumPy ints too), never bools or floats, so ``n_freqs=2.5`` is an
error rather than a silent 2.
"""
from __future__ import annotations

import math
import numbers


def positive(value, name: str, hint: str = "") -> float:
    """``value`` as a float if it is a finite number > 0, else a one-sentence ValueError."""
    try:
        number = math.nan if isinstance(value, (bool, str)) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}"
                         + (f"; {hint}." if hint else "."))
    return number


def whole(value, name: str, low: int = 1, high: int | None = None, why: str = "") -> int:
    """``value`` as an int if it is a whole number in [low, high], else a ValueError."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low
            or (high is not None and value > high)):
        bounds = f">= {low}" if high is None else f"from {low} to {high}{why}"
        raise ValueError(f"{name} must be a whole number {bounds}, got {value!r}.")
    return int(value)


def n_layers(value: int, minimum: int, who: str = "", why: str = "") -> int:
    """A network's depth: ``who`` needs at least ``minimum`` layers (``why`` says what for)."""
    if value < minimum:
        if who:
            raise ValueError(f"{who} needs n_layers >= {minimum}{why}, got {value}.")
        raise ValueError(f"n_layers must be at least {minimum}, got {value}.")
    return value


def one_of(value, what: str, choices) -> None:
    """A name from ``choices`` (a method, an activation), else a ValueError listing them."""
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}.")
