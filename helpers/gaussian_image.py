"""An image as N anisotropic 2-D Gaussians summed per pixel (taught in 07_showdown).

Zhang, Ge, Xu, He, Wang, Qin, Lu, Geng & Zhang, "GaussianImage: 1000 FPS Image
Representation and Compression by 2D Gaussian Splatting", ECCV 2024, arXiv 2403.08551.
No network: the image *is* the list of Gaussians. Gaussian k has a position mu_k, a
lower-triangular Cholesky factor L_k = [[l11, 0], [l21, l22]] of its covariance
Sigma_k = L_k L_k^T, and a colour c_k with its opacity folded in: 2 + 3 + 3 = 8 numbers.
A pixel's colour is their *accumulated sum*, no depth sorting and no alpha blending:

    C(x) = sum_k c_k exp(-1/2 (x - mu_k)^T Sigma_k^{-1} (x - mu_k))
         = sum_k c_k exp(-1/2 |L_k^{-1} (x - mu_k)|^2)

The sum is truncated where a Gaussian has faded: pair (k, x) counts when
``|L_k^{-1} (x - mu_k)| <= cutoff``, 3 standard deviations (weight exp(-4.5) = 0.011; the
paper's renderer gives each Gaussian a radius of 3 standard deviations too). As in its
tile-based renderer, the query points and each Gaussian's bounding box are binned into
tiles and only the (Gaussian, point) pairs that share a tile are evaluated and added up
(``scatter_add``), a chunk of pairs at a time; :class:`SplatSum` writes the gradient out.
While training, the pairs are found out to 1.25 cutoffs and reused until a Gaussian moves
or grows out of them. :func:`render_dense` is the plain ``(N, K)`` sum, the reference the
tests compare with.

Initialisation, as the paper's but rescaled for short fits: positions uniform over the
image (the paper: tanh of atanh of a uniform, i.e. uniform), an isotropic Cholesky factor
of ``scale`` train-pixel spacings (the paper: about 1 pixel plus U(0, 1)), colours
U(0, 1) divided by the expected number of Gaussians covering a point (the paper: U(0, 1),
opacity 1, where about one Gaussian covers a pixel), so the first image is mid-grey.
Positions and Cholesky factors are stored in train-pixel spacings (``unit`` = 4 / image
size), so one Adam lr moves every number by a similar fraction of a pixel.
``scale`` plays the part of a bandwidth: small Gaussians leave gaps between the train
pixels, large ones blur.

Shapes: ``(N, 2)`` coords (x, y), any values (the series' pixels lie in (-1, 1)) ->
``(N, 3)`` colours. Defaults (:func:`build_gaussians`): 16,640 Gaussians, 133,120 numbers,
as many as the series' SIREN, 4 layers 256 wide (133,123); scale 1 train-pixel spacing;
cutoff 3; Adam lr 1e-2. Scale and lr were chosen on the validation pixels of the photo at
128 px, 150 steps (val PSNR 25.8 dB at scale 1, lr 1e-2; 23.4 at scale 0.5; lr 5e-2
overfits: 20.9). The paper trains 50,000 steps with the Adan optimiser at lr 1e-3.

Why in a series on coordinate networks: it is the bridge to what came after NeRF.
Instead of a network queried at each coordinate, explicit primitives rendered by
summation; 3-D Gaussian splatting (Kerbl et al. 2023) does the same with 3-D Gaussians
projected to the screen and alpha-blended, and replaced NeRF's MLP for real-time scenes.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks

DEFAULT_N_GAUSSIANS = 16_640  # 8 numbers each: 133,120, a 256-wide 4-layer SIREN's 133,123
DEFAULT_SCALE = 1.0
DEFAULT_CUTOFF = 3.0
REACH = 1.25  # training finds pairs out to 1.25 cutoffs and reuses them while they cover
CHUNK = 2 ** 16  # pairs per step of the loops: their temporaries stay in the CPU's cache


class GaussianImage(nn.Module):
    """``(N, 2)`` coords -> ``(N, 3)`` colours, a sum of ``n_gaussians`` 2-D Gaussians.

    Parameters, positions and Cholesky factors in train-pixel spacings ``unit``:
    ``means`` (K, 2), ``cholesky`` (K, 3) = (l11, l21, l22), ``colors`` (K, 3).
    """

    def __init__(self, n_gaussians: int = DEFAULT_N_GAUSSIANS, scale: float = DEFAULT_SCALE,
                 image_size: int = 512, cutoff: float = DEFAULT_CUTOFF):
        super().__init__()
        n_gaussians = checks.whole(n_gaussians, "n_gaussians")
        scale = checks.positive(scale, "the Gaussians' scale (in train-pixel spacings)",
                                f"try {DEFAULT_SCALE}")
        self.cutoff = checks.positive(cutoff, "cutoff", f"try {DEFAULT_CUTOFF}")
        self.unit = 4.0 / checks.whole(image_size, "image_size", 2)
        half = 1.0 / self.unit  # the image spans (-1, 1): 1 / unit spacings each side
        self.means = nn.Parameter((torch.rand(n_gaussians, 2) * 2 - 1) * half)
        self.cholesky = nn.Parameter(torch.tensor([scale, 0.0, scale]).repeat(n_gaussians, 1))
        # the expected weight sum at a point: density (K / 4 per unit area) * 2 pi sigma^2
        coverage = max(1.0, n_gaussians / 4 * 2 * math.pi * (scale * self.unit) ** 2)
        self.colors = nn.Parameter(torch.rand(n_gaussians, 3) / coverage)
        self._pairs = None  # training's (coords, version, packed, gauss, point), see pairs()

    def factors(self) -> tuple[torch.Tensor, ...]:
        """means (K, 2) and l11, l21, l22 (K,) in coordinate units (diagonal kept off 0)."""
        l11, l21, l22 = (self.cholesky * self.unit).unbind(1)
        tiny = 1e-6 * self.unit
        l11, l22 = (torch.where(v.abs() < tiny, tiny, v) for v in (l11, l22))
        return self.means * self.unit, l11, l21, l22

    def packed(self) -> torch.Tensor:
        """``(K, 8)``: mu_x, mu_y, then a, b, c of ``L^{-1} = [[a, 0], [-b, c]]``, then r, g, b."""
        means, l11, l21, l22 = self.factors()
        a, c = 1 / l11, 1 / l22
        return torch.cat([means, torch.stack([a, l21 * a * c, c], 1), self.colors], 1)

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        packed = self.packed()
        if torch.is_grad_enabled() and packed.requires_grad:
            gauss, point = self.pairs(coords, packed.detach())
            return SplatSum.apply(coords, packed, gauss, point, self.cutoff)
        points, columns = coords.T.contiguous(), packed.T.contiguous()
        out = coords.new_zeros(3, len(coords))
        for gauss, point in find_pairs(coords, packed, self.cutoff):  # memory: one chunk
            splat_into(out, points, columns, gauss, point, self.cutoff)
        return out.T

    def pairs(self, coords: torch.Tensor, packed: torch.Tensor):
        """(gauss, point) out to REACH cutoffs, found again only when a Gaussian outgrows them.

        Gaussian k found with L0, mu0 still covers its cutoff ellipse now if
        ``cutoff ||L0^{-1} L|| + |L0^{-1} (mu - mu0)| <= REACH cutoff`` (a point
        mu + L u, |u| <= cutoff, then lies within REACH cutoff of the old one).
        """
        cached = self._pairs
        if (cached is None or cached[0] is not coords or cached[1] != coords._version
                or cached[2].shape != packed.shape
                or not covers(cached[2], packed, self.cutoff, REACH * self.cutoff)):
            found = list(find_pairs(coords, packed, REACH * self.cutoff))
            gauss, point = (torch.cat(part) for part in zip(*found)) if found else \
                (torch.empty(0, dtype=torch.long),) * 2
            self._pairs = cached = (coords, coords._version, packed.clone(), gauss, point)
        return cached[3], cached[4]

    def extra_repr(self) -> str:
        return f"{len(self.means)} Gaussians, unit={self.unit:g}, cutoff={self.cutoff:g}"


def covers(old: torch.Tensor, new: torch.Tensor, cutoff: float, reach: float) -> bool:
    """Does every Gaussian's ``cutoff`` ellipse in ``new`` lie in its ``reach`` one in ``old``?"""
    a0, b0, c0 = old[:, 2:5].unbind(1)
    a, b, c = new[:, 2:5].unbind(1)
    # M = L0^{-1} L = [[p, 0], [q, r]]; its largest singular value from trace and determinant
    p, q, r = a0 / a, (c0 * b / c - b0) / a, c0 / c
    t, det = p * p + q * q + r * r, p * r
    norm = torch.sqrt(0.5 * (t + torch.sqrt((t * t - 4 * det * det).clamp(min=0))))
    dx, dy = (new[:, :2] - old[:, :2]).unbind(1)
    shift = torch.sqrt((a0 * dx) ** 2 + (c0 * dy - b0 * dx) ** 2)
    return bool((cutoff * norm + shift <= reach).all())


def gaussian_weight(points, packed, gauss, point, cutoff):
    """Each pair's weight ``exp(-|z|^2 / 2)``, 0 beyond ``cutoff``, z = L^{-1}(x - mu) (P,).

    points ``(2, N)`` and packed ``(8, K)`` as columns (gathers of 1-D columns are several
    times faster on a CPU than of rows); also returns a, b, c, dx, dy, z1, z2 per pair.
    """
    mx, my, a, b, c = (packed[i].index_select(0, gauss) for i in range(5))
    dx = points[0].index_select(0, point) - mx
    dy = points[1].index_select(0, point) - my
    z1 = a * dx
    z2 = c * dy - b * dx
    q = z1 * z1 + z2 * z2
    weight = torch.exp(-0.5 * q) * (q <= cutoff * cutoff)
    return weight, (a, b, c, dx, dy, z1, z2)


def splat_into(out, points, packed, gauss, point, cutoff) -> None:
    """``out[:, p] += w c_g`` for every pair (out ``(3, N)``), ``CHUNK`` pairs at a time."""
    for start in range(0, len(gauss), CHUNK):
        g, p = gauss[start:start + CHUNK], point[start:start + CHUNK]
        weight = gaussian_weight(points, packed, g, p, cutoff)[0]
        for channel in range(3):
            out[channel].scatter_add_(0, p, weight * packed[5 + channel].index_select(0, g))


class SplatSum(torch.autograd.Function):
    """The accumulated sum with its gradient written out (autograd's would be several times
    slower: it scatters every intermediate's gradient back row by row).

    With u = -w (G_p . c_g): dL/dz1 = u z1, dL/dz2 = u z2; z1 = a dx, z2 = c dy - b dx
    gives dL/da = u z1 dx, dL/db = -u z2 dx, dL/dc = u z2 dy, dL/dmu = -(dL/ddx, dL/ddy)
    with dL/ddx = u z1 a - u z2 b, dL/ddy = u z2 c; dL/dc_g = w G_p.
    """

    @staticmethod
    def forward(ctx, coords, packed, gauss, point, cutoff):
        points, columns = coords.T.contiguous(), packed.T.contiguous()
        ctx.save_for_backward(points, columns, gauss, point)
        ctx.cutoff = cutoff
        out = coords.new_zeros(3, len(coords))
        splat_into(out, points, columns, gauss, point, cutoff)
        return out.T

    @staticmethod
    def backward(ctx, grad_out):
        points, columns, gauss, point = ctx.saved_tensors
        grad_out = grad_out.T.contiguous()
        grad = torch.zeros_like(columns)
        for start in range(0, len(gauss), CHUNK):
            g, p = gauss[start:start + CHUNK], point[start:start + CHUNK]
            weight, (a, b, c, dx, dy, z1, z2) = gaussian_weight(points, columns, g, p,
                                                                ctx.cutoff)
            grad_p = [grad_out[channel].index_select(0, p) for channel in range(3)]
            dot = sum(grad_p[i] * columns[5 + i].index_select(0, g) for i in range(3))
            u1, u2 = -weight * dot * z1, -weight * dot * z2
            for row, value in enumerate((u2 * b - u1 * a, -u2 * c, u1 * dx, -u2 * dx, u2 * dy,
                                         *(weight * grad_p[i] for i in range(3)))):
                grad[row].scatter_add_(0, g, value)
        return None, grad.T, None, None, None


@torch.no_grad()
def find_pairs(coords, packed, cutoff, chunk=16 * CHUNK):
    """Yield the (Gaussian, point) index pairs with ``|L^{-1}(x - mu)| <= cutoff``, by chunks.

    Tiles: a grid of squares about one point apart; points sorted by tile, so the points of
    a row of tiles are one run. Each Gaussian's box (half-widths ``cutoff sqrt(Sigma_xx)``,
    ``cutoff sqrt(Sigma_yy)``, the ellipse's exact box) spans a few tile rows; each row's
    run of points is a candidate, kept if inside the ellipse.
    """
    if len(coords) == 0 or len(packed) == 0:
        return
    points, columns = coords.T.contiguous(), packed.T.contiguous()
    low, high = coords.min(0).values, coords.max(0).values
    tile = tile_size(high - low, len(coords))
    n_tiles = ((high - low) / tile).floor().long() + 1
    width = int(n_tiles[0])
    cell = ((coords - low) / tile).floor().long().minimum(n_tiles - 1)
    point_tile = cell[:, 1] * width + cell[:, 0]
    order = torch.argsort(point_tile)
    ends = torch.bincount(point_tile, minlength=int(n_tiles.prod())).cumsum(0)
    starts = torch.cat([ends.new_zeros(1), ends[:-1]])
    a, b, c = packed[:, 2:5].unbind(1)
    half = cutoff * torch.stack([1 / a.abs(), torch.sqrt((b / (a * c)) ** 2 + 1 / (c * c))], 1)
    first = ((packed[:, :2] - half - low) / tile).floor()
    last = ((packed[:, :2] + half - low) / tile).floor()
    inside = (last >= 0).all(1) & (first < n_tiles).all(1)
    first, last = first.clamp(min=0).long(), last.minimum(n_tiles - 1).long()
    gauss, row = expand(torch.where(inside, last[:, 1] - first[:, 1] + 1, 0))
    y = (first[gauss, 1] + row) * width
    run_start = starts[y + first[gauss, 0]]
    lengths = ends[y + last[gauss, 0]] - run_start
    bounds = lengths.cumsum(0)
    total = int(bounds[-1]) if len(bounds) else 0
    cuts = torch.searchsorted(bounds, torch.arange(chunk, max(total, chunk), chunk),
                              right=True).tolist()
    for i, j in zip([0, *cuts], [*cuts, len(lengths)]):
        if j <= i:
            continue
        owner, rank = expand(lengths[i:j])
        g, p = gauss[i:j][owner], order[run_start[i:j][owner] + rank]
        keep = gaussian_weight(points, columns, g, p, cutoff)[0] > 0
        yield g[keep], p[keep]


def expand(counts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(M,)`` counts -> for each of their sum: the entry it belongs to and its rank in it."""
    ends = counts.cumsum(0)
    total = int(ends[-1]) if len(ends) else 0
    marks = torch.zeros(total, dtype=torch.long)
    inner = ends[:-1][ends[:-1] < total]
    marks.index_add_(0, inner, torch.ones_like(inner))
    owner = marks.cumsum(0)
    return owner, torch.arange(total) - (ends - counts)[owner]


def tile_size(extent: torch.Tensor, n_points: int) -> float:
    """About the points' spacing, ``sqrt(area / N)``, doubled until there are <= 4N + 16 tiles."""
    tile = max(float(torch.sqrt(extent.prod() / n_points)), 1e-6)
    while float(((extent / tile).floor() + 1).prod()) > 4 * n_points + 16:
        tile *= 2
    return tile


def render_dense(model: GaussianImage, coords: torch.Tensor) -> torch.Tensor:
    """The reference: every Gaussian at every point, no cutoff, ``(N, 2) -> (N, 3)``."""
    means, l11, l21, l22 = model.factors()
    offset = coords[:, None, :] - means[None]                  # (N, K, 2)
    z1 = offset[..., 0] / l11
    z2 = (offset[..., 1] - l21 * z1) / l22
    return torch.exp(-0.5 * (z1 * z1 + z2 * z2)) @ model.colors


def build_gaussians(n_gaussians=None, scale=DEFAULT_SCALE, image_size=512, params=None, seed=0,
                    **_):
    """A :class:`GaussianImage` of ``n_gaussians`` (or ``params // 8``, else 16,640)."""
    if n_gaussians is None:
        n_gaussians = DEFAULT_N_GAUSSIANS if params is None else params // 8
    if isinstance(n_gaussians, bool) or not isinstance(n_gaussians, int) or n_gaussians < 1:
        raise ValueError(f"n_gaussians must be a whole number >= 1, got {n_gaussians!r}; "
                         f"try {DEFAULT_N_GAUSSIANS}.")
    return GaussianImage(n_gaussians, scale, image_size)
