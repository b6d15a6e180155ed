"""The static site: frames of the slider panels (helpers.site_frames) and the builder
(helpers.tools.site), on a tiny notebook executed here in a real kernel (a few seconds).

The browser half (sliders moved in Chromium from a static server) is test_site_browser.py.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from conftest import ROOT, run_cli

from helpers import site_frames
from helpers.tools import site
from helpers.tools.run_notebooks import kernel_env, run_notebook

SETUP = """\
import ipywidgets, numpy as np, torch, matplotlib.pyplot as plt
from types import SimpleNamespace
from IPython.display import HTML, display
from helpers import widgets
from helpers.loop import optimize

def fake(v):
    return SimpleNamespace(prediction=np.full((8, 8, 3), v / 10, dtype=np.float32),
                           train_psnr=10.0 + v, test_psnr=9.0 + v, diverged=False)

trained = []
def train_fn(v):
    trained.append(v)
    return fake(v)

def show(n):
    if n > 2:  # these values train: the site lists them instead of drawing them
        model = torch.nn.Linear(1, 1)
        optimize(model, lambda step: model.weight.sum() ** 2, steps=2, lr=0.1, progress=False)
    plt.figure(figsize=(2, 2))
    plt.imshow(np.full((4, 4), float(n)), vmin=0, vmax=4)
    plt.title(f"n = {n}")
    plt.show()
    print(f"n = {n}: {10 * n} dB")

torch.manual_seed(0)
expected = torch.rand(3)
torch.manual_seed(0)
"""
PANEL = """\
widgets.retrain_panel(ipywidgets.IntSlider(value=2, min=1, max=4, description="L"), train_fn,
                      precomputed={1: fake(1), 2: fake(2), 3: fake(3)}, name="L",
                      show_spectrum=False, show_sweep=False, size=1.5)
"""
INTERACTIVE = """\
widgets.interactive(show, n=ipywidgets.IntSlider(value=1, min=1, max=4, description="n"))
"""
CHECK = """\
assert trained == [], f"the site's frames trained {trained}"
assert torch.equal(torch.rand(3), expected), "the site's frames changed the random state"
fig = plt.figure(figsize=(2, 1))
plt.plot([0, 1], [1, 0])
display(fig)
display(fig)  # the same picture twice: one file
plt.close(fig)
display(HTML('<video controls src="data:video/mp4;base64,AAAAGGZ0eXBpc29t"></video>'))
ipywidgets.Button(description="a live control")
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The tiny notebook, run with NB_SITE_FRAMES set -> (its folder, the run)."""
    folder = tmp_path_factory.mktemp("executed")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 · A tiny lesson\n\n**What you will learn**: "
                                      "sliders that need no kernel.\n\n[![Open In Colab]"
                                      "(https://colab.research.google.com/assets/colab-badge.svg)]"
                                      "(https://colab.research.google.com/)"),
        nbformat.v4.new_code_cell(SETUP), nbformat.v4.new_code_cell(PANEL),
        nbformat.v4.new_code_cell(INTERACTIVE), nbformat.v4.new_code_cell(CHECK)])
    source = folder / "source" / "01_tiny.ipynb"
    source.parent.mkdir()
    nbformat.write(notebook, source)
    env = {**kernel_env(smoke=True, budget=None),
           site_frames.ENV: str(folder / "site-frames")}
    run = run_notebook(source, folder, env, timeout=120)
    (folder / "results.json").write_text(json.dumps({
        "environment": {"environment": "budget: smoke | device: cpu"},
        "notebooks": [{"name": run.name, "seconds": 12.3, "error": run.error}]}))
    return folder, run


def manifest(folder):
    return list(site.read_manifest(folder / "site-frames").values())


def test_panels_save_the_values_they_show_without_training(executed):
    folder, run = executed
    assert run.error is None, run.error  # no training, random state untouched (CHECK cell)
    assert len(run.fits) == 0
    entries = manifest(folder)
    assert len(entries) == 2
    panel, box = entries
    assert panel["label"] == "L" and panel["controls"] == [{"label": "L",
                                                            "values": ["1", "2", "3"]}]
    assert panel["values"] == [[0], [1], [2]] and panel["initial"] == 1
    assert panel["trained_on_demand"] == [["4"]]  # the slider offers 4; nobody trained it
    assert panel["numbers"][0].startswith("L = 1: train 11.00 dB, test 10.00 dB")
    assert len(set(panel["frames"])) == 3
    assert box["controls"][0]["values"] == ["1", "2"] and box["trained_on_demand"] == [["3", "4"]]
    assert box["numbers"] == ["n = 1: 10 dB", "n = 2: 20 dB"]
    for entry in entries:
        for name, (width, height) in zip(entry["frames"], entry["sizes"]):
            path = folder / "site-frames" / "frames" / name
            assert path.read_bytes()[8:12] == b"WEBP"
            from PIL import Image

            assert Image.open(path).size == (width, height)


def test_the_site_has_an_index_a_page_and_static_sliders(executed, tmp_path):
    folder, _ = executed
    out = tmp_path / "site"
    report = site.build_site(folder, out)
    assert report["pages"] == ["index.html", "01_tiny.html"] and report["sliders"] == 2
    index = (out / "index.html").read_text()
    assert "01 · A tiny lesson" in index and "sliders that need no kernel" in index
    assert "12 s" in index and "<td>smoke</td>" in index
    page = (out / "01_tiny.html").read_text()
    assert not re.search(r'<(img|video|source|audio)[^>]*src="data:', page)  # files only
    assert "colab-badge.svg" not in page and "Open In Colab" in page  # nothing from the web
    assert page.count('class="panel" data-static="1"') == 2
    assert re.search(r'<input type="range" min="0" max="2" step="1" value="1" '
                     r'data-control="0"', page)
    assert re.search(r'<input type="range" min="0" max="1" step="1" value="0"', page)
    assert "Precomputed values only" in page and "L = 4" in page and "n = 3, 4" in page
    assert site.LIVE_ONLY in page.lower()  # the button: no frames, no picture
    sources = re.findall(r'src="(media/[^"]+)"', page)
    frames = [f for data in re.findall(r'<script type="application/json">(.*?)</script>', page)
              for f in json.loads(data)["frames"]]
    for path in sources + frames:
        assert (out / path).is_file(), path
    assert any(s.endswith(".mp4") for s in sources)  # the video moved out of the HTML
    figures = [s for s in sources if s.endswith(".webp") and s not in frames]
    assert len(figures) == 2 and len(set(figures)) == 1  # the same figure twice, one file
    assert (out / "site.js").is_file() and (out / "style.css").is_file()
    media = sorted(p.name for p in (out / "media").iterdir())
    assert len(media) == len(set(sources + frames))  # nothing stored that no page shows
    assert report["bytes"] == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert report["bytes"] < 300_000


def test_the_site_replaces_an_earlier_site_but_no_other_folder(executed, tmp_path):
    folder, _ = executed
    out = tmp_path / "site"
    site.build_site(folder, out)
    (out / "media" / "stale.webp").write_bytes(b"old")
    site.build_site(folder, out)
    assert not (out / "media" / "stale.webp").exists()
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError, match="not a site"):
        site.build_site(folder, other)
    assert (other / "mine.txt").read_text() == "keep"


def test_site_command_without_executed_notebooks_says_what_to_do(tmp_path):
    done = run_cli("site", "--from", str(tmp_path), "--out", str(tmp_path / "site"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("error: no executed notebooks in ")
    assert "without --from" in done.stderr


def test_pictures_are_stored_at_the_size_shown():
    import io

    from PIL import Image

    def png(width, height):
        buffer = io.BytesIO()
        Image.new("RGB", (width, height), "red").save(buffer, "PNG")
        return buffer.getvalue()

    data, size = site_frames.to_webp([png(600, 200)], [300])  # a retina figure: half
    assert size == (300, 100) and data[8:12] == b"WEBP"
    _, size = site_frames.to_webp([png(2400, 600)], [None])  # wider than the page's column
    assert size == (site_frames.MAX_WIDTH, site_frames.MAX_WIDTH // 4)
    _, size = site_frames.to_webp([png(400, 100), png(200, 50)], [None, None])  # stacked
    assert size == (400, 150)
