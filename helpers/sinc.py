"""Sinc activations: the band-limited interpolation kernel as a network's activation.

Saratchandran, Ramasinghe, Shevchenko, Long & Lucey, "A sampling theory perspective on
activations for implicit neural representations", ICML 2024, arXiv 2402.05427. Read as
sampling theory, a layer builds the signal from shifted copies of its activation; the
paper shows that sinc, whose shifts interpolate band-limited signals exactly
(Shannon), is the optimal such generator. Each unit computes

    sinc(omega0 * z) = sin(omega0 z) / (omega0 z),   sinc(0) = 1,   z = W x + b,

the unnormalised sinc (no pi), with omega0 setting its bandwidth as SIREN's omega0 does.
``torch.sinc`` is the normalised sin(pi u)/(pi u), so we call it with u = omega0 z / pi:
the same function, exact at z = 0 with a finite gradient there (0).

The network is SIREN's (05_siren) with sinc in place of sin: SIREN's initialisation,
n_layers - 1 sinc layers and a linear output layer. The paper's text we could check
(abstract, PMLR page) does not give an image initialisation or omega0, so both are
choices: SIREN's init, omega0 = 30 and Adam lr 1e-3, the best on the photo's validation
pixels of those tried (omega0 15 / 20 / 30 at lr 1e-3: 20.5 / 21.5 / 21.1 dB at 64 px,
100 steps, - / 22.1 / 23.0 dB at 128 px, 150 steps; at lr 1e-4 it barely trains, 16.2 dB;
at 3e-3, 20.3 dB). Taught in 07_showdown.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .models import SineLayer


def sinc_activation(z: torch.Tensor, omega0: float = 30.0) -> torch.Tensor:
    """``sin(omega0 z) / (omega0 z)``, 1 at z = 0; any shape."""
    return torch.sinc(z * (omega0 / math.pi))


class SincLayer(SineLayer):
    """``(N, in_dim) -> (N, out_dim)``: ``sinc_activation(W x + b, omega0)``, SIREN's init."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return sinc_activation(self.linear(x), self.omega0)


class SincNet(nn.Sequential):
    """``(N, in_dim) -> (N, out_dim)``: ``n_layers - 1`` sinc layers, a linear output layer.

    omega0 acts on every layer, as in the series' SIREN; the output layer is initialised
    like a hidden SIREN layer.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 omega0: float = 30.0):
        checks.positive(omega0, "sinc's omega0", "try 30")
        checks.n_layers(n_layers, 2, "the sinc network", " (a sinc layer and the output)")
        layers: list[nn.Module] = [SincLayer(in_dim, hidden, omega0, is_first=True)]
        for _ in range(n_layers - 2):
            layers.append(SincLayer(hidden, hidden, omega0))
        last = nn.Linear(hidden, out_dim)
        bound = math.sqrt(6 / hidden) / omega0
        with torch.no_grad():
            last.weight.uniform_(-bound, bound)
        layers.append(last)
        super().__init__(*layers)
