"""The "no network" solver: a plain grid of values fitted by Adam through any loss (08, 09).

Wherever 08_inverse_problems and 09_samples_and_storage fit a network through an operator
(projections, gradients) or to some pixels, the same loss is also minimised over a plain
pixel grid ``u`` (one free value per pixel, no network), alone and with a total-variation
penalty, the classical regulariser (Rudin, Osher & Fatemi 1992)::

    minimise_u   loss_fn(u) + tv_weight · TV(u)

    TV(u) = mean over pixels (and channels) of |∇u| = sqrt(∂x u² + ∂y u²)   (isotropic)

with forward differences ``∂x u = u[i, j+1] - u[i, j]``, ``∂y u = u[i+1, j] - u[i, j]`` on
the ``(H-1) x (W-1)`` pixels that have both. The difference between the network's score
and the grid's, on the same loss, steps and optimiser, is what the network's *prior*
(its architecture and initialisation) buys. Training goes through
:func:`helpers.loop.optimize`, the series' one loop.
"""
from __future__ import annotations

import torch
from torch import nn

from .loop import Run, optimize

TV_EPS = 1e-8  # inside the square root, so that |∇u| has a gradient where ∇u = 0


def total_variation(image: torch.Tensor) -> torch.Tensor:
    """Isotropic TV: mean of ``sqrt(∂x² + ∂y² + 1e-8)`` over the ``(H-1, W-1)`` pixels
    (and each channel); ``image`` (H, W) or (H, W, C). A scalar tensor, 0 for a constant."""
    if image.dim() not in (2, 3):
        raise ValueError(f"total_variation takes an (H, W) or (H, W, C) image, got shape "
                         f"{tuple(image.shape)}.")
    dx = image[:-1, 1:] - image[:-1, :-1]
    dy = image[1:, :-1] - image[:-1, :-1]
    return torch.sqrt(dx ** 2 + dy ** 2 + TV_EPS).mean()


class PixelGrid(nn.Module):
    """One learnable value per pixel (and channel): ``forward()`` returns the grid."""

    def __init__(self, shape, init: torch.Tensor | None = None):
        super().__init__()
        shape = tuple(int(s) for s in shape)
        if init is None:
            values = torch.zeros(shape)
        else:
            values = torch.as_tensor(init, dtype=torch.float32).detach().clone()
            if tuple(values.shape) != shape:
                raise ValueError(f"init has shape {tuple(values.shape)} but the grid is "
                                 f"{shape}; pass an init of the grid's shape or None.")
        self.values = nn.Parameter(values)

    def forward(self) -> torch.Tensor:
        return self.values


def fit_grid(loss_fn, shape, steps: int, lr: float, tv_weight: float = 0.0,
             init: torch.Tensor | None = None, evaluate=None, score: str | None = None,
             eval_every: int | None = None) -> tuple[torch.Tensor, Run]:
    """Minimise ``loss_fn(grid) + tv_weight · total_variation(grid)`` over a grid of ``shape``
    ((H, W) or (H, W, C)) with Adam for ``steps`` steps at learning rate ``lr``.

    loss_fn(grid) -> scalar tensor (the data term). init: a tensor of ``shape`` to start
    from (the grid lives on its device), or None for zeros (on the CPU). evaluate(grid) ->
    dict of floats, called with the current grid (no gradients) ~10 times; with ``score`` (a key of it, higher is better) the grid of the
    best evaluation is kept, as :func:`helpers.task_models.fit_task` keeps the best network.
    Returns ``(grid, run)``: the fitted grid (detached) and :class:`helpers.loop.Run`.
    """
    grid = PixelGrid(shape, init)

    def loss(step):
        values = grid()
        data = loss_fn(values)
        return data + tv_weight * total_variation(values) if tv_weight else data

    check = None if evaluate is None else (lambda step: evaluate(grid().detach()))
    run = optimize(grid, loss, steps, lr, evaluate=check,
                   eval_every=eval_every or max(1, steps // 10), score=score, progress=False,
                   description="grid")
    return grid().detach().clone(), run
