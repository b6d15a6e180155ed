"""The natural and text image sets (helpers.data.image_set, data/make_text_images.py)."""
import importlib.util
import warnings

import numpy as np
import pytest
import torch

from helpers import load_image, psnr
from helpers.data import DATA_DIR, IMAGE_SETS, image_set, image_set_names
from helpers.interpolate import interpolate


def _generator():
    spec = importlib.util.spec_from_file_location("make_text_images",
                                                  DATA_DIR / "make_text_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind, count", [("natural", 10), ("text", 8)])
def test_sets_load_every_image_at_the_size_asked(kind, count):
    images = image_set(kind, 64)
    assert list(images) == image_set_names(kind) and len(images) == count
    for image in images.values():
        assert image.shape == (64, 64, 3) and 0 <= image.min() and image.max() <= 1
    assert len({float(image.mean()) for image in images.values()}) == count  # all different


def test_bundled_names_still_load_and_small_print_is_the_old_text():
    assert torch.equal(load_image("small_print", 64), load_image("text", 64))
    assert load_image("text_00").shape == (512, 512, 3)
    with pytest.raises(ValueError, match="choose one of natural, text"):
        image_set("faces")


def test_upsampled_photos_are_named_in_one_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image_set("natural", 512)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "cat, coffee, rocket" in messages[0]


def test_text_images_are_coloured_strings_on_white():
    for name in IMAGE_SETS["text"]:
        image = load_image(name)
        white = (image > 0.98).all(-1).float().mean()
        assert 0.6 < white < 0.97  # mostly background, with real glyphs
        inked = image[(image < 0.9).any(-1)]
        assert (inked.max(-1).values - inked.min(-1).values).mean() > 0.1  # colours, not gray


def test_text_generator_is_deterministic_and_per_image_seeded():
    generator = _generator()
    first = generator.render(generator.SEED)
    assert first.shape == (512, 512, 3) and first.dtype == np.uint8
    assert np.array_equal(first, generator.render(generator.SEED))
    assert not np.array_equal(first, generator.render(generator.SEED + 1))


def test_text_set_is_about_as_hard_as_the_papers():
    # bicubic of the train pixels on the paper's 16 text images at 512 px: about 28.6 dB
    scores = [psnr(interpolate(image)[1::2, 1::2], image[1::2, 1::2])
              for image in image_set("text", 512).values()]
    assert 27.6 < np.mean(scores) < 29.6
    small = load_image("small_print", 256)
    assert psnr(interpolate(small)[1::2, 1::2], small[1::2, 1::2]) < np.mean(scores) - 5
