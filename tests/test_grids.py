import torch

import helpers
from helpers.grids import make_grid, split_pixels


def test_grid_pixel_centres_and_range():
    grid = make_grid(4, 8)
    assert grid.shape == (4, 8, 2)
    # x runs along columns, y along rows, pixel centres (2j+1)/W - 1
    assert torch.allclose(grid[0, :, 0], torch.tensor([-7, -5, -3, -1, 1, 3, 5, 7]) / 8)
    assert torch.allclose(grid[:, 0, 1], torch.tensor([-3, -1, 1, 3]) / 4)
    assert torch.all(grid[..., 0] == grid[0:1, :, 0])  # x constant down a column
    assert grid.min() > -1 and grid.max() < 1
    # symmetric about the image centre
    assert torch.allclose(grid.mean(dim=(0, 1)), torch.zeros(2), atol=1e-7)


def test_grid_single_pixel_is_centre():
    assert torch.allclose(make_grid(1, 1), torch.zeros(1, 1, 2))


def test_split_takes_every_other_pixel_and_never_overlaps():
    image = torch.arange(6 * 6 * 3, dtype=torch.float32).reshape(6, 6, 3)
    split = split_pixels(image)
    assert split.train_coords.shape == (9, 2) and split.test_coords.shape == (9, 2)
    assert torch.equal(split.train_colors, image[::2, ::2].reshape(-1, 3))
    assert torch.equal(split.test_colors, image[1::2, 1::2].reshape(-1, 3))
    grid = make_grid(6, 6)
    assert torch.equal(split.train_coords, grid[::2, ::2].reshape(-1, 2))
    train = {tuple(c.tolist()) for c in split.train_coords}
    test = {tuple(c.tolist()) for c in split.test_coords}
    assert not train & test
    assert split.all_coords.shape == (36, 2)


def test_split_non_square_and_odd_sizes():
    split = split_pixels(torch.rand(5, 8, 3))
    assert split.train_shape == (3, 4)
    assert split.test_colors.shape == (2 * 4, 3)


def test_flatten_roundtrip():
    image = torch.rand(3, 5, 3)
    assert torch.equal(helpers.unflatten(helpers.flatten(image), 3, 5), image)


def test_validation_pixels_are_the_other_two_quarters():
    image = torch.rand(5, 6, 3)
    split = split_pixels(image)
    grid = make_grid(5, 6)
    expected = torch.cat([image[::2, 1::2].reshape(-1, 3), image[1::2, ::2].reshape(-1, 3)])
    assert torch.equal(split.val_colors, expected)
    assert torch.equal(split.val_coords, torch.cat([grid[::2, 1::2].reshape(-1, 2),
                                                    grid[1::2, ::2].reshape(-1, 2)]))
    # train, test and validation cover every pixel exactly once
    everything = torch.cat([split.train_coords, split.test_coords, split.val_coords])
    assert len(everything) == 30 and len(torch.unique(everything, dim=0)) == 30
