"""Overhead of the live view (helpers.live) at the CPU budget: the same fit with live=False and
live=True, twice each, on an image of the CPU budget (256 px, 500 steps).

    NB_CACHE=0 python benchmarks/bench_live.py

Prints seconds, test PSNR, frames drawn and seconds spent drawing, then one JSON line.
Outside a kernel the frames are rendered to PNG exactly as in Jupyter; only the display
message is not sent. Results: benchmarks/README.md ("Live view").
"""
import contextlib
import io
import json
import time


import helpers
from helpers import live, settings
size, steps = settings.BUDGETS["cpu"].size, settings.BUDGETS["cpu"].steps
image = helpers.load_image("photo", size=size)
out = {}
for mode in (False, True, False, True):
    views = []
    orig = live.LiveView.__init__
    def init(self, *a, **k):
        orig(self, *a, **k); views.append(self)
    live.LiveView.__init__ = init
    with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel display() prints a repr
        t = time.perf_counter()
        r = helpers.fit(helpers.make_model("gauss", scale=10.0), image, steps=steps, lr=1e-3,
                        progress=False, live=mode, n_snapshots=0, inset=(0.2, 0.5, 0.3, 0.6))
        seconds = time.perf_counter() - t
    live.LiveView.__init__ = orig
    v = views[0] if views else None
    out.setdefault(str(mode), []).append({"seconds": round(seconds, 2), "test_psnr": round(r.test_psnr, 3),
        "frames": v.frames if v else 0, "draw_seconds": round(v.draw_seconds, 2) if v else 0})
    print(mode, out[str(mode)][-1], flush=True)
print(json.dumps(out))
