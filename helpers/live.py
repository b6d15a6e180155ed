"""Watch it train: the reconstruction and the PSNR curves, redrawn in place while a fit runs.

The live streams this series descends from logged images every few steps because viewers
like to see the result while it trains. :class:`LiveView` is an ``on_eval(step, values)``
hook for :func:`helpers.loop.optimize` (``fit(..., live=True)`` passes one): at an
evaluation it draws one figure, the current reconstruction with a zoom inset beside the
train/test PSNR curves (and a dashed line for the classical baseline when given), and
replaces the previous frame in the same output area (an IPython display handle,
``update_display``), so a notebook keeps exactly one frame, the last.

Drawing costs time, so it draws at most every ``min_seconds`` and never more often than
``10 x`` its own drawing time: the view costs at most about a tenth of the run whatever
the machine (``benchmarks/bench_fit.py`` measures it). Default: on in a Jupyter/Colab
kernel, off on the command line; ``NB_LIVE=0`` turns it off everywhere. Used by the main
fit of notebooks 02-06. A fit replayed from the result cache (:mod:`helpers.cache`) has
nothing to watch; :func:`replay_frame` shows the frame it ended on, so a re-run cell looks
the same. :class:`ProgressLine` is the notebook's progress bar: a line of text, not a widget.
"""
from __future__ import annotations

import io
import math
import os
import time
from typing import Callable



def in_notebook() -> bool:
    """True inside a Jupyter/Colab kernel (an IPython shell with a kernel), else False."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def live_default() -> bool:
    """Whether ``live=None`` means on: in a notebook kernel, unless ``NB_LIVE=0``."""
    return os.environ.get("NB_LIVE", "") not in ("0", "off", "false") and in_notebook()


def wanted(live: bool | None, progress: bool = True, n_snapshots: int | None = None) -> bool:
    """``fit``'s rule: ``live`` if given, else on for a fit to watch (progress shown,
    snapshots kept) in a notebook kernel."""
    if live is not None:
        return bool(live)
    return progress and n_snapshots != 0 and live_default()


class LiveView:
    """``on_eval`` hook that redraws one figure in place: reconstruction + PSNR curves.

    image_fn() -> ``(H, W, 3)`` current reconstruction (called only when a frame is drawn).
    target: the image (for the inset's reference, optional); inset: ``(y0, y1, x0, x1)``
    in fractions or pixels; baseline: ``{"name": test_psnr}`` drawn as dashed lines (e.g.
    bicubic); steps: the run's length (fixes the x axis); min_seconds: the least time
    between frames. Call :meth:`close` after training for the final frame.
    """

    def __init__(self, image_fn: Callable, steps: int, title: str = "training",
                 inset=None, baseline: dict | None = None, min_seconds: float = 1.0,
                 size: float = 3.4, display: bool = True):
        self.image_fn, self.steps, self.title = image_fn, steps, title
        self.inset, self.baseline = inset, dict(baseline or {})
        self.min_seconds, self.size, self.display = min_seconds, size, display
        self.history = {"step": [], "train_psnr": [], "test_psnr": []}
        self.frames, self.draw_seconds = 0, 0.0
        self._handle, self._last, self._cost, self._step = None, -math.inf, 0.0, None

    def __call__(self, step: int, values: dict) -> None:
        """Record one evaluation; draw a frame if enough time has passed."""
        self._step = step
        for key in ("train_psnr", "test_psnr"):
            if key in values:
                self.history[key].append(float(values[key]))
        if len(self.history["step"]) < max(len(self.history["train_psnr"]),
                                           len(self.history["test_psnr"])):
            self.history["step"].append(step)
        now = time.perf_counter()
        if now - self._last >= max(self.min_seconds, 10 * self._cost):
            self.draw()

    def draw(self) -> bytes:
        """Render the current frame to PNG and show it in (or replace) the output area."""
        tick = time.perf_counter()
        png = self.render(self.image_fn())
        if self.display:
            from IPython.display import Image, display

            if self._handle is None:
                self._handle = display(Image(data=png), display_id=True)
            else:
                self._handle.update(Image(data=png))
        self._last = time.perf_counter()
        self._cost = self._last - tick
        self.draw_seconds += self._cost
        self.frames += 1
        return png

    def render(self, image) -> bytes:
        """One frame as PNG bytes: ``image`` with its inset, beside the PSNR curves."""
        from matplotlib.figure import Figure

        from .plots import add_inset, imshow, to_numpy

        array = to_numpy(image)
        fig = Figure(figsize=(self.size * 2.3, self.size))  # fixed layout: constrained costs 2x
        ax_image, ax_curve = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})
        fig.subplots_adjust(left=0.02, right=0.98, bottom=0.15, top=0.86, wspace=0.18)
        imshow(ax_image, array)
        ax_image.set_xticks([])
        ax_image.set_yticks([])
        test = self.history["test_psnr"]
        # the title is the model's label (e.g. 'Gaussian σ=10 (256) → MLP relu'): its own line
        ax_image.set_title(f"{self.title}\nstep {self._step}"
                           + (f", test {test[-1]:.1f} dB" if test else ""), fontsize=10)
        if self.inset is not None:
            add_inset(ax_image, array, self.inset)
        steps = self.history["step"]
        if self.history["train_psnr"]:
            ax_curve.plot(steps[:len(self.history["train_psnr"])], self.history["train_psnr"],
                          "--", color="C0", label="train pixels")
        if test:
            ax_curve.plot(steps[:len(test)], test, color="C0", linewidth=2, label="test pixels")
        for index, (name, value) in enumerate(self.baseline.items()):
            ax_curve.axhline(value, color=f"C{index + 1}", linestyle=":", linewidth=1.5,
                             label=f"{name} (test) {value:.1f} dB")
        ax_curve.set_xlim(0, max(self.steps, 1))
        ax_curve.set_xlabel("training step")
        ax_curve.set_ylabel("PSNR (dB)")
        ax_curve.grid(alpha=0.3)
        ax_curve.legend(loc="lower right", fontsize=8)
        ax_curve.set_title("PSNR while training")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=72)
        return buffer.getvalue()

    def close(self) -> None:
        """Draw the final frame (the finished model), whatever the throttle said."""
        if self._step is not None:
            self.draw()


class ProgressLine:
    """A progress bar drawn as one line of text in one output area, removed when closed.

    tqdm's notebook bar is a widget: its output stays in the saved notebook and, the bar
    closed or the kernel gone, JupyterLab shows "Error displaying widget: model not found"
    where it was after a reload. This line is plain text replaced in place (a display
    handle, as :class:`LiveView` does) and emptied by :meth:`close` (tqdm's
    ``leave=False``), so a saved notebook keeps nothing of it. The text is tqdm's, e.g.
    ``Gaussian σ=10 (256) → MLP relu:  40%|████      | 60/150 [00:01<00:01, 52.1step/s, ...]``.
    Methods: ``update(n)``, ``set_postfix_str(text)``, ``close()``; ``n`` is the steps done.
    Redrawn at most every ``min_seconds`` (and when it reaches ``total``).
    """

    def __init__(self, total: int, description: str = "", min_seconds: float = 0.2,
                 display: bool = True):
        self.total, self.description, self.min_seconds = total, description, min_seconds
        self.n, self.postfix, self.text, self.closed = 0, "", "", False
        self._start, self._last, self._handle = time.perf_counter(), -math.inf, None
        self.display = display
        self._draw()

    def update(self, n: int = 1) -> None:
        self.n += n
        if self.n >= self.total or time.perf_counter() - self._last >= self.min_seconds:
            self._draw()

    def set_postfix_str(self, text: str) -> None:
        self.postfix = text

    def _draw(self) -> None:
        from tqdm import tqdm

        self.text = tqdm.format_meter(self.n, self.total, time.perf_counter() - self._start,
                                      prefix=self.description, unit="step",
                                      postfix=self.postfix or None)
        self._show({"text/plain": self.text})
        self._last = time.perf_counter()

    def _show(self, bundle: dict) -> None:
        if not self.display:
            return
        from IPython.display import display

        if self._handle is None:
            self._handle = display(bundle, raw=True, display_id=True)
        else:
            self._handle.update(bundle, raw=True)

    def close(self) -> None:
        """Empty the output area: the finished bar leaves nothing in the notebook."""
        if not self.closed:
            self.closed, self.text = True, ""
            self._show({})


def replay_frame(result, title: str = "replay", inset=None,
                 baseline: dict | None = None) -> LiveView:
    """The last frame of a replayed fit, from ``result.history`` and ``result.prediction``:
    the frame its live view ended on."""
    view = LiveView(lambda: result.prediction, steps=result.steps, title=title, inset=inset,
                    baseline=baseline)
    for key in ("step", "train_psnr", "test_psnr"):
        view.history[key] = [float(v) for v in result.history.get(key, [])]
    view._step = result.steps
    view.close()
    return view
