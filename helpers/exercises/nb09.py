"""09_samples_and_storage's exercises: what a bare pixel grid does where it has no sample,
one sweep of harmonic inpainting, the rate of an image stored as weights, and the widest
SIREN that fits in one bit per pixel. Reference solutions:
:mod:`helpers.exercises.solutions.nb09`."""
import functools

import torch
import torch.nn.functional as F

from .grading import Choice, Explore, Write
from .solutions import nb09 as ref


def _neighbours_rolled(u):
    """The 4 neighbours with torch.roll: the opposite edge wraps around as a neighbour."""
    return (torch.roll(u, 1, 0) + torch.roll(u, -1, 0) + torch.roll(u, 1, 1)
            + torch.roll(u, -1, 1))


def _neighbours_zero(u):
    """The 4 neighbours with zeros outside the image."""
    p = F.pad(u[None, None], (1, 1, 1, 1))[0, 0]
    return p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]


def _cases():
    generator = torch.Generator().manual_seed(0)
    a, b = torch.rand(6, 6, generator=generator), torch.rand(5, 7, generator=generator)
    hole_a = torch.zeros(6, 6, dtype=torch.bool)
    hole_a[2:4, 2:4] = True                                   # inside
    hole_b = torch.zeros(5, 7, dtype=torch.bool)
    hole_b[0, 0] = hole_b[2, 0] = hole_b[4, 6] = True         # a corner, an edge, a corner
    hole_b[1:3, 3] = True
    i, j = torch.meshgrid(torch.arange(8.0), torch.arange(8.0), indexing="ij")
    ramp, hole_r = (i + 2 * j) / 21, torch.zeros(8, 8, dtype=torch.bool)
    hole_r[3:5, 0:3] = True                                   # touches the left edge
    c = torch.rand(4, 4, generator=generator, dtype=torch.float64)
    return [(a, hole_a), (b, hole_b), (ramp, hole_r), (c, torch.ones(4, 4, dtype=torch.bool)),
            (a, torch.zeros(6, 6, dtype=torch.bool))]


@functools.lru_cache(maxsize=None)
def _widest(bpp: float = 1.0, bits: int = 16) -> int:
    return ref.widest_siren(bpp, bits)


def _verify_widest(answer) -> tuple[bool, str]:
    """The learner's width against the checker's own count of each width's bits."""
    truth, answer = _widest(), float(answer)
    if answer == truth:
        from helpers import settings
        size = settings.NOTEBOOK_09["compress_size"]
        return True, (f"✓ {truth} wide at 16 bits fits in 1 bpp, {truth + 1} does not: 1 bpp of "
                      f"a {size} px image holds only about {size * size // 16:,} 16-bit weights.")
    if answer == _widest(1.0, 32):
        return False, ("✗ that width fits at 32 bits per weight; the question stores them at "
                       "16 (float16), half the bits, so a wider network fits.")
    if answer == _widest(3.0):
        return False, ("✗ that width fits in 1 bit per colour value (3 per pixel); bits per "
                       "pixel count every bit of the file over the pixels, colour included.")
    if answer == _widest(8.0):
        return False, ("✗ that width fits if the weights are counted in bytes; the rate counts "
                       "bits: 16 per weight, and 8 per header byte.")
    side = "narrower" if answer > truth else "wider"
    return False, (f"✗ the checker finds a {side} network than {answer:g}: count "
                   "model_bits(model, 16, NETWORK_HEADER_BYTES) / C² for each width.")


EXERCISES = [
    Choice("09.grid_unsampled", "Predict, then run", "The plain pixel grid starts at the "
           "samples' mean colour and is fitted by Adam to the MSE on the sampled pixels only. "
           "What does it end with at the pixels that were never sampled?",
           ["exactly the colour it started with", "the colour of the nearest sample",
            "a smooth blend of the samples around them", "noise: Adam moves every parameter"], 0,
           ["The loss does not depend on an unsampled pixel, so its gradient there is zero and "
            "Adam never moves it: its test PSNR is the mean colour's.",
            "Nothing carries a sample's colour to its neighbour: the loss has no term that links "
            "two pixels, so an unsampled pixel gets no gradient at all.",
            "That takes a prior: TV's preference for flat regions, or a network's architecture. "
            "The bare grid has none, and its unsampled pixels get no gradient.",
            "Adam steps by its running mean of the gradient, and at an unsampled pixel every "
            "gradient is exactly zero, so its step is zero too."]),
    Write("09.harmonic_step", "one sweep of harmonic inpainting", ref.harmonic_step,
          cases=_cases(),
          wrong=[(lambda u, m: _neighbours_zero(u) / _neighbours_zero(torch.ones_like(u)),
                  "you updated the known pixels too: only the missing ones change, the known "
                  "ones are the boundary values."),
                 (lambda u, m: torch.where(m, _neighbours_rolled(u) / 4, u), "torch.roll wraps "
                  "around: a pixel on the edge took the opposite edge as a neighbour; use only "
                  "the neighbours inside the image."),
                 (lambda u, m: torch.where(m, _neighbours_zero(u) / 4, u), "on the edge you "
                  "counted the outside as black: divide by the number of neighbours inside the "
                  "image (3 on an edge, 2 in a corner)."),
                 (lambda u, m: torch.where(m, _neighbours_zero(u), u), "that is the sum of the "
                  "neighbours; harmonic inpainting takes their mean.")],
          nudge="pad the image with zeros, add the 4 shifted copies, divide by the number of "
                "neighbours that are inside, and keep the known pixels with torch.where."),
    Write("09.rate", "bits per pixel of a stored network", ref.bits_per_pixel,
          cases=[(8707, 16, 4, 64, 64), (1000, 32, 4, 128, 96), (33795, 32, 0, 512, 512),
                 (200, 16, 100, 10, 20)],
          wrong=[(lambda n, b, h, y, x: n * b / (y * x), "you left the header out; every file "
                  "has one, and it counts."),
                 (lambda n, b, h, y, x: (n * b + h) / (y * x), "the header is given in bytes: "
                  "8 bits each."),
                 (lambda n, b, h, y, x: (n * b + 8 * h) / (3 * y * x), "bits per pixel divide "
                  "by the pixels, not by the colour values: a pixel's three colours share its "
                  "bits."),
                 (lambda n, b, h, y, x: (n * b / 8 + h) / (y * x), "those are bytes per pixel; "
                  "the rate counts bits.")],
          nudge="the file's bits (weights times bits each, plus the header's bytes times 8) "
                "over the image's pixels."),
    Explore("09.widest_siren", "explore: the widest SIREN in 1 bit per pixel", _verify_widest,
            ref.widest_siren,
            wrong=[(lambda: _widest(1.0, 32), "✗ that width fits at 32 bits"),
                   (lambda: _widest(3.0), "✗ that width fits in 1 bit per colour"),
                   (lambda: _widest(8.0), "✗ that width fits if the weights are counted in bytes")],
            nudge="for width in 2, 3, ...: build helpers.make_model('siren', hidden=width, "
                  "omega0=30.0) and compare model_bits(model, 16, NETWORK_HEADER_BYTES) / C² "
                  "with 1."),
]
