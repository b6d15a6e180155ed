"""Video's contest from 10_beyond_images as functions: a network, a voxel grid and the
classical in-betweens on held-out frames or pixels of a clip (yours or the generated one).

A clip is ``(T, H, W, 3)`` in [0, 1] (:func:`helpers.clip_files.load_clip`), a signal on
``(x, y, t)``, each coordinate at pixel / frame centres in (-1, 1). Two hold-outs:

- ``"frames"``: train on frames 0, 2, 4, ..., test on 1, 3, 5, ... (the in-between frames);
  classical: repeat the previous frame, blend the two neighbours, warp both halfway along
  TV-L1 optical flow (:mod:`helpers.video_clip`).
- ``"pixels"``: train on ``[:, ::2, ::2]``, test on ``[:, 1::2, 1::2]`` (2x upsampling of
  every frame); classical: bicubic interpolation of each frame.

The rows: SIREN on ``(x, y, t)`` with the bandwidth rule per axis (:mod:`helpers.bandwidth`):
with ``d_x, d_y, d_t`` train samples per unit along each axis, y and t are scaled by
``d_y / d_x`` and ``d_t / d_x`` (:class:`helpers.video_clip.AxisScale`) and
``ω0 = 30 · c · d_x / 128``; the no-network voxel grid (one value per pixel of every
frame, Adam on the same MSE), alone and with 3-D total variation
``TV(v) = mean sqrt(∂t v² + ∂y v² + ∂x v²)``; and the classical rows above. Score: PSNR
``-10 log10 mean (v̂ - v)²`` on the held-out samples only. c and the TV weight are chosen
on a validation clip (:func:`contest`); every row is scored on the test clip once.
"""
from __future__ import annotations

import time
from types import SimpleNamespace

import torch

from .bandwidth import frequency_scale, samples_per_unit
from .loop import optimize
from .metrics import mse, psnr
from .models import CoordinateModel, Siren, count_params
from .pixel_grid import fit_grid
from .video_clip import (AxisScale, bicubic_pixels, blend_frames, clip_coords, flow_frames)

HOLDOUTS = ("frames", "pixels")
LR = 5e-4        # SIREN's Adam learning rate in 10_beyond_images
GRID_LR = 3e-2   # the voxel grid's (values, not weights)
CHUNK = 65536    # coordinates per forward pass when the whole clip is predicted


def _check_holdout(holdout: str) -> None:
    if holdout not in HOLDOUTS:
        raise ValueError(f"unknown hold-out {holdout!r}; choose 'frames' (train on the even "
                         "frames) or 'pixels' (train on [::2, ::2] of every frame).")


def train_mask(shape, holdout: str) -> torch.Tensor:
    """``(T, H, W)`` bool, True on the train samples: the even frames, or ``[:, ::2, ::2]``."""
    _check_holdout(holdout)
    mask = torch.zeros(tuple(shape[:3]), dtype=torch.bool)
    if holdout == "frames":
        mask[0::2] = True
    else:
        mask[:, ::2, ::2] = True
    return mask


def test_index(holdout: str) -> tuple:
    """The held-out samples as an index: ``clip[test_index("frames")]`` is the odd frames
    ``(T/2, H, W, 3)``, ``clip[test_index("pixels")]`` the odd pixels ``(T, H/2, W/2, 3)``."""
    _check_holdout(holdout)
    if holdout == "frames":
        return (slice(1, None, 2),)
    return (slice(None), slice(1, None, 2), slice(1, None, 2))


def densities(frames: int, height: int, width: int, holdout: str) -> tuple[float, float, float]:
    """Train samples per unit of x, y and t, ``(d_x, d_y, d_t)``: a train sample count
    across an axis over its extent 2 ((-1, 1)); the hold-out halves time or space."""
    _check_holdout(holdout)
    if holdout == "frames":
        across = (width, height, (frames + 1) // 2)
    else:
        across = ((width + 1) // 2, (height + 1) // 2, frames)
    return tuple(samples_per_unit(n) for n in across)


def predict_clip(model: torch.nn.Module, shape, device: str = "cpu") -> torch.Tensor:
    """The model at every pixel of every frame: ``(T, H, W, 3)`` clamped to [0, 1]."""
    coords = clip_coords(*shape[:3]).reshape(-1, 3)
    with torch.no_grad():
        full = torch.cat([model(chunk.to(device)).cpu() for chunk in coords.split(CHUNK)])
    return full.reshape(*shape[:3], 3).clamp(0, 1)


def fit_siren(clip: torch.Tensor, holdout: str, c: float = 1.0, steps: int = 300,
              hidden: int = 64, lr: float = LR, device: str = "cpu", seed: int = 0):
    """SIREN (4 layers, ``hidden`` wide) fitted to the train samples of ``clip`` by Adam on MSE.

    Axis scales ``(1, d_y / d_x, d_t / d_x)`` then ``ω0 = 30 · c · d_x / 128``
    (:func:`densities`). Returns ``.video`` (every frame predicted, ``(T, H, W, 3)``),
    ``.params``, ``.seconds`` (training) and ``.omega0``.
    """
    frames, height, width = clip.shape[:3]
    d_x, d_y, d_t = densities(frames, height, width, holdout)
    omega0 = frequency_scale("siren", d_x, c)
    torch.manual_seed(seed)
    model = CoordinateModel(AxisScale((1.0, d_y / d_x, d_t / d_x)),
                            Siren(3, 3, hidden, 4, omega0=omega0)).to(device)
    mask = train_mask(clip.shape, holdout)
    x = clip_coords(frames, height, width)[mask].to(device)
    y = clip[mask].to(device)
    run = optimize(model, lambda step: mse(model(x), y), steps, lr, progress=False)
    return SimpleNamespace(video=predict_clip(model, clip.shape, device), params=count_params(model),
                           seconds=run.seconds, omega0=omega0)


def total_variation_3d(v: torch.Tensor) -> torch.Tensor:
    """Isotropic TV over (t, y, x): ``mean sqrt(∂t² + ∂y² + ∂x² + 1e-8)`` on a ``(T, H, W, C)``
    grid, forward differences on the ``(T-1, H-1, W-1)`` samples that have all three."""
    base = v[:-1, :-1, :-1]
    return torch.sqrt((v[1:, :-1, :-1] - base) ** 2 + (v[:-1, 1:, :-1] - base) ** 2
                      + (v[:-1, :-1, 1:] - base) ** 2 + 1e-8).mean()


def fit_voxels(clip: torch.Tensor, holdout: str, weight: float = 0.0, steps: int = 300,
               lr: float = GRID_LR) -> torch.Tensor:
    """No network: a ``(T, H, W, 3)`` grid from zeros, Adam on
    ``MSE(train samples) + weight · TV(grid)``; returns the grid clamped to [0, 1].
    Alone (weight 0) it never moves a held-out sample: they stay black."""
    mask = train_mask(clip.shape, holdout)

    def loss_fn(grid):
        return mse(grid[mask], clip[mask]) + weight * total_variation_3d(grid)

    return fit_grid(loss_fn, clip.shape, steps, lr)[0].clamp(0, 1)


def held_psnr(prediction: torch.Tensor, clip: torch.Tensor, holdout: str) -> float:
    """PSNR on the held-out samples only: ``prediction`` and ``clip`` both ``(T, H, W, 3)``."""
    index = test_index(holdout)
    return psnr(prediction[index], clip[index])


def baseline_makers(clip: torch.Tensor, holdout: str) -> dict:
    """``{name: function()}`` for each classical row, each returning a prediction shaped like
    ``clip[test_index(holdout)]`` (frames: from the even frames only; pixels: from each
    frame's ``[::2, ::2]`` only)."""
    _check_holdout(holdout)
    if holdout == "pixels":
        return {"bicubic (each frame)": lambda: bicubic_pixels(clip)[test_index("pixels")]}
    even, n_odd = clip[0::2], clip.shape[0] // 2
    return {"repeat the previous frame": lambda: even[:n_odd],
            "linear blending": lambda: blend_frames(even)[:n_odd],
            "optical flow (TV-L1), warped": lambda: flow_frames(even)[:n_odd]}


def baselines(clip: torch.Tensor, holdout: str) -> dict:
    """The classical rows, no training: ``{name: held-out prediction}``."""
    return {name: make() for name, make in baseline_makers(clip, holdout).items()}


PRACTITIONER = {"frames": "optical flow (TV-L1), warped", "pixels": "bicubic (each frame)"}


def choose_c(val_clip: torch.Tensor, holdout: str, factors=(1.0, 8.0), steps: int = 300,
             hidden: int = 64, lr: float = LR, device: str = "cpu", say=None):
    """``(c, {c: held-out PSNR})``: SIREN fitted on ``val_clip`` for each factor, the best kept
    (the first of equals)."""
    sweep = {}
    for c in factors:
        sweep[c] = held_psnr(fit_siren(val_clip, holdout, c, steps, hidden, lr, device).video,
                             val_clip, holdout)
        if say:
            say(f"  validation: SIREN c = {c:g}: {sweep[c]:.2f} dB")
    return max(sweep, key=sweep.get), sweep


def choose_tv_weight(val_clip: torch.Tensor, holdout: str, weights=(0.001, 0.003, 0.03),
                     steps: int = 300, say=None):
    """``(weight, {weight: held-out PSNR})`` of the voxel grid + TV on ``val_clip``."""
    sweep = {}
    for w in weights:
        sweep[w] = held_psnr(fit_voxels(val_clip, holdout, w, steps), val_clip, holdout)
        if say:
            say(f"  validation: voxel grid + TV w = {w:g}: {sweep[w]:.2f} dB")
    return max(sweep, key=sweep.get), sweep


def split_clip(clip: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One clip -> ``(test, validation)``: the first half of its frames and the second half
    (``T // 2`` frames each, in order). Knobs are chosen on the later frames and scored on
    the earlier ones: disjoint frames of the same scene, as 10's second generated clip is
    another clip from the same recipe."""
    half = clip.shape[0] // 2
    return clip[:half], clip[half:2 * half]


def contest(clip: torch.Tensor, val_clip: torch.Tensor, holdout: str, steps: int = 300,
            hidden: int = 64, factors=(1.0, 8.0), tv_weights=(0.001, 0.003, 0.03),
            lr: float = LR, device: str = "cpu", c: float | None = None, say=None):
    """10's video contest on one hold-out: knobs on ``val_clip``, every row on ``clip`` once.

    On the validation clip: SIREN's c from ``factors`` (skipped when ``c`` is given; 10
    chooses c on the frame hold-out and uses it for both) and the TV weight from
    ``tv_weights``. On the test clip: the classical rows (:func:`baselines`), the voxel
    grid alone and with the chosen TV weight, and SIREN at the chosen c, each scored by
    :func:`held_psnr`. A user's single clip: split it with :func:`split_clip` first.
    say: a function taking one progress line (e.g. ``print``), or None.

    Returns ``.rows`` ``{name: held-out prediction}`` (in 10's order), ``.scores``
    ``{name: PSNR}``, ``.seconds`` ``{name: s}``, ``.siren`` (:func:`fit_siren`'s result, with
    every frame), ``.c``, ``.c_sweep``, ``.tv_weight``, ``.tv_sweep``, ``.holdout``.
    """
    _check_holdout(holdout)
    if clip.shape[1:] != val_clip.shape[1:]:
        raise ValueError(f"the validation clip's frames are {tuple(val_clip.shape[1:3])} but "
                         f"the test clip's are {tuple(clip.shape[1:3])}; give frames of one size.")
    c_sweep = {}
    if c is None:
        c, c_sweep = choose_c(val_clip, holdout, factors, steps, hidden, lr, device, say)
    tv_weight, tv_sweep = choose_tv_weight(val_clip, holdout, tv_weights, steps, say)
    rows, seconds = {}, {}

    def timed(name, make):
        start = time.perf_counter()
        rows[name] = make()
        seconds[name] = time.perf_counter() - start
        if say:
            say(f"  {name}: {row_psnr(rows[name], clip, holdout):.2f} dB "
                f"({seconds[name]:.1f} s)")

    for name, make in baseline_makers(clip, holdout).items():
        timed(name, make)
    index = test_index(holdout)
    timed("voxel grid (no network)", lambda: fit_voxels(clip, holdout, 0.0, steps)[index])
    timed(f"voxel grid + TV (w={tv_weight:g})",
          lambda: fit_voxels(clip, holdout, tv_weight, steps)[index])
    siren = None

    def siren_row():
        nonlocal siren
        siren = fit_siren(clip, holdout, c, steps, hidden, lr, device)
        return siren.video[index]

    timed(f"SIREN (c = {c:g})", siren_row)
    scores = {name: psnr(prediction, clip[index]) for name, prediction in rows.items()}
    return SimpleNamespace(rows=rows, scores=scores, seconds=seconds, siren=siren, c=c,
                           c_sweep=c_sweep, tv_weight=tv_weight, tv_sweep=tv_sweep,
                           holdout=holdout)


def row_psnr(prediction: torch.Tensor, clip: torch.Tensor, holdout: str) -> float:
    """PSNR of a held-out prediction (shaped like ``clip[test_index(holdout)]``)."""
    return psnr(prediction, clip[test_index(holdout)])


def full_clip(clip: torch.Tensor, held_out: torch.Tensor, holdout: str) -> torch.Tensor:
    """The clip with its held-out samples replaced by a prediction of them, ``(T, H, W, 3)``:
    a baseline's in-between frames or pixels put back among the train samples (for videos)."""
    out = clip.clone()
    out[test_index(holdout)] = held_out
    return out
