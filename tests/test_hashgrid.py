"""The hash grid in 3-D (NeRF's positions): shapes, trilinear weights, hashing, gradients."""
import pytest
import torch

from helpers.hashgrid import PRIMES, HashGridEncoding, spatial_hash


def test_3d_shapes_and_trilinear_weights():
    encoder = HashGridEncoding(n_levels=4, n_features=3, log2_table_size=12, min_res=4,
                               max_res=32, in_dim=3)
    x = torch.rand(50, 3) * 2 - 1
    assert encoder(x).shape == (50, 12) and encoder.out_dim == 12
    index, weight = encoder.indices_and_weights(x)
    assert index.shape == weight.shape == (50, 4, 8)         # 2^3 corners per level
    assert torch.allclose(weight.sum(-1), torch.ones(50, 4), atol=1e-6)
    assert (weight >= 0).all()
    # coarse levels fit the table (dense), fine ones are hashed
    assert encoder.dense.tolist() == [(r + 1) ** 3 <= 2 ** 12 for r in encoder.resolutions.long().tolist()]
    assert encoder.dense.any() and not encoder.dense.all()
    assert (index < len(encoder.table)).all()


def test_3d_dense_level_interpolates_its_corners():
    encoder = HashGridEncoding(n_levels=1, n_features=1, log2_table_size=10, min_res=4,
                               max_res=4, in_dim=3)   # 5^3 = 125 corners, stored one to one
    with torch.no_grad():
        encoder.table.copy_(torch.arange(125, dtype=torch.float32)[:, None])
    # grid vertex (i, j, k) of the 4-cell grid sits at x = -1 + i / 2; its row is i + 5 j + 25 k
    vertex = torch.tensor([[-1 + 1 / 2, -1 + 2 / 2, -1 + 3 / 2]])
    assert encoder(vertex).item() == pytest.approx(1 + 5 * 2 + 25 * 3, abs=1e-4)
    # half way to the next vertex along z: the mean of the two rows
    between = vertex + torch.tensor([[0.0, 0.0, 0.25]])
    assert encoder(between).item() == pytest.approx(1 + 10 + 25 * 3.5, abs=1e-4)


def test_3d_hash_uses_three_primes():
    corners = torch.randint(0, 1000, (100, 3))
    expected = (corners[:, 0] * PRIMES[0]) ^ (corners[:, 1] * PRIMES[1]) ^ (corners[:, 2] * PRIMES[2])
    assert torch.equal(spatial_hash(corners, 14), expected % 2 ** 14)


def test_3d_gradients_reach_only_the_touched_rows():
    encoder = HashGridEncoding(n_levels=3, n_features=2, log2_table_size=10, min_res=4,
                               max_res=16, in_dim=3)
    x = torch.rand(5, 3) * 2 - 1
    encoder(x).pow(2).sum().backward()
    touched = (encoder.table.grad.abs().sum(-1) > 0).sum().item()
    assert 0 < touched <= 5 * 3 * 8
    index, _ = encoder.indices_and_weights(x)
    untouched = torch.ones(len(encoder.table), dtype=torch.bool)
    untouched[index.flatten()] = False
    assert (encoder.table.grad[untouched] == 0).all()


def test_2d_is_still_the_default_and_four_dimensions_are_refused():
    assert HashGridEncoding(4, 2, 10, 4, 16).corner_offsets.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    with pytest.raises(ValueError, match="in_dim must be a whole number from 1 to 3"):
        HashGridEncoding(in_dim=4)


@pytest.mark.parametrize("in_dim, levels, log2_size, max_res", [(1, 4, 6, 100), (2, 16, 15, 256),
                                                                 (3, 8, 12, 40)])
def test_rows_and_weights_equal_the_corner_by_corner_formula(in_dim, levels, log2_size, max_res):
    """The axis-by-axis broadcast gives exactly the rows and weights of the paper's formula
    written corner by corner (dense: sum c_i side^i, hashed: XOR c_i prime_i)."""
    encoder = HashGridEncoding(levels, 2, log2_size, 4, max_res, in_dim=in_dim)
    x = torch.rand(300, in_dim, generator=torch.Generator().manual_seed(0)) * 2 - 1
    x[:3], x[3:6] = 1.0, -1.0                                  # the box's faces
    res = encoder.resolutions
    pos = ((x + 1) / 2)[:, None, :] * res[None, :, None]
    cell = pos.floor().clamp(max=(res - 1)[None, :, None])
    frac = pos - cell
    corners = cell.long()[:, :, None, :] + encoder.corner_offsets          # (N, L, 2^d, d)
    side = (res.long() + 1)[None, :, None]
    dense = sum(corners[..., axis] * side ** axis for axis in range(in_dim))
    rows = torch.where(encoder.dense[None, :, None], dense, spatial_hash(corners, log2_size))
    offsets = encoder.corner_offsets.float()
    weights = (offsets * frac[:, :, None] + (1 - offsets) * (1 - frac[:, :, None])).prod(-1)
    index, weight = encoder.indices_and_weights(x)
    assert torch.equal(index, rows + encoder.offsets[None, :, None])
    assert torch.equal(weight, weights)
