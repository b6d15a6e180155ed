"""Render data/text/text_00.png ... deterministically: the series' set of text images.

Like the text set of Tancik et al. 2020 (Fourier features, Sec. 6): random strings in
random colours, sizes and fonts on a white background, 512 x 512. Each image is drawn
from its own seed, so image k is the same whatever the number of images made. Uses only
the DejaVu fonts that ship with matplotlib, so the output is the same on every machine
with the same matplotlib version. Run from the repository root:

    python data/make_text_images.py            # the 8 committed images
    python data/make_text_images.py --count 16 # more, same first 8

The difficulty (how much of the image is glyph edges) is set by N_LINES and the size
range; with these values Keys bicubic of the train pixels scores about as on the
paper's set (28.6 dB at 512 px; see data/README.md for the measured figure).
"""
import argparse
import string
from pathlib import Path

import imageio.v3 as iio
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SIZE = 512
SEED = 2020
N_LINES = (5, 9)            # strings per image, inclusive range
FONT_PX = (22, 64)          # glyph height in pixels, drawn log-uniformly
FAMILIES = ("DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono")
ALPHABET = string.ascii_letters + string.digits + "     "  # spaces make words


def random_string(rng: np.random.Generator) -> str:
    length = int(rng.integers(4, 16))
    return "".join(rng.choice(list(ALPHABET), size=length)).strip() or "text"


def random_colour(rng: np.random.Generator) -> tuple:
    """A colour that stands out on white: no channel mix lighter than light grey."""
    while True:
        colour = rng.uniform(0, 1, size=3)
        if colour.mean() < 0.7:
            return tuple(colour)


def render(seed: int) -> np.ndarray:
    """One text image ``(SIZE, SIZE, 3)`` uint8 from ``seed``."""
    rng = np.random.default_rng(seed)
    fig = plt.figure(figsize=(SIZE / 100, SIZE / 100), dpi=100)
    fig.patch.set_facecolor("white")
    for _ in range(int(rng.integers(N_LINES[0], N_LINES[1] + 1))):
        pixels = float(np.exp(rng.uniform(np.log(FONT_PX[0]), np.log(FONT_PX[1]))))
        fig.text(rng.uniform(-0.1, 0.75), rng.uniform(0.0, 0.95), random_string(rng),
                 fontsize=pixels * 72 / 100, color=random_colour(rng),
                 family=str(rng.choice(FAMILIES)),
                 fontweight=str(rng.choice(["normal", "bold"])),
                 style=str(rng.choice(["normal", "italic"])), va="bottom")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return rgb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="how many images (default 8)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "text")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for k in range(args.count):
        path = args.out / f"text_{k:02d}.png"
        iio.imwrite(path, render(SEED + k))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
