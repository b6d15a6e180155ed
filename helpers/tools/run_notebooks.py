"""Pre-render the series: ``python -m helpers run-notebooks [--smoke] [--out DIR]``.

Executes every ``notebooks/*.ipynb`` in order, each in a fresh kernel (nbclient), with
a progress bar over all code cells. Writes to DIR (default ``rendered/``):

- ``NN_topic.ipynb``: each executed copy, outputs and slider panels' first render kept;
- ``index.html``: one page with every notebook's figures (PNGs embedded, panels
  included), a results table of every model trained, and run times;
- ``results.json``: the same numbers for scripts (a GPU machine check, a benchmark).

The results table needs nothing from the notebooks: before a notebook's first cell, a
hidden line ``record_fits(PATH)`` registers a recorder in :data:`helpers.train.RECORDERS`,
so every fit in that kernel (``fit``, ``run``, ``fit_many``, slider panels) appends one
JSON line to PATH: a model description, params, steps, lr, train/test/validation PSNR,
seconds, diverged.
Each line is credited to the cell that was running. The hidden line is not saved.

A failing cell stops its notebook (the others still run); the command then exits 1
with one line per failure on stderr, naming the notebook, the cell (counted from 1,
markdown included) and its first line, and the error.
"""
from __future__ import annotations

import base64
import html
import json
import math
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"


# --- inside each kernel ----------------------------------------------------------------

def describe_model(model) -> str:
    """A short name for a model: the registry's label (e.g. 'Gaussian σ=10 (256) → MLP relu',
    set by :func:`helpers.methods.make_model`), 'bicubic interpolation (no training)' for
    an interpolation, else its classes ('Encoder → Net')."""
    label = getattr(model, "label", None)
    if label:
        return label
    from ..interpolate import Interpolator

    if isinstance(model, Interpolator):
        return f"{model.method} interpolation (no training)"
    parts = [model.encoder, model.net] if hasattr(model, "encoder") and hasattr(model, "net") \
        else [model]
    return " → ".join(type(part).__name__ for part in parts
                      if type(part).__name__ != "Identity")


def record_fits(path: str) -> None:
    """Append one JSON line to ``path`` for every FitResult that fit returns from now on.

    Registers a recorder in :data:`helpers.train.RECORDERS` (the documented hook), once per
    process. The first line describes the environment (budget, device, torch).
    """
    import torch

    from .. import settings
    from ..train import RECORDERS

    def write(record: dict) -> None:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(record) + "\n")

    def recorder(result) -> None:
        write({"model": describe_model(result.model), "params": result.params,
               "steps": result.steps, "lr": result.lr, "train_psnr": result.train_psnr,
               "test_psnr": result.test_psnr, "val_psnr": result.val_psnr,
               "size": list(result.prediction.shape[:2]), "seconds": result.seconds,
               "diverged": result.diverged,
               "collapsed": getattr(result, "collapsed", False), "device": result.device})

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    write({"environment": settings.describe(), "torch": torch.__version__, "gpu": gpu})
    recorder.path = path
    RECORDERS[:] = [r for r in RECORDERS if getattr(r, "path", None) is None] + [recorder]


# --- the runner ----------------------------------------------------------------------------

@dataclass
class NotebookRun:
    """What happened to one notebook."""

    name: str
    title: str = ""
    seconds: float = 0.0
    error: str | None = None         # one line, for stderr and the page
    fits: list = field(default_factory=list)      # dicts from record_fits, with "cell"
    figures: list = field(default_factory=list)   # (cell number, base64 PNG)
    cell_seconds: dict = field(default_factory=dict)  # cell number -> seconds
    environment: dict = field(default_factory=dict)   # budget, torch, GPU as the kernel saw


def find_notebooks(paths: list[str] | None = None) -> list[Path]:
    """Notebook files from paths (files or folders), default the series' notebooks, sorted."""
    found: list[Path] = []
    for item in paths or [str(NOTEBOOKS_DIR)]:
        path = Path(item).expanduser()
        if path.is_dir():
            found += sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{item!r} is neither a notebook nor a folder of notebooks; "
                                    "give .ipynb files or a folder such as notebooks/.")
    if not found:
        raise FileNotFoundError(f"no .ipynb files in {', '.join(paths or [str(NOTEBOOKS_DIR)])}; "
                                "give the folder that holds the series' notebooks.")
    return found


def kernel_env(smoke: bool, budget: str | None) -> dict:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # a test's Agg backend would hide every inline figure
    if smoke:
        env["NB_SMOKE"] = "1"
    if budget:
        env["NB_BUDGET"] = budget
    return env


def _first_line(source: str) -> str:
    lines = [line for line in source.strip().splitlines() if line.strip()
             and not line.lstrip().startswith("#")]
    line = (lines or [""])[0].strip()
    return line if len(line) <= 60 else line[:57] + "..."


def _title(notebook, fallback: str) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


# Seconds each notebook took, top to bottom in a fresh kernel on a 2-core x86 CPU with the
# result cache empty (README, "Budgets"): the estimate printed before a run. The full
# budget (a GPU) was not measured.
SERIES = ["01_dataset", "02_plain_mlp", "03_positional_encoding",
          "04_gaussian_fourier_features", "05_siren", "06_other_activations", "07_showdown",
          "08_inverse_problems", "09_samples_and_storage", "10_beyond_images", "11_tiny_nerf"]
MEASURED_SECONDS = {
    "smoke": dict(zip(SERIES, [6, 15, 28, 47, 31, 55, 86, 27, 29, 42, 38])),
    "cpu": dict(zip(SERIES, [8, 120, 420, 816, 414, 822, 1635, 860, 328, 126, 960])),
}


def plan(notebooks: list[Path], budget: str, out_dir: Path, n_cells: int) -> str:
    """The line printed before a run: what runs, where to, and the measured time if known."""
    from .estimate import duration

    known = MEASURED_SECONDS.get(budget, {})
    times = [known.get(p.stem) for p in notebooks]
    line = (f"run-notebooks: {len(notebooks)} notebook(s), {n_cells} code cells, "
            f"{budget} budget, into {out_dir}/")
    if all(t is None for t in times):
        why = " (the full budget is unmeasured)" if budget == "full" else ""
        return f"{line}; no measured time for these{why}"
    unknown = sum(t is None for t in times)
    return (f"{line}; {duration(sum(t for t in times if t))} on a 2-core CPU with the "
            f"cache empty" + (f", plus {unknown} notebook(s) never timed" if unknown else ""))


# Seconds one cell may take, per budget: ~10x the slowest cell on a 2-core CPU (smoke: 07's
# race, ~60 s; cpu: 07's race, ~8 min), so a hung cell fails in minutes, not hours.
TIMEOUTS = {"smoke": 600, "cpu": 2400, "full": 1800}
STALL_SECONDS = 180  # a pending cell whose kernel used no CPU this long has stalled


class KernelWatch:
    """Watches a kernel's CPU time while a cell runs; kills a kernel that sits idle.

    A stalled run (a reply the client never reads, see :func:`poll_replies_in_slices`, or
    an execute_request the kernel never reads, ipython/ipykernel#1529) has an idle kernel
    while the client waits; a slow cell does use CPU. Linux only (reads /proc); elsewhere only the time-out applies.
    """

    def __init__(self, pid: int | None, limit: float = STALL_SECONDS, every: float = 5.0):
        import threading

        self.pid, self.limit, self.every = pid, limit, every
        self.pending = False
        self.stalled_for = 0.0
        self._stop = threading.Event()
        self.enabled = bool(pid) and limit > 0 and Path(f"/proc/{pid}/stat").exists()
        if self.enabled:
            threading.Thread(target=self._watch, daemon=True).start()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _watch(self) -> None:
        import signal

        last, idle = self.cpu_seconds(), 0.0
        while not self._stop.wait(self.every):
            try:
                now = self.cpu_seconds()
            except (OSError, IndexError):
                return
            idle = idle + self.every if self.pending and now - last < 0.02 * self.every else 0.0
            last = now
            if idle >= self.limit:
                self.stalled_for = idle
                os.kill(self.pid, signal.SIGKILL)  # nbclient then reports a dead kernel
                return

    def stop(self) -> None:
        self._stop.set()


def poll_replies_in_slices(client, seconds: float = 1.0) -> None:
    """Make ``client`` look for each cell's execute_reply every ``seconds``, not once.

    nbclient waits for a reply with one long poll on its asyncio shell socket. That poll can
    miss the socket's wake-up: the kernel has replied and gone idle, the reply sits in the
    client's socket (ZMQ_EVENTS says POLLIN) and the run waits until the cell's time-out
    (measured: up to 5 cells in 13 with ipykernel 6.31 and 7.4 alike). The cause is upstream:
    nbclient sends an Output widget's state on that socket through jupyter_client's blocking
    shadow of it, and the send swallows the edge-triggered wake-up (benchmarks/README.md, "Run
    All stalls"); the project's panels no longer print into such widgets
    (:mod:`helpers.kernel_output`). A fresh poll reads ZMQ_EVENTS again and finds the reply,
    so short polls in a loop never stall, whatever a notebook prints into.
    """
    from queue import Empty

    channel = client.kc.shell_channel
    whole = channel.get_msg

    async def get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = seconds if deadline is None else min(seconds, deadline - time.monotonic())
            try:
                return await whole(timeout=max(left, 0.0))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
    channel.get_msg = get_msg


def run_notebook(path: Path, out_dir: Path, env: dict, bar=None, timeout: int = 1800,
                 kernel: str = "python3", stall_seconds: float = STALL_SECONDS) -> NotebookRun:
    """Execute ``path`` in a fresh kernel; write the executed copy to ``out_dir``.

    A cell fails after ``timeout`` seconds, or after ``stall_seconds`` with its kernel idle.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = nbformat.read(path, as_version=4)
    run = NotebookRun(name=path.name, title=_title(notebook, path.stem))
    log = out_dir / f".{path.stem}.fits.jsonl"
    log.unlink(missing_ok=True)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel,
                            resources={"metadata": {"path": str(path.parent)}})
    hidden = nbformat.v4.new_code_cell(
        f"from helpers.tools.run_notebooks import record_fits; record_fits({str(log)!r})")
    start = time.perf_counter()
    seen = 0
    index = -1
    watch = None
    try:
        # the kernel's own stderr only repeats jupyter_client's TCP notice; cells keep theirs
        with client.setup_kernel(env=env, stderr=subprocess.DEVNULL):
            poll_replies_in_slices(client)
            process = getattr(getattr(client.km, "provisioner", None), "process", None)
            watch = KernelWatch(getattr(process, "pid", None), stall_seconds)
            notebook.cells.insert(0, hidden)
            try:
                client.execute_cell(hidden, 0, store_history=False)
            finally:
                notebook.cells.pop(0)
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                if bar is not None:
                    bar.set_description(f"{path.stem} cell {index + 1}")
                tick = time.perf_counter()
                watch.pending = True
                try:
                    client.execute_cell(cell, index)
                finally:
                    watch.pending = False
                    run.cell_seconds[index + 1] = time.perf_counter() - tick
                    seen = _collect_fits(log, run, index + 1, seen)
                    if bar is not None:
                        bar.update(1)
            client.set_widgets_metadata()  # keep the panels' first render in the copy
            watch.stop()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        run.error = _failure(error, path.name, _where(notebook, index), timeout, watch)
    if watch is not None:
        watch.stop()
    run.seconds = time.perf_counter() - start
    _collect_fits(log, run, index + 1, seen)
    log.unlink(missing_ok=True)
    run.figures = list(_figures(notebook))
    nbformat.write(notebook, out_dir / path.name)
    return run


def _where(notebook, index: int) -> str:
    """The cell a failure happened in, for its one-line message (-1: before any cell)."""
    if index < 0:
        return "start-up (is the helpers package installed for this kernel?)"
    return f"cell {index + 1} (`{_first_line(notebook.cells[index].source)}`)"


def _failure(error: Exception, name: str, where: str, timeout: int, watch) -> str:
    """One sentence for a failed cell: its error, a time-out, a stall or a dead kernel."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    if isinstance(error, CellExecutionError):
        return f"{name} failed at {where}: {error.ename}: {_one_line(error.evalue)}"
    if isinstance(error, CellTimeoutError):
        return f"{name} timed out at {where} after {timeout} s; raise --timeout or use --smoke."
    if watch is not None and watch.stalled_for:
        return (f"{name} stalled at {where}: the kernel sat idle for {watch.stalled_for:.0f} s "
                "without a reply reaching the runner; run it again.")
    return f"{name}: the kernel died at {where}; is memory short?"


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _collect_fits(log: Path, run: NotebookRun, cell: int, seen: int) -> int:
    """Credit the log's new lines (from line ``seen`` on) to ``cell``; returns lines read."""
    if not log.exists():
        return seen
    lines = log.read_text(encoding="utf-8").splitlines()
    for line in lines[seen:]:
        record = json.loads(line)
        if "environment" in record:
            run.environment = record
            continue
        run.fits.append({"cell": cell, **record})
    return len(lines)


def _figures(notebook):
    """(cell number, base64 PNG) for every figure, slider panels' Output widgets included."""
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                yield index + 1, data["image/png"]
            view = data.get("application/vnd.jupyter.widget-view+json")
            if view:
                for png in _widget_pngs(state, view.get("model_id"), set()):
                    yield index + 1, png


def _widget_pngs(state: dict, model_id, visited: set):
    if model_id not in state or model_id in visited:
        return
    visited.add(model_id)
    model = state[model_id]
    for output in model.get("state", {}).get("outputs", []) or []:
        png = output.get("data", {}).get("image/png")
        if png:
            yield png
    for child in model.get("state", {}).get("children", []) or []:
        yield from _widget_pngs(state, str(child).replace("IPY_MODEL_", ""), visited)


# --- the page --------------------------------------------------------------------------------

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border:1px solid
#ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child,td.l{text-align:left}
.fail{color:#b00;font-weight:bold}.ok{color:#070}img{max-width:100%;margin:.5em 0;
border:1px solid #eee}figcaption{font-size:12px;color:#666}details{margin:.5em 0}"""


def best_psnrs(fits: list[dict]) -> tuple[float | None, str]:
    """A notebook's best trained network's test PSNR (None if it trained none), and its
    interpolations' (no training, 0 steps) test PSNRs as text, e.g. 'bicubic 23.62'."""
    def finite(fit):
        return fit["test_psnr"] == fit["test_psnr"] and abs(fit["test_psnr"]) != float("inf")

    network = max((f["test_psnr"] for f in fits if f["steps"] > 0 and finite(f)), default=None)
    classical = {}
    for fit in fits:
        if fit["steps"] == 0 and finite(fit):
            name = fit["model"].replace(" interpolation (no training)", "")
            classical[name] = max(classical.get(name, -math.inf), fit["test_psnr"])
    return network, ", ".join(f"{name} {psnr:.2f}" for name, psnr in classical.items())


def write_html(runs: list[NotebookRun], path: Path, header: str) -> None:
    """One page: summary table, then each notebook's results table and figures."""
    e = html.escape
    rows = []
    for run in runs:
        network, classical = best_psnrs(run.fits)
        status = (f'<span class="fail">failed</span>' if run.error
                  else '<span class="ok">ok</span>')
        rows.append(f'<tr><td><a href="#{e(run.name)}">{e(run.name)}</a></td><td>{status}</td>'
                    f"<td>{run.seconds:.1f}</td><td>{len(run.fits)}</td>"
                    f"<td>{'' if network is None else f'{network:.2f}'}</td>"
                    f"<td class='l'>{e(classical)}</td><td>{len(run.figures)}</td></tr>")
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Coordinate MLPs, live: "
             f"rendered series</title><style>{CSS}</style></head><body>",
             "<h1>Coordinate MLPs, live: the series, pre-rendered</h1>",
             f"<p>{e(header)}</p>",
             "<table><tr><th>notebook</th><th>status</th><th>seconds</th><th>models trained</th>"
             "<th>best network: test PSNR (dB)</th><th>interpolation, no training: test "
             "PSNR (dB)</th><th>figures</th></tr>", *rows, "</table>"]
    for run in runs:
        parts.append(f'<h2 id="{e(run.name)}">{e(run.name)}: {e(run.title)}</h2>')
        parts.append(f"<p>{run.seconds:.1f} s")
        slow = sorted(run.cell_seconds.items(), key=lambda kv: -kv[1])[:3]
        if slow:
            parts.append(" · slowest cells: " + ", ".join(f"{c} ({s:.1f} s)" for c, s in slow))
        parts.append("</p>")
        if run.error:
            parts.append(f'<p class="fail">{e(run.error)}</p>')
        if run.fits:
            parts.append(f"<details{' open' if len(run.fits) <= 12 else ''}><summary>results: "
                         f"every model trained ({len(run.fits)})</summary><table>"
                         "<tr><th>cell</th><th>model</th><th>size</th><th>params</th>"
                         "<th>steps</th><th>lr</th><th>train PSNR</th><th>test PSNR</th>"
                         "<th>seconds</th><th>diverged</th><th>collapsed</th></tr>")
            for fit in run.fits:
                parts.append(
                    f"<tr><td>{fit['cell']}</td><td class='l'>{e(fit['model'])}</td>"
                    f"<td>{'x'.join(map(str, fit['size']))}</td><td>{fit['params']:,}</td>"
                    f"<td>{fit['steps']}</td><td>{fit['lr']:g}</td>"
                    f"<td>{fit['train_psnr']:.2f}</td><td>{fit['test_psnr']:.2f}</td>"
                    f"<td>{fit['seconds']:.2f}</td><td>{'yes' if fit['diverged'] else ''}</td>"
                    f"<td>{'yes' if fit.get('collapsed') else ''}</td></tr>")
            parts.append("</table></details>")
        for cell, png in run.figures:
            parts.append(f"<figure><img src='data:image/png;base64,{png.strip()}' "
                         f"alt='{e(run.name)} cell {cell}'><figcaption>cell {cell}"
                         "</figcaption></figure>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def run_all(paths: list[str] | None = None, out: str = "rendered", smoke: bool = False,
            budget: str | None = None, timeout: int | None = None, progress: bool = True,
            kernel: str = "python3", stall_seconds: float = STALL_SECONDS,
            log=None) -> list[NotebookRun]:
    """Run the notebooks, write executed copies, index.html and results.json to ``out``.

    ``log(line)`` gets the plan first: notebooks, cells, budget and the measured time."""
    from tqdm import tqdm
    import nbformat

    notebooks = find_notebooks(paths)
    out_dir = Path(out).expanduser()
    out_dir.mkdir(parents=True, exist_ok=True)
    env = kernel_env(smoke, budget)
    from .. import settings

    # the budget the kernels will pick, from the same environment
    name = "smoke" if smoke else budget or env.get("NB_BUDGET") or settings.pick_budget().name
    if timeout is None:
        timeout = TIMEOUTS.get(name, max(TIMEOUTS.values()))
    n_cells = sum(c.cell_type == "code" for p in notebooks
                  for c in nbformat.read(p, as_version=4).cells)
    if log is not None:
        log(plan(notebooks, name, out_dir, n_cells))
    bar = tqdm(total=n_cells, unit="cell", disable=not progress)
    runs = []
    for path in notebooks:
        run = run_notebook(path, out_dir, env, bar=bar, timeout=timeout, kernel=kernel,
                           stall_seconds=stall_seconds)
        runs.append(run)
        bar.write(f"{'FAILED' if run.error else 'ok':>6}  {path.name}  {run.seconds:6.1f} s  "
                  f"{len(run.fits)} models, {len(run.figures)} figures")
    bar.close()
    environment = next((r.environment for r in runs if r.environment), {})
    header = (f"{time.strftime('%Y-%m-%d %H:%M')} · {environment.get('environment', '')} · "
              f"torch {environment.get('torch', '?')}"
              + (f" · {environment['gpu']}" if environment.get("gpu") else "")
              + f" · total {sum(r.seconds for r in runs):.0f} s")
    write_html(runs, out_dir / "index.html", header)
    (out_dir / "results.json").write_text(json.dumps({
        "environment": environment, "notebooks": [
            {"name": r.name, "seconds": round(r.seconds, 2), "error": r.error,
             "fits": r.fits, "figures": len(r.figures)} for r in runs]}, indent=1))
    return runs


def command(args) -> None:
    """``python -m helpers run-notebooks``: exits 1 naming each failed notebook and cell."""
    import sys

    from .estimate import say

    runs = run_all(args.notebooks or None, out=args.out, smoke=args.smoke, budget=args.budget,
                   timeout=args.timeout, progress=not args.no_progress,
                   stall_seconds=args.stall_seconds, log=say)
    out = Path(args.out)
    print(f"wrote {len(runs)} executed notebooks and {out / 'index.html'}")
    failed = [run for run in runs if run.error]
    for run in failed:
        print(f"error: {run.error}", file=sys.stderr)
    if failed:
        raise SystemExit(1)


def add_parser(commands) -> None:
    """Register ``run-notebooks`` on the CLI's subcommands."""
    parser = commands.add_parser(
        "run-notebooks", help="execute every notebook in a fresh kernel; write copies + HTML")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help=f"notebooks or folders (default: {NOTEBOOKS_DIR.name}/)")
    parser.add_argument("--smoke", action="store_true", help="the tiny CI budget (NB_SMOKE=1)")
    parser.add_argument("--budget", choices=["full", "cpu", "smoke"],
                        help="force a budget (default: full on a GPU, cpu otherwise)")
    parser.add_argument("--out", default="rendered", help="output folder (default: rendered)")
    parser.add_argument("--timeout", type=int, default=None,
                        help="seconds allowed per cell (default by budget: " + ", ".join(
                            f"{k} {v}" for k, v in TIMEOUTS.items()) + ")")
    parser.add_argument("--stall-seconds", type=float, default=STALL_SECONDS,
                        help="fail a cell whose kernel used no CPU this long (0: never; "
                             f"default {STALL_SECONDS})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
