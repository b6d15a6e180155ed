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
# # 06 · Beyond sine: other activations that fit images
#
# **What you will learn**
# 1. Six activations from "Beyond Periodicity" (Ramasinghe & Lucey, 2022), each with its derivative.
# 2. That with the right parameter a, each one fits an image sharply with ordinary initialisation.
# 3. How every method of the series compares on one image and one budget: PSNRs, size and speed.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/06_other_activations.ipynb)

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
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch

import helpers
from helpers import plots, settings, sweeps
from helpers.activations import DEFAULT_A, DEFAULT_B
from helpers.exercises import answer, ask, check, hint, solution
from helpers.widgets import retrain_panel_multi

print(settings.describe())

# %% [markdown]
# ## The data
#
# The same photo and split: train on `image[::2, ::2]`, test on `image[1::2, 1::2]`.

# %%
image = helpers.load_image(settings.IMAGE, size=settings.SIZE)
SIZE = settings.SIZE
INSET = (0.10, 0.36, 0.33, 0.59)  # the face: the same zoom on every reconstruction
print(f"image {tuple(image.shape)}")

# %% [markdown]
# ## Six activations, by hand
#
# 05 showed that sine activations make a plain MLP on raw coordinates sharp — but only
# with a special initialisation. Ramasinghe & Lucey ask what property matters and find
# that many non-periodic activations work too, with PyTorch's ordinary initialisation.
# Each has a parameter a that sets how quickly it changes (its bandwidth), like σ in 04
# and ω0 in 05:
#
# | name | f(z) |
# |---|---|
# | Gaussian | exp(−z² / (2a²)) |
# | Laplacian | exp(−\|z\| / a) |
# | quadratic | 1 / (1 + (a z)²) |
# | multi-quadratic | 1 / √(1 + (a z)²) |
# | super-Gaussian | [exp(−z² / (2a²))]^b |
# | ExpSin | exp(−sin(a z)) |
#
# Note the two directions: for Gaussian, Laplacian and super-Gaussian a is a *width* (small
# a = sharp), for the others a is a *rate* (large a = sharp). The parameters we use are the
# series' defaults, `helpers.activations.DEFAULT_A` (chosen for a 4 × 256 MLP on a photo).

# %%
NAMES = ["gaussian", "laplacian", "quadratic", "multiquadratic", "supergaussian", "expsin"]
# a colour per activation, apart from the series' relu/pe/gauss/siren colours
COLORS = dict(zip(NAMES, ["#9467bd", "#ff7f0e", "#e377c2", "#bcbd22", "#17becf", "#8c564b"]))
by_hand = {
    "gaussian": lambda z, a, b: torch.exp(-z ** 2 / (2 * a ** 2)),
    "laplacian": lambda z, a, b: torch.exp(-z.abs() / a),
    "quadratic": lambda z, a, b: 1 / (1 + (a * z) ** 2),
    "multiquadratic": lambda z, a, b: 1 / torch.sqrt(1 + (a * z) ** 2),
    "supergaussian": lambda z, a, b: torch.exp(-z ** 2 / (2 * a ** 2)) ** b,
    "expsin": lambda z, a, b: torch.exp(-torch.sin(a * z)),
}
z = torch.linspace(-1, 1, 801)
for name in NAMES:
    a, b = DEFAULT_A[name], DEFAULT_B.get(name)
    assert torch.allclose(by_hand[name](z, a, b), helpers.Activation(name)(z), atol=1e-6), name
print("defaults: " + ", ".join(f"{n} a={DEFAULT_A[n]:g}" + (f" b={DEFAULT_B[n]:g}" if n in DEFAULT_B else "")
                               for n in NAMES))

# %% [markdown]
# ### Your turn: the Gaussian activation
#
# Write the table's first row as a function of a tensor `z` and the width `a`, as
# `by_hand["gaussian"]` does. `hint("06.gaussian")` nudges, `solution("06.gaussian")` shows ours.

# %%
def my_gaussian(z, a):
    return ...  # your code: the Gaussian activation of z, elementwise


check("06.gaussian", my_gaussian)

# %% [markdown]
# Each activation (solid) and its derivative (dashed, right axis), at its default
# parameter, over the range where the pre-activations z = Wx + b of a freshly initialised
# layer live. A sharp bump or a fast wiggle means a large derivative: small changes of
# the input move the output a lot, which is what lets the network draw fine detail.

# %%
fig, axes = plt.subplots(2, 3, figsize=(13, 6.4), constrained_layout=True)
for ax, name in zip(axes.flat, NAMES):
    zz = z.clone().requires_grad_(True)
    out = helpers.Activation(name)(zz)
    (slope,) = torch.autograd.grad(out.sum(), zz)
    color = COLORS[name]
    ax.plot(z, out.detach(), color=color, linewidth=2, label="f(z)")
    twin = ax.twinx()
    twin.plot(z, slope, color=color, linestyle="--", linewidth=1.2, label="f'(z)")
    twin.set_ylabel("f'(z)", fontsize=9)
    parameter = f"a = {DEFAULT_A[name]:g}" + (f", b = {DEFAULT_B[name]:g}" if name in DEFAULT_B else "")
    ax.set_title(f"{name} ({parameter})")
    ax.set_xlabel("z")
    ax.set_ylabel("f(z)")
    ax.grid(alpha=0.3)
fig.suptitle("activations (solid, left axis) and their derivatives (dashed, right axis)")
plt.show()

# %% [markdown]
# ## Every method of the series on one image and one budget
#
# The same photo, size and number of steps for all: the plain ReLU MLP (02), ReLU with
# positional encoding (03), ReLU with Gaussian Fourier features (04), SIREN (05) and an
# MLP with each of the six activations — 4 layers × 256 everywhere, each with its usual
# learning rate (`helpers.METHODS`). The activations' networks have a linear output
# and PyTorch's default initialisation. Each method trains on its own here, so its time
# per step is its own (on this machine).

# %%
METHODS = ["relu", "pe", "gauss", "siren"] + NAMES
bicubic = helpers.run("bicubic", image)  # the classical answer (02): no training
WATCH = NAMES[0]  # the fit shown live (redrawn while it trains): the first new activation
results = {}
for name in METHODS:
    results[name] = helpers.run(name, image, n_snapshots=0, description=name,
                                live=(name == WATCH), inset=INSET,
                                baseline={"bicubic": bicubic.test_psnr})

# %%
header = f"{'method':<16}{'train PSNR':>11}{'test PSNR':>11}{'params':>10}{'ms/step':>9}  description"
print(header)
print("-" * len(header))
for name, r in results.items():
    print(f"{name:<16}{r.train_psnr:>9.1f} dB{r.test_psnr:>8.1f} dB{r.params:>10,}"
          f"{1000 * r.seconds_per_step:>9.1f}  {helpers.get_method(name).description}")
print(f"{'bicubic':<16}{'exact':>12}{bicubic.test_psnr:>8.1f} dB{0:>10,}{0:>9.1f}  "
      "Keys bicubic interpolation of the train pixels (no training)")
print(f"\n{SIZE}x{SIZE} photo, {settings.STEPS} steps, train on 1/4 of the pixels, "
      f"test on the held-out pixels; device: {results['relu'].device}")

# %%
colors = [COLORS.get(name, plots.method_color(name)) for name in results]
fig, ax = plt.subplots(figsize=(11, 3.8), constrained_layout=True)
x = np.arange(len(results))
ax.bar(x - 0.2, [r.train_psnr for r in results.values()], width=0.4, fill=False,
       edgecolor=colors, linewidth=1.5, label="train pixels (outline)")
ax.bar(x + 0.2, [r.test_psnr for r in results.values()], width=0.4, color=colors,
       label="test pixels (filled)")
ax.set_xticks(x, list(results), rotation=20)
ax.set_ylabel("PSNR (dB)")
ax.axhline(results["relu"].test_psnr, color="#7f7f7f", linestyle=":", linewidth=1)
plots.draw_baseline(ax, bicubic)
ax.set_title("train (outline) and held-out (filled) PSNR of every method; "
             "dotted: plain ReLU and bicubic, test")
ax.legend(loc="upper left")
ax.grid(axis="y", alpha=0.3)
plt.show()

# %% [markdown]
# All reconstructions side by side, each with the same zoom on the face:

# %%
plots.compare_results(results, target=image, inset=INSET, ncols=4, size=3.0,
                      suptitle=f"every method, {SIZE}x{SIZE}, {settings.STEPS} steps")
plt.show()

# %% [markdown]
# Every one of the six activations leaves the plain ReLU MLP's blur behind, without any
# input encoding and without a special initialisation. What they share is not
# periodicity: it is that their output changes quickly with their input (a large,
# well-spread derivative) — and a decides how quickly, as σ and ω0 did. Too sharp, and the
# fit memorises the train pixels (train PSNR high, test low); too blunt, and it blurs.
# Compare the train–test gaps in the table: the widest gaps are the methods whose
# bandwidth is set highest for this image size.

# %% [markdown]
# ## Try it: pick an activation, move a (and b)
#
# The panel retrains at the preview size when you release a control. Choosing an
# activation resets a to its default; b matters only for the super-Gaussian. The Gaussian
# at a range of a values was trained beforehand (same architecture, only a differs), so
# those positions show at once; the last plot collects the a values tried.

# %% [markdown]
# ### Your turn: predict, then run
#
# Pick an answer and press *Check* (or `answer("06.gaussian_a", "a")`); the next cell
# prints the Gaussian's PSNRs for each a.

# %%
ask("06.gaussian_a")

# %%
preview_image = helpers.load_image(settings.IMAGE, size=settings.PREVIEW_SIZE)


def train_preview(name, a, b):
    return helpers.run(name, preview_image, steps=settings.PREVIEW_STEPS, a=a,
                       b=b if name == "supergaussian" else None, n_snapshots=0, progress=False)


first = "gaussian"
a_values = [DEFAULT_A[first] * f for f in (0.25, 0.5, 1.0, 2.0, 4.0)]
b_default = DEFAULT_B["supergaussian"]
preview_runs = sweeps.sweep(first, preview_image, "a", a_values, steps=settings.PREVIEW_STEPS,
                            n_snapshots=0, description="slider")
precomputed = {(first, a, b_default): r for a, r in preview_runs.items()}
for a, r in preview_runs.items():
    print(f"{first}, a = {a:<6g} ({a / DEFAULT_A[first]:g} x default): "
          f"train {r.train_psnr:5.2f} dB | test {r.test_psnr:5.2f} dB")

activation_menu = widgets.Dropdown(options=NAMES, value=first, description="activation")
a_slider = widgets.FloatLogSlider(value=DEFAULT_A[first], base=10, min=-3, max=3, step=0.05,
                                  description="a", continuous_update=False)
b_slider = widgets.FloatSlider(value=b_default, min=0.5, max=8.0, step=0.5, description="b",
                               continuous_update=False, disabled=True)


def reset_parameters(change):
    # runs before the panel sees the new activation, so it trains once, with the new default
    with panel.knob.holding():
        a_slider.value = DEFAULT_A[change["new"]]
        b_slider.value = b_default
        b_slider.disabled = change["new"] != "supergaussian"


activation_menu.observe(reset_parameters, names="value")
panel = retrain_panel_multi([activation_menu, a_slider, b_slider], train_preview,
                            target=preview_image, precomputed=precomputed, sweep_index=1,
                            inset=INSET, baseline=helpers.run("bicubic", preview_image))
panel

# %% [markdown]
# ### Your turn: where the Gaussian starts to memorise
#
# With the Gaussian, move a down from its default one slider step at a time and watch train
# minus test PSNR in the panel's printout. Report the **largest a at which train beats test
# by more than 10 dB** (memorisation), i.e. one slider step above it the gap is 10 dB or
# less. The checker fits both itself. `hint("06.memorising_a")` nudges,
# `solution("06.memorising_a")` shows ours.

# %%
my_a = ...  # your number: the largest a on the slider where train beats test by over 10 dB
check("06.memorising_a", my_a)

# %% [markdown]
# ## The claim, checked
#
# Each of the six activations beats the plain ReLU MLP on train PSNR — on the same network,
# image and budget (measured in the smoke budget and expected at full budget, where the
# ReLU MLP stays blurry while the others keep sharpening).

# %%
relu_train = results["relu"].train_psnr
for name in NAMES:
    assert results[name].train_psnr > relu_train + 3, \
        f"{name}: train {results[name].train_psnr:.1f} dB vs ReLU {relu_train:.1f} dB"
print("train PSNR above plain ReLU (" + f"{relu_train:.1f} dB): "
      + ", ".join(f"{n} +{results[n].train_psnr - relu_train:.1f}" for n in NAMES))

# %% [markdown]
# And where the activations stand against bicubic interpolation of the same train pixels,
# from this run's numbers (a's are the defaults; the slider above is for exploring):

# %%
best = max(NAMES, key=lambda name: results[name].test_psnr)
margin = results[best].test_psnr - bicubic.test_psnr
above = [name for name in NAMES if results[name].test_psnr > bicubic.test_psnr]
print(f"best activation: {best}, {results[best].test_psnr:.2f} dB on test pixels, "
      f"{abs(margin):.2f} dB {'above' if margin > 0 else 'below'} bicubic "
      f"({bicubic.test_psnr:.2f} dB); {len(above)} of {len(NAMES)} activations beat it.")
assert -6 < margin < 3, (  # no leap over interpolation on held-out pixels; not far behind it
    f"the best activation should land between 6 dB below and 3 dB above bicubic: {margin:+.2f} dB")

# %% [markdown]
# ## What changed, and why
#
# - Sine is not special: Gaussian, Laplacian, (multi-)quadratic, super-Gaussian and ExpSin
#   activations also make a coordinate MLP sharp, with ordinary initialisation.
# - Their parameter a is a bandwidth knob, the same idea as σ (04) and ω0 (05): it has to
#   suit the image and its sampling, or the network blurs or memorises.
# - On one image and one budget every method but the plain ReLU MLP lands within a few dB
#   of the others on held-out pixels; they differ more in speed, in how hard they overfit
#   the train pixels, and in what their derivatives look like (05).

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. Which six activations does this notebook try, and which initialisation do their networks use?
# 2. For which activations is a a width, and for which a rate? Which way do you move a to sharpen each?
# 3. What property do the activations that beat the plain ReLU MLP share, if not periodicity?
# 4. What do a too-small and a too-large Gaussian a do to train and test PSNR?
# 5. What does the parameter b of the super-Gaussian change?
# 6. Apart from test PSNR, in what do the methods of this notebook differ?
