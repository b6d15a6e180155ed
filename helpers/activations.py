"""Activations chosen by name (06_other_activations teaches the non-periodic ones).

Ramasinghe & Lucey, "Beyond Periodicity" (2022): with parameter ``a`` (and ``b``):
gaussian ``exp(-x^2 / (2 a^2))``, laplacian ``exp(-|x| / a)``, quadratic
``1 / (1 + (a x)^2)``, multiquadratic ``1 / sqrt(1 + (a x)^2)``, supergaussian
``exp(-x^2 / (2 a^2))^b``, expsin ``exp(-sin(a x))``; plus relu and sine ``sin(a x)``.
``a`` sets the bandwidth, as sigma does for Fourier features and omega0 for SIREN.
"""
from __future__ import annotations


import torch
from torch import nn

from . import checks


# exp(-t) for t > 87 underflows float32 into subnormals (or zero), and x86 CPUs handle
# subnormals up to 100x slower; so do the products of tiny activations with gradients in
# the backward pass (torch.set_flush_denormal, which fit sets, covers only the main
# thread). Narrow Gaussians send most pre-activations far into the tail, which made
# gaussian and supergaussian 3-6x slower per step than laplacian on a 2-core CPU. The
# exponent is capped at 40: exp(-40) = 4e-18 is zero for every practical purpose (the
# same PSNRs to the fourth decimal), while its products stay far above the subnormal
# range. The cap's gradient is 0 where exp's was below 1e-17.
EXP_CAP = 40.0


def gaussian(x, a):
    return torch.exp(-((x * x) / (2 * a * a)).clamp(max=EXP_CAP))


def laplacian(x, a):
    return torch.exp(-(x.abs() / a).clamp(max=EXP_CAP))


def quadratic(x, a):
    return 1 / (1 + (a * x) * (a * x))


def multiquadratic(x, a):
    return torch.rsqrt(1 + (a * x) * (a * x))


def supergaussian(x, a, b):
    # [exp(-x^2 / (2 a^2))]^b, computed as one exp (a tensor power is slow)
    return torch.exp(-(b * (x * x) / (2 * a * a)).clamp(max=EXP_CAP))


def expsin(x, a):
    return torch.exp(-torch.sin(a * x))


def sine(x, a):
    return torch.sin(a * x)


FORMULAS = {
    "relu": lambda x, a, b: torch.relu(x),
    "gaussian": lambda x, a, b: gaussian(x, a),
    "laplacian": lambda x, a, b: laplacian(x, a),
    "quadratic": lambda x, a, b: quadratic(x, a),
    "multiquadratic": lambda x, a, b: multiquadratic(x, a),
    "supergaussian": supergaussian,
    "expsin": lambda x, a, b: expsin(x, a),
    "sine": lambda x, a, b: sine(x, a),
}
# Parameters that fit a 4x256 MLP to a photo with PyTorch's default initialisation.
DEFAULT_A = {"relu": None, "gaussian": 0.1, "laplacian": 0.1, "quadratic": 10.0,
             "multiquadratic": 30.0, "supergaussian": 0.1, "expsin": 5.0, "sine": 30.0}
DEFAULT_B = {"supergaussian": 2.0}
NAMES = list(FORMULAS)


class Activation(nn.Module):
    """Elementwise activation by name, ``(...) -> (...)``, with optionally trainable a, b."""

    def __init__(self, name: str = "relu", a: float | None = None, b: float | None = None,
                 trainable: bool = False):
        super().__init__()
        checks.one_of(name, "activation", NAMES)
        self.name = name
        a = DEFAULT_A[name] if a is None else a
        b = DEFAULT_B.get(name) if b is None else b
        for label, value in (("a", a), ("b", b)):
            if value is not None:
                checks.positive(value, f"activation parameter {label}")
        self.trainable = trainable
        for label, value in (("a", a), ("b", b)):
            if value is None:
                setattr(self, label, None)
            elif trainable:
                setattr(self, label, nn.Parameter(torch.tensor(float(value))))
            else:
                self.register_buffer(label, torch.tensor(float(value)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return FORMULAS[self.name](x, self.a, self.b)

    def extra_repr(self) -> str:
        parts = [self.name]
        if self.a is not None:
            parts.append(f"a={float(self.a):g}")
        if self.b is not None:
            parts.append(f"b={float(self.b):g}")
        return ", ".join(parts)
