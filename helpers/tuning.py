"""The same tuning budget for every method: a small seeded random search (07_showdown).

A method is tuned on two numbers: ``c``, a factor on its frequency knob (:data:`KNOBS`),
and its learning rate. Every method gets the same ``n_configs`` configurations from one
seed (Bergstra & Bengio 2012: random search covers the knobs that matter better than a
grid of the same size):

    configuration 0:  c = 1, lr = lr0                 (the method's defaults)
    configuration k:  log c ~ U(log 1/4, log 4),  log10(lr / lr0) ~ U(-1, 1)

A method without a frequency knob (plain ReLU, the basic mapping) draws the same learning
rates and keeps c = 1. Each configuration is one :func:`helpers.methods.run` (disk-cached)
on a smaller *search* image, and the best **validation** PSNR wins; the test pixels are
not looked at. The chosen c is carried to the race's image size by the bandwidth rule
(:mod:`helpers.bandwidth`: frequencies follow the train samples per unit, so half the
size asks for half the frequency). With v0 the knob's default at the race's size:

    frequency (σ, ω0, a multiplying x, the MFN's scale): v = c · v0 · size / race_size
    width (a in exp(-x²/2a²), e^-|x|/a):                v = v0 / c · race_size / size
    width in train pixels (the Gaussians' std):        v = v0 / c
    octaves (PE's L):            L = round(L0 + log2 c + log2(size / race_size)), >= 1
    table (hash grid's log2 T):  log2 T = default(size) + round(log2 c)

The Gaussians' count follows the image's area at the search size (:data:`PER_AREA`), so
each pixel is covered by as many of them as at the race's size.

The search's winner is then trained at the race's size and kept only if its validation
PSNR there beats the defaults' (:meth:`Tuning.keep_defaults`): the search ran on a
smaller image for fewer steps, where a larger learning rate can look better than it is.
"""
from __future__ import annotations

import inspect
import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

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
    "gaussians": (("scale",), "pixels"),
}
# knobs that follow the image's area at the search size, so each pixel keeps as many
# Gaussians as at the race's size (their count is the model's size, not a tuned knob)
PER_AREA = {"gaussians": {"n_gaussians": 16_640}}
SIZE_DEFAULTS = {"n_freqs": max_useful_n_freqs, "log2_table_size": default_log2_table_size}
SIZE_DEFAULTS_BY_METHOD = {("gabor", "scale"): default_input_scale}


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
    """Method ``name``'s default ``knob`` at an image of ``size`` pixels."""
    from .methods import get_method

    if (name, knob) in SIZE_DEFAULTS_BY_METHOD:
        return SIZE_DEFAULTS_BY_METHOD[name, knob](size)
    if knob in SIZE_DEFAULTS:
        return SIZE_DEFAULTS[knob](size)
    method = get_method(name)
    if knob in method.defaults:
        return method.defaults[knob]
    return inspect.signature(method.build).parameters[knob].default  # the builder's default


def knobs_at(name: str, c: float, size: int, race_size: int) -> dict:
    """The knobs of configuration ``c`` for an image of ``size`` px (see the docstring)."""
    if name not in KNOBS:
        raise ValueError(f"no tuning rule for {name!r}; add it to helpers.tuning.KNOBS.")
    names, kind = KNOBS[name]
    ratio = size / race_size
    knobs = {}
    for knob in names:
        v0 = default_value(name, knob, race_size)
        if kind == "frequency":
            knobs[knob] = c * v0 * ratio
        elif kind == "width":
            knobs[knob] = v0 / c / ratio
        elif kind == "pixels":
            knobs[knob] = v0 / c
        elif kind == "octaves":
            knobs[knob] = max(1, round(v0 + math.log2(c) + math.log2(ratio)))
        else:  # "table"
            knobs[knob] = default_value(name, knob, size) + round(math.log2(c))
    return knobs


@dataclass
class Tuning:
    """A search's record. configs: one dict per run (c, lr, knobs at the search size,
    val_psnr, diverged, seconds); best: index of the winner; knobs and lr: the winner's,
    carried to the race's size; seconds: the whole search."""

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

    def keep_defaults(self, race_size: int) -> None:
        """Fall back to the defaults (c = 1, lr0): the winner did worse at the race's size."""
        from .methods import get_method

        self.knobs = knobs_at(self.name, 1.0, race_size, race_size)
        self.lr = get_method(self.name).lr
        self.kept_defaults = True


def tune(name: str, image, race_size: int, n_configs: int, steps: int, seed: int = 0,
         **fit_options) -> Tuning:
    """Search ``n_configs`` configurations of method ``name`` on ``image`` (the search size,
    ``steps`` each), pick the best validation PSNR and return the :class:`Tuning`, whose
    ``knobs`` and ``lr`` are for an image of ``race_size`` px. Warnings of the runs (a
    diverging lr) are kept in the table, not printed."""
    from .methods import get_method, run

    lr0 = get_method(name).lr
    size = min(image.shape[0], image.shape[1])
    record = Tuning(name)
    start = time.perf_counter()
    per_area = {k: max(1, round(v * (size / race_size) ** 2))
                for k, v in PER_AREA.get(name, {}).items()}
    for c, factor in draw_configs(n_configs, seed):
        knobs = {**knobs_at(name, c, size, race_size), **per_area}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = run(name, image, steps=steps, lr=lr0 * factor, seed=seed, progress=False,
                         n_snapshots=0, **knobs, **fit_options)
        val = result.val_psnr if math.isfinite(result.val_psnr) else -math.inf
        record.configs.append({"c": c, "lr": lr0 * factor, "knobs": knobs, "val_psnr": val,
                               "diverged": result.diverged or result.collapsed,
                               "seconds": result.seconds})
    record.seconds = time.perf_counter() - start
    record.best = max(range(len(record.configs)), key=lambda k: record.configs[k]["val_psnr"])
    winner = record.configs[record.best]
    record.knobs = knobs_at(name, winner["c"], race_size, race_size)
    record.lr = winner["lr"]
    return record
