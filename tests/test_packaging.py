"""pyproject.toml, environment.yml, the README and CI agree on what gets installed.

The learner's install is lean (the notebooks' packages and JupyterLab: the ``lab`` extra);
the test tools are the ``dev`` extra, which includes ``lab``.
"""
import re
import tomllib

from conftest import ROOT

CONDA_NAMES = {"pytorch": "torch"}  # conda name -> pip name
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LEARNER_INSTALL = 'python -m pip install -e ".[lab]"'
TEST_INSTALL = 'python -m pip install -e ".[dev]"'
CPU_TORCH = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def _extra(name: str) -> set[str]:
    return {_name(r) for r in PROJECT["optional-dependencies"][name]}


def test_environment_yml_is_the_learners_install():
    pip_names = {_name(r) for r in PROJECT["dependencies"]} | _extra("lab")
    conda = []
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z][\w.-]*)", line)
        if match and match.group(1) not in ("python", "pip"):
            conda.append(CONDA_NAMES.get(match.group(1).lower(), match.group(1).lower()))
    assert len(conda) == len(set(conda)), "a package is listed twice in environment.yml"
    assert set(conda) == pip_names
    assert '- -e ".[lab]"' in text
    assert f"#   {TEST_INSTALL}" in text  # the test tools: a commented option


def test_lab_is_lean_and_dev_includes_it():
    assert _extra("lab") == {"jupyterlab", "ipykernel"}
    assert f"{PROJECT['name']}[lab]" in PROJECT["optional-dependencies"]["dev"]
    assert not _extra("lab") & {"pytest", "nbval", "playwright", "jupytext"}
    assert {"pytest", "nbval", "playwright"} <= _extra("dev")


def test_readme_puts_the_cpu_build_before_the_learners_commands():
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("## Set up and open", 1)[1].split("\n## ", 1)[0]
    assert CPU_TORCH in setup and LEARNER_INSTALL in setup
    assert setup.index(CPU_TORCH) < setup.index(LEARNER_INSTALL)
    assert "[dev]" not in setup
    test = readme.split("## Test", 1)[1].split("\n## ", 1)[0]
    assert TEST_INSTALL in test and test.index(TEST_INSTALL) < test.index("python -m pytest")


def test_ci_installs_the_readmes_commands_then_checks_for_cuda():
    run = (ROOT / ".ci" / "run").read_text()
    learner = run.index('python3 -m pip install -q -e ".[lab]"')  # the README's, quiet
    check = run.index("nvidia")
    dev = run.index('python3 -m pip install -q -e ".[dev]"')
    assert run.index("torch==2.13.0") < learner < check < dev


def test_torch_requirement_is_a_range():
    torch_req = [r for r in PROJECT["dependencies"] if _name(r) == "torch"]
    assert torch_req == ["torch>=2.1"]


def test_the_install_gives_jupyterlab_the_setting_that_saves_slider_panels():
    """Without saved widget state a reopened notebook reads "Error displaying widget: model
    not found" where each slider panel was (tests/test_browser.py counts them)."""
    import json
    import sys
    from pathlib import Path

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    target = "share/jupyter/lab/settings/overrides.d"  # JupyterLab: defaults from packages
    shipped = setuptools["data-files"][target]
    assert shipped == ["jupyter-settings/coordinate-mlps-live.json"]
    settings = json.loads((ROOT / shipped[0]).read_text())
    assert settings == {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}
    # the plugin and its setting exist in the installed widget manager
    schema = (Path(sys.prefix) / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager"
              / "schemas/@jupyter-widgets/jupyterlab-manager/plugin.json")
    assert "saveState" in json.loads(schema.read_text())["properties"]
