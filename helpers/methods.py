"""Every method of the series by name: its builder, knob, learning rate and label.

``make_model("gauss", scale=10)`` builds the model; ``run("gauss", image, scale=10)``
builds and fits it with the method's learning rate. The command line, the paper table,
the sliders' sweeps and the benchmarks use this one table; each notebook builds its
method by hand first (02-07), then uses it. The newer methods' models (07_showdown) live
in their own files: :mod:`helpers.wire` (Saragadam et al. 2023), :mod:`helpers.finer`
(Liu et al. 2024), :mod:`helpers.mfn` (Fathony et al. 2021), :mod:`helpers.hashgrid`
(Müller et al. 2022); the newest: :mod:`helpers.weight_scaling` (Yeom et al. 2025),
:mod:`helpers.sinc` (Saratchandran et al. 2024), :mod:`helpers.fr_inr` (Shi et al. 2024;
``fr_inr.deploy`` merges its bases for inference) and :mod:`helpers.staf` (Morsali et al.
2025); beyond networks, :mod:`helpers.gaussian_image` (Zhang et al. 2024).
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from . import checks
from .activations import DEFAULT_A, DEFAULT_B
from .encoders import (BasicEncoding, GaussianFourierFeatures, Identity, PositionalEncoding,
                       max_useful_n_freqs)
from .finer import Finer
from .fr_inr import FRSiren
from .gaussian_image import build_gaussians
from .hashgrid import HashGridEncoding, default_log2_table_size
from .mfn import GaborNet, default_input_scale
from .models import MLP, CoordinateModel, Siren
from .sinc import SincNet
from .staf import Staf
from .weight_scaling import scale_weights
from .wire import Wire

FIT_KEYWORDS = {"eval_every", "n_snapshots", "device", "progress", "chunk_size", "description",
                "live", "inset", "baseline", "precision"}  # fit's; the live view's do not
# change a result; the precision does, and is part of the cache key


@dataclass(frozen=True)
class Method:
    """name; what it is; default lr; the knob a slider moves; how to build it; its defaults;
    label: a short name for reports, formatted with the options and ``model``."""

    name: str
    description: str
    lr: float
    knob: str | None
    build: Callable[..., nn.Module]
    defaults: dict = field(default_factory=dict)
    label: str = ""


def _relu(hidden=256, n_layers=4, **_):
    return CoordinateModel(Identity(), MLP(2, 3, hidden, n_layers))


def _basic(hidden=256, n_layers=4, **_):
    encoder = BasicEncoding()
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))


def _pe(n_freqs=None, include_input=False, freqs=None, hidden=256, n_layers=4, image_size=512,
        **_):
    """NeRF's octaves (as many as the train grid resolves), or the given ``freqs``."""
    if n_freqs is None and freqs is None:
        n_freqs = max_useful_n_freqs(image_size)
    encoder = PositionalEncoding(10 if n_freqs is None else n_freqs, include_input=include_input,
                                freqs=freqs)
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


def _wire(omega0=8.0, s0=6.0, hidden=256, n_layers=4, **_):
    """The paper's super-resolution omega0, s0 (see :mod:`helpers.wire` for why)."""
    return CoordinateModel(Identity(), Wire(2, 3, hidden, n_layers, omega0, s0))


def _finer(omega0=30.0, first_bias_scale=None, hidden=256, n_layers=4, **_):
    """omega = 30 on every layer and SIREN's initialisation."""
    return CoordinateModel(Identity(), Finer(2, 3, hidden, n_layers, omega0, omega0,
                                             first_bias_scale))


def _gabor(scale=None, hidden=256, n_layers=4, image_size=512, **_):
    """``scale`` is the MFN's input_scale, by default half the image size."""
    input_scale = default_input_scale(image_size) if scale is None else scale
    return CoordinateModel(Identity(), GaborNet(2, 3, hidden, n_layers, input_scale))


def _hashgrid(log2_table_size=None, n_levels=16, n_features=2, hidden=64, n_layers=3,
              image_size=512, **_):
    """Finest level = the train grid, then a 64-wide ReLU MLP with a sigmoid output."""
    if log2_table_size is None:
        log2_table_size = default_log2_table_size(image_size)
    max_res = max(2, image_size // 2)
    encoder = HashGridEncoding(n_levels, n_features, log2_table_size,
                               min_res=min(16, max_res), max_res=max_res)
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))


METHODS: dict[str, Method] = {
    # lr 1e-2 for the two low-frequency inputs, as Tancik et al. used on photos
    "relu": Method("relu", "plain ReLU MLP on raw coordinates", 1e-2, None, _relu,
                   label="MLP relu"),
    "basic": Method("basic", "ReLU MLP on [cos(pi x), sin(pi x)]", 1e-2, None, _basic,
                    label="basic → MLP relu"),
    "pe": Method("pe", "ReLU MLP on NeRF positional encoding", 1e-3, "n_freqs", _pe,
                 label="PE L={model.encoder.n_freqs} → MLP relu"),
    "gauss": Method("gauss", "ReLU MLP on Gaussian Fourier features", 1e-3, "scale", _gauss,
                    {"scale": 10.0}, "Gaussian σ={scale:.3g} ({n_features}) → MLP relu"),
    "siren": Method("siren", "SIREN: sine activations, special init", 1e-4, "omega0", _siren,
                    {"omega0": 30.0}, "SIREN ω0={omega0:.3g}"),
}
for _name in ("gaussian", "laplacian", "quadratic", "multiquadratic", "supergaussian", "expsin"):
    METHODS[_name] = Method(
        _name, f"MLP with {_name} activations (Beyond Periodicity)", 1e-3, "a",
        _activation(_name), {"a": DEFAULT_A[_name], **({"b": DEFAULT_B[_name]}
                                                      if _name in DEFAULT_B else {})},
        f"MLP {_name}, a={{a:g}}" + (", b={b:g}" if _name in DEFAULT_B else ""))
METHODS.update({
    "wire": Method("wire", "WIRE: complex Gabor wavelet activations (Saragadam et al. 2023)",
                   1e-3, "omega0", _wire, {"omega0": 8.0, "s0": 6.0}, "WIRE ω0={omega0:g}, "
                   "s0={s0:g}"),
    "finer": Method("finer", "FINER: sin((|z| + 1) z) activations, SIREN init (Liu et al. 2024)",
                    1e-4, "omega0", _finer, {"omega0": 30.0}, "FINER ω0={omega0:g}"),
    "gabor": Method("gabor", "Gabor multiplicative filter network (Fathony et al. 2021)",
                    1e-2, "scale", _gabor, label="Gabor MFN scale={model.net.input_scale:g}"),
    "hashgrid": Method("hashgrid", "multiresolution hash encoding + tiny MLP (Müller et al. 2022)",
                       1e-2, "log2_table_size", _hashgrid,
                       label="hash grid 2^{model.encoder.log2_table_size} → MLP relu"),
})



def _siren_scaled(alpha=1.25, omega0=30.0, hidden=256, n_layers=4, **_):
    """SIREN's init, then every weight but the output layer's times alpha."""
    return CoordinateModel(Identity(), scale_weights(Siren(2, 3, hidden, n_layers, omega0, omega0),
                                                     alpha))


def _finer_scaled(alpha=1.1, omega0=30.0, hidden=256, n_layers=4, **_):
    """FINER (SIREN's init), then every weight but the output layer's times alpha."""
    return CoordinateModel(Identity(), scale_weights(Finer(2, 3, hidden, n_layers, omega0, omega0),
                                                     alpha))


def _sinc(omega0=30.0, hidden=256, n_layers=4, **_):
    return CoordinateModel(Identity(), SincNet(2, 3, hidden, n_layers, omega0))


def _fr_siren(omega0=30.0, n_low=128, n_high=128, n_phases=32, alpha=0.01, hidden=256,
              n_layers=4, **_):
    """The paper's image bases (8192 per hidden layer); ``fr_inr.deploy`` merges them."""
    return CoordinateModel(Identity(), FRSiren(2, 3, hidden, n_layers, omega0, n_low, n_high,
                                               n_phases, alpha))


def _staf(omega0=10.0, tau=5, hidden=256, n_layers=4, **_):
    return CoordinateModel(Identity(), Staf(2, 3, hidden, n_layers, tau, omega0))


def _gaussians(n_gaussians=None, scale=1.0, params=None, image_size=512, **_):
    """No encoder, no network: ``model.net`` is the :class:`GaussianImage` itself."""
    return CoordinateModel(Identity(), build_gaussians(n_gaussians, scale, image_size, params))


# The newest ideas (07_showdown). Knobs and learning rates chosen on the validation pixels of
# short fits of the photo (64 px / 100 steps and 128 px / 150 steps; numbers in each
# docstring): the papers' values where they held up (FR-INR: all; weight scaling: lr), else
# the best tried. The series scores pixels between the train pixels, which punishes extra
# high frequencies: weight scaling with alpha = 2 and STAF with its paper's omega0 = 30
# memorise the train pixels (50-61 dB) and score 6-9 dB between them at 64 px.
METHODS.update({
    "siren_scaled": Method("siren_scaled", "SIREN with weight scaling: initial weights but the "
                           "last layer's times alpha (Yeom et al. 2025)", 1e-4, "alpha",
                           _siren_scaled, {"alpha": 1.25}, "SIREN ω0={omega0:g} ×α={alpha:g}"),
    "finer_scaled": Method("finer_scaled", "FINER with weight scaling: initial weights but the "
                           "last layer's times alpha (Yeom et al. 2025)", 1e-4, "alpha",
                           _finer_scaled, {"alpha": 1.1}, "FINER ω0={omega0:g} ×α={alpha:g}"),
    "sinc": Method("sinc", "MLP with sinc(ω0 z) activations, SIREN init (Saratchandran et al. "
                   "2024)", 1e-3, "omega0", _sinc, {"omega0": 30.0}, "sinc ω0={omega0:g}"),
    "fr_siren": Method("fr_siren", "SIREN with Fourier-reparameterised hidden weights W = ΛB "
                       "(Shi et al. 2024)", 1e-4, "omega0", _fr_siren, {"omega0": 30.0},
                       "FR-SIREN ω0={omega0:g}, {n_phases}×{n_low}+{n_high} bases"),
    "staf": Method("staf", "STAF: trained sums of sines as activations (Morsali et al. 2025)",
                   1e-3, "omega0", _staf, {"omega0": 10.0}, "STAF τ={tau}, ω0={omega0:g}"),
    # no network: the image as explicit primitives (helpers.gaussian_image), as many numbers
    # as the series' SIREN; scale (the Gaussians' starting width in train pixels) and lr
    # chosen on the photo's validation pixels
    "gaussians": Method("gaussians", "an image as 2-D Gaussians summed per pixel, no network "
                        "(Zhang et al. 2024)", 1e-2, "scale", _gaussians, {"scale": 1.0},
                        "{model.net.means.shape[0]:,} 2-D Gaussians, scale {scale:g}"),
})

# Classical interpolation of the train pixels (helpers.interpolate, written out by hand in
# 02_plain_mlp): nothing to build or train, so run() returns its FitResult at once. The
# reference of every leaderboard and PSNR plot; not in METHODS, whose entries all train.
INTERPOLATIONS = {
    "nearest": "nearest-neighbour interpolation of the train pixels (no training)",
    "bilinear": "bilinear interpolation of the train pixels (no training)",
    "bicubic": "Keys bicubic (a = -1/2) interpolation of the train pixels (no training)",
    "lanczos": "Lanczos-3 interpolation of the train pixels (no training)",
    "spline": "cubic B-spline interpolation of the train pixels (no training)",
}


def method_names() -> list[str]:
    """Every name :func:`run` accepts: the trained methods, then the interpolations."""
    return [*METHODS, *INTERPOLATIONS]


def get_method(name: str) -> Method:
    """The :class:`Method` called ``name``, or a ValueError listing the valid names."""
    checks.one_of(name, "method", METHODS)
    return METHODS[name]


def knob_names(name: str) -> list[str]:
    """The options ``make_model(name, ...)`` accepts (its builder's keyword arguments)."""
    parameters = inspect.signature(get_method(name).build).parameters.values()
    return [p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.name not in ("seed", "image_size")]


def make_model(name: str, seed: int = 0, **knobs) -> nn.Module:
    """Build method ``name`` with torch seeded by ``seed``; knobs override its defaults.

    The model's ``label`` (e.g. 'Gaussian σ=10 (256) → MLP relu') names it in reports.
    """
    method = get_method(name)
    given = {k: v for k, v in knobs.items() if v is not None}
    unknown = sorted(set(given) - set(knob_names(name)) - {"image_size"})
    if unknown:
        raise ValueError(f"method {name!r} has no option {', '.join(unknown)}; its options are "
                         f"{', '.join(knob_names(name))}.")
    torch.manual_seed(seed)
    options = {**method.defaults, **given}
    model = method.build(seed=seed, **options)
    defaults = {p.name: p.default for p in inspect.signature(method.build).parameters.values()}
    model.label = method.label.format(model=model, **{**defaults, **options})
    return model


def run(name: str, image: torch.Tensor, steps: int | None = None, lr: float | None = None,
        seed: int = 0, **fit_and_knobs):
    """Build method ``name`` (seeded) and :func:`~helpers.train.fit` it with its default lr.

    An interpolation (:data:`INTERPOLATIONS`, e.g. 'bicubic') returns its FitResult from
    the train pixels at once: 0 parameters, 0 steps, train PSNR inf; steps, lr, seed and
    the fit options are ignored, so callers treat it as any other method.

    The progress bar and the live view are titled by ``description``, by default the
    model's label (e.g. 'Gaussian σ=10 (256) → MLP relu'); ``{label}`` in it is replaced
    by the label.

    ``precision`` ('fp32', 'bf16', 'auto'; None: ``NB_PRECISION``) sets what the forward
    passes run in, float32 for a method in ``settings.FP32_ONLY`` (:mod:`helpers.precision`).

    A result finished before with the same method, options, seed, steps, lr, image,
    budget, device, precision, torch and helpers is replayed from the disk cache
    (:mod:`helpers.cache`); if the fit would have had a live view, the replay shows its last
    frame.
    """
    from . import cache, live, precision, settings
    from .train import fit

    fit_kwargs = {k: v for k, v in fit_and_knobs.items() if k in FIT_KEYWORDS}
    knobs = {k: v for k, v in fit_and_knobs.items() if k not in FIT_KEYWORDS}
    if name in INTERPOLATIONS:
        from .interpolate import fit_interpolation

        given = sorted(k for k, v in knobs.items() if v is not None and k != "image_size")
        if given:
            raise ValueError(f"{name} interpolation has no option {', '.join(given)}; it "
                             "only needs the image.")
        return fit_interpolation(image, name)
    knobs.setdefault("image_size", min(image.shape[0], image.shape[1]))
    model = make_model(name, seed=seed, **knobs)
    # the progress bar's and live view's title: the model's label unless one is given
    fit_kwargs["description"] = (fit_kwargs.get("description") or "{label}").replace(
        "{label}", model.label)
    lr = lr if lr is not None else get_method(name).lr
    # float32 or bfloat16; float32 for a method in settings.FP32_ONLY
    fit_kwargs["precision"] = precision.used(fit_kwargs.get("precision"),
                                             fit_kwargs.get("device") or settings.DEVICE, name)
    key = cache.fit_key("run", image, method=name, options=knobs, seed=seed,
                        steps=settings.STEPS if steps is None else steps, lr=lr,
                        eval_every=fit_kwargs.get("eval_every") or settings.EVAL_EVERY,
                        n_snapshots=(settings.N_SNAPSHOTS if fit_kwargs.get("n_snapshots") is None
                                     else fit_kwargs["n_snapshots"]),
                        device=fit_kwargs.get("device"), precision=fit_kwargs["precision"])
    result = cache.cached_fit(key, model, lambda model: fit(model, image, steps=steps, lr=lr,
                                                            seed=seed, **fit_kwargs))
    if result.replayed and live.wanted(fit_kwargs.get("live"), fit_kwargs.get("progress", True),
                                       fit_kwargs.get("n_snapshots")):
        # nothing to watch: show the frame the live view ended on
        live.replay_frame(result, fit_kwargs["description"], fit_kwargs.get("inset"),
                          fit_kwargs.get("baseline"))
    return result
