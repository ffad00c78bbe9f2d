"""Standard output that shows control characters as visible escapes, whatever writes to it.

`printable` is applied where text from a file is printed; this wrapper is the backstop for
every command, so that a path someone forgets (a file name in a message, a field of a record)
still cannot send terminal control codes. The console draws through the original streams
(``sys.__stdout__``, ``sys.__stderr__``), so it is unaffected; `serve`'s coloured log is left
alone.

Its bytes do not depend on the locale: piped or redirected, stdout is UTF-8 whatever the
locale says (an ASCII C locale, a Latin-1 one, a Windows pipe's code page), so the output is
the bytes `--out` writes, never a UnicodeEncodeError. A terminal keeps its own encoding, with
what it cannot show written as escapes (``\\u2192``), as Python writes to stderr.
"""

from __future__ import annotations

import codecs
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
    """Route sys.stdout through SafeTextWriter (once), its bytes independent of the locale."""
    if not isinstance(sys.stdout, SafeTextWriter):
        locale_proof(sys.stdout)
        sys.stdout = SafeTextWriter(sys.stdout)


def locale_proof(stream: TextIO) -> None:
    """Make a stream whose encoding is not UTF-8 write UTF-8 if it goes to a pipe or a file,
    or escapes for what it cannot show if it is a terminal."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None or _is_utf8(getattr(stream, "encoding", None)):
        return
    try:
        if stream.isatty():
            reconfigure(errors="backslashreplace")
        else:
            stream.flush()
            reconfigure(encoding="utf-8", errors="strict")
    except (OSError, ValueError):  # a closed or detached stream: left as it is
        pass


def _is_utf8(encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name == "utf-8"
