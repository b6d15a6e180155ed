"""Task models with any number of linear outputs, fitted through optimize."""
import pytest
import torch

from helpers.task_models import TASK_MODELS, fit_task, task_model


@pytest.mark.parametrize("name", TASK_MODELS)
def test_shapes_and_linear_output(name):
    model = task_model(name, out_dim=1, hidden=16, n_features=8)
    out = model(torch.rand(10, 2) * 2 - 1)
    assert out.shape == (10, 1)


def test_fit_task_lowers_the_loss_and_keeps_the_best_validation_model():
    x = torch.rand(200, 2) * 2 - 1
    y = torch.sin(3 * x[:, :1])
    model = task_model("siren", out_dim=1, hidden=32, omega0=10.0)
    run = fit_task(model, lambda step: ((model(x) - y) ** 2).mean(), 60, 1e-3,
                   evaluate=lambda step: {"val": -float(((model(x) - y) ** 2).mean())},
                   score="val")
    assert run.history["val"][-1] > run.history["val"][0]
    assert run.steps == 60 and run.best_step > 0


def test_unknown_name():
    with pytest.raises(ValueError, match="choose one of"):
        task_model("nerf")


def test_siren_hidden_layers_keep_omega0_30_as_make_model_does():
    model = task_model("siren", hidden=16, omega0=7.0)
    sines = [m for m in model.modules() if type(m).__name__ == "SineLayer"]
    assert sines[0].omega0 == 7.0 and all(s.omega0 == 30.0 for s in sines[1:])
    assert task_model("siren", hidden=16, omega0=7.0, omega0_hidden=7.0).net[1].omega0 == 7.0
