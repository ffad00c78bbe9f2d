"""Checks across a scenario's sections: ids, references, expressions, loops, likely mistakes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sim.calendar_checks import check_calendar
from sim.checks_branches import check_branches
from sim.checks_v2 import check_v2
from sim.compiled import Compiled, expression_names
from sim.expr import ExprError, Expression
from sim.flow import build_flow
from sim.problems import Reporter, did_you_mean
from sim.schema import (
    NUMBER_TEXT,
    RESERVED_NAMES,
    BillStage,
    Countermeasure,
    Decision,
    Inject,
    Legislation,
    Notification,
    Objective,
    ScenarioInfo,
    Threat,
)
from sim.yamlread import Path_


def _short(text: str) -> str:
    """A name from the file as a problem quotes it (a hostile one may be 90,000 characters)."""
    return text if len(text) <= 40 else text[:37] + "..."


class _Anything(set[str]):
    """The ids of a section too broken to read: any reference to it is given the benefit."""

    def __contains__(self, item: object) -> bool:
        return True


def check_references(
    report: Reporter,
    valid: Mapping[str, Any],
    failed_ids: set[str],
    broken: set[str],
    *,
    format_1: bool = False,
) -> Compiled | None:
    """Check everything that needs more than one item; return the compiled expressions.

    Items that failed validation (failed_ids) and sections of the wrong shape (broken) are
    not reported again through the references to them. A file that says 'format: 1'
    (format_1) may not use format 2's parts of expressions: draws, min/max/clamp and 'now'.
    """
    info: ScenarioInfo | None = valid.get("scenario")
    actors = valid.get("actors", [])
    variables: dict[str, Any] = valid.get("variables", {})
    threats: list[tuple[int, Threat]] = valid.get("threats", [])
    injects: list[tuple[int, Inject]] = valid.get("injects", [])
    decisions: list[tuple[int, Decision]] = valid.get("decisions", [])
    responses: list[tuple[int, Any]] = valid.get("responses", [])
    objectives: list[tuple[int, Objective]] = valid.get("objectives", [])

    # One namespace: every id is also a name in expressions.
    seen: dict[str, tuple[str, Path_]] = {}
    for name in variables:
        _unique(report, seen, name, ("variables", name), "variable", key=True)
    for section, items in (
        ("actors", actors),
        ("threats", threats),
        ("injects", injects),
        ("decisions", decisions),
        ("responses", responses),
        ("objectives", objectives),
        ("calendar", valid.get("calendar", [])),
    ):
        what = "sitting" if section == "calendar" else section[:-1]
        for i, item in items:
            _unique(report, seen, item.id, (section, i, "id"), what)

    def known(section: str, ids: Iterable[str]) -> set[str]:
        return _Anything() if section in broken else set(ids) | failed_ids

    actor_ids = known("actors", (a.id for _, a in actors))
    var_ids = known("variables", variables)
    threat_ids = known("threats", (t.id for _, t in threats))
    inject_ids = known("injects", (i.id for _, i in injects))
    decision_ids = known("decisions", (d.id for _, d in decisions))
    response_ids = known("responses", (r.id for _, r in responses))
    law_ids = {r.id for _, r in responses if isinstance(r, Legislation)}
    # The scenario block holds the modules and sources: if it failed (a typo in its horizon),
    # a reference to them is given the benefit, as to any section too broken to read.
    module_ids = {m.id for m in info.modules} if info else _Anything()
    source_ids = {s.id for s in info.sources} if info else _Anything()
    horizon = info.horizon if info else float("inf")
    if info:
        _dupes(
            report,
            [(("scenario", "modules", i, "id"), m.id) for i, m in enumerate(info.modules)],
            "module",
        )
        _dupes(
            report,
            [(("scenario", "sources", i, "id"), s.id) for i, s in enumerate(info.sources)],
            "source",
        )

    kinds = {name: kind for name, kind in _kinds(seen).items() if name not in failed_ids}

    def ref(path: Path_, value: str | None, pool: set[str], what: str) -> None:
        if value is None or value in pool:
            return
        if value in kinds:
            report.add(path, _wrong_kind(value, kinds[value], what, path))
        else:
            hint = did_you_mean(value, pool)
            if not hint and not failed_ids:  # (a broken item's id is in every pool)
                hint = _the_few(pool, what)
            report.add(path, f"unknown {what} '{value}'{hint}")

    def refs(path: Path_, values: Iterable[str], pool: set[str], what: str) -> None:
        named: set[str] = set()
        for j, v in enumerate(values):
            ref((*path, j), v, pool, what)
            if v in named:  # told twice, stopped twice, started twice: never meant
                report.add((*path, j), f"'{v}' is named twice in '{path[-1]}'")
            named.add(v)

    compiled = Compiled(
        expression_names(
            set(variables),
            (d for _, d in decisions),
            (t.id for _, t in threats),
            (r.id for _, r in responses),
            (i.id for _, i in injects),
            (c.id for _, c in valid.get("calendar", [])),
        )
    )
    unsure = failed_ids | {
        s for s in broken if s in ("variables", "decisions", "threats", "responses", "injects")
    }

    def doubtful(source: str | float) -> bool:
        """True if an expression reads a name we could not check (its item failed)."""
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(source)))
        return bool(words & failed_ids) or bool(unsure - failed_ids)

    def version_1(path: Path_, expression: Expression) -> None:
        """Each format 2 part of an expression in a file that says 'format: 1'."""
        if format_1:
            for part, offset in expression.format2:
                report.add(
                    path,
                    f"'{part}' is format 2, but this file says 'format: 1': write 'format: 2'",
                    offset=offset,
                )

    def expr(path: Path_, source: str | float | None) -> None:
        if source is None:
            return
        try:
            version_1(path, compiled.expr(source))
        except ExprError as exc:
            if not doubtful(source):
                report.add(path, str(exc), offset=exc.offset)

    def chance(path: Path_, source: str | float | None) -> None:
        """A probability: an expression, and if written as a number, one from 0 to 1."""
        expr(path, source)
        problem = written_chance_problem(source)
        if problem is not None:
            report.add(path, problem)

    def effects(path: Path_, fx: Mapping[str, str | float], notification: bool = False) -> None:
        for var, source in fx.items():
            if var not in var_ids:
                report.add(
                    (*path, var),
                    f"unknown variable '{_short(var)}'{did_you_mean(var, var_ids)}",
                    key=True,
                )
                continue
            try:
                version_1(
                    (*path, var), compiled.effect(source, notification=notification).expression
                )
            except ExprError as exc:
                if not doubtful(source):
                    report.add((*path, var), str(exc), offset=exc.offset)
            if isinstance(source, int | float) and not isinstance(source, bool) and source < 0:
                report.add(
                    (*path, var),
                    f"a plain number sets the variable to {source:g}; "
                    f"to subtract, write '- {-source:g}'",
                    severity="warning",
                )

    for name, (_, where) in seen.items():
        if name in RESERVED_NAMES:
            report.add(where, f"'{name}' is a reserved word in expressions; choose another id")

    after_pool = inject_ids | decision_ids
    posed: dict[str, list[str]] = {}
    for i, inj in injects:
        p: Path_ = ("injects", i)
        ref((*p, "from"), inj.sender, actor_ids, "actor")
        refs((*p, "to"), inj.to, actor_ids, "actor")
        ref((*p, "decision"), inj.decision, decision_ids, "decision")
        refs((*p, "reveals"), inj.reveals, threat_ids, "threat")
        ref((*p, "after"), inj.after, after_pool, "inject or decision")
        ref((*p, "module"), inj.module, module_ids, "module")
        if inj.source is not None:
            ref((*p, "source", "ref"), inj.source.ref, source_ids, "source")
        elif not inj.invented and inj.provenance != "invented":
            report.add(
                p,
                f"inject '{inj.id}' cites no source; add 'source:' or mark it 'invented: true'",
                severity="warning",
            )
        expr((*p, "when"), inj.when)
        expr((*p, "if"), inj.only_if)
        effects((*p, "effects"), inj.effects)
        if inj.at is not None and inj.at >= horizon:
            report.add(
                (*p, "at"),
                f"time {inj.at:g} is at or after the horizon ({horizon:g}): the inject is "
                "never delivered; give it an earlier time, or lengthen the horizon",
                severity="warning",
            )
        if inj.decision:
            posed.setdefault(inj.decision, []).append(inj.id)

    for i, threat in threats:
        p = ("threats", i)
        ref((*p, "actor"), threat.actor, actor_ids, "actor")
        ref((*p, "after"), threat.after, after_pool, "inject or decision")
        expr((*p, "when"), threat.when)
        expr((*p, "if"), threat.only_if)
        effects((*p, "detection_effects"), threat.detection_effects)
        _dupes(
            report, [((*p, "stages", j, "id"), s.id) for j, s in enumerate(threat.stages)], "stage"
        )
        for j, stage in enumerate(threat.stages):
            sp = (*p, "stages", j)
            chance((*sp, "detect"), stage.detect)
            effects((*sp, "effects"), stage.effects)
            if stage.repeat and stage.duration.mean() <= 0:
                report.add((*sp, "duration"), "a repeating stage needs a duration above 0")
        check_branches(report, i, threat)

    for i, d in decisions:
        p = ("decisions", i)
        ref((*p, "owner"), d.owner, actor_ids, "actor")
        _dupes(
            report, [((*p, "options", j, "id"), o.id) for j, o in enumerate(d.options)], "option"
        )
        for j, o in enumerate(d.options):
            if o.id == "undecided":
                report.add((*p, "options", j, "id"), "'undecided' is reserved; choose another id")
            refs((*p, "options", j, "responses"), o.responses, response_ids, "response")
            effects((*p, "options", j, "effects"), o.effects)
        if d.id not in posed and not failed_ids and "injects" not in broken:
            report.add(
                (*p, "id"),
                f"decision '{d.id}' is never posed: no inject has 'decision: {d.id}'",
                severity="warning",
            )

    for i, r in responses:
        p = ("responses", i)
        for j, law in enumerate(r.laws()):
            at = (*p, "requires") if isinstance(r.requires, str) else (*p, "requires", j)
            if law in law_ids or law in failed_ids:
                pass
            elif law in response_ids:
                report.add(at, f"'{law}' is not a legislation response")
            else:
                ref(at, law, law_ids, "legislation")
        for j, start in enumerate(r.starts):
            ref((*p, "starts", j, "response"), start.response, response_ids, "response")
            expr((*p, "starts", j, "if"), start.only_if)
        if isinstance(r, Notification):
            ref((*p, "from"), r.sender, actor_ids, "actor")
            refs((*p, "to"), r.to, actor_ids, "actor")
            ref((*p, "about"), r.about, inject_ids | threat_ids, "inject or threat")
            effects((*p, "effects"), r.effects, notification=True)
        elif isinstance(r, Countermeasure):
            ref((*p, "actor"), r.actor, actor_ids, "actor")
            refs((*p, "stops"), r.stops, threat_ids, "threat")
            refs((*p, "reveals"), r.reveals, threat_ids, "threat")
            for t, factor in r.slows.items():
                ref((*p, "slows", t), t, threat_ids, "threat")
                if factor <= 0:
                    report.add(
                        (*p, "slows", t), "a slowing factor must be above 0 (2 = twice as slow)"
                    )
            chance((*p, "success"), r.success)
            effects((*p, "effects"), r.effects)
            effects((*p, "failure_effects"), r.failure_effects)
        elif isinstance(r, Legislation):
            ref((*p, "sponsor"), r.sponsor, actor_ids, "actor")
            _dupes(
                report, [((*p, "stages", j, "id"), s.id) for j, s in enumerate(r.stages)], "stage"
            )
            for j, bill_stage in enumerate(r.stages):
                ref((*p, "stages", j, "actor"), bill_stage.actor, actor_ids, "actor")
                chance((*p, "stages", j, "passes"), bill_stage.passes)
                _warn_if_no_second_attempt(report, (*p, "stages", j), bill_stage)
            effects((*p, "effects"), r.effects)
            effects((*p, "failure_effects"), r.failure_effects)

    for i, obj in objectives:
        p = ("objectives", i)
        expr((*p, "met"), obj.met)
        expr((*p, "partially"), obj.partially)
        ref((*p, "module"), obj.module, module_ids, "module")
        if obj.by is not None and obj.by > horizon:
            report.add(
                (*p, "by"),
                f"'by' ({obj.by:g}) is after the horizon ({horizon:g}), so it asks only "
                f"whether 'met' held at some moment of the exercise; write 'by: {horizon:g}' "
                "or less, or lengthen the horizon",
                severity="warning",
            )
        if obj.at is not None and obj.at > horizon:
            report.add(
                (*p, "at"),
                f"'at' ({obj.at:g}) is after the horizon ({horizon:g}): the objective is "
                f"never rated at that time; write 'at: {horizon:g}' or less, or lengthen the "
                "horizon",
                severity="warning",
            )

    _warn_if_huge(report, threats, variables, responses, horizon)
    _warn_if_wordy(report, injects, decisions)
    check_v2(
        valid,
        expr=expr,
        chance=chance,
        ref=ref,
        actors=actor_ids,
        threats=threat_ids,
        events=inject_ids | decision_ids | threat_ids,
        responses=response_ids,
        bad=lambda path, message: report.add(path, message),
        compiled=compiled,
    )
    check_calendar(
        report,
        valid,
        expr=expr,
        chance=chance,
        effects=effects,
        broken=broken,
        horizon=horizon,
        taken=set(seen),
        failed=bool(failed_ids),
    )
    flow = build_flow(
        injects=injects,
        decisions=decisions,
        threats=threats,
        responses=responses,
        variables=variables,
        objectives=objectives,
    )
    _loops(
        report,
        {
            inj.id: [("injects", i, "after"), *_ids(flow.waits_on(f"inject:{inj.id}"))]
            for i, inj in injects
            if inj.after is not None
        },
        "injects wait on each other in a loop",
    )
    _loops(
        report,
        {
            r.id: [("responses", i, "starts"), *_ids(flow.successors(f"response:{r.id}", "starts"))]
            for i, r in responses
            if r.starts
        },
        "responses start each other in a loop",
    )
    return compiled


def _kinds(seen: dict[str, tuple[str, Path_]]) -> dict[str, str]:
    """Each id's kind ('response', 'variable'...), read from the namespace check's notes."""
    out: dict[str, str] = {}
    for name, (described, _) in seen.items():
        out[name] = described.removeprefix("the ").rsplit(" '", 1)[0]
    return out


_WAIT_FOR = {
    "response": "succeeded",
    "threat": "detected",
}


def _wrong_kind(value: str, kind: str, wanted: str, path: Path_) -> str:
    """An id that exists but names the wrong kind of element."""
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    message = f"'{value}' is {_a(kind)}, but '{field}' takes {_a(wanted)}"
    if field == "after":
        if kind in _WAIT_FOR:
            message += f"; to wait for it, write when: \"{value} == '{_WAIT_FOR[kind]}'\""
        elif kind == "variable":
            message += f'; for a condition, write when: "{value} > ..."'
    return message


def _a(noun: str) -> str:
    if noun == "legislation":
        return "a legislation response (a bill)"
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _ids(keys: Iterable[str]) -> list[str]:
    """Flow node keys ('inject:x') to the ids the loop messages name."""
    return [k.split(":", 1)[1] for k in keys]


def _unique(
    report: Reporter,
    seen: dict[str, tuple[str, Path_]],
    name: str,
    path: Path_,
    what: str,
    key: bool = False,
) -> None:
    """Ids share one namespace because each is also a name in expressions."""
    if name in seen:
        report.add(path, f"id '{name}' is already used by {seen[name][0]}", key=key)
    else:
        seen[name] = (f"the {what} '{name}'", path)


def _dupes(report: Reporter, items: list[tuple[Path_, str]], what: str) -> None:
    seen: set[str] = set()
    for path, value in items:
        if value in seen:
            report.add(path, f"duplicate {what} id '{value}'")
        seen.add(value)


def _loops(report: Reporter, graph: dict[str, list[Any]], message: str) -> None:
    """Report each cycle once, naming its members in order.

    Iterative (an explicit stack, not recursion), so a chain of any length the file can hold
    is walked without exhausting Python's stack.
    """
    edges: dict[str, list[str]] = {k: [str(x) for x in v[1:]] for k, v in graph.items()}
    state: dict[str, int] = {}  # 1: on the current trail, 2: done
    reported: set[frozenset[str]] = set()

    for root in sorted(edges):
        if state.get(root) is not None:
            continue
        trail: list[str] = [root]
        position: dict[str, int] = {root: 0}
        stack: list[tuple[str, int]] = [(root, 0)]  # node, index of its next edge
        state[root] = 1
        while stack:
            node, i = stack[-1]
            out = edges.get(node, [])
            if i >= len(out):
                stack.pop()
                trail.pop()
                del position[node]
                state[node] = 2
                continue
            stack[-1] = (node, i + 1)
            nxt = out[i]
            if state.get(nxt) == 1:
                cycle = trail[position[nxt] :]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    first = min(cycle, key=lambda n: graph[n][0])
                    k = cycle.index(first)
                    ordered = cycle[k:] + cycle[:k]
                    shown = [*ordered, first] if len(ordered) <= 12 else [*ordered[:10], "…"]
                    more = "" if len(ordered) <= 12 else f" ({len(ordered):,} in the loop)"
                    report.add(graph[first][0], f"{message}: {' → '.join(shown)}{more}")
            elif state.get(nxt) is None and nxt in edges:
                state[nxt] = 1
                position[nxt] = len(trail)
                trail.append(nxt)
                stack.append((nxt, 0))


def written_chance_problem(source: str | float | None) -> str | None:
    """Why a chance written as a number (quoted or not) is not one, or None. An expression's
    result is clamped into 0..1 when it is read; a written 5 is most likely 5 %."""
    if isinstance(source, str) and len(source) <= 40 and NUMBER_TEXT.fullmatch(source.strip()):
        source = float(source)
    if isinstance(source, bool) or not isinstance(source, int | float) or 0 <= source <= 1:
        return None
    hint = f" (for {source:g} %, write {source / 100:g})" if 1 < source <= 100 else ""
    return f"a chance is a number from 0 to 1, not {source:g}{hint}"


class Repeater:
    """Something that repeats by itself during a run, and about how many engine steps it
    takes at most over the horizon."""

    __slots__ = ("advice", "kind", "path", "steps", "what")

    def __init__(self, kind: str, steps: float, path: Path_, what: str, advice: str) -> None:
        self.kind = kind  # "stages", "drift" or "during"
        self.steps = steps
        self.path = path
        self.what = what
        self.advice = advice


_MANY = {
    "drift": ("{n:,} drifting variables", "{n:,} variables drift"),
    "during": ("the 'during' effects of {n:,} bill stages", "{n:,} bill stages repeat effects"),
}
"""How a warning and a run's budget message name many repeaters of one kind."""


def repeaters(
    threats: Iterable[tuple[int, Threat]],
    variables: Mapping[str, Any],
    responses: Iterable[tuple[int, Any]],
    horizon: float,
) -> list[Repeater]:
    """What repeats by itself: repeating threat stages, drifting variables and bills'
    'during' effects (each step an engine event), with about how many steps each may take."""
    from sim.limits import MAX_REPEATS

    out: list[Repeater] = []
    for i, threat in threats:
        events = 0.0
        for stage in threat.stages:
            if stage.repeat:
                rounds = min(MAX_REPEATS, horizon / max(stage.duration.mean(), 1e-9))
                events += 2 * rounds  # a timeout and its record, each round
            else:
                events += 2
        out.append(
            Repeater(
                "stages",
                events,
                ("threats", i, "stages"),
                f"threat '{threat.id}' repeats its stages",
                "repeat less often, or share fewer stages among threats",
            )
        )
    for name, var in variables.items():
        drift = getattr(var, "drift", None)
        if drift is not None:
            out.append(
                Repeater(
                    "drift",
                    horizon / drift.every,
                    ("variables", name, "drift", "every"),
                    f"variable '{name}' drifts every {drift.every:g}",
                    "drift less often: a larger 'every'",
                )
            )
    for i, r in responses:
        if not isinstance(r, Legislation):
            continue
        for j, step in enumerate(r.stages):
            if step.during is not None:
                span = min(horizon, step.duration.mean() * step.attempts)
                out.append(
                    Repeater(
                        "during",
                        span / step.during.every,
                        ("responses", i, "stages", j, "during", "every"),
                        f"bill '{r.id}' applies the 'during' effects of stage '{step.id}' "
                        f"every {step.during.every:g}",
                        "a larger 'every'",
                    )
                )
    return out


def _heaviest(found: list[Repeater]) -> tuple[str, float, list[Repeater]] | None:
    """The kind of repeater with the most steps in all: (kind, its steps, its repeaters, the
    heaviest first)."""
    kinds: dict[str, list[Repeater]] = {}
    for r in found:
        kinds.setdefault(r.kind, []).append(r)
    if not kinds:
        return None
    kind, group = max(kinds.items(), key=lambda item: sum(r.steps for r in item[1]))
    group.sort(key=lambda r: -r.steps)
    return kind, sum(r.steps for r in group), group


def budget_hint(scenario: Any, max_events: int) -> str:
    """Why a run of this scenario may have used up its engine-event budget, for its message:
    what repeats most (one drift, or many), if that could use a tenth of it."""
    found = repeaters(
        enumerate(scenario.threats),
        scenario.variables,
        enumerate(scenario.responses),
        scenario.scenario.horizon,
    )
    heaviest = _heaviest(found)
    if heaviest is None or heaviest[0] == "stages" or heaviest[1] < max_events / 10:
        return (
            "the scenario repeats too much (look at repeating stages and at threats or "
            "responses that start each other)"
        )
    kind, steps, group = heaviest
    worst = group[0]
    what = worst.what if worst.steps * 2 >= steps else _MANY[kind][1].format(n=len(group))
    return (
        f"the scenario repeats too much: {what}, about {steps:,.0f} steps over the horizon "
        f"({worst.advice})"
    )


def _warn_if_wordy(
    report: Reporter, injects: list[tuple[int, Any]], decisions: list[tuple[int, Any]]
) -> None:
    """Warn when the prose a run may show (each inject's text once, each decision's prompt
    each time it may be posed) is more than one run may show: a run would stop early."""
    from sim.limits import MAX_TEXT

    once = sum(len(inj.text) for _, inj in injects)
    posed = [
        (1 + (d.reopen.times if d.reopen is not None else 0), len(d.prompt), i, d)
        for i, d in decisions
    ]
    total = once + sum(times * size for times, size, _, _ in posed)
    if total <= MAX_TEXT:
        return
    times, size, i, d = max(posed, key=lambda p: p[0] * p[1])
    at: Path_ = ("decisions", i, "reopen") if d.reopen is not None else ("decisions", i, "prompt")
    report.add(
        at,
        f"decision '{d.id}' may be posed {times:,} times with its {size:,}-character prompt: "
        f"the scenario's text may then come to about {total:,} characters in one run, more "
        f"than the {MAX_TEXT:,} one run may show: a run would stop early (shorten the prompt, "
        "or pose it fewer times)",
        severity="warning",
    )


FEW = 8
"""With no close spelling to suggest, a kind with at most this many ids lists them."""


def _the_few(pool: set[str], what: str) -> str:
    """' (the actors are a, b, c)': what an author may write instead, when there are few."""
    kinds = " and ".join(
        "legislation responses" if w == "legislation" else f"{w}s" for w in what.split(" or ")
    )
    if not pool:
        return f" (the scenario has no {kinds})"
    if len(pool) > FEW:
        return ""
    return f" (the {kinds} are {', '.join(sorted(pool))})"


def _warn_if_no_second_attempt(report: Reporter, at: Path_, stage: BillStage) -> None:
    """A bill stage tries again only with both a 'stall' and 'attempts' above 1: either alone
    does nothing, and the first failed attempt kills the bill (docs/scenario-format.md §14.4)."""
    if stage.attempts > 1 and stage.stall is None:
        report.add(
            (*at, "attempts"),
            f"'attempts' ({stage.attempts}) does nothing without 'stall': the first failed "
            "attempt kills the bill; add 'stall:' (how long it waits before the next attempt), "
            "or remove 'attempts'",
            severity="warning",
        )
    elif stage.stall is not None and stage.attempts == 1:
        report.add(
            (*at, "stall"),
            "'stall' does nothing with one attempt: the first failed attempt kills the bill; "
            "add 'attempts:' (2 or more), or remove 'stall'",
            severity="warning",
        )


def _warn_if_huge(
    report: Reporter,
    threats: list[tuple[int, Threat]],
    variables: Mapping[str, Any],
    responses: list[tuple[int, Any]],
    horizon: float,
) -> None:
    """Warn when what repeats by itself would use up a run's engine-event budget."""
    from sim.limits import MAX_EVENTS

    if horizon == float("inf"):
        return
    found = repeaters(threats, variables, responses, horizon)
    total = sum(r.steps for r in found)
    heaviest = _heaviest(found)
    if heaviest is None or total <= MAX_EVENTS:
        return
    kind, steps, group = heaviest
    worst = group[0]
    if kind == "stages":
        worst = max(group, key=lambda r: r.steps)
        message = f"repeating stages may need about {total:,.0f} engine events"
    elif worst.steps * 2 >= steps:
        message = f"{worst.what}: it may need about {steps:,.0f} engine events"
    else:
        many = _MANY[kind][0].format(n=len(group))
        message = f"{many} may need about {steps:,.0f} engine events"
    report.add(
        worst.path,
        f"{message}, more than the {MAX_EVENTS:,} one run may use: a run would stop early "
        f"({worst.advice})",
        severity="warning",
    )
