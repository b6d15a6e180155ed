"""The newer methods (WIRE, FINER, Gabor MFN, hash grid): formulas, registry, training."""
import cmath
import json
import math

import numpy as np
import pytest
import torch

import helpers
from helpers import methods
from helpers.tools import cli
from helpers.finer import Finer, finer_activation
from helpers.hashgrid import (PRIMES, HashGridEncoding, default_log2_table_size,
                              level_resolutions, spatial_hash)
from helpers.mfn import GaborNet, default_input_scale, gabor_filter
from helpers.wire import ComplexGaborLayer, Wire, wire_activation


NEW = ["wire", "finer", "gabor", "hashgrid"]


# --- WIRE -------------------------------------------------------------------------------

@pytest.mark.parametrize("z", [0.0, 0.1, -0.05, 0.03 + 0.02j, -0.1 - 0.04j])
def test_wire_activation_is_the_complex_gabor_wavelet(z):
    omega0, s0 = 20.0, 10.0
    expected = cmath.exp(1j * omega0 * z - abs(s0 * z) ** 2)
    got = complex(wire_activation(torch.tensor(z, dtype=torch.complex64), omega0, s0).item())
    assert abs(got - expected) < 1e-5 * max(1.0, abs(expected))


def test_wire_layers_real_arithmetic_equals_complex_formula():
    torch.manual_seed(0)
    model = Wire(2, 3, hidden=64, n_layers=4, omega0=8.0, s0=6.0)
    x = torch.rand(200, 2) * 2 - 1
    h = x.to(torch.complex64)
    for layer in list(model)[:-1]:
        weight, bias = layer.complex_weight()
        h = wire_activation(h @ weight.to(torch.complex64).T + bias, layer.omega0, layer.s0)
    last = list(model)[-1]
    expected = (h @ torch.view_as_complex(last.weight).T + torch.view_as_complex(last.bias)).real
    assert torch.allclose(model(x), expected, atol=1e-5)


def test_wire_width_init_and_real_parameter_count():
    torch.manual_seed(0)
    model = Wire(2, 3, hidden=256, n_layers=4)
    width = int(256 / math.sqrt(2))
    assert width == 181
    first, hidden, _, last = list(model)
    assert first.weight.shape == (width, 2) and not first.weight.is_complex()
    assert hidden.weight.shape == (width, width, 2)  # real and imaginary parts
    for layer, fan_in in ((first, 2), (hidden, width), (last, width)):
        bound = 1 / math.sqrt(fan_in)
        assert layer.weight.abs().max() <= bound and layer.weight.abs().max() > 0.9 * bound
    expected = (2 * width + width) + 2 * 2 * (width * width + width) + 2 * (3 * width + 3)
    assert helpers.count_params(model) == expected


@pytest.mark.parametrize("omega0, s0", [(300.0, 6.0), (1000.0, 6.0), (8.0, 0.1), (8.0, 0.01)])
def test_wire_stays_finite_at_extreme_knobs(omega0, s0):
    """A slider's far ends: exp(-omega0 Im z) must not overflow into inf and NaN."""
    torch.manual_seed(0)
    model = Wire(omega0=omega0, s0=s0)
    coords = torch.rand(2048, 2) * 2 - 1
    with torch.no_grad():  # push Im z far from 0, as a few training steps do
        for layer in list(model)[1:-1]:
            layer.weight.mul_(20)
    out = model(coords)
    out.square().mean().backward()
    assert torch.isfinite(out).all()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())


# --- FINER ------------------------------------------------------------------------------

@pytest.mark.parametrize("z", [0.0, 0.02, -0.3, 1.5])
def test_finer_activation_value_and_detached_scale(z):
    omega = 30.0
    t = torch.tensor(z, requires_grad=True)
    out = finer_activation(t, omega)
    assert out.item() == pytest.approx(math.sin(omega * (abs(z) + 1) * z), abs=1e-5)
    out.backward()
    # the scale (|z| + 1) is a constant for autograd: d/dz = omega (|z| + 1) cos(...)
    expected = omega * (abs(z) + 1) * math.cos(omega * (abs(z) + 1) * z)
    assert t.grad.item() == pytest.approx(expected, rel=1e-4, abs=1e-4)


def test_finer_uses_siren_initialisation():
    torch.manual_seed(0)
    model = Finer(2, 3, hidden=256, n_layers=4, omega0=30.0)
    layers = list(model)
    assert layers[0].linear.weight.abs().max() <= 1 / 2
    for layer in layers[1:-1]:
        assert layer.linear.weight.abs().max() <= math.sqrt(6 / 256) / 30
    assert layers[-1].weight.abs().max() <= math.sqrt(6 / 256) / 30
    spread = Finer(2, 3, hidden=256, first_bias_scale=5.0)
    assert 4.0 < list(spread)[0].linear.bias.abs().max() <= 5.0


# --- Gabor MFN --------------------------------------------------------------------------

def test_gabor_filter_formula_at_points():
    weight = torch.tensor([[3.0, -1.0], [0.5, 2.0]])
    bias = torch.tensor([0.1, -0.2])
    mu = torch.tensor([[0.2, -0.3], [-0.5, 0.5]])
    gamma = torch.tensor([2.0, 0.5])
    x = torch.tensor([[0.0, 0.0], [0.4, -0.1], [-0.9, 0.7]])
    got = gabor_filter(x, weight, bias, mu, gamma)
    for n in range(3):
        for k in range(2):
            xv, mv = x[n].tolist(), mu[k].tolist()
            dist2 = (xv[0] - mv[0]) ** 2 + (xv[1] - mv[1]) ** 2
            phase = weight[k, 0].item() * xv[0] + weight[k, 1].item() * xv[1] + bias[k].item()
            expected = math.sin(phase) * math.exp(-0.5 * gamma[k].item() * dist2)
            assert got[n, k].item() == pytest.approx(expected, abs=1e-6)


def test_gabor_net_initialisation_and_shapes():
    torch.manual_seed(0)
    net = GaborNet(2, 3, hidden=128, n_layers=4, input_scale=64.0)
    assert len(net.filters) == 4 and len(net.linears) == 3
    for gabor in net.filters:
        assert gabor.mu.abs().max() <= 1 and (gabor.gamma > 0).all()
        assert gabor.bias.abs().max() <= math.pi
        # PyTorch's U(-1/sqrt(2), 1/sqrt(2)) times input_scale / sqrt(n_filters) * sqrt(gamma)
        bound = (1 / math.sqrt(2)) * 64.0 / 2 * gabor.gamma.sqrt()[:, None]
        assert (gabor.weight.abs() <= bound + 1e-5).all()
    for linear in net.linears:
        assert linear.weight.abs().max() <= math.sqrt(1 / 128)
    assert net(torch.zeros(5, 2)).shape == (5, 3)
    assert default_input_scale(512) == 256 and default_input_scale(128) == 64


# --- hash grid --------------------------------------------------------------------------

def test_spatial_hash_matches_the_papers_uint32_formula():
    rng = np.random.default_rng(0)
    corners = rng.integers(0, 5000, size=(200, 2))
    got = spatial_hash(torch.from_numpy(corners), 15).numpy()
    for (i, j), index in zip(corners.tolist(), got.tolist()):
        expected = (((i * PRIMES[0]) ^ (j * PRIMES[1])) % 2 ** 32) % 2 ** 15
        assert index == expected


def test_hash_indices_in_range_and_deterministic():
    torch.manual_seed(0)
    encoder = HashGridEncoding(n_levels=16, n_features=2, log2_table_size=12,
                               min_res=16, max_res=256)
    assert (~encoder.dense).sum() > 0  # some levels do hash
    x = torch.rand(4096, 2) * 2 - 1
    x[:4] = torch.tensor([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [0.99999, -0.99999]])
    index, weight = encoder.indices_and_weights(x)
    assert index.min() >= 0 and index.max() < encoder.table.shape[0]
    ends = torch.cat([encoder.offsets[1:], torch.tensor([encoder.table.shape[0]])])
    assert (index >= encoder.offsets[None, :, None]).all()
    assert (index < ends[None, :, None]).all()  # each level stays in its own block
    assert torch.allclose(weight.sum(-1), torch.ones(len(x), 16))
    assert (weight >= 0).all()
    index_again, _ = HashGridEncoding(16, 2, 12, 16, 256).indices_and_weights(x)
    assert torch.equal(index, index_again)


def test_dense_levels_are_one_to_one_and_bilinear_is_exact_for_linear_tables():
    encoder = HashGridEncoding(n_levels=2, n_features=1, log2_table_size=12, min_res=4,
                               max_res=8)
    assert encoder.dense.all()
    with torch.no_grad():  # store f(i, j) = 2 i - 3 j + 1 at every vertex of each level
        for level, res in enumerate(encoder.resolutions.long().tolist()):
            j, i = torch.meshgrid(torch.arange(res + 1), torch.arange(res + 1), indexing="ij")
            start = int(encoder.offsets[level])
            values = (2 * i - 3 * j + 1).reshape(-1).float()
            encoder.table[start:start + values.numel(), 0] = values
    x = torch.rand(300, 2) * 2 - 1
    features = encoder(x)
    for level, res in enumerate(encoder.resolutions.tolist()):
        u = (x + 1) / 2 * res
        assert torch.allclose(features[:, level], 2 * u[:, 0] - 3 * u[:, 1] + 1, atol=1e-4)
    res = encoder.resolutions.long().tolist()
    sizes = torch.diff(torch.cat([encoder.offsets, torch.tensor([encoder.table.shape[0]])]))
    assert sizes.tolist() == [(r + 1) ** 2 for r in res]


def test_hash_grid_defaults_follow_the_paper():
    assert level_resolutions(16, 16, 256)[0] == 16 and level_resolutions(16, 16, 256)[-1] == 256
    assert default_log2_table_size(128) == 15 and default_log2_table_size(512) == 16
    assert default_log2_table_size(4096) == 19
    model = methods.make_model("hashgrid", image_size=512)
    assert model.encoder.out_dim == 32 and model.encoder.log2_table_size == 16
    assert model.encoder.table.abs().max() <= 1e-4
    assert any(p.requires_grad for p in model.encoder.parameters())  # fit must not precompute
    with pytest.raises(ValueError, match="log2_table_size"):
        HashGridEncoding(log2_table_size=0)


# --- registry, training, command line -----------------------------------------------------

def test_new_methods_are_registered_with_their_learning_rates():
    assert set(NEW) <= set(helpers.METHODS)
    assert {name: helpers.METHODS[name].lr for name in NEW} == {
        "wire": 1e-3, "finer": 1e-4, "gabor": 1e-2, "hashgrid": 1e-2}
    for name in NEW:
        out = methods.make_model(name, image_size=32)(torch.zeros(7, 2))
        assert out.shape == (7, 3) and torch.isfinite(out).all()


@pytest.mark.parametrize("name", NEW)
def test_new_method_trains_to_finite_rising_psnr(name, tiny_photo):
    result = methods.run(name, tiny_photo, steps=40, eval_every=10, n_snapshots=0,
                         progress=False, device="cpu")
    train = result.history["train_psnr"]
    assert all(math.isfinite(v) for v in train + result.history["test_psnr"])
    assert not result.diverged
    assert train[-1] > train[0] + 1.0
    assert result.train_psnr > 15 and result.test_psnr > 10


@pytest.mark.parametrize("name", NEW)
def test_fit_command_runs_new_method(name, capsys):
    code = cli.main(["fit", "--method", name, "--image", "photo", "--size", "16", "--steps", "5",
                     "--device", "cpu", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out.strip().splitlines()[-1])
    assert report["method"] == name and math.isfinite(report["test_psnr"])
