"""Time policy: how far to move the clock for "play", "next event" and "next decision".

The console (and any other front end) calls these and never reaches into SimPy. Each moves
the clock only through ``Advance`` commands, so a session's command log replays exactly, and
each returns a :class:`Stop` saying where and why it stopped.

A decision's default applies at its deadline whatever the caller does; what the policy adds
is the choice to *stop before* it, so the room can still choose. With ``hold=True`` every
function stops before a default would apply, unless that decision is in ``let_default`` (the
room was told and chose to let it go). Defaults that did apply are listed in ``Stop.defaults``
so the front end can say so: nothing is decided silently.

A default applies at the end of its deadline's instant, after everything else due then. So
an advance that stops at something happening at a deadline instant (a record, a decision
opening) finishes that instant before it returns: the clock never rests at a deadline with
the decision still open and its default still to come. A held deadline is stopped *before*.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sim import events as ev
from sim.commands import Advance
from sim.engine import Exercise, OpenDecision
from sim.views import players_now, rooms


class StopReason(StrEnum):
    """Why an advance stopped."""

    TARGET = "target"
    """The clock reached the time asked for."""
    VISIBLE = "visible"
    """A record this view can see appeared."""
    DECISION = "decision"
    """A decision opened."""
    DEADLINE = "deadline"
    """The next thing due is a deadline whose default the room has not agreed to let apply."""
    END = "end"
    """The exercise ended."""


@dataclass(frozen=True, slots=True)
class Stop:
    """Where an advance stopped, why, and what it produced."""

    reason: StopReason
    records: tuple[ev.Event, ...] = ()
    deadline: OpenDecision | None = None
    """For DEADLINE: the decision whose default comes next."""
    defaults: tuple[ev.DecisionMade, ...] = field(default=())
    """Deadline defaults that applied during this advance."""


def just_before(deadline: float) -> float:
    """Where the clock is held before a deadline: the last instant before it, whatever has
    happened since. (Held at the last event before the deadline, the clock read the time of
    whatever happened last, such as a stage of a campaign the players have not detected.)"""
    return math.nextafter(deadline, -math.inf)


def play_target(ex: Exercise, dt: float) -> float:
    """Where one step of play of ``dt`` sends the clock: ``dt`` on from now, or, when the
    clock rests at a time the players cannot know of (the controller view's next event
    stopped at a record hidden from them, see ``sim.views.players_now``), the first whole
    step of ``dt`` from the time they know that is past now. Counted from now, play's steps
    would read the hidden time's minutes on the players' clock ever after (07:22, 07:28, ...
    every 6 minutes from a hidden stage at 07:22)."""
    now = ex.now
    known = players_now(ex)
    if known >= now or dt <= 0:
        return now + dt
    steps = math.floor((now - known) / dt) + 1
    target = known + steps * dt
    while target <= now:  # rounding: always past now
        steps += 1
        target = known + steps * dt
    return target


def next_default(ex: Exercise, let_default: Collection[str] = ()) -> OpenDecision | None:
    """The open decision whose default would apply first (ties by id), if any; decisions with
    a choice already waiting, those in ``let_default`` and those not the room's (another
    actor's: the room cannot choose them, and a pause before their deadline would tell it
    when it falls) are left out."""
    waiting = ex.waiting_choices()
    pending = [
        od
        for od in ex.open_decisions.values()
        if od.decision.id not in waiting and od.decision.id not in let_default and rooms(ex, od)
    ]
    return min(pending, key=lambda od: (od.deadline, od.decision.id), default=None)


def advance(
    ex: Exercise,
    to: float,
    *,
    hold: bool = True,
    let_default: Collection[str] = (),
    by: str = "facilitator",
) -> Stop:
    """Move the clock toward ``to``: stop when a decision opens, at the end, before a default
    applies (``hold``), or at ``to``."""
    start = len(ex.records)
    if ex.finished:
        return Stop(StopReason.END)
    target = min(to, ex.horizon)
    held = next_default(ex, let_default) if hold else None
    if held is not None and held.deadline <= target:
        ex.submit(Advance(by=by, to=just_before(held.deadline), stop="decision"))
        return _stop(ex, start, StopReason.DEADLINE, held)
    if target > ex.now or ex.due_now():
        while True:
            n = len(ex.records)
            ex.submit(Advance(by=by, to=target, stop="decision"))
            if ex.finished or ex.now >= target or _posed(ex, ex.records[n:]):
                break
            if not any(isinstance(r, ev.DecisionOpened) for r in ex.records[n:]):
                break
            # stopped at another actor's decision, which the room does not see: go on
        _finish_deadline_instant(ex, hold, let_default, by)
    return _stop(ex, start, StopReason.TARGET)


def next_decision(
    ex: Exercise, *, hold: bool = True, let_default: Collection[str] = (), by: str = "facilitator"
) -> Stop:
    """Advance until a decision opens (or before a default applies, or the end)."""
    return advance(ex, ex.horizon, hold=hold, let_default=let_default, by=by)


def next_event(
    ex: Exercise,
    *,
    controller: bool,
    hold: bool = True,
    let_default: Collection[str] = (),
    by: str = "facilitator",
) -> Stop:
    """Advance to the next record this view can see (the players' or the controller's), or a
    decision opening, or before a default applies, or the end."""
    start = len(ex.records)
    while not ex.finished:
        held = next_default(ex, let_default) if hold else None
        n = len(ex.records)
        if held is not None:
            ex.submit(Advance(by=by, to=just_before(held.deadline), stop="record"))
            if len(ex.records) == n:  # nothing more before the deadline
                return _stop(ex, start, StopReason.DEADLINE, held)
        else:
            ex.submit(Advance(by=by, to=ex.horizon, stop="record"))
        new = ex.records[n:]
        if _posed(ex, new):
            _finish_deadline_instant(ex, hold, let_default, by)
            return _stop(ex, start, StopReason.DECISION)
        if controller or any(r.visible_to(ex.players) for r in new):
            _finish_deadline_instant(ex, hold, let_default, by)
            return _stop(ex, start, StopReason.VISIBLE)
    return _stop(ex, start, StopReason.END)


def _finish_deadline_instant(
    ex: Exercise, hold: bool, let_default: Collection[str], by: str
) -> None:
    """If the clock stopped at an open decision's deadline instant, with its default (or a
    waiting choice) still to apply at the instant's end, finish the instant, as a run does.
    A default the room has not agreed to let apply (``hold``) is left for the next advance to
    warn of first."""
    if ex.finished or not ex.due_now():
        return
    now, waiting = ex.now, ex.waiting_choices()
    due = [od for od in ex.open_decisions.values() if od.deadline <= now]
    if not due:
        return
    if hold and any(
        od.decision.id not in waiting and od.decision.id not in let_default and rooms(ex, od)
        for od in due
    ):
        return
    ex.submit(Advance(by=by, to=now))


def _posed(ex: Exercise, new: Sequence[ev.Event]) -> bool:
    """Whether a decision of the room's opened among these records (another actor's is no
    reason to stop: the room does not see it)."""
    return any(isinstance(r, ev.DecisionOpened) and r.visible_to(ex.players) for r in new)


def _stop(ex: Exercise, start: int, reason: StopReason, held: OpenDecision | None = None) -> Stop:
    new = tuple(ex.records[start:])
    if ex.finished:
        reason, held = StopReason.END, None
    elif reason is not StopReason.DEADLINE and _posed(ex, new):
        reason = StopReason.DECISION
    elif reason is StopReason.DEADLINE and _posed(ex, new):
        reason, held = StopReason.DECISION, None
    defaults = tuple(r for r in new if isinstance(r, ev.DecisionMade) and r.by == "deadline")
    return Stop(reason, new, held, defaults)
