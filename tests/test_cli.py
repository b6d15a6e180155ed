import json

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
    assert len(lines) == 1 and lines[0].startswith("warning: the fit ended at one flat colour"), \
        done.stderr


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
