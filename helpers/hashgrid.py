"""Multiresolution hash encoding, in plain PyTorch (07_showdown compares it).

Müller, Evans, Schied & Keller, "Instant Neural Graphics Primitives with a
Multiresolution Hash Encoding", SIGGRAPH 2022. Instead of a fixed list of frequencies,
a *trainable* table of features on grids of L resolutions, from coarse to fine:

- level l has a grid of N_l x N_l cells, N_l = floor(N_min * b^l) with b chosen so the
  levels run geometrically from N_min to N_max;
- a point's feature at level l is the bilinear interpolation of the F-dimensional
  vectors stored at the 4 corners of its cell;
- a coarse level whose (N_l + 1)^2 corners fit in T entries stores them one to one;
  a finer level *hashes* corner (i, j) to ``(i * 1 XOR j * 2654435761) mod T`` (the
  paper's primes) and lets colliding corners share an entry: gradients from the
  pixels that matter win the collision.

The L*F features go to a tiny MLP. Paper: L = 16, F = 2, T = 2^14..2^24 (2^15..2^19 is
their image range), N_min = 16, two hidden layers of 64 ReLU units, table initialised
U(-1e-4, 1e-4), Adam lr 1e-2 (they also use betas (0.9, 0.99), eps 1e-15; the series'
fit keeps Adam's defaults). Our choices for a ``size``-pixel image:
N_max = size / 2, the train grid's resolution: a finer level would have cells that no
train pixel touches, whose entries stay at their random init on held-out pixels; and
T = 2^clip(ceil(log2(train pixels)), 15, 19), about one entry per train pixel per level
(see :func:`default_log2_table_size`).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks

PRIMES = (1, 2654435761, 805459861)  # the paper's, one per dimension (pi_1 = 1)


def default_log2_table_size(image_size: int) -> int:
    """log2 T for a ``image_size``-pixel square: ceil(log2(train pixels)) clipped to 15..19."""
    train_pixels = max(1, (image_size // 2) ** 2)
    return int(min(19, max(15, math.ceil(math.log2(train_pixels)))))


def level_resolutions(n_levels: int = 16, min_res: int = 16, max_res: int = 256) -> list[int]:
    """``N_l = floor(N_min * b^l)``, b = (N_max / N_min)^(1 / (L - 1)), l = 0..L-1."""
    if n_levels == 1:
        return [int(min_res)]
    growth = math.exp((math.log(max_res) - math.log(min_res)) / (n_levels - 1))
    # the tiny epsilon keeps floor(16 * b^15) = 256 despite round-off
    return [int(math.floor(min_res * growth ** level + 1e-6)) for level in range(n_levels)]


def spatial_hash(corners: torch.Tensor, log2_table_size: int) -> torch.Tensor:
    """``(..., d)`` integer corners -> ``(...)`` indices in [0, 2^log2_table_size).

    XOR of each coordinate times its prime, modulo T. In int64 the products do not
    overflow and, T being a power of two, ``& (T - 1)`` gives what the paper's uint32
    arithmetic gives (its overflow is also a modulo of a power of two).
    """
    corners = corners.long()
    index = corners[..., 0] * PRIMES[0]
    for dim in range(1, corners.shape[-1]):
        index = index ^ (corners[..., dim] * PRIMES[dim])
    return index & ((1 << log2_table_size) - 1)


def _whole(label: str, value, low: int, high: int, why: str = "") -> int:
    """``value`` as an int if it is an integer in [low, high], else a one-sentence ValueError.

    The same rule as the encoders' n_freqs and n_features: ints and NumPy ints, not bools
    or floats.
    """
    return checks.whole(value, f"the hash grid's {label}", low, high, why)


class HashGridEncoding(nn.Module):
    """``(N, 2)`` coords in [-1, 1] -> ``(N, n_levels * n_features)`` trainable features.

    One parameter ``table`` of shape ``(sum of level sizes, n_features)`` holds every
    level; ``offsets[l]`` is where level l starts. Because the table is a parameter,
    :func:`~helpers.train.fit` runs the encoder in every step instead of precomputing it.
    """

    def __init__(self, n_levels: int = 16, n_features: int = 2, log2_table_size: int = 15,
                 min_res: int = 16, max_res: int = 256, init_scale: float = 1e-4,
                 in_dim: int = 2):
        super().__init__()
        log2_table_size = _whole("log2_table_size", log2_table_size, 1, 30,
                                 " (the table has 2^log2_table_size entries)")
        n_levels = _whole("n_levels", n_levels, 1, 64)
        n_features = _whole("n_features", n_features, 1, 64)
        in_dim = _whole("in_dim", in_dim, 1, len(PRIMES), " (one prime per dimension)")
        if min_res < 1 or max_res < min_res:
            raise ValueError(f"need 1 <= min_res <= max_res, got {min_res} and {max_res}.")
        self.in_dim = in_dim
        self.n_levels, self.n_features = n_levels, n_features
        self.log2_table_size = log2_table_size
        table_size = 1 << log2_table_size
        resolutions = level_resolutions(n_levels, min_res, max_res)
        dense = [(res + 1) ** in_dim <= table_size for res in resolutions]
        sizes = [(res + 1) ** in_dim if fits else table_size for res, fits in zip(resolutions, dense)]
        offsets = [0] + list(torch.tensor(sizes).cumsum(0)[:-1].tolist())
        self.register_buffer("resolutions", torch.tensor(resolutions, dtype=torch.float32))
        self.register_buffer("dense", torch.tensor(dense))
        self.register_buffer("offsets", torch.tensor(offsets, dtype=torch.long))
        self.table = nn.Parameter(torch.empty(sum(sizes), n_features)
                                  .uniform_(-init_scale, init_scale))
        self.out_dim = n_levels * n_features
        # the 2^d corners of a cell, as (dx, dy[, dz]) offsets: (0, 0), (1, 0), (0, 1), (1, 1)
        self.register_buffer("corner_offsets", torch.tensor(
            [[(corner >> axis) & 1 for axis in range(in_dim)] for corner in range(2 ** in_dim)]))

    def indices_and_weights(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``(N, d)`` coords -> table rows ``(N, L, 2^d)`` and (bi/tri)linear weights ``(N, L, 2^d)``.

        Corner k has offset ``(k >> axis) & 1`` along each axis. Each axis contributes two
        values (its cell's low and high side) that broadcast into the 2^d corners, so the
        rows are ``sum_axis c_axis side^axis`` (a dense level) or ``XOR_axis c_axis prime``
        (a hashed one) and the weight is ``prod_axis (frac or 1 - frac)``.
        """
        unit = ((x + 1) / 2).clamp(0, 1)                          # [-1, 1] -> [0, 1]
        res = self.resolutions                                    # (L,)
        pos = unit[:, None, :] * res[None, :, None]               # (N, L, d) in cells
        cell = pos.floor().clamp(max=(res - 1)[None, :, None])    # the last cell keeps x = 1
        frac = pos - cell                                         # (N, L, d) in [0, 1]
        cell, dims, n_levels = cell.long(), self.in_dim, len(res)
        side = (res.long() + 1).reshape([1, n_levels] + [1] * dims)
        two = torch.tensor([0, 1], device=x.device)
        dense = hashed = weight = None
        for axis in range(dims):
            shape = [len(x), n_levels] + [1] * dims
            shape[1 + dims - axis] = 2                            # axis 0 is the corner's bit 0
            corner = (cell[..., axis, None] + two).reshape(shape)
            w = torch.stack([1 - frac[..., axis], frac[..., axis]], dim=-1).reshape(shape)
            dense = corner * side ** axis if dense is None else dense + corner * side ** axis
            hashed = corner * PRIMES[axis] if hashed is None else hashed ^ corner * PRIMES[axis]
            weight = w if weight is None else weight * w
        corners = (len(x), n_levels, 2 ** dims)
        hashed = hashed & ((1 << self.log2_table_size) - 1)
        index = torch.where(self.dense[None, :, None], dense.reshape(corners),
                            hashed.reshape(corners))
        return index + self.offsets[None, :, None], weight.reshape(corners)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        index, weight = self.indices_and_weights(x)
        # indexing, not nn.functional.embedding: its backward is 4x faster on a CPU
        corner_features = self.table[index]                             # (N, L, 4, F)
        features = (weight[..., None] * corner_features).sum(2)         # (N, L, F)
        return features.reshape(len(x), self.out_dim)

    def extra_repr(self) -> str:
        res = self.resolutions.long().tolist()
        return (f"levels={self.n_levels} ({res[0]}..{res[-1]} cells), features={self.n_features}, "
                f"T=2^{self.log2_table_size}, hashed levels={int((~self.dense).sum())}")
