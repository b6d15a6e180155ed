"""A clip of your own: clip_files.load_clip's sources and errors, clip_fit against 10's
section 2 code, and ``python -m helpers fit-clip``."""
import json
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import helpers
from conftest import run_cli
from helpers import bandwidth, clip_files, clip_fit, video_clip
from helpers.loop import optimize
from helpers.pixel_grid import fit_grid


ONE_THREAD = {"OMP_NUM_THREADS": "1", "NB_BUDGET": "smoke"}  # for the command's subprocess


@pytest.fixture(autouse=True)
def _one_thread(one_thread):
    yield


def uint8_clip(frames=8, size=16, width=None):
    """The generated clip as uint8 frames, ``width`` columns (the right part repeated)."""
    clip = (video_clip.make_clip(frames, size).numpy() * 255 + 0.5).astype(np.uint8)
    if width is not None:
        clip = np.concatenate([clip, clip[:, :, :width - size]], axis=2)
    return clip


def write_mp4(path, frames, fps=8):
    import imageio.v2 as imageio

    imageio.mimsave(path, list(frames), format="FFMPEG", fps=fps, macro_block_size=8,
                    quality=10)
    return path


def load(source, capsys, **options):
    clip = clip_files.load_clip(source, **options)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines  # every transformation said once, in one line
    return clip, lines[0]


# --- load_clip: each source -------------------------------------------------------------

def test_a_folder_of_pngs_in_natural_order(tmp_path, capsys):
    import imageio.v3 as iio

    frames = uint8_clip(12, 16, width=24)
    for k, frame in enumerate(frames):  # frame2 must come before frame10
        iio.imwrite(tmp_path / f"frame{k}.png", frame)
    (tmp_path / "notes.txt").write_text("not a frame")
    clip, line = load(tmp_path, capsys)
    assert clip.shape == (12, 16, 24, 3) and clip.dtype == torch.float32
    assert torch.allclose(clip, torch.from_numpy(frames / 255.0).float(), atol=1e-6)
    assert line.startswith(f"{tmp_path.name}/: 12 frames 16x24 -> 12 frames, 16x24")
    clip, line = load(tmp_path, capsys, frames=4, start=1, step=3, size=8)
    assert clip.shape == (4, 8, 12, 3)  # shorter side 8, aspect ratio 2:3 kept
    assert "-> 4 frames (every 3rd from 1), 8x12 (shorter side resized" in line
    assert torch.allclose(clip[1], helpers.resize(torch.from_numpy(frames[4] / 255.0).float(), 8, 12))


def test_rgba_and_16_bit_frames(tmp_path, capsys):
    import imageio.v3 as iio

    rgba = np.zeros((4, 8, 8, 4), np.uint8)
    rgba[..., 0], rgba[..., 3] = 255, 255
    rgba[:, :4, :, 3] = 0  # the top half transparent: white after compositing
    (tmp_path / "rgba").mkdir()
    for k, frame in enumerate(rgba):
        iio.imwrite(tmp_path / "rgba" / f"{k:03d}.png", frame)
    clip, line = load(tmp_path / "rgba", capsys)
    assert torch.equal(clip[:, :4], torch.ones(4, 4, 8, 3))
    assert torch.equal(clip[:, 4:], torch.tensor([1.0, 0, 0]).expand(4, 4, 8, 3))
    assert "transparent pixels composited on white" in line

    deep = np.zeros((4, 8, 8), np.uint16)
    deep[:] = 65535 // 5  # gray, 16 bits
    (tmp_path / "deep").mkdir()
    for k, frame in enumerate(deep):
        iio.imwrite(tmp_path / "deep" / f"{k}.png", frame)
    assert iio.imread(tmp_path / "deep" / "0.png").dtype == np.uint16
    clip, line = load(tmp_path / "deep", capsys)
    assert torch.allclose(clip, torch.full((4, 8, 8, 3), (65535 // 5) / 65535))
    assert "16-bit" in line and "gray made RGB" in line


def test_an_mp4_file(tmp_path, capsys):
    frames = uint8_clip(10, 16, width=32)
    path = write_mp4(tmp_path / "clip.mp4", frames)
    clip, line = load(path, capsys, frames=4, step=2)
    assert clip.shape == (4, 16, 32, 3)
    assert line == "clip.mp4: 10 frames 16x32 -> 4 frames (every 2nd from 0), 16x32"
    # lossy, but the same frames in the same order
    error = (clip - torch.from_numpy(frames[0:8:2] / 255.0).float()).abs().mean()
    assert error < 0.03, error
    wrong = (clip - torch.from_numpy(frames[1:9:2] / 255.0).float()).abs().mean()
    assert wrong > 2 * error


def test_a_gif_file(tmp_path, capsys):
    import imageio.v2 as imageio

    frames = uint8_clip(6, 16)
    imageio.mimsave(tmp_path / "clip.gif", list(frames), format="GIF", duration=100, loop=0)
    clip, line = load(tmp_path / "clip.gif", capsys, size=8)
    assert clip.shape == (6, 8, 8, 3)
    assert line.startswith("clip.gif: 6 frames 16x16 -> 6 frames, 8x8")
    full, _ = load(tmp_path / "clip.gif", capsys)
    assert (full - torch.from_numpy(frames / 255.0).float()).abs().mean() < 0.03  # a palette


def test_arrays_uint8_float_gray_and_a_tensor(capsys):
    frames = uint8_clip(6, 16)
    as_float = torch.from_numpy(frames / 255.0).float()
    clip, line = load(frames, capsys)
    assert torch.allclose(clip, as_float) and line.startswith("array: 6 frames 16x16 -> 6 frames")
    clip, _ = load(as_float, capsys)
    assert torch.equal(clip, as_float)
    clip, line = load(frames[..., :1], capsys)
    assert torch.allclose(clip, as_float[..., :1].expand(6, 16, 16, 3)) and "gray made RGB" in line
    clip, line = load(np.zeros((4, 9, 13, 3)), capsys)  # odd sides: the pixel hold-out
    assert clip.shape == (4, 8, 12, 3) and "dropped to make the sides even" in line
    clip, line = load(torch.rand(4, 20, 30, 3), capsys, size=10, square=True)
    assert clip.shape == (4, 10, 10, 3) and "centre-cropped to a square" in line


# --- load_clip: each error, one sentence -------------------------------------------------

def one_sentence(error):
    text = str(error.value)
    assert text.endswith(".") and "\n" not in text and text.count(". ") == 0, text
    return text


def test_errors_say_what_to_do(tmp_path):
    import imageio.v3 as iio

    with pytest.raises(FileNotFoundError) as error:
        clip_files.load_clip(tmp_path / "missing.mp4")
    assert "no clip at" in one_sentence(error) and "folder of frames" in str(error.value)

    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(tmp_path / "empty")
    assert "holds no PNG or JPEG frames" in one_sentence(error)

    (tmp_path / "mixed").mkdir()
    for k in range(4):
        iio.imwrite(tmp_path / "mixed" / f"{k}.png", np.zeros((8, 8 + 4 * (k == 2), 3), np.uint8))
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(tmp_path / "mixed")
    assert "'2.png' is 8x12 but '0.png' is 8x8; give a folder of frames of one size" \
        in one_sentence(error)

    iio.imwrite(tmp_path / "one.png", np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(tmp_path / "one.png")
    assert "is a single frame but a clip needs at least 4 frames" in one_sentence(error)
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(np.zeros((1, 8, 8, 3)))
    assert "gives 1 frame but a clip needs at least 4" in one_sentence(error)
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(np.zeros((8, 8, 8, 3)), start=6)
    assert "gives 2 frames (start 6, every 1)" in one_sentence(error)

    (tmp_path / "broken.mp4").write_bytes(b"not a video")
    with pytest.raises(ValueError) as error:
        clip_files.load_clip(tmp_path / "broken.mp4")
    assert "could not read" in one_sentence(error)
    assert "install imageio-ffmpeg (pip install imageio-ffmpeg) or give a folder of frames" \
        in str(error.value)

    with pytest.raises(ValueError) as error:
        clip_files.load_clip(np.zeros((8, 8, 3)))
    assert "must be (T, H, W, 3)" in one_sentence(error)


# --- clip_fit against 10's section 2, written out as the notebook has it ------------------

def notebook_section_2(T, S, HIDDEN_V, STEPS_V, factors, tv_weights, DEVICE="cpu"):
    """A copy of 10_beyond_images' video code (its globals made arguments)."""
    video, video_val = video_clip.make_clip(T, S), video_clip.make_clip(T, S, variant=1)
    coords = video_clip.clip_coords(T, S)
    TRAIN = {"frames": torch.zeros(T, S, S, dtype=torch.bool), "pixels": torch.zeros(T, S, S, dtype=torch.bool)}
    TRAIN["frames"][0::2], TRAIN["pixels"][:, ::2, ::2] = True, True
    TEST = {"frames": (slice(1, None, 2),), "pixels": (slice(None), slice(1, None, 2), slice(1, None, 2))}
    DENSITY = {"frames": (bandwidth.samples_per_unit(S), bandwidth.samples_per_unit(T // 2)),
               "pixels": (bandwidth.samples_per_unit(S // 2), bandwidth.samples_per_unit(T))}

    def fit_video(clip, holdout, c, steps=STEPS_V):
        space, time_ = DENSITY[holdout]
        torch.manual_seed(0)
        model = helpers.CoordinateModel(video_clip.AxisScale((1.0, 1.0, time_ / space)), helpers.Siren(
            3, 3, HIDDEN_V, 4, omega0=bandwidth.frequency_scale("siren", space, c))).to(DEVICE)
        x, y = coords[TRAIN[holdout]].to(DEVICE), clip[TRAIN[holdout]].to(DEVICE)
        optimize(model, lambda step: helpers.mse(model(x), y), steps, 5e-4, progress=False)
        with torch.no_grad():
            full = torch.cat([model(chunk.to(DEVICE)).cpu() for chunk in coords.reshape(-1, 3).split(65536)])
        return SimpleNamespace(video=full.reshape(T, S, S, 3).clamp(0, 1), params=helpers.count_params(model))

    def total_variation_3d(v):
        base = v[:-1, :-1, :-1]
        return torch.sqrt((v[1:, :-1, :-1] - base) ** 2 + (v[:-1, 1:, :-1] - base) ** 2
                          + (v[:-1, :-1, 1:] - base) ** 2 + 1e-8).mean()

    def fit_voxels(clip, holdout, weight=0.0):
        mask = TRAIN[holdout]
        def loss_fn(grid):
            return helpers.mse(grid[mask], clip[mask]) + weight * total_variation_3d(grid)
        return fit_grid(loss_fn, clip.shape, STEPS_V, 3e-2)[0].clamp(0, 1)

    def held_psnr(prediction, clip, holdout):
        return helpers.psnr(prediction[TEST[holdout]], clip[TEST[holdout]])

    val_c = {c: held_psnr(fit_video(video_val, "frames", c).video, video_val, "frames")
             for c in factors}
    c_video = max(val_c, key=val_c.get)
    tv_weight = {h: max(tv_weights, key=lambda w: held_psnr(fit_voxels(video_val, h, w), video_val, h))
                 for h in TRAIN}
    even_frames = video[0::2]
    siren = {h: fit_video(video, h, c_video) for h in TRAIN}
    rows = {"frames": {"repeat the previous frame": even_frames,
                       "linear blending": video_clip.blend_frames(even_frames),
                       "optical flow (TV-L1), warped": video_clip.flow_frames(even_frames)},
            "pixels": {"bicubic (each frame)": video_clip.bicubic_pixels(video)[TEST["pixels"]]}}
    for h in TRAIN:
        rows[h]["voxel grid (no network)"] = fit_voxels(video, h)[TEST[h]]
        rows[h][f"voxel grid + TV (w={tv_weight[h]:g})"] = fit_voxels(video, h, tv_weight[h])[TEST[h]]
        rows[h][f"SIREN (c = {c_video:g})"] = siren[h].video[TEST[h]]
    scores = {h: {k: helpers.psnr(v, video[TEST[h]]) for k, v in r.items()} for h, r in rows.items()}
    return SimpleNamespace(val_c=val_c, c=c_video, tv_weight=tv_weight, scores=scores, siren=siren)


def test_the_helper_gives_the_notebooks_numbers():
    T, S, hidden, steps, factors, weights = 8, 16, 16, 15, (1.0, 8.0), (0.001, 0.03)
    book = notebook_section_2(T, S, hidden, steps, factors, weights)
    video, video_val = video_clip.make_clip(T, S), video_clip.make_clip(T, S, variant=1)
    c, val_c = clip_fit.choose_c(video_val, "frames", factors, steps, hidden)
    assert val_c == book.val_c and c == book.c
    for h in clip_fit.HOLDOUTS:
        mine = clip_fit.contest(video, video_val, h, steps, hidden, tv_weights=weights, c=c)
        assert mine.tv_weight == book.tv_weight[h]
        assert mine.scores == book.scores[h]  # the same rows, names, order and numbers
        assert torch.equal(mine.siren.video, book.siren[h].video)
    # choosing c on the hold-out itself (the command's way) is the same sweep for frames
    alone = clip_fit.contest(video, video_val, "frames", steps, hidden, factors, weights)
    assert alone.c_sweep == book.val_c and alone.scores == book.scores["frames"]


def test_masks_densities_and_a_wide_clip():
    mask = clip_fit.train_mask((6, 4, 8), "pixels")
    assert mask.sum() == 6 * 2 * 4 and mask[:, 0, 0].all() and not mask[:, 1, 1].any()
    assert clip_fit.train_mask((6, 4, 8), "frames")[0::2].all()
    assert clip_fit.densities(16, 32, 48, "frames") == (24.0, 16.0, 4.0)
    assert clip_fit.densities(16, 32, 48, "pixels") == (12.0, 8.0, 8.0)
    with pytest.raises(ValueError, match="unknown hold-out 'odd'"):
        clip_fit.train_mask((4, 4, 4), "odd")
    wide = torch.rand(6, 8, 12, 3)
    for h in clip_fit.HOLDOUTS:
        fit = clip_fit.fit_siren(wide, h, steps=3, hidden=8)
        assert fit.video.shape == wide.shape and fit.omega0 == 30 * clip_fit.densities(6, 8, 12, h)[0] / 128
        assert all(v.shape == wide[clip_fit.test_index(h)].shape
                   for v in clip_fit.baselines(wide, h).values())
    grid = clip_fit.fit_voxels(wide, "frames", 0.0, steps=5)
    assert torch.equal(grid[1::2], torch.zeros_like(grid[1::2]))  # nothing moves unseen samples


def test_split_clip_is_two_disjoint_halves():
    clip = torch.arange(9.0)[:, None, None, None].expand(9, 2, 2, 3)
    test, val = clip_fit.split_clip(clip)
    assert test[:, 0, 0, 0].tolist() == [0, 1, 2, 3] and val[:, 0, 0, 0].tolist() == [4, 5, 6, 7]


# --- the command ------------------------------------------------------------------------

def test_fit_clip_json_on_a_tiny_mp4(tmp_path):
    path = write_mp4(tmp_path / "tiny.mp4", uint8_clip(16, 32))
    done = run_cli("fit-clip", "--clip", str(path), "--frames", "6", "--size", "16",
                   "--steps", "20", "--hidden", "16", "--device", "cpu",
                   "--out", str(tmp_path / "out"), "--json", env=ONE_THREAD)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["frames"] == 6 and report["size"] == [16, 16] and report["holdout"] == "frames"
    assert report["c"] in (1.0, 8.0) or report["c"] in [float(c) for c in report["c_sweep"]]
    assert "next 6 frames of the same clip" in report["validation"]
    rows = report["rows"]
    assert list(rows)[:3] == ["repeat the previous frame", "linear blending",
                              "optical flow (TV-L1), warped"]
    assert any(name.startswith("SIREN (c = ") for name in rows)
    assert rows["voxel grid (no network)"]["psnr"] < rows["linear blending"]["psnr"] - 5
    assert all(row["seconds"] >= 0 for row in rows.values())
    assert "tiny.mp4: 16 frames 32x32 -> 12 frames, 16x16" in done.stderr
    assert (tmp_path / "out" / "held_out_frame.png").stat().st_size > 0
    video = clip_files.load_clip(report["out"]["video"])  # an MP4, or a GIF without ffmpeg
    assert len(video) == 6 and video.shape[2] >= 3 * video.shape[1] - 16  # 3 clips side by side


def test_fit_clip_pixels_on_the_generated_clip():
    done = run_cli("fit-clip", "--clip", "generated", "--frames", "4", "--size", "8",
                   "--steps", "5", "--hidden", "8", "--holdout", "pixels", "--factors", "1",
                   "--device", "cpu", "--json", env=ONE_THREAD)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(report["rows"])[0] == "bicubic (each frame)" and report["c"] == 1.0
    assert report["validation"] == "10's second generated clip (variant 1)"


@pytest.mark.parametrize("args, message", [
    (["--clip", "no/such/clip.mp4"], "error: no clip at 'no/such/clip.mp4'"),
    (["--clip", "generated", "--holdout", "odd"], "invalid choice: 'odd'"),
    (["--clip", "generated", "--start", "-1"], "--start: must be 0 or more"),
    (["--clip", "generated", "--size", "9"], "error: --size 9 is odd"),
])
def test_fit_clip_bad_input_is_one_line_and_exit_2(args, message):
    done = run_cli("fit-clip", *args, "--steps", "2", "--json", env=ONE_THREAD)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_fit_clip_too_few_frames_to_split(tmp_path):
    path = write_mp4(tmp_path / "short.mp4", uint8_clip(6, 16))
    done = run_cli("fit-clip", "--clip", str(path), "--steps", "2", "--json", env=ONE_THREAD)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "error: 6 frames cannot be cut into a test clip and a validation clip of 4 frames "
        "each; give a clip of at least 8 frames.")
