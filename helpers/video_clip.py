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

A clip of your own: :func:`load_clip` reads a folder of frames, a video file or an array
as the same ``(T, H, W, 3)`` float32 in [0, 1]; :mod:`helpers.clip_fit` runs 10's
experiment on it (``python -m helpers fit-clip --clip PATH``).
"""
from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

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


# --- a clip of your own ----------------------------------------------------------------

MIN_FRAMES = 4  # the frame hold-out trains on the even frames and tests on the odd ones
FRAME_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")


def natural_key(name: str) -> list:
    """Sort key that puts ``frame2.png`` before ``frame10.png`` (numbers compared as numbers)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _chosen(total: int, frames: int | None, start: int, step: int) -> list[int]:
    """The indices ``start, start + step, ...`` below ``total``, at most ``frames`` of them."""
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise ValueError(f"step must be a whole number of at least 1, got {step!r}.")
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or start < 0:
        raise ValueError(f"start must be a whole number of at least 0, got {start!r}.")
    if frames is not None and (isinstance(frames, bool) or not isinstance(frames, (int, np.integer))
                               or frames < MIN_FRAMES):
        raise ValueError(f"frames must be a whole number of at least {MIN_FRAMES} (the frame "
                         f"hold-out needs even and odd frames), got {frames!r}.")
    index = list(range(start, total, step))
    return index if frames is None else index[:frames]


def _frame_files(folder: Path) -> list[Path]:
    files = sorted((p for p in folder.iterdir() if p.suffix.lower() in FRAME_SUFFIXES
                    and not p.name.startswith(".")), key=lambda p: natural_key(p.name))
    if not files:
        raise ValueError(f"the folder {str(folder)!r} holds no PNG or JPEG frames; put the "
                         "frames in it as image files named in order (frame_001.png, ...).")
    return files


def _read_folder(folder: Path, frames, start, step):
    """A folder of frames -> (total, chosen indices, (n, H, W, C) raw arrays)."""
    import imageio.v3 as iio

    files = _frame_files(folder)
    index = _chosen(len(files), frames, start, step)
    arrays = []
    for k in index:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                array = np.asarray(iio.imread(files[k]))
        except Exception as error:  # imageio raises many types for a bad file
            raise ValueError(f"could not read the frame {files[k].name!r} "
                             f"({type(error).__name__}); check that it is a PNG or JPEG "
                             "file and not corrupt.") from None
        array = array[0] if array.ndim == 4 else array  # an animated file: its first frame
        array = array[..., None] if array.ndim == 2 else array
        if arrays and array.shape[:2] != arrays[0].shape[:2]:
            raise ValueError(f"the frame {files[k].name!r} is {array.shape[0]}x{array.shape[1]} "
                             f"but {files[index[0]].name!r} is {arrays[0].shape[0]}x"
                             f"{arrays[0].shape[1]}; give a folder of frames of one size.")
        arrays.append(array)
    return len(files), index, arrays


def _read_video(path: Path, frames, start, step):
    """A video file (GIF through Pillow, the rest through ffmpeg) -> (total, indices, arrays)."""
    import imageio.v2 as imageio
    import imageio.v3 as iio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if path.suffix.lower() == ".gif":
                every = np.asarray(iio.imread(path, index=None))
                every = every[None] if every.ndim == 3 and every.shape[-1] in (3, 4) else every
                index = _chosen(len(every), frames, start, step)
                return len(every), index, [every[k] for k in index]
            reader = imageio.get_reader(path, format="FFMPEG")
            try:
                total = reader.count_frames()
                index = _chosen(total, frames, start, step)
                wanted, arrays = set(index), []
                for k, frame in enumerate(reader):
                    if k in wanted:
                        arrays.append(np.asarray(frame))
                    if len(arrays) == len(index):
                        break
            finally:
                reader.close()
            return total, index[:len(arrays)], arrays
    except Exception as error:  # no ffmpeg, an unknown codec, a broken file
        bad = error
    raise ValueError(f"could not read {str(path)!r} as a video ({type(bad).__name__}); install "
                     "imageio-ffmpeg (pip install imageio-ffmpeg) or give a folder of frames.")


def to_rgb_frames(array: np.ndarray) -> np.ndarray:
    """``(T, H, W, 1|2|3|4)`` uint8/uint16/float frames -> ``(T, H, W, 3)`` float32 in [0, 1].

    One conversion for the whole clip (:func:`helpers.data.to_float_rgb`): 8- and 16-bit
    colours divided by their maximum, gray copied into R, G and B, alpha composited on white.
    """
    from .data import to_float_rgb

    t, h, w = array.shape[:3]
    return to_float_rgb(array.reshape(t * h, w, array.shape[-1])).reshape(t, h, w, 3)


def _notes(arrays) -> list[str]:
    """A few words for each conversion of the raw frames that a user should hear about."""
    notes = []
    if any(a.shape[-1] in (1, 2) for a in arrays):
        notes.append("gray made RGB")
    if any(a.shape[-1] in (2, 4) and np.any(a[..., -1] < (np.iinfo(a.dtype).max if np.issubdtype(
            a.dtype, np.integer) else 1)) for a in arrays):
        notes.append("transparent pixels composited on white")
    if any(a.dtype == np.uint16 for a in arrays):
        notes.append("16-bit colours read as 0-65535")
    return notes


def _describe_source(source) -> str:
    if isinstance(source, (np.ndarray, torch.Tensor)):
        return "array"
    path = Path(source)
    return f"{path.name}/" if path.is_dir() else path.name


def read_clip(source, frames: int | None = None, size: int | None = None, start: int = 0,
              step: int = 1, square: bool = False) -> tuple[torch.Tensor, str]:
    """:func:`load_clip` without the printing: ``(clip, the line that says what was done)``."""
    _chosen(0, frames, start, step)  # the arguments checked before any file is read
    if isinstance(source, (np.ndarray, torch.Tensor)):
        array = source.detach().cpu().numpy() if torch.is_tensor(source) else np.asarray(source)
        if array.ndim != 4 or array.shape[-1] not in (1, 3, 4):
            raise ValueError(f"an array clip must be (T, H, W, 3), (T, H, W, 4) or (T, H, W, 1), "
                             f"got shape {array.shape}; stack the frames along a first axis.")
        total = len(array)
        index = _chosen(total, frames, start, step)
        arrays = [array[k] for k in index]
    else:
        path = Path(source).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"no clip at {str(path)!r}: give a folder of frames "
                                    "(PNG/JPEG), a video file (MP4, GIF) or a (T, H, W, 3) array.")
        if path.is_dir():
            total, index, arrays = _read_folder(path, frames, start, step)
        elif path.suffix.lower() in FRAME_SUFFIXES:
            raise ValueError(f"{str(path)!r} is a single frame but a clip needs at least "
                             f"{MIN_FRAMES} frames; give the folder that holds the frames, or a "
                             "video file.")
        else:
            total, index, arrays = _read_video(path, frames, start, step)
    name = _describe_source(source)
    if len(index) < MIN_FRAMES:
        which = "" if (start, step) == (0, 1) else f" (start {start}, every {step})"
        raise ValueError(f"{name} gives {len(index)} frame{'s' * (len(index) != 1)}{which} but "
                         f"a clip needs at least {MIN_FRAMES} (the frame hold-out trains on "
                         "the even frames and tests on the odd ones); give more frames.")
    notes = _notes(arrays)
    if len({(a.shape[-1], a.dtype) for a in arrays}) == 1:  # one conversion for the clip
        clip = to_rgb_frames(np.stack(arrays))
    else:  # frames of different modes (an RGBA frame among RGB ones): each on its own
        clip = np.stack([to_rgb_frames(a[None])[0] for a in arrays])
    clip = torch.from_numpy(np.ascontiguousarray(clip))
    height, width = clip.shape[1:3]
    clip, shape_note = _fit_size(clip, size, square)
    picked = (f"{len(index)} frames" + ("" if step == 1 else
                                        f" (every {_ordinal(step)} from {start})")
              + (f" (from frame {start})" if step == 1 and start else ""))
    if frames is not None and len(index) < frames:
        picked += f" (only {len(index)} there, {frames} asked)"
    line = (f"{name}: {total} frames {height}x{width} -> {picked}, "
            f"{clip.shape[1]}x{clip.shape[2]}{shape_note}")
    return clip, line + "".join(f"; {note}" for note in notes)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _fit_size(clip: torch.Tensor, size: int | None, square: bool) -> tuple[torch.Tensor, str]:
    """Crop to a square (``square``), resize the shorter side to ``size`` keeping the aspect
    ratio, and make both sides even (the pixel hold-out's train and test grids then have
    the same shape); returns the clip and a few words on what changed."""
    from .data import center_crop, resize

    notes = []
    if square and clip.shape[1] != clip.shape[2]:
        clip = torch.stack([center_crop(frame) for frame in clip])
        notes.append("centre-cropped to a square")
    height, width = clip.shape[1:3]
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 8:
            raise ValueError(f"size must be a whole number of at least 8 pixels, got {size!r}.")
        scale = size / min(height, width)
        new_h, new_w = (max(8, 2 * round(side * scale / 2)) for side in (height, width))
        if scale > 1:
            notes.append("upsampled: adds no detail")
        if (new_h, new_w) != (height, width):
            clip = torch.stack([resize(frame, new_h, new_w) for frame in clip])
            notes.append("shorter side resized, aspect ratio kept" if not square else "resized")
    elif height % 2 or width % 2:
        clip = clip[:, :height - height % 2, :width - width % 2].contiguous()
        notes.append("last row/column dropped to make the sides even")
    return clip, f" ({'; '.join(notes)})" if notes else ""


def load_clip(source, frames: int | None = None, size: int | None = None, start: int = 0,
              step: int = 1, square: bool = False) -> torch.Tensor:
    """A clip of your own as ``(T, H, W, 3)`` float32 in [0, 1], saying in one line what was done.

    source: a folder of frames (PNG/JPEG/..., sorted by name with numbers in numeric order,
    so ``f2.png`` comes before ``f10.png``; any mode and bit depth), a video file (MP4 and
    other ffmpeg formats through imageio-ffmpeg, or a GIF), or an array / tensor
    ``(T, H, W, 3|4|1)`` of uint8, uint16 or float in [0, 1]. Frames kept: ``start``,
    ``start + step``, ... (at most ``frames``; at least 4 are needed). size: the shorter
    side in pixels, the aspect ratio kept (``square=True``: centre-crop to a square first);
    both sides are made even so that the pixel hold-out's train ``[::2, ::2]`` and test
    ``[1::2, 1::2]`` grids have one shape. size=None keeps the resolution (an odd side loses
    its last row or column). Printed, e.g.:
    ``clip.mp4: 120 frames 480x640 -> 16 frames (every 4th from 0), 48x64 (...)``
    (sizes are height x width).
    """
    clip, line = read_clip(source, frames, size, start, step, square)
    print(line)
    return clip
