"""Where the console saves its session: the store, and the scenario file or resumed exercise."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sim.problems import InputProblems, TabletopError
from sim.safetext import printable
from sim.schema import Scenario
from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import Resumed, load_text, read_scenario_text
from sim.session.store import SessionStore, StoreError

if TYPE_CHECKING:
    from tui.driver import EngineDriver


@dataclass
class Recording:
    """A console session saved to ``store``: a new one from ``path``, or a resumed one."""

    store: SessionStore
    path: Path | None = None
    text: str | None = None
    """The exact text the scenario was loaded from (None: read ``path`` when starting)."""
    resumed: Resumed | None = None
    store_option: str = ""
    """The --store PATH given on the command line, repeated in the resume hint."""
    session_id: int | None = None

    def with_file(self, path: Path) -> Recording:
        return replace(self, path=path, text=None, resumed=None, session_id=None)

    def exercise(self, scenario: Scenario, seed: int | None) -> RecordedExercise:
        """The exercise to drive: the resumed one, or a new session recorded from the start."""
        if self.resumed is not None:
            self.session_id = self.resumed.session_id
            return self.resumed.exercise
        if self.path is None:
            raise TabletopError("no scenario file to record the session with")
        text = self.text
        if text is None:
            try:  # only a regular file within the size limit (a FIFO would block)
                text = read_scenario_text(self.path)
            except InputProblems as exc:
                first = str(exc.problems[0]) if exc.problems else str(self.path)
                raise TabletopError(printable(first, one_line=True)) from None
            if load_text(text, str(self.path)).model_dump() != scenario.model_dump():
                raise TabletopError(
                    f"{printable(str(self.path), one_line=True)} changed while it was being "
                    "opened: open it again"
                )
        exercise = start_session(self.store, scenario, text, self.path, seed, origin="console")
        assert exercise.journal is not None
        self.session_id = exercise.journal.session_id
        return exercise

    def resume_command(self) -> str:
        store = f" --store {shlex.quote(self.store_option)}" if self.store_option else ""
        return f"tabletop play --resume {self.session_id}{store}"

    def saved_message(self, driver: EngineDriver | None) -> str:
        if self.session_id is None:
            return "The session is not saved."
        return (
            f"The session is saved (session {self.session_id}). Resume it with:\n"
            f"  {printable(self.resume_command(), one_line=True)}"
        )

    def leave(self, driver: EngineDriver | None) -> None:
        """On quitting: a session in which nothing was done is marked abandoned."""
        if self.session_id is None:
            return
        try:
            if self.store.command_count(self.session_id)[0] == 0:
                self.store.set_status(self.session_id, "abandoned")
        except StoreError:
            pass  # quitting must not fail; the session's commands are already safe
