"""An Output widget that the kernel fills, so that running a notebook never stalls.

ipywidgets' ``Output`` captures ``with out:`` in the *front end*: the kernel tags its prints
and figures, and the front end (JupyterLab, or nbclient when nbconvert, papermill or pytest
run a notebook) moves each into the widget. nbclient then sends the widget's new state back
to the kernel on the shell channel, the channel where it is waiting for the cell's reply, and
jupyter_client sends it through a blocking copy of that asyncio socket, which can swallow the
reply's wake-up: the run waits for the cell's time-out, by default forever
(``benchmarks/README.md``, "Run All stalls"). :class:`KernelOutput` captures in the kernel
instead: prints and displays inside ``with out:`` become its ``outputs``, synced like any
widget state, and the front end sends nothing back. Same use as ``Output`` (``with``,
``clear_output``), on ipywidgets 7 and 8; :class:`interactive` is ipywidgets' ``interactive``
drawing into one.
"""
from __future__ import annotations

import math
import sys
import time

import ipywidgets as widgets
from IPython import get_ipython
from IPython.core.displaypub import DisplayPublisher


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` inside a :class:`KernelOutput`'s ``with`` block."""

    encoding = "utf-8"

    def __init__(self, output: "KernelOutput", name: str):
        self.output, self.name = output, name

    def write(self, text: str) -> int:
        self.output._add_stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class _Publisher(DisplayPublisher):
    """The shell's display publisher inside the block: displays go to the widget."""

    def __init__(self, output: "KernelOutput", previous, shell):
        super().__init__(shell=shell)
        self.output, self.previous = output, previous

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False):
        display_id = (transient or {}).get("display_id")
        if update and display_id not in self.output._ids:  # a handle shown outside the block
            self.previous.publish(data, metadata, transient=transient, update=True)
            return
        self.output._add_display(data, metadata or {}, display_id, update)

    def clear_output(self, wait=False):
        self.output.clear_output(wait=wait)


class KernelOutput(widgets.Output):
    """An ``Output`` whose ``with`` block is captured by the kernel (see the module's doc).

    Inside ``with out:`` prints, warnings, figures and display handles (``update_display``:
    a progress line, a live view) land in ``out.outputs``, sent to the front end at most every
    ``min_seconds`` and when the block ends. An exception in the block is shown in the widget
    and not raised further, as with ``Output``.
    """

    min_seconds = 0.25

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._items: list[dict] = []
        self._ids: dict = {}                # display_id -> index in _items
        self._clear_on_next = False
        self._saved: list[tuple] = []
        self._synced = -math.inf

    def __enter__(self):
        shell = get_ipython()
        sys.stdout.flush()
        sys.stderr.flush()
        self._saved.append((sys.stdout, sys.stderr, getattr(shell, "display_pub", None)))
        sys.stdout, sys.stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        if shell is not None:
            shell.display_pub = _Publisher(self, shell.display_pub, shell)
        return self

    def __exit__(self, etype, evalue, tb):
        shell = get_ipython()
        sys.stdout, sys.stderr, publisher = self._saved.pop()
        if shell is not None and publisher is not None:
            shell.display_pub = publisher
        if etype is not None:
            lines = (shell.InteractiveTB.structured_traceback(etype, evalue, tb)
                     if shell is not None else [])
            self._add({"output_type": "error", "ename": etype.__name__, "evalue": str(evalue),
                       "traceback": lines})
        self._sync(force=True)
        return etype is not None and shell is not None  # shown above, as Output does

    def clear_output(self, *args, wait: bool = False, **kwargs):
        """Empty the widget now, or (``wait=True``) when the next output arrives."""
        wait = bool(args[0]) if args else wait
        if wait:
            self._clear_on_next = True
            return
        self._items, self._ids, self._clear_on_next = [], {}, False
        self._sync(force=True)

    def _add(self, item: dict) -> int:
        if self._clear_on_next:
            self._items, self._ids, self._clear_on_next = [], {}, False
        self._items.append(item)
        self._sync()
        return len(self._items) - 1

    def _add_stream(self, name: str, text: str) -> None:
        last = self._items[-1] if self._items and not self._clear_on_next else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            self._items[-1] = {**last, "text": last["text"] + text}
            self._sync()
        else:
            self._add({"output_type": "stream", "name": name, "text": text})

    def _add_display(self, data: dict, metadata: dict, display_id, update: bool) -> None:
        item = {"output_type": "display_data", "data": data, "metadata": metadata}
        if update:
            self._items[self._ids[display_id]] = item
            self._sync()
            return
        index = self._add(item)
        if display_id is not None:
            self._ids[display_id] = index

    def _sync(self, force: bool = False) -> None:
        """Send ``outputs`` to the front end (new dicts: traitlets sends only a change)."""
        now = time.perf_counter()
        if force or now - self._synced >= self.min_seconds:
            self.outputs = tuple(dict(item) for item in self._items)
            self._synced = now


class interactive(widgets.interactive):
    """ipywidgets' ``interactive`` (same arguments) drawing into a :class:`KernelOutput`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import site_frames

        site_frames.capture_interactive(self)  # only with NB_SITE_FRAMES: the static site

    def update(self, *args):
        if not isinstance(self.out, KernelOutput):  # the first call, from __init__
            output = KernelOutput()
            self.children = tuple(output if child is self.out else child
                                  for child in self.children)
            self.out.close()
            self.out = output
        super().update(*args)
