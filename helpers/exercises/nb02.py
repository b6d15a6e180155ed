"""02_plain_mlp's exercises: PSNR by hand, the noise behind a PSNR, spectral bias predicted
and measured. Reference solutions: :mod:`helpers.exercises.solutions.nb02`."""
import functools
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb02 as ref


@functools.lru_cache(maxsize=None)
def _halving(lr: float) -> float:
    return ref.toy_halving_step(frequency=3, lr=lr)


def _verify_halving(answer) -> tuple[bool, str]:
    """The learner's step against the checker's own run of the toy at lr 1e-4 (within 10%)."""
    truth = _halving(1e-4)
    answer = float(answer)
    if math.isinf(truth):
        return (math.isinf(answer), "at lr 1e-4 the 3-period wave never halves its error in "
                "1000 steps: the answer is math.inf.")
    if abs(answer - truth) <= max(20, 0.1 * truth):
        return True, (f"✓ the checker's own run halves the 3-period error at step {truth:.0f}; "
                      f"10x lower lr, about {truth / _halving(1e-3):.1f}x the steps.")
    if abs(answer - _halving(1e-3)) <= 10:
        return False, ("✗ that is the step at lr 1e-3, the notebook's: set lr=1e-4 in the "
                       "toy's optimizer and run it again.")
    side = "later" if answer < truth else "earlier"
    return False, f"✗ the checker's run crosses 0.5 {side} than step {answer:.0f}: read the 3-period curve again."


EXERCISES = [
    Write("02.psnr", "PSNR from an MSE", ref.psnr_from_mse,
          cases=[(0.01,), (0.001,), (0.05,), (1.0,), (3e-5,)],
          wrong=[(lambda m: 10 * math.log10(m), "your PSNR has the wrong sign: a smaller error "
                  "must give more dB, so it is -10 log10(MSE)."),
                 (lambda m: -20 * math.log10(m), "20 log10 belongs to an amplitude (the RMSE); "
                  "the MSE is already squared, so the factor is 10."),
                 (lambda m: -10 * math.log(m), "that is the natural log; decibels use log10."),
                 (lambda m: -10 * math.log10(math.sqrt(m)), "you took the root of the MSE, then "
                  "used 10 log10: either RMSE with 20 log10 or MSE with 10 log10.")],
          nudge="decibels of a power ratio: 10 log10(peak^2 / MSE), and the peak is 1."),
    Write("02.noise_sigma", "the noise level for a PSNR", ref.noise_sigma,
          cases=[(20.0,), (30.0,), (15.0,), (0.0,)],
          wrong=[(lambda p: 10 ** (-p / 10), "that is the MSE, sigma squared; the noise's "
                  "standard deviation is its square root."),
                 (lambda p: 10 ** (p / 20), "more dB must mean less noise: the exponent is negative.")],
          nudge="noise of standard deviation sigma has MSE sigma^2; solve -10 log10(sigma^2) = PSNR."),
    Choice("02.first_wave", "Predict, then run", "The 1-D toy fits a sum of waves with 1, 3, 6 "
           "and 12 periods. Which wave's error halves first?",
           ["the 1-period wave", "the 12-period wave", "all at about the same step",
            "none: a ReLU MLP cannot fit sine waves"], 0,
           ["A ReLU network fits low frequencies first (spectral bias), so the slowest wave goes first.",
            "The fastest wave is the one the network learns last, if ever: spectral bias.",
            "The network does not treat frequencies alike: the low ones go first (spectral bias).",
            "A ReLU MLP is piecewise linear and can fit any smooth curve given steps; "
            "the question is which part it fits first."]),
    Explore("02.halving_lr", "explore: a 10x lower learning rate", _verify_halving,
            lambda: _halving(1e-4),
            wrong=[(lambda: _halving(1e-3), "✗ that is the step at lr 1e-3")],
            nudge="copy the toy's cell, set lr=1e-4, and read halved_at for the 3-period wave."),
]
