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
# # 08 · Inverse problems: what a network's prior buys over a pixel grid
#
# **What you will learn**
# 1. How to fit a coordinate network *through an operator*: the loss compares projections
#    (CT) or gradients (Poisson) of the network's image, or noisy pixels (denoising).
# 2. The fair contest: data not made by the operator we invert, every knob chosen on
#    held-out validation data, the practitioner's classical method, and the same loss
#    minimised over a plain **pixel grid** (no network), alone and with total variation.
# 3. What the network's *prior* (its architecture and initialisation) buys over that
#    grid, task by task, read off this budget's numbers.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/08_inverse_problems.ipynb)

# %%
# Set-up: on Google Colab, fetch the series and install its helpers (about 30 s), and
# say how to get a GPU; anywhere else this cell does nothing.
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
    from helpers import settings
    if settings.DEVICE == "cpu":
        print(f"No GPU: the {settings.BUDGET.name} budget ({settings.SIZE} px, {settings.STEPS} "
              "steps), up to half an hour per notebook. For a GPU: Runtime → Change "
              "runtime type → a GPU, then Runtime → Restart and run all.\nFor a quick "
              "pass: make `%env NB_BUDGET=smoke` this cell's first line, then Restart and "
              "run all.")

# %%
import math
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import convolve1d, gaussian_filter, map_coordinates
from skimage.restoration import denoise_nl_means, denoise_tv_chambolle

import helpers
from helpers import bandwidth, plots, settings
from helpers.exercises import answer, ask, check, hint, solution
from helpers.phantom import phantom_sinogram, shepp_logan
from helpers.pixel_grid import fit_grid, total_variation
from helpers.poisson import poisson_solve, sobel_gradient, to_midpoints
from helpers.radon import disc_mask, fbp, fine_radon, projection_angles, radon
from helpers.task_models import fit_task, task_model
from helpers.widgets import interactive  # ipywidgets' interactive; Run All never stalls on it

CFG = settings.NOTEBOOK_08
print(settings.describe(CFG))
print("this notebook:", CFG)

# %% [markdown]
# ## The rules of the contest
#
# Each task has three sides, all scored once on data none of them saw:
# - **classical**: the method a practitioner would use (filtered back-projection, a DCT
#   Poisson solve, total variation / non-local means);
# - **grid**: no network at all: one free value per pixel, fitted by Adam through the
#   *same loss*, for the same steps (`helpers.pixel_grid.fit_grid`), alone and with a
#   total-variation penalty `tv_weight · mean |∇u|` (isotropic), the classical prior;
# - **network**: the series' networks (Gaussian features, SIREN, and PE or the hash grid).
#
# Every knob is chosen on **validation** data held out of the fit: the TV weight, each
# network's frequency scale, and which network represents its side. A network's frequency
# scale follows one rule (`helpers.bandwidth`): with d train samples per unit of
# coordinate, σ = 10·c·d/128, ω0 = 30·c·d/128 (SIREN's first layer; hidden layers keep
# 30) and L = 1 + log2(c·d); c = 1 is the papers' setting and c is swept on validation
# over values on both sides of 1. A fit keeps its parameters of the best validation step.
# The difference network − grid, on the same loss, is what the network's *prior* buys.
#
# Total variation is a few lines: the mean length of the image's gradient, with forward
# differences (the small constant keeps its gradient finite on flat regions). `fit_grid`
# is the series' one training loop (`helpers.loop.optimize`) with the grid as the only
# parameter and `loss(grid) + tv_weight · TV(grid)` as its loss.

# %%
def my_total_variation(u):
    dx = u[:-1, 1:] - u[:-1, :-1]
    dy = u[1:, :-1] - u[:-1, :-1]
    return torch.sqrt(dx ** 2 + dy ** 2 + 1e-8).mean()


example = shepp_logan(32)
assert torch.isclose(my_total_variation(example), total_variation(example))
print(f"TV of the 32 px phantom: {float(total_variation(example)):.4f} (mean |∇u| per pixel)")

# %%
STEPS, HIDDEN, N_FEATURES, GRID_LR = CFG["steps"], CFG["hidden"], CFG["n_features"], CFG["grid_lr"]
LR = {"gauss": 1e-3, "siren": CFG["siren_lr"], "pe": 1e-3, "hashgrid": 1e-2}  # those of 02-07
TIE_DB = 0.5                      # closer than this on test: a tie
DEVICE = settings.DEVICE
SUMMARY = {}                      # task -> {side: (method, test PSNR)}
SECONDS = {}


def to_db(mse):
    return -10 * math.log10(max(float(mse), 1e-30))


def network(name, density, c, out_dim=1):
    """Network ``name`` at the bandwidth rule's knob for ``density`` train samples per unit, × c."""
    knobs = bandwidth.knobs(name, density, c)
    if name == "gauss":
        knobs["n_features"] = N_FEATURES
    if name == "hashgrid":
        knobs["max_res"] = max(8, int(2 * density))    # finest cells as fine as the samples
    return task_model(name, out_dim=out_dim, hidden=HIDDEN, **knobs).to(DEVICE)


def sweep_networks(names, density, loss_of, val_of, out_dim=1):
    """Fit each network at each c of the sweep; keep, per name, the c with the best
    validation score. ``loss_of(model)`` -> loss, ``val_of(model)`` -> validation dB."""
    chosen, table = {}, {}
    for name in names:
        factors = CFG["factors"] if name in bandwidth.KNOB else (1.0,)
        for c in factors:
            model = network(name, density, c, out_dim)
            run = fit_task(model, lambda step: loss_of(model), STEPS, LR[name],
                           evaluate=lambda step: {"val": val_of(model)}, score="val")
            table[(name, c)] = max(run.history["val"])
            if name not in chosen or table[(name, c)] > chosen[name][1]:
                chosen[name] = (c, table[(name, c)], model, run)
    print("validation dB by (network, c):", {f"{n} c={c:g}": round(v, 2) for (n, c), v in table.items()})
    edge = [f"{n} c={c:g}" for n, (c, *_) in chosen.items() if len(CFG["factors"]) > 1 and n in
            bandwidth.KNOB and c in (min(CFG["factors"]), max(CFG["factors"]))]
    if edge:
        print("  chosen at the edge of the sweep (a wider one might do better):", ", ".join(edge))
    return chosen


def sweep_grids(shape, loss_fn, val_fn, weights, init=None):
    """The pixel grid at TV weight 0 and each of ``weights``: {weight: (val dB, grid)}."""
    out = {}
    for weight in (0.0,) + tuple(weights):
        grid, run = fit_grid(loss_fn, shape, STEPS, GRID_LR, tv_weight=weight, init=init,
                             evaluate=lambda g: {"val": val_fn(g)}, score="val")
        out[weight] = (max(run.history["val"]), grid)
    print("grid, validation dB by TV weight:", {w: round(v, 2) for w, (v, _) in out.items()})
    return out


def best(options):
    """The key whose validation score (first item of its value) is highest."""
    return max(options, key=lambda key: options[key][0])


def table(rows, columns, title):
    """Print ``{row: {column: value}}`` aligned; an infinite PSNR reads 'exact'."""
    width = max(len(str(r)) for r in rows) + 2
    print(title + "\n" + " " * width + "".join(f"{str(c):>16}" for c in columns))
    for row, values in rows.items():
        cells = [plots.format_psnr(values[c], 2).replace(" dB", "") if c in values else "-"
                 for c in columns]
        print(f"{str(row):<{width}}" + "".join(f"{cell:>16}" for cell in cells))


# %% [markdown]
# ## 1 · Computed tomography
#
# **Task.** A scanner measures line integrals of a slice f(x, y) along parallel rays at K
# angles (the sinogram); recover f from few angles. The networks and grids render an image
# at the working size, project it with the differentiable `radon` (rotate and sum), and fit
# the measured projections (Tancik et al. 2020). **Classical:** filtered back-projection
# (FBP): filter each projection with the ramp |ω|, smear it back along its rays.
#
# **No inverse crime.** If the data were made by the same discrete `radon` the fits use,
# a fit could match them exactly. So the phantom's sinogram is computed *analytically*: a
# line at distance t crosses an ellipse (semi-axes a, b, rotated by φ, centre c) along a
# chord of length 2ab·sqrt(s² − (t − t0)²)/s², s² = a²cos²(θ−φ) + b²sin²(θ−φ),
# t0 = c·(cosθ, sinθ); the projection is the sum of each ellipse's density times its chord
# (`helpers.phantom.phantom_sinogram`, tested against a 16× finer numerical projection).
# The photo's sinogram is measured on the photo at 4× the working size (`fine_radon`:
# radon at 4×, then every 4 detector bins averaged).
#
# **Validation:** the scanner also measured some angles halfway between the fitted ones;
# no method fits them, and the re-projection error there (in dB) chooses every knob.
# **Test:** the slice itself, inside the scanner's circular field of view, once.

# %% [markdown]
# ### Your turn: the projection of one angle
#
# `radon` rotates and sums. Write one projection: for an `(n, n)` image and an angle in
# degrees, the ray at detector position t passes the points (x, y) = (t cos θ − s sin θ,
# t sin θ + s cos θ), with t and s both the pixel centres `(2i + 1)/n − 1`. Stack them into
# `(n, n, 2)` points (rows s, columns t), read the image there with
# `F.grid_sample(image[None, None], points[None], align_corners=False)` and add up each ray:
# `(n,)` values, as `radon(image, torch.tensor([degrees]))[0]`.
# `hint("08.projection")` nudges, `solution("08.projection")` shows ours.

# %%
def my_projection(image, degrees):
    return ...  # your code: the (n,) line integrals of image at this angle


check("08.projection", my_projection)

# %% [markdown]
# ### Your turn: predict, then run
#
# The next cell runs the contest and the one after prints its table. Pick an answer and
# press *Check* (or `answer("08.fbp_vs_grid", "a")`) first.

# %%
ask("08.fbp_vs_grid")

# %%
section_start = time.perf_counter()
CT = CFG["ct_size"]
inside = disc_mask(CT)
photo_fine = helpers.load_image("gray", size=4 * CT).mean(-1) * disc_mask(4 * CT)
truths = {"phantom": shepp_logan(CT), "photo": F.avg_pool2d(photo_fine[None], 4)[0]}


def measure(label, degrees):
    """The sinogram a scanner reports, never made by ``radon`` at the working size."""
    if label == "phantom":
        return phantom_sinogram(degrees, CT)
    return fine_radon(photo_fine, degrees, 4)


def ct_psnr(picture, truth):
    return helpers.psnr(picture.clamp(0, 1)[inside], truth[inside])


def ct_contest(label, k):
    """FBP, grids and networks from ``k`` angles of object ``label``; their test PSNRs."""
    fit_angles = projection_angles(k)
    val_angles = (fit_angles + 90.0 / k)[::2]          # halfway between fitted angles
    measured, held_out = measure(label, fit_angles), measure(label, val_angles)
    scale = measured.abs().max()
    fit_data, val_data = (measured / scale).to(DEVICE), (held_out / scale).to(DEVICE)
    mask, coords = inside.to(DEVICE), helpers.make_grid(CT).reshape(-1, 2).to(DEVICE)
    loss = lambda u: helpers.mse(radon(u * mask, fit_angles) / scale, fit_data)
    val = lambda u: to_db(helpers.mse(radon(u * mask, val_angles) / scale, val_data))
    image_of = lambda model: model(coords).reshape(CT, CT)
    pictures = {"FBP": fbp(measured, fit_angles) * inside}
    grids = sweep_grids((CT, CT), loss, val, CT_TV_WEIGHTS, init=torch.zeros(CT, CT, device=DEVICE))
    weight = best({w: v for w, v in grids.items() if w > 0})
    pictures["grid"], pictures[f"grid + TV {weight:g}"] = grids[0.0][1], grids[weight][1]
    # K projections of n detectors are as many numbers as a grid sqrt(4Kn/π) across
    density = bandwidth.samples_per_unit(min(CT, math.sqrt(4 * k * CT / math.pi)))
    nets = sweep_networks(("gauss", "siren"), density, lambda m: loss(image_of(m)),
                          lambda m: val(image_of(m)))
    for name, (c, _, model, _) in nets.items():
        with torch.no_grad():
            pictures[f"{name} c={c:g}"] = image_of(model).cpu()
    pictures = {m: p.cpu() * inside for m, p in pictures.items()}
    test = {m: ct_psnr(p, truths[label]) for m, p in pictures.items()}
    CHOSEN[(label, k)] = {"tv": weight, "siren c": nets["siren"][0]}
    grid_side = "grid" if grids[0.0][0] >= grids[weight][0] else f"grid + TV {weight:g}"
    net_side = max(nets, key=lambda n: nets[n][1])
    SUMMARY[f"CT {label}, {k} angles"] = {
        "network": (f"{net_side} c={nets[net_side][0]:g}", test[f"{net_side} c={nets[net_side][0]:g}"]),
        "classical": ("FBP", test["FBP"]), "grid": (grid_side, test[grid_side])}
    return pictures, test, measured


CT_TV_WEIGHTS = (1e-3, 1e-2, 1e-1, 1.0)
CHOSEN = {}                     # (object, angles) -> the knobs validation chose
ct_pictures, ct_test, ct_sinograms = {}, {}, {}
for label in truths:
    for k in CFG["ct_angles"]:
        print(f"-- {label}, {k} angles")
        ct_pictures[(label, k)], ct_test[(label, k)], ct_sinograms[(label, k)] = ct_contest(label, k)

# %%
for label in truths:
    rows = {f"{label}, {k} angles": ct_test[(label, k)] for k in CFG["ct_angles"]}
    columns = list(dict.fromkeys(m for r in rows.values() for m in r))
    table(rows, columns, f"test PSNR (dB) of the {label} slice inside the field of view")

# %% [markdown]
# The slices from the fewest angles, each panel on the same grey scale (0 to 1), with the
# same zoom; the sinogram is the data every side was given.

# %%
k_few, k_many = min(CFG["ct_angles"]), max(CFG["ct_angles"])
for label, truth in truths.items():
    pictures = {f"{label} (truth)": truth}
    pictures.update({f"{m}: {plots.format_psnr(ct_test[(label, k_few)][m])}": p
                     for m, p in ct_pictures[(label, k_few)].items()})
    fig = plots.show_images(list(pictures.values()), list(pictures), ncols=3, size=2.8,
                            vmin=0, vmax=1)
    for ax, picture in zip(fig.axes, pictures.values()):
        plots.add_inset(ax, picture, (0.55, 0.85, 0.3, 0.6))
    plt.show()
fig, axes = plt.subplots(1, 2, figsize=(8, 3), constrained_layout=True)
for ax, label in zip(axes, truths):
    ax.imshow(ct_sinograms[(label, k_many)], aspect="auto", cmap="gray",
              extent=(-1, 1, 180, 0))
    ax.set_title(f"{label}: measured sinogram, {k_many} angles")
    ax.set_xlabel("detector position t")
    ax.set_ylabel("angle θ (degrees)")
plt.show()

# %% [markdown]
# **FBP's ceiling.** FBP is a linear formula, exact only in the limit of continuous data:
# infinitely many angles and detectors. Give it four and sixteen times the largest angle
# count here, from the exact (analytic) phantom sinogram; then the same angles with
# detectors and pixels 4× finer, the result averaged back down to the working size:

# %%
fbp_by_k = {k: ct_test[("phantom", k)]["FBP"] for k in CFG["ct_angles"]}
ceiling = {}
for k in (4 * k_many, 16 * k_many):
    lots = projection_angles(k)
    ceiling[(k, CT)] = ct_psnr(fbp(phantom_sinogram(lots, CT), lots), truths["phantom"])
    finer = F.avg_pool2d(fbp(phantom_sinogram(lots, 4 * CT), lots)[None], 4)[0]
    ceiling[(k, 4 * CT)] = ct_psnr(finer, truths["phantom"])
print(f"FBP of the phantom, test PSNR: {', '.join(f'{k} angles {v:.2f} dB' for k, v in fbp_by_k.items())}")
for (k, n), value in ceiling.items():
    print(f"  {k:4d} angles, reconstructed at {n:4d} px{' and averaged down' if n > CT else ''}: "
          f"{value:.2f} dB")
angle_gain = ceiling[(16 * k_many, CT)] - ceiling[(4 * k_many, CT)]
grid_gain = ceiling[(4 * k_many, 4 * CT)] - ceiling[(4 * k_many, CT)]
print(f"from {4 * k_many} to {16 * k_many} angles: {angle_gain:+.2f} dB; a 4x finer grid at "
      f"{4 * k_many} angles: {grid_gain:+.2f} dB")

# %% [markdown]
# With many angles FBP stops improving far from exact (below 35 dB), while the same
# angles on a 4× finer grid gain several dB: FBP's ceiling at the working size is set by
# the discretisation (the detector bins and pixels, the sampled ramp filter, the bilinear
# back-projection), not by the number of angles. Every side recovers the slice better
# than painting the field of view with its mean.

# %%
assert ceiling[(4 * k_many, CT)] < 35 and abs(angle_gain) < 1, ceiling
assert grid_gain > 3, ceiling
assert fbp_by_k[k_few] < fbp_by_k[k_many], fbp_by_k
for (label, k), scores in ct_test.items():
    flat = ct_psnr(torch.full((CT, CT), float(truths[label][inside].mean())), truths[label])
    assert min(scores.values()) > flat, (label, k, scores, flat)
SECONDS["CT"] = time.perf_counter() - section_start

# %% [markdown]
# **Slider: the number of angles.** It refits the grid + TV (the weight chosen above for
# the phantom at the fewest angles) and a SIREN (its c likewise) on the phantom at the
# preview size, beside FBP; every side sees the same analytic projections.

# %%
preview = CFG["preview_size"]
preview_truth, preview_inside = shepp_logan(preview), disc_mask(preview)
preview_tv, preview_c = CHOSEN[("phantom", k_few)]["tv"], CHOSEN[("phantom", k_few)]["siren c"]


def ct_preview(n_angles):
    degrees = projection_angles(n_angles)
    data = phantom_sinogram(degrees, preview)
    scale = data.abs().max()
    loss = lambda u: helpers.mse(radon(u * preview_inside, degrees) / scale, data / scale)
    grid, _ = fit_grid(loss, (preview, preview), CFG["preview_steps"], GRID_LR, tv_weight=preview_tv)
    density = bandwidth.samples_per_unit(min(preview, math.sqrt(4 * n_angles * preview / math.pi)))
    model, coords = network("siren", density, preview_c), helpers.make_grid(preview).reshape(-1, 2).to(DEVICE)
    fit_task(model, lambda step: loss(model(coords).reshape(preview, preview).cpu()),
             CFG["preview_steps"], LR["siren"])
    with torch.no_grad():
        siren = model(coords).reshape(preview, preview).cpu()
    shown = {"FBP": fbp(data, degrees), f"grid + TV {preview_tv:g}": grid, "siren": siren}
    score = lambda p: helpers.psnr(p.clamp(0, 1)[preview_inside], preview_truth[preview_inside])
    plots.show_images([p * preview_inside for p in shown.values()],
                      [f"{m}: {plots.format_psnr(score(p))}" for m, p in shown.items()],
                      size=2.6, vmin=0, vmax=1, suptitle=f"{n_angles} angles, {preview} px")
    plt.show()


interactive(ct_preview, n_angles=widgets.SelectionSlider(
    options=[2, 4, 8, 16, 32], value=8, description="angles", continuous_update=False))

# %% [markdown]
# ### Your turn: the fewest angles FBP needs
#
# The slider jumps from one power of two to the next. Find, in code, the fewest angles at
# which FBP of the phantom at the preview size (`preview`, analytic projections, scored as
# `ct_preview` scores it) reaches 22 dB. The checker scans the angles itself.
# `hint("08.fewest_angles")` nudges, `solution("08.fewest_angles")` shows ours.

# %%
my_angles = ...  # your number: the fewest angles at which FBP reaches 22 dB at the preview size
check("08.fewest_angles", my_angles)

# %% [markdown]
# ## 2 · The image from its gradient (Poisson)
#
# **Task.** We are given only the gradient of a grey image and must recover the image (up
# to its mean, which we give every side). As in SIREN's experiment the gradients are
# **Sobel-filtered** (a central difference smoothed across, what an image pipeline
# computes), not the forward differences a Poisson solver is built on. Every side gets
# them averaged onto the midpoints between pixels (`poisson.to_midpoints`), where a
# difference between neighbours lives. **Classical:** the least-squares image, i.e.
# Poisson's equation Δf = div g with the 5-point stencil, solved by the DCT. **Grid:**
# forward differences of the grid against the same values, Adam. **Networks:** their
# autograd derivative at the midpoints (times the pixel spacing), ReLU on positional
# encoding and SIREN. **Validation:** 10 % of the gradient values, chosen at random, are
# held out of every fit; the DCT solve has no knob and uses them all (an advantage to the
# classical side). **Test:** the image, which no side saw.

# %%
section_start = time.perf_counter()
P = CFG["poisson_size"]
target = helpers.load_image("gray", size=P).mean(-1)
gx, gy = to_midpoints(*sobel_gradient(target))
given = torch.stack([gx[:, :-1].reshape(-1), gy[:-1].reshape(-1)])      # (2, P(P-1))
held_out = torch.from_numpy(np.random.default_rng(0).random(given.shape) < 0.1)
solved = poisson_solve(gx, gy, mean=float(target.mean()))
h = 2 / P                                                  # pixel spacing in coordinates
pixel_grid = helpers.make_grid(P)
midpoints = torch.stack([(pixel_grid[:, :-1] + torch.tensor([h / 2, 0])).reshape(-1, 2),
                         (pixel_grid[:-1] + torch.tensor([0, h / 2])).reshape(-1, 2)])


def differences(u):
    """(P, P) image -> (2, P(P-1)): forward differences along x and along y."""
    return torch.stack([(u[:, 1:] - u[:, :-1]).reshape(-1), (u[1:] - u[:-1]).reshape(-1)])


def gradient_error(pred, subset):
    return ((pred - given) ** 2)[subset].mean()


def net_differences(model):
    """h times the network's derivative along x at the x-midpoints, along y at the y-ones."""
    points = midpoints.clone().to(DEVICE).requires_grad_(True)
    values = model(points.reshape(-1, 2)).sum()
    grad = torch.autograd.grad(values, points, create_graph=torch.is_grad_enabled())[0]
    return h * torch.stack([grad[0, :, 0], grad[1, :, 1]]).cpu()


def net_val(model):
    with torch.enable_grad():
        return to_db(gradient_error(net_differences(model), held_out).detach())


def image_of(model):
    with torch.no_grad():
        u = model(pixel_grid.reshape(-1, 2).to(DEVICE)).reshape(P, P).cpu()
    return u - u.mean() + target.mean()


pictures = {"DCT solve": solved}
grids = sweep_grids((P, P), lambda u: gradient_error(differences(u), ~held_out),
                    lambda u: to_db(gradient_error(differences(u), held_out)),
                    (1e-4, 1e-3, 1e-2), init=torch.full((P, P), float(target.mean())))
weight = best({w: v for w, v in grids.items() if w > 0})
pictures["grid"], pictures[f"grid + TV {weight:g}"] = grids[0.0][1], grids[weight][1]
poisson_nets = sweep_networks(("pe", "siren"), bandwidth.samples_per_unit(P),
                              lambda m: gradient_error(net_differences(m), ~held_out), net_val)
for name, (c, _, model, _) in poisson_nets.items():
    pictures[f"{name} c={c:g}"] = image_of(model)
pictures = {m: p - p.mean() + target.mean() for m, p in pictures.items()}
poisson_test = {m: helpers.psnr(p, target) for m, p in pictures.items()}
table({"Sobel gradients": poisson_test}, list(poisson_test),
      "test PSNR (dB) of the image recovered from its gradient")
misfit = {m: to_db(gradient_error(differences(p), ~held_out)) for m, p in pictures.items()
          if not m.startswith(("pe", "siren"))}
binomial = [0.25, 0.5, 0.25]
blurred = torch.from_numpy(convolve1d(convolve1d(target.numpy(), binomial, axis=0, mode="reflect"),
                                      binomial, axis=1, mode="reflect"))
print("fit of the given differences (dB, higher is closer):",
      ", ".join(f"{m} {v:.1f}" for m, v in misfit.items()))
print(f"the DCT solve is this loss's minimum; the grid after {STEPS} Adam steps is "
      f"{misfit['DCT solve'] - misfit['grid']:.1f} dB short of it. The image blurred by "
      f"[1, 2, 1]/4 along x and y (Sobel's smoothing) scores {helpers.psnr(blurred, target):.2f} dB")
grid_side = "grid" if grids[0.0][0] >= grids[weight][0] else f"grid + TV {weight:g}"
net_side = max(poisson_nets, key=lambda n: poisson_nets[n][1])
net_label = f"{net_side} c={poisson_nets[net_side][0]:g}"
SUMMARY["Poisson, Sobel gradients"] = {"network": (net_label, poisson_test[net_label]),
                                       "classical": ("DCT solve", poisson_test["DCT solve"]),
                                       "grid": (grid_side, poisson_test[grid_side])}

# %%
shown = {"truth": target}
shown.update({f"{m}: {plots.format_psnr(poisson_test[m])}": p for m, p in pictures.items()})
fig = plots.show_images(list(shown.values()), list(shown), ncols=3, size=2.8, vmin=0, vmax=1)
for ax, picture in zip(fig.axes, shown.values()):
    plots.add_inset(ax, picture, (0.12, 0.42, 0.33, 0.63))
plt.show()
plots.show_signed({m: p - target for m, p in pictures.items()}, label="error (grey levels)",
                  suptitle="recovered − truth", size=2.6)
plt.show()

# %% [markdown]
# Averaged onto the midpoints, Sobel's gradients are exactly the forward differences of
# the image blurred by [1, 2, 1]/4 along both axes: the DCT solve fits them to rounding
# and returns that blurred image, whose PSNR is the same as the blur's (printed above).
# No side can undo the blur from these data. A grid fitted by Adam is a slow solver of
# the same least-squares problem (a step changes each pixel only through its own
# differences with its neighbours), and after the same steps as the networks it is far
# from the solve's fit (the printed gap). Every side beats the flat mean.

# %%
flat = helpers.psnr(torch.full_like(target, float(target.mean())), target)
assert math.isfinite(poisson_test["DCT solve"]) and poisson_test["DCT solve"] < 60, poisson_test
assert abs(poisson_test["DCT solve"] - helpers.psnr(blurred, target)) < 1, poisson_test
assert misfit["DCT solve"] > 100 and misfit["DCT solve"] > misfit["grid"] + 20, misfit
assert min(poisson_test.values()) > flat + 3, (poisson_test, flat)
SECONDS["Poisson"] = time.perf_counter() - section_start

# %% [markdown]
# ## 3 · Denoising
#
# **Task.** The photo with Gaussian noise (σ = 0.1, about 20 dB). **Every side sees the
# same data**: the noisy pixels `[::2, ::2]` (a quarter of the image, an image of half the
# size). **Validation:** the noisy pixels of the two neighbouring quarters, held out of
# every fit; each method predicts them (the networks by rendering there, the others by
# cubic interpolation of their denoised image) and the best-predicting knob wins, as does
# each network's best step (early stopping). **Test:** the *clean* values of the observed
# pixels, never seen: denoising proper. **Classical:** a Gaussian blur, total-variation
# denoising and non-local means (scikit-image). **Grid:** one value per observed pixel,
# fitted to the noisy values (same MSE), alone and with TV. **Networks:** Gaussian
# features, SIREN, hash grid.

# %%
section_start = time.perf_counter()
SIZE = CFG["size"]
image = helpers.load_image(settings.IMAGE, size=SIZE)
noisy = image + 0.1 * torch.from_numpy(np.random.default_rng(1).normal(size=image.shape)).float()
observed, clean = noisy[::2, ::2], image[::2, ::2]                  # (SIZE/2, SIZE/2, 3)
half = SIZE // 2
val_noisy = torch.cat([noisy[0::2, 1::2].reshape(-1, 3), noisy[1::2, 0::2].reshape(-1, 3)])
full_grid = helpers.make_grid(SIZE)
coords = {"observed": full_grid[::2, ::2].reshape(-1, 2).to(DEVICE),
          "val": torch.cat([full_grid[0::2, 1::2].reshape(-1, 2),
                            full_grid[1::2, 0::2].reshape(-1, 2)]).to(DEVICE)}
i, j = torch.meshgrid(torch.arange(half, dtype=torch.float64), torch.arange(half, dtype=torch.float64),
                      indexing="ij")
val_positions = (torch.cat([i.flatten(), i.flatten() + 0.5]).numpy(),   # on the observed grid
                 torch.cat([j.flatten() + 0.5, j.flatten()]).numpy())


def predict_val(denoised):
    """Cubic interpolation of a (half, half, 3) image at the validation pixels."""
    d = torch.as_tensor(denoised, dtype=torch.float32).numpy()
    return torch.from_numpy(np.stack([map_coordinates(d[..., ch], val_positions, order=3, mode="nearest")
                                      for ch in range(3)], -1)).float()


def image_val(denoised):
    return helpers.psnr(predict_val(denoised), val_noisy)


obs = observed.numpy()
classical = {f"blur σ={s:g}": gaussian_filter(obs, (s, s, 0)) for s in (0.3, 0.5, 0.75, 1.0, 1.5)}
classical.update({f"TV {w:g}": denoise_tv_chambolle(obs, weight=w, channel_axis=-1)
                  for w in (0.03, 0.05, 0.08, 0.12, 0.2)})
classical.update({f"NLM h={h_:g}": denoise_nl_means(obs, h=h_, sigma=0.1, patch_size=5, patch_distance=6,
                                                    channel_axis=-1, fast_mode=True)
                  for h_ in (0.04, 0.06, 0.08, 0.12)})
classical_val = {m: (image_val(p), torch.from_numpy(np.asarray(p)).float()) for m, p in classical.items()}
print("classical, validation dB:", {m: round(v, 2) for m, (v, _) in classical_val.items()})
grids = sweep_grids(observed.shape, lambda u: helpers.mse(u, observed), image_val,
                    (0.03, 0.1, 0.3), init=observed.mean((0, 1)).expand_as(observed))
weight = best({w: v for w, v in grids.items() if w > 0})
observed_dev, curves = observed.reshape(-1, 3).to(DEVICE), {}
denoise_nets = sweep_networks(
    ("gauss", "siren", "hashgrid"), bandwidth.samples_per_unit(half),
    lambda m: helpers.mse(m(coords["observed"]), observed_dev),
    lambda m: helpers.psnr(m(coords["val"]).cpu(), val_noisy), out_dim=3)
results = {m: p for m, (_, p) in classical_val.items()}
results.update({"grid": grids[0.0][1], f"grid + TV {weight:g}": grids[weight][1]})
for name, (c, _, model, run) in denoise_nets.items():
    with torch.no_grad():
        results[f"{name} c={c:g}"] = model(coords["observed"]).cpu().reshape(half, half, 3)
    curves[f"{name} c={c:g}"] = run
family_pick = {family: best({m: v for m, v in classical_val.items() if m.startswith(family)})
               for family in ("blur", "TV", "NLM")}            # each knob on validation
pick = best({m: classical_val[m] for m in family_pick.values()})
results = {m: p for m, p in results.items() if m in family_pick.values() or m not in classical}
denoise_test = {m: helpers.psnr(p.clamp(0, 1), clean) for m, p in results.items()}
noisy_psnr = helpers.psnr(observed, clean)
table({"noisy σ = 0.1": denoise_test}, list(denoise_test)[:3], "test PSNR (dB) on the clean "
      f"observed pixels, each knob chosen on validation; the noisy input itself: {noisy_psnr:.2f} dB")
table({"noisy σ = 0.1": denoise_test}, list(denoise_test)[3:], "")
grid_side = "grid" if grids[0.0][0] >= grids[weight][0] else f"grid + TV {weight:g}"
net_side = max(denoise_nets, key=lambda n: denoise_nets[n][1])
net_label = f"{net_side} c={denoise_nets[net_side][0]:g}"
print(f"chosen on validation: classical {pick}, grid side {grid_side}, network {net_label}")
SUMMARY["denoising σ = 0.1"] = {"network": (net_label, denoise_test[net_label]),
                                "classical": (pick, denoise_test[pick]),
                                "grid": (grid_side, denoise_test[grid_side])}

# %%
blur_pick = family_pick["blur"]
shown = {f"noisy input: {plots.format_psnr(noisy_psnr)}": observed, "clean truth": clean}
shown.update({f"{m}: {plots.format_psnr(denoise_test[m])}": results[m]
              for m in (blur_pick, pick, grid_side, net_label)})
fig = plots.show_images([p.clamp(0, 1) for p in shown.values()], list(shown), ncols=3, size=2.8)
for ax, picture in zip(fig.axes, shown.values()):
    plots.add_inset(ax, picture.clamp(0, 1), (0.12, 0.42, 0.33, 0.63))
plt.show()
fig, ax = plt.subplots(figsize=(5.5, 3.4), constrained_layout=True)
for label, run in curves.items():
    ax.plot(run.history["step"], run.history["val"], label=f"{label} (stopped at {run.best_step})")
ax.axhline(image_val(grids[weight][1]), color="gray", linestyle=":", label=f"grid + TV {weight:g}")
ax.set_xlabel("step")
ax.set_ylabel("validation PSNR (dB, noisy held-out pixels)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The noisy validation pixels carry noise of σ = 0.1 themselves, so no prediction scores
# much above 20 dB on them; they still rank the knobs, since the noise adds the same
# amount to every method's error. The plain grid copies the noise (it has no prior at
# all: the MSE's minimum is the noisy image), and the classical denoiser chosen on
# validation beats the noisy input on the clean pixels.

# %%
assert denoise_test["grid"] < noisy_psnr + 1.0, (denoise_test["grid"], noisy_psnr)
assert denoise_test[pick] > noisy_psnr + 1.0, (pick, denoise_test[pick], noisy_psnr)
SECONDS["denoising"] = time.perf_counter() - section_start

# %% [markdown]
# ## Summary: what the network's prior buys
#
# Each side is represented by the method its validation data chose; the numbers are test
# PSNRs (dB) at this budget. The verdict names the side with the best test PSNR, or a tie
# when the best two are within 0.5 dB; "prior buys" is network − grid on the same loss.

# %%
verdicts = {}
print(f"{'task':<26}{'network':<22}{'dB':>7}  {'classical':<16}{'dB':>7}  {'grid':<18}{'dB':>7}"
      f"  {'verdict':<36}{'prior buys':>10}")
for task, sides in SUMMARY.items():
    ranked = sorted(sides, key=lambda s: sides[s][1], reverse=True)
    close = [s for s in ranked[1:] if sides[ranked[0]][1] - sides[s][1] < TIE_DB]
    verdicts[task] = "tie: " + " = ".join([ranked[0]] + close) if close else ranked[0]
    prior = sides["network"][1] - sides["grid"][1]
    print(f"{task:<26}" + "".join(f"{sides[s][0]:<{w}}{sides[s][1]:7.2f}  " for s, w in
                                   (("network", 22), ("classical", 16), ("grid", 18)))
          + f"{verdicts[task]:<36}{prior:+10.2f}")
counts = {side: sum(v == side for v in verdicts.values()) for side in ("network", "classical", "grid")}
counts["tie"] = sum(v.startswith("tie") for v in verdicts.values())
print(f"\n{len(verdicts)} contests: network wins {counts['network']}, classical {counts['classical']}, "
      f"grid {counts['grid']}, ties {counts['tie']}.")
prior = {t: s["network"][1] - s["grid"][1] for t, s in SUMMARY.items()}
helped = [t for t, d in prior.items() if d >= TIE_DB]
print(f"The network's prior beat the grid's (by {TIE_DB} dB or more) in {len(helped)} of "
      f"{len(prior)}: " + (", ".join(f"{t} ({prior[t]:+.2f})" for t in helped) or "none")
      + "; elsewhere: " + (", ".join(f"{t} ({d:+.2f})" for t, d in prior.items() if t not in helped) or "none"))
print("seconds per section:", {k: round(v) for k, v in SECONDS.items()})

# %%
assert len(SUMMARY) == 2 * len(CFG["ct_angles"]) + 2, SUMMARY
assert all(math.isfinite(v) for s in SUMMARY.values() for _, v in s.values()), SUMMARY

# %% [markdown]
# What holds at both budgets this notebook was checked at (smoke and CPU; asserted below):
# - **CT**: the pixel grid fitted through the same `radon` loss, with TV, matches or beats
#   the best network (within the 0.5 dB tie margin or better) in every CT row, and from the
#   fewest angles it beats FBP by more than 1 dB; FBP's ceiling is its discretisation.
# - **Poisson from Sobel gradients**: the DCT solve is not beaten by the network (a tie
#   or a loss); the network is far ahead of the grid fitted by Adam for the same steps, but
#   that grid is an unconverged solver of the very problem the DCT solves exactly, so
#   what the network's prior buys here is fast progress across the whole image per step.
# - **Denoising**: the three sides' picks land within 1 dB of each other, all above the
#   noisy input by more than 1.5 dB.
#
# So at these budgets, against a pixel grid with total variation, the network's prior
# bought no better CT slice and at most 1 dB in denoising; its one large gain (Poisson) is
# over a grid that Adam had not converged, whose exact optimum, the DCT solve, the network
# did not beat. Which side wins each row, and by how much, depends on the budget: the
# table above prints this run's verdicts (a GPU run at the full budget prints its own).

# %%
ct_rows = [t for t in SUMMARY if t.startswith("CT")]
for task in ct_rows:
    sides = SUMMARY[task]
    assert sides["network"][1] < sides["grid"][1] + TIE_DB, (task, sides)
for label in truths:
    sides = SUMMARY[f"CT {label}, {k_few} angles"]
    assert sides["grid"][1] > sides["classical"][1] + 1, (label, sides)
poisson_sides = SUMMARY["Poisson, Sobel gradients"]
assert poisson_sides["network"][1] < poisson_sides["classical"][1] + TIE_DB, poisson_sides
assert poisson_sides["network"][1] > poisson_sides["grid"][1] + 5, poisson_sides
denoise_sides = [v for _, v in SUMMARY["denoising σ = 0.1"].values()]
assert max(denoise_sides) - min(denoise_sides) < 1 and min(denoise_sides) > noisy_psnr + 1.5, (
    SUMMARY["denoising σ = 0.1"], noisy_psnr)

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. What is a projection at angle θ, and how does `radon` compute it so that a network's image can be fitted through it?
# 2. What is the "inverse crime", and how does this notebook keep its data from being made by the operator it fits through?
# 3. What are the three sides of every contest, and what does the difference network − grid measure?
# 4. Which data choose the knobs in CT, in the Poisson task and in denoising, and which data are scored once?
# 5. Why does FBP stop improving with more angles, and what sets its ceiling at the working size?
# 6. Why can no side undo the blur in the image recovered from Sobel gradients?
# 7. Why does the plain pixel grid copy the noise in denoising, and what does TV add?
# 8. At these budgets, where did the network's prior buy a large gain, and over what kind of grid?
