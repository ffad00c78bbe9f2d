"""SIGTERM and SIGHUP end the console as quitting does, not as a kill.

By default either signal ended the process at once: the terminal was left in the console's
full-screen mode (no cursor, no echo), and the session's last word was never said. Here they
are handled on the console's event loop: the app leaves as after `q`, `y` (the terminal
restored, the session store closed by the command), and `tabletop play` then says one line and
exits 128 + the signal's number (143, 129), as a batch does. Every decision is saved as it is
made, so none is lost; an engine job under way is let finish first (a few seconds at most).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable

STOP_SIGNALS: dict[int, str] = {signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}
"""The signals that end the console cleanly, and what the last line calls them."""


def catch_stop_signals(on_signal: Callable[[int], None]) -> Callable[[], None]:
    """Call ``on_signal(signum)`` on the running loop for SIGTERM and SIGHUP; return the
    function that puts the previous handling back. Nothing is changed where the loop cannot
    take signals (not the main thread, no Unix signals) or under `tabletop serve`, whose
    server stops its consoles itself."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return lambda: None
    loop = asyncio.get_running_loop()
    caught: list[int] = []
    for signum in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, on_signal, signum)
            caught.append(signum)

    def release() -> None:
        for signum in caught:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)

    return release


LEAVE_LIMIT = 15.0
"""Seconds a console ended by a signal has to leave cleanly before it ends anyway."""


def exit_anyway(code: int, after: float) -> None:
    """End the process with ``code`` after ``after`` seconds if it has not ended by then.

    Leaving cleanly can hang when the terminal is gone: after a hang-up, Textual's writer
    thread was seen waiting for ever as the driver closed, and the console outlived its
    terminal (found as processes left by the suite's tmux tests). Every decision is saved as
    it is made, so ending the process loses none."""
    timer = threading.Timer(after, os._exit, args=(code,))
    timer.daemon = True  # a process that leaves cleanly does not wait for it
    timer.start()
