"""Coordinate grids and the train/test/validation pixel split (explained in 01_dataset).

The series' one convention: pixel (row i, column j) of an H x W image sits at its
centre, ``x = (2j + 1) / W - 1`` and ``y = (2i + 1) / H - 1``, so both lie in (-1, 1)
(SIREN's range). ``coords[..., 0]`` is x (left to right), ``coords[..., 1]`` is y (top
to bottom). Each axis is normalised on its own, also for non-square images.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch


def make_grid(height: int, width: int | None = None) -> torch.Tensor:
    """Pixel-centre coordinates of an H x W image: ``(H, W, 2)`` float32, (x, y) in (-1, 1)."""
    width = height if width is None else width
    if height < 1 or width < 1:
        raise ValueError(f"a grid needs at least one pixel, got {height} x {width}.")
    ys = (2 * torch.arange(height, dtype=torch.float32) + 1) / height - 1
    xs = (2 * torch.arange(width, dtype=torch.float32) + 1) / width - 1
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([xx, yy], dim=-1)


def flatten(image: torch.Tensor) -> torch.Tensor:
    """``(H, W, C)`` -> ``(H*W, C)``, row by row."""
    return image.reshape(-1, image.shape[-1])


def unflatten(flat: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """``(H*W, C)`` -> ``(H, W, C)``, the inverse of :func:`flatten`."""
    return flat.reshape(height, width, flat.shape[-1])


# The four interleaved quarter grids of an image as (row offset, column offset): training
# sees one, the test another, the validation the other two (Tancik et al. 2020, Sec. 6).
QUARTERS = {"train": ((0, 0),), "test": ((1, 1),), "val": ((0, 1), (1, 0))}


@dataclass
class PixelSplit:
    """An image cut into the series' train, test and validation pixels.

    Train pixels are ``image[::2, ::2]`` (one in four), test pixels ``image[1::2, 1::2]``
    (never trained on, for reporting), validation pixels the other two quarters,
    ``image[::2, 1::2]`` then ``image[1::2, ::2]`` (never trained on, for choosing knobs),
    all with their coordinates on the full image's grid. ``*_coords`` are ``(N, 2)``,
    ``*_colors`` are ``(N, C)``; ``all_coords`` is the full ``(H*W, 2)`` grid.
    """

    image: torch.Tensor
    all_coords: torch.Tensor
    train_coords: torch.Tensor
    train_colors: torch.Tensor
    test_coords: torch.Tensor
    test_colors: torch.Tensor
    val_coords: torch.Tensor
    val_colors: torch.Tensor

    @property
    def height(self) -> int:
        return self.image.shape[0]

    @property
    def width(self) -> int:
        return self.image.shape[1]

    @property
    def train_shape(self) -> tuple[int, int]:
        return tuple(self.image[::2, ::2].shape[:2])


def split_pixels(image: torch.Tensor) -> PixelSplit:
    """``(H, W, C)`` image -> :class:`PixelSplit`: train ``[::2, ::2]``, test ``[1::2, 1::2]``,
    validation ``[::2, 1::2]`` and ``[1::2, ::2]`` (see :data:`QUARTERS`)."""
    if image.ndim != 3:
        raise ValueError(f"expected an (H, W, C) image, got shape {tuple(image.shape)}.")
    height, width = image.shape[:2]
    if height < 2 or width < 2:
        raise ValueError(f"the image is {height} x {width}; the train/test split needs "
                         "at least 2 x 2 pixels.")
    grid = make_grid(height, width)
    return PixelSplit(
        image=image,
        all_coords=flatten(grid),
        train_coords=flatten(grid[::2, ::2]),
        train_colors=flatten(image[::2, ::2]),
        test_coords=flatten(grid[1::2, 1::2]),
        test_colors=flatten(image[1::2, 1::2]),
        val_coords=torch.cat([flatten(grid[r::2, c::2]) for r, c in QUARTERS["val"]]),
        val_colors=torch.cat([flatten(image[r::2, c::2]) for r, c in QUARTERS["val"]]),
    )
