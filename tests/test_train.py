import math
import warnings

import pytest
import torch

import helpers
from helpers.methods import make_model, run
from helpers.train import fit, predict_image


def test_fit_raises_psnr_quickly(tiny_photo):
    result = run("gauss", tiny_photo, steps=60, eval_every=10, n_snapshots=4, progress=False,
                 device="cpu")
    history = result.history
    assert history["step"][-1] == 60 and len(history["step"]) == 7  # step 0 too
    assert history["train_psnr"][-1] > history["train_psnr"][0] + 3
    assert result.train_psnr > 20
    assert result.prediction.shape == (32, 32, 3)
    assert [step for step, _ in result.snapshots] == [0, 20, 40, 60]
    assert result.snapshots[0][1].dtype.name == "uint8"
    assert result.seconds_per_step > 0 and result.params == helpers.count_params(result.model)
    assert not result.diverged


def test_fit_reports_the_same_psnr_as_a_direct_evaluation(tiny_photo):
    result = run("relu", tiny_photo, steps=20, progress=False, n_snapshots=0)
    split = helpers.split_pixels(tiny_photo)
    with torch.no_grad():
        test = helpers.psnr(result.model(split.test_coords), split.test_colors)
    assert test == pytest.approx(result.test_psnr, abs=1e-4)
    assert result.prediction.shape == tiny_photo.shape


def test_fixed_encoder_is_computed_once(tiny_photo, monkeypatch):
    model = make_model("gauss")
    calls = []
    original = model.encoder.forward
    monkeypatch.setattr(model.encoder, "forward", lambda x: calls.append(len(x)) or original(x))
    fit(model, tiny_photo, steps=30, eval_every=10, n_snapshots=0, progress=False)
    assert calls[:3] == [256, 256, 512]  # train, test and validation features, before the loop
    assert len(calls) <= 4  # + the chunked final full-image prediction


def test_trainable_encoder_is_trained(tiny_photo):
    model = make_model("gauss", trainable_b=True)
    before = model.encoder.B.detach().clone()
    fit(model, tiny_photo, steps=5, n_snapshots=0, progress=False)
    assert not torch.equal(model.encoder.B, before)


def test_divergence_stops_warns_and_keeps_the_best_model(tiny_photo):
    model = make_model("gaussian")
    with pytest.warns(RuntimeWarning, match=r"diverged at step \d+ .*kept the model of step \d+: try a smaller lr"):
        result = fit(model, tiny_photo, steps=200, lr=1e4, eval_every=5, n_snapshots=0,
                     progress=False)
    assert result.diverged and result.steps < 200
    assert math.isfinite(result.train_psnr) and math.isfinite(result.test_psnr)
    assert all(torch.isfinite(p).all() for p in result.model.parameters())


def test_same_seed_same_result(tiny_photo):
    a = run("siren", tiny_photo, steps=20, progress=False, n_snapshots=0, seed=3)
    b = run("siren", tiny_photo, steps=20, progress=False, n_snapshots=0, seed=3)
    assert a.test_psnr == pytest.approx(b.test_psnr, abs=1e-5)


def test_chunked_prediction_equals_one_pass():
    model = make_model("siren")
    whole = predict_image(model, 24, 40, chunk_size=10_000)
    chunked = predict_image(model, 24, 40, chunk_size=7)
    assert whole.shape == (24, 40, 3)
    assert torch.allclose(whole, chunked, atol=1e-6)


def test_gauss_beats_relu_on_held_out_pixels():
    image = helpers.load_image("photo", size=64)
    relu = run("relu", image, steps=150, progress=False, n_snapshots=0)
    gauss = run("gauss", image, steps=150, progress=False, n_snapshots=0, scale=3)
    assert gauss.test_psnr > relu.test_psnr + 2


def test_is_flat_tells_a_collapsed_fit_from_a_blurry_one():
    from helpers.train import is_flat

    image = helpers.load_image("photo", size=32)
    blurry = torch.nn.functional.avg_pool2d(image.permute(2, 0, 1)[None], 5, 1, 2)[0]
    assert not is_flat(blurry.permute(1, 2, 0), image)
    assert is_flat(torch.full_like(image, 0.999994), image)       # a saturated sigmoid
    assert is_flat(image.mean((0, 1)) + 1e-4 * torch.randn_like(image), image)
    assert not is_flat(torch.ones_like(image), torch.ones_like(image))  # a flat image itself


def test_a_fit_saturated_to_white_is_flagged_collapsed_and_a_smaller_lr_is_not():
    """Mostly white text at lr 1e-3: Adam drives the sigmoid past 10 in ~20 steps, and there
    it stays; the test PSNR is then exactly that of a white image."""
    text = helpers.load_image("data/text/text_00.png", size=32)
    split = helpers.split_pixels(text)
    white = helpers.psnr(torch.ones_like(split.test_colors), split.test_colors)
    with pytest.warns(RuntimeWarning, match=r"one flat colour \(1.00, 1.00, 1.00\).*smaller lr "
                                            r"than 0.001, e.g. 0.0001"):
        result = fit(make_model("basic"), text, steps=60, lr=1e-3, n_snapshots=0,
                     progress=False)
    assert result.collapsed and not result.diverged and "collapsed" in repr(result)
    assert result.test_psnr == pytest.approx(white, abs=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        slower = fit(make_model("basic"), text, steps=200, lr=1e-4, n_snapshots=0,
                     progress=False)
    assert not slower.collapsed and slower.test_psnr > white


def test_a_flat_linear_output_model_is_flagged_without_blaming_a_sigmoid(tiny_photo):
    model = make_model("siren")
    with torch.no_grad():
        model.net[-1].weight.zero_()  # the output is its bias alone: one colour everywhere
    with pytest.warns(RuntimeWarning, match="one flat colour .* its output stopped depending "
                                            "on the coordinates: try a smaller lr"):
        result = fit(model, tiny_photo, steps=2, lr=1e-9, n_snapshots=0, progress=False)
    assert result.collapsed
