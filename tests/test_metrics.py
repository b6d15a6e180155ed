import math

import pytest
import torch

from helpers.metrics import mse, psnr, psnr_from_mse


def test_known_psnr_values():
    assert psnr_from_mse(0.01) == pytest.approx(20.0)
    assert psnr_from_mse(0.001) == pytest.approx(30.0)
    assert psnr_from_mse(1.0) == pytest.approx(0.0)
    assert psnr_from_mse(0.0) == math.inf


def test_psnr_of_constant_error():
    target = torch.zeros(10, 10, 3)
    assert mse(target + 0.1, target).item() == pytest.approx(0.01)
    assert psnr(target + 0.1, target) == pytest.approx(20.0, abs=1e-4)


def test_psnr_clips_predictions_to_the_colour_range():
    target = torch.ones(4, 3)
    assert psnr(torch.full((4, 3), 5.0), target) == math.inf
