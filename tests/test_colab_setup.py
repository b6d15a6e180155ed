"""Colab: every notebook starts with the one set-up cell, and that cell really installs the
helpers when ``google.colab`` is loaded (faked here, with the repository URL pointed at
this repository) and does nothing anywhere else. Nothing else in a notebook mentions Colab.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

import colab_cell as colab
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_the_url_lives_in_pyproject():
    url = PYPROJECT["project"]["urls"]["Repository"]
    assert colab.REPO_URL == url
    assert f'REPO_URL = "{url}"' in colab.SETUP_CELL
    assert url.replace("https://github.com/", "") in colab.colab_badge("01_dataset")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_with_the_setup_cell_and_the_badge(path):
    cells = code_cells(path)
    assert cells and cells[0].source.strip() == colab.SETUP_CELL.strip(), (
        f"{path.name}: the first code cell must be exactly tests/colab_cell.py's SETUP_CELL")
    urls = re.findall(r'REPO_URL = "([^"]+)"', cells[0].source)
    assert urls == [PYPROJECT["project"]["urls"]["Repository"]]
    markdown = [c.source for c in nbformat.read(path, as_version=4).cells
                if c.cell_type == "markdown"]
    assert any(colab.colab_badge(path.stem) in text for text in markdown[:3]), (
        f"{path.name}: put colab_cell.colab_badge({path.stem!r}) near the top")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nothing_else_differs_on_colab(path):
    for cell in code_cells(path)[1:]:
        assert "colab" not in cell.source.lower(), (
            f"{path.name}: only the set-up cell may depend on Colab:\n{cell.source[:200]}")


def test_setup_cell_does_nothing_outside_colab():
    script = ("import subprocess, sys\n"
              "subprocess.run = lambda *a, **k: sys.exit('the set-up cell ran a command')\n"
              "before = list(sys.path)\n"
              f"exec({colab.SETUP_CELL!r})\n"
              "assert sys.path == before and 'google.colab' not in sys.modules\n"
              "print('nothing done')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "nothing done", done.stderr


def see_this_environment(python):
    """Let the fake Colab's Python import what this test's environment has (as Colab's
    Python has torch and matplotlib preinstalled), through a ``.pth`` file in its
    site-packages. ``--system-site-packages`` alone is not enough: run from a venv (as CI
    does), the new venv sees the base Python's packages, not this venv's, and pip, offline,
    then finds no matplotlib. This environment's setuptools must build an editable install
    offline and without build isolation (>= 70.1, or older with the wheel package)."""
    import importlib.util
    import site

    import setuptools

    modern = tuple(int(x) for x in setuptools.__version__.split(".")[:2]) >= (70, 1)
    if not (modern or importlib.util.find_spec("wheel")):
        pytest.fail(f"setuptools {setuptools.__version__} without the wheel package cannot "
                    "build an editable install offline; run pip install 'setuptools>=70.1'.")
    ask = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    folder = subprocess.run([str(python), "-c", ask], capture_output=True, text=True,
                            check=True, timeout=60).stdout.strip()
    paths = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(folder) / "this-environment.pth").write_text("\n".join(paths) + "\n")


def test_setup_cell_installs_the_helpers_on_a_fake_colab(tmp_path):
    """A fresh virtual environment (seeing the system's torch, so nothing big is fetched),
    a fake ``google.colab`` already imported as on Colab, the URL pointed at this
    repository, a fresh HOME: the set-up cell clones, installs, says how to get a GPU (there
    is none here), and ``import helpers`` then loads the clone's helpers and bundled images,
    in this process and the next."""
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                      capture_output=True).returncode != 0:
        pytest.fail(f"{ROOT} is not a git repository, so there is nothing to clone; "
                    "run the tests in a git checkout.")
    stub = tmp_path / "stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub.parent / "__init__.py").write_text("")
    (stub / "__init__.py").write_text('"""A stand-in for Colab\'s module."""\n')
    home = tmp_path / "home"
    home.mkdir()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    see_this_environment(python)
    cell = colab.SETUP_CELL.replace(colab.REPO_URL, f"file://{ROOT}")
    assert cell.count(f"file://{ROOT}") == 1  # only the URL differs from the real cell
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL"))},
           "HOME": str(home), "PYTHONPATH": str(tmp_path / "stub"),
           # offline-safe: nothing may be downloaded (torch above all), build with the
           # setuptools the environment already has
           "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    clone = home / "coordinate-mlps-live"
    check = ("import helpers, torch\n"
             f"assert helpers.__file__.startswith({str(clone)!r}), helpers.__file__\n"
             "image = helpers.load_image('photo', size=16)\n"
             "assert image.shape == (16, 16, 3)\n"
             f"assert str(helpers.data.DATA_DIR).startswith({str(clone)!r})\n"
             "print('helpers from', helpers.__file__)\n")
    script = f"import google.colab\nexec({cell!r})\nexec({cell!r})  # a re-run cell\n{check}"
    done = subprocess.run([str(python), "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (clone / "data" / "photo.png").is_file()
    assert f"helpers from {clone}" in done.stdout
    # no GPU here, as on Colab's default runtime: how to get one, and the budget otherwise
    tip = [line for line in done.stdout.splitlines() if line.startswith("No GPU: the ")]
    assert len(tip) == 2, done.stdout  # the cell ran twice
    assert "budget (" in tip[0] and "Runtime → Change runtime type → a GPU" in tip[0]
    assert "Restart and run all" in tip[0] and "`%env NB_BUDGET=smoke`" in done.stdout
    again = subprocess.run([str(python), "-c", check], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=200)
    assert again.returncode == 0, again.stderr  # installed, not just on this process's path
    site = subprocess.run([str(python), "-c", "import torch; print(torch.__file__)"], env=env,
                          capture_output=True, text=True, timeout=120).stdout
    assert str(venv) not in site  # torch came from the system, never downloaded
