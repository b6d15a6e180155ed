"""helpers.loop.optimize: the one optimisation loop (history, best model, divergence, early stop)."""
import math

import pytest
import torch
from torch import nn

from helpers.loop import is_diverged, optimize


def _line_fit():
    torch.manual_seed(0)
    x = torch.linspace(-1, 1, 64)[:, None]
    y = 3 * x - 1
    model = nn.Linear(1, 1)
    return model, x, y


def test_optimize_fits_a_line_and_records_history():
    model, x, y = _line_fit()
    run = optimize(model, lambda step: ((model(x) - y) ** 2).mean(), steps=300, lr=0.05,
                   evaluate=lambda step: {"mse": float(((model(x) - y) ** 2).mean())},
                   eval_every=50, progress=False)
    assert run.history["step"] == [0, 50, 100, 150, 200, 250, 300]
    assert run.history["mse"][-1] < 1e-4 < run.history["mse"][0]
    assert math.isnan(run.history["loss"][0]) and run.history["loss"][-1] < 1e-4
    assert run.steps == 300 and not run.diverged and run.best_step == 300
    assert abs(model.weight.item() - 3) < 0.01


def test_a_nan_loss_stops_and_keeps_the_best_model():
    model, x, y = _line_fit()
    calls = []

    def loss_fn(step):
        calls.append(step)
        loss = ((model(x) - y) ** 2).mean()
        return loss * float("nan") if step > 60 else loss

    with pytest.warns(RuntimeWarning, match="diverged at step 75.*smaller lr"):
        run = optimize(model, loss_fn, steps=200, lr=0.05, eval_every=25, progress=False,
                       evaluate=lambda s: {"neg_mse": -float(((model(x) - y) ** 2).mean())},
                       score="neg_mse")
    assert run.diverged and run.steps == 75 and run.best_step == 50
    assert torch.isfinite(model.weight).all()
    assert max(calls) == 75


def test_score_keeps_the_best_evaluation_and_patience_stops_early():
    model, x, y = _line_fit()
    scores = iter([0.0, 1.0, 5.0, 2.0, 2.0, 2.0, 9.0])
    snapshots = {}

    def evaluate(step):
        snapshots[step] = model.weight.detach().clone()
        return {"score": next(scores)}

    run = optimize(model, lambda s: ((model(x) - y) ** 2).mean(), steps=60, lr=0.01,
                   evaluate=evaluate, eval_every=10, score="score", patience=3, progress=False)
    assert run.stopped_early and run.steps == 50 and run.best_step == 20
    assert torch.equal(model.weight, snapshots[20])


def test_is_diverged_rules():
    assert is_diverged(float("inf"), None, 5, 100, None)
    assert is_diverged(1.0, float("nan"), 5, 100, 10.0)
    assert not is_diverged(1.0, 5.0, 20, 100, 10.0)   # before a quarter of the way
    assert is_diverged(1.0, 5.0, 25, 100, 10.0)
    assert not is_diverged(1.0, 12.0, 25, 100, 10.0)


@pytest.mark.parametrize("kwargs, message", [
    ({"steps": 0}, "steps must be a whole number"),
    ({"steps": 2.5}, "steps must be a whole number"),
    ({"lr": -1.0}, "lr must be a positive number"),
    ({"eval_every": 0}, "eval_every must be a whole number"),
])
def test_bad_arguments_say_what_to_do(kwargs, message):
    model, x, y = _line_fit()
    args = {"steps": 10, "lr": 1e-3, **kwargs}
    with pytest.raises(ValueError, match=message):
        optimize(model, lambda s: model(x).sum(), progress=False, **args)


def test_restore_best_false_keeps_the_last_parameters():
    model, x, y = _line_fit()
    scores = iter([0.0, 5.0, 1.0, 1.0])
    run = optimize(model, lambda s: ((model(x) - y) ** 2).mean(), steps=30, lr=0.01,
                   evaluate=lambda s: {"score": next(scores)}, eval_every=10, score="score",
                   restore_best=False, progress=False)
    assert run.best_step == 30 and run.steps == 30 and not run.diverged
