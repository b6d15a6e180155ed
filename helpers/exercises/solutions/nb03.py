"""03_positional_encoding: reference solutions."""
import functools
import math

import torch


def positional_encoding(x, L):
    """(N, 2) coordinates in [-1, 1] -> (N, 4L): sin then cos of 2^k π u, 2^k π v, k < L."""
    z = torch.cat([2.0 ** k * math.pi * x for k in range(L)], dim=-1)  # the columns of x @ P
    return torch.cat([torch.sin(z), torch.cos(z)], dim=-1)


def max_useful_L(size):
    """The largest L whose top frequency 2^(L-1) stays below size / 4, the train grid's
    Nyquist limit (the train pixels are size / 2 samples across)."""
    L = 1
    while 2 ** L < size / 4:  # one more frequency, 2^L, would still be resolved
        L += 1
    return L


@functools.lru_cache(maxsize=None)  # each L trains once
def preview_test_psnr(n_freqs):
    """The slider's run: PE with ``n_freqs`` frequencies at the preview size, its test PSNR."""
    import helpers
    from helpers import settings
    preview_image = helpers.load_image(settings.IMAGE, size=settings.PREVIEW_SIZE)
    return helpers.run("pe", preview_image, steps=settings.PREVIEW_STEPS, n_freqs=n_freqs,
                       n_snapshots=0, progress=False).test_psnr


def best_preview_L():
    """Move the slider over L = 1 ... 2 past the preview's safe L; keep the best test PSNR."""
    from helpers import settings
    tried = range(1, max_useful_L(settings.PREVIEW_SIZE) + 3)
    return max(tried, key=preview_test_psnr)
