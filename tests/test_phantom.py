"""The Shepp-Logan phantom drawn in code."""
import pytest
import torch

from helpers.phantom import ellipse_chord, phantom_sinogram, shepp_logan
from helpers.radon import disc_mask, projection_angles, radon


def test_range_shape_and_levels():
    p = shepp_logan(128)
    assert p.shape == (128, 128) and p.dtype == torch.float32
    assert p.min() == 0 and p.max() == 1
    assert abs(float(p[64, 64]) - 0.2) < 0.05          # brain tissue: 1 - 0.8 of the skull
    assert float(p[0, 0]) == 0                        # outside the head


def test_it_fits_in_the_field_of_view_and_is_symmetric_enough():
    p = shepp_logan(96)
    assert p[~disc_mask(96)].abs().max() == 0
    assert (p - p.flip(1)).abs().mean() < 0.03         # nearly left-right symmetric


def test_too_small_is_refused():
    with pytest.raises(ValueError, match="at least 8"):
        shepp_logan(4)


def test_analytic_sinogram_matches_a_fine_numerical_projection():
    angles = projection_angles(7)
    n = 32
    exact = phantom_sinogram(angles, n)
    fine = radon(shepp_logan(n * 16, supersample=2), angles)     # 512 px, binned by 16
    numerical = fine.reshape(7, n, 16).mean(-1) / 16
    assert exact.shape == (7, n)
    assert (exact - numerical).abs().max() < 0.01 * exact.abs().max()
    coarse = radon(shepp_logan(n), angles)                      # the inverse crime's data
    assert (coarse - exact).abs().mean() > 3 * (numerical - exact).abs().mean()


def test_chord_of_a_circle_and_a_miss():
    import numpy as np
    chord = ellipse_chord(np.array([0.0, 0.3, 0.6]), np.array(0.4), 0.5, 0.5, 0.0, 0.0, 0.0)
    assert np.allclose(chord, [1.0, 2 * np.sqrt(0.25 - 0.09), 0.0])
    with pytest.raises(ValueError, match="at least 8"):
        phantom_sinogram(angles=projection_angles(2), n_detectors=4)
