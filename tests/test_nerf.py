"""The tiny NeRF: network shapes, chunked rendering, training works (and calls its hook)."""
import math

import pytest
import torch

from helpers import nerf, scene
from helpers.encoders import PositionalEncoding
from helpers.hashgrid import HashGridEncoding
from helpers.rays import look_at


def test_network_shapes_and_ranges():
    model = nerf.NeRF(PositionalEncoding(3, in_dim=3), hidden=32, n_layers=3)
    points, dirs = torch.rand(10, 3) * 2 - 1, torch.nn.functional.normalize(torch.randn(10, 3), dim=-1)
    rgb, sigma = model(points, dirs)
    assert rgb.shape == (10, 3) and sigma.shape == (10,)
    assert (rgb >= 0).all() and (rgb <= 1).all() and (sigma >= 0).all()


def test_density_ignores_the_view_direction():
    torch.manual_seed(0)
    model = nerf.NeRF(hidden=32, n_layers=3)
    points = torch.rand(6, 3) * 2 - 1
    d1 = torch.nn.functional.normalize(torch.randn(6, 3), dim=-1)
    d2 = torch.nn.functional.normalize(torch.randn(6, 3), dim=-1)
    (rgb1, sigma1), (rgb2, sigma2) = model(points, d1), model(points, d2)
    assert torch.equal(sigma1, sigma2) and not torch.allclose(rgb1, rgb2)


def test_chunked_view_equals_one_chunk():
    torch.manual_seed(0)
    model = nerf.NeRF(PositionalEncoding(2, in_dim=3), hidden=16, n_layers=2)
    pose = scene.camera_pose(30.0, 40.0)
    small, depth_small = nerf.render_view(model, pose, 12, 15.0, scene.BOUNDS, 8, chunk_size=7)
    whole, depth_whole = nerf.render_view(model, pose, 12, 15.0, scene.BOUNDS, 8, chunk_size=10_000)
    assert small.shape == (12, 12, 3) and depth_small.shape == (12, 12)
    assert torch.allclose(small, whole, atol=1e-6) and torch.allclose(depth_small, depth_whole, atol=1e-5)


def test_fit_nerf_learns_the_scene():
    views = scene.make_views(16, n_train=8, n_val=1, n_test=2, supersample=1)
    torch.manual_seed(0)
    model = nerf.NeRF(PositionalEncoding(3, in_dim=3), hidden=32, n_layers=3)
    untrained, _ = nerf.views_psnr(model, views["test"], scene.BOUNDS, 16)
    seen = []
    result = nerf.fit_nerf(model, views, scene.BOUNDS, steps=150, lr=5e-3, batch_rays=256,
                           n_samples=16, eval_every=50, progress=False,
                           on_eval=lambda step, values: seen.append((step, values["val_psnr"])))
    assert result.test_psnr > untrained + 3
    assert result.history["step"] == [0, 50, 100, 150]
    assert [step for step, _ in seen] == [0, 50, 100, 150]      # the hook saw each evaluation
    assert [v for _, v in seen] == result.history["val_psnr"]
    assert result.prediction.shape == (16, 16, 3)
    assert result.seconds > 0 and result.steps == 150


def test_a_3d_hash_grid_nerf_trains():
    views = scene.make_views(16, n_train=6, n_val=1, n_test=1, supersample=1)
    torch.manual_seed(0)
    model = nerf.NeRF(HashGridEncoding(4, 2, 12, 4, 16, in_dim=3), hidden=32, n_layers=2)
    before = model.position_encoder.table.detach().clone()
    result = nerf.fit_nerf(model, views, scene.BOUNDS, steps=20, lr=1e-2, batch_rays=128,
                           n_samples=8, eval_every=10, progress=False)
    assert not torch.equal(before, model.position_encoder.table)
    assert math.isfinite(result.test_psnr)


def test_a_view_of_nothing_is_background_with_no_depth():
    model = nerf.NeRF(hidden=16, n_layers=2)
    away = look_at((3.0, 0.0, 0.0), (9.0, 0.0, 0.0))
    image, depth = nerf.render_view(model, away, 8, 10.0, scene.BOUNDS, 4)
    assert torch.isinf(depth).all()
    assert torch.allclose(image, torch.ones(8, 8, 3))
