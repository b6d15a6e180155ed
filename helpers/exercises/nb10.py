"""10_beyond_images' exercises: the SNR of a sound, ω0 = 30 on a sound predicted, SIREN's c
explored on the notes, the eikonal term by autograd. Reference solutions:
:mod:`helpers.exercises.solutions.nb10`."""
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb10 as ref


def _waves(n, seed, dtype=torch.float32):
    """A target of n samples in [-1, 1] and a prediction with a small error."""
    g = torch.Generator().manual_seed(seed)
    t = torch.linspace(0, 1, n, dtype=torch.float64)
    target = (0.6 * torch.sin(2 * math.pi * 7 * t) * torch.exp(-2 * t)).to(dtype)
    return target + (0.05 * torch.randn(n, generator=g, dtype=torch.float64)).to(dtype), target


_target = _waves(100, 0)[1]
SNR_CASES = [_waves(100, 0), _waves(37, 1, torch.float64), (torch.zeros(64), _waves(64, 2)[1]),
             (0.5 * _target, _target), _waves(1000, 3)]


def _sum_over_mean(p, a):
    return 10 * math.log10(float((a.double() ** 2).sum() / ((p.double() - a.double()) ** 2).mean()))


def _psnr_range(p, a):
    return 10 * math.log10(4 / float(((p.double() - a.double()) ** 2).mean()))


def _sphere(p):
    return p.norm(dim=-1) - 0.5


def _tiny_siren():
    from helpers import Siren
    with torch.random.fork_rng(devices=[]):  # leave the notebook's random state alone
        torch.manual_seed(3)
        return Siren(3, 1, 16, 2)


def _points(n, seed, dtype=torch.float32):
    return (torch.rand(n, 3, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
            * 2 - 1).to(dtype)


EIKONAL_CASES = [(_sphere, _points(50, 0)), (lambda p: 2 * _sphere(p), _points(40, 1)),
                 (lambda p: (p ** 2).sum(-1), _points(64, 2, torch.float64)),
                 (lambda p: 0.5 * p[:, :1], _points(30, 3)), (_tiny_siren(), _points(80, 4))]


def _gradients(fn, points):
    points = points.detach().requires_grad_(True)
    return torch.autograd.grad(fn(points).sum(), points)[0]


def _verify_c3(answer) -> tuple[bool, str]:
    """The learner's SNR at c = 3 against the checker's own run (within 0.3 dB)."""
    truth, answer = ref.snr_at_c3(), float(answer)
    if abs(answer - truth) <= 0.3:
        return True, (f"✓ the checker's own run scores {truth:.2f} dB at c = 3, against "
                      f"{ref.notes_snr_at(1.0):.2f} dB at the rule's c = 1.")
    if abs(answer - ref.notes_snr_at(1.0)) <= 0.3:
        return False, ("✗ that is the SNR at c = 1, the rule's ω0: multiply omega_rule by 3 "
                       "and train again.")
    clip, full = ref.notes_fit(3.0)
    from helpers import audio
    if abs(answer - audio.snr(full, clip)) <= 0.3:
        return False, ("✗ that SNR counts the even samples too, the ones SIREN trained on: "
                       "score the odd samples only ([1::2]).")
    side = "higher" if answer < truth else "lower"
    return False, (f"✗ the checker's run at c = 3 scores {side} than {answer:.2f} dB: train "
                   f"on the notes' validation clip at ω0 = 3 x omega_rule and score its odd samples.")


def _all_samples_c3():
    from helpers import audio
    clip, full = ref.notes_fit(3.0)
    return audio.snr(full, clip)


EXERCISES = [
    Write("10.snr", "SNR of a sound in dB", ref.snr, cases=SNR_CASES,
          wrong=[(lambda p, a: 2 * ref.snr(p, a), "Σ a² and Σ (â − a)² are powers already, so "
                  "decibels take 10 log10 of their ratio; 20 log10 is for amplitudes."),
                 (lambda p, a: -ref.snr(p, a), "your ratio is upside down: the signal's power goes "
                  "on top, so a smaller error gives more dB."),
                 (_sum_over_mean, "you divided a sum by a mean: take both as sums (or both as "
                  "means, which is the same ratio)."),
                 (_psnr_range, "that is a PSNR with the range [−1, 1] as the peak; the SNR compares "
                  "the error with the signal's own power, Σ a².")],
          nudge="power of the target over power of the error, in decibels; predicting silence "
                "must give exactly 0 dB."),
    Choice("10.omega_sound", "Predict, then run", "The contest below trains SIREN on the notes' "
           "even samples twice: with ω0 = 30, the value for images, and with the bandwidth rule's "
           "ω0 (c chosen on validation; the clip has thousands of train samples per unit, so the "
           "rule's ω0 is in the hundreds or thousands). How does ω0 = 30 do on the test samples?",
           ["about as well as the rule's ω0: 30 is SIREN's value",
            "more than 10 dB worse than the rule's ω0",
            "better than the rule's ω0: a lower ω0 fills the gaps more smoothly",
            "it does not train at all: the loss turns to NaN"], 1,
           ["ω0 = 30 was set for images of about 128 train pixels per unit; the sound has far more "
            "samples per unit, and the frequency scale follows them.",
            "With ω0 = 30 SIREN's first layer varies far too slowly for waves of hundreds of "
            "periods per unit: it fits a blur of the sound, and the rule's ω0 beats it by more "
            "than 10 dB (asserted below).",
            "Too smooth a network cannot follow the waves even at the train samples, so there is "
            "nothing good to fill the gaps with.",
            "A small ω0 trains stably, it just underfits: the loss stays high, never NaN."]),
    Explore("10.siren_c3", "explore: SIREN's c on the notes", _verify_c3, ref.snr_at_c3,
            wrong=[(lambda: ref.notes_snr_at(1.0), "✗ that is the SNR at c = 1"),
                   (_all_samples_c3, "✗ that SNR counts the even samples too")],
            nudge="sound_fit.fit_audio('siren', 3 * omega_rule, the notes' validation clip, "
                  "HIDDEN_A, STEPS_A, DEVICE), then audio.snr of its odd samples."),
    Write("10.eikonal", "the eikonal error by autograd", ref.eikonal, cases=EIKONAL_CASES,
          wrong=[(lambda f, p: (_gradients(f, p).norm(dim=-1) - 1).mean(), "without the absolute "
                  "value, gradients longer and shorter than 1 cancel out: take | |∇f| − 1 |."),
                 (lambda f, p: ((_gradients(f, p) ** 2).sum(-1) - 1).abs().mean(), "that is "
                  "|∇f|², the squared length: take the norm, the square root of the sum of squares."),
                 (lambda f, p: ((_gradients(f, p).norm(dim=-1) - 1) ** 2).mean(), "that squares "
                  "the gap (Gropp et al.'s form); this notebook's loss and table take its "
                  "absolute value."),
                 (lambda f, p: (_gradients(f, p).norm(dim=-1) - 1).abs().sum(), "a sum where a "
                  "mean belongs: the error must not grow with the number of points."),
                 (lambda f, p: (_gradients(f, p).norm(dim=0) - 1).abs().mean(), "the norm runs "
                  "over the wrong axis: each point's gradient is a row (N, 3), so take it over "
                  "the last axis.")],
          nudge="make the points require gradients, then torch.autograd.grad(f.sum(), points) "
                "gives every point's ∇f at once."),
]
