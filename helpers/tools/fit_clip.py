"""``python -m helpers fit-clip --clip PATH``: 10's video contest on a clip of your own.

The clip (a folder of frames, a video file, or ``generated`` for 10's own clip) is read
with :func:`helpers.clip_files.load_clip`: ``--frames`` frames for the test clip and as many
after them for the validation clip (the knobs c and the TV weight are chosen on the later
frames, every row is scored once on the earlier ones; with fewer frames there the clip is
cut in two halves). ``generated`` draws 10's test clip and its validation clip (variant 1).
Then :func:`helpers.clip_fit.contest` on ``--holdout frames`` (in-between frames) or
``pixels`` (2x upsampling of each frame), c chosen on that hold-out of the validation clip
(10 chooses c on the frame hold-out and uses it for both). Defaults: ``settings.NOTEBOOK_10`` at the budget
(``NB_BUDGET=smoke|cpu|full``). ``--out DIR`` keeps ``side_by_side.mp4`` (original | SIREN
| the classical method, held-out samples filled in; a GIF without ffmpeg) and
``held_out_frame.png`` (one held-out frame or pixel grid as each row predicts it).
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

from .. import settings
from .args import check_device, non_negative_int, positive_float, positive_int
from .estimate import say

NB = settings.NOTEBOOK_10


def add_parser(commands) -> None:
    """Register ``fit-clip`` on the command line's subparsers."""
    fit = commands.add_parser("fit-clip", help="your own clip through 10's video "
                                               "contest (SIREN, voxel grid, optical flow)")
    fit.add_argument("--clip", required=True,
                     help="a folder of frames (PNG/JPEG), a video file (MP4, GIF, ...), or "
                          "'generated' for 10's generated clip")
    fit.add_argument("--frames", type=positive_int, default=NB["video_frames"],
                     help=f"frames in the test clip; as many more follow for validation "
                          f"(default {NB['video_frames']}, the budget's)")
    fit.add_argument("--start", type=non_negative_int, default=0, help="first frame read (default 0)")
    fit.add_argument("--step", type=positive_int, default=1,
                     help="read every STEP-th frame (default 1: every frame)")
    fit.add_argument("--size", type=positive_int, default=NB["video_size"],
                     help=f"shorter side in pixels, aspect ratio kept (default "
                          f"{NB['video_size']}, the budget's)")
    fit.add_argument("--square", action="store_true", help="centre-crop the frames to a square")
    fit.add_argument("--holdout", choices=["frames", "pixels"], default="frames",
                     help="frames: train on the even frames, test on the odd ones (default); "
                          "pixels: train on [::2, ::2] of every frame, test on [1::2, 1::2]")
    fit.add_argument("--steps", type=positive_int, default=NB["video_steps"],
                     help=f"training steps of SIREN and the voxel grids (default "
                          f"{NB['video_steps']}, the budget's)")
    fit.add_argument("--hidden", type=positive_int, default=NB["video_hidden"],
                     help=f"SIREN's width (default {NB['video_hidden']}, the budget's)")
    fit.add_argument("--factors", type=positive_float, nargs="+", default=list(NB["video_factors"]),
                     help="the bandwidth factors c tried on validation (default "
                          f"{' '.join(f'{c:g}' for c in NB['video_factors'])})")
    fit.add_argument("--device", choices=["cpu", "cuda", "mps"], default=settings.DEVICE)
    fit.add_argument("--out", type=Path, help="a folder for side_by_side.mp4 and held_out_frame.png")
    fit.add_argument("--json", action="store_true",
                     help="print one JSON object as the last line (the table and progress "
                          "go to stderr)")


def read_clips(args: argparse.Namespace):
    """``(test clip, validation clip, what the validation clip is)`` as the arguments say."""
    from .. import clip_files, video_clip
    from ..clip_fit import split_clip

    if args.clip == "generated":
        if args.size % 2:
            raise ValueError(f"--size {args.size} is odd; give an even size so the pixel "
                             "hold-out's train and test grids match.")
        test = video_clip.make_clip(args.frames, args.size)
        say(f"generated: {args.frames} frames {args.size}x{args.size} (10's clip)")
        return test, video_clip.make_clip(args.frames, args.size, variant=1), \
            "10's second generated clip (variant 1)"
    clip, line = clip_files.read_clip(args.clip, frames=2 * args.frames, size=args.size,
                                      start=args.start, step=args.step, square=args.square)
    say(line)
    if len(clip) < 2 * clip_files.MIN_FRAMES:
        raise ValueError(f"{len(clip)} frames cannot be cut into a test clip and a validation "
                         f"clip of {clip_files.MIN_FRAMES} frames each; give a clip of at "
                         f"least {2 * clip_files.MIN_FRAMES} frames.")
    if len(clip) < 2 * args.frames:
        say(f"only {len(clip)} frames: the test clip is the first half, the validation "
            "clip the second")
    test, val = split_clip(clip) if len(clip) < 2 * args.frames else \
        (clip[:args.frames], clip[args.frames:])
    first = args.start + len(test) * args.step
    every = "" if args.step == 1 else f", every {args.step}"
    return test, val, f"the next {len(val)} frames of the same clip (from frame {first}{every})"


def command(args: argparse.Namespace) -> dict:
    from ..clip_fit import PRACTITIONER, contest

    check_device(args.device)
    start = time.perf_counter()
    test, val, validation = read_clips(args)
    frames, height, width = test.shape[:3]
    say(f"test clip: {frames} frames {height}x{width}; validation: {validation}; hold-out: "
        f"{args.holdout}; {args.steps} steps, SIREN {args.hidden} wide, c from "
        f"{', '.join(f'{c:g}' for c in args.factors)}")
    result = contest(test, val, args.holdout, steps=args.steps, hidden=args.hidden,
                     factors=tuple(args.factors), tv_weights=NB["video_tv_weights"],
                     device=args.device, say=say)
    for knob, value, swept in (("c", result.c, args.factors),
                               ("the TV weight", result.tv_weight, NB["video_tv_weights"])):
        if len(swept) > 1 and value in (min(swept), max(swept)):
            say(f"note: {knob} = {value:g} is at the edge of the values tried "
                f"({min(swept):g} ... {max(swept):g}); a value beyond it may score higher")
    out = {}
    if args.out is not None:
        out = write_outputs(args.out, test, result, PRACTITIONER[args.holdout])
        say(f"wrote {out['video']} (original | SIREN | {PRACTITIONER[args.holdout]}) and "
            f"{out['frame']}")
    rows = {name: {"psnr": _finite(result.scores[name]), "seconds": round(result.seconds[name], 3)}
            for name in result.rows}
    show = say if args.json else print  # the table is the result, unless JSON is
    width_name = max(len(name) for name in rows)
    show(f"{'held-out ' + args.holdout:<{width_name}}  {'PSNR dB':>8}  {'s':>6}")
    for name in rows:
        show(f"{name:<{width_name}}  {result.scores[name]:8.2f}  {result.seconds[name]:6.1f}")
    if not args.json:
        return None
    return {"clip": str(args.clip), "holdout": args.holdout, "frames": frames,
            "size": [height, width], "steps": args.steps, "hidden": args.hidden,
            "device": args.device, "validation": validation, "c": result.c,
            "c_sweep": {f"{c:g}": _finite(v) for c, v in result.c_sweep.items()},
            "tv_weight": result.tv_weight,
            "omega0": round(result.siren.omega0, 4), "params": result.siren.params,
            "rows": rows, "seconds": round(time.perf_counter() - start, 2),
            "out": {k: str(v) for k, v in out.items()}}


def write_outputs(folder: Path, clip, result, classical: str) -> dict:
    """``side_by_side.mp4`` (original | SIREN | ``classical``, held-out samples predicted)
    and ``held_out_frame.png``; returns ``{"video": path, "frame": path}``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import torch

    from .. import plots, video_clip
    from ..clip_fit import full_clip, test_index

    folder.mkdir(parents=True, exist_ok=True)
    holdout = result.holdout
    side = torch.cat([clip, result.siren.video, full_clip(clip, result.rows[classical], holdout)],
                     dim=2)
    video = video_clip.write_video(side, folder / "side_by_side", fps=8,
                                   scale=max(1, 192 // clip.shape[1]))
    k = clip.shape[0] // 4 if holdout == "frames" else clip.shape[0] // 2
    target = clip[test_index(holdout)][k]
    where = f"frame {2 * k + 1}" if holdout == "frames" else f"frame {k}, odd pixels"
    images = [target, *(prediction[k] for prediction in result.rows.values())]
    titles = [f"target: {where}", *(f"{n}\n{result.scores[n]:.1f} dB (all held out)"
                                    for n in result.rows)]
    fig = plots.show_images(images, titles, size=2.4)
    frame = folder / "held_out_frame.png"
    fig.savefig(frame, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return {"video": video, "frame": frame}


def _finite(value: float):
    return round(value, 4) if math.isfinite(value) else None
