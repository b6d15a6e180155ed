"""helpers.render3d: camera rays, sphere tracing, shading."""
import math

import torch

from helpers import render3d, sdf


def test_camera_rays_are_unit_and_centred():
    origins, directions = render3d.camera_rays(9, eye=(0.0, 0.0, 3.0), fov=60)
    assert origins.shape == directions.shape == (81, 3)
    assert torch.allclose(directions.norm(dim=-1), torch.ones(81))
    assert torch.allclose(directions[40], torch.tensor([0.0, 0.0, -1.0]), atol=1e-6)
    assert directions[0, 1] > 0 and directions[0, 0] < 0  # first row is the top, left first


def test_sphere_tracing_hits_a_sphere_at_the_analytic_depth():
    origins, directions = render3d.camera_rays(33, eye=(0.0, 0.0, 3.0), fov=40)
    t, hit = render3d.sphere_trace(lambda p: sdf.sphere_sdf(p, radius=0.5), origins, directions,
                                   steps=100, eps=1e-5)
    # |o + t d|² = r²  ->  t = -(o·d) - sqrt((o·d)² - |o|² + r²)
    od = (origins * directions).sum(-1)
    disc = od ** 2 - (origins ** 2).sum(-1) + 0.25
    expected_hit = disc > 0
    assert torch.equal(hit, expected_hit)
    expected = -od[hit] - disc[hit].sqrt()
    assert torch.allclose(t[hit], expected, atol=1e-4)
    assert math.isclose(float(t[33 * 16 + 16]), 2.5, abs_tol=1e-4)


def test_render_shades_hits_and_leaves_background():
    image, depth = render3d.render(lambda p: sdf.sphere_sdf(p, radius=0.5), size=16,
                                   eye=(0.0, 0.0, 3.0))
    assert image.shape == (16, 16, 3) and depth.shape == (16, 16)
    assert torch.all(image[0, 0] == 1.0) and torch.isnan(depth[0, 0])  # corner: background
    assert image[8, 8].max() < 1.0 and not torch.isnan(depth[8, 8])
    assert 0 <= image.min() and image.max() <= 1
    # the lit side (light from upper right, toward the camera) is brighter than the far side
    assert image[6, 9].sum() > image[9, 6].sum() + 0.3
