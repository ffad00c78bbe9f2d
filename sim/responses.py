"""The three first-class responses: notifying other actors, countermeasures, legislation."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import simpy
from simpy.events import PENDING
from simpy.resources.resource import Request

from sim import events as ev
from sim.capacity import claim, give_back
from sim.cause import Cause
from sim.chance import Stream, chance, sample
from sim.runviews import CountermeasureView, NotificationView, ResponseView
from sim.schema import Countermeasure, Legislation, Notification
from sim.state import ActiveResponse
from sim.threats import detect, slow, stop
from sim.timers import Soon, Timer
from sim.vocab import (
    RESPONSE_FAILED,
    RESPONSE_LOCKED,
    RESPONSE_READY,
    RESPONSE_RUNNING,
    RESPONSE_SUCCEEDED,
    THREAT_UNDETECTED,
)

if TYPE_CHECKING:
    from sim.context import Context

AnyResponse = Notification | Countermeasure | Legislation


def start_response(ex: Context, r: ResponseView, cause: Cause, action: int | None = None) -> None:
    """Start a response (read through its run view, sim.runviews), or record why it cannot
    start (``action``: the facilitator's action that started it, linked from its first
    record)."""
    rid = r.id
    status = ex.state[rid]
    if status != RESPONSE_READY and _blocked(ex, r, status, action):  # ready: the usual case
        return
    ex.set_status(rid, RESPONSE_RUNNING)
    # A countermeasure or a notification takes its first step where a process would start
    # (sim/timers.py): its function, handed what it acts on (``partial``: no function of its
    # own made to call it).
    if isinstance(r, CountermeasureView):
        Soon(ex.env, partial(_countermeasure, ex, r, cause, action))
    elif isinstance(r, NotificationView):
        Soon(ex.env, partial(_notify, ex, r, cause, action))
    else:
        bill = r.model
        assert isinstance(bill, Legislation)
        if ex.calendar is not None:  # (v2) the legislative calendar: sim/calendar.py
            from sim.calendar import legislate

            ex.env.process(legislate(ex.calendar.ex, bill, cause, action))
        else:
            _Bill(ex, r, bill, cause, action)


def _blocked(ex: Context, r: ResponseView, status: object, action: int | None) -> bool:
    """Whether a response not ready to start cannot start (recorded why): locked by a law
    not yet enacted, already running, or a bill already enacted. A response that failed or
    (not a bill) succeeded may start again."""
    rid = r.id
    if status == RESPONSE_LOCKED:
        laws = r.model.laws()
        missing = [law for law in laws if ex.state[law] != RESPONSE_SUCCEEDED] or laws
        reason = f"needs {_and(missing)} to be enacted first"
    elif status == RESPONSE_RUNNING:
        reason = "already running"
    elif status == RESPONSE_SUCCEEDED and isinstance(r.model, Legislation):
        reason = "already enacted"
    else:
        return False
    ex.record(
        ev.ResponseBlocked,
        response=rid,
        reason=reason,
        audience=audience(ex, r.model),
        action=action,
    )
    return True


def _and(laws: Sequence[str]) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c'."""
    quoted = [f"'{law}'" for law in laws]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _actor(r: AnyResponse) -> str:
    if isinstance(r, Countermeasure):
        return r.actor
    return r.sender if isinstance(r, Notification) else r.sponsor


def audience(ex: Context, r: AnyResponse) -> tuple[str, ...]:
    """Who hears of a response: the players, its actor and (a notification) its recipients;
    worked out once per scenario."""
    found = ex.audiences.get(r.id)
    if found is None:
        extra = tuple(r.to) if isinstance(r, Notification) else ()
        found = ex.audiences[r.id] = tuple(dict.fromkeys((*ex.players, _actor(r), *extra)))
    return found


def _begin(
    ex: Context,
    r: ResponseView,
    cause: Cause,
    duration: float | None,
    action: int | None = None,
) -> None:
    """The response starts now, to end after ``duration`` (None: not known, a bill's)."""
    now = float(ex.env._now)  # ex.now, without the property's call
    expected_end = None if duration is None else now + duration
    rid = r.id
    ex.active[rid] = ActiveResponse(rid, r.kind, r.actor, now, expected_end)
    if not ex.log:
        if cause.detail == "retry":  # (v2) noted (sim.engine._NOTES): only what it reads
            ex.record(ev.ResponseStarted, response=rid, origin=cause.parts)  # type: ignore[call-arg]
        else:  # any other start is counted only
            ex.recorded += 1
        return
    ex.record(
        ev.ResponseStarted,
        response=rid,
        response_kind=r.kind,
        actor=r.actor,
        cause=cause.text,
        origin=cause.parts,
        expected_end=expected_end,
        audience=audience(ex, r.model),
        action=action,
    )


def _succeed(
    ex: Context, r: ResponseView, summary: str, extra: dict[str, float] | None = None
) -> None:
    rid = r.id
    ex.active.pop(rid, None)
    ex.set_status(rid, RESPONSE_SUCCEEDED)
    if ex.log:
        ex.record(
            ev.ResponseFinished,
            response=rid,
            response_kind=r.kind,
            summary=summary,
            audience=audience(ex, r.model),
        )
    else:  # counted, and noted as sim.engine._NOTES notes it
        ex.recorded += 1
        ex.outcomes.succeeded.add(rid)
    if r.effects_plan:
        ex.apply_plan(r.effects_plan, r.cause, extra)
    if r.starts:
        _follow_on(ex, r, extra)


def _fail(ex: Context, r: ResponseView, reason: str, *args: object) -> None:
    """The response failed; ``reason`` is formatted with ``args`` (if any) only when kept."""
    rid = r.id
    ex.active.pop(rid, None)
    ex.set_status(rid, RESPONSE_FAILED)
    if ex.log:
        ex.record(
            ev.ResponseFailed,
            response=rid,
            response_kind=r.kind,
            reason=reason.format(*args) if args else reason,
            audience=audience(ex, r.model),
        )
    else:  # not a record the exercise notes: counted only
        ex.recorded += 1
    if r.failure_plan:
        ex.apply_plan(r.failure_plan, r.failed_cause)


def _follow_on(ex: Context, r: ResponseView, extra: dict[str, float] | None) -> None:
    rid = r.id
    for response, only_if in r.starts:
        if only_if is None or ex.truth(only_if, "response:%s.starts", rid):
            ex.launch(response, r.cause)


def _notify(
    ex: Context, r: NotificationView, cause: Cause, action: int | None, _e: simpy.Event
) -> None:
    """Wait the delay, deliver: what a process would do, as callbacks (sim/timers.py)."""

    def deliver(_e: simpy.Event | None) -> None:
        age = _age(ex, r.about)
        if not ex.log:  # not a record the exercise notes: counted only
            ex.recorded += 1
            _succeed(ex, r, "", {"age": age if age is not None else 0.0})
            return
        n = r.model
        ex.record(
            ev.NotificationDelivered,
            response=n.id,
            sender=n.sender,
            recipients=tuple(n.to),
            message=n.message or (n.title or n.id),
            age=age,
            audience=audience(ex, n),
        )
        extra = {"age": age if age is not None else 0.0}
        _succeed(ex, r, f"delivered to {', '.join(n.to)}", extra)

    delay = r.draw_delay(ex.rng(ex.streams[r.id]))
    _begin(ex, r, cause, delay, action)
    if delay > 0:
        Timer(ex.env, delay, deliver)
    else:
        deliver(None)


def _age(ex: Context, about: str | None) -> float | None:
    """Time since what a notification is about happened (a threat: since it was detected)."""
    if about is None:
        return None
    t = ex.happened_at.get(f"{about}:detected", ex.happened_at.get(about))
    return None if t is None else ex.now - t


def _countermeasure(
    ex: Context, r: CountermeasureView, cause: Cause, action: int | None, _e: simpy.Event
) -> None:
    """Wait for the actor's capacity, then the duration, then draw success: what a process
    with ``with resource.request()`` would do, as callbacks (sim/timers.py), each a function
    handed what it acts on (``partial``); the capacity is claimed and given back as that
    request would be (sim/capacity.py). It is given back where the process would leave the
    ``with`` block: when its duration is over."""
    rng = ex.rng(ex.streams[r.id])
    req = claim(ex.resources[r.actor])
    first = action  # the facilitator's action is linked from the first record: queued or started
    if req._value is PENDING:  # not req.triggered, without the property's call: queued
        if ex.log:
            ex.record(
                ev.ResponseQueued,
                response=r.id,
                actor=r.actor,
                audience=audience(ex, r.model),
                action=action,
            )
        else:  # not a record the exercise notes: counted only
            ex.recorded += 1
        first = None
    # as a process's ``yield req``: granted, now or later
    req.callbacks.append(partial(_granted, ex, r, cause, first, rng, req))


def _granted(
    ex: Context,
    r: CountermeasureView,
    cause: Cause,
    action: int | None,
    rng: Stream,
    req: Request,
    _e: simpy.Event,
) -> None:
    """The actor's capacity is the countermeasure's: it starts, for its drawn duration."""
    duration = r.draw_duration(rng)
    _begin(ex, r, cause, duration, action)
    done = partial(_countermeasure_done, ex, r, rng, req)
    if duration > 0:
        Timer(ex.env, duration, done)
    else:
        done(None)


def _countermeasure_done(
    ex: Context, r: CountermeasureView, rng: Stream, req: Request, _e: simpy.Event | None
) -> None:
    """Its duration is over: the capacity is released, and success is drawn."""
    give_back(req)
    rid = r.id
    p = ex.probability(r.success, "response:%s.success", rid)
    # chance(p, rng), inline: no draw at p <= 0 or p >= 1
    if p <= 0 or (not p >= 1 and not rng.random() < p):
        _fail(ex, r, "did not work (chance was {:.0%})", p)
        return
    by = r.cause
    threats = ex.threats
    done: list[str] = []  # (loops, not comprehensions: each of those is a call of its own)
    for t in r.stops:
        done.append(stop(ex, threats[t], by))
    if r.slows:
        for t, f in r.slows.items():
            done.append(slow(ex, threats[t], f, by))
    for t in r.reveals:
        if ex.state[t] == THREAT_UNDETECTED:
            detect(ex, threats[t], by)
            done.append(f"revealed {t}")
    _succeed(ex, r, ("; ".join(d for d in done if d) or "done") if ex.log else "")


class _Bill:
    """A bill's path through its stages, each tried up to its attempts (with a stall between
    them), each stage's actor's capacity held while it runs: what a process would do, as
    callbacks (sim/timers.py)."""

    __slots__ = ("action", "attempt", "cause", "ex", "r", "req", "rng", "stage", "view")

    def __init__(
        self, ex: Context, view: ResponseView, r: Legislation, cause: Cause, action: int | None
    ) -> None:
        self.ex, self.view, self.r, self.cause, self.action = ex, view, r, cause, action
        self.stage = 0
        self.attempt = 1
        self.req: Request | None = None
        Soon(ex.env, self._begin)

    def _begin(self, _e: simpy.Event) -> None:
        ex, r = self.ex, self.r
        self.rng = ex.rng(ex.streams[r.id])
        _begin(ex, self.view, self.cause, None, self.action)
        self._try()

    def _try(self) -> None:
        """Start the current attempt of the current stage (or finish: enacted)."""
        ex, r = self.ex, self.r
        if self.stage >= len(r.stages):
            unlock(ex, r)
            _succeed(ex, self.view, "enacted")
            return
        stage = r.stages[self.stage]
        ex.active[r.id] = ActiveResponse(
            r.id, r.kind, r.sponsor, ex.active[r.id].started, None, stage.id
        )
        if stage.actor is not None:
            req = self.req = claim(ex.resources[stage.actor])
            if not req.triggered:
                ex.record(ev.ResponseQueued, response=r.id, actor=stage.actor, audience=ev.EVERYONE)
            req.callbacks.append(self._granted)
        else:
            self._granted(None)

    def _granted(self, _e: simpy.Event | None) -> None:
        ex, r = self.ex, self.r
        stage = r.stages[self.stage]
        ex.record(
            ev.BillProgress, response=r.id, stage=stage.id, step="started", attempt=self.attempt
        )
        Timer(ex.env, sample(stage.duration, self.rng), self._ended)

    def _ended(self, _e: simpy.Event) -> None:
        ex, r, attempt = self.ex, self.r, self.attempt
        if self.req is not None:  # the process would leave its ``with resource.request()``
            give_back(self.req)
            self.req = None
        stage = r.stages[self.stage]
        p = ex.probability(stage.passes, "response:%s.%s", r.id, stage.id)
        if chance(p, self.rng):
            ex.record(
                ev.BillProgress, response=r.id, stage=stage.id, step="passed", attempt=attempt
            )
            self.stage += 1
            self.attempt = 1
            self._try()
            return
        if stage.stall is not None and attempt < stage.attempts:
            ex.record(
                ev.BillProgress, response=r.id, stage=stage.id, step="stalled", attempt=attempt
            )
            self.attempt += 1
            Timer(ex.env, sample(stage.stall, self.rng), self._stalled)
            return
        _fail(ex, self.view, "defeated at {}", stage.title or stage.id)

    def _stalled(self, _e: simpy.Event) -> None:
        self._try()


def unlock(ex: Context, r: Legislation) -> None:
    """A bill is enacted: the responses that require it, and no other bill not yet enacted,
    become ready."""
    for other in ex.responses.values():
        laws = other.laws()
        if (
            r.id in laws
            and ex.state[other.id] == RESPONSE_LOCKED
            and all(law == r.id or ex.state[law] == RESPONSE_SUCCEEDED for law in laws)
        ):
            ex.set_status(other.id, RESPONSE_READY)


begin = _begin
succeed = _succeed
fail = _fail
"""The steps every response shares, for the calendar's bills (sim/calendar.py)."""
