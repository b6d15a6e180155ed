"""``python -m helpers run-notebooks``: executed copies, one HTML page, a failing cell named."""
from __future__ import annotations

import json

import nbformat
import pytest
import torch

import helpers
from helpers.tools import run_notebooks
from helpers.methods import make_model

from conftest import run_cli

V4 = nbformat.v4


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Two tiny notebooks (the second fails at its 4th cell), run through the CLI once."""
    folder = tmp_path_factory.mktemp("series")
    nbformat.write(V4.new_notebook(cells=[
        V4.new_markdown_cell("# Tiny one: a fit and a figure"),
        V4.new_code_cell("import os, helpers, ipywidgets, matplotlib.pyplot as plt\n"
                         "print('smoke', os.environ.get('NB_SMOKE'))\n"
                         "image = helpers.load_image('photo', size=16)\n"
                         "result = helpers.run('gauss', image, steps=5, scale=3, progress=False,"
                         " n_snapshots=0)"),
        V4.new_code_cell("plt.imshow(result.prediction)\nplt.title('reconstruction')\nplt.show()"),
        V4.new_code_cell("from helpers import widgets\n"
                         "widgets.retrain_panel(ipywidgets.IntSlider(value=2, min=1, max=3),"
                         " lambda L: helpers.run('pe', image, steps=3, n_freqs=L, progress=False,"
                         " n_snapshots=0), target=image, name='L')"),
    ]), folder / "01_tiny.ipynb")
    nbformat.write(V4.new_notebook(cells=[
        V4.new_markdown_cell("# Tiny two: fails"),
        V4.new_code_cell("x = 1"),
        V4.new_markdown_cell("Next, a typo."),
        V4.new_code_cell("# the learner's typo\nhelpres.fit(x)"),
        V4.new_code_cell("print('never reached')"),
    ]), folder / "02_broken.ipynb")
    out = tmp_path_factory.mktemp("rendered")
    done = run_cli("run-notebooks", str(folder), "--out", str(out), "--smoke", "--timeout", "300",
                   env={"OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"})
    return folder, out, done


def test_exit_code_names_the_notebook_and_cell_that_failed(rendered):
    _, _, done = rendered
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: 02_broken.ipynb failed at cell 4 (`helpres.fit(x)`): NameError: "
                      "name 'helpres' is not defined"]
    assert "Traceback" not in done.stderr
    assert "cell/s" in done.stderr or "cell]" in done.stderr  # the tqdm progress bar
    # the plan comes first: what runs, and no time for notebooks never measured
    assert done.stderr.splitlines()[0].startswith(
        "run-notebooks: 2 notebook(s), 6 code cells, smoke budget, into "), done.stderr
    assert done.stderr.splitlines()[0].endswith("; no measured time for these"), done.stderr


def test_executed_copies_keep_outputs_and_panels(rendered):
    folder, out, _ = rendered
    tiny = nbformat.read(out / "01_tiny.ipynb", as_version=4)
    assert len(tiny.cells) == 4  # the hidden recording cell is not saved
    assert "smoke 1" in tiny.cells[1].outputs[0]["text"]  # --smoke reached the kernel
    assert any("image/png" in o.get("data", {}) for o in tiny.cells[2].outputs)
    assert "application/vnd.jupyter.widget-state+json" in tiny.metadata.get("widgets", {})
    broken = nbformat.read(out / "02_broken.ipynb", as_version=4)
    assert broken.cells[3].outputs[-1]["ename"] == "NameError"
    assert broken.cells[4].get("outputs") == []
    source = nbformat.read(folder / "01_tiny.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in source.cells if c.cell_type == "code")  # untouched


def test_html_page_has_figures_results_and_times(rendered):
    _, out, _ = rendered
    page = (out / "index.html").read_text()
    assert page.count("data:image/png;base64,") == 2  # the figure and the panel's first render
    assert "Tiny one: a fit and a figure" in page and "budget: smoke" in page
    assert "Gaussian σ=3 (256) → MLP relu" in page and "PE L=2 → MLP relu" in page
    assert "02_broken.ipynb failed at cell 4" in page
    results = json.loads((out / "results.json").read_text())
    first, second = results["notebooks"]
    assert first["error"] is None and first["seconds"] > 0 and first["figures"] == 2
    assert [fit["cell"] for fit in first["fits"]] == [2, 4]
    assert first["fits"][0]["steps"] == 5 and first["fits"][0]["size"] == [16, 16]
    assert 5 < first["fits"][0]["test_psnr"] < 60
    assert second["error"].startswith("02_broken.ipynb failed at cell 4")
    assert results["environment"]["environment"].startswith("budget: smoke")


def test_record_fits_logs_every_fit_result(tmp_path):
    """Through the documented hook helpers.train.RECORDERS, registered once per process."""
    before = list(helpers.train.RECORDERS)
    log = tmp_path / "fits.jsonl"
    run_notebooks.record_fits(str(log))
    run_notebooks.record_fits(str(log))  # twice in one kernel: still one line per fit
    try:
        helpers.run("siren", helpers.load_image("photo", size=16), steps=2, progress=False,
                    n_snapshots=0)
    finally:
        helpers.train.RECORDERS[:] = before
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [("environment" in line) for line in lines] == [True, True, False]
    assert lines[-1]["model"] == "SIREN ω0=30" and lines[-1]["steps"] == 2
    assert 0 < lines[-1]["val_psnr"] < 60
    assert len(helpers.train.RECORDERS) == len(before)  # restored


@pytest.mark.parametrize("name, knobs, expected", [
    ("relu", {}, "MLP relu"), ("basic", {}, "basic → MLP relu"),
    ("pe", {"n_freqs": 5}, "PE L=5 → MLP relu"),
    ("gauss", {"scale": 10}, "Gaussian σ=10 (256) → MLP relu"),
    ("siren", {"omega0": 30}, "SIREN ω0=30"), ("gaussian", {"a": 0.1}, "MLP gaussian, a=0.1"),
    ("supergaussian", {}, "MLP supergaussian, a=0.1, b=2"), ("wire", {}, "WIRE ω0=8, s0=6"),
    ("finer", {}, "FINER ω0=30"), ("gabor", {"image_size": 64}, "Gabor MFN scale=32"),
    ("hashgrid", {"image_size": 128}, "hash grid 2^15 → MLP relu"),
])
def test_models_are_described_by_their_knob(name, knobs, expected):
    assert run_notebooks.describe_model(make_model(name, **knobs)) == expected


def test_a_plain_network_is_described_by_its_class():
    assert run_notebooks.describe_model(torch.nn.Sequential(torch.nn.Linear(2, 3))) == "Sequential"
    by_hand = helpers.CoordinateModel(helpers.PositionalEncoding(3), helpers.MLP(12, 3))
    assert run_notebooks.describe_model(by_hand) == "PositionalEncoding → MLP"


def test_default_is_the_series_and_bad_paths_are_one_sentence(tmp_path):
    assert all(p.parent == run_notebooks.NOTEBOOKS_DIR for p in run_notebooks.find_notebooks())
    with pytest.raises(FileNotFoundError, match="no .ipynb files"):
        run_notebooks.find_notebooks([str(tmp_path)])
    done = run_cli("run-notebooks", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {str(tmp_path / 'nope.ipynb')!r} is neither a notebook nor a folder of "
        "notebooks; give .ipynb files or a folder such as notebooks/."]


def test_the_plan_gives_the_measured_time_of_the_series(tmp_path):
    series = run_notebooks.find_notebooks()
    assert [p.stem for p in series] == list(run_notebooks.MEASURED_SECONDS["cpu"])
    line = run_notebooks.plan(series, "cpu", tmp_path, 300)
    total = sum(run_notebooks.MEASURED_SECONDS["cpu"].values())
    assert line.endswith(f"; about {total / 3600:.1f} h on a 2-core CPU with the cache empty")
    line = run_notebooks.plan(series[:2] + [tmp_path / "99_mine.ipynb"], "smoke", tmp_path, 9)
    assert line.endswith("; about 21 s on a 2-core CPU with the cache empty, plus 1 "
                         "notebook(s) never timed")
    assert run_notebooks.plan(series, "full", tmp_path, 300).endswith(
        "no measured time for these (the full budget is unmeasured)")


def test_the_page_tells_the_best_network_from_bicubic(tmp_path):
    bicubic = helpers.run("bicubic", helpers.load_image("photo", size=16))
    assert run_notebooks.describe_model(bicubic.model) == "bicubic interpolation (no training)"
    fits = [{"model": "MLP relu", "steps": 5, "test_psnr": 18.5},
            {"model": "bicubic interpolation (no training)", "steps": 0, "test_psnr": 23.62},
            {"model": "SIREN ω0=30", "steps": 5, "test_psnr": 21.25}]
    assert run_notebooks.best_psnrs(fits) == (21.25, "bicubic 23.62")
    assert run_notebooks.best_psnrs(fits[1:2]) == (None, "bicubic 23.62")
    run = run_notebooks.NotebookRun(name="01_x.ipynb", seconds=1.0, fits=[
        {**fit, "cell": 1, "size": [16, 16], "params": 1, "lr": 1e-3, "train_psnr": 30.0,
         "seconds": 0.1, "diverged": False} for fit in fits])
    run_notebooks.write_html([run], tmp_path / "index.html", "header")
    page = (tmp_path / "index.html").read_text()
    assert "best test PSNR" not in page
    assert "<th>best network: test PSNR (dB)</th>" in page
    assert "<td>21.25</td><td class='l'>bicubic 23.62</td>" in page
