"""The Shepp-Logan head phantom and its exact sinogram, from its ellipses (08_inverse_problems).

The standard test object of tomography (Shepp & Logan 1974): ten ellipses whose grey
levels add up. We draw the "modified" version of Toft (1996), whose contrasts are
visible on a screen, and rescale it to [0, 1]. Generated in code, so nothing is
downloaded and there is no licence to track.

Its projections have a closed form (Kak & Slaney 1988, sec. 3.2), so a CT experiment need
not make its data with the discrete operator it then inverts (the "inverse crime"): a
line at distance t from the origin, at angle θ, crosses an ellipse of density ρ, semi-axes
a, b, centre (x0, y0) and rotation φ along a chord of length::

    2 a b sqrt(s² − (t − t0)²) / s²      where s² = a² cos²(θ−φ) + b² sin²(θ−φ),
                                              t0 = x0 cosθ + y0 sinθ   (0 when |t − t0| > s)

and the projection is the sum of ρ times these chords (:func:`phantom_sinogram`).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .grids import make_grid

# (intensity, semi-axis a, semi-axis b, centre x, centre y, rotation in degrees),
# in the [-1, 1] square, y pointing down as in the series' grid
MODIFIED_SHEPP_LOGAN = (
    (1.0, 0.69, 0.92, 0.0, 0.0, 0.0),
    (-0.8, 0.6624, 0.874, 0.0, 0.0184, 0.0),
    (-0.2, 0.11, 0.31, 0.22, 0.0, -18.0),
    (-0.2, 0.16, 0.41, -0.22, 0.0, 18.0),
    (0.1, 0.21, 0.25, 0.0, -0.35, 0.0),
    (0.1, 0.046, 0.046, 0.0, -0.1, 0.0),
    (0.1, 0.046, 0.046, 0.0, 0.1, 0.0),
    (0.1, 0.046, 0.023, -0.08, 0.605, 0.0),
    (0.1, 0.023, 0.023, 0.0, 0.606, 0.0),
    (0.1, 0.023, 0.046, 0.06, 0.605, 0.0),
)


def shepp_logan(size: int, supersample: int = 4) -> torch.Tensor:
    """``(size, size)`` float32 phantom in [0, 1] (1 = the skull, 0 = outside).

    Each pixel averages ``supersample²`` points so edges are anti-aliased like a
    detector pixel (and the image is band-limited enough to be sampled). The phantom
    fits inside the inscribed disc, as a CT slice must.
    """
    if size < 8:
        raise ValueError(f"size must be at least 8 pixels, got {size}.")
    points = make_grid(size * supersample)                      # (S, S, 2), x right, y down
    x, y = points[..., 0], -points[..., 1]                      # y up, as the table is written
    image = torch.zeros_like(x)
    for value, a, b, x0, y0, degrees in MODIFIED_SHEPP_LOGAN:
        theta = math.radians(degrees)
        u = (x - x0) * math.cos(theta) + (y - y0) * math.sin(theta)
        v = -(x - x0) * math.sin(theta) + (y - y0) * math.cos(theta)
        image = image + value * ((u / a) ** 2 + (v / b) ** 2 <= 1).float()
    image = image.reshape(size, supersample, size, supersample).mean(dim=(1, 3))
    return (image / MODIFIED_SHEPP_LOGAN[0][0]).clamp(0, 1)


def ellipse_chord(t: np.ndarray, theta: np.ndarray, a: float, b: float, x0: float, y0: float,
                  phi: float) -> np.ndarray:
    """Length of the chord of an ellipse cut by the line ``x cosθ + y sinθ = t``.

    t and theta (radians) broadcast; a, b, (x0, y0), phi (radians) as in the module's
    formula, in the phantom's frame (y up). 0 where the line misses the ellipse."""
    s2 = (a * np.cos(theta - phi)) ** 2 + (b * np.sin(theta - phi)) ** 2
    d = t - (x0 * np.cos(theta) + y0 * np.sin(theta))
    return 2 * a * b * np.sqrt(np.clip(s2 - d ** 2, 0, None)) / s2


def phantom_sinogram(angles: torch.Tensor, n_detectors: int, oversample: int = 16) -> torch.Tensor:
    """The exact ``(K, n_detectors)`` sinogram of the phantom, as :func:`helpers.radon.radon`
    of ``shepp_logan(n_detectors)`` would measure it with no discretisation error.

    angles: ``(K,)`` degrees, the convention of ``radon`` (image y pointing down, so the
    phantom's frame sees angle −θ). Detector bin j spans ``[-1 + 2j/n, -1 + 2(j+1)/n]``
    and averages ``oversample`` line integrals across its width (a detector's area, as
    the phantom's pixels are area averages). Units: pixels of an ``n_detectors``-wide
    image (the [-1, 1] line integral times n/2), as ``radon`` reports."""
    n = int(n_detectors)
    if n < 8:
        raise ValueError(f"n_detectors must be at least 8, got {n_detectors}.")
    theta = -np.deg2rad(np.asarray(angles, dtype=np.float64))[:, None]      # (K, 1)
    t = -1 + (np.arange(n * oversample) + 0.5) * 2 / (n * oversample)       # sub-bin centres
    sinogram = np.zeros((theta.shape[0], t.size))
    for value, a, b, x0, y0, degrees in MODIFIED_SHEPP_LOGAN:
        sinogram += value * ellipse_chord(t[None, :], theta, a, b, x0, y0, math.radians(degrees))
    sinogram = sinogram.reshape(-1, n, oversample).mean(axis=2) * (n / 2)
    return torch.from_numpy(sinogram / MODIFIED_SHEPP_LOGAN[0][0]).float()
