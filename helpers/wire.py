"""WIRE: complex Gabor wavelet activations (07_showdown compares it with the others).

Saragadam, LeJeune, Tan, Balakrishnan, Veeraraghavan & Baraniuk, "WIRE: Wavelet Implicit
Neural Representations", CVPR 2023. Each hidden unit is a complex Gabor wavelet of its
pre-activation z = W x + b:

    psi(z) = exp(i * omega0 * z - |s0 * z|^2)

a sinusoid of frequency omega0 under a Gaussian window of width 1/s0, so a unit responds
to a band of frequencies *and* a region of the input, as a wavelet does. After the first
layer z is complex (complex weights), and the output is the real part of a complex
linear layer. Hidden width 256/sqrt(2) (a complex number is two real ones, so the
parameter count stays near a 256-wide MLP), PyTorch's default initialisation.

Defaults: omega0 = 8, s0 = 6 and Adam lr 1e-3, the paper's super-resolution setting,
because the series scores pixels the network never saw (the measurements behind that
choice are in benchmarks/README.md, "Tuning notes").

Complex weights are stored as real ``(..., 2)`` parameters, so ``count_params`` counts
real numbers and Adam treats each part alike.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .precision import in_float32


def wire_activation(z: torch.Tensor, omega0: float = 20.0, s0: float = 10.0) -> torch.Tensor:
    """Complex Gabor wavelet ``exp(i omega0 z - |s0 z|^2)``, any shape, real or complex z.

    ``|s0 z|^2`` is written as ``s0^2 (Re z^2 + Im z^2)``: the same value as
    ``(s0 * z).abs().square()``, without the square root whose gradient is undefined at 0.
    """
    if not z.is_complex():
        z = torch.complex(z, torch.zeros_like(z))
    window = (s0 * s0) * (z.real * z.real + z.imag * z.imag)
    return torch.exp(1j * omega0 * z - window)


class ComplexGaborLayer(nn.Module):
    """``(N, in_dim)`` real, or ``(N, 2 in_dim)`` = [real | imaginary] -> ``(N, 2 out_dim)``.

    ``psi(W x + b)`` with complex W, b; first=True: real W, b for the real coordinates,
    as in the official code. Complex numbers are carried as a real tensor
    ``[real parts | imaginary parts]`` and multiplied with real matrices, because
    complex ``exp`` and ``matmul`` are several times slower on a CPU; :func:`wire_activation`
    is the same formula with complex tensors (a test checks they agree).
    Initialisation: PyTorch's default for ``nn.Linear`` (each real and imaginary part
    U(-1/sqrt(n), 1/sqrt(n)), n = fan-in).
    """

    def __init__(self, in_dim: int, out_dim: int, omega0: float = 20.0, s0: float = 10.0,
                 first: bool = False):
        super().__init__()
        for label, value in (("omega0", omega0), ("s0", s0)):
            checks.positive(value, f"WIRE's {label}",
                            "the paper uses omega0 = 20, s0 = 10 for images")
        self.omega0, self.s0, self.first = float(omega0), float(s0), first
        self.in_dim, self.out_dim = in_dim, out_dim
        bound = 1 / math.sqrt(in_dim)
        parts = () if first else (2,)  # (..., 2) = (real, imaginary), as view_as_complex wants
        self.weight = nn.Parameter(torch.empty(out_dim, in_dim, *parts).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_dim, *parts).uniform_(-bound, bound))

    def complex_weight(self) -> tuple[torch.Tensor, torch.Tensor]:
        """W and b as complex tensors (real ones for the first layer)."""
        if self.first:
            return self.weight, self.bias
        return torch.view_as_complex(self.weight), torch.view_as_complex(self.bias)

    def linear(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Real and imaginary parts of the pre-activation ``z = W x + b``, each ``(N, out_dim)``."""
        if self.first:  # its phase omega0 z stays float32 under bfloat16 autocast
            with in_float32(x):
                return x.float() @ self.weight.T + self.bias, None
        w_re, w_im = self.weight[..., 0], self.weight[..., 1]
        x_re, x_im = x[:, :self.in_dim], x[:, self.in_dim:]
        # (x_re + i x_im)(W_re + i W_im)^T as one real matmul of the stacked parts
        stacked = torch.cat([torch.cat([w_re, w_im], 0), torch.cat([-w_im, w_re], 0)], 1)
        z = x @ stacked.T
        return (z[:, :self.out_dim] + self.bias[:, 0], z[:, self.out_dim:] + self.bias[:, 1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = self.linear(x)
        # exp(i w (a + ib) - s^2 (a^2 + b^2)) = exp(-w b - s^2 (a^2 + b^2)) * (cos wa + i sin wa)
        window = self.s0 * self.s0 * a * a
        if b is not None:
            window = window + self.s0 * self.s0 * b * b + self.omega0 * b
        # exp(-40) = 4e-18 is zero for the output; clamping keeps far smaller values out of
        # float32's denormal range, where CPU matrix products run many times slower. The
        # -omega0 * b term can also make the window very negative (large omega0, small s0),
        # and exp(80) would overflow to inf and NaN: exp(40) = 2e17 is the ceiling.
        magnitude = torch.exp(-window.clamp(min=-40.0, max=40.0))
        phase = self.omega0 * a
        return torch.cat([magnitude * torch.cos(phase), magnitude * torch.sin(phase)], dim=-1)

    def extra_repr(self) -> str:
        kind = "real" if self.first else "complex"
        return (f"{self.in_dim} -> {self.out_dim}, {kind} weights, omega0={self.omega0:g}, "
                f"s0={self.s0:g}")


class ComplexLinearReal(nn.Module):
    """The output layer: ``(N, 2 in_dim)`` [real | imaginary] -> ``(N, out_dim)``, ``Re(W x + b)``."""

    def __init__(self, in_dim: int, out_dim: int):
        super().__init__()
        self.in_dim = in_dim
        bound = 1 / math.sqrt(in_dim)
        self.weight = nn.Parameter(torch.empty(out_dim, in_dim, 2).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_dim, 2).uniform_(-bound, bound))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Re((x_re + i x_im)(W_re + i W_im)^T + b) = x_re W_re^T - x_im W_im^T + Re b
        w_re, w_im = self.weight[..., 0], self.weight[..., 1]
        return x @ torch.cat([w_re, -w_im], 1).T + self.bias[:, 0]


class Wire(nn.Sequential):
    """WIRE: ``(N, in_dim) coords -> (N, out_dim)``, ``n_layers`` linear layers in all.

    hidden: the real-MLP width it stands in for; the complex width is
    ``int(hidden / sqrt(2))`` (181 for 256), as in the official code.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 omega0: float = 20.0, s0: float = 10.0):
        checks.n_layers(n_layers, 2, "WIRE", " (a wavelet layer and the output)")
        width = max(1, int(hidden / math.sqrt(2)))
        layers: list[nn.Module] = [ComplexGaborLayer(in_dim, width, omega0, s0, first=True)]
        for _ in range(n_layers - 2):
            layers.append(ComplexGaborLayer(width, width, omega0, s0))
        layers.append(ComplexLinearReal(width, out_dim))
        super().__init__(*layers)
