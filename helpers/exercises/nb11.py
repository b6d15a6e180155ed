"""11_tiny_nerf's exercises: a pinhole camera's ray directions, each sample's weight along a
ray, new elevations predicted, fewer samples per ray explored. Reference solutions:
:mod:`helpers.exercises.solutions.nb11`."""
import math

import torch

from .grading import Choice, Explore, Write
from .solutions import nb11 as ref


def _pose(azimuth, elevation):
    from helpers import scene
    return scene.camera_pose(azimuth, elevation)


RAY_CASES = [(torch.eye(4), 4, 4, 4.0), (_pose(30, 40), 3, 5, 2.5), (_pose(200, 15), 6, 2, 3.0),
             (_pose(90, 60), 1, 1, 1.0)]


def _dirs(pose, height, width, focal, half=0.5, up=-1.0, rotate=True, swap=False, unit=True):
    """A pinhole camera's directions with one of the mistakes learners make switched on."""
    rows, cols = torch.meshgrid(torch.arange(height) + half, torch.arange(width) + half,
                                indexing="ij")
    across, down = (height, width) if swap else (width, height)
    d = torch.stack([(cols - across / 2) / focal, up * (rows - down / 2) / focal,
                     -torch.ones_like(rows)], dim=-1).reshape(-1, 3)
    d = d @ (pose[:3, :3].T if rotate else pose[:3, :3])
    return d / d.norm(dim=-1, keepdim=True) if unit else d


def _rays(n, samples, seed, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    sigmas = 3 * torch.rand(n, samples, generator=g, dtype=torch.float64)
    deltas = 0.05 + 0.45 * torch.rand(n, samples, generator=g, dtype=torch.float64)
    return sigmas.to(dtype), deltas.to(dtype)


WEIGHT_CASES = [(torch.tensor([[0.0, math.log(2) / 2, math.log(4)]]), torch.tensor([[1.0, 2.0, 1.0]])),
                _rays(5, 8, 0), _rays(3, 16, 1, torch.float64), (torch.zeros(2, 4), torch.ones(2, 4)),
                (torch.tensor([[50.0, 1.0, 1.0, 1.0]]), torch.tensor([[1.0, 0.5, 0.5, 0.5]]))]


def _inclusive(s, d):
    return torch.exp(-torch.cumsum(s * d, dim=-1)) * (1 - torch.exp(-s * d))


def _no_delta(s, d):
    return torch.exp(-(torch.cumsum(s, dim=-1) - s)) * (1 - torch.exp(-s))


def _wrong_axis(s, d):
    optical = s * d
    return torch.exp(-(torch.cumsum(optical, dim=0) - optical)) * (1 - torch.exp(-optical))


def _verify_samples(answer) -> tuple[bool, str]:
    """The learner's test PSNR with 4 samples per ray against the checker's own run (0.3 dB)."""
    from helpers import settings
    truth, answer, usual = ref.psnr_with_4_samples(), float(answer), settings.NOTEBOOK_11["n_samples"]
    if abs(answer - truth) <= 0.3:
        return True, (f"✓ the checker's own run scores {truth:.2f} dB on the test views with 4 "
                      f"samples per ray, against {ref.test_psnr_with_samples(usual):.2f} dB with "
                      f"{usual}.")
    if abs(answer - ref.test_psnr_with_samples(usual)) <= 0.3:
        return False, (f"✗ that is the score with this budget's {usual} samples per ray: pass "
                       f"n_samples=4 to train_nerf and train again.")
    side = "higher" if answer < truth else "lower"
    return False, (f"✗ the checker's run with 4 samples per ray scores {side} than "
                   f"{answer:.2f} dB: train PE at the rule's L (L_RULE) and read test_psnr.")


EXERCISES = [
    Write("11.ray_dirs", "a pinhole camera's ray directions", ref.ray_dirs, cases=RAY_CASES,
          wrong=[(lambda *c: _dirs(*c, half=0.0), "your rays pass through the pixels' corners: "
                  "pixel i's centre is at i + ½."),
                 (lambda *c: _dirs(*c, up=1.0), "your picture is upside down: rows count "
                  "downwards, the camera's y axis points up."),
                 (lambda *c: _dirs(*c, rotate=False), "you rotated by the inverse: the pose's "
                  "columns are the camera's axes in the world, so each row d becomes R d, d @ R.T."),
                 (lambda *c: _dirs(*c, swap=True), "width and height are swapped: columns run "
                  "across the width, rows down the height (try a non-square camera)."),
                 (lambda *c: _dirs(*c, unit=False), "normalise each direction to length 1, so that "
                  "t along the ray is a distance in the scene.")],
          nudge="a grid of pixel centres, shifted so that the middle of the picture is 0 and "
                "divided by f; z = −1; rotate by the pose's 3 x 3 block; unit length."),
    Write("11.weights", "each sample's weight along a ray", ref.weights, cases=WEIGHT_CASES,
          wrong=[(_inclusive, "your transmittance counts sample i itself: the light reaching "
                  "i has crossed the samples before it only (j < i)."),
                 (_no_delta, "the density is per unit of length: multiply σ by the stretch δ "
                  "before the exponential."),
                 (lambda s, d: 1 - torch.exp(-s * d), "those are the opacities α alone: a sample "
                  "behind an opaque one must get no weight, so multiply by the transmittance."),
                 (_wrong_axis, "your sum runs across rays, not along each ray: the samples of "
                  "one ray lie along the last axis.")],
          nudge="α_i = 1 − exp(−σ_i δ_i); the transmittance is exp of minus the sum of σ_j δ_j "
                "over the samples before i (a cumulative sum, minus sample i's own term)."),
    Choice("11.elevations", "Predict, then run", "The train cameras sat between 15° and 65° of "
           "elevation. The next cell renders the chosen NeRF from every azimuth at several "
           "elevations, some outside that range (just above the floor, and nearly from the top). "
           "How do the elevations outside the range score, on average?",
           ["lower than every elevation inside the range",
            "about the same as inside: NeRF learned the scene in 3-D",
            "higher: low and top views show less of the scene",
            "they cannot be rendered: a NeRF renders only its train cameras"], 0,
           ["No train ray looked from there: the network's colours and densities are "
            "constrained only along rays from between 15° and 65°, so new angles show its "
            "guesses (asserted below).",
            "A 3-D scene learned from views within a band of angles is pinned down only where "
            "those rays passed; from outside it, what no ray constrained shows up.",
            "What a view shows is not the point: those angles were never trained on, and the "
            "score drops there.",
            "NeRF renders any camera, any pose: a ray per pixel through the learned field."]),
    Explore("11.samples_per_ray", "explore: fewer samples per ray", _verify_samples,
            ref.psnr_with_4_samples,
            wrong=[(lambda: ref.test_psnr_with_samples(_usual()), "✗ that is the score with "
                    "this budget's")],
            nudge="train_nerf(lambda: PositionalEncoding(L_RULE, in_dim=3), n_samples=4), then "
                  "read .test_psnr."),
]


def _usual():
    from helpers import settings
    return settings.NOTEBOOK_11["n_samples"]
