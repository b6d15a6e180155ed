"""fit_many (one vmapped run for k models) must give what k calls of fit give."""
import warnings

import pytest
import torch
from torch import nn

import helpers.sweeps as sweeps
from helpers.encoders import GaussianFourierFeatures, Identity
from helpers.methods import make_model
from helpers.models import MLP, CoordinateModel
from helpers.sweeps import fit_many, sweep, why_not_batched
from helpers.train import fit

SETTINGS = dict(steps=20, eval_every=5, n_snapshots=3, progress=False)
TOLERANCE_DB = 1e-4


def singles(name, knob, values, lr, **knobs):
    return [fit(make_model(name, seed=0, **knobs, **{knob: v}), _image(), lr=lr, **SETTINGS)
            for v in values]


def _image():
    import helpers

    return helpers.load_image("photo", size=32)


def assert_same(batched, single):
    assert len(batched) == len(single)
    for b, s in zip(batched, single):
        assert b.steps == s.steps and b.diverged == s.diverged
        assert b.train_psnr == pytest.approx(s.train_psnr, abs=TOLERANCE_DB)
        assert b.test_psnr == pytest.approx(s.test_psnr, abs=TOLERANCE_DB)
        assert b.history["step"] == s.history["step"]
        for key in ("train_psnr", "test_psnr"):
            assert b.history[key] == pytest.approx(s.history[key], abs=TOLERANCE_DB)
        assert [step for step, _ in b.snapshots] == [step for step, _ in s.snapshots]
        for (_, x), (_, y) in zip(b.snapshots, s.snapshots):
            assert abs(x.astype(int) - y.astype(int)).max() <= 1  # uint8 rounding
        assert b.prediction.shape == s.prediction.shape == (32, 32, 3)
        assert torch.allclose(b.prediction, s.prediction, atol=1e-4)
        assert b.params == s.params and b.lr == s.lr


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny tensors gain nothing from threads, and a busy machine makes them crawl."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def no_single_fits(monkeypatch):
    """Make sure the batched path ran: calling fit from fit_many fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("fit_many fell back to single fits")
    monkeypatch.setattr(sweeps, "fit", refuse)


def test_gauss_sigmas_train_together_like_single_fits(no_single_fits):
    values = [1.0, 10.0, 30.0]  # B differs per model: per-model features (k, N, F)
    models = [make_model("gauss", seed=0, hidden=64, scale=v) for v in values]
    assert why_not_batched(models) is None
    batched = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    for result, model in zip(batched, models):
        assert result.model is model  # trained in place, like fit
        assert result.test_psnr > result.history["test_psnr"][0] - 1e-9
    # PSNRs differ between sigmas: the models really had different B
    assert len({round(r.test_psnr, 3) for r in batched}) == 3


def test_gauss_sigmas_match_single_fits():
    values = [1.0, 10.0, 30.0]
    batched = fit_many([make_model("gauss", seed=0, hidden=64, scale=v) for v in values],
                       _image(), lr=1e-3, **SETTINGS)
    assert_same(batched, singles("gauss", "scale", values, 1e-3, hidden=64))


def test_one_batch_of_all_models_as_on_a_gpu_matches_too(monkeypatch, no_single_fits):
    """On a CPU the models run one by one within each step; a GPU vmaps all k at once."""
    monkeypatch.setattr(sweeps, "_CPU_ONE_AT_A_TIME", False)
    values = [1.0, 10.0, 30.0]
    batched = fit_many([make_model("gauss", seed=0, hidden=64, scale=v) for v in values],
                       _image(), lr=1e-3, **SETTINGS)
    assert_same(batched, [fit(make_model("gauss", seed=0, hidden=64, scale=v), _image(),
                              lr=1e-3, **SETTINGS) for v in values])
    models = [make_model("siren", seed=0, hidden=64, omega0=v) for v in (10.0, 30.0)]
    batched = fit_many(models, _image(), lr=1e-4, **SETTINGS)
    assert_same(batched, [fit(make_model("siren", seed=0, hidden=64, omega0=v), _image(),
                              lr=1e-4, **SETTINGS) for v in (10.0, 30.0)])


def test_trained_model_reproduces_its_prediction():
    import helpers

    models = [make_model("gauss", seed=0, hidden=64, scale=v) for v in (5.0, 20.0)]
    results = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    for result in results:
        again = helpers.predict_image(result.model, 32, 32)
        assert torch.allclose(again, result.prediction, atol=1e-5)


def test_activation_parameter_a_as_buffer_matches_single_fits(no_single_fits):
    values = [0.05, 0.1, 0.2]
    models = [make_model("gaussian", seed=0, hidden=64, a=v) for v in values]
    assert why_not_batched(models) is None
    batched = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    single = [fit(make_model("gaussian", seed=0, hidden=64, a=v), _image(), lr=1e-3,
                  **SETTINGS) for v in values]
    assert_same(batched, single)


def test_siren_omega0_floats_become_per_model_tensors(no_single_fits):
    values = [10.0, 30.0, 60.0]  # SineLayer.omega0 is a plain float attribute
    models = [make_model("siren", seed=0, hidden=64, omega0=v) for v in values]
    assert why_not_batched(models) is None
    batched = fit_many(models, _image(), lr=1e-4, **SETTINGS)
    single = [fit(make_model("siren", seed=0, hidden=64, omega0=v), _image(), lr=1e-4,
                  **SETTINGS) for v in values]
    assert_same(batched, single)
    assert all(m.net[0].omega0 == v for m, v in zip(models, values))  # models untouched


def test_trainable_encoder_trains_inside_the_batch(no_single_fits):
    def build(scale):
        torch.manual_seed(0)
        encoder = GaussianFourierFeatures(scale, 16, seed=0, trainable=True)
        return CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden=32))

    models = [build(s) for s in (2.0, 8.0)]
    before = [m.encoder.B.detach().clone() for m in models]
    batched = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    single = [fit(build(s), _image(), lr=1e-3, **SETTINGS) for s in (2.0, 8.0)]
    assert_same(batched, single)
    assert all(not torch.equal(m.encoder.B, b) for m, b in zip(models, before))


def test_divergence_is_handled_per_model():
    values = [0.02, 0.1, 0.3]  # at lr 0.05 the last one diverges at step 10, the others do not
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batched = fit_many([make_model("gaussian", seed=0, hidden=64, a=v) for v in values],
                           _image(), lr=0.05, **SETTINGS)
        single = singles("gaussian", "a", values, 0.05, hidden=64)
    assert [r.diverged for r in batched] == [False, False, True]
    assert batched[2].steps == 10 and batched[0].steps == 20
    assert_same(batched, single)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert any(m.startswith("model 3 of 3: training diverged at step 10") for m in messages)


def test_different_shapes_fall_back_to_single_fits():
    models = [make_model("pe", seed=0, hidden=32, n_freqs=3),
              make_model("pe", seed=0, hidden=32, n_freqs=4)]
    assert "differs" in why_not_batched(models)
    widths = [make_model("relu", seed=0, hidden=32), make_model("relu", seed=0, hidden=48)]
    assert why_not_batched(widths) is not None
    batched = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    single = [fit(make_model("pe", seed=0, hidden=32, n_freqs=n), _image(), lr=1e-3, **SETTINGS)
              for n in (3, 4)]
    for b, s in zip(batched, single):  # sequential: exactly the same numbers
        assert b.test_psnr == s.test_psnr
        assert b.history["test_psnr"] == s.history["test_psnr"]


class _SignGate(nn.Module):
    """Data-dependent Python control flow: vmap cannot run it."""

    def forward(self, x):
        return x if float(x.detach().sum()) > 0 else -x


def test_module_vmap_cannot_run_falls_back():
    def build():
        torch.manual_seed(0)
        return CoordinateModel(Identity(), nn.Sequential(nn.Linear(2, 16), _SignGate(),
                                                         nn.Linear(16, 3)))

    models = [build(), build()]
    assert why_not_batched(models) is None  # same structure, but vmap fails on it
    batched = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    single = fit(build(), _image(), lr=1e-3, **SETTINGS)
    assert all(b.test_psnr == single.test_psnr for b in batched)


def test_same_model_twice_is_refused():
    model = make_model("relu", seed=0, hidden=16)
    with pytest.raises(ValueError, match="same model object twice"):
        fit_many([model, model], _image(), **SETTINGS)


def test_sweep_returns_results_by_value_and_reuses_its_cache(no_single_fits):
    cache = {}
    first = sweep("gauss", _image(), "scale", [1.0, 10.0], cache=cache, hidden=32, **SETTINGS)
    assert list(first) == [1.0, 10.0] and set(cache) == {1.0, 10.0}
    second = sweep("gauss", _image(), "scale", [10.0, 1.0, 30.0, 3.0], cache=cache, hidden=32,
                   **SETTINGS)
    assert list(second) == [10.0, 1.0, 30.0, 3.0]
    assert second[1.0] is first[1.0] and second[10.0] is first[10.0]  # not retrained
    assert second[1.0].lr == 1e-3  # the method's default lr
    assert second[30.0].test_psnr != second[10.0].test_psnr
