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
# # 02 · A plain MLP: why it blurs
#
# **What you will learn**
# 1. The whole method in a few lines: an `nn.Sequential`, MSE loss, Adam, one full batch per step.
# 2. What PSNR numbers mean, by eye: 15, 20, 25 and 30 dB side by side.
# 3. The bar every network must clear: classical interpolation of the train pixels, written by hand, and where a test pixel lies.
# 4. Spectral bias: a ReLU MLP learns low frequencies first, so it stays blurry.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/02_plain_mlp.ipynb)

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

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import helpers
from helpers import checks, plots, settings, video, widgets
from helpers.exercises import answer, ask, check, hint, solution
from helpers.interpolate import interpolate, interpolate_misaligned

print(settings.describe())

# %% [markdown]
# ## Data
#
# As in 01_dataset: the photo, its coordinates in (−1, 1), train pixels `[::2, ::2]` and
# test pixels `[1::2, 1::2]`.

# %%
image = helpers.load_image(settings.IMAGE, size=settings.SIZE)
split = helpers.split_pixels(image)
FACE = (0.15, 0.40, 0.36, 0.61)  # (y0, y1, x0, x1) as fractions: the zoom on every figure
print("train:", tuple(split.train_coords.shape), "->", tuple(split.train_colors.shape),
      "| test:", tuple(split.test_coords.shape))

# %% [markdown]
# ## Model
#
# Tancik et al.'s network: 4 linear layers, 256 wide, ReLU between them, and a sigmoid at
# the end so colours land in (0, 1). Written out:

# %%
torch.manual_seed(0)
model = nn.Sequential(
    nn.Linear(2, 256), nn.ReLU(),    # (N, 2) coordinates in
    nn.Linear(256, 256), nn.ReLU(),
    nn.Linear(256, 256), nn.ReLU(),
    nn.Linear(256, 3), nn.Sigmoid(),  # (N, 3) colours out, in (0, 1)
)
print(model)
print(f"{helpers.count_params(model):,} parameters")

# %% [markdown]
# `helpers.MLP` is the same `nn.Sequential`: same layers, and with the same seed the same
# weights, so the same outputs.

# %%
torch.manual_seed(0)
reference = helpers.MLP(in_dim=2, out_dim=3, hidden=256, n_layers=4)
assert [type(layer) for layer in model] == [type(layer) for layer in reference], "not the same layers"
assert [p.shape for p in model.parameters()] == [p.shape for p in reference.parameters()], "not the same shapes"
assert torch.allclose(model(split.test_coords), reference(split.test_coords)), "not the same outputs"

# %% [markdown]
# ## Loss and PSNR
#
# We minimise the mean squared error over all pixels and channels. To report it we use
# **PSNR** (peak signal-to-noise ratio), in decibels, for colours whose peak is 1:
#
# PSNR = 10 · log10(1 / MSE) = −10 · log10(MSE)
#
# so MSE 0.01 is 20 dB, 0.001 is 30 dB: **+10 dB = 10× smaller error**, +3 dB = half.

# %%
def psnr(prediction, target):
    mse = torch.mean((prediction.clamp(0, 1) - target) ** 2)
    return -10 * torch.log10(mse).item()


blurred = torch.nn.functional.avg_pool2d(image.permute(2, 0, 1)[None], 5, 1, 2)[0].permute(1, 2, 0)
assert math.isclose(psnr(blurred, image), helpers.psnr(blurred, image), rel_tol=1e-5), \
    "psnr differs from helpers.psnr"
print(f"a 5x5 box blur of the photo: {psnr(blurred, image):.1f} dB")

# %% [markdown]
# ### Your turn: PSNR from an MSE
#
# Write the formula above as a function of the MSE alone (a number). Replace the `...`
# and run the cell: the checker tries it on several MSEs and says what is off.
# `hint("02.psnr")` nudges, `solution("02.psnr")` shows ours.

# %%
def my_psnr(mse):
    return ...  # your code: the PSNR in dB of colours in [0, 1]


check("02.psnr", my_psnr)

# %% [markdown]
# What do the numbers look like? The same image with noise whose MSE gives exactly
# 15, 20, 25 and 30 dB (noise of standard deviation σ has MSE σ², so σ = 10^(−PSNR/20)).
# Blur and noise at the same PSNR look different, but the scale is the point: below
# 20 dB is rough, 25 dB and up starts to look like a photo, 30 dB is hard to tell apart.

# %%
fig, noisy = plots.psnr_strip(image, levels=(15, 20, 25, 30), inset=FACE)
plt.show()
for level, picture in zip((15, 20, 25, 30), noisy):
    assert abs(psnr(torch.from_numpy(picture), image) - level) < 0.1, f"not {level} dB"

# %% [markdown]
# ### Your turn: the noise behind a PSNR
#
# The strip added noise of standard deviation σ = 10^(−PSNR/20). Derive it yourself: which σ
# gives a PSNR of `psnr_db`? `hint("02.noise_sigma")` nudges, `solution("02.noise_sigma")`
# shows ours.

# %%
def my_noise_sigma(psnr_db):
    return ...  # your code: the standard deviation of the noise


check("02.noise_sigma", my_noise_sigma)

# %% [markdown]
# ## Before any network: what does interpolation give?
#
# The task is 2× upsampling: we know every other pixel of every other row, and must guess
# the rest. Classical interpolation has done this for decades, so it is the bar every
# network in the series must clear. Put the train pixels on their own grid: train pixel
# (2i, 2j) of the image is sample (i, j), so image pixel (r, c) lies at position
# (r/2, c/2), and a test pixel (2i+1, 2j+1) at (i+½, j+½), in the middle of four samples.
#
# An interpolation weighs the samples near a position p by a kernel k(p − t), one axis at
# a time (first down the rows, then along the columns):
# - **nearest**: copy the closest sample, k = 1 on (−½, ½];
# - **bilinear**: k(x) = max(0, 1 − |x|), so a test pixel is the mean of its 4 neighbours;
# - **bicubic** (Keys 1981, a = −½): a cubic over 4 samples per axis; halfway between two
#   samples its weights are (−1, 9, 9, −1)/16, so it follows curves a straight line misses.
#
# Past the last sample we repeat the edge sample ("edge replicate").

# %%
def nearest_kernel(x):
    return 1.0 if -0.5 < x <= 0.5 else 0.0


def linear_kernel(x):
    return max(0.0, 1.0 - abs(x))


def keys_kernel(x, a=-0.5):
    x = abs(x)
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return 0.0


def upsample_rows(samples, kernel, radius):
    """(h, ..., C) samples -> (2h, ..., C): output row r is read at position r / 2."""
    h = samples.shape[0]
    rows = []
    for r in range(2 * h):
        p = r / 2
        taps = range(math.floor(p) - radius + 1, math.floor(p) + radius + 1)
        rows.append(sum(kernel(p - t) * samples[min(max(t, 0), h - 1)] for t in taps))
    return torch.stack(rows)


def interpolate_by_hand(picture, kernel, radius):
    train = picture[::2, ::2]                                     # all a network is shown
    down = upsample_rows(train, kernel, radius)                    # (H, W/2, 3)
    both = upsample_rows(down.transpose(0, 1), kernel, radius).transpose(0, 1)
    return both.clamp(0, 1)


by_hand = {"nearest": interpolate_by_hand(image, nearest_kernel, 1),
           "bilinear": interpolate_by_hand(image, linear_kernel, 1),
           "bicubic": interpolate_by_hand(image, keys_kernel, 2)}
for name, picture in by_hand.items():
    print(f"{name:<9} test {psnr(picture[1::2, 1::2], image[1::2, 1::2]):5.2f} dB")

# %% [markdown]
# The helper `helpers.interpolate` is the same computation (as two small matrices instead
# of a loop), and gives the same pictures:

# %%
for name, picture in by_hand.items():
    assert torch.allclose(picture, interpolate(image, name), atol=1e-5), name
assert torch.equal(by_hand["bicubic"][::2, ::2], image[::2, ::2]), "bicubic moved a train pixel"

# %% [markdown]
# ### Where does a test pixel lie? The alignment trap
#
# `torch.nn.functional.interpolate(train, scale_factor=2)` looks like the same thing, but
# it treats each train sample as the centre of a 2×2 block of output pixels: output
# pixel r is read at position (r + ½)/2 − ½ = r/2 − ¼. A test pixel, really at i + ½, is
# read at i + ¼, and even a train pixel is read a quarter sample off, so it is not kept.
# Left: where each version reads along one row; right: that row of the photo.

# %%
shifted = interpolate_misaligned(image, "bicubic")
fig, (ax_pos, ax_row) = plt.subplots(1, 2, figsize=(13, 3.6), constrained_layout=True)
r = np.arange(8)
ax_pos.plot(r, r / 2, "o-", color=plots.method_color("bicubic"), label="centre-aligned: r / 2")
ax_pos.plot(r, r / 2 - 0.25, "s--", color="#d62728", label="scale_factor=2: r / 2 − 1/4")
for i in range(4):
    ax_pos.axhline(i, color="gray", linewidth=0.6, linestyle=":")
ax_pos.set_xlabel("image pixel r (even: train, odd: test)")
ax_pos.set_ylabel("position read on the train grid")
ax_pos.set_title("where each version reads (dotted: the train samples)")
ax_pos.legend(loc="upper left")
row, cols = image.shape[0] // 3, np.arange(40, 72)
ax_row.plot(cols, image[row, cols, 0], color="black", linewidth=2.5, label="true pixels")
ax_row.plot(cols[::2], image[row, cols[::2], 0], "ko", label="train pixels")
ax_row.plot(cols, by_hand["bicubic"][row, cols, 0], color=plots.method_color("bicubic"),
            label="bicubic, centre-aligned")
ax_row.plot(cols, shifted[row, cols, 0], color="#d62728", linestyle="--",
            label="bicubic, scale_factor=2")
ax_row.set_xlabel("column")
ax_row.set_ylabel("red channel")
ax_row.set_title(f"row {row} of the photo")
ax_row.legend(fontsize=8)
plt.show()

test_of = {name: psnr(picture[1::2, 1::2], image[1::2, 1::2]) for name, picture in by_hand.items()}
test_of["bicubic, scale_factor=2"] = psnr(shifted[1::2, 1::2], image[1::2, 1::2])
fig = plots.show_images(list(by_hand.values()) + [shifted],
                        [f"{name}\ntest {value:.1f} dB" for name, value in test_of.items()],
                        ncols=4, size=3.0)
for ax, picture in zip(fig.axes, list(by_hand.values()) + [shifted]):
    plots.add_inset(ax, picture, FACE)
plt.show()

# %% [markdown]
# Checked: bicubic beats bilinear beats nearest, and reading a quarter sample off costs
# more than a decibel (about 2 dB on this photo).

# %%
assert test_of["bicubic"] > test_of["bilinear"] > test_of["nearest"], test_of
assert test_of["bicubic"] - test_of["bicubic, scale_factor=2"] > 1, test_of

# %% [markdown]
# ## Training, by hand
#
# Full batch: every train pixel in every step (no DataLoader: 1024-pixel mini-batches
# would only make it slower). Adam, learning rate 1e-2 (Tancik et al.'s choice for the
# plain network). The whole loop:

# %%
steps = settings.STEPS // 3  # a first look; the helper runs the full budget below
device = settings.DEVICE      # the GPU when there is one
model = model.to(device)
x, y = split.train_coords.to(device), split.train_colors.to(device)
x_test, y_test = split.test_coords.to(device), split.test_colors.to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(1, steps + 1):
    loss = torch.mean((model(x) - y) ** 2)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % settings.EVAL_EVERY == 0 or step == steps:
        with torch.no_grad():
            print(f"step {step:4d}: train {psnr(model(x), y):5.2f} dB, "
                  f"test {psnr(model(x_test), y_test):5.2f} dB")

# %% [markdown]
# `helpers.fit` is this loop plus bookkeeping: PSNR on the train, test and validation
# pixels (the two quarters left over, for choosing knobs), snapshots of the whole image for
# scrubbing, timing, a guard against NaN. Open `helpers/train.py`: `fit` computes a fixed
# encoder's features once and hands `helpers.loop.optimize` (the loop above) two functions,
# the loss and `evaluate`. Same seed, same steps, same numbers:

# %%
same = helpers.fit(reference, image, steps=steps, lr=1e-2, seed=0, n_snapshots=0,
                   progress=False)
with torch.no_grad():
    by_hand_train = psnr(model(x), y)
print(f"by hand: train {by_hand_train:.3f} dB | helpers.fit: train {same.train_psnr:.3f} dB")
assert abs(by_hand_train - same.train_psnr) < 0.1, "the loop by hand and helpers.fit differ"

# %% [markdown]
# Now the full budget with the helper (`helpers.run("relu", ...)` builds the same model
# with seed 0 and uses the method's learning rate, 1e-2).

# %%
bicubic = helpers.run("bicubic", image)  # the same interpolation as above, as a result
# live=True: the reconstruction and the PSNR curves redraw here while it trains
relu = helpers.run("relu", image, description="ReLU MLP", live=True, inset=FACE,
                   baseline={"bicubic": bicubic.test_psnr})
relu

# %% [markdown]
# ## Look
#
# PSNR during training: solid for test pixels, dashed for train pixels. The two stay
# together: the network is not memorising, it simply cannot make detail. The dotted line
# is bicubic interpolation of the same train pixels, which needs no training at all.

# %%
plots.psnr_curves({"relu": relu}, baseline=bicubic)
plt.show()

# %%
plots.compare_results({"ReLU MLP": relu, "bicubic (no training)": bicubic}, image, inset=FACE)
plt.show()

# %% [markdown]
# Blurry: the face is a smudge, the flag's stripes are gone. Claims checked (these bars
# hold in the smoke budget, about 16 dB, and at 512 px and 2000 steps, about 17–19 dB):

# %%
assert 12 < relu.test_psnr < 22, relu.test_psnr    # learned the picture, but not its detail
assert abs(relu.train_psnr - relu.test_psnr) < 2, (  # blurry, not overfitted
    f"train and test PSNR should stay within 2 dB: {relu.train_psnr:.1f} vs {relu.test_psnr:.1f} dB")

# %% [markdown]
# And against interpolation, from this run's numbers:

# %%
behind = bicubic.test_psnr - relu.test_psnr
print(f"The plain MLP scores {relu.test_psnr:.1f} dB on the test pixels, {behind:.1f} dB "
      f"below bicubic interpolation of the same train pixels ({bicubic.test_psnr:.1f} dB), "
      "which trains nothing and takes milliseconds.")
assert behind > 3, f"the plain network should trail bicubic by 3 dB: {behind:.1f} dB"

# %% [markdown]
# ## Why: spectral bias, seen in 1-D
#
# Rahaman et al. (2019) showed that a ReLU network fits the low frequencies of a target
# first and the high ones late, if ever. The cleanest way to see it: a 1-D signal that
# is a sum of four sine waves of rising frequency, fitted by the same kind of MLP, and
# the error **at each frequency** (the FFT of prediction − target at that frequency,
# relative to the wave's own amplitude) tracked over training.
#
# This toy is the same small experiment in every budget (a few seconds on a CPU), so its
# step count is fixed rather than read from `settings`.

# %% [markdown]
# ### Your turn: predict, then run
#
# Pick an answer and press *Check* (or `answer("02.first_wave", "a")`); the next two cells
# show it.

# %%
ask("02.first_wave")

# %%
TOY_STEPS = 1000                                 # try others: the check below expects
toy_freqs = [1, 3, 6, 12]                        # these two; periods across the signal
t = torch.arange(256) / 256                      # 256 samples of [0, 1)
phases = torch.rand(len(toy_freqs), generator=torch.Generator().manual_seed(0)) * 2 * math.pi
signal = sum(torch.sin(2 * math.pi * f * t + p) for f, p in zip(toy_freqs, phases)) / 2
toy_x, toy_y = (2 * t - 1)[:, None], signal[:, None]  # coordinates in [-1, 1), as always

torch.manual_seed(0)
toy_model = nn.Sequential(nn.Linear(1, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
toy_optimizer = torch.optim.Adam(toy_model.parameters(), lr=1e-3)
target_spectrum = torch.fft.rfft(signal).abs()
toy_steps, toy_errors, toy_fits = [], [], {}
for step in range(1, TOY_STEPS + 1):
    loss = torch.mean((toy_model(toy_x) - toy_y) ** 2)
    toy_optimizer.zero_grad()
    loss.backward()
    toy_optimizer.step()
    if step % 10 == 0:
        with torch.no_grad():
            prediction = toy_model(toy_x)[:, 0]
        error = torch.fft.rfft(prediction - signal).abs()
        toy_steps.append(step)
        toy_errors.append([float(error[f] / target_spectrum[f]) for f in toy_freqs])
        if step in (50, 200, TOY_STEPS):
            toy_fits[step] = prediction.clone()
toy_errors = np.array(toy_errors)  # (evaluations, frequencies)

# %%
fig, (ax_fit, ax_err) = plt.subplots(1, 2, figsize=(13, 3.8), constrained_layout=True)
ax_fit.plot(t, signal, color="black", linewidth=2.5, label="target")
for (step, fit_at_step), color in zip(toy_fits.items(), ["#fdae6b", "#e6550d", "#7f2704"]):
    ax_fit.plot(t, fit_at_step, color=color, label=f"MLP after {step} steps")
ax_fit.set_xlabel("position")
ax_fit.set_title("fitting a sum of 4 sine waves: smooth shape first, wiggles last")
ax_fit.legend(fontsize=8, loc="upper right")
colors = plt.cm.viridis(np.linspace(0, 0.9, len(toy_freqs)))
for column, (f, color) in enumerate(zip(toy_freqs, colors)):
    ax_err.plot(toy_steps, toy_errors[:, column], color=color, linewidth=2,
                label=f"{f} period{'s' if f > 1 else ''}")
ax_err.axhline(0.5, color="gray", linestyle=":", linewidth=1)
ax_err.set_xlabel("training step")
ax_err.set_ylabel("relative error at that frequency")
ax_err.set_title("error per frequency: low frequencies are learned first")
ax_err.legend(title="frequency")
plt.show()

# %% [markdown]
# The claim, checked: the step at which each frequency's error first falls below half its
# amplitude grows with the frequency, and the highest takes many times longer than the lowest.

# %%
halved_at = [toy_steps[int(np.argmax(toy_errors[:, c] < 0.5))] if (toy_errors[:, c] < 0.5).any()
             else math.inf for c in range(len(toy_freqs))]
print(dict(zip(toy_freqs, halved_at)))
with checks.expects_default("toy steps and frequencies", (TOY_STEPS, toy_freqs), (1000, [1, 3, 6, 12])):
    assert all(a < b for a, b in zip(halved_at, halved_at[1:])), (
        f"each frequency should halve its error later than the one below it: {halved_at}")
    assert halved_at[-1] > 5 * halved_at[0], (
        f"the highest frequency should take 5x the steps of the lowest: {halved_at}")

# %% [markdown]
# ### Your turn: a 10× lower learning rate
#
# Copy the toy's training cell into a new cell, change the optimizer's `lr` from 1e-3 to
# 1e-4, run it and the check above, and read the step at which the **3-period** wave halves
# its error. The checker trains the toy itself to verify your number.
# `hint("02.halving_lr")` nudges, `solution("02.halving_lr")` shows ours.

# %%
my_step = ...  # your number: the step at which the 3-period wave halves its error at lr 1e-4
check("02.halving_lr", my_step)

# %% [markdown]
# ## Spectral bias in 2-D: the reconstruction's spectrum
#
# The same story in the image's spectrum (log-magnitude FFT, as in 01_dataset, same
# colour scale for both): the reconstruction matches the target near the centre and is
# dark further out, where the detail lives.

# %%
plots.show_spectra({"target": image, f"ReLU MLP ({relu.test_psnr:.1f} dB test)": relu.prediction})
plt.show()

freqs, target_power = plots.radial_power(image)
_, relu_power = plots.radial_power(relu.prediction)
fig, ax = plt.subplots(figsize=(6.2, 3.6), constrained_layout=True)
ax.loglog(freqs, target_power, color=plots.method_color("target"), label="target")
ax.loglog(freqs, relu_power, color=plots.method_color("relu"), label="ReLU MLP")
ax.axvline(settings.SIZE / 8, color="gray", linestyle=":", label="SIZE / 8")
ax.set_xlabel("frequency (periods per image)")
ax.set_ylabel("mean power")
ax.set_title("the reconstruction loses the high frequencies")
ax.legend()
plt.show()

# %%
high = freqs > settings.SIZE / 8
low = freqs < settings.SIZE / 32
kept_high = relu_power[high].sum() / target_power[high].sum()
kept_low = relu_power[low].sum() / target_power[low].sum()
print(f"power kept: {kept_low:.0%} below SIZE/32, {kept_high:.1%} above SIZE/8")
assert kept_low > 0.5 and kept_high < 0.1, (
    f"the fit should keep over 50 % of the low power and under 10 % of the high: "
    f"{kept_low:.0%}, {kept_high:.1%}")

# %% [markdown]
# ## Detail arrives coarse to fine
#
# `helpers.fit` kept snapshots of the whole image during training. Drag the slider: first
# the mean colour, then big blobs, then soft edges — while the PSNR curve on the right
# flattens: each step buys less than the one before, and the face never sharpens.

# %%
widgets.snapshot_scrubber(relu, image, title="ReLU MLP")

# %% [markdown]
# The same snapshots as a video (MP4 via imageio; a GIF if ffmpeg is missing):

# %%
video_path = video.training_video(relu, target=image, label="ReLU MLP", fps=4)

# %% [markdown]
# Checked: a late snapshot carries more high-frequency power than an early one.

# %%
def high_power(picture):
    f, power = plots.radial_power(picture)
    return power[f > settings.SIZE / 16].sum()


early, late = relu.snapshots[1][1], relu.snapshots[-1][1]
print(f"high-frequency power: step {relu.snapshots[1][0]}: {high_power(early):.2e}, "
      f"step {relu.snapshots[-1][0]}: {high_power(late):.2e}")
assert high_power(late) > 2 * high_power(early), "a late snapshot should carry 2x the early one's detail"

# %% [markdown]
# ## What we saw, and what comes next
#
# - Data → model → loss → train: an `nn.Sequential`, MSE, Adam, ten lines of loop.
# - Before any network, interpolation: bicubic of the train pixels, aligned on the pixel
#   centres (a test pixel lies halfway between train pixels, not a quarter of the way),
#   is the bar every method of the series is measured against.
# - The plain ReLU MLP gets the picture's layout but not its detail: about 16 dB on
#   held-out pixels here (17–19 dB at 512 px), train and test alike, several dB below
#   bicubic interpolation.
# - The reason is **spectral bias**: low frequencies are learned first and high ones
#   barely at all, in 1-D and in 2-D.
#
# The fix is not a bigger network or more steps but a different *input*: in
# **03_positional_encoding** the coordinates are mapped to sines and cosines of rising
# frequency before the MLP sees them.

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. What goes into the network for one pixel, and what comes out?
# 2. What does +10 dB of PSNR mean for the mean squared error? And +3 dB?
# 3. Which pixels are the test pixels, and why must bicubic interpolation be aligned on pixel centres?
# 4. Why is bicubic interpolation of the train pixels the bar every network is measured against?
# 5. What is spectral bias, and which experiment in this notebook shows it in 1-D?
# 6. Why does a plain ReLU MLP score about the same on train and test pixels here?
# 7. Why would a wider or deeper ReLU network, or more steps, not fix the blur?
