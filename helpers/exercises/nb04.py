"""04_gaussian_fourier_features' exercises: the mapping by hand, σ = 100 predicted, the
smallest good σ found on the slider. Reference solutions: :mod:`helpers.exercises.solutions.nb04`."""
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb04 as ref


def _cases():
    g = torch.Generator().manual_seed(4)
    return [(torch.rand(5, 2, generator=g), 10.0, torch.randn(4, 2, generator=g)),
            (torch.rand(3, 2, generator=g, dtype=torch.float64), 2.5,
             torch.randn(8, 2, generator=g, dtype=torch.float64)),
            (torch.rand(7, 2, generator=g), 1.0, torch.randn(3, 2, generator=g)),
            (torch.zeros(2, 2), 10.0, torch.randn(6, 2, generator=g))]


def _features(phase):
    return torch.cat([torch.cos(phase), torch.sin(phase)], dim=-1)


WRONG_FEATURES = [
    (lambda v, s, z: _features(v @ (s * z).T), "your phases are too small by a constant: B counts "
     "periods across the image, and one period is 2π radians."),
    (lambda v, s, z: torch.sin(2 * math.pi * v @ (s * z).T), "only sines: the mapping has a cosine "
     "and a sine of every phase, so m rows of B give 2m features."),
    (lambda v, s, z: _features(2 * math.pi * (s * z) @ v.T), "your features come out as (m, 2N): "
     "Bv is written for one column vector v; with one coordinate per row, multiply the rows "
     "of v by B's transpose."),
    (lambda v, s, z: _features(2 * math.pi * v @ (s ** 2 * z).T), "N(0, σ²) has variance σ², so "
     "its standard deviation, the number that scales a standard normal draw, is σ."),
]


def _snap(answer) -> float | None:
    """The slider position within 10% of ``answer`` (None if none is)."""
    return next((s for s in ref.SLIDER_SIGMAS if abs(answer / s - 1) < 0.1), None)


def _verify_sigma(answer) -> tuple[bool, str]:
    """The learner's σ against the checker's own preview fits at every slider position 1-100."""
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return False, "✗ give σ as a number, e.g. 31.6."
    sigma = _snap(answer) if answer > 0 else None
    if sigma is None:
        return False, (f"✗ σ = {answer:g} is not one of the slider's positions from 1 to 100 "
                       "(quarter-decade steps: 1, 1.78, 3.16, 5.62, 10, ...).")
    psnr = {s: ref.preview_fit(s).test_psnr for s in ref.SLIDER_SIGMAS}
    best, truth = max(psnr.values()), ref.smallest_within(psnr)
    if sigma == truth:
        return True, (f"✓ σ = {sigma:.3g}: {psnr[sigma]:.2f} dB on the test pixels, within 0.5 dB "
                      f"of the best ({best:.2f} dB) in the checker's own run, and every smaller "
                      "σ on the slider is further off.")
    if psnr[sigma] < best - 0.5:
        return False, (f"✗ more than 0.5 dB below the best slider position: the checker's run "
                       f"scores {psnr[sigma]:.2f} dB at σ = {sigma:.3g}.")
    return False, ("✗ within 0.5 dB of the best, but a smaller σ on the slider is too: keep "
                   "dragging down.")


EXERCISES = [
    Write("04.features", "Gaussian Fourier features", ref.fourier_features, cases=_cases(),
          wrong=WRONG_FEATURES,
          nudge="first B from the noise and σ, then one phase per pixel and row of B "
                "(a matrix product), then the cosines and the sines side by side."),
    Choice("04.sigma100", "Predict, then run", "The next cell trains σ = 1, 10 and 100 on the "
           "train pixels. How will σ = 100 score on the test pixels, next to σ = 10?",
           ["higher: more high frequencies mean more detail", "about the same: the network "
            "uses the features it needs and ignores the rest", "it will not train: phases of "
            "hundreds of radians turn into NaN", "lower, by several dB"], 3,
           ["It fits the train pixels at least as well, but the test pixels lie between them, "
            "and σ = 100's features change faster than the train pixels can pin down.",
            "Every feature feeds the first layer, and at σ = 100 nearly all of them are finer "
            "than the gap between train pixels: there is nothing smooth left to use.",
            "Phases of hundreds of radians are fine in float32 (the series keeps them float32); "
            "σ = 100 trains, and its train PSNR even climbs high.",
            "σ = 100's kernel is narrower than the gap between train pixels: the network "
            "memorises each train pixel and fills the pixels between them with noise."]),
    Explore("04.smallest_sigma", "explore: the smallest good σ", _verify_sigma,
            ref.smallest_good_sigma,
            wrong=[(lambda: 10.0, "✗ more than 0.5 dB below the best"),
                   (lambda: 1.0, "✗ more than 0.5 dB below the best"),
                   (lambda: 4.0, "✗ σ = 4 is not one of the slider's positions")],
            nudge="drag σ one step at a time from 1 up to 100 (the panel prints each test "
                  "PSNR), find the best, then the smallest σ within 0.5 dB of it."),
]
