"""07_showdown's exercises: one bicubic weight by hand, who memorises in race 1, the best
tuned network against bicubic, and how parameters grow with width. Reference solutions:
:mod:`helpers.exercises.solutions.nb07`."""
import functools

from .grading import Choice, Explore, Write
from .solutions import nb07 as ref


def _keys_no_abs(x, a=-0.5):
    """The Keys weight written for x >= 0 only: |x| forgotten."""
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return 0.0


@functools.lru_cache(maxsize=None)
def _ratio() -> float:
    return ref.width_doubling_ratio()


def _verify_ratio(answer) -> tuple[bool, str]:
    """The learner's ratio against the checker's own count (within 0.01)."""
    truth, answer = _ratio(), float(answer)
    if abs(answer - truth) <= 0.01:
        return True, (f"✓ {ref.siren_params(128):,} -> {ref.siren_params(256):,} numbers, "
                      f"{truth:.3f}x: the hidden layers' width x width weights grow 4x, the first "
                      "and last layers only 2x, so matching a parameter count moves the width "
                      "by about the square root.")
    if abs(answer - 2) <= 0.01:
        return False, ("✗ 2x would hold if every layer grew with the width once; a hidden layer "
                       "has width inputs AND width outputs: count them with helpers.count_params.")
    if abs(answer - 4) <= 0.01:
        return False, ("✗ exactly 4x is what the hidden layers alone give; the first and last "
                       "layers grow only 2x: count the whole network with helpers.count_params.")
    return False, (f"✗ the checker counts a {'larger' if truth > answer else 'smaller'} ratio "
                   "than yours: build both networks with helpers.make_model('siren', hidden=...) "
                   "and divide their helpers.count_params.")


EXERCISES = [
    Write("07.keys_weight", "one bicubic weight (Keys, a = -1/2)", ref.keys_weight,
          cases=[(0.0,), (0.5,), (1.0,), (1.5,), (2.0,), (2.5,), (0.25,), (-0.5,), (-1.5,),
                 (-1.25,)],
          wrong=[(lambda x: ref.keys_weight(x, a=-0.75), "that is a = -3/4 (OpenCV's and "
                  "PyTorch's bicubic); Keys' kernel here, with bicubic's weights (-1, 9, 9, -1)/16 "
                  "halfway between samples, has a = -1/2."),
                 (lambda x: max(0.0, 1.0 - abs(x)), "that is bilinear's tent max(0, 1 - |x|): "
                  "bicubic is a cubic in |x|, with a second piece on 1 < |x| < 2."),
                 (_keys_no_abs, "right for x >= 0 but not for negative x: the kernel is "
                  "symmetric, a function of |x| (a sample to the left weighs as one to the right).")],
          nudge="a cubic in |x|: (a+2)|x|³ − (a+3)|x|² + 1 up to 1, a second cubic from 1 to 2 "
                "that meets it at |x| = 1 and reaches 0 at 2, and 0 beyond."),
    Choice("07.memorise", "Predict, then run", "Race 1 prints each method's PSNR on its train "
           "pixels and on the test pixels in between. Which one fits its train pixels more than "
           "5 dB better than the test pixels (it memorises)?",
           ["the plain ReLU MLP", "the hash grid", "both of them", "neither: a network scores "
            "about the same on pixels it saw and pixels it did not"], 1,
           ["The ReLU MLP blurs everything alike (spectral bias), so its train and test PSNR "
            "stay within 2 dB: it cannot memorise what it cannot represent.",
            "A trainable table of features can store each train pixel in its own cells, and "
            "the cells between train pixels are only as good as the tiny MLP's guess.",
            "Only one of them can make detail finer than the pixel spacing: the ReLU MLP "
            "blurs train and test pixels alike (spectral bias).",
            "A network that makes detail finer than the pixel spacing can fit the pixels it "
            "saw without fitting those in between: the hash grid does, by more than 5 dB."]),
    Choice("07.against_bicubic", "Predict, then run", "After every method is tuned the same "
           "way, where does the best method land against bicubic interpolation of the same "
           "train pixels (no training, no parameters)?",
           ["more than 3 dB above bicubic", "within 3 dB of bicubic, one way or the other",
            "more than 3 dB below bicubic", "far below: bicubic is exact on every pixel"], 1,
           ["Not on this task: 2x upsampling of a photo on a regular grid is interpolation's "
            "home ground, and a fitted network behaves like an interpolator with a learned kernel.",
            "On a regular grid a fitted network is an interpolator with a learned kernel, and a "
            "well-made fixed kernel is already close.",
            "Tuned, the best of more than a dozen methods gets close to bicubic: it fits the "
            "same train pixels with a kernel shaped by training.",
            "Bicubic is exact on its train pixels only (the 'exact' in its train column); "
            "between them it guesses with a fixed kernel, and the networks get close."]),
    Explore("07.width_params", "explore: the width and the parameter count", _verify_ratio,
            ref.width_doubling_ratio, wrong=[(lambda: 2.0, "✗ 2x would hold"), (lambda: 4.0, "✗ exactly 4x")],
            nudge="helpers.count_params(helpers.make_model('siren', hidden=256)) divided by "
                  "the same at hidden=128."),
]
