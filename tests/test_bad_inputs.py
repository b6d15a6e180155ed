"""Everything a learner may type wrong or unusual, through the helpers and the command line.

Each input is either handled or refused with one sentence that says what to do. The
command line exits 2 with exactly one line on stderr and no traceback. The list here is
the one in issue 6; the README's "bad inputs" note is written from it. Your own data
(issue 25) has its own files, one per kind of signal: test_own_images.py,
test_own_sound.py, test_own_clip.py and test_own_scene.py.
"""
from __future__ import annotations

import json
import math
import struct
import warnings
import zlib

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import helpers
from helpers import widgets
from helpers.activations import FORMULAS, Activation
from helpers.tools.cli import main
from helpers.encoders import GaussianFourierFeatures, PositionalEncoding
from helpers.methods import METHODS, get_method, make_model, run
from helpers.models import MLP, Siren
from helpers.train import fit

from conftest import ROOT, run_cli


# --- files a learner may point at --------------------------------------------------------

def write_png16(path, rgb: np.ndarray) -> None:
    """Write an (H, W, 3) uint16 array as a 16-bit RGB PNG (Pillow cannot write one)."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[i].astype(">u2").tobytes() for i in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)  # 16 bit, truecolour
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    import imageio.v3 as iio

    folder = tmp_path_factory.mktemp("inputs")
    ramp = np.linspace(0, 255, 40).astype(np.uint8)
    iio.imwrite(folder / "gray.png", np.tile(ramp, (40, 1)))
    rgba = np.zeros((40, 40, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, 20:, 3] = 255  # left half transparent (-> white), right half opaque red
    iio.imwrite(folder / "rgba.png", rgba)
    iio.imwrite(folder / "gray16.png", (np.arange(40 * 40).reshape(40, 40) * 40).astype(np.uint16))
    rgb16 = np.zeros((40, 40, 3), np.uint16)
    rgb16[..., 0], rgb16[..., 1] = 65535, 32896  # 32896 = 128 * 257: 128 in 8 bits
    write_png16(folder / "rgb16.png", rgb16)
    wide = np.zeros((24, 40, 3), np.uint8)
    wide[:, 8:32] = 200  # the centred square is all 200, the side strips black
    iio.imwrite(folder / "wide.png", wide)
    iio.imwrite(folder / "tiny.png", np.full((12, 12, 3), 90, np.uint8))
    nan = np.random.default_rng(0).random((16, 16, 3)).astype(np.float32)
    nan[3, 4] = np.nan
    iio.imwrite(folder / "nan.tif", nan)
    (folder / "corrupt.png").write_bytes((ROOT / "data" / "photo.png").read_bytes()[:400])
    (folder / "garbage.png").write_bytes(b"\x89PNG this is not really a png")
    (folder / "notes.txt").write_text("pixels, honest\n")
    np.save(folder / "array.npy", np.zeros((16, 16, 3)))
    (folder / "a folder").mkdir()
    return folder


def one_sentence(message: str) -> bool:
    """One line, ending in a full stop (the learner-facing error style)."""
    return "\n" not in message.strip() and message.strip().endswith(".") and len(message) < 300


@pytest.mark.parametrize("name, error, match", [
    ("missing.png", FileNotFoundError, "no image at .* bundled name"),
    ("a folder", IsADirectoryError, "is a folder, not an image"),
    ("corrupt.png", ValueError, "could not read .* not corrupt"),
    ("garbage.png", ValueError, "could not read .* not corrupt"),
    ("notes.txt", ValueError, "could not read .* PNG or JPEG"),
    ("array.npy", ValueError, "holds an array.*np.load"),
    ("nan.tif", ValueError, "NaN or infinite pixels.*nan_to_num"),
])
def test_bad_files_are_refused_in_one_sentence(files, name, error, match):
    with pytest.raises(error, match=match) as caught:
        helpers.load_image(files / name, size=16)
    assert one_sentence(str(caught.value)), str(caught.value)


def test_gray_rgba_and_16_bit_files_are_handled(files):
    gray = helpers.load_image(files / "gray.png")
    assert gray.shape == (40, 40, 3) and torch.equal(gray[..., 0], gray[..., 2])
    assert gray[0, 0, 0] == 0 and gray[0, -1, 0] == 1
    rgba = helpers.load_image(files / "rgba.png")
    assert torch.allclose(rgba[:, :20], torch.ones(40, 20, 3))  # transparent over white
    assert torch.allclose(rgba[:, 20:], torch.tensor([1.0, 0.0, 0.0]).expand(40, 20, 3))
    gray16 = helpers.load_image(files / "gray16.png")
    assert gray16[-1, -1, 0] == pytest.approx(1599 * 40 / 65535, abs=1e-6)  # all 16 bits kept
    rgb16 = helpers.load_image(files / "rgb16.png")
    assert torch.allclose(rgb16[0, 0], torch.tensor([1.0, 128 / 255, 0.0]), atol=1 / 255)
    for image in (gray, rgba, gray16, rgb16):
        assert image.dtype == torch.float32 and 0 <= image.min() and image.max() <= 1


def test_non_square_images_are_cropped_or_kept_and_fit(files):
    square = helpers.load_image(files / "wide.png")
    assert square.shape == (24, 24, 3) and torch.allclose(square, torch.full_like(square, 200 / 255))
    kept = helpers.load_image(files / "wide.png", size=12, square=False)
    assert kept.shape == (12, 20, 3)
    result = run("relu", kept, steps=3, progress=False, n_snapshots=2)
    assert result.prediction.shape == (12, 20, 3) and result.snapshots[-1][1].shape == (12, 20, 3)
    assert math.isfinite(result.test_psnr)


def test_arrays_gray_channels_first_0_255_nan_and_inf():
    assert helpers.load_image(np.zeros((10, 12))).shape == (10, 10, 3)
    chw = torch.rand(3, 20, 30)
    assert torch.equal(helpers.load_image(chw, square=False), chw.permute(1, 2, 0))
    with pytest.warns(UserWarning, match="0-255 colours and divided by 255"):
        bright = helpers.load_image(np.full((8, 8, 3), 51.0))
    assert torch.allclose(bright, torch.full((8, 8, 3), 0.2))
    noisy = np.full((8, 8, 3), 1.2)  # noise just above 1 is clipped, not rescaled
    assert torch.equal(helpers.load_image(noisy), torch.ones(8, 8, 3))
    for bad in (np.nan, np.inf):
        image = np.zeros((8, 8, 3))
        image[1, 2, 0] = bad
        with pytest.raises(ValueError, match="1 NaN or infinite pixels"):
            helpers.load_image(image)
    with pytest.raises(ValueError, match=r"\(H, W\) or \(H, W, 1-4 channels\)"):
        helpers.load_image(np.zeros((2, 8, 8, 3, 1)))


@pytest.mark.parametrize("size, error, match", [
    (4, ValueError, "too small: use at least 8"), (7, ValueError, "too small"),
    (0, ValueError, "too small"), (-16, ValueError, "too small"),
    (16.5, TypeError, "whole number of pixels"), ("64", TypeError, "whole number of pixels"),
])
def test_bad_sizes_are_refused(size, error, match):
    with pytest.raises(error, match=match) as caught:
        helpers.load_image("photo", size=size)
    assert one_sentence(str(caught.value))


def test_size_larger_than_the_image_warns(files):
    with pytest.warns(UserWarning, match="upsampling a 12x12 image to 20x20 adds no detail"):
        image = helpers.load_image(files / "tiny.png", size=20)
    assert image.shape == (20, 20, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the image's own size and smaller: no warning
        helpers.load_image(files / "tiny.png", size=12)
        helpers.load_image(files / "tiny.png", size=8)


def test_images_fit_refuses(tiny_photo):
    model = make_model("relu")
    for bad in (float("nan"), float("inf")):
        image = tiny_photo.clone()
        image[2, 2, 1] = bad
        with pytest.raises(ValueError, match="NaN or infinite pixels"):
            fit(model, image, steps=2, progress=False)
    with pytest.raises(ValueError, match="go up to 2[0-9][0-9] but fit expects .0, 1.; .* divide it by 255"):
        fit(model, tiny_photo * 255, steps=2, progress=False)
    with pytest.raises(ValueError, match="needs at least 2 x 2"):
        fit(model, torch.rand(1, 1, 3), steps=2, progress=False)


# --- names and knobs -----------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda: get_method("nerf"), lambda: make_model("Gauss"),
    lambda: run("fourier", torch.rand(8, 8, 3), steps=1),
])
def test_unknown_method_lists_every_valid_name(call):
    with pytest.raises(ValueError, match="unknown method") as caught:
        call()
    assert all(name in str(caught.value) for name in METHODS)
    assert one_sentence(str(caught.value))


@pytest.mark.parametrize("call", [lambda: Activation("swish"), lambda: MLP(activation="tanh"),
                                  lambda: Activation("Gaussian")])
def test_unknown_activation_lists_every_valid_name(call):
    with pytest.raises(ValueError, match="unknown activation") as caught:
        call()
    assert all(name in str(caught.value) for name in FORMULAS)


@pytest.mark.parametrize("call, match", [
    (lambda: GaussianFourierFeatures(0), "scale .sigma. must be a positive number"),
    (lambda: GaussianFourierFeatures(-10), "scale .sigma. must be a positive number"),
    (lambda: GaussianFourierFeatures(float("nan")), "scale .sigma."),
    (lambda: GaussianFourierFeatures(float("inf")), "scale .sigma."),
    (lambda: make_model("gauss", scale=0), "scale .sigma."),
    (lambda: GaussianFourierFeatures(10, n_features=0), "n_features"),
    (lambda: PositionalEncoding(0), r"n_freqs \(L\) must be a whole number >= 1"),
    (lambda: PositionalEncoding(-3), r"n_freqs \(L\)"),
    (lambda: PositionalEncoding(2.5), r"n_freqs \(L\)"),
    (lambda: make_model("pe", n_freqs=0), r"n_freqs \(L\)"),
    (lambda: Siren(omega0=0), "omega0 must be a positive number"),
    (lambda: Siren(omega0=-30), "omega0 must be a positive number"),
    (lambda: Siren(omega0=float("nan")), "omega0 must be a positive number"),
    (lambda: Siren(omega0_hidden=0), "omega0 must be a positive number"),
    (lambda: make_model("siren", omega0=0), "omega0 must be a positive number"),
    (lambda: Activation("gaussian", a=0), "parameter a must be a positive number"),
    (lambda: Activation("laplacian", a=-0.1), "parameter a must be a positive number"),
    (lambda: make_model("supergaussian", b=0), "parameter b must be a positive number"),
    (lambda: MLP(n_layers=0), "n_layers must be at least 1"),
    (lambda: make_model("wire", omega0=0), "omega0 must be a positive number"),
    (lambda: make_model("wire", s0=-1), "s0 must be a positive number"),
    (lambda: make_model("wire", s0=float("nan")), "s0 must be a positive number"),
    (lambda: make_model("finer", omega0=0), "omega0 must be a positive number"),
    (lambda: make_model("gabor", scale=0), "must be a positive number"),
    (lambda: make_model("hashgrid", log2_table_size=0), "log2_table_size must be a whole number"),
    (lambda: make_model("hashgrid", log2_table_size=2.5), "log2_table_size must be a whole number"),
    (lambda: make_model("hashgrid", log2_table_size="15"), "log2_table_size must be a whole number"),
    (lambda: make_model("hashgrid", n_levels=0), "n_levels must be a whole number"),
])
def test_bad_knobs_are_refused_in_one_sentence(call, match):
    with pytest.raises(ValueError, match=match) as caught:
        call()
    assert one_sentence(str(caught.value))


def test_numpy_knobs_from_a_notebook_are_accepted():
    assert PositionalEncoding(np.int64(3)).out_dim == 12
    assert GaussianFourierFeatures(np.float32(2.0), n_features=np.int64(4)).out_dim == 8
    assert make_model("hashgrid", log2_table_size=np.int64(12)).encoder.log2_table_size == 12


@pytest.mark.parametrize("kwargs, match", [
    ({"steps": 0}, "steps must be a whole number >= 1"), ({"steps": -5}, "steps"),
    ({"steps": 2.5}, "steps"), ({"steps": True}, "steps"),
    ({"lr": 0.0}, "lr must be a positive number"), ({"lr": -1e-3}, "lr"),
    ({"lr": float("nan")}, "lr"), ({"lr": float("inf")}, "lr"), ({"lr": "1e-3"}, "lr"),
    ({"eval_every": 0}, "eval_every"),
])
def test_bad_training_settings_are_refused(tiny_photo, kwargs, match):
    with pytest.raises(ValueError, match=match) as caught:
        fit(make_model("relu"), tiny_photo, progress=False, **kwargs)
    assert one_sentence(str(caught.value))


# --- a learning rate so large that training diverges -------------------------------------

@pytest.mark.parametrize("method, lr", [
    ("siren", 10.0),      # sine layers, linear output: the loss jumps and stays high
    ("expsin", 10.0),     # non-periodic activations, linear output
    ("gaussian", 100.0),
    ("relu", 10.0),       # sigmoid output saturates at 0 or 1
    ("gaussian", 1e30),   # overflows to inf/NaN within two steps
])
def test_diverging_lr_stops_warns_and_keeps_the_best_model(method, lr):
    image = helpers.load_image("photo", size=16)
    model = make_model(method)
    split = helpers.split_pixels(image)
    with torch.no_grad():
        untrained = helpers.psnr(model(split.train_coords), split.train_colors)
    with pytest.warns(RuntimeWarning, match="training diverged at step .* smaller lr"):
        result = fit(model, image, steps=200, lr=lr, eval_every=5, n_snapshots=3,
                     progress=False)
    assert result.diverged and result.steps < 200  # stopped early
    assert math.isfinite(result.train_psnr) and math.isfinite(result.test_psnr)
    assert result.train_psnr >= untrained - 1e-4  # the best model, not the broken one
    assert all(math.isfinite(p) for p in result.history["train_psnr"] + result.history["test_psnr"])
    assert all(torch.isfinite(p).all() for p in result.model.parameters())
    assert torch.isfinite(result.prediction).all()


def test_a_model_that_is_nan_before_training_is_refused(tiny_photo):
    model = make_model("relu")
    with torch.no_grad():
        model.net[0].weight[0, 0] = float("nan")
    with pytest.raises(ValueError, match="already outputs NaN, so it cannot learn") as caught:
        fit(model, tiny_photo, steps=5, progress=False)
    assert one_sentence(str(caught.value))


def test_fit_many_diverging_lr_and_nan_models_too():
    from helpers.sweeps import fit_many

    image = helpers.load_image("photo", size=16)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = fit_many([make_model("siren"), make_model("siren", seed=1)], image, steps=100,
                           lr=10, eval_every=5, n_snapshots=0, progress=False)
    messages = sorted(str(w.message) for w in caught if w.category is RuntimeWarning)
    assert [m[:38] for m in messages] == ["model 1 of 2: training diverged at ste",
                                          "model 2 of 2: training diverged at ste"]
    for result in results:
        assert result.diverged and result.steps < 100
        assert math.isfinite(result.train_psnr) and math.isfinite(result.test_psnr)
    broken = make_model("relu")
    with torch.no_grad():
        broken.net[0].bias[0] = float("nan")
    with pytest.raises(ValueError, match="model 2 of 2: the untrained model already outputs NaN"):
        fit_many([make_model("relu"), broken], image, steps=5, progress=False)


def test_a_sane_lr_is_not_called_diverged():
    image = helpers.load_image("photo", size=16)
    for method in ("siren", "relu", "gaussian"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            result = run(method, image, steps=40, eval_every=5, progress=False, n_snapshots=0)
        assert not result.diverged and result.steps == 40


# --- slider ends -----------------------------------------------------------------------------

SLIDER_ENDS = [  # (method, knob, widget, far ends a panel could offer)
    ("gauss", "scale", ipywidgets.FloatLogSlider(value=10, base=10, min=-2, max=4), (1e-2, 1e4)),
    ("pe", "n_freqs", ipywidgets.IntSlider(value=4, min=1, max=16), (1, 16)),
    ("siren", "omega0", ipywidgets.FloatLogSlider(value=30, base=10, min=-1, max=3.5),
     (0.1, 10 ** 3.5)),
    *[(name, "a", ipywidgets.FloatLogSlider(value=1, base=10, min=-3, max=3), (1e-3, 1e3))
      for name in ("gaussian", "laplacian", "quadratic", "multiquadratic", "supergaussian",
                   "expsin")],
    ("wire", "omega0", ipywidgets.FloatLogSlider(value=8, base=10, min=-1, max=2), (0.1, 100)),
    ("finer", "omega0", ipywidgets.FloatLogSlider(value=30, base=10, min=-1, max=3.5),
     (0.1, 10 ** 3.5)),
    ("gabor", "scale", ipywidgets.FloatLogSlider(value=8, base=10, min=-2, max=4), (1e-2, 1e4)),
    ("hashgrid", "log2_table_size", ipywidgets.IntSlider(value=12, min=1, max=24), (1, 24)),
    *[(name, "alpha", ipywidgets.FloatLogSlider(value=1.2, base=10, min=-1, max=1), (0.1, 10))
      for name in ("siren_scaled", "finer_scaled")],
    *[(name, "omega0", ipywidgets.FloatLogSlider(value=30, base=10, min=-1, max=3), (0.1, 1e3))
      for name in ("sinc", "fr_siren", "staf")],
    ("gaussians", "scale", ipywidgets.FloatLogSlider(value=1, base=10, min=-2, max=2),
     (1e-2, 1e2)),
]


@pytest.mark.parametrize("method, knob, slider, ends", SLIDER_ENDS,
                         ids=[f"{m}-{k}" for m, k, _, _ in SLIDER_ENDS])
def test_panels_survive_the_slider_ends(capsys, method, knob, slider, ends):
    image = helpers.load_image("photo", size=16)

    def train(value):
        return run(method, image, steps=10, progress=False, n_snapshots=0, **{knob: value})

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a diverging end warns; that is allowed
        panel = widgets.retrain_panel(slider, train, target=image)
        for value in ends:
            slider.value = value
    plt.close("all")
    printed = capsys.readouterr().out
    assert "Could not train" not in printed, printed
    assert len(panel.cache) == 3
    for result in panel.cache.values():
        assert math.isfinite(result.train_psnr) and math.isfinite(result.test_psnr)


# --- the command line ------------------------------------------------------------------------

def cli(capsys, *args):
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


TINY = ("--size", "16", "--steps", "2", "--device", "cpu", "--json")


@pytest.mark.parametrize("args, match", [
    (["--method", "relu", "--image", "{files}/missing.png"], "no image at"),
    (["--method", "relu", "--image", "{files}/a folder"], "is a folder, not an image"),
    (["--method", "relu", "--image", "{files}/corrupt.png"], "could not read"),
    (["--method", "relu", "--image", "{files}/garbage.png"], "could not read"),
    (["--method", "relu", "--image", "{files}/notes.txt"], "could not read"),
    (["--method", "relu", "--image", "{files}/array.npy"], "holds an array"),
    (["--method", "relu", "--image", "{files}/nan.tif"], "NaN or infinite pixels"),
    (["--method", "relu", "--size", "4"], "size 4 is too small"),
    (["--method", "relu", "--size", "0"], "--size: must be at least 1"),
    (["--method", "relu", "--size", "big"], "--size: 'big' is not a whole number"),
    (["--method", "nerf"], "invalid choice: 'nerf' (choose from 'relu', 'basic', 'pe', 'gauss'"),
    (["--method", "gauss", "--scale", "0"], "--scale: must be a positive number"),
    (["--method", "gauss", "--scale", "-10"], "--scale: must be a positive number"),
    (["--method", "pe", "--n-freqs", "0"], "--n-freqs: must be at least 1"),
    (["--method", "siren", "--omega0", "0"], "--omega0: must be a positive number"),
    (["--method", "siren", "--omega0", "-30"], "--omega0: must be a positive number"),
    (["--method", "gaussian", "--a", "0"], "--a: must be a positive number"),
    (["--method", "relu", "--steps", "0"], "--steps: must be at least 1"),
    (["--method", "relu", "--steps", "-5"], "--steps: must be at least 1"),
    (["--method", "relu", "--lr", "0"], "--lr: must be a positive number"),
    (["--method", "relu", "--lr", "nan"], "--lr: must be a positive number"),
    (["--method", "relu", "--lr", "inf"], "--lr: must be a positive number"),
    (["--method", "relu", "--device", "tpu"], "invalid choice: 'tpu'"),
    ([], "the following arguments are required: --method"),
])
def test_cli_refuses_with_one_line_and_exit_2(capsys, files, args, match):
    args = [a.format(files=files) for a in args]
    code, out, err = cli(capsys, "fit", *TINY, *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and match in lines[0], err
    assert out == ""


def test_cli_refuses_cuda_without_a_gpu(capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    code, _, err = cli(capsys, "fit", "--method", "relu", *TINY[:-3], "--device", "cuda")
    assert code == 2 and err.strip() == ("error: --device cuda was asked for but no CUDA GPU is "
                                         "available; use --device cpu.")


@pytest.mark.parametrize("name", ["gray.png", "rgba.png", "gray16.png", "rgb16.png",
                                  "wide.png"])
def test_cli_handles_unusual_images(capsys, files, name):
    code, out, err = cli(capsys, "fit", "--method", "relu", "--image", str(files / name), *TINY)
    assert code == 0 and err == "", err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["size"] == 16 and math.isfinite(report["test_psnr"])


def test_cli_warns_in_one_line_when_upsampling(capsys, files):
    code, out, err = cli(capsys, "fit", "--method", "relu", "--image", str(files / "tiny.png"),
                         "--size", "16", "--steps", "2", "--json")
    assert code == 0
    assert err.strip().splitlines() == ["warning: upsampling a 12x12 image to 16x16 adds no "
                                        "detail; choose a size up to the image's own."]
    assert json.loads(out.strip().splitlines()[-1])["size"] == 16


def test_cli_diverging_lr_warns_once_and_reports_finite_psnrs(capsys):
    code, out, err = cli(capsys, "fit", "--method", "siren", "--size", "16", "--steps", "100",
                         "--lr", "10", "--eval-every", "5", "--json")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: training diverged at step"), err
    report = json.loads(out.strip().splitlines()[-1])
    assert report["diverged"] is True and report["steps"] < 100
    assert math.isfinite(report["train_psnr"]) and math.isfinite(report["test_psnr"])


# The same through a real `python -m helpers` process: nothing but the one line on stderr.
@pytest.mark.parametrize("args, code, first_word", [
    (["--method", "relu", "--image", "/no/such/photo.jpg"], 2, "error:"),
    (["--method", "swish"], 2, "error:"),
    (["--method", "relu", "--lr", "10", "--steps", "40", "--eval-every", "5"], 0, "warning:"),
])
def test_cli_process_prints_one_line_and_no_traceback(args, code, first_word):
    done = run_cli("fit", "--size", "16", "--steps", "2", "--device", "cpu", "--json", *args,
                   env={"OMP_NUM_THREADS": "1"})
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(first_word), done.stderr
    assert "Traceback" not in done.stderr
