"""Grading a learner's answer: run it beside the reference and say, in one sentence, what is off.

Three kinds of exercise (issue 27; the notebooks 01-11 place them where the idea was just
taught, and ``EXERCISES.md`` lists them):

- :class:`Write`: a function the learner writes. ``grade`` calls it and the reference on
  every input of ``cases`` (shapes, dtypes, edge cases) and compares the outputs. A known
  wrong answer (``wrong``: a function that makes the mistake and the hint it earns) is
  recognised by matching its outputs; anything else gets a generic diagnosis: the shape,
  NaNs, a constant factor (2, 2 pi, -1), a constant offset, or the two value ranges.
- :class:`Explore`: a number the learner reads off a run; ``verify(answer)`` does its own run
  and returns ``(ok, message)``.
- :class:`Choice`: a multiple-choice "predict, then run" question, answered in a widget
  (:mod:`helpers.exercises.choice`); every option carries its reason.

An untouched stub (it returns ``...`` or None, or raises NotImplementedError) is "not
tried yet", never a failure: a Run All never stops at an exercise.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

import numpy as np
import torch

NOT_TRIED = "not tried yet"


@dataclasses.dataclass
class Write:
    """Write a function: ``reference(*case)`` is right for every ``case`` in ``cases``."""

    id: str
    title: str
    reference: Callable
    cases: list[tuple]
    wrong: list[tuple[Callable, str]]
    nudge: str
    tol: float = 1e-4  # relative to the reference's largest magnitude (and at least 1e-6)


@dataclasses.dataclass
class Explore:
    """Report a number: ``verify(answer) -> (ok, message)`` runs the experiment itself."""

    id: str
    title: str
    verify: Callable[[Any], tuple[bool, str]]
    reference: Callable[[], Any]  # the right answer, found the way a learner would
    wrong: list[tuple[Callable[[], Any], str]]  # an answer learners give (made by a function,
    # as it may need a run) and the start of the message it gets
    nudge: str


@dataclasses.dataclass
class Choice:
    """Predict, then run: ``options[i]`` with ``reasons[i]``; ``correct`` is an index."""

    id: str
    title: str
    question: str
    options: list[str]
    correct: int
    reasons: list[str]


def untouched(answer) -> bool:
    """A stub nobody filled in: ``...``, None or a function that returns either."""
    return answer is Ellipsis or answer is None


def as_array(value) -> np.ndarray | None:
    """A tensor, array, number or tuple of numbers as float64; None when it is none of these."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().double().numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _close(got: np.ndarray, expected: np.ndarray, tol: float) -> bool:
    if got.shape != expected.shape:
        return False
    scale = max(float(np.nanmax(np.abs(expected))) if expected.size else 0.0, 1.0)
    same_nan = np.array_equal(np.isnan(got), np.isnan(expected))
    finite = np.isfinite(expected) & np.isfinite(got)
    same_inf = np.array_equal(np.isinf(got), np.isinf(expected)) and np.array_equal(
        got[np.isinf(got)], expected[np.isinf(expected)])
    return same_nan and same_inf and bool(np.all(np.abs(got[finite] - expected[finite])
                                                 <= max(tol * scale, 1e-6)))


def grade_write(exercise: Write, answer: Callable) -> tuple[bool | None, str]:
    """``(True, '✓ ...')``, ``(False, what is off)`` or ``(None, 'not tried yet ...')``."""
    outputs = []
    for case in exercise.cases:
        try:
            got = answer(*case)
        except NotImplementedError:
            got = None
        except Exception as error:  # the learner's code: say where, keep the notebook going
            return False, (f"your function raised {type(error).__name__}: {error} "
                           f"(on inputs {describe(case)}); fix it and run the cell again.")
        if untouched(got) and not outputs:
            return None, (f"{NOT_TRIED}: replace the ... with your code and run the cell "
                          f"again (hint('{exercise.id}') for a nudge).")
        outputs.append(got)
    expected = [exercise.reference(*case) for case in exercise.cases]
    if all(_close_any(g, e, exercise.tol) for g, e in zip(outputs, expected)):
        return True, f"✓ right on all {len(outputs)} inputs ({exercise.title})."
    for mistake, message in exercise.wrong:
        if all(_close_any(g, mistake(*c), exercise.tol) for g, c in zip(outputs, exercise.cases)):
            return False, "✗ " + message
    return False, "✗ " + diagnose(outputs, expected, exercise.cases, exercise.tol)


def _close_any(got, expected, tol) -> bool:
    got_a, expected_a = as_array(got), as_array(expected)
    return got_a is not None and expected_a is not None and _close(got_a, expected_a, tol)


def describe(case: tuple) -> str:
    """Inputs in a few words: shapes for tensors and arrays, values for the rest."""
    parts = []
    for value in case:
        shape = getattr(value, "shape", None)
        parts.append(f"a {type(value).__name__} of shape {tuple(shape)}" if shape is not None
                     and len(shape) else repr(value) if isinstance(value, (int, float))
                     else type(value).__name__)
    return ", ".join(parts)


def diagnose(outputs: list, expected: list, cases: list, tol: float) -> str:
    """One sentence on how the outputs differ from the reference's, never the answer."""
    for got, want, case in zip(outputs, expected, cases):
        got_a, want_a = as_array(got), as_array(want)
        if got_a is None:
            return (f"your function returned a {type(got).__name__}; it should return a "
                    f"{type(want).__name__} (inputs: {describe(case)}).")
        if got_a.shape != want_a.shape:
            return (f"wrong shape: expected {want_a.shape}, got {got_a.shape} "
                    f"(inputs: {describe(case)}).")
        if np.isnan(got_a).any() and not np.isnan(want_a).any():
            return "your output has NaN where ours has numbers: a log, root or division of zero?"
    pairs = [(as_array(g).ravel(), as_array(w).ravel()) for g, w in zip(outputs, expected)]
    return _how_far(np.concatenate([g for g, _ in pairs]), np.concatenate([w for _, w in pairs]),
                    _first_off(outputs, expected, cases, tol))


def _first_off(outputs, expected, cases, tol) -> tuple:
    return next(c for g, w, c in zip(outputs, expected, cases) if not _close_any(g, w, tol))


FACTORS = {2.0: "2", 0.5: "1/2", 2 * math.pi: "2π", 1 / (2 * math.pi): "1/(2π)", math.pi: "π",
           1 / math.pi: "1/π", -1.0: "-1"}


def _how_far(got: np.ndarray, want: np.ndarray, case: tuple) -> str:
    finite = np.isfinite(got) & np.isfinite(want) & (np.abs(want) > 1e-9)
    if finite.sum() >= 2:
        ratio = got[finite] / want[finite]
        if np.ptp(ratio) < 1e-4 * max(1.0, abs(float(ratio.mean()))):
            k = float(ratio.mean())
            if abs(k) < 1e-9:
                return "your values are all zero where ours are not: is a result computed but not returned?"
            name = next((n for f, n in FACTORS.items() if abs(k - f) < 1e-3 * abs(f)), f"{k:.3g}")
            return f"your values are {name} times ours: a factor is off somewhere."
    diff = (got - want)[np.isfinite(got) & np.isfinite(want)]
    if diff.size >= 2 and np.ptp(diff) < 1e-6 + 1e-4 * np.abs(want).max():
        return f"your values are ours plus {float(diff.mean()):.3g}: an offset is off somewhere."
    return (f"the values differ (largest gap {np.nanmax(np.abs(got - want)):.3g}); ours run "
            f"from {np.nanmin(want):.3g} to {np.nanmax(want):.3g}, yours from "
            f"{np.nanmin(got):.3g} to {np.nanmax(got):.3g} (inputs: {describe(case)}).")
