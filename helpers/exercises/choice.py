"""A multiple-choice "predict, then run" question as a widget that answers at once.

The learner picks an option and presses *Check*; the feedback line says right or not and
gives the reason attached to the option picked, right or wrong, then points to the next
cell, which shows it. The widget only sets an HTML widget's value (no ``Output``
capture), so it works in Jupyter, JupyterLab and Colab (ipywidgets 7.7.1) and never
stalls a Run All (:mod:`helpers.kernel_output`). Without a front end, ``answer(id, i)``
gives the same feedback as text. Used from 01 on; :mod:`helpers.exercises.grading`
holds the question (:class:`~helpers.exercises.grading.Choice`).
"""
from __future__ import annotations

import html

import ipywidgets as widgets

LETTERS = "abcdefgh"


def feedback(question, picked: int) -> tuple[bool, str]:
    """(right?, the sentence the learner sees) for option number ``picked``."""
    if not 0 <= picked < len(question.options):
        raise ValueError(f"pick one of the options a-{LETTERS[len(question.options) - 1]} "
                         f"(or 0-{len(question.options) - 1}), got {picked!r}.")
    right = picked == question.correct
    head = "✓ Right." if right else "✗ Not quite."
    return right, f"{head} {question.reasons[picked]} Now run the next cell and see."


def as_index(question, picked) -> int:
    """An option given as 0-based index, letter ('b') or the option's own text."""
    if isinstance(picked, str):
        if picked in question.options:
            return question.options.index(picked)
        picked = LETTERS.find(picked.strip().lower()) if len(picked.strip()) == 1 else -1
    return int(picked)


def widget(question, solved: bool = False) -> widgets.VBox:
    """Question, options, a Check button and the feedback line (``solved``: pre-answered)."""
    prompt = widgets.HTML(f"<b>{html.escape(question.title)}</b><br>{html.escape(question.question)}")
    options = widgets.RadioButtons(options=[(f"{LETTERS[i]}) {text}", i)
                                            for i, text in enumerate(question.options)],
                                   value=None, layout=widgets.Layout(width="max-content"))
    button = widgets.Button(description="Check", button_style="primary")
    result = widgets.HTML("<i>pick an option, then press Check</i>")
    result.add_class("exercise-feedback")

    def on_check(_=None):
        if options.value is None:
            result.value = "<i>pick an option first</i>"
            return
        right, sentence = feedback(question, options.value)
        colour = "#1a7f37" if right else "#b35900"
        result.value = f"<span style='color:{colour}'>{html.escape(sentence)}</span>"

    button.on_click(on_check)
    if solved:
        options.value = question.correct
        on_check()
    box = widgets.VBox([prompt, options, widgets.HBox([button]), result])
    box.add_class("exercise-choice")
    return box
