"""The image protocol's training run (the loop that 02_plain_mlp writes out by hand).

Full batch (every train pixel in every step, no DataLoader), Adam, MSE loss, through
:func:`helpers.loop.optimize`. A fixed encoder's features are computed once, not every
step. Every ``eval_every`` steps :func:`evaluate` records train, test and validation PSNR
(``-10 log10 MSE``) and, at ``n_snapshots`` of those steps, a full-image snapshot for
scrubbing and videos. A NaN/inf loss stops training with a one-sentence warning; a fit
that ends at one flat colour (:func:`is_flat`) is flagged ``collapsed`` with one too.
"""
from __future__ import annotations

import itertools
import math
import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import numpy as np
import torch
from torch import nn

from . import checks, settings
from .live import LiveView, wanted as wants_live
from .encoders import Identity
from .grids import QUARTERS, make_grid, split_pixels
from .loop import optimize
from .metrics import mse, psnr
from .models import CoordinateModel, count_params
from .precision import autocast, used


@dataclass
class FitResult:
    """What :func:`fit` returns.

    model: the trained model (the best one so far if training diverged).
    collapsed: the reconstruction is one flat colour although the image is not
    (:func:`is_flat`): the sigmoid output saturated, usually from too large an lr.
    train_psnr, test_psnr, val_psnr: final PSNRs in dB (clamped predictions, as displayed).
    prediction: the full-image reconstruction, ``(H, W, 3)`` float32 on the CPU.
    history: lists ``step``, ``loss``, ``train_psnr``, ``test_psnr``, ``val_psnr``,
    ``seconds`` (wall clock), step 0 (the untrained model) included.
    snapshots: list of ``(step, (H, W, 3) uint8 array)``, step 0 included.
    seconds: the whole fit; seconds_per_step: the training steps alone, per step.
    precision: 'fp32' or 'bf16', what the forward passes ran in (:mod:`helpers.precision`).
    """

    model: nn.Module
    train_psnr: float
    test_psnr: float
    prediction: torch.Tensor
    history: dict = field(default_factory=dict)
    snapshots: list = field(default_factory=list)
    seconds: float = 0.0
    seconds_per_step: float = 0.0
    steps: int = 0
    lr: float = 0.0
    diverged: bool = False
    params: int = 0
    device: str = "cpu"
    val_psnr: float = math.nan
    collapsed: bool = False
    precision: str = "fp32"

    def __repr__(self) -> str:
        flag = (", diverged" if self.diverged else "") + (", collapsed" if self.collapsed else "")
        return (f"FitResult(train {self.train_psnr:.2f} dB, test {self.test_psnr:.2f} dB, "
                f"{self.steps} steps, {self.seconds:.1f} s, {self.params:,} params{flag})")


RECORDERS: list[Callable[[FitResult], None]] = []
"""Called with every :class:`FitResult` that :func:`fit` returns, in order: a documented
hook for tools that collect results (``python -m helpers run-notebooks`` appends one in
each notebook's kernel to build its report). Append to it; lessons never need it."""


@torch.no_grad()
def predict(model: nn.Module, inputs: torch.Tensor, chunk_size: int = 65536) -> torch.Tensor:
    """``(N, D)`` inputs -> ``(N, C)`` outputs on the model's device, ``chunk_size`` rows at a
    time without gradients, so a 2048x2048 image needs no 4 million activations at once."""
    device = next(itertools.chain(model.parameters(), model.buffers()),
                  torch.empty(0)).device
    outputs = [model(inputs[i:i + chunk_size].to(device))
               for i in range(0, len(inputs), chunk_size)]
    outputs = torch.cat(outputs) if outputs else torch.empty(0, 3)
    # under bfloat16 autocast the output layer gives bfloat16: PSNRs are computed in float32
    return outputs.float() if outputs.dtype in (torch.bfloat16, torch.float16) else outputs


def predict_image(model: nn.Module, height: int, width: int | None = None,
                  chunk_size: int = 65536) -> torch.Tensor:
    """Full-image reconstruction ``(H, W, 3)`` float32 on the CPU, clamped to [0, 1]."""
    width = height if width is None else width
    coords = make_grid(height, width).reshape(-1, 2)
    return predict(model, coords, chunk_size).clamp(0, 1).float().cpu().reshape(height, width, -1)


def snapshot_steps(steps: int, n_snapshots: int, eval_every: int = 1) -> set[int]:
    """``n_snapshots`` evaluation steps (0, multiples of ``eval_every``, ``steps``), evenly spread."""
    if n_snapshots <= 0:
        return set()
    evaluated = sorted({0, steps, *range(eval_every, steps, eval_every)})
    picks = np.linspace(0, len(evaluated) - 1, min(n_snapshots, len(evaluated))).round()
    return {evaluated[int(i)] for i in picks}


def use_fast_math(device: torch.device) -> None:
    """CPU: flush subnormal floats (below 1.2e-38) to zero, set once per fit.

    Gaussian-type activations such as exp(-x^2 / 2a^2) produce many; x86 cores handle them
    about 100x slower, and at that size they change no PSNR digit.
    """
    if device.type == "cpu":
        torch.set_flush_denormal(True)


_FEATURE_CACHE_BYTES = 512 * 2 ** 20  # validation features above this are recomputed


@dataclass
class Pixels:
    """Each pixel set (train, test, val) as ``(module, input)`` and its true colours.

    Behind a fixed encoder the input is the features, computed once, and the module the
    network; otherwise the input is the coordinates and the module the whole model.
    """

    runs: dict
    colors: dict
    height: int
    width: int


def prepare(model: nn.Module, image: torch.Tensor, device: torch.device) -> Pixels:
    """Split ``image`` into its pixel sets and precompute a fixed encoder's features."""
    split = split_pixels(image)
    encoder, net = (model.encoder, model.net) if isinstance(model, CoordinateModel) \
        else (Identity(), model)
    fixed = not any(p.requires_grad for p in encoder.parameters())
    runs, colors = {}, {}
    for name in QUARTERS:
        coords = getattr(split, f"{name}_coords").to(device)
        colors[name] = getattr(split, f"{name}_colors").to(device)
        runs[name] = (model, coords)
        width = runs["train"][1].shape[-1]  # the train features' width, 4 bytes each
        if fixed and (name != "val" or 4 * width * len(coords) <= _FEATURE_CACHE_BYTES):
            with torch.no_grad():
                runs[name] = (net, encoder(coords))
    return Pixels(runs, colors, split.height, split.width)


def train_loss(pixels: Pixels, step: int) -> torch.Tensor:
    """The loss of one step: MSE of the model on every train pixel."""
    module, inputs = pixels.runs["train"]
    return mse(module(inputs), pixels.colors["train"])


def evaluate(pixels: Pixels, chunk_size: int, snapshot_at: set, snapshots: list,
             step: int) -> dict:
    """Train, test and validation PSNR now; at steps in ``snapshot_at`` also a snapshot."""
    outputs = {name: predict(module, x, chunk_size) for name, (module, x) in pixels.runs.items()}
    values = {f"{name}_psnr": psnr(outputs[name], pixels.colors[name]) for name in outputs}
    if step == 0 and math.isnan(values["train_psnr"]):  # no learning rate can fix that
        raise ValueError("the untrained model already outputs NaN, so it cannot learn; move its "
                         "settings (e.g. omega0, s0, scale) nearer their defaults.")
    if step in snapshot_at:
        snapshots.append((step, snapshot(outputs, pixels.height, pixels.width)))
    return values


def snapshot(outputs: dict, height: int, width: int) -> np.ndarray:
    """The pixel sets' ``(N, 3)`` predictions put back into one ``(H, W, 3)`` uint8 image."""
    image = torch.empty(height, width, outputs["train"].shape[-1])
    for name, quarters in QUARTERS.items():
        sizes = [len(range(r, height, 2)) * len(range(c, width, 2)) for r, c in quarters]
        for (r, c), part in zip(quarters, outputs[name].split(sizes)):
            image[r::2, c::2] = part.reshape(len(range(r, height, 2)), -1, part.shape[-1]).cpu()
    return (image.clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8)


def _budget(steps, eval_every, n_snapshots) -> tuple[int, int, int]:
    """The budget's steps, evaluation interval and snapshot count where None was given."""
    steps = checks.whole(settings.STEPS if steps is None else steps, "steps")
    eval_every = checks.whole(settings.EVAL_EVERY if eval_every is None else eval_every,
                              "eval_every")
    return steps, eval_every, settings.N_SNAPSHOTS if n_snapshots is None else n_snapshots


def _final(model, pixels, chunk_size: int, step: int, device, precision: str):
    """The finished model's PSNRs and whole image, in the precision it trained in."""
    with autocast(device, precision):
        final = evaluate(pixels, chunk_size, set(), [], step)
        return final, predict_image(model, pixels.height, pixels.width, chunk_size)


def fit(model: nn.Module, image: torch.Tensor, steps: int | None = None, lr: float = 1e-3,
        eval_every: int | None = None, n_snapshots: int | None = None, seed: int | None = 0,
        device: str | None = None, progress: bool = True, chunk_size: int = 65536,
        description: str = "fit", live: bool | None = None, inset=None,
        baseline: dict | None = None, precision: str | None = None) -> FitResult:
    """Train ``model`` to map the image's train-pixel coordinates to their colours.

    image: ``(H, W, C)`` in [0, 1]; trains on ``image[::2, ::2]``, tests on
    ``image[1::2, 1::2]``, validates on the other two quarters. steps, eval_every,
    n_snapshots default to the budget in :mod:`helpers.settings`. seed seeds torch before
    training (build the model after ``torch.manual_seed`` too, or use
    :func:`helpers.methods.make_model`). The model keeps its last parameters (its best
    ones so far if training diverged).

    live: redraw the reconstruction (with the zoom ``inset``) and the PSNR curves (with
    ``baseline={"bicubic": dB}`` lines) in one output area while training
    (:mod:`helpers.live`); None means on in a Jupyter/Colab kernel for a fit that shows its
    progress and keeps snapshots (a fit to watch), off elsewhere and on the command line.

    precision: 'fp32', 'bf16', 'auto' or None (``NB_PRECISION``, float32 when unset): the
    forward passes of training and evaluation run in it (:mod:`helpers.precision`);
    ``result.precision`` says which one it was.
    """
    steps, eval_every, n_snapshots = _budget(steps, eval_every, n_snapshots)
    checks.positive(lr, "lr", "try 1e-3")
    image = check_image(image)
    if seed is not None:
        torch.manual_seed(seed)
    device = torch.device(device or settings.DEVICE)
    use_fast_math(device)
    precision = used(precision, device)
    start = time.perf_counter()
    pixels = prepare(model.to(device), image, device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr,
                                 **({"fused": True} if device.type == "cuda" else {}))
    snapshots: list = []
    snapshot_at = snapshot_steps(steps, n_snapshots, eval_every)
    view = _live_view(wants_live(live, progress, n_snapshots), model, pixels,
                      chunk_size, steps, description, inset, baseline)
    run = optimize(model, partial(train_loss, pixels), steps, lr,
                   evaluate=partial(evaluate, pixels, chunk_size, snapshot_at, snapshots),
                   eval_every=eval_every, score="train_psnr", restore_best=False,
                   progress=progress, description=description, optimizer=optimizer,
                   on_eval=view, precision=precision)
    if view is not None:
        view.close()  # the last frame: the finished model
    if run.diverged and snapshots and snapshots[-1][0] == run.steps:
        snapshots.pop()  # the broken model's picture: keep the sound ones
    final, prediction = _final(model, pixels, chunk_size, run.steps, device, precision)
    collapsed = _warn_if_flat(model, prediction, image, lr)
    result = FitResult(
        model=model, train_psnr=final["train_psnr"], test_psnr=final["test_psnr"],
        val_psnr=final["val_psnr"], prediction=prediction, history=run.history,
        snapshots=snapshots, seconds=time.perf_counter() - start,
        seconds_per_step=run.seconds_per_step, steps=run.steps, lr=lr, diverged=run.diverged,
        params=count_params(model), device=str(device), collapsed=collapsed,
        precision=precision)
    for record in RECORDERS:
        record(result)
    return result


def is_flat(prediction: torch.Tensor, image: torch.Tensor, fraction: float = 1e-3) -> bool:
    """Did a fit collapse to one colour? ``(H, W, C)`` prediction and image -> bool.

    True when the prediction's largest per-channel standard deviation over the pixels is
    below ``fraction`` of the image's, ``max_c std(pred_c) < fraction * max_c std(image_c)``,
    and the image is not flat itself. A saturated sigmoid leaves about 1e-6 of it; even an
    untrained network keeps about 2 %, a blurry fit tens of percent. (Seen on mostly white
    text and mostly black sky at Adam lr 1e-3 to 1e-2: benchmarks/README.md.)
    """
    image_std = float(image.reshape(-1, image.shape[-1]).std(0).max())
    pred_std = float(prediction.reshape(-1, prediction.shape[-1]).std(0).max())
    return image_std > 1e-3 and pred_std < fraction * image_std


def _warn_if_flat(model: nn.Module, prediction: torch.Tensor, image: torch.Tensor,
                  lr: float) -> bool:
    """:func:`is_flat`, with a one-sentence warning naming the colour and a smaller lr."""
    if not is_flat(prediction, image):
        return False
    colour = ", ".join(f"{v:.2f}" for v in prediction.reshape(-1, prediction.shape[-1])[0])
    sigmoid = any(isinstance(m, nn.Sigmoid) for m in model.modules())
    why = ("its sigmoid output saturated early in training" if sigmoid
           else "its output stopped depending on the coordinates")
    warnings.warn(f"the fit ended at one flat colour ({colour}) because {why}: try a "
                  f"smaller lr than {lr:g}, e.g. {lr / 10:g}.", RuntimeWarning, stacklevel=3)
    return True


def _live_view(wanted: bool, model, pixels: Pixels, chunk_size: int, steps: int,
               description: str, inset, baseline):
    """A :class:`~helpers.live.LiveView` for this fit, or None (see ``fit``'s ``live``)."""
    if not wanted:
        return None
    return LiveView(lambda: predict_image(model, pixels.height, pixels.width, chunk_size),
                    steps=steps, title=description, inset=inset, baseline=baseline)


def check_image(image) -> torch.Tensor:
    """The image as a float32 tensor, or a one-sentence error for NaN or 0-255 colours."""
    image = torch.as_tensor(image, dtype=torch.float32)
    if not torch.isfinite(image).all():
        raise ValueError("the image has NaN or infinite pixels; fill them first, "
                         "e.g. with torch.nan_to_num(image).")
    if image.numel() and float(image.max()) > 2.0:  # 0-255 colours: every PSNR would be wrong
        raise ValueError(f"the image's colours go up to {float(image.max()):.0f} but fit expects "
                         "[0, 1]; load it with helpers.load_image or divide it by 255.")
    return image
