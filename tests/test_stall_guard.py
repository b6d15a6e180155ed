"""run-notebooks fails fast, naming the cell, when a kernel stalls or a cell runs too long.

A stalled run (the kernel has replied and sits idle, the client never reads the reply) looks
like a cell that sleeps: no CPU, no reply. A cell
that runs too long uses CPU until the time-out.
"""
from __future__ import annotations

import nbformat

from conftest import run_cli

V4 = nbformat.v4


def _series(folder, cell: str):
    nbformat.write(V4.new_notebook(cells=[
        V4.new_markdown_cell("# Stuck"), V4.new_code_cell("x = 1"), V4.new_code_cell(cell),
        V4.new_code_cell("print('never reached')")]), folder / "01_stuck.ipynb")
    return folder


def test_an_idle_kernel_fails_its_cell_within_the_stall_limit(tmp_path):
    folder = _series(tmp_path, "import time\ntime.sleep(600)  # no CPU, no reply: a stall")
    done = run_cli("run-notebooks", str(folder), "--out", str(tmp_path / "out"), "--smoke",
                   "--stall-seconds", "10", "--no-progress")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "01_stuck.ipynb stalled at cell 3 (`import time`)" in errors[0]
    assert "sat idle for" in errors[0] and "run it again" in errors[0], errors


def test_a_cell_past_its_time_out_fails_naming_the_cell(tmp_path):
    folder = _series(tmp_path, "while True:\n    pass  # busy: uses CPU, never returns")
    done = run_cli("run-notebooks", str(folder), "--out", str(tmp_path / "out"), "--smoke",
                   "--timeout", "40", "--no-progress")
    assert done.returncode == 1
    assert "error: 01_stuck.ipynb timed out at cell 3 (`while True:`) after 40 s" in done.stderr


def test_default_time_outs_fit_each_budget():
    from helpers.tools import run_notebooks

    assert run_notebooks.TIMEOUTS["smoke"] <= 600  # a stall in CI costs minutes, not an hour
    assert run_notebooks.TIMEOUTS["cpu"] >= 1800   # 07's race at the CPU budget takes ~8 min
    assert 60 <= run_notebooks.STALL_SECONDS <= 300


def test_a_reply_the_first_poll_misses_is_found_by_the_next(monkeypatch):
    """The fix for the stall: the shell channel is polled in 1-second slices."""
    import asyncio
    from queue import Empty
    from types import SimpleNamespace

    from helpers.tools.run_notebooks import poll_replies_in_slices

    calls = []

    async def get_msg(timeout=None):  # the reply "arrives" unseen; only a new poll finds it
        calls.append(timeout)
        if len(calls) < 3:
            raise Empty
        return {"msg_type": "execute_reply"}
    client = SimpleNamespace(kc=SimpleNamespace(shell_channel=SimpleNamespace(get_msg=get_msg)))
    poll_replies_in_slices(client, seconds=0.01)
    assert asyncio.run(client.kc.shell_channel.get_msg(timeout=60))["msg_type"] == "execute_reply"
    assert len(calls) == 3 and all(t <= 0.01 for t in calls)  # short polls, not one of 60 s

    async def never(timeout=None):
        raise Empty
    client.kc.shell_channel.get_msg = never
    poll_replies_in_slices(client, seconds=0.01)
    try:
        asyncio.run(client.kc.shell_channel.get_msg(timeout=0.05))
        raise AssertionError("a missing reply must still time out")
    except Empty:
        pass
