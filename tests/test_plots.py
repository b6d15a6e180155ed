"""Tests of the figure fixes of issue 22 in helpers.plots: insets on their panel's colour
scale, "exact" PSNRs, symmetric signed maps, no orphan panels, readable log axes."""
import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402

from helpers import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def flat_grey(size: int = 32, seed: int = 0) -> np.ndarray:
    """A nearly flat grey image: 0.5 plus noise of amplitude 0.02 (a '12 dB' kind of panel)."""
    return (0.5 + 0.02 * np.random.default_rng(seed).uniform(-1, 1, (size, size))).astype(np.float32)


# --- insets --------------------------------------------------------------------------

def test_inset_of_a_flat_grey_image_keeps_the_panels_limits():
    image = flat_grey()
    fig = plots.show_images([image], ["flat"], vmin=0, vmax=1)
    ax = fig.axes[0]
    zoom = plots.add_inset(ax, image, (0.2, 0.5, 0.2, 0.5))
    parent, child = ax.images[0], zoom.images[0]
    assert child.get_clim() == parent.get_clim() == (0.0, 1.0)  # not the crop's 0.48..0.52
    assert child.get_cmap().name == parent.get_cmap().name == plots.CMAP_GRAY
    # drawn: the zoom's colours span as little as the panel's (a flat zoom, not full contrast)
    fig.canvas.draw()
    rgb = child.to_rgba(child.get_array())[..., 0]
    assert rgb.max() - rgb.min() < 0.1


def test_inset_of_an_autoscaled_panel_uses_the_whole_images_range_and_cmap():
    image = flat_grey()
    image[0, 0], image[-1, -1] = 0.0, 1.0  # far from the crop: the panel spans 0..1
    fig, ax = plt.subplots()
    ax.imshow(image, cmap="viridis")
    zoom = plots.add_inset(ax, image, (0.25, 0.5, 0.25, 0.5))
    assert zoom.images[0].get_clim() == pytest.approx((0.0, 1.0))
    crop = image[8:16, 8:16]
    assert crop.max() - crop.min() < 0.05  # what the old code would have stretched
    assert zoom.images[0].get_cmap().name == "viridis"


def test_inset_keywords_override_the_panel_and_keep_its_norm_kind():
    image = 10 ** np.linspace(0, 3, 32 * 32).reshape(32, 32)
    fig, ax = plt.subplots()
    ax.imshow(image, norm=LogNorm(1, 1000), cmap="magma")
    zoom = plots.add_inset(ax, image, (0, 8, 0, 8), vmin=2, vmax=500, cmap="gray")
    child = zoom.images[0]
    assert child.get_clim() == (2, 500) and isinstance(child.norm, LogNorm)
    assert child.get_cmap().name == "gray"
    assert ax.images[0].get_clim() == (1, 1000)  # the panel itself is untouched


def test_inset_without_a_panel_image_uses_the_whole_image_range():
    image = np.linspace(0, 1, 64).reshape(8, 8)
    fig, ax = plt.subplots()
    zoom = plots.add_inset(ax, image, (0, 2, 0, 2))  # the crop holds 0..0.14 only
    assert zoom.images[0].get_clim() == pytest.approx((0.0, 1.0))


def test_rgb_inset_is_the_clipped_crop():
    image = np.random.default_rng(0).uniform(-0.2, 1.2, (16, 16, 3))
    fig = plots.show_images([image])
    zoom = plots.add_inset(fig.axes[0], image, (0, 4, 0, 4))
    assert np.array_equal(zoom.images[0].get_array(), np.clip(image[:4, :4], 0, 1).astype(np.float32))


# --- format_psnr ---------------------------------------------------------------------

@pytest.mark.parametrize("db, text", [(23.44, "23.4 dB"), (23.46, "23.5 dB"), (-3.0, "-3.0 dB"),
                                      (99.0, "99.0 dB"), (math.inf, "exact"), (137.2, "exact"),
                                      (np.float32(np.inf), "exact"), (math.nan, "NaN dB")])
def test_format_psnr(db, text):
    assert plots.format_psnr(db) == text


def test_format_psnr_digits_and_titles():
    assert plots.format_psnr(15.8234, digits=2) == "15.82 dB"

    class Result:
        train_psnr, test_psnr = math.inf, 21.26

    assert plots.psnr_title("solve", Result()) == "solve\ntrain exact | test 21.3 dB"


# --- show_signed ---------------------------------------------------------------------

def test_signed_maps_share_one_symmetric_scale_and_one_colour_bar():
    rng = np.random.default_rng(0)
    maps = {"mostly positive": rng.uniform(-0.1, 2.0, (8, 8)), "small": rng.uniform(-0.3, 0.2, (8, 8))}
    fig = plots.show_signed(maps, label="Laplacian")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == list(maps)
    limit = max(float(np.abs(m).max()) for m in maps.values())
    for ax in panels:
        low, high = ax.images[0].get_clim()
        assert low == pytest.approx(-limit) and high == pytest.approx(limit)
        assert ax.images[0].get_cmap().name == plots.CMAP_SIGNED
    colorbars = [ax for ax in fig.axes if ax not in panels]
    assert len(colorbars) == 1 and colorbars[0].get_ylabel() == "Laplacian"


def test_signed_maps_take_a_given_limit_and_refuse_rgb():
    import torch
    fig = plots.show_signed([torch.zeros(4, 4), np.full((4, 4), 5.0)], ["zero", "five"], limit=2)
    assert all(ax.images[0].get_clim() == (-2, 2) for ax in fig.axes if ax.images)
    fig = plots.show_signed([np.zeros((4, 4))])  # all zero: still a valid symmetric scale
    assert fig.axes[0].images[0].get_clim() == (-1, 1)
    with pytest.raises(ValueError, match="single-channel"):
        plots.show_signed([np.zeros((4, 4, 3))])


def test_signed_inset_keeps_the_symmetric_scale():
    signed = np.linspace(-1, 1, 16 * 16).reshape(16, 16)
    fig = plots.show_signed([signed, 3 * signed])
    zoom = plots.add_inset(fig.axes[0], signed, (0, 4, 0, 4))
    assert zoom.images[0].get_clim() == (-3, 3) and zoom.images[0].get_cmap().name == plots.CMAP_SIGNED


# --- no orphan panels ----------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 10))
@pytest.mark.parametrize("ncols", [None, 2, 3, 4, 5])
def test_grid_has_no_lone_last_panel_when_avoidable(n, ncols):
    rows, cols = plots.grid_shape(n, ncols)
    assert cols <= (ncols or n) and rows * cols >= n
    assert rows == math.ceil(n / min(n, ncols or n))  # no more rows than the width demands
    counts = plots.row_counts(n, rows, cols)
    assert sum(counts) == n and max(counts) <= cols and max(counts) - min(counts) <= 1
    # a lone last panel only where every row holds at most 2 (e.g. 5 panels 2 wide)
    if n > 1 and counts[-1] == 1:
        assert cols <= 2
    fig = plots.show_images([np.zeros((4, 4))] * n, [str(i) for i in range(n)], ncols=ncols)
    assert len(fig.axes) == n  # unused grid cells are removed, not left as blank frames
    assert [ax.get_title() for ax in fig.axes] == [str(i) for i in range(n)]
    plt.close(fig)


@pytest.mark.parametrize("n, ncols, shape, counts", [(6, 5, (2, 3), [3, 3]), (7, 4, (2, 4), [4, 3]),
                                                     (7, 3, (3, 3), [3, 2, 2]), (5, None, (1, 5), [5]),
                                                     (9, 4, (3, 3), [3, 3, 3])])
def test_grid_examples(n, ncols, shape, counts):
    assert plots.grid_shape(n, ncols) == shape
    assert plots.row_counts(n, *shape) == counts


def test_six_panels_five_wide_make_two_rows_of_three():
    fig = plots.show_images([np.zeros((4, 4))] * 6, ncols=5, size=1.0)
    rows = sorted({round(ax.get_position().y0, 3) for ax in fig.axes})
    assert len(rows) == 2 and fig.get_size_inches()[0] == pytest.approx(3.0)


# --- log axes whose labels do not collide --------------------------------------------

def tick_label_boxes(ax, axis: str = "x"):
    """(texts, boxes) of the visible, non-empty major and minor tick labels inside the view."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    target = ax.xaxis if axis == "x" else ax.yaxis
    low, high = sorted(target.get_view_interval())
    labels = [t for t in target.get_ticklabels(minor=False) + target.get_ticklabels(minor=True)
              if t.get_visible() and t.get_text()
              and low <= t.get_position()[0 if axis == "x" else 1] <= high]
    return [t.get_text() for t in labels], [t.get_window_extent(renderer) for t in labels]


def overlapping(boxes) -> list:
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
            if boxes[i].overlaps(boxes[j])]


def test_the_overlap_check_sees_colliding_labels():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_xscale("log")
    ax.set_xlim(10, 1000)
    ax.set_xticks([20, 21], ["20.0000", "21.0000"])
    ax.xaxis.set_minor_formatter(plt.NullFormatter())
    texts, boxes = tick_label_boxes(ax)
    assert texts == ["20.0000", "21.0000"] and overlapping(boxes)


@pytest.mark.parametrize("axis", ["x", "y"])
@pytest.mark.parametrize("low, high", [(10, 100), (20, 80), (0.2, 4), (2, 30), (40, 400), (1, 64),
                                       (10, 1000), (0.01, 1), (30, 3000), (10, 10000), (55, 95)])
@pytest.mark.parametrize("width", [1.6, 3.2, 6.4])
def test_log_axis_labels_do_not_overlap(axis, low, high, width):
    fig, ax = plt.subplots(figsize=(width, 0.8 * width), constrained_layout=True)
    ax.plot([low, high], [0, 1]) if axis == "x" else ax.plot([0, 1], [low, high])
    plots.log_axis(ax, axis)
    texts, boxes = tick_label_boxes(ax, axis)
    assert len(texts) >= 2, texts  # enough labels to read the scale
    assert not overlapping(boxes), texts
    values = [float(t) for t in texts]
    assert values == sorted(values)  # plain numbers, no 2x10^1 mathtext
    minor = (ax.xaxis if axis == "x" else ax.yaxis).get_ticklabels(minor=True)
    assert not any(t.get_text() for t in minor)


def test_log_axis_labels_the_values_tried_as_far_as_they_fit():
    values = [10 ** (k / 4) for k in range(9)]  # 1 .. 100, four per decade
    for width, every in ((6.4, True), (1.6, False)):
        fig, ax = plt.subplots(figsize=(width, 2.5), constrained_layout=True)
        ax.plot(values, np.arange(9), "o-")
        plots.log_axis(ax, "x", values)
        texts, boxes = tick_label_boxes(ax)
        assert not overlapping(boxes) and texts[0] == "1"
        assert set(texts) <= {plots._log_label(v) for v in values}
        assert (len(texts) == 9) == every  # all fit when wide, thinned when narrow
        plt.close(fig)
    with pytest.raises(ValueError, match="'x' or 'y'"):
        plots.log_axis(ax, "z")


def test_psnr_curves_on_a_log_axis_label_both_axes_without_collisions():
    from helpers.train import FitResult
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 300]
    result = FitResult(model=None, train_psnr=25.0, test_psnr=math.inf, prediction=np.zeros((4, 4, 3)),
                       history={"step": steps, "train_psnr": list(range(9)), "test_psnr": list(range(9)),
                                "seconds": steps},
                       snapshots=[], steps=300)
    fig = plots.psnr_curves({"siren": result}, logx=True)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "training step" and ax.get_ylabel() == "PSNR (dB)"
    assert ax.get_xscale() == "log"
    texts, boxes = tick_label_boxes(ax)
    assert len(texts) >= 2 and not overlapping(boxes)
    assert "siren test (exact)" in [t.get_text() for t in ax.get_legend().get_texts()]


# --- every curve labels both axes ----------------------------------------------------

def test_baseline_labels_an_unlabelled_axis_and_skips_an_infinite_value():
    fig, ax = plt.subplots()
    ax.set_xlabel("step")
    plots.draw_baseline(ax, {"bicubic": 21.3, "exact solve": math.inf})
    assert ax.get_ylabel() == "PSNR (dB)" and ax.get_xlabel() == "step"
    assert [line.get_label() for line in ax.get_lines()] == ["bicubic test (21.3 dB, no training)",
                                                             "exact solve test (exact, off the scale)"]
    assert len(ax.get_lines()[1].get_xdata()) == 0 and np.isfinite(ax.get_ylim()).all()
    fig, ax = plt.subplots()
    ax.set_ylabel("test PSNR (dB), validation-chosen")
    plots.draw_baseline(ax, 20.0)
    assert ax.get_ylabel() == "test PSNR (dB), validation-chosen"  # the caller's label stays
