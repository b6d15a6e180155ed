import os
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("NB_CACHE", "0")  # tests train for real; test_cache.py sets its own folder


@pytest.fixture
def tiny_photo():
    """The bundled photo at 32 px: enough to see training work in about a second."""
    import helpers

    return helpers.load_image("photo", size=32)


@pytest.fixture(autouse=True)
def _seeded():
    torch.manual_seed(0)
    yield


def run_cli(*args, env=None):
    """Run ``python -m helpers ARGS`` in a subprocess; returns CompletedProcess."""
    import subprocess

    return subprocess.run([sys.executable, "-m", "helpers", *args], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=300)
