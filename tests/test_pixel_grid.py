"""The "no network" solver: a pixel grid fitted by Adam through a loss, and its TV."""
import math

import pytest
import torch

from helpers.pixel_grid import fit_grid, total_variation


def test_total_variation_of_a_ramp_and_a_constant():
    ramp = torch.arange(5.0).repeat(4, 1)              # ∂x = 1, ∂y = 0 everywhere
    assert total_variation(ramp).item() == pytest.approx(1.0, abs=1e-6)
    diagonal = torch.arange(5.0)[None, :] + torch.arange(4.0)[:, None]  # |∇| = sqrt(2)
    assert total_variation(diagonal).item() == pytest.approx(math.sqrt(2), abs=1e-6)
    assert total_variation(torch.full((6, 6, 3), 0.7)).item() < 1e-3
    colour = torch.stack([ramp, 2 * ramp], dim=-1)     # channels 1 and 2: mean 1.5
    assert total_variation(colour).item() == pytest.approx(1.5, abs=1e-6)


def test_total_variation_rejects_a_flat_vector():
    with pytest.raises(ValueError, match="image"):
        total_variation(torch.zeros(10))


def test_fit_grid_reaches_the_target_and_tv_smooths_noise():
    torch.manual_seed(0)
    clean = torch.zeros(16, 16)
    clean[4:12, 4:12] = 1.0
    noisy = clean + 0.3 * torch.randn(16, 16)
    grid, run = fit_grid(lambda u: ((u - noisy) ** 2).mean(), (16, 16), 300, 0.05)
    assert ((grid - noisy) ** 2).mean().item() < 1e-4          # no prior: it copies the noise
    assert run.steps == 300
    smooth, _ = fit_grid(lambda u: ((u - noisy) ** 2).mean(), (16, 16), 300, 0.05,
                         tv_weight=0.3)
    assert ((smooth - clean) ** 2).mean() < 0.5 * ((grid - clean) ** 2).mean()


def test_fit_grid_keeps_the_best_validation_grid_and_takes_an_init():
    target = torch.rand(8, 8, 3)
    seen = []

    def evaluate(grid):
        seen.append(grid.shape)
        return {"val": -float(((grid - target) ** 2).mean())}

    init = torch.full((8, 8, 3), 0.5)
    grid, run = fit_grid(lambda u: ((u - target) ** 2).mean(), (8, 8, 3), 50, 0.02, init=init,
                         evaluate=evaluate, score="val")
    assert seen[0] == (8, 8, 3) and run.history["val"][-1] > run.history["val"][0]
    assert run.best_step > 0 and init.eq(0.5).all()           # the init is not modified
    with pytest.raises(ValueError, match="init has shape"):
        fit_grid(lambda u: u.sum(), (4, 4), 2, 0.1, init=torch.zeros(3, 3))
