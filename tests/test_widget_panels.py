"""Every kind of panel the notebooks show updates when its knob moves, under ipywidgets 7 or 8.

Colab pins ipywidgets 7.7.1; this machine has 8. The panels run in a real kernel (nbclient,
which keeps each Output widget's outputs as a browser would): build a panel, set its knob's
value from code, and check that the figure in its output changed. ``.ci/run`` runs this file
a second time in an environment with ipywidgets 7.7.1.
"""
from __future__ import annotations

import base64
import json
import os

import nbformat
import pytest

V4 = nbformat.v4

SETUP = """
import json, ipywidgets, torch, helpers
from helpers import widgets
image = helpers.load_image('photo', size=16)

def quick(name, **knobs):
    return helpers.run(name, image, steps=4, progress=False, n_snapshots=0, **knobs)

def output_ids(widget):
    '''Model ids of the Output widgets inside ``widget`` (depth first).'''
    if isinstance(widget, ipywidgets.Output):
        return [widget.model_id]
    return [i for child in getattr(widget, 'children', ()) for i in output_ids(child)]
"""
PANELS = {  # name: (code that displays the panel as `panel` with knob `knob`, new value)
    "retrain_panel (IntSlider)": (
        "knob = ipywidgets.IntSlider(value=2, min=1, max=6, description='L')\n"
        "panel = widgets.retrain_panel(knob, lambda L: quick('pe', n_freqs=L), target=image)",
        "4"),
    "retrain_panel_multi (FloatLogSlider + SelectionSlider)": (
        "sigma = ipywidgets.FloatLogSlider(value=10.0, base=10, min=-1, max=2, step=0.5,"
        " description='σ')\n"
        "features = ipywidgets.SelectionSlider(options=[8, 16], value=16, description='features')\n"
        "knob = sigma\n"
        "panel = widgets.retrain_panel_multi([sigma, features], lambda s, n: quick('gauss',"
        " scale=s, n_features=int(n)), target=image)",
        "1.0"),
    "snapshot_scrubber (SelectionSlider of steps)": (
        "result = helpers.run('gauss', image, steps=6, eval_every=2, n_snapshots=4,"
        " progress=False)\n"
        "panel = widgets.snapshot_scrubber(result, image)\n"
        "knob = panel.children[0]",
        "0"),
    "interactive (Dropdown), as 01, 07, 08 and 11": (
        "import matplotlib.pyplot as plt\n"
        "def show(name):\n"
        "    plt.imshow(helpers.load_image(name, size=16)); plt.title(name); plt.show()\n"
        "knob = ipywidgets.Dropdown(options=['photo', 'gray'], value='photo')\n"
        "panel = widgets.interactive(show, name=knob)",
        "'gray'"),
}


def pngs(client, ids):
    """The PNGs currently shown in the Output widgets ``ids`` (as nbclient tracks them)."""
    found = []
    for model_id in ids:
        for output in client.widget_state.get(model_id, {}).get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                found.append(png)
    return found


@pytest.fixture(scope="module")
def kernel():
    from nbclient import NotebookClient

    notebook = V4.new_notebook()
    env = {**os.environ, "NB_SMOKE": "1", "NB_CACHE": "0", "OMP_NUM_THREADS": "1"}
    env.pop("MPLBACKEND", None)  # inline figures, as in Jupyter
    client = NotebookClient(notebook, timeout=300, kernel_name="python3")
    counter = iter(range(10_000))

    def run(source: str):
        cell = V4.new_code_cell(source)
        notebook.cells.append(cell)
        client.execute_cell(cell, len(notebook.cells) - 1)
        next(counter)
        return cell.outputs
    with client.setup_kernel(env=env):
        from helpers.tools.run_notebooks import poll_replies_in_slices

        poll_replies_in_slices(client)  # nbclient alone can miss a reply (test_stall_guard)
        run(SETUP)
        yield client, run


@pytest.mark.parametrize("panel", list(PANELS))
def test_setting_the_knob_redraws_the_panel(kernel, panel):
    client, run = kernel
    build, new_value = PANELS[panel]
    channel, sent = client.kc.shell_channel, []
    send = channel.send
    channel.send = lambda msg: (msg["msg_type"] == "comm_msg" and sent.append(msg),  # state
                                send(msg))  # of an Output widget whose outputs nbclient routed
    try:
        outputs = run(build + "\npanel")
    finally:
        channel.send = send
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in outputs), outputs  # the panel displays as a widget
    version = run("print(ipywidgets.__version__, json.dumps(output_ids(panel)))")[0]["text"]
    ids = json.loads(version.split(" ", 1)[1])
    assert ids, "the panel has no Output widget"
    before = pngs(client, ids)
    assert before, f"{panel}: no figure on first render (ipywidgets {version.split()[0]})"
    assert not sent, f"{panel}: nbclient sent {len(sent)} messages back while the cell ran"
    run(f"knob.value = {new_value}")
    after = pngs(client, ids)
    assert after and after != before, f"{panel}: the figure did not change"
    assert all(base64.b64decode(png).startswith(b"\x89PNG") for png in after)
    texts = [o.get("text", "") for i in ids
             for o in client.widget_state.get(i, {}).get("outputs", [])]
    assert not any("Could not train" in t or "Traceback" in t for t in texts), texts


def test_a_kernel_output_shows_what_an_output_widget_would(kernel):
    """KernelOutput (the panels' output) keeps prints, display updates, waiting clears and
    errors in its ``outputs``, filled by the kernel: nbclient routes nothing into it."""
    client, run = kernel
    cell = run("from IPython.display import clear_output, display\n"
               "from helpers.kernel_output import KernelOutput\n"
               "out = KernelOutput()\n"
               "with out:\n"
               "    print('old')\n"
               "    clear_output(wait=True)  # cleared when the next output comes\n"
               "    print('a'); print('b')\n"
               "    handle = display('frame 1', display_id=True)\n"
               "    handle.update('frame 2')\n"
               "    1 / 0  # shown in the widget, not raised\n"
               "print('after')")
    assert [o.get("text") for o in cell] == ["after\n"], cell  # the cell's own output is back
    model_id = run("print(out.model_id)")[0]["text"].strip()
    outputs = client.widget_state[model_id]["outputs"]
    assert [o["output_type"] for o in outputs] == ["stream", "display_data", "error"], outputs
    assert outputs[0]["text"] == "a\nb\n"
    assert outputs[1]["data"]["text/plain"] == "'frame 2'"
    assert outputs[2]["ename"] == "ZeroDivisionError"
