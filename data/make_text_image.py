"""Render data/text.png, the series' text image, deterministically with matplotlib.

Sharp black-on-white glyph edges at several sizes: the case where Fourier features gain
most (Tancik et al. 2020 use a set of text images). Run from the repository root:
    python data/make_text_image.py
Uses only matplotlib's bundled DejaVu fonts, so the output is the same on every machine
with the same matplotlib version.
"""
from pathlib import Path

import imageio.v3 as iio
import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SIZE = 512
LINES = [  # (text, font size in points at 100 dpi, weight)
    ("Coordinate MLPs", 36, "bold"),
    ("f(u, v) = (r, g, b)", 34, "normal"),
    ("sin(2^k pi x), cos(2^k pi x)", 22, "normal"),
    ("Why is it blurry? Spectral bias:", 19, "normal"),
    ("low frequencies are learned first.", 19, "normal"),
    ("The quick brown fox jumps over", 16, "normal"),
    ("the lazy dog. 0123456789", 16, "normal"),
    ("small print: detail lives in high frequencies", 11, "normal"),
    ("tiny: gamma(v) = [cos 2pi Bv, sin 2pi Bv]", 9, "normal"),
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 15, "bold"),
    ("abcdefghijklmnopqrstuvwxyz", 15, "normal"),
]


def render(path: Path) -> None:
    fig = plt.figure(figsize=(SIZE / 100, SIZE / 100), dpi=100)
    fig.patch.set_facecolor("white")
    y = 0.93
    for text, size, weight in LINES:
        fig.text(0.04, y, text, fontsize=size, fontweight=weight, family="DejaVu Sans",
                 color="black", va="top")
        y -= size / 100 * 1.45 * 100 / SIZE + 0.035
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()  # RGB, no alpha
    plt.close(fig)
    iio.imwrite(path, rgb)


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "text.png"
    render(out)
    print(f"wrote {out}")
