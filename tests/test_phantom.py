"""The Shepp-Logan phantom drawn in code."""
import pytest
import torch

from helpers.phantom import shepp_logan
from helpers.radon import disc_mask


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
