"""Every notebook is a jupytext pair, in sync, with outputs stripped."""
import json

import jupytext
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_paired_stripped_and_in_sync(path):
    pair = path.with_suffix(".py")
    assert pair.exists(), f"{path.name} has no paired {pair.name}; run jupytext --sync"
    raw = json.loads(path.read_text())
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, \
                f"{path.name} has stored outputs; strip them"
    from_py = jupytext.read(pair)
    from_ipynb = jupytext.read(path)
    cells_py = [(c.cell_type, c.source.strip()) for c in from_py.cells]
    cells_nb = [(c.cell_type, c.source.strip()) for c in from_ipynb.cells]
    assert cells_py == cells_nb, f"{path.name} and {pair.name} differ; run jupytext --sync"


RETURNS_A_PATH = {"training_video", "race_video"}  # helpers.video: they return the file's Path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_shows_a_path_object(path):
    """A cell ending in a call that returns a Path shows ``PosixPath('...')``: print it."""
    import ast

    for cell in jupytext.read(path.with_suffix(".py")).cells:
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        body = ast.parse("\n".join(lines)).body
        last = body[-1] if body else None
        if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
            function = last.value.func
            name = getattr(function, "attr", getattr(function, "id", ""))
            assert name not in RETURNS_A_PATH, (
                f"{path.name}: a cell ends in {name}(...), which shows a PosixPath; assign it "
                "and print the path as text")
