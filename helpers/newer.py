"""Builders of the newer methods that 07_showdown adds to the series.

Each returns a :class:`~helpers.models.CoordinateModel` ``(N, 2) coords -> (N, 3)``
colours; :mod:`helpers.methods` registers them as 'wire', 'finer', 'gabor' and
'hashgrid', so ``python -m helpers fit --method wire`` works. The models live in
their own files: :mod:`helpers.wire` (Saragadam et al. 2023), :mod:`helpers.finer`
(Liu et al. 2024), :mod:`helpers.mfn` (Fathony et al. 2021), :mod:`helpers.hashgrid`
(Müller et al. 2022).
"""
from __future__ import annotations

from .encoders import Identity
from .finer import Finer
from .hashgrid import HashGridEncoding, default_log2_table_size
from .mfn import GaborNet, default_input_scale
from .models import MLP, CoordinateModel
from .wire import Wire


def build_wire(omega0: float = 8.0, s0: float = 6.0, hidden: int = 256, n_layers: int = 4,
               **_) -> CoordinateModel:
    """WIRE with the paper's super-resolution omega0, s0 (see :mod:`helpers.wire` for why)."""
    return CoordinateModel(Identity(), Wire(2, 3, hidden, n_layers, omega0, s0))


def build_finer(omega0: float = 30.0, first_bias_scale: float | None = None, hidden: int = 256,
                n_layers: int = 4, **_) -> CoordinateModel:
    """FINER with omega = 30 on every layer and SIREN's initialisation."""
    return CoordinateModel(Identity(), Finer(2, 3, hidden, n_layers, omega0, omega0,
                                             first_bias_scale))


def build_gabor(scale: float | None = None, hidden: int = 256, n_layers: int = 4,
                image_size: int = 512, **_) -> CoordinateModel:
    """Gabor MFN; ``scale`` is its input_scale, by default half the image size."""
    input_scale = default_input_scale(image_size) if scale is None else scale
    return CoordinateModel(Identity(), GaborNet(2, 3, hidden, n_layers, input_scale))


def build_hashgrid(log2_table_size: int | None = None, n_levels: int = 16, n_features: int = 2,
                   hidden: int = 64, n_layers: int = 3, image_size: int = 512,
                   **_) -> CoordinateModel:
    """Hash grid (finest level = the train grid) + a 64-wide ReLU MLP, sigmoid output."""
    if log2_table_size is None:
        log2_table_size = default_log2_table_size(image_size)
    max_res = max(2, image_size // 2)
    encoder = HashGridEncoding(n_levels, n_features, log2_table_size,
                               min_res=min(16, max_res), max_res=max_res)
    return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden, n_layers))
