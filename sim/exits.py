"""Exit codes and the last words of a command whose output cannot be written, or that was
interrupted (no click here: the click-free start-up paths use them too)."""

from __future__ import annotations

import contextlib
import errno
import io
import sys
from collections.abc import Iterator
from typing import NoReturn

INVALID = 1
"""Exit code: invalid input, or an output that cannot be written."""
INTERRUPTED = 130
"""Exit code after Ctrl-C (the shell's convention for SIGINT)."""


class ClosedOutput(io.TextIOBase):
    """Standard output when the program was started with it closed (`tabletop run x >&-`):
    every write fails as writing to a closed file does, so the command says so and exits 1
    instead of losing its output silently or failing on ``None``."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self) -> None:
        pass  # nothing was written; the interpreter's last flush must not fail


def mind_closed_streams() -> None:
    """Give a closed stdout a stream that fails on use, and a closed stderr one that drops
    what is written (there is nowhere to say anything). Call first thing."""
    import os

    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the process)


TERMINATED = 143
"""Exit code after SIGTERM (128 + 15, the shell's convention)."""


class Terminated(BaseException):
    """SIGTERM, raised in the main thread where :func:`sigterm_raises` is in force, so that
    clean-ups run (temporary files removed, child processes stopped) as after Ctrl-C."""


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the block (main thread only; else unchanged)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_terminated(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def terminated() -> NoReturn:
    """Exit 143 with one line after SIGTERM (never a traceback)."""
    _leave("terminated", TERMINATED)


def interrupted() -> NoReturn:
    """Exit 130 with one line after Ctrl-C (never a traceback)."""
    _leave("interrupted", INTERRUPTED)


def _leave(why: str, code: int) -> NoReturn:
    """Say why on stderr (if it can still be written to) and exit with ``code``."""
    try:
        sys.stderr.write(why + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(code)


def quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def output_failed(exc: OSError) -> NoReturn:
    """Exit 1 after an output failed: silently for a reader that left (`| head`), else with
    one line naming the file, if the error names one."""
    quiet_stdout()
    if not isinstance(exc, BrokenPipeError):
        from sim.safetext import printable

        where = f" {exc.filename}" if isinstance(exc.filename, str) else " the output"
        sys.stderr.write(printable(f"error: cannot write{where}: {exc.strerror or exc}") + "\n")
    sys.exit(INVALID)
