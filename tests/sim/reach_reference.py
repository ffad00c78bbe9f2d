"""The reachability fixpoint as it was before it worked from links (one pass over the whole
file per round, quadratic on long chains): kept as the reference the new one must agree
with exactly (tests/sim/test_hostile_scenario_lint_chains.py)."""

from __future__ import annotations

import math

from sim.authoring.reach import Reach, _constant, _may, _may_succeed, _trigger_may_fire
from sim.compiled import compiled
from sim.expr import Effect
from sim.schema import (
    BILLS_IN_SESSION,
    IN_SESSION,
    SITTING_STATUSES,
    UNDECIDED,
    Countermeasure,
    Legislation,
    Scenario,
)


def analyse(scenario: Scenario) -> Reach:
    reach = Reach(scenario)
    _update_values(reach)
    while True:
        before = (len(reach.fired), len(reach.posed), len(reach.started), len(reach.enacted))
        _step(reach)
        _update_values(reach)
        after = (len(reach.fired), len(reach.posed), len(reach.started), len(reach.enacted))
        if after == before:
            return reach


def _step(reach: Reach) -> None:
    s = reach.scenario
    for inj in s.injects:
        if inj.contingency or _trigger_may_fire(reach, inj):
            reach.fired.add(inj.id)
            if inj.decision is not None:
                reach.posed.add(inj.decision)
    for decision_ in s.decisions:
        if decision_.id in reach.posed:
            # a made decision is what 'after: decision' waits for
            reach.fired.add(decision_.id)
    for threat in s.threats:
        if _trigger_may_fire(reach, threat):
            reach.started.add(threat.id)
    by_id = {r.id: r for r in s.responses}
    wanted: set[str] = set()
    for d in s.decisions:
        if d.id in reach.posed:
            for o in d.options:
                wanted.update(o.responses)
    for r in s.responses:
        if r.id in reach.enacted:
            for st in r.starts:
                if _may(reach, st.only_if):
                    wanted.add(st.response)
    for rid in sorted(wanted):
        found = by_id.get(rid)
        if found is None or any(law not in reach.enacted for law in found.laws()):
            continue
        reach.started.add(rid)
        if _may_succeed(reach, found):
            reach.enacted.add(rid)


def _update_values(reach: Reach) -> None:
    s = reach.scenario
    exprs = compiled(s)
    writes: dict[str, list[Effect]] = {}

    def add(fx: dict[str, str | float]) -> None:
        for var, text in fx.items():
            writes.setdefault(var, []).append(exprs.effect(text, notification=True))

    for inj in s.injects:
        if inj.id in reach.fired:
            add(inj.effects)
    for d in s.decisions:
        if d.id in reach.posed:
            for o in d.options:
                add(o.effects)
    for t in s.threats:
        if t.id in reach.started:
            add(t.detection_effects)
            for st in t.stages:
                add(st.effects)
    for r in s.responses:
        if r.id in reach.started:
            add(r.effects)
            if isinstance(r, Countermeasure | Legislation):
                add(r.failure_effects)
            if isinstance(r, Legislation):  # v2: effects at a stage's start and during it
                for bs in r.stages:
                    add(bs.start_effects)
                    if bs.during is not None:
                        add(bs.during.effects)
    for name, var in s.variables.items():
        lo = hi = var.initial
        for effect in writes.get(name, []):
            lo, hi = _widen(effect, lo, hi, var.min, var.max)
        low = -math.inf if var.min is None else var.min
        high = math.inf if var.max is None else var.max
        if var.drift is not None:  # v2: it may move anywhere within its bounds by itself
            lo, hi = low, high
        reach.ranges[name] = (max(lo, low), min(hi, high))

    for d in s.decisions:
        reach.statuses[d.id] = {UNDECIDED} | (
            {o.id for o in d.options} if d.id in reach.posed else set()
        )
    stoppers = _stoppers(s, reach.started)
    for t in s.threats:
        values = {"pending"}
        if t.id in reach.started:
            values |= {"undetected", "detected", "completed"}
            if t.id in stoppers or t.abort_if is not None:  # (v2) an abort stops it too
                values.add("stopped")
        reach.statuses[t.id] = values
    for inj in s.injects:
        values = {"pending"}
        if inj.id in reach.fired:
            values.add("delivered")
            if inj.only_if is not None:
                values.add("skipped")
        reach.statuses[inj.id] = values
    for r in s.responses:
        values = {"locked" if r.requires else "ready"}
        if r.requires is not None and all(law in reach.enacted for law in r.laws()):
            values.add("ready")
        if r.id in reach.started:
            values |= {"running", "failed"}
            if r.id in reach.enacted:
                values.add("succeeded")
        reach.statuses[r.id] = values
    if s.calendar:  # v2: the sittings and the calendar's numbers
        for sitting in s.calendar:
            reach.statuses[sitting.id] = set(SITTING_STATUSES)
        bills = sum(isinstance(r, Legislation) for r in s.responses)
        reach.ranges[IN_SESSION] = (0.0, 1.0)
        reach.ranges[BILLS_IN_SESSION] = (0.0, float(bills))


def _stoppers(scenario: Scenario, started: set[str]) -> set[str]:
    out: set[str] = set()
    for r in scenario.responses:
        if isinstance(r, Countermeasure) and r.id in started:
            out.update(r.stops)
    return out


def _widen(
    effect: Effect, lo: float, hi: float, low: float | None, high: float | None
) -> tuple[float, float]:
    """The range after an effect may apply any number of times."""
    bottom = -math.inf if low is None else low
    top = math.inf if high is None else high
    constant = _constant(effect.expression)
    if constant is None or effect.op in ("*", "/"):
        return bottom, top
    if effect.op == "=":
        return min(lo, constant), max(hi, constant)
    step = constant if effect.op == "+" else -constant
    if step > 0:
        return lo, top
    if step < 0:
        return bottom, hi
    return lo, hi
