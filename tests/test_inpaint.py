"""Harmonic inpainting by hand."""
import pytest
import torch

from helpers.inpaint import harmonic_inpaint


def test_a_linear_ramp_is_reproduced_exactly():
    y, x = torch.meshgrid(torch.arange(20.0, dtype=torch.float64),
                          torch.arange(30.0, dtype=torch.float64), indexing="ij")
    ramp = 0.3 * x - 0.2 * y + 1
    hole = torch.zeros(20, 30, dtype=torch.bool)
    hole[5:12, 8:20] = True
    damaged = ramp.clone()
    damaged[hole] = 0
    assert (harmonic_inpaint(damaged, hole) - ramp).abs().max() < 1e-10


def test_known_pixels_stay_and_missing_ones_are_their_neighbours_mean():
    gen = torch.Generator().manual_seed(0)
    image = torch.rand(12, 12, 3, dtype=torch.float64, generator=gen)
    hole = torch.rand(12, 12, generator=gen) < 0.3
    filled = harmonic_inpaint(image, hole)
    assert torch.equal(filled[~hole], image[~hole])
    i, j = [int(v) for v in torch.nonzero(hole[1:-1, 1:-1])[0] + 1]
    neighbours = (filled[i - 1, j] + filled[i + 1, j] + filled[i, j - 1] + filled[i, j + 1]) / 4
    assert torch.allclose(filled[i, j], neighbours, atol=1e-10)


def test_mask_shape_is_checked():
    with pytest.raises(ValueError, match="one bool per pixel"):
        harmonic_inpaint(torch.zeros(4, 4), torch.zeros(4, 5, dtype=torch.bool))
