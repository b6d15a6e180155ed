"""Your own posed photos: each trap a learner can hit gets one sentence, the NeRF-synthetic
loader round-trips the writer, a scene at scale 1.5 trains as well as at scale 1, and the
fit-scene command reports NeRF beside its baselines."""
import json
import math

import numpy as np
import pytest
import torch

from helpers import nerf, scene, scene_baselines, scene_data
from helpers.encoders import PositionalEncoding
from helpers.rays import camera_rays, focal_from_camera_angle_x, focal_from_fov, look_at
from helpers.tools import cli

BOX = ((-1.0, -1.0, -1.0), (1.0, 1.0, 1.0))


def _views(height, width, n, depths=True, offset=0):
    """Ray-cast views of the series' scene at ``height x width``, in its own coordinates."""
    focal = focal_from_fov(width, scene.FOV)
    poses = scene.spiral_poses(n + offset)[offset:]
    images, depth = [], []
    for pose in poses:
        rgb, t = scene.cast(*camera_rays(pose, height, width, focal))
        images.append(rgb.reshape(height, width, 3))
        depth.append(t.reshape(height, width))
    return scene.Views(torch.stack(images), torch.stack(depth) if depths else None,
                       torch.stack(poses), focal)


def _split(height, width, depths=True):
    return {"train": _views(height, width, 6, depths), "val": _views(height, width, 1, depths, 6),
            "test": _views(height, width, 1, depths, 7)}


def _fit(views, steps=30, bounds=scene.BOUNDS, **kw):
    torch.manual_seed(0)
    model = nerf.NeRF(PositionalEncoding(3, in_dim=3), hidden=32, n_layers=2)
    return nerf.fit_nerf(model, views, bounds, steps=steps, lr=5e-3, batch_rays=128,
                         n_samples=8, eval_every=steps, progress=False, **kw)


# --- the traps, each with its sentence ---------------------------------------------------

def test_rgba_images_are_refused_with_how_to_composite():
    views = _views(8, 8, 2)
    rgba = torch.cat([views.images, torch.ones(2, 8, 8, 1)], dim=-1)
    with pytest.raises(ValueError, match=r"RGBA\): composite them on a background.*load_views"):
        scene.Views(rgba, None, views.poses, views.focal)


@pytest.mark.parametrize("images", [np.full((1, 4, 4, 3), 200, np.uint8),
                                    np.full((1, 4, 4, 3), 200.0)])
def test_0_to_255_images_are_refused_divide_by_255(images):
    with pytest.raises(ValueError, match="divide by 255"):
        scene.Views(images, None, np.eye(4)[None], 10.0)


def test_numpy_float64_views_become_float32_tensors():
    views = scene.Views(np.random.rand(2, 5, 7, 3), None, np.stack([np.eye(4)] * 2), np.float64(9))
    assert views.images.dtype == views.poses.dtype == torch.float32
    assert (views.height, views.width) == (5, 7) and isinstance(views.focal, float)
    with pytest.raises(ValueError, match="not square; use views.height and views.width"):
        views.size
    with pytest.raises(ValueError, match=r"poses should be \(N, 4, 4\)"):
        scene.Views(np.random.rand(2, 5, 7, 3), None, np.eye(4)[None], 9.0)


@pytest.mark.parametrize("height, width", [(10, 16), (16, 10)])
def test_wide_and_tall_views_train_render_and_score(height, width):
    views = _split(height, width)
    result = _fit(views)
    assert result.prediction.shape == (height, width, 3)
    assert math.isfinite(result.test_psnr) and result.test_psnr > 8
    # the pixels' rays line up with their colours: a perfect model would score the truth
    image, depth = nerf.render_view(result.model, views["test"].poses[0], (height, width),
                                    views["test"].focal, scene.BOUNDS, 8)
    assert image.shape == (height, width, 3) and depth.shape == (height, width)


def test_float64_numpy_bounds_work():
    views = _split(8, 8)
    bounds = np.array(scene.BOUNDS, dtype=np.float64)
    rays = nerf.view_rays(views["test"].poses[0], 8, views["test"].focal, bounds)
    assert rays["near"].dtype == rays["far"].dtype == torch.float32
    assert math.isfinite(_fit(views, steps=5, bounds=bounds).test_psnr)


def test_radians_given_to_focal_from_fov_warn_and_camera_angle_x_is_radians():
    with pytest.warns(UserWarning, match="looks like radians.*math.degrees"):
        focal_from_fov(800, 0.6911)
    assert focal_from_camera_angle_x(800, 0.6911) == pytest.approx(1111.1, abs=0.1)
    assert focal_from_camera_angle_x(800, 0.6911) == pytest.approx(
        focal_from_fov(800, math.degrees(0.6911)))
    with pytest.raises(ValueError, match="in radians"):
        focal_from_camera_angle_x(800, 39.6)


def test_views_without_depths_train_and_score():
    views = _split(8, 8, depths=False)
    result = _fit(views)
    assert all(math.isfinite(v) for v in (result.train_psnr, result.val_psnr, result.test_psnr))
    assert nerf.depth_error(result.model, views["test"], scene.BOUNDS, 8) is None
    with_depth = _split(8, 8)
    assert nerf.depth_error(result.model, with_depth["test"], scene.BOUNDS, 8) >= 0


def test_bounds_outside_the_encoders_box_are_refused():
    with pytest.raises(ValueError, match="repeats every 2 units: normalise the scene first"):
        _fit(_split(8, 8), bounds=((-1.5,) * 3, (1.5,) * 3))
    with pytest.raises(TypeError, match=r"takes \{'train', 'val', 'test'\} of scene.Views"):
        _fit(_views(8, 8, 3))


def test_rays_that_miss_the_box_skip_the_network():
    seen = []

    class Counting(torch.nn.Module):
        def forward(self, points, dirs):
            seen.append(len(points))
            return torch.full((len(points), 3), 0.2), torch.full((len(points),), 5.0)

    origins = torch.tensor([[-3.0, 0.0, 0.0], [-3.0, 5.0, 0.0], [-3.0, 0.2, 0.0]])
    dirs = torch.tensor([[1.0, 0.0, 0.0]] * 3)
    near, far, hit = nerf.ray_box(origins, dirs)
    out = nerf.render_rays(Counting(), origins, dirs, near, far, 4, background=1.0)
    assert seen == [2 * 4]                                   # two rays cross the box
    assert torch.equal(out["rgb"][1], torch.ones(3))         # the miss: background, exactly
    assert out["opacity"][1] == 0 and (out["rgb"][0] - 0.2).abs().max() < 1e-3


def test_a_box_that_cuts_the_scene_off_is_warned_about_once():
    views = _split(8, 8)
    with pytest.warns(UserWarning, match="do not show the background: the box cuts off"):
        _fit(views, steps=2, bounds=((-0.3, -0.3, -0.3), (0.3, 0.3, 0.3)))


def test_train_psnr_scores_views_spread_over_the_train_set():
    result = _fit(_split(8, 8), steps=2, n_train_views_scored=3)
    assert result.n_train_scored == 3 and "3 views spread over the train set" in repr(result)


# --- normalisation, loader and writer ----------------------------------------------------

def test_the_camera_box_of_blenders_setup_and_of_the_series_scene():
    angles = [(0.1, 0.3), (2.0, 0.7), (4.0, 0.2), (5.0, 1.0), (1.0, 0.5)]
    poses = torch.stack([look_at((4.03 * math.cos(a) * math.cos(e),
                                  4.03 * math.sin(a) * math.cos(e), 4.03 * math.sin(e)))
                         for a, e in angles])
    centre, half = scene_data.camera_box(poses, focal_from_camera_angle_x(800, 0.6911), 800, 800)
    assert centre.abs().max() < 1e-4 and half == pytest.approx(1.45, abs=0.01)
    own = torch.stack(scene.spiral_poses(20))
    centre, half = scene_data.camera_box(own, focal_from_fov(32, scene.FOV), 32, 32)
    low, high = torch.tensor(scene.BOUNDS[0]), torch.tensor(scene.BOUNDS[1])
    assert ((low - centre).abs() <= half).all() and ((high - centre).abs() <= half).all()


def test_write_then_load_gives_the_views_back(tmp_path, capsys):
    folder = scene_data.write_nerf_synthetic(tmp_path / "s", 12, 6, 1, 2, scale=1.5)
    meta = json.loads((folder / "transforms_train.json").read_text())
    assert meta["camera_angle_x"] == pytest.approx(math.radians(scene.FOV))
    assert meta["frames"][0]["file_path"] == "./train/r_0"          # no extension, as Blender's
    views = scene_data.load_views(folder)
    line = capsys.readouterr().out.strip()
    assert line.startswith("scene normalised into [-1, 1]^3: centre (") and "\n" not in line
    truth = scene.make_views(12, 6, 1, 2)
    for name in ("train", "val", "test"):
        assert (views[name].images - truth[name].images).abs().max() < 3 / 255
        norm = views[name].normalization
        eyes = norm.to_world(views[name].poses[:, :3, 3])
        assert torch.allclose(eyes, 1.5 * truth[name].poses[:, :3, 3], atol=1e-4)
        assert torch.allclose(views[name].poses[:, :3, :3], truth[name].poses[:, :3, :3])
    assert views["train"].focal == pytest.approx(truth["train"].focal)
    half = scene_data.load_views(folder, size=6, quiet=True)["test"]     # focal scales
    assert half.images.shape == (2, 6, 6, 3)
    assert half.focal == pytest.approx(truth["test"].focal / 2)


def test_one_transforms_file_is_split_and_says_so(tmp_path, capsys):
    folder = scene_data.write_nerf_synthetic(tmp_path / "s", 8, 14, 1, 1)
    (folder / "transforms_train.json").rename(folder / "transforms.json")
    views = scene_data.load_views(folder, normalize=False)
    assert [len(views[k]) for k in ("train", "val", "test")] == [10, 2, 2]  # test 0, 8; val 4, 12
    assert "every 8th view held out for test" in capsys.readouterr().out


def test_rgba_is_composited_on_the_background(tmp_path):
    from PIL import Image

    pixels = np.zeros((2, 2, 4), np.uint8)
    pixels[0, 0] = (255, 0, 0, 255)                        # opaque red, the rest transparent
    Image.fromarray(pixels, "RGBA").save(tmp_path / "a.png")
    on_white = scene_data.read_image(tmp_path / "a.png")
    assert on_white[0, 0].tolist() == [1, 0, 0] and on_white[1, 1].tolist() == [1, 1, 1]
    assert scene_data.read_image(tmp_path / "a.png", background=0.0)[1, 1].tolist() == [0, 0, 0]


def test_world_bounds_set_the_box_and_a_raw_world_scene_is_refused(tmp_path):
    folder = scene_data.write_nerf_synthetic(tmp_path / "s", 8, 4, 1, 1, scale=1.5)
    views = scene_data.load_views(folder, bounds=((-1.5, -1.5, -0.9), (1.5, 1.5, 0.75)), quiet=True)
    norm = views["train"].normalization
    assert norm.scale == pytest.approx(1.5) and norm.source == "the bounds given"
    assert norm.bounds[0] == pytest.approx((-1.0, -1.0, -0.55))      # z: 1.65 of 3 units tall
    assert norm.bounds[1] == pytest.approx((1.0, 1.0, 0.55))
    raw = scene_data.load_views(folder, normalize=False)
    with pytest.raises(ValueError, match="outside \\[-1, 1\\]\\^3"):
        _fit(raw, bounds=((-1.5, -1.5, -0.9), (1.5, 1.5, 0.75)))


def test_a_scene_at_scale_1_5_trains_as_well_as_at_scale_1(tmp_path):
    scores = {}
    for scale in (1.0, 1.5):
        folder = scene_data.write_nerf_synthetic(tmp_path / str(scale), 16, 12, 1, 2, scale=scale,
                                                 supersample=1)
        views = scene_data.load_views(folder, quiet=True)
        untrained = nerf.views_psnr(nerf.NeRF(hidden=8, n_layers=1), views["test"], BOX, 8)[0]
        scores[scale] = _fit(views, steps=150, bounds=BOX).test_psnr
        assert scores[scale] > untrained + 3, f"scale {scale} should train: {scores}"
    assert abs(scores[1.5] - scores[1.0]) < 0.5, scores


# --- the baselines and the command -------------------------------------------------------

def test_voxel_field_interface_and_nearest_view():
    field = scene_baselines.VoxelField(4)
    rgb, sigma = field(torch.rand(10, 3) * 2 - 1, torch.randn(10, 3))
    assert rgb.shape == (10, 3) and sigma.shape == (10,) and (sigma >= 0).all()
    views = _split(6, 6)
    nearest = scene_baselines.nearest_view(views["train"], views["train"])
    assert torch.equal(nearest, views["train"].images)     # each train view is its own nearest


def test_fit_scene_command_json(tmp_path, capsys):
    folder = scene_data.write_nerf_synthetic(tmp_path / "s", 10, 6, 1, 2, scale=1.5, supersample=1)
    code = cli.main(["fit-scene", "--scene", str(folder / "transforms_train.json"), "--size", "10",
                     "--steps", "20", "--out", str(tmp_path / "out"), "--json"])
    captured = capsys.readouterr()
    assert code == 0
    report = json.loads(captured.out.strip().splitlines()[-1])
    assert set(report["rows"]) == {"nearest train view", "voxel grid", "NeRF (pe)"}
    assert all(math.isfinite(row["test_psnr"]) for row in report["rows"].values())
    assert report["normalization"]["scale"] == pytest.approx(1.5 * 1.17, abs=0.02)
    assert (tmp_path / "out" / "test_renders.png").is_file()
    assert any(f.endswith(("orbit.mp4", "orbit.gif")) for f in report["files"])
    assert "scene normalised into [-1, 1]^3" in captured.err
    assert cli.main(["fit-scene", "--scene", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
