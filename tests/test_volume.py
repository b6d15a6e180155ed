"""Volume rendering against a three-sample ray computed by hand."""
import math

import torch

from helpers.volume import composite


def test_three_samples_by_hand():
    # t = 1, 2, 4 and the ray ends at 5: stretches of 1, 2 and 1.
    # sigma = 0, ln 2 / 2, ln 4 -> alpha = 0, 1/2, 3/4 -> T = 1, 1, 1/2 -> w = 0, 1/2, 3/8
    t = torch.tensor([[1.0, 2.0, 4.0]])
    sigmas = torch.tensor([[0.0, math.log(2) / 2, math.log(4)]])
    colors = torch.eye(3)[None]                              # red, green, blue
    out = composite(colors, sigmas, t, torch.tensor([5.0]), background=1.0)
    assert torch.allclose(out["weights"], torch.tensor([[0.0, 0.5, 0.375]]), atol=1e-6)
    assert torch.allclose(out["opacity"], torch.tensor([0.875]), atol=1e-6)
    # 1/8 of white shows through behind the three
    assert torch.allclose(out["rgb"], torch.tensor([[0.125, 0.625, 0.5]]), atol=1e-6)
    # 1/2 * 2 + 3/8 * 4 + 1/8 * 5 (the uncovered part counts as the far end)
    assert torch.allclose(out["depth"], torch.tensor([3.125]), atol=1e-6)


def test_empty_ray_shows_the_background_and_an_opaque_sample_hides_it():
    t = torch.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    sigmas = torch.tensor([[0.0, 0.0, 0.0], [0.0, 1e4, 0.0]])
    colors = torch.full((2, 3, 3), 0.2)
    colors[1, 1] = torch.tensor([0.0, 1.0, 0.0])
    out = composite(colors, sigmas, t, torch.tensor([4.0, 4.0]), background=torch.tensor([0.3, 0.4, 0.5]))
    assert torch.allclose(out["rgb"][0], torch.tensor([0.3, 0.4, 0.5]))
    assert torch.allclose(out["depth"][0], torch.tensor(4.0))
    assert torch.allclose(out["rgb"][1], torch.tensor([0.0, 1.0, 0.0]), atol=1e-6)
    assert torch.allclose(out["depth"][1], torch.tensor(2.0), atol=1e-5)


def test_gradients_reach_every_visible_sample():
    t = torch.tensor([[1.0, 2.0, 3.0]])
    sigmas = torch.tensor([[0.5, 0.5, 0.5]], requires_grad=True)
    colors = torch.rand(1, 3, 3, requires_grad=True)
    composite(colors, sigmas, t, torch.tensor([4.0]))["rgb"].sum().backward()
    assert (sigmas.grad.abs() > 0).all() and (colors.grad.abs() > 0).all()
