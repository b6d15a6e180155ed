"""Figures the whole series shares: image grids, reconstructions with PSNR, curves, spectra.

One look everywhere: RGB images drawn pixel-exact (no smoothing, so blur is the model's
and not the screen's), signed maps such as coordinates in ``CMAP_SIGNED`` on symmetric
limits with a colour bar (``show_signed``), spectra in ``CMAP_SPECTRUM``, one colour per
method (``method_color``), train PSNR dashed and test PSNR solid, a PSNR written by
``format_psnr`` ("exact" for a perfect match), zoom insets on their panel's own colour
scale, grids with no lone last panel, log axes whose labels do not collide (``log_axis``)
and every axis of a curve labelled. Every plotting function returns its figure and leaves
``plt.show()`` to the caller, except where noted.
"""
from __future__ import annotations

import copy
import math

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import Normalize
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, Locator, LogLocator, NullFormatter

CMAP_SIGNED = "RdBu_r"      # values around 0, e.g. the u, v coordinate maps in [-1, 1]
CMAP_SPECTRUM = "magma"     # log-magnitude spectra
CMAP_GRAY = "gray"          # single-channel images in [0, 1]
STYLE = {"font.size": 11, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9,
         "figure.dpi": 100, "axes.spines.top": False, "axes.spines.right": False}
plt.rcParams.update(STYLE)  # readable on a projector; only font sizes and spines change

_METHOD_COLORS = {"relu": "#7f7f7f", "basic": "#8c564b", "pe": "#1f77b4", "gauss": "#2ca02c",
                  "siren": "#d62728", "target": "#000000",
                  # classical interpolation: the reference every network is compared with
                  "bicubic": "#8c6d31", "bilinear": "#bd9e39", "nearest": "#e7cb94",
                  "lanczos": "#843c39", "spline": "#ad494a"}
_CYCLE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf"]


def method_color(name: str, index: int = 0) -> str:
    """The colour of a method in every figure: by name prefix ('pe L=5' -> pe), else a cycle."""
    key = str(name).split()[0].split("_")[0].split("=")[0].lower()
    return _METHOD_COLORS.get(key, _CYCLE[index % len(_CYCLE)])


def assign_colors(names) -> dict:
    """``{name: colour}``: each method's own colour, and distinct ones for variants of a
    method ('pe L=5', 'pe L=10') so no two curves of one figure share a colour."""
    colors, used = {}, set()
    for index, name in enumerate(names):
        color = method_color(name, index)
        if color in used:
            color = next((c for c in _CYCLE if c not in used), color)
        colors[name] = color
        used.add(color)
    return colors


def to_numpy(image) -> np.ndarray:
    """A torch/numpy image ``(H, W)``, ``(H, W, C)`` or ``(C, H, W)``, uint8 or float -> float32 array.

    uint8 is scaled to [0, 1]; a single channel is squeezed to ``(H, W)``.
    """
    if torch.is_tensor(image):
        image = image.detach().float().cpu().numpy()
    array = np.asarray(image)
    if array.dtype == np.uint8:
        array = array.astype(np.float32) / 255.0
    if array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3):
        array = np.moveaxis(array, 0, -1)  # (C, H, W) -> (H, W, C)
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    return array.astype(np.float32)


def to_gray(image) -> np.ndarray:
    """``(H, W[, 3])`` -> ``(H, W)`` luminance (Rec. 601 weights) as float."""
    array = to_numpy(image)
    if array.ndim == 3:
        array = array[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return array


def imshow(ax, image, cmap=None, vmin=None, vmax=None):
    """Draw an image on ``ax`` pixel-exact: RGB clipped to [0, 1], one channel with ``cmap``."""
    array = to_numpy(image)
    if array.ndim == 2:
        return ax.imshow(array, cmap=cmap or CMAP_GRAY, vmin=vmin, vmax=vmax,
                         interpolation="nearest")
    return ax.imshow(np.clip(array, 0, 1), interpolation="nearest")


def grid_shape(n: int, ncols: int | None = None) -> tuple[int, int]:
    """``(rows, cols)`` for ``n`` panels, at most ``ncols`` wide (one row if None), balanced.

    rows = ceil(n / ncols), then cols = ceil(n / rows): 6 panels at ncols=5 give 2 rows of
    3 rather than 5 + a lone 1; 7 at ncols=4 give 4 + 3.
    """
    if n < 1:
        raise ValueError(f"A figure needs at least one panel, got {n}.")
    ncols = max(1, min(n, ncols or n))
    rows = math.ceil(n / ncols)
    return rows, math.ceil(n / rows)


def row_counts(n: int, rows: int, cols: int) -> list[int]:
    """Panels per row: as even as the grid allows, fuller rows first (7 in 3x3 -> 3, 2, 2)."""
    base, extra = divmod(n, rows)
    return [base + (row < extra) for row in range(rows)]  # ceil(n / rows) = cols at most


def _grid(n: int, ncols: int | None, size: float, height_ratio: float = 1.0):
    """A figure with ``n`` axes in the balanced grid of :func:`grid_shape`; unused axes hidden."""
    nrows, ncols = grid_shape(n, ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * height_ratio * nrows),
                             squeeze=False, constrained_layout=True)
    used = [axes[row, col] for row, count in enumerate(row_counts(n, nrows, ncols))
            for col in range(count)]
    for ax in axes.flat:
        if not any(ax is kept for kept in used):
            ax.remove()  # gone, not just blank: a colour bar or layout never counts it
    return fig, used


def show_images(images, titles=None, ncols: int | None = None, size: float = 3.0,
                cmap: str | None = None, vmin: float | None = None, vmax: float | None = None,
                colorbar: bool = False, suptitle: str | None = None):
    """A grid of images (each ``(H, W)`` or ``(H, W, 3)``, torch or numpy) with titles.

    Single-channel images use ``cmap`` (gray by default) with the shared ``vmin``/``vmax``;
    colorbar=True adds one per panel. Returns the figure.
    """
    images = list(images.values()) if isinstance(images, dict) else list(images)
    if titles is None:
        titles = [""] * len(images)
    fig, axes = _grid(len(images), ncols, size)
    for ax, image, title in zip(axes, images, titles):
        handle = imshow(ax, image, cmap, vmin, vmax)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        if colorbar and to_numpy(image).ndim == 2:
            fig.colorbar(handle, ax=ax, shrink=0.8)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def show_signed(images, titles=None, ncols: int | None = None, size: float = 3.0,
                cmap: str = CMAP_SIGNED, label: str | None = None, suptitle: str | None = None,
                limit: float | None = None):
    """Signed maps (Laplacians, errors, SDF slices) on one symmetric scale with one colour bar.

    images: ``(H, W)`` arrays (torch or numpy), a list or ``{title: map}``. Every panel
    spans ``[-limit, +limit]`` with ``limit = max |value|`` over all panels unless given, so
    0 is the middle colour (white in ``RdBu_r``) everywhere and the panels compare; the one
    colour bar is labelled ``label``. Returns the figure.
    """
    if isinstance(images, dict):
        titles, images = list(images), list(images.values())
    maps = [to_numpy(image) for image in images]
    if not maps or any(m.ndim != 2 for m in maps):
        raise ValueError("show_signed draws single-channel (H, W) maps; got shapes "
                         f"{[m.shape for m in maps]}: pass one channel, e.g. image[..., 0].")
    titles = list(titles) if titles is not None else [""] * len(maps)
    if limit is None:
        finite = [np.abs(m[np.isfinite(m)]) for m in maps]
        limit = max((float(f.max()) for f in finite if f.size), default=0.0)
    limit = float(limit) if limit and limit > 0 else 1.0  # all zero: any symmetric scale
    fig, axes = _grid(len(maps), ncols, size)
    for ax, signed, title in zip(axes, maps, titles):
        handle = ax.imshow(signed, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(handle, ax=axes, shrink=0.8, label=label or "")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


EXACT_ABOVE_DB = 100.0  # MSE 1e-10: float rounding, not a reconstruction error


def format_psnr(db, digits: int = 1, exact_above: float = EXACT_ABOVE_DB) -> str:
    """A PSNR for a title or legend: ``23.4 -> '23.4 dB'``, ``inf -> 'exact'``.

    PSNR = -10 log10(MSE) is infinite for a perfect match, and above ``exact_above`` dB
    (MSE 1e-10, an error of 1e-5 per pixel) it only measures float rounding, so both read
    "exact" rather than "inf dB" or a meaningless "137.2 dB". NaN (a diverged fit) reads
    "NaN dB": it is no match at all.
    """
    value = float(db)
    if math.isnan(value):
        return "NaN dB"
    if value > exact_above:  # includes +inf
        return "exact"
    return f"{value:.{digits}f} dB"


def psnr_title(name: str, result) -> str:
    """``'name\\ntrain 24.1 dB | test 21.3 dB'`` for a :class:`~helpers.train.FitResult`."""
    flag = ((" (diverged)" if getattr(result, "diverged", False) else "")
            + (" (collapsed)" if getattr(result, "collapsed", False) else ""))
    return (f"{name}{flag}\ntrain {format_psnr(result.train_psnr)} | "
            f"test {format_psnr(result.test_psnr)}")


def _inset_pixels(inset, height: int, width: int) -> tuple[int, int, int, int]:
    """(y0, y1, x0, x1) as fractions of the image (all <= 1) or as pixels -> pixels."""
    y0, y1, x0, x1 = inset
    if all(0 <= v <= 1 for v in inset):  # fractions; a 1-pixel crop makes no sense
        y0, y1, x0, x1 = y0 * height, y1 * height, x0 * width, x1 * width
    y0, y1 = sorted((int(round(y0)), int(round(y1))))
    x0, x1 = sorted((int(round(x0)), int(round(x1))))
    y0, x0 = max(0, y0), max(0, x0)
    y1, x1 = min(height, max(y1, y0 + 2)), min(width, max(x1, x0 + 2))
    return y0, y1, x0, x1


def _inset_norm(ax, array: np.ndarray, vmin, vmax):
    """The colour scale of the zoom: the parent panel's own (``ax.images[0]``), else the
    whole image's range (never the crop's, which would stretch a flat crop to full contrast);
    explicit ``vmin``/``vmax`` win."""
    parent = ax.images[0] if ax.images else None
    if parent is not None and vmin is None and vmax is None:
        return parent.norm  # shared: the zoom is drawn exactly as its panel
    low, high = parent.get_clim() if parent is not None else (np.nanmin(array), np.nanmax(array))
    low, high = (low if vmin is None else vmin), (high if vmax is None else vmax)
    norm = copy.deepcopy(parent.norm) if parent is not None else Normalize()  # LogNorm stays log
    norm.vmin, norm.vmax = low, high
    return norm


def add_inset(ax, image, inset, corner: str = "lower right", zoom_size: float = 0.42,
              vmin: float | None = None, vmax: float | None = None, cmap=None):
    """Draw the ``inset=(y0, y1, x0, x1)`` crop of ``image`` enlarged in a corner of ``ax``.

    inset in fractions of the image (0.25, 0.5, 0.4, 0.65) or in pixels; the crop is
    outlined on the image so the eye finds it. Every panel of a comparison gets the same
    crop, so detail can be compared at a glance. A single-channel zoom uses the panel's
    own colour map and limits (read from ``ax.images[0]``: a flat grey panel keeps a flat
    grey zoom); ``vmin``, ``vmax``, ``cmap`` override them. RGB is drawn clipped to [0, 1].
    """
    array = to_numpy(image)
    height, width = array.shape[:2]
    y0, y1, x0, x1 = _inset_pixels(inset, height, width)
    ax.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), x1 - x0, y1 - y0, fill=False,
                           edgecolor="yellow", linewidth=1.2))
    left = 1 - zoom_size - 0.02 if "right" in corner else 0.02
    bottom = 0.02 if "lower" in corner else 1 - zoom_size - 0.02
    zoom = ax.inset_axes([left, bottom, zoom_size, zoom_size])
    crop = array[y0:y1, x0:x1]
    if array.ndim == 2:
        parent = ax.images[0] if ax.images else None
        cmap = cmap or (parent.get_cmap() if parent is not None else CMAP_GRAY)
        zoom.imshow(crop, cmap=cmap, norm=_inset_norm(ax, array, vmin, vmax),
                    interpolation="nearest")
    else:
        imshow(zoom, crop)
    zoom.set_xticks([])
    zoom.set_yticks([])
    for spine in zoom.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor("yellow")
        spine.set_linewidth(1.5)
    return zoom


def compare_results(results: dict, target=None, inset=None, ncols: int | None = None,
                    size: float = 3.2, suptitle: str | None = None):
    """Reconstructions side by side, train/test PSNR in each title, target first.

    results: ``{name: FitResult}``; target: ``(H, W, 3)`` image or None; inset:
    ``(y0, y1, x0, x1)`` (fractions or pixels), the same zoomed crop on every panel.
    Returns the figure.
    """
    panels = []
    if target is not None:
        panels.append(("target", target))
    panels += [(psnr_title(name, result), result.prediction) for name, result in results.items()]
    fig, axes = _grid(len(panels), ncols, size, height_ratio=1.12)
    for ax, (title, image) in zip(axes, panels):
        imshow(ax, image)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        if inset is not None:
            add_inset(ax, image, inset)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def baseline_values(baseline) -> dict:
    """``None``, a number, a result with ``test_psnr``, or ``{label: either}`` -> ``{label: dB}``.

    A bare number or result is labelled 'bicubic', the series' reference interpolation.
    """
    if baseline is None:
        return {}
    if not isinstance(baseline, dict):
        baseline = {"bicubic": baseline}
    return {label: float(getattr(value, "test_psnr", value)) for label, value in baseline.items()}


def draw_baseline(ax, baseline) -> None:
    """A dotted horizontal line per baseline: its test PSNR, reached with no training.

    An infinite (exact) baseline has no height to draw: it gets a legend entry only. The y axis is
    labelled "PSNR (dB)" if its caller has not labelled it.
    """
    for index, (label, value) in enumerate(baseline_values(baseline).items()):
        style = dict(color=method_color(label, index + 4), linestyle=":", linewidth=2)
        if math.isfinite(value):
            ax.axhline(value, label=f"{label} test ({format_psnr(value)}, no training)", **style)
        else:  # no height to draw at: a legend entry only
            ax.plot([], [], label=f"{label} test (exact, off the scale)", **style)
    if baseline_values(baseline) and not ax.get_ylabel():
        ax.set_ylabel("PSNR (dB)")


def _log_label(value: float, _position=None) -> str:
    """A log-axis tick label in plain numbers, 3 significant digits ('0.2', '3.16', '1000');
    '1e+06' outside 1e-4 .. 1e6."""
    if not 1e-4 <= abs(value) < 1e6:
        return f"{value:.0e}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _label_ems(value: float) -> float:
    """The width of a tick label in ems (DejaVu Sans: digits 0.64, '.' 0.32, '-' 0.84)."""
    text = _log_label(value)
    return 0.64 * sum(c.isalnum() or c == "+" for c in text) + 0.32 * text.count(".") \
        + 0.84 * text.count("-")


class ReadableLogLocator(Locator):
    """Major ticks of a base-10 log axis whose labels never overlap as drawn.

    Tries, densest first, 1-2-5, 1-3 and 1 per decade, then every 2nd, 3rd... decade, and
    keeps the first set whose labels fit side by side on the axis at its current size
    (label widths from the font's digit widths). ``values`` (e.g. the knob values a sweep
    tried) replaces the candidates: every one, else every 2nd, 3rd... until they fit.
    """

    def __init__(self, values=None):
        self.values = None if values is None else sorted(float(v) for v in values if v > 0)

    def __call__(self):
        return self.tick_values(*self.axis.get_view_interval())

    def _space(self) -> tuple[float, float, bool]:
        """(axis length in points, label font size in points, horizontal?)"""
        horizontal = self.axis.axis_name == "x"
        box = self.axis.axes.bbox
        length = (box.width if horizontal else box.height) * 72.0 / self.axis.axes.figure.dpi
        size = FontProperties(size=mpl.rcParams[f"{self.axis.axis_name}tick.labelsize"])
        return length, size.get_size_in_points(), horizontal

    def _fits(self, ticks, low: float, high: float) -> bool:
        length, size, horizontal = self._space()
        span = max(math.log10(high) - math.log10(low), 1e-12)
        for a, b in zip(ticks, ticks[1:]):
            gap = (math.log10(b) - math.log10(a)) / span * length
            need = (0.5 * size * (_label_ems(a) + _label_ems(b)) if horizontal
                    else 1.2 * size) + 0.4 * size
            if gap < need:
                return False
        return True

    def tick_values(self, vmin, vmax):
        low, high = sorted((float(vmin), float(vmax)))
        if high <= 0:
            return []
        low = low if low > 0 else high * 1e-3
        if self.values is not None:
            return self._thin([v for v in self.values if low <= v <= high], low, high)
        first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
        candidates = [((1, 2, 5), 1), ((1, 3), 1)] + [((1,), n) for n in range(1, 1 + last - first)]
        chosen = []
        for subs, stride in candidates:
            ticks = [s * 10.0 ** k for k in range(first, last + 1) if k % stride == 0
                     for s in subs if low <= s * 10.0 ** k <= high]
            if self._fits(ticks, low, high):
                chosen = ticks
                break
        if len(chosen) < 2:  # a narrow range: 1..9 per decade, as many as fit
            dense = [s * 10.0 ** k for k in range(first, last + 1) for s in range(1, 10)
                     if low <= s * 10.0 ** k <= high]
            chosen = max(chosen, self._thin(dense, low, high), key=len)
        return chosen

    def _thin(self, ticks, low: float, high: float) -> list:
        """Every tick, else every 2nd, 3rd...: the densest regular subset whose labels fit."""
        for stride in range(1, len(ticks) + 1):
            if self._fits(ticks[::stride], low, high):
                return ticks[::stride]
        return ticks[:1]


def log_axis(ax, axis: str = "x", values=None) -> None:
    """Put ``ax``'s x (or y) axis on a log scale with labels that never collide.

    Major labels in plain numbers at 1-2-5, 1-3 or whole decades, whichever fits the
    axis as drawn (see :class:`ReadableLogLocator`); ``values`` labels exactly those
    values instead (thinned until they fit); minor ticks stay, unlabelled.
    """
    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}.")
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(ReadableLogLocator(values))
    target.set_major_formatter(FuncFormatter(_log_label))
    target.set_minor_locator(LogLocator(subs="auto"))
    target.set_minor_formatter(NullFormatter())


def psnr_curves(results: dict, x: str = "step", ax=None, title: str | None = None,
                show_train: bool = True, logx: bool = False, baseline=None):
    """Train (dashed) and test (solid) PSNR of each ``{name: FitResult}`` against training.

    x: 'step' or 'seconds' (wall clock of the fit, including evaluations). baseline: a
    reference drawn as a dotted line, e.g. ``helpers.run("bicubic", image)`` (see
    :func:`baseline_values`). Returns the figure.
    """
    if x not in ("step", "seconds"):
        raise ValueError(f"x must be 'step' or 'seconds', got {x!r}.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.8), constrained_layout=True)
    else:
        fig = ax.figure
    colors = assign_colors(results)
    for name, result in results.items():
        history = result.history
        color = colors[name]
        ax.plot(history[x], history["test_psnr"], color=color, linewidth=2,
                label=f"{name} test ({format_psnr(result.test_psnr)})")
        if show_train:
            ax.plot(history[x], history["train_psnr"], color=color, linestyle="--",
                    linewidth=1.4, alpha=0.8, label=f"{name} train ({format_psnr(result.train_psnr)})")
    draw_baseline(ax, baseline)
    ax.set_xlabel("training step" if x == "step" else "wall-clock seconds")
    ax.set_ylabel("PSNR (dB)")
    if logx:
        log_axis(ax, "x")
    ax.grid(alpha=0.3)
    if len(results) + len(baseline_values(baseline)) > 2:  # many curves: legend off them
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    else:
        ax.legend(loc="lower right")
    ax.set_title(title or "PSNR during training (dashed: train pixels, solid: test pixels)")
    return fig


def _hann(height: int, width: int) -> np.ndarray:
    return np.outer(np.hanning(height), np.hanning(width)) if min(height, width) > 2 \
        else np.ones((height, width))


def spectrum(image, remove_mean: bool = True, window: bool = True) -> np.ndarray:
    """Centred log10-magnitude 2-D FFT of the image's grayscale: ``(H, W[, 3])`` -> ``(H, W)``.

    Frequency (0, 0) sits at index ``(H // 2, W // 2)``; index ``W // 2 + f`` along a row
    holds f periods across the image. The mean is removed first (else the DC term
    dominates the colour scale); a Hann window fades the borders, because the FFT treats
    the image as tiled and the jump from its right edge to its left would draw a bright
    false cross on the u and v axes. Divided by the pixel count, so sizes compare.
    """
    gray = to_gray(image).astype(np.float64)
    if remove_mean:
        gray = gray - gray.mean()
    if window:
        gray = gray * _hann(*gray.shape)
    magnitude = np.abs(np.fft.fftshift(np.fft.fft2(gray))) / gray.size
    return np.log10(magnitude + 1e-7).astype(np.float32)


def radial_power(image, n_bins: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mean spectral power in rings of radius f (periods per image): ``(freqs, power)``.

    A 1-D summary of :func:`spectrum`: how much of the image lives at each frequency,
    for comparing a reconstruction's high frequencies with the target's.
    """
    gray = to_gray(image).astype(np.float64)
    gray = (gray - gray.mean()) * _hann(*gray.shape)
    power = np.abs(np.fft.fftshift(np.fft.fft2(gray)) / gray.size) ** 2
    height, width = gray.shape
    fy = np.arange(height) - height // 2
    fx = np.arange(width) - width // 2
    radius = np.hypot(*np.meshgrid(fy * (width / height), fx, indexing="ij"))
    n_bins = n_bins or min(height, width) // 2
    edges = np.linspace(0, min(height, width) / 2, n_bins + 1)
    index = np.digitize(radius.ravel(), edges) - 1
    keep = (index >= 0) & (index < n_bins)
    sums = np.bincount(index[keep], power.ravel()[keep], minlength=n_bins)
    counts = np.bincount(index[keep], minlength=n_bins)
    return 0.5 * (edges[1:] + edges[:-1]), sums / np.maximum(counts, 1)


def show_spectra(images, titles=None, size: float = 3.2, ncols: int | None = None,
                 dynamic_range: float = 5.0, suptitle: str | None = None):
    """Log-magnitude spectra of several images on one shared colour scale.

    images: a list or ``{title: image}``; the scale spans ``dynamic_range`` decades below
    the brightest value, so a reconstruction missing high frequencies looks darker
    towards the edges than its target. Axes in periods per image. Returns the figure.
    """
    if isinstance(images, dict):
        titles, images = list(images), list(images.values())
    titles = titles or [""] * len(images)
    spectra = [spectrum(image) for image in images]
    vmax = max(float(s.max()) for s in spectra)
    vmin = vmax - dynamic_range
    fig, axes = _grid(len(spectra), ncols, size)
    for ax, spec, title in zip(axes, spectra, titles):
        height, width = spec.shape
        extent = (-width // 2 - 0.5, width - width // 2 - 0.5,
                  height - height // 2 - 0.5, -height // 2 - 0.5)
        handle = ax.imshow(spec, cmap=CMAP_SPECTRUM, vmin=vmin, vmax=vmax, extent=extent,
                           interpolation="nearest")
        ax.set_title(title)
        ax.set_xlabel("u frequency (periods/image)")
        ax.set_ylabel("v frequency")
    fig.colorbar(handle, ax=axes, shrink=0.8, label="log10 |FFT|")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def add_noise_at_psnr(image, target_psnr: float, seed: int = 0) -> np.ndarray:
    """The image plus Gaussian noise whose MSE gives ``target_psnr`` dB (after clipping to [0, 1]).

    PSNR = -10 log10(MSE) and Gaussian noise of std sigma has MSE sigma², so
    sigma = 10^(-PSNR / 20). Clipping at 0 and 1 removes some of the noise, so sigma is
    then rescaled (same noise draw) until the clipped image hits the target.
    """
    clean = to_numpy(image).astype(np.float64)
    noise = np.random.default_rng(seed).standard_normal(clean.shape)
    target_mse = 10.0 ** (-target_psnr / 10.0)

    def mse_at(sigma):
        return float(np.mean((np.clip(clean + sigma * noise, 0, 1) - clean) ** 2))

    low, high = 0.0, 10.0 ** (-target_psnr / 20.0)  # the formula's sigma, before clipping
    while mse_at(high) < target_mse and high < 100:
        high *= 2
    for _ in range(60):  # bisection: the clipped MSE grows with sigma
        mid = 0.5 * (low + high)
        low, high = (mid, high) if mse_at(mid) < target_mse else (low, mid)
    return np.clip(clean + high * noise, 0, 1).astype(np.float32)


def psnr_strip(image, levels=(15, 20, 25, 30), seed: int = 0, size: float = 3.0,
               inset=None):
    """The same image at several PSNRs (noise of the matching MSE), to calibrate the eye.

    Returns ``(figure, noisy_images)``; each title gives the PSNR measured on the noisy
    image, which matches its level within 0.1 dB.
    """
    clean = to_numpy(image)
    noisy = [add_noise_at_psnr(clean, level, seed) for level in levels]
    measured = [-10 * math.log10(float(np.mean((n - clean) ** 2))) for n in noisy]
    fig, axes = _grid(len(noisy) + 1, None, size)
    panels = [(clean, "original")] + [(n, format_psnr(p)) for n, p in zip(noisy, measured)]
    for ax, (picture, title) in zip(axes, panels):
        imshow(ax, picture)
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
        if inset is not None:
            add_inset(ax, picture, inset)
    fig.suptitle("What PSNR numbers look like: the same image with noise of MSE = 10^(-PSNR/10)")
    return fig, noisy


def snapshot_psnrs(result, target=None) -> list:
    """``(train_psnr, test_psnr)`` or None for each of ``result.snapshots``.

    With the target image, computed from the snapshot itself (exact up to 8-bit
    rounding); without it, the PSNRs recorded at the snapshot's step (fit takes snapshots
    at evaluation steps), else None.
    """
    out = []
    if target is not None:
        clean = to_numpy(target)
        for _, frame in result.snapshots:
            pred = to_numpy(frame)
            train = float(np.mean((pred[::2, ::2] - clean[::2, ::2]) ** 2))
            test = float(np.mean((pred[1::2, 1::2] - clean[1::2, 1::2]) ** 2))
            out.append(tuple(math.inf if m <= 0 else -10 * math.log10(m) for m in (train, test)))
        return out
    history = result.history
    index = {step: i for i, step in enumerate(history.get("step", []))}
    return [(history["train_psnr"][index[step]], history["test_psnr"][index[step]])
            if step in index and "train_psnr" in history else None
            for step, _ in result.snapshots]


def snapshot_label(result, index: int, psnrs=None) -> str:
    """``'step 75 / 150 | test 17.3 dB'`` for snapshot ``index`` of a FitResult."""
    step = result.snapshots[index][0]
    label = f"step {step} / {result.steps}"
    psnrs = snapshot_psnrs(result) if psnrs is None else psnrs
    if psnrs[index] is not None:
        label += (f" | train {format_psnr(psnrs[index][0])}, "
                  f"test {format_psnr(psnrs[index][1])}")
    return label
