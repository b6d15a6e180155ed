"""NeRF beside what needs no network, on any posed views (11_tiny_nerf, ``fit-scene``).

Two baselines, scored like NeRF (PSNR over every pixel of the held-out views):

- the classical crude answer: each held-out view replaced by the image of the train
  camera nearest to it (no 3-D at all);
- the same solver without a network (the series' house rule): a dense voxel radiance
  field, density and colour on an ``R^3`` grid over [-1, 1]^3, read by trilinear
  interpolation (``grid_sample``), with NeRF's interface ``model(points (P, 3), dirs
  (P, 3)) -> rgb (P, 3), sigma (P,)``, trained by the same :func:`helpers.nerf.fit_nerf`
  (Plenoxels, Fridovich-Keil et al. 2022, without its spherical harmonics and TV).

:func:`compare` runs the three on ``{"train", "val", "test"}`` views (from
:func:`helpers.scene_data.load_views`), the network's frequency scale set by the series'
bandwidth rule at d = f / D train pixels per unit (f the focal, D the cameras' median
distance to the box's centre), as in 11's section 3.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from . import bandwidth, settings
from .encoders import GaussianFourierFeatures, Identity, PositionalEncoding
from .hashgrid import HashGridEncoding
from .metrics import psnr
from .nerf import NeRF, NerfResult, fit_nerf
from .rays import as_bounds

ENCODINGS = ("pe", "gauss", "hash", "none")


class VoxelField(nn.Module):
    """A radiance field with no network: ``(1, 4, R, R, R)`` values over [-1, 1]^3,
    trilinearly interpolated; density softplus(raw - 1) as in :class:`helpers.nerf.NeRF`,
    colour sigmoid(raw); the direction is ignored."""

    def __init__(self, resolution: int):
        super().__init__()
        self.resolution = resolution
        self.grid = nn.Parameter(torch.zeros(1, 4, resolution, resolution, resolution))

    def forward(self, points: torch.Tensor, dirs: torch.Tensor):
        # grid_sample reads (x, y, z) as (width, height, depth): the grid is indexed [z, y, x]
        values = nn.functional.grid_sample(self.grid, points.reshape(1, -1, 1, 1, 3),
                                           mode="bilinear", padding_mode="border",
                                           align_corners=True)[0, :, :, 0, 0]   # (4, P)
        return torch.sigmoid(values[1:].T), nn.functional.softplus(values[0] - 1)


def nearest_view(train, views) -> torch.Tensor:
    """``(N, H, W, 3)``: for each of ``views``' cameras, the image of the nearest train camera."""
    distance = torch.cdist(views.poses[:, :3, 3], train.poses[:, :3, 3])
    return train.images[distance.argmin(-1)]


def per_unit(train, bounds) -> float:
    """d = f / D: one view's pixels per unit at the box's centre (11, section 3)."""
    low, high = as_bounds(bounds)
    distance = (train.poses[:, :3, 3] - (low + high) / 2).norm(dim=-1).median()
    return train.focal / float(distance)


def make_network(encoding: str, density: float, nb: dict) -> tuple[nn.Module, float]:
    """The NeRF of 11 with ``encoding`` at the rule's frequency scale, and its learning rate."""
    hidden, layers = nb["hidden"], nb["n_layers"]
    lr = 5e-3 if hidden <= 128 else 1e-3
    if encoding == "pe":
        encoder = PositionalEncoding(bandwidth.frequency_scale("pe", density), in_dim=3)
    elif encoding == "gauss":
        encoder = GaussianFourierFeatures(bandwidth.frequency_scale("gauss", density),
                                          nb["n_features"], in_dim=3)
    elif encoding == "hash":    # Instant-NGP's recipe, as in 11
        encoder = HashGridEncoding(nb["hash_levels"], 2, nb["log2_table_size"], 4,
                                   round(2 * density), in_dim=3)
        hidden, layers, lr = 64, 2, 1e-2
    elif encoding == "none":
        encoder = Identity(3)
    else:
        raise ValueError(f"unknown encoding {encoding!r}; choose one of {', '.join(ENCODINGS)}.")
    return NeRF(encoder, PositionalEncoding(4, in_dim=3), hidden, layers), lr


@dataclass
class Comparison:
    """What :func:`compare` returns: one row of PSNRs (dB; None where it means nothing)
    and seconds per method, the fitted runs and the nearest-view test images."""

    rows: dict
    runs: dict = field(default_factory=dict)
    nearest: torch.Tensor | None = None
    bounds: tuple = ()

    def __repr__(self) -> str:
        lines = [f"{'':<22}{'params':>10}{'train dB':>10}{'val dB':>8}{'test dB':>9}{'s':>7}"]
        for name, row in self.rows.items():
            cells = [f"{row[k]:>{w}.2f}" if row[k] is not None else f"{'-':>{w}}"
                     for k, w in (("train_psnr", 10), ("val_psnr", 8), ("test_psnr", 9))]
            lines.append(f"{name:<22}{row['params']:>10,}{''.join(cells)}{row['seconds']:>7.1f}")
        return "\n".join(lines)


def _row(result: NerfResult, model: nn.Module) -> dict:
    return {"params": sum(p.numel() for p in model.parameters()),
            "train_psnr": round(result.train_psnr, 3), "val_psnr": round(result.val_psnr, 3),
            "test_psnr": round(result.test_psnr, 3), "seconds": round(result.seconds, 2)}


def compare(views: dict, nb: dict | None = None, encoding: str = "pe", steps: int | None = None,
            seed: int = 0, device: str | None = None, progress: bool = False,
            say=None) -> Comparison:
    """Nearest train view, a voxel grid and a NeRF on ``views``, each scored on the
    held-out views; ``nb``: sizes and steps (default ``settings.NOTEBOOK_11``, the budget's)."""
    nb = dict(nb or settings.NOTEBOOK_11, **({"steps": steps} if steps else {}))
    norm = views["train"].normalization
    bounds = norm.bounds if norm is not None else ((-1.0,) * 3, (1.0,) * 3)
    density = per_unit(views["train"], bounds)
    start = time.perf_counter()
    nearest = {name: nearest_view(views["train"], views[name]) for name in ("val", "test")}
    rows = {"nearest train view": {
        "params": 0, "train_psnr": None, "seconds": round(time.perf_counter() - start, 2),
        **{f"{name}_psnr": round(psnr(image, views[name].images), 3)
           for name, image in nearest.items()}}}
    models = {"voxel grid": (VoxelField(min(128, max(8, round(2 * density)))), 0.1),
              f"NeRF ({encoding})": None}
    runs = {}
    for name in models:
        torch.manual_seed(seed)
        model, lr = models[name] or make_network(encoding, density, nb)
        if say:
            say(f"fit-scene: training {name} ({nb['steps']} steps)")
        runs[name] = fit_nerf(model, views, bounds, nb["steps"], lr, nb["batch_rays"],
                              nb["n_samples"], eval_every=nb["eval_every"], seed=seed,
                              device=device, progress=progress, description=name)
        rows[name] = _row(runs[name], model)
    return Comparison(rows, runs, nearest["test"], bounds)


def orbit_poses(train, n: int = 24) -> torch.Tensor:
    """``(n, 4, 4)``: train camera 0 turned about the mean camera-up axis through the
    origin (the scene's centre once normalised), a full circle."""
    axis = torch.nn.functional.normalize(train.poses[:, :3, 1].mean(0), dim=0)
    cross = torch.tensor([[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]],
                          [-axis[1], axis[0], 0.0]])
    poses = []
    for k in range(n):
        angle = 2 * math.pi * k / n      # Rodrigues: R = I + sin(a) K + (1 - cos(a)) K^2
        turn = torch.eye(4)
        turn[:3, :3] = (torch.eye(3) + math.sin(angle) * cross
                        + (1 - math.cos(angle)) * cross @ cross)
        poses.append(turn @ train.poses[0])
    return torch.stack(poses)
