"""How long the room took to decide, in wall-clock time, from the session store's stamps.

The store stamps each command with the wall-clock time it was saved (UTC, to the second).
A decision was *posed* when the command during whose replay its ``DecisionOpened`` record
appeared was saved (the step or play tick that reached it; the session's start for one open
from the beginning), and *made* when the facilitator's ``Decide`` was saved (for a default,
the command that let the clock reach the deadline). Wall time never enters the engine or its
log: it is read from the store, for the report only, so the same session still gives the same
report, byte for byte.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sim import events as ev

if TYPE_CHECKING:
    from sim.commands import LoggedCommand
    from sim.session.store import StoredCommand


def stamp(text: str) -> datetime | None:
    """A store's wall-clock stamp, or None if missing or unreadable (an older store)."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def decision_walls(
    records: Sequence[ev.Event],
    log: Sequence[LoggedCommand],
    applied: Sequence[StoredCommand],
    reached: Sequence[StoredCommand],
    starts: Sequence[int],
    created: str,
) -> dict[int, float]:
    """Wall-clock seconds from posed to made, by the ``seq`` of each ``DecisionMade`` record.

    ``records`` and ``log`` are the replayed exercise's records and command log, ``applied``
    the stored commands it applied (aligned with ``log``), ``reached`` the stored commands
    replay looked at and ``starts`` the record count before each (see
    ``sim.session.resume.Replayed``); ``created`` is the session's start stamp. A decision
    whose stamps are missing is left out.
    """
    by_action = {
        entry.action: stored.wall
        for entry, stored in zip(log, applied, strict=False)
        if entry.action is not None
    }

    def wall_of(index: int) -> str:
        """The stamp of the command whose replay produced record ``index``."""
        n = bisect.bisect_right(starts, index) - 1
        return created if n < 0 else reached[n].wall

    posed: dict[str, str] = {}
    out: dict[int, float] = {}
    for index, r in enumerate(records):
        if isinstance(r, ev.DecisionOpened):
            posed[r.decision] = wall_of(index)
        elif isinstance(r, ev.DecisionMade):
            made = by_action.get(r.action) if r.action is not None else None
            start, end = stamp(posed.get(r.decision, "")), stamp(made or wall_of(index))
            if start is not None and end is not None:
                out[r.seq] = max((end - start).total_seconds(), 0.0)
    return out


def wall_duration(seconds: float) -> str:
    """A wall-clock span as the room lived it: '40 s', '3 min 05 s', '1 h 12 min'."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s:02d} s"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"
