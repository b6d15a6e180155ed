"""08_inverse_problems: reference solutions."""
import math

import torch
import torch.nn.functional as F

import helpers


def radon_projection(image, degrees):
    """The projection of a square ``(n, n)`` image at one angle (degrees): ``(n,)``, one
    line integral per detector position t, in pixel units. The ray at t is read at the n
    pixel centres s along it, (x, y) = (t cos θ − s sin θ, t sin θ + s cos θ), and summed."""
    n = image.shape[-1]
    theta = math.radians(degrees)
    c = (2 * torch.arange(n, dtype=torch.float32) + 1) / n - 1   # pixel centres in [-1, 1]
    s, t = torch.meshgrid(c, c, indexing="ij")                    # rows: along a ray; columns: t
    x = t * math.cos(theta) - s * math.sin(theta)
    y = t * math.sin(theta) + s * math.cos(theta)
    points = torch.stack([x, y], dim=-1)[None]                    # (1, n, n, 2), as grid_sample wants
    along_rays = F.grid_sample(image[None, None], points, align_corners=False)[0, 0]
    return along_rays.sum(dim=0)                                  # a line integral: a sum along s


def fbp_psnr(n_angles, size):
    """Test PSNR of FBP of the ``size`` px phantom from ``n_angles`` analytic projections,
    scored as the slider does (clamped to [0, 1], inside the field of view)."""
    from helpers.phantom import phantom_sinogram, shepp_logan
    from helpers.radon import disc_mask, fbp, projection_angles
    degrees = projection_angles(n_angles)
    picture = fbp(phantom_sinogram(degrees, size), degrees)
    inside = disc_mask(size)
    return helpers.psnr(picture.clamp(0, 1)[inside], shepp_logan(size)[inside])


def fewest_angles(size=None, target_db=22.0, most=200):
    """The fewest angles at which FBP of the phantom reaches ``target_db``, scanning 1, 2,
    3, ... (the slider's stops skip most counts); ``size``: the slider's preview size."""
    if size is None:
        from helpers import settings
        size = settings.NOTEBOOK_08["preview_size"]
    for k in range(1, most + 1):
        if fbp_psnr(k, size) >= target_db:
            return k
    return math.inf
