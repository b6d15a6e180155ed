"""A real browser: JupyterLab in headless Chromium runs notebook 04 and a learner moves σ.

Needs Debian's ``chromium`` (``apt-get install -y chromium``; nothing here downloads a
browser) and Python ``playwright``. Without them the test fails and says so. Deselect it
locally with ``pytest -m "not browser"``; CI runs it. About 1-3 minutes, mostly notebook 04
running in the smoke budget.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

NOTEBOOK = ROOT / "notebooks" / "04_gaussian_fourier_features.ipynb"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--no-first-run"]
READOUT = re.compile(r"train ([\d.]+) dB, test ([\d.]+) dB")
RUN_ALL_SECONDS = 1200  # notebook 04 under NB_SMOKE=1 (~2-4 min alone); it took over 7 min on a loaded 2-core machine
SETTINGS = {  # a plain, quiet JupyterLab: every cell in the page, no autosave, no news
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Chromium is not installed, so the browser test cannot run: install "
                    "Debian's package with `apt-get install -y chromium` (or deselect this "
                    "test with -m 'not browser').")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on a free localhost port, no token, NB_SMOKE=1, serving a copy of the
    notebook (so nothing the browser saves touches the repository). Yields the base URL."""
    if not NOTEBOOK.exists():
        pytest.fail(f"{NOTEBOOK.name} is missing; the browser test drives its σ panel.")
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(NOTEBOOK, served / NOTEBOOK.name)
    settings = tmp_path / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    env = {**os.environ, "NB_SMOKE": "1", "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings")}
    env.pop("MPLBACKEND", None)  # the kernel must draw inline figures
    log = open(tmp_path / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--allow-root", "--ServerApp.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={served}",
         "--LabApp.news_url=None"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + (tmp_path / "jupyterlab.log")
                                .read_text()[-2000:])
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_notebook_04_runs_in_a_browser_and_the_sigma_slider_retrains(jupyterlab, tmp_path):
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Python playwright is not installed: pip install playwright "
                    "(the browser itself comes from apt, never from playwright).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            drive(page, f"{jupyterlab}/lab/tree/{NOTEBOOK.name}")
        except BaseException:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            print(f"screenshot of the page: {tmp_path / 'failure.png'}")
            raise
        finally:
            browser.close()


def drive(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)

    # JupyterLab 4 asks "Select Kernel" for a notebook it has not opened before.
    accept = page.locator(".jp-Dialog button.jp-mod-accept")
    try:
        accept.wait_for(timeout=20_000)
        accept.click()
    except Exception:  # no dialog: the kernel started on its own
        pass
    page.wait_for_selector(".jp-Dialog", state="detached", timeout=30_000)

    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent);
            return prompts.length > 0 && prompts.every(t => /\\[\\d+\\]/.test(t));
        }""", timeout=RUN_ALL_SECONDS * 1000)
    errors = [text for text in page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    ).all_text_contents() if "Traceback" in text or "Error" in text.split("\n")[0]]
    assert not errors, "a cell failed in the browser:\n" + errors[0][:1500]

    slider = page.locator(".widget-hslider",
                          has=page.locator(".widget-label", has_text=re.compile(r"^σ$"))).first
    assert slider.count() == 1, "no slider labelled σ in the notebook's outputs"
    panel = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')]"
                           "[.//div[contains(@class, 'widget-output')]][1]")
    output = panel.locator(".widget-output").first
    slider.scroll_into_view_if_needed()
    output.locator("img").first.wait_for(timeout=30_000)
    before_image = output.locator("img").first.get_attribute("src")
    before_text = output.text_content()
    before = READOUT.search(before_text)
    assert before, f"the panel shows no PSNR readout: {before_text!r}"
    before_value = slider.locator(".widget-readout").text_content()

    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")  # one step of the log slider, released at once
    page.wait_for_function(
        """([output, before]) => {
            const text = output.textContent;
            return text !== before && /train [\\d.]+ dB, test [\\d.]+ dB/.test(text)
                && output.querySelector('img') !== null;
        }""", arg=[output.element_handle(), before_text], timeout=120_000)

    after_value = slider.locator(".widget-readout").text_content()
    after_text = output.text_content()
    after = READOUT.search(after_text)
    assert float(after_value) > float(before_value), (before_value, after_value)
    assert after and after.groups() != before.groups(), (before_text, after_text)
    assert output.locator("img").first.get_attribute("src") != before_image
    assert "Could not train" not in after_text
