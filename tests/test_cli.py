import json
import re

import pytest

from conftest import run_cli

KEYS = {"method", "image", "size", "steps", "lr", "seed", "device", "params", "train_psnr",
        "test_psnr", "val_psnr", "seconds", "seconds_per_step", "diverged", "collapsed"}


def test_fit_json_has_the_documented_keys():
    done = run_cli("fit", "--method", "gauss", "--image", "photo", "--size", "32",
                   "--steps", "20", "--scale", "3", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert KEYS <= set(report)
    assert report["method"] == "gauss" and report["size"] == 32 and report["steps"] == 20
    assert report["lr"] == 1e-3 and report["scale"] == 3.0
    assert 5 < report["test_psnr"] < 60 and report["params"] == 263683
    assert 5 < report["val_psnr"] < 60
    assert report["diverged"] is False and report["collapsed"] is False


def test_fit_json_flags_a_fit_that_collapsed_to_one_colour():
    done = run_cli("fit", "--method", "relu", "--image", "data/text/text_00.png", "--size", "32",
                   "--steps", "60", "--lr", "1e-3", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["collapsed"] is True and report["diverged"] is False
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("warning: the fit ended at one flat colour"), done.stderr


@pytest.mark.parametrize("args, message", [
    (["--method", "nerf"], "choose from 'relu', 'basic', 'pe'"),
    (["--method", "gauss", "--scale", "-1"], "--scale: must be a positive number"),
    (["--method", "gauss", "--scale", "0"], "--scale: must be a positive number"),
    (["--method", "relu", "--steps", "-3"], "--steps: must be at least 1"),
    (["--method", "relu", "--steps", "0"], "--steps: must be at least 1"),
    (["--method", "relu", "--image", "/no/such/file.png"], "no image at"),
    (["--method", "siren", "--omega0", "0"], "--omega0: must be a positive number"),
    (["--method", "pe", "--n-freqs", "0"], "--n-freqs: must be at least 1"),
])
def test_bad_arguments_exit_2_with_one_line(args, message):
    done = run_cli("fit", "--size", "16", "--steps", "2", *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_corrupt_image_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG garbage")
    done = run_cli("fit", "--method", "relu", "--image", str(bad), "--size", "16", "--steps", "2")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: could not read {str(bad)!r} as an image (OSError); check that it is a PNG or "
        "JPEG file and not corrupt."]


ESTIMATE = r"about \d+(\.\d)? (s|min|h)"


def test_fit_says_what_it_trains_and_how_long_first():
    done = run_cli("fit", "--method", "gauss", "--image", "photo", "--size", "16",
                   "--steps", "3", "--device", "cpu")
    assert done.returncode == 0, done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("fit: gauss on photo at 16 px, 3 steps on cpu: "), first
    assert re.search(ESTIMATE + r" \([\d.e-]+ s per step, timed here\)$", first), first
    done = run_cli("fit", "--method", "bicubic", "--size", "16")
    assert done.stderr.splitlines()[0].endswith("interpolation of the train pixels, no training")
    done = run_cli("fit", "--method", "gauss", "--size", "16", "--steps", "3", "--json")
    assert done.returncode == 0 and done.stderr == "", done.stderr  # scripts get JSON only


def test_fit_help_explains_steps():
    done = run_cli("fit", "--help")
    steps = done.stdout.split("\n  --steps STEPS", 1)[1].split("--lr", 1)[0]
    assert "training steps" in steps and "default" in steps, done.stdout


def test_table_says_what_it_runs_and_an_estimate_before_the_first_fit(tmp_path):
    import helpers
    import imageio.v3 as iio
    import numpy as np

    for name in ("photo", "cat"):
        array = (helpers.load_image(name, size=16).numpy() * 255).astype(np.uint8)
        iio.imwrite(tmp_path / f"{name}.png", array)
    done = run_cli("table", "--images", str(tmp_path), "--size", "16", "--steps", "2",
                   "--mappings", "none,gauss", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[0] == ("table: 2 natural image(s) x 2 mapping(s) (none, gauss) = 4 fits of "
                        "2 steps at 16 px on cpu, and bicubic; timing a step of each mapping ...")
    assert re.fullmatch(r"estimate: " + ESTIMATE + r" in all \(seconds per step: none [\d.e-]+, "
                        r"gauss [\d.e-]+\)", lines[1]), lines[1]
    progress = lines[2:]
    assert [line.split()[1] for line in progress] == ["1/4", "2/4", "3/4", "4/4"], progress
    assert all(re.search(ESTIMATE + " left$", line) for line in progress[:-1]), progress
    assert "cat.png: no mapping" in progress[0] and "photo.png: Gaussian" in progress[3]


def test_estimates_read_as_durations():
    from helpers.tools import estimate

    assert [estimate.duration(s) for s in (0.2, 40, 720, 11_520)] == [
        "about 1 s", "about 40 s", "about 12 min", "about 3.2 h"]
    assert estimate.fit_seconds(2000, 0.1) == pytest.approx(2000 * 0.1 * (1 + estimate.EVAL_SHARE))
