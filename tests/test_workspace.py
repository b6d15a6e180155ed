"""python -m helpers workspace: learners' copies in a git-ignored folder, never lost."""
import json
import subprocess

import pytest

from helpers.tools import workspace


def notebook(path, *sources):
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [],
              "execution_count": None} for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))


@pytest.fixture
def series(tmp_path):
    source = tmp_path / "notebooks"
    source.mkdir()
    notebook(source / "01_dataset.ipynb", "print(1)")
    notebook(source / "04_gaussian.ipynb", "SIGMAS = [1, 10]")
    return source, tmp_path / "my-notebooks"


def test_first_run_copies_every_notebook(series):
    source, dest = series
    report = workspace.sync(source, dest)
    assert report["copied"] == ["01_dataset.ipynb", "04_gaussian.ipynb"]
    assert (dest / "04_gaussian.ipynb").read_text() == (source / "04_gaussian.ipynb").read_text()


def test_the_learners_edits_and_outputs_are_kept(series):
    source, dest = series
    workspace.sync(source, dest)
    notebook(dest / "04_gaussian.ipynb", "SIGMAS = [1, 5, 100]")  # edited and run
    report = workspace.sync(source, dest)
    assert report["kept"] == ["01_dataset.ipynb", "04_gaussian.ipynb"]
    assert "100" in (dest / "04_gaussian.ipynb").read_text()


def test_a_notebook_changed_upstream_is_named_and_refresh_keeps_the_old_copy(series):
    source, dest = series
    workspace.sync(source, dest)
    notebook(dest / "04_gaussian.ipynb", "SIGMAS = [1, 5, 100]")
    notebook(source / "04_gaussian.ipynb", "SIGMAS = [1, 3, 10, 30]")  # after a git pull
    notebook(source / "05_siren.ipynb", "omega0 = 30")                  # a new notebook
    report = workspace.sync(source, dest)
    assert report["kept_changed"] == ["04_gaussian.ipynb"] and report["kept"] == ["01_dataset.ipynb"]
    assert report["copied"] == ["05_siren.ipynb"]
    for _ in range(2):  # twice: the first backup is not overwritten
        report = workspace.sync(source, dest, refresh=["4"])
        assert report["refreshed"] == ["04_gaussian.ipynb"]
    assert "30]" in (dest / "04_gaussian.ipynb").read_text()
    assert "100" in (dest / "04_gaussian.before-refresh.ipynb").read_text()
    assert (dest / "04_gaussian.before-refresh-2.ipynb").exists()
    assert workspace.sync(source, dest)["kept_changed"] == []


def test_refresh_of_an_unknown_notebook_says_what_to_give(series):
    source, dest = series
    with pytest.raises(ValueError, match="no such notebook; give a number such as 04"):
        workspace.sync(source, dest, refresh=["99"])


def test_the_workspace_is_ignored_by_git():
    done = subprocess.run(["git", "check-ignore", "-q", str(workspace.WORKSPACE_DIR / "02.ipynb")],
                          cwd=workspace.ROOT, capture_output=True)
    assert done.returncode == 0, "my-notebooks/ must be in .gitignore"


def test_the_command_line_copies_into_my_notebooks(tmp_path, monkeypatch, capsys):
    from helpers.tools.cli import main

    monkeypatch.setattr(workspace, "WORKSPACE_DIR", tmp_path / "my-notebooks")
    assert main(["workspace"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("copied: 01_dataset.ipynb, 02_plain_mlp.ipynb"), err
    assert "ignored by git" in err.splitlines()[-1]
    assert sorted(p.name for p in (tmp_path / "my-notebooks").glob("*.ipynb")) == sorted(
        p.name for p in workspace.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_lab_settings_are_installed_for_this_environment(tmp_path):
    path = workspace.install_lab_settings(str(tmp_path))
    assert path == tmp_path / "share/jupyter/lab/settings/overrides.d/coordinate-mlps-live.json"
    assert json.loads(path.read_text())["@jupyter-widgets/jupyterlab-manager:plugin"] == {
        "saveState": True}
