"""Coordinate networks: an encoder followed by an MLP, and SIREN (02, 05, 06 teach them).

The series' default network has 4 linear layers, 256 wide (3 hidden activations), and a
sigmoid output for the ReLU family so colours land in [0, 1].
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .activations import Activation
from .encoders import Identity
from .precision import in_float32


class MLP(nn.Sequential):
    """``(N, in_dim) -> (N, out_dim)``: ``n_layers`` linear layers, activation between them.

    activation: a name from :mod:`helpers.activations` ('relu' uses ``nn.ReLU``), with
    parameters a, b (optionally trainable). output: 'sigmoid' (colours in [0, 1]) or
    'linear'. It is a plain ``nn.Sequential``, so ``print(model)`` shows every layer.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 activation: str = "relu", a: float | None = None, b: float | None = None,
                 trainable_param: bool = False, output: str = "sigmoid"):
        checks.n_layers(n_layers, 1)
        if output not in ("sigmoid", "linear"):
            raise ValueError(f"output must be 'sigmoid' or 'linear', got {output!r}.")
        layers: list[nn.Module] = []
        width = in_dim
        for _ in range(n_layers - 1):
            layers.append(nn.Linear(width, hidden))
            layers.append(nn.ReLU() if activation == "relu" and not trainable_param
                          else Activation(activation, a, b, trainable_param))
            width = hidden
        layers.append(nn.Linear(width, out_dim))
        if output == "sigmoid":
            layers.append(nn.Sigmoid())
        super().__init__(*layers)


class Float32Linear(nn.Linear):
    """An ``nn.Linear`` that computes in float32 even under bfloat16 autocast.

    For first layers whose output is a phase (SIREN's ``omega0 (W x + b)``, tens to
    hundreds of radians): bfloat16 would round it by up to a radian
    (:mod:`helpers.precision`). Same parameters, initialisation and outputs as nn.Linear.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with in_float32(x):
            return super().forward(x.float())


class SineLayer(nn.Module):
    """``sin(omega0 * (W x + b))`` with SIREN's initialisation (explained in 05_siren).

    First layer: W ~ U(-1/n, 1/n); other layers: W ~ U(-sqrt(6/n)/omega0, sqrt(6/n)/omega0),
    n = fan-in. That keeps every pre-activation roughly uniform in [-pi/2, pi/2]·...
    through depth instead of collapsing or exploding. The first layer's product is a
    :class:`Float32Linear`: its phases stay float32 under bfloat16 autocast.
    """

    def __init__(self, in_dim: int, out_dim: int, omega0: float = 30.0, is_first: bool = False,
                 init: bool = True):
        super().__init__()
        checks.positive(omega0, "omega0", "SIREN uses 30")
        self.linear = (Float32Linear if is_first else nn.Linear)(in_dim, out_dim)
        self.omega0 = float(omega0)
        self.is_first = is_first
        if init:
            bound = 1 / in_dim if is_first else math.sqrt(6 / in_dim) / omega0
            with torch.no_grad():
                self.linear.weight.uniform_(-bound, bound)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.omega0 * self.linear(x))

    def extra_repr(self) -> str:
        return f"omega0={self.omega0:g}, is_first={self.is_first}"


class Siren(nn.Sequential):
    """SIREN (Sitzmann et al. 2020): ``(N, in_dim) -> (N, out_dim)``, linear output.

    ``n_layers - 1`` sine layers then a linear layer initialised like a hidden sine
    layer. omega0 acts on the first layer, omega0_hidden on the others; init=False
    keeps PyTorch's default initialisation (to show that it fails).
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 omega0: float = 30.0, omega0_hidden: float = 30.0, init: bool = True):
        layers: list[nn.Module] = [SineLayer(in_dim, hidden, omega0, is_first=True, init=init)]
        for _ in range(n_layers - 2):
            layers.append(SineLayer(hidden, hidden, omega0_hidden, init=init))
        last = nn.Linear(hidden, out_dim)
        if init:
            bound = math.sqrt(6 / hidden) / omega0_hidden
            with torch.no_grad():
                last.weight.uniform_(-bound, bound)
        layers.append(last)
        super().__init__(*layers)


class CoordinateModel(nn.Module):
    """An encoder then a network: ``(N, 2) coords -> (N, 3) colours``.

    ``fit`` computes a fixed encoder's features once instead of every step, so keep the
    two apart: ``model.encoder`` (may be :class:`~helpers.encoders.Identity`) and
    ``model.net``.
    """

    def __init__(self, encoder: nn.Module | None, net: nn.Module):
        super().__init__()
        self.encoder = encoder if encoder is not None else Identity()
        self.net = net

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        return self.net(self.encoder(coords))


def count_params(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
