"""Interpolation everywhere a trained method goes: run, the command line, the table."""
import json
import math

import pytest

import helpers
from helpers.interpolate import interpolate
from helpers.methods import INTERPOLATIONS, METHODS, method_names

from conftest import run_cli


def test_run_bicubic_is_a_fit_result_with_no_training():
    image = helpers.load_image("photo", 64)
    result = helpers.run("bicubic", image, steps=999, lr=1.0, seed=5, n_snapshots=0)
    assert result.params == 0 and result.steps == 0 and math.isinf(result.train_psnr)
    assert result.prediction.shape == image.shape
    expected = helpers.psnr(interpolate(image)[1::2, 1::2], image[1::2, 1::2])
    assert result.test_psnr == pytest.approx(expected, abs=1e-4)
    assert math.isfinite(result.val_psnr) and result.seconds >= 0
    assert helpers.run("nearest", image).test_psnr < result.test_psnr


def test_interpolations_are_named_beside_the_methods_but_do_not_train():
    assert method_names() == [*METHODS, *INTERPOLATIONS]
    assert not set(INTERPOLATIONS) & set(METHODS)
    with pytest.raises(ValueError, match="has no option scale"):
        helpers.run("bicubic", helpers.load_image("photo", 32), scale=10)


def test_cli_fit_bicubic_json_is_valid_with_a_null_train_psnr():
    done = run_cli("fit", "--method", "bicubic", "--image", "photo", "--size", "32",
                   "--steps", "7", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    report = json.loads(line)  # strict JSON: no Infinity
    assert "Infinity" not in line and report["train_psnr"] is None
    assert report["method"] == "bicubic" and report["params"] == 0 and report["steps"] == 0
    image = helpers.load_image("photo", 32)
    expected = helpers.psnr(interpolate(image)[1::2, 1::2], image[1::2, 1::2])
    assert report["test_psnr"] == pytest.approx(expected, abs=1e-3)


def test_cli_lists_interpolations_among_the_choices():
    done = run_cli("fit", "--method", "cubic", "--size", "16")
    assert done.returncode == 2 and "bicubic" in done.stderr and "siren" in done.stderr


def test_table_over_the_bundled_text_set_has_a_bicubic_row():
    from helpers.data import image_set
    from helpers.tools.table import format_table, run_table

    report = run_table(None, size=16, steps=2, kind="text", device="cpu")
    assert report["images"] == [f"text_{k:02d}" for k in range(8)]
    entry = report["baselines"]["bicubic"]
    expected = [helpers.psnr(interpolate(image)[1::2, 1::2], image[1::2, 1::2])
                for image in image_set("text", 16).values()]
    assert entry["test_psnr"] == pytest.approx(expected, abs=1e-3)
    assert entry["test_psnr_std"] > 0
    json.dumps(report, allow_nan=False)  # strict JSON
    lines = format_table(report).splitlines()
    row = next(line for line in lines if line.startswith("bicubic"))
    assert f"{entry['test_psnr_mean']:.2f} ± {entry['test_psnr_std']:.2f}" in row
    paper = lines.index(next(line for line in lines if "paper's own 16 text images" in line))
    assert lines.index(row) < paper and "28.6" in lines[paper + 1]


def test_psnr_curves_draw_the_baseline_line():
    import matplotlib

    matplotlib.use("Agg")
    from helpers import plots

    image = helpers.load_image("photo", 32)
    bicubic = helpers.run("bicubic", image)
    fit = helpers.run("relu", image, steps=4, eval_every=2, n_snapshots=0, progress=False)
    fig = plots.psnr_curves({"relu": fit}, baseline=bicubic)
    flat = [line for line in fig.axes[0].get_lines() if len(set(line.get_ydata())) == 1
            and line.get_ydata()[0] == pytest.approx(bicubic.test_psnr)]
    assert flat and "bicubic" in flat[0].get_label()
    assert plots.baseline_values({"a": 1.0, "b": bicubic}) == {"a": 1.0, "b": bicubic.test_psnr}
    assert plots.baseline_values(None) == {} and plots.baseline_values(20.0) == {"bicubic": 20.0}


def test_retrain_panel_sweep_plot_shows_validation_and_the_baseline(monkeypatch):
    import ipywidgets
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers import widgets

    image = helpers.load_image("photo", 16)
    bicubic = helpers.run("bicubic", image)
    runs = {s: helpers.run("gauss", image, steps=2, scale=s, n_snapshots=0, progress=False)
            for s in (1.0, 10.0)}
    figures = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: figures.append(plt.gcf()))
    widgets.retrain_panel(ipywidgets.SelectionSlider(options=[1.0, 10.0], value=10.0),
                          lambda s: runs[s], target=image, precomputed=runs, name="σ",
                          baseline=bicubic)
    sweep_ax = figures[-1].axes[-1]
    labels = [line.get_label() for line in sweep_ax.get_lines()]
    assert "validation pixels" in labels and any(label.startswith("bicubic") for label in labels)
