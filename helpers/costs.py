"""What a fitted method costs to keep and to use: parameters, bytes, rendering time (07).

07_showdown's leaderboards report every method's cost the same way:

- ``deployed(model)``: the network that renders after training. Most methods render
  with the network they trained; FR-INR (:mod:`helpers.fr_inr`) merges its
  re-parameterised weights ``W = Λ B`` into plain ones first, so its parameters at
  inference are those of a plain SIREN.
- ``inference_params(model)``: every trainable number of the deployed model (hash tables,
  Gaussians and activation parameters included; WIRE stores a complex weight as two reals).
- ``stored_bytes(model)``: what ``torch.save(model.state_dict())`` holds, fixed buffers
  included (Gaussian features' matrix B, the hash grid's offsets), at their dtypes.
- ``render_ms_per_megapixel(model)``: milliseconds to render one million pixels, timed on
  a ``size`` x ``size`` grid (no gradients) and scaled, the best of ``repeats`` runs.
"""
from __future__ import annotations

import time

import torch
from torch import nn

from .grids import make_grid
from .models import CoordinateModel, count_params


def deployed(model: nn.Module) -> nn.Module:
    """The model that renders after training: ``model.deployed()`` (or its network's) if
    it defines one, else the model itself."""
    if hasattr(model, "deployed"):
        return model.deployed()
    if isinstance(model, CoordinateModel) and hasattr(model.net, "deployed"):
        return CoordinateModel(model.encoder, model.net.deployed())
    return model


def inference_params(model: nn.Module) -> int:
    """Trainable numbers of the deployed model (:func:`deployed`)."""
    return count_params(deployed(model))


def stored_bytes(model: nn.Module) -> int:
    """Bytes of the deployed model's ``state_dict``: parameters and buffers, at their dtypes."""
    return sum(t.numel() * t.element_size() for t in deployed(model).state_dict().values())


@torch.no_grad()
def render_ms_per_megapixel(model: nn.Module, size: int = 256, repeats: int = 2,
                            chunk_size: int = 65536) -> float:
    """Milliseconds per 10^6 pixels: the deployed model rendering a ``size``² grid of
    coordinates in chunks of ``chunk_size`` rows, best of ``repeats``, times 10^6 / size²."""
    net = deployed(model).eval()
    device = next(net.parameters()).device
    coords = make_grid(size).reshape(-1, 2).to(device)
    best = float("inf")
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        for i in range(0, len(coords), chunk_size):
            net(coords[i:i + chunk_size])
        if device.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return 1000 * best * 1e6 / len(coords)
