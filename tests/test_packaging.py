"""pyproject.toml and environment.yml must list the same packages."""
import re
import tomllib

from conftest import ROOT

CONDA_NAMES = {"pytorch": "torch"}  # conda name -> pip name


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_names = {_name(r) for r in project["dependencies"]}
    pip_names |= {_name(r) for r in project["optional-dependencies"]["dev"]}
    conda = []
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z][\w.-]*)", line)
        if match and match.group(1) not in ("python", "pip"):
            conda.append(CONDA_NAMES.get(match.group(1).lower(), match.group(1).lower()))
    assert len(conda) == len(set(conda)), "a package is listed twice in environment.yml"
    assert set(conda) == pip_names
    assert '-e ".[dev]"' in (ROOT / "environment.yml").read_text()


def test_torch_requirement_is_a_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    torch_req = [r for r in project["dependencies"] if _name(r) == "torch"]
    assert torch_req == ["torch>=2.1"]
