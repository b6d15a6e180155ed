"""Checks that speak to a learner in one sentence: arguments, and a notebook's claims.

``positive(0, "scale (sigma)", "try 10 for a 512x512 photo")`` raises
``ValueError: scale (sigma) must be a positive number, got 0; try 10 for a 512x512 photo.``
Whole numbers are ints (NumPy ints too), never bools or floats, so ``n_freqs=2.5`` is an
error rather than a silent 2.

:func:`expects_default` wraps a notebook's asserts about a knob a learner may edit (04's σ
values): they stop the notebook only while the knob has its default.
"""
from __future__ import annotations

import contextlib
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


def _shown(value) -> str:
    """A knob's value as a learner typed it: ``(1, 10, 100)``, ``10``."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return f"{value:g}" if isinstance(value, float) else str(value)


@contextlib.contextmanager
def expects_default(what: str, value, default):
    """Asserts inside are claims about a knob's default (``what``: "σ values", "NeRF's L").

    At the default, a failing assert raises an AssertionError whose message says it
    checked the default; any other error passes through. With the knob changed, anything
    raised inside is printed as one sentence and the notebook runs on::

        with checks.expects_default("σ values", SIGMAS, (1.0, 10.0, 100.0)):
            assert chosen == "σ = 10", f"validation chose {chosen}"

    prints, after ``SIGMAS = [1, 5, 100]``: "this check expects the default σ values
    (1, 10, 100); you changed them to (1, 5, 100), and with yours: validation chose σ = 5
    — the cells below still run."
    """
    many = isinstance(default, (list, tuple))
    as_tuple = (lambda v: tuple(v) if isinstance(v, (list, tuple)) else v)
    changed = as_tuple(value) != as_tuple(default)
    start = (f"this check expects the default {what} {_shown(default)}; you changed "
             f"{'them' if many else 'it'} to {_shown(value)}, and with yours")
    try:
        yield
    except AssertionError as error:
        found = str(error).strip().split("\n")[0] or "no message"
        if not changed:
            raise AssertionError(f"{found} (with the default {what} {_shown(default)}, which "
                                 "this check expects)") from None
        print(f"{start}: {found} — the cells below still run.")
    except Exception as error:
        if not changed:
            raise
        print(f"{start} it cannot run ({type(error).__name__}: {error}) — the cells below "
              "still run.")
