"""The reference solutions of every exercise, one file per notebook. Open them only if you
want to: ``solution("04.encode")`` in the notebook prints just the one you ask for."""
