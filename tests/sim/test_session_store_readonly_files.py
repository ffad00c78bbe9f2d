"""Read-only session commands leave the store's folder as they found it.

SQLite keeps '-wal' and '-shm' files beside a store in WAL mode while it is open; the last
connection to close removes them, but only one that may write can. `report` and `watch` read
the store read-only (so they never change it): they left the two files behind. A reader must
still follow a store another process is writing (the projector watching a live session), so
it never removes what that process is using.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.bundled import resolve
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower
from tui.cli import main

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None
CHILD = Path(__file__).resolve().parent / "session_child.py"

READERS = [
    ("sessions",),
    ("sessions", "--format", "json"),
    ("compare", "1", "1"),
    ("report", "1", "--format", "md"),
    ("report", "1", "--format", "json", "--audience", "controller"),
    ("watch", "1", "--plain"),
]


def _folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def _recorded_store(tmp_path: Path) -> Path:
    store = tmp_path / "s.sqlite3"
    result = CliRunner().invoke(main, ["run", "quickstart", "--record", "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert _folder(tmp_path) == ["s.sqlite3"]
    return store


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a))
def test_a_read_only_command_leaves_the_folder_as_it_found_it(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    store = _recorded_store(tmp_path)
    before = store.read_bytes()
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert _folder(tmp_path) == ["s.sqlite3"]
    assert store.read_bytes() == before


def test_reading_beside_a_writer_keeps_its_files_and_sees_its_commands(tmp_path: Path) -> None:
    """A reader closing while a console writes must not remove the console's '-wal' file (the
    commands not yet copied into the store are there); the console goes on saving, a later
    reader sees every command, and once the console closes, the folder is clean."""
    text = QUICKSTART.read_text(encoding="utf-8")
    writer = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(writer, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    ex.run_until_decision()
    ex.decide("answer_ally", "acknowledge", by="players")
    with SessionStore.open(tmp_path / "s.sqlite3", readonly=True) as reader:
        follower = Follower(reader, 1)
        assert follower.poll() is not None
        assert len(follower.exercise.command_log) == len(ex.command_log)
    assert _folder(tmp_path) == ["s.sqlite3", "s.sqlite3-shm", "s.sqlite3-wal"]
    ex.note("after the reader left")
    ex.run_until(30)
    with SessionStore.open(tmp_path / "s.sqlite3", readonly=True) as reader:
        assert len(reader.commands(1)) == len(ex.command_log)
    writer.close()
    assert _folder(tmp_path) == ["s.sqlite3"]


def test_a_writer_that_died_leaves_its_files_to_the_next_writer(tmp_path: Path) -> None:
    """Files a killed console left (its '-wal' may hold commands) are left as found by a reader,
    which still reads every command in them."""
    store = tmp_path / "s.sqlite3"
    code = (
        "import os, sys\n"
        "from sim.bundled import resolve\n"
        "from sim.session.journal import start_session\n"
        "from sim.session.resume import load_text\n"
        "from sim.session.store import SessionStore\n"
        "path = resolve('quickstart'); text = path.read_text(encoding='utf-8')\n"
        "st = SessionStore.open(sys.argv[1])\n"
        "ex = start_session(st, load_text(text, str(path)), text, path, 5)\n"
        "ex.run_until_decision(); ex.decide('answer_ally', 'acknowledge', by='players')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(store)], check=True, timeout=120)
    found = _folder(tmp_path)
    assert found == ["s.sqlite3", "s.sqlite3-shm", "s.sqlite3-wal"]
    result = CliRunner().invoke(main, ["report", "1", "--format", "json", "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert "acknowledge" in result.stdout
    assert _folder(tmp_path) == found


def test_watch_follows_a_live_session_in_another_process_to_the_end(tmp_path: Path) -> None:
    """The projector's reader opens and closes beside a console in another process: every
    command reaches it, and the console never fails to save."""
    store = tmp_path / "s.sqlite3"
    SessionStore.open(store).close()
    assert _folder(tmp_path) == ["s.sqlite3"]
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(store), "quickstart", "40", "7", "0.02"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    applied = 0
    try:
        for line in proc.stdout:
            if not line.startswith("applied"):
                continue
            applied = int(line.split()[1])
            # A reader that comes and goes (as `tabletop report` or a projector page would).
            with SessionStore.open(store, readonly=True) as reader:
                follower = Follower(reader, 1)
                for _ in range(500):
                    follower.poll()
                    if len(follower.exercise.command_log) >= applied:
                        break
                    time.sleep(0.02)
                assert len(follower.exercise.command_log) >= applied
    finally:
        proc.wait(timeout=120)
        err = proc.stderr.read() if proc.stderr else ""
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 0, err
    assert applied > 0
    with SessionStore.open(store, readonly=True) as reader:
        follower = Follower(reader, 1)
        follower.poll()
        assert len(follower.exercise.command_log) == applied
