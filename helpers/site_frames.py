"""Sliders without a kernel: every value a panel can show for free, rendered as it runs.

``python -m helpers site`` runs the series with ``NB_SITE_FRAMES=DIR`` set. Then each slider
panel (:class:`~helpers.widgets.RetrainPanel`, ``interactive`` and with it the snapshot
scrubber) draws, right after its first render, every value it can show WITHOUT training:

- a RetrainPanel its ``cache`` (the precomputed results, replays of the result cache);
- an ``interactive`` every combination of its controls' values (at most MAX_FRAMES); a
  combination whose drawing would train (:data:`helpers.loop.GUARDS` stops it before the
  first step) is listed as trained on demand instead.

Each frame is the figures the live panel draws, stacked into one WebP at the size shown, and
the text it prints (the numbers). One JSON line per panel goes to ``DIR/manifest.jsonl``,
keyed by the panel widget's ``model_id`` (the id in the executed notebook's output)::

    {"model_id", "label", "controls": [{"label", "values"}], "values": [[i, ...] per frame],
     "frames": [file], "sizes": [[w, h]], "numbers": [text], "initial": i,
     "trained_on_demand": [[value label, ...] per control]}

Frames go to ``DIR/frames/`` named by their content, so a frame two panels share is one file.
Drawing here trains nothing, records no fit (run-notebooks' table) and leaves the random
state as it was, so the notebook's own numbers are those of a run without the site.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import itertools
import json
import os
import random
from pathlib import Path

ENV = "NB_SITE_FRAMES"
MAX_FRAMES = 150      # combinations drawn per panel (11's camera at the full budget: 120)
MAX_OPTIONS = 400     # a control with more positions than this is not enumerated
QUALITY = 82          # WebP quality: text in figures stays crisp, a frame ~10-40 kB
MAX_WIDTH = 1100      # the site's column (helpers/tools/site.py's CSS): wider is never shown

_blocking = False     # True while frames are drawn: training raises WouldTrain
_tried = False        # set when a drawing tried to train


class WouldTrain(Exception):
    """Raised at the start of a training while a panel's frames are drawn."""


def enabled() -> bool:
    """Whether this kernel renders frames (``NB_SITE_FRAMES`` names a folder)."""
    return bool(os.environ.get(ENV, "").strip())


def _guard() -> None:
    global _tried
    if _blocking:
        _tried = True
        raise WouldTrain("the static site shows values that need no training")


@contextlib.contextmanager
def _drawing_only():
    """No training, no fit records, the random state (torch, numpy, random) untouched."""
    import numpy as np
    import torch

    from . import loop, train

    global _blocking
    if _guard not in loop.GUARDS:
        loop.GUARDS.append(_guard)
    recorders = train.RECORDERS[:]
    train.RECORDERS.clear()
    numpy_state, python_state = np.random.get_state(), random.getstate()
    _blocking = True
    try:
        with torch.random.fork_rng(devices=range(torch.cuda.device_count())):
            yield
    finally:
        _blocking = False
        train.RECORDERS[:] = recorders
        np.random.set_state(numpy_state)
        random.setstate(python_state)


def to_webp(images: list[bytes], widths: list[int | None]) -> tuple[bytes, tuple[int, int]]:
    """PNG/JPEG bytes, each at its shown width (None: as drawn; at most MAX_WIDTH), stacked
    top to bottom on white -> (WebP bytes, (width, height))."""
    from PIL import Image

    pictures = []
    for data, width in zip(images, widths):
        picture = Image.open(io.BytesIO(data))
        picture = picture.convert("RGBA") if "A" in picture.getbands() else picture.convert("RGB")
        width = min(int(width or picture.width), MAX_WIDTH)  # retina figures: half their pixels
        if width < picture.width:
            picture = picture.resize((width, round(picture.height * width / picture.width)),
                                     Image.LANCZOS)
        pictures.append(picture)
    size = (max(p.width for p in pictures), sum(p.height for p in pictures))
    canvas = Image.new("RGB", size, "white")
    y = 0
    for picture in pictures:
        canvas.paste(picture, (0, y), picture if picture.mode == "RGBA" else None)
        y += picture.height
    buffer = io.BytesIO()
    canvas.save(buffer, "WEBP", quality=QUALITY, method=4)
    return buffer.getvalue(), size


def image_bytes(data) -> bytes:
    """An output's image/png or image/jpeg value (base64 text, or bytes) as bytes."""
    if isinstance(data, bytes):
        return data if data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1") \
            or data[:3] == b"\xff\xd8\xff" else base64.b64decode(data)
    return base64.b64decode(data)


def frame_of(outputs: list[dict]) -> tuple[list[bytes], list, str]:
    """Notebook-style outputs -> (images, their shown widths, the printed text)."""
    images, widths, text = [], [], []
    for item in outputs:
        if item.get("output_type") == "stream" and item.get("name") == "stdout":
            text.append(item.get("text", ""))
            continue
        data, metadata = item.get("data", {}), item.get("metadata", {})
        for mime in ("image/png", "image/jpeg"):
            if mime in data:
                images.append(image_bytes(data[mime]))
                widths.append((metadata.get(mime) or {}).get("width"))
                break
    return images, widths, "".join(text).strip()


def _captured(draw) -> tuple[list[dict], bool]:
    """Run ``draw()`` with its prints and displays captured -> (outputs, whether it tried
    to train)."""
    import matplotlib.pyplot as plt
    from IPython.utils.capture import capture_output
    from ipywidgets.widgets.interaction import show_inline_matplotlib_plots

    global _tried
    _tried = False
    before = set(plt.get_fignums())
    with capture_output() as captured:
        try:
            draw()
            show_inline_matplotlib_plots()
        except WouldTrain:
            pass
    for number in set(plt.get_fignums()) - before:  # a drawing stopped half-way
        plt.close(number)
    outputs = [{"output_type": "stream", "name": "stdout", "text": captured.stdout}]
    outputs += [{"output_type": "display_data", "data": o.data, "metadata": o.metadata or {}}
                for o in captured.outputs]
    return outputs, _tried


def _label(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def options(widget) -> list[tuple[str, object]] | None:
    """Every (label, value) a control offers, or None (free text, too many positions)."""
    import ipywidgets as widgets

    if hasattr(widget, "_options_labels") and hasattr(widget, "_options_values"):
        return list(zip(widget._options_labels, widget._options_values))
    if isinstance(widget, (widgets.Checkbox, widgets.ToggleButton)):
        return [("False", False), ("True", True)]
    if isinstance(widget, (widgets.FloatLogSlider, widgets.IntSlider, widgets.FloatSlider)):
        n = int(round((widget.max - widget.min) / widget.step)) + 1
        if n > MAX_OPTIONS:
            return None
        if isinstance(widget, widgets.FloatLogSlider):
            values = [float(round(widget.base ** (widget.min + i * widget.step), 12))
                      for i in range(n)]
        elif isinstance(widget, widgets.IntSlider):
            values = [int(widget.min + i * widget.step) for i in range(n)]
        else:
            values = [float(round(widget.min + i * widget.step, 12)) for i in range(n)]
        return [(_label(v), v) for v in values]
    return None


def _same(a, b) -> bool:
    from .widgets import _same as same

    return same(a, b)


def _labelled(value, offered) -> str:
    for label, option in offered or []:
        if _same(option, value):
            return str(label)
    return _label(value)


def write_panel(model_id: str, label: str, controls: list, combos: list, initial: int,
                frames: list[list[dict]], offered: list) -> dict | None:
    """Save one panel's frames and its manifest line; returns the line (None: no frame).

    controls: the controls' descriptions; combos: each frame's values (a tuple per frame);
    frames: each frame's outputs; offered: each control's (label, value) options or None.
    """
    folder = Path(os.environ[ENV]).expanduser()
    (folder / "frames").mkdir(parents=True, exist_ok=True)
    kept, names, sizes, numbers = [], [], [], []
    for combo, outputs in zip(combos, frames):
        images, widths, text = frame_of(outputs)
        if not images:
            continue
        data, size = to_webp(images, widths)
        name = hashlib.sha1(data).hexdigest()[:16] + ".webp"
        (folder / "frames" / name).write_bytes(data)
        kept.append(combo)
        names.append(name)
        sizes.append(list(size))
        numbers.append(text)
    if not kept:
        return None
    shown = [[_labelled(c[i], offered[i]) for c in kept] for i in range(len(controls))]
    columns = []
    for i, labels in enumerate(shown):  # each control's values in the order it offers them
        order = [str(l) for l, _ in offered[i]] if offered[i] else []
        distinct = list(dict.fromkeys(labels))
        distinct.sort(key=lambda l: order.index(l) if l in order else len(order))
        columns.append(distinct)
    entry = {
        "model_id": model_id, "label": label,
        "controls": [{"label": c, "values": v} for c, v in zip(controls, columns)],
        "values": [[columns[i].index(shown[i][k]) for i in range(len(controls))]
                   for k in range(len(kept))],
        "frames": names, "sizes": sizes, "numbers": numbers,
        "initial": kept.index(combos[initial]) if combos[initial] in kept else 0,
        "trained_on_demand": [[str(l) for l, _ in (offered[i] or []) if str(l) not in columns[i]]
                              for i in range(len(controls))],
    }
    with open(folder / "manifest.jsonl", "a", encoding="utf-8") as file:
        file.write(json.dumps(entry) + "\n")
    return entry


def capture_retrain_panel(panel) -> dict | None:
    """Every cached value of a :class:`~helpers.widgets.RetrainPanel`, drawn as it shows it."""
    if not enabled():
        return None
    keys = list(panel.cache)
    with contextlib.suppress(TypeError):
        keys.sort()
    initial = panel._key(panel.knob.value)
    offered = [options(knob) for knob in panel.knobs]
    frames = []
    with _drawing_only():
        for key in keys:
            if key == initial:
                frames.append([dict(o) for o in panel.output.outputs])  # drawn already
            else:
                frames.append(_captured(lambda: panel._draw(key, panel.cache[key],
                                                            "precomputed"))[0])
    combos = [panel._parts(key) for key in keys]
    start = keys.index(initial) if initial in keys else 0
    return write_panel(panel.model_id, panel.name, [k.description or f"knob {i + 1}"
                                                    for i, k in enumerate(panel.knobs)],
                       combos, start, frames, offered)


def capture_interactive(panel) -> dict | None:
    """Every combination of an ``interactive``'s control values that draws without training."""
    if not enabled():
        return None
    from IPython.display import display

    controls = [w for w in panel.kwargs_widgets if hasattr(w, "description")]
    offered = [options(w) for w in controls]
    current = tuple(w.get_interact_value() for w in controls)
    choices = [[v for _, v in o] if o else [c] for o, c in zip(offered, current)]
    others = (c for c in itertools.product(*choices)
              if not all(_same(a, b) for a, b in zip(c, current)))
    combos = [current, *itertools.islice(others, MAX_FRAMES - 1)]
    frames = [[dict(o) for o in panel.out.outputs]]  # the first render (it may have trained)
    with _drawing_only():
        for combo in combos[1:]:
            def draw(combo=combo):
                result = panel.f(**{w._kwarg: v for w, v in zip(controls, combo)})
                if result is not None:
                    display(result)
            outputs, trained = _captured(draw)
            frames.append(None if trained else outputs)
    kept = [(c, f) for c, f in zip(combos, frames) if f is not None]
    combos, frames = [c for c, _ in kept], [f for _, f in kept]
    label = ", ".join(w.description for w in controls)
    return write_panel(panel.model_id, label, [w.description for w in controls], combos, 0,
                       frames, offered)
