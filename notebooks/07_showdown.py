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
# # 07 · Showdown: every method, tuned the same way
#
# **What you will learn**
# 1. How the series' methods, newer ones (WIRE, FINER, Gabor MFN, hash grid) and the newest (weight scaling, sinc, FR-INR, STAF) rank on one protocol, with their defaults *and* after the same tuning budget each.
# 2. An image without a network: a few thousand 2-D Gaussians summed per pixel, the idea behind what came after NeRF.
# 3. Why "same steps", "same parameters" and "same time" are three different races, and what each method costs to keep and to render.
# 4. Why a paper's PSNR (fitted on every pixel) is not the held-out PSNR this series reports.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/07_showdown.ipynb)

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

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

import helpers
from helpers import costs, plots, settings, tuning, video
from helpers.exercises import answer, ask, check, hint, solution
from helpers.widgets import interactive
from helpers.finer import finer_activation
from helpers.fr_inr import FRSiren
from helpers.gaussian_image import render_dense
from helpers.hashgrid import spatial_hash
from helpers.mfn import gabor_filter
from helpers.models import Siren
from helpers.sinc import sinc_activation
from helpers.staf import staf_activation
from helpers.weight_scaling import scale_weights
from helpers.wire import wire_activation

CFG = settings.NOTEBOOK_07
print(settings.describe(CFG))

# %% [markdown]
# ## The protocol, once more
#
# One image, centre-cropped and resized to this notebook's size (printed above); train on
# `image[::2, ::2]`, test on `image[1::2, 1::2]`, choose knobs on the other two quarters
# (validation, never trained on); full batch, Adam, MSE, the same number of steps for
# everyone. The registry `helpers.METHODS` holds every method with its defaults: the
# papers' knobs and learning rates, or where a paper's did not fit this protocol, the
# best of a few tried on validation pixels (each helper's docstring says which).

# %%
image = helpers.load_image(settings.IMAGE, size=CFG["size"])
FACE = (0.15, 0.40, 0.36, 0.61)  # (y0, y1, x0, x1) as fractions: the zoom on every figure
NAMES = list(helpers.METHODS)
NEWER = ["wire", "finer", "gabor", "hashgrid"]
NEWEST = ["siren_scaled", "finer_scaled", "sinc", "fr_siren", "staf", "gaussians"]
for name in NAMES:
    method = helpers.METHODS[name]
    print(f"{name:<15}lr {method.lr:<8g}{method.description}")

# %% [markdown]
# ## Newer ideas, each in a few lines
#
# - **FINER** (Liu et al. 2024): SIREN with a variable period, `sin(ω (|z| + 1) z)`;
#   units with a large pre-activation `z` oscillate faster. `(|z| + 1)` is detached.
# - **WIRE** (Saragadam et al. 2023): a complex Gabor wavelet `exp(i ω0 z − |s0 z|²)`, a
#   sinusoid under a Gaussian window: each unit answers to a band of frequencies *and* a
#   region of the image. Complex weights, stored as two real numbers each.
# - **Gabor MFN** (Fathony et al. 2021): no activation at all; filters of the *input*,
#   `g(x) = sin(W x + b) · exp(−γ/2 ‖x − μ‖²)`, multiplied into each layer.
# - **Hash grid** (Müller et al. 2022): a *trainable table* of features on 16 grids from
#   coarse to fine, looked up by hashing a cell's corner (i, j) to
#   `(i · 1 XOR j · 2654435761) mod T`, then a tiny MLP.
# - **Weight scaling** (Yeom et al. 2025): SIREN's initial weights times α > 1 on every
#   layer but the last. Nothing else changes; the paper trains up to 10× faster.
# - **sinc** (Saratchandran et al. 2024): `sin(ω0 z) / (ω0 z)`, the kernel of band-limited
#   interpolation, as the activation.
# - **FR-INR** (Shi et al. 2024): a hidden weight matrix trained as `W = Λ B`, `B` a fixed
#   bank of sampled cosines, `Λ` trained. After training, `Λ B` *is* a plain matrix: the
#   network at inference is a plain SIREN, with SIREN's parameter count.
# - **STAF** (Morsali et al. 2025): each layer's activation is a trained sum of sines,
#   `Σᵢ Cᵢ sin(Ωᵢ z + Φᵢ)`: the network picks its own frequencies.
# - **2-D Gaussians** (Zhang et al. 2024, GaussianImage): no network. The image *is* N
#   Gaussians, each with a position μ, a covariance Σ = L Lᵀ (L lower-triangular) and a
#   colour c: `C(x) = Σₖ cₖ exp(−½ (x − μₖ)ᵀ Σₖ⁻¹ (x − μₖ))`, 8 numbers per Gaussian.
#   3-D Gaussian splatting, which replaced NeRF's network for real-time scenes, is the
#   same idea in 3-D.
#
# Written out, and checked against the helpers the rest of the notebook uses:

# %%
def finer(z, omega=30.0):
    return torch.sin(omega * (z.detach().abs() + 1) * z)


def wire(z, omega0=8.0, s0=6.0):
    return torch.exp(1j * omega0 * z - (s0 * z).abs() ** 2)


def gabor(x, W, b, mu, gamma):
    return torch.sin(x @ W.T + b) * torch.exp(-gamma / 2 * torch.cdist(x, mu) ** 2)


def hash2d(i, j, table_size):
    return ((i * 1) ^ (j * 2654435761)) % table_size  # the paper's primes (1, 2654435761)


def sinc(z, omega0=30.0):
    return torch.where(z == 0, 1.0, torch.sin(omega0 * z) / (omega0 * z))


def staf(z, C, Omega, Phi):
    return sum(c * torch.sin(o * z + p) for c, o, p in zip(C, Omega, Phi))


def gaussians(x, mu, L, color):
    """(N, 2) points; K Gaussians: mu (K, 2), L (K, 2, 2) lower-triangular, color (K, 3)."""
    d = torch.linalg.solve_triangular(L, (x[:, None, :] - mu)[..., None], upper=False)
    return torch.exp(-0.5 * (d[..., 0] ** 2).sum(-1)) @ color  # (N, K) @ (K, 3)


z = torch.linspace(-1, 1, 2001)
assert torch.allclose(finer(z), finer_activation(z, 30.0))
assert torch.allclose(wire(z.to(torch.complex64)), wire_activation(z, 8.0, 6.0), atol=1e-6)
assert torch.allclose(sinc(z), sinc_activation(z, 30.0), atol=1e-6)
torch.manual_seed(0)
C, Omega, Phi = torch.randn(5), 10 * torch.rand(5), torch.rand(5)
assert torch.allclose(staf(z, C, Omega, Phi), staf_activation(z, C, Omega, Phi), atol=1e-5)
x, W, b = torch.rand(100, 2) * 2 - 1, 20 * torch.randn(8, 2), torch.rand(8)
mu, gamma = torch.rand(8, 2) * 2 - 1, 3 * torch.rand(8)
assert torch.allclose(gabor(x, W, b, mu, gamma), gabor_filter(x, W, b, mu, gamma), atol=1e-5)
corners = torch.randint(0, 10_000, (1000, 2))
assert torch.equal(hash2d(corners[:, 0], corners[:, 1], 2 ** 15), spatial_hash(corners, 15))

# weight scaling: every layer's weights but the last, times alpha
torch.manual_seed(0)
plain = Siren(2, 3, 32, 4)
torch.manual_seed(0)
scaled = scale_weights(Siren(2, 3, 32, 4), 2.0)
linears = [[m.weight.detach() for m in net.modules() if isinstance(m, torch.nn.Linear)]
           for net in (plain, scaled)]
ratios = [float(b.norm() / a.norm()) for a, b in zip(*linears)]
assert np.allclose(ratios, [2, 2, 2, 1]), ratios

# FR-INR: after training, the merged network gives the same colours with SIREN's count
fr = FRSiren(2, 3, 32, 4, n_low=8, n_high=8, n_phases=4)
assert torch.allclose(fr(x), fr.deployed()(x), atol=1e-5)
assert helpers.count_params(fr.deployed()) == helpers.count_params(Siren(2, 3, 32, 4))
print(f"FR-SIREN, 32 wide: {helpers.count_params(fr):,} numbers trained, "
      f"{helpers.count_params(fr.deployed()):,} deployed")

# 2-D Gaussians: the sum written out, against the model's reference and its fast renderer
splats = helpers.make_model("gaussians", n_gaussians=50, image_size=32).net  # no network
mu_k, l11, l21, l22 = splats.factors()
L_k = torch.zeros(50, 2, 2)
L_k[:, 0, 0], L_k[:, 1, 0], L_k[:, 1, 1] = l11, l21, l22
with torch.no_grad():
    by_hand = gaussians(x, mu_k, L_k, splats.colors)
    assert torch.allclose(by_hand, render_dense(splats, x), atol=1e-5)
    # the fast renderer skips each Gaussian beyond 3 standard deviations (weight < 0.011)
    assert torch.allclose(by_hand, splats(x), atol=0.011 * float(splats.colors.abs().sum(0).max()))

# %% [markdown]
# What the activations look like along one pre-activation `z`:

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), constrained_layout=True)
axes[0].plot(z, torch.sin(30 * z), color=plots.method_color("siren"), label="SIREN sin(30 z)")
axes[0].plot(z, finer(z), color="#ff7f0e", label="FINER sin(30 (|z|+1) z)")
axes[0].set_xlim(-1, 1)
axes[0].set_title("FINER: the period shrinks as |z| grows")
w = wire(z.to(torch.complex64))
axes[1].plot(z, w.real, color="#9467bd", label="WIRE, real part")
axes[1].plot(z, w.abs(), color="black", linewidth=1, label="WIRE's window exp(−(s0 z)²)")
axes[1].plot(z, sinc(z), color="#17becf", label="sinc(30 z)")
axes[1].set_xlim(-0.6, 0.6)
axes[1].set_title("Localised: WIRE (ω0 = 8, s0 = 6) and sinc")
axes[2].plot(z, staf(z, C, Omega, Phi), color="#e377c2", label="STAF, 5 random sines")
axes[2].set_xlim(-1, 1)
axes[2].set_title("STAF: a trained sum of sines")
for ax in axes:
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("activation")
    ax.legend(loc="lower left", fontsize=8)
plt.show()

# %% [markdown]
# ## Race 1: every method with its defaults
#
# Every method, the same steps, its own defaults (σ = 10, ω0 = 30, the papers' values):
# a leaderboard of *defaults*. Beside them, with no training, bicubic interpolation of
# the same train pixels (written by hand in 02). The cost columns: *params*, every trained
# number the method needs to render (hash tables, Gaussians, trained activation
# parameters; a complex weight counts as two; FR-INR after merging); *kB*, what saving
# the model takes; *ms/step*, one training step on this machine; *ms/MP*, rendering a
# million pixels; *fit s*, the whole fit.
#
# This and race 2 are the series' longest cells: about a minute each with `NB_SMOKE=1`,
# minutes on a GPU, about ten minutes each on a laptop CPU at the `cpu` budget.

# %% [markdown]
# ### Your turn: predict, then run
#
# Pick an answer and press *Check* (or `answer("07.memorise", "a")`); the race below shows
# it in its *train dB* and *test dB* columns.

# %%
ask("07.memorise")

# %%
N_SNAPSHOTS = 10  # per fit, for the race video


def train_all(picture, tuned=None, names=NAMES, steps=CFG["steps"], reuse=None):
    """Fit every method in ``names`` to ``picture``: with its defaults, or with the knobs
    and lr of ``tuned[name]``. A tuned run whose winner was the defaults is taken from
    ``reuse`` (the same fit). Returns {name: FitResult}."""
    results = {}
    for name in names:
        options = {} if tuned is None else {"lr": tuned[name].lr, **tuned[name].knobs}
        if tuned is not None and reuse is not None and tuned[name].best == 0:
            results[name] = reuse[name]
        else:
            results[name] = helpers.run(name, picture, steps=steps, progress=False,
                                        n_snapshots=N_SNAPSHOTS, **options)
        print(f"{name:<15}{results[name]}")
    return results


RENDER_MS = {}  # id(model) -> ms per megapixel, measured once per fitted model


def render_ms(result):
    key = id(result.model)
    if key not in RENDER_MS:
        RENDER_MS[key] = costs.render_ms_per_megapixel(result.model, size=CFG["render_size"])
    return RENDER_MS[key]


def leaderboard(results, title, baseline=None, runs=None):
    """Print the results (and ``baseline`` as a row of its own) sorted by test PSNR with
    their costs; ``runs``: {name: tuning runs spent}. Returns the methods in that order."""
    rows = {**results, **({"bicubic": baseline} if baseline is not None else {})}
    ranked = sorted(rows, key=lambda name: -rows[name].test_psnr)
    print(title)
    print(f"{'':>3} {'method':<14}{'test dB':>8}{'val dB':>7}{'train dB':>9}{'params':>10}"
          f"{'kB':>7}{'ms/step':>8}{'fit s':>7}{'ms/MP':>8}{'tuning runs':>12}")
    for rank, name in enumerate(ranked, 1):
        r = rows[name]
        if math.isinf(r.train_psnr):  # interpolation: no model, keeps its train pixels
            print(f"{rank:>2}. {name:<14}{r.test_psnr:>8.2f}{r.val_psnr:>7.2f}{'exact':>9}"
                  f"{0:>10}{0:>7}{'-':>8}{r.seconds:>7.2f}{'-':>8}{0:>12}")
            continue
        flat = "  ended at one flat colour" if r.collapsed else ""
        print(f"{rank:>2}. {name:<14}{r.test_psnr:>8.2f}{r.val_psnr:>7.2f}{r.train_psnr:>9.2f}"
              f"{costs.inference_params(r.model):>10,}{costs.stored_bytes(r.model) / 1e3:>7.0f}"
              f"{1000 * r.seconds_per_step:>8.1f}{r.seconds:>7.1f}{render_ms(r):>8.0f}"
              f"{(runs or {}).get(name, 0):>12}{flat}")
    return [name for name in ranked if name in results]


defaults = train_all(image)
bicubic = helpers.run("bicubic", image)  # the classical answer: no training, 0 parameters
ranking_defaults = leaderboard(defaults, f"{settings.IMAGE}, {CFG['size']} px, "
                                         f"{CFG['steps']} steps, defaults", baseline=bicubic)

# %% [markdown]
# What this table says, checked (the bars hold at every budget):
#
# - the plain ReLU MLP is far behind: every newer method beats it by more than 3 dB;
# - the hash grid and the Gabor MFN fit their train pixels far better than the pixels in
#   between (a gap of more than 5 dB), while the ReLU MLP blurs but does not memorise.

# %%
test = {name: r.test_psnr for name, r in defaults.items()}
gap = {name: r.train_psnr - r.test_psnr for name, r in defaults.items()}
assert all(test[name] > test["relu"] + 3 for name in NEWER), test
assert gap["relu"] < 2 and gap["hashgrid"] > 5 and gap["gabor"] > 5, gap

# %% [markdown]
# ### Your turn: one bicubic weight
#
# The bicubic row trains nothing: each test pixel is a weighted sum of 4 × 4 train pixels,
# the weight of a sample at distance x (in samples) being Keys' cubic kernel with a = −½.
# Write that weight for one x (a number, negative too). `hint("07.keys_weight")` nudges,
# `solution("07.keys_weight")` shows ours.

# %%
def my_keys_weight(x):
    return ...  # your code: bicubic's weight for a sample at distance x


check("07.keys_weight", my_keys_weight)

# %% [markdown]
# ## The same tuning budget for every method
#
# A leaderboard of defaults ranks the defaults, not the methods: σ = 10 and ω0 = 30 were
# chosen for 512 px photos, and a method whose paper tuned it for another task starts
# behind. So every method now gets the **same budget**: `n_configs` configurations
# (printed below) of two numbers, a factor `c` on its frequency knob (σ, ω0, L, a, WIRE's
# ω0 and s0 together, the MFN's scale, the hash table's size, the Gaussians' width) and
# its learning rate. Configuration 0 is its defaults; the others are drawn at random, with
# one seed, `c` between 1/4 and 4 and the learning rate between a tenth and ten times the
# default (random search: Bergstra & Bengio 2012). To cost a quarter of a race, each
# configuration trains for the race's steps on the **centre crop** of the image (half its
# side), in the whole image's coordinates, so the network sees the same detail per pixel
# and the same knobs mean the same thing as in the race. The best PSNR on the crop's
# **validation** pixels wins; the winner is then trained once on the whole image and
# reported on the test pixels. The search, in `helpers/tuning.py`:

# %%
box = tuning.centre_crop(CFG["size"], CFG["size"], CFG["crop"])
print(f"search: {CFG['n_configs']} configurations per method, {CFG['steps']} steps each, on "
      f"the centre {box[2]} x {box[3]} px; configurations (c, lr factor):")
print(", ".join(f"({c:.2f}, {f:.2f})" for c, f in tuning.draw_configs(CFG["n_configs"])))
tuned = {}
for name in NAMES:
    tuned[name] = tuning.tune(name, image, CFG["n_configs"], CFG["steps"], crop=CFG["crop"])


def knob_text(knobs):
    return ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v:.3g}"
                     for k, v in knobs.items()) or "(none)"


print(f"\n{'method':<14}{'default':>22}{'lr':>9}  {'chosen':>22}{'lr':>9}"
      f"{'val dB (crop)':>15}{'s':>6}")
for name, t in tuned.items():
    first = tuning.knobs_at(name, 1.0, CFG["size"])
    vals = f"{t.configs[0]['val_psnr']:.2f}→{t.configs[t.best]['val_psnr']:.2f}"
    print(f"{name:<14}{knob_text(first):>22}{helpers.METHODS[name].lr:>9.2g}  "
          f"{knob_text(t.knobs):>22}{t.lr:>9.2g}{vals:>15}{t.seconds:>6.0f}")
print(f"\n{sum(t.runs for t in tuned.values())} tuning runs, "
      f"{sum(t.seconds for t in tuned.values()):.0f} s in all")

# %% [markdown]
# Every configuration's validation PSNR on the crop, one column per method: the
# ring is the defaults, the star the winner. A tall column is a method whose knobs matter;
# dots far below are learning rates that diverged or frequencies that memorised.

# %%
fig, ax = plt.subplots(figsize=(13, 4.2), constrained_layout=True)
for index, (name, t) in enumerate(tuned.items()):
    vals = np.array([c["val_psnr"] for c in t.configs])
    vals = np.where(np.isfinite(vals), vals, np.nan)
    ax.scatter(np.full(len(vals), index), vals, s=14, color="0.55", zorder=2)
    ax.scatter(index, vals[0], s=90, facecolor="none", edgecolor="black", zorder=3)
    ax.scatter(index, vals[t.best], s=130, marker="*", color="#d62728", zorder=4)
ax.set_xticks(range(len(tuned)), list(tuned), rotation=45, ha="right")
ax.set_ylabel("validation PSNR on the crop (dB)")
ax.set_title("The tuning runs: ring = defaults, star = chosen on validation")
ax.grid(alpha=0.3, axis="y")
low = np.nanpercentile([c["val_psnr"] for t in tuned.values() for c in t.configs
                        if math.isfinite(c["val_psnr"])], 5)
ax.set_ylim(low - 1, None)
plt.show()
assert all(t.configs[t.best]["val_psnr"] >= t.configs[0]["val_psnr"] for t in tuned.values())

# %% [markdown]
# ## Race 2: every method tuned the same way
#
# The same race, each method with the knobs and learning rate its search chose (a method
# whose search kept its defaults reuses its race-1 fit: the same run). One more choice on
# validation pixels: the crop is not the whole image (no flag, no sky), so a winner that
# does worse than the defaults on the *whole* image's validation pixels is dropped for
# them. *tuning runs* counts the search and that check.

# %% [markdown]
# ### Your turn: predict, then run
#
# The table below has bicubic's row beside the tuned methods. Pick an answer and press
# *Check* (or `answer("07.against_bicubic", "a")`), then run it.

# %%
ask("07.against_bicubic")

# %%
tuned_race = train_all(image, tuned=tuned, reuse=defaults)
# the last word goes to the whole image's validation pixels: the search saw its centre only
for name, t in tuned.items():
    if t.best != 0 and tuned_race[name].val_psnr < defaults[name].val_psnr:
        print(f"{name}: the search's winner scores {tuned_race[name].val_psnr:.2f} dB on the "
              f"whole image's validation pixels, the defaults {defaults[name].val_psnr:.2f}: "
              "defaults kept")
        t.keep_defaults(CFG["size"])
        tuned_race[name] = defaults[name]
kept = [name for name, t in tuned.items() if t.kept_defaults]
print(f"search's winner kept: {sum(t.best != 0 for t in tuned.values()) - len(kept)} methods; "
      f"defaults kept (search chose them, or the winner did worse on the whole image's "
      f"validation): {sum(t.best == 0 for t in tuned.values()) + len(kept)}"
      + (f", of them {', '.join(kept)} after the whole-image check" if kept else ""))
runs = {name: t.runs for name, t in tuned.items()}
ranking = leaderboard(tuned_race, f"{settings.IMAGE}, {CFG['size']} px, {CFG['steps']} steps, "
                                  f"each tuned with {CFG['n_configs']} runs", bicubic, runs)

# %% [markdown]
# How far tuning moved each method, on the test pixels (grey: defaults, coloured: tuned),
# and whether the order changed:

# %%
by_tuned = sorted(NAMES, key=lambda name: tuned_race[name].test_psnr)
fig, ax = plt.subplots(figsize=(8, 0.32 * len(NAMES) + 1.2), constrained_layout=True)
for row, name in enumerate(by_tuned):
    before, after = defaults[name].test_psnr, tuned_race[name].test_psnr
    ax.plot([before, after], [row, row], color="0.7", linewidth=2, zorder=1)
    ax.scatter(before, row, color="0.6", s=30, zorder=2, label="defaults" if row == 0 else None)
    ax.scatter(after, row, color="#1f77b4", s=45, zorder=3, label="tuned" if row == 0 else None)
ax.axvline(bicubic.test_psnr, color="black", linestyle=":", linewidth=1)
ax.set_yticks(range(len(by_tuned)), by_tuned)
ax.set_xlabel("test PSNR (dB)")
ax.set_title("Test PSNR with defaults and tuned (dotted: bicubic)")
ax.legend(loc="lower right")
ax.grid(alpha=0.3, axis="x")
plt.show()

rank_before = {name: i for i, name in enumerate(ranking_defaults)}
rank_after = {name: i for i, name in enumerate(ranking)}
MARGIN = 0.3  # dB: smaller differences are within what a seed changes
reversals = [(a, b) for a in NAMES for b in NAMES
             if defaults[a].test_psnr > defaults[b].test_psnr + MARGIN
             and tuned_race[b].test_psnr > tuned_race[a].test_psnr + MARGIN]
moved = {name: tuned_race[name].test_psnr - defaults[name].test_psnr for name in NAMES}
print("test PSNR, tuned minus defaults (dB): " + ", ".join(
    f"{name} {moved[name]:+.2f}" for name in sorted(NAMES, key=lambda n: -moved[n])))
print(f"{len(reversals)} pairs changed order by more than {MARGIN} dB each way"
      + (": " + "; ".join(f"{b} now above {a}" for a, b in reversals[:12]) if reversals else "")
      + ("; ..." if len(reversals) > 12 else ""))
print(f"winner with defaults: {ranking_defaults[0]} ({defaults[ranking_defaults[0]].test_psnr:.2f}"
      f" dB); winner tuned: {ranking[0]} ({tuned_race[ranking[0]].test_psnr:.2f} dB)")

# %% [markdown]
# ### Look: every tuned reconstruction, the same zoom
#
# The yellow box is enlarged in each panel's corner: the face, where detail lives.

# %%
fig = plots.compare_results({name: tuned_race[name] for name in ranking}, target=image,
                            inset=FACE, ncols=4, size=2.7,
                            suptitle="Tuned, best test PSNR first")
plt.show()

# %% [markdown]
# ## Race 3: the same wall-clock time
#
# Steps are not equally expensive: FR-INR multiplies its bank of bases into its weights in
# every step, a complex WIRE layer does four real matrix products, the hash grid replaces
# layers by a table lookup. Test PSNR against the seconds each tuned run took on this
# machine (left) and against steps (right); then a race stopped at the same time for
# all: the median method's training time.

# %%
STYLE = {"wire": "#9467bd", "finer": "#ff7f0e", "gabor": "#17becf", "hashgrid": "#bcbd22",
         "siren_scaled": "#d62728", "finer_scaled": "#ff7f0e", "sinc": "#e377c2",
         "fr_siren": "#000000", "staf": "#66a61e", "gaussians": "#e6ab02"}


def line_style(name):
    """Newer methods thick, the newest thick and dash-dotted, the activations of 06 grey."""
    if name in STYLE:
        return {"color": STYLE[name], "linewidth": 2.4,
                "linestyle": "-." if name in NEWEST else "-"}
    if name not in ("relu", "basic", "pe", "gauss", "siren"):  # the activations of 06
        return {"color": "0.6", "linewidth": 1.0, "linestyle": "--"}
    return {"color": plots.method_color(name), "linewidth": 1.8}


fig, axes = plt.subplots(1, 2, figsize=(13, 4.4), constrained_layout=True)
for name, r in tuned_race.items():
    for ax, xs in zip(axes, (r.history["seconds"], r.history["step"])):
        ax.plot(xs, r.history["test_psnr"], label=name, **line_style(name))
for ax, label in zip(axes, ("wall-clock seconds (this machine)", "training step")):
    plots.draw_baseline(ax, bicubic)
    ax.set_xlabel(label)
    ax.set_ylabel("test PSNR (dB)")
    ax.grid(alpha=0.3)
axes[0].set_xscale("log")
axes[0].set_title("Test PSNR against time (tuned; dotted: bicubic)")
axes[1].set_title("Against steps (grey dashed: 06's activations; dash-dot: newest)")
axes[1].legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
plt.show()


def psnr_at(result, seconds):
    """The test PSNR of the last evaluation at or before ``seconds`` (None if none was)."""
    reached = [p for s, p in zip(result.history["seconds"], result.history["test_psnr"])
               if s <= seconds and s > 0]
    return reached[-1] if reached else None


budget_s = float(np.median([r.history["seconds"][-1] for r in tuned_race.values()]))
at_time = {name: psnr_at(r, budget_s) for name, r in tuned_race.items()}
order_time = sorted((n for n in NAMES if at_time[n] is not None), key=lambda n: -at_time[n])
print(f"equal time: {budget_s:.1f} s each on this machine (the median run's); test PSNR then:")
print(", ".join(f"{name} {at_time[name]:.2f}" for name in order_time))
print("no evaluation yet by then: " + (", ".join(n for n in NAMES if at_time[n] is None)
                                       or "none"))

# %% [markdown]
# ### The same race as a video, for a stream
#
# Every tuned method side by side at **equal wall-clock time**: each panel shows the
# newest snapshot its run had taken by then and its test PSNR at that moment, so the
# fast methods finish ("done") while the slow ones are still sharpening. The file's path
# is printed, to share or to stream.

# %%
race_path = video.race_video({name: tuned_race[name] for name in ranking}, fps=6, seconds=5)
print(race_path)
assert race_path.suffix == ".mp4" and race_path.stat().st_size > 10_000, race_path

# %% [markdown]
# ## Race 4: the same number of parameters
#
# The networks differ in size: Gaussian features feed 512 numbers into the first layer,
# FR-INR trains millions of coefficients (and deploys a SIREN), the hash grid's table
# grows with the image. So: give a few methods **exactly the hash grid's parameter
# count**, by changing their width (the Gaussians: their number), with their tuned knobs.

# %%
def width_for(name, target):
    """The hidden width at which method ``name`` has the parameter count closest to ``target``."""
    def count(width):
        return helpers.count_params(helpers.make_model(name, hidden=width,
                                                       image_size=CFG["size"]))
    low, high = 2, 16
    while count(high) < target:   # double until past the target, then bisect
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if count(middle) <= target else (low, middle)
    return min((low, high), key=lambda width: abs(count(width) - target))


target = costs.inference_params(tuned_race["hashgrid"].model)
EQUAL_PARAMS = ["pe", "gauss", "siren", "gabor", "gaussians"]
equal_params = {"hashgrid": tuned_race["hashgrid"]}
for name in EQUAL_PARAMS:
    size_knob = ({"n_gaussians": target // 8} if name == "gaussians"
                 else {"hidden": width_for(name, target)})
    equal_params[name] = helpers.run(name, image, steps=CFG["steps"], lr=tuned[name].lr,
                                     n_snapshots=0, progress=False,
                                     **{**tuned[name].knobs, **size_knob})
    print(f"{name:<10} {knob_text(size_knob)}: {equal_params[name]}")
ranking_params = leaderboard(equal_params, f"equal parameters: {target:,} each, tuned knobs",
                             baseline=bicubic)
for name in EQUAL_PARAMS:
    assert abs(equal_params[name].params - target) <= 0.02 * target, name
change = {name: equal_params[name].test_psnr - tuned_race[name].test_psnr for name in EQUAL_PARAMS}
print("test PSNR, equal parameters minus race 2 (dB):",
      ", ".join(f"{name} {delta:+.2f}" for name, delta in change.items()))

# %% [markdown]
# ### Your turn: the width and the parameter count
#
# Race 4 matched parameter counts by changing widths. Count the parameters of the
# registry's SIREN 128 and 256 wide (`helpers.count_params(helpers.make_model("siren",
# hidden=...))`): how many times more has the wider one? The checker counts them itself.
# `hint("07.width_params")` nudges, `solution("07.width_params")` shows ours.

# %%
my_ratio = ...  # your number: the parameters at width 256 divided by those at width 128
check("07.width_params", my_ratio)

# %% [markdown]
# ## A note on the numbers in papers
#
# SIREN, WIRE, FINER, FR-INR, STAF and GaussianImage (and many others) **fit every
# pixel** of an image and report the PSNR on those same pixels, usually after thousands
# of steps: numbers of 35–50 dB. That is our *train* column, a measure of how well a
# method can memorise; this series reports *held-out* pixels, a measure of whether it
# learned the image. The two disagree wildly: WIRE with its paper's fitting settings
# (ω0 = 20, s0 = 10) reaches 37 dB on the train pixels of a 128 px photo and 7 dB on the
# pixels in between. The same holds for tuning: in WIRE's tracker (vishwa91/wire#24) a
# tuned SIREN (ω0 = 80, lr 5e-4) beats the SIREN numbers of the WIRE paper, which is why
# this notebook tunes every method the same way. Never put a fitting PSNR next to a
# held-out one. The same point as a figure, for every tuned method:

# %%
fig, ax = plt.subplots(figsize=(6.4, 4.6), constrained_layout=True)
by_train = sorted(tuned_race, key=lambda name: tuned_race[name].train_psnr)
for index, name in enumerate(by_train):
    r = tuned_race[name]
    ax.scatter(r.train_psnr, r.test_psnr, s=40, color=line_style(name)["color"],
               edgecolor="black", linewidth=0.5, zorder=3)
    ax.annotate(name, (r.train_psnr, r.test_psnr), textcoords="offset points",
                xytext=(3, 5 if index % 2 else -12), fontsize=8)
low = min(r.test_psnr for r in tuned_race.values()) - 2
high = max(r.train_psnr for r in tuned_race.values()) + 2
ax.plot([low, high], [low, high], color="black", linewidth=0.8, linestyle=":")
ax.set_ylim(low, max(r.test_psnr for r in tuned_race.values()) + 4)
ax.set_xlabel("train PSNR (dB): what a fitting paper reports")
ax.set_ylabel("test PSNR (dB): held-out pixels")
ax.set_title("Memorising is not learning (dotted: test = train)")
ax.grid(alpha=0.3)
plt.show()
best_train = max(r.train_psnr for r in tuned_race.values())
best_test = max(r.test_psnr for r in tuned_race.values())
assert best_train > best_test + 5  # a paper-style (fitting) number would overstate by > 5 dB

# %% [markdown]
# ## Your turn: another image
#
# The ranking depends on the image. Text is nearly all edges; the grayscale cameraman has
# large flat areas. Pick an image: the first time, every method trains on it with its
# **defaults** at the preview size and steps of the top line (a tuned race per image would
# take as long as this notebook), so the answer comes in seconds to minutes; then the result is kept, so
# switching back is instant. The photo shows race 2 (tuned) at full size. Each table's
# title says its size and steps.

# %%
IMAGES = {"photo": FACE, "gray": (0.20, 0.45, 0.38, 0.63), "text_00": (0.72, 0.97, 0.72, 0.97),
          "small_print": (0.72, 0.92, 0.02, 0.22)}
cache = {settings.IMAGE: tuned_race}


def show_image_race(image_name):
    size = CFG["size"] if image_name == settings.IMAGE else CFG["preview_size"]
    picture = helpers.load_image(image_name, size=size)
    if image_name not in cache:
        print(f"training {len(NAMES)} methods on {image_name!r} (once)...")
        cache[image_name] = train_all(picture, steps=CFG["preview_steps"])
    results = cache[image_name]
    steps = next(iter(results.values())).steps
    order = leaderboard(results, f"{image_name}, {size} px, {steps} steps",
                        baseline=helpers.run("bicubic", picture))
    top = {name: results[name] for name in order[:7]}
    plots.compare_results(top, target=picture, inset=IMAGES[image_name], ncols=4, size=2.6,
                          suptitle=f"{image_name}: the best seven")
    plt.show()


interactive(show_image_race,
            image_name=widgets.Dropdown(options=list(IMAGES), value=settings.IMAGE,
                                        description="image"))

# %% [markdown]
# ## What the numbers say
#
# The verdicts, printed from this run's numbers (a different budget or machine may print
# different winners; the checks under them hold at every budget):

# %%
def winner(psnrs):
    best = max(psnrs, key=psnrs.get)
    runner = max((n for n in psnrs if n != best), key=psnrs.get)
    return f"{best} ({psnrs[best]:.2f} dB, {psnrs[best] - psnrs[runner]:.2f} dB above {runner})"


print(f"at equal tuning ({CFG['n_configs']} runs each): "
      f"{winner({n: r.test_psnr for n, r in tuned_race.items()})}")
print(f"with defaults:              {winner(test)}")
print(f"at equal parameters ({target:,}): "
      f"{winner({n: r.test_psnr for n, r in equal_params.items()})}")
print(f"at equal time ({budget_s:.1f} s):  "
      f"{winner({n: at_time[n] for n in order_time})}")
moved = [n for n in NAMES if abs(tuned_race[n].test_psnr - test[n]) > MARGIN]
print(f"tuning moved {len(moved)} of {len(NAMES)} methods by more than {MARGIN} dB on the test "
      f"pixels ({', '.join(moved) or 'none'}) and reversed {len(reversals)} pairs")
margin = tuned_race[ranking[0]].test_psnr - bicubic.test_psnr
print(f"the best tuned method against bicubic interpolation: {margin:+.2f} dB")
kb = {n: costs.stored_bytes(r.model) / 1e3 for n, r in tuned_race.items()}
ms = {n: render_ms(r) for n, r in tuned_race.items()}
print(f"to keep: {min(kb.values()):.0f} kB ({min(kb, key=kb.get)}) to {max(kb.values()):.0f} kB "
      f"({max(kb, key=kb.get)}); to render a megapixel: {min(ms.values()):.0f} ms "
      f"({min(ms, key=ms.get)}) to {max(ms.values()):.0f} ms ({max(ms, key=ms.get)})")

# the claims below, checked at every budget
top_tuned = tuned_race[ranking[0]].test_psnr
assert top_tuned > max(test.values()) - 0.5, (top_tuned, max(test.values()))
for race in (defaults, tuned_race):
    assert all(race[n].test_psnr > race["relu"].test_psnr + 3
               for n in NAMES if n not in ("relu", "basic")), {n: r.test_psnr for n, r in race.items()}
assert abs(margin) < 3, margin
assert max(ms.values()) > 5 * min(ms.values()), ms

# %% [markdown]
# ## What changed, and why
#
# - **Tuning is part of the method.** The printout above says how many methods this
#   budget's search moved and how many pairs it reversed. Where that is none, the
#   defaults were already the best of the configurations tried, not the best there is:
#   a leaderboard is only as good as the search behind each row, so report the tuning
#   budget beside every number.
# - On held-out pixels, every idea that lets the network make high frequencies (an input
#   encoding, a periodic or localised activation, a multiplicative filter, a learned grid,
#   explicit Gaussians) lifts the plain ReLU MLP by more than 3 dB, tuned or not.
# - **Cost is more than PSNR.** The printout above gives the spread of what a method
#   costs to keep and to render (the slowest renders more than 5× slower than the fastest,
#   checked), and the leaderboards give each method's: read the columns, not only the
#   winner.
# - **Against interpolation, plainly:** the printout above says where the best tuned
#   method falls against bicubic interpolation, which trains nothing (within 3 dB either
#   way, checked). Fitted to one regularly sampled image, a coordinate network behaves
#   like kernel regression, an interpolator with a learned kernel (04's kernel section),
#   and for 2× upsampling of a photo a well-made fixed kernel is already close.
# - **Where coordinate networks earn their keep** is where interpolation has no grid to
#   work on: signals seen only through a transform, scattered samples, other signals and
#   a 3-D scene from photos: 08-11, each with its classical answer beside the network.
# - To reproduce the table of Tancik et al. 2020 (bicubic beside the mappings) on the
#   series' 10 photos or 8 text images, or on your own folder:
#   `python -m helpers table --kind natural --size 512 --steps 2000` (or `--kind text`,
#   or `--images DIR`).

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. What does FINER change in SIREN's activation, and what does WIRE's Gaussian window add to a sinusoid?
# 2. How does the hash grid find the features of a grid cell's corner, and what does it train?
# 3. Why does a leaderboard of defaults rank the defaults rather than the methods?
# 4. How is every method tuned with the same budget, and which pixels choose its winner?
# 5. Why are "the same steps", "the same parameters" and "the same time" three different races?
# 6. What does a train PSNR far above the test PSNR say about a method, and which methods show it here?
# 7. Why is a paper's fitting PSNR not comparable with the held-out PSNR this series reports?
# 8. Why is bicubic interpolation so hard to beat on this task, and where do coordinate networks earn their keep instead?
