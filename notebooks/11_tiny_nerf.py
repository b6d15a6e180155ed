# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 11 · A tiny NeRF: the series' destination
#
# **What you will learn**
# 1. How NeRF learns a 3-D scene from its photos: rays from cameras, samples along them, a network from a point and a direction to a density and a colour, volume rendering, random batches of rays — each written out in a few lines, then checked against the helper.
# 2. That the series' lessons return in 3-D: without an encoding the scene blurs, positional encoding sharpens it up to the frequencies the views can support, Gaussian features and a hash grid do it too.
# 3. How the trained network renders cameras it never saw: held-out views, a depth map, an orbit video.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/11_tiny_nerf.ipynb)

# %%
# Set-up: on Google Colab, fetch the series and install its helpers (about 30 s);
# anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess
    REPO_URL = "https://github.com/coordinate-mlps-live/coordinate-mlps-live"
    REPO_DIR = os.path.expanduser("~/coordinate-mlps-live")
    if not os.path.isdir(REPO_DIR):
        subprocess.run(["git", "clone", "-q", "--depth", "1", REPO_URL, REPO_DIR], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", REPO_DIR], check=True)
    sys.path.insert(0, REPO_DIR)

# %%
import math
import tempfile
import time
from pathlib import Path

import imageio.v2 as imageio
import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import torch

import helpers
from helpers import nerf, plots, scene, settings, video, widgets
from helpers.encoders import GaussianFourierFeatures, Identity, PositionalEncoding
from helpers.hashgrid import HashGridEncoding
from helpers.loop import optimize
from helpers.rays import camera_rays, ray_box, stratified_samples
from helpers.volume import composite

NB = settings.NOTEBOOK_11  # this notebook's sizes and steps, per budget
print(settings.describe(NB))
print(f"this notebook: {NB['n_train']} train views at {NB['size']} px, {NB['steps']} steps of "
      f"{NB['batch_rays']} rays x {NB['n_samples']} samples, MLP {NB['n_layers']} x {NB['hidden']}")
DEVICE = settings.DEVICE
BOUNDS = scene.BOUNDS
NOTEBOOK_START = time.perf_counter()

# %% [markdown]
# ## 1 · A scene with ground truth, made in code
#
# 01_dataset opened with NeRF: a network that maps a 3-D point to a colour and a density,
# trained from photos. Here it is. Real NeRF data are photos with camera poses estimated
# by structure-from-motion; ours is a small scene rendered by a ray caster in
# `helpers/scene.py` (a few dozen lines: each camera ray is intersected analytically with
# a floor tile, two spheres and a box), so every view is exact, depth included, and
# nothing downloads. Fine detail on purpose: checkerboards of 8, 5 and 12 × 6 squares,
# hard shadows, and one highlight that moves with the viewer.
#
# The cameras sit on a sphere around the scene. As in 01's pixel split, some cameras are
# **held out**: validation views (to choose knobs) and test views (to report), never
# trained on — the 3-D version of "test on pixels the network never saw".

# %%
start = time.perf_counter()
views = scene.make_views(NB["size"], NB["n_train"], NB["n_val"], NB["n_test"])
train, val, test = views["train"], views["val"], views["test"]
print(f"{len(train)} train, {len(val)} val and {len(test)} test views of {train.size} x "
      f"{train.size} px, focal length {train.focal:.1f} px, rendered in "
      f"{time.perf_counter() - start:.1f} s")


def show_depth(depth):
    """Depth with the background (no surface) blank."""
    depth = depth.clone()
    depth[~torch.isfinite(depth)] = float("nan")
    return depth


shown = [train.images[0], train.images[1], train.images[2], test.images[0], test.images[1],
         show_depth(test.depths[0])]
titles = ["train view 0", "train view 1", "train view 2", "test view 0 (held out)",
          "test view 1 (held out)", "test view 0: depth"]
fig = plots.show_images(shown, titles, ncols=6, size=2.6, cmap="viridis")

# %% [markdown]
# Where the cameras are (seen from above) and the box NeRF samples in, `scene.BOUNDS`:
# every object lies inside it, so no sample is wasted outside.

# %%
fig, ax = plt.subplots(figsize=(4.6, 4.2), constrained_layout=True)
for name, marker in (("train", "o"), ("val", "s"), ("test", "*")):
    eyes = views[name].poses[:, :3, 3]
    ax.scatter(eyes[:, 0], eyes[:, 1], marker=marker, s=60 if marker == "*" else 25, label=name)
(x0, y0, _), (x1, y1, _) = BOUNDS
ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="black"))
ax.set_aspect("equal")
ax.set_title("cameras from above, and the scene's box")
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# ## 2 · NeRF by hand
#
# ### Rays from a camera
#
# A camera is a pose (the 4 × 4 camera-to-world matrix: its right, up and backward
# axes and its position) and a focal length f in pixels. In the camera's frame the
# pixel in row j, column i looks along ((i + ½ − W/2)/f, −(j + ½ − H/2)/f, −1) — NeRF's
# convention, the camera looking down its −z axis. Rotate that into the world, normalise,
# and every pixel is a ray o + t d, t being a distance in the scene:

# %%
def rays_of(pose, size, focal):
    rows, cols = torch.meshgrid(torch.arange(size) + 0.5, torch.arange(size) + 0.5, indexing="ij")
    d_camera = torch.stack([(cols - size / 2) / focal, -(rows - size / 2) / focal,
                            -torch.ones_like(rows)], dim=-1).reshape(-1, 3)
    dirs = d_camera @ pose[:3, :3].T
    return pose[:3, 3].expand_as(dirs), dirs / dirs.norm(dim=-1, keepdim=True)


origins, dirs = rays_of(train.poses[0], train.size, train.focal)
origins_ref, dirs_ref = camera_rays(train.poses[0], train.size, train.size, train.focal)
assert torch.allclose(origins, origins_ref) and torch.allclose(dirs, dirs_ref, atol=1e-6)
print(f"{len(dirs)} rays; the pixel next to the centre looks along {dirs[train.size * (train.size // 2) + train.size // 2].numpy().round(3)}, "
      f"the camera axis is {(-train.poses[0][:3, 2]).numpy().round(3)}")

# %% [markdown]
# ### Samples along each ray
#
# Each ray crosses the box between two distances, near and far (the slab method:
# where it enters and leaves the three pairs of planes). NeRF looks at n points in
# between. Always the same n points would teach the network the scene at n depths
# only, so in training each point is drawn at random inside its own bin
# ("stratified sampling"): over many steps every depth is seen. For rendering, the bins'
# midpoints.

# %%
def stratified(near, far, n_samples, generator=None):
    u = torch.rand(len(near), n_samples, generator=generator, device=near.device)  # in each bin
    fractions = (torch.arange(n_samples, device=near.device) + u) / n_samples  # bin k: [k, k+1]/n
    return near[:, None] + (far - near)[:, None] * fractions


near, far, hit = ray_box(origins, dirs, torch.tensor(BOUNDS[0]), torch.tensor(BOUNDS[1]))
t_mine = stratified(near, far, NB["n_samples"], torch.Generator().manual_seed(1))
t_ref = stratified_samples(near, far, NB["n_samples"], generator=torch.Generator().manual_seed(1))
assert torch.allclose(t_mine, t_ref)
width = ((far - near) / NB["n_samples"])[:, None]
lower = near[:, None] + width * torch.arange(NB["n_samples"])
assert ((t_mine >= lower - 1e-5) & (t_mine <= lower + width + 1e-5)).all()  # one per bin
print(f"{int(hit.sum())} of {len(hit)} rays cross the box; a crossing is "
      f"{float((far - near)[hit].mean()):.2f} units long on average")

# %% [markdown]
# ### The network
#
# The network of 02–07 with two changes. Its input is a point x in the box (3 numbers in
# [−1, 1]), through any of the series' encoders (they all take `in_dim=3`). Its output is
# a density σ(x) ≥ 0 (how much the point blocks light) and a feature vector; the
# features and the encoded viewing direction d go through a small head to the colour.
# σ depends on x alone, so the geometry is the same from every side; the colour may
# change with d (the green ball's highlight does). Directions get a small positional
# encoding (L = 4, as in the paper): colour varies slowly with the angle.

# %%
class TinyNeRF(torch.nn.Module):
    def __init__(self, position_encoder, direction_encoder, hidden, n_layers):
        super().__init__()
        self.position_encoder = position_encoder
        self.direction_encoder = direction_encoder
        self.trunk = helpers.MLP(position_encoder.out_dim, hidden + 1, hidden, n_layers,
                                 output="linear")              # density + features
        self.head = helpers.MLP(hidden + direction_encoder.out_dim, 3, hidden // 2, 2)

    def forward(self, points, dirs):
        out = self.trunk(self.position_encoder(points))
        sigma = torch.nn.functional.softplus(out[:, 0] - 1)   # >= 0, nearly empty at first
        rgb = self.head(torch.cat([out[:, 1:], self.direction_encoder(dirs)], dim=-1))
        return rgb, sigma


L_NYQUIST = nerf.nyquist_n_freqs(train.size, train.focal, scene.RADIUS)
torch.manual_seed(0)  # the same test points every time this cell runs
mine = TinyNeRF(PositionalEncoding(L_NYQUIST, in_dim=3), PositionalEncoding(4, in_dim=3),
                NB["hidden"], NB["n_layers"])
helper = nerf.NeRF(PositionalEncoding(L_NYQUIST, in_dim=3), PositionalEncoding(4, in_dim=3),
                   NB["hidden"], NB["n_layers"])
mine.load_state_dict(helper.state_dict())
points = torch.rand(100, 3) * 2 - 1
with torch.no_grad():
    for a, b in zip(mine(points, dirs[:100]), helper(points, dirs[:100])):
        assert torch.allclose(a, b)
print(helper)

# %% [markdown]
# ### Volume rendering
#
# A pixel is what its ray collects. Sample i fills the stretch δᵢ = tᵢ₊₁ − tᵢ of the ray
# and lets light through with probability exp(−σᵢ δᵢ), so its opacity is
# αᵢ = 1 − exp(−σᵢ δᵢ). The light that reaches sample i is the transmittance
# Tᵢ = ∏_{j<i} (1 − αⱼ); sample i paints the share wᵢ = Tᵢ αᵢ of the pixel, and what is
# left shows the background:
#
# C = Σᵢ wᵢ cᵢ + (1 − Σᵢ wᵢ) · background,   depth = Σᵢ wᵢ tᵢ + (1 − Σᵢ wᵢ) · far.
#
# Every step is differentiable: a pixel's error reaches every sample's density and
# colour, so the network learns where surfaces are from images alone.

# %%
def render(colors, sigmas, t, far, background=1.0):
    deltas = torch.cat([t[:, 1:] - t[:, :-1], far[:, None] - t[:, -1:]], dim=-1)
    alphas = 1 - torch.exp(-sigmas * deltas)
    transmittance = torch.cumprod(torch.cat([torch.ones_like(alphas[:, :1]),
                                             1 - alphas[:, :-1]], dim=-1), dim=-1)
    weights = transmittance * alphas
    left = 1 - weights.sum(-1)
    rgb = (weights[..., None] * colors).sum(1) + left[:, None] * background
    return rgb, (weights * t).sum(-1) + left * far, weights


# One ray, three samples, by hand: t = 1, 2, 4 and the ray ends at 5 (stretches 1, 2, 1);
# sigma = 0, ln 2 / 2, ln 4 -> alpha = 0, 1/2, 3/4 -> T = 1, 1, 1/2 -> w = 0, 1/2, 3/8,
# so 1/8 of the white background shows: C = (0, 1/2, 3/8) + 1/8, depth = 1 + 3/2 + 5/8.
t3 = torch.tensor([[1.0, 2.0, 4.0]])
sigma3 = torch.tensor([[0.0, math.log(2) / 2, math.log(4)]])
colors3 = torch.eye(3)[None]                                   # red, green, blue samples
rgb3, depth3, weights3 = render(colors3, sigma3, t3, torch.tensor([5.0]))
assert torch.allclose(weights3, torch.tensor([[0.0, 0.5, 0.375]]), atol=1e-6)
assert torch.allclose(rgb3, torch.tensor([[0.125, 0.625, 0.5]]), atol=1e-6)
assert torch.allclose(depth3, torch.tensor([3.125]), atol=1e-6)
reference = composite(colors3, sigma3, t3, torch.tensor([5.0]))
assert torch.allclose(reference["rgb"], rgb3) and torch.allclose(reference["depth"], depth3)
torch.manual_seed(0)
random_ray = (torch.rand(50, NB["n_samples"], 3), 3 * torch.rand(50, NB["n_samples"]),
              t_ref[hit][:50], far[hit][:50])           # random colours and densities
assert torch.allclose(render(*random_ray)[0], composite(*random_ray)["rgb"], atol=1e-6)
print(f"by hand: rgb {rgb3[0].tolist()}, depth {depth3.item():.3f}, weights {weights3[0].tolist()}")

# %% [markdown]
# ### Random batches of rays — the one place in the series for mini-batches
#
# 02–07 trained on every train pixel in every step: one image's pixels are a single,
# cheap batch, and the full batch gives the exact gradient, without noise. NeRF's data
# are every pixel of every train view, and each pixel costs `n_samples` network
# evaluations, so one full-batch step would push the number below through the network
# (and keep its activations for the backward pass). Instead each step draws a few
# thousand rays at random from all views: an unbiased estimate of the full loss, cheap,
# and mixing views in every step, so no camera dominates a stretch of training. Together
# with the random depths within each bin, every step sees new points of the scene.

# %%
train_rays = {key: value.to(DEVICE) for key, value in nerf.all_rays(train, BOUNDS).items()}
n_rays = len(train_rays["colors"])
print(f"{n_rays:,} train rays x {NB['n_samples']} samples = "
      f"{n_rays * NB['n_samples']:,} network evaluations for one full-batch step; "
      f"a batch of {NB['batch_rays']} rays is {NB['batch_rays'] * NB['n_samples']:,}")

# %% [markdown]
# The training loop, by hand once: draw rays, sample them, run the network, render,
# compare with the pixels, step. Positional encoding with L from the Nyquist argument
# below.

# %%
LR = 5e-3 if NB["hidden"] <= 128 else 1e-3  # Adam; 5e-3 suits the small MLPs of the CPU budgets


def new_model(seed=0):
    torch.manual_seed(seed)
    return TinyNeRF(PositionalEncoding(L_NYQUIST, in_dim=3), PositionalEncoding(4, in_dim=3),
                    NB["hidden"], NB["n_layers"]).to(DEVICE)


model = new_model()
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
generator = torch.Generator(DEVICE).manual_seed(0)
losses = []
start = time.perf_counter()
for step in range(1, NB["hand_steps"] + 1):
    idx = torch.randint(n_rays, (NB["batch_rays"],), generator=generator, device=DEVICE)
    o, d = train_rays["origins"][idx], train_rays["dirs"][idx]
    t = stratified(train_rays["near"][idx], train_rays["far"][idx], NB["n_samples"], generator)
    points = o[:, None, :] + t[..., None] * d[:, None, :]                   # (rays, samples, 3)
    rgb, sigma = model(points.reshape(-1, 3), d[:, None, :].expand_as(points).reshape(-1, 3))
    pixels, _, _ = render(rgb.reshape(*t.shape, 3), sigma.reshape(t.shape), t,
                          train_rays["far"][idx])
    loss = helpers.mse(pixels, train_rays["colors"][idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
print(f"{NB['hand_steps']} steps by hand in {time.perf_counter() - start:.1f} s: "
      f"loss {losses[0]:.4f} -> {losses[-1]:.4f}")

# %% [markdown]
# The same with the helpers: `nerf.render_rays` is the sampling, the network and the
# rendering, and `helpers.loop.optimize` is the loop the whole series trains with — it
# asks for `loss_fn(step)`, here a fresh random batch each step. Same seeds, same rays,
# same numbers:

# %%
model_helper = new_model()
generator = torch.Generator(DEVICE).manual_seed(0)


def loss_fn(step):
    idx = torch.randint(n_rays, (NB["batch_rays"],), generator=generator, device=DEVICE)
    out = nerf.render_rays(model_helper, train_rays["origins"][idx], train_rays["dirs"][idx],
                           train_rays["near"][idx], train_rays["far"][idx], NB["n_samples"],
                           perturb=True, generator=generator)
    return helpers.mse(out["rgb"], train_rays["colors"][idx])


run = optimize(model_helper, loss_fn, NB["hand_steps"], LR, eval_every=1, progress=False)
assert math.isclose(run.history["loss"][1], losses[0], rel_tol=1e-4)  # the same first batch
# then round-off (a cumulative product here, a sum of logs in the helper) lets them drift apart
assert math.isclose(np.mean(run.history["loss"][-10:]), np.mean(losses[-10:]), rel_tol=0.05)
fig, ax = plt.subplots(figsize=(5.5, 3), constrained_layout=True)
ax.plot(range(1, len(losses) + 1), losses, label="by hand", linewidth=3, alpha=0.5)
ax.plot(run.history["step"][1:], run.history["loss"][1:], "--", label="helpers.loop.optimize")
ax.set_xlabel("step")
ax.set_ylabel("MSE of the batch")
ax.set_yscale("log")
ax.set_title("the loop by hand and the helper's loop")
ax.legend()
plt.show()

# %% [markdown]
# ## 3 · The series in 3-D
#
# ### How many frequencies can the views support?
#
# 03 found the limit for an image: frequencies above the train grid's Nyquist limit are
# not seen by any train pixel and only memorise. In 3-D the samples are the pixels'
# footprints on the scene. At the cameras' distance D a pixel covers D / f scene units,
# so the box's width of 2 (the encoders' [−1, 1]) spans 2 f / D pixels, and the views can
# tell apart at most half as many periods across it. Positional encoding's top frequency
# 2^(L−1) must stay below that. Many views at slightly different positions do not lift
# the limit much: they all see the scene at about the same resolution.

# %%
pixels_across = 2 * train.focal / scene.RADIUS
periods = pixels_across / 2
print(f"{train.size} px views: the box spans about {pixels_across:.0f} pixels, so the views "
      f"resolve up to {periods:.0f} periods across it -> L = {L_NYQUIST} "
      f"(top frequency {2 ** (L_NYQUIST - 1)}); L = {L_NYQUIST + 3} would reach "
      f"{2 ** (L_NYQUIST + 2)}")

# %% [markdown]
# ### The contenders, as data
#
# Same rays, same steps, same batches (seed 0), the same MLP for the three fixed
# encodings; the hash grid keeps its paper's recipe, a tiny MLP (one hidden layer of
# 64) and lr 1e-2. Gaussian features: 128 random frequencies with σ = periods / 4, so
# that three standard deviations, nearly all of them, stay within ¾ of the Nyquist
# limit. The hash grid's finest level has one cell per pixel footprint.

# %%
SIGMA = round(periods / 4, 1)
CONFIGS = {  # name: (position encoder, lr, hidden width, layers)
    "no encoding": (lambda: Identity(3), LR, NB["hidden"], NB["n_layers"]),
    f"PE L={L_NYQUIST}": (lambda: PositionalEncoding(L_NYQUIST, in_dim=3), LR, NB["hidden"],
                          NB["n_layers"]),
    f"PE L={L_NYQUIST + 3}": (lambda: PositionalEncoding(L_NYQUIST + 3, in_dim=3), LR,
                              NB["hidden"], NB["n_layers"]),
    f"Gaussian σ={SIGMA:g}": (lambda: GaussianFourierFeatures(SIGMA, 128, in_dim=3), LR,
                              NB["hidden"], NB["n_layers"]),
    "hash grid": (lambda: HashGridEncoding(NB["hash_levels"], 2, NB["log2_table_size"], 4,
                                           round(pixels_across), in_dim=3), 1e-2, 64, 2),
}


def train_config(name, views_=views, steps=NB["steps"], seed=0, progress=True):
    make_encoder, lr, hidden, n_layers = CONFIGS[name]
    torch.manual_seed(seed)
    model = nerf.NeRF(make_encoder(), PositionalEncoding(4, in_dim=3), hidden, n_layers)
    return nerf.fit_nerf(model, views_, BOUNDS, steps, lr, NB["batch_rays"], NB["n_samples"],
                         eval_every=NB["eval_every"], seed=seed, device=DEVICE,
                         progress=progress, description=name)


results = {}
for name in CONFIGS:
    results[name] = train_config(name)
    print(f"{name:<16}{results[name]}")

# %%
rows = [(name, helpers.count_params(r.model), r.train_psnr, r.val_psnr, r.test_psnr, r.seconds,
         1000 * r.seconds_per_step) for name, r in results.items()]
print(f"{'encoding':<16}{'params':>9}{'train dB':>10}{'val dB':>8}{'test dB':>9}"
      f"{'seconds':>9}{'ms/step':>9}")
for name, params, tr, va, te, sec, ms in rows:
    print(f"{name:<16}{params:>9,}{tr:>10.2f}{va:>8.2f}{te:>9.2f}{sec:>9.1f}{ms:>9.0f}")
print(f"(test: every pixel of the {len(test)} held-out views; {NB['steps']} steps of "
      f"{NB['batch_rays']} rays on {DEVICE})")

fig, axes = plt.subplots(1, 2, figsize=(11, 3.4), constrained_layout=True)
for i, (name, r) in enumerate(results.items()):
    for ax, x in zip(axes, ("step", "seconds")):
        ax.plot(r.history[x], r.history["val_psnr"], "o-", label=name, color=plt.cm.tab10(i))
for ax, x in zip(axes, ("step", "seconds of training (evaluations included)")):
    ax.set_xlabel(x)
    ax.set_ylabel("val PSNR (dB, fixed val rays)")
    ax.grid(alpha=0.3)
axes[0].set_title("held-out rays: per step")
axes[1].set_title(f"held-out rays: per second on {DEVICE}")
axes[0].legend(fontsize=8)
plt.show()

# %% [markdown]
# Read the table as 02–07 taught. Without an encoding the network gets the colours and
# the rough shapes but no checkerboard: spectral bias, in 3-D. Positional encoding with
# the Nyquist L resolves the squares. L three steps higher adds frequencies no pixel can
# check (03's lesson); whether they cost test PSNR here is printed below — in 3-D every
# point is seen by many cameras, which pins high frequencies down better than one
# image's train pixels do, so the cost can be small. Gaussian features mix x, y and z in
# every frequency, as in 04. The hash grid: Instant-NGP trains a NeRF in seconds with
# fused GPU kernels; in plain PyTorch each sample gathers 8 corners on every level, which
# on a CPU costs more per step than its small MLP saves. The two plots above separate
# "learns most per step" from "learns most per second".
#
# The claims, checked on the held-out views:

# %%
none, pe = results["no encoding"], results[f"PE L={L_NYQUIST}"]
assert pe.test_psnr >= none.test_psnr + 2, "positional encoding should beat no encoding by 2 dB"
too_many = results[f"PE L={L_NYQUIST + 3}"]
best_name = max(results, key=lambda name: results[name].val_psnr)  # chosen on val views
print(f"PE beats no encoding by {pe.test_psnr - none.test_psnr:.1f} dB on the test views; "
      f"L = {L_NYQUIST + 3} instead of {L_NYQUIST}: train {too_many.train_psnr - pe.train_psnr:+.2f} dB, "
      f"test {too_many.test_psnr - pe.test_psnr:+.2f} dB; best on the val views: {best_name} "
      f"({results[best_name].test_psnr:.2f} dB test)")

# %% [markdown]
# ### L on a slider
#
# The Nyquist argument in one knob: drag L and a NeRF retrains at the preview size
# (fewer pixels, so a lower L is the limit there). Values already trained show at once.

# %%
preview_views = scene.make_views(NB["preview_size"], NB["n_train"], NB["n_val"], NB["n_test"])
preview = preview_views["train"]
L_PREVIEW = nerf.nyquist_n_freqs(preview.size, preview.focal, scene.RADIUS)


def train_preview(L):
    torch.manual_seed(0)
    model = nerf.NeRF(PositionalEncoding(int(L), in_dim=3), PositionalEncoding(4, in_dim=3),
                      NB["hidden"], NB["n_layers"])
    return nerf.fit_nerf(model, preview_views, BOUNDS, NB["preview_steps"], LR,
                         NB["batch_rays"], NB["n_samples"], eval_every=NB["preview_steps"],
                         device=DEVICE, progress=False)


precomputed = {L: train_preview(L) for L in (1, L_PREVIEW, L_PREVIEW + 3)}
print(f"preview: {preview.size} px views, Nyquist L = {L_PREVIEW}")
widgets.retrain_panel(
    ipywidgets.IntSlider(value=L_PREVIEW, min=1, max=10, step=1, description="L"),
    train_preview, target=preview_views["test"].images[0], precomputed=precomputed, name="L",
    show_spectrum=False)

# %% [markdown]
# ## 4 · Look: new cameras
#
# ### Held-out views next to their ground truth
#
# Each network renders test view 0, a camera it never trained on (titles: PSNR over all
# test views), with a zoom on the box's checkerboard.

# %%
ZOOM = (0.30, 0.62, 0.45, 0.80)  # (y0, y1, x0, x1) as fractions of the view
images = {"ground truth": test.images[0]}
images.update({name: r.prediction for name, r in results.items()})
titles = ["ground truth (test view 0)"] + [f"{name}\ntest {r.test_psnr:.1f} dB"
                                           for name, r in results.items()]
fig = plots.show_images(list(images.values()), titles, ncols=len(images), size=2.7)
for ax, image in zip(fig.axes, images.values()):
    plots.add_inset(ax, image, ZOOM)
plt.show()

# %% [markdown]
# ### Depth
#
# The depth NeRF renders is the weighted mean of its samples' distances, Σᵢ wᵢ tᵢ: where
# the network put its density. Nobody told it the geometry; it agrees with the ray
# caster's exact depth wherever the views constrain it. Right: the weights wᵢ along one
# ray through the red ball, peaking at the true surface.

# %%
best = results[best_name]
image_best, depth_best = nerf.render_view(best.model, test.poses[0], test.size, test.focal,
                                          BOUNDS, NB["n_samples"])
true_depth = test.depths[0]
surface = torch.isfinite(true_depth)  # pixels whose ray meets an object
error = (depth_best - true_depth).abs()[surface]
print(f"{best_name}: depth error on surface pixels, median {error.median():.3f}, "
      f"mean {error.mean():.3f} scene units (the box is 2 wide)")

ball_pixel = int((test.images[0].reshape(-1, 3) - torch.tensor([0.86, 0.13, 0.12]) * 0.95)
                 .norm(dim=-1).argmin())
ray = nerf.view_rays(test.poses[0], test.size, test.focal, BOUNDS)
ray = {k: v[ball_pixel:ball_pixel + 1].to(DEVICE) for k, v in ray.items()}
with torch.no_grad():
    out = nerf.render_rays(best.model, ray["origins"], ray["dirs"], ray["near"], ray["far"],
                           NB["n_samples"])
t_ray = stratified_samples(ray["near"], ray["far"], NB["n_samples"], perturb=False)

fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), constrained_layout=True)
vmin, vmax = float(true_depth[surface].min()), float(true_depth[surface].max())
for ax, d, title in ((axes[0], show_depth(true_depth), "true depth (ray caster)"),
                     (axes[1], show_depth(depth_best), f"NeRF depth ({best_name})")):
    handle = ax.imshow(d, cmap="viridis", vmin=vmin, vmax=vmax)
    ax.set_title(title)
    ax.axis("off")
fig.colorbar(handle, ax=axes[1], shrink=0.8)
handle = axes[2].imshow(torch.where(surface, (depth_best - true_depth).abs(),
                                    torch.tensor(float("nan"))), cmap="magma", vmin=0, vmax=0.3)
axes[2].set_title(f"|error|, median {error.median():.3f}")
axes[2].axis("off")
fig.colorbar(handle, ax=axes[2], shrink=0.8)
axes[3].plot(t_ray[0].cpu(), out["weights"][0].cpu(), "o-", markersize=3)
axes[3].axvline(float(true_depth.reshape(-1)[ball_pixel]), color="black", linestyle="--",
                label="true surface")
axes[3].set_xlabel("distance t along the ray")
axes[3].set_ylabel("weight wᵢ")
axes[3].set_title("one ray through the red ball")
axes[3].legend(fontsize=8)
plt.show()

# %% [markdown]
# ### An orbit from new viewpoints
#
# A circle of cameras at an elevation and azimuths no train camera had, rendered by the
# network chosen on the val views (left) and by the ray caster (right). Saved as MP4
# (imageio's ffmpeg); the path is printed below the video.

# %%
orbit_poses = [scene.camera_pose(azimuth, 32.0)
               for azimuth in np.linspace(0, 360, NB["orbit_frames"], endpoint=False) + 7.5]
truth = scene.render_views(orbit_poses, test.size)
scale = max(1, math.ceil(256 / test.size))
frames = []
for pose, true_image in zip(orbit_poses, truth.images):
    rendered, _ = nerf.render_view(best.model, pose, test.size, test.focal, BOUNDS,
                                   NB["n_samples"])
    pair = torch.cat([rendered, torch.ones(test.size, 2, 3), true_image], dim=1)
    frame = (pair.numpy() * 255 + 0.5).astype(np.uint8).repeat(scale, 0).repeat(scale, 1)
    frames.append(np.pad(frame, ((0, (-frame.shape[0]) % 16), (0, (-frame.shape[1]) % 16),
                                 (0, 0)), constant_values=255))
orbit_psnr = helpers.psnr(torch.stack([torch.from_numpy(f[:test.size * scale:scale,
                                                           :test.size * scale:scale] / 255.0)
                                       for f in frames]).float(), truth.images)
ORBIT_PATH = Path(tempfile.gettempdir()) / "coordinate-mlps-live" / "10_tiny_nerf_orbit.mp4"
ORBIT_PATH.parent.mkdir(parents=True, exist_ok=True)
imageio.mimwrite(ORBIT_PATH, frames, fps=12, codec="libx264", macro_block_size=16, quality=8)
video.show_video(ORBIT_PATH)
print(f"orbit: {len(frames)} new viewpoints, PSNR {orbit_psnr:.2f} dB against the ray caster; "
      f"saved to {ORBIT_PATH}")

# %% [markdown]
# ## What changed, and what a full NeRF adds
#
# - **Task**: from pixels of one image to rays of many cameras; the target of a ray is
#   a pixel, but the network is asked about points along it and volume rendering ties
#   the two together. Held-out *cameras* play the part of held-out pixels.
# - **Encodings**: the lesson of 02–04 holds in 3-D. Raw (x, y, z) blurs; sin/cos
#   features up to the frequency the views resolve make it sharp; the limit comes from
#   the pixels, as in 03.
# - **Batches**: random rays from all views — the data are too many for a full batch.
# - **Not here** (the paper has them): a second, "fine" network sampling where the first
#   found density (hierarchical sampling), 8-layer 256-wide MLPs with a skip connection,
#   hundreds of thousands of steps, real photos whose camera poses come from
#   structure-from-motion, and scenes that are not bounded by a box.

# %%
print(f"notebook ran in {time.perf_counter() - NOTEBOOK_START:.0f} s")
