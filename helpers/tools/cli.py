"""The command line: ``python -m helpers fit --method gauss --image photo --size 96 --json``.

Your own data: ``fit --image PATH``, ``fit-sound --sound PATH``, ``fit-clip --clip PATH``
and ``fit-scene --scene PATH`` run the series' experiment on a picture, a WAV, a clip or
posed photos (:mod:`fit_sound`, :mod:`fit_clip`, :mod:`fit_scene`).

The benchmarks rely on ``fit --json``: its last line of stdout is one JSON object with
method, image, size, steps, lr, seed, device, params, train_psnr, test_psnr, seconds,
seconds_per_step. A bad argument exits with status 2 and one line on stderr.

``--method bicubic`` (or nearest, bilinear, lanczos, spline) interpolates the train
pixels instead of training: steps 0, params 0. Its train pixels are reproduced exactly,
an infinite PSNR, which JSON cannot hold: ``train_psnr`` is then ``null`` (so is any
other PSNR that is not finite).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import warnings

from .. import settings
from ..methods import INTERPOLATIONS, METHODS, get_method, make_model, method_names, run
from . import (estimate, exercise_list, fit_clip, fit_scene, fit_sound, run_notebooks, site,
               table, workspace)
from .args import check_device, positive_float, positive_int


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m helpers", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    fit = commands.add_parser("fit", help="fit one method to one image with the series' protocol")
    fit.add_argument("--method", required=True, choices=method_names(), metavar="METHOD",
                     help=f"one of: {', '.join(METHODS)}; or an interpolation (no training, "
                          f"--steps ignored): {', '.join(INTERPOLATIONS)}")
    fit.add_argument("--image", default=settings.IMAGE,
                     help="a bundled name (photo, cat, gray, text) or a path to a PNG/JPEG")
    fit.add_argument("--aspect", choices=["crop", "pad", "keep"], default="crop",
                     help="a picture that is not square: centre-crop it (default), pad it "
                          "with white, or keep its shape (--size is then the shorter side)")
    fit.add_argument("--size", type=positive_int, default=settings.SIZE,
                     help=f"square side in pixels (default {settings.SIZE}, the budget's)")
    fit.add_argument("--steps", type=positive_int, default=settings.STEPS,
                     help=f"training steps, full batch (default {settings.STEPS}, the budget's)")
    fit.add_argument("--lr", type=positive_float, help="default: the method's own")
    fit.add_argument("--scale", type=positive_float, help="gauss: sigma (paper's sense)")
    fit.add_argument("--n-features", type=positive_int, help="gauss: rows of B")
    fit.add_argument("--n-freqs", type=positive_int, help="pe: number of octaves L")
    fit.add_argument("--omega0", type=positive_float, help="siren: omega0 of the first layer")
    fit.add_argument("--a", type=positive_float, help="activation parameter a")
    fit.add_argument("--b", type=positive_float, help="supergaussian exponent b")
    fit.add_argument("--seed", type=int, default=0)
    fit.add_argument("--eval-every", type=positive_int, default=settings.EVAL_EVERY)
    fit.add_argument("--device", choices=["cpu", "cuda", "mps"], default=settings.DEVICE)
    fit.add_argument("--json", action="store_true",
                     help="print one JSON object as the last line, and on stderr only "
                          "warnings and errors (for scripts: no plan line, no timed step)")
    for command in (fit_sound, fit_clip, fit_scene):  # your own sound, clip, posed photos
        command.add_parser(commands)
    run_notebooks.add_parser(commands)
    table.add_parser(commands)
    workspace.add_parser(commands)
    exercise_list.add_parser(commands)
    site.add_parser(commands)
    return parser


def command_fit(args: argparse.Namespace) -> dict:
    from ..data import load_image

    check_device(args.device)
    if args.method not in INTERPOLATIONS:
        get_method(args.method)
    image = load_image(args.image, size=args.size, aspect=args.aspect)
    knobs = {"scale": args.scale, "n_features": args.n_features, "n_freqs": args.n_freqs,
             "omega0": args.omega0, "a": args.a, "b": args.b}
    if not args.json:
        _announce(args, image, knobs)
    result = run(args.method, image, steps=args.steps, lr=args.lr, seed=args.seed,
                 device=args.device, eval_every=args.eval_every, n_snapshots=0,
                 progress=not args.json and sys.stderr.isatty(), **knobs)
    return {
        "method": args.method, "image": str(args.image), "size": args.size,
        "steps": result.steps, "lr": result.lr, "seed": args.seed, "device": result.device,
        "params": result.params, "train_psnr": _finite(result.train_psnr),
        "test_psnr": _finite(result.test_psnr), "val_psnr": _finite(result.val_psnr),
        "seconds": round(result.seconds, 4),
        "seconds_per_step": round(result.seconds_per_step, 6), "diverged": result.diverged,
        "collapsed": result.collapsed, **{k: v for k, v in knobs.items() if v is not None},
    }


def _announce(args: argparse.Namespace, image, knobs: dict) -> None:
    """One line on stderr before training: the fit, and its time measured on this machine."""
    what = f"fit: {args.method} on {args.image} at {args.size} px"
    if args.method in INTERPOLATIONS:
        estimate.say(f"{what}: interpolation of the train pixels, no training")
        return
    given = {k: v for k, v in knobs.items() if v is not None}
    model = make_model(args.method, seed=args.seed, image_size=args.size, **given)
    lr = args.lr or get_method(args.method).lr
    per_step = estimate.seconds_per_step(model, image, lr, args.device)
    estimate.say(f"{what}, {args.steps} steps on {args.device}: "
                 f"{estimate.duration(estimate.fit_seconds(args.steps, per_step))} "
                 f"({per_step:.3g} s per step, timed here)")


def _finite(value: float) -> float | None:
    """A PSNR for JSON: rounded to 4 decimals, or None (null) when infinite or NaN."""
    return round(value, 4) if math.isfinite(value) else None


COMMANDS = {"fit": command_fit, "fit-sound": fit_sound.command, "fit-clip": fit_clip.command,
            "fit-scene": fit_scene.command, "run-notebooks": run_notebooks.command,
            "table": table.command, "workspace": workspace.command,
            "exercises": exercise_list.command, "site": site.command}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.filterwarnings("always", category=UserWarning)
            warnings.filterwarnings("always", category=RuntimeWarning)
            warnings.showwarning = _one_line_warning
            report = COMMANDS[args.command](args)
    except (ValueError, TypeError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted.", file=sys.stderr)
        return 130
    if report is None:
        return 0
    if getattr(args, "json", False):
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>18}: {value}")
    return 0


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    print(f"warning: {message}", file=sys.stderr)
