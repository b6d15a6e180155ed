import math

import pytest
import torch
from torch import nn

from helpers.activations import Activation
from helpers.methods import METHODS, get_method, make_model
from helpers.models import MLP, CoordinateModel, SineLayer, Siren, count_params

X = torch.tensor([-1.0, 0.0, 0.5, 2.0])


@pytest.mark.parametrize("name, a, b, expected", [
    ("relu", None, None, [0.0, 0.0, 0.5, 2.0]),
    ("gaussian", 0.5, None, [math.exp(-2), 1, math.exp(-0.5), math.exp(-8)]),
    ("laplacian", 0.5, None, [math.exp(-2), 1, math.exp(-1), math.exp(-4)]),
    ("quadratic", 2.0, None, [1 / 5, 1, 1 / 2, 1 / 17]),
    ("multiquadratic", 2.0, None, [1 / math.sqrt(5), 1, 1 / math.sqrt(2), 1 / math.sqrt(17)]),
    ("supergaussian", 0.5, 3.0, [math.exp(-6), 1, math.exp(-1.5), math.exp(-24)]),
    ("expsin", 2.0, None, [math.exp(math.sin(2)), 1, math.exp(-math.sin(1)),
                           math.exp(-math.sin(4))]),
    ("sine", 3.0, None, [math.sin(-3), 0, math.sin(1.5), math.sin(6)]),
])
def test_activation_formulas(name, a, b, expected):
    out = Activation(name, a, b)(X)
    assert torch.allclose(out, torch.tensor(expected), atol=1e-6)


@pytest.mark.parametrize("name, b", [("gaussian", None), ("laplacian", None),
                                     ("supergaussian", 2.0)])
def test_exponential_activations_never_produce_subnormals(name, b):
    """Far tails are capped at exp(-40), far above float32's subnormals (slow on CPUs)."""
    x = torch.linspace(-50, 50, 10001, requires_grad=True)
    out = Activation(name, 0.1, b)(x)
    exact = torch.exp(-(x.detach().double().square() / 0.02 * (b or 1.0)) if name != "laplacian"
                      else -(x.detach().double().abs() / 0.1))
    assert (out >= math.exp(-40) * 0.999).all()
    assert ((out == 0) | (out.abs() >= torch.finfo(torch.float32).tiny)).all()
    assert torch.allclose(out.double(), exact, rtol=1e-5, atol=1e-17)
    out.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_trainable_activation_parameter_gets_gradients():
    act = Activation("gaussian", 0.3, trainable=True)
    act(torch.randn(10)).sum().backward()
    assert act.a.grad is not None and act.a.grad != 0


def test_default_mlp_structure():
    model = MLP(2, 3)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(2, 256), (256, 256),
                                                                  (256, 256), (256, 3)]
    assert sum(isinstance(m, nn.ReLU) for m in model) == 3
    assert isinstance(model[-1], nn.Sigmoid)
    out = model(torch.rand(7, 2) * 2 - 1)
    assert out.shape == (7, 3) and out.min() >= 0 and out.max() <= 1


def test_siren_init_bounds_per_layer():
    torch.manual_seed(0)
    model = Siren(2, 3, hidden=256, n_layers=4, omega0=30, omega0_hidden=30)
    sines = [m for m in model if isinstance(m, SineLayer)]
    assert len(sines) == 3
    first = sines[0].linear.weight
    assert first.abs().max() <= 1 / 2 and first.abs().max() > 0.45  # U(-1/n, 1/n), n = 2
    bound = math.sqrt(6 / 256) / 30
    for layer in sines[1:]:
        w = layer.linear.weight
        assert w.abs().max() <= bound and w.abs().max() > 0.95 * bound
        assert abs(w.std().item() - bound / math.sqrt(3)) < 0.05 * bound  # uniform's std
    assert model[-1].weight.abs().max() <= bound
    assert isinstance(model[-1], nn.Linear)


def test_sine_layer_formula():
    layer = SineLayer(2, 4, omega0=30, is_first=True)
    x = torch.rand(5, 2)
    assert torch.allclose(layer(x), torch.sin(30 * layer.linear(x)))
    with pytest.raises(ValueError, match="omega0"):
        SineLayer(2, 4, omega0=0)


def test_siren_without_init_keeps_default_weights():
    torch.manual_seed(0)
    plain = Siren(2, 3, init=False)
    # PyTorch's default bound for fan-in 256 is 1/sqrt(256) = 0.0625, far above SIREN's
    assert plain[1].linear.weight.abs().max() > 0.06


def test_every_method_builds_and_runs():
    coords = torch.rand(16, 2) * 2 - 1
    for name in METHODS:
        model = make_model(name)
        assert isinstance(model, CoordinateModel)
        assert model(coords).shape == (16, 3)
        assert count_params(model) > 1000


def test_make_model_is_seeded():
    a = make_model("relu", seed=1).net[0].weight
    b = make_model("relu", seed=1).net[0].weight
    c = make_model("relu", seed=2).net[0].weight
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_unknown_method_lists_choices():
    with pytest.raises(ValueError, match="relu, basic, pe, gauss, siren"):
        get_method("nerf")


def test_make_model_refuses_an_option_the_method_does_not_have():
    with pytest.raises(ValueError, match="no option sigma; its options are scale"):
        make_model("gauss", sigma=3)
    assert make_model("relu", scale=None) is not None  # unset options are fine
