"""Mean squared error and PSNR on colours in [0, 1] (explained in 02_plain_mlp)."""
from __future__ import annotations

import math

import torch


def mse(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error over every pixel and channel (a 0-d tensor)."""
    return torch.mean((prediction - target) ** 2)


def psnr_from_mse(mse_value: float | torch.Tensor) -> float:
    """PSNR in dB for colours in [0, 1]: ``-10 log10(MSE)``; MSE 0.01 -> 20 dB."""
    value = float(mse_value)
    if value <= 0:
        return math.inf
    return -10.0 * math.log10(value)


def psnr(prediction: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR in dB of a prediction against its target, both in [0, 1] (prediction clipped)."""
    return psnr_from_mse(mse(prediction.clamp(0.0, 1.0), target))
