"""The after-action report as plain data: what was played in, one edition of the AAR/IP out.

:class:`AarInput` is everything a report is built from; :func:`build_aar` turns it into an
:class:`Aar` for one audience. Renderers only read an ``Aar``: none of them looks at the
exercise, so the players' rules are applied once, here (with :mod:`sim.analysis.view`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sim import events as ev
from sim import views
from sim.analysis.entries import drafted_issue
from sim.analysis.view import EditionView, edition_view
from sim.analysis.walltime import wall_duration
from sim.commands import LoggedCommand
from sim.describe import describe
from sim.engine import Exercise
from sim.schema import Objective, Scenario

Audience = Literal["players", "controller"]
AAR_FORMAT = "tabletop-aar/1"
RATING_LABEL = {
    "met": "Met",
    "partially": "Partially met",
    "not_met": "Not met",
    "awaiting": "Awaiting evaluator",
    "withheld": "Withheld",
}
WITHHELD = "withheld"
"""The rating the players' edition gives an objective the players' dashboard shows as '?':
a session still in progress, whose standing reads what the players do not know yet."""
UNRATED = ("met", "awaiting", WITHHELD)
"""Ratings that draft no plan row and are neither a strength nor an improvement."""
ENDED_NOTES = {
    "horizon": "",
    "facilitator": "ended early by the facilitator",
    "in progress": "still in progress: rated as it stood",
}
MAX_OBJECTIVE_EVENTS = 12
"""Events listed under each objective (the first ones; the timeline has the rest)."""


# --- what goes in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInfo:
    """What a facilitated session adds to a run: its id and wall-clock times."""

    session_id: str = ""
    started: datetime | None = None
    ended: datetime | None = None
    facilitator: str = ""


@dataclass(frozen=True)
class PlanRow:
    """One row of the improvement plan."""

    objective: str
    issue: str
    corrective_action: str = ""
    owner: str = ""
    due: str = ""


@dataclass(frozen=True)
class AarInput:
    """Everything one report is built from.

    ``exercise`` is the finished exercise: for a headless run the one that was played, for a
    session the replay of its command log (``replay(scenario, seed, commands)``).
    ``commands`` is its command log (the engine records every command's trace, so the
    rationale of each decision, the observations and the notes are read from the records;
    the log adds the wall-clock time of each command for a session). ``plan`` is the
    improvement plan as edited in the debrief; None drafts one from the missed objectives.
    ``branch`` is a second exercise of the same scenario for the "what if" comparison.
    """

    exercise: Exercise
    commands: tuple[LoggedCommand, ...] = ()
    plan: tuple[PlanRow, ...] | None = None
    session: SessionInfo = field(default_factory=SessionInfo)
    label: str = ""
    """What was played: a playbook id, 'deadline', a session or branch name."""
    branch: AarInput | None = None
    decision_wall: Mapping[int, float] = field(default_factory=dict)
    """For a session: wall-clock seconds each decision took the room, posed to made, by the
    seq of its DecisionMade record (from the session store's stamps; never in the engine)."""
    players_time: float | None = None
    """(A session still in progress) The scenario time as the players knew it when the report
    was made (sim.views.players_now): their edition ends there, not where the clock rested at
    something they could not see."""
    withheld: frozenset[str] = frozenset()
    """(A session still in progress) The objectives the players' dashboard withheld ('?') when
    the report was made: their standing read what the players did not know yet
    (sim.views.ratings). The players' edition withholds their rating as well."""

    @property
    def scenario(self) -> Scenario:
        return self.exercise.scenario

    @property
    def seed(self) -> int:
        return self.exercise.seed


# --- what comes out --------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    title: str
    scenario: str
    summary: str
    seed: int
    label: str
    session_id: str
    scenario_start: str
    scenario_end: str
    scenario_duration: str
    wall_start: str
    wall_end: str
    wall_duration: str
    ended: str
    """Why the exercise ended: 'horizon', 'facilitator', or 'in progress' (a session not
    ended yet, rated as it stood)."""
    ended_note: str
    """The same, said for the overview ('' when it ran to its horizon)."""
    participants: tuple[str, ...]
    """The played actors, by name."""


@dataclass(frozen=True)
class ObjectiveResult:
    id: str
    description: str
    rating: str
    rating_label: str
    evidence: str
    """Why it got its rating ('' where the players' edition withholds it)."""
    events: tuple[str, ...]
    """The events that show it, each 'when: what'."""


@dataclass(frozen=True)
class DecisionResult:
    number: int
    """Its mark on the charts."""
    decision: str
    prompt: str
    owner: str
    posed: str
    made: str
    hours: float
    """When it was made, in hours from the start (where the charts mark it)."""
    took: str
    """How long the room took, posed to made, in scenario time."""
    option: str
    option_label: str
    by: str
    rationale: str
    wall_took: str = ""
    """For a session: how long the room took in wall-clock time ('' when not recorded)."""


@dataclass(frozen=True)
class TimelineEntry:
    time: float
    when: str
    kind: str
    """'inject', 'decision', 'observation', and for the controller 'note', 'adjustment',
    'threat', 'skipped'."""
    title: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A strength or an area for improvement."""

    objective: str
    text: str
    source: str
    """'observation' (an evaluator's) or 'rating' (drafted from the objective's rating)."""


@dataclass(frozen=True)
class Series:
    """A variable over time, as steps: the value from each time until the next."""

    variable: str
    label: str
    unit: str
    hours: tuple[float, ...]
    """Hours from the start at which the value changed (the first is 0, the last the end)."""
    values: tuple[float, ...]
    low: float | None = None
    """The variable's lowest possible value, if it has one (for the chart's scale)."""
    high: float | None = None


@dataclass(frozen=True)
class Chart:
    variable: str
    label: str
    svg: str
    """An inline SVG element (no XML declaration, no namespace URLs)."""


@dataclass(frozen=True)
class FinalValue:
    variable: str
    label: str
    initial: float
    final: float
    unit: str


@dataclass(frozen=True)
class Comparison:
    """The "what if": the same scenario and seed played another way."""

    label_a: str
    label_b: str
    objectives: tuple[tuple[str, str, str], ...]
    """(objective, rating as played, rating in the branch)."""
    decisions: tuple[tuple[str, str, str], ...]
    """(decision prompt, option as played, option in the branch)."""
    finals: tuple[tuple[str, str, str], ...]
    """(variable label, final value as played, in the branch)."""


@dataclass(frozen=True)
class Aar:
    """One edition of the after-action report and improvement plan."""

    audience: Audience
    overview: Overview
    objectives: tuple[ObjectiveResult, ...]
    decisions: tuple[DecisionResult, ...]
    timeline: tuple[TimelineEntry, ...]
    strengths: tuple[Finding, ...]
    improvements: tuple[Finding, ...]
    series: tuple[Series, ...]
    branch_series: tuple[Series, ...]
    finals: tuple[FinalValue, ...]
    plan: tuple[PlanRow, ...]
    plan_drafted: bool
    comparison: Comparison | None
    time_axis: str
    """'hours' or 'days': the unit the charts count scenario time in."""

    def to_json_data(self) -> dict[str, Any]:
        """A JSON-ready mapping (format tabletop-aar/1), stable key order."""
        from dataclasses import asdict

        data: dict[str, Any] = {"format": AAR_FORMAT}
        data.update(asdict(self))
        return data


# --- formatting helpers ----------------------------------------------------------------------


def duration(hours: float) -> str:
    """A duration as a person says it: '45 min', '6 h', '2 d 4 h'."""
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    if h < 48:
        return f"{h} h {m:02d} min" if m else f"{h} h"
    d, h = divmod(h, 24)
    return f"{d} d {h} h" if h else f"{d} d"


def when(ex: Exercise, t: float) -> str:
    """Scenario date-time and exercise day of time t."""
    day = int(ex.scenario.hours(t) // 24) + 1
    return f"{ex.clock(t):%Y-%m-%d %H:%M} (day {day})"


def _wall(t: datetime | None) -> str:
    return t.isoformat(timespec="minutes") if t is not None else ""


# --- building --------------------------------------------------------------------------------


def build_aar(source: AarInput, audience: Audience) -> Aar:
    """The report for one audience: the controller's has everything, the players' only what
    the players' view shows."""
    ex = source.exercise
    if not ex.finished:
        raise ValueError("an after-action report needs a finished exercise")
    view = edition_view(ex, controller=audience == "controller")
    end = ex.now if view.controller or source.players_time is None else source.players_time
    decisions = _decisions(source, view)
    objectives = _objectives(ex, view, frozenset() if view.controller else source.withheld)
    plan, drafted = _plan(source, objectives, view)
    comparison = None
    branch_series: tuple[Series, ...] = ()
    if source.branch is not None:
        comparison, branch_series = _comparison(
            source, source.branch, audience, objectives, decisions, view
        )
    return Aar(
        audience=audience,
        overview=_overview(source, end),
        objectives=objectives,
        decisions=decisions,
        timeline=_timeline(source, view, decisions),
        strengths=_findings(source, objectives, "strength", view),
        improvements=_findings(source, objectives, "improvement", view),
        series=_series(ex, view, end),
        branch_series=branch_series,
        finals=tuple(
            FinalValue(
                n,
                ex.scenario.variables[n].label or n,
                ex.scenario.variables[n].initial,
                float(ex.value(n)),
                ex.scenario.variables[n].unit,
            )
            for n in view.variables
        ),
        plan=plan,
        plan_drafted=drafted,
        comparison=comparison,
        time_axis="days" if ex.scenario.hours(end) >= 72 else "hours",
    )


def _overview(source: AarInput, end: float) -> Overview:
    ex = source.exercise
    info = ex.scenario.scenario
    ended = next((r.reason for r in ex.records if isinstance(r, ev.ExerciseEnded)), "")
    s = source.session
    wall = ""
    if s.started is not None and s.ended is not None:
        wall = duration((s.ended - s.started).total_seconds() / 3600)
    return Overview(
        title=info.title,
        scenario=info.id,
        summary=info.summary,
        seed=ex.seed,
        label=source.label,
        session_id=s.session_id,
        scenario_start=when(ex, 0.0),
        scenario_end=when(ex, end),
        scenario_duration=duration(ex.scenario.hours(end)),
        wall_start=_wall(s.started),
        wall_end=_wall(s.ended),
        wall_duration=wall,
        ended=ended,
        ended_note=ENDED_NOTES.get(ended, f"ended: {ended}" if ended != "horizon" else ""),
        participants=tuple(a.name for a in ex.scenario.actors if a.is_player),
    )


def _names(ex: Exercise, obj: Objective) -> set[str]:
    names = set(ex.compiled.expr(obj.met).names)
    if obj.partially is not None:
        names |= ex.compiled.expr(obj.partially).names
    return names


def _subject(r: ev.Event) -> str:
    for attr in ("variable", "decision", "response", "threat", "inject"):
        value = getattr(r, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _objectives(
    ex: Exercise, view: EditionView, withheld: frozenset[str]
) -> tuple[ObjectiveResult, ...]:
    ratings = views.final_ratings(view.records, ex.clock_text)
    out = []
    for obj in ex.scenario.objectives:
        rating = ratings[obj.id]
        names = _names(ex, obj)
        evidence = rating.evidence
        if obj.id in withheld:  # as the players' dashboard showed it: '?'
            rating = dataclasses.replace(rating, rating=WITHHELD)
            evidence = views.WITHHELD
        elif not view.controller and not view.may_mention(evidence):
            evidence = ""
        shown = _grouped(
            ex,
            [
                (r.time, describe(r, ex.scenario, view.controller))
                for r in view.records
                if not isinstance(r, ev.ObjectiveEvaluated | ev.DecisionOpened)
                and _subject(r) in names
            ],
        )
        out.append(
            ObjectiveResult(
                id=obj.id,
                description=obj.description,
                rating=rating.rating,
                rating_label=RATING_LABEL[rating.rating],
                evidence=evidence,
                events=tuple(shown[:MAX_OBJECTIVE_EVENTS]),
            )
        )
    return tuple(out)


def _grouped(ex: Exercise, events: list[tuple[float, str]]) -> list[str]:
    """'when: what' lines, a repeated event (a campaign's repeating stage) on one line."""
    seen: dict[str, list[float]] = {}
    for t, what in events:
        seen.setdefault(what, []).append(t)
    lines = []
    for what, times in seen.items():
        line = f"{when(ex, times[0])}: {what}"
        if len(times) > 1:
            line += f" (and {len(times) - 1} more times, the last {when(ex, times[-1])})"
        lines.append(line)
    return lines


def _decisions(source: AarInput, view: EditionView) -> tuple[DecisionResult, ...]:
    ex = source.exercise
    posed = {r.decision: r for r in view.records if isinstance(r, ev.DecisionOpened)}
    out: list[DecisionResult] = []
    for r in view.records:
        if not isinstance(r, ev.DecisionMade):
            continue
        d = ex.decisions[r.decision]
        opened = posed.get(r.decision)
        start = opened.time if opened is not None else r.time
        why = r.rationale.strip() or (r.reason if r.by == "deadline" else "")
        if not view.controller and not view.may_mention(why):
            why = ""
        option = next(o for o in d.options if o.id == r.option)
        out.append(
            DecisionResult(
                number=len(out) + 1,
                decision=d.id,
                prompt=d.prompt,
                owner=ex.scenario.actor(d.owner).name,
                posed=when(ex, start),
                made=when(ex, r.time),
                hours=ex.scenario.hours(r.time),
                took=duration(ex.scenario.hours(r.time - start)),
                option=option.id,
                option_label=option.label,
                by=r.by,
                rationale=why,
                wall_took=_wall_took(source, r),
            )
        )
    return tuple(out)


def _wall_took(source: AarInput, made: ev.DecisionMade) -> str:
    seconds = source.decision_wall.get(made.seq)
    return "" if seconds is None else wall_duration(seconds)


def _timeline(
    source: AarInput, view: EditionView, decisions: tuple[DecisionResult, ...]
) -> tuple[TimelineEntry, ...]:
    ex = source.exercise
    made = iter(decisions)
    names = {a.id: a.name for a in ex.scenario.actors}
    rows: list[tuple[float, int, TimelineEntry]] = []

    def add(t: float, order: int, kind: str, title: str, text: str) -> None:
        rows.append((t, order, TimelineEntry(t, when(ex, t), kind, title, text)))

    for r in view.records:
        match r:
            case ev.InjectDelivered():
                inj = ex.injects.get(r.inject)
                title = (inj.title or inj.id) if inj is not None else "Free-text inject"
                to = ", ".join(names.get(a, a) for a in r.recipients)
                add(
                    r.time,
                    r.seq,
                    "inject",
                    title,
                    f"{names.get(r.sender, r.sender)} → {to}: {r.text}",
                )
            case ev.DecisionMade():
                d = next(made)
                took = f"{d.took}, {d.wall_took} in the room" if d.wall_took else d.took
                text = f"{d.option_label} (took {took}; {d.by})"
                if d.rationale:
                    text += f". Rationale: {d.rationale}"
                add(r.time, r.seq, "decision", f"{d.number}. {d.prompt}", text)
            case ev.FacilitatorNote() if view.controller:
                add(r.time, r.seq, "note", "Facilitator note", r.text)
            case ev.VariableChanged() if view.controller and r.cause.startswith("facilitator"):
                why = r.reason or r.cause.removeprefix("facilitator").lstrip(": ")
                add(
                    r.time,
                    r.seq,
                    "adjustment",
                    f"Adjusted {r.variable}",
                    f"{r.old:.4g} → {r.new:.4g}" + (f": {why}" if why else ""),
                )
            case ev.InjectSkipped() if view.controller:
                add(r.time, r.seq, "skipped", f"Skipped {r.inject}", r.reason)
            case (
                ev.ThreatStarted() | ev.ThreatDetected() | ev.ThreatStopped() | ev.ThreatCompleted()
            ) if view.controller:
                add(
                    r.time,
                    r.seq,
                    "threat",
                    f"Threat {r.threat}",
                    describe(r, ex.scenario, controller=True),
                )
            case _:
                pass
    for o in _observations(ex, view):
        tag = f" [{o.objective}]" if o.objective else ""
        add(o.time, o.seq, "observation", f"Observation{tag}", o.text)
    rows.sort(key=lambda x: (x[0], x[1]))
    return tuple(e for _, _, e in rows)


def _observations(ex: Exercise, view: EditionView) -> list[ev.ObservationRecorded]:
    """The evaluators' observations, written for the AAR: in both editions (HSEEP shares the
    AAR with the participants), except that the players' edition leaves out an observation
    whose text names what the players cannot see (a hidden variable, an undetected threat, an
    inject that never reached them, an adversary they have not met)."""
    return [
        r
        for r in ex.records
        if isinstance(r, ev.ObservationRecorded) and (view.controller or view.may_mention(r.text))
    ]


def _findings(
    source: AarInput,
    objectives: tuple[ObjectiveResult, ...],
    kind: str,
    view: EditionView,
) -> tuple[Finding, ...]:
    out = [
        Finding(o.objective, o.text, "observation")
        for o in _observations(source.exercise, view)
        if o.assessment == kind
    ]
    for o in objectives:
        if o.rating in ("awaiting", WITHHELD):
            continue  # not rated (by its evaluator, or for the players yet): neither
        good = o.rating == "met"
        if good == (kind == "strength"):
            because = f" ({o.evidence})" if o.evidence else ""
            text = f"{o.description}: {o.rating_label.lower()}{because}"
            out.append(Finding(o.id, text, "rating"))
    return tuple(out)


def _shareable(row: PlanRow, view: EditionView) -> PlanRow:
    """A plan row for the players' edition: typed text naming a secret is withheld."""

    def shown(text: str) -> str:
        return text if view.may_mention(text) else views.WITHHELD_TEXT

    return PlanRow(
        row.objective, shown(row.issue), shown(row.corrective_action), shown(row.owner), row.due
    )


def _plan(
    source: AarInput, objectives: tuple[ObjectiveResult, ...], view: EditionView
) -> tuple[tuple[PlanRow, ...], bool]:
    if source.plan is not None:
        if view.controller:
            return source.plan, False
        return tuple(_shareable(row, view) for row in source.plan), False
    rows = [
        PlanRow(objective=o.id, issue=drafted_issue(o.description, o.rating_label, o.evidence))
        for o in objectives
        if o.rating not in UNRATED
    ]
    return tuple(rows), True


def _series(ex: Exercise, view: EditionView, end: float) -> tuple[Series, ...]:
    out = []
    for name in view.variables:
        spec = ex.scenario.variables[name]
        times, values = [0.0], [spec.initial]
        for r in view.records:
            if isinstance(r, ev.VariableChanged) and r.variable == name:
                if r.time == times[-1]:
                    values[-1] = r.new
                else:
                    times.append(r.time)
                    values.append(r.new)
        times.append(end)
        values.append(values[-1])
        hours = tuple(ex.scenario.hours(t) for t in times)
        out.append(
            Series(name, spec.label or name, spec.unit, hours, tuple(values), spec.min, spec.max)
        )
    return tuple(out)


def _comparison(
    source: AarInput,
    branch: AarInput,
    audience: Audience,
    objectives: tuple[ObjectiveResult, ...],
    decisions: tuple[DecisionResult, ...],
    view: EditionView,
) -> tuple[Comparison, tuple[Series, ...]]:
    if branch.scenario.scenario.id != source.scenario.scenario.id:
        raise ValueError("a 'what if' branch must play the same scenario")
    other = build_aar(
        AarInput(
            branch.exercise,
            branch.commands,
            label=branch.label,
            withheld=branch.withheld,
            players_time=branch.players_time,
        ),
        audience,
    )
    theirs = {o.id: o.rating_label for o in other.objectives}
    mine = {d.decision: d.option_label for d in decisions}
    taken = {d.decision: d.option_label for d in other.decisions}
    prompts = {d.id: d.prompt for d in source.scenario.decisions}
    chosen = tuple(
        (prompts[k], mine.get(k, "not posed"), taken.get(k, "not posed"))
        for k in prompts
        if k in mine or k in taken
    )
    b_final = {f.variable: f for f in other.finals}
    ex = source.exercise
    finals = tuple(
        (
            ex.scenario.variables[n].label or n,
            f"{float(ex.value(n)):.4g}",
            f"{b_final[n].final:.4g}" if n in b_final else "",
        )
        for n in view.variables
    )
    comparison = Comparison(
        label_a=source.label or "as played",
        label_b=branch.label or "branch",
        objectives=tuple(
            (o.description, o.rating_label, theirs.get(o.id, "not rated")) for o in objectives
        ),
        decisions=chosen,
        finals=finals,
    )
    return comparison, other.series
