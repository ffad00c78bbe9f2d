"""COLUMNS and LINES from the environment never size the console beyond any screen.

Textual asks shutil.get_terminal_size(), which reads COLUMNS and LINES before it asks the
terminal: `LINES=100000 tabletop play` laid out 100,000 lines (600 MB after 20 s, growing, and
nothing drawn), `COLUMNS=100000` wrote megabytes a second. A size no screen has is dropped, so
the terminal's own size is used. `COLUMNS=²` ('²' is a digit to str.isdigit(), not to int())
was a traceback in Rich before the console opened.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import tui.cli
from tui.app import TabletopApp
from tui.cli import main
from tui.watch import WatchApp

FALLBACK = (80, 24)
"""What shutil reports here without the variables (pytest's output is no terminal)."""


@pytest.mark.parametrize(
    ("columns", "lines", "size"),
    [
        ("100000", "100000", FALLBACK),
        ("1001", "501", FALLBACK),
        ("-1", "abc", FALLBACK),
        ("0", " 40", FALLBACK),
        ("\u00b2", "1e3", FALLBACK),
        ("120", "40", (120, 40)),
        ("1000", "500", (1000, 500)),
    ],
)
def test_the_consoles_size_from_the_environment_is_one_a_screen_can_have(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    columns: str,
    lines: str,
    size: tuple[int, int],
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LINES", lines)
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    seen: list[tuple[int, int]] = []

    def run(self: object, *args: object, **kwargs: object) -> None:
        seen.append(tuple(shutil.get_terminal_size(fallback=FALLBACK)))  # type: ignore[arg-type]

    monkeypatch.setattr(TabletopApp, "run", run)
    monkeypatch.setattr(WatchApp, "run", run)
    result = CliRunner().invoke(main, ["play", "quickstart", "--no-save"])
    assert result.exit_code == 0, result.output
    assert seen == [size]


def test_the_projectors_size_from_the_environment_is_one_a_screen_can_have(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`COLUMNS=² tabletop watch 1` was a traceback (Rich reads '²' as a digit, then fails)."""
    store = str(tmp_path / "s.sqlite3")
    recorded = CliRunner().invoke(main, ["run", "quickstart", "--record", "--store", store])
    assert recorded.exit_code == 0, recorded.output
    monkeypatch.setenv("COLUMNS", "\u00b2")
    monkeypatch.setenv("LINES", "100000")
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    seen: list[tuple[int, int]] = []

    def run(self: object, *args: object, **kwargs: object) -> None:
        seen.append(tuple(shutil.get_terminal_size(fallback=FALLBACK)))  # type: ignore[arg-type]

    monkeypatch.setattr(WatchApp, "run", run)
    result = CliRunner().invoke(main, ["watch", "1", "--store", store])
    assert result.exit_code == 0, result.output
    assert seen == [FALLBACK]
