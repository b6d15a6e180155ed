import math

import pytest
import torch

from helpers.encoders import (BasicEncoding, GaussianFourierFeatures, Identity,
                              PositionalEncoding, frequency_matrix, max_useful_n_freqs)


def test_frequency_matrix_is_scaled_identity_blocks():
    P = frequency_matrix(3)
    expected = torch.tensor([[1., 0, 2, 0, 4, 0], [0, 1, 0, 2, 0, 4]])
    assert torch.equal(P, expected)


def test_positional_encoding_matches_hand_computed_values():
    encoder = PositionalEncoding(n_freqs=2, include_input=True)
    x = torch.tensor([[0.25, -0.5]])
    features = encoder(x)
    assert features.shape == (1, encoder.out_dim) == (1, 2 + 2 * 2 * 2)
    u, v = 0.25, -0.5
    by_hand = [u, v,
               math.sin(math.pi * u), math.sin(math.pi * v),
               math.sin(2 * math.pi * u), math.sin(2 * math.pi * v),
               math.cos(math.pi * u), math.cos(math.pi * v),
               math.cos(2 * math.pi * u), math.cos(2 * math.pi * v)]
    assert torch.allclose(features[0], torch.tensor(by_hand), atol=1e-6)


def test_positional_encoding_custom_frequencies():
    encoder = PositionalEncoding(freqs=[0.0, 3.0])
    x = torch.tensor([[0.1, 0.2]])
    assert encoder.out_dim == 8
    expected = torch.tensor([0, 0, math.sin(0.3 * math.pi), math.sin(0.6 * math.pi),
                             1, 1, math.cos(0.3 * math.pi), math.cos(0.6 * math.pi)])
    assert torch.allclose(encoder(x)[0], expected, atol=1e-6)


def test_max_useful_n_freqs_stays_below_train_nyquist():
    for size in (64, 128, 256, 512, 1000):
        L = max_useful_n_freqs(size)
        assert 2 ** (L - 1) < size / 4 <= 2 ** L, size
    assert max_useful_n_freqs(512) == 7


def test_gaussian_features_formula_and_statistics():
    encoder = GaussianFourierFeatures(scale=10.0, n_features=4096, seed=3)
    B = encoder.B
    assert B.shape == (4096, 2) and not B.requires_grad
    assert abs(B.std().item() - 10.0) < 0.3 and abs(B.mean().item()) < 0.4
    x = torch.tensor([[0.3, -0.7]])
    z = math.pi * (x @ B.T)
    assert torch.allclose(encoder(x), torch.cat([torch.cos(z), torch.sin(z)], -1))
    assert encoder.out_dim == 8192


def test_gaussian_features_are_seeded():
    a = GaussianFourierFeatures(10.0, 16, seed=1).B
    b = GaussianFourierFeatures(10.0, 16, seed=1).B
    c = GaussianFourierFeatures(10.0, 16, seed=2).B
    assert torch.equal(a, b) and not torch.equal(a, c)
    # the seed is its own: drawing does not depend on (or disturb) the global RNG
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    GaussianFourierFeatures(10.0, 16, seed=1)
    assert torch.equal(torch.rand(1), before)


def test_gaussian_features_match_the_paper_convention():
    """pi*B*x with x in [-1,1] is the paper's 2*pi*B*v, v=(x+1)/2, up to a constant phase."""
    encoder = GaussianFourierFeatures(scale=10.0, n_features=8, seed=0)
    x = torch.rand(5, 2) * 2 - 1
    v = (x + 1) / 2
    phase_ours = math.pi * x @ encoder.B.T
    phase_paper = 2 * math.pi * v @ encoder.B.T
    offset = phase_paper - phase_ours
    assert torch.allclose(offset, offset[0:1].expand_as(offset), atol=1e-4)


def test_trainable_b_is_a_parameter():
    encoder = GaussianFourierFeatures(10.0, 8, trainable=True)
    assert [name for name, _ in encoder.named_parameters()] == ["B"]


def test_basic_and_identity():
    x = torch.tensor([[0.5, -1.0]])
    assert torch.allclose(BasicEncoding()(x), torch.tensor([[0.0, -1.0, 1.0, 0.0]]), atol=1e-6)
    assert torch.equal(Identity()(x), x)
