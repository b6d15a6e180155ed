"""Computed tomography in torch: the Radon transform and filtered back-projection (08_inverse_problems).

A CT scanner measures line integrals of an object f(x, y): for each angle θ, the
projection ``p_θ(t) = ∫ f(t cosθ − s sinθ, t sinθ + s cosθ) ds``, one value per detector
position t. :func:`radon` computes it by rotating the image by θ (bilinear
``grid_sample``) and summing along columns, so it is differentiable: a network's image
can be fitted to measured projections (Tancik et al. 2020, Sec. 6, 2-D CT).
:func:`fbp` is the classical inverse, filtered back-projection (Kak & Slaney 1988,
ch. 3): filter every projection with the ramp |ω|, then smear it back along its lines,
``f ≈ (π / K) Σ_k q_θk(x cosθk + y sinθk)``.

Units: pixels. An image is ``(H, W)`` (or a batch ``(B, H, W)``) on the series'
[-1, 1] grid; the object must lie in the inscribed disc (what rotates out of the
square is lost, as outside a scanner's field of view).
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def projection_angles(n_angles: int) -> torch.Tensor:
    """``n_angles`` equally spaced angles in [0°, 180°) (a parallel-beam scan), in degrees."""
    if isinstance(n_angles, bool) or not isinstance(n_angles, int) or n_angles < 1:
        raise ValueError(f"n_angles must be a whole number >= 1, got {n_angles!r}.")
    return torch.arange(n_angles, dtype=torch.float32) * (180.0 / n_angles)


def _rotation_grid(angles: torch.Tensor, size: int, device) -> torch.Tensor:
    """``(K, size, size, 2)`` sampling points: output pixel (t, s) reads input R_θ (t, s)."""
    theta = torch.deg2rad(angles.to(device=device, dtype=torch.float32))
    cos, sin = torch.cos(theta)[:, None, None], torch.sin(theta)[:, None, None]
    c = (2 * torch.arange(size, device=device, dtype=torch.float32) + 1) / size - 1
    s, t = torch.meshgrid(c, c, indexing="ij")                   # rows s, columns t
    x = t * cos - s * sin
    y = t * sin + s * cos
    return torch.stack([x, y], dim=-1)


def radon(image: torch.Tensor, angles: torch.Tensor, chunk: int = 32) -> torch.Tensor:
    """Parallel-beam projections: ``(H, W)`` -> ``(K, W)`` (or ``(B, H, W)`` -> ``(B, K, W)``).

    angles: ``(K,)`` in degrees (:func:`projection_angles`). Row k is the projection at
    angle k, one value per detector pixel, in pixel units (a disc of radius r pixels
    projects to ``2 sqrt(r² − t²)``). Differentiable in ``image``; ``chunk`` angles are
    rotated at a time to bound memory.
    """
    batched = image.ndim == 3
    images = image if batched else image[None]
    if images.ndim != 3 or images.shape[-1] != images.shape[-2]:
        raise ValueError(f"radon needs a square (H, W) or (B, H, W) image, got shape "
                         f"{tuple(image.shape)}.")
    size = images.shape[-1]
    rows = []
    for start in range(0, len(angles), chunk):
        grid = _rotation_grid(angles[start:start + chunk], size, images.device)
        k = len(grid)
        src = images[:, None].expand(-1, k, -1, -1).reshape(-1, 1, size, size)
        rotated = F.grid_sample(src, grid.repeat(len(images), 1, 1, 1), mode="bilinear",
                                padding_mode="zeros", align_corners=False)
        rows.append(rotated.reshape(len(images), k, size, size).sum(dim=2))
    sinogram = torch.cat(rows, dim=1)
    return sinogram if batched else sinogram[0]


def fine_radon(image: torch.Tensor, angles: torch.Tensor, factor: int) -> torch.Tensor:
    """Projections measured finer than they are reconstructed: ``(f·n, f·n)`` -> ``(K, n)``.

    :func:`radon` at the fine size, then each group of ``factor`` detector bins averaged
    into one and rescaled to pixels of the ``n``-wide image (÷ factor): the data a scanner
    gives of an object more detailed than the reconstruction grid, so a fit at ``n`` px
    through ``radon`` is not fed its own discretisation (08_inverse_problems)."""
    size = image.shape[-1]
    if factor < 1 or size % factor:
        raise ValueError(f"the image's {size} px must be a whole multiple of factor={factor}.")
    fine = radon(image, angles)
    return fine.reshape(*fine.shape[:-1], size // factor, factor).mean(-1) / factor


def ramp_filter(n: int) -> torch.Tensor:
    """The discrete ramp (Ram-Lak) kernel of Kak & Slaney eq. 3.61, ``(2n - 1,)`` taps.

    h[0] = 1/4, h[m] = −1/(π m)² for odd m, 0 for even m: the band-limited |ω| sampled
    in space, which (unlike multiplying the FFT by |ω|) gets the DC level right.
    """
    m = torch.arange(-(n - 1), n, dtype=torch.float64)
    h = torch.zeros_like(m)
    h[m == 0] = 0.25
    odd = (m.abs() % 2) == 1
    h[odd] = -1.0 / (math.pi * m[odd]) ** 2
    return h


def filter_projections(sinogram: torch.Tensor) -> torch.Tensor:
    """``(K, W)`` projections convolved with :func:`ramp_filter` (zero-padded FFT, exact)."""
    k, width = sinogram.shape
    h = ramp_filter(width).to(sinogram.device)
    n_fft = 1 << (3 * width - 2).bit_length()                  # no circular wrap-around
    spectrum = torch.fft.rfft(sinogram.double(), n_fft) * torch.fft.rfft(h, n_fft)
    full = torch.fft.irfft(spectrum, n_fft)
    return full[:, width - 1:2 * width - 1].to(sinogram.dtype)


def backproject(filtered: torch.Tensor, angles: torch.Tensor) -> torch.Tensor:
    """``(K, W)`` filtered projections -> ``(W, W)`` image: ``(π/K) Σ_k q_k(x cosθk + y sinθk)``."""
    k, size = filtered.shape
    theta = torch.deg2rad(angles.to(filtered.device, torch.float32))
    c = (2 * torch.arange(size, device=filtered.device, dtype=torch.float32) + 1) / size - 1
    y, x = torch.meshgrid(c, c, indexing="ij")
    t = x[None] * torch.cos(theta)[:, None, None] + y[None] * torch.sin(theta)[:, None, None]
    grid = torch.stack([t, torch.zeros_like(t)], dim=-1)          # (K, W, W, 2): read q at t
    smeared = F.grid_sample(filtered[:, None, None, :].float(), grid, mode="bilinear",
                            padding_mode="zeros", align_corners=False)
    return smeared[:, 0].sum(dim=0) * (math.pi / k)


def fbp(sinogram: torch.Tensor, angles: torch.Tensor) -> torch.Tensor:
    """Filtered back-projection: ``(K, W)`` projections at ``angles`` (degrees) -> ``(W, W)``."""
    if sinogram.ndim != 2 or len(angles) != sinogram.shape[0]:
        raise ValueError(f"expected a (K, W) sinogram with one row per angle, got shape "
                         f"{tuple(sinogram.shape)} for {len(angles)} angles.")
    return backproject(filter_projections(sinogram), angles)


def disc_mask(size: int) -> torch.Tensor:
    """``(size, size)`` bool: the pixels inside the inscribed disc, the scanner's field of view."""
    c = (2 * torch.arange(size, dtype=torch.float32) + 1) / size - 1
    y, x = torch.meshgrid(c, c, indexing="ij")
    return x ** 2 + y ** 2 <= 1.0
