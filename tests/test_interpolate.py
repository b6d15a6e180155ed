"""Classical interpolation of the train pixels (helpers/interpolate.py)."""
import numpy as np
import pytest
import torch

from helpers import load_image, psnr
from helpers.interpolate import (cubic_kernel, interpolate, interpolate_misaligned,
                                 interpolation_matrix, method_names)

ALL = method_names()
SMOOTH = ["bilinear", "bicubic", "lanczos", "spline"]


def test_keys_cubic_weights_at_half_a_sample():
    x = torch.tensor([-1.5, -0.5, 0.5, 1.5, 0.0, 1.0, 2.0], dtype=torch.float64)
    expected = torch.tensor([-1, 9, 9, -1, 16, 0, 0], dtype=torch.float64) / 16
    assert torch.allclose(cubic_kernel(x), expected)


@pytest.mark.parametrize("method", ALL)
def test_rows_sum_to_one(method):
    matrix = interpolation_matrix(torch.arange(40) / 2, 20, method)
    assert matrix.shape == (40, 20)
    assert torch.allclose(matrix.sum(1), torch.ones(40, dtype=torch.float64))


@pytest.mark.parametrize("method", ALL)
def test_train_pixels_are_reproduced_exactly(method):
    image = load_image("photo", 64)
    prediction = interpolate(image, method)
    assert prediction.shape == image.shape
    assert torch.allclose(prediction[::2, ::2], image[::2, ::2], atol=1e-6)
    assert psnr(prediction[1::2, 1::2], image[1::2, 1::2]) < 40  # the test pixels are guessed


def test_interpolate_reads_only_the_train_pixels():
    image = load_image("photo", 64)
    scrambled = image.clone()
    scrambled[1::2] = torch.rand_like(scrambled[1::2])
    scrambled[:, 1::2] = 0.0
    assert torch.equal(interpolate(image), interpolate(scrambled))


def _ramp(size=32):
    rows, cols = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    ramp = 0.2 + 0.6 * (0.7 * rows + 0.3 * cols) / size  # a plane inside [0, 1]
    return ramp[..., None].repeat(1, 1, 3).float(), rows, cols


@pytest.mark.parametrize("method", SMOOTH)
def test_linear_ramps_are_exact_away_from_the_far_edge(method):
    image, _, _ = _ramp()
    prediction = interpolate(image, method)
    # edge replicate extrapolates flat past the last train sample: compare the interior
    margin = {"bilinear": 2, "bicubic": 4, "lanczos": 6, "spline": 26}[method]
    inner = (slice(margin, -margin),) * 2
    assert torch.allclose(prediction[inner], image[inner], atol=2e-6)
    assert not torch.allclose(prediction[-1, -1], image[-1, -1], atol=1e-3)  # documented edge


def test_bicubic_reproduces_quadratics_nearest_does_not():
    rows = torch.arange(32, dtype=torch.float32)
    profile = 0.1 + 0.8 * (rows / 32) ** 2
    image = profile[:, None, None].repeat(1, 32, 3)
    inner = slice(4, -4)
    assert torch.allclose(interpolate(image, "bicubic")[inner], image[inner], atol=2e-6)
    assert not torch.allclose(interpolate(image, "bilinear")[inner], image[inner], atol=1e-4)
    assert not torch.allclose(interpolate(image, "nearest")[inner], image[inner], atol=1e-3)


def test_nearest_is_pixel_replication():
    image = load_image("cat", 32)
    blocks = image[::2, ::2].repeat_interleave(2, 0).repeat_interleave(2, 1)
    assert torch.equal(interpolate(image, "nearest"), blocks)


def test_spline_matches_scipy_map_coordinates():
    ndimage = pytest.importorskip("scipy.ndimage")
    image = load_image("photo", 64)
    train = image[::2, ::2].numpy().astype(np.float64)
    positions = np.meshgrid(np.arange(64) / 2, np.arange(64) / 2, indexing="ij")
    expected = np.stack([ndimage.map_coordinates(train[..., c], positions, order=3,
                                                 mode="nearest") for c in range(3)], -1)
    assert np.allclose(interpolate(image, "spline").numpy(), np.clip(expected, 0, 1), atol=1e-6)


@pytest.mark.parametrize("size", [128, 256])
def test_the_misaligned_version_loses_decibels(size):
    image = load_image("photo", size)
    test = (slice(1, None, 2),) * 2
    aligned = psnr(interpolate(image, "bicubic")[test], image[test])
    shifted = psnr(interpolate_misaligned(image, "bicubic")[test], image[test])
    assert aligned - shifted > 1.5
    assert not torch.allclose(interpolate_misaligned(image, "bilinear")[::2, ::2],
                              image[::2, ::2], atol=1e-3)  # not even the train pixels


@pytest.mark.parametrize("method, size, expected", [
    ("bicubic", 256, 27.40), ("bicubic", 128, 23.62), ("bilinear", 256, 26.44),
    ("spline", 256, 27.57), ("spline", 128, 23.77),
])
def test_known_test_psnr_on_the_photo(method, size, expected):
    image = load_image("photo", size)
    prediction = interpolate(image, method)
    assert psnr(prediction[1::2, 1::2], image[1::2, 1::2]) == pytest.approx(expected, abs=0.02)


def test_odd_sizes_and_bad_input():
    image = torch.rand(33, 21, 3)
    for method in ALL:
        prediction = interpolate(image, method)
        assert prediction.shape == (33, 21, 3)
        assert torch.allclose(prediction[::2, ::2], image[::2, ::2], atol=1e-6)
    assert interpolate_misaligned(image).shape == (33, 21, 3)
    with pytest.raises(ValueError, match="choose one of"):
        interpolate(image, "sinc")
    with pytest.raises(ValueError, match=r"\(H, W, C\)"):
        interpolate(image[..., 0])
    with pytest.raises(ValueError, match="choose nearest"):
        interpolate_misaligned(image, "lanczos")


@pytest.mark.parametrize("method", ALL)
@pytest.mark.parametrize("shape", [(64, 64), (33, 21)])
def test_interpolator_model_equals_the_grid_version(method, shape):
    from helpers import count_params, make_grid
    from helpers.interpolate import Interpolator

    image = torch.rand(*shape, 3, generator=torch.Generator().manual_seed(1))
    model = Interpolator(image, method)
    assert count_params(model) == 0
    out = model(make_grid(*shape).reshape(-1, 2)).reshape(*shape, 3).clamp(0, 1)
    assert torch.allclose(out, interpolate(image, method), atol=2e-6)
    between = model(torch.tensor([[0.013, -0.271]]))  # anywhere, not only on the grid
    assert between.shape == (1, 3) and torch.isfinite(between).all()


def test_fit_interpolation_gives_a_fit_result():
    import math

    from helpers import predict_image
    from helpers.interpolate import fit_interpolation

    image = load_image("photo", 64)
    result = fit_interpolation(image, "bicubic", steps=500, lr=1e-3, seed=3)  # ignored
    assert result.params == 0 and result.steps == 0 and math.isinf(result.train_psnr)
    assert result.prediction.shape == image.shape
    assert result.test_psnr == pytest.approx(psnr(interpolate(image)[1::2, 1::2],
                                                  image[1::2, 1::2]), abs=1e-4)
    assert result.test_psnr < result.val_psnr < 60  # the diagonal quarter is the hardest
    assert torch.allclose(predict_image(result.model, 64), result.prediction, atol=1e-6)
    assert result.history["test_psnr"] == [result.test_psnr] and len(result.snapshots) == 1
