"""Your turn: exercises with instant feedback, three to five per notebook (issue 27).

In a notebook::

    from helpers.exercises import ask, check, hint, solution
    ask("04.sigma")              # predict, then run: a multiple-choice widget
    check("02.psnr", my_psnr)    # write it: ✓, or what is off, in one sentence
    check("04.smallest_sigma", 8)  # explore: a number the checker verifies with its own run
    hint("02.psnr"); solution("02.psnr")

Each notebook's exercises are defined in ``helpers/exercises/nbNN.py``; the reference
solutions live in one place, ``helpers/exercises/solutions/``, which a learner opens only if
they want to (``solution(id)`` prints one). ``NB_SOLVED=1`` fills every untouched stub
with its reference solution (CI runs the series that way and untouched),
``python -m helpers exercises`` lists them all (``EXERCISES.md``).
"""
from __future__ import annotations

import importlib
import inspect
import os

from . import choice
from .grading import Choice, Explore, Write, grade_write, untouched

NOTEBOOKS = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11")


def registry(numbers=NOTEBOOKS) -> dict:
    """Every exercise by id ('04.sigma'), in notebook order (or only those of ``numbers``)."""
    found = {}
    for number in numbers:
        try:
            module = importlib.import_module(f"{__name__}.nb{number}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.nb{number}":
                raise
            continue
        found.update((e.id, e) for e in module.EXERCISES)
    return found


def get(exercise_id: str):
    """The exercise called ``exercise_id`` (e.g. '04.sigma'); only its notebook's file loads."""
    number = exercise_id.split(".")[0]
    found = registry([number] if number in NOTEBOOKS else NOTEBOOKS)
    if exercise_id not in found:
        mine = [i for i in found if i.startswith(number + ".")] or list(found)
        raise KeyError(f"there is no exercise {exercise_id!r}; this notebook's are: "
                       f"{', '.join(mine)}.")
    return found[exercise_id]


def solved() -> bool:
    """``NB_SOLVED=1``: untouched stubs are filled with the reference solutions."""
    return os.environ.get("NB_SOLVED", "") not in ("", "0")


def grade(exercise_id: str, answer) -> tuple[bool | None, str]:
    """(True, ✓...), (False, what is off) or (None, not tried yet): :func:`check` without print."""
    exercise = get(exercise_id)
    if isinstance(exercise, Choice):
        right, sentence = choice.feedback(exercise, choice.as_index(exercise, answer))
        return right, sentence
    if isinstance(exercise, Explore):
        if untouched(answer):
            return None, (f"not tried yet: put your number in place of the ... and run the "
                          f"cell again (hint('{exercise_id}') for a nudge).")
        return exercise.verify(answer)
    return grade_write(exercise, answer)


def check(exercise_id: str, answer=...) -> None:
    """Print ✓ or what is off in one sentence; an untouched stub is 'not tried yet'."""
    ok, message = grade(exercise_id, answer)
    if ok is None and solved():
        exercise = get(exercise_id)
        filled = exercise.reference() if isinstance(exercise, Explore) else exercise.reference
        ok, message = grade(exercise_id, filled)
        message = f"[NB_SOLVED=1: the reference solution] {message}"
        if not ok:
            raise AssertionError(f"the reference solution of {exercise_id} fails: {message}")
    print(f"{exercise_id}: {message}")


def hint(exercise_id: str) -> None:
    """A nudge, not the answer."""
    print(f"{exercise_id} hint: {get(exercise_id).nudge}")


def solution(exercise_id: str) -> None:
    """Print the reference: its code (write it), how to find it (explore), or the answer."""
    exercise = get(exercise_id)
    if isinstance(exercise, Choice):
        print(f"{exercise_id}: {choice.LETTERS[exercise.correct]}) "
              f"{exercise.options[exercise.correct]}. {exercise.reasons[exercise.correct]}")
        return
    print(inspect.getsource(exercise.reference))


def ask(exercise_id: str):
    """A multiple-choice question as a widget (pre-answered under ``NB_SOLVED=1``)."""
    exercise = get(exercise_id)
    if not isinstance(exercise, Choice):
        raise TypeError(f"{exercise_id} is not a multiple-choice question; use check().")
    return choice.widget(exercise, solved=solved())


def answer(exercise_id: str, picked) -> None:
    """Answer a multiple-choice question in text: an index, a letter or the option."""
    print(f"{exercise_id}: {grade(exercise_id, picked)[1]}")


__all__ = ["ask", "answer", "check", "grade", "hint", "registry", "solution", "Choice",
           "Explore", "Write"]
