"""Export a saved session's after-action report to a folder (the debrief screen's export).

The files are the same bytes ``tabletop report ID --format FMT --audience AUDIENCE --out FILE``
writes for the same session: both build the report from the session store with
:func:`sim.analysis.sources.stored_session_input`. A folder typed by the facilitator is
checked first (:func:`export_folder`), and every failure is an :class:`ExportError` whose
message says what to do, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sim.outfile import same_file
from sim.problems import TabletopError
from sim.safetext import printable
from sim.session.store import SessionStore

EXPORT_FORMATS: tuple[str, ...] = ("html", "md", "json")
"""The formats always written; PDF too with ``pdf=True`` where a Chromium-based browser is
installed (as for `tabletop report --format pdf`)."""
AUDIENCES: tuple[str, ...] = ("players", "controller")
MAX_PATH = 1024
"""The longest folder path accepted from the keyboard."""
SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file (a session store among them)."""


class ExportError(TabletopError):
    """The report could not be written where asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote."""

    folder: Path
    files: tuple[Path, ...]
    pdf_note: str = ""
    """Why no PDF was written, when one was asked for and none could be ('' otherwise)."""


def export_name(session_id: int, audience: str, fmt: str) -> str:
    """The file name of one edition in one format: 'session-3-aar-players.html'."""
    return f"session-{session_id}-aar-{audience}.{fmt}"


def _shown(text: str) -> str:
    return printable(text[:200], one_line=True) + ("…" if len(text) > 200 else "")


def export_folder(typed: str, default: Path) -> Path:
    """The folder a facilitator typed (empty: ``default``), checked; ExportError if unusable.

    A missing folder is made, but only inside a folder that exists (a typo must not create
    a tree of folders).
    """
    raw = typed.strip()
    if len(raw) > MAX_PATH:
        raise ExportError(f"the folder path is too long (at most {MAX_PATH} characters)")
    if any(ord(c) < 32 or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 for c in raw):
        raise ExportError("the folder path holds control characters: type it again")
    folder = Path(os.path.expanduser(raw)) if raw else default
    found = _look(folder)
    if found is not None and not stat.S_ISDIR(found.st_mode):
        raise ExportError(f"{_shown(str(folder))} is a file, not a folder: choose a folder")
    if found is None:
        parent = _look(folder.parent)
        if parent is None or not stat.S_ISDIR(parent.st_mode):
            raise ExportError(
                f"there is no folder {_shown(str(folder.parent))}: create it first, "
                "or choose another folder"
            )
        try:
            folder.mkdir()
        except OSError as exc:
            raise ExportError(
                f"cannot make the folder {_shown(str(folder))}: {exc.strerror or exc}"
            ) from None
    return folder


def _look(path: Path) -> os.stat_result | None:
    """What path is (links followed); None if there is nothing there. ExportError if the system
    cannot even look (a name too long, a folder it may not enter): Path.exists() raises then."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise ExportError(
            f"cannot use the folder {_shown(str(path))}: {exc.strerror or exc} "
            "(choose another folder)"
        ) from None


def _is_sqlite(path: Path) -> bool:
    """Whether path is a regular file (links followed) that starts as a SQLite database does."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO or a device is never opened (whole_folder refuses those)
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_not_a_database(store: SessionStore, folder: Path, names: list[str]) -> None:
    """ExportError if one of the files to write in ``folder`` would replace the session store
    (by its name or by a link to it) or any other SQLite database: a report written there would
    lose every saved session in it."""
    for name in names:
        path = folder / name
        if same_file(path, store.path):
            raise ExportError(
                f"{_shown(name)} in {_shown(str(folder))} is the session store: writing the "
                "report there would replace every saved session (choose another folder, or "
                "rename the store)"
            )
        if _is_sqlite(path):
            raise ExportError(
                f"{_shown(name)} in {_shown(str(folder))} is a SQLite database, not a report: "
                "it is not overwritten (choose another folder, or move it)"
            )


def export_session(
    store: SessionStore,
    session_id: int,
    folder: Path,
    *,
    formats: tuple[str, ...] = EXPORT_FORMATS,
    audiences: tuple[str, ...] = AUDIENCES,
    pdf: bool = False,
) -> Exported:
    """Write the session's report, in each format and edition, into ``folder``.

    All the files are written or none (:func:`sim.outfolder.whole_folder`): they are built in
    a temporary folder and then each replaces its namesake, so a failure part-way (a full
    disk, Ctrl-C, a folder where a file goes) leaves ``folder`` as it was; files of other names
    stay. Never over the session store or any SQLite database (:func:`check_not_a_database`):
    that is an ExportError, with nothing written. Raises ExportError or StoreError. With
    ``pdf``, each edition is also printed to PDF from its HTML where a browser is installed;
    where none is, or printing fails, the other files are still written and ``pdf_note`` says
    why there is no PDF.
    """
    from sim.analysis.model import build_aar
    from sim.analysis.render import render_aar
    from sim.analysis.sources import stored_session_input
    from sim.outfolder import whole_folder, write_staged

    wanted = [
        export_name(session_id, audience, fmt)
        for audience in audiences
        for fmt in (*formats, *(("pdf",) if pdf else ()))
    ]
    check_not_a_database(store, folder, wanted)
    found = stored_session_input(store, session_id)
    caveat = found.scenario.scenario.handling
    names: list[str] = []
    note = ""
    try:
        with whole_folder(folder) as stage:
            pages: list[tuple[str, str]] = []
            for audience in audiences:
                aar = build_aar(found, "players" if audience == "players" else "controller")
                for fmt in formats:
                    name = export_name(session_id, audience, fmt)
                    write_staged(stage / name, render_aar(aar, fmt, caveat))
                    names.append(name)
                if pdf:
                    html = render_aar(aar, "html", caveat)
                    pages.append((export_name(session_id, audience, "pdf"), html))
            if pages:
                note = _print_pdfs(pages, stage, names)
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) else str(folder)
        raise ExportError(
            f"cannot write {_shown(where)}: {exc.strerror or exc} (choose another folder)"
        ) from None
    return Exported(folder, tuple(folder / name for name in names), note)


def _print_pdfs(pages: list[tuple[str, str]], stage: Path, names: list[str]) -> str:
    """Print each page to its PDF in stage (whole or not at all); '' or why there is none."""
    from sim.analysis.pdf import NoBrowser, html_to_pdf, locate_browser

    try:
        locate_browser()
    except NoBrowser as exc:
        if exc.reason:
            return f"no PDF: {exc.reason}; the HTML prints from any browser"
        return (
            "no PDF: no Chromium-based browser is installed (see `tabletop report --help`); "
            "the HTML prints from any browser"
        )
    printed: list[str] = []
    for name, html in pages:
        try:
            html_to_pdf(html, stage / name)
        except TabletopError as exc:
            note = f"no PDF: {_shown(str(exc))}"
            break
        except OSError as exc:
            note = f"no PDF: cannot write it: {exc.strerror or exc}"
            break
        printed.append(name)
    else:
        names += printed
        return ""
    for name in printed:  # both editions or neither
        with contextlib.suppress(OSError):
            (stage / name).unlink()
    return note
