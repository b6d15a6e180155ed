"""How fast is fit, and how close to this machine's limit? (issue 5; results in README.md)

    python benchmarks/bench_fit.py --quick            # this CPU, a few minutes
    python benchmarks/bench_fit.py                    # CPU budget, every method, all sections
    python benchmarks/bench_fit.py --budget full      # on a GPU: 512², 2000 steps, every method

Sections (``--only`` picks some): machine (matmul rate and memory bandwidth, measured
now), methods (seconds per step, total, test PSNR, FLOPs per step counted from the layer
sizes, achieved FLOP/s, ratio to the floor), overhead (fit against a hand-written loop;
evaluation and snapshot share of a default run), live (the live view's cost: the same fit
with ``live=False`` and ``live=True``, frames drawn and seconds spent drawing), slider (value change to drawn figure, through a real retrain panel), gpu (CUDA
only: TF32, CUDA graphs and torch.compile, each switched on alone in a plain loop, time
and test PSNR against float32), memory (2048² chunked prediction, 512² training).
``--json FILE`` writes every number.

Not in the default run (it fits every method four to six times): ``--only precision``,
float32 against bfloat16 autocast (helpers.precision) for every method with 1, 2 and all
threads: s/step, speed-up, final train/test PSNR, their change, and a verdict (bf16 ok:
faster and within 0.1 dB, else the method stays float32 in settings.FP32_ONLY); ``--load``
keeps a second process busy on one core meanwhile; on CUDA also fp32, TF32 and bf16 at
the full budget::

    python benchmarks/bench_fit.py --only precision               # CPU budget, idle
    python benchmarks/bench_fit.py --only precision --load        # one core busy

The floor of one training step is ``FLOPs / matmul rate + bytes / bandwidth``: the
matmuls at the measured rate plus one read and write per activation value (forward and
backward) and Adam's seven passes over the parameters at the measured bandwidth. It
counts only nn.Linear layers; a method with other big layers (hash tables) is marked.
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout too
import helpers  # noqa: E402
from helpers import settings  # noqa: E402
from helpers.methods import METHODS, get_method, make_model  # noqa: E402
from helpers.settings import BUDGETS  # noqa: E402
from helpers.train import fit  # noqa: E402

RESULTS: dict = {}


def sync(device):
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()


def best_time(fn, device, repeat=5) -> float:
    """The fastest of ``repeat`` calls (after one warm-up): the least disturbed by others."""
    fn()
    sync(device)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- machine

def measure_machine(device, n_rows: int) -> dict:
    """Matmul FLOP/s on the series' hidden-layer shape and memory bandwidth (copy), now."""
    a = torch.randn(n_rows, 256, device=device)
    w = torch.randn(256, 256, device=device)
    t_mm = best_time(lambda: a @ w, device)
    big = torch.empty(32 * 2 ** 20, device=device)  # 128 MB: far beyond any cache
    out = torch.empty_like(big)
    t_copy = best_time(lambda: out.copy_(big), device)
    machine = {
        "device": torch.cuda.get_device_name() if torch.device(device).type == "cuda"
        else platform.processor() or platform.machine(),
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "cpus": os.cpu_count(), "load_average": os.getloadavg()[0],
        "matmul_flops": 2 * n_rows * 256 * 256 / t_mm,
        "bandwidth_bytes": 2 * big.numel() * 4 / t_copy,
        "matmul_rows": n_rows,
    }
    print(f"machine: {machine['device']} | torch {machine['torch']} | {machine['threads']} "
          f"threads on {machine['cpus']} CPUs (load average {machine['load_average']:.1f})")
    print(f"  matmul ({n_rows}x256 @ 256x256): {machine['matmul_flops'] / 1e9:.1f} GFLOP/s; "
          f"memory bandwidth (copy): {machine['bandwidth_bytes'] / 1e9:.1f} GB/s")
    return machine


# ---------------------------------------------------------------- FLOPs and floor

def step_cost(model: nn.Module, n_pixels: int) -> dict:
    """FLOPs and bytes of one full-batch training step, counted from the layer sizes.

    Matmuls: forward 2·N·in·out per linear layer, backward twice that, except that the
    first layer needs no gradient for its (fixed) input. Memory: every activation value
    written and read once forward, read twice and written once backward; Adam reads
    parameter, gradient and two moments and writes three of them.
    """
    encoder, net = model.encoder, model.net
    fixed = not any(p.requires_grad for p in encoder.parameters())
    trained = net if fixed else model
    # every layer with a weight matrix (out, in, *parts): nn.Linear, and WIRE's complex
    # layers whose weights carry a real and an imaginary part (parts = 2: two matmuls)
    layers = [(w.shape[1], w.shape[0], w[0, 0].numel()) for m in trained.modules()
              for w in [getattr(m, "weight", None)]
              if isinstance(w, torch.Tensor) and w.dim() >= 2 and w.requires_grad]
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    counted = sum(i * o * k + o * k for i, o, k in layers)
    forward = sum(2 * n_pixels * i * o * k for i, o, k in layers)
    first = 2 * n_pixels * layers[0][0] * layers[0][1] * layers[0][2] if layers else 0
    backward = 2 * forward - first  # no gradient for the first layer's fixed input
    activations = n_pixels * sum(o * k for _, o, k in layers[:-1])
    return {"flops": forward + backward, "bytes": 4 * (5 * activations + 7 * params),
            "only_linear": params <= counted * 1.01 + 16, "params": params}


def floor_seconds(cost: dict, machine: dict) -> float:
    return cost["flops"] / machine["matmul_flops"] + cost["bytes"] / machine["bandwidth_bytes"]


# ---------------------------------------------------------------- methods table

def bench_methods(budget_name, methods, max_steps, machine, device, image_name) -> list[dict]:
    budget = BUDGETS[budget_name]
    image = helpers.load_image(image_name, size=budget.size)
    steps = min(budget.steps, max_steps) if max_steps else budget.steps
    n_train = (budget.size // 2) ** 2
    print(f"\n== {budget_name} budget: {budget.size}² (train {budget.size // 2}²), "
          f"{budget.steps} steps, test PSNR every {budget.eval_every} steps"
          + (f"; timed over {steps} steps" if steps < budget.steps else ""))
    header = (f"{'method':<15}{'s/step':>9}{'total s':>9}{'est. s':>9}{'test dB':>9}"
              f"{'GFLOP/step':>11}{'GFLOP/s':>9}{'floor s':>9}{'ratio':>8}")
    print(header)
    rows = []
    for name in methods:
        model = make_model(name, seed=0, image_size=budget.size)
        gc.collect()
        result = fit(model, image, steps=steps, lr=get_method(name).lr, device=device,
                     eval_every=budget.eval_every, n_snapshots=0, progress=False)
        cost = step_cost(model, n_train)
        floor = floor_seconds(cost, machine)
        # the whole budget: this run plus the remaining steps at the measured rate
        estimate = result.seconds + result.seconds_per_step * (budget.steps - steps)
        row = {"budget": budget_name, "method": name, "size": budget.size, "steps": steps,
               "budget_steps": budget.steps, "seconds_per_step": result.seconds_per_step,
               "seconds": result.seconds, "estimated_budget_seconds": estimate,
               "test_psnr": result.test_psnr, "flops_per_step": cost["flops"],
               "achieved_flops": cost["flops"] / result.seconds_per_step,
               "floor_seconds_per_step": floor, "ratio_to_floor": result.seconds_per_step / floor,
               "floor_counts_every_layer": cost["only_linear"], "diverged": result.diverged}
        rows.append(row)
        mark = "" if cost["only_linear"] else " *"
        print(f"{name:<15}{result.seconds_per_step:>9.4f}{result.seconds:>9.1f}{estimate:>9.0f}"
              f"{result.test_psnr:>9.2f}{cost['flops'] / 1e9:>11.2f}"
              f"{cost['flops'] / result.seconds_per_step / 1e9:>9.1f}{floor:>9.4f}"
              f"{result.seconds_per_step / floor:>8.2f}{mark}", flush=True)
    if any(not r["floor_counts_every_layer"] for r in rows):
        print("  * has parameters outside weight-matrix layers (e.g. hash tables, filter "
              "centres): its floor counts only the matmuls")
    if steps < budget.steps:
        print(f"  test dB after {steps} steps; 'est. s' = the whole {budget.steps}-step run "
              "at the measured rate")
    return rows


# ---------------------------------------------------------------- overhead

def hand_loop(name, image, steps, device) -> float:
    """The loop every tutorial writes, over the identical model and data: s/step."""
    model = make_model(name, seed=0, image_size=image.shape[0]).to(device)
    split = helpers.split_pixels(image)
    encoder, net = model.encoder, model.net
    with torch.no_grad():
        x = encoder(split.train_coords.to(device))
    y = split.train_colors.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=get_method(name).lr,
                                 **({"fused": True} if torch.device(device).type == "cuda"
                                    else {}))
    helpers.train.use_fast_math(torch.device(device))
    sync(device)
    start = time.perf_counter()
    for _ in range(steps):
        loss = ((net(x) - y) ** 2).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    sync(device)
    return (time.perf_counter() - start) / steps


def bench_overhead(name, budget, loop_steps, run_steps, repeat, device, image_name) -> dict:
    """fit against a hand-written loop; evaluation + snapshot share of a default run.

    The default run has the budget's evaluation interval and snapshot density (a run
    shorter than the budget keeps the same snapshots per step).
    """
    size = budget.size
    image = helpers.load_image(image_name, size=size)
    print(f"\n== overhead ({name}, {size}²)")
    fit_times, hand_times = [], []
    steps = loop_steps
    for _ in range(repeat):  # interleaved, so a busy moment hits both alike
        r = fit(make_model(name, seed=0, image_size=size), image, steps=steps,
                lr=get_method(name).lr, eval_every=steps, n_snapshots=0, progress=False,
                device=device)
        fit_times.append(r.seconds_per_step)
        hand_times.append(hand_loop(name, image, steps, device))
    # each pair ran back to back: the median of the pairs' ratios resists load changes
    pairs = sorted(f / h for f, h in zip(fit_times, hand_times))
    ratio = statistics.median(pairs)
    print(f"  fit vs hand-written loop, {repeat} back-to-back pairs of {steps} steps: "
          f"{statistics.median(fit_times):.4f} vs {statistics.median(hand_times):.4f} s/step "
          f"(medians); ratio {ratio:.3f} (median of pairs; range {pairs[0]:.3f}-{pairs[-1]:.3f})")

    # A run at the default settings against the same run without evaluations/snapshots.
    # Each run splits its own time into training and the rest, so load changes between
    # the two runs cancel: overhead = (rest_A - rest_B) / training_A.
    default_steps = run_steps
    n_snap = round((budget.n_snapshots - 1) * run_steps / budget.steps) + 1
    a = fit(make_model(name, seed=0, image_size=size), image, steps=default_steps,
            lr=get_method(name).lr, eval_every=budget.eval_every, n_snapshots=n_snap,
            progress=False, device=device)
    b = fit(make_model(name, seed=0, image_size=size), image, steps=default_steps,
            lr=get_method(name).lr, eval_every=default_steps, n_snapshots=0, progress=False,
            device=device)
    rest_a = a.seconds - a.seconds_per_step * a.steps
    rest_b = b.seconds - b.seconds_per_step * b.steps
    share = (rest_a - rest_b) / (a.seconds_per_step * a.steps)
    print(f"  evaluation + snapshots at default settings ({default_steps} steps, PSNR every "
          f"{budget.eval_every}, {n_snap} snapshots): {100 * share:.1f}% of training time "
          f"({rest_a - rest_b:.2f} s of {a.seconds_per_step * a.steps:.1f} s)")
    return {"method": name, "size": size, "fit_seconds_per_step": statistics.median(fit_times),
            "hand_seconds_per_step": statistics.median(hand_times), "fit_vs_hand": ratio,
            "fit_vs_hand_pairs": pairs,
            "eval_steps": default_steps, "eval_snapshots": n_snap, "eval_share": share}


# ---------------------------------------------------------------- live view

def bench_live(name, budget, steps, repeat, device, image_name) -> dict:
    """The live view's cost: the same fit with ``live=False`` and ``live=True``, alternated.

    Outside a kernel every frame is predicted and rendered to PNG exactly as in Jupyter;
    only the display message goes to a discarded stdout. Overhead = (on - off) / off from
    the medians, and the drawing share = seconds spent drawing / the run's seconds (this
    one does not depend on load changes between runs).
    """
    import contextlib

    size = budget.size
    image = helpers.load_image(image_name, size=size)
    print(f"\n== live view ({name}, {size}², {steps} steps, {repeat} pairs)")
    views, original = [], helpers.train._live_view

    def keep(*args, **kwargs):  # the view fit builds, kept for its frame count
        view = original(*args, **kwargs)
        views.append(view)
        return view

    runs = {False: [], True: []}
    helpers.train._live_view = keep
    try:
        for _ in range(repeat):
            for live in (False, True):
                views.clear()
                with contextlib.redirect_stdout(io.StringIO()):
                    r = fit(make_model(name, seed=0, image_size=size), image, steps=steps,
                            lr=get_method(name).lr, progress=False, live=live, n_snapshots=0,
                            inset=(0.2, 0.5, 0.3, 0.6), baseline={"bicubic": 25.0},
                            device=device)
                view = views[0] if views and views[0] is not None else None
                runs[live].append({"seconds": r.seconds, "test_psnr": r.test_psnr,
                                   "frames": view.frames if view else 0,
                                   "draw_seconds": view.draw_seconds if view else 0.0})
    finally:
        helpers.train._live_view = original
    off = statistics.median(run["seconds"] for run in runs[False])
    on = statistics.median(run["seconds"] for run in runs[True])
    share = statistics.median(run["draw_seconds"] / run["seconds"] for run in runs[True])
    frames = statistics.median(run["frames"] for run in runs[True])
    print(f"  off {off:.1f} s, on {on:.1f} s (medians): overhead {100 * (on - off) / off:+.1f}%; "
          f"{frames:.0f} frames, drawing {100 * share:.1f}% of the run; test PSNR off "
          f"{runs[False][0]['test_psnr']:.2f} dB, on {runs[True][0]['test_psnr']:.2f} dB")
    return {"method": name, "size": size, "steps": steps, "runs": runs,
            "overhead": (on - off) / off, "draw_share": share, "frames": frames}


# ---------------------------------------------------------------- slider latency

def bench_slider(name, knob, cached, new, device, image_name, **extra) -> dict:
    """Through a real retrain panel: the knob's value changes -> the figure is drawn (PNG).

    plt.show() is replaced by what Jupyter's inline backend does: render the figure to a
    PNG and close it. 'new' values train at the preview size and steps. extra: the
    method's other options, fixed (04's panel at its largest feature count, for instance).
    """
    import ipywidgets as widgets
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.sweeps import sweep
    from helpers.widgets import retrain_panel

    def show(*args, **kwargs):
        for number in plt.get_fignums():
            plt.figure(number).savefig(io.BytesIO(), format="png")
        plt.close("all")

    image = helpers.load_image(image_name, size=settings.PREVIEW_SIZE)
    precomputed = sweep(name, image, knob, cached, steps=settings.PREVIEW_STEPS,
                        n_snapshots=0, progress=False, device=device, **extra)
    original_show, plt.show = plt.show, show
    try:
        kind = (widgets.IntSlider if all(isinstance(v, int) for v in cached + new)
                else widgets.FloatSlider)
        slider = kind(value=cached[0], min=min(cached + new), max=max(cached + new))
        panel = retrain_panel(slider, lambda v: helpers.run(
            name, image, steps=settings.PREVIEW_STEPS, n_snapshots=0, progress=False,
            device=device, **extra, **{knob: v}), target=image, precomputed=precomputed,
            name=knob)
        cached_times, new_times = [], []
        for value in cached[1:] + cached[:1]:
            start = time.perf_counter()
            slider.value = value
            cached_times.append(time.perf_counter() - start)
        for value in new:
            start = time.perf_counter()
            slider.value = value
            new_times.append(time.perf_counter() - start)
        assert all(v in panel.cache for v in new)
    finally:
        plt.show = original_show
    label = ", ".join([knob] + [f"{k}={v}" for k, v in extra.items()])
    print(f"\n== slider latency ({name}, {label}; preview {settings.PREVIEW_SIZE}², "
          f"{settings.PREVIEW_STEPS} steps): precomputed value {max(cached_times):.2f} s, "
          f"new value (trains) {max(new_times):.2f} s (worst of {len(cached_times)} / "
          f"{len(new_times)})")
    return {"method": name, "knob": knob, "options": extra, "preview_size": settings.PREVIEW_SIZE,
            "preview_steps": settings.PREVIEW_STEPS, "cached_seconds": max(cached_times),
            "new_seconds": max(new_times)}


# ---------------------------------------------------------------- GPU variants

def variant_run(name, image, steps, eval_every, device, tf32=False, graph=False,
                compiled=False) -> dict:
    """The fit protocol as a plain loop with one speed feature switched on (CUDA only).

    Encodings are always computed in float32 (TF32 off), then TF32 is set for the
    training matmuls only. graph: the whole step (forward, backward, fused capturable
    Adam) captured once as a CUDA graph and replayed; its warm-up steps are undone, so
    the run trains exactly ``steps`` steps from the same start. compiled: torch.compile.
    Test PSNR every ``eval_every`` steps, as fit does; the total includes them.
    """
    from helpers.metrics import mse, psnr

    model = make_model(name, seed=0, image_size=image.shape[0]).to(device)
    encoder, net = model.encoder, model.net
    split = helpers.split_pixels(image)
    old_tf32 = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = False
    with torch.no_grad():
        train_x, test_x = encoder(split.train_coords.to(device)), encoder(split.test_coords.to(device))
    train_y, test_y = split.train_colors.to(device), split.test_colors.to(device)
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        forward = torch.compile(net) if compiled else net
        optimizer = torch.optim.Adam(net.parameters(), lr=get_method(name).lr, fused=True,
                                     capturable=graph)
        compile_start = time.perf_counter()
        if graph or compiled:  # warm up (compile / allocate), then undo the warm-up steps
            start_params = [p.detach().clone() for p in net.parameters()]
            stream = torch.cuda.Stream()
            stream.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(stream):
                for _ in range(3):
                    optimizer.zero_grad(set_to_none=True)
                    mse(forward(train_x), train_y).backward()
                    optimizer.step()
            torch.cuda.current_stream().wait_stream(stream)
            if graph:
                cuda_graph = torch.cuda.CUDAGraph()
                optimizer.zero_grad(set_to_none=True)
                with torch.cuda.graph(cuda_graph):
                    static_loss = mse(forward(train_x), train_y)
                    static_loss.backward()
                    optimizer.step()
            with torch.no_grad():
                for p, p0 in zip(net.parameters(), start_params):
                    p.copy_(p0)
                for state in optimizer.state.values():
                    for value in state.values():
                        value.zero_()  # exp_avg, exp_avg_sq and step: a fresh Adam
        torch.cuda.synchronize()
        setup = time.perf_counter() - compile_start
        start = time.perf_counter()
        for step in range(1, steps + 1):
            if graph:
                cuda_graph.replay()
            else:
                loss = mse(forward(train_x), train_y)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
            if step % eval_every == 0 or step == steps:
                with torch.no_grad():  # eager: a compiled no-grad graph would recompile
                    psnr(net(train_x), train_y)
                    test_psnr = psnr(net(test_x), test_y)
        torch.cuda.synchronize()
        total = time.perf_counter() - start
    finally:
        torch.backends.cuda.matmul.allow_tf32 = old_tf32
    return {"seconds": total, "seconds_per_step": total / steps, "setup_seconds": setup,
            "test_psnr": test_psnr}


def bench_gpu_variants(methods, steps, device, image_name) -> list[dict]:
    """What each GPU feature buys at the full budget: time and test PSNR against fp32."""
    budget = BUDGETS["full"]
    image = helpers.load_image(image_name, size=budget.size)
    steps = steps or budget.steps
    print(f"\n== GPU variants ({budget.size}², {steps} steps, test PSNR every "
          f"{budget.eval_every}; totals include evaluations, not compile/capture)")
    print(f"{'method':<10}{'variant':<22}{'total s':>9}{'s/step':>10}{'setup s':>9}"
          f"{'test dB':>9}{'vs fp32':>9}")
    rows = []
    for name in methods:
        fit_result = fit(make_model(name, seed=0, image_size=budget.size), image, steps=steps,
                         lr=get_method(name).lr, eval_every=budget.eval_every, n_snapshots=0,
                         progress=False, device=device)
        reference = None
        for label, options in (("fit (fp32)", None), ("loop fp32", {}),
                               ("loop TF32", {"tf32": True}), ("loop graph", {"graph": True}),
                               ("loop TF32+graph", {"tf32": True, "graph": True}),
                               ("loop compile", {"compiled": True}),
                               ("loop TF32+compile", {"tf32": True, "compiled": True})):
            try:
                if options is None:
                    r = {"seconds": fit_result.seconds, "setup_seconds": 0.0,
                         "seconds_per_step": fit_result.seconds_per_step,
                         "test_psnr": fit_result.test_psnr}
                else:
                    r = variant_run(name, image, steps, budget.eval_every, device, **options)
            except Exception as error:  # noqa: BLE001 - report and go on
                print(f"{name:<10}{label:<22} failed: {str(error).splitlines()[0][:80]}")
                continue
            if label == "loop fp32":
                reference = r["test_psnr"]
            delta = "" if reference is None else f"{r['test_psnr'] - reference:+9.3f}"
            print(f"{name:<10}{label:<22}{r['seconds']:>9.2f}{r['seconds_per_step']:>10.5f}"
                  f"{r['setup_seconds']:>9.1f}{r['test_psnr']:>9.2f}{delta}", flush=True)
            rows.append({"method": name, "variant": label, **r})
    return rows


# ---------------------------------------------------------------- precision

def thread_counts() -> list[int]:
    """1, 2 and all of this machine's threads (those that exist)."""
    cpus = os.cpu_count() or 1
    return sorted({t for t in (1, 2, cpus) if t <= cpus})


def start_load():
    """A second process spinning on one core (core 0 where the OS lets us pin it)."""
    import subprocess

    pin = (lambda: os.sched_setaffinity(0, {0})) if hasattr(os, "sched_setaffinity") else None
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"], preexec_fn=pin)
    print(f"  under load: a busy process (pid {busy.pid}) spins on "
          f"{'core 0' if pin else 'one core'} for the whole section")
    return busy


def precision_verdict(rows: list[dict]) -> str:
    """'bf16 ok' when every thread count's bf16 run is faster and within 0.1 dB (train and
    test PSNR) of its fp32 run; else 'stays fp32 (ΔPSNR)' (the method joins
    settings.FP32_ONLY) or 'stays fp32 (slower)' (the probe keeps such a CPU at fp32)."""
    pairs = [r for r in rows if r["precision"] == "bf16"]
    if any(abs(r["delta_train"]) > 0.1 or abs(r["delta_test"]) > 0.1 for r in pairs):
        return "stays fp32 (ΔPSNR)"
    return "bf16 ok" if all(r["speedup"] > 1 for r in pairs) else "stays fp32 (slower)"


def bench_precision(budget_name, methods, max_steps, device, image_name, load=False) -> list[dict]:
    """float32 against bfloat16 autocast for every method, with 1, 2 and all threads.

    Same seed, image and steps for each pair; Δ = bf16 - fp32 at the same thread count.
    """
    budget = BUDGETS[budget_name]
    image = helpers.load_image(image_name, size=budget.size)
    steps = min(budget.steps, max_steps) if max_steps else budget.steps
    counts = thread_counts()
    print(f"\n== precision: fp32 vs bf16 autocast, {budget_name} budget ({budget.size}², "
          f"{steps} steps), threads {counts}, load average {os.getloadavg()[0]:.1f}")
    busy = start_load() if load else None
    print(f"{'method':<15}{'threads':>8}{'prec':>6}{'s/step':>9}{'speed-up':>9}{'train dB':>9}"
          f"{'test dB':>9}{'Δtrain':>8}{'Δtest':>8}  verdict")
    rows, before = [], torch.get_num_threads()
    try:
        for name in methods:
            mine = []
            for threads in counts:
                torch.set_num_threads(threads)
                for precision in ("fp32", "bf16"):
                    mine.append(precision_run(name, image, steps, budget, device, threads,
                                              precision, mine[-1] if mine else None))
            verdict = precision_verdict(mine)
            for row in mine:
                row["verdict"] = verdict
                print_precision_row(row, load)
            rows += mine
    finally:
        torch.set_num_threads(before)
        if busy is not None:
            busy.terminate()
            busy.wait()
    fp32_only = sorted({r["method"] for r in rows if r["verdict"] == "stays fp32 (ΔPSNR)"})
    print(f"  verdict: bf16 ok = faster and |Δ| <= 0.1 dB at every thread count; for "
          f"helpers/settings.py: FP32_ONLY = frozenset({fp32_only})")
    return rows


def precision_run(name, image, steps, budget, device, threads, precision, fp32_row) -> dict:
    """One fit of the pair; the bf16 one is compared with ``fp32_row`` (same threads)."""
    gc.collect()
    result = fit(make_model(name, seed=0, image_size=budget.size), image, steps=steps,
                 lr=get_method(name).lr, eval_every=budget.eval_every, n_snapshots=0,
                 progress=False, device=device, precision=precision)
    row = {"method": name, "budget": budget.name, "steps": steps, "threads": threads,
           "precision": result.precision, "seconds_per_step": result.seconds_per_step,
           "train_psnr": result.train_psnr, "test_psnr": result.test_psnr,
           "diverged": result.diverged, "speedup": 1.0, "delta_train": 0.0, "delta_test": 0.0}
    if precision == "bf16":
        row.update(speedup=fp32_row["seconds_per_step"] / result.seconds_per_step,
                   delta_train=result.train_psnr - fp32_row["train_psnr"],
                   delta_test=result.test_psnr - fp32_row["test_psnr"])
    return row


def print_precision_row(row: dict, load: bool) -> None:
    bf16 = row["precision"] == "bf16"
    speed = f"{row['speedup']:>8.2f}x" if bf16 else f"{'':>9}"
    deltas = (f"{row['delta_train']:>+8.2f}{row['delta_test']:>+8.2f}" if bf16 else f"{'':>16}")
    print(f"{row['method']:<15}{row['threads']:>8}{row['precision']:>6}"
          f"{row['seconds_per_step']:>9.4f}{speed}{row['train_psnr']:>9.2f}"
          f"{row['test_psnr']:>9.2f}{deltas}  {row['verdict'] if bf16 else ''}"
          f"{' (loaded)' if load and bf16 else ''}", flush=True)


def bench_gpu_precision(methods, steps, device, image_name) -> list[dict]:
    """CUDA: fit in float32, with TF32 matmuls, and under bfloat16 autocast (full budget)."""
    budget = BUDGETS["full"]
    image = helpers.load_image(image_name, size=budget.size)
    steps = steps or budget.steps
    print(f"\n== GPU precision ({budget.size}², {steps} steps): fp32, TF32, bf16 autocast")
    print(f"{'method':<15}{'variant':<10}{'s/step':>10}{'speed-up':>9}{'train dB':>9}"
          f"{'test dB':>9}{'Δtest':>8}")
    rows, old_tf32 = [], torch.backends.cuda.matmul.allow_tf32
    for name in methods:
        reference = None
        for variant, tf32, precision in (("fp32", False, "fp32"), ("TF32", True, "fp32"),
                                         ("bf16", True, "bf16")):
            torch.backends.cuda.matmul.allow_tf32 = tf32
            try:
                result = fit(make_model(name, seed=0, image_size=budget.size), image,
                             steps=steps, lr=get_method(name).lr, eval_every=budget.eval_every,
                             n_snapshots=0, progress=False, device=device, precision=precision)
            finally:
                torch.backends.cuda.matmul.allow_tf32 = old_tf32
            reference = reference or result
            row = {"method": name, "variant": variant, "seconds_per_step": result.seconds_per_step,
                   "speedup": reference.seconds_per_step / result.seconds_per_step,
                   "train_psnr": result.train_psnr, "test_psnr": result.test_psnr,
                   "delta_test": result.test_psnr - reference.test_psnr}
            rows.append(row)
            print(f"{name:<15}{variant:<10}{row['seconds_per_step']:>10.5f}"
                  f"{row['speedup']:>8.2f}x{row['train_psnr']:>9.2f}{row['test_psnr']:>9.2f}"
                  f"{row['delta_test']:>+8.2f}", flush=True)
    return rows


# ---------------------------------------------------------------- memory

def _status_bytes(field: str) -> int:
    """VmRSS / VmHWM (peak) of this process from /proc/self/status, in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak_rss() -> bool:
    """Start the peak-RSS counter afresh (Linux: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory_child(what: str, device: str) -> None:
    """Run in a fresh process: peak memory of one job above what it held before."""
    cuda = torch.device(device).type == "cuda"
    model = make_model("gauss", seed=0, image_size=512)
    image = helpers.load_image("photo", size=512)
    helpers.predict_image(model.to(device), 8, 8)  # warm up the allocator and kernels
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    else:  # setup (imports, image decoding) may peak higher than the job: reset first
        gc.collect()
        if not _reset_peak_rss():
            raise RuntimeError("cannot reset the peak RSS (/proc/self/clear_refs)")
        base = _status_bytes("VmRSS")
    if what == "predict":
        helpers.predict_image(model, 2048, 2048)
    else:
        fit(model, image, steps=5, eval_every=5, n_snapshots=2, progress=False, device=device)
    if cuda:
        peak = torch.cuda.max_memory_allocated() - base
    else:
        peak = _status_bytes("VmHWM") - base
    print(json.dumps({"peak_bytes": peak}))


def bench_memory(device) -> dict:
    import subprocess

    out = {}
    for what, label in (("predict", "predict_image 2048² (chunks of 65536 px), gauss"),
                        ("train", "fit 512² (train 256², 5 steps, 2 snapshots), gauss")):
        done = subprocess.run([sys.executable, __file__, "--memory-child", what,
                               "--device", device], capture_output=True, text=True,
                              env={**os.environ, "OMP_NUM_THREADS": str(torch.get_num_threads())})
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"memory measurement failed: {done.stderr.strip()[-500:]}")
        out[what] = json.loads(lines[-1])["peak_bytes"]
        kind = "GPU memory allocated" if torch.device(device).type == "cuda" else "RSS"
        print(f"  peak {kind} above baseline, {label}: {out[what] / 2 ** 20:.0f} MiB")
    return out


# ---------------------------------------------------------------- main

def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short timings (a few minutes on a laptop CPU)")
    parser.add_argument("--budget", choices=["smoke", "cpu", "full", "both"], default=None,
                        help="method-table and precision budgets (default: full on a GPU, "
                             "else cpu; both = cpu and full)")
    parser.add_argument("--methods", default=None, help="comma-separated (default: all)")
    parser.add_argument("--steps", type=int, default=None,
                        help="time at most this many steps per method-table run")
    parser.add_argument("--only", default="machine,methods,overhead,live,slider,gpu,memory",
                        help="sections to run, comma-separated")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--load", action="store_true",
                        help="precision section: a busy process on one core while it runs")
    parser.add_argument("--device", default=None, help="default: helpers.settings.DEVICE")
    parser.add_argument("--image", default="photo")
    parser.add_argument("--json", default=None, help="write every number to this file")
    parser.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = args.device or settings.DEVICE
    if args.memory_child:
        memory_child(args.memory_child, device)
        return
    gpu = torch.device(device).type == "cuda"
    sections = set(args.only.split(","))
    methods = args.methods.split(",") if args.methods else list(METHODS)
    budgets = {"both": ["cpu", "full"], None: ["full" if gpu else "cpu"]}.get(
        args.budget, [args.budget])
    max_steps = args.steps or (10 if args.quick else None)

    n_rows = (BUDGETS[budgets[-1]].size // 2) ** 2
    machine = measure_machine(device, n_rows)
    RESULTS["machine"] = machine
    if "methods" in sections:
        RESULTS["methods"] = []
        for budget in budgets:
            RESULTS["methods"] += bench_methods(budget, methods, max_steps, machine, device,
                                                args.image)
    if "overhead" in sections:
        budget = BUDGETS["full" if gpu else "cpu"]
        RESULTS["overhead"] = bench_overhead(
            "gauss", budget, loop_steps=20 if args.quick else 40,
            run_steps=100 if args.quick else budget.steps, repeat=5 if args.quick else 9,
            device=device,
            image_name=args.image)
    if "live" in sections:
        budget = BUDGETS["full" if gpu else "cpu"]
        RESULTS["live"] = bench_live("gauss", budget, steps=100 if args.quick else budget.steps,
                                     repeat=1, device=device,
                                     image_name=args.image)
    if "slider" in sections:
        RESULTS["slider"] = [bench_slider("gauss", "scale", [1.0, 10.0, 100.0], [30.0],
                                          device, args.image)]
        if not args.quick:
            RESULTS["slider"].append(bench_slider("siren", "omega0", [10.0, 30.0], [60.0],
                                                  device, args.image))
            RESULTS["slider"].append(bench_slider("gaussian", "a", [0.05, 0.1], [0.2],
                                                  device, args.image))
            # every notebook's panel at its costliest setting: 03's L, 04's 512 features,
            # 06's slowest activations
            RESULTS["slider"].append(bench_slider("pe", "n_freqs", [5, 7], [12], device,
                                                  args.image))
            RESULTS["slider"].append(bench_slider("gauss", "scale", [1.0, 10.0], [30.0],
                                                  device, args.image, n_features=512))
            for name, cached, new in (("quadratic", [5.0, 10.0], [20.0]),
                                      ("supergaussian", [0.05, 0.1], [0.2]),
                                      ("expsin", [2.5, 5.0], [10.0])):
                RESULTS["slider"].append(bench_slider(name, "a", cached, new, device,
                                                      args.image))
    if "gpu" in sections:
        if gpu:
            RESULTS["gpu_variants"] = bench_gpu_variants(
                args.methods.split(",") if args.methods else ["gauss", "siren"],
                args.steps, device, args.image)
        else:
            print("\n== GPU variants: skipped (no CUDA device here)")
    if "precision" in sections:
        RESULTS["precision"] = []
        for budget in budgets:
            RESULTS["precision"] += bench_precision(budget, methods, max_steps, device,
                                                    args.image, load=args.load)
        if gpu:
            RESULTS["gpu_precision"] = bench_gpu_precision(methods, args.steps, device,
                                                           args.image)
        else:
            print("\n== GPU precision: skipped (no CUDA device here)")
    if "memory" in sections:
        print("\n== memory")
        RESULTS["memory"] = bench_memory(device)
    if args.json:
        Path(args.json).write_text(json.dumps(RESULTS, indent=1))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
