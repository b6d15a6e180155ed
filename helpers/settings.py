"""One place for image sizes, step counts and the device: the series' budgets.

Three budgets, picked once for the whole series:

- ``full``  (a GPU is present): 512² image, 2000 steps, the papers' numbers.
- ``cpu``   (no GPU, no smoke flag): small enough that one experiment takes about a
  minute on a laptop.
- ``smoke`` (environment variable ``NB_SMOKE=1``): tiny image and few steps, so CI
  executes every notebook on 2 CPU cores in minutes.

Notebooks read ``settings.SIZE``, ``settings.STEPS`` ... and never hard-code them.
``NB_BUDGET=full|cpu|smoke`` forces a budget (for example ``full`` on a CPU, slowly).
``NB_THREADS`` and ``NB_PRECISION`` pick threads and float32/bfloat16 (:mod:`helpers.precision`);
unset, torch's default threads and float32.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Budget:
    """Sizes and step counts of one budget.

    size/steps: the main experiments; preview_size/preview_steps: what a slider retrains
    with; eval_every: how often train/test PSNR are recorded; n_snapshots: how many
    full-image predictions a run keeps for scrubbing and videos.
    """

    name: str
    size: int
    steps: int
    preview_size: int
    preview_steps: int
    eval_every: int
    n_snapshots: int


BUDGETS = {
    "full": Budget("full", size=512, steps=2000, preview_size=256, preview_steps=300,
                   eval_every=25, n_snapshots=40),
    "cpu": Budget("cpu", size=256, steps=500, preview_size=128, preview_steps=150,
                  eval_every=25, n_snapshots=25),
    # 128 px is the smallest size at which the papers' sigma and omega0 still behave as
    # at 512 px (sigma = 10 beats 1 and 100 on held-out pixels); smaller grids alias.
    "smoke": Budget("smoke", size=128, steps=150, preview_size=64, preview_steps=30,
                    eval_every=25, n_snapshots=10),
}


def pick_device() -> str:
    """The fastest device here: 'cuda', then 'mps', then 'cpu' (``NB_DEVICE`` overrides)."""
    forced = os.environ.get("NB_DEVICE")
    if forced:
        return forced
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def pick_budget(device: str | None = None) -> Budget:
    """``NB_BUDGET`` if set, else smoke under ``NB_SMOKE=1``, else full on a GPU, else cpu."""
    forced = os.environ.get("NB_BUDGET")
    if forced:
        if forced not in BUDGETS:
            raise ValueError(f"NB_BUDGET={forced!r} is not a budget; use one of "
                             f"{', '.join(BUDGETS)}.")
        return BUDGETS[forced]
    if os.environ.get("NB_SMOKE", "") not in ("", "0"):
        return BUDGETS["smoke"]
    device = device or pick_device()
    return BUDGETS["full" if device in ("cuda", "mps") else "cpu"]


DEVICE = pick_device()
BUDGET = pick_budget(DEVICE)
SIZE = BUDGET.size
STEPS = BUDGET.steps
PREVIEW_SIZE = BUDGET.preview_size
PREVIEW_STEPS = BUDGET.preview_steps
EVAL_EVERY = BUDGET.eval_every
N_SNAPSHOTS = BUDGET.n_snapshots
IMAGE = "photo"  # the bundled image the series fits unless a notebook says otherwise

# helpers.precision: NB_PRECISION=auto takes bfloat16 only when the probe's matrix product is
# at least this many times faster than float32's (below it the dB it may cost buy nothing).
BF16_MIN_SPEEDUP = 1.2
# Methods that always train in float32, whatever NB_PRECISION says: those whose PSNR moves
# by more than 0.1 dB in bfloat16 (benchmarks/bench_fit.py, section `precision`, CPU budget,
# 40 steps: basic -0.18, expsin -0.34, hashgrid -0.14, staf -0.19 dB on the test pixels).
FP32_ONLY: frozenset[str] = frozenset({"basic", "expsin", "hashgrid", "staf"})


def describe(config: dict | None = None) -> str:
    """One line for the top of every notebook: budget, device, image size and steps.

    ``config``: a notebook's own sizes (e.g. :data:`NOTEBOOK_08`); its ``size``, ``steps``,
    ``preview_size`` and ``preview_steps`` replace the series' defaults in the line, so
    the header says what that notebook runs; a config without ``size`` (sound, a scene)
    leaves the sizes to the notebook. The line ends with the threads and precision
    (:func:`helpers.precision.summary`: 'auto' shows the probe's choice and speed-up)."""
    from .precision import summary

    if config is not None and "size" not in config:
        return (f"budget: {BUDGET.name} | device: {DEVICE} | sizes and steps: this "
                f"notebook's own, printed below | {summary()}")
    config = config or {}
    size, steps = config.get("size", SIZE), config.get("steps", STEPS)
    preview = (config.get("preview_size", PREVIEW_SIZE), config.get("preview_steps", PREVIEW_STEPS))
    train = f" (train {size // 2}x{size // 2})" if not config else ""
    return (f"budget: {BUDGET.name} | device: {DEVICE} | image: {size}x{size}{train} | "
            f"steps: {steps} | "
            f"slider previews: {preview[0]}x{preview[0]}, {preview[1]} steps | {summary()}")


# 07_showdown: every method raced at size px for steps steps, twice: with its defaults and
# tuned. The tuning (helpers.tuning) tries n_configs configurations per method, each for
# the race's steps on the centre crop (a quarter of the pixels, the whole image's
# coordinates), and keeps the best on the validation pixels; render_size: the grid timed
# for rendering time per megapixel (helpers.costs); preview_*: the "another image" race.
NOTEBOOK_07 = {
    "full": {"size": 512, "steps": 2000, "crop": 0.5, "n_configs": 8, "render_size": 512,
             "preview_size": 256, "preview_steps": 500},
    "cpu": {"size": 128, "steps": 500, "crop": 0.5, "n_configs": 6, "render_size": 256,
            "preview_size": 64, "preview_steps": 250},
    "smoke": {"size": 96, "steps": 100, "crop": 0.5, "n_configs": 4, "render_size": 128,
              "preview_size": 48, "preview_steps": 60},
}[BUDGET.name]

# 08_inverse_problems: CT, the image from its gradient, denoising. size: the RGB image
# (denoising); ct_size/poisson_size: the grayscale tasks, whose networks render every pixel
# in every step; ct_angles: few to many projections (they scale with size); hidden and
# n_features: the networks' width and Gaussian features; siren_lr: SIREN's learning rate
# (the paper's 1e-4 needs its thousands of steps; shorter budgets take larger ones);
# grid_lr: Adam's on a pixel grid (values, not weights); factors: the bandwidth rule's c
# swept on validation (both sides of c = 1); preview_*: the slider.
NOTEBOOK_08 = {
    "full": {"size": 512, "steps": 2000, "hidden": 256, "n_features": 256,
             "ct_size": 256, "ct_angles": (20, 60), "poisson_size": 256,
             "siren_lr": 1e-4, "grid_lr": 1e-2, "factors": (0.25, 0.5, 1.0, 2.0, 4.0),
             "preview_size": 128, "preview_steps": 300},
    "cpu": {"size": 128, "steps": 250, "hidden": 64, "n_features": 64,
            "ct_size": 96, "ct_angles": (12, 36), "poisson_size": 96,
            "siren_lr": 3e-4, "grid_lr": 3e-2, "factors": (0.25, 0.5, 1.0, 2.0, 4.0),
            "preview_size": 64, "preview_steps": 150},
    "smoke": {"size": 64, "steps": 100, "hidden": 64, "n_features": 64,
              "ct_size": 48, "ct_angles": (8, 16), "poisson_size": 48,
              "siren_lr": 1e-3, "grid_lr": 3e-2, "factors": (0.5, 1.0, 2.0, 4.0),
              "preview_size": 32, "preview_steps": 40},
}[BUDGET.name]


# 09_samples_and_storage: scattered samples, any resolution, inpainting, compression.
# size/steps: the RGB image (scattered samples, 4x super-resolution from size // 4,
# inpainting) and every fit's steps (networks and pixel grids alike); hidden and
# n_features: the networks; factors: the bandwidth factors c tried on validation
# (helpers.bandwidth); tv_weights and grid_lrs: the pixel grid's knobs tried on validation;
# compress_*: the image stored as SIREN weights (widths chosen so that the networks land
# inside JPEG's range of PSNR at that size); siren_lr as in NOTEBOOK_08; preview_*: the slider.
NOTEBOOK_09 = {
    "full": {"size": 512, "steps": 2000, "hidden": 256, "n_features": 256,
             "factors": (0.2, 0.5, 1.0, 2.0, 5.0, 10.0),
             "tv_weights": (1e-3, 1e-2, 1e-1, 1.0), "grid_lrs": (3e-2, 1e-1, 3e-1),
             "compress_size": 512, "compress_widths": (16, 24, 32, 48, 64),
             "compress_steps": 3000, "compress_lr": 1e-3,
             "jpeg_qualities": (1, 3, 5, 10, 20, 40, 70, 90),
             "siren_lr": 1e-4, "preview_size": 256, "preview_steps": 300},
    "cpu": {"size": 128, "steps": 250, "hidden": 64, "n_features": 64,
            "factors": (0.2, 0.5, 1.0, 2.0, 5.0, 10.0),
            "tv_weights": (1e-3, 1e-2, 1e-1, 1.0), "grid_lrs": (3e-2, 1e-1, 3e-1),
            "compress_size": 128, "compress_widths": (16, 24, 32, 48),
            "compress_steps": 600, "compress_lr": 3e-3,
            "jpeg_qualities": (1, 3, 5, 10, 20, 40, 70, 90),
            "siren_lr": 3e-4, "preview_size": 96, "preview_steps": 150},
    "smoke": {"size": 64, "steps": 100, "hidden": 64, "n_features": 64,
              "factors": (0.2, 0.5, 1.0, 2.0, 5.0, 10.0),
              "tv_weights": (1e-3, 1e-2, 1e-1, 1.0), "grid_lrs": (3e-2, 1e-1, 3e-1),
              "compress_size": 64, "compress_widths": (12, 16, 24, 32),
              "compress_steps": 300, "compress_lr": 3e-3,
              "jpeg_qualities": (1, 5, 10, 20, 40, 70, 90),
              "siren_lr": 1e-3, "preview_size": 48, "preview_steps": 40},
}[BUDGET.name]


# 10_beyond_images: sound, video and a 3-D shape (sample counts, widths, steps per signal);
# audio_factors / video_factors: the c of helpers.bandwidth swept on validation data;
# grid_weights / video_tv_weights: the sample and voxel grids' penalty weights, likewise.
NOTEBOOK_10 = {
    "full": {"audio_rate": 16000, "audio_seconds": 2.0, "audio_hidden": 256, "audio_steps": 2000,
             "audio_factors": (0.2, 0.5, 1.0, 2.0, 5.0), "grid_weights": (0.001, 0.01, 0.1, 1.0),
             "video_frames": 64, "video_size": 128, "video_hidden": 256, "video_steps": 2000,
             "video_factors": (0.5, 1.0, 2.0, 4.0, 8.0), "video_tv_weights": (0.001, 0.003, 0.01, 0.03),
             "video_preview_steps": 300,
             "sdf_hidden": 256, "sdf_steps": 3000, "sdf_batch": 8192, "sdf_points": 100000,
             "render_size": 256},
    "cpu": {"audio_rate": 8000, "audio_seconds": 1.0, "audio_hidden": 96, "audio_steps": 500,
            "audio_factors": (0.2, 0.5, 1.0, 2.0, 5.0), "grid_weights": (0.001, 0.01, 0.1, 1.0),
            "video_frames": 16, "video_size": 48, "video_hidden": 64, "video_steps": 500,
            "video_factors": (0.5, 1.0, 2.0, 8.0), "video_tv_weights": (0.001, 0.003, 0.01, 0.03),
            "video_preview_steps": 150,
            "sdf_hidden": 96, "sdf_steps": 1200, "sdf_batch": 1024, "sdf_points": 20000,
            "render_size": 128},
    "smoke": {"audio_rate": 8000, "audio_seconds": 1.0, "audio_hidden": 64, "audio_steps": 300,
              "audio_factors": (0.2, 1.0, 5.0), "grid_weights": (0.01, 1.0),
              "video_frames": 16, "video_size": 32, "video_hidden": 64, "video_steps": 300,
              "video_factors": (1.0, 8.0), "video_tv_weights": (0.001, 0.003, 0.03),
              "video_preview_steps": 60,
              "sdf_hidden": 64, "sdf_steps": 600, "sdf_batch": 1024, "sdf_points": 20000,
              "render_size": 64},
}[BUDGET.name]


# 11_tiny_nerf: views of the synthetic scene (size px, train/val/test cameras), rays per
# step and samples per ray, the network; factors: the bandwidth rule's c swept on the
# validation views (L and sigma); n_features: Gaussian features; preview_*: the L slider
# retrains at the notebook's own size and steps; azimuth_step, elevations: the camera
# slider's stored renders (the orbit video is their second elevation).
NOTEBOOK_11 = {
    "full": {"size": 160, "n_train": 100, "n_val": 5, "n_test": 10, "steps": 3000,
             "batch_rays": 4096, "n_samples": 64, "hidden": 256, "n_layers": 4,
             "eval_every": 250, "hand_steps": 200, "hash_levels": 16, "log2_table_size": 19,
             "factors": (0.5, 1.0, 2.0, 4.0), "n_features": 256,
             "preview_size": 160, "preview_steps": 3000, "azimuth_step": 15,
             "elevations": (5, 25, 45, 65, 85)},
    "cpu": {"size": 64, "n_train": 40, "n_val": 4, "n_test": 8, "steps": 600,
            "batch_rays": 1024, "n_samples": 32, "hidden": 64, "n_layers": 4,
            "eval_every": 100, "hand_steps": 50, "hash_levels": 8, "log2_table_size": 17,
            "factors": (0.5, 1.0, 2.0, 4.0), "n_features": 128,
            "preview_size": 64, "preview_steps": 600, "azimuth_step": 20,
            "elevations": (5, 35, 65, 85)},
    "smoke": {"size": 32, "n_train": 20, "n_val": 2, "n_test": 4, "steps": 200,
              "batch_rays": 512, "n_samples": 16, "hidden": 64, "n_layers": 3,
              "eval_every": 50, "hand_steps": 30, "hash_levels": 4, "log2_table_size": 15,
              "factors": (0.5, 1.0, 2.0), "n_features": 64,
              "preview_size": 32, "preview_steps": 200, "azimuth_step": 30,
              "elevations": (5, 35, 65, 85)},
}[BUDGET.name]
