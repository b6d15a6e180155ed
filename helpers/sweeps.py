"""Several fits in a row: a comparison, or a slider's range precomputed (04-06 use it).

``fit_many`` trains each model through :func:`helpers.train.fit`, one after another (the
one loop of the series); ``sweep("gauss", image, "scale", [1, 10, 100])`` runs a method
once per value of a knob (:func:`helpers.methods.run`, so results replay from the disk cache),
keeping a dict so a slider retrains only new values.
"""
from __future__ import annotations

import contextlib
import warnings

from torch import nn

from .train import FitResult, fit


def fit_many(models: list[nn.Module], image, description: str = "fit_many",
             **fit_kwargs) -> list[FitResult]:
    """Fit each of ``models`` to ``image`` with the same settings (``fit``'s keywords).

    Returns one :class:`~helpers.train.FitResult` per model, in order; each model is
    trained in place. A warning (say, divergence) names the model: ``model 2 of 3: ...``.
    """
    models = list(models)
    if len({id(m) for m in models}) != len(models):
        raise ValueError("fit_many got the same model object twice; build one model per run.")
    results = []
    for number, model in enumerate(models, 1):
        which = f"model {number} of {len(models)}"
        with named_warnings(which):
            try:
                results.append(fit(model, image, description=f"{description} {number}/"
                                   f"{len(models)}", **fit_kwargs))
            except ValueError as error:
                raise ValueError(f"{which}: {error}") from None
    return results


@contextlib.contextmanager
def named_warnings(which: str):
    """Re-issue the warnings raised inside as ``"<which>: <message>"`` (which run said it)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for warning in caught:  # stacklevel 4: past contextlib, to fit_many's or sweep's caller
        warnings.warn(f"{which}: {warning.message}", warning.category, stacklevel=4)


def sweep(method: str, image, knob: str, values, steps: int | None = None,
          lr: float | None = None, seed: int = 0, cache: dict | None = None,
          **fit_and_knobs) -> dict:
    """Train method ``method`` once per value of ``knob``: ``{value: FitResult}``.

    Each value is one :func:`helpers.methods.run` (model built with ``seed``, the
    method's lr unless ``lr`` is given), so a finished value replays from the disk
    cache (:mod:`helpers.cache`). Other keywords go to the fit (eval_every, n_snapshots,
    device, progress, chunk_size, live; description, followed by each model's label, e.g.
    'slider: Gaussian σ=10 (256) → MLP relu') or
    to the model (other knobs). ``cache``: a dict of value -> FitResult from earlier
    calls; values already in it are not retrained, new results are added to it (a
    slider keeps one cache, so only new positions train). A warning (say, divergence)
    names the value: ``scale=300: ...``.
    """
    from .methods import run

    name = fit_and_knobs.pop("description", method)
    # each fit's title: the model's label, which names the knob as the notebooks do
    # ('Gaussian σ=10 ...'), after the description unless that is the method's name
    title = "{label}" if name == method else f"{name}: {{label}}"
    values = list(values)
    cache = {} if cache is None else cache
    for value in dict.fromkeys(values):
        if value in cache:
            continue
        with named_warnings(f"{knob}={value}"):
            cache[value] = run(method, image, steps=steps, lr=lr, seed=seed,
                               description=title,
                               **{**fit_and_knobs, knob: value})
    return {v: cache[v] for v in values}
