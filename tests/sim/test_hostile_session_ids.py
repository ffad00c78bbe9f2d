"""Hostile audit: session ids with path separators, control characters and other shapes, given
to every command that takes one. Each is one clear line and exit 1 or 2 (never a traceback,
never an escape sequence on the terminal), and the store is left as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import tui.cli
from sim.problems import TabletopError
from sim.session.store import SessionStore
from tui.cli import main

IDS = [
    "../1",
    "1/2",
    "/etc/passwd",
    "..\\1",
    "1\n2",
    "1\x00",
    "\x1b[2J1",
    "\x1b]52;c;cHduZWQ=\x07",
    "1\u202e",
    "٣",
    "+1",
    "0x1",
    "1e3",
    "-1",
    "0",
    "9" * 40,
    "",
]


def invoke(*args: str) -> tuple[int, str]:
    """Exit code and everything printed; our own errors count as run_main prints them."""
    result = CliRunner().invoke(main, list(args), color=True)
    if isinstance(result.exception, TabletopError):
        return 1, result.output + f"error: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


@pytest.fixture
def store(tmp_path: Path) -> str:
    path = str(tmp_path / "s.sqlite3")
    code, _ = invoke("run", "quickstart", "--record", "--store", path)
    assert code == 0
    return path


@pytest.mark.parametrize("ident", IDS)
def test_a_hostile_session_id_is_refused_by_every_command(
    store: str, ident: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    before = contents(store)
    for args in (
        ("watch", ident, "--plain"),
        ("report", ident, "--format", "md"),
        ("branch", ident, "--at", "answer_ally", "--option", "deny"),
        ("compare", ident, "1"),
        ("compare", "1", ident),
        ("play", "--resume", ident),
    ):
        code, out = invoke(*args, "--store", store)
        assert code in (1, 2), (args, out)
        assert not any(c in out for c in "\x1b\x07\x00\u202e"), (args, out)
        assert "Traceback" not in out
    assert contents(store) == before


def contents(path: str) -> list[object]:
    """Every session and every command, as stored (the file itself may differ: WAL)."""
    with SessionStore.open(path, readonly=True) as st:
        return [(s, st.commands(s.id, everything=True)) for s in st.sessions()]
