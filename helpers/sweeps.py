"""Several fits in a row: a comparison, or a slider's range precomputed (04-06 use it).

``fit_many`` trains each model through :func:`helpers.train.fit`, one after another (the
one loop of the series); ``sweep("gauss", image, "scale", [1, 10, 100])`` builds one model
per value of a knob and fits them, keeping a cache so a slider retrains only new values.
"""
from __future__ import annotations

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
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                results.append(fit(model, image, description=f"{description} {number}/"
                                   f"{len(models)}", **fit_kwargs))
            except ValueError as error:
                raise ValueError(f"{which}: {error}") from None
        for warning in caught:
            warnings.warn(f"{which}: {warning.message}", warning.category, stacklevel=2)
    return results


def sweep(method: str, image, knob: str, values, steps: int | None = None,
          lr: float | None = None, seed: int = 0, cache: dict | None = None,
          **fit_and_knobs) -> dict:
    """Train method ``method`` once per value of ``knob``: ``{value: FitResult}``.

    Models are built by :func:`helpers.methods.make_model` with ``seed`` (as
    :func:`helpers.methods.run` does), trained with the method's lr unless ``lr`` is
    given. Other keywords go to the fit (eval_every, n_snapshots, device, progress,
    chunk_size, description) or to the model (other knobs). ``cache``: a dict of
    value -> FitResult from earlier calls; values already in it are not retrained, new
    results are added to it (a slider keeps one cache, so only new positions train).
    """
    from .methods import FIT_KEYWORDS, get_method, make_model

    fit_kwargs = {k: v for k, v in fit_and_knobs.items() if k in FIT_KEYWORDS}
    knobs = {k: v for k, v in fit_and_knobs.items() if k not in FIT_KEYWORDS}
    knobs.setdefault("image_size", min(image.shape[0], image.shape[1]))
    fit_kwargs.setdefault("description", f"{method} {knob}")
    values = list(values)
    cache = {} if cache is None else cache
    new = [v for v in dict.fromkeys(values) if v not in cache]
    if new:
        models = [make_model(method, seed=seed, **{**knobs, knob: v}) for v in new]
        lr = get_method(method).lr if lr is None else lr
        cache.update(zip(new, fit_many(models, image, steps=steps, lr=lr, seed=seed,
                                       **fit_kwargs)))
    return {v: cache[v] for v in values}
