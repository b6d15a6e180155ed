"""05_siren: reference solutions."""
import functools
import math

from .nb04 import smallest_within


def init_bound(fan_in, fan_out, omega0, is_first):
    """The bound b of SIREN's W ~ U(-b, b) for nn.Linear(fan_in, fan_out): 1 / fan_in in the
    first layer, sqrt(6 / fan_in) / omega0 in the others (so omega0 * W has the same spread
    whatever omega0 is)."""
    if is_first:
        return 1 / fan_in
    return math.sqrt(6 / fan_in) / omega0


SLIDER_OMEGAS = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 50.0, 100.0]  # the ω0 slider's values


@functools.lru_cache(maxsize=None)
def preview_fit(omega0):
    """The panel's fit: SIREN with this first-layer ω0 at the preview size and steps."""
    import helpers
    from helpers import settings
    image = helpers.load_image(settings.IMAGE, size=settings.PREVIEW_SIZE)
    return helpers.run("siren", image, steps=settings.PREVIEW_STEPS, omega0=omega0,
                       n_snapshots=0, progress=False)


def smallest_good_omega():
    """Step the ω0 slider over its values, note each test PSNR, keep the smallest ω0 within
    0.5 dB of the best (``smallest_within`` is 04's)."""
    return smallest_within({w: preview_fit(w).test_psnr for w in SLIDER_OMEGAS})
