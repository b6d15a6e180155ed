"""The tuning search (helpers.tuning) and the cost columns (helpers.costs) of 07_showdown."""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

import helpers
from helpers import costs, tuning
from helpers.models import CoordinateModel, Siren


def test_configs_start_at_the_defaults_and_stay_in_range():
    pairs = tuning.draw_configs(50, seed=3)
    assert pairs[0] == (1.0, 1.0) and len(pairs) == 50
    cs = [c for c, _ in pairs[1:]]
    factors = [f for _, f in pairs[1:]]
    assert min(cs) >= 0.25 and max(cs) <= 4.0 and min(cs) < 0.5 and max(cs) > 2.0
    assert min(factors) >= 0.1 and max(factors) <= 10.0 and min(factors) < 0.3
    assert pairs == tuning.draw_configs(50, seed=3)           # seeded
    assert pairs[1:] != tuning.draw_configs(50, seed=4)[1:]
    with pytest.raises(ValueError, match="at least 1"):
        tuning.draw_configs(0)


def test_knobs_scale_the_defaults_at_the_race_size():
    assert tuning.knobs_at("gauss", 2.0, 128) == {"scale": 20.0}
    assert tuning.knobs_at("siren", 0.5, 64) == {"omega0": 15.0}
    assert tuning.knobs_at("wire", 0.5, 128) == {"omega0": 4.0, "s0": 3.0}
    a0 = helpers.METHODS["gaussian"].defaults["a"]
    assert tuning.knobs_at("gaussian", 2.0, 128)["a"] == pytest.approx(a0 / 2)  # narrower
    assert tuning.knobs_at("pe", 1.0, 512) == {"n_freqs": 7}
    assert tuning.knobs_at("pe", 2.0, 512) == {"n_freqs": 8}
    assert tuning.knobs_at("gabor", 1.0, 128) == {"scale": 64.0}
    assert tuning.knobs_at("hashgrid", 4.0, 512) == {"log2_table_size": 18}  # 16 + 2
    assert tuning.knobs_at("gaussians", 2.0, 64) == {"scale": 0.5}
    assert tuning.knobs_at("relu", 3.0, 64) == {}
    with pytest.raises(ValueError, match="no tuning rule"):
        tuning.knobs_at("nonsense", 1.0, 64)


def test_every_method_has_a_tuning_rule():
    assert set(helpers.METHODS) <= set(tuning.KNOBS)
    for name in helpers.METHODS:
        knobs = tuning.knobs_at(name, 1.0, 64)
        helpers.make_model(name, image_size=64, **knobs)     # every knob is an option


def test_the_crop_keeps_the_whole_images_coordinates_and_pixel_sets():
    r0, c0, h, w = tuning.centre_crop(64, 48, 0.5)
    assert (r0, c0, h, w) == (16, 12, 32, 24) and r0 % 2 == c0 % 2 == 0
    full = helpers.make_grid(64, 48)
    crop = helpers.make_grid(h, w)
    mapped = tuning.CropCoordinates(r0, c0, h, w, 64, 48)(crop.reshape(-1, 2))
    assert torch.allclose(mapped, full[r0:r0 + h, c0:c0 + w].reshape(-1, 2), atol=1e-6)
    # odd sizes still give even offsets, so the crop's train pixels are the image's
    assert all(v % 2 == 0 for v in tuning.centre_crop(97, 101, 0.5))
    with pytest.raises(ValueError, match="fraction"):
        tuning.centre_crop(64, 64, 1.5)


def test_tune_picks_the_best_validation_psnr(tiny_photo):
    record = tuning.tune("gauss", tiny_photo, n_configs=3, steps=15, eval_every=5, device="cpu")
    vals = [c["val_psnr"] for c in record.configs]
    assert record.best == vals.index(max(vals))
    assert record.runs == 3 + (record.best != 0)   # the winner's full-size check counts
    winner = record.configs[record.best]
    assert record.lr == winner["lr"] and record.knobs == winner["knobs"]
    assert record.configs[0]["c"] == 1.0 and record.configs[0]["lr"] == helpers.METHODS["gauss"].lr
    assert record.configs[0]["knobs"] == {"scale": 10.0}
    assert record.seconds > 0 and all(math.isfinite(v) for v in vals)
    record.keep_defaults(32)
    assert record.kept_defaults and record.knobs == {"scale": 10.0}
    assert record.lr == helpers.METHODS["gauss"].lr


def test_a_search_fit_learns_the_crop_in_the_whole_images_coordinates(tiny_photo):
    box = tuning.centre_crop(32, 32, 0.5)
    result = tuning.search_fit("siren", tiny_photo, box, {"omega0": 30.0}, 1e-3, 60,
                               eval_every=20, device="cpu")
    assert result.prediction.shape == (16, 16, 3)
    assert result.train_psnr > result.history["train_psnr"][0] + 5
    # the network inside is the whole image's: it renders the crop where the crop lies
    net = result.model.net
    crop_again = helpers.train.predict_image(net, 32)[8:24, 8:24]
    assert torch.allclose(crop_again, result.prediction, atol=1e-5)


def test_costs_count_the_deployed_model():
    class Merging(nn.Module):
        """Trains with 4x the parameters of the network it deploys."""
        def __init__(self):
            super().__init__()
            self.big = nn.Linear(2, 40)
        def forward(self, x):
            return self.big(x)[:, :3]
        def deployed(self):
            return Siren(2, 3, hidden=4, n_layers=2)

    model = CoordinateModel(None, Merging())
    plain = Siren(2, 3, hidden=4, n_layers=2)
    assert costs.inference_params(model) == helpers.count_params(plain) == 27
    assert costs.stored_bytes(model) == 4 * 27
    gauss = helpers.make_model("gauss", n_features=8, hidden=16, n_layers=2)
    # the fixed matrix B (8 x 2) is stored but not trained
    assert costs.stored_bytes(gauss) == 4 * (helpers.count_params(gauss) + 16)
    ms = costs.render_ms_per_megapixel(plain, size=32, repeats=1)
    assert 0 < ms < 60_000
