"""Gabor multiplicative filter network (07_showdown compares it with the MLPs).

Fathony, Sahu, Willmott & Kolter, "Multiplicative Filter Networks", ICLR 2021.
No activation function at all: the coordinates x go into every layer through a
Gabor *filter*

    g_i(x) = sin(W_i x + b_i) * exp(-gamma_i / 2 * ||x - mu_i||^2)

and layers are *multiplied*, not composed:

    z_1 = g_1(x),   z_{i+1} = g_{i+1}(x) * (A_i z_i + c_i),   output = A_out z_n + c_out.

A product of sines is a sum of sines at summed frequencies, so the network is a linear
combination of Gabor wavelets whose frequencies grow with depth. Official initialisation
(boschresearch/multiplicative-filter-networks): mu ~ U(-1, 1)^d, gamma ~ Gamma(alpha/n, beta)
with alpha = 6, beta = 1, W_i = PyTorch default * (input_scale / sqrt(n)) * sqrt(gamma_i),
b_i ~ U(-pi, pi), the A_i ~ U(-sqrt(1/h), sqrt(1/h)); n = number of filters, h = width.
They used input_scale = 256 on a 256² image with coordinates in [-1, 1]; held-out pixels
here sit on a grid of ``size / 2`` samples, so :func:`default_input_scale` keeps the
ratio: input_scale = size / 2 (256 at 512 px, 64 at 128 px), which keeps the filters'
frequencies below what the train pixels can resolve.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .precision import in_float32


def default_input_scale(image_size: int) -> float:
    """The filters' frequency scale for a ``image_size``-pixel image: ``image_size / 2``."""
    return max(1.0, image_size / 2)


def gabor_filter(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, mu: torch.Tensor,
                 gamma: torch.Tensor) -> torch.Tensor:
    """``(N, d)`` -> ``(N, h)``: ``sin(x W^T + b) * exp(-gamma / 2 * ||x - mu||^2)``.

    weight ``(h, d)``, bias ``(h,)``, mu ``(h, d)``, gamma ``(h,)``. The exponent is
    expanded, ``gamma x.mu - gamma/2 |x|^2 - gamma/2 |mu|^2``, into one small matrix
    product of ``[x, |x|^2]``: no ``(N, h, d)`` tensor, and fewer passes over ``(N, h)``.
    """
    x_aug = torch.cat([x, (x * x).sum(-1, keepdim=True)], dim=-1)            # (N, d + 1)
    w_env = torch.cat([gamma[:, None] * mu, -0.5 * gamma[:, None]], dim=1)    # (h, d + 1)
    b_env = -0.5 * gamma * (mu * mu).sum(-1)                                  # (h,)
    envelope = torch.exp(torch.addmm(b_env, x_aug, w_env.T))
    return torch.sin(torch.addmm(bias, x, weight.T)) * envelope


class GaborFilter(nn.Module):
    """One Gabor filter bank ``(N, d) -> (N, h)`` with trainable W, b, mu, gamma."""

    def __init__(self, in_dim: int, out_dim: int, weight_scale: float, alpha: float,
                 beta: float = 1.0):
        super().__init__()
        linear = nn.Linear(in_dim, out_dim)  # PyTorch's default init, then scaled
        self.mu = nn.Parameter(2 * torch.rand(out_dim, in_dim) - 1)
        self.gamma = nn.Parameter(torch.distributions.Gamma(alpha, beta).sample((out_dim,)))
        self.weight = nn.Parameter(linear.weight.detach() * weight_scale
                                   * self.gamma.detach().sqrt()[:, None])
        self.bias = nn.Parameter(torch.empty(out_dim).uniform_(-math.pi, math.pi))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with in_float32(x):  # phases of hundreds of radians: float32 under bfloat16 autocast
            return gabor_filter(x.float(), self.weight, self.bias, self.mu, self.gamma)


class GaborNet(nn.Module):
    """Gabor MFN: ``(N, in_dim) -> (N, out_dim)`` with ``n_layers`` linear layers in all.

    ``n_layers - 1`` hidden linear layers between ``n_layers`` filters, then the output
    layer (the official ``n_layers=3`` network is ``n_layers=4`` here, like the
    series' 4-layer MLPs). Linear output.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 input_scale: float = 256.0, alpha: float = 6.0, beta: float = 1.0):
        super().__init__()
        checks.n_layers(n_layers, 2, "an MFN")
        checks.positive(input_scale, "input_scale", "try half the image size")
        n_filters = n_layers
        self.input_scale = float(input_scale)
        self.filters = nn.ModuleList(
            GaborFilter(in_dim, hidden, input_scale / math.sqrt(n_filters), alpha / n_filters, beta)
            for _ in range(n_filters))
        self.linears = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(n_filters - 1))
        bound = math.sqrt(1 / hidden)
        with torch.no_grad():
            for linear in self.linears:
                linear.weight.uniform_(-bound, bound)
        self.output = nn.Linear(hidden, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.filters[0](x)
        for gabor, linear in zip(self.filters[1:], self.linears):
            z = gabor(x) * linear(z)  # multiply, don't compose: the MFN idea
        return self.output(z)
