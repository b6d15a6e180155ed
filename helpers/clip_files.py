"""Reading your own clip: a folder of frames, a video file or an array -> ``(T, H, W, 3)``.

:func:`load_clip` takes a folder of PNG/JPEG frames (sorted in natural order, so
``frame2`` comes before ``frame10``; any mode and bit depth through
:func:`helpers.data.to_float_rgb`), a video file (MP4 and the other formats of imageio's
ffmpeg plugin; a GIF) or an array ``(T, H, W, 1|3|4)``, keeps ``frames`` of them from
``start`` every ``step``, and resizes so the shorter side is ``size`` (the aspect ratio
kept, both sides even for the pixel hold-out; ``square=True`` crops the centre first).
What it did is said in one line. Returns float32 in [0, 1], the type of
:func:`helpers.video_clip.make_clip`, so 10's experiment (:mod:`helpers.clip_fit`) runs
on it unchanged.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import torch

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
