"""05_siren's exercises: the initialisation bound, ω0 = 1 predicted, the smallest good ω0
found on the slider. Reference solutions: :mod:`helpers.exercises.solutions.nb05`."""
import math

from .grading import Choice, Explore, Write
from .solutions import nb05 as ref

CASES = [(2, 256, 30.0, True), (256, 256, 30.0, False), (256, 64, 30.0, False),
         (128, 256, 10.0, False), (3, 128, 30.0, True), (64, 32, 1.0, False)]

WRONG_BOUNDS = [
    (lambda n, m, w, first: 1 / n if first else math.sqrt(6 / n),
     "your hidden-layer bound ignores ω0: the layer multiplies W by ω0, so W's spread must be "
     "divided by it to keep ω0·W the same for every ω0."),
    (lambda n, m, w, first: 1 / m if first else math.sqrt(6 / m) / w,
     "you used the number of outputs: the spread of a sum over the inputs depends on how many "
     "inputs it adds up, the fan-in."),
    (lambda n, m, w, first: 1 / n if first else math.sqrt(1 / n) / w,
     "√(1/n) is PyTorch's kind of bound; SIREN's has a 6 under the root, which makes the "
     "pre-activations' standard deviation about 1 through depth."),
    (lambda n, m, w, first: math.sqrt(6 / n) / w,
     "the first layer is different: its weights span ±1/n so that ω0·W covers a wide range of "
     "frequencies on the raw coordinates."),
]


def _verify_omega(answer) -> tuple[bool, str]:
    """The learner's ω0 against the checker's own preview fits at every slider value."""
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return False, "✗ give ω0 as a number, e.g. 50."
    omega = next((w for w in ref.SLIDER_OMEGAS if abs(answer / w - 1) < 0.1), None)
    if omega is None:
        return False, (f"✗ ω0 = {answer:g} is not one of the slider's values "
                       f"({', '.join(f'{w:g}' for w in ref.SLIDER_OMEGAS)}).")
    psnr = {w: ref.preview_fit(w).test_psnr for w in ref.SLIDER_OMEGAS}
    best = max(psnr.values())
    if omega == ref.smallest_within(psnr):
        return True, (f"✓ ω0 = {omega:g}: {psnr[omega]:.2f} dB on the test pixels, within 0.5 dB "
                      f"of the best ({best:.2f} dB) in the checker's own run, and every smaller "
                      "ω0 on the slider is further off.")
    if psnr[omega] < best - 0.5:
        return False, (f"✗ more than 0.5 dB below the best slider value: the checker's run "
                       f"scores {psnr[omega]:.2f} dB at ω0 = {omega:g}.")
    return False, ("✗ within 0.5 dB of the best, but a smaller ω0 on the slider is too: keep "
                   "stepping down.")


EXERCISES = [
    Write("05.init_bound", "SIREN's initialisation bound", ref.init_bound, cases=CASES,
          wrong=WRONG_BOUNDS, tol=1e-6,
          nudge="two cases: the first layer's bound depends on the fan-in alone; a hidden "
                "layer's also on ω0, since the layer computes sin(ω0 (Wx + b))."),
    Choice("05.omega1", "Predict, then run", "The next cell trains SIREN at the preview size "
           "with the first layer's ω0 from 1 to 100. What will ω0 = 1 give, next to ω0 = 30?",
           ["noise: it memorises the train pixels, like SIREN without its init",
            "a blur: train and test PSNR both well below ω0 = 30's",
            "about the same: the later sine layers make up the missing frequencies",
            "nothing: the fit diverges to NaN"], 1,
           ["Memorising needs high frequencies, and ω0 = 1 gives the first layer's sines less "
            "than a tenth of a period across the image: fewer, not more.",
            "With ω0 = 1, ω0·W spans only ±0.5, so the first layer is almost linear: the network "
            "starts with hardly any high frequencies, like the plain ReLU MLP, and fits a blur.",
            "The later layers compose what the first one provides; from almost linear inputs "
            "they reach only low frequencies, not the photo's fine detail.",
            "Nothing blows up: small phases are the tamest case for a sine; the fit simply "
            "lacks bandwidth."]),
    Explore("05.smallest_omega", "explore: the smallest good ω0", _verify_omega,
            ref.smallest_good_omega,
            wrong=[(lambda: 5.0, "✗ more than 0.5 dB below the best"),
                   (lambda: 100.0, "✗ more than 0.5 dB below the best"),
                   (lambda: 30.0, "✗ within 0.5 dB of the best, but a smaller ω0"),
                   (lambda: 25.0, "✗ ω0 = 25 is not one of the slider's values")],
            nudge="step the slider through every value (the panel prints each test PSNR), "
                  "find the best, then the smallest ω0 within 0.5 dB of it."),
]
