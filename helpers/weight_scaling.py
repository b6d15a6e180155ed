"""Weight scaling: a sinusoidal network trains faster if its initial weights are larger.

Yeom, Lee & Lee, "Fast Training of Sinusoidal Neural Fields via Scaling Initialization",
ICLR 2025, arXiv 2410.04779. Take SIREN's initialisation (05_siren) and multiply every
weight matrix by one constant alpha > 1, *except the last layer's*:

    W_l <- alpha * W_l   for l = 1 .. L-1 (the first layer too),   W_L unchanged.

Biases are left alone. The first layer's frequencies grow alpha-fold and every hidden
pre-activation alpha-fold, so the network starts with more high-frequency content
(less spectral bias) while the output layer keeps its scale; the paper reports up to 10x
fewer steps for the same PSNR, and a "sweet spot" of alpha beyond which the fit
generalises worse between pixels. alpha = 1 is plain SIREN. Nothing changes after
initialisation: same architecture, same parameter count, same forward pass.

Defaults here: omega0 = 30 and lr 1e-4 as in SIREN; alpha chosen on the validation
pixels of the photo (we could not find the paper's image alpha in what we could read).
Validation PSNR, SIREN's alpha = 1 first, then 1.1 / 1.25 / 1.5 / 2:
64 px, 100 steps: 23.4 | 23.5 / 23.2 / 21.7 / 8.4 dB; 128 px, 150 steps: 24.9 | - /
25.8 / 26.1 / 22.6 dB. Train PSNR climbs with alpha (37 -> 55 dB at 64 px: the paper's
speed-up), but the pixels between the train pixels pay for the extra frequencies, so
siren_scaled uses alpha = 1.25 (the best summed over both sizes). For FINER no alpha > 1
helped (64 px: 21.7 | 19.8 / 15.9 / 11.2; 128 px: 26.0 | 25.9 / 25.3): finer_scaled uses
1.1. Works for any network made of ``nn.Linear`` layers. Taught in 07_showdown.
"""
from __future__ import annotations

import torch
from torch import nn

from . import checks


def scale_weights(net: nn.Module, alpha: float) -> nn.Module:
    """Multiply the weight of every ``nn.Linear`` in ``net`` but the last by ``alpha``.

    In place (biases untouched); returns ``net``. "Last" is the last ``nn.Linear`` in
    module order, the output layer of the series' networks.
    """
    alpha = checks.positive(alpha, "alpha (the weight scale)", "the paper uses 1 to 3")
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("scale_weights needs a network with nn.Linear layers; this one has "
                         "none.")
    with torch.no_grad():
        for linear in linears[:-1]:
            linear.weight.mul_(alpha)
    return net
