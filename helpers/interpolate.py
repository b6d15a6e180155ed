"""Classical interpolation of the train pixels: the baseline every network must beat.

The protocol trains on ``image[::2, ::2]`` and tests on ``image[1::2, 1::2]``: that is
2x upsampling on a regular grid, where interpolation is strong (written out by hand in
02_plain_mlp). Positions are in train-grid units, aligned on pixel centres: full-image
pixel (r, c) sits at train-grid position (r / 2, c / 2), so train pixel (2i, 2j) is train
sample (i, j) exactly and test pixel (2i + 1, 2j + 1) is (i + 1/2, j + 1/2).

Separable kernels k, one axis at a time: value(p) = sum_t k(p - t) f[t] over the train
samples t near p (Keys 1981 for bicubic). Boundary: edge replicate (a sample index past
the edge reads the edge sample), as PIL and OpenCV do; the last row and column of an
even-sized image lie half a sample past the last train sample, so they are extrapolated.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

EXACT_PSNR = 100.0  # dB: above this, a train PSNR is float rounding of an exact fit
KEYS_A = -0.5  # Keys' a: the cubic that reproduces quadratics (PIL, OpenCV use -0.5/-0.75)


def nearest_kernel(x: torch.Tensor) -> torch.Tensor:
    """Box: 1 on (-1/2, 1/2]; a tie (a test pixel) copies the sample up and to the left."""
    return ((x > -0.5) & (x <= 0.5)).to(x.dtype)


def linear_kernel(x: torch.Tensor) -> torch.Tensor:
    """Tent: max(0, 1 - |x|); the sum of two neighbours weighted by closeness."""
    return (1 - x.abs()).clamp(min=0)


def cubic_kernel(x: torch.Tensor, a: float = KEYS_A) -> torch.Tensor:
    """Keys' cubic: (a+2)|x|^3 - (a+3)|x|^2 + 1 on |x| <= 1, a|x|^3 - 5a|x|^2 + 8a|x| - 4a
    on 1 < |x| < 2, else 0. At x = ±1/2, ±3/2 (a test pixel) the weights are
    (-1, 9, 9, -1) / 16 for a = -1/2."""
    x = x.abs()
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return torch.where(x <= 1, near, torch.where(x < 2, far, torch.zeros_like(x)))


def lanczos_kernel(x: torch.Tensor, lobes: int = 3) -> torch.Tensor:
    """Lanczos: sinc(x) sinc(x / lobes) on |x| < lobes (sinc(x) = sin(pi x) / (pi x))."""
    return torch.where(x.abs() < lobes, torch.sinc(x) * torch.sinc(x / lobes),
                       torch.zeros_like(x))


def bspline_kernel(x: torch.Tensor) -> torch.Tensor:
    """Cubic B-spline: 2/3 - |x|^2 + |x|^3 / 2 on |x| < 1, (2 - |x|)^3 / 6 on 1 <= |x| < 2.

    Smoother than Keys' cubic but it blurs: it does not pass through the samples unless the
    samples are first turned into spline coefficients (see :func:`spline_matrix`).
    """
    x = x.abs()
    return torch.where(x < 1, 2 / 3 - x * x + x ** 3 / 2,
                       torch.where(x < 2, (2 - x).clamp(min=0) ** 3 / 6, torch.zeros_like(x)))


KERNELS = {  # name -> (kernel, half-width in samples)
    "nearest": (nearest_kernel, 1),
    "bilinear": (linear_kernel, 1),
    "bicubic": (cubic_kernel, 2),
    "lanczos": (lanczos_kernel, 3),
    "spline": (bspline_kernel, 2),
}
SPLINE_PAD = 12  # replicated samples each side; a coefficient's pull decays as 0.268^k


def interpolation_matrix(positions: torch.Tensor, n_samples: int,
                         method: str = "bicubic") -> torch.Tensor:
    """``(P,)`` positions in sample units -> ``(P, n_samples)`` weights, rows summing to 1.

    Row p holds k(p - t) for the taps t within the kernel's half-width R of p, with a tap
    past either edge added to the edge sample (edge replicate).
    """
    if method not in KERNELS:
        raise ValueError(f"unknown interpolation {method!r}; choose one of {', '.join(KERNELS)}.")
    if method == "spline":
        return spline_matrix(positions, n_samples)
    kernel, radius = KERNELS[method]
    positions = positions.to(torch.float64)
    taps = positions.floor()[:, None] + torch.arange(1 - radius, radius + 1, dtype=torch.float64)
    weights = kernel(positions[:, None] - taps)
    weights = weights / weights.sum(1, keepdim=True)  # Lanczos' taps do not sum to 1 exactly
    matrix = torch.zeros(len(positions), n_samples, dtype=torch.float64)
    matrix.scatter_add_(1, taps.clamp(0, n_samples - 1).long(), weights)
    return matrix


def spline_matrix(positions: torch.Tensor, n_samples: int) -> torch.Tensor:
    """Cubic spline interpolation (``scipy.ndimage.map_coordinates(order=3)``) as weights.

    The samples f, padded by edge replicate, are first solved for coefficients c with
    sum_k beta3(t - k) c_k = f_t (a tridiagonal system, weights 1/6, 2/3, 1/6); then
    value(p) = sum_k beta3(p - k) c_k. Every output is still a fixed weighted sum of the
    samples, just with a wider (infinite, decaying) kernel: ``(P,)`` -> ``(P, n_samples)``.
    """
    n = n_samples + 2 * SPLINE_PAD
    shifted = positions.to(torch.float64) + SPLINE_PAD
    taps = shifted.floor()[:, None] + torch.arange(-1, 3, dtype=torch.float64)
    evaluate = torch.zeros(len(positions), n, dtype=torch.float64)
    evaluate.scatter_add_(1, taps.clamp(0, n - 1).long(), bspline_kernel(shifted[:, None] - taps))
    return evaluate @ _spline_coefficients(n_samples)


def upsample(train: torch.Tensor, height: int, width: int,
             method: str = "bicubic") -> torch.Tensor:
    """Train samples ``(h, w, C)`` = ``image[::2, ::2]`` -> ``(height, width, C)``, centre-aligned.

    Output pixel (r, c) reads train-grid position (r / 2, c / 2):
    out = M_rows @ train @ M_cols^T per channel, with the matrices of
    :func:`interpolation_matrix`. Clipped to [0, 1] like a network's displayed output.
    """
    rows = interpolation_matrix(torch.arange(height) / 2, train.shape[0], method)
    cols = interpolation_matrix(torch.arange(width) / 2, train.shape[1], method)
    out = torch.einsum("ri,ijc,sj->rsc", rows, train.to(torch.float64), cols)
    return out.clamp(0, 1).to(train.dtype)


def interpolate(image: torch.Tensor, method: str = "bicubic") -> torch.Tensor:
    """``(H, W, C)`` image -> ``(H, W, C)`` prediction from its train pixels ``image[::2, ::2]``.

    Only the train pixels are read, as a network is only shown them; test PSNR is then
    ``psnr(prediction[1::2, 1::2], image[1::2, 1::2])``.
    """
    if image.ndim != 3:
        raise ValueError(f"expected an (H, W, C) image, got shape {tuple(image.shape)}.")
    return upsample(image[::2, ::2], image.shape[0], image.shape[1], method)


def interpolate_misaligned(image: torch.Tensor, method: str = "bicubic") -> torch.Tensor:
    """The common mistake: ``F.interpolate(train, scale_factor=2)`` (align_corners=False).

    It treats the train samples as covering the image like blocks, so output pixel r reads
    position (r + 1/2) / 2 - 1/2 = r / 2 - 1/4: a test pixel is read a quarter sample from
    where it lies (i + 1/4 instead of i + 1/2), and even train pixels are not reproduced.
    Shown in 02_plain_mlp to make the alignment visible. Methods: nearest, bilinear, bicubic.
    """
    if method not in ("nearest", "bilinear", "bicubic"):
        raise ValueError(f"F.interpolate has no {method!r} mode here; choose nearest, "
                         "bilinear or bicubic.")
    train = image[::2, ::2].permute(2, 0, 1)[None]
    options = {} if method == "nearest" else {"align_corners": False}
    out = F.interpolate(train, scale_factor=2, mode=method, **options)[0].permute(1, 2, 0)
    return out[:image.shape[0], :image.shape[1]].clamp(0, 1).contiguous()


class Interpolator(nn.Module):
    """An interpolation as a coordinate model: ``(N, 2)`` coords (x, y) in (-1, 1) -> ``(N, C)``.

    Holds the train samples ``image[::2, ::2]`` (a buffer, no parameters) and the full
    image's size, so ``predict_image`` and every plot that takes a model take it. A
    coordinate x is full-image column j = ((x + 1) W - 1) / 2, i.e. train position j / 2;
    value = sum_a sum_b k(p_y - a) k(p_x - b) f[a, b] over the kernel's taps, edge
    replicate. For 'spline', f holds the spline coefficients (see :func:`spline_matrix`).
    """

    def __init__(self, image: torch.Tensor, method: str = "bicubic"):
        super().__init__()
        if method not in KERNELS:
            raise ValueError(f"unknown interpolation {method!r}; choose one of "
                             f"{', '.join(KERNELS)}.")
        self.method, self.height, self.width = method, image.shape[0], image.shape[1]
        samples = image[::2, ::2].to(torch.float64)
        self.offset = 0
        if method == "spline":  # coefficients on a padded grid, then plain B-spline taps
            self.offset = SPLINE_PAD
            rows, cols = (_spline_coefficients(n) for n in samples.shape[:2])
            samples = torch.einsum("ai,ijc,bj->abc", rows, samples, cols)
        self.register_buffer("samples", samples)
        # no weights, but code that asks a model for its device (next(model.parameters()))
        # must work: one empty tensor, 0 parameters
        self.device_anchor = nn.Parameter(torch.empty(0), requires_grad=False)

    def _taps(self, coords: torch.Tensor, size: int, n_samples: int):
        kernel, radius = KERNELS[self.method]
        position = ((coords.to(torch.float64) + 1) * size - 1) / 4 + self.offset
        position = torch.round(position * 2 ** 20) / 2 ** 20  # float32 noise: ties as on the grid
        taps = position.floor()[:, None] + torch.arange(1 - radius, radius + 1,
                                                        dtype=torch.float64, device=coords.device)
        weights = kernel(position[:, None] - taps)
        return taps.clamp(0, n_samples - 1).long(), weights / weights.sum(1, keepdim=True)

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        rows, row_weights = self._taps(coords[:, 1], self.height, self.samples.shape[0])
        cols, col_weights = self._taps(coords[:, 0], self.width, self.samples.shape[1])
        values = self.samples[rows[:, :, None], cols[:, None, :]]  # (N, taps, taps, C)
        out = torch.einsum("na,nb,nabc->nc", row_weights, col_weights, values)
        return out.to(coords.dtype)


def _spline_coefficients(n_samples: int) -> torch.Tensor:
    """``(n + 2 SPLINE_PAD, n)``: samples -> B-spline coefficients on the padded grid."""
    n = n_samples + 2 * SPLINE_PAD
    grid = torch.arange(n, dtype=torch.float64)
    system = bspline_kernel(grid[:, None] - grid[None, :])
    system[0, 0] += 1 / 6  # c_{-1} = c_0 and c_n = c_{n-1} at the far ends of the padding
    system[-1, -1] += 1 / 6
    replicate = torch.zeros(n, n_samples, dtype=torch.float64)
    replicate[torch.arange(n), (torch.arange(n) - SPLINE_PAD).clamp(0, n_samples - 1)] = 1
    return torch.linalg.solve(system, replicate)


def fit_interpolation(image: torch.Tensor, method: str = "bicubic", **ignored):
    """Interpolation through the protocol of ``helpers.fit``: a FitResult with 0 parameters.

    Same fields as a trained method's result (prediction, train/test PSNR, history,
    one snapshot, seconds), with steps 0. The train pixels are kept exactly, so train
    PSNR is ``inf`` (the command line reports it as null in JSON). Options a network
    takes (steps, lr, seed, device, ...) are accepted and ignored, so callers need no
    special case. Used by ``helpers.run("bicubic", image)``.
    """
    import time

    from .grids import make_grid
    from .metrics import psnr
    from .train import RECORDERS, FitResult

    start = time.perf_counter()
    model = Interpolator(image.float().cpu(), method)
    height, width = image.shape[:2]
    prediction = model(make_grid(height, width).reshape(-1, 2)).reshape(height, width, -1)
    prediction = prediction.clamp(0, 1).float()
    train = psnr(prediction[::2, ::2], image[::2, ::2])
    test = psnr(prediction[1::2, 1::2], image[1::2, 1::2])
    def others(picture):  # the two quarters that are neither train nor test
        return torch.cat([picture[::2, 1::2].reshape(-1, 3), picture[1::2, ::2].reshape(-1, 3)])

    val = psnr(others(prediction), others(image))
    train = math.inf if train > EXACT_PSNR else train  # rounding: exact by construction
    seconds = time.perf_counter() - start
    history = {"step": [0], "train_psnr": [train], "test_psnr": [test], "val_psnr": [val],
               "seconds": [seconds]}
    snapshot = (prediction.numpy() * 255 + 0.5).astype("uint8")
    result = FitResult(model=model, train_psnr=train, test_psnr=test, val_psnr=val,
                       prediction=prediction, history=history, snapshots=[(0, snapshot)],
                       seconds=seconds, seconds_per_step=0.0, steps=0, lr=0.0, params=0,
                       device="cpu")
    for record in RECORDERS:  # reported like a fit (run-notebooks' table)
        record(result)
    return result


def method_names() -> list[str]:
    """The interpolations :func:`interpolate` knows, cheapest first."""
    return list(KERNELS)


__all__ = ["KERNELS", "Interpolator", "interpolate", "interpolate_misaligned",
           "interpolation_matrix", "spline_matrix", "upsample", "fit_interpolation",
           "method_names", "nearest_kernel", "linear_kernel", "cubic_kernel", "lanczos_kernel",
           "bspline_kernel"]
