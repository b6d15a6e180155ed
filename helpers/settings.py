"""One place for image sizes, step counts and the device: the series' budgets.

Three budgets, picked once for the whole series:

- ``full``  (a GPU is present): 512² image, 2000 steps, the papers' numbers.
- ``cpu``   (no GPU, no smoke flag): small enough that one experiment takes about a
  minute on a laptop.
- ``smoke`` (environment variable ``NB_SMOKE=1``): tiny image and few steps, so CI
  executes every notebook on 2 CPU cores in minutes.

Notebooks read ``settings.SIZE``, ``settings.STEPS`` ... and never hard-code them.
``NB_BUDGET=full|cpu|smoke`` forces a budget (for example ``full`` on a CPU, slowly).
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
SMOKE = BUDGET.name == "smoke"
SIZE = BUDGET.size
STEPS = BUDGET.steps
PREVIEW_SIZE = BUDGET.preview_size
PREVIEW_STEPS = BUDGET.preview_steps
EVAL_EVERY = BUDGET.eval_every
N_SNAPSHOTS = BUDGET.n_snapshots
IMAGE = "photo"  # the bundled image the series fits unless a notebook says otherwise


def describe() -> str:
    """One line for the top of every notebook: budget, device, image size and steps."""
    return (f"budget: {BUDGET.name} | device: {DEVICE} | image: {SIZE}x{SIZE} "
            f"(train {SIZE // 2}x{SIZE // 2}) | steps: {STEPS} | "
            f"slider previews: {PREVIEW_SIZE}x{PREVIEW_SIZE}, {PREVIEW_STEPS} steps")


# 10_tiny_nerf: views of the synthetic scene (size px, train/val/test cameras), rays per
# step and samples per ray, the network, the L slider's previews and the orbit video.
NOTEBOOK_10 = {
    "full": {"size": 160, "n_train": 100, "n_val": 5, "n_test": 10, "steps": 3000,
             "batch_rays": 4096, "n_samples": 64, "hidden": 256, "n_layers": 4,
             "eval_every": 250, "hand_steps": 200, "hash_levels": 16, "log2_table_size": 19,
             "preview_size": 64, "preview_steps": 600, "orbit_frames": 48},
    "cpu": {"size": 64, "n_train": 40, "n_val": 4, "n_test": 8, "steps": 600,
            "batch_rays": 1024, "n_samples": 32, "hidden": 64, "n_layers": 4,
            "eval_every": 100, "hand_steps": 50, "hash_levels": 8, "log2_table_size": 17,
            "preview_size": 32, "preview_steps": 200, "orbit_frames": 36},
    "smoke": {"size": 32, "n_train": 20, "n_val": 2, "n_test": 4, "steps": 200,
              "batch_rays": 512, "n_samples": 24, "hidden": 64, "n_layers": 3,
              "eval_every": 50, "hand_steps": 30, "hash_levels": 8, "log2_table_size": 15,
              "preview_size": 24, "preview_steps": 100, "orbit_frames": 12},
}[BUDGET.name]
