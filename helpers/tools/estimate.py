"""Say what a long command will run and about how long it will take, before it starts.

``python -m helpers table`` at its defaults trains 40 networks of 2000 steps at 512 px:
hours on a CPU. Every long command prints one line up front (what, how many fits or
notebooks, an estimate), then one line per fit or notebook. The estimate of a fit is
measured: :func:`seconds_per_step` times a full-batch training step of the model at
the image's size on this machine (after one warm-up step), and a fit costs about
``steps x seconds_per_step`` plus its evaluations (:data:`EVAL_SHARE`).
"""
from __future__ import annotations

import copy
import sys
import time

import torch

# the evaluations (every eval_every steps, all four pixel quarters) and the final picture
# add about this much to the training steps' time: 9-13 % measured on the bundled photo
# (relu and gauss, 128 and 256 px, eval_every 25, one CPU thread); 4-8 % evaluating once
EVAL_SHARE = 0.1


def seconds_per_step(model: torch.nn.Module, image: torch.Tensor, lr: float = 1e-3,
                     device: str | None = None, steps: int = 1) -> float:
    """Seconds one training step of ``model`` on ``image`` (H, W, 3) takes here.

    A copy of the model is trained: one warm-up step, then ``steps`` timed steps of the
    series' protocol (full batch of the train pixels, Adam, MSE); ``model`` is untouched.
    """
    from .. import settings
    from ..loop import optimize
    from ..train import prepare, train_loss

    device = torch.device(device or settings.DEVICE)
    trial = copy.deepcopy(model).to(device)
    pixels = prepare(trial, image, device)

    def train(n: int) -> None:  # the series' one loop, without evaluations
        optimize(trial, lambda step: train_loss(pixels, step), steps=n, lr=lr, progress=False)

    train(1)  # warm-up
    start = time.perf_counter()
    train(steps)
    return (time.perf_counter() - start) / steps


def fit_seconds(steps: int, per_step: float) -> float:
    """A fit's estimated seconds: ``steps`` training steps and its evaluations."""
    return steps * per_step * (1 + EVAL_SHARE)


def duration(seconds: float) -> str:
    """``'about 40 s'``, ``'about 12 min'``, ``'about 3.2 h'``."""
    if seconds < 90:
        return f"about {max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


def say(line: str) -> None:
    """Print one progress line on stderr at once (stdout stays for results and JSON)."""
    print(line, file=sys.stderr, flush=True)
