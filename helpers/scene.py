"""A small synthetic 3-D scene and the views of it NeRF learns from (11_tiny_nerf).

The ground truth is made in code, so nothing downloads and every view, depth included,
is exact: a short ray caster intersects each camera ray analytically with four objects
inside the box [-1, 1]^3 (z up) on a white background:

- a checkerboard floor tile (z = -0.5, 8 x 8 squares),
- a red and gold "beach ball" sphere (12 sectors x 6 bands),
- a blue and white box with a 5 x 5 checkerboard on every face,
- a small shiny green sphere, the one view-dependent thing (a specular highlight).

Shading: ambient + Lambert diffuse from one light, with hard shadows (a second ray
towards the light); pixels average 2 x 2 rays (anti-aliased, as a camera integrates
its pixel). Ray-sphere: t = -b - sqrt(b^2 - |o - c|^2 + r^2) with b = (o - c) . d;
ray-box: the slab method (:func:`helpers.rays.ray_box`); ray-plane: t = (z0 - o_z) / d_z.
Cameras sit on a sphere of radius 3.6 around the scene, looking at it, on a golden-angle
spiral of azimuths and elevations from 15 to 65 degrees.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .rays import camera_rays, focal_from_fov, look_at, ray_box

BACKGROUND = 1.0          # white, as behind NeRF's synthetic scenes
FLOOR_Z, FLOOR_HALF = -0.5, 0.95
BALL = ((-0.35, -0.2, -0.05), 0.45)        # centre, radius: it rests on the floor
GEM = ((0.45, -0.45, -0.32), 0.18)
BOX = ((0.12, 0.05, -0.5), (0.72, 0.65, 0.1))  # low and high corners
LIGHT = (-0.4, -0.6, 1.0)
RADIUS, FOV, TARGET = 3.6, 36.0, (0.0, 0.0, -0.2)
BOUNDS = ((-1.0, -1.0, -0.6), (1.0, 1.0, 0.5))  # every object lies inside: where NeRF samples
EPS = 1e-4


def _vec(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float32)


def _sphere_t(o: torch.Tensor, d: torch.Tensor, centre, radius: float) -> torch.Tensor:
    """Distance to the sphere's near side along each ray, inf where it misses."""
    oc = o - _vec(centre)
    b = (oc * d).sum(-1)
    disc = b ** 2 - (oc * oc).sum(-1) + radius ** 2
    t = -b - disc.clamp(min=0).sqrt()
    return torch.where((disc > 0) & (t > EPS), t, torch.full_like(t, math.inf))


def _box_t(o: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
    t_near, _, hit = ray_box(o, d, _vec(BOX[0]), _vec(BOX[1]))
    return torch.where(hit & (t_near > EPS), t_near, torch.full_like(t_near, math.inf))


def _floor_t(o: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
    dz = torch.where(d[:, 2].abs() < 1e-9, torch.full_like(d[:, 2], 1e-9), d[:, 2])
    t = (FLOOR_Z - o[:, 2]) / dz
    p = o + t[:, None] * d
    inside = (p[:, 0].abs() <= FLOOR_HALF) & (p[:, 1].abs() <= FLOOR_HALF) & (t > EPS)
    return torch.where(inside, t, torch.full_like(t, math.inf))


def _hits(o: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
    """``(R, 4)`` distances to floor, ball, box and gem (inf where a ray misses one)."""
    return torch.stack([_floor_t(o, d), _sphere_t(o, d, *BALL), _box_t(o, d),
                        _sphere_t(o, d, *GEM)], dim=-1)


def _checker(*coords: torch.Tensor) -> torch.Tensor:
    return sum(torch.floor(c) for c in coords) % 2


def _surface(p: torch.Tensor, which: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Normals and colours ``(R, 3)`` of the hit points ``p`` on object ``which``."""
    normal, albedo = torch.zeros_like(p), torch.zeros_like(p)
    floor = which == 0
    normal[floor] = _vec((0, 0, 1))
    squares = _checker(*((p[floor, :2] + FLOOR_HALF) * 8 / (2 * FLOOR_HALF)).unbind(-1))
    albedo[floor] = torch.lerp(_vec((0.93, 0.87, 0.72)), _vec((0.24, 0.31, 0.40)), squares[:, None])
    ball = which == 1
    n = (p[ball] - _vec(BALL[0])) / BALL[1]
    normal[ball] = n
    sectors = (torch.atan2(n[:, 1], n[:, 0]) + math.pi) * 6 / math.pi
    bands = torch.acos(n[:, 2].clamp(-1, 1)) * 6 / math.pi
    albedo[ball] = torch.lerp(_vec((0.86, 0.13, 0.12)), _vec((0.98, 0.78, 0.18)),
                              _checker(sectors, bands)[:, None])
    box = which == 2
    low, high = _vec(BOX[0]), _vec(BOX[1])
    half, centre = (high - low) / 2, (high + low) / 2
    local = (p[box] - centre) / half                        # in [-1, 1]^3 on the box
    axis = local.abs().argmax(-1)
    n = torch.zeros_like(local)
    n[torch.arange(len(n)), axis] = torch.sign(local[torch.arange(len(n)), axis])
    normal[box] = n
    cells = _checker(*((local + 1) * 2.5 + 1e-3 * n).unbind(-1))  # 5 squares per side
    albedo[box] = torch.lerp(_vec((0.95, 0.95, 0.95)), _vec((0.13, 0.33, 0.80)), cells[:, None])
    gem = which == 3
    normal[gem] = (p[gem] - _vec(GEM[0])) / GEM[1]
    albedo[gem] = _vec((0.16, 0.62, 0.30))
    return normal, albedo


def floor_squares(pose: torch.Tensor, size: int, fov: float = FOV) -> torch.Tensor:
    """``(size, size)``: which floor square each pixel's centre ray meets first, 0 light,
    1 dark, -1 where it meets another object or nothing (to measure a render's checkerboard)."""
    origins, dirs = camera_rays(pose, size, size, focal_from_fov(size, fov))
    t, which = _hits(origins, dirs).min(-1)
    p = origins + t[:, None].clamp(max=1e3) * dirs
    squares = _checker(*((p[:, :2] + FLOOR_HALF) * 8 / (2 * FLOOR_HALF)).unbind(-1))
    on_floor = torch.isfinite(t) & (which == 0)
    return torch.where(on_floor, squares, torch.full_like(squares, -1)).long().reshape(size, size)


def cast(origins: torch.Tensor, dirs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(R, 3)`` rays (unit directions) -> colours ``(R, 3)`` and depths ``(R,)`` (inf: none)."""
    t_all = _hits(origins, dirs)
    t, which = t_all.min(-1)
    hit = torch.isfinite(t)
    rgb = torch.full_like(origins, BACKGROUND)
    o, d, which = origins[hit], dirs[hit], which[hit]
    p = o + t[hit, None] * d
    normal, albedo = _surface(p, which)
    light = torch.nn.functional.normalize(_vec(LIGHT), dim=0).expand_as(p)
    lit = torch.isinf(_hits(p + 1e-3 * normal, light).amin(-1)).float()
    diffuse = (normal * light).sum(-1).clamp(min=0) * lit
    colour = albedo * (0.3 + 0.7 * diffuse[:, None])
    halfway = torch.nn.functional.normalize(light - d, dim=-1)
    shine = ((normal * halfway).sum(-1).clamp(min=0) ** 40) * lit * (which == 3)
    rgb[hit] = (colour + 0.6 * shine[:, None]).clamp(0, 1)
    return rgb, t


def camera_pose(azimuth: float, elevation: float, radius: float = RADIUS) -> torch.Tensor:
    """The ``(4, 4)`` pose of a camera at that azimuth and elevation (degrees), facing the scene."""
    az, el = math.radians(azimuth), math.radians(elevation)
    eye = (radius * math.cos(el) * math.cos(az) + TARGET[0],
           radius * math.cos(el) * math.sin(az) + TARGET[1],
           radius * math.sin(el) + TARGET[2])
    return look_at(eye, TARGET)


def spiral_poses(n: int) -> list[torch.Tensor]:
    """``n`` poses on a golden-angle spiral: azimuths 137.5 degrees apart, elevations 15-65."""
    golden = (math.sqrt(5) - 1) / 2
    return [camera_pose(137.508 * k, 15 + 50 * ((k * golden) % 1)) for k in range(n)]


@dataclass
class Views:
    """Posed views: images ``(N, H, W, 3)`` in [0, 1], depths ``(N, H, W)`` (inf:
    background) or None, camera-to-world poses ``(N, 4, 4)`` (OpenGL/NeRF: x right, y up,
    looking along -z), one focal length in pixels; normalization: how a loader mapped the
    world into [-1, 1]^3 (:mod:`helpers.scene_data`), None for the series' own scene.

    Checked on creation: numpy arrays and float64 become float32 tensors, and anything
    else a learner may have (RGBA, 0-255, wrong shapes) is refused in one sentence.
    """

    images: torch.Tensor
    depths: torch.Tensor | None = None
    poses: torch.Tensor | None = None
    focal: float | None = None
    normalization: object = None

    def __post_init__(self):
        self.images = _check_images(self.images)
        n, height, width = self.images.shape[:3]
        self.poses = _as_float32(self.poses, "poses")
        if self.poses is not None and tuple(self.poses.shape[1:]) == (3, 4):
            bottom = torch.tensor([0.0, 0.0, 0.0, 1.0]).expand(len(self.poses), 1, 4)
            self.poses = torch.cat([self.poses, bottom], dim=1)
        if self.poses is None or tuple(self.poses.shape) != (n, 4, 4):
            raise ValueError(f"poses should be (N, 4, 4) camera-to-world matrices, one per "
                             f"image ({n}), got "
                             f"{None if self.poses is None else tuple(self.poses.shape)}.")
        if self.focal is None or not float(self.focal) > 0:
            raise ValueError(f"focal should be the focal length in pixels (> 0), got {self.focal}; "
                             f"rays.focal_from_camera_angle_x turns an angle into one.")
        self.focal = float(self.focal)
        self.depths = _as_float32(self.depths, "depths")
        if self.depths is not None and tuple(self.depths.shape) != (n, height, width):
            raise ValueError(f"depths should be (N, H, W) = {(n, height, width)} like the "
                             f"images, or None, got {tuple(self.depths.shape)}.")

    def __len__(self) -> int:
        return len(self.images)

    @property
    def height(self) -> int:
        return self.images.shape[1]

    @property
    def width(self) -> int:
        return self.images.shape[2]

    @property
    def size(self) -> int:
        """The side of square views (use height and width for others)."""
        if self.height != self.width:
            raise ValueError(f"these views are {self.height} x {self.width}, not square; use "
                             f"views.height and views.width.")
        return self.height

    def subset(self, index) -> "Views":
        """The views at ``index`` (a slice, or a list or tensor of indices)."""
        pick = (lambda x: x[index]) if isinstance(index, slice) else (
            lambda x: x[torch.as_tensor(index, dtype=torch.long)])
        return Views(pick(self.images), None if self.depths is None else pick(self.depths),
                     pick(self.poses), self.focal, self.normalization)


def _as_float32(values, name: str) -> torch.Tensor | None:
    if values is None:
        return None
    if not isinstance(values, torch.Tensor):
        values = torch.as_tensor(np.asarray(values))
    if not (values.is_floating_point() or values.dtype in (torch.uint8, torch.int64, torch.int32,
                                                           torch.int16)):
        raise TypeError(f"{name} should hold numbers, got {values.dtype}.")
    return values.detach().cpu().to(torch.float32)


def _check_images(images) -> torch.Tensor:
    """``(N, H, W, 3)`` float in [0, 1] -> float32 tensor, or one sentence saying what to do."""
    if not isinstance(images, torch.Tensor):
        images = torch.as_tensor(np.asarray(images))
    if images.ndim != 4 or images.shape[-1] not in (3, 4):
        raise ValueError(f"images should be (N, H, W, 3) RGB, got shape {tuple(images.shape)}.")
    if images.shape[-1] == 4:
        raise ValueError("images have 4 channels (RGBA): composite them on a background first, "
                         "rgb * alpha + background * (1 - alpha), or load the folder with "
                         "helpers.scene_data.load_views, which does.")
    if not images.is_floating_point():
        raise ValueError(f"images are {images.dtype} (0-255): divide by 255 to get colours "
                         f"in [0, 1].")
    low, high = float(images.min()), float(images.max())
    if high > 1 + 1e-3:
        raise ValueError(f"images reach {high:.4g}, above 1: divide by 255 (65535 for 16-bit) "
                         f"to get colours in [0, 1].")
    if low < -1e-3:
        raise ValueError(f"images reach {low:.4g}, below 0: colours should lie in [0, 1].")
    return images.detach().cpu().to(torch.float32).contiguous()


def render_views(poses, size: int, fov: float = FOV, supersample: int = 2) -> Views:
    """Ground truth of each pose at ``size x size``: the mean of ``supersample^2`` rays a pixel."""
    focal = focal_from_fov(size, fov)
    images, depths = [], []
    for pose in poses:
        colour = torch.zeros(size * size, 3)
        for k in range(supersample ** 2):
            offset = ((k // supersample + 0.5) / supersample, (k % supersample + 0.5) / supersample)
            colour += cast(*camera_rays(pose, size, size, focal, offset))[0]
        images.append((colour / supersample ** 2).reshape(size, size, 3))
        depths.append(cast(*camera_rays(pose, size, size, focal))[1].reshape(size, size))
    return Views(torch.stack(images), torch.stack(depths), torch.stack(list(poses)), focal)


def split_indices(n_train: int, n_val: int, n_test: int) -> dict[str, list[int]]:
    """Which of ``n_train + n_val + n_test`` spiral poses go to each split: val and test
    spread evenly along the spiral between train views, so each held-out camera is new."""
    n = n_train + n_val + n_test
    if min(n_train, n_val, n_test) < 1:
        raise ValueError(f"need at least one train, val and test view, got {n_train}, "
                         f"{n_val} and {n_test}.")
    test = [int((j + 0.5) * n / n_test) for j in range(n_test)]
    rest = [i for i in range(n) if i not in test]
    val = [rest[int((j + 0.25) * len(rest) / n_val)] for j in range(n_val)]
    return {"train": [i for i in rest if i not in val], "val": val, "test": test}


def make_views(size: int, n_train: int, n_val: int, n_test: int, fov: float = FOV,
               supersample: int = 2) -> dict[str, Views]:
    """``{"train", "val", "test"}`` views from one spiral (:func:`split_indices`)."""
    split = split_indices(n_train, n_val, n_test)
    poses = spiral_poses(n_train + n_val + n_test)
    return {name: render_views([poses[i] for i in idx], size, fov, supersample)
            for name, idx in split.items()}
