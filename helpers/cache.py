"""Instant replays: a disk cache of finished fits, so a rerun replays in milliseconds.

A live lesson reruns cells (a kernel restart, a slider's precomputed positions, 07's race
of every method). A fit is a pure function of what goes in, so :func:`helpers.run` and
the sweeps look the result up first under a key made of everything that changes it:

    key = sha256(method, options, seed, steps, lr, eval_every, n_snapshots,
                 sha256(image pixels), budget, device type, precision (fp32 or bf16),
                 torch version, sha256(the helpers' source files))

Editing any helper, upgrading torch or moving to a GPU therefore never replays a stale
result. An entry stores the trained parameters and the numbers of its
:class:`~helpers.train.FitResult`; the caller rebuilds the (cheap, seeded) model and loads
the parameters. Where: the user's cache folder (``~/.cache/coordinate-mlps-live``, or
``$XDG_CACHE_HOME``, ``~/Library/Caches``, ``%LOCALAPPDATA%``); ``NB_CACHE=DIR`` puts it
in DIR, ``NB_CACHE=0`` turns it off (CI does, so every test really trains).
``python -m helpers run-notebooks`` fills it: a lesson rendered the night before is
instant on stage. A corrupt or unreadable entry is retrained with one warning.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch

APP = "coordinate-mlps-live"
_SOURCE_HASH: str | None = None


def cache_dir() -> Path | None:
    """The cache folder (``NB_CACHE`` or the user's cache folder), or None when off."""
    setting = os.environ.get("NB_CACHE", "").strip()
    if setting.lower() in ("0", "off", "false", "no"):
        return None
    if setting and setting != "1":
        return Path(setting).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / APP


def source_hash() -> str:
    """sha256 of every ``helpers/*.py`` file (names and bytes): any edit is a new key."""
    global _SOURCE_HASH
    if _SOURCE_HASH is None:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        _SOURCE_HASH = digest.hexdigest()
    return _SOURCE_HASH


def image_hash(image) -> str:
    """sha256 of an image's shape, dtype and pixels."""
    array = np.ascontiguousarray(torch.as_tensor(image).detach().cpu().numpy())
    return hashlib.sha256(f"{array.shape}{array.dtype}".encode() + array.tobytes()).hexdigest()


def fit_key(kind: str, image, **parts) -> str:
    """The key of one fit: ``kind`` (who trains it), the image's pixels, ``parts`` (method,
    options, seed, steps, lr, ...) and the budget, device type, precision, torch and helpers
    source. ``precision``: the one the fit runs at; by default this process's choice
    (:func:`helpers.precision.used`), which is what a fit without one runs at."""
    from . import precision, settings

    device = parts.pop("device", None) or settings.DEVICE
    used = precision.used(parts.pop("precision", None), device)
    everything = {"kind": kind, "image": image_hash(image), **parts,
                  "budget": settings.BUDGET.name, "device": torch.device(device).type,
                  "precision": used,
                  "torch": torch.__version__, "helpers": source_hash()}
    text = json.dumps(everything, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _path(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / key[:2] / f"{key}.pt"


def load(key: str, model):
    """The cached FitResult for ``key`` with its parameters loaded into ``model``, or None.

    None when the cache is off or has no such entry; an unreadable entry warns once,
    is deleted, and gives None (so the caller retrains).
    """
    from .train import FitResult

    path = _path(key)
    if path is None or not path.exists():
        return None
    try:
        entry = torch.load(path, map_location="cpu", weights_only=True)
        model.load_state_dict(entry.pop("state"))
        model.to(entry["device"])
        entry["snapshots"] = [(step, frame.numpy()) for step, frame in entry["snapshots"]]
        return FitResult(model=model, **entry)
    except Exception as error:  # any damage: retrain rather than crash a lesson
        warnings.warn(f"the cached result {path} could not be read ({type(error).__name__}); "
                      "training again and replacing it.", RuntimeWarning, stacklevel=3)
        path.unlink(missing_ok=True)
        return None


def store(key: str, result) -> None:
    """Write ``result`` (a FitResult) under ``key``; a read-only or full disk only warns."""
    path = _path(key)
    if path is None:
        return
    entry = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)
             if f.name != "model"}  # every field, so a new one is cached too
    entry["state"] = {k: v.detach().cpu() for k, v in result.model.state_dict().items()}
    entry["prediction"] = result.prediction.detach().cpu()
    entry["snapshots"] = [(step, torch.from_numpy(np.asarray(frame)))
                          for step, frame in result.snapshots]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
            torch.save(entry, file)
        os.replace(file.name, path)  # atomic: a reader never sees half an entry
    except OSError as error:
        warnings.warn(f"could not write the result cache in {path.parent} ({error}); set "
                      "NB_CACHE=DIR to a writable folder or NB_CACHE=0.", RuntimeWarning,
                      stacklevel=3)


def cached_fit(key: str, model, train):
    """``load(key, model)`` if there is an entry, else ``train(model)`` stored under key.

    A replayed result has ``result.replayed = True`` (a fresh one False).
    """
    from .train import RECORDERS

    result = load(key, model)
    if result is not None:
        result.replayed = True
        for record in RECORDERS:  # a replay is reported like a fit (run-notebooks' table)
            record(result)
        return result
    result = train(model)
    result.replayed = False
    store(key, result)
    return result
