"""Task models: the series' networks with any number of linear outputs, and fitting them.

Used by 08_inverse_problems and 09_samples_and_storage, where a network is fitted
through an operator (projections, gradients) or to some samples, so it needs
any number of output channels (1 for a CT slice) and a plain linear output (a gradient or
a density is not a colour in [0, 1]). :func:`task_model` builds them that way (SIREN's
hidden layers keep ω0 = 30 as in Sitzmann et al. and :func:`helpers.make_model`; only the
first layer's ω0 follows the bandwidth rule); :func:`fit_task` is
:func:`helpers.loop.optimize` with a held-out score, quiet, and timed. The same loss on a
plain pixel grid, with no network, is :func:`helpers.pixel_grid.fit_grid`.
"""
from __future__ import annotations

import time

import torch
from torch import nn

from .encoders import GaussianFourierFeatures, Identity, PositionalEncoding
from .hashgrid import HashGridEncoding
from .loop import Run, optimize
from .models import MLP, CoordinateModel, Siren

TASK_MODELS = ("gauss", "siren", "pe", "hashgrid")


def task_model(name: str, out_dim: int = 1, hidden: int = 256, n_layers: int = 4, seed: int = 0,
               scale: float = 10.0, n_features: int = 256, omega0: float = 30.0,
               n_freqs: int = 6, log2_table_size: int = 14, max_res: int = 128,
               omega0_hidden: float = 30.0) -> nn.Module:
    """``(N, 2) -> (N, out_dim)`` with a linear output: 'gauss' (ReLU on Gaussian Fourier
    features, σ = scale), 'siren' (first layer ω0 = omega0, hidden layers omega0_hidden),
    'pe' (ReLU on NeRF's encoding, L = n_freqs) or
    'hashgrid' (16 levels up to ``max_res`` cells, a 64-wide ReLU MLP). Seeded by ``seed``."""
    torch.manual_seed(seed)
    if name == "gauss":
        encoder = GaussianFourierFeatures(scale, n_features, seed=seed)
        return CoordinateModel(encoder, MLP(encoder.out_dim, out_dim, hidden, n_layers,
                                            output="linear"))
    if name == "siren":
        return CoordinateModel(Identity(), Siren(2, out_dim, hidden, n_layers, omega0, omega0_hidden))
    if name == "pe":
        encoder = PositionalEncoding(n_freqs)
        return CoordinateModel(encoder, MLP(encoder.out_dim, out_dim, hidden, n_layers,
                                            output="linear"))
    if name == "hashgrid":
        encoder = HashGridEncoding(16, 2, log2_table_size, min_res=min(16, max_res),
                                   max_res=max_res)
        return CoordinateModel(encoder, MLP(encoder.out_dim, out_dim, 64, 3, output="linear"))
    raise ValueError(f"unknown task model {name!r}; choose one of {', '.join(TASK_MODELS)}.")


def fit_task(model: nn.Module, loss_fn, steps: int, lr: float, evaluate=None,
             score: str | None = None, eval_every: int | None = None, **options) -> Run:
    """:func:`~helpers.loop.optimize` without a progress bar, evaluating ~10 times.

    ``evaluate(step) -> {"val_psnr": ...}`` and ``score="val_psnr"`` keep the best model
    on held-out (validation) data: early stopping, as 08's denoising needs.
    """
    every = eval_every or max(1, steps // 10)
    start = time.perf_counter()
    run = optimize(model, loss_fn, steps, lr, evaluate=evaluate, eval_every=every, score=score,
                   progress=False, **options)
    run.seconds = time.perf_counter() - start
    return run
