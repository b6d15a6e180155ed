"""The set-up cell every notebook starts with (a test keeps them identical).

On Google Colab it clones the series from the repository URL in ``pyproject.toml``
(``[project.urls] Repository``) and installs the helpers; anywhere else it does nothing.
"""

REPO_URL = "https://github.com/coordinate-mlps-live/coordinate-mlps-live"

SETUP_CELL = '''\
# Set-up: on Google Colab, fetch the series and install its helpers (about 30 s);
# anywhere else this cell does nothing.
import sys

if "google.colab" in sys.modules:
    import os
    import subprocess
    REPO_URL = "https://github.com/coordinate-mlps-live/coordinate-mlps-live"
    REPO_DIR = os.path.expanduser("~/coordinate-mlps-live")
    if not os.path.isdir(REPO_DIR):
        subprocess.run(["git", "clone", "-q", "--depth", "1", REPO_URL, REPO_DIR], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", REPO_DIR], check=True)
    sys.path.insert(0, REPO_DIR)'''


def colab_badge(notebook: str) -> str:
    """Markdown for the "Open in Colab" badge of ``notebooks/<notebook>.ipynb``."""
    path = REPO_URL.replace("https://github.com/", "")
    return (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"(https://colab.research.google.com/github/{path}/blob/main/notebooks/{notebook}.ipynb)")
