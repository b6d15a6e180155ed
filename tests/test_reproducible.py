"""The same seed gives the same PSNRs on the CPU: across runs, across processes, and in
notebooks that seed everything they draw (so a re-run cell shows what the lesson says).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import torch

import helpers
from helpers.methods import make_model, run

from conftest import ROOT, run_cli

METHODS = ["relu", "pe", "gauss", "siren", "gaussian"]


def fit_once(method: str, seed: int):
    image = helpers.load_image("photo", size=16)
    return run(method, image, steps=15, eval_every=5, seed=seed, progress=False, n_snapshots=2,
               device="cpu")


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_run(method):
    torch.manual_seed(1234)  # whatever the global RNG held before must not matter
    first = fit_once(method, seed=7)
    torch.rand(100)
    second = fit_once(method, seed=7)
    assert first.train_psnr == pytest.approx(second.train_psnr, abs=1e-5)
    assert first.test_psnr == pytest.approx(second.test_psnr, abs=1e-5)
    assert first.history["test_psnr"] == pytest.approx(second.history["test_psnr"], abs=1e-5)
    assert torch.equal(first.prediction, second.prediction)
    for (step_a, frame_a), (step_b, frame_b) in zip(first.snapshots, second.snapshots):
        assert step_a == step_b and (frame_a == frame_b).all()


@pytest.mark.parametrize("method", ["relu", "gauss", "siren"])
def test_another_seed_another_run(method):
    assert fit_once(method, 0).test_psnr != pytest.approx(fit_once(method, 1).test_psnr, abs=1e-5)


def test_batched_fits_are_reproducible_too():
    from helpers.sweeps import fit_many

    image = helpers.load_image("photo", size=16)
    runs = [fit_many([make_model("gauss", scale=s) for s in (1, 10)], image, steps=15,
                     n_snapshots=0, progress=False) for _ in range(2)]
    for first, second in zip(*runs):
        assert first.test_psnr == pytest.approx(second.test_psnr, abs=1e-5)
        assert torch.equal(first.prediction, second.prediction)


def test_models_and_features_are_seeded():
    torch.manual_seed(99)
    a = make_model("gauss", seed=3)
    torch.manual_seed(5)
    b = make_model("gauss", seed=3)
    for (name, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(x, y), name
    assert not torch.equal(a.encoder.B, make_model("gauss", seed=4).encoder.B)


SCRIPT = """
import json, helpers
image = helpers.load_image("photo", size=16)
out = {}
for method in %r:
    r = helpers.run(method, image, steps=15, eval_every=5, seed=7, progress=False,
                    n_snapshots=2, device="cpu")
    out[method] = [r.train_psnr, r.test_psnr]
print(json.dumps(out))
"""


def test_same_psnrs_in_another_process():
    here = {m: fit_once(m, seed=7) for m in METHODS}
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", SCRIPT % METHODS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    there = json.loads(done.stdout.strip().splitlines()[-1])
    for method in METHODS:
        assert there[method][0] == pytest.approx(here[method].train_psnr, abs=1e-5), method
        assert there[method][1] == pytest.approx(here[method].test_psnr, abs=1e-5), method


def test_cli_twice_gives_the_same_report():
    args = ("fit", "--method", "gauss", "--size", "16", "--steps", "15", "--seed", "3",
            "--device", "cpu", "--json")
    reports = []
    for hash_seed in ("1", "2"):  # different processes, different hash seeds
        done = run_cli(*args, env={"PYTHONHASHSEED": hash_seed})
        assert done.returncode == 0, done.stderr
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for key in ("train_psnr", "test_psnr", "params", "steps", "lr", "seed"):
        assert reports[0][key] == reports[1][key], key


# --- notebooks seed what they draw -----------------------------------------------------------

DRAW = re.compile(r"\b(torch\.(rand|randn|randint|randperm|rand_like|randn_like|normal|"
                  r"bernoulli|multinomial)\(|np\.random\.(?!default_rng|seed)\w+\(|"
                  r"random\.(random|randint|choice|shuffle|uniform|gauss)\(|"
                  r"(MLP|Siren|SineLayer|nn\.Linear)\()")  # new layers draw their weights
SEED = re.compile(r"manual_seed\(|np\.random\.seed\(|default_rng\(\s*\w|generator\s*=|seed\s*=")


def notebook_cells():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                yield path.name, index, cell.source


def test_every_notebook_cell_that_draws_random_numbers_seeds_them():
    """A cell re-run on its own must draw the same numbers, so each drawing cell seeds
    (``torch.manual_seed``, a seeded generator, ``default_rng(seed)`` or ``seed=``)."""
    unseeded = [f"{name} cell {index}: {DRAW.search(source).group(0)}"
                for name, index, source in notebook_cells()
                if DRAW.search(source) and not SEED.search(source)]
    assert not unseeded, "these cells draw random numbers without a seed: " + "; ".join(unseeded)
