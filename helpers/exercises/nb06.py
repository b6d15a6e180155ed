"""06_other_activations' exercises: the Gaussian activation by hand, a 4x larger a predicted,
the a where the Gaussian starts to memorise. Reference solutions:
:mod:`helpers.exercises.solutions.nb06`."""
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb06 as ref


def _cases():
    g = torch.Generator().manual_seed(6)
    return [(torch.linspace(-0.3, 0.3, 13), 0.1),
            (0.1 * torch.randn(4, 8, generator=g), 0.05),
            (torch.linspace(-2, 2, 9, dtype=torch.float64), 1.0),
            (torch.linspace(-1, 1, 11), 0.5),
            (torch.zeros(3), 0.1)]


WRONG_GAUSSIANS = [
    (lambda z, a: torch.exp(-z ** 2 / a ** 2), "your bump is narrower than ours by √2: the "
     "Gaussian's exponent is written with the variance form, and a 2 is missing."),
    (lambda z, a: torch.exp(-(a * z) ** 2 / 2), "your a multiplies z, so a larger a sharpens the "
     "bump; for the Gaussian a is a width and divides z (and z**2 / 2 * a**2 multiplies: "
     "Python reads it left to right)."),
    (lambda z, a: torch.exp(-z ** 2 / (2 * a)), "your a is not squared: a width enters the "
     "exponent squared, like z."),
    (lambda z, a: torch.exp(-z.abs() / a), "that is the Laplacian exp(−|z|/a), a pointed bump: "
     "the Gaussian squares z."),
]


def _verify_a(answer) -> tuple[bool, str]:
    """The learner's a: the checker's preview fit memorises there and not one slider step up."""
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return False, "✗ give a as a number, e.g. 0.05."
    if not 1e-3 <= answer <= 1e3:
        return False, f"✗ a = {answer:g} is off the slider, which runs from 0.001 to 1000."
    here, above = ref.gap(answer), ref.gap(answer * ref.SLIDER_STEP)
    if here <= 10:
        fit = ref.preview_fit(round(answer, 6))
        return False, (f"✗ at that a the fit does not memorise yet (the checker's run: train "
                       f"{fit.train_psnr:.1f} dB, test {fit.test_psnr:.1f} dB, a gap of "
                       f"{here:.1f} dB); for the Gaussian a smaller a is the sharper bump.")
    if above > 10:
        return False, (f"✗ it memorises there, but one slider step up (a = "
                       f"{answer * ref.SLIDER_STEP:.3g}) it still does (a gap of {above:.1f} dB): "
                       "go up.")
    return True, (f"✓ at a = {answer:.3g} train beats test by {here:.1f} dB; one slider step "
                  f"up, by {above:.1f} dB: below about this a the Gaussian's bump is too narrow to bridge "
                  "the gap between train pixels.")


EXERCISES = [
    Write("06.gaussian", "the Gaussian activation", ref.gaussian, cases=_cases(),
          wrong=WRONG_GAUSSIANS,
          nudge="the table's first row, in torch: a bell that is 1 at z = 0 and whose width "
                "is a."),
    Choice("06.gaussian_a", "Predict, then run", "The next cell trains the Gaussian activation "
           "at the preview size with a from 1/4 to 4 times its default. With a 4 times the "
           "default, the fit will be:",
           ["blurrier: train and test PSNR both lower, and close together",
            "sharper: train and test PSNR both higher",
            "noisier: train PSNR up, test PSNR down (it memorises)",
            "about the same: the first layer's weights rescale z to undo any a"], 0,
           ["For the Gaussian a is the width of the bump: 4 times wider means a slower "
            "activation, less bandwidth, a blur.",
            "A larger a sharpens the quadratic and ExpSin, where a is a rate; for the Gaussian "
            "a is a width, so a larger a blunts it.",
            "Memorising is what a *smaller* a does: a narrow bump changes faster than the "
            "train pixels can pin down.",
            "In principle they could, but at PyTorch's init and with a few hundred Adam steps "
            "the weights move little: a sets the bandwidth the network starts with and keeps."]),
    Explore("06.memorising_a", "explore: where the Gaussian starts to memorise", _verify_a,
            ref.largest_memorising_a,
            wrong=[(lambda: 0.1, "✗ at that a the fit does not memorise yet"),
                   (lambda: 10.0, "✗ at that a the fit does not memorise yet"),
                   (lambda: 0.025, "✗ it memorises there, but one slider step up")],
            nudge="start at the default a and move the slider down one step at a time, "
                  "watching train minus test in the panel's printout."),
]
