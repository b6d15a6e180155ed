"""Count stalls of Run All: plain ``jupyter nbconvert --execute``, or run-notebooks.

A stall: the kernel has answered a cell and sits idle while the client waits for the reply,
until the cell's time-out (forever by default in nbconvert and papermill): README, "Test",
and benchmarks/README.md, "Run All stalls".

``--runner nbconvert`` (the default) runs ``jupyter nbconvert --to notebook --execute`` on a
copy of the notebook with one more cell (``pass``) at the end, with a cell time-out of
``--timeout`` seconds, and reads the executed copy's timing (the kernel's timestamps of each
cell's reply and of the next cell's start): a gap over ``--stall-seconds`` is a stall (a
stalled reply is read when its poll times out, so the run goes on). ``--repro`` runs the
minimal reproduction instead, a notebook that needs only ipywidgets (no project code).
``--runner run-notebooks`` runs the project's runner, with (``fix``) and without (``nofix``)
its 1-second polling, as ``--order``.

    python benchmarks/bench_stalls.py --repro --runs 10
    NB_CACHE=1 python benchmarks/bench_stalls.py notebooks/07_showdown.ipynb --runs 20
    python benchmarks/bench_stalls.py notebooks/07_showdown.ipynb --runner run-notebooks --runs 1

Prints one JSON line per run (seconds, stalls with their cells) and a total. Every run is in
the smoke budget (``NB_SMOKE=1``); the result cache is off unless ``NB_CACHE`` says otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout too
from helpers.tools import run_notebooks  # noqa: E402

# The minimal reproduction: every cell prints into an ipywidgets Output widget. nbclient
# sends the widget's state back on the shell channel for each output it routes there.
REPRO_CELL = """\
from IPython.display import display
from ipywidgets import Output

out = Output()
display(out)
with out:
    for i in range(20):
        display({"text/plain": f"{i}: " + "x" * 100_000}, raw=True)
"""


def repro_notebook(folder: Path, cells: int = 10, kernel_output: bool = False) -> Path:
    """Write the minimal reproduction (``cells`` copies of :data:`REPRO_CELL`) into folder;
    with ``kernel_output`` it prints into the project's KernelOutput, not ipywidgets' Output."""
    import nbformat

    path = folder / "output_widget_stall.ipynb"
    source = REPRO_CELL.replace("from ipywidgets import Output", "from helpers.kernel_output "
                                "import KernelOutput as Output") if kernel_output else REPRO_CELL
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for _ in range(cells)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)
    return path


def _time(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def stalls_in(executed: Path, stall_seconds: float) -> list[dict]:
    """Cells whose reply the client read over ``stall_seconds`` late (counted from 1)."""
    import nbformat

    notebook = nbformat.read(executed, as_version=4)
    timed = [(index + 1, cell.metadata.get("execution", {}))
             for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    found = []
    for (number, this), (_, after) in zip(timed, timed[1:]):
        if "shell.execute_reply" in this and "iopub.execute_input" in after:
            gap = _time(after["iopub.execute_input"]) - _time(this["shell.execute_reply"])
            if gap > stall_seconds:
                found.append({"cell": number, "seconds_lost": round(gap, 1)})
    return found


def run_nbconvert(path: Path, timeout: int, stall_seconds: float, recheck: bool = False) -> dict:
    """Execute ``path`` once with plain ``jupyter nbconvert --execute``; which cells stalled?"""
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell("pass  # its start times the last reply"))
        copy = Path(folder) / path.name
        nbformat.write(notebook, copy)
        jupyter = Path(sys.executable).with_name("jupyter")
        nbconvert = ([sys.executable, str(Path(__file__).parent / "stall_repro" /
                                          "nbconvert_recheck.py")] if recheck else
                     [str(jupyter) if jupyter.exists() else "jupyter", "nbconvert"])
        command = [*nbconvert, "--to",
                   "notebook", "--execute", f"--ExecutePreprocessor.timeout={timeout}",
                   "--output", "executed", str(copy)]
        env = {**os.environ, "NB_SMOKE": "1"}
        env.pop("MPLBACKEND", None)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=path.resolve().parent, env=env, text=True,
                              capture_output=True)
        seconds = time.perf_counter() - start
        executed = Path(folder) / "executed.ipynb"
        stalls = stalls_in(executed, stall_seconds) if executed.exists() else []
    lines = [line for line in done.stderr.splitlines() if "Error" in line or "Exception" in line]
    error = None if done.returncode == 0 else (lines or ["exit status"])[-1][:300]
    return {"notebook": path.name, "runner": "nbconvert" + (" (recheck)" if recheck else ""),
            "seconds": round(seconds, 1),
            "stalls": stalls, "error": error}


def run_runner(path: Path, fix: bool, stall_seconds: float) -> dict:
    """Execute ``path`` once with run-notebooks, with or without its 1-second polling."""
    original = run_notebooks.poll_replies_in_slices
    if not fix:
        run_notebooks.poll_replies_in_slices = lambda client, seconds=1.0: None
    try:
        with tempfile.TemporaryDirectory() as out:
            env = run_notebooks.kernel_env(smoke=True, budget=None)
            run = run_notebooks.run_notebook(path, Path(out), env, timeout=600,
                                             stall_seconds=stall_seconds)
    finally:
        run_notebooks.poll_replies_in_slices = original
    error = run.error or ""
    return {"notebook": path.name, "runner": "run-notebooks", "fix": fix,
            "seconds": round(run.seconds, 1), "stalls": [error] if " stalled at " in error else [],
            "error": error or None}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", type=Path, nargs="?")
    parser.add_argument("--repro", action="store_true",
                        help="run the minimal reproduction (ipywidgets only) instead")
    parser.add_argument("--kernel-output", action="store_true",
                        help="--repro with the project's KernelOutput (the fix) as the widget")
    parser.add_argument("--recheck", action="store_true",
                        help="nbconvert with the proposed upstream fix (stall_repro/"
                             "nbconvert_recheck.py)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--runner", choices=["nbconvert", "run-notebooks"], default="nbconvert")
    parser.add_argument("--timeout", type=int, default=120,
                        help="nbconvert: a cell's time-out in seconds (default 120)")
    parser.add_argument("--stall-seconds", type=float, default=None,
                        help="nbconvert: a reply read this late is a stall (default 10); "
                             "run-notebooks: idle kernel time that is a stall (default 60)")
    parser.add_argument("--order", default="nofix,fix",
                        help="run-notebooks: comma-separated fix/nofix, in this order each run")
    args = parser.parse_args(argv)
    os.environ.setdefault("NB_CACHE", "0")
    with tempfile.TemporaryDirectory() as folder:
        path = repro_notebook(Path(folder), kernel_output=args.kernel_output) if args.repro else args.notebook
        if path is None:
            parser.error("give a notebook, or --repro")
        runs = []
        for _ in range(args.runs):
            if args.runner == "nbconvert":
                runs.append(run_nbconvert(path, args.timeout, args.stall_seconds or 10.0,
                                          args.recheck))
                print(json.dumps(runs[-1]), flush=True)
            else:
                for mode in args.order.split(","):
                    runs.append(run_runner(path, mode == "fix", args.stall_seconds or 60.0))
                    print(json.dumps(runs[-1]), flush=True)
    stalled = sum(bool(run["stalls"]) for run in runs)
    print(json.dumps({"runs": len(runs), "runs_with_a_stall": stalled,
                      "stalls": sum(len(run["stalls"]) for run in runs),
                      "errors": sum(bool(run["error"]) for run in runs)}))


if __name__ == "__main__":
    main()
