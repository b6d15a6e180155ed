"""08_inverse_problems' exercises: the Radon projection of one angle, FBP against a pixel
grid from few angles, and the fewest angles FBP needs. Reference solutions:
:mod:`helpers.exercises.solutions.nb08`."""
import functools
import math

import torch
import torch.nn.functional as F

from .grading import Choice, Explore, Write
from .solutions import nb08 as ref

TARGET_DB = 22.0
SLIDER = (2, 4, 8, 16, 32)   # the notebook's slider of angles


def _projection(image, degrees, in_radians=True, reduce="sum", axis=0):
    """The reference with one mistake switched on: the angle left in degrees, a mean for the
    sum, or the sum taken across the rays (over t) instead of along them (over s)."""
    n = image.shape[-1]
    theta = math.radians(degrees) if in_radians else degrees
    c = (2 * torch.arange(n, dtype=torch.float32) + 1) / n - 1
    s, t = torch.meshgrid(c, c, indexing="ij")
    points = torch.stack([t * math.cos(theta) - s * math.sin(theta),
                          t * math.sin(theta) + s * math.cos(theta)], dim=-1)[None]
    along = F.grid_sample(image[None, None], points, align_corners=False)[0, 0]
    return along.sum(dim=axis) if reduce == "sum" else along.mean(dim=axis)


def _cases():
    generator = torch.Generator().manual_seed(0)
    small, larger = torch.rand(8, 8, generator=generator), torch.rand(12, 12, generator=generator)
    from helpers.phantom import shepp_logan
    return [(small, 0.0), (small, 30.0), (small, 90.0), (larger, 135.0), (larger, 60.0),
            (shepp_logan(16), 45.0)]


def _size():
    from helpers import settings
    return settings.NOTEBOOK_08["preview_size"], settings.NOTEBOOK_08["ct_size"]


@functools.lru_cache(maxsize=None)
def _fewest(size: int) -> float:
    return ref.fewest_angles(size, TARGET_DB)


@functools.lru_cache(maxsize=None)
def _first_stop(size: int) -> float:
    return next((k for k in SLIDER if ref.fbp_psnr(k, size) >= TARGET_DB), math.inf)


def _verify_fewest(answer) -> tuple[bool, str]:
    """The learner's count against the checker's own scan of 1, 2, 3, ... angles."""
    preview, ct = _size()
    truth, answer = _fewest(preview), float(answer)
    if answer == truth:
        return True, (f"✓ FBP of the {preview} px phantom first reaches {TARGET_DB:g} dB at "
                      f"{truth} angles ({ref.fbp_psnr(truth, preview):.2f} dB); at the working "
                      f"{ct} px it takes {_fewest(ct)}: finer slices need more angles.")
    if answer == _first_stop(preview) and answer != truth:
        return False, ("✗ that is the first slider stop past 22 dB; the answer lies between two "
                       "stops: score FBP at every count in between, in code.")
    if answer == _fewest(ct):
        return False, (f"✗ that is at the working size ({ct} px); the question is at the "
                       f"slider's preview size, {preview} px.")
    side = "fewer" if answer > truth else "more"
    return False, (f"✗ the checker's scan finds {side} angles than {answer:g}: score FBP at "
                   "each count from 1 up and stop at the first that reaches 22 dB.")


EXERCISES = [
    Write("08.projection", "the Radon projection of one angle", ref.radon_projection,
          cases=_cases(),
          wrong=[(lambda im, d: _projection(im, d, reduce="mean"), "a projection is a line "
                  "integral, a sum along the ray in pixel units; a mean divides it by the "
                  "ray's length in pixels."),
                 (lambda im, d: _projection(im, d, in_radians=False), "right at 0° only: cos "
                  "and sin take radians, and the angle comes in degrees."),
                 (lambda im, d: _projection(im, d, axis=1), "you summed across the rays (over "
                  "the detector positions t); a projection sums along each ray, over s, and "
                  "keeps one value per t.")],
          nudge="build the (n, n, 2) points (x, y) of every ray (rows s, columns t), read the "
                "image there with F.grid_sample, and add up each ray."),
    Choice("08.fbp_vs_grid", "Predict, then run", "From the fewest angles of this notebook, "
           "which gives the better slice inside the field of view: filtered back-projection, or "
           "a pixel grid fitted by Adam through the same radon loss (alone or with TV, as "
           "validation chooses)?",
           ["FBP, by more than 1 dB", "the pixel grid, by more than 1 dB",
            "within 1 dB of each other", "neither beats painting the field of view with its mean"], 1,
           ["FBP is exact only for continuous data, infinitely many angles; from few it smears "
            "every projection back as streaks.",
            "The grid fits exactly the projections measured (and TV prefers flat regions), "
            "while FBP's linear formula assumes the angles that were not measured are there.",
            "They use the same projections, but not the same way: FBP assumes all angles, the "
            "grid fits only those it has, and from few angles that matters by more than 1 dB.",
            "Every side recovers the slice better than its mean, even from the fewest angles."]),
    Explore("08.fewest_angles", "explore: the fewest angles FBP needs", _verify_fewest,
            ref.fewest_angles,
            wrong=[(lambda: _first_stop(_size()[0]), "✗ that is the first slider stop"),
                   (lambda: _fewest(_size()[1]), "✗ that is at the working size")],
            nudge="for k in range(1, 64): degrees = projection_angles(k); score "
                  "fbp(phantom_sinogram(degrees, preview), degrees) as ct_preview does."),
]
