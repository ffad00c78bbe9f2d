"""Export of a saved session's report to a folder (what the debrief's x does), bad cases first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from aar_helpers import saved_session
from click.testing import CliRunner

from sim.analysis.export import ExportError, export_folder, export_name, export_session
from sim.analysis.pdf import find_browser
from sim.cli import main
from sim.safetext import printable
from sim.session.store import SessionStore


def cli_report(store: Path, sid: int, fmt: str, audience: str, out: Path) -> bytes:
    args = ["report", str(sid), "--store", str(store), "--format", fmt]
    args += ["--audience", audience, "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


# --- the folder a facilitator types: bad cases first ------------------------------------------


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("out\x1b[2Jx", "control characters"),
        ("a\nb", "control characters"),
        ("x" * 5000, "too long"),
        ("no/such/parent/here", "there is no folder"),
        ("a" * 300, "cannot use the folder .*: File name too long"),
        ("b" * 300 + "/reports", "cannot use the folder .*: File name too long"),
    ],
)
def test_bad_folders_are_clear_messages(tmp_path: Path, typed: str, words: str) -> None:
    os.chdir(tmp_path)
    with pytest.raises(ExportError, match=words):
        export_folder(typed, tmp_path)


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export_folder(str(tmp_path / "f"), tmp_path)


def test_empty_is_the_default_and_a_missing_last_folder_is_made(tmp_path: Path) -> None:
    assert export_folder("  ", tmp_path) == tmp_path
    made = export_folder(str(tmp_path / "reports"), tmp_path)
    assert made.is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_an_unwritable_folder_is_a_clear_message(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with SessionStore.open(store) as st, pytest.raises(ExportError, match="cannot write"):
            export_session(st, sid, locked)
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


# --- the same bytes as `tabletop report` -----------------------------------------------------


def test_export_writes_the_same_bytes_as_tabletop_report(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    out.mkdir()
    with SessionStore.open(store) as st:
        done = export_session(st, sid, out)
    assert len(done.files) == 6
    for audience in ("players", "controller"):
        for fmt in ("html", "md", "json"):
            mine = (out / export_name(sid, audience, fmt)).read_bytes()
            theirs = cli_report(store, sid, fmt, audience, tmp_path / f"cli.{fmt}")
            assert mine == theirs, (audience, fmt)
    players = (out / export_name(sid, "players", "html")).read_text(encoding="utf-8")
    assert "CONTROLLER-NOTE-session" not in players
    assert "CONTROLLER-NOTE-session" in (out / export_name(sid, "controller", "md")).read_text(
        encoding="utf-8"
    )


def test_a_file_that_cannot_be_replaced_is_a_clear_message(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    (tmp_path / export_name(sid, "players", "md")).mkdir()  # a folder where a file goes
    with SessionStore.open(store) as st, pytest.raises(ExportError, match="cannot write"):
        export_session(st, sid, tmp_path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


# --- PDF, where a browser is installed (the debrief asks for it) -----------------------------


def test_without_a_browser_the_export_says_why_there_is_no_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABLETOP_CHROMIUM", str(tmp_path / "no-such-browser"))
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    with SessionStore.open(store) as st:
        done = export_session(st, sid, tmp_path, pdf=True)
    assert len(done.files) == 6 and not list(tmp_path.glob("*.pdf"))
    assert "no PDF" in done.pdf_note and "browser" in done.pdf_note


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_the_export_names_an_unusable_tabletop_chromium(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    chosen = tmp_path / "chromium\x1b]0;pwn\x07"
    if kind == "folder":
        chosen.mkdir()
    monkeypatch.setenv("TABLETOP_CHROMIUM", str(chosen))
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    out.mkdir()
    with SessionStore.open(store) as st:
        done = export_session(st, sid, out, pdf=True)
    assert len(done.files) == 6 and not list(out.glob("*.pdf"))
    assert "TABLETOP_CHROMIUM" in done.pdf_note
    assert printable(str(chosen), one_line=True) in done.pdf_note
    assert "\x1b" not in done.pdf_note and "\x07" not in done.pdf_note


def test_a_browser_that_fails_leaves_the_other_files_and_no_partial_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken-browser"
    broken.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("TABLETOP_CHROMIUM", str(broken))
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    out.mkdir()
    with SessionStore.open(store) as st:
        done = export_session(st, sid, out, pdf=True)
    assert len(done.files) == 6 and "did not write a PDF" in done.pdf_note
    assert sorted(p.suffix for p in out.iterdir()) == [
        ".html",
        ".html",
        ".json",
        ".json",
        ".md",
        ".md",
    ]


@pytest.mark.skipif(
    find_browser() is None,
    reason="no Chromium installed (apt-get install chromium); .ci/run installs it",
)
def test_with_a_browser_each_edition_is_also_a_pdf(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    with SessionStore.open(store) as st:
        done = export_session(st, sid, tmp_path, pdf=True)
    assert done.pdf_note == "" and len(done.files) == 8
    for audience in ("players", "controller"):
        assert (tmp_path / export_name(sid, audience, "pdf")).read_bytes().startswith(b"%PDF")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


# --- whole or nothing: a failure part-way leaves the folder as it was -------------------------


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def _old_export(folder: Path, sid: int) -> None:
    folder.mkdir()
    for audience in ("players", "controller"):
        for fmt in ("html", "md", "json"):
            (folder / export_name(sid, audience, fmt)).write_text("an older export\n")
    (folder / "my-notes.txt").write_text("the facilitator's own notes\n")


@pytest.mark.parametrize("failure", ["disk", "ctrl-c"])
def test_a_failure_part_way_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    import errno

    import sim.analysis.render

    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    _old_export(out, sid)
    before = _snapshot(out)
    real = sim.analysis.render.render_aar
    calls: list[str] = []

    def render(*args: object, **kwargs: object) -> str:
        calls.append("")
        if len(calls) == 4:  # the controller's edition, after the players' was rendered
            if failure == "ctrl-c":
                raise KeyboardInterrupt
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sim.analysis.render, "render_aar", render)
    with SessionStore.open(store) as st:
        if failure == "ctrl-c":
            with pytest.raises(KeyboardInterrupt):
                export_session(st, sid, out)
        else:
            with pytest.raises(ExportError, match="No space left on device"):
                export_session(st, sid, out)
    assert _snapshot(out) == before


def test_a_folder_in_the_way_of_one_file_changes_none_of_the_others(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    _old_export(out, sid)
    (out / export_name(sid, "controller", "json")).unlink()
    (out / export_name(sid, "controller", "json")).mkdir()
    before = _snapshot(out)
    with SessionStore.open(store) as st, pytest.raises(ExportError, match="cannot write"):
        export_session(st, sid, out)
    assert _snapshot(out) == before


def test_an_export_keeps_the_facilitators_own_files(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    out = tmp_path / "out"
    _old_export(out, sid)
    with SessionStore.open(store) as st:
        done = export_session(st, sid, out)
    assert len(done.files) == 6
    after = _snapshot(out)
    assert sorted(after) == sorted(["my-notes.txt", *(p.name for p in done.files)])
    assert after["my-notes.txt"] == b"the facilitator's own notes\n"
    assert b"an older export\n" not in after.values()


# --- never over the session store (or any SQLite database) -------------------------------------


def _sessions_in(store: Path) -> list[int]:
    with SessionStore.open(store, readonly=True) as st:
        return [info.id for info in st.sessions()]


@pytest.mark.parametrize(
    ("audience", "fmt"), [("players", "html"), ("controller", "md"), ("players", "json")]
)
def test_an_export_onto_the_session_store_is_refused_and_writes_nothing(
    tmp_path: Path, audience: str, fmt: str
) -> None:
    store = tmp_path / export_name(1, audience, fmt)  # the store has an export file's name
    sid = saved_session(store)
    assert sid == 1
    before = sorted(p.name for p in tmp_path.iterdir())
    with SessionStore.open(store) as st, pytest.raises(ExportError) as caught:
        export_session(st, sid, tmp_path, pdf=True)
    message = str(caught.value)
    assert "session store" in message and "\n" not in message
    assert store.name in message
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    assert _sessions_in(store) == [sid]  # every saved session kept


def test_an_export_onto_a_link_to_the_session_store_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.sqlite3"
    sid = saved_session(real)
    out = tmp_path / "out"
    out.mkdir()
    alias = out / export_name(sid, "players", "md")
    alias.symlink_to(real)
    for opened in (real, alias):  # the store opened by either name
        with SessionStore.open(opened) as st, pytest.raises(ExportError, match="session store"):
            export_session(st, sid, out)
        assert alias.is_symlink() and sorted(p.name for p in out.iterdir()) == [alias.name]
    assert _sessions_in(real) == [sid] and _sessions_in(alias) == [sid]


def test_an_export_onto_another_sqlite_database_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    other = tmp_path / export_name(sid, "controller", "json")
    saved_session(other)  # another store, named like an export file
    before = other.read_bytes()
    with SessionStore.open(store) as st, pytest.raises(ExportError, match="SQLite database"):
        export_session(st, sid, tmp_path)
    assert other.read_bytes() == before
    assert not (tmp_path / export_name(sid, "players", "html")).exists()
