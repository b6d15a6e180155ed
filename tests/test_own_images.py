"""A learner's own picture: a path, a PIL image or an array, any mode; what is done is said.

Issue 25's picture traps: a ``PIL.Image`` raised a raw TypeError, a landscape picture
was centre-cropped without a word, RGBA was composited on white silently, and a phone
photo's EXIF rotation was ignored.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

import helpers
from helpers.data import upright

from conftest import run_cli


@pytest.fixture
def landscape(tmp_path):
    """A 60 x 90 RGBA picture: the left half opaque red, the right half transparent."""
    rgba = np.zeros((60, 90, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, :45, 3] = 255
    path = tmp_path / "landscape.png"
    Image.fromarray(rgba).save(path)
    return path


def test_a_landscape_picture_is_cropped_padded_or_kept_and_each_is_said_once(landscape, capsys):
    cropped = helpers.load_image(landscape, size=32)
    said = capsys.readouterr().out.strip().splitlines()
    assert cropped.shape == (32, 32, 3) and len(said) == 1
    assert said[0].startswith("landscape.png: 60x90 -> ") and "centre-cropped to 60x60" in said[0]
    assert "50% of the pixels transparent: composited on white" in said[0]
    padded = helpers.load_image(landscape, size=30, aspect="pad")
    assert "padded with white to 90x90" in capsys.readouterr().out
    assert padded.shape == (30, 30, 3) and torch.allclose(padded[0, 0], torch.ones(3))
    assert torch.allclose(padded[15, 5], torch.tensor([1.0, 0, 0]))  # the red half, whole
    kept = helpers.load_image(landscape, size=20, aspect="keep")
    assert kept.shape == (20, 30, 3) and "cropped" not in capsys.readouterr().out
    with pytest.raises(ValueError, match="aspect must be one of crop, pad, keep"):
        helpers.load_image(landscape, aspect="stretch")


def test_bundled_images_load_without_a_word(capsys):
    helpers.load_image("cat", size=16)  # 300 x 451: cropped, as data/README.md says
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "YCbCr", "I;16",
                                  "I", "F"])
def test_a_pil_image_of_any_mode(mode):
    rgb = np.zeros((16, 24, 3), np.uint8)
    rgb[:, 12:] = 255
    picture = Image.fromarray(rgb).convert("L" if mode in ("I;16", "I", "F") else "RGB")
    if mode in ("I;16", "I", "F"):
        scale = {"I;16": 257, "I": 257, "F": 1 / 255}[mode]
        array = np.asarray(picture).astype(np.float32) * scale
        picture = Image.fromarray(array.astype({"I;16": np.uint16, "I": np.int32,
                                                "F": np.float32}[mode]))
        assert picture.mode == mode
    else:
        picture = picture.convert(mode)
    image = helpers.load_image(picture)
    assert image.shape == (16, 16, 3) and image.dtype == torch.float32
    left, right = image[8, 0].mean(), image[8, -1].mean()
    assert float(left) < 0.05 and float(right) > 0.95, (mode, left, right)


def test_anything_else_says_what_load_image_takes():
    with pytest.raises(TypeError, match="takes a bundled name, a path, a PIL image or an "
                                        "array, got a float"):
        helpers.load_image(3.0)


def test_a_phone_photo_is_turned_upright(tmp_path, capsys):
    stored = np.zeros((40, 60, 3), np.uint8)  # stored sideways: the bright column on top
    stored[:5] = 255
    picture = Image.fromarray(stored)
    exif = picture.getexif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    picture.save(tmp_path / "phone.png", exif=exif)
    image = helpers.load_image(tmp_path / "phone.png", aspect="keep")
    assert image.shape == (60, 40, 3)
    assert float(image[:, -3].mean()) > 0.9 and float(image[:, 3].mean()) < 0.1
    assert "turned upright (EXIF orientation 6)" in capsys.readouterr().out


def test_every_exif_orientation_matches_pillows():
    from PIL import ImageOps

    array = (np.arange(12).reshape(3, 4) * 20).astype(np.uint8)
    for orientation in range(1, 9):
        picture = Image.fromarray(array)
        exif = picture.getexif()
        exif[0x0112] = orientation
        picture.info["exif"] = exif.tobytes()
        expected = np.asarray(ImageOps.exif_transpose(picture))
        assert np.array_equal(upright(array, orientation), expected), orientation


def test_fit_on_your_own_landscape_picture(landscape):
    done = run_cli("fit", "--method", "relu", "--image", str(landscape), "--size", "16",
                   "--aspect", "pad", "--steps", "3", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "padded with white to 90x90" in lines[0]
    assert json.loads(lines[-1])["size"] == 16
