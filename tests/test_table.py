"""``python -m helpers table``: Tancik et al. 2020's image table over a folder of images."""
import json

import numpy as np
import pytest
import torch

import helpers
from helpers.methods import METHODS, make_model
from helpers.tools import cli
from helpers.tools.table import (KINDS, MAPPINGS, build_mapping, image_files, log_linear_freqs,
                                 mapping_lr)

from conftest import run_cli


def test_log_linear_frequencies_and_mapping_feature_counts():
    freqs = log_linear_freqs(6.0, 128)
    assert freqs[0] == 0 and freqs[-1] == pytest.approx(63.0) and len(freqs) == 128
    assert build_mapping("pe").encoder.out_dim == 512
    assert build_mapping("gauss").encoder.out_dim == 512
    assert build_mapping("basic").encoder.out_dim == 4
    assert list(MAPPINGS) == ["none", "basic", "pe", "gauss"]
    # natural photos: the registry's rates (Tancik et al.'s); text: 1e-3 throughout
    assert [mapping_lr(key, "natural") for key in MAPPINGS] == [1e-2, 1e-2, 1e-3, 1e-3]
    assert {mapping_lr(key, "text") for key in MAPPINGS} == {1e-3}
    assert [METHODS[method].lr for _, method in MAPPINGS.values()] == [1e-2, 1e-2, 1e-3, 1e-3]
    assert KINDS["natural"]["scale"] == 10 and KINDS["text"]["scale"] == 14
    # the paper's code: posenc_scale 6 for its photos, 5 for its text images
    assert KINDS["natural"]["pe_scale"] == 6 and KINDS["text"]["pe_scale"] == 5


@pytest.fixture
def two_images(tmp_path):
    import imageio.v3 as iio

    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("photo", "text"):
        array = (helpers.load_image(name, size=16).numpy() * 255).astype(np.uint8)
        iio.imwrite(folder / f"{name}.png", array)
    (folder / "notes.txt").write_text("not an image")
    return folder


def test_table_json_over_a_folder(two_images):
    done = run_cli("table", "--images", str(two_images), "--size", "16", "--steps", "5",
                   "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["images"] == ["photo.png", "text.png"]
    assert {"size", "steps", "kind", "seed", "scale", "pe_scale", "device", "methods"} <= set(report)
    assert report["kind"] == "natural" and report["scale"] == 10 and report["pe_scale"] == 6
    assert list(report["methods"]) == ["none", "basic", "pe", "gauss"]
    for entry in report["methods"].values():
        assert {"label", "lr", "test_psnr", "test_psnr_mean", "test_psnr_std",
                "train_psnr_mean", "train_psnr_std", "collapsed"} <= set(entry)
        assert len(entry["test_psnr"]) == 2
        assert entry["test_psnr_mean"] == pytest.approx(np.mean(entry["test_psnr"]), abs=1e-3)
        assert entry["test_psnr_std"] == pytest.approx(np.std(entry["test_psnr"]), abs=1e-3)


def test_table_text_output(two_images, capsys):
    code = cli.main(["table", "--images", str(two_images), "--size", "16", "--steps", "3",
                     "--kind", "text", "--device", "cpu"])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "2 image(s)" in lines[0] and "(text)" in lines[0]
    rows = {line.split("  ")[0]: line for line in lines[2:6]}
    assert set(rows) == {"no mapping", "basic", "positional enc. (s=5)", "Gaussian (σ=14)"}
    assert all("±" in row and "0.001" in row for row in rows.values())
    assert all(row.split()[-1].endswith("/2") for row in rows.values())  # the flat count
    assert lines[-1].endswith("18.40 / 20.48 / 27.57 / 30.47 dB")


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "missing", "no folder at"),
    (lambda tmp: tmp, "no images in"),
    (lambda tmp: (tmp / "a.png").write_bytes(b"x") and tmp / "a.png", "is a file, not a folder"),
])
def test_table_bad_folder_exits_2_with_one_line(tmp_path, make, message, capsys):
    folder = make(tmp_path)
    code = cli.main(["table", "--images", str(folder), "--size", "16", "--steps", "2"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err


def test_table_unknown_kind_exits_2():
    # without --images the table runs over the bundled set of --kind (tests/test_baselines.py)
    done = run_cli("table", "--kind", "faces", "--size", "16")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "natural" in lines[0] and "text" in lines[0], done.stderr


def test_image_files_skips_other_files(two_images):
    assert [p.name for p in image_files(two_images)] == ["photo.png", "text.png"]


def test_mappings_are_the_registry_models():
    """The table's models are make_model's, seed for seed: same weights, same B."""
    for key, (_, method) in MAPPINGS.items():
        knobs = {"pe": {"freqs": log_linear_freqs(6.0)}, "gauss": {"scale": 10.0}}.get(key, {})
        a, b = build_mapping(key, 10.0, 6.0, seed=3), make_model(method, seed=3, **knobs)
        for (name, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
            assert torch.equal(x, y), (key, name)


def test_a_collapsed_fit_is_named_in_its_row_and_counted(two_images, monkeypatch):
    """A mapping whose sigmoid starts saturated ends flat: its row names the images."""
    from helpers.tools import table

    def saturated(key, *args):
        model = build_mapping(key, *args)
        if key == "basic":
            with torch.no_grad():
                model.net[-2].bias.fill_(40.0)  # sigmoid(40) = 1: white, no gradient
        return model

    monkeypatch.setattr(table, "build_mapping", saturated)
    report = table.run_table(two_images, size=16, steps=3, device="cpu")
    assert report["methods"]["basic"]["collapsed"] == ["photo.png", "text.png"]
    assert report["methods"]["pe"]["collapsed"] == report["methods"]["gauss"]["collapsed"] == []
    # no mapping at the photos' lr 1e-2 really saturates on the mostly white text in 3 steps
    assert report["methods"]["none"]["collapsed"] == ["text.png"]
    lines = table.format_table(report).splitlines()
    basic = next(line for line in lines if line.startswith("basic"))
    assert basic.split()[-1] == "2/2"
    assert any(line.startswith("flat: fits that ended at one flat colour") for line in lines)


def test_one_row_can_be_measured_alone_and_a_wrong_key_exits_2(two_images):
    done = run_cli("table", "--images", str(two_images), "--size", "16", "--steps", "3",
                   "--mappings", "pe,gauss", "--device", "cpu", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(report["methods"]) == ["pe", "gauss"] and "bicubic" in report["baselines"]
    done = run_cli("table", "--images", str(two_images), "--size", "16", "--mappings", "fourier")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "none, basic, pe, gauss" in lines[0] and "fourier" in lines[0]
