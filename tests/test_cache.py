"""helpers.cache: keys that change with everything that changes a fit, replays, corrupt entries."""
from __future__ import annotations

import time
import warnings

import pytest
import torch

import helpers
from helpers import cache, settings


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("NB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_folder_from_nb_cache_or_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NB_CACHE", "0")
    assert cache.cache_dir() is None
    monkeypatch.setenv("NB_CACHE", str(tmp_path / "here"))
    assert cache.cache_dir() == tmp_path / "here"
    monkeypatch.delenv("NB_CACHE")
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "coordinate-mlps-live"


def test_the_key_changes_with_everything_that_changes_a_result(tiny_photo, monkeypatch):
    base = dict(method="gauss", options={"scale": 10.0}, seed=0, steps=5, lr=1e-3)
    key = cache.fit_key("run", tiny_photo, **base)
    assert cache.fit_key("run", tiny_photo.clone(), **base) == key  # same pixels, same key
    changed = [cache.fit_key("sweep", tiny_photo, **base),
               cache.fit_key("run", tiny_photo, **{**base, "method": "pe"}),
               cache.fit_key("run", tiny_photo, **{**base, "options": {"scale": 3.0}}),
               cache.fit_key("run", tiny_photo, **{**base, "seed": 1}),
               cache.fit_key("run", tiny_photo, **{**base, "steps": 6}),
               cache.fit_key("run", tiny_photo, **{**base, "lr": 2e-3}),
               cache.fit_key("run", tiny_photo, **base, device="meta")]
    pixels = tiny_photo.clone()
    pixels[3, 4, 0] += 1 / 255
    changed.append(cache.fit_key("run", pixels, **base))
    monkeypatch.setattr(settings, "BUDGET", settings.BUDGETS["full" if settings.BUDGET.name
                                                           != "full" else "cpu"])
    changed.append(cache.fit_key("run", tiny_photo, **base))
    monkeypatch.undo()
    monkeypatch.setattr(torch, "__version__", "0.0.1")
    changed.append(cache.fit_key("run", tiny_photo, **base))
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_SOURCE_HASH", "an edited helper")
    changed.append(cache.fit_key("run", tiny_photo, **base))
    assert len(set(changed)) == len(changed) and key not in changed


def _train_counter(image):
    calls = []

    def train(model):
        calls.append(1)
        return helpers.fit(model, image, steps=8, lr=1e-3, eval_every=4, n_snapshots=2,
                           progress=False)
    return train, calls


def test_a_rerun_replays_the_same_result_quickly(tiny_photo, cache_in):
    key = cache.fit_key("test", tiny_photo, method="gauss", steps=8)
    train, calls = _train_counter(tiny_photo)
    first = cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train)
    tick = time.perf_counter()
    again = cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train)
    replay_seconds = time.perf_counter() - tick
    assert calls == [1] and not first.replayed and again.replayed
    assert again.test_psnr == first.test_psnr and again.train_psnr == first.train_psnr
    assert torch.equal(again.prediction, first.prediction)
    assert repr(again.history) == repr(first.history) and again.steps == first.steps  # NaN-safe
    assert [s for s, _ in again.snapshots] == [s for s, _ in first.snapshots]
    for a, b in zip(again.model.parameters(), first.model.parameters()):
        assert torch.equal(a, b)  # the trained parameters, not a fresh model
    coords = helpers.make_grid(8, 8).reshape(-1, 2)
    assert torch.equal(helpers.predict(again.model, coords), helpers.predict(first.model, coords))
    assert replay_seconds < 0.5


def test_a_corrupt_entry_retrains_with_one_warning(tiny_photo, cache_in):
    key = cache.fit_key("test", tiny_photo, method="gauss", steps=8)
    train, calls = _train_counter(tiny_photo)
    cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train)
    entry = next(cache_in.rglob("*.pt"))
    entry.write_bytes(b"not a torch file")
    with pytest.warns(RuntimeWarning, match="could not be read") as caught:
        result = cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train)
    assert len(caught) == 1 and calls == [1, 1] and not result.replayed
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rewritten entry reads back without a warning
        assert cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train).replayed


def test_off_means_always_training(tiny_photo, monkeypatch, tmp_path):
    monkeypatch.setenv("NB_CACHE", "0")
    key = cache.fit_key("test", tiny_photo, method="gauss", steps=8)
    train, calls = _train_counter(tiny_photo)
    for _ in range(2):
        assert not cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train).replayed
    assert calls == [1, 1]


def test_an_unwritable_folder_only_warns(tiny_photo, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NB_CACHE", str(blocker))
    key = cache.fit_key("test", tiny_photo, method="gauss", steps=8)
    train, calls = _train_counter(tiny_photo)
    with pytest.warns(RuntimeWarning, match="could not write the result cache"):
        result = cache.cached_fit(key, helpers.make_model("gauss", scale=3.0), train)
    assert calls == [1] and result.test_psnr > 0


def test_helpers_run_replays_from_the_cache_and_reports_the_replay(tiny_photo, cache_in,
                                                                   monkeypatch):
    from helpers import train

    reported = []
    monkeypatch.setattr(train, "RECORDERS", [reported.append])
    first = helpers.run("gauss", tiny_photo, steps=6, scale=3.0, progress=False, n_snapshots=2)
    again = helpers.run("gauss", tiny_photo, steps=6, scale=3.0, progress=False, n_snapshots=2)
    other = helpers.run("gauss", tiny_photo, steps=6, scale=4.0, progress=False, n_snapshots=2)
    assert (first.replayed, again.replayed, other.replayed) == (False, True, False)
    assert again.test_psnr == first.test_psnr and again.val_psnr == first.val_psnr
    assert other.test_psnr != first.test_psnr
    assert len(reported) == 3  # run-notebooks' table lists the replay too
