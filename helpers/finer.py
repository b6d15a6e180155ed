"""FINER: sine activations whose period shrinks with |z| (07_showdown compares it).

Liu, Zhu, Zhang, Dong, Wang & Ma, "FINER: Flexible spectral-bias tuning in Implicit
NEural Representation by Variable-periodic Activation Functions", CVPR 2024.
A SIREN whose activation is

    sin(omega * (|z| + 1) * z),   z = W x + b,

so the local frequency grows with |z|: units whose pre-activation is large oscillate
faster, which gives the network a wider band of frequencies to pick from. The scale
(|z| + 1) is *detached* (treated as a constant in the backward pass), as in the
official code. Initialisation is SIREN's (05_siren); the first layer's bias may be
drawn from U(-k, k) with a larger k (``first_bias_scale``) to push some units into the
fast region from the start, which the paper discusses; the official image script
leaves it at PyTorch's default, and so do we. Official image setting: omega = 30, five
linear layers, Adam lr 5e-4 on every pixel. The series uses four layers and SIREN's lr
1e-4, so that FINER differs from 05's SIREN in the activation alone; on held-out
pixels of a 128² photo after 150 steps 1e-4 also scores higher (23.6 dB against
22.3 dB for 5e-4, which memorises the train pixels to 67 dB).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .models import SineLayer


def finer_activation(z: torch.Tensor, omega: float = 30.0) -> torch.Tensor:
    """``sin(omega * (|z| + 1) * z)`` with the scale ``|z| + 1`` detached; any shape."""
    scale = z.detach().abs() + 1
    return torch.sin(omega * scale * z)


class FinerLayer(SineLayer):
    """``(N, in_dim) -> (N, out_dim)``: ``finer_activation(W x + b)`` with SIREN's init.

    first_bias_scale: if given, the first layer's bias is drawn from U(-k, k).
    """

    def __init__(self, in_dim: int, out_dim: int, omega0: float = 30.0, is_first: bool = False,
                 first_bias_scale: float | None = None):
        super().__init__(in_dim, out_dim, omega0, is_first=is_first, init=True)
        if first_bias_scale is not None:
            checks.positive(first_bias_scale, "first_bias_scale")
            if is_first:
                with torch.no_grad():
                    self.linear.bias.uniform_(-first_bias_scale, first_bias_scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return finer_activation(self.linear(x), self.omega0)


class Finer(nn.Sequential):
    """FINER: ``(N, in_dim) -> (N, out_dim)``, ``n_layers - 1`` FINER layers, linear output.

    The output layer is initialised like a hidden SIREN layer, as in SIREN and FINER.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 omega0: float = 30.0, omega0_hidden: float = 30.0,
                 first_bias_scale: float | None = None):
        checks.n_layers(n_layers, 2, "FINER")
        layers: list[nn.Module] = [FinerLayer(in_dim, hidden, omega0, is_first=True,
                                              first_bias_scale=first_bias_scale)]
        for _ in range(n_layers - 2):
            layers.append(FinerLayer(hidden, hidden, omega0_hidden))
        last = nn.Linear(hidden, out_dim)
        bound = math.sqrt(6 / hidden) / omega0_hidden
        with torch.no_grad():
            last.weight.uniform_(-bound, bound)
        layers.append(last)
        super().__init__(*layers)
