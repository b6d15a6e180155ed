"""helpers.video_clip: the generated clip, its coordinates and the classical in-betweens."""
import torch
import pytest

import helpers
from helpers import video_clip as clip


def test_clip_shape_range_and_motion():
    video = clip.make_clip(frames=8, size=32)
    assert video.shape == (8, 32, 32, 3) and video.dtype == torch.float32
    assert 0 <= video.min() and video.max() <= 1
    change = (video[1:] - video[:-1]).abs().mean(dim=(1, 2, 3))
    assert (change > 1e-3).all()  # every frame moves
    assert torch.equal(video, clip.make_clip(frames=8, size=32))  # deterministic
    with pytest.raises(ValueError, match="at least 2 frames"):
        clip.make_clip(frames=1)


def test_clip_coords_follow_the_pixel_convention():
    coords = clip.clip_coords(4, 2, 3)
    assert coords.shape == (4, 2, 3, 3)
    assert torch.allclose(coords[:, 0, 0, 2], torch.tensor([-0.75, -0.25, 0.25, 0.75]))
    assert torch.allclose(coords[0, 0, :, 0], torch.tensor([-2 / 3, 0.0, 2 / 3]))
    assert torch.allclose(coords[0, :, 0, 1], torch.tensor([-0.5, 0.5]))


def test_frame_blending_is_exact_on_a_clip_linear_in_time():
    t = torch.arange(10, dtype=torch.float32)[:, None, None, None]
    base = torch.rand(1, 5, 5, 3)
    slope = torch.rand(1, 5, 5, 3) * 0.05
    video = base + slope * t
    odd = clip.blend_frames(video[0::2])
    assert torch.allclose(odd[:-1], video[1::2][:-1], atol=1e-6)
    assert torch.equal(odd[-1], video[-2])  # the last odd frame has no right neighbour


def test_frame_blending_ghosts_a_moving_edge():
    video = clip.make_clip(frames=16, size=32)
    blended = clip.blend_frames(video[0::2])
    error = (blended[:-1] - video[1::2][:-1]).abs().max()
    assert error > 0.1  # a moving object is half in two places, not in between


def test_variant_is_another_clip_from_the_same_recipe():
    base, other = clip.make_clip(8, 32), clip.make_clip(8, 32, variant=1)
    assert other.shape == base.shape and 0 <= other.min() and other.max() <= 1
    assert (base - other).abs().mean() > 0.05  # objects elsewhere: not the test clip again
    assert torch.equal(base, clip.make_clip(8, 32, variant=0))


def test_flow_frames_follow_a_moving_square_where_blending_ghosts():
    frames = torch.zeros(5, 32, 32, 3)
    for k in range(5):  # a bright square moving 2 px per frame to the right
        frames[k, 10:18, 4 + 2 * k:12 + 2 * k] = 1.0
    midway = clip.flow_frames(frames[0::2])
    assert midway.shape == (3, 32, 32, 3)
    flow_error = (midway[:2] - frames[1::2]).abs().mean()
    blend_error = (clip.blend_frames(frames[0::2])[:2] - frames[1::2]).abs().mean()
    assert flow_error < 0.7 * blend_error
    assert torch.equal(midway[-1], frames[-1])  # the last one has no right neighbour


def test_bicubic_pixels_reads_only_train_pixels_and_is_exact_on_planes():
    rows = torch.arange(16, dtype=torch.float32)[:, None]
    cols = torch.arange(16, dtype=torch.float32)[None, :]
    plane = (0.01 * rows + 0.02 * cols + 0.2)[..., None].expand(16, 16, 3)
    video = torch.stack([plane, plane + 0.1])
    predicted = clip.bicubic_pixels(video)
    assert predicted.shape == video.shape
    inner = (slice(None), slice(3, -3, 2), slice(3, -3, 2))  # away from the replicated edges
    assert torch.allclose(predicted[inner], video[inner], atol=1e-5)
    changed = video.clone()
    changed[:, 1::2, 1::2] = 0  # the test pixels are never read
    assert torch.equal(clip.bicubic_pixels(changed), predicted)
    assert torch.equal(predicted[1], helpers.interpolate.interpolate(video[1], "bicubic"))


def test_write_video_writes_a_playable_file(tmp_path):
    import imageio.v2 as imageio

    path = clip.write_video(clip.make_clip(4, 16), tmp_path / "clip", fps=4, scale=2)
    assert path.exists() and path.stat().st_size > 0
    if path.suffix == ".gif":
        frames = imageio.mimread(path)
        assert len(frames) == 4 and frames[0].shape[:2] == (32, 32)
    else:
        import imageio_ffmpeg

        assert path.read_bytes()[4:8] == b"ftyp"  # an MP4 container
        assert imageio_ffmpeg.count_frames_and_secs(str(path))[0] == 4
