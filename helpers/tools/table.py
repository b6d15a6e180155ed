"""The Fourier-features paper's image table, over an image set: ``python -m helpers table``.

Tancik et al. 2020, "Fourier Features Let Networks Learn High Frequency Functions in
Low Dimensional Domains", Sec. 6 (2D image regression): a 4 x 256 ReLU MLP with a
sigmoid output, trained full-batch with Adam on ``image[::2, ::2]`` and tested on
``image[1::2, 1::2]``, with four input mappings:

- no mapping (raw coordinates);
- basic, ``[cos(pi x), sin(pi x)]``;
- positional encoding, log-linear: frequencies ``2^linspace(0, s, 128) - 1`` per axis
  (s = 6 on photos, 5 on text, as in the paper's code), 512 features;
- Gaussian Fourier features, 256 x 2 features, sigma = 10 on photos, 14 on text.

Adam lr 1e-3, except no mapping and basic at 1e-2 on natural photos (``--kind natural``,
the default); ``--kind text`` uses 1e-3 throughout, sigma = 14 and s = 5. A fit that ends
at one flat colour (its sigmoid saturated; ``FitResult.collapsed``) is counted as it
ended, as the paper's protocol would, and named in the row's ``collapsed`` list.

Beside the mappings, the classical answer: Keys bicubic interpolation of the same train
pixels (:mod:`helpers.interpolate`, no training), so every row can be read against it.
The images are the bundled set of the kind (``helpers.data.image_set``: 10 photos, or 8
text images like the paper's), or every image in ``--images DIR``.

The paper's means over its own 16 images at 512 px, 2000 steps: 19.32 / 21.72 / 24.95 /
25.57 dB on natural photos, 18.40 / 20.48 / 27.57 / 30.47 dB on text; centre-aligned
cubic interpolation of the train pixels scores 26.0 and 28.6 dB on those same images.
``run_table`` prints mean ± std of test PSNR per row over the images::

    python -m helpers table [--kind natural|text] [--images DIR] --size 512 --steps 2000 [--json]
"""
from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import torch

from .. import settings
from ..data import image_set_names, load_image
from ..interpolate import fit_interpolation
from ..methods import get_method, make_model
from ..train import fit
from . import estimate
from .args import check_device, positive_float, positive_int

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
# key -> (label, registry method), in the paper's column order
MAPPINGS = {"none": ("no mapping", "relu"), "basic": ("basic", "basic"),
            "pe": ("positional enc.", "pe"), "gauss": ("Gaussian", "gauss")}
# per kind of image: the Gaussian sigma, the positional encoding's s, and a learning rate
# for every mapping (None: each method's own from the registry, which holds the paper's
# natural-photo rates); the values of the paper's code (Experiments/2d_image_regression)
KINDS = {"natural": {"lr": None, "scale": 10.0, "pe_scale": 6.0},
         "text": {"lr": 1e-3, "scale": 14.0, "pe_scale": 5.0}}
PAPER = {  # Tancik et al. 2020, Table (2D image regression), mean test PSNR in dB
    "natural": {"none": 19.32, "basic": 21.72, "pe": 24.95, "gauss": 25.57},
    "text": {"none": 18.40, "basic": 20.48, "pe": 27.57, "gauss": 30.47},
}
# classical rows: key -> label; bicubic of the train pixels of the paper's own images,
# measured with a centre-aligned cubic (data/README.md, benchmarks): 26.0 and 28.6 dB
BASELINES = {"bicubic": "bicubic (no training)"}
PAPER_BICUBIC = {"natural": 26.0, "text": 28.6}


def image_files(folder: str | Path) -> list[Path]:
    """Every image file directly inside ``folder``, sorted by name, or a one-sentence error."""
    path = Path(folder).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"no folder at {str(path)!r}: give --images a folder of "
                                "PNG or JPEG images.")
    if not path.is_dir():
        raise NotADirectoryError(f"{str(path)!r} is a file, not a folder: give --images the "
                                 "folder that holds the images.")
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise ValueError(f"no images in {str(path)!r}: put PNG or JPEG files in it "
                         f"(suffixes {', '.join(sorted(IMAGE_SUFFIXES))}).")
    return files


def log_linear_freqs(scale: float = 6.0, n_freqs: int = 128) -> torch.Tensor:
    """Tancik et al.'s positional-encoding frequencies ``2^linspace(0, s, m) - 1``, ``(m,)``."""
    return 2.0 ** torch.linspace(0, scale, n_freqs) - 1


def build_mapping(key: str, scale: float = 10.0, pe_scale: float = 6.0, seed: int = 0):
    """The model of mapping ``key`` (see :data:`MAPPINGS`), seeded, from the method registry."""
    knobs = {"pe": {"freqs": log_linear_freqs(pe_scale)},
             "gauss": {"scale": scale, "n_features": 256}}.get(key, {})
    return make_model(MAPPINGS[key][1], seed=seed, **knobs)


def mapping_lr(key: str, kind: str) -> float:
    """Mapping ``key``'s learning rate on images of ``kind``."""
    return KINDS[kind]["lr"] or get_method(MAPPINGS[key][1]).lr


def _summarise(entry: dict) -> None:
    """Add ``*_mean`` / ``*_std`` (population std, 0 for one image) of each PSNR list."""
    for metric in ("test_psnr", "train_psnr"):
        if metric in entry:
            values = np.array(entry[metric], dtype=float)
            entry[f"{metric}_mean"] = round(float(values.mean()), 4)
            entry[f"{metric}_std"] = round(float(values.std()), 4)


def run_table(folder: str | Path | None = None, size: int = 512, steps: int = 2000,
              kind: str = "natural", scale: float | None = None, pe_scale: float | None = None,
              seed: int = 0, device: str | None = None, log=None,
              mappings: list[str] | None = None) -> dict:
    """Fit the mappings to every image, beside bicubic; returns the JSON-ready report.

    folder: a folder of images, or None for the bundled set of ``kind``. kind: 'natural'
    or 'text' (learning rates, default sigma and s, see :data:`KINDS`). mappings: keys of
    :data:`MAPPINGS` to fit (default all four; one row can be re-measured alone).

    ``report["methods"][key]`` holds label, lr, per-image ``test_psnr`` / ``train_psnr``
    lists and their ``*_mean`` / ``*_std`` (population std, 0 for one image), and
    ``collapsed``, the images whose fit ended at one flat colour;
    ``report["baselines"]["bicubic"]`` the same for test PSNR (its train pixels are
    exact). ``log(line)`` is called before the first fit with what will run and its
    estimated time, then after each fit (the command line prints to stderr).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}.")
    mappings = list(MAPPINGS) if mappings is None else mappings
    unknown = [key for key in mappings if key not in MAPPINGS]
    if unknown or not mappings:
        raise ValueError(f"mappings must be some of {', '.join(MAPPINGS)}, got "
                         f"{', '.join(unknown) or 'none'}.")
    scale = KINDS[kind]["scale"] if scale is None else scale
    pe_scale = KINDS[kind]["pe_scale"] if pe_scale is None else pe_scale
    files = image_files(folder) if folder is not None else image_set_names(kind)
    if log is not None:
        _announce(files, mappings, size, steps, kind, scale, pe_scale, seed, device, log)
    start = time.perf_counter()
    n_fits, done = len(files) * len(mappings), 0
    baselines = {key: {"label": label, "test_psnr": []} for key, label in BASELINES.items()}
    methods = {key: {"label": label, "lr": mapping_lr(key, kind), "test_psnr": [],
                     "train_psnr": [], "seconds": [], "collapsed": []}
               for key, (label, _) in MAPPINGS.items() if key in mappings}
    for number, file in enumerate(files, 1):
        image = load_image(file, size=size)
        name = getattr(file, "name", file)
        for key, entry in baselines.items():
            entry["test_psnr"].append(round(fit_interpolation(image, key).test_psnr, 4))
        for key, entry in methods.items():
            result = _fit_row(key, entry, image, scale, pe_scale, seed, steps, device, name)
            done += 1
            if log is not None:
                left = (time.perf_counter() - start) / done * (n_fits - done)
                log(f"fit {done}/{n_fits} [image {number}/{len(files)}] {name}: "
                    f"{entry['label']:<16} test {result.test_psnr:5.2f} dB, train "
                    f"{result.train_psnr:5.2f} dB ({result.seconds:.1f} s)"
                    f"{', collapsed' if result.collapsed else ''}"
                    + (f"; {estimate.duration(left)} left" if left else ""))
    for entry in (*methods.values(), *baselines.values()):
        _summarise(entry)
    source = str(folder) if folder is not None else f"the bundled {kind} set"
    return {"images": [getattr(f, "name", f) for f in files], "folder": source, "size": size,
            "steps": steps, "kind": kind, "seed": seed, "scale": scale, "pe_scale": pe_scale,
            "device": str(device), "methods": methods, "baselines": baselines,
            "seconds": round(time.perf_counter() - start, 2)}


def _fit_row(key, entry, image, scale, pe_scale, seed, steps, device, name):
    """Fit mapping ``key`` to ``image``; append its PSNRs and seconds to the row ``entry``."""
    model = build_mapping(key, scale, pe_scale, seed)
    with warnings.catch_warnings():  # the row's "collapsed" list says it instead
        warnings.filterwarnings("ignore", message="the fit ended at one flat colour")
        result = fit(model, image, steps=steps, lr=entry["lr"], seed=seed, device=device,
                     n_snapshots=0, eval_every=steps, progress=False, description=key)
    entry["test_psnr"].append(round(result.test_psnr, 4))
    entry["train_psnr"].append(round(result.train_psnr, 4))
    entry["seconds"].append(round(result.seconds, 3))
    if result.collapsed:
        entry["collapsed"].append(str(name))
    return result


def _announce(files, mappings, size, steps, kind, scale, pe_scale, seed, device, log) -> None:
    """Two lines before the first fit: what will run, and its time measured on this machine
    (a few steps of each mapping at this size, :mod:`helpers.tools.estimate`)."""
    n_fits = len(files) * len(mappings)
    log(f"table: {len(files)} {kind} image(s) x {len(mappings)} mapping(s) "
        f"({', '.join(mappings)}) = {n_fits} fits of {steps} steps at {size} px on "
        f"{device or settings.DEVICE}, and bicubic; timing a step of each mapping ...")
    image = load_image(files[0], size=size)
    per_step = {key: estimate.seconds_per_step(build_mapping(key, scale, pe_scale, seed), image,
                                               mapping_lr(key, kind), device)
                for key in mappings}
    total = len(files) * sum(estimate.fit_seconds(steps, s) for s in per_step.values())
    log(f"estimate: {estimate.duration(total)} in all (seconds per step: "
        + ", ".join(f"{key} {s:.3g}" for key, s in per_step.items()) + ")")


def format_table(report: dict) -> str:
    """The report as a text table: one row per mapping, mean ± std in dB."""
    lines = [f"Tancik et al. 2020 protocol: {len(report['images'])} image(s) from "
             f"{report['folder']} ({report['kind']}), {report['size']} px, "
             f"{report['steps']} steps, device {report['device']}",
             f"{'mapping':<22}{'lr':>8}{'test PSNR (dB)':>18}{'train PSNR (dB)':>18}"
             f"{'flat':>7}"]
    knob = {"gauss": f" (σ={report['scale']:g})", "pe": f" (s={report['pe_scale']:g})"}
    n_images = len(report["images"])
    for key, entry in report["methods"].items():
        label = entry["label"] + knob.get(key, "")
        flat = f"{len(entry.get('collapsed', []))}/{n_images}"
        lines.append(f"{label:<22}{entry['lr']:>8g}"
                     f"{entry['test_psnr_mean']:>11.2f} ± {entry['test_psnr_std']:<4.2f}"
                     f"{entry['train_psnr_mean']:>11.2f} ± {entry['train_psnr_std']:<4.2f}"
                     f"{flat:>7}")
    for entry in report.get("baselines", {}).values():
        lines.append(f"{entry['label']:<22}{'-':>8}"
                     f"{entry['test_psnr_mean']:>11.2f} ± {entry['test_psnr_std']:<4.2f}"
                     f"{'exact':>11}")
    if any(entry.get("collapsed") for entry in report["methods"].values()):
        lines.append("flat: fits that ended at one flat colour (sigmoid saturated), counted "
                     "as they ended")
    kind = report["kind"]
    paper = " / ".join(f"{value:.2f}" for value in PAPER[kind].values())
    lines.append(f"--- the paper's numbers, on the paper's own 16 {kind} images (not these) ---")
    lines.append(f"bicubic {PAPER_BICUBIC[kind]:.1f} dB; mappings at 512 px, 2000 steps: "
                 f"{paper} dB")
    return "\n".join(lines)


def add_parser(commands) -> None:
    """Register ``table`` on the command line's sub-parsers (called by helpers.tools.cli)."""
    table = commands.add_parser("table", help="Tancik et al. 2020's image table, beside bicubic")
    table.add_argument("--images", metavar="DIR",
                       help="a folder of PNG/JPEG images (default: the bundled set of --kind)")
    table.add_argument("--size", type=positive_int, default=512,
                       help="square side in pixels (paper: 512)")
    table.add_argument("--steps", type=positive_int, default=2000, help="paper: 2000")
    table.add_argument("--kind", choices=list(KINDS), default="natural",
                       help="natural photos or text: the bundled set, learning rates and sigma")
    table.add_argument("--scale", type=positive_float,
                       help="Gaussian sigma (default: 10 for natural, 14 for text)")
    table.add_argument("--pe-scale", type=positive_float,
                       help="positional encoding: frequencies 2^linspace(0, s, 128) - 1 "
                            "(default: 6 for natural, 5 for text)")
    table.add_argument("--mappings", type=lambda text: text.split(","), metavar="KEYS",
                       help=f"comma-separated, some of {','.join(MAPPINGS)} (default: all)")
    table.add_argument("--seed", type=int, default=0)
    table.add_argument("--device", choices=["cpu", "cuda", "mps"], default=settings.DEVICE)
    table.add_argument("--json", action="store_true", help="print one JSON object as the last line")


def command(args) -> dict | None:
    """``python -m helpers table``: the report for --json, else print the table."""
    check_device(args.device)
    report = run_table(args.images, args.size, args.steps, args.kind, args.scale, args.pe_scale,
                       args.seed, args.device,
                       log=estimate.say,
                       mappings=args.mappings)
    if args.json:
        return report
    print(format_table(report))
    return None
