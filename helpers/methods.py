"""Every method of the series by name, with its knob and learning rate.

``make_model("gauss", scale=10)`` builds the model; ``run("gauss", image, scale=10)``
builds and fits it with the method's learning rate. The command line and the
benchmarks use this table; the notebooks build the same models by hand first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from .activations import DEFAULT_A, DEFAULT_B
from .encoders import (BasicEncoding, GaussianFourierFeatures, Identity, PositionalEncoding,
                       max_useful_n_freqs)
from .models import MLP, CoordinateModel, Siren


@dataclass(frozen=True)
class Method:
    """name; what it is; default lr; the knob a slider moves; how to build it."""

    name: str
    description: str
    lr: float
    knob: str | None
    build: Callable[..., nn.Module]
    defaults: dict = field(default_factory=dict)


def _relu(hidden=256, n_layers=4, **_):
    return CoordinateModel(Identity(), MLP(2, 3, hidden, n_layers))


def _basic(hidden=256, n_layers=4, **_):
    encoder = BasicEncoding()
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))


def _pe(n_freqs=None, include_input=False, hidden=256, n_layers=4, image_size=512, **_):
    if n_freqs is None:  # as many octaves as the train grid can resolve
        n_freqs = max_useful_n_freqs(image_size)
    encoder = PositionalEncoding(n_freqs, include_input=include_input)
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))


def _gauss(scale=10.0, n_features=256, trainable_b=False, hidden=256, n_layers=4, seed=0, **_):
    encoder = GaussianFourierFeatures(scale, n_features, seed=seed, trainable=trainable_b)
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))


def _siren(omega0=30.0, omega0_hidden=30.0, hidden=256, n_layers=4, **_):
    return CoordinateModel(Identity(), Siren(2, 3, hidden, n_layers, omega0, omega0_hidden))


def _activation(name):
    def build(a=None, b=None, trainable_param=False, hidden=256, n_layers=4, **_):
        return CoordinateModel(Identity(), MLP(2, 3, hidden, n_layers, activation=name, a=a, b=b,
                                               trainable_param=trainable_param, output="linear"))
    return build


METHODS: dict[str, Method] = {
    # lr 1e-2 for the two low-frequency inputs, as Tancik et al. used on photos
    "relu": Method("relu", "plain ReLU MLP on raw coordinates", 1e-2, None, _relu),
    "basic": Method("basic", "ReLU MLP on [cos(pi x), sin(pi x)]", 1e-2, None, _basic),
    "pe": Method("pe", "ReLU MLP on NeRF positional encoding", 1e-3, "n_freqs", _pe),
    "gauss": Method("gauss", "ReLU MLP on Gaussian Fourier features", 1e-3, "scale", _gauss,
                    {"scale": 10.0}),
    "siren": Method("siren", "SIREN: sine activations, special init", 1e-4, "omega0", _siren,
                    {"omega0": 30.0}),
}
for _name in ("gaussian", "laplacian", "quadratic", "multiquadratic", "supergaussian", "expsin"):
    METHODS[_name] = Method(_name, f"MLP with {_name} activations (Beyond Periodicity)", 1e-3,
                            "a", _activation(_name),
                            {"a": DEFAULT_A[_name], **({"b": DEFAULT_B[_name]}
                                                        if _name in DEFAULT_B else {})})


def method_names() -> list[str]:
    return list(METHODS)


def get_method(name: str) -> Method:
    """The :class:`Method` called ``name``, or a ValueError listing the valid names."""
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}.")
    return METHODS[name]


def make_model(name: str, seed: int = 0, **knobs) -> nn.Module:
    """Build method ``name`` with torch seeded by ``seed``; knobs override its defaults."""
    method = get_method(name)
    given = {k for k, v in knobs.items() if v is not None}
    unknown = sorted(given - set(knob_names(name)) - {"image_size"})
    if unknown:
        raise ValueError(f"method {name!r} has no option {', '.join(unknown)}; its options are "
                         f"{', '.join(knob_names(name))}.")
    torch.manual_seed(seed)
    options = {**method.defaults, **{k: v for k, v in knobs.items() if v is not None}}
    return method.build(seed=seed, **options)


def knob_names(name: str) -> list[str]:
    """The options ``make_model(name, ...)`` accepts (its builder's keyword arguments)."""
    import inspect

    parameters = inspect.signature(get_method(name).build).parameters.values()
    return [p.name for p in parameters
            if p.kind is p.KEYWORD_ONLY or (p.kind is p.POSITIONAL_OR_KEYWORD)
            if p.name not in ("seed", "image_size")]


def run(name: str, image: torch.Tensor, steps: int | None = None, lr: float | None = None,
        seed: int = 0, **fit_and_knobs):
    """Build method ``name`` (seeded) and :func:`~helpers.train.fit` it with its default lr."""
    from .train import fit

    fit_keys = {"eval_every", "n_snapshots", "device", "progress", "chunk_size", "description"}
    fit_kwargs = {k: v for k, v in fit_and_knobs.items() if k in fit_keys}
    knobs = {k: v for k, v in fit_and_knobs.items() if k not in fit_keys}
    knobs.setdefault("image_size", min(image.shape[0], image.shape[1]))
    model = make_model(name, seed=seed, **knobs)
    fit_kwargs.setdefault("description", name)
    return fit(model, image, steps=steps, lr=lr if lr is not None else get_method(name).lr,
               seed=seed, **fit_kwargs)


# Newer methods, compared in 07_showdown; their models are in helpers/newer.py.
from .newer import build_finer, build_gabor, build_hashgrid, build_wire  # noqa: E402

METHODS.update({
    "wire": Method("wire", "WIRE: complex Gabor wavelet activations (Saragadam et al. 2023)",
                   1e-3, "omega0", build_wire, {"omega0": 8.0, "s0": 6.0}),
    "finer": Method("finer", "FINER: sin((|z| + 1) z) activations, SIREN init (Liu et al. 2024)",
                    1e-4, "omega0", build_finer, {"omega0": 30.0}),
    "gabor": Method("gabor", "Gabor multiplicative filter network (Fathony et al. 2021)",
                    1e-2, "scale", build_gabor),
    "hashgrid": Method("hashgrid", "multiresolution hash encoding + tiny MLP (Müller et al. 2022)",
                       1e-2, "log2_table_size", build_hashgrid),
})
