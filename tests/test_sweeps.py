"""fit_many (fits in a row) and sweep (one fit per knob value, cached) give exactly what
single calls of fit give."""
import warnings

import pytest
import torch

from helpers.methods import make_model
from helpers.sweeps import fit_many, sweep
from helpers.train import fit

SETTINGS = dict(steps=20, eval_every=5, n_snapshots=3, progress=False)


def _image():
    import helpers

    return helpers.load_image("photo", size=32)


pytestmark = pytest.mark.usefixtures("one_thread")


def test_fit_many_is_fits_in_a_row():
    values = [1.0, 10.0]
    models = [make_model("gauss", seed=0, hidden=32, scale=v) for v in values]
    many = fit_many(models, _image(), lr=1e-3, **SETTINGS)
    for result, model, value in zip(many, models, values):
        single = fit(make_model("gauss", seed=0, hidden=32, scale=value), _image(), lr=1e-3,
                     **SETTINGS)
        assert result.model is model  # trained in place, like fit
        assert result.test_psnr == single.test_psnr and result.val_psnr == single.val_psnr
        assert result.history["test_psnr"] == single.history["test_psnr"]
        assert [s for s, _ in result.snapshots] == [s for s, _ in single.snapshots]
    assert many[0].test_psnr != many[1].test_psnr  # the models really had different B


def test_divergence_is_reported_per_model():
    values = [0.02, 0.1, 0.3]  # at lr 0.05 the last one diverges at step 10, the others do not
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        many = fit_many([make_model("gaussian", seed=0, hidden=64, a=v) for v in values],
                        _image(), lr=0.05, **SETTINGS)
    assert [r.diverged for r in many] == [False, False, True]
    assert many[2].steps == 10 and many[0].steps == 20
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert any(m.startswith("model 3 of 3: training diverged at step 10") for m in messages)


def test_same_model_twice_is_refused():
    model = make_model("relu", seed=0, hidden=16)
    with pytest.raises(ValueError, match="same model object twice"):
        fit_many([model, model], _image(), **SETTINGS)


def test_sweep_returns_results_by_value_and_reuses_its_cache():
    cache = {}
    first = sweep("gauss", _image(), "scale", [1.0, 10.0], cache=cache, hidden=32, **SETTINGS)
    assert list(first) == [1.0, 10.0] and set(cache) == {1.0, 10.0}
    second = sweep("gauss", _image(), "scale", [10.0, 1.0, 30.0, 3.0], cache=cache, hidden=32,
                   **SETTINGS)
    assert list(second) == [10.0, 1.0, 30.0, 3.0]
    assert second[1.0] is first[1.0] and second[10.0] is first[10.0]  # not retrained
    assert second[1.0].lr == 1e-3  # the method's default lr
    assert second[30.0].test_psnr != second[10.0].test_psnr
    alone = fit(make_model("gauss", seed=0, hidden=32, scale=30.0, image_size=32), _image(),
                lr=1e-3, **SETTINGS)
    assert second[30.0].test_psnr == alone.test_psnr
