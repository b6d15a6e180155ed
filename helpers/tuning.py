"""The same tuning budget for every method: a small seeded random search (07_showdown).

A method is tuned on two numbers: ``c``, a factor on its frequency knob (:data:`KNOBS`),
and its learning rate. Every method gets the same ``n_configs`` configurations from one
seed (Bergstra & Bengio 2012: random search covers the knobs that matter better than a
grid of the same size):

    configuration 0:  c = 1, lr = lr0                 (the method's defaults)
    configuration k:  log c ~ U(log 1/4, log 4),  log10(lr / lr0) ~ U(-1, 1)

With v0 the knob's default at the race's image size, c sets:

    a frequency (σ, ω0, a multiplying x, the MFN's scale):   v = c · v0
    a width (a in exp(-x²/2a²) and e^-|x|/a, the Gaussians'):  v = v0 / c
    octaves (PE's L):              L = round(L0 + log2 c), at least 1
    a table (hash grid's log2 T):  log2 T = default + round(log2 c)

A method without a frequency knob (plain ReLU, the basic mapping) draws the same learning
rates and keeps c = 1.

Where: each configuration trains, for as many steps as the race, on the **centre crop**
of the race's image (``crop`` of its side: a quarter of its pixels at 0.5), and the best
PSNR on the crop's **validation** pixels wins; no test pixel is looked at. The crop keeps
its coordinates in the whole image (:class:`CropCoordinates`), so the network sees the
same pixels per unit, the same detail and the same knobs as in the race: nothing has to
be carried from one size to another. The winner is then trained once on the whole image
and kept only if its validation PSNR there beats the defaults' (:meth:`Tuning.keep_defaults`).
"""
from __future__ import annotations

import inspect
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .encoders import max_useful_n_freqs
from .hashgrid import default_log2_table_size
from .mfn import default_input_scale

C_RANGE = (0.25, 4.0)      # the factor c on the frequency knob
LR_DECADES = 1.0           # lr drawn within lr0 / 10 .. lr0 * 10

# method -> (knobs that c scales, how): see the module docstring
KNOBS = {
    "relu": ((), None), "basic": ((), None),
    "pe": (("n_freqs",), "octaves"),
    "gauss": (("scale",), "frequency"),
    "siren": (("omega0",), "frequency"),
    "gaussian": (("a",), "width"), "laplacian": (("a",), "width"),
    "supergaussian": (("a",), "width"),
    "quadratic": (("a",), "frequency"), "multiquadratic": (("a",), "frequency"),
    "expsin": (("a",), "frequency"),
    "wire": (("omega0", "s0"), "frequency"),
    "finer": (("omega0",), "frequency"),
    "gabor": (("scale",), "frequency"),
    "hashgrid": (("log2_table_size",), "table"),
    "siren_scaled": (("omega0",), "frequency"), "finer_scaled": (("omega0",), "frequency"),
    "sinc": (("omega0",), "frequency"), "fr_siren": (("omega0",), "frequency"),
    "staf": (("omega0",), "frequency"),
    "gaussians": (("scale",), "width"),
}
SIZE_DEFAULTS = {("pe", "n_freqs"): max_useful_n_freqs,
                 ("hashgrid", "log2_table_size"): default_log2_table_size,
                 ("gabor", "scale"): default_input_scale}


def draw_configs(n_configs: int, seed: int = 0) -> list[tuple[float, float]]:
    """``n_configs`` pairs ``(c, lr factor)``; the first is ``(1, 1)``, the rest seeded draws."""
    if n_configs < 1:
        raise ValueError(f"n_configs must be at least 1, got {n_configs}.")
    rng = np.random.default_rng(seed)
    pairs = [(1.0, 1.0)]
    for _ in range(n_configs - 1):
        c = math.exp(rng.uniform(math.log(C_RANGE[0]), math.log(C_RANGE[1])))
        pairs.append((c, 10 ** rng.uniform(-LR_DECADES, LR_DECADES)))
    return pairs


def default_value(name: str, knob: str, size: int) -> float:
    """Method ``name``'s default ``knob`` for an image of ``size`` pixels."""
    from .methods import get_method

    if (name, knob) in SIZE_DEFAULTS:
        return SIZE_DEFAULTS[name, knob](size)
    method = get_method(name)
    if knob in method.defaults:
        return method.defaults[knob]
    return inspect.signature(method.build).parameters[knob].default  # the builder's default


def knobs_at(name: str, c: float, size: int) -> dict:
    """The knobs of configuration ``c`` for an image of ``size`` px (see the docstring)."""
    if name not in KNOBS:
        raise ValueError(f"no tuning rule for {name!r}; add it to helpers.tuning.KNOBS.")
    names, kind = KNOBS[name]
    knobs = {}
    for knob in names:
        v0 = default_value(name, knob, size)
        if kind == "frequency":
            knobs[knob] = c * v0
        elif kind == "width":
            knobs[knob] = v0 / c
        elif kind == "octaves":
            knobs[knob] = max(1, round(v0 + math.log2(c)))
        else:  # "table"
            knobs[knob] = max(1, v0 + round(math.log2(c)))
    return knobs


class CropCoordinates(nn.Module):
    """``(N, 2)`` coordinates in a crop's own (-1, 1) grid -> the same pixels' coordinates
    in the whole image: ``x = x' · w / W + (2 c0 + w) / W - 1`` (and y likewise), for the
    crop of rows ``r0 : r0 + h`` and columns ``c0 : c0 + w`` of an H x W image."""

    def __init__(self, r0: int, c0: int, h: int, w: int, height: int, width: int):
        super().__init__()
        self.register_buffer("scale", torch.tensor([w / width, h / height]))
        self.register_buffer("offset", torch.tensor([(2 * c0 + w) / width - 1,
                                                     (2 * r0 + h) / height - 1]))

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        return coords * self.scale + self.offset


def centre_crop(height: int, width: int, crop: float) -> tuple[int, int, int, int]:
    """``(r0, c0, h, w)``: the centre ``crop`` of each side, with even offsets and sizes, so
    the crop's train pixels (``[::2, ::2]``) are the image's train pixels."""
    if not 0 < crop <= 1:
        raise ValueError(f"crop is a fraction of the image's side in (0, 1], got {crop}.")
    h, w = (max(2, 2 * round(crop * n / 2)) for n in (height, width))
    return 2 * ((height - h) // 4), 2 * ((width - w) // 4), h, w


@dataclass
class Tuning:
    """A search's record. configs: one dict per run (c, lr, knobs, val_psnr, diverged,
    seconds); best: index of the winner; knobs and lr: the winner's (or the defaults', after
    :meth:`keep_defaults`); seconds: the whole search."""

    name: str
    configs: list = field(default_factory=list)
    best: int = 0
    knobs: dict = field(default_factory=dict)
    lr: float = 0.0
    seconds: float = 0.0
    kept_defaults: bool = False

    @property
    def runs(self) -> int:
        """Runs spent: the search's, plus the winner's full-size run if it was not the
        defaults (compared with them on the validation pixels: :meth:`keep_defaults`)."""
        return len(self.configs) + (self.best != 0)

    def keep_defaults(self, size: int) -> None:
        """Fall back to the defaults (c = 1, lr0): the winner did worse on the whole image."""
        from .methods import get_method

        self.knobs = knobs_at(self.name, 1.0, size)
        self.lr = get_method(self.name).lr
        self.kept_defaults = True


def search_fit(name: str, image, box, knobs: dict, lr: float, steps: int, seed: int = 0,
               **fit_options):
    """Method ``name`` (built for ``image``'s size, with ``knobs``) fitted to the crop ``box``
    = (r0, c0, h, w) of ``image`` in the whole image's coordinates; disk-cached."""
    from . import cache
    from .methods import make_model
    from .models import CoordinateModel
    from .train import fit

    r0, c0, h, w = box
    size = min(image.shape[0], image.shape[1])
    crop = image[r0:r0 + h, c0:c0 + w]
    net = make_model(name, seed=seed, image_size=size, **knobs)
    model = CoordinateModel(CropCoordinates(r0, c0, h, w, image.shape[0], image.shape[1]), net)
    options = {"progress": False, "n_snapshots": 0, **fit_options}
    key = cache.fit_key("tune", crop, method=name, options=knobs, box=box, size=size, seed=seed,
                        steps=steps, lr=lr, fit=sorted(options.items()))
    return cache.cached_fit(key, model, lambda m: fit(m, crop, steps=steps, lr=lr, seed=seed,
                                                      **options))


def tune(name: str, image, n_configs: int, steps: int, crop: float = 0.5, seed: int = 0,
         **fit_options) -> Tuning:
    """Search ``n_configs`` configurations of method ``name`` on the centre ``crop`` of
    ``image`` (the race's image), ``steps`` each; pick the best validation PSNR and return
    the :class:`Tuning`. Warnings of the runs (a diverging lr) are kept in the table, not
    printed."""
    from .methods import get_method

    lr0 = get_method(name).lr
    size = min(image.shape[0], image.shape[1])
    box = centre_crop(image.shape[0], image.shape[1], crop)
    record = Tuning(name)
    start = time.perf_counter()
    for c, factor in draw_configs(n_configs, seed):
        knobs = knobs_at(name, c, size)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = search_fit(name, image, box, knobs, lr0 * factor, steps, seed, **fit_options)
        val = result.val_psnr if math.isfinite(result.val_psnr) else -math.inf
        record.configs.append({"c": c, "lr": lr0 * factor, "knobs": knobs, "val_psnr": val,
                               "diverged": result.diverged or result.collapsed,
                               "seconds": result.seconds})
    record.seconds = time.perf_counter() - start
    record.best = max(range(len(record.configs)), key=lambda k: record.configs[k]["val_psnr"])
    record.knobs = record.configs[record.best]["knobs"]
    record.lr = record.configs[record.best]["lr"]
    return record
