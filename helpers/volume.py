"""Volume rendering: colours and densities along a ray -> one pixel (11_tiny_nerf).

Mildenhall et al. 2020, "NeRF", Eq. 3. A ray crosses samples at distances
t_1 < ... < t_n with colours c_i and densities sigma_i >= 0. Sample i fills the
stretch delta_i = t_{i+1} - t_i (the last one up to the ray's far end), which it lets
light through with probability exp(-sigma_i delta_i). So

    alpha_i = 1 - exp(-sigma_i delta_i)          (opacity of stretch i)
    T_i     = prod_{j < i} (1 - alpha_j)         (transmittance: light reaching i)
    w_i     = T_i alpha_i                        (how much of the pixel sample i paints)
    C       = sum_i w_i c_i + (1 - sum_i w_i) background
    depth   = sum_i w_i t_i + (1 - sum_i w_i) far.

Every step is differentiable, so the pixel's error flows back to every sample's colour
and density: the network learns where the surfaces are from images alone.
"""
from __future__ import annotations

import torch


def composite(colors: torch.Tensor, sigmas: torch.Tensor, t: torch.Tensor, far: torch.Tensor,
              background: torch.Tensor | float = 1.0) -> dict:
    """Alpha compositing of ``R`` rays of ``S`` samples.

    colors ``(R, S, 3)``, sigmas ``(R, S)`` >= 0, t ``(R, S)`` sorted distances, far ``(R,)``
    where each ray ends; background: a colour (or a grey level) behind everything.
    Returns ``{"rgb": (R, 3), "depth": (R,), "opacity": (R,), "weights": (R, S)}``;
    depth counts the uncovered part of a ray as ``far``.
    """
    deltas = torch.cat([t[:, 1:] - t[:, :-1], far[:, None] - t[:, -1:]], dim=-1).clamp(min=0)
    alphas = 1 - torch.exp(-sigmas * deltas)
    # T_i = exp(-sum_{j<i} sigma_j delta_j): a cumulative sum, stabler than a product
    optical_depth = torch.cumsum(sigmas * deltas, dim=-1)
    transmittance = torch.exp(-torch.cat([torch.zeros_like(optical_depth[:, :1]),
                                          optical_depth[:, :-1]], dim=-1))
    weights = transmittance * alphas
    opacity = weights.sum(-1)
    background = torch.as_tensor(background, dtype=colors.dtype, device=colors.device)
    rgb = (weights[..., None] * colors).sum(1) + (1 - opacity)[:, None] * background
    depth = (weights * t).sum(-1) + (1 - opacity) * far
    return {"rgb": rgb, "depth": depth, "opacity": opacity, "weights": weights}
