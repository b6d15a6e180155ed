"""FR-INR: train a SIREN's hidden weights as combinations of fixed Fourier bases.

Shi, Zhou & Gu, "Improved Implicit Neural Representation with Fourier Reparameterized
Training", CVPR 2024, arXiv 2401.07402. Each hidden weight matrix is written

    W = Lambda @ B,   B: (M, in_dim) fixed,   Lambda: (out_dim, M) trained,

and B's rows are cosines sampled at in_dim evenly spaced points t_1..t_in_dim:

    B[(f, phi), j] = alpha * cos(f * t_j + phi),
    f in {1/L, 2/L, .., 1} (L low frequencies) then {1, 2, .., H} (H high ones),
    phi in {0, 2 pi/P, .., 2 pi (P-1)/P},   t = linspace(-T/2, T/2, in_dim),
    T = 2 pi / (lowest f) (one period of the lowest frequency), M = (L + H) P.

Training Lambda instead of W changes the gradient's geometry (the paper shows a more
balanced NTK spectrum: less low-frequency bias) but not what the network can compute:
after training, W = Lambda @ B is an ordinary matrix, so :meth:`FRSiren.deployed`
returns a plain :class:`~helpers.models.Siren` with the same outputs and SIREN's
parameter count. Only the hidden layers are reparameterised (not the first layer, not
the output), as in the paper's SIREN variant.

Initialisation: column i of Lambda ~ U(-c_i, c_i), c_i = sqrt(6 / M) / (||B_i|| omega0),
so W's scale matches SIREN's; biases of the reparameterised layers start at 0.
Defaults for images, sine networks: L = H = 128, P = 32 (M = 8192), alpha = 0.01,
omega0 = 30, Adam lr 1e-4 (the paper's image script); on the photo's validation pixels
they match SIREN at 64 px / 100 steps (23.3 vs 23.4 dB) and beat it at 128 px / 150
steps (26.4 vs 24.9 dB). Training parameters: Lambda and the biases (4.2 M at width 256,
4 layers; forming Lambda @ B costs about 1 GFLOP a layer a step, whatever the image
size); deployed: SIREN's 133 k.
Taught in 07_showdown.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from . import checks
from .models import SineLayer, Siren


def fourier_basis(in_dim: int, n_low: int = 128, n_high: int = 128, n_phases: int = 32,
                  alpha: float = 0.01) -> torch.Tensor:
    """The fixed basis ``B``: ``((n_low + n_high) * n_phases, in_dim)``, rows as above.

    Rows run over frequencies (low ones first), and for each frequency over the phases.
    """
    checks.whole(n_low, "n_low", low=0)
    checks.whole(n_high, "n_high", low=0)
    checks.whole(n_phases, "n_phases")
    if n_low + n_high == 0:
        raise ValueError("FR-INR needs at least one frequency: give n_low or n_high >= 1.")
    alpha = checks.positive(alpha, "FR-INR's alpha", "the paper uses 0.01 for sine networks")
    low = [(k + 1) / n_low for k in range(n_low)]
    high = [float(k + 1) for k in range(n_high)]
    freqs = torch.tensor(low + high, dtype=torch.float64)
    period = 2 * math.pi / freqs.min()
    points = torch.linspace(-period / 2, period / 2, in_dim, dtype=torch.float64)
    phases = 2 * math.pi * torch.arange(n_phases, dtype=torch.float64) / n_phases
    angles = freqs[:, None, None] * points[None, None, :] + phases[None, :, None]  # (F, P, in)
    return (alpha * torch.cos(angles)).reshape(-1, in_dim).float()


class FRSineLayer(nn.Module):
    """``(N, in_dim) -> (N, out_dim)``: ``sin(omega0 (x (Lambda B)^T + b))``.

    ``B`` is a buffer (saved with the model, never trained nor counted); ``Lambda``
    and ``bias`` are the trainable parameters.
    """

    def __init__(self, in_dim: int, out_dim: int, omega0: float = 30.0, n_low: int = 128,
                 n_high: int = 128, n_phases: int = 32, alpha: float = 0.01):
        super().__init__()
        self.omega0 = checks.positive(omega0, "omega0", "SIREN uses 30")
        self.register_buffer("basis", fourier_basis(in_dim, n_low, n_high, n_phases, alpha))
        n_bases = self.basis.shape[0]
        bound = math.sqrt(6 / n_bases) / (self.basis.norm(dim=1) * self.omega0)  # (M,)
        self.coefficients = nn.Parameter((torch.rand(out_dim, n_bases) * 2 - 1) * bound)
        self.bias = nn.Parameter(torch.zeros(out_dim))

    def weight(self) -> torch.Tensor:
        """The merged weight ``Lambda @ B``, ``(out_dim, in_dim)``."""
        return self.coefficients @ self.basis

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sin(self.omega0 * (x @ self.weight().T + self.bias))

    def extra_repr(self) -> str:
        return (f"{self.basis.shape[1]} -> {self.coefficients.shape[0]}, "
                f"{self.basis.shape[0]} Fourier bases, omega0={self.omega0:g}")


class FRSiren(nn.Sequential):
    """A SIREN whose hidden layers are :class:`FRSineLayer`: ``(N, in_dim) -> (N, out_dim)``.

    First layer and output layer are SIREN's. :meth:`deployed` merges the bases away.
    """

    def __init__(self, in_dim: int = 2, out_dim: int = 3, hidden: int = 256, n_layers: int = 4,
                 omega0: float = 30.0, n_low: int = 128, n_high: int = 128, n_phases: int = 32,
                 alpha: float = 0.01):
        checks.n_layers(n_layers, 2, "FR-SIREN", " (a sine layer and the output)")
        self.sizes = (in_dim, out_dim, hidden, n_layers, float(omega0))
        layers: list[nn.Module] = [SineLayer(in_dim, hidden, omega0, is_first=True)]
        for _ in range(n_layers - 2):
            layers.append(FRSineLayer(hidden, hidden, omega0, n_low, n_high, n_phases, alpha))
        last = nn.Linear(hidden, out_dim)
        bound = math.sqrt(6 / hidden) / omega0
        with torch.no_grad():
            last.weight.uniform_(-bound, bound)
        layers.append(last)
        super().__init__(*layers)

    def deployed(self) -> Siren:
        """A plain :class:`~helpers.models.Siren` computing the same function (W = Lambda B)."""
        in_dim, out_dim, hidden, n_layers, omega0 = self.sizes
        plain = Siren(in_dim, out_dim, hidden, n_layers, omega0, omega0, init=False)
        with torch.no_grad():
            for mine, theirs in zip(self, plain):
                if isinstance(mine, FRSineLayer):
                    theirs.linear.weight.copy_(mine.weight())
                    theirs.linear.bias.copy_(mine.bias)
                else:
                    theirs.load_state_dict(mine.state_dict())
        return plain.to(next(self.parameters()).device)


def deploy(model: nn.Module) -> nn.Module:
    """``model`` with every :class:`FRSiren` merged into a plain SIREN (a new model).

    ``helpers.count_params(deploy(model))`` counts the parameters used at inference;
    a model without FR layers comes back unchanged.
    """
    from .models import CoordinateModel

    if isinstance(model, FRSiren):
        return model.deployed()
    if isinstance(model, CoordinateModel) and isinstance(model.net, FRSiren):
        deployed = CoordinateModel(model.encoder, model.net.deployed())
        deployed.label = getattr(model, "label", "")
        return deployed
    return model
