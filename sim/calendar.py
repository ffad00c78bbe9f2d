"""(Format v2) The legislative calendar: when parliament sits, and bills that move with it.

A scenario's ``calendar`` lists sittings (Diet sessions). A bill stage marked ``sitting``
progresses only while one is open: time between sittings does not count, and a bill that
reaches such a stage between sittings, or after the sitting's submission deadline, waits for
the next one. A bill in a sitting stage is *before parliament*. When a sitting ends at its
time, each bill before it is carried over to the next sitting with the bill's
``carry_over`` chance (keeping its stage and the time it has spent) or dies; when the house
is dissolved, every bill before it dies. A bill that died can be started again by a decision.

Bills also gain effects at the start of a stage and over its duration, and a duration factor
read when each attempt begins (crowding: ``bills_in_session`` counts the bills before
parliament). Everything here is armed only for a scenario that uses these keys
(:func:`uses_calendar`), so a v1 scenario runs exactly the engine it always ran. Every draw
comes from a stream no v1 element uses (``sitting:ID:dissolution``,
``response:ID:carry_over``), except a bill's own durations and pass chances, which it draws
from its stream in the order a v1 bill does.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.cause import CAUSE_RESPONSE, Cause
from sim.chance import chance, sample
from sim.expr import ExprError
from sim.responses import begin, fail, succeed, unlock
from sim.schema import (
    BILLS_IN_SESSION,
    IN_SESSION,
    MAX_FACTOR,
    BillStage,
    Effects,
    Legislation,
    Scenario,
    Sitting,
)
from sim.state import ActiveResponse

if TYPE_CHECKING:
    from sim.engine import Exercise

Process = Generator[simpy.Event, Any, None]
Steps = Generator[simpy.Event, Any, str | None]
"""A part of a bill's process; returns why the bill died, or None."""

EPSILON = 1e-9
"""Progress left below this counts as done (floating-point remainders of paused stages)."""


@dataclass(frozen=True, slots=True)
class _Ended:
    """Interrupt cause: the sitting a bill was before ended; ``died`` unless carried over."""

    died: str
    """Why the bill died ('' if it was carried over)."""


def bill_uses_v2(r: Legislation) -> bool:
    """Whether a bill uses a calendar key (a sitting stage, stage effects, crowding...)."""
    return r.carry_over != 0.0 or any(
        s.sitting or s.duration_factor is not None or s.start_effects or s.during for s in r.stages
    )


def uses_calendar(scenario: Scenario) -> bool:
    """Whether the calendar's mechanics are armed (else bills run as in format v1)."""
    return bool(scenario.calendar) or any(
        isinstance(r, Legislation) and bill_uses_v2(r) for r in scenario.responses
    )


class Calendar:
    """The sittings of one exercise and the bills before parliament."""

    def __init__(self, ex: Exercise) -> None:
        self.ex = ex
        self.sittings = sorted(ex.scenario.calendar, key=lambda s: s.opens)
        self.current: Sitting | None = None
        """The sitting open now."""
        self.before: dict[str, simpy.Process] = {}
        """Bills before parliament now (in a sitting stage of the open sitting), in order."""
        self.waiting: dict[str, simpy.Process] = {}
        """Bills waiting for the next sitting, in the order they began to wait."""
        self.submitted: set[str] = set()
        """Bills that have been before parliament since they were (re)introduced."""
        self._opening: simpy.Event | None = None
        if not self.sittings:
            return
        ex._state[IN_SESSION] = 0.0
        ex._state[BILLS_IN_SESSION] = 0.0
        for s in self.sittings:
            ex._state[s.id] = "scheduled"
            ex.env.process(self._run(s))
            d = s.dissolution
            if d is not None and d.only_if is not None:
                ex._watch(ex.compiled.expr(d.only_if), self._dissolve_if(s), repeat=True)
                w = ex._watchers[-1]
                if s.id not in w.expr.names:  # re-checked when the sitting opens
                    ex._watch_index.setdefault(s.id, []).append(w)

    # --- the sittings -----------------------------------------------------------------------

    def _run(self, s: Sitting) -> Process:
        ex = self.ex
        yield ex.env.timeout(s.opens)
        self._open(s)
        yield ex.env.timeout(s.closes - s.opens)
        # at the end of the instant: a stage whose time runs out at the closing time finishes
        ex._due.append(lambda: self._close(s, "end"))

    def _open(self, s: Sitting) -> None:
        ex = self.ex
        if self.current is not None:  # the previous one closes at this very time
            self._close(self.current, "end")
        self.current = s
        ex.set_status(s.id, "open")
        self._number(IN_SESSION, 1.0)
        ex.record(ev.ParliamentOpened, sitting=s.id, title=s.title or s.id)
        for rid, proc in self.waiting.items():  # all join before any reads the count
            self.before[rid] = proc
            self.submitted.add(rid)
        self.waiting.clear()
        self._count()
        if self._opening is not None:
            opening, self._opening = self._opening, None
            opening.succeed()
        d = s.dissolution
        if d is not None and d.chance is not None:
            rng = ex.rng(f"sitting:{s.id}:dissolution")
            p = ex.probability(d.chance, "calendar:%s.dissolution", s.id)
            if chance(p, rng):
                span = s.closes - s.opens
                after = sample(d.after, rng) if d.after is not None else rng.uniform(0.0, span)
                if after < span:
                    ex._due_after(after, lambda: self._dissolve(s))

    def _close(self, s: Sitting, reason: str) -> None:
        ex = self.ex
        if self.current is not s:
            return
        self.current = None
        dissolved = reason == "dissolved"
        ex.set_status(s.id, "dissolved" if dissolved else "closed")
        self._number(IN_SESSION, 0.0)
        text = ""
        if dissolved and s.dissolution is not None:
            text = s.dissolution.text or "The house is dissolved."
        title = s.title or s.id
        ex.record(ev.ParliamentClosed, sitting=s.id, title=title, reason=reason, text=text)
        before, self.before = self.before, {}
        for rid, proc in before.items():
            bill = ex.responses[rid]
            assert isinstance(bill, Legislation)
            if dissolved:
                died = "died: the house was dissolved"
            elif self._carried(bill):
                died = ""
                stage = ex.active[rid].stage if rid in ex.active else ""
                ex.record(ev.BillProgress, response=rid, stage=stage, step="carried_over")
            else:
                died = f"died: {title} ended"
            proc.interrupt(_Ended(died))
        self._count()

    def _carried(self, bill: Legislation) -> bool:
        ex = self.ex
        p = ex.probability(bill.carry_over, "response:%s.carry_over", bill.id)
        return chance(p, ex.rng(f"response:{bill.id}:carry_over"))

    def _dissolve(self, s: Sitting) -> None:
        if not self.ex.finished:
            self._close(s, "dissolved")

    def _dissolve_if(self, s: Sitting) -> Any:
        def check(ok: bool) -> None:
            if ok and self.current is s:
                self._close(s, "dissolved")

        return check

    def _number(self, name: str, value: float) -> None:
        ex = self.ex
        if ex._state[name] != value:
            ex._state[name] = value
            ex._dirty.add(name)

    def _count(self) -> None:
        if self.sittings:
            self._number(BILLS_IN_SESSION, float(len(self.before)))

    def _may_enter(self, rid: str) -> bool:
        s = self.current
        if s is None:
            return False
        late = s.submit_by is not None and self.ex.now > s.submit_by
        return rid in self.submitted or not late

    # --- a bill's time before parliament --------------------------------------------------

    def wait_for_sitting(self, r: Legislation, stage: BillStage, told: bool = False) -> Steps:
        """Wait until the bill is before an open sitting; returns why it died, or None
        (``told``: the room already knows it waits, e.g. it was just carried over)."""
        ex = self.ex
        proc = ex.env.active_process
        assert proc is not None
        while r.id not in self.before:
            if self._may_enter(r.id):
                self.before[r.id] = proc
                self.submitted.add(r.id)
                self._count()
                return None
            if not told:
                ex.record(ev.BillProgress, response=r.id, stage=stage.id, step="waiting")
                told = True
            self.waiting[r.id] = proc
            if self._opening is None:
                self._opening = ex.env.event()
            try:
                yield self._opening
            except simpy.Interrupt as intr:  # ended in the instant it was let in
                assert isinstance(intr.cause, _Ended)
                if intr.cause.died:
                    return intr.cause.died
        return None

    def progress(
        self, r: Legislation, stage: BillStage, amount: float, during: bool = True
    ) -> Steps:
        """Spend ``amount`` of the stage's time (sitting time for a sitting stage), applying
        its ``during`` effects; returns why the bill died, or None."""
        ex = self.ex
        remaining = amount
        every = stage.during.every if during and stage.during is not None else None
        tick = every
        carried = False
        try:
            while True:
                if stage.sitting and r.id not in self.before:
                    died = yield from self.wait_for_sitting(r, stage, told=carried)
                    if died:
                        return died
                    if amount > 0 and remaining < amount:
                        ex.record(ev.BillProgress, response=r.id, stage=stage.id, step="resumed")
                if remaining <= EPSILON:
                    return None
                wait = remaining if tick is None else min(remaining, tick)
                began = ex.now
                try:
                    yield ex.env.timeout(wait)
                except simpy.Interrupt as intr:
                    assert isinstance(intr.cause, _Ended)
                    spent = ex.now - began
                    remaining -= spent
                    if tick is not None and every is not None:
                        tick -= spent
                        if tick <= EPSILON:  # due at the very moment the sitting ended
                            tick = every
                            self._during(r, stage)
                    if intr.cause.died:
                        return intr.cause.died
                    carried = True
                    continue
                remaining -= wait
                if tick is not None and every is not None:
                    tick -= wait
                    if tick <= EPSILON:
                        tick = every
                        self._during(r, stage)
        finally:
            if self.before.pop(r.id, None) is not None:
                self._count()

    def _during(self, r: Legislation, stage: BillStage) -> None:
        assert stage.during is not None
        self._effects(r, stage, stage.during.effects, "during")

    def _effects(self, r: Legislation, stage: BillStage, effects: Effects, when: str) -> None:
        if effects:
            self.ex.apply_effects(effects, Cause(CAUSE_RESPONSE, r.id, f"{stage.id}.{when}"))

    def factor(self, r: Legislation, stage: BillStage) -> float:
        """The stage's duration factor now (1 without one), within 0..MAX_FACTOR."""
        if stage.duration_factor is None:
            return 1.0
        ex = self.ex
        try:
            value = ex.compiled.expr(stage.duration_factor).number(ex._state)
        except ExprError as exc:
            where = f"response:{r.id}.{stage.id}.duration_factor"
            ex._expression_failed(where, str(stage.duration_factor), exc)
            return 1.0
        return min(MAX_FACTOR, max(0.0, value))


def legislate(ex: Exercise, r: Legislation, cause: Cause, action: int | None) -> Process:
    """A bill's path under the calendar: the v1 path, plus sitting stages, stage effects and
    crowding."""
    cal = ex.calendar
    assert cal is not None
    rng = ex.rng(ex.streams[r.id])
    view = ex.views.responses[r.id]
    begin(ex, view, cause, None, action)
    cal.submitted.discard(r.id)

    def attempt_at(stage: BillStage, attempt: int) -> Steps:
        if stage.sitting:
            died = yield from cal.wait_for_sitting(r, stage)
            if died:
                return died
        ex.record(ev.BillProgress, response=r.id, stage=stage.id, step="started", attempt=attempt)
        cal._effects(r, stage, stage.start_effects, "start")
        duration = sample(stage.duration, rng) * cal.factor(r, stage)
        return (yield from cal.progress(r, stage, duration))

    for stage in r.stages:
        for attempt in range(1, stage.attempts + 1):
            ex.active[r.id] = ActiveResponse(
                r.id, r.kind, r.sponsor, ex.active[r.id].started, None, stage.id
            )
            if stage.actor is not None:
                with ex.resources[stage.actor].request() as req:
                    if not req.triggered:
                        ex.record(ev.ResponseQueued, response=r.id, actor=stage.actor)
                    yield req
                    died = yield from attempt_at(stage, attempt)
            else:
                died = yield from attempt_at(stage, attempt)
            if died:
                fail(ex, view, died)
                return
            p = ex.probability(stage.passes, "response:%s.%s", r.id, stage.id)
            if chance(p, rng):
                ex.record(
                    ev.BillProgress, response=r.id, stage=stage.id, step="passed", attempt=attempt
                )
                break
            if stage.stall is not None and attempt < stage.attempts:
                ex.record(
                    ev.BillProgress, response=r.id, stage=stage.id, step="stalled", attempt=attempt
                )
                died = yield from cal.progress(r, stage, sample(stage.stall, rng), during=False)
                if died:
                    fail(ex, view, died)
                    return
                continue
            fail(ex, view, f"defeated at {stage.title or stage.id}")
            return
    unlock(ex, r)
    succeed(ex, view, "enacted")
