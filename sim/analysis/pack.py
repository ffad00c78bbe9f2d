"""Exercise packages: the Situation Manual, the Controller and Evaluator Handbook, the MSEL.

Built from the scenario alone, before anything is played. The Situation Manual is for the
players and holds nothing from the MSEL's future (no inject, no threat, no facilitator note,
no hidden variable); everything else goes in the handbook, for the staff.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from sim.schema import Inject, Scenario
from sim.spreadsheet import list_cell, spreadsheet_safe
from sim.views import covert_actors

DEFAULT_GROUND_RULES = (
    "This is a no-fault, open discussion: there are no trick questions and no hidden agendas.",
    "Respond as you would in your real role, with the authorities and resources you have today.",
    "Decisions taken here set no precedent and commit no organisation.",
    "The scenario is plausible, not a prediction: accept it and the information as given.",
    "Speak for your own organisation, and say when you would consult someone not in the room.",
)
MSEL_COLUMNS = (
    "id",
    "module",
    "planned",
    "trigger",
    "condition",
    "from",
    "to",
    "title",
    "text",
    "decision",
    "expected_actions",
    "notes",
    "contingency",
)


@dataclass(frozen=True)
class AgendaItem:
    title: str
    starts: str
    """Scenario date-time at which the module begins."""
    minutes: int
    """Planned real minutes."""


@dataclass(frozen=True)
class Role:
    name: str
    affiliation: str
    description: str
    brief: str


@dataclass(frozen=True)
class ModuleText:
    id: str
    title: str
    starts: str
    summary: str
    questions: tuple[str, ...]
    facilitator_notes: str
    """Only in the handbook."""


@dataclass(frozen=True)
class SituationManual:
    """The players' book: nothing in it comes from the MSEL's future."""

    caveat: str
    title: str
    purpose: str
    scope: str
    audience: str
    objectives: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    session_minutes: int
    background: str
    starts: str
    roles: tuple[Role, ...]
    """The played actors, with their role briefs."""
    others: tuple[str, ...]
    """The other parties the players may deal with (played by the control cell)."""
    ground_rules: tuple[str, ...]
    modules: tuple[ModuleText, ...]


@dataclass(frozen=True)
class MselRow:
    id: str
    module: str
    planned: str
    """When it is expected: a date-time for a fixed time, else an estimate or 'held'."""
    trigger: str
    condition: str
    sender: str
    to: str
    title: str
    text: str
    decision: str
    expected_actions: tuple[str, ...]
    notes: str
    effects: str
    contingency: bool


@dataclass(frozen=True)
class DecisionGuide:
    prompt: str
    owner: str
    options: tuple[str, ...]
    default: str
    deadline: str


@dataclass(frozen=True)
class ObjectiveGuide:
    description: str
    module: str
    met: str
    partially: str
    judged: str
    """How and when it is judged: at the end, by a time, or throughout."""
    look_for: tuple[str, ...]
    """The evaluation guide: what evaluators watch for."""
    related: tuple[str, ...]
    """Injects and decisions whose names appear in its conditions or that share its module."""


@dataclass(frozen=True)
class ThreatGuide:
    title: str
    actor: str
    trigger: str
    stages: tuple[str, ...]


@dataclass(frozen=True)
class Handbook:
    """The staff's book: the MSEL with times and conditions, notes and the evaluation guide."""

    caveat: str
    title: str
    facilitator_notes: str
    modules: tuple[ModuleText, ...]
    msel: tuple[MselRow, ...]
    contingencies: tuple[MselRow, ...]
    decisions: tuple[DecisionGuide, ...]
    objectives: tuple[ObjectiveGuide, ...]
    control_cell: tuple[Role, ...]
    threats: tuple[ThreatGuide, ...]
    hidden: tuple[str, ...]
    """Variables the players never see, with what they mean."""
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class Package:
    manual: SituationManual
    handbook: Handbook


# --- helpers ----------------------------------------------------------------------------------


def _clock(scenario: Scenario, t: float) -> str:
    at = scenario.scenario.start + timedelta(hours=scenario.hours(t))
    return f"{at:%Y-%m-%d %H:%M}"


def _unit(scenario: Scenario) -> str:
    return scenario.scenario.time_unit


def _planned_times(scenario: Scenario) -> dict[str, float | None]:
    """An estimate of when each inject lands (delays at their means; conditions unknown)."""
    out: dict[str, float | None] = {}
    posed_by = {i.decision: i.id for i in scenario.injects if i.decision}
    by_id = {i.id: i for i in scenario.injects}

    def time_of(key: str, depth: int = 0) -> float | None:
        if depth > len(by_id) + 1:
            return None
        if key in out:
            return out[key]
        inj = by_id.get(key)
        if inj is None:
            poser = posed_by.get(key)
            return time_of(poser, depth + 1) if poser else None
        t: float | None
        if inj.at is not None:
            t = inj.at
        elif inj.after is not None:
            base = time_of(inj.after, depth + 1)
            t = None if base is None else base + (inj.delay.mean() if inj.delay else 0.0)
        else:
            t = None
        out[key] = t
        return t

    for inj in scenario.injects:
        time_of(inj.id)
    return out


def _exact(t: float) -> str:
    """A time as short as it reads, and exact (`tabletop msel import` reads it back)."""
    short = f"{t:g}"
    return short if float(short) == t else repr(t)


def _trigger(scenario: Scenario, inj: Inject) -> str:
    """When the inject falls due, and (v2) the chance that it then happens: `tabletop msel
    import` reads both back from a fixed time."""
    unit = _unit(scenario)
    if inj.contingency:
        return "held: the facilitator fires it"  # (firing always delivers it: no chance)
    if inj.at is not None:
        when = f"at {_clock(scenario, inj.at)} (t={_exact(inj.at)} {unit})"
    elif inj.after is not None:
        delay = f"{inj.delay.describe()} {unit} " if inj.delay else ""
        when = f"{delay}after {inj.after}".strip()
    else:
        when = f"when {inj.when}"
    if inj.probability is None:
        return when
    chance = inj.probability
    return f"{when}, with chance {_exact(chance) if isinstance(chance, float) else chance}"


def _msel_row(scenario: Scenario, inj: Inject, planned: float | None) -> MselRow:
    names = {a.id: a.name for a in scenario.actors}
    decision = ""
    if inj.decision:
        d = next(d for d in scenario.decisions if d.id == inj.decision)
        decision = d.prompt
    if inj.contingency:
        when = "held"
    elif planned is None:
        when = "when its condition holds"
    elif inj.at is not None:
        when = _clock(scenario, planned)
    else:
        when = f"about {_clock(scenario, planned)}"
    return MselRow(
        id=inj.id,
        module=inj.module or "",
        planned=when,
        trigger=_trigger(scenario, inj),
        condition=str(inj.only_if) if inj.only_if is not None else "",
        sender=names.get(inj.sender, inj.sender),
        to=", ".join(names.get(a, a) for a in inj.to),
        title=inj.title or inj.id,
        text=inj.text,
        decision=decision,
        expected_actions=tuple(inj.expected_actions),
        notes=inj.notes,
        effects=", ".join(f"{k} {v}" for k, v in inj.effects.items()),
        contingency=inj.contingency,
    )


def _agenda(scenario: Scenario) -> tuple[AgendaItem, ...]:
    """Each module's planned minutes: its own ``minutes``, or an even share of the rest."""
    info = scenario.scenario
    modules = sorted(info.modules, key=lambda m: m.start)
    if not modules:
        return (AgendaItem(info.title, _clock(scenario, 0.0), info.session_minutes),)
    left = max(info.session_minutes - sum(m.minutes or 0 for m in modules), 0)
    shares = sum(m.minutes is None for m in modules)
    out = []
    given = 0
    for m in modules:
        if m.minutes is not None:
            minutes = m.minutes
        else:
            given += 1
            minutes = left * given // shares - left * (given - 1) // shares
        out.append(AgendaItem(m.title, _clock(scenario, m.start), minutes))
    return tuple(out)


def _modules(scenario: Scenario) -> tuple[ModuleText, ...]:
    return tuple(
        ModuleText(
            m.id,
            m.title,
            _clock(scenario, m.start),
            m.summary,
            tuple(m.discussion_questions),
            m.facilitator_notes,
        )
        for m in sorted(scenario.scenario.modules, key=lambda m: m.start)
    )


# --- building ---------------------------------------------------------------------------------


def situation_manual(scenario: Scenario) -> SituationManual:
    """The players' Situation Manual (facilitator notes are left out of its modules)."""
    info = scenario.scenario
    modules = tuple(
        ModuleText(m.id, m.title, m.starts, m.summary, m.questions, "") for m in _modules(scenario)
    )
    return SituationManual(
        caveat=info.handling,
        title=info.title,
        purpose=info.purpose or info.summary,
        scope=info.scope,
        audience=info.audience,
        objectives=tuple(o.description for o in scenario.objectives),
        agenda=_agenda(scenario),
        session_minutes=info.session_minutes,
        background=info.summary,
        starts=_clock(scenario, 0.0),
        roles=tuple(
            Role(a.name, a.affiliation, a.description, a.brief)
            for a in scenario.actors
            if a.is_player
        ),
        others=tuple(
            a.name
            for a in scenario.actors
            if not a.is_player and a.id not in covert_actors(scenario)
        ),
        ground_rules=tuple(info.ground_rules) or DEFAULT_GROUND_RULES,
        modules=modules,
    )


def handbook(scenario: Scenario) -> Handbook:
    """The Controller and Evaluator Handbook."""
    from sim.compiled import compiled

    info = scenario.scenario
    unit = _unit(scenario)
    planned = _planned_times(scenario)
    rows = [_msel_row(scenario, i, planned.get(i.id)) for i in scenario.injects]
    order = {i.id: n for n, i in enumerate(scenario.injects)}

    def key(row: MselRow) -> tuple[bool, float, int]:
        t = planned.get(row.id)
        return (t is None, t or 0.0, order[row.id])

    msel = tuple(sorted((r for r in rows if not r.contingency), key=key))
    contingencies = tuple(r for r in rows if r.contingency)
    names = {a.id: a.name for a in scenario.actors}
    decisions = tuple(
        DecisionGuide(
            prompt=d.prompt,
            owner=names.get(d.owner, d.owner),
            options=tuple(f"{o.id}: {o.label}" for o in d.options),
            default=d.default,
            deadline=f"{d.deadline:g} {unit} after it is posed",
        )
        for d in scenario.decisions
    )
    comp = compiled(scenario)
    guides = []
    for o in scenario.objectives:
        used = set(comp.expr(o.met).names)
        if o.partially is not None:
            used |= comp.expr(o.partially).names
        related = [
            f"inject {i.title or i.id}"
            for i in scenario.injects
            if i.id in used or (o.module is not None and i.module == o.module)
        ] + [f"decision: {d.prompt}" for d in scenario.decisions if d.id in used]
        if o.rated_by == "evaluator":
            judged = "rated by hand by an evaluator: r in the console's debrief"
        elif o.throughout:
            judged = "must hold at every moment"
        elif o.by is not None:
            judged = f"must first hold by {_clock(scenario, o.by)} (t={o.by:g} {unit})"
        elif o.at is not None:
            judged = f"judged at {_clock(scenario, o.at)} (t={o.at:g} {unit}), on the values then"
        elif o.within is not None:
            judged = (
                f"must hold within {o.within.time:g} {unit} of '{o.within.of}' "
                "(not met if it never happens)"
            )
        else:
            judged = "judged at the end"
        guides.append(
            ObjectiveGuide(
                description=o.description,
                module=o.module or "",
                met="the evaluator's judgement" if o.rated_by == "evaluator" else str(o.met),
                partially=str(o.partially) if o.partially is not None else "",
                judged=judged,
                look_for=tuple(o.evaluation),
                related=tuple(related),
            )
        )
    threats = tuple(
        ThreatGuide(
            title=t.title or t.id,
            actor=names.get(t.actor, t.actor),
            trigger=(
                f"at t={t.at:g} {unit}"
                if t.at is not None
                else f"after {t.after}"
                if t.after is not None
                else f"when {t.when}"
                if t.when is not None
                else "at the start"
            ),
            stages=tuple(f"{s.title or s.id} ({s.duration.describe()} {unit})" for s in t.stages),
        )
        for t in scenario.threats
    )
    return Handbook(
        caveat=info.handling,
        title=info.title,
        facilitator_notes=info.facilitator_notes,
        modules=_modules(scenario),
        msel=msel,
        contingencies=contingencies,
        decisions=decisions,
        objectives=tuple(guides),
        control_cell=tuple(
            Role(a.name, a.affiliation, a.description, a.brief)
            for a in scenario.actors
            if not a.is_player
        ),
        threats=threats,
        hidden=tuple(
            f"{v.label or k}: {v.description}".rstrip(": ")
            for k, v in scenario.variables.items()
            if v.hidden
        ),
        assumptions=tuple(info.assumptions),
    )


def package(scenario: Scenario) -> Package:
    return Package(situation_manual(scenario), handbook(scenario))


# --- the MSEL as CSV --------------------------------------------------------------------------


def msel_csv(book: Handbook) -> str:
    """The MSEL, contingency injects last, one row per inject, every cell formula-safe
    (:mod:`sim.spreadsheet`: `tabletop msel import` reads such a cell back as its text)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(MSEL_COLUMNS)
    for r in (*book.msel, *book.contingencies):
        cells = (
            r.id,
            r.module,
            r.planned,
            r.trigger,
            r.condition,
            r.sender,
            r.to,
            r.title,
            r.text,
            r.decision,
            list_cell(r.expected_actions),
            r.notes,
            "yes" if r.contingency else "no",
        )
        writer.writerow([spreadsheet_safe(c) for c in cells])
    return buf.getvalue()
