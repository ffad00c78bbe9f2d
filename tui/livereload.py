"""Live reload in the console (`tabletop play FILE --watch`): a saved file restarts the exercise.

The app polls a :class:`~sim.authoring.reload.FileWatcher` from a timer; on a change the
driver reloads the file on an engine worker (:meth:`tui.driver.EngineDriver.reload`), which
replays the commands made so far with the same seed. The UI thread then gets one of the two
messages below: the new scenario and snapshot with a summary of where replay stopped, or the
file's problems (the old exercise keeps running).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.message import Message

from sim.authoring.reload import FileWatcher
from sim.problems import Problem
from sim.safetext import printable
from sim.schema import Scenario
from tui.driver import Snapshot

POLL = 0.5
"""Seconds between looks at the watched file."""
MAX_PROBLEMS_SHOWN = 8


class ScenarioReloaded(Message):
    """The file loaded again and the log was replayed on it."""

    def __init__(
        self, scenario: Scenario, snapshot: Snapshot, summary: str, *, complete: bool = True
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.snapshot = snapshot
        self.summary = summary
        self.complete = complete
        """Every command was replayed (else the summary says why one no longer applies)."""


class ReloadRefused(Message):
    """The saved file does not load (or reloading failed): lines to show, literally."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = tuple(lines)


class Watched:
    """The scenario file `--watch` follows, and its watcher."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.watcher = FileWatcher(path)

    def name(self) -> str:
        return printable(str(self.path), one_line=True)

    def started_notice(self) -> str:
        return (
            f"Watching {self.name()}: save it to reload the scenario and replay what was done. "
            "With --watch the session is not saved."
        )


def problem_lines(problems: Sequence[Problem]) -> list[str]:
    """Each problem as `file:line:col: message` (printable), at most a few, then how many more."""
    errors = [p for p in problems if p.severity == "error"] or list(problems)
    lines = [printable(str(p), one_line=True) for p in errors[:MAX_PROBLEMS_SHOWN]]
    if len(errors) > MAX_PROBLEMS_SHOWN:
        lines.append(f"… and {len(errors) - MAX_PROBLEMS_SHOWN} more")
    if not lines:
        lines.append("the file does not load")
    return lines
