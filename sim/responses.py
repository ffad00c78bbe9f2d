"""The three first-class responses: notifying other actors, countermeasures, legislation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sim import events as ev
from sim.cause import Cause, CauseKind
from sim.chance import chance, sample
from sim.schema import Countermeasure, Legislation, Notification, ResponseBase
from sim.state import ActiveResponse
from sim.threats import detect, slow, stop
from sim.vocab import ResponseStatus, ThreatStatus

if TYPE_CHECKING:
    from sim.context import Context, Process

AnyResponse = Notification | Countermeasure | Legislation


def start_response(ex: Context, r: AnyResponse, cause: Cause, action: int | None = None) -> None:
    """Start a response, or record why it cannot start (``action``: the facilitator's action
    that started it, linked from its first record)."""
    status = ex.value(r.id)
    if status == ResponseStatus.LOCKED:
        laws = r.laws()
        missing = [law for law in laws if ex.value(law) != ResponseStatus.SUCCEEDED] or laws
        ex.record(
            ev.ResponseBlocked,
            response=r.id,
            reason=f"needs {_and(missing)} to be enacted first",
            audience=_audience(ex, r),
            action=action,
        )
        return
    if status == ResponseStatus.RUNNING or (
        isinstance(r, Legislation) and status == ResponseStatus.SUCCEEDED
    ):
        reason = "already running" if status == ResponseStatus.RUNNING else "already enacted"
        ex.record(
            ev.ResponseBlocked,
            response=r.id,
            reason=reason,
            audience=_audience(ex, r),
            action=action,
        )
        return
    ex.set_status(r.id, ResponseStatus.RUNNING)
    match r:
        case Notification():
            ex.env.process(_notify(ex, r, cause, action))
        case Countermeasure():
            ex.env.process(_countermeasure(ex, r, cause, action))
        case Legislation():
            if ex.calendar is not None:  # (v2) the legislative calendar: sim/calendar.py
                from sim.calendar import legislate

                ex.env.process(legislate(ex.calendar.ex, r, cause, action))
            else:
                ex.env.process(_legislate(ex, r, cause, action))


def _and(laws: Sequence[str]) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c'."""
    quoted = [f"'{law}'" for law in laws]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _actor(r: AnyResponse) -> str:
    match r:
        case Notification():
            return r.sender
        case Countermeasure():
            return r.actor
        case Legislation():
            return r.sponsor


def _audience(ex: Context, r: AnyResponse) -> tuple[str, ...]:
    """Who hears of a response: the players, its actor and (a notification) its recipients;
    worked out once per scenario."""
    found = ex.audiences.get(r.id)
    if found is None:
        extra = tuple(r.to) if isinstance(r, Notification) else ()
        found = ex.audiences[r.id] = tuple(dict.fromkeys((*ex.players, _actor(r), *extra)))
    return found


def _begin(
    ex: Context,
    r: AnyResponse,
    cause: Cause,
    expected_end: float | None,
    action: int | None = None,
) -> None:
    ex.active[r.id] = ActiveResponse(r.id, r.kind, _actor(r), ex.now, expected_end)
    ex.record(
        ev.ResponseStarted,
        response=r.id,
        response_kind=r.kind,
        actor=_actor(r),
        cause=cause.text if ex.log else "",
        origin=cause.parts,
        expected_end=expected_end,
        audience=_audience(ex, r),
        action=action,
    )


def _succeed(
    ex: Context, r: AnyResponse, summary: str, extra: dict[str, float] | None = None
) -> None:
    ex.active.pop(r.id, None)
    ex.set_status(r.id, ResponseStatus.SUCCEEDED)
    ex.record(
        ev.ResponseFinished,
        response=r.id,
        response_kind=r.kind,
        summary=summary,
        audience=_audience(ex, r),
    )
    ex.apply_effects(r.effects, Cause(CauseKind.RESPONSE, r.id), extra=extra)
    _follow_on(ex, r, extra)


def _fail(ex: Context, r: Countermeasure | Legislation, reason: str, *args: object) -> None:
    """The response failed; ``reason`` is formatted with ``args`` (if any) only when kept."""
    ex.active.pop(r.id, None)
    ex.set_status(r.id, ResponseStatus.FAILED)
    ex.record(
        ev.ResponseFailed,
        response=r.id,
        response_kind=r.kind,
        reason=reason.format(*args) if args and ex.log else reason,
        audience=_audience(ex, r),
    )
    ex.apply_effects(r.failure_effects, Cause(CauseKind.RESPONSE, r.id, "failed"))


def _follow_on(ex: Context, r: ResponseBase, extra: dict[str, float] | None) -> None:
    for follow in r.starts:
        if follow.only_if is None or ex.truth(follow.only_if, "response:%s.starts", r.id):
            ex.launch(follow.response, Cause(CauseKind.RESPONSE, r.id))


def _notify(ex: Context, r: Notification, cause: Cause, action: int | None) -> Process:
    delay = sample(r.delay, ex.rng(f"response:{r.id}"))
    _begin(ex, r, cause, ex.now + delay, action)
    if delay > 0:
        yield ex.env.timeout(delay)
    age = _age(ex, r.about)
    ex.record(
        ev.NotificationDelivered,
        response=r.id,
        sender=r.sender,
        recipients=tuple(r.to),
        message=r.message or (r.title or r.id),
        age=age,
        audience=_audience(ex, r),
    )
    extra = {"age": age if age is not None else 0.0}
    _succeed(ex, r, f"delivered to {', '.join(r.to)}" if ex.log else "", extra)


def _age(ex: Context, about: str | None) -> float | None:
    """Time since what a notification is about happened (a threat: since it was detected)."""
    if about is None:
        return None
    t = ex.happened_at.get(f"{about}:detected", ex.happened_at.get(about))
    return None if t is None else ex.now - t


def _countermeasure(ex: Context, r: Countermeasure, cause: Cause, action: int | None) -> Process:
    rng = ex.rng(f"response:{r.id}")
    resource = ex.resources[r.actor]
    with resource.request() as req:
        if not req.triggered:
            ex.record(
                ev.ResponseQueued,
                response=r.id,
                actor=r.actor,
                audience=_audience(ex, r),
                action=action,
            )
            action = None
        yield req
        duration = sample(r.duration, rng)
        _begin(ex, r, cause, ex.now + duration, action)
        if duration > 0:
            yield ex.env.timeout(duration)
    p = ex.probability(r.success, "response:%s.success", r.id)
    if not chance(p, rng):
        _fail(ex, r, "did not work (chance was {:.0%})", p)
        return
    by = Cause(CauseKind.RESPONSE, r.id)
    done = [stop(ex, ex.threats[t], by) for t in r.stops]
    done += [slow(ex, ex.threats[t], f, by) for t, f in r.slows.items()]
    for t in r.reveals:
        if ex.value(t) == ThreatStatus.UNDETECTED:
            detect(ex, ex.threats[t], by)
            done.append(f"revealed {t}")
    _succeed(ex, r, "; ".join(d for d in done if d) or "done")


def _legislate(ex: Context, r: Legislation, cause: Cause, action: int | None) -> Process:
    rng = ex.rng(f"response:{r.id}")
    _begin(ex, r, cause, None, action)
    audience = ev.EVERYONE
    for stage in r.stages:
        for attempt in range(1, stage.attempts + 1):
            ex.active[r.id] = ActiveResponse(
                r.id, r.kind, r.sponsor, ex.active[r.id].started, None, stage.id
            )
            if stage.actor is not None:
                with ex.resources[stage.actor].request() as req:
                    if not req.triggered:
                        ex.record(
                            ev.ResponseQueued, response=r.id, actor=stage.actor, audience=audience
                        )
                    yield req
                    ex.record(
                        ev.BillProgress,
                        response=r.id,
                        stage=stage.id,
                        step="started",
                        attempt=attempt,
                    )
                    yield ex.env.timeout(sample(stage.duration, rng))
            else:
                ex.record(
                    ev.BillProgress, response=r.id, stage=stage.id, step="started", attempt=attempt
                )
                yield ex.env.timeout(sample(stage.duration, rng))
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
                yield ex.env.timeout(sample(stage.stall, rng))
                continue
            _fail(ex, r, "defeated at {}", stage.title or stage.id)
            return
    unlock(ex, r)
    _succeed(ex, r, "enacted")


def unlock(ex: Context, r: Legislation) -> None:
    """A bill is enacted: the responses that require it, and no other bill not yet enacted,
    become ready."""
    for other in ex.responses.values():
        laws = other.laws()
        if (
            r.id in laws
            and ex.value(other.id) == ResponseStatus.LOCKED
            and all(law == r.id or ex.value(law) == ResponseStatus.SUCCEEDED for law in laws)
        ):
            ex.set_status(other.id, ResponseStatus.READY)


begin = _begin
succeed = _succeed
fail = _fail
"""The steps every response shares, for the calendar's bills (sim/calendar.py)."""
