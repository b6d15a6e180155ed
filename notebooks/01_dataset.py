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
# # 01 · The dataset: an image as a function of its coordinates
#
# **What you will learn**
# 1. How an image becomes training data: pixel coordinates (u, v) in, colours (r, g, b) out.
# 2. The series' coordinate convention, and how it maps to the papers' ([0, 1) with 2π, or [-1, 1]).
# 3. Why we test on pixels the network never saw, and what "high frequencies" in an image are.
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/coordinate-mlps-live/coordinate-mlps-live/blob/main/notebooks/01_dataset.ipynb)

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
import tempfile
import warnings
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.patches import Patch, Rectangle
from PIL import Image

import helpers
from helpers import plots, settings
from helpers.exercises import answer, ask, check, hint, solution
from helpers.widgets import interactive  # ipywidgets' interactive; Run All never stalls on it

print(settings.describe())

# %% [markdown]
# ## The task
#
# NeRF maps a 3-D point to a colour and a density. The same difficulty shows up in a much
# smaller problem: **fit one image**. A network gets the coordinates of a pixel, (u, v),
# and must answer with its colour, (r, g, b). The image *is* the function; the network is
# asked to become it.
#
# First the data: load a photo, make it square and the size this budget uses.

# %%
original = helpers.load_image(settings.IMAGE)  # bundled: astronaut Eileen Collins, NASA
print("original:", tuple(original.shape), original.dtype)
plots.show_images([original], [f"bundled '{settings.IMAGE}', "
                               f"{original.shape[0]}x{original.shape[1]}"], size=4.5)
plt.show()

# %% [markdown]
# ### Centre crop and resize, by hand
#
# The protocol wants a square image of `settings.SIZE` pixels. The cat photo is not square,
# so it shows both steps: cut the largest centred square, then resize with an antialiased
# filter (without antialiasing, shrinking would alias fine detail into false patterns).

# %%
cat = helpers.load_image("cat", square=False)
height, width = cat.shape[:2]
side = min(height, width)
top, left = (height - side) // 2, (width - side) // 2
cat_square = cat[top:top + side, left:left + side]

channels_first = cat_square.permute(2, 0, 1)[None]  # F.interpolate wants (N, C, H, W)
cat_small = F.interpolate(channels_first, size=(settings.SIZE, settings.SIZE), mode="bilinear",
                          antialias=True, align_corners=False)[0].permute(1, 2, 0).clamp(0, 1)

assert torch.equal(cat_square, helpers.center_crop(cat))
assert torch.allclose(cat_small, helpers.load_image("cat", size=settings.SIZE), atol=1e-6)
plots.show_images([cat, cat_square, cat_small],
                  [f"original {height}x{width}", f"centre crop {side}x{side}",
                   f"resized {settings.SIZE}x{settings.SIZE}"], size=3.5)
plt.show()

# %% [markdown]
# From here on `helpers.load_image(name, size=...)` does both steps. The image we fit in
# this series:

# %%
image = helpers.load_image(settings.IMAGE, size=settings.SIZE)
print("image:", tuple(image.shape), image.dtype,
      f"values in [{image.min():.3f}, {image.max():.3f}]")

# %% [markdown]
# ## Colours in [0, 1]
#
# Pixels arrive as 8-bit integers 0–255; we divide by 255. Two reasons:
# - a **sigmoid** output layer, 1 / (1 + e^(−z)), lands exactly in (0, 1), so the network
#   can never predict an impossible colour, and its gradient is largest in the middle of
#   the range where most colours sit;
# - PSNR (next notebook) is defined for a peak value of 1: PSNR = −10 log10(MSE).

# %%
z = torch.linspace(-6, 6, 200)
fig, (ax_hist, ax_sig) = plt.subplots(1, 2, figsize=(10, 3.2), constrained_layout=True)
for channel, color in enumerate(["red", "green", "blue"]):
    ax_hist.hist(image[..., channel].flatten().numpy(), bins=50, range=(0, 1), color=color,
                 alpha=0.45, label=color)
ax_hist.set_xlabel("colour value")
ax_hist.set_ylabel("pixels")
ax_hist.set_title("the photo's colours all lie in [0, 1]")
ax_hist.legend()
ax_sig.plot(z, torch.sigmoid(z), color="black")
ax_sig.axhspan(0, 1, color="tab:green", alpha=0.08)
ax_sig.set_xlabel("last layer output z")
ax_sig.set_ylabel("sigmoid(z)")
ax_sig.set_title("a sigmoid output covers exactly (0, 1)")
plt.show()
assert 0 <= image.min() and image.max() <= 1

# %% [markdown]
# ## Coordinates: the series' convention
#
# Pixel (row i, column j) of an H × W image sits at its **centre**:
#
# x = (2j + 1) / W − 1,  y = (2i + 1) / H − 1,  both in (−1, 1).
#
# `coords[..., 0]` is x (called u: left → right), `coords[..., 1]` is y (called v: top →
# bottom). Five lines by hand, then the helper:

# %%
H = W = settings.SIZE
xs = (2 * torch.arange(W) + 1) / W - 1
ys = (2 * torch.arange(H) + 1) / H - 1
yy, xx = torch.meshgrid(ys, xs, indexing="ij")
coords = torch.stack([xx, yy], dim=-1)  # (H, W, 2)

assert torch.allclose(coords, helpers.make_grid(H, W))
print("coords:", tuple(coords.shape), "corner pixels:", coords[0, 0].tolist(),
      coords[-1, -1].tolist())

# %%
fig = plots.show_images([coords[..., 0], coords[..., 1]],
                        ["u = coords[..., 0] (x, columns)", "v = coords[..., 1] (y, rows)"],
                        cmap=plots.CMAP_SIGNED, vmin=-1, vmax=1, colorbar=True, size=3.8)
plt.show()

# %% [markdown]
# ### Your turn: the pixel-centre grid
#
# Write the grid for any height and width, without `helpers.make_grid`: an (H, W, 2) tensor
# of pixel centres, x in `[..., 0]`, y in `[..., 1]`. The checker tries several sizes.
# `hint("01.pixel_grid")` nudges, `solution("01.pixel_grid")` shows ours.

# %%
def my_grid(height, width):
    return ...  # your code: the (height, width, 2) pixel centres in (-1, 1)


check("01.pixel_grid", my_grid)

# %% [markdown]
# ### How this maps to the papers
#
# | paper | coordinates | features |
# |---|---|---|
# | Tancik et al. 2020 (Fourier features) | v in [0, 1) | cos(2π B v), sin(2π B v) |
# | NeRF, SIREN | p in [−1, 1] | sin(2^k π p); sin(ω0 (W p + b)) |
# | this series | x in (−1, 1), pixel centres | sin/cos(π x B) |
#
# Since v = (x + 1) / 2, Tancik's 2π B v = π B x + π B·1: the **same** frequencies plus a
# constant phase per feature, which the next layer's bias absorbs. So σ = 10 means here
# what it means in the paper, and SIREN's ω0 = 30 means what it means in Sitzmann et al.,
# because they use [−1, 1] as we do. (Feeding SIREN [0, 1) would halve its frequencies and
# put every input on one side of zero — a common reason it trains badly.) Checked:

# %%
torch.manual_seed(0)
B = 10 * torch.randn(8, 2)           # a few Gaussian frequencies, sigma = 10
x = coords.reshape(-1, 2)            # ours, in (-1, 1)
v = (x + 1) / 2                      # Tancik's, in (0, 1)
tancik = torch.cos(2 * math.pi * v @ B.T)
ours_with_phase = torch.cos(math.pi * x @ B.T + math.pi * B.sum(dim=1))
assert torch.allclose(tancik, ours_with_phase, atol=1e-3)
print("2*pi*B*v == pi*B*x + constant phase: True")

# %% [markdown]
# ## Train and test pixels
#
# If we trained on every pixel, a big enough network could memorise them and we would learn
# nothing about what it does *between* pixels. So (Tancik et al., Sec. 6) we train on one
# pixel in four, `image[::2, ::2]`, and test on `image[1::2, 1::2]`, pixels the network
# never sees. The other half of the pixels is in neither set; the full-image reconstruction
# shows them too. On an 8 × 8 toy image, with each pixel's (x, y) on the axes:

# %% [markdown]
# ### Your turn: predict, then run
#
# Pick an answer and press *Check* (or `answer("01.nearest_train", "a")`); the toy picture
# below shows it, and the split's printed line measures it.

# %%
ask("01.nearest_train")

# %%
TRAIN_COLOR, TEST_COLOR, OTHER_COLOR = np.array([0.12, 0.47, 0.71]), np.array([1.0, 0.5, 0.05]), 0.9


def split_picture(height, width):
    """(H, W, 3) picture of the split: train pixels blue, test orange, the rest light grey."""
    picture = np.full((height, width, 3), OTHER_COLOR)
    picture[::2, ::2] = TRAIN_COLOR
    picture[1::2, 1::2] = TEST_COLOR
    return picture


toy = 8
toy_grid = helpers.make_grid(toy)
fig, ax = plt.subplots(figsize=(5.2, 5.2), constrained_layout=True)
ax.imshow(split_picture(toy, toy), interpolation="nearest")
ax.set_xticks(range(toy), [f"{u:.2f}" for u in toy_grid[0, :, 0].tolist()], rotation=45)
ax.set_yticks(range(toy), [f"{v:.2f}" for v in toy_grid[:, 0, 1].tolist()])
ax.set_xticks(np.arange(-0.5, toy), minor=True)
ax.set_yticks(np.arange(-0.5, toy), minor=True)
ax.grid(which="minor", color="white", linewidth=2)
ax.tick_params(which="minor", length=0)
ax.set_xlabel("x (u)")
ax.set_ylabel("y (v)")
ax.set_title("8 x 8 toy: train [::2, ::2], test [1::2, 1::2]")
ax.legend(handles=[Patch(color=TRAIN_COLOR, label="train (16 pixels)"),
                   Patch(color=TEST_COLOR, label="test (16 pixels)"),
                   Patch(color=(OTHER_COLOR,) * 3, label="neither (32 pixels)")],
          loc="upper left", bbox_to_anchor=(1.01, 1))
plt.show()

# %% [markdown]
# The split by hand, checked against the helper (which also keeps each pixel's coordinates):

# %%
train_colors = image[::2, ::2].reshape(-1, 3)
test_colors = image[1::2, 1::2].reshape(-1, 3)
train_coords = coords[::2, ::2].reshape(-1, 2)
test_coords = coords[1::2, 1::2].reshape(-1, 2)

split = helpers.split_pixels(image)
assert torch.equal(train_colors, split.train_colors) and torch.equal(test_colors, split.test_colors)
assert torch.equal(train_coords, split.train_coords) and torch.equal(test_coords, split.test_coords)
# no test pixel is a train pixel: every test coordinate is half a train-pixel step away
distance = torch.cdist(test_coords, train_coords).min()
assert distance > 0 and len(train_colors) == len(test_colors) == H * W // 4
print(f"{len(train_colors)} train pixels, {len(test_colors)} test pixels, of {H * W}; "
      f"closest test-to-train distance {distance:.4f} "
      f"(one pixel diagonally = {math.sqrt(2) * 2 / W:.4f})")


# %% [markdown]
# On the photo: the train pixels and the test pixels are two images at half the
# resolution, offset by one pixel diagonally. The zoom shows which pixel is which.

# %%
def show_split(picture, centre=(0.27, 0.45), zoom_pixels=12):
    """The image, its train and test pixels, and a zoom with train/test pixels marked."""
    picture = plots.to_numpy(picture)
    height, width = picture.shape[:2]
    y0 = min(max(0, int(centre[0] * height) - zoom_pixels // 2), height - zoom_pixels) // 2 * 2
    x0 = min(max(0, int(centre[1] * width) - zoom_pixels // 2), width - zoom_pixels) // 2 * 2
    y1, x1 = y0 + zoom_pixels, x0 + zoom_pixels  # even starts keep [::2] aligned in the zoom
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.9), constrained_layout=True)
    axes[0].imshow(picture, interpolation="nearest")
    axes[0].add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False,
                                edgecolor="yellow", linewidth=1.5))
    axes[0].set_title(f"image {height}x{width} (yellow: zoom)")
    axes[1].imshow(picture[::2, ::2], interpolation="nearest")
    train_h, train_w = picture[::2, ::2].shape[:2]
    axes[1].set_title(f"train pixels [::2, ::2]: {train_h}x{train_w}")
    axes[2].imshow(picture[1::2, 1::2], interpolation="nearest")
    axes[2].set_title(f"test pixels [1::2, 1::2]: {height // 2}x{width // 2}")
    axes[3].imshow(picture[y0:y1, x0:x1], interpolation="nearest")
    rows, cols = np.mgrid[0:zoom_pixels, 0:zoom_pixels]
    is_train = (rows % 2 == 0) & (cols % 2 == 0)
    is_test = (rows % 2 == 1) & (cols % 2 == 1)
    axes[3].scatter(cols[is_train], rows[is_train], s=40, color=TRAIN_COLOR, edgecolor="white",
                    label="train")
    axes[3].scatter(cols[is_test], rows[is_test], s=40, color=TEST_COLOR, edgecolor="white",
                    label="test")
    axes[3].set_title(f"zoom, {zoom_pixels}x{zoom_pixels} pixels: dots mark the split")
    axes[3].legend(loc="lower right", fontsize=8)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


show_split(image)
plt.show()

# %% [markdown]
# ## Frequency content: what "high frequencies" means
#
# Every image is a sum of 2-D waves (its Fourier transform). The **spectrum** below shows
# how strong each wave is: the centre is the average colour and slow changes, a point
# (f_u, f_v) away from the centre is a wave with f_u periods across the image horizontally
# and f_v vertically. Edges, hair and texture live far from the centre: **high
# frequencies**. By hand: grayscale, remove the mean, FFT, move frequency 0 to the
# centre, log of the magnitude. (The helper also fades the borders with a Hann window:
# the FFT treats the image as tiled, and the jump from one edge to the other would draw a
# false bright cross.)

# %%
gray = plots.to_gray(image).astype(np.float64)
gray = (gray - gray.mean()) * np.outer(np.hanning(H), np.hanning(W))
by_hand = np.log10(np.abs(np.fft.fftshift(np.fft.fft2(gray))) / gray.size + 1e-7)
assert np.allclose(by_hand, plots.spectrum(image), atol=1e-4)

# %% [markdown]
# ### Your turn: predict, then run
#
# Before the spectra below: how concentrated is the photo's power? Pick an answer and press
# *Check* (or `answer("01.low_share", "a")`); the spectra show it, and a cell after them
# measures it.

# %%
ask("01.low_share")

# %% [markdown]
# The train grid has half the resolution, so it can only tell apart waves of fewer than
# `SIZE / 4` periods (its Nyquist limit, dashed square). Anything finer that a model
# invents between train pixels is checked only by the test pixels. The text image has
# much more energy far out than the photo; the 1-D summary on the right (mean power at
# each distance from the centre) shows the photo's power falling steeply with frequency.

# %%
names = ["photo", "cat", "text"]
pictures = {name: helpers.load_image(name, size=settings.SIZE) for name in names}
fig = plots.show_spectra({f"{name}: log |FFT|": pic for name, pic in pictures.items()}, size=3.4)
for ax in fig.axes[:len(names)]:
    limit = settings.SIZE / 4
    ax.add_patch(Rectangle((-limit, -limit), 2 * limit, 2 * limit, fill=False, edgecolor="white",
                           linestyle="--", linewidth=1.2))
plt.show()

fig, ax = plt.subplots(figsize=(6, 3.6), constrained_layout=True)
for index, (name, pic) in enumerate(pictures.items()):
    freqs, power = plots.radial_power(pic)
    ax.loglog(freqs, power, color=plots.method_color(name, index + 1), label=name)
ax.axvline(settings.SIZE / 4, color="gray", linestyle="--", label="train-grid Nyquist (SIZE/4)")
ax.set_xlabel("frequency (periods per image)")
ax.set_ylabel("mean power")
ax.set_title("natural images: power falls fast with frequency")
ax.legend()
plt.show()

# %% [markdown]
# A claim we can check: most of the photo's power (its mean removed) lies within
# `SIZE / 16` periods of the centre, the inner eighth of the spectrum's width; the text
# image, all sharp edges, has far less there.

# %%
def low_frequency_share(picture):
    """Fraction of the spectral power (mean removed) within SIZE/16 periods of the centre."""
    gray = plots.to_gray(picture)
    power = np.abs(np.fft.fftshift(np.fft.fft2(gray - gray.mean()))) ** 2
    size = gray.shape[0]
    f = np.arange(size) - size // 2
    radius = np.hypot(*np.meshgrid(f, f, indexing="ij"))
    return float(power[radius < size / 16].sum() / power.sum())


shares = {name: low_frequency_share(pic) for name, pic in pictures.items()}
print({name: f"{share:.0%}" for name, share in shares.items()})
assert shares["photo"] > 0.6  # 74% at 128 px, 92% at 512 px
assert shares["text"] < shares["photo"] - 0.3  # 25% at 128 px, 48% at 512 px

# %% [markdown]
# ### Your turn: what the train pixels can resolve
#
# Copy the cell above into a new cell and change the radius from `size / 16` to `size / 4`,
# the train grid's Nyquist limit: what share of the **text** image's power lies inside it?
# Report it as a fraction (0.5 for 50%); the checker runs its own FFT.
# `hint("01.text_resolved")` nudges, `solution("01.text_resolved")` shows ours.

# %%
my_share = ...  # your number: the text image's share of power within SIZE/4 periods
check("01.text_resolved", my_share)

# %% [markdown]
# ## Try it: image and resolution
#
# Pick an image and a resolution: the split and the spectrum redraw. Watch the dashed
# square (what the train pixels can resolve) and how much of the image lies outside it.

# %%
# 512 px is the photo's own resolution: larger would only upsample
resolutions = sorted({settings.SIZE // 4, settings.SIZE // 2, settings.SIZE,
                      min(2 * settings.SIZE, 512)})


def explore(image_name="photo", size=settings.SIZE):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # upsampling the 300-px cat to 512 only warns
        picture = helpers.load_image(image_name, size=size)
    show_split(picture)
    plt.show()
    fig = plots.show_spectra({f"{image_name} at {size} px: log |FFT|": picture}, size=3.6)
    ax = fig.axes[0]
    ax.add_patch(Rectangle((-size / 4, -size / 4), size / 2, size / 2, fill=False,
                           edgecolor="white", linestyle="--", linewidth=1.2))
    plt.show()


interactive(
    explore,
    image_name=widgets.Dropdown(options=helpers.bundled_names(), value="photo",
                                description="image"),
    size=widgets.Dropdown(options=resolutions, value=settings.SIZE, description="size (px)"),
)

# %% [markdown]
# ## Your own picture
#
# `helpers.load_image` takes a bundled name, a path to a PNG or JPEG, a `PIL.Image` or an
# array, in any mode and bit depth, and says in one line what it did to it. A picture that
# is not square is centre-cropped (`aspect="crop"`), put whole on a white square
# (`aspect="pad"`), or kept as it is (`aspect="keep"`: the shorter side becomes `size`).
# The cell below writes a wide picture with a transparent corner (the photo, cut and made
# RGBA) to a temporary folder; replace `path` with your own file. The same picture through
# the command line: `python -m helpers fit --method siren --image PATH --aspect pad`.

# %%
path = Path(tempfile.mkdtemp()) / "my_picture.png"
wide = (original[96:352].numpy() * 255).round().astype(np.uint8)      # 256 x 512: wide
alpha = np.full(wide.shape[:2], 255, np.uint8)
alpha[:64, -64:] = 0                                                   # a transparent corner
Image.fromarray(np.dstack([wide, alpha])).save(path)

mine = helpers.load_image(path, size=settings.SIZE, aspect="pad")     # your file here
show_split(mine)
plt.show()
assert mine.shape == (settings.SIZE, settings.SIZE, 3)
assert torch.equal(mine[0], torch.ones_like(mine[0])), "the padding above the picture is white"

# %% [markdown]
# ## What we have, and what comes next
#
# - An image is a function from (u, v) in (−1, 1)² to colours in [0, 1]; our convention
#   gives σ and ω0 their papers' meaning.
# - We train on a quarter of the pixels and test on a quarter the model never sees.
# - Natural images keep most of their power at low frequencies, but the detail we care
#   about (edges, texture) is high frequency.
#
# Next, **02_plain_mlp**: fit this image with a plain ReLU MLP and watch it learn the low
# frequencies first — and stay blurry.

# %% [markdown]
# ## Questionnaire
#
# Answer in your own words; every answer is in this notebook.
#
# 1. What goes into the network for one pixel, and what comes out?
# 2. Why are the colours scaled to [0, 1], and what does a sigmoid output layer guarantee?
# 3. Where does pixel (i, j) of an H × W image sit in the series' coordinates, and which of
#    coords[..., 0] and coords[..., 1] changes along a row?
# 4. How do Tancik et al.'s coordinates in [0, 1) with 2π relate to ours in (−1, 1) with π,
#    and why does σ = 10 mean the same in both?
# 5. Which pixels are the train pixels, which are the test pixels, and why test on pixels
#    the network never sees?
# 6. What does a point far from the centre of an image's spectrum stand for, and which of
#    the bundled images has the most power there?
# 7. Why can the train pixels not tell apart waves of SIZE/4 periods or more?
# 8. How do you load your own picture that is not square, and what do the three `aspect`
#    options do with it?
