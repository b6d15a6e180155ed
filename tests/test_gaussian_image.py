"""GaussianImage (an image as 2-D Gaussians): formula, tiles against the dense sum, fit."""
import math

import pytest
import torch

import helpers
from helpers.gaussian_image import (DEFAULT_N_GAUSSIANS, GaussianImage, build_gaussians,
                                    render_dense)
from helpers.train import fit


def _model(n=60, scale=2.0, image_size=32, cutoff=3.0, seed=0):
    """A small model with anisotropic, rotated Gaussians and signed colours."""
    torch.manual_seed(seed)
    model = GaussianImage(n, scale, image_size, cutoff)
    with torch.no_grad():
        model.cholesky.add_(torch.randn_like(model.cholesky) * 0.5)
        model.colors.normal_()
    return model


def test_eight_parameters_per_gaussian_and_builder_defaults():
    assert helpers.count_params(GaussianImage(100)) == 800
    assert helpers.count_params(build_gaussians(params=8001)) == 8000
    assert len(build_gaussians().means) == DEFAULT_N_GAUSSIANS == 16_640


def test_formula_at_points_against_a_hand_computation():
    model = GaussianImage(2, image_size=8, cutoff=50.0)  # unit = 0.5: parameters in halves
    with torch.no_grad():
        model.means.copy_(torch.tensor([[0.2, -0.4], [-1.0, 0.6]]))
        model.cholesky.copy_(torch.tensor([[0.6, 0.3, 0.4], [1.0, -0.5, 2.0]]))
        model.colors.copy_(torch.tensor([[1.0, 0.5, -0.2], [0.3, 0.0, 0.8]]))
    points = [(0.0, 0.0), (0.15, -0.3), (-0.7, 0.5)]
    got = model(torch.tensor(points))
    for n, (x, y) in enumerate(points):
        expected = [0.0, 0.0, 0.0]
        for (mx, my), (l11, l21, l22), colour in zip(
                [(0.1, -0.2), (-0.5, 0.3)], [(0.3, 0.15, 0.2), (0.5, -0.25, 1.0)],
                [(1.0, 0.5, -0.2), (0.3, 0.0, 0.8)]):
            # Sigma = L L^T and its inverse, written out
            sxx, sxy, syy = l11 ** 2, l11 * l21, l21 ** 2 + l22 ** 2
            det = sxx * syy - sxy ** 2
            dx, dy = x - mx, y - my
            q = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det
            for i in range(3):
                expected[i] += colour[i] * math.exp(-0.5 * q)
        assert got[n].tolist() == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("image_size", [16, 64])
def test_tiled_sum_and_gradients_equal_the_dense_sum(image_size):
    model = _model(image_size=image_size, cutoff=9.0)  # exp(-40): the cutoff covers all
    coords = torch.rand(700, 2) * 2.6 - 1.3  # also outside (-1, 1)
    target = torch.rand(700, 3)
    tiled, dense = model(coords), render_dense(model, coords)
    assert torch.allclose(tiled, dense, atol=1e-5)
    grads = [torch.autograd.grad((out - target).square().mean(), list(model.parameters()))
             for out in (tiled, dense)]
    for g_tiled, g_dense in zip(*grads):
        assert torch.allclose(g_tiled, g_dense, atol=1e-5 * float(g_dense.abs().max()))
    with torch.no_grad():  # the chunked evaluation path too
        assert torch.allclose(model(coords), dense, atol=1e-5)


def test_cutoff_drops_only_the_faded_tails():
    model = _model(cutoff=3.0)
    coords = helpers.make_grid(32).reshape(-1, 2)
    with torch.no_grad():
        difference = (model(coords) - render_dense(model, coords)).abs().max()
    # each Gaussian beyond 3 standard deviations weighs under exp(-4.5) = 0.011
    assert 0 < difference < 0.011 * float(model.colors.detach().abs().sum(1).max()) * 10


def test_pairs_reused_while_they_cover_and_found_again_after():
    model = _model(cutoff=3.0)
    coords = torch.rand(500, 2) * 2 - 1
    model(coords)
    first = model._pairs[3]
    with torch.no_grad():
        model.means.add_(0.01)  # a small move: the cached pairs still cover
    assert torch.allclose(model(coords), render_dense_cut(model, coords), atol=1e-5)
    assert model._pairs[3] is first
    with torch.no_grad():
        model.means.add_(3.0)  # three spacings: found again
    assert torch.allclose(model(coords), render_dense_cut(model, coords), atol=1e-5)
    assert model._pairs[3] is not first


def render_dense_cut(model, coords):
    """The dense sum with the model's cutoff, for comparing truncated sums."""
    means, l11, l21, l22 = model.factors()
    offset = coords[:, None, :] - means[None]
    z1 = offset[..., 0] / l11
    z2 = (offset[..., 1] - l21 * z1) / l22
    q = z1 * z1 + z2 * z2
    return (torch.exp(-0.5 * q) * (q <= model.cutoff ** 2)) @ model.colors


def test_output_finite_far_outside_and_for_one_point():
    model = build_gaussians(n_gaussians=200, image_size=32)
    coords = torch.tensor([[5.0, -7.0], [0.0, 0.0], [1e3, 1e3], [-1.5, 1.2]])
    assert torch.isfinite(model(coords)).all()
    assert model(coords)[2].abs().max() == 0  # no Gaussian reaches (1000, 1000)
    assert model(torch.zeros(1, 2)).shape == (1, 3)


def test_initialisation_ranges():
    torch.manual_seed(0)
    model = build_gaussians(n_gaussians=5000, scale=1.5, image_size=64)
    means, l11, l21, l22 = model.factors()
    assert means.abs().max() <= 1 and means.abs().max() > 0.99  # uniform over the image
    spacing = 4 / 64
    assert torch.allclose(l11, torch.full_like(l11, 1.5 * spacing))
    assert torch.allclose(l22, torch.full_like(l22, 1.5 * spacing)) and l21.abs().max() == 0
    coverage = 5000 / 4 * 2 * math.pi * (1.5 * spacing) ** 2
    assert model.colors.min() >= 0 and model.colors.max() <= 1 / coverage
    with torch.no_grad():  # the first image is about mid-grey
        mean = model(helpers.make_grid(64).reshape(-1, 2)).mean()
    assert 0.3 < float(mean) < 0.7


def test_same_seed_same_model_and_fit():
    image = helpers.load_image("photo", size=16)
    results = []
    for _ in range(2):
        torch.manual_seed(3)
        model = build_gaussians(n_gaussians=300, image_size=16)
        results.append(fit(model, image, steps=5, lr=0.01, progress=False, n_snapshots=0))
    assert torch.equal(results[0].model.means, results[1].model.means)
    assert torch.equal(results[0].prediction, results[1].prediction)


def test_a_short_fit_raises_train_psnr():
    image = helpers.load_image("photo", size=32)
    torch.manual_seed(0)
    result = fit(build_gaussians(n_gaussians=1000, image_size=32), image, steps=40, lr=0.01,
                 progress=False, n_snapshots=0, eval_every=40)
    history = result.history["train_psnr"]
    assert history[-1] > history[0] + 5, history
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in result.model.parameters())


@pytest.mark.parametrize("knobs, words", [({"n_gaussians": 0}, "n_gaussians"),
                                          ({"n_gaussians": 2.5}, "n_gaussians"),
                                          ({"params": 7}, "n_gaussians"),
                                          ({"scale": 0}, "scale"),
                                          ({"scale": -1.0}, "scale")])
def test_bad_knobs_raise_one_sentence(knobs, words):
    with pytest.raises(ValueError, match=words) as error:
        build_gaussians(image_size=32, **knobs)
    assert str(error.value).count(". ") == 0 and str(error.value).endswith(".")
