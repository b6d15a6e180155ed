"""helpers/README.md, the index of what each notebook uses, names every helper module and
lists only helpers that the notebook really uses."""
import re

import pytest

from conftest import ROOT

INDEX = (ROOT / "helpers" / "README.md").read_text()
MODULES = sorted(p.stem for p in (ROOT / "helpers").glob("*.py") if not p.stem.startswith("__"))
ROWS = dict(re.findall(r"^\| (\d\d_\w+) \| ([^|]+) \|", INDEX, flags=re.M))
# reached through the short names of helpers/__init__.py rather than imported by name
SHORT_NAMES = {"data": "load_image", "grids": "make_grid", "models": "make_model|MLP|Siren",
               "metrics": "psnr", "train": "fit", "methods": "make_model|run"}


def test_every_helper_module_is_in_the_index():
    missing = [m for m in MODULES if f"`{m}`" not in INDEX]
    assert not missing, f"add these helpers to helpers/README.md: {missing}"


def test_every_notebook_has_a_row():
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
    assert sorted(ROWS) == notebooks


@pytest.mark.parametrize("notebook", sorted(ROWS))
def test_a_notebooks_row_lists_helpers_it_uses(notebook):
    source = (ROOT / "notebooks" / f"{notebook}.py").read_text()
    for module in re.findall(r"`(\w+)`", ROWS[notebook]):
        assert module in MODULES, f"{notebook}'s row names {module}, not a helper module"
        used = re.search(rf"helpers\.{module}\b|from helpers import [^\n]*\b{module}\b", source)
        short = SHORT_NAMES.get(module)
        used = used or (short and re.search(rf"helpers\.({short})\(", source))
        assert used, f"{notebook} does not use helpers.{module}, yet its row lists it"
