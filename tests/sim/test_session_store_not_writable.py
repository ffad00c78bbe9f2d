"""A store this user may only read: the reading commands read it, the writing ones say so.

A store shared read-only by a colleague, or in a folder this user may not write: SQLite cannot
make the '-shm' file a reader of a WAL store needs there, so reading failed with "read-only
here". Tests run as root in CI, and root may write anything: they stand in for another user
through :func:`sim.session.store.writable_here` (the one place tabletop asks), and, where
`setpriv` can run this Python as user nobody, as that user for real.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_session_store import V1_FIXTURE

import sim.session.store as store_module
from sim.bundled import resolve
from sim.session.journal import start_session
from sim.session.resume import load_text, resume_session
from sim.session.store import SCHEMA_VERSION, SessionStore, StoreError
from sim.session.watch import Follower
from tui.cli import main

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None

READERS = [
    ("report", "1", "--format", "md"),
    ("report", "1", "--format", "json", "--audience", "controller"),
    ("watch", "1", "--plain"),
    ("compare", "1", "1"),
    ("compare", "1", "1", "--format", "json"),
]

LISTERS = [("sessions",), ("sessions", "--format", "json")]

WRITERS = [
    ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    ("branch", "1", "--at", "answer_ally", "--option", "deny", "--live"),
    ("run", "quickstart", "--record"),
]


def _folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir())


def _record(store: Path) -> None:
    """A finished headless run saved in store as session 1 (the room cooperates)."""
    args = ["run", "quickstart", "--record", "--playbook", "quickstart--cooperate"]
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.stderr


def _recorded_store(tmp_path: Path) -> Path:
    store = tmp_path / "s.sqlite3"
    _record(store)
    assert _folder(tmp_path) == ["s.sqlite3"]
    return store


@pytest.fixture
def only_readable(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[Path]]:
    """Stores (paths added to the set) this user may not write, as for a user without
    permission: root may write anything, so the test says so where tabletop asks."""
    paths: set[Path] = set()
    real = store_module.writable_here

    def writable_here(path: Path) -> bool:
        return path.resolve() not in paths and real(path)

    monkeypatch.setattr(store_module, "writable_here", writable_here)
    yield paths


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a))
def test_a_reading_command_reads_a_store_this_user_may_not_write(
    args: tuple[str, ...], tmp_path: Path, only_readable: set[Path]
) -> None:
    store = _recorded_store(tmp_path)
    before = store.read_bytes()
    only_readable.add(store.resolve())
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert "cooperate" in result.stdout
    assert _folder(tmp_path) == ["s.sqlite3"]
    assert store.read_bytes() == before


def test_a_reader_makes_no_file_beside_a_store_it_may_not_write(
    tmp_path: Path, only_readable: set[Path]
) -> None:
    """SQLite's '-shm' file cannot be made in a folder this user may not write: the reader
    never tries to: it reads the store as it stands (its `snapshot`)."""
    store = _recorded_store(tmp_path)
    only_readable.add(store.resolve())
    with SessionStore.open(store, readonly=True) as reader:
        assert reader.snapshot
        assert reader.session(1).decisions > 0
        assert _folder(tmp_path) == ["s.sqlite3"]
    only_readable.clear()
    with SessionStore.open(store, readonly=True) as reader:  # a store this user may write
        assert not reader.snapshot


@pytest.mark.parametrize("args", LISTERS, ids=lambda a: " ".join(a))
def test_sessions_lists_a_store_this_user_may_not_write(
    args: tuple[str, ...], tmp_path: Path, only_readable: set[Path]
) -> None:
    """`sessions` opens a store for writing where it may (to upgrade an older one); on a store
    this user may only read, it lists it as it is."""
    store = _recorded_store(tmp_path)
    expected = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert expected.exit_code == 0, expected.stderr
    before = store.read_bytes()
    only_readable.add(store.resolve())
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected.stdout
    assert _folder(tmp_path) == ["s.sqlite3"]
    assert store.read_bytes() == before


def _v1_store(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(V1_FIXTURE)
    conn.close()
    return path


@pytest.mark.parametrize("args", [*LISTERS, ("compare", "1", "1", "--format", "json")])
def test_an_older_store_this_user_may_not_write_is_read_as_upgraded_and_left_as_it_is(
    args: tuple[str, ...], tmp_path: Path, only_readable: set[Path]
) -> None:
    """An older store (schema 1) cannot be upgraded by a user who may not write it: it is read
    as the upgrade would leave it, and left as it is."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "shared").mkdir()
    mine = _v1_store(tmp_path / "mine" / "s.sqlite3")
    shared = _v1_store(tmp_path / "shared" / "s.sqlite3")
    before = shared.read_bytes()
    only_readable.add(shared.resolve())
    upgraded = CliRunner().invoke(main, [*args, "--store", str(mine)])
    result = CliRunner().invoke(main, [*args, "--store", str(shared)])
    assert result.exit_code == upgraded.exit_code, (result.stderr, upgraded.stderr)
    assert result.stdout == upgraded.stdout
    assert result.stderr.replace(str(shared), "S") == upgraded.stderr.replace(str(mine), "S")
    assert shared.read_bytes() == before
    assert _folder(tmp_path / "shared") == ["s.sqlite3"]
    assert SessionStore.open(mine).schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(f"{shared.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_an_older_store_this_tabletop_cannot_read_as_upgraded_says_who_must_upgrade_it(
    tmp_path: Path, only_readable: set[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "READ_AS_CURRENT", {})
    shared = _v1_store(tmp_path / "s.sqlite3")
    before = shared.read_bytes()
    only_readable.add(shared.resolve())
    result = CliRunner().invoke(main, ["sessions", "--store", str(shared)])
    assert result.exit_code == 1
    assert "must be upgraded by someone who may write it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert shared.read_bytes() == before


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a))
def test_a_writing_command_says_in_one_line_the_store_is_read_only_for_this_user(
    args: tuple[str, ...], tmp_path: Path, only_readable: set[Path]
) -> None:
    store = _recorded_store(tmp_path)
    before = store.read_bytes()
    only_readable.add(store.resolve())
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only for you" in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert _folder(tmp_path) == ["s.sqlite3"]
    assert store.read_bytes() == before


def test_resuming_in_a_store_this_user_may_not_write_is_refused_before_the_console_opens(
    tmp_path: Path, only_readable: set[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app
    import tui.cli

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the console opened on a store it cannot save in")

    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(tui.app.TabletopApp, "run", never)
    store = _recorded_store(tmp_path)
    before = store.read_bytes()
    only_readable.add(store.resolve())
    for args in (["play", "--resume", "1"], ["play", "quickstart"]):
        result = CliRunner().invoke(main, [*args, "--store", str(store)])
        assert result.exit_code == 1, result.output
        assert "read-only for you" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert store.read_bytes() == before
    with pytest.raises(StoreError, match="read-only for you"):
        SessionStore.open(store)


def test_a_reader_follows_another_user_s_console_that_has_the_store_open(
    tmp_path: Path, only_readable: set[Path]
) -> None:
    """Another user's console has the store open: SQLite reads its '-wal' and '-shm' files
    without writing them, so the projector follows it as it plays."""
    text = QUICKSTART.read_text(encoding="utf-8")
    writer = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(writer, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    ex.run_until_decision()
    only_readable.add((tmp_path / "s.sqlite3").resolve())
    with SessionStore.open(tmp_path / "s.sqlite3", readonly=True) as reader:
        assert not reader.snapshot
        follower = Follower(reader, 1)
        follower.poll()
        assert len(follower.exercise.command_log) == len(ex.command_log)
        ex.decide("answer_ally", "acknowledge", by="players")
        assert follower.poll() is not None
        assert len(follower.exercise.command_log) == len(ex.command_log)
    writer.close()


def test_a_reader_follows_a_console_that_opens_the_store_after_it(
    tmp_path: Path, only_readable: set[Path]
) -> None:
    """No console had the store open when the projector started (it reads the store as it
    stands): once another user's console opens it and saves, the projector follows."""
    text = QUICKSTART.read_text(encoding="utf-8")
    path = tmp_path / "s.sqlite3"
    writer = SessionStore.open(path)
    ex = start_session(writer, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    ex.run_until_decision()
    writer.close()
    assert _folder(tmp_path) == ["s.sqlite3"]
    only_readable.add(path.resolve())
    with SessionStore.open(path, readonly=True) as reader:
        assert reader.snapshot
        follower = Follower(reader, 1)
        follower.poll()
        shown = len(follower.exercise.command_log)
        assert follower.poll() is None
        only_readable.clear()  # the other user's console, who may write the store
        writer = SessionStore.open(path)
        try:
            resumed = resume_session(writer, 1).exercise
            resumed.decide("answer_ally", "acknowledge", by="players")
            assert follower.poll() is not None
            assert len(follower.exercise.command_log) == shown + 1
            assert not reader.snapshot
            resumed.note("the room moves on")
            assert follower.poll() is not None
            assert len(follower.exercise.command_log) == shown + 2
        finally:
            writer.close()


# --- as another user, for real (where this machine allows it) ------------------------------------


def _as_nobody() -> list[str] | None:
    """The command prefix that runs a program as user nobody, or None where it cannot be done
    (not root, no setpriv, or this Python or tabletop is not readable by nobody)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        return None
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import tui.cli"],
            capture_output=True,
            timeout=60,
            cwd="/",
            env={**os.environ, "HOME": "/tmp"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if probe.returncode == 0 else None


def test_as_another_user_reading_commands_read_and_writing_ones_refuse() -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run this Python as user nobody here (setpriv, permissions)")
    folder = Path(tempfile.mkdtemp(prefix="tabletop-ro-"))
    try:
        folder.chmod(0o755)
        store = folder / "s.sqlite3"
        _record(store)
        store.chmod(0o444)
        folder.chmod(0o555)
        env = {**os.environ, "HOME": "/tmp"}

        def tabletop(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "tui", *args, "--store", str(store)],
                capture_output=True,
                text=True,
                timeout=120,
                cwd="/",
                env=env,
            )

        for args in READERS:
            done = tabletop(*args)
            assert done.returncode == 0, done.stderr
            assert "cooperate" in done.stdout
        for args in LISTERS:
            done = tabletop(*args)
            assert done.returncode == 0, done.stderr
            assert "quickstart" in done.stdout
        for args in WRITERS:
            done = tabletop(*args)
            assert done.returncode == 1, done.stderr
            assert "read-only for you" in done.stderr
        assert _folder(folder) == ["s.sqlite3"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


KILLED_CONSOLE = """
import os, sys
from sim.bundled import resolve
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
path = resolve('quickstart'); text = path.read_text(encoding='utf-8')
st = SessionStore.open(sys.argv[1])
ex = start_session(st, load_text(text, str(path)), text, path, 5)
ex.run_until_decision(); ex.decide('answer_ally', 'cooperate', by='players')
os._exit(0)
"""


def test_as_another_user_a_killed_console_s_last_commands_are_read() -> None:
    """The owner's console was killed: its last commands are in the '-wal' file it left. Another
    user, who may not write there, reads them (and leaves the files as they were)."""
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run this Python as user nobody here (setpriv, permissions)")
    folder = Path(tempfile.mkdtemp(prefix="tabletop-ro-"))
    try:
        folder.chmod(0o755)
        store = folder / "s.sqlite3"
        subprocess.run([sys.executable, "-c", KILLED_CONSOLE, str(store)], check=True, timeout=120)
        left = _folder(folder)
        assert left == ["s.sqlite3", "s.sqlite3-shm", "s.sqlite3-wal"]
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "tui", *READERS[1], "--store", str(store)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
            env={**os.environ, "HOME": "/tmp"},
        )
        assert done.returncode == 0, done.stderr
        assert "cooperate" in done.stdout
        assert _folder(folder) == left
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


# --- a store named through a link: SQLite makes its files beside the file linked to ----------


def test_a_reader_through_a_link_follows_the_console_writing_the_file_linked_to(
    tmp_path: Path, only_readable: set[Path]
) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "mine").mkdir()
    target = tmp_path / "shared" / "s.sqlite3"
    link = tmp_path / "mine" / "link.sqlite3"
    link.symlink_to(target)
    text = QUICKSTART.read_text(encoding="utf-8")
    writer = SessionStore.open(target)
    ex = start_session(writer, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    ex.run_until_decision()
    only_readable.add(target.resolve())
    try:
        with SessionStore.open(link, readonly=True) as reader:
            assert not reader.snapshot  # the console's '-wal' and '-shm' are beside the target
            follower = Follower(reader, 1)
            follower.poll()
            ex.decide("answer_ally", "acknowledge", by="players")
            assert follower.poll() is not None
            assert len(follower.exercise.command_log) == len(ex.command_log)
    finally:
        writer.close()


def test_a_reader_through_a_link_leaves_the_folder_linked_to_as_it_found_it(
    tmp_path: Path,
) -> None:
    store = _recorded_store(tmp_path)
    (tmp_path / "mine").mkdir()
    link = tmp_path / "mine" / "link.sqlite3"
    link.symlink_to(store)
    result = CliRunner().invoke(main, ["report", "1", "--format", "md", "--store", str(link)])
    assert result.exit_code == 0, result.stderr
    assert _folder(tmp_path) == ["mine", "s.sqlite3"]
    assert _folder(tmp_path / "mine") == ["link.sqlite3"]


def test_as_another_user_a_link_to_a_store_in_a_folder_they_may_not_write_is_read() -> None:
    """The store itself is writable by anyone, but its folder is not: a link to it from a
    folder this user may write is still a store this user may only read."""
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run this Python as user nobody here (setpriv, permissions)")
    folder = Path(tempfile.mkdtemp(prefix="tabletop-ro-"))
    try:
        folder.chmod(0o755)
        (folder / "shared").mkdir()
        (folder / "mine").mkdir()
        store = folder / "shared" / "s.sqlite3"
        _record(store)
        store.chmod(0o666)
        (folder / "shared").chmod(0o555)
        (folder / "mine").chmod(0o777)
        link = folder / "mine" / "link.sqlite3"
        link.symlink_to(store)

        def tabletop(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*prefix, sys.executable, "-m", "tui", *args, "--store", str(link)],
                capture_output=True,
                text=True,
                timeout=120,
                cwd="/",
                env={**os.environ, "HOME": "/tmp"},
            )

        done = tabletop(*READERS[0])
        assert done.returncode == 0, done.stderr
        assert "cooperate" in done.stdout
        done = tabletop(*WRITERS[0])
        assert done.returncode == 1, done.stderr
        assert "read-only for you" in done.stderr
        assert _folder(folder / "shared") == ["s.sqlite3"]
        assert _folder(folder / "mine") == ["link.sqlite3"]
    finally:
        (folder / "shared").chmod(0o755)
        shutil.rmtree(folder)
