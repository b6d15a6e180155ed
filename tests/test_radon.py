"""The Radon transform against analytic projections, and filtered back-projection."""
import math

import pytest
import torch

import helpers
from helpers.phantom import shepp_logan
from helpers.radon import (backproject, disc_mask, fbp, fine_radon, projection_angles, radon,
                          ramp_filter)


def disc(size, radius):
    c = (2 * torch.arange(size) + 1) / size - 1
    y, x = torch.meshgrid(c, c, indexing="ij")
    return ((x ** 2 + y ** 2) * (size / 2) ** 2 <= radius ** 2).float()


def test_disc_projects_to_its_chord_length_at_every_angle():
    size, radius = 128, 40
    angles = projection_angles(12)
    sinogram = radon(disc(size, radius), angles)
    t = ((2 * torch.arange(size) + 1) / size - 1) * size / 2
    chord = 2 * torch.sqrt((radius ** 2 - t ** 2).clamp(min=0))
    assert sinogram.shape == (12, size)
    assert (sinogram - chord).abs().mean() < 0.3          # pixelised edge, bilinear rotation
    assert (sinogram[:, size // 2] - 2 * radius).abs().max() < 1.0
    # mass is conserved: every projection sums to the disc's area
    assert torch.allclose(sinogram.sum(1), disc(size, radius).sum().expand(12), rtol=0.01)


def test_projection_at_zero_degrees_is_the_column_sum():
    image = torch.rand(32, 32) * disc_mask(32)
    assert torch.allclose(radon(image, torch.tensor([0.0]))[0], image.sum(0), atol=1e-5)


def test_radon_is_differentiable_and_batched():
    image = shepp_logan(32).requires_grad_(True)
    angles = projection_angles(5)
    radon(image, angles).sum().backward()
    assert image.grad is not None and image.grad.abs().sum() > 0
    batch = torch.stack([shepp_logan(32), disc(32, 10)])
    assert torch.allclose(radon(batch, angles)[1], radon(disc(32, 10), angles), atol=1e-5)


def test_ramp_filter_taps():
    h = ramp_filter(4)
    assert h[3] == 0.25 and h[2] == pytest.approx(-1 / math.pi ** 2) and h[1] == 0


def test_fbp_reconstructs_the_phantom_at_180_angles_and_gets_worse_with_fewer():
    size = 128
    phantom, inside = shepp_logan(size), disc_mask(size)
    scores = {}
    for k in (20, 60, 180):
        angles = projection_angles(k)
        scores[k] = helpers.psnr(fbp(radon(phantom, angles), angles)[inside], phantom[inside])
    assert scores[180] > 26, scores
    assert scores[20] < scores[60] < scores[180], scores


def test_backprojection_of_a_constant_is_a_constant_times_pi():
    image = backproject(torch.ones(10, 64), projection_angles(10))
    inner = disc(64, 28).bool()   # away from the detector's last half pixel
    assert torch.allclose(image[inner], torch.full((int(inner.sum()),), math.pi), atol=1e-4)


def test_bad_inputs_say_what_to_do():
    with pytest.raises(ValueError, match="square"):
        radon(torch.zeros(4, 5), projection_angles(3))
    with pytest.raises(ValueError, match="one row per angle"):
        fbp(torch.zeros(3, 8), projection_angles(4))
    with pytest.raises(ValueError, match="whole number"):
        projection_angles(0)


def test_fine_radon_matches_the_disc_chords_better_than_radon_at_the_coarse_size():
    size, factor, radius = 32, 4, 11.3
    angles = projection_angles(6)
    t = ((2 * torch.arange(size) + 1) / size - 1) * size / 2
    chord = 2 * torch.sqrt((radius ** 2 - t ** 2).clamp(min=0))
    fine = fine_radon(disc(size * factor, radius * factor), angles, factor)
    coarse = radon(disc(size, radius), angles)
    assert fine.shape == (6, size)
    assert (fine - chord).abs().mean() < 0.5 * (coarse - chord).abs().mean()
    with pytest.raises(ValueError, match="multiple"):
        fine_radon(disc(30, 5), angles, 4)
