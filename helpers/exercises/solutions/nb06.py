"""06_other_activations: reference solutions."""
import functools

import torch


def gaussian(z, a):
    """The Gaussian activation exp(-z^2 / (2 a^2)): a is its width (small a = sharp)."""
    return torch.exp(-z ** 2 / (2 * a ** 2))


SLIDER_STEP = 10 ** 0.05  # the a slider moves a by this factor per step


@functools.lru_cache(maxsize=None)
def preview_fit(a):
    """The panel's fit: the Gaussian activation with this a at the preview size and steps."""
    import helpers
    from helpers import settings
    image = helpers.load_image(settings.IMAGE, size=settings.PREVIEW_SIZE)
    return helpers.run("gaussian", image, steps=settings.PREVIEW_STEPS, a=a, n_snapshots=0,
                       progress=False)


def gap(a):
    """Train PSNR minus test PSNR of the preview fit at ``a``: over 10 dB, it memorises."""
    result = preview_fit(round(a, 6))
    return result.train_psnr - result.test_psnr


def largest_memorising_a(start=0.1):
    """Step the a slider down from the default until the fit memorises (a gap over 10 dB)."""
    a = start
    while gap(a) <= 10 and a > 1e-3:  # 1e-3: the slider's end
        a /= SLIDER_STEP
    return a
