"""09_samples_and_storage: reference solutions."""
import torch
import torch.nn.functional as F

import helpers


def harmonic_step(u, missing):
    """One sweep of harmonic inpainting (Jacobi): each missing pixel of the ``(H, W)`` image
    becomes the mean of its 4 neighbours inside the image (3 on an edge, 2 in a corner);
    known pixels stay. Repeated, it converges to ``harmonic_inpaint``'s fill."""
    padded = F.pad(u[None, None], (1, 1, 1, 1))[0, 0]                       # zeros outside
    inside = F.pad(torch.ones_like(u)[None, None], (1, 1, 1, 1))[0, 0]      # 1 inside, 0 outside
    up, down = padded[:-2, 1:-1], padded[2:, 1:-1]
    left, right = padded[1:-1, :-2], padded[1:-1, 2:]
    count = inside[:-2, 1:-1] + inside[2:, 1:-1] + inside[1:-1, :-2] + inside[1:-1, 2:]
    return torch.where(missing, (up + down + left + right) / count, u)


def bits_per_pixel(n_params, bits, header_bytes, height, width):
    """The rate of an image stored as ``n_params`` weights of ``bits`` bits each plus a
    header of ``header_bytes`` bytes: bits of the file over pixels (colour included)."""
    return (n_params * bits + 8 * header_bytes) / (height * width)


def widest_siren(bpp=1.0, bits=16, size=None):
    """The widest SIREN (ω0 = 30, the compression section's) whose weights at ``bits`` each,
    plus the 4-byte header, fit in ``bpp`` bits per pixel of the ``size`` px photo."""
    from helpers import settings
    from helpers.compress import NETWORK_HEADER_BYTES, model_bits
    size = size or settings.NOTEBOOK_09["compress_size"]
    width = 1
    while True:
        model = helpers.make_model("siren", hidden=width + 1, omega0=30.0)
        if model_bits(model, bits, NETWORK_HEADER_BYTES) / (size * size) > bpp:
            return width
        width += 1
