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
# # 03 · Positional encoding: give the MLP high frequencies to start from
#
# **What you will learn**
# 1. NeRF's positional encoding γ(v) in five lines, using one frequency matrix P.
# 2. Why it beats the plain MLP by several dB, and why *too many* frequencies memorise the train pixels.
# 3. Its blind spot: every encoded frequency lies on the u or the v axis.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/03_positional_encoding.ipynb)

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

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import torch

import helpers
from helpers import checks, plots, settings, widgets
from helpers.encoders import max_useful_n_freqs
from helpers.exercises import answer, ask, check, hint, solution

print(settings.describe())

# %% [markdown]
# ## Data
#
# The same photo, split and zoom as in 02_plain_mlp.

# %%
image = helpers.load_image(settings.IMAGE, size=settings.SIZE)
split = helpers.split_pixels(image)
FACE = (0.15, 0.40, 0.36, 0.61)  # (y0, y1, x0, x1) as fractions: the zoom on every figure

# %% [markdown]
# ## The encoding, by hand
#
# NeRF maps each coordinate p to
#
# γ(p) = [sin(2⁰πp), cos(2⁰πp), sin(2¹πp), cos(2¹πp), …, sin(2^(L−1)πp), cos(2^(L−1)πp)]
#
# for both coordinates. A tidy way to compute all of it at once: put the frequencies in a
# matrix P whose blocks are 2^k times the identity, so `x @ P` holds every 2^k·u and
# 2^k·v; then take sin and cos and concatenate. Two inputs become 2·2L features.

# %%
L = 4
P = torch.cat([2.0 ** k * torch.eye(2) for k in range(L)], dim=1)  # (2, 2L)
print(P)


def encode(x, P):
    """(N, 2) coordinates in [-1, 1] -> (N, 2 * P.shape[1]) features."""
    z = math.pi * x @ P
    return torch.cat([torch.sin(z), torch.cos(z)], dim=-1)


features = encode(split.train_coords, P)
print("features:", tuple(features.shape))
assert torch.equal(P, helpers.frequency_matrix(L)), "P differs from helpers.frequency_matrix(L)"
assert torch.allclose(features, helpers.PositionalEncoding(L)(split.train_coords), atol=1e-6), \
    "encode(x, P) differs from helpers.PositionalEncoding(L)"

# %% [markdown]
# Column 2k of P is the frequency (2^k, 0): 2^k periods across the image along u; column
# 2k + 1 is (0, 2^k), along v. (With x in [−1, 1], sin(2^k π x) has exactly 2^k periods
# across the image, as NeRF's sin(2^k π p) and Tancik's sin(2π 2^k v) with v in [0, 1).)
# The features as images, from low to high frequency (sine of u, then sine of v):

# %%
L_SAFE = max_useful_n_freqs(settings.SIZE)  # largest L the train grid resolves (explained below)
L_SHOW = L_SAFE + 2
grid = helpers.make_grid(settings.SIZE)
shown = helpers.PositionalEncoding(L_SHOW)(grid.reshape(-1, 2)).reshape(*grid.shape[:2], -1)
pictures, titles, aliased = [], [], []
for axis, name in enumerate("uv"):
    for k in range(L_SHOW):
        pictures.append(shown[..., 2 * k + axis])  # sines come first: column 2k + axis of P
        aliased.append(2 ** k >= settings.SIZE / 4)
        titles.append(f"sin({2 ** k}π{name}): {2 ** k} period{'s' if k else ''}"
                      + ("\n≥ SIZE/4: aliases" if aliased[-1] else ""))
fig = plots.show_images(pictures, titles, ncols=L_SHOW, size=2.1, cmap=plots.CMAP_SIGNED,
                        vmin=-1, vmax=1)
for ax, bad in zip(fig.axes, aliased):
    if bad:
        ax.title.set_color("crimson")
plt.show()

# %% [markdown]
# ### Your turn: γ(p) without the matrix P
#
# Write the encoding for any L with a loop over k instead of P, in the same column order as
# `encode(x, P)`: all the sines, then all the cosines, each block ordered 2⁰πu, 2⁰πv, 2¹πu, …
# The checker tries L = 4 and others, on several inputs.
# `hint("03.encoding")` nudges, `solution("03.encoding")` shows ours.

# %%
def my_encoding(x, L):
    return ...  # your code: (N, 2) coordinates in [-1, 1] -> (N, 4L) features


check("03.encoding", my_encoding)

# %% [markdown]
# ## A fit beside the plain MLP
#
# Three models, same network, same budget: the plain ReLU MLP (02), PE with `L_SAFE`
# frequencies (as many as this image's train grid can resolve — why that limit matters
# comes next), and PE with NeRF's L = 10.

# %% [markdown]
# ### Your turn: predict, then run
#
# Pick an answer and press *Check* (or `answer("03.best_test", "a")`); the next cells show it.

# %%
ask("03.best_test")

# %%
L_NERF = 10  # try others: NeRF's value, which the checks below expect
bicubic = helpers.run("bicubic", image)  # interpolation of the same train pixels (02)
results = {  # no snapshots needed in this notebook: n_snapshots=0 saves time
    "relu": helpers.run("relu", image, n_snapshots=0, description="relu"),
    # live=True: watch the main fit redraw here, with bicubic's test PSNR as a line
    f"pe L={L_SAFE}": helpers.run("pe", image, n_freqs=L_SAFE, n_snapshots=0,
                                  description=f"pe L={L_SAFE}", live=True, inset=FACE,
                                  baseline={"bicubic": bicubic.test_psnr}),
    f"pe L={L_NERF}": helpers.run("pe", image, n_freqs=L_NERF, n_snapshots=0,
                                  description=f"pe L={L_NERF}"),
}
for name, result in results.items():
    print(f"{name:8s} {result}")

# %%
plots.compare_results(results, image, inset=FACE)
plt.show()
plots.psnr_curves(results, baseline=bicubic)
plt.show()

# %% [markdown]
# With `L_SAFE` frequencies the face and the flag come back: several dB above the plain
# MLP on pixels it never saw. Checked, with a bar that holds in the smoke budget (about
# +5 dB at 128 px) and at 512 px, 2000 steps:

# %%
relu, pe, pe_nerf = results.values()
print(f"PE (L={L_SAFE}) beats the plain MLP by {pe.test_psnr - relu.test_psnr:.1f} dB "
      "on test pixels")
assert pe.test_psnr > relu.test_psnr + 3, (
    f"PE should beat the plain MLP by 3 dB on test pixels: {pe.test_psnr:.2f} vs {relu.test_psnr:.2f} dB")

# %% [markdown]
# And against the classical answer (the dotted line above), from this run's numbers:

# %%
margin = pe.test_psnr - bicubic.test_psnr
print(f"PE (L={L_SAFE}): {pe.test_psnr:.2f} dB on test pixels, {abs(margin):.2f} dB "
      f"{'above' if margin > 0 else 'below'} bicubic interpolation of the same train pixels "
      f"({bicubic.test_psnr:.2f} dB, no training).")
assert margin < 3, f"PE should not leap 3 dB over interpolation: {margin:+.2f} dB"

# %% [markdown]
# ## Too many frequencies: memorising the train pixels
#
# L = 10 is *worse* than L = `L_SAFE` on the test pixels, though it fits the train pixels
# nearly as well (dashed curves above) — and its test curve stalls and falls while its
# train curve keeps climbing. It is learning the train pixels, not the image.
# Why: the train pixels are every other pixel, so they are `SIZE / 2` samples across,
# and samples can only tell apart waves of fewer than half that many periods — `SIZE / 4`
# (the Nyquist limit of the train grid). A feature at or above that limit takes values on
# the train pixels that look like a slower wave (it **aliases**), and between them it does
# something the train pixels never constrain. One row of pixels, three frequencies:

# %%
columns = np.arange(16)                              # the first 16 pixels of a row
x_pixels = (2 * columns + 1) / settings.SIZE - 1     # their u coordinates
x_fine = np.linspace(x_pixels[0], x_pixels[-1], 800)
fig, axes = plt.subplots(1, 3, figsize=(14, 3.2), constrained_layout=True, sharey=True)
for ax, divisor in zip(axes, (8, 4, 2)):
    f = settings.SIZE // divisor
    ax.plot(x_fine, np.sin(np.pi * f * x_fine), color="lightgray")
    ax.plot(x_pixels[::2], np.sin(np.pi * f * x_pixels[::2]), "o-", color="#1f77b4",
            label="train pixels")
    ax.plot(x_pixels[1::2], np.sin(np.pi * f * x_pixels[1::2]), "s", color="#ff7f0e",
            label="test pixels")
    verdict = "below the limit: resolved" if divisor > 4 else "at/above the limit: aliases"
    ax.set_title(f"sin(π·{f}·u), {f} = SIZE/{divisor} periods\n{verdict}")
    ax.set_xlabel("u")
axes[0].legend(loc="lower left", fontsize=8)
plt.show()

# %% [markdown]
# At `SIZE / 2` periods the feature is the *same constant* on every train pixel and the
# opposite constant on every test pixel: to the network it looks like a bias, and it
# flips sign exactly where we test. `max_useful_n_freqs(size)` returns the largest L whose
# top frequency 2^(L−1) stays below `size / 4`: 5 at 128 px, 7 at 512 px (top frequency
# 64, the same range as Tancik et al.'s PE). NeRF's L = 10 (up to 512 periods) suits NeRF:
# its rays sample 3-D points anywhere in the scene, not on a fixed grid, so nothing
# aliases, and every point is trained on from many views.

# %% [markdown]
# ### Your turn: the largest L a train grid resolves
#
# Write `max_useful_n_freqs` yourself: for an image of `size` pixels, the largest L whose
# top frequency stays below the train grid's Nyquist limit. The checker tries sizes that
# are powers of two and some that are not. What does yours give for 256 px?
# `hint("03.max_L")` nudges, `solution("03.max_L")` shows ours.

# %%
def my_max_L(size):
    return ...  # your code: the largest safe L for a size x size image


check("03.max_L", my_max_L)
#
# A sweep over L at the full budget shows the gap open as soon as L passes `L_SAFE`:

# %%
sweep_values = sorted({max(1, L_SAFE - 2), L_SAFE, L_SAFE + 1, L_SAFE + 2, L_NERF})
sweep = {L_SAFE: pe, L_NERF: pe_nerf}
for n_freqs in sweep_values:
    if n_freqs not in sweep:
        sweep[n_freqs] = helpers.run("pe", image, n_freqs=n_freqs, n_snapshots=0,
                                     description=f"pe L={n_freqs}")
sweep = dict(sorted(sweep.items()))

fig, ax = plt.subplots(figsize=(7, 3.8), constrained_layout=True)
ax.plot(list(sweep), [r.train_psnr for r in sweep.values()], "o--", color="#555555",
        label="train pixels")
ax.plot(list(sweep), [r.test_psnr for r in sweep.values()], "o-", color=plots.method_color("pe"),
        linewidth=2, label="test pixels")
ax.plot(list(sweep), [r.val_psnr for r in sweep.values()], "o:", color=plots.method_color("pe"),
        label="validation pixels")
ax.axhline(relu.test_psnr, color=plots.method_color("relu"), linestyle=":", label="plain MLP, test")
plots.draw_baseline(ax, bicubic)
ax.axvspan(L_SAFE + 0.5, max(sweep) + 0.5, color="red", alpha=0.07,
           label="top frequency ≥ SIZE/4: aliases")
ax.set_xlabel("L (number of frequencies per axis)")
ax.set_ylabel("PSNR (dB)")
ax.set_title(f"PE on a {settings.SIZE}² image: past L = {L_SAFE} test PSNR drops, train does not")
ax.legend(fontsize=8)
plt.show()
for n_freqs, result in sweep.items():
    print(f"L = {n_freqs:2d}: train {result.train_psnr:5.2f} dB, validation "
          f"{result.val_psnr:5.2f} dB, test {result.test_psnr:5.2f} dB, "
          f"gap {result.train_psnr - result.test_psnr:5.2f} dB")

# %% [markdown]
# **Choosing L.** Picking the L with the best *test* PSNR and reporting that test PSNR
# would let the test pixels choose the knob. The series chooses on the **validation
# pixels** instead, the two quarters that are neither train nor test (`[::2, 1::2]` and
# `[1::2, ::2]`), and reports the chosen L's test PSNR once. Tancik et al. did the same
# with separate images: a grid search on some, the reported PSNR on others.

# %%
L_CHOSEN = max(sweep, key=lambda n: sweep[n].val_psnr)
print(f"chosen on validation pixels: L = {L_CHOSEN} ({sweep[L_CHOSEN].val_psnr:.2f} dB "
      f"validation); its test PSNR: {sweep[L_CHOSEN].test_psnr:.2f} dB")
with checks.expects_default("NeRF's L", L_NERF, 10):
    assert L_CHOSEN < L_NERF, f"the validation pixels chose L = {L_CHOSEN}, not below NeRF's {L_NERF}"
    assert sweep[L_CHOSEN].test_psnr > pe_nerf.test_psnr + 3, (
        f"L = {L_CHOSEN} should beat L = {L_NERF} by 3 dB on test pixels: "
        f"{sweep[L_CHOSEN].test_psnr:.2f} vs {pe_nerf.test_psnr:.2f} dB")

# %% [markdown]
# Checked (smoke: L = 10 loses about 8 dB of test PSNR against L = 5 while its train PSNR
# stays within a dB or two; at 512 px and 2000 steps L = 10 memorises further):

# %%
gap_safe, gap_nerf = pe.train_psnr - pe.test_psnr, pe_nerf.train_psnr - pe_nerf.test_psnr
with checks.expects_default("NeRF's L", L_NERF, 10):
    assert pe_nerf.test_psnr < pe.test_psnr - 3, (  # too many frequencies: worse on unseen pixels
        f"L = {L_NERF} should lose 3 dB of test PSNR to L = {L_SAFE}: "
        f"{pe_nerf.test_psnr:.2f} vs {pe.test_psnr:.2f} dB")
    assert gap_nerf > 5, f"L = {L_NERF} should fit its train pixels 5 dB above its test: {gap_nerf:.2f} dB"
    assert gap_safe < gap_nerf - 3, (  # the train-test gap opened
        f"the train-test gap should open by 3 dB from L = {L_SAFE} to {L_NERF}: "
        f"{gap_safe:.2f} vs {gap_nerf:.2f} dB")

# %% [markdown]
# ## Try it: the number of frequencies L
#
# Move the slider: the model retrains at the preview size (`settings.PREVIEW_SIZE`,
# `settings.PREVIEW_STEPS` steps) and shows the reconstruction, its train/test PSNR, its
# spectrum, and the PSNR of every L tried so far. A few values are precomputed; the rest
# train when you release the slider (seconds on a GPU, longer on a CPU). At the preview
# size the train grid resolves fewer frequencies: `max_useful_n_freqs(PREVIEW_SIZE)`.

# %%
preview_image = helpers.load_image(settings.IMAGE, size=settings.PREVIEW_SIZE)
L_PREVIEW = max_useful_n_freqs(settings.PREVIEW_SIZE)


def train_preview(n_freqs):
    return helpers.run("pe", preview_image, steps=settings.PREVIEW_STEPS, n_freqs=n_freqs,
                       n_snapshots=0, progress=False)


precomputed = {n: train_preview(n) for n in sorted({1, L_PREVIEW, L_PREVIEW + 2, L_NERF})}
print(f"preview {settings.PREVIEW_SIZE} px: largest safe L = {L_PREVIEW}")
widgets.retrain_panel(
    ipywidgets.IntSlider(value=L_PREVIEW, min=1, max=12, step=1, description="L"),
    train_preview, target=preview_image, precomputed=precomputed, name="L",
    baseline=helpers.run("bicubic", preview_image))

# %% [markdown]
# ### Your turn: the best L at the preview size
#
# Move the slider from L = 1 up, past the preview's safe L (printed above), and read the
# test PSNR of each: which L scores highest at the preview size? The checker trains the
# same previews itself. (Here we only look; to *report* a PSNR, choose L on the validation
# pixels, as above.) `hint("03.preview_L")` nudges, `solution("03.preview_L")` shows ours.

# %%
my_L = ...  # your number: the L with the best test PSNR at the preview size
check("03.preview_L", my_L)

# %% [markdown]
# ## The blind spot: axis-aligned frequencies
#
# Every column of P is (2^k, 0) or (0, 2^k): the encoding hands the network waves along u
# and along v only. In the frequency plane (the spectrum from 01_dataset) all of them lie
# on the two axes, while the photo has energy in every direction. The network can make
# other directions only indirectly, by combining u-waves with v-waves.

# %%
P_safe = helpers.frequency_matrix(L_SAFE)
fig = plots.show_spectra({"photo, with the PE frequencies (cyan)": image,
                          f"pe L={L_SAFE} reconstruction": pe.prediction}, size=4.0)
for sign in (1, -1):  # each frequency and its mirror image (a real wave has both)
    fig.axes[0].scatter(sign * P_safe[0], sign * P_safe[1], s=36, color="cyan",
                        edgecolor="black", zorder=3)
plt.show()

# %% [markdown]
# A direct test: the same stripes, once along u and once rotated 45°, with the same
# number of periods across the image (`SIZE / 8`, a power of two, so the u-stripes are
# exactly one of the encoded waves). Same model, the same 50 steps in every budget: the
# question is how quickly each is learned, not whether it is learned eventually.

# %%
stripe_periods = settings.SIZE // 8
STRIPE_STEPS = 50  # try others: a short toy run (like 02's), the same in every budget
u, v = grid[..., 0], grid[..., 1]
stripes = {
    "along u": 0.5 + 0.4 * torch.sin(math.pi * stripe_periods * u),
    "diagonal": 0.5 + 0.4 * torch.sin(math.pi * stripe_periods * (u + v) / math.sqrt(2)),
}
stripe_fits = {name: helpers.run("pe", pattern[..., None].repeat(1, 1, 3), n_freqs=L_SAFE,
                                 steps=STRIPE_STEPS, n_snapshots=0,
                                 description=f"stripes {name}")
               for name, pattern in stripes.items()}

fig, axes = plt.subplots(2, 3, figsize=(11, 7.4), constrained_layout=True)
for row, (name, pattern) in enumerate(stripes.items()):
    result = stripe_fits[name]
    plots.imshow(axes[row, 0], pattern[..., None].repeat(1, 1, 3))
    axes[row, 0].set_title(f"target: {stripe_periods} periods {name}")
    plots.imshow(axes[row, 1], result.prediction)
    axes[row, 1].set_title(plots.psnr_title(f"pe L={L_SAFE}", result))
    spec = plots.spectrum(result.prediction)
    half = settings.SIZE // 2
    axes[row, 2].imshow(spec, cmap=plots.CMAP_SPECTRUM, vmin=spec.max() - 5, vmax=spec.max(),
                        extent=(-half - 0.5, half - 0.5, half - 0.5, -half - 0.5))
    target_peak = stripe_periods * (np.array([1.0, 0.0]) if row == 0 else np.ones(2) / math.sqrt(2))
    axes[row, 2].scatter(*target_peak, s=160, facecolor="none", edgecolor="cyan", linewidth=2,
                         label="the target's frequency")
    axes[row, 2].set_title("spectrum of the fit")
    axes[row, 2].set_xlabel("u frequency (periods/image)")
    axes[row, 2].set_ylabel("v frequency")
    axes[row, 2].legend(loc="lower left", fontsize=8)
    for ax in axes[row, :2]:
        ax.set_xticks([])
        ax.set_yticks([])
plt.show()

# %% [markdown]
# Along u the network only has to pass one input feature through; rotated, it has to
# build the wave from u- and v-waves and gets much less of it in the same number of
# steps. Checked:

# %%
along_u, diagonal = stripe_fits["along u"], stripe_fits["diagonal"]
print(f"test PSNR: along u {along_u.test_psnr:.1f} dB, diagonal {diagonal.test_psnr:.1f} dB")
with checks.expects_default("stripe steps", STRIPE_STEPS, 50):
    assert along_u.test_psnr > diagonal.test_psnr + 4, (
        f"stripes along u should be learned 4 dB better than diagonal ones in {STRIPE_STEPS} "
        f"steps: {along_u.test_psnr:.1f} vs {diagonal.test_psnr:.1f} dB")

# %% [markdown]
# ## What changed, and why
#
# - Same network, same loss, same steps — only the **input** changed: sin/cos of the
#   coordinates at frequencies 1, 2, 4, … periods. The MLP no longer has to build high
#   frequencies out of ReLUs; it combines ones it is given. Test PSNR rises by several dB.
# - More is not better: frequencies at or above the train grid's Nyquist limit (`SIZE/4`)
#   alias and let the network memorise the train pixels. `max_useful_n_freqs(size)` is
#   the largest safe L; NeRF's L = 10 is for continuous 3-D samples, not a 512² grid.
# - The encoded frequencies all lie on the u and v axes.
#
# Next, **04_gaussian_fourier_features**: replace the axis-aligned powers of two by random
# frequencies in every direction, with a single scale σ as the knob.

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. What is γ(p) for L frequencies, and how many features does it make of a 2-D coordinate?
# 2. What does the matrix P hold, and what does `x @ P` compute?
# 3. With coordinates in [−1, 1], why π and not 2π, and how many periods does sin(2^k π u)
#    make across the image?
# 4. Why does L = 10 score worse than L = L_SAFE on the test pixels while it fits the train
#    pixels nearly as well?
# 5. What is the train grid's Nyquist limit for a SIZE-pixel image, and what does a feature
#    of SIZE/2 periods look like on the train and on the test pixels?
# 6. Why does NeRF get away with L = 10?
# 7. Why does the series choose L on the validation pixels and not on the test pixels?
# 8. What is positional encoding's blind spot, and which experiment in this notebook shows it?
