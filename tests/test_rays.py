"""Cameras, rays through pixels, ray-box intervals and stratified samples."""
import math

import pytest
import torch

from helpers.rays import camera_rays, focal_from_fov, look_at, ray_box, stratified_samples


def test_look_at_is_a_rotation_facing_the_target():
    pose = look_at((3.0, -2.0, 1.5), (0.2, 0.1, -0.3))
    rotation = pose[:3, :3]
    assert torch.allclose(rotation.T @ rotation, torch.eye(3), atol=1e-6)
    assert torch.linalg.det(rotation) == pytest.approx(1.0, abs=1e-6)
    forward = torch.nn.functional.normalize(torch.tensor([0.2 - 3.0, 0.1 + 2.0, -0.3 - 1.5]), dim=0)
    assert torch.allclose(-pose[:3, 2], forward, atol=1e-6)
    assert pose[2, 0].abs() < 1e-6  # "right" is horizontal: no roll


def test_the_centre_ray_points_along_the_camera_axis():
    pose = look_at((2.0, 1.0, 1.0))
    origins, dirs = camera_rays(pose, 5, 5, focal=4.0)
    assert origins.shape == dirs.shape == (25, 3)
    assert torch.allclose(dirs.norm(dim=-1), torch.ones(25), atol=1e-6)
    axis = torch.nn.functional.normalize(-torch.tensor([2.0, 1.0, 1.0]), dim=0)
    assert torch.allclose(dirs[12], axis, atol=1e-6)          # row 2, column 2 of 5 x 5
    assert torch.allclose(origins, torch.tensor([2.0, 1.0, 1.0]).expand(25, 3))


def test_the_image_edge_is_half_the_field_of_view_off_axis():
    focal = focal_from_fov(64, 40.0)
    pose = look_at((0.0, -4.0, 0.0))
    # offset (1, 0): row 31's ray passes the image's middle row, column 0's its left edge
    _, dirs = camera_rays(pose, 64, 64, focal, offset=(1.0, 0.0))
    edge = dirs.reshape(64, 64, 3)[31, 0]
    axis = torch.tensor([0.0, 1.0, 0.0])
    angle = math.degrees(math.acos(float(edge @ axis)))
    assert angle == pytest.approx(20.0, abs=0.05)
    assert edge[0] < 0  # column 0 is on the camera's left: -x when looking along +y


def test_ray_box_enters_and_leaves_where_the_slabs_say():
    origins = torch.tensor([[-3.0, 0.0, 0.0], [-3.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    dirs = torch.tensor([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    near, far, hit = ray_box(origins, dirs)
    assert hit.tolist() == [True, False, True]
    assert torch.allclose(near, torch.tensor([2.0, 0.0, 0.0]))
    assert torch.allclose(far, torch.tensor([4.0, 0.0, 1.0]))  # from inside: starts at the eye
    near, far, hit = ray_box(origins[:1], dirs[:1], torch.tensor([-1.0, -1, -1]),
                             torch.tensor([0.5, 1, 1]))
    assert torch.allclose(far, torch.tensor([3.5]))


def test_stratified_samples_stay_in_their_bins():
    near, far = torch.tensor([1.0, 2.0, 0.5]), torch.tensor([3.0, 6.0, 0.5])
    t = stratified_samples(near, far, 8, perturb=True, generator=torch.Generator().manual_seed(0))
    width = (far - near) / 8
    lower = near[:, None] + width[:, None] * torch.arange(8)
    assert t.shape == (3, 8)
    assert (t >= lower - 1e-6).all() and (t <= lower + width[:, None] + 1e-6).all()
    assert (t[:, 1:] >= t[:, :-1]).all()
    assert (t[:2] - lower[:2]).std() > 0.05                # really random within the bins
    mid = stratified_samples(near, far, 8, perturb=False)
    assert torch.allclose(mid, lower + width[:, None] / 2)
