"""``python -m helpers fit|table|run-notebooks|workspace``: see :mod:`helpers.tools.cli`."""
import sys

from .tools.cli import main

if __name__ == "__main__":
    sys.exit(main())
