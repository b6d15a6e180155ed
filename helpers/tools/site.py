"""The lesson as a static web site: ``python -m helpers site --out site/ [--smoke]``.

Runs the series as ``run-notebooks`` does (executed copies in ``OUT-executed/``), with
``NB_SITE_FRAMES`` set so that every slider panel also saves the frames of the values it
shows without training (:mod:`helpers.site_frames`); ``--from DIR`` builds from such a run
instead. Writes to OUT:

- ``index.html``: the series table: each notebook, what it teaches (its first markdown
  cell), its run time and budget;
- ``NN_topic.html``: one page per notebook: prose, code, printed text, figures, tables,
  videos and sound, and each slider panel as a static slider: a range input per control
  picks one of the panel's frames, in the browser (``site.js``: plain JavaScript, no
  kernel, no server, nothing fetched from the network). A value the live panel would train
  on demand is listed under the panel instead. Widgets with no frames show their stored
  figure, or a line that sends the reader to the notebook;
- ``media/``: figures and frames as WebP at the size shown, videos and sounds as files,
  each named by its content, so a file two pages share is stored once.

Serve OUT with any static file server (``python -m http.server -d site``) or open
``index.html`` from disk.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import time
from pathlib import Path

from .. import site_frames

REPOSITORY = "https://github.com/coordinate-mlps-live/coordinate-mlps-live"
HERE = Path(__file__).resolve().parent
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
DATA_URI = re.compile(r"""(src|href)=(["'])data:([\w/+.-]+);base64,([A-Za-z0-9+/=\s]+)\2""")
EXTENSIONS = {"video/mp4": ".mp4", "video/webm": ".webm", "audio/wav": ".wav",
              "audio/x-wav": ".wav", "audio/mpeg": ".mp3", "image/gif": ".gif",
              "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
LIVE_ONLY = "a live control: open the notebook to use it"

CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;
color:#222;line-height:1.45}nav{font-size:14px;margin-bottom:1em}nav a{margin-right:1em}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;font-size:13px;border-radius:4px;
margin:.4em 0}pre.out{background:#fff;border-left:3px solid #ddd}pre.err{background:#fff0f0}
.cell{margin:.8em 0}img{max-width:100%;height:auto}table{border-collapse:collapse;
font-size:14px;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}
.panel{border:1px solid #cfd8e3;border-radius:6px;padding:.6em;margin:.6em 0;background:#fbfcfe}
.controls label{display:inline-block;margin-right:1.5em}.controls input{vertical-align:middle;
width:14em}.controls output{font-weight:bold;margin-left:.4em}.fixed{margin-right:1.5em;
color:#555}.note{font-size:13px;color:#666}.live{font-style:italic;color:#666}
video,audio{max-width:100%}.anchor-link{display:none}.numbers:empty{display:none}.index td ul,.index td ol{margin:0;padding-left:1.2em}"""


# --- files ------------------------------------------------------------------------------

class Media:
    """Files under OUT/media named by their content: a file used twice is written once."""

    def __init__(self, out: Path):
        self.folder = out / "media"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._done: dict[str, tuple] = {}

    def file(self, data: bytes, extension: str) -> str:
        name = hashlib.sha1(data).hexdigest()[:16] + extension
        path = self.folder / name
        if not path.exists():
            path.write_bytes(data)
        return f"media/{name}"

    def image(self, data: bytes, width=None) -> tuple[str, tuple[int, int]]:
        """A PNG/JPEG as WebP at its shown width -> (path, (width, height))."""
        key = hashlib.sha1(data).hexdigest() + str(width)
        if key not in self._done:
            webp, size = site_frames.to_webp([data], [width])
            self._done[key] = (self.file(webp, ".webp"), size)
        return self._done[key]

    def copy(self, path: Path) -> str:
        target = self.folder / path.name
        if not target.exists():
            shutil.copyfile(path, target)
        return f"media/{path.name}"


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# --- one notebook's page ----------------------------------------------------------------

def _markdown(text: str) -> str:
    """Markdown -> HTML (nbconvert's filter); pictures from the web become their alt text,
    so a page loads nothing from the network."""
    from nbconvert.filters.markdown import markdown2html

    rendered = markdown2html(text)
    return re.sub(r"<img[^>]*?alt=\"([^\"]*)\"[^>]*?src=\"https?://[^\"]*\"[^>]*>|"
                  r"<img[^>]*?src=\"https?://[^\"]*\"[^>]*?alt=\"([^\"]*)\"[^>]*>",
                  lambda m: html.escape(m.group(1) or m.group(2) or "picture"), rendered)


def _code(source: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(source, PythonLexer(), HtmlFormatter(cssclass="code"))


def _text(text: str, kind: str = "out") -> str:
    return f'<pre class="{kind}">{html.escape(ANSI.sub("", text))}</pre>'


def _inline_files(markup: str, media: Media) -> str:
    """An output's HTML with its embedded videos, sounds and pictures moved to files."""
    import base64

    def replace(match):
        attribute, quote, mime, payload = match.groups()
        data = base64.b64decode("".join(payload.split()))
        return f"{attribute}={quote}{media.file(data, EXTENSIONS.get(mime, '.bin'))}{quote}"

    return DATA_URI.sub(replace, markup)


class Page:
    """Renders one executed notebook's cells; knows its widget state and the manifest."""

    def __init__(self, notebook, media: Media, manifest: dict, frames_dir: Path | None,
                 notebook_url: str):
        self.notebook, self.media, self.manifest = notebook, media, manifest
        self.frames_dir, self.notebook_url = frames_dir, notebook_url
        self.state = notebook.metadata.get("widgets", {}).get(
            "application/vnd.jupyter.widget-state+json", {}).get("state", {})
        self.panels = 0

    def cells(self) -> str:
        parts = []
        for cell in self.notebook.cells:
            if cell.cell_type == "markdown":
                parts.append(f'<div class="cell md">{_markdown(cell.source)}</div>')
            elif cell.cell_type == "code" and cell.source.strip():
                outputs = "".join(self.output(o) for o in cell.get("outputs", []))
                parts.append(f'<div class="cell">{_code(cell.source)}{outputs}</div>')
        return "\n".join(parts)

    def output(self, output) -> str:
        kind = output.get("output_type")
        if kind == "stream":
            return _text(output.get("text", ""), "err" if output.get("name") == "stderr" else "out")
        if kind == "error":
            return _text("\n".join(output.get("traceback", [])) or
                         f"{output.get('ename')}: {output.get('evalue')}", "err")
        data, metadata = output.get("data", {}), output.get("metadata", {})
        view = data.get("application/vnd.jupyter.widget-view+json")
        if view:
            return self.widget(view.get("model_id"))
        for mime in ("image/png", "image/jpeg"):
            if mime in data:
                width = (metadata.get(mime) or {}).get("width")
                return self.img(site_frames.image_bytes(data[mime]), width)
        if "image/gif" in data:
            src = self.media.file(site_frames.image_bytes(data["image/gif"]), ".gif")
            return f'<img src="{src}" loading="lazy" alt="animation">'
        if "image/svg+xml" in data:
            return data["image/svg+xml"]
        if "text/html" in data:
            return f'<div class="html">{_inline_files(data["text/html"], self.media)}</div>'
        if "text/markdown" in data:
            return _markdown(data["text/markdown"])
        if "text/plain" in data:
            return _text(data["text/plain"])
        return ""

    def img(self, data: bytes, width=None, alt: str = "figure") -> str:
        src, (w, h) = self.media.image(data, width)
        return f'<img src="{src}" width="{w}" height="{h}" loading="lazy" alt="{alt}">'

    def _walk(self, model_id, seen=None):
        """The widget and its descendants' ids, parents first."""
        seen = set() if seen is None else seen
        if model_id not in self.state or model_id in seen:
            return
        seen.add(model_id)
        yield model_id
        for child in self.state[model_id].get("state", {}).get("children", []) or []:
            yield from self._walk(str(child).replace("IPY_MODEL_", ""), seen)

    def widget(self, model_id) -> str:
        """A panel with frames -> a static slider; else its stored figures, or a note."""
        if model_id in self.manifest:
            return self.slider(self.manifest[model_id])
        found = [i for i in self._walk(model_id) if i in self.manifest]
        if found:
            return "".join(self.slider(self.manifest[i]) for i in found)
        figures = []
        for child in self._walk(model_id):
            for item in self.state[child].get("state", {}).get("outputs", []) or []:
                images, widths, _ = site_frames.frame_of([item])
                figures += [self.img(d, w) for d, w in zip(images, widths)]
        if figures:
            return "".join(figures) + f'<p class="live">{self._live_line()}</p>'
        return f'<p class="live">{self._live_line()}</p>'

    def _live_line(self) -> str:
        return (f'{LIVE_ONLY[0].upper()}{LIVE_ONLY[1:]} '
                f'(<a href="{self.notebook_url}">the notebook</a>).')

    def slider(self, entry: dict) -> str:
        """The static form of one panel: a range per control with several values, an image,
        the numbers, and what a live kernel would train."""
        e = html.escape
        self.panels += 1
        frames = [self._frame(name) for name in entry["frames"]]
        k = entry["initial"]
        current = entry["values"][k]
        controls = []
        for i, control in enumerate(entry["controls"]):
            values = control["values"]
            if len(values) > 1:
                controls.append(
                    f'<label>{e(control["label"])} <input type="range" min="0" '
                    f'max="{len(values) - 1}" step="1" value="{current[i]}" data-control="{i}" '
                    f'aria-label="{e(control["label"])}"><output>{e(values[current[i]])}'
                    "</output></label>")
            else:
                controls.append(f'<span class="fixed">{e(control["label"])} = {e(values[0])}'
                                "</span>")
        untried = [(c["label"], v) for c, v in zip(entry["controls"], entry["trained_on_demand"])
                   if v]
        note = ""
        if untried:
            listed = "; ".join(f"{e(label)} = {e(', '.join(v[:12]))}"
                               + (f" and {len(v) - 12} more" if len(v) > 12 else "")
                               for label, v in untried)
            note = (f'<p class="note">Precomputed values only. A live kernel trains the others '
                    f'when chosen ({listed}): <a href="{self.notebook_url}">open the notebook'
                    "</a>.</p>")
        data = {"controls": [c["values"] for c in entry["controls"]], "values": entry["values"],
                "frames": frames, "sizes": entry["sizes"], "numbers": entry["numbers"],
                "initial": k}
        script = json.dumps(data).replace("</", "<\\/")
        width, height = entry["sizes"][k]
        return (f'<div class="panel" data-static="1"><script type="application/json">{script}'
                f'</script><div class="controls">{"".join(controls)}</div>'
                f'<img class="frame" src="{frames[k]}" width="{width}" height="{height}" '
                f'alt="{e(entry["label"])}"><pre class="numbers">{e(entry["numbers"][k])}'
                f"</pre>{note}</div>")

    def _frame(self, name: str) -> str:
        if self.frames_dir is None or not (self.frames_dir / name).exists():
            raise FileNotFoundError(f"the frame {name} is missing from {self.frames_dir}; "
                                    "build the site again without --from.")
        return self.media.copy(self.frames_dir / name)


def teaches(notebook) -> str:
    """What a notebook teaches: its first markdown cell without the title and badges."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines = [line for line in cell.source.splitlines()
                     if not line.startswith("# ") and "colab-badge" not in line]
            return _markdown("\n".join(lines).strip())
    return ""


def _title(notebook, fallback: str) -> str:
    from .run_notebooks import _title as title

    return title(notebook, fallback)


def _page(title: str, body: str, nav: str = "") -> str:
    e = html.escape
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width,initial-scale=1'><title>{e(title)}</title>"
            f"<link rel='icon' href='data:,'><link rel='stylesheet' href='style.css'></head><body>{nav}{body}"
            "<script src='site.js'></script></body></html>")


# --- the site ---------------------------------------------------------------------------

def read_manifest(folder: Path) -> dict:
    """model_id -> manifest line, from ``folder/manifest.jsonl`` (empty if none)."""
    path = folder / "manifest.jsonl"
    if not path.exists():
        return {}
    entries = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip())
    return {entry["model_id"]: entry for entry in entries}


def _prepare(out: Path) -> None:
    """An empty OUT, or an earlier site there replaced (never another folder's files)."""
    if out.exists() and any(out.iterdir()):
        if not (out / "site.js").exists():
            raise FileExistsError(f"{out} holds files that are not a site; give --out an empty "
                                  "or new folder.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "site.js", out / "site.js")  # first: it marks the folder as a site


def build_site(executed: str | Path, out: str | Path, names: list[str] | None = None) -> dict:
    """Write the site for the executed notebooks in ``executed`` (all ``NN_*.ipynb`` there,
    or only ``names``) into ``out``. Returns pages, bytes, files and static sliders."""
    import nbformat
    from pygments.formatters import HtmlFormatter

    executed, out = Path(executed).expanduser(), Path(out).expanduser()
    paths = sorted(executed.glob("[0-9]*.ipynb"))
    if names:
        paths = [p for p in paths if p.name in set(names) or p.stem in set(names)]
    if not paths:
        raise FileNotFoundError(f"no executed notebooks in {executed}; run the series first "
                                "(python -m helpers site without --from).")
    _prepare(out)
    media = Media(out)
    manifest = read_manifest(executed / "site-frames")
    frames_dir = executed / "site-frames" / "frames"
    results = {}
    if (executed / "results.json").exists():
        summary = json.loads((executed / "results.json").read_text())
        results = {n["name"]: n for n in summary.get("notebooks", [])}
        environment = summary.get("environment", {}).get("environment", "")
    else:
        environment = ""
    notebooks = [nbformat.read(p, as_version=4) for p in paths]
    titles = [_title(nb, p.stem) for nb, p in zip(notebooks, paths)]
    found = re.search(r"budget: (\w+)", environment)
    budget = found.group(1) if found else ""
    pages, rows, n_panels = [], [], 0
    for i, (path, notebook, title) in enumerate(zip(paths, notebooks, titles)):
        url = f"{REPOSITORY}/blob/main/notebooks/{path.name}"
        page = Page(notebook, media, manifest, frames_dir, url)
        body = page.cells()
        links = ["<a href='index.html'>the series</a>"]
        if i > 0:
            links.append(f"<a href='{paths[i - 1].stem}.html'>← {html.escape(titles[i - 1])}</a>")
        if i + 1 < len(paths):
            links.append(f"<a href='{paths[i + 1].stem}.html'>{html.escape(titles[i + 1])} →</a>")
        links.append(f"<a href='{url}'>the notebook</a>")
        run = results.get(path.name, {})
        if run.get("error"):
            body = f"<p class='live'>This run failed: {html.escape(run['error'])}</p>" + body
        (out / f"{path.stem}.html").write_text(
            _page(title, body, f"<nav>{''.join(links)}</nav>"), encoding="utf-8")
        pages.append(f"{path.stem}.html")
        n_panels += page.panels
        seconds = run.get("seconds")
        rows.append(f"<tr><td><a href='{path.stem}.html'>{html.escape(title)}</a></td>"
                    f"<td>{teaches(notebook)}</td>"
                    f"<td>{'' if seconds is None else f'{seconds:.0f} s'}</td>"
                    f"<td>{html.escape(budget)}</td><td>{page.panels}</td></tr>")
    intro = ("<h1>Coordinate MLPs, live</h1><p>The series as web pages: every notebook "
             "executed, with its figures, and each slider panel working in the browser "
             "(the values it had computed; to train new ones, run the notebook: "
             f"<a href='{REPOSITORY}'>the repository</a>).</p>"
             + (f"<p>The run: {html.escape(environment)}</p>" if environment else ""))
    table = ("<table class='index'><tr><th>notebook</th><th>what it teaches</th>"
             "<th>run time</th><th>budget</th><th>sliders</th></tr>" + "".join(rows) + "</table>")
    (out / "index.html").write_text(_page("Coordinate MLPs, live", intro + table),
                                    encoding="utf-8")
    (out / "style.css").write_text(CSS + "\n" + HtmlFormatter().get_style_defs(".code"),
                                   encoding="utf-8")
    size, files = _size(out)
    return {"pages": ["index.html", *pages], "bytes": size, "files": files, "sliders": n_panels}


def command(args) -> dict:
    """``python -m helpers site``: run (or reuse) the series, then write the site."""
    from . import run_notebooks
    from .estimate import say

    start = time.perf_counter()
    out = Path(args.out).expanduser()
    failed = []
    if args.from_dir:
        executed = Path(args.from_dir).expanduser()
    else:
        executed = Path(str(out).rstrip("/\\") + "-executed")
        shutil.rmtree(executed / "site-frames", ignore_errors=True)
        previous = os.environ.get(site_frames.ENV)
        os.environ[site_frames.ENV] = str((executed / "site-frames").resolve())
        try:
            runs = run_notebooks.run_all(args.notebooks or None, out=str(executed),
                                         smoke=args.smoke, budget=args.budget,
                                         timeout=args.timeout, progress=not args.no_progress,
                                         log=say)
        finally:
            if previous is None:
                os.environ.pop(site_frames.ENV, None)
            else:
                os.environ[site_frames.ENV] = previous
        failed = [run.error for run in runs if run.error]
    names = [Path(n).name for n in args.notebooks if n.endswith(".ipynb")] or None
    report = build_site(executed, out, names)
    seconds = time.perf_counter() - start
    say(f"site: {len(report['pages'])} pages, {report['sliders']} static sliders, "
        f"{report['files']} files, {report['bytes'] / 1e6:.1f} MB in {out}/, "
        f"built in {seconds:.0f} s (executed notebooks in {executed}/)")
    for error in failed:
        say(f"error: {error}")
    if failed:
        raise SystemExit(1)
    return {"pages": len(report["pages"]), "sliders": report["sliders"],
            "files": report["files"], "megabytes": round(report["bytes"] / 1e6, 2),
            "seconds": round(seconds, 1), "out": str(out)}


def add_parser(commands) -> None:
    """Register ``site`` on the CLI's subcommands."""
    from .run_notebooks import TIMEOUTS

    parser = commands.add_parser(
        "site", help="the series as static web pages whose sliders work without a kernel")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="notebooks or folders (default: notebooks/)")
    parser.add_argument("--out", default="site", help="output folder (default: site)")
    parser.add_argument("--smoke", action="store_true", help="the tiny CI budget (NB_SMOKE=1)")
    parser.add_argument("--budget", choices=["full", "cpu", "smoke"],
                        help="force a budget (default: full on a GPU, cpu otherwise)")
    parser.add_argument("--from", dest="from_dir", metavar="EXECUTED_DIR",
                        help="build from this folder's executed notebooks (an earlier site "
                             "build's OUT-executed/) instead of running the series")
    parser.add_argument("--timeout", type=int, default=None,
                        help="seconds allowed per cell (default by budget: " + ", ".join(
                            f"{k} {v}" for k, v in TIMEOUTS.items()) + ")")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
