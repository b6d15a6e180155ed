"""The sound contest of 10_beyond_images: networks, a sample grid and the classical answers.

A clip's even samples train, its odd samples test (2x upsampling in time); the score is
the SNR of the odd samples (:func:`helpers.audio.snr`). Rows: silence, linear and
band-limited interpolation (:mod:`helpers.audio`), the no-network sample grid alone and
with a total-variation or smoothness penalty (:func:`fit_samples`), a ReLU MLP and SIREN
at the image value ω0 = 30 and at the bandwidth rule's ω0 times c (:func:`fit_audio`,
:mod:`helpers.bandwidth`). On the validation part: c from a sweep and each penalty's
weight; on the test part, once: every row (:func:`contest`). The notebook writes
:func:`fit_audio` and :func:`fit_samples` out and checks that they are these.
"""
from __future__ import annotations

from types import SimpleNamespace

import torch

from . import audio, bandwidth
from .loop import optimize
from .metrics import mse
from .models import MLP, Siren, count_params
from .pixel_grid import fit_grid

LR = {"relu": 1e-3, "siren": 1e-4}  # Adam's learning rate per network
GRID_LR = 1e-2                      # and for the sample grid
PENALTIES = {"TV": lambda a: a.diff().abs().mean(), "smoothness": lambda a: a.diff().pow(2).mean()}
IMAGE_OMEGA0 = 30.0                 # SIREN's ω0 for images (Sitzmann et al. 2020)


def fit_audio(kind: str, omega0: float | None, signal: torch.Tensor, hidden: int = 256,
              steps: int = 2000, device: str = "cpu") -> SimpleNamespace:
    """Train a 4-layer ``'relu'`` MLP or ``'siren'`` on the even samples of ``signal`` (N,).

    Full batch, Adam at :data:`LR`, MSE, seed 0. Returns ``full`` (N,) (every sample's
    prediction, clamped to [-1, 1]), ``params`` and ``seconds`` (training time).
    """
    if kind not in LR:
        raise ValueError(f"kind must be one of {', '.join(LR)}, got {kind!r}.")
    torch.manual_seed(0)
    model = (Siren(1, 1, hidden, 4, omega0=omega0) if kind == "siren" else
             MLP(1, 1, hidden, 4, output="linear")).to(device)
    t, target = audio.time_coords(len(signal)).to(device), signal[0::2, None].to(device)
    run = optimize(model, lambda step: mse(model(t[0::2]), target), steps, LR[kind],
                   progress=False)
    with torch.no_grad():
        full = model(t)[:, 0].cpu().clamp(-1, 1)
    return SimpleNamespace(full=full, params=count_params(model), seconds=run.seconds)


def fit_samples(signal: torch.Tensor, penalty: str | None = None, weight: float = 0.0,
                steps: int = 2000) -> torch.Tensor:
    """The no-network row: N free samples fitted to the even ones of ``signal`` (N,).

    Adam at :data:`GRID_LR` on MSE + ``weight`` × a :data:`PENALTIES` term (or none);
    returns the (N,) grid. Without a penalty the odd samples stay at zero.
    """
    def loss_fn(grid):
        data = mse(grid[0::2], signal[0::2])
        return data + weight * PENALTIES[penalty](grid) if penalty else data
    return fit_grid(loss_fn, signal.shape, steps, GRID_LR)[0]


def edge_note(knob: str, value: float, swept) -> str | None:
    """A note when a choice sits at the end of its sweep (the best may lie beyond it)."""
    if len(swept) > 1 and value in (min(swept), max(swept)):
        return (f"  note: {knob} = {value:g} is at the edge of the values swept "
                f"({min(swept):g} ... {max(swept):g}); a value beyond it may score higher")
    return None


def no_network_rows(clip: torch.Tensor, weights: dict, steps: int) -> dict:
    """``{row: (N/2,) odd samples}`` predicted from the even ones of ``clip`` without a network."""
    even = clip[0::2]
    rows = {"silence (all zeros)": torch.zeros_like(even),
            "linear interpolation": audio.linear_odd(even),
            "band-limited (FFT, a loop)": audio.bandlimited_odd(even),
            "band-limited, mirrored ends": audio.bandlimited_odd(even, mirror=True),
            "sample grid (no network)": fit_samples(clip, steps=steps)[1::2]}
    rows.update({f"sample grid + {p} (w={w:g})": fit_samples(clip, p, w, steps)[1::2]
                 for p, w in weights.items()})
    return rows


def _choose(val: torch.Tensor, name: str, density: float, factors, grid_weights, hidden: int,
            steps: int, device: str, say) -> tuple[dict, dict]:
    """On the validation part: SIREN's SNR for each c, and each penalty's best weight."""
    odd_snr = lambda full: audio.snr(full[1::2], val[1::2])  # noqa: E731
    sweep = {}
    for c, w in bandwidth.sweep("siren", density, factors).items():
        sweep[c] = odd_snr(fit_audio("siren", w, val, hidden, steps, device).full)
        say(f"{name}: validation, SIREN c = {c:g} (ω0 {w:.0f}): {sweep[c]:.2f} dB")
    weights = {}
    for p in PENALTIES:
        weights[p] = max(grid_weights, key=lambda w: odd_snr(fit_samples(val, p, w, steps)))
        say(f"{name}: validation, sample grid + {p}: weight {weights[p]:g}")
    return sweep, weights


def contest(test: torch.Tensor, val: torch.Tensor, name: str = "clip", hidden: int = 256,
            steps: int = 2000, factors=(0.2, 0.5, 1.0, 2.0, 5.0),
            grid_weights=(0.001, 0.01, 0.1, 1.0), device: str = "cpu", log=print,
            progress=None) -> SimpleNamespace:
    """Every row on one clip: knobs chosen on ``val``, scored once on ``test`` (both (N,)).

    SIREN's c from ``factors`` (ω0 = the rule's × c, :mod:`helpers.bandwidth`, at the
    even samples' density) and each penalty's weight from ``grid_weights``, by the
    validation part's odd-sample SNR. ``log`` prints the choices and the table (None:
    silent); ``progress`` gets one line per fit (None: silent). Returns ``sweep`` {c:
    validation SNR}, ``c``, ``omega0`` (the chosen one), ``omega_rule``, ``weights``,
    ``rows`` {row: (N/2,) odd samples}, ``scores`` and ``psnrs`` {row: test dB}, ``nets`` {row: :func:`fit_audio`'s result},
    ``test``, and each side's row chosen on validation: ``best_classical``, ``best_net``,
    ``grid``.
    """
    if len(test) % 2 or len(val) % 2 or len(test) < 4:
        raise ValueError(f"the parts have {len(test)} and {len(val)} samples; the even/odd "
                         "split needs an even number, at least 4 (drop the last sample).")
    say = progress or (lambda line: None)
    density = bandwidth.samples_per_unit(len(test) // 2)  # the even samples span 2 units
    omega_rule = bandwidth.frequency_scale("siren", density)
    sweep, weights = _choose(val, name, density, factors, grid_weights, hidden, steps,
                             device, say)
    c = max(sweep, key=sweep.get)
    val_scores = {k: audio.snr(v, val[1::2]) for k, v in no_network_rows(val, weights, steps).items()}
    lines = [f"{name}, validation SNR of SIREN by c: "
             + ", ".join(f"{k:g} (ω0 {k * omega_rule:.0f}): {v:.1f}" for k, v in sweep.items())
             + f" dB -> c = {c:g}; penalty weights: {weights}"]
    lines += [note for note in [edge_note("c", c, sweep)] + [
        edge_note(f"the {p} weight", w, grid_weights) for p, w in weights.items()] if note]
    odd_rows = no_network_rows(test, weights, steps)
    say(f"{name}: test, the rows without a network done")
    nets = {}
    for label, kind, w in (("ReLU MLP", "relu", None),
                           ("SIREN, ω0 = 30 (the image value)", "siren", IMAGE_OMEGA0),
                           (f"SIREN, ω0 = {c * omega_rule:.0f} (c = {c:g})", "siren", c * omega_rule)):
        nets[label] = fit_audio(kind, w, test, hidden, steps, device)
        say(f"{name}: test, {label} trained ({nets[label].seconds:.1f} s)")
    odd_rows.update({k: f.full[1::2] for k, f in nets.items()})
    scores = {k: audio.snr(v, test[1::2]) for k, v in odd_rows.items()}
    psnrs = {k: audio.audio_psnr(v, test[1::2]) for k, v in odd_rows.items()}
    params = {k: nets[k].params if k in nets else 0 for k in odd_rows}
    lines.append(f"{'test clip: ' + name:<38}{'SNR dB':>8}{'PSNR dB':>9}{'params':>8}")
    lines += [f"{k:<38}{scores[k]:8.2f}{psnrs[k]:9.2f}{params[k]:8d}" for k in odd_rows]
    if log:
        for line in lines:
            log(line)
    best_classical = max(val_scores, key=val_scores.get)  # each side chosen on validation
    grid = max((k for k in val_scores if k.startswith("sample grid +")), key=val_scores.get)
    return SimpleNamespace(sweep=sweep, c=c, omega0=c * omega_rule, omega_rule=omega_rule,
                           weights=weights, rows=odd_rows, scores=scores, psnrs=psnrs,
                           params=params, nets=nets, test=test, val_scores=val_scores,
                           best_classical=best_classical, best_net=list(nets)[-1], grid=grid,
                           lines=lines)
