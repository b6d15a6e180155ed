"""The synthetic scene: analytic hits, the views, and their split."""
import math

import pytest
import torch

from helpers import scene
from helpers.rays import ray_box


def test_a_ray_hits_the_sphere_at_the_analytic_depth():
    centre, radius = scene.BALL
    above = torch.tensor([[centre[0], centre[1], centre[2] + 3.0]])
    down = torch.tensor([[0.0, 0.0, -1.0]])
    rgb, depth = scene.cast(above, down)
    assert depth.item() == pytest.approx(3.0 - radius, abs=1e-5)
    # a ray grazing at 0.6 r off the centre line: t = 3 - sqrt(r^2 - (0.6 r)^2) = 3 - 0.8 r
    off = above + torch.tensor([[0.6 * radius, 0.0, 0.0]])
    assert scene.cast(off, down)[1].item() == pytest.approx(3.0 - 0.8 * radius, abs=1e-5)
    assert not torch.allclose(rgb, torch.ones(1, 3))


def test_a_ray_that_misses_everything_sees_the_background():
    rgb, depth = scene.cast(torch.tensor([[0.0, 0.0, 2.0]]), torch.tensor([[0.0, 0.0, 1.0]]))
    assert torch.isinf(depth).all()
    assert torch.allclose(rgb, torch.full((1, 3), scene.BACKGROUND))


def test_floor_checkerboard_and_shadow():
    down = torch.tensor([[0.0, 0.0, -1.0]]).expand(2, 3)
    # two neighbouring squares of the floor, away from every object
    cell = 2 * scene.FLOOR_HALF / 8
    origins = torch.tensor([[-0.9 + 0.5 * cell - 0.05, 0.85, 1.0], [-0.9 + 1.5 * cell - 0.05, 0.85, 1.0]])
    rgb, depth = scene.cast(origins, down)
    assert torch.allclose(depth, torch.full((2,), 1.0 - scene.FLOOR_Z))
    assert (rgb[0] - rgb[1]).abs().max() > 0.3


def test_views_split_into_train_val_test_and_lie_in_the_bounds():
    views = scene.make_views(16, n_train=10, n_val=2, n_test=3, supersample=1)
    assert [len(views[k]) for k in ("train", "val", "test")] == [10, 2, 3]
    poses = torch.cat([views[k].poses for k in views])
    assert len({tuple(p[:3, 3].round(decimals=4).tolist()) for p in poses}) == 15  # all distinct
    assert views["test"].images.shape == (3, 16, 16, 3)
    assert 0 <= views["train"].images.min() and views["train"].images.max() <= 1
    # every surface point seen lies inside BOUNDS, where NeRF samples
    view = views["train"]
    hit = torch.isfinite(view.depths)
    assert hit.float().mean() > 0.3
    from helpers.rays import camera_rays
    for pose, depth in zip(view.poses, view.depths):
        o, d = camera_rays(pose, 16, 16, view.focal)
        p = (o + depth.reshape(-1, 1) * d)[torch.isfinite(depth.reshape(-1))]
        low, high = torch.tensor(scene.BOUNDS[0]), torch.tensor(scene.BOUNDS[1])
        assert ((p >= low - 1e-4) & (p <= high + 1e-4)).all()


def test_rendering_is_deterministic():
    a = scene.render_views(scene.spiral_poses(2), 12)
    b = scene.render_views(scene.spiral_poses(2), 12)
    assert torch.equal(a.images, b.images)


def test_too_few_views_is_refused_in_one_sentence():
    with pytest.raises(ValueError, match="at least one train, val and test view"):
        scene.make_views(8, 3, 0, 1)


def test_floor_squares_label_the_floor_and_its_colours():
    pose = scene.camera_pose(30.0, 40.0)
    squares = scene.floor_squares(pose, 48)
    view = scene.render_views([pose], 48, supersample=1)
    assert set(squares.unique().tolist()) == {-1, 0, 1}
    # labelled pixels are the floor at its analytic depth's plane, the rest is not floor
    assert torch.isfinite(view.depths[0][squares >= 0]).all()
    luminance = view.images[0].mean(-1)
    light, dark = luminance[squares == 0], luminance[squares == 1]
    # light squares are light: their median is well above the dark squares' (shadows aside)
    assert light.median() > dark.median() + 0.2
    # a ray straight down on a known square: the floor's corner square (0, 0) is light
    corner = scene.FLOOR_HALF - 0.05
    down = scene.look_at((-corner, -corner, 2.0), (-corner, -corner, 0.0), up=(0.0, 1.0, 0.0))
    assert scene.floor_squares(down, 3, fov=5.0)[1, 1].item() == 0
