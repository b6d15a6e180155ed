"""A tiny NeRF: the network, rendering rays through it, and training it (11_tiny_nerf).

Mildenhall et al. 2020, "NeRF: Representing Scenes as Neural Radiance Fields". A point
x in [-1, 1]^3 goes through an encoding (none, positional, Gaussian, hash grid: the
series' encoders with ``in_dim=3``) and an MLP trunk, which outputs a density
sigma(x) >= 0 and a feature vector; the feature vector and the encoded view direction d
(positional encoding, L = 4 as in the paper) go through a small head to the colour
c(x, d) in [0, 1]. Density depends on the position alone, so the geometry is the same
from every side; colour may change with the direction (highlights).

A pixel is rendered by sampling its ray (:mod:`helpers.rays`) and compositing the
samples (:mod:`helpers.volume`); training draws a fresh random batch of rays from
every train view in each step of :func:`helpers.loop.optimize`. No hierarchical
(coarse-to-fine) sampling here: one set of stratified samples per ray.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import torch
from torch import nn

from . import settings
from .encoders import Identity, PositionalEncoding
from .loop import optimize
from .metrics import mse, psnr
from .models import MLP
from .rays import as_bounds, camera_rays, ray_box, stratified_samples
from .volume import composite


class NeRF(nn.Module):
    """``(N, 3)`` points and ``(N, 3)`` unit directions -> ``(N, 3)`` colours, ``(N,)`` densities.

    position_encoder/direction_encoder: modules with ``out_dim`` (default: no encoding
    for positions, PositionalEncoding(L=4) for directions). Trunk: ``n_layers`` linear
    layers, ``hidden`` wide, ReLU; head: one ReLU layer ``hidden // 2`` wide, sigmoid.
    Density is softplus(raw - 1) (Mip-NeRF's choice): smooth, and nearly empty at the
    start, where NeRF's ReLU can leave whole regions dead.
    """

    def __init__(self, position_encoder: nn.Module | None = None,
                 direction_encoder: nn.Module | None = None, hidden: int = 128,
                 n_layers: int = 4):
        super().__init__()
        self.position_encoder = position_encoder or Identity(3)
        self.direction_encoder = direction_encoder or PositionalEncoding(4, in_dim=3)
        self.trunk = MLP(self.position_encoder.out_dim, hidden + 1, hidden, n_layers,
                         output="linear")
        self.head = MLP(hidden + self.direction_encoder.out_dim, 3, hidden // 2, 2,
                        output="sigmoid")

    def forward(self, points: torch.Tensor, dirs: torch.Tensor):
        out = self.trunk(self.position_encoder(points))
        sigma = nn.functional.softplus(out[:, 0] - 1)
        rgb = self.head(torch.cat([out[:, 1:], self.direction_encoder(dirs)], dim=-1))
        return rgb, sigma


def render_rays(model: nn.Module, origins: torch.Tensor, dirs: torch.Tensor, near: torch.Tensor,
                far: torch.Tensor, n_samples: int, perturb: bool = False,
                background: float = 1.0, generator: torch.Generator | None = None) -> dict:
    """``R`` rays through ``model``: ``n_samples`` stratified points each, then compositing.

    Only rays that cross the box (far > near) go through the network; the others add
    nothing and show the background (depth 0, opacity 0).
    Returns :func:`helpers.volume.composite`'s dict (rgb ``(R, 3)``, depth, opacity, weights).
    """
    t = stratified_samples(near, far, n_samples, perturb, generator)        # (R, S)
    hit = far > near
    if bool(hit.all()):
        points = origins[:, None, :] + t[..., None] * dirs[:, None, :]      # (R, S, 3)
        rgb, sigma = model(points.reshape(-1, 3),
                           dirs[:, None, :].expand_as(points).reshape(-1, 3))
        return composite(rgb.reshape(*t.shape, 3), sigma.reshape(t.shape), t, far, background)
    rgb, sigma = t.new_zeros(*t.shape, 3), t.new_zeros(t.shape)
    if bool(hit.any()):
        points = origins[hit, None, :] + t[hit, :, None] * dirs[hit, None, :]
        rgb_hit, sigma_hit = model(points.reshape(-1, 3),
                                   dirs[hit, None, :].expand_as(points).reshape(-1, 3))
        rgb = rgb.index_put((hit,), rgb_hit.reshape(-1, n_samples, 3).to(rgb.dtype))
        sigma = sigma.index_put((hit,), sigma_hit.reshape(-1, n_samples).to(sigma.dtype))
    return composite(rgb, sigma, t, far, background)


def _shape(size) -> tuple[int, int]:
    """``size`` (an int, square) or ``(H, W)`` -> ``(H, W)``."""
    if isinstance(size, int):
        return size, size
    height, width = (int(v) for v in size)
    return height, width


def view_rays(pose: torch.Tensor, size, focal: float, bounds) -> dict:
    """Every pixel's ray of one view (``size``: an int for a square, or ``(H, W)``) and where
    it crosses the box ``bounds = (low, high)``: ``{key: (H * W, ...)}``."""
    height, width = _shape(size)
    origins, dirs = camera_rays(pose, height, width, focal)
    near, far, _ = ray_box(origins, dirs, *as_bounds(bounds))
    return {"origins": origins, "dirs": dirs, "near": near, "far": far}


def all_rays(views, bounds) -> dict:
    """The rays of every pixel of every view, and their colours: ``{key: (N * H * W, ...)}``."""
    low_high = as_bounds(bounds)
    rays = [view_rays(pose, (views.height, views.width), views.focal, low_high)
            for pose in views.poses]
    out = {key: torch.cat([r[key] for r in rays]) for key in rays[0]}
    out["colors"] = views.images.reshape(-1, 3)
    return out


@torch.no_grad()
def render_view(model: nn.Module, pose: torch.Tensor, size, focal: float, bounds,
                n_samples: int, chunk_size: int = 8192, background: float = 1.0
                ) -> tuple[torch.Tensor, torch.Tensor]:
    """One view, ``size`` an int (square) or ``(H, W)``: image ``(H, W, 3)`` and depth
    ``(H, W)`` on the CPU. Depth is inf where a ray misses the box (as in
    :class:`helpers.scene.Views`).

    ``chunk_size`` rays at a time (``chunk_size * n_samples`` points through the network),
    like :func:`helpers.train.predict_image`, so memory does not grow with the image.
    """
    height, width = _shape(size)
    device = next(model.parameters()).device
    rays = {k: v.to(device) for k, v in view_rays(pose, (height, width), focal, bounds).items()}
    rgb, depth = [], []
    for i in range(0, height * width, chunk_size):
        part = {k: v[i:i + chunk_size] for k, v in rays.items()}
        out = render_rays(model, part["origins"], part["dirs"], part["near"], part["far"],
                          n_samples, background=background)
        rgb.append(out["rgb"].clamp(0, 1).cpu())
        missed = part["far"] <= part["near"]
        depth.append(out["depth"].masked_fill(missed, math.inf).cpu())
    return torch.cat(rgb).reshape(height, width, 3), torch.cat(depth).reshape(height, width)


def views_psnr(model: nn.Module, views, bounds, n_samples: int, chunk_size: int = 8192,
               background: float = 1.0):
    """PSNR over all pixels of ``views`` and the rendered images ``(N, H, W, 3)``."""
    images = torch.stack([render_view(model, pose, (views.height, views.width), views.focal,
                                      bounds, n_samples, chunk_size, background)[0]
                          for pose in views.poses])
    return psnr(images, views.images), images


def depth_error(model: nn.Module, views, bounds, n_samples: int) -> float | None:
    """Median |rendered - true depth| over the pixels whose true depth is known (finite),
    in the views' units; None when the views have no depths."""
    if views.depths is None or not torch.isfinite(views.depths).any():
        return None
    errors = []
    for pose, truth in zip(views.poses, views.depths):
        depth = render_view(model, pose, (views.height, views.width), views.focal, bounds,
                            n_samples)[1]
        known = torch.isfinite(truth)
        errors.append((depth - truth)[known].abs().nan_to_num(posinf=1e6))
    return float(torch.cat(errors).median())


@dataclass
class NerfResult:
    """What :func:`fit_nerf` returns: the trained model, the PSNR over every pixel of the
    val/test views and of ``n_train_scored`` train views spread over all of them, one test
    view rendered (``prediction``), the history and times."""

    model: nn.Module
    train_psnr: float
    val_psnr: float
    test_psnr: float
    prediction: torch.Tensor
    history: dict = field(default_factory=dict)
    steps: int = 0
    seconds: float = 0.0
    seconds_per_step: float = 0.0
    diverged: bool = False
    snapshots: list = field(default_factory=list)
    n_train_scored: int = 0

    def __repr__(self) -> str:
        return (f"NerfResult(train {self.train_psnr:.2f} dB ({self.n_train_scored} views "
                f"spread over the train set), val {self.val_psnr:.2f} dB, "
                f"test {self.test_psnr:.2f} dB, {self.steps} steps, {self.seconds:.1f} s)")


def check_fit_inputs(views, bounds) -> tuple[torch.Tensor, torch.Tensor]:
    """One sentence for what fit_nerf cannot train on; the bounds as float32 tensors."""
    from .scene import Views

    if not isinstance(views, dict) or any(not isinstance(views.get(k), Views)
                                          for k in ("train", "val", "test")):
        raise TypeError(f"fit_nerf takes {{'train', 'val', 'test'}} of scene.Views, as "
                        f"scene.make_views and scene_data.load_views return; got "
                        f"{type(views).__name__}.")
    low, high = as_bounds(bounds)
    if (low < -1 - 1e-5).any() or (high > 1 + 1e-5).any():
        raise ValueError(f"bounds {low.tolist()} to {high.tolist()} reach outside [-1, 1]^3, "
                         f"where positional encoding repeats every 2 units: normalise the "
                         f"scene first, with scene_data.load_views or scene_data.normalize.")
    return low, high


def _missed_not_background(rays: dict, background: float) -> float:
    """The share of rays that miss the box yet do not show the background colour."""
    missed = rays["far"] <= rays["near"]
    if not bool(missed.any()):
        return 0.0
    off = (rays["colors"][missed] - background).abs().amax(-1) > 0.05
    return float(off.float().mean())


def fit_nerf(model: nn.Module, views: dict, bounds, steps: int, lr: float, batch_rays: int,
             n_samples: int, eval_every: int = 100, n_val_rays: int = 4096, seed: int = 0,
             device: str | None = None, progress: bool = True, description: str = "nerf",
             background: float = 1.0, n_train_views_scored: int = 8,
             on_eval=None) -> NerfResult:
    """Train ``model`` on the rays of ``views["train"]`` with :func:`helpers.loop.optimize`.

    bounds: the box to sample in, inside [-1, 1]^3 (the encoders' domain). Each step:
    ``batch_rays`` random rays of all train views (those that miss the box show the
    background whatever the network does, and skip it), stratified samples, MSE to their
    pixels.
    Every ``eval_every`` steps the PSNR of ``n_val_rays`` fixed val rays (the model keeps
    its best val state). At the end every pixel of the val and test views is rendered, and
    of ``n_train_views_scored`` train views spread evenly over them (train PSNR).
    on_eval(step, values): called at each evaluation (a live view plugs in there).
    """
    bounds = check_fit_inputs(views, bounds)
    device = device or settings.DEVICE
    generator = torch.Generator(device=device).manual_seed(seed)
    model.to(device)
    train = all_rays(views["train"], bounds)
    stray = _missed_not_background(train, background)
    if stray > 0.01:
        warnings.warn(f"{stray:.0%} of the train rays that miss the box do not show the "
                      f"background: the box cuts off part of the scene; pass larger bounds "
                      f"(within [-1, 1]^3) or normalise with scene_data.load_views.", stacklevel=2)
    # rays that miss the box stay in the pool (they skip the network in render_rays and add
    # no gradient); dropping them changes which rays each batch draws, and 11's results
    train = {k: v.to(device) for k, v in train.items()}
    val = {k: v.to(device) for k, v in all_rays(views["val"], bounds).items()}
    pick = torch.randperm(len(val["colors"]), generator=torch.Generator().manual_seed(seed))
    val = {k: v[pick[:n_val_rays].to(device)] for k, v in val.items()}

    def loss_fn(step: int) -> torch.Tensor:
        idx = torch.randint(len(train["colors"]), (batch_rays,), generator=generator,
                            device=device)
        out = render_rays(model, train["origins"][idx], train["dirs"][idx], train["near"][idx],
                          train["far"][idx], n_samples, perturb=True, background=background,
                          generator=generator)
        return mse(out["rgb"], train["colors"][idx])

    def evaluate(step: int) -> dict:
        out = render_rays(model, val["origins"], val["dirs"], val["near"], val["far"], n_samples,
                          background=background)
        return {"val_psnr": psnr(out["rgb"], val["colors"])}

    run = optimize(model, loss_fn, steps, lr, evaluate=evaluate, eval_every=eval_every,
                   score="val_psnr", progress=progress, description=description,
                   on_eval=on_eval)
    n_train = len(views["train"])
    spread = torch.linspace(0, n_train - 1, min(n_train_views_scored, n_train)).round().long()
    scored = dict(views, train=views["train"].subset(spread.unique()))
    scores = {name: views_psnr(model, scored[name], bounds, n_samples, background=background)
              for name in ("train", "val", "test")}
    return NerfResult(model, scores["train"][0], scores["val"][0], scores["test"][0],
                      scores["test"][1][0], run.history, run.steps, run.seconds,
                      run.seconds_per_step, run.diverged, n_train_scored=len(scored["train"]))
