"""Train several models at once: a slider's range or a comparison as one run (04-06 use it).

k models of the same architecture (say Gaussian features with sigma = 1, 10, 100) differ
only in their numbers: weights, and buffers such as the matrix B or an activation's
``a``. ``torch.func.stack_module_state`` stacks those numbers into tensors with a
leading axis of length k, ``functional_call`` runs the architecture with one slice of
them, and ``vmap`` runs all k slices as one batched computation. One Adam over the
stacked tensors is exactly k separate Adams, because Adam updates every number on its
own (the step count, the only shared state, is the same for all k).

So ``fit_many`` returns what k calls of :func:`~helpers.train.fit` would return (same
seeds, same PSNRs to float rounding), with per-model history, snapshots, predictions
and divergence handling, in one loop instead of k. On a GPU the k models fill the
device together, so k small models cost far less than k runs; a CPU is already busy
with one model's matmuls, so there the models take turns inside each step (as fast as
k fits, no faster). When the models cannot be batched (different layer sizes, a module
vmap cannot run) it quietly trains them one by one.
"""
from __future__ import annotations

import copy
import math
import time
import warnings

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from . import settings
from .grids import make_grid, split_pixels
from .metrics import psnr_from_mse
from .models import count_params
from .train import (_FEATURE_CACHE_BYTES, QUARTERS, FitResult, _assemble_quarters,
                    _check_fit_args, _is_diverged, _progress_bar, _split_model, _to_uint8, fit,
                    snapshot_steps, use_fast_math)


def fit_many(models: list[nn.Module], image, steps: int | None = None, lr: float = 1e-3,
             eval_every: int | None = None, n_snapshots: int | None = None, seed: int | None = 0,
             device: str | None = None, progress: bool = True, chunk_size: int = 65536,
             description: str = "fit_many") -> list[FitResult]:
    """Fit each of ``models`` to ``image`` with the same settings, as :func:`fit` would.

    Returns one :class:`~helpers.train.FitResult` per model, in order; each model is
    trained in place. Models of one architecture train together (vmap); otherwise one
    after the other. In a batched run every result's ``seconds`` and
    ``seconds_per_step`` are those of the shared run (all k models together).
    """
    models = list(models)
    if len({id(m) for m in models}) != len(models):
        raise ValueError("fit_many got the same model object twice; build one model per run.")
    kwargs = dict(steps=steps, lr=lr, eval_every=eval_every, n_snapshots=n_snapshots,
                  seed=seed, device=device, progress=progress, chunk_size=chunk_size)
    if len(models) < 2 or why_not_batched(models) is not None:
        return _fit_one_by_one(models, image, description, **kwargs)
    try:
        return _fit_batched(models, image, description=description, **kwargs)
    except _CannotBatch:  # vmap has no rule for some layer: train them one by one
        return _fit_one_by_one(models, image, description, **kwargs)


def sweep(method: str, image, knob: str, values, steps: int | None = None,
          lr: float | None = None, seed: int = 0, cache: dict | None = None,
          **fit_and_knobs) -> dict:
    """Train method ``method`` once per value of ``knob``, all values in one batched run.

    ``sweep("gauss", image, "scale", [1, 10, 100])`` -> ``{1: FitResult, 10: ..., 100: ...}``.
    Models are built by :func:`helpers.methods.make_model` with ``seed`` (as
    :func:`helpers.methods.run` does), trained with the method's lr unless ``lr`` is
    given. Other keywords go to the fit (eval_every, n_snapshots, device, progress,
    chunk_size, description) or to the model (other knobs). ``cache``: a dict of
    value -> FitResult from earlier calls; values already in it are not retrained, new
    results are added to it (a slider keeps one cache, so only new positions train).
    """
    from .methods import get_method, make_model

    method_info = get_method(method)
    fit_keys = {"eval_every", "n_snapshots", "device", "progress", "chunk_size", "description"}
    fit_kwargs = {k: v for k, v in fit_and_knobs.items() if k in fit_keys}
    knobs = {k: v for k, v in fit_and_knobs.items() if k not in fit_keys}
    knobs.setdefault("image_size", min(image.shape[0], image.shape[1]))
    fit_kwargs.setdefault("description", f"{method} {knob}")
    values = list(values)
    cache = {} if cache is None else cache
    new = [v for v in dict.fromkeys(values) if v not in cache]
    if new:
        models = [make_model(method, seed=seed, **{**knobs, knob: v}) for v in new]
        results = fit_many(models, image, steps=steps,
                           lr=lr if lr is not None else method_info.lr, seed=seed, **fit_kwargs)
        cache.update(zip(new, results))
    return {v: cache[v] for v in values}


def why_not_batched(models: list[nn.Module]) -> str | None:
    """None if ``models`` can train as one vmapped run, else the reason in a few words.

    Fixed encoders are applied once outside the loop, so only the networks behind them
    must match; a trainable encoder must match too. "Match" means: the same module
    types in the same order, parameters and buffers of the same names and shapes, and
    the same settings (numbers such as SIREN's omega0 may differ: they become tensors).
    """
    if len(models) < 2:
        return "fewer than two models"
    parts = [_trained_part(m) for m in models]
    if len({fixed for fixed, _ in parts}) > 1:
        return "some encoders are trainable and some are not"
    modules = [module for _, module in parts]
    reference = modules[0]
    for other in modules[1:]:
        reason = _difference(reference, other)
        if reason is not None:
            return reason
    return None


_CPU_ONE_AT_A_TIME = True  # on a CPU, run the k models one by one inside each step


class _CannotBatch(Exception):
    """vmap or functional_call failed on the models' forward pass."""


def _fit_one_by_one(models, image, description, **kwargs) -> list[FitResult]:
    return [fit(model, image, description=f"{description} {i + 1}/{len(models)}", **kwargs)
            for i, model in enumerate(models)]


def _trained_part(model: nn.Module) -> tuple[bool, nn.Module]:
    """(encoder is fixed, the module that training runs every step)."""
    encoder, net = _split_model(model)
    fixed = not any(p.requires_grad for p in encoder.parameters())
    return fixed, (net if fixed else model)


def _settings(module: nn.Module) -> dict:
    """A module's plain attributes (not parameters, buffers or submodules)."""
    return {k: v for k, v in vars(module).items() if not k.startswith("_")}


def _difference(a: nn.Module, b: nn.Module) -> str | None:
    named_a, named_b = list(a.named_modules()), list(b.named_modules())
    if [(n, type(m)) for n, m in named_a] != [(n, type(m)) for n, m in named_b]:
        return "different layers"
    for (name, ma), (_, mb) in zip(named_a, named_b):
        sa, sb = _settings(ma), _settings(mb)
        if sa.keys() != sb.keys():
            return f"different settings in {name or 'the model'}"
        for key in sa:
            va, vb = sa[key], sb[key]
            if isinstance(va, float) and isinstance(vb, float) and not isinstance(va, bool):
                continue  # differing numbers become per-model tensors
            if isinstance(va, torch.Tensor) or isinstance(vb, torch.Tensor):
                return f"a plain tensor attribute {name}.{key}"
            if type(va) is not type(vb) or va != vb:
                return f"{name}.{key} differs ({va!r} vs {vb!r})"
    for kind, getter in (("parameter", "named_parameters"), ("buffer", "named_buffers")):
        ta, tb = dict(getattr(a, getter)()), dict(getattr(b, getter)())
        if ta.keys() != tb.keys():
            return f"different {kind}s"
        for key in ta:
            x, y = ta[key], tb[key]
            if x.shape != y.shape or x.dtype != y.dtype:
                return f"{kind} {key} has different shapes or types"
            if kind == "parameter" and x.requires_grad != y.requires_grad:
                return f"parameter {key} is trainable in some models only"
    return None


def _float_settings(modules: list[nn.Module], device) -> tuple[dict, dict]:
    """Float attributes (e.g. SineLayer.omega0) as names -> ``(k,)`` tensors, for every module.

    Returns (stacked values for functional_call, {module name: [attribute names]}).
    """
    stacked, names = {}, {}
    per_model = [dict(m.named_modules()) for m in modules]
    for name, module in modules[0].named_modules():
        for key, value in _settings(module).items():
            if isinstance(value, float):
                values = [float(getattr(pm[name], key)) for pm in per_model]
                stacked[f"{name}.{key}" if name else key] = torch.tensor(values, device=device)
                names.setdefault(name, []).append(key)
    return stacked, names


def _fit_batched(models, image, steps, lr, eval_every, n_snapshots, seed, device, progress,
                 chunk_size, description) -> list[FitResult]:
    steps = settings.STEPS if steps is None else steps
    eval_every = settings.EVAL_EVERY if eval_every is None else eval_every
    n_snapshots = settings.N_SNAPSHOTS if n_snapshots is None else n_snapshots
    image = _check_fit_args(steps, lr, eval_every, image)
    if seed is not None:
        torch.manual_seed(seed)
    device = torch.device(device or settings.DEVICE)
    use_fast_math(device)
    start = time.perf_counter()
    k = len(models)
    for model in models:
        model.to(device)
    split = split_pixels(image)
    height, width = split.height, split.width
    train_x, test_x = split.train_coords.to(device), split.test_coords.to(device)
    train_y, test_y = split.train_colors.to(device), split.test_colors.to(device)
    fixed = _trained_part(models[0])[0]
    modules = [_trained_part(m)[1] for m in models]
    encoders = [_split_model(m)[0] for m in models]

    try:  # the architecture once, on the meta device (no memory); the numbers per call
        template = copy.deepcopy(modules[0]).to("meta")
        floats, float_names = _float_settings(modules, device)
        for name, keys in float_names.items():
            sub = template.get_submodule(name)
            for key in keys:
                setattr(sub, key, torch.tensor(0.0))
        params, buffers = stack_module_state(modules)
    except Exception as error:  # noqa: BLE001 - an unusual module: train one by one
        raise _CannotBatch(str(error)) from error
    buffers = {**buffers, **floats}

    def features(coords):  # (N, 2) -> (k, N, F), or (N, F) when every model sees the same
        if not fixed:
            return coords, None
        with torch.no_grad():
            per_model = [encoder(coords) for encoder in encoders]
        if all(torch.equal(per_model[0], f) for f in per_model[1:]):
            return per_model[0], None
        return torch.stack(per_model), 0

    def one(p, b, x):
        return functional_call(template, (p, b), (x,))

    train_f, train_dim = features(train_x)
    test_f, test_dim = features(test_x)
    # On a GPU all k models run as one vmapped batch. A CPU gains nothing from that (its
    # matmuls are as fast one model at a time) and loses 10-20%: vmap splits each linear
    # layer into bmm + add, and glibc hands allocations over 32 MB back to the OS at every
    # free, so k-times larger tensors refault their pages every step (5x the page faults).
    # There the models run one after another on slices of the same stacked tensors.
    one_at_a_time = device.type == "cpu" and _CPU_ONE_AT_A_TIME

    def run_all(x, dim) -> torch.Tensor:
        """All k models on ``x`` ((k, N, F) if dim == 0, else shared (N, F)): (k, N, 3)."""
        if one_at_a_time:
            return torch.stack([
                functional_call(template, ({n: p[i] for n, p in params.items()},
                                           {n: b[i] for n, b in buffers.items()}),
                                (x[i] if dim == 0 else x,)) for i in range(k)])
        return vmap(one, in_dims=(0, 0, dim))(params, buffers, x)

    try:  # a trial forward and backward on a few pixels: does vmap handle every layer?
        rows = slice(0, 4)
        trial_f = train_f[:, rows] if train_dim == 0 else train_f[rows]
        trial = vmap(one, in_dims=(0, 0, train_dim))(params, buffers, trial_f)
        trial.sum().backward()
    except Exception as error:  # noqa: BLE001 - any failure means: not batchable
        raise _CannotBatch(str(error)) from error
    finally:
        for p in params.values():
            p.grad = None

    trainable = [p for p in params.values() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=lr,
                                 **({"fused": True} if device.type == "cuda" else {}))

    def mse_each(out, y):  # (k, N, 3) -> (k,) MSE of the clamped prediction per model
        return ((out.clamp(0, 1) - y) ** 2).mean(dim=(1, 2))

    def evaluate_all(train_out=None):
        """Train and test PSNR of every model (one host sync for all k), test predictions."""
        with torch.no_grad():
            if train_out is None:
                train_out = run_all(train_f, train_dim)
            test_out = run_all(test_f, test_dim)
            values = torch.stack([mse_each(train_out, train_y), mse_each(test_out, test_y)])
        values = values.tolist()
        return ([psnr_from_mse(v) for v in values[0]], [psnr_from_mse(v) for v in values[1]],
                test_out)

    def run_chunked(x, dim, encode) -> torch.Tensor:
        """All k models on ``x`` ((k, N, F) if dim == 0, else (N, F) or coordinates to
        encode), ``chunk_size // k`` rows at a time: the memory of one model's chunk."""
        rows = x.shape[1] if dim == 0 else x.shape[0]
        per_chunk = max(1, chunk_size // k)
        out = []
        with torch.no_grad():
            for i in range(0, rows, per_chunk):
                part = x[:, i:i + per_chunk] if dim == 0 else x[i:i + per_chunk]
                part, part_dim = features(part) if encode else (part, dim)
                out.append(run_all(part, part_dim))
        return torch.cat(out, dim=1)

    all_coords = make_grid(height, width).reshape(-1, 2)

    def predict_all() -> torch.Tensor:  # (k, H, W, 3) on the CPU, clamped
        return run_chunked(all_coords.to(device), None, True).clamp(0, 1).float().cpu().reshape(
            k, height, width, -1)

    snap_steps = snapshot_steps(steps, n_snapshots)
    # snapshots from the four quarter grids, as in fit: the other two quarters' inputs once
    others = {}
    if snap_steps:
        grid = make_grid(height, width)
        width_f = train_f.shape[-1] * (k if train_dim == 0 else 1)
        for key in QUARTERS[2:]:
            coords = grid[key[0]::2, key[1]::2].reshape(-1, 2).to(device)
            if 2 * len(coords) * width_f * train_f.element_size() <= _FEATURE_CACHE_BYTES:
                others[key] = (*features(coords), False)
            else:  # too big to keep: encode chunk by chunk at every snapshot
                others[key] = (coords, None, True)

    def snapshot_all(train_out, test_out=None) -> torch.Tensor:
        parts = {(0, 0): train_out,
                 (1, 1): run_chunked(test_f, test_dim, False) if test_out is None else test_out}
        for key, (x, dim, encode) in others.items():
            parts[key] = run_chunked(x, dim, encode)
        return _assemble_quarters(parts, height, width)

    snapshots: list[list] = [[] for _ in range(k)]
    histories = [{"step": [], "train_psnr": [], "test_psnr": [], "seconds": []} for _ in range(k)]
    with torch.no_grad():  # the untrained models: ending up worse means diverged
        start_out = run_all(train_f, train_dim)
        start_psnr = [psnr_from_mse(v) for v in mse_each(start_out, train_y).tolist()]
    for i, value in enumerate(start_psnr):
        if math.isnan(value):  # as fit: NaN before the first step, no lr can fix that
            raise ValueError(f"model {i + 1} of {k} already outputs NaN before training, so it "
                             "cannot learn; move its settings (e.g. omega0, s0, scale) nearer "
                             "their defaults.")
    best_psnr = [p if math.isfinite(p) else -math.inf for p in start_psnr]
    best_step = [0] * k
    best = {name: p.detach().clone() for name, p in params.items()}
    active = [True] * k
    diverged = [False] * k
    last_step = [steps] * k
    eval_seconds = 0.0

    def finish(step: int, losses: torch.Tensor, train_out: torch.Tensor) -> None:
        """Evaluation and snapshots of ``step`` from the train predictions after it."""
        test_out = None
        if step % eval_every == 0 or step == steps:
            loss_values = losses.tolist()
            train_psnr, test_psnr, test_out = evaluate_all(train_out)
            seconds = time.perf_counter() - start
            for i in range(k):
                if not active[i]:
                    continue
                if _is_diverged(step, steps, loss_values[i], train_psnr[i], start_psnr[i]):
                    active[i], diverged[i], last_step[i] = False, True, step
                    warnings.warn(f"model {i + 1} of {k}: training diverged at step {step} "
                                  f"(loss {loss_values[i]:.3g}, train PSNR {train_psnr[i]:.1f} dB "
                                  f"vs {start_psnr[i]:.1f} dB untrained); kept its best model so "
                                  f"far (step {best_step[i]}), try a smaller lr than {lr:g}.",
                                  RuntimeWarning, stacklevel=4)
                    continue
                history = histories[i]
                history["step"].append(step)
                history["train_psnr"].append(train_psnr[i])
                history["test_psnr"].append(test_psnr[i])
                history["seconds"].append(seconds)
                if train_psnr[i] > best_psnr[i]:
                    best_psnr[i], best_step[i] = train_psnr[i], step
                    with torch.no_grad():
                        for name, p in params.items():
                            best[name][i].copy_(p[i])
            if bar is not None:
                shown = [t for t, a in zip(test_psnr, active) if a]
                if shown:
                    bar.set_postfix_str(f"test {min(shown):.1f}-{max(shown):.1f} dB")
                bar.update(step - bar.n)
        if step in snap_steps and any(active):
            images = snapshot_all(train_out, test_out)
            for i in range(k):
                if active[i]:
                    snapshots[i].append((step, _to_uint8(images[i])))

    bar = None
    if 0 in snap_steps:
        images = snapshot_all(start_out)
        for i in range(k):
            snapshots[i].append((0, _to_uint8(images[i])))
    bar = _progress_bar(steps, description, progress)
    train_start = time.perf_counter()
    # as in fit: step s's evaluation/snapshot uses step s + 1's forward pass
    pending, pending_losses = 0, None
    step = 0
    for step in range(1, steps + 1):
        out = run_all(train_f, train_dim)
        if pending:
            tick = time.perf_counter()
            finish(pending, pending_losses, out.detach())
            eval_seconds += time.perf_counter() - tick
            if not any(active):
                step = pending
                break
        losses = ((out - train_y) ** 2).mean(dim=(1, 2))  # (k,) one MSE per model
        optimizer.zero_grad(set_to_none=True)
        losses.sum().backward()  # model i's gradient depends on its own loss only
        optimizer.step()
        due = step % eval_every == 0 or step == steps or step in snap_steps
        pending, pending_losses = (step, losses.detach()) if due else (0, None)
    else:
        if pending:  # the last step: no next forward pass to share
            tick = time.perf_counter()
            with torch.no_grad():
                finish(pending, pending_losses, run_all(train_f, train_dim))
            eval_seconds += time.perf_counter() - tick
    if device.type == "cuda":
        torch.cuda.synchronize()
    train_seconds = time.perf_counter() - train_start - eval_seconds
    if bar is not None:
        bar.close()

    with torch.no_grad():  # diverged models go back to their best state
        for i in range(k):
            if diverged[i]:
                for name, p in params.items():
                    p[i].copy_(best[name][i])
    final_train, final_test, _ = evaluate_all()
    predictions = predict_all()
    with torch.no_grad():  # hand every model its trained numbers
        for i, module in enumerate(modules):
            for name, p in module.named_parameters():
                p.copy_(params[name][i])
    seconds = time.perf_counter() - start
    return [FitResult(model=models[i], train_psnr=final_train[i], test_psnr=final_test[i],
                      prediction=predictions[i].contiguous(), history=histories[i],
                      snapshots=snapshots[i], seconds=seconds,
                      seconds_per_step=train_seconds / max(step, 1), steps=last_step[i] if
                      diverged[i] else step, lr=lr, diverged=diverged[i],
                      params=count_params(models[i]), device=str(device))
            for i in range(k)]
