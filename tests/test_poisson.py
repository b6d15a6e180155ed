"""The DCT Poisson solve recovers an image from its exact gradient."""
import pytest
import torch

from helpers.poisson import (divergence, forward_gradient, poisson_solve, sobel_gradient,
                            to_midpoints)


def test_exact_recovery_up_to_the_given_mean():
    image = torch.rand(37, 53, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    gx, gy = forward_gradient(image)
    recovered = poisson_solve(gx, gy, mean=float(image.mean()))
    assert (recovered - image).abs().max() < 1e-12
    shifted = poisson_solve(gx, gy, mean=0.0)
    assert torch.allclose(shifted + image.mean(), image, atol=1e-12)


def test_forward_gradient_and_divergence_are_adjoint():
    gen = torch.Generator().manual_seed(1)
    f = torch.rand(9, 11, dtype=torch.float64, generator=gen)
    u, v = torch.rand(9, 11, dtype=torch.float64, generator=gen), torch.rand(
        9, 11, dtype=torch.float64, generator=gen)
    u[:, -1], v[-1] = 0, 0
    gx, gy = forward_gradient(f)
    assert torch.allclose((gx * u + gy * v).sum(), -(f * divergence(u, v)).sum())


def test_noisy_gradient_gives_the_least_squares_image():
    image = torch.rand(16, 16, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    gx, gy = forward_gradient(image)
    noisy = gx + 0.01 * torch.randn(16, 16, dtype=torch.float64,
                                    generator=torch.Generator().manual_seed(3))
    noisy[:, -1] = 0
    rec = poisson_solve(noisy, gy, float(image.mean()))
    rx, ry = forward_gradient(rec)
    residual = ((rx - noisy) ** 2).sum() + ((ry - gy) ** 2).sum()
    truth_residual = ((gx - noisy) ** 2).sum()
    assert residual <= truth_residual + 1e-12


def test_shapes_must_match():
    with pytest.raises(ValueError, match="one shape"):
        poisson_solve(torch.zeros(4, 4), torch.zeros(4, 5))


def test_sobel_of_a_plane_is_its_slope_and_midpoints_give_back_the_plane():
    y, x = torch.meshgrid(torch.arange(12.0), torch.arange(15.0), indexing="ij")
    plane = (0.3 * x - 0.2 * y).double()
    gx, gy = sobel_gradient(plane)
    assert torch.allclose(gx[1:-1, 1:-1], torch.full((10, 13), 0.3, dtype=torch.float64))
    assert torch.allclose(gy[1:-1, 1:-1], torch.full((10, 13), -0.2, dtype=torch.float64))
    mx, my = to_midpoints(gx, gy)
    assert mx[:, -1].abs().max() == 0 and my[-1].abs().max() == 0
    fx, fy = forward_gradient(plane)
    assert torch.allclose(mx[3:-3, 3:-3], fx[3:-3, 3:-3]) and torch.allclose(my[3:-3, 3:-3], fy[3:-3, 3:-3])


def test_sobel_gradients_are_not_the_solves_own_stencil():
    image = torch.rand(32, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    recovered = poisson_solve(*to_midpoints(*sobel_gradient(image)), mean=float(image.mean()))
    error = (recovered - image).abs().mean()
    assert 0.01 < error < 0.3      # smoothed by Sobel: not exact, not nonsense either
