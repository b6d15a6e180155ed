"""An image from its gradient alone: the Poisson solve by the discrete cosine transform (08_inverse_problems).

Given only the gradient field g = (gx, gy) of an image f, the least-squares answer
solves Poisson's equation ``Δf = div g``. With forward differences
``gx[i, j] = f[i, j+1] − f[i, j]`` (zero in the last column, likewise gy) the discrete
problem has Neumann boundaries, and the DCT-II diagonalises its 5-point Laplacian with
eigenvalues ``2 cos(π k / W) + 2 cos(π l / H) − 4`` (Simchony, Chellappa & Shao 1990):
divide, transform back, done in O(N log N). The constant (k = l = 0) is not in the
gradient; the caller gives it, e.g. the image's mean. SIREN (Sitzmann et al. 2020)
fits a network to Sobel-filtered gradients (:func:`sobel_gradient`), which are not
the forward differences the solve assumes; :func:`to_midpoints` averages them onto the
points between pixels where forward differences live, so the solve (and any fit) can
use them; 08 compares the solve, a pixel grid and networks on those data.
"""
from __future__ import annotations

import numpy as np
import torch
from scipy.fft import dctn, idctn
from scipy.ndimage import sobel


def forward_gradient(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(H, W)`` -> ``(gx, gy)``, each ``(H, W)``: forward differences per pixel, 0 at the far edge.

    gx[i, j] = f[i, j+1] − f[i, j] is the derivative at the midpoint between the two
    pixels, in grey levels per pixel.
    """
    if image.ndim != 2:
        raise ValueError(f"forward_gradient needs one (H, W) channel, got {tuple(image.shape)}.")
    gx = torch.zeros_like(image)
    gy = torch.zeros_like(image)
    gx[:, :-1] = image[:, 1:] - image[:, :-1]
    gy[:-1] = image[1:] - image[:-1]
    return gx, gy


def divergence(gx: torch.Tensor, gy: torch.Tensor) -> torch.Tensor:
    """Backward-difference divergence (the adjoint of :func:`forward_gradient`, negated)."""
    div = gx.clone()
    div[:, 1:] -= gx[:, :-1]
    div += gy
    div[1:] -= gy[:-1]
    return div


def poisson_solve(gx: torch.Tensor, gy: torch.Tensor, mean: float = 0.0) -> torch.Tensor:
    """The ``(H, W)`` image whose forward differences best match ``(gx, gy)``, with the given mean.

    Exact (to rounding) when g is the gradient of an image; least squares otherwise.
    Computed in float64 with scipy's orthonormal DCT-II.
    """
    if gx.shape != gy.shape or gx.ndim != 2:
        raise ValueError(f"gx and gy must be two (H, W) arrays of one shape, got "
                         f"{tuple(gx.shape)} and {tuple(gy.shape)}.")
    height, width = gx.shape
    div = divergence(gx.double(), gy.double()).cpu().numpy()
    k = np.arange(width)
    l = np.arange(height)
    eigen = (2 * np.cos(np.pi * k / width) - 2)[None, :] + (2 * np.cos(np.pi * l / height) - 2)[:, None]
    coeffs = dctn(div, type=2, norm="ortho")
    eigen[0, 0] = 1.0                                          # the constant: set below
    coeffs = coeffs / eigen
    coeffs[0, 0] = 0.0
    solution = idctn(coeffs, type=2, norm="ortho") + mean
    return torch.from_numpy(solution).to(gx.dtype)


def sobel_gradient(image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(H, W)`` -> ``(gx, gy)`` at the pixel centres, in grey levels per pixel: the Sobel
    filters ``[1, 2, 1]ᵀ ⊗ [−1, 0, 1] / 8`` (a central difference smoothed across), edges
    mirrored, as SIREN's Poisson experiment supervises with (Sitzmann et al. 2020)."""
    if image.ndim != 2:
        raise ValueError(f"sobel_gradient needs one (H, W) channel, got {tuple(image.shape)}.")
    f = image.detach().cpu().double().numpy()
    gx = sobel(f, axis=1, mode="reflect") / 8
    gy = sobel(f, axis=0, mode="reflect") / 8
    return torch.from_numpy(gx).to(image.dtype), torch.from_numpy(gy).to(image.dtype)


def to_midpoints(gx: torch.Tensor, gy: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Centre-sampled derivatives averaged onto the midpoints between pixels, in the
    layout of :func:`forward_gradient`: ``gx[:, j] <- (gx[:, j] + gx[:, j+1]) / 2``, 0 in the
    last column (likewise gy along rows)."""
    mx, my = torch.zeros_like(gx), torch.zeros_like(gy)
    mx[:, :-1] = (gx[:, :-1] + gx[:, 1:]) / 2
    my[:-1] = (gy[:-1] + gy[1:]) / 2
    return mx, my
