"""Your own copy of the series: ``python -m helpers workspace [--lab] [--refresh NAME ...]``.

JupyterLab saves outputs into the notebook you run. Run from ``notebooks/``, that is a file
git tracks: the tab shows "modified", the file grows to megabytes, and the next
``git pull`` conflicts. So learners run copies in ``my-notebooks/``, a folder git ignores:

- a notebook not yet in ``my-notebooks/`` is copied there;
- a copy already there is yours and is kept, edits and outputs included, even when the
  series' notebook changed after a ``git pull`` (the command says which);
- ``--refresh 04`` (a number or a name) replaces that copy with the series' current
  notebook and keeps yours beside it as ``04_...before-refresh.ipynb``: nothing is lost;
- ``--lab`` then opens JupyterLab in ``my-notebooks/``;
- JupyterLab is set, in this environment, to save widget state with a notebook
  (``jupyter-settings/``), so a reopened notebook shows its panels' last figures, not
  "Error displaying widget" (``pip install -e`` does not install that file itself).

The helpers are imported from the installed package (``pip install -e .``), so the copies
run exactly as the originals.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
WORKSPACE_DIR = ROOT / "my-notebooks"
LAB_SETTINGS = ROOT / "jupyter-settings" / "coordinate-mlps-live.json"


def install_lab_settings(prefix: str = sys.prefix) -> Path:
    """Copy :data:`LAB_SETTINGS` into ``prefix/share/jupyter/lab/settings/overrides.d``,
    JupyterLab's defaults for this environment (a learner's own settings still win)."""
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    target.mkdir(parents=True, exist_ok=True)
    path = target / LAB_SETTINGS.name
    if not path.exists() or path.read_bytes() != LAB_SETTINGS.read_bytes():
        shutil.copy2(LAB_SETTINGS, path)
    return path


def _matches(path: Path, names: list[str]) -> bool:
    """Whether ``path`` is named by one of ``names``: its number ('04', '4') or its stem."""
    number = path.stem.split("_", 1)[0]
    return any(name in (path.stem, path.name) or name.zfill(2) == number for name in names)


def _free_name(folder: Path, stem: str) -> Path:
    """``folder/stem.ipynb``, or ``stem-2.ipynb``, ``stem-3.ipynb``... if taken."""
    path, n = folder / f"{stem}.ipynb", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.ipynb"
    return path


def sources_hash(path: Path) -> str:
    """A hash of a notebook's cell sources: changes when its code or text does, not when
    it is run (outputs, execution counts)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\x00".join("".join(cell.get("source", "")) for cell in cells)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sync(source: Path = NOTEBOOKS_DIR, dest: Path = WORKSPACE_DIR,
         refresh: list[str] = ()) -> dict[str, list[str]]:
    """Copy ``source/*.ipynb`` into ``dest``; returns the names ``copied``, ``kept`` (yours),
    ``kept_changed`` (yours, while the series' notebook changed since it was copied: the
    sources' hashes at copy time are in ``dest/.copied.json``) and ``refreshed``."""
    notebooks = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise OSError(f"no notebooks in {source}; run this from a checkout of the series.")
    unknown = [name for name in refresh if not any(_matches(nb, [name]) for nb in notebooks)]
    if unknown:
        raise ValueError(f"--refresh {' '.join(unknown)}: no such notebook; give a number "
                         f"such as 04 or a name such as {notebooks[0].stem}.")
    dest.mkdir(exist_ok=True)
    record_path = dest / ".copied.json"
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    report = {"copied": [], "kept": [], "kept_changed": [], "refreshed": []}
    for notebook in notebooks:
        target = dest / notebook.name
        if target.exists() and _matches(notebook, list(refresh)):
            target.replace(_free_name(dest, f"{notebook.stem}.before-refresh"))
            report["refreshed"].append(notebook.name)
        elif target.exists():
            changed = record.get(notebook.name) not in (None, sources_hash(notebook))
            report["kept_changed" if changed else "kept"].append(notebook.name)
            continue
        else:
            report["copied"].append(notebook.name)
        shutil.copy2(notebook, target)
        record[notebook.name] = sources_hash(notebook)
    record_path.write_text(json.dumps(record, indent=1))
    return report


def add_parser(commands) -> None:
    """Register ``workspace`` on the CLI's subcommands."""
    parser = commands.add_parser(
        "workspace", help="copy the notebooks to my-notebooks/ (yours, ignored by git)")
    parser.add_argument("--refresh", nargs="+", default=[], metavar="NOTEBOOK",
                        help="replace these copies (e.g. 04) with the series' current "
                             "notebooks; yours are kept as *.before-refresh.ipynb")
    parser.add_argument("--lab", action="store_true", help="then open JupyterLab there")


def command(args: argparse.Namespace) -> None:
    report = sync(NOTEBOOKS_DIR, WORKSPACE_DIR, refresh=args.refresh)
    install_lab_settings()
    where = os.path.relpath(WORKSPACE_DIR)
    for key, text in (("copied", "copied"), ("refreshed", "replaced by the series' notebook "
                      "(yours kept as *.before-refresh.ipynb)"), ("kept", "kept, yours")):
        if report[key]:
            print(f"{text}: {', '.join(report[key])}", file=sys.stderr)
    for name in report["kept_changed"]:
        print(f"note: {name} changed in the series since you copied it; yours is kept: "
              f"--refresh {name[:2]} takes the new one and keeps yours beside it.",
              file=sys.stderr)
    print(f"workspace: {where}/ (ignored by git, so git pull never conflicts with it)",
          file=sys.stderr)
    if args.lab:
        sys.exit(subprocess.call([sys.executable, "-m", "jupyter", "lab", str(WORKSPACE_DIR)]))
