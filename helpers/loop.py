"""The one optimisation loop of the series: Adam on a loss, evaluated every few steps.

02_plain_mlp writes it out by hand for an image::

    for step in range(1, steps + 1):
        loss = loss_fn(step)          # e.g. mse(model(train_x), train_y)
        optimizer.zero_grad(); loss.backward(); optimizer.step()

:func:`optimize` is that loop plus bookkeeping: ``evaluate(step)`` every ``eval_every``
steps (and at steps 0 and ``steps``) into a history, a progress bar, an ``on_eval`` hook
(the live view plugs in there), and a divergence guard that stops a NaN/inf run and
restores the best model so far. :func:`helpers.train.fit` (the image protocol) and the
tasks of 08-10 (operators, sound, shapes, NeRF's ray batches) all train through it.
Forward passes (the loss and the evaluations) run under :func:`helpers.precision.autocast`:
float32 unless ``NB_PRECISION`` or ``precision`` asks for bfloat16.
"""
from __future__ import annotations

import copy
import math
import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import torch
from torch import nn

from . import checks
from .precision import autocast, used

# Called before any training starts; one may raise to stop it (helpers.site_frames does while
# it renders a panel's values for the static site: the site shows only what needs no training).
GUARDS: list[Callable[[], None]] = []


@dataclass
class Run:
    """What :func:`optimize` returns.

    history: ``{"step": [...], "loss": [...], "seconds": [...], <evaluate's keys>: [...]}``,
    one entry per evaluation (the one that found a divergence is not kept).
    best_step: the step whose parameters the model holds at the end when a ``score`` is
    kept (else the last step). steps: steps taken (fewer if it diverged or stopped early).
    seconds_per_step: the training steps alone, evaluation excluded.
    """

    history: dict = field(default_factory=dict)
    best_step: int = 0
    steps: int = 0
    diverged: bool = False
    stopped_early: bool = False
    seconds: float = 0.0
    seconds_per_step: float = 0.0


def record(history: dict, values: dict) -> None:
    """Append each of ``values`` to ``history[key]`` (a dict of lists)."""
    for key, value in values.items():
        history.setdefault(key, []).append(value)


def is_diverged(loss: float, score: float | None, step: int, steps: int,
                start_score: float | None) -> bool:
    """NaN/inf loss or score, or a score still below the untrained one a quarter of the way.

    Adam with a far too large lr rarely reaches NaN: the loss jumps up and stays there, so
    a run still worse than the untrained model after ``max(10, steps // 4)`` steps diverged.
    """
    if not math.isfinite(loss) or (score is not None and not math.isfinite(score)):
        return True
    return (score is not None and start_score is not None and math.isfinite(start_score)
            and step >= max(10, steps // 4) and score < start_score)


def optimize(model: nn.Module, loss_fn: Callable[[int], torch.Tensor], steps: int, lr: float,
             evaluate: Callable[[int], dict] | None = None, eval_every: int = 25,
             score: str | None = None, restore_best: bool = True, patience: int | None = None,
             on_eval: Callable[[int, dict], None] | None = None, progress: bool = True,
             description: str = "train", optimizer: torch.optim.Optimizer | None = None,
             precision: str | None = None) -> Run:
    """Minimise ``loss_fn(step)`` over ``model``'s parameters with Adam for ``steps`` steps.

    loss_fn(step) -> scalar tensor: the whole batch, or a fresh mini-batch each step.
    evaluate(step) -> dict of floats, called without gradients at step 0, every
    ``eval_every`` steps and at the last step. score: a key of that dict, higher is better
    (e.g. ``"val_psnr"``): the model ends with the parameters of its best evaluation
    (``restore_best=False``: with its last ones, the score then only guards divergence), and
    with ``patience`` evaluations without a new best training stops early. A NaN/inf
    (or a run still below its untrained score a quarter of the way in) stops with a
    one-sentence warning and restores the best parameters so far.
    """
    for guard in GUARDS:
        guard()
    steps, eval_every = checks.whole(steps, "steps"), checks.whole(eval_every, "eval_every")
    checks.positive(lr, "lr", "try 1e-3")
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=lr)
    device, precision, evaluate = _precision(model, precision, evaluate)
    run, start = Run(), time.perf_counter()
    values = _evaluate(evaluate, 0, math.nan, start, on_eval, run.history)
    start_score = values.get(score) if score else None
    best = (start_score if start_score is not None and math.isfinite(start_score) else -math.inf,
            copy.deepcopy(model.state_dict()), 0)
    bar = _progress_bar(steps, description, progress)
    train_seconds, stale = 0.0, 0
    for step in range(1, steps + 1):
        tick = time.perf_counter()
        with autocast(device, precision):  # float32, or bfloat16 where chosen
            loss = loss_fn(step)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        due = step % eval_every == 0 or step == steps  # a NaN is caught at the next one
        loss_value = loss.item() if due else math.nan  # waits for a GPU: part of training
        train_seconds += time.perf_counter() - tick
        run.steps = step
        if not due:
            continue
        values = _evaluate(evaluate, step, loss_value, start, on_eval, run.history)
        current = values.get(score) if score else None
        if is_diverged(loss_value, current, step, steps, start_score):
            _give_up(run, model, best, step, loss_value, lr)
            break
        if current is not None and current > best[0]:
            best, stale = (current, copy.deepcopy(model.state_dict()), step), 0
        elif current is not None:
            stale += 1
        _show(bar, step, values)
        if patience is not None and stale >= patience:
            run.stopped_early = True
            break
    if bar is not None:
        bar.close()
    return _finish(run, model, best, bool(score and restore_best), time.perf_counter() - start,
                   train_seconds)


def _precision(model: nn.Module, precision: str | None, evaluate):
    """The model's device, the precision used there, and ``evaluate`` run in it."""
    device = next(model.parameters(), torch.empty(0)).device
    precision = used(precision, device)
    if evaluate is not None:
        evaluate = partial(_in_precision, evaluate, device, precision)
    return device, precision, evaluate


def _finish(run: Run, model: nn.Module, best: tuple, keep_best: bool, seconds: float,
            train_seconds: float) -> Run:
    """The run's end: the best parameters back in the model (if kept), and its times."""
    if not run.diverged:
        if keep_best:
            model.load_state_dict(best[1])
        run.best_step = best[2] if keep_best else run.steps
    run.seconds, run.seconds_per_step = seconds, train_seconds / max(run.steps, 1)
    return run


def _in_precision(evaluate, device, precision: str, step: int) -> dict:
    """``evaluate(step)`` in the precision the model trains at."""
    with autocast(device, precision):
        return evaluate(step)


def _give_up(run: Run, model: nn.Module, best: tuple, step: int, loss: float, lr: float) -> None:
    """A diverged run: restore the best parameters, drop the broken evaluation, warn."""
    run.diverged, run.best_step = True, best[2]
    for values in run.history.values():  # the history ends at a sound model
        values.pop()
    model.load_state_dict(best[1])
    warnings.warn(f"training diverged at step {step} (loss {loss:.3g}); kept the model of step "
                  f"{best[2]}: try a smaller lr than {lr:g}.", RuntimeWarning, stacklevel=3)


def _evaluate(evaluate, step: int, loss: float, start: float, on_eval, history: dict) -> dict:
    """One evaluation: ``evaluate(step)`` without gradients, recorded and passed to on_eval."""
    with torch.no_grad():
        values = dict(evaluate(step)) if evaluate is not None else {}
    record(history, {"step": step, "loss": loss, "seconds": time.perf_counter() - start,
                     **values})
    if on_eval is not None:
        on_eval(step, values)
    return values


def _show(bar, step: int, values: dict) -> None:
    """Move the progress bar (if any) to ``step`` with the latest evaluation beside it."""
    if bar is not None:
        bar.set_postfix_str(", ".join(f"{k} {v:.2f}" for k, v in values.items()))
        bar.update(step - bar.n)


def _progress_bar(steps: int, description: str, enabled: bool):
    """In a notebook a line of text (:class:`~helpers.live.ProgressLine`: a widget bar would
    show an error once the saved notebook is reopened), elsewhere tqdm's bar on stderr;
    both gone when closed."""
    if not enabled:
        return None
    from . import live

    if live.in_notebook():
        return live.ProgressLine(steps, description)
    from tqdm import tqdm

    return tqdm(total=steps, desc=description, leave=False)
