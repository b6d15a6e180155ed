"""Loading images: a bundled name, a path, a PIL image or an array -> float32 RGB in [0, 1].

``load_image("photo", size=128)`` centre-crops to a square and resizes (01_dataset);
``load_image("me.jpg", size=128, aspect="pad")`` keeps the whole picture on a white
square. Grayscale, RGBA (composited on white), palette, 8- and 16-bit PNG/JPEG files
are all accepted; for a learner's own picture each conversion is said in one line.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUNDLED = {  # name -> file in data/ (sources and licences in data/README.md)
    "photo": "photo.png",  # astronaut Eileen Collins, NASA, public domain
    "cat": "cat.png",      # Chelsea the cat, CC0
    "gray": "gray.png",    # camera, CC0
    "text": "text.png",    # dense small print, rendered by data/make_text_image.py
    "small_print": "text.png",  # the same image by a name that says what it is
}
# Image sets for mean +- std over several images, as Tancik et al. report over 16.
# natural: photographs (data/make_photos.py crops the new ones from scikit-image's);
# text: random coloured strings on white like the paper's (data/make_text_images.py).
IMAGE_SETS = {
    "natural": ["photo", "gray", "cat", "coffee", "rocket", "hubble_left", "hubble_right",
                "brick", "grass", "gravel"],
    "text": [f"text_{k:02d}" for k in range(8)],
}
BUNDLED.update({name: f"photos/{name}.png" for name in IMAGE_SETS["natural"]
                if name not in BUNDLED})
BUNDLED.update({name: f"text/{name}.png" for name in IMAGE_SETS["text"]})
MIN_SIZE = 8  # the train grid of a smaller image is too small to say anything


def bundled_names() -> list[str]:
    """Names accepted by :func:`load_image` besides a path."""
    return list(BUNDLED)


def resolve(name_or_path: str | Path) -> Path:
    """A bundled image's name or a path -> an existing file, or a one-sentence error."""
    if isinstance(name_or_path, str) and name_or_path in BUNDLED:
        path = DATA_DIR / BUNDLED[name_or_path]
        if not path.is_file():
            raise FileNotFoundError(f"the bundled image {name_or_path!r} is missing from "
                                    f"{DATA_DIR}; re-clone the repository or pass a path.")
        return path
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        raise IsADirectoryError(f"{str(path)!r} is a folder, not an image: give the path "
                                "of a PNG or JPEG file inside it.")
    if not path.exists():
        raise FileNotFoundError(f"no image at {str(path)!r}: give the path of a PNG or JPEG "
                                f"file, or a bundled name ({', '.join(BUNDLED)}).")
    return path


def to_float_rgb(array: np.ndarray, notes: list | None = None) -> np.ndarray:
    """Any image array (H, W), (H, W, 1|2|3|4), uint8/uint16/float -> (H, W, 3) float32 in [0, 1].

    notes: a list that gets a few words for each conversion a learner should hear about
    (alpha composited on white, gray made RGB, 0-255 floats divided by 255).
    """
    notes = [] if notes is None else notes
    array = np.asarray(array)
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim == 3 and array.shape[0] in (1, 3, 4) and array.shape[-1] > 4:
        array = np.moveaxis(array, 0, -1)  # channels first (torchvision's C, H, W)
    if array.ndim != 3 or array.shape[-1] not in (1, 2, 3, 4):
        raise ValueError(f"an image must be (H, W) or (H, W, 1-4 channels), got shape "
                         f"{array.shape}; check the file is a single still image.")
    if array.dtype == np.uint8:
        img = array.astype(np.float32) / 255.0
    elif array.dtype == np.uint16:
        img = array.astype(np.float32) / 65535.0
    elif array.dtype == bool:
        img = array.astype(np.float32)
    elif np.issubdtype(array.dtype, np.integer):
        img = array.astype(np.float32) / float(np.iinfo(array.dtype).max)
    else:
        img = array.astype(np.float32)
        if img.size and 2.0 < np.nanmax(img) <= 255.0:  # 0-255 colours, not noise
            warnings.warn("the float image has values above 2, so it was read as 0-255 "
                          "colours and divided by 255; pass colours in [0, 1] to avoid this.",
                          stacklevel=3)
            img = img / 255.0
    if not np.isfinite(img).all():
        raise ValueError(f"the image has {int((~np.isfinite(img)).any(-1).sum())} NaN or "
                         "infinite pixels; fill them first, e.g. with np.nan_to_num(image).")
    if img.shape[-1] in (2, 4):  # gray+alpha or RGBA: composite over white
        alpha = img[..., -1:]
        if (alpha < 1).any():
            notes.append(f"{(alpha[..., 0] < 1).mean():.0%} of the pixels transparent: "
                         "composited on white")
        img = img[..., :-1] * alpha + (1.0 - alpha)
    if img.shape[-1] == 1:
        notes.append("gray: copied into R, G and B")
        img = np.repeat(img, 3, axis=-1)
    return np.clip(img, 0.0, 1.0)


EXIF_ORIENTATION = 0x0112  # 1 upright; 3 upside down; 6 and 8 turned a quarter (phones)


def upright(array: np.ndarray, orientation: int) -> np.ndarray:
    """Turn a photo as its EXIF orientation tag (1-8) says a viewer shows it."""
    turns = {3: 2, 4: 2, 5: 1, 6: 3, 7: 3, 8: 1}.get(orientation, 0)
    if orientation in (2, 4, 5, 7):  # the mirrored ones
        array = array[:, ::-1]
    return np.ascontiguousarray(np.rot90(array, turns))


def from_pil(picture) -> np.ndarray:
    """A ``PIL.Image`` (any mode) -> an array :func:`to_float_rgb` reads, bit depth kept."""
    mode = picture.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit gray PNGs open as these
        array = np.asarray(picture).astype(np.int64)
        return np.clip(array, 0, 65535).astype(np.uint16)
    if mode == "F":
        return np.asarray(picture, dtype=np.float32)
    if mode not in ("1", "L", "LA", "RGB", "RGBA"):  # palette, CMYK, YCbCr, ...
        picture = picture.convert("RGBA" if "transparency" in picture.info or "A" in mode
                                  else "RGB")
    return np.asarray(picture)


def read_image(name_or_path: str | Path, notes: list | None = None) -> np.ndarray:
    """Read a file (or bundled name) as an (H, W, 3) float32 array in [0, 1], uncropped.

    A photo's EXIF orientation (phones store pictures sideways and say so) is applied.
    """
    import imageio.v3 as iio
    from PIL import Image

    path = resolve(name_or_path)
    if path.suffix.lower() in (".npy", ".npz", ".pt", ".pth"):  # arrays, not image files
        raise ValueError(f"{str(path)!r} holds an array, not an image file: load it first "
                         "(np.load or torch.load) and pass the array to load_image.")
    try:
        with warnings.catch_warnings():  # imageio's plugin probing is noisy on bad files
            warnings.simplefilter("ignore")
            array = iio.imread(path)
    except Exception as error:  # imageio raises many types for bad files
        raise ValueError(f"could not read {str(path)!r} as an image ({type(error).__name__}); "
                         "check that it is a PNG or JPEG file and not corrupt.") from None
    if array.ndim == 4:  # animated GIF / multi-page file: keep the first frame
        array = array[0]
    try:
        with Image.open(path) as picture:
            orientation = picture.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:  # a format Pillow does not open: no EXIF to apply
        orientation = 1
    if orientation != 1 and notes is not None:
        notes.append(f"turned upright (EXIF orientation {orientation})")
    return to_float_rgb(upright(array, orientation), notes)


def center_crop(image: torch.Tensor) -> torch.Tensor:
    """``(H, W, C)`` -> the largest centred square ``(S, S, C)``, S = min(H, W)."""
    height, width = image.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    return image[top:top + side, left:left + side]


def pad_square(image: torch.Tensor, value: float = 1.0) -> torch.Tensor:
    """``(H, W, C)`` -> ``(S, S, C)``, S = max(H, W): the image centred on white (value)."""
    height, width = image.shape[:2]
    side = max(height, width)
    out = torch.full((side, side, image.shape[2]), value, dtype=image.dtype)
    top, left = (side - height) // 2, (side - width) // 2
    out[top:top + height, left:left + width] = image
    return out


def resize(image: torch.Tensor, height: int, width: int | None = None) -> torch.Tensor:
    """``(H, W, C)`` -> ``(height, width, C)``, antialiased bilinear, clipped to [0, 1]."""
    width = height if width is None else width
    if (height, width) == tuple(image.shape[:2]):
        return image
    chw = image.permute(2, 0, 1)[None]
    out = F.interpolate(chw, size=(height, width), mode="bilinear", antialias=True,
                        align_corners=False)
    return out[0].permute(1, 2, 0).clamp(0.0, 1.0).contiguous()


ASPECTS = ("crop", "pad", "keep")


def _as_float_image(source, notes: list) -> tuple[torch.Tensor, str]:
    """Whatever ``load_image`` got -> ``(H, W, 3)`` float32 in [0, 1] and a name to say."""
    if isinstance(source, (np.ndarray, torch.Tensor)):
        array = source.detach().cpu().numpy() if torch.is_tensor(source) else source
        return torch.from_numpy(to_float_rgb(array, notes).copy()), f"the {array.dtype} array"
    if type(source).__module__.startswith("PIL."):  # a PIL.Image, without importing PIL
        notes.append(f"PIL mode {source.mode}")
        return torch.from_numpy(to_float_rgb(from_pil(source), notes).copy()), "the picture"
    if not isinstance(source, (str, Path)):
        raise TypeError(f"load_image takes a bundled name, a path, a PIL image or an array, "
                        f"got a {type(source).__name__}.")
    return torch.from_numpy(read_image(source, notes)), Path(str(source)).name


def _shape(image: torch.Tensor, aspect: str, notes: list) -> torch.Tensor:
    """Apply ``aspect`` ('crop', 'pad' or 'keep') to a non-square image, noting what it did."""
    height, width = image.shape[:2]
    if aspect == "keep" or height == width:
        return image
    side = min(height, width) if aspect == "crop" else max(height, width)
    notes.append(f"{'centre-cropped' if aspect == 'crop' else 'padded with white'} to "
                 f"{side}x{side} (aspect={'pad' if aspect == 'crop' else 'crop'!r} or "
                 f"'keep' for {'all of it' if aspect == 'crop' else 'no padding'})")
    return center_crop(image) if aspect == "crop" else pad_square(image)


def load_image(name_or_path, size: int | None = None, square: bool = True,
               aspect: str | None = None) -> torch.Tensor:
    """A bundled name, a path, a ``PIL.Image`` or an array -> ``(H, W, 3)`` float32 in [0, 1].

    aspect: 'crop' (centre-crop to a square, the default), 'pad' (centre the whole
    picture on a white square) or 'keep' (the aspect ratio kept; the shorter side
    becomes ``size``); square=False is aspect='keep'. Any mode and bit depth (gray,
    RGBA composited on white, palette, 16-bit, a photo's EXIF rotation applied); for
    your own picture, what was done is said in one printed line. size=None keeps the
    resolution; upsampling (size above the image's) is allowed with a warning.
    """
    aspect = aspect or ("crop" if square else "keep")
    if aspect not in ASPECTS:
        raise ValueError(f"aspect must be one of {', '.join(ASPECTS)}, got {aspect!r}.")
    notes = []
    image, name = _as_float_image(name_or_path, notes)
    original = tuple(image.shape[:2])
    image = _shape(image, aspect, notes)
    if size is not None:
        image = _resized(image, size, aspect)
    bundled = isinstance(name_or_path, str) and name_or_path in BUNDLED
    if notes and not bundled:
        print(f"{name}: {original[0]}x{original[1]} -> {', '.join(notes)}; "
              f"{image.shape[0]}x{image.shape[1]} in the end")
    return image.contiguous()


def _resized(image: torch.Tensor, size, aspect: str) -> torch.Tensor:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be a whole number of pixels, got {size!r}.")
    if size < MIN_SIZE:
        raise ValueError(f"size {size} is too small: use at least {MIN_SIZE} pixels "
                         "(the model trains on every other pixel).")
    height, width = image.shape[:2]
    if aspect != "keep":
        new_h = new_w = int(size)
    else:
        scale = size / min(height, width)
        new_h, new_w = max(MIN_SIZE, round(height * scale)), max(MIN_SIZE, round(width * scale))
    if new_h > height or new_w > width:
        warnings.warn(f"upsampling a {height}x{width} image to {new_h}x{new_w} adds no "
                      "detail; choose a size up to the image's own.", stacklevel=3)
    return resize(image, new_h, new_w)


def image_set_names(kind: str) -> list[str]:
    """The bundled names in image set ``kind`` ('natural' or 'text'), in a fixed order."""
    if kind not in IMAGE_SETS:
        raise ValueError(f"unknown image set {kind!r}; choose one of {', '.join(IMAGE_SETS)}.")
    return list(IMAGE_SETS[kind])


def image_set(kind: str, size: int | None = None) -> dict[str, torch.Tensor]:
    """{name: (size, size, 3) image} for every image of set ``kind`` (see :data:`IMAGE_SETS`).

    ``image_set("natural", 256)`` gives the 10 photos, ``image_set("text", 512)`` the 8
    text images; each is loaded with :func:`load_image` (centre crop, resize). Three
    photos are smaller than 512 px (cat 300, coffee 400, rocket 427): at 512 they are
    upsampled, with one warning that names them.
    """
    images, upsampled = {}, []
    for name in image_set_names(kind):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            images[name] = load_image(name, size)
        upsampled += [name] if any("upsampling" in str(w.message) for w in caught) else []
    if upsampled:
        warnings.warn(f"{', '.join(upsampled)} {'is' if len(upsampled) == 1 else 'are'} "
                      f"smaller than {size} px and were upsampled (smoother than the rest).",
                      stacklevel=2)
    return images
