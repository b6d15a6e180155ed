"""Train several models at once: slider ranges and comparisons as one run (issue-5 work).

STATUS: a correct sequential implementation; the batched torch.func version replaces
the body of :func:`fit_many` without changing its signature or results.
"""
from __future__ import annotations

from torch import nn

from .train import FitResult, fit


def fit_many(models: list[nn.Module], image, steps: int | None = None, lr: float = 1e-3,
             eval_every: int | None = None, n_snapshots: int | None = None, seed: int | None = 0,
             device: str | None = None, progress: bool = True,
             description: str = "fit_many") -> list[FitResult]:
    """Fit each model of ``models`` to ``image`` with the same settings, as :func:`fit` would.

    Returns one :class:`~helpers.train.FitResult` per model, in order.
    """
    return [fit(model, image, steps=steps, lr=lr, eval_every=eval_every,
                n_snapshots=n_snapshots, seed=seed, device=device, progress=progress,
                description=f"{description} {i + 1}/{len(models)}")
            for i, model in enumerate(models)]
