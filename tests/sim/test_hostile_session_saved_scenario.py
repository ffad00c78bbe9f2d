"""Hostile audit of the scenario text a session store keeps with each session.

A session is replayed on its saved copy of the scenario, not on the file. When that copy no
longer loads (a store edited by another program, or a tabletop whose loader got stricter),
every command that replays it says so in one line naming the session: never as problems of the
scenario file on disk, which may be perfectly fine.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.bundled import resolve
from sim.problems import TabletopError
from sim.session.resume import resume_session
from sim.session.store import SessionStore
from tui.cli import main

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None

COMMANDS = {
    "report": ("report", "1", "--format", "md"),
    "report what-if": ("report", "2", "--what-if", "1", "--format", "md"),
    "compare": ("compare", "2", "1"),
    "branch": ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    "watch": ("watch", "1", "--plain"),
}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    if isinstance(result.exception, TabletopError):  # printed as one line by run_main
        return 1, f"error: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "saved", ["x: [\n", "# " + "x" * 2_100_000 + "\n"], ids=["not YAML", "too large"]
)
def test_a_saved_scenario_that_no_longer_loads_is_the_sessions_problem(
    tmp_path: Path, command: str, saved: str
) -> None:
    store = tmp_path / "s.sqlite3"
    for _ in range(2):
        code, err = invoke("run", "quickstart", "--record", "--store", str(store))
        assert code == 0, err
    conn = sqlite3.connect(store)
    conn.execute("UPDATE sessions SET scenario_text = ? WHERE id = 1", (saved,))
    conn.commit()
    conn.close()
    code, err = invoke(*COMMANDS[command], "--store", str(store))
    assert code == 1, err
    assert "session 1: the scenario saved with it no longer loads" in err, err
    assert not err.startswith(str(QUICKSTART)), err  # the file on disk is fine
    assert len(err.splitlines()) == 1, err


# --- the scenario file a session names, as it is now -------------------------------------------


def _recorded(tmp_path: Path) -> Path:
    store = tmp_path / "s.sqlite3"
    code, err = invoke("run", "quickstart", "--record", "--store", str(store))
    assert code == 0, err
    return store


def _point_at(store: Path, path: Path) -> None:
    conn = sqlite3.connect(store)
    conn.execute("UPDATE sessions SET scenario_path = ?", (str(path),))
    conn.commit()
    conn.close()


def test_resuming_when_the_file_is_now_a_fifo_plays_the_saved_copy_at_once(
    tmp_path: Path,
) -> None:
    """The file was read as it stood: a FIFO in its place blocked `play --resume` for ever,
    before the console opened."""
    store = _recorded(tmp_path)
    fifo = tmp_path / "quickstart.yaml"
    os.mkfifo(fifo)
    _point_at(store, fifo)
    outcome: list[object] = []

    def resume() -> None:
        with SessionStore.open(store) as st:
            outcome.append(resume_session(st, 1).report())

    worker = threading.Thread(target=resume, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the blocked open go, then fail
        with open(fifo, "w"):
            pass
        worker.join(5)
        pytest.fail("resuming blocked on the FIFO")
    [report] = outcome
    assert "saved with the session" in report[0]  # type: ignore[index]


def test_resuming_when_the_file_is_now_huge_reads_no_more_than_the_limit(
    tmp_path: Path,
) -> None:
    """The whole file was read before its size was checked (a sparse file of gigabytes, or a
    link to /dev/zero: all the memory)."""
    store = _recorded(tmp_path)
    huge = tmp_path / "quickstart.yaml"
    with open(huge, "wb") as f:
        f.truncate(40_000_000)
    _point_at(store, huge)
    tracemalloc.start()
    try:
        with SessionStore.open(store) as st:
            report = resume_session(st, 1).report()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "saved with the session" in report[0]
    assert peak < 20_000_000, peak


def test_play_reads_no_more_of_a_huge_scenario_file_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tabletop play FILE` read the whole file, then refused it as too large."""
    import tui.cli

    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as f:
        f.truncate(40_000_000)
    tracemalloc.start()
    try:
        code, err = invoke("play", str(huge), "--store", str(tmp_path / "s.sqlite3"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 1
    assert "huge.yaml:1:1: the file is too large (40,000,000 bytes" in err, err
    assert peak < 20_000_000, peak


def test_play_refuses_a_file_that_is_not_utf8_at_its_bad_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.cli

    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"scenario:\n  id: caf\xe9\n")
    code, err = invoke("play", str(bad), "--store", str(tmp_path / "s.sqlite3"))
    assert code == 1
    assert "bad.yaml:2:10: the file is not UTF-8 text (bad byte 0xe9)" in err, err


def test_the_console_recording_a_picked_file_now_a_fifo_refuses_it_at_once(
    tmp_path: Path,
) -> None:
    """The picker loads a file, then the recording reads its text again to save it: a file
    swapped for a FIFO in between blocked the console for ever."""
    from sim.problems import TabletopError
    from sim.session.resume import load_text
    from tui.recording import Recording

    assert QUICKSTART is not None
    scenario = load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART))
    fifo = tmp_path / "picked.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def record() -> None:
        with SessionStore.open(tmp_path / "s.sqlite3") as st:
            try:
                Recording(st, path=fifo).exercise(scenario, None)
            except BaseException as exc:  # the refusal, checked below
                outcome.append(exc)

    worker = threading.Thread(target=record, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(fifo, "w"):
            pass
        worker.join(5)
        pytest.fail("recording blocked on the FIFO")
    [refused] = outcome
    assert isinstance(refused, TabletopError)
    assert "not a regular file" in str(refused)
