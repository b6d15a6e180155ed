"""01_dataset: reference solutions."""
import numpy as np
import torch


def pixel_grid(height, width):
    """(H, W, 2) pixel centres in (-1, 1): [..., 0] is x (columns), [..., 1] is y (rows)."""
    xs = (2 * torch.arange(width) + 1) / width - 1    # centre of column j: (2j + 1) / W - 1
    ys = (2 * torch.arange(height) + 1) / height - 1
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([xx, yy], dim=-1)


def low_frequency_share(picture, divisor=16):
    """Fraction of the spectral power (mean removed) within size/divisor periods of the centre."""
    from helpers import plots
    gray = plots.to_gray(picture)
    power = np.abs(np.fft.fftshift(np.fft.fft2(gray - gray.mean()))) ** 2
    size = gray.shape[0]
    f = np.arange(size) - size // 2
    radius = np.hypot(*np.meshgrid(f, f, indexing="ij"))
    return float(power[radius < size / divisor].sum() / power.sum())


def text_share_resolved():
    """The share of the text image's power the train pixels resolve: within SIZE/4 periods."""
    import helpers
    from helpers import settings
    picture = helpers.load_image("text", size=settings.SIZE)
    return low_frequency_share(picture, divisor=4)   # the knob: 16 -> 4
