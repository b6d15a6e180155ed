"""Count stalls of Run All through nbclient, with and without run-notebooks' fix.

A stall: the kernel has answered a cell and sits idle while the client waits for the
reply (README, "Test"). run-notebooks polls for each reply in 1-second slices
(``helpers.tools.run_notebooks.poll_replies_in_slices``); ``--without-fix`` turns that off,
which is how nbclient, nbconvert and papermill run a notebook. Each run executes the
notebook in a fresh kernel in the smoke budget; a cell whose kernel sits idle for
``--stall-seconds`` counts as a stall (the runner kills the kernel and names the cell).

    python benchmarks/bench_stalls.py notebooks/07_showdown.ipynb --runs 1 --order fix,nofix

Prints one JSON line per run (fix on or off, seconds, stalled, the runner's message).
For runs in fresh environments, call it once per new virtual environment (its python).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout too
from helpers.tools import run_notebooks  # noqa: E402


def run_once(path: Path, fix: bool, stall_seconds: float) -> dict:
    """Execute ``path`` once (smoke budget, no result cache); did a cell stall?"""
    original = run_notebooks.poll_replies_in_slices
    if not fix:
        run_notebooks.poll_replies_in_slices = lambda client, seconds=1.0: None
    try:
        with tempfile.TemporaryDirectory() as out:
            env = {**run_notebooks.kernel_env(smoke=True, budget=None), "NB_CACHE": "0"}
            run = run_notebooks.run_notebook(path, Path(out), env, timeout=600,
                                             stall_seconds=stall_seconds)
    finally:
        run_notebooks.poll_replies_in_slices = original
    error = run.error or ""
    return {"notebook": path.name, "fix": fix, "seconds": round(run.seconds, 1),
            "stalled": " stalled at " in error, "error": error or None,
            "python": sys.executable}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="runs of each order")
    parser.add_argument("--order", default="nofix,fix",
                        help="comma-separated fix/nofix, run in this order each time")
    parser.add_argument("--stall-seconds", type=float, default=60.0,
                        help="idle kernel time that counts as a stall (default 60)")
    args = parser.parse_args(argv)
    os.environ.setdefault("NB_CACHE", "0")
    for _ in range(args.runs):
        for mode in args.order.split(","):
            print(json.dumps(run_once(args.notebook, mode == "fix", args.stall_seconds)),
                  flush=True)


if __name__ == "__main__":
    main()
