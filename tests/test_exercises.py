"""Every exercise's checker teaches (issue 27): the reference passes, each wrong answer a
learner makes gets its own hint, an untouched stub is 'not tried yet', every multiple-choice
option answers with its reason, and every notebook places its 3-5 exercises and ends with
a questionnaire. The notebooks themselves run untouched (the README's test command) and
solved (NB_SOLVED=1, .ci/run's second pass)."""
import math
import re

import pytest

from conftest import ROOT
from helpers import exercises
from helpers.exercises import Choice, Explore, Write, grade
from helpers.exercises.grading import NOT_TRIED

ALL = exercises.registry()
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
BY_KIND = {kind: [e for e in ALL.values() if isinstance(e, kind)] for kind in (Write, Explore, Choice)}


def ids(items):
    return [e.id for e in items]


@pytest.mark.parametrize("exercise", BY_KIND[Write], ids=ids(BY_KIND[Write]))
def test_a_written_reference_passes_and_a_stub_is_not_tried(exercise):
    ok, message = grade(exercise.id, exercise.reference)
    assert ok is True and message.startswith("✓"), message
    for stub in (lambda *args: ..., lambda *args: None):
        ok, message = grade(exercise.id, stub)
        assert ok is None and message.startswith(NOT_TRIED), message

    def raises(*args):
        raise NotImplementedError
    assert grade(exercise.id, raises)[0] is None


@pytest.mark.parametrize("exercise", BY_KIND[Write], ids=ids(BY_KIND[Write]))
def test_each_wrong_answer_gets_its_own_hint(exercise):
    assert exercise.wrong, f"{exercise.id} lists no wrong answer learners make"
    for mistake, hint in exercise.wrong:
        ok, message = grade(exercise.id, mistake)
        assert ok is False and message == "✗ " + hint, (exercise.id, hint, message)
    hints = [h for _, h in exercise.wrong]
    assert len(set(hints)) == len(hints), f"{exercise.id}: two wrong answers share a hint"


@pytest.mark.parametrize("exercise", BY_KIND[Explore], ids=ids(BY_KIND[Explore]))
def test_an_explored_number_is_verified_by_its_own_run(exercise):
    ok, message = grade(exercise.id, exercise.reference())
    assert ok is True and message.startswith("✓"), message
    assert grade(exercise.id, ...)[0] is None
    assert exercise.wrong, f"{exercise.id} lists no wrong answer learners make"
    for make, start in exercise.wrong:
        ok, message = grade(exercise.id, make())
        assert ok is False and message.startswith(start), (exercise.id, start, message)


@pytest.mark.parametrize("exercise", BY_KIND[Choice], ids=ids(BY_KIND[Choice]))
def test_every_option_answers_with_its_reason(exercise):
    assert 3 <= len(exercise.options) == len(exercise.reasons) <= 5
    assert 0 <= exercise.correct < len(exercise.options)
    for i, reason in enumerate(exercise.reasons):
        ok, message = grade(exercise.id, "abcde"[i])
        assert ok is (i == exercise.correct) and reason in message, message
    assert len(set(exercise.reasons)) == len(exercise.reasons)


def test_a_choice_widget_answers_when_checked():
    exercise = BY_KIND[Choice][0]
    box = exercises.choice.widget(exercise)
    options, button, result = box.children[1], box.children[2].children[0], box.children[3]
    options.value = (exercise.correct + 1) % len(exercise.options)
    button.click()
    assert "Not quite" in result.value
    options.value = exercise.correct
    button.click()
    assert "Right" in result.value and "exercise-choice" in box._dom_classes


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_has_its_exercises_and_a_questionnaire(path):
    number, source = path.stem[:2], path.read_text()
    mine = [e for e in ALL.values() if e.id.startswith(number + ".")]
    assert 3 <= len(mine) <= 5, f"{path.stem} has {len(mine)} exercises; it needs 3 to 5"
    kinds = {type(e) for e in mine}
    assert kinds == {Write, Explore, Choice}, f"{path.stem} lacks a kind: has {kinds}"
    for e in mine:
        call = "ask" if isinstance(e, Choice) else "check"
        assert re.search(rf'{call}\("{re.escape(e.id)}"', source), f"{path.stem} never runs {call}('{e.id}')"
    asked = re.findall(r'(?:ask|check)\("(\d\d\.\w+)"', source)
    assert set(asked) <= set(ALL), f"unknown exercises in {path.stem}: {set(asked) - set(ALL)}"
    taken = re.findall(r"^\s*(?:(check|hint|solution|ask|answer)\s*(?:,[^=\n]*)?=[^=]"
                       r"|for (check|hint|solution|ask|answer)\b|def (check|hint|solution|ask|answer)\b)",
                       source, flags=re.M)
    assert not taken, f"{path.stem} reuses an exercise function's name for its own: {taken}"
    tail = source.split("## Questionnaire")
    assert len(tail) == 2, f"{path.stem} needs one '## Questionnaire' heading near its end"
    questions = re.findall(r"^# \d+\. ", tail[1], flags=re.M)
    assert 5 <= len(questions) <= 8, f"{path.stem}'s questionnaire has {len(questions)} questions"
    assert tail[1].count("# %%") <= 2, f"{path.stem}'s questionnaire should close the notebook"


def test_exercises_md_lists_every_exercise():
    from helpers.tools import exercise_list
    assert (ROOT / "EXERCISES.md").read_text() == exercise_list.markdown(), (
        "EXERCISES.md is stale: run `python -m helpers exercises --write`")


def test_unknown_ids_and_wrong_kinds_say_what_to_do():
    with pytest.raises(KeyError, match="there is no exercise"):
        exercises.get("02.nope")
    with pytest.raises(TypeError, match="not a multiple-choice question"):
        exercises.ask(BY_KIND[Write][0].id)
    with pytest.raises(ValueError, match="pick one of the options"):
        grade(BY_KIND[Choice][0].id, 9)


def test_solved_flag_fills_an_untouched_stub(monkeypatch, capsys):
    exercise = BY_KIND[Write][0]
    exercises.check(exercise.id, lambda *a: ...)
    assert NOT_TRIED in capsys.readouterr().out
    monkeypatch.setenv("NB_SOLVED", "1")
    exercises.check(exercise.id, lambda *a: ...)
    out = capsys.readouterr().out
    assert "NB_SOLVED=1" in out and "✓" in out
    box = exercises.ask(BY_KIND[Choice][0].id)
    assert "Right" in box.children[3].value


def test_generic_diagnoses_name_what_is_off():
    write = BY_KIND[Write][0]
    ref = write.reference
    assert "2π times ours" in grade(write.id, lambda *a: 2 * math.pi * ref(*a))[1]
    assert "plus 1" in grade(write.id, lambda *a: ref(*a) + 1)[1]
    assert "raised ZeroDivisionError" in grade(write.id, lambda *a: 1 / 0)[1]
    assert "returned a str" in grade(write.id, lambda *a: "20 dB")[1]
