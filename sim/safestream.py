"""Standard output that shows control characters as visible escapes, whatever writes to it.

`printable` is applied where text from a file is printed; this wrapper is the backstop for
every command, so that a path someone forgets (a file name in a message, a field of a record)
still cannot send terminal control codes. The console draws through the original streams
(``sys.__stdout__``, ``sys.__stderr__``), so it is unaffected; `serve`'s coloured log is left
alone.
"""

from __future__ import annotations

import io
import sys
from typing import TextIO

from sim.safetext import printable


class SafeTextWriter(io.TextIOBase):
    """A text stream that writes ``printable(text)`` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None) or "strict"

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._stream.write(printable(text))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def guard_stdout() -> None:
    """Route sys.stdout through SafeTextWriter (once)."""
    if not isinstance(sys.stdout, SafeTextWriter):
        sys.stdout = SafeTextWriter(sys.stdout)
