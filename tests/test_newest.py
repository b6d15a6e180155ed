"""The newest methods (weight scaling, sinc, FR-INR, STAF): formulas, init, registry, training."""
import json
import math

import pytest
import torch

import helpers
from helpers import methods
from helpers.finer import Finer
from helpers.fr_inr import FRSineLayer, FRSiren, deploy, fourier_basis
from helpers.models import Siren
from helpers.sinc import SincNet, sinc_activation
from helpers.staf import Staf, StafLayer, staf_activation
from helpers.tools import cli
from helpers.weight_scaling import scale_weights

NEWEST = ["siren_scaled", "finer_scaled", "sinc", "fr_siren", "staf"]
PAPERS = {"siren_scaled": "Yeom et al. 2025", "finer_scaled": "Yeom et al. 2025",
          "sinc": "Saratchandran et al. 2024", "fr_siren": "Shi et al. 2024",
          "staf": "Morsali et al. 2025"}


def linears(model):
    return [m for m in model.modules() if isinstance(m, torch.nn.Linear)]


# --- weight scaling ---------------------------------------------------------------------

@pytest.mark.parametrize("network", [Siren, Finer])
def test_scale_weights_multiplies_every_weight_but_the_last_and_no_bias(network):
    torch.manual_seed(0)
    plain = network(2, 3, hidden=32, n_layers=5)
    torch.manual_seed(0)
    scaled = scale_weights(network(2, 3, hidden=32, n_layers=5), 2.5)
    before, after = linears(plain), linears(scaled)
    assert len(after) == 5
    for a, b in zip(before[:-1], after[:-1]):  # the first layer too
        assert torch.allclose(b.weight, 2.5 * a.weight)
    assert torch.equal(before[-1].weight, after[-1].weight)
    for a, b in zip(before, after):
        assert torch.equal(a.bias, b.bias)


def test_registry_weight_scaling_is_siren_and_finer_times_alpha():
    for scaled_name, plain_name in (("siren_scaled", "siren"), ("finer_scaled", "finer")):
        scaled = linears(methods.make_model(scaled_name, seed=3, alpha=1.7))
        plain = linears(methods.make_model(plain_name, seed=3))
        assert all(torch.allclose(s.weight, 1.7 * p.weight) for s, p in zip(scaled[:-1], plain))
        assert torch.equal(scaled[-1].weight, plain[-1].weight)
        # alpha = 1 is the plain network, omega0 stays a knob
        same = methods.make_model(scaled_name, seed=3, alpha=1.0, omega0=30.0)
        assert all(torch.equal(s.weight, p.weight) for s, p in zip(linears(same), plain))
    assert methods.make_model("siren_scaled", omega0=20.0).net[0].omega0 == 20.0


@pytest.mark.parametrize("alpha", [0, -1, float("nan")])
def test_bad_alpha_is_refused(alpha):
    with pytest.raises(ValueError, match="alpha"):
        scale_weights(Siren(), alpha)


# --- sinc -------------------------------------------------------------------------------

@pytest.mark.parametrize("z", [0.0, 1e-9, 0.013, -0.05, 0.2, 1.0])
def test_sinc_is_sin_omega_z_over_omega_z(z):
    omega = 30.0
    expected = 1.0 if z == 0 else math.sin(omega * z) / (omega * z)
    t = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    out = sinc_activation(t, omega)
    assert out.item() == pytest.approx(expected, abs=1e-9)
    out.backward()
    u = omega * z  # d/dz sin(u)/u = omega (u cos u - sin u) / u^2, 0 at u = 0
    slope = 0.0 if abs(u) < 1e-6 else omega * (u * math.cos(u) - math.sin(u)) / u ** 2
    assert math.isfinite(t.grad.item()) and t.grad.item() == pytest.approx(slope, abs=1e-6)


def test_sinc_net_uses_siren_initialisation():
    torch.manual_seed(0)
    first, *hidden, last = list(SincNet(2, 3, hidden=256, n_layers=4, omega0=30.0))
    assert first.linear.weight.abs().max() <= 1 / 2
    assert first.linear.weight.abs().max() > 0.45
    bound = math.sqrt(6 / 256) / 30
    for layer in hidden:
        assert bound * 0.95 < layer.linear.weight.abs().max() <= bound
    assert last.weight.abs().max() <= bound
    x = torch.zeros(4, 2)
    assert torch.allclose(first(x), sinc_activation(first.linear.bias.expand(4, -1), 30.0))


# --- FR-INR -----------------------------------------------------------------------------

def test_fourier_basis_rows_are_the_papers_cosines():
    n_low, n_high, n_phases, alpha, in_dim = 2, 3, 4, 0.05, 5
    basis = fourier_basis(in_dim, n_low, n_high, n_phases, alpha)
    freqs = [0.5, 1.0, 1.0, 2.0, 3.0]  # k / n_low, then 1 .. n_high
    period = 2 * math.pi / 0.5
    points = [-period / 2 + period * j / (in_dim - 1) for j in range(in_dim)]
    assert basis.shape == ((n_low + n_high) * n_phases, in_dim)
    for i, f in enumerate(freqs):
        for p in range(n_phases):
            for j, t in enumerate(points):
                expected = alpha * math.cos(f * t + 2 * math.pi * p / n_phases)
                assert basis[i * n_phases + p, j].item() == pytest.approx(expected, abs=1e-6)


def test_fr_layer_init_and_what_is_trained():
    torch.manual_seed(0)
    layer = FRSineLayer(64, 32, omega0=30.0, n_low=8, n_high=8, n_phases=4, alpha=0.01)
    n_bases = 64
    assert layer.coefficients.shape == (32, n_bases) and layer.basis.shape == (n_bases, 64)
    bound = math.sqrt(6 / n_bases) / (layer.basis.norm(dim=1) * 30.0)
    assert (layer.coefficients.abs() <= bound).all()
    assert (layer.coefficients.abs().amax(0) > 0.8 * bound).float().mean() > 0.9
    assert torch.equal(layer.bias, torch.zeros(32))
    assert {n for n, _ in layer.named_parameters()} == {"coefficients", "bias"}
    assert "basis" in dict(layer.named_buffers())  # fixed, saved, never counted
    x = torch.randn(7, 64)
    expected = torch.sin(30.0 * (x @ (layer.coefficients @ layer.basis).T + layer.bias))
    assert torch.allclose(layer(x), expected, atol=1e-6)


def test_fr_siren_merges_into_a_plain_siren_after_training(tiny_photo):
    result = methods.run("fr_siren", tiny_photo, steps=5, eval_every=5, n_snapshots=0,
                         progress=False, device="cpu")
    model = result.model
    plain = deploy(model)
    assert isinstance(plain.net, Siren) and not any(isinstance(m, FRSineLayer)
                                                    for m in plain.modules())
    coords = torch.rand(2000, 2) * 2 - 1
    with torch.no_grad():
        assert torch.allclose(model(coords), plain(coords), atol=1e-5)
        assert torch.allclose(model.net.deployed()(coords), model(coords), atol=1e-5)
    siren_count = helpers.count_params(methods.make_model("siren"))
    assert helpers.count_params(plain) == helpers.count_params(model.net.deployed()) == siren_count
    # training: Lambda (256 x 8192) and a bias in each of the 2 hidden layers, SIREN's ends
    trained = (2 * 256 + 256) + 2 * (256 * 8192 + 256) + (256 * 3 + 3)
    assert helpers.count_params(model) == result.params == trained
    assert deploy(plain) is plain  # nothing left to merge


def test_fr_siren_bad_options_are_refused():
    with pytest.raises(ValueError, match="at least one frequency"):
        FRSiren(n_low=0, n_high=0)
    with pytest.raises(ValueError, match="alpha"):
        FRSiren(alpha=0)


# --- STAF -------------------------------------------------------------------------------

def test_staf_activation_is_a_sum_of_sines_at_points():
    amplitudes = torch.tensor([0.5, -0.2, 0.1])
    frequencies = torch.tensor([3.0, 10.0, 25.0])
    phases = torch.tensor([0.1, -1.0, 2.0])
    z = torch.tensor([[0.0, 0.3], [-0.7, 1.2]])
    got = staf_activation(z, amplitudes, frequencies, phases)
    for index in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        v = z[index].item()
        expected = sum(c * math.sin(w * v + p) for c, w, p in
                       zip(amplitudes.tolist(), frequencies.tolist(), phases.tolist()))
        assert got[index].item() == pytest.approx(expected, abs=1e-5)


def test_staf_initialisation_and_parameter_count():
    torch.manual_seed(0)
    net = Staf(2, 3, hidden=64, n_layers=4, tau=5, omega0=30.0)
    layers = [m for m in net if isinstance(m, StafLayer)]
    assert len(layers) == 3
    for layer in layers:
        assert ((layer.frequencies >= 0) & (layer.frequencies < 30.0)).all()
        assert (layer.phases.abs() <= math.pi).all()
        assert layer.amplitudes.shape == (5,) and layer.amplitudes.abs().max() < 3
        bound = 1 / math.sqrt(layer.linear.in_features)  # PyTorch's default nn.Linear
        assert layer.linear.weight.abs().max() <= bound
    base = (2 * 64 + 64) + 2 * (64 * 64 + 64) + (64 * 3 + 3)
    assert helpers.count_params(net) == base + 3 * 3 * 5


def test_staf_amplitudes_frequencies_phases_are_trained():
    torch.manual_seed(0)
    net = Staf(2, 3, hidden=32, n_layers=3)
    before = {n: p.detach().clone() for n, p in net.named_parameters()}
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    coords, target = torch.rand(64, 2) * 2 - 1, torch.rand(64, 3)
    (net(coords) - target).square().mean().backward()
    optimizer.step()
    for name in ("amplitudes", "frequencies", "phases"):
        for index in (0, 1):
            key = f"{index}.{name}"
            assert net.get_parameter(key).requires_grad
            assert not torch.equal(before[key], net.get_parameter(key)), key


# --- registry, training, command line ---------------------------------------------------

def test_newest_methods_are_registered_with_knobs_and_lrs():
    assert set(NEWEST) <= set(helpers.METHODS)
    for name in NEWEST:
        method = helpers.METHODS[name]
        assert method.knob in methods.knob_names(name) and method.knob in method.defaults
        assert 0 < method.lr <= 1e-2
        assert PAPERS[name] in method.description
        model = methods.make_model(name, image_size=32)
        out = model(torch.rand(9, 2) * 2 - 1)
        assert out.shape == (9, 3) and torch.isfinite(out).all()
        assert model.label and "{" not in model.label
        again = methods.make_model(name, image_size=32)(torch.zeros(4, 2))
        assert torch.equal(again, methods.make_model(name, image_size=32)(torch.zeros(4, 2)))


@pytest.mark.parametrize("name", NEWEST)
def test_newest_method_trains_to_finite_rising_psnr(name, tiny_photo):
    result = methods.run(name, tiny_photo, steps=40, eval_every=10, n_snapshots=0,
                         progress=False, device="cpu")
    train = result.history["train_psnr"]
    assert all(math.isfinite(v) for v in train + result.history["test_psnr"])
    assert not result.diverged
    assert train[-1] > train[0] + 1.0
    assert result.train_psnr > 15 and result.test_psnr > 10


@pytest.mark.parametrize("name", NEWEST)
def test_fit_command_runs_newest_method(name, capsys):
    code = cli.main(["fit", "--method", name, "--image", "photo", "--size", "16", "--steps", "5",
                     "--device", "cpu", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out.strip().splitlines()[-1])
    assert report["method"] == name and math.isfinite(report["test_psnr"])
