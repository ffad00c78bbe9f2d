"""Problems in user input, reported as `path:line:col: message` and collected, never one by one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from sim.plain import Ordered, set_field
from sim.safetext import printable

if TYPE_CHECKING:
    from sim.yamlread import Path_

Severity = Literal["error", "warning"]


class Problem(Ordered):
    """One problem in one file, with a 1-based line and column. (A frozen, ordered value:
    a plain class for start-up, see sim/plain.py.)"""

    __slots__ = ("col", "line", "message", "path", "severity")
    _fields = ("path", "line", "col", "message", "severity")
    path: str
    line: int
    col: int
    message: str
    severity: Severity

    def __init__(
        self, path: str, line: int, col: int, message: str, severity: Severity = "error"
    ) -> None:
        set_field(self, "path", path)
        set_field(self, "line", line)
        set_field(self, "col", col)
        set_field(self, "message", message)
        set_field(self, "severity", severity)

    def __str__(self) -> str:
        """One line, with any control character in the path or message shown as an escape,
        and any character that prints as nothing or breaks a line (a zero-width space, a soft
        hyphen, U+2028, a wide space) too: a problem about them would otherwise read
        "'i0' is not a valid id"."""
        prefix = "" if self.severity == "error" else "warning: "
        text = printable(
            f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}", one_line=True
        )
        return text if text.isprintable() else "".join(map(_visible, text))


def _visible(ch: str) -> str:
    return (
        ch
        if ch.isprintable()
        else f"\\u{ord(ch):04x}"
        if ord(ch) < 0x10000
        else f"\\U{ord(ch):08x}"
    )


class Reporter(Protocol):
    """Where the checks report a problem: at a path in the document (a key's own position
    with key=True, a column inside an expression with offset)."""

    def add(
        self,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        offset: int | None = None,
        severity: str = "error",
    ) -> None: ...


class TabletopError(Exception):
    """Base of every error tabletop reports to a user (never shown as a traceback)."""

    several_lines: ClassVar[bool] = False
    """The message is written on several lines (a list of what changed): said line by line."""

    exit_code: ClassVar[int] = 1
    """The command's exit code: 1 (invalid input), or 2 for a value typed on the command line
    that names nothing there (a usage error, as click's own)."""


def error_text(exc: BaseException) -> str:
    """'error: …' as a command says it: one line, every control character a visible escape;
    an error written on several lines keeps them, each line made safe the same way."""
    text = f"error: {exc}"
    if isinstance(exc, TabletopError) and exc.several_lines:
        return "\n".join(printable(line, one_line=True) for line in text.split("\n"))
    return printable(text, one_line=True)


class InputProblems(TabletopError):
    """Raised when a file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


HINTS_PER_FILE = 50
"""Most did-you-mean searches while checking one file (each compares against every name)."""
MAX_HINT_CHOICES = 1_000
"""Names a did-you-mean search compares against at most (those closest in length first)."""
_hints_left: ContextVar[int | None] = ContextVar("hints_left", default=None)


@contextmanager
def hint_budget(n: int = HINTS_PER_FILE) -> Iterator[None]:
    """Within this block, at most ``n`` did-you-mean searches are made; later ones give ''.

    A file with thousands of bad references is then checked in time linear in its size.
    """
    token = _hints_left.set(n)
    try:
        yield
    finally:
        _hints_left.reset(token)


def get_close_matches(
    word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6
) -> list[str]:
    """difflib's, imported only when there is a problem to hint at (start-up)."""
    import difflib

    return difflib.get_close_matches(word, possibilities, n, cutoff)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when a close match exists, else an empty string."""
    left = _hints_left.get()
    if left is not None:
        if left <= 0:
            return ""
        _hints_left.set(left - 1)
    pool = set(choices)
    if len(pool) > MAX_HINT_CHOICES:  # a typo rarely changes a name's length by more than 3
        n = len(word)
        pool = set(sorted(c for c in pool if abs(len(c) - n) <= 3)[:MAX_HINT_CHOICES])
    matches = get_close_matches(word, sorted(pool), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
