"""Write data/photos/*.png from the sample images bundled in scikit-image (no download).

Each file is a crop of the original, no resampling: 512 x 512 where the original is at
least that large, else its own centred square (coffee 400, rocket 427). Only
images whose scikit-image docstring says CC0 or public domain are used; data/README.md
gives each one's source and licence. Run from the repository root:

    python data/make_photos.py
"""
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import skimage
import torch

ROOT = Path(__file__).resolve().parent
SKIMAGE_DATA = Path(skimage.__file__).resolve().parent / "data"
PHOTOS = {  # name -> (file bundled in skimage/data, rows, columns, resize to 512?)
    # the Hubble deep field is 872 x 1000: two crops that share 24 columns
    "hubble_left": ("hubble_deep_field.jpg", (180, 692), (0, 512), False),
    "hubble_right": ("hubble_deep_field.jpg", (180, 692), (488, 1000), False),
    "brick": ("brick.png", (0, 512), (0, 512), False),
    "grass": ("grass.png", (0, 512), (0, 512), False),
    "gravel": ("gravel.png", (0, 512), (0, 512), False),
    # two colour photos smaller than 512 px: kept at their own resolution (centre square)
    "coffee": ("coffee.png", (0, 400), (100, 500), False),
    "rocket": ("rocket.jpg", (0, 427), (106, 533), False),
}


def make(name: str) -> np.ndarray:
    """The uint8 array of photo ``name``, square (grayscale stays 2-D)."""
    import sys

    sys.path.insert(0, str(ROOT.parent))
    from helpers.data import resize

    file, (top, bottom), (left, right), shrink = PHOTOS[name]
    array = iio.imread(SKIMAGE_DATA / file)[top:bottom, left:right]
    if shrink:
        image = torch.from_numpy(array.astype(np.float32) / 255)
        array = (resize(image, 512).numpy() * 255 + 0.5).astype(np.uint8)
    assert array.shape[0] == array.shape[1], (name, array.shape)
    return array


if __name__ == "__main__":
    out = ROOT / "photos"
    out.mkdir(exist_ok=True)
    for photo in PHOTOS:
        iio.imwrite(out / f"{photo}.png", make(photo))
        print(f"wrote {out / photo}.png")
