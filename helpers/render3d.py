"""Seeing a signed distance: sphere tracing in torch and a shaded image (10_beyond_images).

Sphere tracing (Hart 1996): march each camera ray by the SDF's value, ``t += f(o + t d)``;
a true distance never overshoots the surface, so the ray stops where ``f`` reaches 0.
A learned field is only roughly a distance, so steps are scaled by ``step_scale`` < 1.
Hit points are shaded with the normal ``∇f / |∇f|`` (Lambert plus ambient light).
"""
from __future__ import annotations

import math

import torch

from .sdf import gradient


def camera_rays(size: int, eye=(1.6, 1.0, 2.0), target=(0.0, 0.0, 0.0), fov: float = 40.0):
    """A pinhole camera: ``(size², 3)`` origins and unit directions, row by row from the top.

    fov: the vertical field of view in degrees; the camera's up is +y.
    """
    eye_t = torch.tensor(eye, dtype=torch.float32)
    forward = torch.tensor(target, dtype=torch.float32) - eye_t
    forward = forward / forward.norm()
    right = torch.linalg.cross(forward, torch.tensor([0.0, 1.0, 0.0]))
    right = right / right.norm()
    up = torch.linalg.cross(right, forward)
    half = math.tan(math.radians(fov) / 2)
    ticks = ((2 * torch.arange(size, dtype=torch.float32) + 1) / size - 1) * half
    v, u = torch.meshgrid(-ticks, ticks, indexing="ij")  # rows go down, so v falls
    directions = forward + u.reshape(-1, 1) * right + v.reshape(-1, 1) * up
    directions = directions / directions.norm(dim=-1, keepdim=True)
    return eye_t.expand_as(directions).clone(), directions


def box_entry_exit(origins: torch.Tensor, directions: torch.Tensor, bound: float = 1.0):
    """Where each ray enters and leaves the cube ``[-bound, bound]³`` (slab method): ``(N,)`` twice.

    A ray that misses the cube has entry > exit. A network knows nothing outside the cube
    it was trained in, so rays are traced inside it only.
    """
    inverse = 1.0 / torch.where(directions.abs() < 1e-9, torch.full_like(directions, 1e-9),
                                directions)
    t0, t1 = (-bound - origins) * inverse, (bound - origins) * inverse
    entry = torch.minimum(t0, t1).max(dim=-1).values.clamp_min(0)
    return entry, torch.maximum(t0, t1).min(dim=-1).values


@torch.no_grad()
def sphere_trace(fn, origins: torch.Tensor, directions: torch.Tensor, steps: int = 64,
                 eps: float = 1e-3, step_scale: float = 1.0, bound: float = 1.0,
                 chunk_size: int = 65536):
    """Depth along each ray to ``fn``'s zero level inside ``[-bound, bound]³``: ``t``, ``hit``.

    fn: ``(N, 3) -> (N,)`` or ``(N, 1)``. Each ray starts where it enters the cube and
    hits when ``|f| < eps`` within ``steps`` steps before it leaves; ``t (N,)`` is then
    the depth, else where it left; ``hit (N,)`` is bool.
    """
    t, t_max = box_entry_exit(origins, directions, bound)
    active = t < t_max
    hit = torch.zeros_like(active)
    for _ in range(steps):
        index = active.nonzero().squeeze(1)
        if len(index) == 0:
            break
        points = origins[index] + t[index, None] * directions[index]
        f = torch.cat([fn(points[i:i + chunk_size]).reshape(-1)
                       for i in range(0, len(index), chunk_size)])
        done = f.abs() < eps
        hit[index[done]] = True
        t[index] += torch.where(done, torch.zeros_like(f), step_scale * f)
        active[index] = ~done
        active &= t < t_max
    t[~hit] = t_max[~hit]
    return t, hit


def shade(fn, points: torch.Tensor, hit: torch.Tensor, light=(0.5, 0.8, 0.6),
          background: float = 1.0, color=(0.85, 0.55, 0.35)) -> torch.Tensor:
    """``(N, 3)`` RGB in [0, 1]: ``0.2 + 0.8 max(n · l, 0)`` times ``color`` at hits, else background."""
    rgb = torch.full((len(points), 3), background)
    if hit.any():
        _, grad = gradient(fn, points[hit])
        normal = grad / grad.norm(dim=-1, keepdim=True).clamp_min(1e-8)
        direction = torch.tensor(light) / torch.tensor(light).norm()
        lambert = (normal @ direction).clamp_min(0)
        rgb[hit] = (0.2 + 0.8 * lambert)[:, None] * torch.tensor(color)
    return rgb.detach()


def render(fn, size: int = 128, steps: int = 64, step_scale: float = 1.0, **camera):
    """Sphere-trace and shade ``fn`` from :func:`camera_rays`: ``(size, size, 3)`` image and depth."""
    origins, directions = camera_rays(size, **camera)
    t, hit = sphere_trace(fn, origins, directions, steps=steps, step_scale=step_scale)
    image = shade(fn, origins + t[:, None] * directions, hit)
    return image.reshape(size, size, 3), torch.where(hit, t, torch.nan).reshape(size, size)
