"""The static site in a real browser, served by a plain static file server (no Jupyter).

Builds the site at the smoke budget for two notebooks with slider panels (``python -m
helpers site --smoke``; ``NB_SITE_DIR=FOLDER`` tests an existing build instead, e.g. the
whole series), serves it with ``http.server`` in a thread, and opens every page in headless
Chromium: the page's first view (its load event) comes within FIRST_VIEW_SECONDS, nothing
is requested outside the server, the console has no errors, and each static slider moved
one position (keyboard, as a reader does) changes the picture, the value shown and, where
the panel prints numbers, the numbers. Screenshots: ``rendered/site/`` (``$NB_SITE_SCREENSHOTS``).

Same browser rules as test_browser.py: Debian's ``chromium`` and Python ``playwright``,
skipped with the reason when missing, a failure when ``NB_REQUIRE_BROWSER=1``. Time: the
two notebooks' smoke run (about 1-3 min on 2 cores) and a few seconds per page.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

NOTEBOOKS = ["03_positional_encoding", "04_gaussian_fourier_features"]  # slider panels
SCREENSHOTS = Path(os.environ.get("NB_SITE_SCREENSHOTS", ROOT / "rendered" / "site"))
FIRST_VIEW_SECONDS = 2.0   # the bar, from a local static server
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--no-first-run"]


def missing(reason: str):
    """Skip (printed with -rs) on a learner's machine; fail where CI requires the browser."""
    if os.environ.get("NB_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(reason + " (NB_REQUIRE_BROWSER=1 requires this test)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        missing("Chromium is not installed, so the site's browser test cannot run: install "
                "Debian's package with `apt-get install -y chromium`.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Python playwright is not installed: pip install playwright (the browser "
                "itself comes from apt, never from playwright).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, browser) -> Path:
    """The built site's folder (built here unless NB_SITE_DIR names one)."""
    given = os.environ.get("NB_SITE_DIR")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("site") / "site"
    env = {**os.environ, "NB_SMOKE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "helpers", "site", "--smoke", "--no-progress", "--out", str(out),
         *(str(ROOT / "notebooks" / f"{name}.ipynb") for name in NOTEBOOKS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stderr.strip().splitlines()[-1])  # the size and build time
    return out


@pytest.fixture(scope="module")
def server(site):
    """http.server on a free localhost port, serving only the site's files."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def state(panel) -> dict:
    return panel.evaluate("""(p) => ({
        src: p.querySelector('img.frame').getAttribute('src'),
        numbers: p.querySelector('.numbers').textContent,
        values: [...p.querySelectorAll('output')].map(o => o.textContent).join('|')})""")


def test_every_page_shows_fast_offline_and_its_sliders_change_picture_and_numbers(
        browser, server, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = ["index.html"] + sorted(p.name for p in site.glob("[0-9]*.html"))
    assert len(pages) > 1, f"no notebook pages in {site}"
    moved = 0
    for name in pages:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, outside = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(server) else None)
        page.goto(f"{server}/{name}", wait_until="load")
        seconds = page.evaluate(
            "performance.getEntriesByType('navigation')[0].loadEventEnd / 1000")
        print(f"{name}: first view {seconds:.2f} s")
        assert seconds < FIRST_VIEW_SECONDS, f"{name}: first view took {seconds:.2f} s"
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}.png"))
        panels = page.locator(".panel[data-static]")
        for i in range(panels.count()):
            panel = panels.nth(i)
            panel.scroll_into_view_if_needed()
            with_numbers = panel.evaluate(
                "(p) => JSON.parse(p.querySelector('script').textContent).numbers"
                ".some(n => n.trim())")
            for slider in panel.locator("input[type=range]").all():
                before = state(panel.element_handle())
                at_end = slider.input_value() == slider.get_attribute("max")
                slider.focus()
                page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                after = state(panel.element_handle())
                assert after["src"] != before["src"], f"{name} panel {i + 1}: same picture"
                assert after["values"] != before["values"], f"{name} panel {i + 1}: same value"
                if with_numbers:
                    assert after["numbers"] != before["numbers"], \
                        f"{name} panel {i + 1}: the numbers did not change"
                page.wait_for_function("(p) => p.querySelector('img.frame').complete && "
                                       "p.querySelector('img.frame').naturalWidth > 0",
                                       arg=panel.element_handle(), timeout=10_000)
                moved += 1
            panel.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}_panel{i + 1}.png"))
        broken = page.evaluate("[...document.images].filter(i => i.complete && "
                               "i.naturalWidth === 0).map(i => i.getAttribute('src'))")
        page.close()
        assert not errors, f"{name}: console errors: {errors[:5]}"
        assert not outside, f"{name}: requests outside the site: {outside[:5]}"
        assert not broken, f"{name}: pictures that did not load: {broken[:5]}"
    assert moved >= len(NOTEBOOKS) if not os.environ.get("NB_SITE_DIR") else moved > 0, \
        "no static slider was moved: the pages have no slider panels"
