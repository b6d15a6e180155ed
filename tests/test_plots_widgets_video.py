"""Tests of the shared figures, slider panels and training videos."""
import math

import imageio.v2 as imageio
import ipywidgets
import matplotlib
import numpy as np
import pytest
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import helpers  # noqa: E402
from helpers import plots, video, widgets  # noqa: E402
from helpers.train import FitResult  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures(monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def image():
    return helpers.load_image("photo", size=32)


@pytest.fixture(scope="module")
def result(image):
    return helpers.run("relu", image, steps=20, eval_every=5, n_snapshots=5, progress=False,
                       device="cpu")


def fake_result(value: float, steps: int = 10) -> FitResult:
    """A FitResult with a constant grey prediction whose PSNRs encode ``value``."""
    prediction = torch.full((16, 16, 3), 0.5)
    return FitResult(model=torch.nn.Linear(2, 3), train_psnr=20 + value, test_psnr=20 - value,
                     prediction=prediction, history={"step": [steps], "train_psnr": [20 + value],
                                                     "test_psnr": [20 - value], "seconds": [0.1]},
                     snapshots=[(0, np.zeros((16, 16, 3), np.uint8)),
                                (steps, np.full((16, 16, 3), 128, np.uint8))], steps=steps)


# --- plots ---------------------------------------------------------------------------

@pytest.mark.parametrize("level", [15, 20, 25, 30, 40])
def test_noise_hits_the_target_psnr(image, level):
    clean = plots.to_numpy(image)
    noisy = plots.add_noise_at_psnr(clean, level, seed=1)
    measured = -10 * math.log10(float(np.mean((noisy - clean) ** 2)))
    assert abs(measured - level) < 0.1
    assert noisy.min() >= 0 and noisy.max() <= 1


def test_noise_sigma_is_the_formula_when_nothing_clips():
    clean = np.full((64, 64, 3), 0.5, np.float32)  # 0.5 +- 5 sigma never leaves [0, 1]
    noisy = plots.add_noise_at_psnr(clean, 30, seed=0)
    assert np.std(noisy - clean) == pytest.approx(10 ** (-30 / 20), rel=0.01)


def test_psnr_strip_images_have_the_listed_psnrs(image):
    fig, noisy = plots.psnr_strip(image, levels=(15, 20, 25, 30))
    clean = plots.to_numpy(image)
    for level, picture in zip((15, 20, 25, 30), noisy):
        assert abs(-10 * math.log10(np.mean((picture - clean) ** 2)) - level) < 0.1
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["original", "15.0 dB", "20.0 dB", "25.0 dB", "30.0 dB"]


@pytest.mark.parametrize("axis", ["u", "v"])
def test_spectrum_of_a_sinusoid_peaks_at_its_frequency(axis):
    size, freq = 64, 5
    wave = 0.5 + 0.4 * np.cos(2 * np.pi * freq * np.arange(size) / size)
    img = np.tile(wave, (size, 1)) if axis == "u" else np.tile(wave[:, None], (1, size))
    spec = plots.spectrum(img)
    peak = np.unravel_index(np.argmax(spec), spec.shape)
    centre = size // 2
    expected = {(centre, centre + freq), (centre, centre - freq)} if axis == "u" \
        else {(centre + freq, centre), (centre - freq, centre)}
    assert tuple(int(i) for i in peak) in expected
    assert spec.shape == (size, size)


def test_radial_power_peaks_at_the_sinusoid_ring():
    size, freq = 64, 9
    x = np.arange(size)
    img = 0.5 + 0.4 * np.cos(2 * np.pi * freq * (x[None, :] + x[:, None]) / size)  # diagonal
    freqs, power = plots.radial_power(img)
    assert abs(freqs[np.argmax(power)] - freq * math.sqrt(2)) < 1.0


def test_spectrum_of_a_blurred_image_has_less_high_frequency(image):
    blurred = torch.nn.functional.avg_pool2d(image.permute(2, 0, 1)[None], 3, 1, 1)[0]
    _, sharp = plots.radial_power(image)
    _, soft = plots.radial_power(blurred.permute(1, 2, 0))
    assert soft[-4:].sum() < 0.5 * sharp[-4:].sum()


def test_compare_results_titles_and_insets(image, result):
    fig = plots.compare_results({"relu": result, "again": result}, image, inset=(0.2, 0.5, 0.3, 0.6))
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0] == "target"
    assert f"test {result.test_psnr:.1f} dB" in titles[1] and "relu" in titles[1]
    main_axes = [ax for ax in fig.axes if ax.get_title()]
    assert all(len(ax.child_axes) == 1 for ax in main_axes)  # the same zoom on every panel


def test_inset_accepts_fractions_and_pixels():
    assert plots._inset_pixels((0.25, 0.5, 0.0, 1.0), 64, 32) == (16, 32, 0, 32)
    assert plots._inset_pixels((10, 20, 5, 15), 64, 64) == (10, 20, 5, 15)


def test_psnr_curves_train_dashed_test_solid(result):
    fig = plots.psnr_curves({"relu": result, "pe": result}, x="seconds")
    lines = fig.axes[0].get_lines()
    assert [line.get_linestyle() for line in lines] == ["-", "--", "-", "--"]
    assert list(lines[0].get_xdata()) == result.history["seconds"]
    assert fig.axes[0].get_xlabel() == "wall-clock seconds"
    with pytest.raises(ValueError, match="'step' or 'seconds'"):
        plots.psnr_curves({"relu": result}, x="epoch")


def test_show_images_and_spectra_make_one_panel_each(image):
    fig = plots.show_images([image, image[..., 0]], ["rgb", "one channel"], colorbar=True)
    assert [ax.get_title() for ax in fig.axes[:2]] == ["rgb", "one channel"]
    fig = plots.show_spectra({"a": image, "b": image * 0.5})
    images = [ax.get_images()[0] for ax in fig.axes if ax.get_images()]
    assert len(images) == 2 and images[0].get_clim() == images[1].get_clim()  # shared scale


def test_snapshot_psnrs_exact_with_target(image, result):
    exact = plots.snapshot_psnrs(result, image)
    assert len(exact) == len(result.snapshots)
    last = exact[-1]
    assert last[1] == pytest.approx(result.test_psnr, abs=0.05)  # 8-bit rounding only
    assert last[0] == pytest.approx(result.train_psnr, abs=0.05)
    recorded = plots.snapshot_psnrs(result)  # snapshots are taken at evaluation steps
    assert recorded[0] == (result.history["train_psnr"][0], result.history["test_psnr"][0])
    assert recorded[-1] == (result.history["train_psnr"][-1], result.history["test_psnr"][-1])
    assert recorded[-1][1] == pytest.approx(exact[-1][1], abs=0.05)
    result.history["step"][0] = -1  # a step with no record: no PSNR rather than a wrong one
    try:
        assert plots.snapshot_psnrs(result)[0] is None
    finally:
        result.history["step"][0] = 0


def test_method_colours_are_stable_and_variants_distinct():
    assert plots.method_color("pe L=5") == plots.method_color("pe") != plots.method_color("relu")
    colors = plots.assign_colors(["relu", "pe L=5", "pe L=10", "gauss 10", "gauss 100"])
    assert colors["relu"] == plots.method_color("relu") and colors["pe L=5"] == plots.method_color("pe")
    assert len(set(colors.values())) == 5


# --- widgets -------------------------------------------------------------------------

def test_scrubber_slider_spans_the_snapshots_and_reads_their_steps(result, image):
    scrubber = widgets.snapshot_scrubber(result, image)
    slider = scrubber.children[0]
    steps = [step for step, _ in result.snapshots]
    assert steps[-1] == 20 and len(steps) == 5
    assert slider.description == "step"
    assert list(slider.options) == [(str(s), i) for i, s in enumerate(steps)]
    assert slider.value == len(steps) - 1 and slider.label == "20"  # the readout: a step
    assert slider.continuous_update is False
    slider.value = 0  # redraws without error
    assert slider.label == str(steps[0])


def test_scrubber_without_snapshots_says_what_to_do(result):
    empty = fake_result(0.0)
    empty.snapshots = []
    with pytest.raises(ValueError, match="n_snapshots"):
        widgets.snapshot_scrubber(empty)


def test_retrain_panel_caches_and_uses_precomputed():
    calls = []

    def train(value):
        calls.append(value)
        return fake_result(value)

    knob = ipywidgets.IntSlider(value=2, min=1, max=5, continuous_update=True)
    panel = widgets.retrain_panel(knob, train, target=np.zeros((16, 16, 3)),
                                  precomputed={2: fake_result(2)})
    assert calls == [] and knob.continuous_update is False  # rendered from the cache
    knob.value = 3
    knob.value = 2
    knob.value = 3
    assert calls == [3]  # each value trained once
    assert set(panel.cache) == {2, 3}


def test_retrain_panel_shows_a_sentence_instead_of_crashing():
    def train(value):
        raise ValueError(f"n_freqs must be >= 1, got {value}.")

    knob = ipywidgets.IntSlider(value=0, min=0, max=3)
    panel = widgets.retrain_panel(knob, train)  # must not raise
    knob.value = 1
    printed = "".join(o.get("text", "") for o in panel.output.outputs)  # in the panel
    assert "Could not train with value = 1: n_freqs must be >= 1, got 1." in printed
    assert panel.cache == {}


def test_log_slider_values_hit_the_precomputed_cache():
    calls = []
    values = widgets.log_values(1, 100, per_decade=2)
    assert values[0] == 1 and values[-1] == pytest.approx(100) and len(values) == 5
    knob = ipywidgets.FloatLogSlider(value=10, base=10, min=0, max=2, step=0.5)
    panel = widgets.retrain_panel(knob, lambda v: calls.append(v) or fake_result(v),
                                  precomputed={v: fake_result(v) for v in values})
    knob.value = 10 ** 0.5 * (1 + 1e-12)  # what a browser may send back
    assert calls == [] and len(panel.cache) == 5


# --- the multi-knob slider panel of notebooks 04 and 06 (helpers.widgets) --------------

def test_multi_knob_panel_caches_by_tuple_and_trains_only_new_values():
    import types

    import ipywidgets

    from helpers.widgets import retrain_panel_multi

    calls = []

    def train(sigma, features):
        calls.append((sigma, features))
        return types.SimpleNamespace(train_psnr=20 + sigma, test_psnr=15.0, diverged=False,
                                     prediction=torch.rand(8, 8, 3))

    sigma = ipywidgets.FloatLogSlider(value=10, min=-1, max=2.5, step=0.25, description="σ")
    features = ipywidgets.SelectionSlider(options=[16, 256], value=256, description="features")
    precomputed = {(1.0, 256): train(1.0, 256), (10.0, 256): train(10.0, 256)}
    calls.clear()
    panel = retrain_panel_multi([sigma, features], train, target=torch.rand(8, 8, 3),
                                precomputed=precomputed)
    assert calls == []  # the initial value was precomputed
    assert sigma.continuous_update is False and features.continuous_update is False
    sigma.value = 10 ** 0.5
    features.value = 16
    sigma.value = 10 ** 0.5 * (1 + 1e-12)  # a browser's rounding of the same position
    assert calls == [(10 ** 0.5, 256), (10 ** 0.5, 16)]
    assert len(panel.cache) == 4


def test_multi_knob_panel_reports_a_training_error_in_one_sentence():
    import ipywidgets

    from helpers.widgets import retrain_panel_multi

    def train(a, name):
        raise ValueError("activation parameter a must be a positive number, got 0.")

    a = ipywidgets.FloatSlider(value=0.0, description="a")
    name = ipywidgets.Dropdown(options=["gaussian"], value="gaussian", description="activation")
    panel = retrain_panel_multi([a, name], train)  # renders now: must not raise
    shown = "".join(o.get("text", "") for o in panel.output.outputs)  # what the panel shows
    assert "Could not train with (a, activation) = (0, gaussian)" in shown
    assert "positive number" in shown and "Traceback" not in shown


def test_knob_group_holding_changes_several_knobs_with_one_retrain():
    import types

    import ipywidgets

    from helpers.widgets import retrain_panel_multi

    calls = []

    def train(name, a):
        calls.append((name, a))
        return types.SimpleNamespace(train_psnr=20.0, test_psnr=15.0, diverged=False,
                                     prediction=torch.rand(8, 8, 3))

    name = ipywidgets.Dropdown(options=["gaussian", "quadratic"], value="gaussian",
                               description="activation")
    a = ipywidgets.FloatLogSlider(value=0.1, min=-3, max=3, description="a")
    panel = retrain_panel_multi([name, a], train, sweep_index=1)
    with panel.knob.holding():
        name.value = "quadratic"
        a.value = 10.0
    assert calls == [("gaussian", 0.1), ("quadratic", 10.0)]


# --- video ---------------------------------------------------------------------------

def test_video_is_written_with_one_frame_per_snapshot(result, image, tmp_path):
    path = video.training_video(result, tmp_path / "run.mp4", target=image, label="relu",
                                display=False)
    assert path.suffix == ".mp4" and path.stat().st_size > 1000
    reader = imageio.get_reader(path)
    assert reader.count_frames() == len(result.snapshots)
    reader.close()


def test_video_falls_back_to_gif(result, tmp_path, monkeypatch):
    def no_ffmpeg(*args, **kwargs):
        raise ImportError("no ffmpeg")

    monkeypatch.setattr(video, "_write_mp4", no_ffmpeg)
    with pytest.warns(UserWarning, match="GIF"):
        path = video.training_video(result, tmp_path / "run.mp4", display=False)
    assert path.suffix == ".gif" and path.stat().st_size > 0
    assert len(imageio.mimread(path)) == len(result.snapshots)


def test_frames_carry_text_and_codec_friendly_sizes(result, image):
    frames = video.render_frames(result, target=image, label="relu")
    assert len(frames) == len(result.snapshots)
    for frame in frames:
        assert frame.dtype == np.uint8 and frame.shape[0] % 16 == 0 and frame.shape[1] % 16 == 0
        assert frame.shape[1] >= video.MIN_WIDTH
        banner = frame[:video.BANNER]
        assert (banner > 200).any() and (banner < 50).mean() > 0.5  # white text on black
    # the picture below the banner is the snapshot, enlarged by an integer factor
    scale = frames[-1].shape[1] // image.shape[1]
    below = frames[-1][video.BANNER:video.BANNER + image.shape[0] * scale:scale, ::scale]
    assert np.array_equal(below[:, :image.shape[1]], result.snapshots[-1][1])


# --- the sweep panel's log axis (issue 22: colliding log ticks) -----------------------

def test_sweep_panel_log_axis_labels_the_values_tried_without_overlap():
    values = widgets.log_values(1, 10 ** 1.75, per_decade=4)  # under 2 decades: 1, 1.78, ... 56.2
    assert len(values) == 8
    knob = ipywidgets.FloatLogSlider(value=10, base=10, min=0, max=1.75, step=0.25, description="σ")
    widgets.retrain_panel(knob, lambda v: fake_result(v), precomputed={v: fake_result(v) for v in values},
                          show_spectrum=False, size=2.2)  # narrow: labelling all 8 made 6 overlaps
    sweep = plt.gcf().axes[-1]
    assert sweep.get_xscale() == "log" and sweep.get_xlabel() == "σ" and sweep.get_ylabel() == "PSNR (dB)"
    plt.gcf().canvas.draw()
    renderer = plt.gcf().canvas.get_renderer()
    labels = [t for t in sweep.xaxis.get_ticklabels() + sweep.xaxis.get_ticklabels(minor=True)
              if t.get_text() and 1 <= t.get_position()[0] <= 100]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert len(labels) >= 3 and {t.get_text() for t in labels} <= {f"{v:.3g}" for v in values}
    assert not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def test_panel_prints_exact_for_a_perfect_fit():
    knob = ipywidgets.IntSlider(value=1, min=0, max=2)
    perfect = fake_result(0.0)
    perfect.test_psnr = math.inf
    panel = widgets.retrain_panel(knob, lambda v: perfect, precomputed={1: perfect})
    out = "".join(o.get("text", "") for o in panel.output.outputs)
    assert "test exact (precomputed)" in out and "cache" not in out
