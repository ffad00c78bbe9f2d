"""Event records: the engine's only output, read alike by the console, the runner and reports.

Each record is frozen, carries its sequence number and scenario time, and says who may see
it. ``audience`` is a tuple of actor ids, ``("*",)`` for everyone, or ``()`` for the
facilitator only (an undetected intrusion is real in the engine but unknown to players).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

EVERYONE: tuple[str, ...] = ("*",)
FACILITATOR_ONLY: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened at a scenario time."""

    kind: ClassVar[str] = "event"
    seq: int = -1
    """Position in the event log, from 0 (stamped by the exercise when it records it)."""
    time: float = 0.0
    """Scenario time, in the scenario's time unit (stamped by the exercise)."""
    audience: tuple[str, ...] = EVERYONE
    """Actor ids who know of it; ("*",) everyone; () the facilitator only."""

    def visible_to(self, actors: Iterable[str]) -> bool:
        """Whether any of these actors (e.g. the players' side) knows of this event."""
        if self.audience == EVERYONE:
            return True
        return any(a in self.audience for a in actors)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with a stable key order: seq, time, kind, audience, then fields."""
        out: dict[str, Any] = {"seq": self.seq, "time": self.time, "kind": self.kind}
        for f in dataclasses.fields(self):
            if f.name in ("seq", "time"):
                continue
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseStarted(Event):
    kind: ClassVar[str] = "exercise_started"
    scenario: str
    seed: int
    start: str
    """Scenario date-time at time 0, ISO 8601."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseEnded(Event):
    kind: ClassVar[str] = "exercise_ended"
    reason: str
    """'horizon' when the scenario's time ran out, 'facilitator' when ended early."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InjectDelivered(Event):
    kind: ClassVar[str] = "inject_delivered"
    inject: str
    sender: str
    recipients: tuple[str, ...]
    text: str
    contingency: bool = False
    by_facilitator: bool = False
    """True for contingency and free-text injects the facilitator fired."""
    reason: str = ""
    """Why the facilitator fired it (facilitator-only: the players' view leaves it out)."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InjectSkipped(Event):
    kind: ClassVar[str] = "inject_skipped"
    inject: str
    reason: str
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionOpened(Event):
    kind: ClassVar[str] = "decision_opened"
    decision: str
    owner: str
    prompt: str
    options: tuple[str, ...]
    deadline: float
    """Scenario time by which the players must choose."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionMade(Event):
    kind: ClassVar[str] = "decision_made"
    decision: str
    option: str
    by: str
    """'players', 'playbook', 'random' or 'deadline' (the default applied when time ran out)."""
    reason: str = ""
    """Why the engine applied it (the deadline default's 'no decision by the deadline')."""
    rationale: str = ""
    """Why the room (or playbook) chose it, as given with the choice."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseQueued(Event):
    kind: ClassVar[str] = "response_queued"
    response: str
    actor: str
    """The actor whose capacity it waits for."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseStarted(Event):
    kind: ClassVar[str] = "response_started"
    response: str
    response_kind: str
    actor: str
    cause: str
    """What started it: 'decision:<id>.<option>', 'response:<id>', 'facilitator'."""
    origin: tuple[str, ...] = ()
    """The cause as data: (kind, id, detail), e.g. ("decision", "answer", "deny")."""
    expected_end: float | None = None
    """When it is expected to finish if nothing intervenes (None for bills: path unknown)."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFinished(Event):
    kind: ClassVar[str] = "response_finished"
    response: str
    response_kind: str
    summary: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseFailed(Event):
    kind: ClassVar[str] = "response_failed"
    response: str
    response_kind: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseBlocked(Event):
    kind: ClassVar[str] = "response_blocked"
    response: str
    reason: str
    """Why it could not start: a law it requires is not enacted, or it is already running."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NotificationDelivered(Event):
    kind: ClassVar[str] = "notification_delivered"
    response: str
    sender: str
    recipients: tuple[str, ...]
    message: str
    age: float | None = None
    """Time since what it is about happened, when it is about something."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BillProgress(Event):
    kind: ClassVar[str] = "bill_progress"
    response: str
    stage: str
    step: str
    """'started', 'passed' or 'stalled'; (v2) 'waiting' (for a sitting), 'carried_over' (to
    the next sitting) or 'resumed' (in the next sitting)."""
    attempt: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatStarted(Event):
    kind: ClassVar[str] = "threat_started"
    threat: str
    actor: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatStageReached(Event):
    kind: ClassVar[str] = "threat_stage_reached"
    threat: str
    stage: str
    detected: bool
    """Whether the defenders know of the campaign at this point."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatDetected(Event):
    kind: ClassVar[str] = "threat_detected"
    threat: str
    stage: str
    by: str
    """'monitoring' (the stage's own chance) or 'response:<id>'."""
    origin: tuple[str, ...] = ()
    """Who did it, as data: (kind, id, detail), e.g. ("response", "hunt", "")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatSlowed(Event):
    kind: ClassVar[str] = "threat_slowed"
    threat: str
    factor: float
    by: str
    origin: tuple[str, ...] = ()
    """Who did it, as data: (kind, id, detail), e.g. ("response", "hunt", "")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatStopped(Event):
    kind: ClassVar[str] = "threat_stopped"
    threat: str
    stage: str
    """The stage it was stopped in ('' if stopped before it began)."""
    by: str
    origin: tuple[str, ...] = ()
    """Who did it, as data: (kind, id, detail), e.g. ("response", "hunt", "")."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatCompleted(Event):
    kind: ClassVar[str] = "threat_completed"
    threat: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VariableChanged(Event):
    kind: ClassVar[str] = "variable_changed"
    variable: str
    old: float
    new: float
    cause: str
    """What changed it, e.g. 'inject:nsa_warning', 'decision:answer.deny', 'facilitator: reason';
    'unexplained' when an undetected threat did it (players must not learn of it this way)."""
    hidden_cause: str = ""
    """The real cause when `cause` is 'unexplained': for the facilitator only."""
    origin: tuple[str, ...] = ()
    """The cause as data: (kind, id, detail), e.g. ("decision", "answer", "deny")."""
    hidden_origin: tuple[str, ...] = ()
    """The real cause as data when `cause` is 'unexplained': for the facilitator only."""
    reason: str = ""
    """The facilitator's reason for an adjustment (facilitator-only: players never see it)."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveEvaluated(Event):
    kind: ClassVar[str] = "objective_evaluated"
    objective: str
    rating: str
    """'met', 'partially' or 'not_met'."""
    evidence: str
    """The evidence in words (the controller's; the players' view words it without hidden
    values)."""
    measure: str = "end"
    """How it is judged: 'end' (values at the end), 'by' (held by a deadline), 'throughout'."""
    values: dict[str, float | int | bool | str] = dataclasses.field(default_factory=dict)
    """Each name the objective reads, and its value at the end."""
    first_held: float | None = None
    """When its condition first held ('by' objectives)."""
    stopped_holding: float | None = None
    """When its condition first stopped holding ('throughout' objectives)."""
    deadline: float | None = None
    """The time it had to hold by ('by' objectives)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveRated(Event):
    """An evaluator rated an objective by hand (``rated_by: evaluator``; the Rate command)."""

    kind: ClassVar[str] = "objective_rated"
    objective: str
    rating: str
    """'met', 'partially' or 'not_met'."""
    note: str = ""
    """The evaluator's note (for the controller view: the players' view leaves it out)."""
    by: str = "evaluator"
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FacilitatorNote(Event):
    kind: ClassVar[str] = "facilitator_note"
    text: str
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ObservationRecorded(Event):
    """An evaluator's observation for the after-action report (controller-only)."""

    kind: ClassVar[str] = "observation_recorded"
    text: str
    objective: str = ""
    """The objective it bears on ('' if none)."""
    assessment: str = ""
    """'strength', 'improvement' or ''."""
    action: int | None = None
    """The action (``LoggedCommand.action``) this record is the trace of; None: the engine's own."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpressionFailed(Event):
    kind: ClassVar[str] = "expression_failed"
    where: str
    expression: str
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentRefused(Event):
    """(v2) An actor refused the consent an option needs; the decision's default applies."""

    kind: ClassVar[str] = "consent_refused"
    decision: str
    option: str
    actor: str
    text: str
    """What the room is told."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ThreatBranched(Event):
    """(v2) A campaign took a branch when a stage ended (for the facilitator only, always)."""

    kind: ClassVar[str] = "threat_branched"
    threat: str
    stage: str
    """The stage that ended."""
    to: str
    """The stage the campaign goes to; '' when the branch ends the campaign."""
    chance: float
    """The branch's chance among the branches possible then (1: the only one)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseRetry(Event):
    """(v2) A failed response will be tried again, or its retries end; the room is told."""

    kind: ClassVar[str] = "response_retry"
    response: str
    attempt: int
    """The attempt it would be (2: the first retry)."""
    due: float
    """When the attempt starts (or was due)."""
    step: str
    """'planned' (at the failure) or 'dropped' (when due, its 'while' no longer held)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ParliamentOpened(Event):
    """(v2) A sitting of the calendar opens: bills' sitting stages progress again."""

    kind: ClassVar[str] = "parliament_opened"
    sitting: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParliamentClosed(Event):
    """(v2) A sitting ends: at its time ('end') or early, by dissolution ('dissolved')."""

    kind: ClassVar[str] = "parliament_closed"
    sitting: str
    title: str
    reason: str
    """'end' or 'dissolved'."""
    text: str = ""
    """What the room is told of a dissolution."""


SHOWN_FIELDS: tuple[str, ...] = ("text", "prompt", "message", "rationale", "title", "expression")
"""The fields that carry the scenario's (or a playbook's) prose, of any record that has them:
what a run's text budget counts (sim.limits.MAX_TEXT)."""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        ExerciseStarted,
        ExerciseEnded,
        InjectDelivered,
        InjectSkipped,
        DecisionOpened,
        DecisionMade,
        ResponseQueued,
        ResponseStarted,
        ResponseFinished,
        ResponseFailed,
        ResponseBlocked,
        NotificationDelivered,
        BillProgress,
        ThreatStarted,
        ThreatStageReached,
        ThreatDetected,
        ThreatSlowed,
        ThreatStopped,
        ThreatCompleted,
        VariableChanged,
        ObjectiveEvaluated,
        ObjectiveRated,
        FacilitatorNote,
        ObservationRecorded,
        ExpressionFailed,
        ConsentRefused,
        ThreatBranched,
        ResponseRetry,
        ParliamentOpened,
        ParliamentClosed,
    )
}
"""Every event kind and its record class (for reading logs back)."""


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild a record from :meth:`Event.to_dict` output (e.g. a session log)."""
    values = dict(data)
    cls = EVENT_TYPES[values.pop("kind")]
    names = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in names}
    return cls(**kwargs)  # type: ignore[arg-type]


def _slot_init(cls: type[Event]) -> None:
    """Give a record class an ``__init__`` that stores its fields through their slots.

    A frozen dataclass's generated ``__init__`` stores each field with ``object.__setattr__``,
    which made building a record a large share of an engine run. This one takes the same
    keyword arguments with the same defaults and stores through the slots' descriptors, about
    a third faster; the record stays frozen (assigning a field still raises
    ``FrozenInstanceError``). Classes with ``__post_init__`` or fields left out of
    ``__init__`` keep the generated one.
    """
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or not all(f.init and f.kw_only for f in fields):
        return
    namespace: dict[str, Any] = {"_MISSING": dataclasses.MISSING}
    params, body = [], []
    for f in fields:
        owner = next(c for c in cls.__mro__ if f.name in c.__dict__)
        namespace[f"_set_{f.name}"] = owner.__dict__[f.name].__set__
        if f.default is not dataclasses.MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            body.append(f"    if {f.name} is _MISSING: {f.name} = _factory_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, *, {', '.join(params)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # the same technique as dataclasses itself; no input reaches it
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]


for _cls in EVENT_TYPES.values():
    _slot_init(_cls)


SHOWN: dict[type[Event], tuple[str, ...]] = {
    cls: names
    for cls in EVENT_TYPES.values()
    if (names := tuple(f.name for f in dataclasses.fields(cls) if f.name in SHOWN_FIELDS))
}
"""Each record class that carries prose, and its fields that do (see ``SHOWN_FIELDS``)."""
