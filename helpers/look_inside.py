"""Looking inside a fit: Fourier-feature kernels, derivatives, activations through depth.

Used by 04 (the kernel a Fourier-feature mapping induces), 05 (SIREN's gradient and
Laplacian, pre-activations through depth, the fit outside the image), 06 and
10_beyond_images (the gradient of a signed distance).

Units, once for the whole file. Our coordinates are x in [-1, 1] (pixel centres, see
:mod:`helpers.grids`): the image is 2 units wide, so neighbouring pixels are ``2 / W``
apart. The papers use v in [0, 1): the image is 1 unit wide. A displacement of Δ image
widths (the papers' Δv) is therefore ``2 Δ`` in our x. Kernels below take Δ in image
widths, so they read as in Tancik et al.; derivatives are per unit of *our* x (multiply
by ``2 / W`` for "per pixel", or by 2 for "per image width").
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .grids import make_grid
from .models import SineLayer

LUMA = (0.299, 0.587, 0.114)  # Rec. 601 luminance weights: one gray value per pixel
CHANNELS = ("luma", "mean", "rgb")


# --- the kernel of a Fourier-feature mapping (04) ------------------------------------

def fourier_kernel(B: torch.Tensor, delta: torch.Tensor) -> torch.Tensor:
    """Tancik et al.'s induced kernel ``k(Δ) = mean_j cos(2 pi B_j · Δ)``.

    B: ``(m, d)`` frequencies (e.g. ``GaussianFourierFeatures(...).B``); delta: ``(N, d)``
    displacements in image widths (the papers' units). Returns ``(N,)``, 1 at Δ = 0.
    Our features are cos/sin of ``pi x B^T`` with x in [-1, 1]: moving Δ image widths
    moves x by 2Δ and the phase by ``pi B (2Δ) = 2 pi B Δ``, the paper's kernel. For
    B ~ N(0, σ²) it tends to ``exp(-2 pi² σ² |Δ|²)``: width about ``1 / (2 pi σ)``.
    """
    B = torch.as_tensor(B, dtype=torch.float32)
    delta = torch.as_tensor(delta, dtype=torch.float32).reshape(-1, B.shape[1])
    return torch.cos(2 * math.pi * delta @ B.T).mean(dim=1)


def encoding_kernel(encoder: nn.Module, delta: torch.Tensor, origin=None) -> torch.Tensor:
    """The kernel of any encoder, measured: ``γ(x0)·γ(x0 + 2Δ) / γ(x0)·γ(x0)``.

    encoder: ``(N, d) -> (N, F)``; delta: ``(N, d)`` displacements in image widths;
    origin: x0 ``(d,)`` in our coordinates (default the centre). Returns ``(N,)``. For
    sin/cos encodings (positional encoding, Gaussian features) it does not depend on x0
    and equals :func:`fourier_kernel` of the encoder's frequencies.
    """
    delta = torch.as_tensor(delta, dtype=torch.float32)
    delta = delta.reshape(-1, getattr(encoder, "in_dim", delta.shape[-1]))
    x0 = torch.zeros(1, delta.shape[1]) if origin is None else torch.as_tensor(
        origin, dtype=torch.float32).reshape(1, -1)
    device = _device_of(encoder)
    with torch.no_grad():
        center = encoder(x0.to(device)).cpu()
        moved = encoder((x0 + 2 * delta).to(device)).cpu()
    return (moved @ center.T).squeeze(1) / (center @ center.T).squeeze()


def expected_gaussian_kernel(scale: float, delta: torch.Tensor) -> torch.Tensor:
    """The limit of :func:`fourier_kernel` for B ~ N(0, scale²): ``exp(-2 pi² σ² |Δ|²)``."""
    delta = torch.as_tensor(delta, dtype=torch.float32)
    if delta.ndim == 1:
        delta = delta[:, None]
    return torch.exp(-2 * math.pi ** 2 * scale ** 2 * (delta ** 2).sum(dim=-1))


# --- derivatives of a fitted model, by autograd (05) ----------------------------------

def _device_of(module: nn.Module) -> torch.device:
    tensor = next(iter(list(module.parameters()) + list(module.buffers())), None)
    return tensor.device if tensor is not None else torch.device("cpu")


def _combine(colors: torch.Tensor, channels: str) -> torch.Tensor:
    """``(..., C)`` colours -> ``(...)`` gray (luma, mean) or unchanged (rgb)."""
    if channels == "luma":
        if colors.shape[-1] != 3:
            return colors.mean(dim=-1)  # gray images: luma of (g, g, g) is g
        return colors @ torch.tensor(LUMA, dtype=colors.dtype, device=colors.device)
    if channels == "mean":
        return colors.mean(dim=-1)
    if channels == "rgb":
        return colors
    raise ValueError(f"channels must be one of {', '.join(CHANNELS)}, got {channels!r}.")


def model_derivatives(model: nn.Module, coords: torch.Tensor, channels: str = "luma",
                      chunk_size: int = 16384) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradient and Laplacian of the model's output with respect to its input, by autograd.

    coords: ``(N, 2)`` in our [-1, 1] convention. channels: 'luma' (Rec. 601 gray,
    0.299 R + 0.587 G + 0.114 B, the default), 'mean' or 'rgb' (each channel).
    Returns ``gradient (N, 2)`` [(∂/∂x, ∂/∂y)] and ``laplacian (N,)`` (∂²/∂x² + ∂²/∂y²),
    or ``(N, 3, 2)`` and ``(N, 3)`` for 'rgb', on the CPU, per unit of our coordinates.
    The raw output is differentiated (no clamping). Runs ``chunk_size`` points at a
    time: second derivatives keep the graph of the first, which costs memory.
    """
    if channels not in CHANNELS:
        raise ValueError(f"channels must be one of {', '.join(CHANNELS)}, got {channels!r}.")
    device = _device_of(model)
    grads, laps = [], []
    with torch.enable_grad():
        for start in range(0, len(coords), chunk_size):
            x = coords[start:start + chunk_size].detach().to(device).requires_grad_(True)
            values = _combine(model(x), channels)
            values = values[:, None] if values.ndim == 1 else values  # (n, k)
            chunk_grads, chunk_laps = [], []
            for k in range(values.shape[1]):
                # each output depends only on its own input row, so the gradient of the
                # sum over rows gives every row's own gradient at once
                grad = torch.autograd.grad(values[:, k].sum(), x, create_graph=True)[0]
                lap = torch.zeros(len(x), device=device)
                for axis in range(x.shape[1]):
                    if grad.requires_grad:
                        second = torch.autograd.grad(grad[:, axis].sum(), x, retain_graph=True,
                                                     allow_unused=True)[0]
                        if second is not None:
                            lap = lap + second[:, axis]
                chunk_grads.append(grad.detach())
                chunk_laps.append(lap.detach())
            grads.append(torch.stack(chunk_grads, dim=1).cpu())
            laps.append(torch.stack(chunk_laps, dim=1).cpu())
    gradient, laplacian = torch.cat(grads), torch.cat(laps)
    if channels != "rgb":
        return gradient[:, 0], laplacian[:, 0]
    return gradient, laplacian


def grid_derivatives(model: nn.Module, height: int, width: int | None = None,
                     channels: str = "luma", chunk_size: int = 16384):
    """:func:`model_derivatives` on every pixel centre: ``(H, W, 2)`` and ``(H, W)`` (luma)."""
    width = height if width is None else width
    coords = make_grid(height, width).reshape(-1, 2)
    gradient, laplacian = model_derivatives(model, coords, channels, chunk_size)
    return (gradient.reshape(height, width, *gradient.shape[1:]),
            laplacian.reshape(height, width, *laplacian.shape[1:]))


# --- derivatives of the target image, by finite differences (05) ----------------------

def _gray(image: torch.Tensor, channels: str) -> torch.Tensor:
    image = torch.as_tensor(image, dtype=torch.float32)
    if image.ndim == 2:
        image = image[..., None]
    return _combine(image, channels)


def image_gradient(image: torch.Tensor, channels: str = "luma") -> torch.Tensor:
    """Finite-difference gradient of an ``(H, W, C)`` image on its pixel-centre grid.

    Returns ``(H, W, 2)`` = (∂/∂x, ∂/∂y) per unit of our coordinates ((H, W, C, 2) for
    'rgb'), comparable with :func:`model_derivatives`. Central differences
    ``(f[j+1] - f[j-1]) / (2 h)`` inside, one-sided at the border, with the pixel spacing
    ``h = 2 / W`` along x and ``2 / H`` along y (like ``numpy.gradient``).
    """
    gray = _gray(image, channels)
    height, width = gray.shape[:2]
    if height < 2 or width < 2:
        raise ValueError(f"a finite-difference gradient needs at least 2 x 2 pixels, "
                         f"got {height} x {width}.")
    d_dy, d_dx = torch.gradient(gray, spacing=(2 / height, 2 / width), dim=(0, 1))
    return torch.stack([d_dx, d_dy], dim=-1)


def image_laplacian(image: torch.Tensor, channels: str = "luma") -> torch.Tensor:
    """Finite-difference Laplacian of an ``(H, W, C)`` image: ``(H, W)`` ((H, W, C) for 'rgb').

    The 5-point stencil ``(f[j+1] + f[j-1] - 2 f[j]) / h²`` along each axis, h = 2/W
    along x and 2/H along y, so it is per unit² of our coordinates like
    :func:`model_derivatives`. Border pixels repeat their edge neighbour.
    """
    gray = _gray(image, channels)
    height, width = gray.shape[:2]
    padded = torch.cat([gray[:1], gray, gray[-1:]], dim=0)
    padded = torch.cat([padded[:, :1], padded, padded[:, -1:]], dim=1)
    center = padded[1:-1, 1:-1]
    d2_dx2 = (padded[1:-1, 2:] + padded[1:-1, :-2] - 2 * center) / (2 / width) ** 2
    d2_dy2 = (padded[2:, 1:-1] + padded[:-2, 1:-1] - 2 * center) / (2 / height) ** 2
    return d2_dx2 + d2_dy2


def field_closeness(predicted: torch.Tensor, target: torch.Tensor, margin: int = 1) -> dict:
    """How close a derivative field is to the target's, two ways, over all pixels.

    predicted, target: ``(H, W, ...)`` (a gradient ``(H, W, 2)`` or a Laplacian
    ``(H, W)``); ``margin`` border pixels are left out (finite differences there are
    one-sided). Returns ``{'relative_error': ||p - t|| / ||t||, 'cosine': <p, t> /
    (||p|| ||t||)}`` with norms over every pixel and component: 0 and 1 for a perfect
    match; a field of zeros has relative error 1 and cosine 0.
    """
    predicted = torch.as_tensor(predicted, dtype=torch.float64)
    target = torch.as_tensor(target, dtype=torch.float64)
    if predicted.shape != target.shape:
        raise ValueError(f"the fields differ in shape: {tuple(predicted.shape)} vs "
                         f"{tuple(target.shape)}; evaluate both on the same grid.")
    if margin:
        predicted = predicted[margin:-margin, margin:-margin]
        target = target[margin:-margin, margin:-margin]
    p, t = predicted.flatten(), target.flatten()
    t_norm, p_norm = t.norm(), p.norm()
    return {"relative_error": float((p - t).norm() / t_norm),
            "cosine": float(p @ t / (p_norm * t_norm)) if p_norm > 0 else 0.0}


# --- activations through depth (05) ---------------------------------------------------

def layer_activations(model: nn.Module, coords: torch.Tensor) -> list[dict]:
    """What goes into and out of every activation, layer by layer.

    coords: ``(N, d)`` model inputs. For each :class:`~helpers.models.SineLayer` the
    pre-activation is the argument of the sine, ``omega0 * (W x + b)``; for any other
    activation module (ReLU, :class:`~helpers.activations.Activation`, ...) its input.
    Returns ``[{'layer': i, 'name': str, 'pre': (N, width), 'post': (N, width)}]`` on the CPU.
    """
    from .activations import Activation

    records, hooks = [], []

    def hook(module, inputs, output):
        if isinstance(module, SineLayer):
            pre = module.omega0 * module.linear(inputs[0])
        else:
            pre = inputs[0]
        records.append({"layer": len(records) + 1, "name": type(module).__name__,
                        "pre": pre.detach().cpu(), "post": output.detach().cpu()})

    activation_types = (SineLayer, Activation, nn.ReLU, nn.Tanh, nn.GELU, nn.SiLU, nn.Softplus)
    for module in model.modules():
        if isinstance(module, activation_types):
            hooks.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(coords.to(_device_of(model)))
    finally:
        for handle in hooks:
            handle.remove()
    return records


def activation_stats(model: nn.Module, coords: torch.Tensor) -> list[dict]:
    """Per layer: mean and std of the pre-activations and of the outputs (see :func:`layer_activations`)."""
    return [{"layer": r["layer"], "pre_mean": float(r["pre"].mean()), "pre_std": float(r["pre"].std()),
             "post_mean": float(r["post"].mean()), "post_std": float(r["post"].std())}
            for r in layer_activations(model, coords)]


# --- beyond the image (05) -------------------------------------------------------------

def predict_beyond(model: nn.Module, size: int, extent: float = 2.0,
                   chunk_size: int = 65536) -> torch.Tensor:
    """The model on a square grid covering ``[-extent, extent]²``: ``(n, n, 3)``, clamped.

    The pixel spacing is the training image's (``n = round(size * extent)``), so the
    central ``size x size`` square is the image itself (pixel for pixel when extent is
    a whole number) and the rest is extrapolation.
    """
    from .train import predict

    if not extent > 0:
        raise ValueError(f"extent must be positive, got {extent!r}; 2 shows a border as "
                         "wide as the image itself on each side.")
    n = max(1, int(round(size * extent)))
    coords = make_grid(n, n).reshape(-1, 2) * extent
    return predict(model, coords, chunk_size).clamp(0, 1).float().cpu().reshape(n, n, -1)
