"""01_dataset's exercises: the pixel-centre grid by hand, the distance from a test pixel to the
train pixels, how much of a photo's power sits at low frequencies, and how much of the text
image the train pixels can resolve. Reference solutions: :mod:`helpers.exercises.solutions.nb01`."""
import functools

import torch

from .grading import Choice, Explore, Write
from .solutions import nb01 as ref


def _grid_from(axis, swap=False):
    """A grid built like the reference but with coordinates ``axis(n)`` (a wrong answer)."""
    def grid(height, width):
        yy, xx = torch.meshgrid(axis(height), axis(width), indexing="ij")
        return torch.stack([yy, xx] if swap else [xx, yy], dim=-1)
    return grid


def _centres(n):
    return (2 * torch.arange(n) + 1) / n - 1


@functools.lru_cache(maxsize=None)
def _share(name: str, divisor: int) -> float:
    import helpers
    from helpers import settings
    return ref.low_frequency_share(helpers.load_image(name, size=settings.SIZE), divisor)


def _as_fraction(answer) -> float:
    answer = float(answer)
    return answer / 100 if 1 < answer <= 100 else answer  # '82' for 82% is fine too


def _verify_text_share(answer) -> tuple[bool, str]:
    """The learner's share against the checker's own FFT of the text image (within 0.006)."""
    truth, got = _share("text", 4), _as_fraction(answer)
    if abs(got - truth) <= 0.006:
        return True, (f"✓ {truth:.0%} of the text image's power lies within SIZE/4 periods; the "
                      f"other {1 - truth:.0%} is detail its train pixels cannot resolve (the "
                      f"photo's: {1 - _share('photo', 4):.0%}).")
    known = [(_share("text", 16), "✗ that is the share within SIZE/16, the notebook's radius: "
              "change the divisor to 4 and run the cell again."),
             (1 - truth, "✗ that is the share outside the circle; the question asks for the "
              "power inside it, which the train pixels can resolve."),
             (_share("photo", 4), "✗ that is the photo's share; read the text image's.")]
    for value, message in known:
        if abs(got - value) <= 0.006:
            return False, message
    side = "more" if got < truth else "less"
    return False, (f"✗ the checker's own FFT puts {side} of the text image's power inside "
                   f"radius SIZE/4 than {got:.3f}: check the radius and the image.")


EXERCISES = [
    Write("01.pixel_grid", "the pixel-centre grid", ref.pixel_grid,
          cases=[(4, 4), (2, 6), (5, 3), (1, 1), (3, 8)],
          wrong=[(_grid_from(lambda n: torch.arange(n) / n), "your coordinates run from 0 to 1; "
                  "the series' run over (−1, 1), centred on zero, as SIREN's and NeRF's do."),
                 (_grid_from(lambda n: 2 * torch.arange(n) / n - 1), "your first pixel sits at "
                  "exactly −1 and the last one a whole pixel short of 1: those are the pixels' "
                  "left (top) edges, not their centres."),
                 (_grid_from(lambda n: torch.linspace(-1, 1, n)), "your first and last pixels "
                  "sit exactly on −1 and 1, so your spacing is 2/(n−1) rather than one pixel's "
                  "width: the image's edges are at ±1, the pixels' centres inside them."),
                 (_grid_from(_centres, swap=True), "your x and y are swapped: coords[..., 0] "
                  "must grow along a row (left to right, the columns), coords[..., 1] down a "
                  "column.")],
          nudge="the image spans [−1, 1] and has W pixels side by side, each 2/W wide: where "
                "does pixel j begin, and where is its centre?"),
    Choice("01.nearest_train", "Predict, then run", "The network trains on image[::2, ::2] and "
           "is tested on image[1::2, 1::2]. How far is each test pixel from its nearest train "
           "pixel?",
           ["one pixel to the side (2/W)", "one pixel diagonally (√2 · 2/W)",
            "two pixels (4/W), one train-pixel step", "zero: some test pixels are train pixels"], 1,
           ["A test pixel shares neither its row nor its column with a train pixel: test rows "
            "and columns are odd, train ones even.",
            "Test pixel (2i+1, 2j+1) has train pixels at (2i, 2j), (2i, 2j+2), (2i+2, 2j) and "
            "(2i+2, 2j+2): one row and one column away.",
            "Train pixels are two pixels apart, but each test pixel sits in the middle of four "
            "of them, not on the next one.",
            "[::2] takes the even rows and columns and [1::2] the odd ones, so no pixel is in "
            "both sets."]),
    Choice("01.low_share", "Predict, then run", "A disc of radius SIZE/16 around the centre "
           "of the spectrum covers about 1% of its area. What share of the photo's power (its "
           "mean removed) lies inside it?",
           ["about 1%, as much as its area", "between 10% and 30%", "more than half",
            "all of it, 100%"], 2,
           ["That would be white noise, whose power is spread evenly over all frequencies; a "
            "photo is mostly smooth regions.",
            "That is nearer the text image, all sharp edges; the photo's skin, suit and "
            "background are smooth and put far more power near the centre.",
            "The power of natural images falls steeply with frequency (roughly as 1/f²), so "
            "a small disc around the centre holds most of it.",
            "Edges, hair and the flag's stripes are sharp: some power always lies far from "
            "the centre, and it is the detail the series tries to fit."]),
    Explore("01.text_resolved", "explore: what the train pixels can resolve", _verify_text_share,
            ref.text_share_resolved,
            wrong=[(lambda: _share("text", 16), "✗ that is the share within SIZE/16"),
                   (lambda: 1 - _share("text", 4), "✗ that is the share outside the circle"),
                   (lambda: _share("photo", 4), "✗ that is the photo's share")],
            nudge="copy low_frequency_share's cell, make the radius size / 4 instead of "
                  "size / 16, and read the text image's share."),
]
