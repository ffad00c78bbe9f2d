"""`tabletop sessions`, `run --record`, `branch` and `compare` as a user runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.session.store import SessionStore
from tui.cli import main


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_no_sessions_yet(tmp_path: Path) -> None:
    SessionStore.open(tmp_path / "s.sqlite3").close()
    code, out, _ = invoke("sessions", "--store", str(tmp_path / "s.sqlite3"))
    assert code == 0
    assert "No sessions yet" in out
    code, out, _ = invoke("sessions", "--store", str(tmp_path / "s.sqlite3"), "--format", "json")
    assert json.loads(out) == []


@pytest.mark.parametrize(
    ("make", "expect"),
    [
        ("folder", "is a folder"),
        ("garbage", "not a tabletop session store"),
        ("newer", "newer tabletop"),
    ],
)
def test_unusable_store_exits_1_without_traceback(tmp_path: Path, make: str, expect: str) -> None:
    path = tmp_path / "s.sqlite3"
    if make == "folder":
        path.mkdir()
    elif make == "garbage":
        path.write_bytes(b"\x1b[2Jnot sqlite" * 100)
    else:
        SessionStore.open(path).close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    if make == "folder":  # named on the command line it is a usage error (test_cli_paths_agree)
        code, _, err = invoke("sessions", env={"TABLETOP_STORE": str(path)})
    else:
        code, _, err = invoke("sessions", "--store", str(path))
    assert code == 1
    assert expect in err
    assert "Traceback" not in err


def test_store_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    env = {"TABLETOP_STORE": str(path)}
    code, _, _ = invoke("run", "quickstart", "--record", env=env)  # a writing command makes it
    assert code == 0
    assert path.exists()
    code, out, _ = invoke("sessions", env=env)
    assert code == 0
    assert "quickstart" in out


def test_record_a_headless_run_then_list_it(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite3")
    code, out, err = invoke(
        "run",
        "quickstart",
        "--seed",
        "4",
        "--playbook",
        "quickstart--cooperate",
        "--record",
        "--store",
        store,
    )
    assert code == 0, err
    assert "recording as session 1" in err
    code, out, _ = invoke("sessions", "--store", store, "--format", "json")
    [row] = json.loads(out)
    assert row["id"] == 1
    assert row["scenario"] == "quickstart"
    assert row["status"] == "finished"
    assert row["decisions"] >= 1
    assert row["origin"] == "run"
    code, text, _ = invoke("sessions", "--store", store)
    assert "quickstart" in text and "finished" in text


@pytest.mark.parametrize("ident", ["abc", "1;DROP TABLE sessions", "0", "-3", "\x1b]0;pwn\x07"])
def test_bad_ids_to_compare_and_branch(tmp_path: Path, ident: str) -> None:
    store = str(tmp_path / "s.sqlite3")
    invoke("run", "quickstart", "--record", "--store", store)
    expected = 2  # an id typed that names no session is a usage error ('-3' reads as an option)
    code, _, err = invoke("compare", ident, "1", "--store", store)
    assert code == expected
    assert "\x1b" not in err and "\x07" not in err
    code, _, err = invoke("branch", ident, "--at", "x", "--option", "y", "--store", store)
    assert code == expected
    code, out, _ = invoke("sessions", "--store", store, "--format", "json")
    assert len(json.loads(out)) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--playbook", "showcase--alone"], 1),  # another scenario's playbook: its problems
        (["--playbook", "no-such-playbook"], 2),
        (["--playbook", "quickstart--go-it-alone", "--decider", "random"], 2),
        (["--playbook", "quickstart--go-it-alone", "--live"], 2),
        (["--decider", "random", "--live"], 2),
    ],
)
def test_a_branch_refused_for_its_playbook_or_flags_saves_no_session(
    tmp_path: Path, args: list[str], expected: int
) -> None:
    """The playbook was read only after the branch was saved: a playbook that did not load
    left a 'live' branch session behind (and said 'session 2 branches from session 1')."""
    store = str(tmp_path / "s.sqlite3")
    invoke("run", "quickstart", "--playbook", "quickstart--cooperate", "--record", "--store", store)
    code, out, err = invoke(
        "branch", "1", "--at", "answer_ally", "--option", "deny", *args, "--store", store
    )
    assert code == expected, err
    assert "branches from" not in out
    _, listed, _ = invoke("sessions", "--store", store, "--format", "json")
    assert [row["id"] for row in json.loads(listed)] == [1]


def test_a_branch_plays_on_with_a_playbook_or_at_random(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite3")
    invoke("run", "quickstart", "--playbook", "quickstart--cooperate", "--record", "--store", store)
    for args in (["--playbook", "quickstart--go-it-alone"], ["--decider", "random"], ["--live"]):
        code, out, err = invoke(
            "branch", "1", "--at", "answer_ally", "--option", "deny", *args, "--store", store
        )
        assert code == 0, err
        assert "branches from session 1" in out
    _, listed, _ = invoke("sessions", "--store", store, "--format", "json")
    assert len(json.loads(listed)) == 4


def test_locked_store_is_a_clear_exit_1(tmp_path: Path) -> None:
    """A real second process holds the write lock; `run --record` waits, then says so."""
    path = tmp_path / "s.sqlite3"
    SessionStore.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "TABLETOP_STORE": str(path)}
        proc = subprocess.run(
            [sys.executable, "-m", "tui", "run", "quickstart", "--record"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 1
    assert "busy" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_docs_describe_every_session_command_and_option() -> None:
    """docs/sessions.md names each session command and each of its options."""
    import click

    docs = (Path(__file__).resolve().parents[2] / "docs" / "sessions.md").read_text()
    for name in ("sessions", "play", "run", "watch", "branch", "compare"):
        command = main.get_command(click.Context(main), name)
        assert command is not None
        assert f"tabletop {name}" in docs, name
        if name in ("play", "run"):
            continue  # their other options are the console's and the runner's
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in docs for opt in param.opts), (name, param.opts)
    for flag in ("--resume", "--force", "--no-save", "--record", "--store"):
        assert flag in docs


@pytest.mark.parametrize(
    "args",
    [
        ["--force", "quickstart"],
        ["--force"],
        ["--force", "--no-save", "quickstart"],
        ["quickstart", "--seed", "3", "--force"],
    ],
)
def test_play_force_without_resume_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """--force only means something with --resume: alone it is refused, the console never opens."""
    import tui.cli
    from tui.app import TabletopApp

    opened: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: opened.append(self))
    store = tmp_path / "s.sqlite3"
    code, _, err = invoke("play", *args, "--store", str(store))
    assert code == 2
    assert not opened
    assert not store.exists()
    said = [line for line in err.splitlines() if "--force" in line]
    assert len(said) == 1 and "--resume" in said[0], err
    assert "Traceback" not in err


def test_play_resume_with_force_is_still_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.cli
    from tui.app import TabletopApp

    store = str(tmp_path / "s.sqlite3")
    invoke("run", "quickstart", "--record", "--store", store)
    opened: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: opened.append(self))
    code, _, err = invoke("play", "--resume", "1", "--force", "--store", store)
    assert code == 0, err
    assert len(opened) == 1


def _immutable(paths: list[Path], on: bool) -> bool:
    import shutil

    if shutil.which("chattr") is None:
        return False
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


def test_really_read_only_store_file_and_folder(tmp_path: Path) -> None:
    """A store whose file and folder cannot be written (even by root): exit 1, file intact."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "s.sqlite3"
    invoke("run", "quickstart", "--record", "--store", str(path))
    before = path.read_bytes()
    assert not list(folder.glob("*-wal"))
    if not _immutable([path, folder], True):
        pytest.skip("cannot make files immutable here (chattr)")
    try:
        code, _, err = invoke("run", "quickstart", "--record", "--store", str(path))
        assert code == 1
        assert "read-only" in err or "cannot open" in err
        assert "Traceback" not in err
    finally:
        _immutable([path, folder], False)
    assert path.read_bytes() == before
    code, out, _ = invoke("sessions", "--store", str(path), "--format", "json")
    assert code == 0 and len(json.loads(out)) == 1


def test_play_resume_refusals_exit_before_the_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.cli

    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    store = str(tmp_path / "s.sqlite3")
    scenario = tmp_path / "quick.yaml"
    from sim.bundled import resolve

    source = resolve("quickstart")
    assert source is not None
    text = source.read_text(encoding="utf-8")
    scenario.write_text(text, encoding="utf-8")
    invoke("run", str(scenario), "--record", "--store", store)
    code, _, err = invoke("play", "--resume", "99", "--store", store)
    assert code == 2 and "no session 99" in err  # an unknown id typed: a usage error
    code, _, err = invoke("play", "--resume", "1;DROP", "--store", store)
    assert code == 2 and "not a session id" in err
    code, _, err = invoke("play", "quickstart", "--resume", "1", "--store", store)
    assert code == 2
    scenario.write_text(text.replace("deadline: 24", "deadline: 20", 1), encoding="utf-8")
    code, _, err = invoke("play", "--resume", "1", "--store", store)
    assert code == 1
    assert "earlier version" in err and str(scenario) in err and "answer_ally" in err
    assert "Traceback" not in err
    # Said on its lines, as written: not as one line of '\x0a' escapes.
    assert "\\x0a" not in err
    lines = err.splitlines()
    assert lines[0].startswith("error: session 1 was played with an earlier version of")
    assert "  what changed:" in lines and lines[-1].startswith("Restore the file, or resume")
    # A hostile file name stays on its line, its newline escaped.
    evil = tmp_path / "evil\nname\x1b[2J.yaml"
    evil.write_text(text, encoding="utf-8")
    invoke("run", str(evil), "--record", "--store", store)
    evil.write_text(text.replace("deadline: 24", "deadline: 20", 1), encoding="utf-8")
    code, _, err = invoke("play", "--resume", "2", "--store", store)
    assert code == 1 and "evil\\x0aname\\x1b[2J.yaml" in err and "\x1b" not in err
    assert err.splitlines()[0].endswith("evil\\x0aname\\x1b[2J.yaml:")
