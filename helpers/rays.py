"""Cameras and rays: a pose and a focal length give one ray per pixel (11_tiny_nerf).

A NeRF image is not a grid of coordinates but a bundle of rays. Camera convention of
NeRF (and OpenGL): in the camera's frame x points right, y up, and the camera looks
along -z; a pose is the 4x4 camera-to-world matrix ``[right, up, -forward, eye]``.
Pixel (row j, column i) of a ``H x W`` image with focal length f (in pixels) looks along

    d_cam = ((i + 0.5 - W / 2) / f, -(j + 0.5 - H / 2) / f, -1),

rotated into the world by the pose and normalised, so that a distance t along the ray
is a distance in the scene. Points along a ray are ``o + t d`` for t in [near, far];
:func:`ray_box` finds that interval for the scene's bounding box, and
:func:`stratified_samples` draws one random t in each of n equal bins of it
(Mildenhall et al. 2020, "NeRF", Sec. 4), so over many steps the network sees every
depth, not only n fixed ones.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import torch


def focal_from_fov(size: int, fov_degrees: float) -> float:
    """Focal length in pixels of a ``size``-pixel-wide image with that horizontal field of
    view in DEGREES (for the NeRF-synthetic ``camera_angle_x``, in radians, see
    :func:`focal_from_camera_angle_x`)."""
    if 0 < fov_degrees < math.pi:
        warnings.warn(f"focal_from_fov takes degrees, and {fov_degrees:g} looks like radians; "
                      f"pass math.degrees(angle) or use focal_from_camera_angle_x.", stacklevel=2)
    return 0.5 * size / math.tan(math.radians(fov_degrees) / 2)


def focal_from_camera_angle_x(width: int, radians: float) -> float:
    """Focal length in pixels from the NeRF-synthetic ``camera_angle_x`` (radians, the
    horizontal field of view): ``f = W / 2 / tan(angle / 2)``."""
    if not 0 < radians < math.pi:
        raise ValueError(f"camera_angle_x is in radians, between 0 and pi; got {radians:g} "
                         f"(for degrees use focal_from_fov).")
    return 0.5 * width / math.tan(radians / 2)


def as_bounds(bounds) -> tuple[torch.Tensor, torch.Tensor]:
    """``((x0, y0, z0), (x1, y1, z1))`` as lists, numpy (any float type) or tensors ->
    two float32 tensors ``(3,)``, low and high, checked once."""
    if isinstance(bounds, torch.Tensor):
        bounds = bounds.detach().cpu().numpy()
    try:
        box = np.asarray([np.asarray(b, dtype=np.float64) for b in bounds], dtype=np.float32)
    except (TypeError, ValueError):
        box = None
    if box is None or box.shape != (2, 3) or not np.isfinite(box).all() \
            or not (box[0] < box[1]).all():
        raise ValueError(f"bounds should be ((x0, y0, z0), (x1, y1, z1)) with low < high, "
                         f"got {bounds!r}.")
    return torch.from_numpy(box[0].copy()), torch.from_numpy(box[1].copy())


def look_at(eye, target=(0.0, 0.0, 0.0), up=(0.0, 0.0, 1.0)) -> torch.Tensor:
    """The ``(4, 4)`` camera-to-world pose of a camera at ``eye`` looking at ``target``.

    Columns: right, up, backward (= -forward) and the camera's position; ``up`` is the
    world's up (z here), which must not be parallel to the viewing direction.
    """
    eye, target, up = (torch.as_tensor(v, dtype=torch.float32) for v in (eye, target, up))
    forward = torch.nn.functional.normalize(target - eye, dim=0)
    right = torch.linalg.cross(forward, up)
    if right.norm() < 1e-6:
        raise ValueError("the camera looks straight along 'up'; move it or pass another up.")
    right = right / right.norm()
    camera_up = torch.linalg.cross(right, forward)
    pose = torch.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, camera_up, -forward, eye
    return pose


def camera_rays(pose: torch.Tensor, height: int, width: int, focal: float,
                offset: tuple[float, float] = (0.5, 0.5)) -> tuple[torch.Tensor, torch.Tensor]:
    """One ray per pixel: ``(H*W, 3)`` origins and unit directions, row by row.

    offset: where in the pixel the ray passes, (0.5, 0.5) being its centre (other
    offsets average into an anti-aliased ground truth, see :mod:`helpers.scene`).
    """
    rows, cols = torch.meshgrid(torch.arange(height, dtype=torch.float32),
                                torch.arange(width, dtype=torch.float32), indexing="ij")
    d_cam = torch.stack([(cols + offset[1] - width / 2) / focal,
                         -(rows + offset[0] - height / 2) / focal,
                         -torch.ones_like(rows)], dim=-1).reshape(-1, 3)
    pose = torch.as_tensor(pose, dtype=torch.float32)
    dirs = torch.nn.functional.normalize(d_cam @ pose[:3, :3].T, dim=-1)
    return pose[:3, 3].expand_as(dirs).contiguous(), dirs


def ray_box(origins: torch.Tensor, dirs: torch.Tensor, low: float = -1.0, high: float = 1.0
            ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Where ``(R, 3)`` rays enter and leave the box ``[low, high]^3`` (the slab method).

    Returns t_near ``(R,)``, t_far ``(R,)`` and hit ``(R,)`` (bool); t_near >= 0, so a
    camera inside the box starts at its eye. A ray that misses gets t_near = t_far = 0.
    """
    # a direction component of exactly 0 would divide 0 by 0 on the slab's plane
    safe = torch.where(dirs.abs() < 1e-9, torch.full_like(dirs, 1e-9), dirs)
    t1, t2 = (low - origins) / safe, (high - origins) / safe
    t_near = torch.minimum(t1, t2).amax(-1).clamp(min=0)
    t_far = torch.maximum(t1, t2).amin(-1)
    hit = t_far > t_near
    zero = torch.zeros_like(t_near)
    return torch.where(hit, t_near, zero), torch.where(hit, t_far, zero), hit


def stratified_samples(near: torch.Tensor, far: torch.Tensor, n_samples: int,
                       perturb: bool = True, generator: torch.Generator | None = None
                       ) -> torch.Tensor:
    """``(R,)`` near and far -> ``(R, n_samples)`` sorted distances, one in each of n bins.

    Bin k is ``[near + k (far - near) / n, near + (k + 1) (far - near) / n]``; with
    perturb a uniform random point in it (training), without its midpoint (rendering).
    """
    fractions = torch.arange(n_samples, dtype=near.dtype, device=near.device)
    if perturb:
        fractions = fractions + torch.rand(len(near), n_samples, generator=generator,
                                           device=near.device, dtype=near.dtype)
    else:
        fractions = (fractions + 0.5).expand(len(near), n_samples)
    return near[:, None] + (far - near)[:, None] * fractions / n_samples
