"""``python -m helpers fit-scene --scene PATH``: NeRF on your posed photos, beside the baselines.

PATH: a NeRF-synthetic folder (transforms_{train,val,test}.json, RGBA PNGs) or its
transforms_train.json (:func:`helpers.scene_data.load_views`). The scene is normalised
into [-1, 1]^3 (one line says how), then the nearest train view, a voxel grid and a NeRF
are scored on the held-out views (:func:`helpers.scene_baselines.compare`). Written to
--out: test_renders.png (per test view: truth, NeRF, voxel grid, nearest train view) and
orbit.mp4 (a GIF where no ffmpeg works). With --json the last line of stdout is one
object: rows (train/val/test PSNR, params, seconds per method), normalisation, files.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from .. import settings
from .args import check_device, positive_int
from .estimate import say


def add_parser(commands) -> None:
    nb = settings.NOTEBOOK_11
    parser = commands.add_parser("fit-scene", help="your own posed photos through 11's "
                                 "experiment (NeRF, voxel grid, nearest view)")
    parser.add_argument("--scene", required=True,
                        help="a folder with transforms_train.json (and _val, _test), or the json")
    parser.add_argument("--size", type=positive_int, default=nb["size"],
                        help=f"longer image side in pixels (default {nb['size']}, the budget's)")
    parser.add_argument("--steps", type=positive_int, default=nb["steps"],
                        help=f"training steps of each fit (default {nb['steps']})")
    parser.add_argument("--encoding", choices=("pe", "gauss", "hash", "none"), default="pe",
                        help="the NeRF's position encoding, at the bandwidth rule's scale")
    parser.add_argument("--bounds", type=float, nargs=6,
                        metavar=("X0", "Y0", "Z0", "X1", "Y1", "Z1"),
                        help="the scene's box in world units (default: from the cameras)")
    parser.add_argument("--out", type=Path,
                        default=Path(tempfile.gettempdir()) / "coordinate-mlps-live" / "fit-scene",
                        help="folder for test_renders.png and orbit.mp4")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", choices=["cpu", "cuda", "mps"], default=settings.DEVICE)
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object as the last line of stdout")


def command(args: argparse.Namespace) -> dict:
    from ..scene_baselines import compare

    from ..scene_data import load_views

    check_device(args.device)
    bounds = None if args.bounds is None else (args.bounds[:3], args.bounds[3:])
    start = time.perf_counter()
    views = load_views(args.scene, size=args.size, bounds=bounds, quiet=True)
    norm = views["train"].normalization
    say(str(norm))
    train = views["train"]
    say(f"fit-scene: {len(train)} train, {len(views['val'])} val, {len(views['test'])} test "
        f"views of {train.height} x {train.width} px, {args.steps} steps each on {args.device}")
    result = compare(views, encoding=args.encoding, steps=args.steps, seed=args.seed,
                     device=args.device, say=say)
    if not args.json:
        print(result)
    files = _write_outputs(result, views, Path(args.out))
    return {"scene": str(args.scene), "size": [train.height, train.width],
            "steps": args.steps, "encoding": args.encoding, "device": args.device,
            "rows": result.rows, "normalization": {"centre": list(norm.centre),
                                                   "scale": norm.scale, "source": norm.source},
            "files": [str(f) for f in files], "seconds": round(time.perf_counter() - start, 2)}


def _uint8(image: torch.Tensor) -> np.ndarray:
    return (image.clamp(0, 1).numpy() * 255 + 0.5).astype(np.uint8)


def _write_outputs(result, views, out: Path) -> list[Path]:
    """test_renders.png (a row per test view) and the NeRF's orbit video."""
    import matplotlib.pyplot as plt

    from .. import plots, video
    from ..nerf import render_view
    from ..scene_baselines import orbit_poses

    out.mkdir(parents=True, exist_ok=True)
    test, n = views["test"], settings.NOTEBOOK_11["n_samples"]
    name = next(key for key in result.runs if key.startswith("NeRF"))
    nerf, voxel = result.runs[name], result.runs["voxel grid"]
    images, titles = [], []
    for i, pose in enumerate(test.poses):
        shape = (test.height, test.width)
        images += [test.images[i], render_view(nerf.model, pose, shape, test.focal,
                                               result.bounds, n)[0],
                   render_view(voxel.model, pose, shape, test.focal, result.bounds, n)[0],
                   result.nearest[i]]
        titles += [f"test view {i}", name, "voxel grid", "nearest train view"]
    for k, key in enumerate((name, "voxel grid", "nearest train view")):  # PSNR on row 1
        titles[k + 1] += f"\n{result.rows[key]['test_psnr']:.2f} dB (all test views)"
    png = out / "test_renders.png"
    fig = plots.show_images(images, titles, ncols=4, size=2.4)
    fig.savefig(png, dpi=100)
    plt.close(fig)
    say(f"fit-scene: {png} (per test view: truth, {name}, voxel grid, nearest train view)")
    frames = []
    for pose in orbit_poses(views["train"]):
        frame = _uint8(render_view(nerf.model, pose, (test.height, test.width), test.focal,
                                   result.bounds, n)[0])
        scale = max(1, 256 // max(frame.shape[:2]))
        frame = frame.repeat(scale, 0).repeat(scale, 1)
        frames.append(np.pad(frame, ((0, -frame.shape[0] % 16), (0, -frame.shape[1] % 16),
                                     (0, 0)), constant_values=255))
    orbit = video._write_video(out / "orbit.mp4", frames, fps=8)
    say(f"fit-scene: {orbit} ({len(frames)} viewpoints around the scene)")
    return [png, orbit]
