"""fit's shortcuts (features computed once, snapshots assembled from the evaluation's
quarter grids, flushed subnormals) must not change what it returns."""
import numpy as np
import pytest
import torch

import helpers.train as train
from helpers.encoders import GaussianFourierFeatures
from helpers.methods import make_model
from helpers.models import MLP, CoordinateModel
from helpers.sweeps import fit_many
from helpers.train import fit, predict_image


pytestmark = pytest.mark.usefixtures("one_thread")


def odd_image(height=21, width=18):
    """Odd height, non-square: the four quarter grids all have different shapes."""
    generator = torch.Generator().manual_seed(0)
    return torch.rand(height, width, 3, generator=generator)


def last_frame_matches_model(result, height, width):
    step, frame = result.snapshots[-1]
    assert step == result.steps and frame.shape == (height, width, 3)
    expected = (predict_image(result.model, height, width).numpy() * 255 + 0.5).astype(np.uint8)
    assert np.abs(frame.astype(int) - expected.astype(int)).max() <= 1


@pytest.mark.parametrize("name", ["gauss", "siren", "relu"])
def test_snapshots_are_the_full_image_prediction(name):
    image = odd_image()
    result = fit(make_model(name, seed=0, hidden=32), image, steps=12, eval_every=4,
                 n_snapshots=4, progress=False)
    assert [s for s, _ in result.snapshots] == [0, 4, 8, 12]
    last_frame_matches_model(result, 21, 18)
    # the frame at step 0 is the untrained model
    untrained = make_model(name, seed=0, hidden=32)
    first = (predict_image(untrained, 21, 18).numpy() * 255 + 0.5).astype(np.uint8)
    assert np.abs(result.snapshots[0][1].astype(int) - first.astype(int)).max() <= 1


def test_snapshots_without_the_feature_cache_are_the_same(monkeypatch):
    image = odd_image()
    cached = fit(make_model("gauss", seed=0, hidden=32), image, steps=10, eval_every=5,
                 n_snapshots=3, progress=False)
    monkeypatch.setattr(train, "_FEATURE_CACHE_BYTES", 0)
    uncached = fit(make_model("gauss", seed=0, hidden=32), image, steps=10, eval_every=5,
                   n_snapshots=3, progress=False)
    for (_, a), (_, b) in zip(cached.snapshots, uncached.snapshots):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
    assert cached.history["test_psnr"] == uncached.history["test_psnr"]


def test_trainable_encoder_snapshots():
    torch.manual_seed(0)
    encoder = GaussianFourierFeatures(5.0, 16, trainable=True)
    model = CoordinateModel(encoder, MLP(encoder.out_dim, 3, hidden=32))
    result = fit(model, odd_image(), steps=8, eval_every=4, n_snapshots=2, progress=False)
    last_frame_matches_model(result, 21, 18)


def test_history_is_the_psnr_after_each_evaluated_step():
    """Against 02's plain loop that evaluates right after step s (and before step 1)."""
    image = odd_image(16, 16)
    result = fit(make_model("relu", seed=0, hidden=32), image, steps=9, lr=1e-2, eval_every=3,
                 n_snapshots=0, progress=False)
    model = make_model("relu", seed=0, hidden=32)
    split = train.split_pixels(image)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    with torch.no_grad():
        expected = [(train.psnr(model(split.train_coords), split.train_colors),
                     train.psnr(model(split.test_coords), split.test_colors))]
    for step in range(1, 10):
        loss = train.mse(model(split.train_coords), split.train_colors)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 3 == 0:
            with torch.no_grad():
                expected.append((train.psnr(model(split.train_coords), split.train_colors),
                                 train.psnr(model(split.test_coords), split.test_colors)))
    assert result.history["step"] == [0, 3, 6, 9]
    assert result.history["train_psnr"] == pytest.approx([e[0] for e in expected], abs=1e-4)
    assert result.history["test_psnr"] == pytest.approx([e[1] for e in expected], abs=1e-4)


def test_fit_many_snapshots_on_an_odd_image():
    image = odd_image()
    models = [make_model("gauss", seed=0, hidden=32, scale=s) for s in (2.0, 8.0)]
    results = fit_many(models, image, steps=10, eval_every=5, n_snapshots=3, progress=False)
    for result, scale in zip(results, (2.0, 8.0)):
        single = fit(make_model("gauss", seed=0, hidden=32, scale=scale), image, steps=10,
                     eval_every=5, n_snapshots=3, progress=False)
        assert [s for s, _ in result.snapshots] == [s for s, _ in single.snapshots]
        for (_, a), (_, b) in zip(result.snapshots, single.snapshots):
            assert np.abs(a.astype(int) - b.astype(int)).max() <= 1
        last_frame_matches_model(result, 21, 18)


def test_gaussian_activation_runs_with_flushed_subnormals():
    """exp(-x^2 / 2a^2) underflows to subnormals; fit flushes them (speed), values stay."""
    torch.set_flush_denormal(False)
    x = torch.tensor([1e-39, 1.0])
    assert (x * 1.0)[0] > 0.0
    result = fit(make_model("gaussian", seed=0, hidden=16), odd_image(8, 8), steps=3,
                 eval_every=3, n_snapshots=0, progress=False)
    assert np.isfinite(result.test_psnr)
    assert (x * 1.0)[0] == 0.0  # subnormal numbers are flushed on the CPU after fit
