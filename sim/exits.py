"""Exit codes and the last words of a command whose output cannot be written (no click here:
the click-free validate path uses them too)."""

from __future__ import annotations

import sys
from typing import NoReturn

INVALID = 1
"""Exit code: invalid input, or an output that cannot be written."""


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
