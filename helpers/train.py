"""The training loop every notebook uses (written out by hand in 02_plain_mlp).

Full batch (every train pixel in every step, no DataLoader), Adam, MSE loss. A fixed
encoder's features are computed once, not every step. Every ``eval_every`` steps it
records train and test PSNR; ``n_snapshots`` full-image predictions are kept for
scrubbing and videos. A NaN/inf loss stops training with a one-sentence warning and
returns the best model so far.
"""
from __future__ import annotations

import copy
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from . import settings
from .encoders import Identity
from .grids import make_grid, split_pixels
from .metrics import mse, psnr
from .models import CoordinateModel, count_params


@dataclass
class FitResult:
    """What :func:`fit` returns.

    model: the trained model (the best one so far if training diverged).
    train_psnr, test_psnr: final PSNRs in dB (clamped predictions, as displayed).
    prediction: the full-image reconstruction, ``(H, W, 3)`` float32 on the CPU.
    history: lists ``step``, ``train_psnr``, ``test_psnr``, ``seconds`` (wall clock).
    snapshots: list of ``(step, (H, W, 3) uint8 array)``, step 0 included.
    seconds: the whole fit; seconds_per_step: the training loop alone, per step.
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

    def __repr__(self) -> str:
        flag = ", diverged" if self.diverged else ""
        return (f"FitResult(train {self.train_psnr:.2f} dB, test {self.test_psnr:.2f} dB, "
                f"{self.steps} steps, {self.seconds:.1f} s, {self.params:,} params{flag})")


def _split_model(model: nn.Module) -> tuple[nn.Module, nn.Module]:
    if isinstance(model, CoordinateModel):
        return model.encoder, model.net
    return Identity(), model


@torch.no_grad()
def predict(model: nn.Module, coords: torch.Tensor, chunk_size: int = 65536) -> torch.Tensor:
    """``(N, 2)`` coords -> ``(N, 3)`` predictions, ``chunk_size`` rows at a time (no grad)."""
    device = next(model.parameters()).device
    outputs = [model(coords[i:i + chunk_size].to(device)) for i in range(0, len(coords), chunk_size)]
    return torch.cat(outputs) if outputs else torch.empty(0, 3)


@torch.no_grad()
def predict_image(model: nn.Module, height: int, width: int | None = None,
                  chunk_size: int = 65536) -> torch.Tensor:
    """Full-image reconstruction ``(H, W, 3)`` float32 on the CPU, clamped to [0, 1].

    Runs in chunks of ``chunk_size`` pixels, so a 2048x2048 image does not need the
    activations of 4 million pixels at once.
    """
    width = height if width is None else width
    coords = make_grid(height, width).reshape(-1, 2)
    rows = []
    for i in range(0, len(coords), chunk_size):
        rows.append(predict(model, coords[i:i + chunk_size], chunk_size).clamp(0, 1).float().cpu())
    return torch.cat(rows).reshape(height, width, -1)


def _to_uint8(image: torch.Tensor) -> np.ndarray:
    return (image.clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8)


# The four interleaved quarter grids of an image, as (row offset, column offset):
# train pixels [::2, ::2], test pixels [1::2, 1::2], and the other two.
QUARTERS = ((0, 0), (1, 1), (0, 1), (1, 0))
_FEATURE_CACHE_BYTES = 512 * 2 ** 20  # keep the other quarters' features below this


def _chunked(f, x: torch.Tensor, chunk_size: int, dim: int = 0) -> torch.Tensor:
    """``f`` over ``x`` in chunks of ``chunk_size`` rows along ``dim`` (bounded memory)."""
    n = x.shape[dim]
    if n <= chunk_size:
        return f(x)
    return torch.cat([f(x.narrow(dim, i, min(chunk_size, n - i)))
                      for i in range(0, n, chunk_size)], dim=dim)


def _other_quarters(encoder, net, model, fixed_encoder, height, width, device,
                    encode=None) -> dict:
    """{(r, c): (input, function)} for the two quarters that are neither train nor test.

    A fixed encoder's features are computed once (``encode`` overrides how), unless they
    would take more than _FEATURE_CACHE_BYTES; then the function takes coordinates.
    """
    grid = make_grid(height, width)
    out = {}
    for key in QUARTERS[2:]:
        coords = grid[key[0]::2, key[1]::2].reshape(-1, 2).to(device)
        if fixed_encoder:
            with torch.no_grad():
                features = (encode or encoder)(coords[:1])
            if features.numel() * len(coords) * features.element_size() * 2 <= _FEATURE_CACHE_BYTES:
                with torch.no_grad():
                    out[key] = ((encode or encoder)(coords), net)
                continue
        out[key] = (coords, model)
    return out


def _assemble_quarters(parts: dict, height: int, width: int) -> torch.Tensor:
    """{(r, c): (..., N_rc, C) predictions} -> ``(..., H, W, C)`` float32 on the CPU, clamped."""
    first = parts[QUARTERS[0]]
    image = torch.empty(*first.shape[:-2], height, width, first.shape[-1])
    for (r, c), values in parts.items():
        rows, cols = len(range(r, height, 2)), len(range(c, width, 2))
        image[..., r::2, c::2, :] = values.reshape(*values.shape[:-2], rows, cols,
                                                   values.shape[-1]).clamp(0, 1).float().cpu()
    return image


def snapshot_steps(steps: int, n_snapshots: int) -> set[int]:
    """The steps at which a run keeps a snapshot: ``n_snapshots`` evenly spaced in [0, steps]."""
    if n_snapshots <= 0:
        return set()
    return set(np.unique(np.linspace(0, steps, n_snapshots).round().astype(int)).tolist())


def use_fast_math(device: torch.device) -> None:
    """Speed settings that cost no accuracy, set once per fit.

    CPU: flush subnormal floats (below 1.2e-38) to zero. Gaussian-type activations such
    as exp(-x^2 / 2a^2) produce many; x86 cores handle them about 100x slower, which made
    those MLPs 2-3x slower per step, and at that size they change no PSNR digit.
    """
    if device.type == "cpu":
        torch.set_flush_denormal(True)


def _check_fit_args(steps, lr, eval_every, image) -> torch.Tensor:
    """fit's (and fit_many's) argument checks; returns the image as a float32 tensor."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a whole number >= 1, got {steps!r}.")
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive number, got {lr!r}; try 1e-3.")
    if eval_every < 1:
        raise ValueError(f"eval_every must be >= 1, got {eval_every!r}.")
    image = torch.as_tensor(image, dtype=torch.float32)
    if not torch.isfinite(image).all():
        raise ValueError("the image has NaN or infinite pixels; fill them first, "
                         "e.g. with torch.nan_to_num(image).")
    if image.numel() and float(image.max()) > 2.0:  # 0-255 colours: every PSNR would be wrong
        raise ValueError(f"the image's colours go up to {float(image.max()):.0f} but fit expects "
                         "[0, 1]; load it with helpers.load_image or divide it by 255.")
    return image


def _is_diverged(step: int, steps: int, loss_value: float, train_psnr: float,
                 start_psnr: float) -> bool:
    """NaN/inf, or still worse than the untrained model a quarter of the way in.

    Adam with a huge lr rarely reaches NaN: the loss jumps up and stays there, so a run
    still worse than the untrained model a quarter of the way in diverged too.
    """
    worse = step >= max(10, steps // 4) and train_psnr < start_psnr
    return not (math.isfinite(loss_value) and math.isfinite(train_psnr)) or worse


def fit(model: nn.Module, image: torch.Tensor, steps: int | None = None, lr: float = 1e-3,
        eval_every: int | None = None, n_snapshots: int | None = None, seed: int | None = 0,
        device: str | None = None, progress: bool = True, chunk_size: int = 65536,
        description: str = "fit") -> FitResult:
    """Train ``model`` to map the image's train-pixel coordinates to their colours.

    image: ``(H, W, C)`` in [0, 1]; trains on ``image[::2, ::2]``, tests on
    ``image[1::2, 1::2]``. steps, eval_every, n_snapshots default to the budget in
    :mod:`helpers.settings`. seed seeds torch before training (build the model after
    ``torch.manual_seed`` too, or use :func:`helpers.methods.make_model`).
    """
    steps = settings.STEPS if steps is None else steps
    eval_every = settings.EVAL_EVERY if eval_every is None else eval_every
    n_snapshots = settings.N_SNAPSHOTS if n_snapshots is None else n_snapshots
    image = _check_fit_args(steps, lr, eval_every, image)
    if seed is not None:
        torch.manual_seed(seed)
    device = torch.device(device or settings.DEVICE)
    use_fast_math(device)
    start = time.perf_counter()
    model.to(device)
    split = split_pixels(image)
    height, width = split.height, split.width
    encoder, net = _split_model(model)
    fixed_encoder = not any(p.requires_grad for p in encoder.parameters())
    train_x, test_x = split.train_coords.to(device), split.test_coords.to(device)
    train_y, test_y = split.train_colors.to(device), split.test_colors.to(device)
    if fixed_encoder:  # the features never change: compute them once
        with torch.no_grad():
            train_x, test_x = encoder(train_x), encoder(test_x)
        forward = net
    else:
        forward = model
    optimizer = torch.optim.Adam(model.parameters(), lr=lr,
                                 **({"fused": True} if device.type == "cuda" else {}))

    snap_steps = snapshot_steps(steps, n_snapshots)
    snapshots: list = []
    history = {"step": [], "train_psnr": [], "test_psnr": [], "seconds": []}
    with torch.no_grad():  # the untrained model: a run that ends up worse has diverged
        start_psnr = psnr(forward(train_x), train_y)
    if math.isnan(start_psnr):  # NaN before the first step: no learning rate can fix that
        raise ValueError("the untrained model already outputs NaN, so it cannot learn; move its "
                         "settings (e.g. omega0, s0, scale) nearer their defaults.")
    best = {"train_psnr": start_psnr if math.isfinite(start_psnr) else -math.inf,
            "state": copy.deepcopy(model.state_dict()), "step": 0}
    diverged = False
    eval_seconds = 0.0
    # A snapshot is the model on the image's four interleaved quarter grids: the train
    # pixels (predicted by the next training step anyway), the test pixels and the two
    # others, whose features are computed once here instead of at every snapshot.
    others = (_other_quarters(encoder, net, model, fixed_encoder, height, width, device)
              if snap_steps else {})

    def snapshot(train_out: torch.Tensor, test_out: torch.Tensor | None = None) -> np.ndarray:
        with torch.no_grad():
            parts = {(0, 0): train_out,
                     (1, 1): _chunked(forward, test_x, chunk_size) if test_out is None else test_out}
            for key, (x, f) in others.items():
                parts[key] = _chunked(f, x, chunk_size)
        return _to_uint8(_assemble_quarters(parts, height, width))

    def finish(step: int, loss: torch.Tensor, train_out: torch.Tensor) -> bool:
        """Evaluation and snapshot of ``step``, given the train pixels' prediction after it.

        Returns True if training diverged (the best model is then restored).
        """
        nonlocal best, diverged
        test_out = None
        if step % eval_every == 0 or step == steps:
            loss_value = loss.item()
            with torch.no_grad():
                test_out = forward(test_x)
            train_psnr, test_psnr = psnr(train_out, train_y), psnr(test_out, test_y)
            if _is_diverged(step, steps, loss_value, train_psnr, start_psnr):
                diverged = True
                model.load_state_dict(best["state"])
                warnings.warn(f"training diverged at step {step} (loss {loss_value:.3g}, "
                              f"train PSNR {train_psnr:.1f} dB vs {start_psnr:.1f} dB untrained); "
                              f"kept the best model so far (step {best['step']}), try a "
                              f"smaller lr than {lr:g}.", RuntimeWarning, stacklevel=3)
                return True
            history["step"].append(step)
            history["train_psnr"].append(train_psnr)
            history["test_psnr"].append(test_psnr)
            history["seconds"].append(time.perf_counter() - start)
            if train_psnr > best["train_psnr"]:
                best = {"train_psnr": train_psnr, "state": copy.deepcopy(model.state_dict()),
                        "step": step}
            if bar is not None:
                bar.set_postfix_str(f"train {train_psnr:.2f} dB, test {test_psnr:.2f} dB")
                bar.update(step - bar.n)
        if step in snap_steps:
            snapshots.append((step, snapshot(train_out, test_out)))
        return False

    if 0 in snap_steps:
        with torch.no_grad():
            snapshots.append((0, snapshot(forward(train_x))))
    bar = _progress_bar(steps, description, progress)
    train_start = time.perf_counter()
    # Step s's evaluation/snapshot waits for step s + 1's forward pass, which predicts the
    # train pixels with exactly the parameters after step s: one forward pass saved.
    pending, pending_loss = 0, None
    step = 0
    for step in range(1, steps + 1):
        out = forward(train_x)
        if pending:
            tick = time.perf_counter()
            stop = finish(pending, pending_loss, out.detach())
            eval_seconds += time.perf_counter() - tick
            if stop:
                step = pending
                break
        loss = mse(out, train_y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        due = step % eval_every == 0 or step == steps or step in snap_steps
        pending, pending_loss = (step, loss.detach()) if due else (0, None)
    else:
        if pending:  # the last step: no next forward pass to share
            tick = time.perf_counter()
            with torch.no_grad():
                finish(pending, pending_loss, forward(train_x))
            eval_seconds += time.perf_counter() - tick
    if device.type == "cuda":
        torch.cuda.synchronize()
    train_seconds = time.perf_counter() - train_start - eval_seconds
    if bar is not None:
        bar.close()

    with torch.no_grad():
        final_train = psnr(forward(train_x), train_y)
        final_test = psnr(forward(test_x), test_y)
    prediction = predict_image(model, height, width, chunk_size)
    return FitResult(
        model=model, train_psnr=final_train, test_psnr=final_test, prediction=prediction,
        history=history, snapshots=snapshots, seconds=time.perf_counter() - start,
        seconds_per_step=train_seconds / max(step, 1), steps=step, lr=lr,
        diverged=diverged, params=count_params(model), device=str(device))


def _progress_bar(steps: int, description: str, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=steps, desc=description, leave=False)
