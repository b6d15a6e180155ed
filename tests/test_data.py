import numpy as np
import pytest
import torch

import helpers
from helpers.data import DATA_DIR, BUNDLED, center_crop, load_image, resize


@pytest.mark.parametrize("name", list(BUNDLED))
def test_bundled_images_load_as_rgb_in_unit_range(name):
    image = load_image(name)
    assert image.dtype == torch.float32 and image.ndim == 3 and image.shape[-1] == 3
    assert image.shape[0] == image.shape[1]  # square by default
    assert 0.0 <= image.min() and image.max() <= 1.0
    assert image.std() > 0.05  # not blank


def test_every_bundled_image_is_credited():
    credits = (DATA_DIR / "README.md").read_text()
    for filename in BUNDLED.values():
        assert filename in credits


def test_size_resizes_and_crops_square():
    image = load_image("cat", size=64)  # 300 x 451 -> centre crop 300 x 300 -> 64
    assert image.shape == (64, 64, 3)
    wide = load_image("cat", size=64, square=False)
    assert wide.shape[0] == 64 and wide.shape[1] == round(451 * 64 / 300)


def test_center_crop_takes_the_middle():
    image = torch.arange(2 * 6, dtype=torch.float32).reshape(2, 6, 1)
    assert torch.equal(center_crop(image)[..., 0], image[:, 2:4, 0])


def test_resize_keeps_a_constant_image_constant():
    image = torch.full((40, 40, 3), 0.25)
    assert torch.allclose(resize(image, 16), torch.full((16, 16, 3), 0.25), atol=1e-6)


def test_array_inputs_gray_rgba_and_16_bit(tmp_path):
    import imageio.v3 as iio

    gray = (np.arange(64 * 64) % 256).astype(np.uint8).reshape(64, 64)
    out = load_image(gray)
    assert out.shape == (64, 64, 3) and torch.equal(out[..., 0], out[..., 2])
    rgba = np.zeros((16, 16, 4), np.uint8)
    rgba[..., 0] = 255  # red, fully transparent -> white
    assert torch.allclose(load_image(rgba), torch.ones(16, 16, 3))
    deep = np.full((16, 16), 65535, np.uint16)
    deep[0, 0] = 0
    iio.imwrite(tmp_path / "deep.png", deep)
    loaded = load_image(tmp_path / "deep.png")
    assert loaded[0, 0].max() == 0 and torch.allclose(loaded[1:], torch.ones(15, 16, 3))


def test_upsampling_warns():
    with pytest.warns(UserWarning, match="upsampling"):
        load_image("cat", size=400)


def test_bundled_names_listed():
    assert set(helpers.bundled_names()) >= {"photo", "gray", "text"}
