"""Text from files, shown safely: control characters become visible escapes.

Every path that prints text that came from a scenario, a playbook, a file name or a problem
message to a terminal goes through :func:`printable`. The loader already refuses control and
bidirectional-override characters in scenario text; this is the second line of defence.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) that can make text read differently from its bytes.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``, ``\\u202e``).

    Newlines and tabs are kept unless ``one_line`` is set, when they are escaped too.
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    return pattern.sub(_escape, text)


def is_unsafe_char(ch: str) -> bool:
    """True for a character the loader refuses in scenario text (not tab or newline)."""
    return _UNSAFE.fullmatch(ch) is not None


ECHO_LIMIT = 100
"""Characters of a value typed on the command line that an error message echoes."""


def echoed(text: str, limit: int = ECHO_LIMIT) -> str:
    """A value typed on the command line as an error message shows it: :func:`printable` on
    one line, and only its start, with '…', if it is longer than ``limit`` characters (a
    300-character name would fill the terminal and hide what is wrong with it)."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return printable(text, one_line=True)
