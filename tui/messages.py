"""Messages the engine worker posts back to the UI thread."""

from __future__ import annotations

from textual.message import Message

from sim import events as ev
from sim.pacing import Stop
from tui.driver import EngineDriver, Snapshot


class EngineStarted(Message):
    """The exercise exists; its first snapshot is ready."""

    def __init__(self, driver: EngineDriver, snapshot: Snapshot) -> None:
        super().__init__()
        self.driver = driver
        self.snapshot = snapshot


class EngineUpdated(Message):
    """The engine moved or took an action: new records and a fresh snapshot."""

    def __init__(
        self, snapshot: Snapshot, new: tuple[ev.Event, ...], kind: str, stop: Stop | None = None
    ) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.new = new
        self.kind = kind
        self.stopped = stop
        """Where an advance stopped and why (None for actions)."""


class EngineFailed(Message):
    """An action the engine refused (an ExerciseError), or an unexpected failure."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
