"""An error put into words for the console's notices: what failed, never a traceback.

tabletop's own errors (``TabletopError``) carry a message written for the user, shown as it
is. Anything else is a defect or a surprise from the system: it is named by its kind and its
message, and by its kind alone when it has no message (a bare ``ValueError()``), so a notice
never ends in an empty "KIND: ".
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from sim.problems import TabletopError
from sim.safetext import printable


def failure_text(exc: BaseException) -> str:
    """``exc`` in one phrase for a notice (the caller shows it through ``printable``)."""
    if isinstance(exc, TabletopError):
        return str(exc)
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def notify_failure(app: App[Any], what: str, exc: BaseException, title: str) -> None:
    """From a worker thread: one error notice, "WHAT: why", shown literally (never markup)."""
    app.call_from_thread(
        app.notify,
        printable(f"{what}: {failure_text(exc)}"),
        title=title,
        severity="error",
        markup=False,
        timeout=10,
    )
