"""Video as a signal on (x, y, t) -> rgb: a generated clip and its held-out data (10_beyond_images).

The clip is drawn in code (nothing to license): a colour gradient drifting in time, a
disc moving on a circle, a square sliding across and a bar turning about the centre,
each edge anti-aliased over about one pixel. Time follows the pixel convention of
:mod:`helpers.grids`: frame k of T sits at ``t = (2k + 1) / T - 1`` in (-1, 1).
Two hold-outs: every other frame (train on frames 0, 2, 4, ...; classical answers:
the average of the two neighbouring frames, and frame interpolation along optical flow)
and the odd pixels of every frame (train on ``[::2, ::2]``, test on ``[1::2, 1::2]``;
classical: bicubic interpolation of each frame, :mod:`helpers.interpolate`).
``variant=1`` draws another clip from the same recipe (objects elsewhere, moving the
other way): the validation clip for choosing knobs.

A clip of your own: :func:`helpers.clip_files.load_clip` reads a folder of frames, a
video file or an array as the same ``(T, H, W, 3)`` float32 in [0, 1];
:mod:`helpers.clip_fit` runs 10's experiment on it (``python -m helpers fit-clip``).
"""
from __future__ import annotations

import math

import numpy as np
import torch

from .grids import make_grid


def _edge(signed_distance: torch.Tensor, pixel: float) -> torch.Tensor:
    """Coverage of a shape from its signed distance: 1 inside, 0 outside, a 1-pixel ramp."""
    return torch.clamp(0.5 - signed_distance / pixel, 0.0, 1.0)


def make_clip(frames: int = 32, size: int = 64, variant: int = 0) -> torch.Tensor:
    """The generated clip: ``(T, H, W, 3)`` float32 in [0, 1], T = frames, H = W = size.

    Objects move at most about 2 / frames units per frame, so the motion between two
    frames is a few pixels at 64 px and 32 frames. ``variant`` 1, 2, ... start the disc
    and the bar elsewhere and slide the square the other way along another row.
    """
    if frames < 2 or size < 4:
        raise ValueError(f"a clip needs at least 2 frames of 4 x 4 pixels, got {frames} "
                         f"frames of {size} x {size}.")
    grid = make_grid(size)
    x, y = grid[..., 0], grid[..., 1]
    pixel = 2.0 / size
    out = []
    for k in range(frames):
        t = (2 * k + 1) / frames - 1
        phase = math.pi * (t + 1) / 2 + variant  # a quarter turn over the clip
        image = torch.stack([0.55 + 0.35 * torch.sin(1.5 * x + phase),
                             0.45 + 0.3 * torch.cos(1.2 * y - phase),
                             0.5 + 0.3 * torch.sin(x + y + 2 * phase)], dim=-1)
        cx, cy = 0.45 * math.cos(phase * 2), 0.45 * math.sin(phase * 2)
        disc = _edge(torch.sqrt((x - cx) ** 2 + (y - cy) ** 2) - 0.22, pixel)
        sx = (-0.7 + 0.7 * (t + 1)) * (-1) ** variant
        row = 0.6 * (-1) ** variant
        square = _edge(torch.maximum((x - sx).abs(), (y - row).abs()) - 0.15, pixel)
        angle = phase
        along = x * math.cos(angle) + y * math.sin(angle)
        across = -x * math.sin(angle) + y * math.cos(angle)
        bar = _edge(torch.maximum(along.abs() - 0.5, across.abs() - 0.04), pixel)
        for mask, color in ((bar, (0.1, 0.1, 0.15)), (disc, (0.95, 0.85, 0.2)),
                            (square, (0.15, 0.35, 0.9))):
            image = image * (1 - mask[..., None]) + mask[..., None] * torch.tensor(color)
        out.append(image)
    return torch.stack(out).clamp(0, 1)


def clip_coords(frames: int, height: int, width: int | None = None) -> torch.Tensor:
    """``(T, H, W, 3)`` coordinates (x, y, t), each in (-1, 1) at pixel and frame centres."""
    width = height if width is None else width
    grid = make_grid(height, width)
    ts = (2 * torch.arange(frames, dtype=torch.float32) + 1) / frames - 1
    space = grid[None].expand(frames, height, width, 2)
    time = ts[:, None, None, None].expand(frames, height, width, 1)
    return torch.cat([space, time], dim=-1)


def blend_frames(even_frames: torch.Tensor) -> torch.Tensor:
    """Linear blending: odd frame 2k+1 = (frame 2k + frame 2k+2) / 2; the last one repeats.

    even_frames: ``(T/2, H, W, C)`` (frames 0, 2, 4, ...) -> ``(T/2, H, W, C)`` (1, 3, 5, ...).
    Exact when every pixel changes linearly in time; moving edges come out as two ghosts.
    """
    following = torch.cat([even_frames[1:], even_frames[-1:]])
    return (even_frames + following) / 2


def flow_frames(even_frames: torch.Tensor) -> torch.Tensor:
    """Frame interpolation along optical flow: ``(T/2, H, W, C)`` frames 0, 2, ... -> the
    odd frames 1, 3, ... ``(T/2, H, W, C)``; the last one repeats its left neighbour.

    For neighbours a, b: TV-L1 optical flow (Zach et al. 2007,
    ``skimage.registration.optical_flow_tvl1``) on grey levels gives f with
    ``b(p + f(p)) ≈ a(p)``; the frame halfway is ``(a(p - f/2) + b(p + f/2)) / 2``, each
    side warped bilinearly (the flow read at p, not followed: fine for small motion).
    """
    from skimage.registration import optical_flow_tvl1
    from skimage.transform import warp

    frames = even_frames.double().cpu().numpy()
    height, width = frames.shape[1:3]
    grid = np.stack(np.meshgrid(np.arange(height), np.arange(width), indexing="ij"))
    out = []
    for a, b in zip(frames, list(frames[1:]) + [frames[-1]]):
        flow = optical_flow_tvl1(a.mean(-1), b.mean(-1))
        halves = [np.stack([warp(img[..., c], grid + sign * flow / 2, order=1, mode="edge")
                            for c in range(img.shape[-1])], axis=-1)
                  for img, sign in ((a, -1), (b, 1))]
        out.append((halves[0] + halves[1]) / 2)
    return torch.tensor(np.stack(out), dtype=even_frames.dtype)


def bicubic_pixels(video: torch.Tensor) -> torch.Tensor:
    """``(T, H, W, C)`` -> ``(T, H, W, C)``: each frame bicubically interpolated from its
    train pixels ``[::2, ::2]`` only (:func:`helpers.interpolate.interpolate`)."""
    from .interpolate import interpolate

    return torch.stack([interpolate(frame, "bicubic") for frame in video])


def write_video(frames, path, fps: float = 8.0, scale: int = 4):
    """Write ``(T, H, W, 3)`` frames in [0, 1] as an MP4 (a GIF without ffmpeg); return the path.

    Frames are enlarged ``scale`` times (nearest neighbour) so small clips are visible;
    show it with :func:`helpers.video.show_video`.
    """
    import warnings
    from pathlib import Path

    import imageio.v2 as imageio

    array = np.asarray(torch.as_tensor(frames).clamp(0, 1).cpu().numpy() * 255 + 0.5, np.uint8)
    array = array.repeat(scale, axis=1).repeat(scale, axis=2)
    pad = ((0, 0), (0, (-array.shape[1]) % 16), (0, (-array.shape[2]) % 16), (0, 0))
    array = np.pad(array, pad)
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            imageio.mimsave(path.with_suffix(".mp4"), list(array), format="FFMPEG", fps=fps,
                            codec="libx264", pixelformat="yuv420p", quality=8)
        return path.with_suffix(".mp4")
    except Exception:  # no ffmpeg binary: a GIF plays everywhere
        imageio.mimsave(path.with_suffix(".gif"), list(array), format="GIF",
                        duration=1000.0 / fps, loop=0)
        return path.with_suffix(".gif")


class AxisScale(torch.nn.Module):
    """``(N, d) -> (N, d)``: each coordinate times its own scale, ``x * s`` (an encoder).

    A clip has fewer frames per unit of t than pixels per unit of x, so a network needs a
    lower bandwidth along t: ``scales = (1, 1, d_t / d_x)``, the train frames per unit of t
    over the train pixels per unit of x (:mod:`helpers.bandwidth`), gives every axis the
    same bandwidth per train sample, before SIREN's ω0 or Fourier features act on it.
    """

    def __init__(self, scales):
        super().__init__()
        self.register_buffer("scales", torch.as_tensor(scales, dtype=torch.float32))
        self.in_dim = self.out_dim = len(self.scales)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scales
