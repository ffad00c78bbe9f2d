"""Problems in user input, reported as `path:line:col: message` and collected, never one by one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Literal

from sim.safetext import printable

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem in one file, with a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        """One line, with any control character in the path or message shown as an escape."""
        prefix = "" if self.severity == "error" else "warning: "
        return printable(
            f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}", one_line=True
        )


class TabletopError(Exception):
    """Base of every error tabletop reports to a user (never shown as a traceback)."""


class InputProblems(TabletopError):
    """Raised when a file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when a close match exists, else an empty string."""
    matches = get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
