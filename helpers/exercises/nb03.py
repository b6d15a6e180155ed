"""03_positional_encoding's exercises: γ(p) for L frequencies without the matrix P, which model
wins on the test pixels, the largest L a train grid resolves, and the best L at the preview
size. Reference solutions: :mod:`helpers.exercises.solutions.nb03`."""
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb03 as ref

_X = torch.rand(6, 2, generator=torch.Generator().manual_seed(3)) * 2 - 1
_POINTS = torch.tensor([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.5], [0.3, -0.7]])


def _encoding(scale, frequencies, cosines=True, interleave=False):
    """An encoding with phases ``scale * f * x`` for ``f`` in ``frequencies(L)`` (a wrong answer)."""
    def encode(x, L):
        z = [scale * f * x for f in frequencies(L)]
        if interleave:  # NeRF's code: sin and cos of each frequency side by side
            return torch.cat([t(zk) for zk in z for t in (torch.sin, torch.cos)], dim=-1)
        z = torch.cat(z, dim=-1)
        return torch.cat([torch.sin(z), torch.cos(z)] if cosines else [torch.sin(z)], dim=-1)
    return encode


def _octaves(L):
    return [2.0 ** k for k in range(L)]


def _largest_L(below):
    """The largest L whose top frequency passes ``below(top, size)`` (a wrong answer)."""
    def largest(size):
        L = 1
        while below(2 ** L, size):
            L += 1
        return L
    return largest


def _main_safe_L() -> int:
    """The safe L at the notebook's main size: a wrong answer at the preview size."""
    from helpers import settings
    return ref.max_useful_L(settings.SIZE)


_psnr = ref.preview_test_psnr  # cached: each L trains once per session


def _verify_preview_L(answer) -> tuple[bool, str]:
    """The learner's L against the checker's own preview runs (within 0.1 dB of the best)."""
    from helpers import settings
    value = float(answer)
    L = int(value)
    if not 1 <= L <= 12 or L != value:
        return False, f"✗ the slider's L is a whole number from 1 to 12, not {answer!r}."
    tried = range(1, ref.max_useful_L(settings.PREVIEW_SIZE) + 3)
    best_L = max(tried, key=_psnr)
    best, mine = _psnr(best_L), _psnr(L)
    if mine >= best - 0.1:
        return True, (f"✓ L = {L} scores {mine:.2f} dB on the preview's test pixels, the best the "
                      f"checker found; the preview's train grid resolves up to L = "
                      f"{ref.max_useful_L(settings.PREVIEW_SIZE)} ({settings.PREVIEW_SIZE} px).")
    if L == _main_safe_L():
        return False, (f"✗ that is the safe L at the notebook's {settings.SIZE} px; the preview "
                       f"is {settings.PREVIEW_SIZE} px, whose train grid resolves less: move the "
                       f"slider and read the test PSNR.")
    if L == 10:
        return False, (f"✗ L = 10, NeRF's, scores {mine:.2f} dB, {best - mine:.2f} dB below the "
                       f"best: its top frequencies alias on the preview's train grid.")
    direction = "smaller" if L > best_L else "larger"
    return False, (f"✗ L = {L} scores {mine:.2f} dB on the preview's test pixels, {best - mine:.2f} "
                   f"dB below the best the checker found: try {direction} L.")


EXERCISES = [
    Write("03.encoding", "γ(p) for L frequencies", ref.positional_encoding,
          cases=[(_X, 4), (_POINTS, 4), (_X[:1], 4), (_X.double(), 4), (_POINTS, 1), (_X, 3)],
          wrong=[(_encoding(math.pi, _octaves, cosines=False), "half the features are missing: "
                  "γ pairs every sine with a cosine of the same frequency."),
                 (_encoding(1.0, _octaves), "your frequencies lack a factor π: with x in [−1, 1], "
                  "sin(2^k x) makes 2^k/π periods across the image instead of 2^k."),
                 (_encoding(2 * math.pi, _octaves), "your frequencies are twice too high: 2π "
                  "belongs to coordinates in [0, 1) (Tancik's); ours span [−1, 1], twice as wide."),
                 (_encoding(math.pi, lambda L: [k + 1.0 for k in range(L)]), "your frequencies "
                  "grow by a constant step (1, 2, 3, 4); NeRF's double at each step."),
                 (_encoding(math.pi, _octaves, interleave=True), "the values are right but in "
                  "the order of NeRF's code (sin, cos of each frequency); follow encode(x, P): "
                  "all the sines, then all the cosines.")],
          nudge="build the phases 2^k π x for k = 0 ... L−1 side by side (the columns of x @ P), "
                "then take their sines and their cosines."),
    Choice("03.best_test", "Predict, then run", "Same network, same steps: the plain ReLU MLP, "
           "PE with L_SAFE frequencies, and PE with NeRF's L = 10. Which scores highest on the "
           "test pixels, the ones no model trains on?",
           ["the plain ReLU MLP", "PE with L = L_SAFE", "PE with L = 10",
            "all three within 1 dB of each other"], 1,
           ["Without an encoding the network learns the low frequencies first and stays blurry "
            "(02's spectral bias); the right encoding beats it by several dB.",
            "Its frequencies reach as high as the train pixels can resolve and no higher, so "
            "everything it fits is checked by the train pixels.",
            "More frequencies fit the train pixels better, but the top ones alias on the train "
            "grid: between the train pixels they do what nothing constrains.",
            "The input decides what the same network fits in the same steps; changing the "
            "input moves the test PSNR by several dB here."]),
    Write("03.max_L", "the largest L a train grid resolves", ref.max_useful_L,
          cases=[(128,), (256,), (512,), (64,), (100,), (96,), (1000,), (8,)],
          wrong=[(_largest_L(lambda top, size: top <= size / 4), "at exactly size/4 periods a "
                  "wave takes one value on every train pixel (it aliases): the top frequency "
                  "must stay strictly below the limit."),
                 (_largest_L(lambda top, size: top < size / 2), "size/2 periods is the limit of "
                  "the whole pixel grid; the network trains on every other pixel, a grid half "
                  "as fine."),
                 (lambda size: ref.max_useful_L(size) - 1, "your L is one too small: L "
                  "frequencies are 2^0 ... 2^(L−1), so the top one is 2^(L−1).")],
          nudge="the train pixels are size/2 samples across, so they resolve fewer than size/4 "
                "periods; L frequencies reach 2^(L−1)."),
    Explore("03.preview_L", "explore: the best L at the preview size", _verify_preview_L,
            ref.best_preview_L,
            wrong=[(lambda: 10, "✗ L = 10, NeRF's"), (_main_safe_L, "✗ that is the safe L at")],
            nudge="move the slider from 1 up, past the preview's safe L, and compare the test "
                  "PSNRs in the panel's plot."),
]
