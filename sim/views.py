"""What each audience may know: the players' view and the controller's, owned by the engine.

One projection decides what the players may see, for every front end (the console, ``run
--view players`` in text and JSON, and later the projector and reports): the records (only
those whose audience includes a player, with facilitator-only fields left out), the MSEL
(nothing of an inject before it reaches the players, unless its author gave a
``players_title`` for a publicly scheduled event), the objectives (a rating that reads
something the players do not know is withheld until the exercise ends; evidence never shows
a hidden value), the variables they can see and the actors on their side.

The controller view is everything. Nothing downstream filters by matching text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim import events as ev
from sim.cause import UNEXPLAINED, CauseKind
from sim.commands import Advance
from sim.evidence import Evidence, Measure, evidence_text
from sim.schema import Countermeasure, Scenario

if TYPE_CHECKING:
    from sim.engine import ActiveResponse, Exercise, OpenDecision
    from sim.schema import Option


@dataclass(frozen=True, slots=True)
class MselLine:
    """One line of the MSEL as a viewer may see it."""

    key: str
    """The inject's id; for players, '' until the inject has reached them."""
    title: str
    time: float | None
    """Delivery time if known to this viewer, else None."""
    status: str
    """'delivered', 'pending' or 'skipped' (players: 'delivered' or 'scheduled')."""
    contingency: bool = False
    sender: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RatingView:
    """An objective's standing as a viewer may see it."""

    objective: str
    description: str
    rating: str | None
    """'met', 'partially', 'not_met'; None while it reads what this viewer does not know."""
    evidence: str
    final: bool = False
    note: str = ""
    """An evaluator's note on the objective's rating while the exercise runs (the controller
    view only; once it has ended, the note is in the evidence)."""


@dataclass(frozen=True, slots=True)
class ActorView:
    """An actor's capacity in use and the responses of it this viewer knows of."""

    actor: str
    used: int
    capacity: int
    jobs: tuple[ActiveResponse, ...]


@dataclass(frozen=True, slots=True)
class View:
    """Everything one audience may know of an exercise at one moment."""

    controller: bool
    now: float
    finished: bool
    records: tuple[ev.Event, ...]
    msel: tuple[MselLine, ...]
    ratings: tuple[RatingView, ...]
    variables: dict[str, float]
    actors: tuple[ActorView, ...]
    open_decisions: tuple[OpenDecision, ...]
    sitting: str = ""
    """(v2 calendar) The title of the sitting of parliament open now ('' if none): the
    calendar is public, so both audiences see it."""


WITHHELD = "depends on what the players do not know yet"

WITHHELD_TEXT = "(withheld: it names what the players cannot see)"
"""What the players see (and their edition of the report shows) instead of typed text that
names a secret."""


def view(ex: Exercise, controller: bool) -> View:
    """The controller's view (everything) or the players' view of the exercise now."""
    hide = frozenset() if controller else unsayable(ex)
    seen = tuple(records(ex, controller, hide))
    return View(
        controller=controller,
        now=ex.now if controller else players_now(ex),
        finished=ex.finished,
        records=seen,
        msel=tuple(msel(ex, controller)),
        ratings=tuple(ratings(ex, controller, hide)),
        variables=variables(ex, controller),
        actors=tuple(actors(ex, controller, seen)),
        open_decisions=tuple(
            sorted(
                (d for d in ex.open_decisions.values() if controller or rooms(ex, d)),
                key=lambda d: (d.opened, d.decision.id),
            )
        ),
        sitting=sitting(ex),
    )


def players_now(ex: Exercise) -> float:
    """The scenario time as the players may know it: where the clock rests, unless it rests
    where it stopped for something they cannot see (the controller view's next event, a
    stage of a campaign they have not detected); then the last time they could know of.

    A time is known to the players when they see a record of it, when the clock reached a
    time it was sent to (play, a pause before a deadline, the horizon), or when the exercise
    has ended. An advance that stopped early, at a record the players cannot see, tells them
    nothing: their clock stays where it was, and moves on with the next advance that reaches
    its target (see ``sim.pacing.play_target``, which counts play's steps from this time)."""
    if ex.finished:
        return ex.now
    known = 0.0
    for r in reversed(ex.records):
        if r.visible_to(ex.players):
            known = r.time
            break
    log = ex.command_log
    rest = ex.now
    for entry in reversed(log):
        c = entry.command
        if rest <= known:
            break
        if isinstance(c, Advance) and c.to > entry.at and rest >= min(c.to, ex.horizon):
            return max(known, rest)
        rest = entry.at
    return known


def rooms(ex: Exercise, od: OpenDecision) -> bool:
    """Whether an open decision is the room's: its owner is on the players' side. Another
    actor's (an adversary's, an ally's) is for the controller view only, as its records are
    (``Exercise.decision_audience``)."""
    return od.decision.owner in ex.players


def sitting(ex: Exercise) -> str:
    """The title of the sitting of parliament open now, '' if none (v2 calendar)."""
    cal = ex.calendar
    if cal is None or cal.current is None:
        return ""
    return cal.current.title or cal.current.id


def secrets(ex: Exercise) -> frozenset[str]:
    """Names whose values players may not learn now: hidden variables, threats they have not
    detected, and injects that have not reached them."""
    told = {r.inject for r in ex.records if isinstance(r, ev.InjectDelivered) and _seen(ex, r)}
    return frozenset(
        [n for n, v in ex.scenario.variables.items() if v.hidden]
        + [t.id for t in ex.scenario.threats if t.id not in ex.threat_detected]
        + [i.id for i in ex.scenario.injects if i.id not in told]
    )


def covert_actors(scenario: Scenario) -> frozenset[str]:
    """The actors the players' view never lists (the briefing, the picker, the actors panel,
    the free-text dialog, the situation manual): the adversaries, and any other actor outside
    the players' side that runs a threat (an insider operator, an ally that spies), whose
    campaign the room must not learn of by seeing who is behind it."""
    behind = {t.actor for t in scenario.threats}
    return frozenset(
        a.id
        for a in scenario.actors
        if a.affiliation == "adversary" or (a.id in behind and not a.is_player)
    )


def unsayable(ex: Exercise) -> frozenset[str]:
    """Names that free text shown to the players (a rationale, a plan row, an evaluator's
    words) must not mention: the secrets, and the covert actors (adversaries, and any other
    actor behind a threat) behind no campaign they have detected."""
    scenario = ex.scenario
    known = {t.actor for t in scenario.threats if t.id in ex.threat_detected}
    unmet = covert_actors(scenario) - known
    return secrets(ex) | unmet


def mentions_any(text: str, names: Collection[str]) -> bool:
    """Whether ``text`` names any of ``names`` as a word (``secretvar``, not ``secretvars``)."""
    return any(_word(name).search(text) for name in names)


def _word(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])")


def records(ex: Exercise, controller: bool, hide: frozenset[str] | None = None) -> list[ev.Event]:
    """Every record (controller) or the players' records, facilitator-only fields left out."""
    if controller:
        return list(ex.records)
    if hide is None:
        hide = unsayable(ex)
    out = []
    for r in ex.records:
        if _seen(ex, r):
            if isinstance(r, ev.ResponseRetry) and _retry_reads(ex, r.response) & hide:
                # 'will not be tried again: the reason to retry has gone' would tell the room
                # that a condition on what it cannot see turned: the retries are left unsaid
                continue
            shown = players_record(r, hide, ex.clock_text)
            if isinstance(shown, ev.ResponseFailed) and _chance_reads(ex, shown.response) & hide:
                # 'did not work (chance was 45%)' would give away what the chance reads
                shown = dataclasses.replace(shown, reason=CHANCE_UNTOLD)
            out.append(shown)
    return out


CHANCE_UNTOLD = "did not work"
"""A failed countermeasure's reason for the players when its chance of success reads what
they cannot see (a hidden variable, an undetected threat's status)."""


def _chance_reads(ex: Exercise, response: str) -> frozenset[str]:
    """The names a countermeasure's chance of success reads (none for a plain number)."""
    found = ex.views.responses.get(response)
    model = None if found is None else found.model
    if not isinstance(model, Countermeasure) or not isinstance(model.success, str):
        return frozenset()
    return frozenset(ex.compiled.expr(model.success).names)


def _retry_reads(ex: Exercise, response: str) -> frozenset[str]:
    """The names a response's retry condition (``while``) reads (none without one)."""
    found = ex.views.responses.get(response)
    retry = None if found is None else getattr(found.model, "retry", None)
    if retry is None or retry.while_ is None:
        return frozenset()
    return frozenset(ex.compiled.expr(retry.while_).names)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""Names in a text: the ids it may mention."""


def players_record(r: ev.Event, hide: Collection[str], when: Callable[[float], str]) -> ev.Event:
    """A record the players may see, without what is for the facilitator only."""
    match r:
        case ev.VariableChanged() if _untold(r.origin, hide):
            # the effect of an inject the players never received (between two actors not on
            # their side): seen as an undetected threat's would be, unexplained
            return dataclasses.replace(
                r,
                cause=UNEXPLAINED.text,
                origin=UNEXPLAINED.parts,
                reason="",
                hidden_cause="",
                hidden_origin=(),
            )
        case ev.VariableChanged() if r.reason or r.hidden_cause or r.hidden_origin:
            return dataclasses.replace(r, reason="", hidden_cause="", hidden_origin=())
        case ev.ThreatDetected() | ev.ThreatSlowed() | ev.ThreatStopped() if _untold(
            r.origin, hide
        ):
            return dataclasses.replace(r, by=UNEXPLAINED.text, origin=UNEXPLAINED.parts)
        case ev.InjectDelivered() if r.reason:
            return dataclasses.replace(r, reason="")
        case ev.ObjectiveRated() if r.note:
            # As on the objectives panel: the room sees the rating, never the evaluator's note
            # while it runs (one given after the end is in the final rating's evidence).
            return dataclasses.replace(r, note="")
        case ev.DecisionMade() if any(n in hide for n in _NAME.findall(r.rationale)):
            # e.g. a playbook's "(because stolen_data > 10)" reading a hidden variable
            return dataclasses.replace(r, rationale="(the reason reads what players cannot see)")
        case ev.ObjectiveEvaluated() if r.measure == Measure.EVALUATOR:
            if any(n in hide for n in _NAME.findall(r.evidence)):  # the evaluator's note
                return dataclasses.replace(r, evidence="rated by the evaluator")
            return r
        case ev.ObjectiveEvaluated():
            facts = Evidence(
                Measure(r.measure),
                r.values,
                True,
                r.time,
                first_held=r.first_held,
                stopped_holding=r.stopped_holding,
                deadline=r.deadline,
            )
            shown = {k: v for k, v in r.values.items() if k not in hide}
            return dataclasses.replace(r, evidence=evidence_text(facts, when, hide), values=shown)
    return r


def _untold(origin: tuple[str, ...], hide: Collection[str]) -> bool:
    """Whether a cause is an inject the players have not received (its id is a secret)."""
    return len(origin) == 3 and origin[0] == CauseKind.INJECT and origin[1] in hide


def msel(ex: Exercise, controller: bool) -> list[MselLine]:
    """The MSEL in time order. Players see the injects that reached them, and the others only
    through an author's ``players_title`` (with their time if fixed), whatever became of
    them."""
    delivered = {r.inject: r for r in ex.records if isinstance(r, ev.InjectDelivered) and r.inject}
    out: list[MselLine] = []
    for inj in ex.scenario.injects:
        status = str(ex.value(inj.id))
        got = delivered.get(inj.id)
        if controller:
            t = ex.happened_at.get(inj.id)
            if t is None and inj.at is not None:
                t = inj.at
            out.append(
                MselLine(
                    inj.id,
                    inj.controllers_title or inj.title or inj.id,
                    t,
                    status,
                    inj.contingency,
                    inj.sender,
                    tuple(inj.to),
                )
            )
        elif got is not None and _seen(ex, got):
            out.append(
                MselLine(
                    inj.id,
                    inj.title or inj.id,
                    got.time,
                    "delivered",
                    inj.contingency,
                    inj.sender,
                    tuple(inj.to),
                )
            )
        elif inj.players_title and not inj.contingency:
            # A publicly scheduled event stays on the players' MSEL until it reaches them,
            # whether it is still to come, was skipped (its 'if' was false) or went to others:
            # its vanishing would tell the room when a hidden 'when' held, or that an 'if' was
            # false.
            fixed = inj.at if inj.when is None and inj.after is None else None
            out.append(MselLine("", inj.players_title, fixed, "scheduled"))
    return sorted(out, key=lambda e: (e.time is None, e.time or 0.0))


def ratings(ex: Exercise, controller: bool, hide: frozenset[str] | None = None) -> list[RatingView]:
    """Each objective's standing now (final ratings once the exercise has ended)."""
    final = final_ratings(ex.records, ex.clock_text) if ex.finished else {}
    if hide is None:
        hide = frozenset() if controller else unsayable(ex)
    out = []
    for obj in ex.scenario.objectives:
        done = final.get(obj.id)
        if done is not None:
            shown = done if controller else players_record(done, hide, ex.clock_text)
            assert isinstance(shown, ev.ObjectiveEvaluated)
            out.append(RatingView(obj.id, obj.description, shown.rating, shown.evidence, True))
            continue
        r = ex.rate(obj.id)
        reads = set(r.facts.values) | _partially_names(ex, obj.id)
        if not controller and reads & hide:
            out.append(RatingView(obj.id, obj.description, None, WITHHELD))
            continue
        given = ex.hand_ratings.get(obj.id) if controller else None
        out.append(
            RatingView(
                obj.id,
                obj.description,
                r.rating,
                evidence_text(r.facts, ex.clock_text, hide),
                note="" if given is None else given[1],
            )
        )
    return out


def final_ratings(
    records: Sequence[ev.Event], when: Callable[[float], str]
) -> dict[str, ev.ObjectiveEvaluated]:
    """Each objective's final rating: its evaluation at the end, replaced by an evaluator's
    rating given after the end (in the debrief), the last one counting."""
    out: dict[str, ev.ObjectiveEvaluated] = {}
    ended = False
    for r in records:
        if isinstance(r, ev.ObjectiveEvaluated):
            out[r.objective] = r
        elif isinstance(r, ev.ExerciseEnded):
            ended = True
        elif ended and isinstance(r, ev.ObjectiveRated) and r.objective in out:
            out[r.objective] = dataclasses.replace(
                out[r.objective],
                rating=r.rating,
                evidence=f"rated by the evaluator at {when(r.time)}"
                + (f": {r.note}" if r.note else ""),
                first_held=r.time,
            )
    return out


def variables(ex: Exercise, controller: bool) -> dict[str, float]:
    """Current values of the variables this viewer may see."""
    values = ex.variables()
    if controller:
        return values
    return {k: v for k, v in values.items() if not ex.scenario.variables[k].hidden}


def actors(
    ex: Exercise, controller: bool, seen: Sequence[ev.Event] | None = None
) -> list[ActorView]:
    """The actors (players: not the covert ones, see ``covert_actors``) and the responses
    of theirs this viewer knows of."""
    if seen is None:
        seen = records(ex, controller)
    known = {r.response for r in seen if isinstance(r, ev.ResponseStarted)}
    out = []
    covert = frozenset() if controller else covert_actors(ex.scenario)
    for a in ex.scenario.actors:
        if a.id in covert:
            continue
        used, cap = ex.busy(a.id)
        jobs = tuple(
            j for j in ex.active.values() if j.actor == a.id and (controller or j.response in known)
        )
        out.append(ActorView(a.id, used, cap, jobs))
    return out


def offered(od: OpenDecision) -> tuple[Option, ...]:
    """The options of an open decision the room may choose now, in the scenario's order: an
    option whose condition (v2 ``if``) was false when it was posed is hidden from the players
    and refused if chosen, so it is neither shown nor numbered."""
    options = od.decision.options
    if not od.offered:
        return tuple(options)
    return tuple(o for o in options if o.id in od.offered)


def not_offered(od: OpenDecision) -> tuple[Option, ...]:
    """The options of an open decision not offered now (the controller view may list them)."""
    if not od.offered:
        return ()
    return tuple(o for o in od.decision.options if o.id not in od.offered)


def describe_for(ex: Exercise, controller: bool) -> Sequence[str]:
    """One plain line per record this viewer may see (what ``run --view`` prints)."""
    from sim.describe import describe

    return [describe(r, ex.scenario, controller) for r in records(ex, controller)]


def _seen(ex: Exercise, r: ev.Event) -> bool:
    return r.visible_to(ex.players)


def _partially_names(ex: Exercise, objective: str) -> set[str]:
    obj = next(o for o in ex.scenario.objectives if o.id == objective)
    if obj.partially is None:
        return set()
    return set(ex.compiled.expr(obj.partially).names)
