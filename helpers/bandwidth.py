"""One bandwidth rule: a network's frequency scale follows the samples per unit it trains on.

Used, the same way, by 08_inverse_problems, 09_samples_and_storage, 10_beyond_images and
11_tiny_nerf. Our coordinates span [-1, 1] (2 units, :mod:`helpers.grids`). The papers'
settings are for the image protocol at 512 px: the network trains on 256 pixels across,
``d = 128`` train samples per unit, and there Gaussian features use σ = 10 (Tancik et al.
2020) and SIREN ω0 = 30 (Sitzmann et al. 2020). The same detail per sample at another
density ``d`` asks for frequencies scaled by ``d / 128``::

    σ(d) = 10 · c · d / 128        ω0(d) = 30 · c · d / 128        L(d) = 1 + log2(c · d)

``c = 1`` is the rule; ``c`` is a knob chosen on validation data (:func:`sweep` gives values
around the rule). L is the number of octaves of NeRF's encoding whose top frequency
``2^(L-1) π`` reaches the train samples' Nyquist frequency ``π d`` (per unit of x).
*Train* samples: only what the network is fitted to counts (a sound whose even samples
train has half the clip's sample rate), and scattered samples count as the grid they
would make, ``n^(1/dims)`` across.
"""
from __future__ import annotations

import math

REFERENCE_DENSITY = 128.0            # train samples per unit at 512 px on the protocol
REFERENCE = {"gauss": 10.0, "siren": 30.0}
KNOB = {"gauss": "scale", "siren": "omega0", "pe": "n_freqs"}


def samples_per_unit(train_samples_across: float, extent: float = 2.0) -> float:
    """Train samples per unit of coordinate: ``n / extent`` (extent 2 for [-1, 1])."""
    if train_samples_across <= 0 or extent <= 0:
        raise ValueError(f"samples across and extent must be positive, got "
                         f"{train_samples_across} and {extent}.")
    return float(train_samples_across) / extent


def scattered_samples_per_unit(n_samples: int, dims: int = 2, extent: float = 2.0) -> float:
    """``n`` scattered samples in a ``dims``-cube counted as a grid: ``n^(1/dims) / extent``."""
    return samples_per_unit(float(n_samples) ** (1.0 / dims), extent)


def frequency_scale(name: str, density: float, factor: float = 1.0) -> float:
    """The rule's σ ('gauss'), ω0 ('siren') or L ('pe', an int >= 1) at ``density``
    train samples per unit, times ``factor`` (c)."""
    if name not in KNOB:
        raise ValueError(f"no bandwidth rule for {name!r}; choose one of {', '.join(KNOB)}.")
    if density <= 0 or factor <= 0:
        raise ValueError(f"density and factor must be positive, got {density} and {factor}.")
    if name == "pe":
        return max(1, 1 + round(math.log2(factor * density)))
    return REFERENCE[name] * factor * density / REFERENCE_DENSITY


def knobs(name: str, density: float, factor: float = 1.0) -> dict:
    """``{knob: value}`` for :func:`helpers.make_model` / ``task_model``; ``{}`` for models
    without a frequency knob (the hash grid, plain ReLU)."""
    if name not in KNOB:
        return {}
    return {KNOB[name]: frequency_scale(name, density, factor)}


def sweep(name: str, density: float, factors=(0.2, 0.5, 1.0, 2.0, 5.0)) -> dict:
    """``{c: knob value}`` around the rule, wide enough to test it (by default from a
    fifth to five times the rule's value)."""
    return {c: frequency_scale(name, density, c) for c in factors}
