"""07_showdown: reference solutions."""
import helpers


def keys_weight(x, a=-0.5):
    """Bicubic's weight for a sample at distance ``x`` (Keys 1981, a = -1/2): a cubic in |x|
    on [0, 1], another on [1, 2), zero beyond; 1 at x = 0 and 0 at every other whole x."""
    x = abs(x)
    if x <= 1:
        return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1
    if x < 2:
        return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a
    return 0.0


def siren_params(hidden):
    """Trainable numbers of the registry's SIREN (its defaults) at width ``hidden``."""
    return helpers.count_params(helpers.make_model("siren", hidden=hidden))


def width_doubling_ratio():
    """How many times the parameters of SIREN 256 wide are those of SIREN 128 wide."""
    return siren_params(256) / siren_params(128)
