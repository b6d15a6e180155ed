"""Slider panels: scrub through a training run, or retrain when a knob moves.

Only the ipywidgets API common to versions 7 and 8 (IntSlider, FloatLogSlider,
SelectionSlider, Dropdown, Output, VBox, interactive), so the panels work in Jupyter and on
Colab. Each panel draws
once when its cell runs (so it also renders under nbval and in exported notebooks), and
sliders use ``continuous_update=False`` so dragging does not queue up work. Panels draw into
a :class:`~helpers.kernel_output.KernelOutput`, an Output the kernel fills, so nbconvert and
papermill never stall on them; ``interactive`` here is ipywidgets' drawing into one.
"""
from __future__ import annotations

import contextlib
import math
import time
from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import traitlets  # ipywidgets' own dependency; a KnobGroup's value is a trait

from . import plots, site_frames
from .kernel_output import KernelOutput, interactive  # noqa: F401 (interactive: for notebooks)


def snapshot_scrubber(result, target=None, title: str = "training", size: float = 3.6,
                      show_curve: bool = True):
    """A slider over ``result.snapshots``: the frame at each step with its PSNR.

    result: a :class:`~helpers.train.FitResult` with snapshots; target: the image it was
    fitted to (shown alongside, and used to give every frame its exact PSNR). With
    show_curve the PSNR curves are drawn with a marker at the frame's step. The slider
    reads the training step; its value is the snapshot's index. Returns the widget (the
    last line of a cell displays it).
    """
    if not result.snapshots:
        raise ValueError("this result has no snapshots; fit with n_snapshots > 0 "
                         "(e.g. n_snapshots=10) to scrub through training.")
    psnrs = plots.snapshot_psnrs(result, target)
    steps = [(str(step), index) for index, (step, _) in enumerate(result.snapshots)]
    slider = widgets.SelectionSlider(options=steps, value=len(steps) - 1, description="step",
                                     continuous_update=False)

    def draw(snapshot):
        step, frame = result.snapshots[snapshot]
        n_panels = 1 + (target is not None) + bool(show_curve)
        fig, axes = plt.subplots(1, n_panels, figsize=(size * n_panels * 1.05, size),
                                 constrained_layout=True, squeeze=False)
        axes = list(axes[0])
        ax = axes.pop(0)
        ax.imshow(frame, interpolation="nearest")
        ax.set_title(f"{title}\n{plots.snapshot_label(result, snapshot, psnrs)}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        if target is not None:
            ax = axes.pop(0)
            ax.imshow(plots.to_numpy(target), interpolation="nearest")
            ax.set_title("target")
            ax.set_xticks([])
            ax.set_yticks([])
        if show_curve:
            ax = axes.pop(0)
            plots.psnr_curves({title: result}, ax=ax, title="PSNR (marker: this snapshot)")
            ax.axvline(step, color="black", linewidth=1)
        plt.show()

    return interactive(draw, snapshot=slider)


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


class KnobValues(tuple):
    """The values of a :class:`KnobGroup`: a tuple (a cache key) that prints as ``(10, 256)``."""

    def __str__(self) -> str:
        return "(" + ", ".join(_format(v) for v in self) + ")"


class KnobGroup(widgets.HBox):
    """Several knobs in a row acting as one: ``value`` is the tuple of their values."""

    value = traitlets.Any()

    def __init__(self, knobs, description: str | None = None):
        knobs = list(knobs)
        super().__init__(knobs)
        self.knobs = knobs
        self.description = description or "(" + ", ".join(k.description for k in knobs) + ")"
        for knob in knobs:
            knob.observe(self._sync, names="value")
        self._sync()

    def _sync(self, change=None):
        if not getattr(self, "_holding", False):
            self.value = KnobValues(knob.value for knob in self.knobs)

    @contextlib.contextmanager
    def holding(self):
        """Change several knobs inside ``with group.holding():`` and retrain once, after."""
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
            self._sync()


def _same(a, b) -> bool:
    """Equal, or for numbers close (a log slider's 10**x in a browser differs in the last digit)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            math.isclose(a, b, rel_tol=1e-6)
    return a == b


class RetrainPanel(widgets.VBox):
    """Knobs and an output: moving a knob trains (or recalls) a model and draws it.

    One knob widget, or a list of them (then shown as a :class:`KnobGroup` and keyed by the
    tuple of values). Made by :func:`retrain_panel` and :func:`retrain_panel_multi`.
    ``panel.cache`` is ``{value: FitResult}``; values in it show instantly, so notebooks
    precompute the interesting ones. ``panel.knob`` is the knob (or the group).
    ``baseline`` (e.g. ``helpers.run("bicubic", preview_image)``) is drawn as a dotted line
    on the sweep plot: the classical answer the knob's values are compared with.
    """

    def __init__(self, knobs, train_fn: Callable, target=None, precomputed=None,
                 name: str | None = None, show_spectrum: bool = True, show_sweep: bool = True,
                 inset=None, size: float = 3.2, sweep_index: int = 0, baseline=None):
        self.many = isinstance(knobs, (list, tuple))
        self.knobs = list(knobs) if self.many else [knobs]
        for knob in self.knobs:
            if hasattr(knob, "continuous_update"):
                knob.continuous_update = False  # train once per release, not once per pixel
        self.knob = KnobGroup(self.knobs, description=name) if self.many else knobs
        self.train_fn, self.target, self.inset, self.size = train_fn, target, inset, size
        self.name = name or getattr(self.knob, "description", "") or "value"
        self.show_spectrum, self.show_sweep, self.sweep_index = show_spectrum, show_sweep, sweep_index
        self.baseline = baseline
        self.cache = {self._as_key(k): v for k, v in (precomputed or {}).items()}
        self.output = KernelOutput()  # filled by the kernel: Run All never stalls on it
        self.knob.observe(lambda change: self.render(change["new"]), names="value")
        super().__init__([self.knob, self.output])
        self.render(self.knob.value)
        site_frames.capture_retrain_panel(self)  # only with NB_SITE_FRAMES: the static site

    def _as_key(self, value):
        return KnobValues(value) if self.many else value

    def _parts(self, value) -> tuple:
        return tuple(value) if self.many else (value,)

    def _key(self, value):
        """The cached key equal (or, for numbers, close) to ``value``, else None."""
        if value in self.cache:
            return self._as_key(value)
        parts = self._parts(value)
        for key in self.cache:
            if all(_same(a, b) for a, b in zip(self._parts(key), parts)):
                return key
        return None

    def result(self, value):
        """The FitResult for ``value``: from the cache, else trained now and cached."""
        key = self._key(value)
        if key is None:
            key = self._as_key(value)
            self.cache[key] = self.train_fn(*value) if self.many else self.train_fn(value)
        return self.cache[key]

    def render(self, value):
        """Draw the panel for ``value``; a failure becomes a one-sentence message."""
        with self.output:
            self.output.clear_output(wait=True)
            cached = self._key(value) is not None
            if not cached:
                print(f"training with {self.name} = {_format(self._as_key(value))} ...")
            start = time.perf_counter()
            try:
                result = self.result(value)
            except Exception as error:  # a slider end must never leave a traceback
                self.output.clear_output(wait=True)
                message = str(error).strip().split("\n")[0] or type(error).__name__
                print(f"Could not train with {self.name} = {_format(self._as_key(value))}: "
                      f"{message} Move the slider to another value.")
                return
            self.output.clear_output(wait=True)
            seconds = time.perf_counter() - start
            note = "precomputed" if cached else f"trained in {seconds:.1f} s"
            self._draw(self._as_key(value), result, note)

    def _draw(self, value, result, note: str):
        n_panels = 1 + (self.target is not None) + self.show_spectrum + self.show_sweep
        fig, axes = plt.subplots(1, n_panels, figsize=(self.size * n_panels * 1.08, self.size + 0.4),
                                 constrained_layout=True, squeeze=False)
        axes = list(axes[0])
        if self.target is not None:
            _image_axis(axes.pop(0), self.target, "target", self.inset)
        _image_axis(axes.pop(0), result.prediction,
                    plots.psnr_title(f"{self.name} = {_format(value)} ({note})", result),
                    self.inset, fontsize=10)
        if self.show_spectrum:
            _spectrum_axis(axes.pop(0), result.prediction, self.target)
        if self.show_sweep:
            self._draw_sweep(axes.pop(0), self._parts(value))
        plt.show()
        # the numbers as text too: readable without zooming, copyable, checkable in a browser
        print(f"{self.name} = {_format(value)}: train {plots.format_psnr(result.train_psnr, 2)}, "
              f"test {plots.format_psnr(result.test_psnr, 2)} ({note})")

    def _draw_sweep(self, ax, current: tuple):
        """Train (dashed), validation (dotted, for choosing) and test (solid) PSNR along knob
        ``sweep_index``, over the cached results whose other knobs equal the current ones,
        and the baseline's test PSNR."""
        i = self.sweep_index
        rows = sorted((self._parts(key)[i], result) for key, result in self.cache.items()
                      if isinstance(self._parts(key)[i], (int, float))
                      and all(_same(a, b) for j, (a, b) in enumerate(zip(self._parts(key), current))
                              if j != i))
        label = self.knobs[i].description if self.many else self.name
        if rows:
            values = [v for v, _ in rows]
            ax.plot(values, [r.train_psnr for _, r in rows], "o--", color="#555555",
                    label="train pixels")
            if all(getattr(r, "val_psnr", None) is not None for _, r in rows):
                ax.plot(values, [r.val_psnr for _, r in rows], "o:", color="#1f77b4",
                        label="validation pixels")
            ax.plot(values, [r.test_psnr for _, r in rows], "o-", color="#1f77b4", linewidth=2,
                    label="test pixels")
            ax.axvline(current[i], color="black", linewidth=1)
            if isinstance(self.knobs[i], widgets.FloatLogSlider) or (
                    min(values) > 0 and max(values) / min(values) > 50):
                # under two decades: label the values tried (as many as fit side by side)
                plots.log_axis(ax, "x", values if max(values) / min(values) < 100 else None)
        plots.draw_baseline(ax, self.baseline)
        if rows or self.baseline is not None:
            # below the axes: inside, it covers points at one end or the other
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8,
                      frameon=False)
        others = ", ".join(f"{k.description} {_format(v)}" for j, (k, v)
                           in enumerate(zip(self.knobs, current)) if j != i)
        ax.set_xlabel(label)
        ax.set_ylabel("PSNR (dB)")
        ax.grid(alpha=0.3)
        ax.set_title(f"every {label} tried" + (f" ({others})" if others else ""), fontsize=10)


def _image_axis(ax, image, title: str, inset=None, fontsize=None) -> None:
    plots.imshow(ax, image)
    ax.set_title(title, fontsize=fontsize)
    ax.set_xticks([])
    ax.set_yticks([])
    if inset is not None:
        plots.add_inset(ax, image, inset)


def _spectrum_axis(ax, image, target=None) -> None:
    """The log power spectrum of ``image``, on the target's colour scale (5 decades)."""
    spec = plots.spectrum(image)
    reference = plots.spectrum(target) if target is not None else spec
    height, width = spec.shape
    extent = (-width // 2 - 0.5, width - width // 2 - 0.5,
              height - height // 2 - 0.5, -height // 2 - 0.5)
    ax.imshow(spec, cmap=plots.CMAP_SPECTRUM, vmin=float(reference.max()) - 5,
              vmax=float(reference.max()), extent=extent, interpolation="nearest")
    ax.set_title("spectrum of the reconstruction")
    ax.set_xlabel("u frequency (periods/image)")
    ax.set_ylabel("v frequency")


def retrain_panel(knob, train_fn: Callable, target=None, precomputed=None, name: str | None = None,
                  show_spectrum: bool = True, show_sweep: bool = True, inset=None,
                  size: float = 3.2, baseline=None) -> RetrainPanel:
    """A panel that retrains ``train_fn(value) -> FitResult`` when ``knob`` moves.

    knob: any value widget, e.g. ``FloatLogSlider`` for sigma or ``IntSlider`` for L
    (continuous_update is switched off). precomputed: ``{value: FitResult}`` shown
    instantly. Draws target (if given), reconstruction with train/test PSNR, optionally
    its spectrum and the PSNR of every value tried so far, with ``baseline`` (a result or
    a number, e.g. bicubic of the same image) as a dotted line. Renders once now; a
    training error is shown as one sentence instead of a traceback. Returns the widget.
    """
    return RetrainPanel(knob, train_fn, target=target, precomputed=precomputed, name=name,
                        show_spectrum=show_spectrum, show_sweep=show_sweep, inset=inset,
                        size=size, baseline=baseline)


def retrain_panel_multi(knobs, train_fn: Callable, target=None, precomputed=None,
                        sweep_index: int = 0, name: str | None = None, show_spectrum: bool = True,
                        show_sweep: bool = True, inset=None, size: float = 3.2,
                        baseline=None) -> RetrainPanel:
    """:func:`retrain_panel` for several knobs: ``train_fn(*values) -> FitResult``.

    knobs: a list of value widgets (e.g. a ``FloatLogSlider`` for sigma and a
    ``SelectionSlider`` for the number of features); precomputed: ``{(v1, v2, ...):
    FitResult}``; sweep_index: the knob along which the PSNR-so-far plot runs.
    ``panel.knob.holding()`` changes several knobs with one retrain.
    """
    return RetrainPanel(list(knobs), train_fn, target=target, precomputed=precomputed,
                        name=name, show_spectrum=show_spectrum, show_sweep=show_sweep,
                        inset=inset, size=size, sweep_index=sweep_index, baseline=baseline)


def log_values(low: float, high: float, per_decade: int = 4) -> list[float]:
    """The values a ``FloatLogSlider(base=10, step=1/per_decade)`` can take from low to high.

    Use them as keys when precomputing, so a precomputed value equals the slider's value.
    """
    lo, hi = math.log10(low), math.log10(high)
    exponents = np.round(np.arange(lo, hi + 1e-9, 1 / per_decade), 6)
    return [float(10 ** e) for e in exponents]
