"""The Shepp-Logan head phantom, drawn from its ellipses (used by 08_inverse_problems' CT section).

The standard test object of tomography (Shepp & Logan 1974): ten ellipses whose grey
levels add up. We draw the "modified" version of Toft (1996), whose contrasts are
visible on a screen, and rescale it to [0, 1]. Generated in code, so nothing is
downloaded and there is no licence to track.
"""
from __future__ import annotations

import math

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
