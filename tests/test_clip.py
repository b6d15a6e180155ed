"""helpers.clip: the generated clip, its coordinates and the classical in-betweens."""
import torch
import pytest

from helpers import clip


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


def test_four_neighbour_average_is_bilinear_at_the_test_pixels():
    rows = torch.arange(8, dtype=torch.float32)[:, None]
    cols = torch.arange(8, dtype=torch.float32)[None, :]
    plane = (0.3 * rows + 0.7 * cols + 1)[..., None]  # bilinear interpolation is exact on planes
    predicted = clip.four_neighbour_average(plane[::2, ::2])
    assert torch.allclose(predicted[:-1, :-1], plane[1::2, 1::2][:-1, :-1])
    batch = torch.stack([plane, 2 * plane])  # leading dimensions (frames) pass through
    assert torch.allclose(clip.four_neighbour_average(batch[:, ::2, ::2])[1, :-1, :-1],
                          2 * plane[1::2, 1::2][:-1, :-1])


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
