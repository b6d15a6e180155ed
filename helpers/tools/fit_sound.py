"""``python -m helpers fit-sound --sound PATH``: 10_beyond_images' sound contest on any WAV.

The held-out split of the notebook: the sound from ``--start`` to the end of the file,
mixed to mono and brought to ``--rate``, is cut in two halves, the first the test part,
the second the validation part, each used for its first ``--seconds``; even samples
train, odd samples test. Rows (:func:`helpers.sound_fit.contest`): silence, linear and
band-limited interpolation (a loop, and mirrored), the no-network sample grid alone and
with TV or smoothness penalties (weights chosen on validation), a ReLU MLP, SIREN at the
image's ω0 = 30 and at the bandwidth rule's ω0 times c (c chosen on validation). Every
row's score is the test part's odd-sample SNR in dB. Defaults: the notebook's, at the
budget (``NB_BUDGET=smoke|cpu|full``). Progress goes to stderr; ``--json`` prints one
object as the last line of stdout. ``--out DIR`` writes ``reconstruction.wav`` (the
validated SIREN's prediction of every sample of the test part), ``test_part.wav`` (the
test part as loaded) as 32-bit float WAVs, and ``spectrogram.png``.
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from .. import audio, settings, sound_fit, wav
from . import estimate
from .args import check_device, positive_float, positive_int

BUNDLED = {"notes": audio.SOUND, "pluck": audio.PLUCK}


def _seconds_from_start(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (value >= 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text}")
    return value


def add_parser(commands) -> None:
    """Register ``fit-sound`` on the command line's sub-parsers (called by helpers.tools.cli)."""
    nb = settings.NOTEBOOK_10
    parser = commands.add_parser(
        "fit-sound", help="your own WAV through 10's sound contest (SIREN, sample grid, interpolation)")
    parser.add_argument("--sound", required=True, metavar="PATH",
                        help="a WAV file (PCM 8/16/24/32-bit or float, any rate and channels) "
                             f"or a bundled clip: {', '.join(BUNDLED)}")
    parser.add_argument("--seconds", type=positive_float, default=nb["audio_seconds"],
                        help="length of each part, test and validation (default "
                             f"{nb['audio_seconds']:g}, the budget's)")
    parser.add_argument("--start", type=_seconds_from_start, default=0.0,
                        help="where the sound starts in the file, in seconds (default 0)")
    parser.add_argument("--rate", type=positive_int, default=nb["audio_rate"],
                        help=f"sample rate to resample to, Hz (default {nb['audio_rate']})")
    parser.add_argument("--steps", type=positive_int, default=nb["audio_steps"],
                        help=f"training steps of every fit (default {nb['audio_steps']})")
    parser.add_argument("--hidden", type=positive_int, default=nb["audio_hidden"],
                        help=f"network width (default {nb['audio_hidden']})")
    parser.add_argument("--out", metavar="DIR",
                        help="write reconstruction.wav, test_part.wav and spectrogram.png here")
    parser.add_argument("--device", choices=["cpu", "cuda", "mps"], default=settings.DEVICE)
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")


def command(args: argparse.Namespace) -> dict | None:
    """``python -m helpers fit-sound``: the report for --json, else print the table."""
    check_device(args.device)
    nb = settings.NOTEBOOK_10
    path = Path(BUNDLED.get(args.sound, args.sound))
    parts = wav.load_parts(path, args.seconds, args.rate, args.start, say=estimate.say)
    n = len(parts["test"])
    factors, weights = nb["audio_factors"], nb["grid_weights"]
    estimate.say(f"fit-sound: {n} samples per part; {len(factors) + 3} networks of "
                 f"{args.steps} steps (width {args.hidden}, on {args.device}) and "
                 f"{2 * len(weights) + 6} sample grids")
    start = time.perf_counter()
    result = sound_fit.contest(parts["test"], parts["validation"], path.stem, args.hidden,
                               args.steps, factors, weights, args.device, log=None,
                               progress=estimate.say)
    seconds = time.perf_counter() - start
    files = _write(Path(args.out), result, args.rate) if args.out else []
    if not args.json:
        for line in result.lines + [f"wrote {f}" for f in files]:
            print(line)
        print(f"({seconds:.0f} s)")
        return None
    return {
        "sound": str(path), "rate": args.rate, "seconds": len(parts["test"]) / args.rate,
        "start": args.start, "samples": n, "steps": args.steps, "hidden": args.hidden,
        "device": args.device, "c": result.c, "omega0": round(result.omega0, 4),
        "omega0_rule": round(result.omega_rule, 4), "weights": result.weights,
        "validation_snr_by_c": {f"{c:g}": _finite(v) for c, v in result.sweep.items()},
        "test_snr": {k: _finite(v) for k, v in result.scores.items()},
        "best_classical": result.best_classical, "best_network": result.best_net,
        "run_seconds": round(seconds, 2), "files": [str(f) for f in files],
    }


def _finite(value: float) -> float | None:
    """An SNR for JSON: rounded to 4 decimals, or None (null) when infinite or NaN."""
    return round(value, 4) if math.isfinite(value) else None


def _write(out: Path, result, rate: int) -> list[Path]:
    """The reconstruction and the test part as float32 WAVs, and their spectrograms."""
    from matplotlib.figure import Figure
    from scipy.io import wavfile

    out.mkdir(parents=True, exist_ok=True)
    net = result.nets[result.best_net].full
    classical = result.test.clone()
    classical[1::2] = result.rows[result.best_classical]
    panels = [("test part (target)", result.test, None),
              (f"{result.best_classical}\n(chosen on validation)", classical,
               result.scores[result.best_classical]),
              (result.best_net, net, result.scores[result.best_net])]
    written = [out / "reconstruction.wav", out / "test_part.wav", out / "spectrogram.png"]
    wavfile.write(written[0], rate, net.numpy().astype(np.float32))
    wavfile.write(written[1], rate, result.test.numpy().astype(np.float32))
    figure = Figure(figsize=(4 * len(panels), 3.6), constrained_layout=True)
    for ax, (title, signal, score) in zip(figure.subplots(1, len(panels)), panels):
        freqs, times, db = audio.spectrogram(signal, rate)
        ax.imshow(db, origin="lower", aspect="auto", cmap="magma", vmin=-80, vmax=0,
                  extent=(times[0], times[-1], freqs[0], freqs[-1]))
        ax.axhline(rate / 4, color="white", linestyle=":", linewidth=1)  # the even samples' Nyquist
        ax.set_title(title + ("" if score is None else f"\ntest SNR {score:.2f} dB"), fontsize=9)
        ax.set(xlabel="time (s)", ylabel="frequency (Hz)")
    figure.savefig(written[2], dpi=100)
    return written
