"""Input encodings: coordinates -> features the MLP can use (03 and 04 teach them).

All of them compute ``sin``/``cos`` of ``pi * x @ M`` for some frequency matrix M, with
x in the series' [-1, 1] convention. The papers write ``2 pi M v`` with v in [0, 1);
since ``v = (x + 1) / 2``, that is ``pi M x`` plus a constant phase per feature, which
changes nothing the network can learn. So a frequency f here means what it means in
the papers: f periods across the image (NeRF's ``2^k pi p`` uses [-1, 1] as we do).

Their phases reach hundreds of radians, so they are computed in float32 even inside a
bfloat16 autocast region (:func:`helpers.precision.in_float32` says why).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .precision import in_float32


class Identity(nn.Module):
    """No mapping: ``(N, d) -> (N, d)``, the raw coordinates (02_plain_mlp)."""

    def __init__(self, in_dim: int = 2):
        super().__init__()
        self.in_dim = in_dim
        self.out_dim = in_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class BasicEncoding(nn.Module):
    """Tancik et al.'s "basic" mapping: ``(N, d) -> (N, 2d)``, ``[cos(pi x), sin(pi x)]``."""

    def __init__(self, in_dim: int = 2):
        super().__init__()
        self.in_dim = in_dim
        self.out_dim = 2 * in_dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with in_float32(x):
            z = math.pi * x.float()
            return torch.cat([torch.cos(z), torch.sin(z)], dim=-1)


def frequency_matrix(n_freqs: int, in_dim: int = 2) -> torch.Tensor:
    """NeRF's frequencies as one matrix: ``(d, d*L)``, blocks ``2^k * I`` for k = 0..L-1."""
    eye = torch.eye(in_dim)
    return torch.cat([2.0 ** k * eye for k in range(n_freqs)], dim=1)


def max_useful_n_freqs(size: int) -> int:
    """The largest L whose top frequency 2^(L-1) stays below the train grid's Nyquist limit.

    The train pixels of a ``size``-pixel image are ``size / 2`` samples across, so they
    can only tell apart frequencies below ``size / 4`` periods; anything at or above
    aliases and memorises the train pixels (03_positional_encoding shows it). L = 7 at
    512 px (top frequency 64, as in Tancik et al.), 5 at 128 px.
    """
    return max(1, math.ceil(math.log2(max(size, 8) / 4)))


class PositionalEncoding(nn.Module):
    """NeRF positional encoding (explained in 03_positional_encoding).

    ``(N, d) -> (N, 2 d L [+ d])``: ``[sin(pi x P), cos(pi x P)]`` with P from
    :func:`frequency_matrix`, i.e. sin/cos(2^k pi x) for k = 0..L-1, optionally with the
    raw input x first. ``freqs`` replaces 2^k by any per-axis frequencies (e.g. Tancik
    et al.'s log-linear ``2^linspace(0, s, m)``).
    """

    def __init__(self, n_freqs: int = 10, in_dim: int = 2, include_input: bool = False,
                 freqs: torch.Tensor | None = None):
        super().__init__()
        if freqs is None:
            n_freqs = checks.whole(n_freqs, "n_freqs (L)")
            matrix = frequency_matrix(n_freqs, in_dim)
        else:
            freqs = torch.as_tensor(freqs, dtype=torch.float32).flatten()
            n_freqs = len(freqs)
            matrix = torch.cat([f * torch.eye(in_dim) for f in freqs], dim=1)
        self.register_buffer("P", matrix)
        self.n_freqs = int(n_freqs)
        self.in_dim = in_dim
        self.include_input = include_input
        self.out_dim = 2 * in_dim * n_freqs + (in_dim if include_input else 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with in_float32(x):
            x = x.float()
            z = math.pi * (x @ self.P)
            parts = [x] if self.include_input else []
            return torch.cat(parts + [torch.sin(z), torch.cos(z)], dim=-1)


class GaussianFourierFeatures(nn.Module):
    """Random Fourier features of Tancik et al. 2020 (explained in 04).

    ``(N, d) -> (N, 2m)``: ``[cos(pi x B^T), sin(pi x B^T)]`` with B of shape (m, d),
    entries from N(0, scale^2), drawn from a generator seeded with ``seed``. With x in
    [-1, 1] this is the paper's ``[cos(2 pi B v), sin(2 pi B v)]`` for v in [0, 1), so
    ``scale`` is the paper's sigma: 1 underfits, 10 is good, 100 overfits on a 512² photo.
    trainable=True makes B a parameter (it is fixed in the paper).
    """

    def __init__(self, scale: float = 10.0, n_features: int = 256, in_dim: int = 2,
                 seed: int = 0, trainable: bool = False):
        super().__init__()
        checks.positive(scale, "scale (sigma)", "try 10 for a 512x512 photo")
        checks.whole(n_features, "n_features")
        generator = torch.Generator().manual_seed(seed)
        B = scale * torch.randn(n_features, in_dim, generator=generator)
        if trainable:
            self.B = nn.Parameter(B)
        else:
            self.register_buffer("B", B)
        self.scale = float(scale)
        self.in_dim = in_dim
        self.out_dim = 2 * n_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        with in_float32(x):
            z = math.pi * (x.float() @ self.B.T)
            return torch.cat([torch.cos(z), torch.sin(z)], dim=-1)
