import math

import pytest
import torch
from torch import nn

import helpers
from helpers import look_inside


def _displacements(n=41, extent=0.3):
    t = torch.linspace(-extent, extent, n)
    return torch.stack([t, 0.7 * t.flip(0)], dim=1)


def test_fourier_kernel_is_the_papers_kernel_in_image_widths():
    B = torch.tensor([[3.0, 0.0], [0.0, 5.0]])
    delta = torch.tensor([[0.1, 0.0], [0.0, 0.1], [0.25, 0.25]])
    expected = torch.tensor([(math.cos(2 * math.pi * 0.3) + 1) / 2,
                             (1 + math.cos(2 * math.pi * 0.5)) / 2,
                             (math.cos(2 * math.pi * 0.75) + math.cos(2 * math.pi * 1.25)) / 2])
    assert torch.allclose(look_inside.fourier_kernel(B, delta), expected, atol=1e-6)


def test_measured_encoder_kernel_equals_formula_anywhere():
    encoder = helpers.GaussianFourierFeatures(10.0, 64, seed=3)
    delta = _displacements()
    formula = look_inside.fourier_kernel(encoder.B, delta)
    for origin in (None, (0.3, -0.6)):  # stationary: the origin does not matter
        measured = look_inside.encoding_kernel(encoder, delta, origin=origin)
        assert torch.allclose(measured, formula, atol=1e-5)


def test_positional_encoding_kernel_matches_its_frequency_matrix():
    encoder = helpers.PositionalEncoding(4)
    delta = _displacements()
    frequencies = encoder.P.T  # (2 L, 2): rows 2^k e_x, 2^k e_y
    measured = look_inside.encoding_kernel(encoder, delta)
    assert torch.allclose(measured, look_inside.fourier_kernel(frequencies, delta), atol=1e-5)


@pytest.mark.parametrize("scale", [1.0, 10.0])
def test_gaussian_kernel_approaches_its_expectation(scale):
    encoder = helpers.GaussianFourierFeatures(scale, 20000, seed=0)
    delta = _displacements(extent=0.5 / scale)
    measured = look_inside.fourier_kernel(encoder.B, delta)
    # Monte Carlo with 20000 features: error about 1/sqrt(20000) = 0.007
    assert (measured - look_inside.expected_gaussian_kernel(scale, delta)).abs().max() < 0.03


def test_kernel_width_shrinks_as_sigma_grows():
    delta = torch.tensor([[1 / 64, 0.0]])  # one pixel of a 64-pixel image
    values = [float(look_inside.fourier_kernel(helpers.GaussianFourierFeatures(s, 4096).B, delta))
              for s in (1.0, 10.0, 100.0)]
    assert values[0] > 0.99 and 0.5 < values[1] < 0.99 and abs(values[2]) < 0.1


class _Analytic(nn.Module):
    """f(x, y) = sin(2x) cos(3y) (+ shifted copies in G, B): derivatives known exactly."""

    def forward(self, x):
        value = torch.sin(2 * x[:, 0]) * torch.cos(3 * x[:, 1])
        return torch.stack([value, value + 1, 2 * value], dim=1)


def _analytic_fields(grid):
    x, y = grid[..., 0], grid[..., 1]
    gradient = torch.stack([2 * torch.cos(2 * x) * torch.cos(3 * y),
                            -3 * torch.sin(2 * x) * torch.sin(3 * y)], dim=-1)
    laplacian = -13 * torch.sin(2 * x) * torch.cos(3 * y)
    return gradient, laplacian


def test_autograd_derivatives_match_calculus():
    grid = helpers.make_grid(24, 40)
    gradient, laplacian = look_inside.grid_derivatives(_Analytic(), 24, 40, chunk_size=100)
    true_gradient, true_laplacian = _analytic_fields(grid)
    luma = sum(look_inside.LUMA[:1]) + look_inside.LUMA[1] + 2 * look_inside.LUMA[2]  # d(luma)/d(value)
    assert gradient.shape == (24, 40, 2) and laplacian.shape == (24, 40)
    assert torch.allclose(gradient, luma * true_gradient, atol=1e-4)
    assert torch.allclose(laplacian, luma * true_laplacian, atol=1e-3)
    rgb_gradient, rgb_laplacian = look_inside.model_derivatives(_Analytic(), grid.reshape(-1, 2),
                                                             channels="rgb")
    assert rgb_gradient.shape == (24 * 40, 3, 2) and rgb_laplacian.shape == (24 * 40, 3)
    assert torch.allclose(rgb_laplacian[:, 2], 2 * true_laplacian.flatten(), atol=1e-3)


def test_relu_network_laplacian_is_zero_not_an_error():
    net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    gradient, laplacian = look_inside.model_derivatives(net, torch.rand(50, 2) * 2 - 1)
    assert torch.isfinite(gradient).all() and gradient.abs().sum() > 0
    assert torch.equal(laplacian, torch.zeros(50))


def test_finite_differences_match_calculus_with_our_pixel_spacing():
    height, width = 96, 128
    grid = helpers.make_grid(height, width)
    image = _Analytic()(grid.reshape(-1, 2)).reshape(height, width, 3)
    true_gradient, true_laplacian = _analytic_fields(grid)
    luma = look_inside.LUMA[0] + look_inside.LUMA[1] + 2 * look_inside.LUMA[2]
    fd_gradient = look_inside.image_gradient(image)
    fd_laplacian = look_inside.image_laplacian(image)
    inner = (slice(1, -1), slice(1, -1))  # the border uses one-sided differences
    # central differences err by h² |f'''| / 6: (2/96)² * 27 / 6 * luma = 2.2e-3 along y
    assert torch.allclose(fd_gradient[inner], luma * true_gradient[inner], atol=2.5e-3)
    assert torch.allclose(fd_laplacian[inner], luma * true_laplacian[inner], atol=1e-2)
    closeness = look_inside.field_closeness(fd_gradient, luma * true_gradient)
    assert closeness["relative_error"] < 1e-3 and closeness["cosine"] > 0.9999


def test_field_closeness_reference_points_and_shape_error():
    target = torch.randn(10, 10, 2)
    assert look_inside.field_closeness(target, target) == {"relative_error": 0.0, "cosine": 1.0}
    zeros = look_inside.field_closeness(torch.zeros_like(target), target)
    assert zeros["relative_error"] == pytest.approx(1.0) and zeros["cosine"] == 0.0
    flipped = look_inside.field_closeness(-target, target, margin=0)
    assert flipped["relative_error"] == pytest.approx(2.0) and flipped["cosine"] == pytest.approx(-1)
    with pytest.raises(ValueError, match="same grid"):
        look_inside.field_closeness(target, target[:5])
    with pytest.raises(ValueError, match="channels must be one of"):
        look_inside.image_gradient(torch.rand(8, 8, 3), channels="red")


def test_siren_init_keeps_preactivations_steady_through_depth():
    coords = helpers.make_grid(64).reshape(-1, 2)
    torch.manual_seed(0)
    with_init = look_inside.activation_stats(helpers.Siren(2, 3, 256, 8), coords)
    torch.manual_seed(0)
    without = look_inside.activation_stats(helpers.Siren(2, 3, 256, 8, init=False), coords)
    assert len(with_init) == len(without) == 7  # 7 sine layers, then the linear output
    hidden = [s["pre_std"] for s in with_init[1:]]
    # U(-sqrt(6/n), sqrt(6/n)) weights on arcsine inputs: std 1, plus the default bias
    assert all(1.0 < s < 2.0 for s in hidden)
    assert all(s["pre_std"] > 5 for s in without[1:])  # omega0 times PyTorch's default


def test_layer_activations_sees_relu_and_activation_modules():
    model = helpers.MLP(2, 3, 32, 4, activation="gaussian", a=0.5)
    records = look_inside.layer_activations(model, torch.rand(20, 2))
    assert [r["layer"] for r in records] == [1, 2, 3]
    assert torch.allclose(records[0]["post"], torch.exp(-records[0]["pre"] ** 2 / (2 * 0.25)))
    relu_records = look_inside.layer_activations(helpers.MLP(2, 3, 32, 3), torch.rand(20, 2))
    assert all((r["post"] >= 0).all() for r in relu_records) and len(relu_records) == 2


def test_predict_beyond_contains_the_image_pixel_for_pixel():
    torch.manual_seed(0)
    model = helpers.Siren(2, 3, 32, 3)
    size = 12
    wide = look_inside.predict_beyond(model, size, extent=2.0)
    assert wide.shape == (24, 24, 3)
    inside = helpers.predict_image(model, size)
    assert torch.allclose(wide[6:18, 6:18], inside, atol=1e-6)
    with pytest.raises(ValueError, match="extent must be positive"):
        look_inside.predict_beyond(model, size, extent=0)
