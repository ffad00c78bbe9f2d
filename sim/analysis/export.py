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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim.problems import TabletopError
from sim.safetext import printable
from sim.session.store import SessionStore

EXPORT_FORMATS: tuple[str, ...] = ("html", "md", "json")
"""The formats always written; PDF too with ``pdf=True`` where a Chromium-based browser is
installed (as for `tabletop report --format pdf`)."""
AUDIENCES: tuple[str, ...] = ("players", "controller")
MAX_PATH = 1024
"""The longest folder path accepted from the keyboard."""


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
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{_shown(str(folder))} is a file, not a folder: choose a folder")
    if not folder.exists():
        if not folder.parent.is_dir():
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

    Each file is written whole or not at all (a temporary file renamed into place); a file of
    the same name is replaced. Raises ExportError (nothing half-written) or StoreError. With
    ``pdf``, each edition is also printed to PDF from its HTML where a browser is installed;
    where none is, or printing fails, the other files are still written and ``pdf_note`` says
    why there is no PDF.
    """
    from sim.analysis.model import build_aar
    from sim.analysis.render import render_aar
    from sim.analysis.sources import stored_session_input

    found = stored_session_input(store, session_id)
    caveat = found.scenario.scenario.handling
    texts: list[tuple[Path, str]] = []
    pages: list[tuple[Path, str]] = []
    for audience in audiences:
        aar = build_aar(found, "players" if audience == "players" else "controller")
        for fmt in formats:
            name = export_name(session_id, audience, fmt)
            texts.append((folder / name, render_aar(aar, fmt, caveat)))
        if pdf:
            html = render_aar(aar, "html", caveat)
            pages.append((folder / export_name(session_id, audience, "pdf"), html))
    written = []
    for path, text in texts:
        _write_whole(path, text)
        written.append(path)
    note = ""
    if pages:
        note = _print_pdfs(pages, written)
    return Exported(folder, tuple(written), note)


def _print_pdfs(pages: list[tuple[Path, str]], written: list[Path]) -> str:
    """Print each page to its PDF (whole or not at all); '' or why there is no PDF."""
    from sim.analysis.pdf import find_browser, html_to_pdf

    if find_browser() is None:
        return (
            "no PDF: no Chromium-based browser is installed (see `tabletop report --help`); "
            "the HTML prints from any browser"
        )
    for path, html in pages:
        tmp = path.with_name(f".export-{path.name}")
        try:
            html_to_pdf(html, tmp)
            os.replace(tmp, path)
        except TabletopError as exc:
            return f"no PDF: {_shown(str(exc))}"
        except OSError as exc:
            return f"no PDF: cannot write {_shown(str(path))}: {exc.strerror or exc}"
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        written.append(path)
    return ""


def _write_whole(path: Path, text: str) -> None:
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)  # as an ordinary file (mkstemp makes it private)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(
            f"cannot write {_shown(str(path))}: {exc.strerror or exc} (choose another folder)"
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
