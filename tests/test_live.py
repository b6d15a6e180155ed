"""helpers.live: one output area updated in place, a final frame, a bounded overhead."""
from __future__ import annotations

import time

import numpy as np
import pytest

from helpers import live


class FakeHandle:
    def __init__(self, shown):
        self.shown = shown

    def update(self, obj):
        self.shown.append(("update", obj.data))


@pytest.fixture
def shown(monkeypatch):
    """Every display/update_display call, as (kind, PNG bytes)."""
    import IPython.display

    calls = []

    def display(obj, display_id=False):
        calls.append(("display", obj.data))
        assert display_id is True
        return FakeHandle(calls)
    monkeypatch.setattr(IPython.display, "display", display)
    return calls


def test_frames_replace_each_other_in_one_output_area(shown):
    images = iter(np.linspace(0, 1, 50))
    view = live.LiveView(lambda: np.full((16, 16, 3), next(images)), steps=100,
                         inset=(0.2, 0.6, 0.2, 0.6), baseline={"bicubic": 22.0}, min_seconds=0)
    for step in range(0, 101, 25):
        view(step, {"train_psnr": 10 + step / 10, "test_psnr": 9 + step / 12})
    view.close()
    kinds = [kind for kind, _ in shown]
    assert kinds[0] == "display" and set(kinds[1:]) == {"update"}  # one area, updated
    assert all(png.startswith(b"\x89PNG") for _, png in shown)
    assert len({png for _, png in shown}) == len(shown)  # each frame shows the new state
    assert view.history["step"] == [0, 25, 50, 75, 100]
    assert view.history["test_psnr"][-1] == pytest.approx(9 + 100 / 12)


def test_the_throttle_keeps_drawing_under_a_tenth_of_the_run(shown, monkeypatch):
    view = live.LiveView(lambda: np.zeros((8, 8, 3)), steps=10_000, min_seconds=0)
    monkeypatch.setattr(view, "render", lambda image: (time.sleep(0.02), b"\x89PNG")[1])
    start = time.perf_counter()
    step = 0
    while time.perf_counter() - start < 1.5:  # a fast fit evaluating every millisecond
        step += 1
        view(step, {"train_psnr": 20.0, "test_psnr": 19.0})
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    assert 2 <= view.frames < step / 10
    assert view.draw_seconds <= 0.1 * elapsed + 0.05  # +1 frame: the first one is free


def test_min_seconds_means_first_and_final_frames_only_for_a_short_fit(shown):
    view = live.LiveView(lambda: np.zeros((8, 8, 3)), steps=50, min_seconds=3600)
    for step in range(0, 51, 10):
        view(step, {"train_psnr": 20.0 + step, "test_psnr": 19.0})
    assert view.frames == 1
    view.close()
    assert view.frames == 2 and [k for k, _ in shown] == ["display", "update"]


def test_off_on_the_command_line_and_with_nb_live_0(monkeypatch):
    assert live.in_notebook() is False  # pytest is not a Jupyter kernel
    assert live.live_default() is False
    monkeypatch.setattr(live, "in_notebook", lambda: True)
    assert live.live_default() is True
    monkeypatch.setenv("NB_LIVE", "0")
    assert live.live_default() is False


def test_fit_live_leaves_frames_in_one_area_and_is_off_by_default_here(shown, tiny_photo):
    import helpers

    result = helpers.fit(helpers.make_model("gauss", scale=3.0), tiny_photo, steps=20,
                         eval_every=5, progress=False, live=True, inset=(0.2, 0.6, 0.2, 0.6),
                         baseline={"bicubic": 20.0})
    kinds = [kind for kind, _ in shown]
    assert kinds[0] == "display" and kinds[1:] and set(kinds[1:]) == {"update"}
    assert result.test_psnr > 0
    shown.clear()
    helpers.run("gauss", tiny_photo, steps=10, scale=3.0)  # live=None outside a notebook
    assert shown == []


def test_a_replayed_fit_shows_the_frame_a_live_fit_ended_on(shown, tiny_photo, tmp_path,
                                                           monkeypatch):
    import helpers

    monkeypatch.setenv("NB_CACHE", str(tmp_path / "cache"))
    options = dict(steps=20, eval_every=5, scale=3.0, progress=False, live=True,
                   baseline={"bicubic": 20.0})
    first = helpers.run("gauss", tiny_photo, **options)
    assert not first.replayed and shown
    shown.clear()
    again = helpers.run("gauss", tiny_photo, **options)
    assert again.replayed and [kind for kind, _ in shown] == ["display"]  # one frame
    assert shown[0][1][:8] == b"\x89PNG\r\n\x1a\n"
    shown.clear()
    helpers.run("gauss", tiny_photo, **{**options, "live": False})  # asked for none
    assert shown == []


def test_a_sweeps_live_title_is_the_methods_label(monkeypatch, tiny_photo):
    """'Gaussian σ=10 ...' as the notebook writes it, not the keyword 'gauss scale=10.0'."""
    import helpers.train
    from helpers import sweeps

    titles = []

    class Recorder(live.LiveView):
        def __init__(self, *args, title="training", **kwargs):
            titles.append(title)
            super().__init__(*args, title=title, display=False, **kwargs)
    monkeypatch.setattr(helpers.train, "LiveView", Recorder)
    options = dict(steps=2, eval_every=2, n_snapshots=0, progress=False, live=True)
    sweeps.sweep("gauss", tiny_photo, "scale", [10.0, 0.31622776601683794], **options)
    sweeps.sweep("siren", tiny_photo, "omega0", [30.0], description="slider", **options)
    assert titles == ["Gaussian σ=10 (256) → MLP relu", "Gaussian σ=0.316 (256) → MLP relu",
                      "slider: SIREN ω0=30"]


@pytest.fixture
def bundles(monkeypatch):
    """Every raw display/update of a mimebundle, as (kind, bundle); anything else fails."""
    import IPython.display

    calls = []

    class Handle:
        def update(self, bundle, raw=False):
            assert raw and isinstance(bundle, dict)
            calls.append(("update", bundle))

    def display(bundle, raw=False, display_id=False):
        assert raw and isinstance(bundle, dict) and display_id is True, bundle
        calls.append(("display", bundle))
        return Handle()
    monkeypatch.setattr(IPython.display, "display", display)
    return calls


def test_the_progress_line_is_text_in_one_area_and_leaves_nothing(bundles):
    line = live.ProgressLine(150, "Gaussian σ=0.316 (256) → MLP relu", min_seconds=0)
    for _ in range(6):
        line.set_postfix_str("test_psnr 21.40")
        line.update(25)
    assert "150/150" in line.text and "test_psnr 21.40" in line.text
    line.close()
    line.close()  # twice is once
    kinds = [kind for kind, _ in bundles]
    assert kinds == ["display"] + ["update"] * 7
    texts = [bundle["text/plain"] for _, bundle in bundles[:-1]]
    assert all(set(bundle) == {"text/plain"} for _, bundle in bundles[:-1])
    assert texts[0].startswith("Gaussian σ=0.316 (256) → MLP relu:   0%") and "0/150" in texts[0]
    assert "100%" in texts[-1] and "150/150" in texts[-1] and "step/s" in texts[-1]
    assert bundles[-1] == ("update", {})  # closed: the output area is empty


def test_the_progress_line_redraws_at_most_every_min_seconds_and_at_the_end(bundles):
    line = live.ProgressLine(100, "fit", min_seconds=3600)
    for _ in range(10):
        line.update(10)
    assert [kind for kind, _ in bundles] == ["display", "update"]  # start and 100/100
    assert "100/100" in bundles[-1][1]["text/plain"]


def test_a_fit_in_a_notebook_shows_a_labelled_text_line_never_a_widget(bundles, monkeypatch,
                                                                        tiny_photo):
    """A widget bar would read "Error displaying widget: model not found" once the saved
    notebook is reopened; the line names the model by its label, not by raw floats."""
    from helpers import sweeps

    monkeypatch.setattr(live, "in_notebook", lambda: True)
    sweeps.sweep("gauss", tiny_photo, "scale", [0.31622776601683794], steps=4, eval_every=2,
                 n_snapshots=0, description="gauss")
    assert bundles and all(set(b) <= {"text/plain"} for _, b in bundles), bundles
    texts = [b["text/plain"] for _, b in bundles if b]
    assert texts[0].startswith("Gaussian σ=0.316 (256) → MLP relu: ")
    assert not any("0.3162277" in text for text in texts)
    assert "4/4" in texts[-1] and bundles[-1] == ("update", {})
