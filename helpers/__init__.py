"""Helpers for "Coordinate MLPs, live": grids, images, encoders, models, training, plots.

Each module holds one idea and says which notebook teaches it. The short names below
are what the notebooks use.
"""
from . import settings
from .activations import Activation
from .data import bundled_names, center_crop, load_image, resize
from .encoders import (BasicEncoding, GaussianFourierFeatures, Identity, PositionalEncoding,
                       frequency_matrix)
from .grids import PixelSplit, flatten, make_grid, split_pixels, unflatten
from .methods import METHODS, get_method, make_model, run
from .metrics import mse, psnr, psnr_from_mse
from .models import MLP, CoordinateModel, SineLayer, Siren, count_params
from .train import FitResult, fit, predict, predict_image

__all__ = [
    "settings", "Activation", "bundled_names", "center_crop", "load_image", "resize",
    "BasicEncoding", "GaussianFourierFeatures", "Identity", "PositionalEncoding",
    "frequency_matrix", "PixelSplit", "flatten", "make_grid", "split_pixels", "unflatten",
    "METHODS", "get_method", "make_model", "run", "mse", "psnr",
    "psnr_from_mse", "MLP", "CoordinateModel", "SineLayer", "Siren", "count_params",
    "FitResult", "fit", "predict", "predict_image",
]
