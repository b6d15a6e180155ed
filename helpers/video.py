"""A training run as a video: each snapshot with its step and PSNR burned in (02, 04, 05).

MP4 through imageio's ffmpeg plugin (``imageio-ffmpeg`` ships its own ffmpeg binary);
if that is missing or fails, an animated GIF instead (Pillow comes with matplotlib).
The text is drawn with matplotlib's Agg canvas, so nothing else is needed.
"""
from __future__ import annotations

import math
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import plots

BANNER = 40       # pixels of text above each frame (two lines)
MIN_WIDTH = 320   # small images are enlarged (nearest neighbour) so the text fits and reads


def _banner(width: int, lines: list[str]) -> np.ndarray:
    """A ``(BANNER, width, 3)`` uint8 strip with one or two lines of white text on black."""
    dpi = 100
    fig = Figure(figsize=(width / dpi, BANNER / dpi), dpi=dpi, facecolor="black")
    canvas = FigureCanvasAgg(fig)
    for row, line in enumerate(lines[:2]):
        fig.text(0.02, 0.72 - 0.45 * row, line, color="white", fontsize=10,
                 family="DejaVu Sans Mono", va="center", ha="left")
    canvas.draw()
    strip = np.asarray(canvas.buffer_rgba())[..., :3]
    out = np.zeros((BANNER, width, 3), np.uint8)  # the canvas may round a pixel either way
    h, w = min(BANNER, strip.shape[0]), min(width, strip.shape[1])
    out[:h, :w] = strip[:h, :w]
    return out


def render_frames(result, target=None, label: str | None = None,
                  min_width: int = MIN_WIDTH) -> list[np.ndarray]:
    """One ``(H', W', 3)`` uint8 frame per snapshot: text banner above the enlarged snapshot.

    Banner: ``label`` and the step, then train/test PSNR (exact when ``target`` is given,
    else the nearest recorded). Sizes are padded to multiples of 16, as video codecs want.
    """
    if not result.snapshots:
        raise ValueError("this result has no snapshots; fit with n_snapshots > 0 "
                         "(e.g. n_snapshots=10) to make a video.")
    psnrs = plots.snapshot_psnrs(result, target)
    frames = []
    for (step, snapshot), pair in zip(result.snapshots, psnrs):
        image = np.asarray(snapshot)
        if image.dtype != np.uint8:
            image = (np.clip(plots.to_numpy(image), 0, 1) * 255 + 0.5).astype(np.uint8)
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=-1)
        scale = max(1, math.ceil(min_width / image.shape[1]))
        image = image.repeat(scale, axis=0).repeat(scale, axis=1)
        first = f"{label + ' | ' if label else ''}step {step} / {result.steps}"
        second = (f"train {pair[0]:.1f} dB | test {pair[1]:.1f} dB" if pair is not None
                  else "PSNR: not measured yet")
        frame = np.concatenate([_banner(image.shape[1], [first, second]), image], axis=0)
        pad_h, pad_w = (-frame.shape[0]) % 16, (-frame.shape[1]) % 16
        frames.append(np.pad(frame, ((0, pad_h), (0, pad_w), (0, 0))))
    return frames


def _default_path(label: str | None, suffix: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "coordinate-mlps-live"
    folder.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-zA-Z0-9]+", "_", label or "training").strip("_") or "training"
    return folder / f"{slug}{suffix}"

def _write_video(path: Path, frames, fps: float) -> Path:
    """Write ``frames`` to ``path`` (MP4, or GIF for a .gif path or when no ffmpeg works)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() != ".gif":
        try:
            _write_mp4(path, frames, fps)
            return path
        except Exception as error:  # no ffmpeg binary, or it refused: GIF works everywhere
            warnings.warn(f"could not write an MP4 ({type(error).__name__}); writing a GIF "
                          "instead (pip install imageio-ffmpeg for MP4).", stacklevel=3)
            path = path.with_suffix(".gif")
    _write_gif(path, frames, fps)
    return path



def _write_mp4(path: Path, frames, fps: float) -> None:
    import imageio.v2 as imageio
    import imageio_ffmpeg  # noqa: F401  (raises ImportError when the ffmpeg binary is absent)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        writer = imageio.get_writer(path, format="FFMPEG", mode="I", fps=fps, codec="libx264",
                                    pixelformat="yuv420p", macro_block_size=16, quality=8)
        try:
            for frame in frames:
                writer.append_data(frame)
        finally:
            writer.close()


def _write_gif(path: Path, frames, fps: float) -> None:
    import imageio.v2 as imageio

    imageio.mimsave(path, frames, format="GIF", duration=1000.0 / fps, loop=0)


def training_video(result, path=None, fps: float = 4, target=None, label: str | None = None,
                   display: bool = True, min_width: int = MIN_WIDTH) -> Path:
    """Write ``result.snapshots`` as an MP4 (or a GIF without ffmpeg), show it, return its path.

    path: where to write (default: a temporary folder; the notebook embeds the video, so
    the file can go). A ``.gif`` path asks for a GIF. target: the fitted image, for exact
    per-frame PSNRs. label: text before the step, e.g. the method's name.
    """
    frames = render_frames(result, target=target, label=label, min_width=min_width)
    path = Path(path) if path is not None else _default_path(label, ".mp4")
    path = _write_video(path, frames, fps)
    if display:
        show_video(path)
    return path


def show_video(path, width: int | None = None) -> None:
    """Embed an MP4 (as an HTML5 video) or a GIF in the notebook output."""
    from IPython.display import Image, Video
    from IPython.display import display as ipy_display

    path = Path(path)
    if path.suffix.lower() == ".gif":
        ipy_display(Image(filename=str(path), width=width))
    else:
        ipy_display(Video(str(path), embed=True, mimetype="video/mp4", width=width,
                          html_attributes="controls loop autoplay muted"))


def _at(history: dict, key: str, seconds: float):
    """``history[key]`` at the last evaluation done by wall-clock ``seconds`` (None: none yet)."""
    done = [value for t, value in zip(history["seconds"], history[key]) if t <= seconds]
    return done[-1] if done else None


def race_frames(results: dict, n_frames: int = 40, ncols: int | None = None,
                size: float = 2.0, dpi: int = 80) -> list[np.ndarray]:
    """Frames of every result side by side at EQUAL wall-clock time (07's race video).

    results: ``{name: FitResult}`` with snapshots; frame k shows, for each method, its
    latest snapshot taken within ``t_k`` seconds of its start (``t`` runs from 0 to the
    slowest run's end) and its test PSNR at that time, so a fast method finishes early
    and waits ("done") while a slow one is still blurry. One reused figure: cheap frames.
    """
    missing = [name for name, r in results.items() if not r.snapshots]
    if missing:
        raise ValueError(f"{', '.join(missing)} kept no snapshots; fit with n_snapshots > 0 "
                         "to make a race video.")
    names = list(results)
    ncols = ncols or min(len(names), 5)
    nrows = math.ceil(len(names) / ncols)
    fig = Figure(figsize=(ncols * size, nrows * (size + 0.35) + 0.4), dpi=dpi)
    canvas = FigureCanvasAgg(fig)
    header = fig.suptitle("", fontsize=12, family="DejaVu Sans Mono")
    panels = {}
    for index, name in enumerate(names):
        ax = fig.add_subplot(nrows, ncols, index + 1)
        ax.set_xticks([])
        ax.set_yticks([])
        panels[name] = (ax.imshow(results[name].snapshots[0][1], interpolation="nearest"),
                        ax.set_title("", fontsize=9, family="DejaVu Sans Mono"))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=1 - 0.55 / fig.get_figheight(),
                        wspace=0.05, hspace=0.3)
    end = max(r.history["seconds"][-1] for r in results.values())
    frames = []
    for t in np.linspace(0, end, n_frames):
        header.set_text(f"equal wall-clock time: {t:5.1f} s of {end:.1f} s")
        for name, (artist, title) in panels.items():
            r = results[name]
            when = dict(zip(r.history["step"], r.history["seconds"]))
            shown = [(s, f) for s, f in r.snapshots if when.get(s, math.inf) <= t] or \
                r.snapshots[:1]
            artist.set_data(shown[-1][1])
            test = _at(r.history, "test_psnr", t)
            state = "done" if t >= r.history["seconds"][-1] else f"step {shown[-1][0]}"
            title.set_text(f"{name}: " + ("--" if test is None else f"{test:.1f} dB")
                           + f"\n{state}")
        canvas.draw()
        frame = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        pad_h, pad_w = (-frame.shape[0]) % 16, (-frame.shape[1]) % 16
        frames.append(np.pad(frame, ((0, pad_h), (0, pad_w), (0, 0)), constant_values=255))
    return frames


def race_video(results: dict, path=None, fps: float = 8, seconds: float = 6,
               display: bool = True, **layout) -> Path:
    """Write :func:`race_frames` (``fps * seconds`` frames) as one MP4, show it, return its path.

    Falls back to a GIF without ffmpeg, as :func:`training_video` does. layout: ncols,
    size, dpi for :func:`race_frames`.
    """
    frames = race_frames(results, n_frames=max(2, int(round(fps * seconds))), **layout)
    path = Path(path) if path is not None else _default_path("race", ".mp4")
    path = _write_video(path, frames, fps)
    if display:
        show_video(path)
    return path
