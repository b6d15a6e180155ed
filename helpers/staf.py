"""STAF: sinusoidal trainable activation functions, a learned Fourier series per layer.

Morsali, Vaez, Soltani, Kazerouni, Taati & Mohammad-Noori, "STAF: Sinusoidal Trainable
Activation Functions for Implicit Neural Representation", arXiv 2502.00869. Each layer's
activation is a sum of tau sines whose amplitudes, frequencies and phases are trained:

    rho(z) = sum_{i=1..tau} C_i sin(Omega_i z + Phi_i),   z = W x + b,

one set (C, Omega, Phi) per layer, shared by its units (3 tau extra parameters a layer),
so the network chooses its own frequencies instead of SIREN's fixed omega0.

Initialisation (the paper's code): Omega_i = omega0 * U(0, 1), Phi_i ~ U(-pi, pi),
C_i = sign(l_i) sqrt(|l_i|) with l_i ~ Laplace(0, 1 / (2 tau)); linear layers keep
PyTorch's default. n_layers - 1 STAF layers then a linear output layer, no skip
connections, tau = 5 (the paper's). The paper's omega0 = 30 and lr 1e-4 memorise the
photo's train pixels (61 dB at 64 px) and score 6 dB between them, so the defaults are
omega0 = 10 and lr 1e-3, the best on the validation pixels of those tried
(64 px / 100 steps, lr 1e-3: omega0 3 / 5 / 10 -> 12.8 / 15.2 / 22.4 dB; lr 1e-4: omega0
10 / 15 / 20 -> 21.2 / 8.7 / 6.2 dB; 128 px / 150 steps: 22.4 dB, lr 1e-4 20.3 dB).
Taught in 07_showdown.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .models import Float32Linear


def staf_activation(z: torch.Tensor, amplitudes: torch.Tensor, frequencies: torch.Tensor,
                    phases: torch.Tensor) -> torch.Tensor:
    """``sum_i C_i sin(Omega_i z + Phi_i)``: z any shape, the three parameters ``(tau,)``."""
    # the tau terms along a new first axis: twice as fast on a CPU as along the last one
    shape = (-1,) + (1,) * z.dim()
    terms = amplitudes.view(shape) * torch.sin(frequencies.view(shape) * z + phases.view(shape))
    return terms.sum(0)


class StafLayer(nn.Module):
    """``(N, in_dim) -> (N, out_dim)``: ``staf_activation(W x + b)``, tau trained sines."""

    def __init__(self, in_dim: int, out_dim: int, tau: int = 5, omega0: float = 30.0,
                 is_first: bool = False):
        super().__init__()
        tau = checks.whole(tau, "tau (the number of sines)")
        omega0 = checks.positive(omega0, "STAF's omega0", "the paper uses 30")
        # the first layer's output is a phase: float32 under bfloat16 autocast
        self.linear = (Float32Linear if is_first else nn.Linear)(in_dim, out_dim)
        self.frequencies = nn.Parameter(omega0 * torch.rand(tau))
        self.phases = nn.Parameter(math.pi * (2 * torch.rand(tau) - 1))
        laplace = torch.distributions.Laplace(0.0, 1 / (2 * tau)).sample((tau,))
        self.amplitudes = nn.Parameter(laplace.sign() * laplace.abs().sqrt())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return staf_activation(self.linear(x), self.amplitudes, self.frequencies, self.phases)

    def extra_repr(self) -> str:
        return f"tau={self.frequencies.numel()}"


class Staf(nn.Sequential):
    """STAF network: ``(N, in_dim) -> (N, out_dim)``, ``n_layers - 1`` STAF layers, linear out."""

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 tau: int = 5, omega0: float = 30.0):
        checks.n_layers(n_layers, 2, "STAF", " (a STAF layer and the output)")
        layers: list[nn.Module] = [StafLayer(in_dim, hidden, tau, omega0, is_first=True)]
        for _ in range(n_layers - 2):
            layers.append(StafLayer(hidden, hidden, tau, omega0))
        layers.append(nn.Linear(hidden, out_dim))
        super().__init__(*layers)
