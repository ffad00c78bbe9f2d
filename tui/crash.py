"""When the console fails unexpectedly: one line on the terminal, the details in a log file.

Textual would print a traceback with the values of local variables, which include the
scenario (facilitator notes and all). Instead the traceback, without locals, goes to a
private file, and the terminal gets one line saying where it is.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path

from sim.safetext import printable


def write_crash_log(error: BaseException) -> Path | None:
    """Write the error's traceback (no local values) to a new private file; None if impossible."""
    text = "".join(traceback.format_exception(error))
    try:
        fd, name = tempfile.mkstemp(prefix="tabletop-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return Path(name)


def crash_line(error: BaseException, log: Path | None) -> str:
    """The one line shown on the terminal."""
    where = f"; details in {log}" if log is not None else ""
    return printable(
        f"tabletop: the console stopped on an unexpected error ({type(error).__name__}){where}",
        one_line=True,
    )
