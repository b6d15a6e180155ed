"""Tools around the lessons, never imported by them: ``python -m helpers fit|table|run-notebooks``.

:mod:`~helpers.tools.cli` (the command line), :mod:`~helpers.tools.table` (Tancik et al.'s
image table over a folder), :mod:`~helpers.tools.run_notebooks` (execute the series, one
HTML report), :mod:`~helpers.tools.estimate` (what a long command will run and how long,
said before it starts). They use the lesson package; the lesson package does not use them.
"""
