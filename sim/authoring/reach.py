"""What can happen in a scenario, as far as static analysis shows (no simulation).

An over-approximation: a variable may take any value between what its reachable effects can
push it to; a status may take any value its element can reach. So "never" claims are safe
("this condition can never be true"), while "may" means only "not ruled out".

Conditions are tested on every combination of sample values of the names they read: each
variable's extremes, initial value, midpoint and the numbers written in the condition, and
each reachable status. A condition linear in its variables is thereby decided exactly.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from sim.compiled import compiled
from sim.expr import Effect, Expression
from sim.schema import (
    BILLS_IN_SESSION,
    IN_SESSION,
    SITTING_STATUSES,
    UNDECIDED,
    Countermeasure,
    Distribution,
    Inject,
    Legislation,
    Scenario,
    Threat,
)

BIG = 1e9
"""Stands in for 'no bound' when sampling an unbounded variable."""
MAX_COMBINATIONS = 4096
_NUMBER = re.compile(r"(?<![A-Za-z_0-9.])\d+(?:\.\d+)?")


@dataclass
class Reach:
    """What may happen: elements that may fire, start or be enacted, and each name's values."""

    scenario: Scenario
    fired: set[str] = field(default_factory=set)
    """Injects that may be delivered (contingency injects: always, by the facilitator)."""
    posed: set[str] = field(default_factory=set)
    started: set[str] = field(default_factory=set)
    """Threats that may start and responses that may be started."""
    enacted: set[str] = field(default_factory=set)
    """Legislation that may be enacted (and responses that may succeed)."""
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    statuses: dict[str, set[str]] = field(default_factory=dict)

    # --- questions ------------------------------------------------------------------------------

    def outcomes(self, source: str | float) -> set[bool]:
        """The truth values a condition may take over every reachable state (both if unsure)."""
        expr = compiled(self.scenario).expr(source)
        return self._outcomes(expr, self._samples(expr))

    def outcomes_at_start(self, source: str | float) -> set[bool]:
        """The truth value of a condition in the state at time 0, before anything happens."""
        expr = compiled(self.scenario).expr(source)
        return self._outcomes(expr, {n: [v] for n, v in start_state(self.scenario).items()})

    def _samples(self, expr: Expression) -> dict[str, list[float | str]]:
        out: dict[str, list[float | str]] = {}
        constants = [float(m) for m in _NUMBER.findall(expr.source)]
        for name in expr.names:
            if name in self.statuses:
                out[name] = sorted(self.statuses[name])
                continue
            if name not in self.scenario.variables:  # (v2) 'now': any time of the run
                out[name] = sorted({0.0, self.scenario.scenario.horizon, *constants})
                continue
            lo, hi = self.ranges.get(name, (0.0, 0.0))
            var = self.scenario.variables.get(name)
            initial = var.initial if var is not None else lo
            points = {lo, hi, initial, _finite(lo), _finite(hi), (_finite(lo) + _finite(hi)) / 2}
            for c in constants:
                for v in (c, c - 1e-6, c + 1e-6, -c):
                    if lo <= v <= hi:
                        points.add(v)
            out[name] = sorted(_finite(p) for p in points if lo <= p <= hi or math.isinf(p))
        return out

    def _outcomes(self, expr: Expression, samples: dict[str, list[float | str]]) -> set[bool]:
        names = sorted(samples)
        if math.prod(len(samples[n]) for n in names) > MAX_COMBINATIONS:
            return {True, False}
        seen: set[bool] = set()
        for combo in itertools.product(*(samples[n] for n in names)):
            try:
                seen.add(expr.truth(dict(zip(names, combo, strict=True))))
            except Exception:  # an error at run time: the engine reports it; be unsure here
                return {True, False}
            if len(seen) == 2:
                break
        return seen


def _finite(value: float) -> float:
    return max(-BIG, min(BIG, value))


def start_state(scenario: Scenario) -> dict[str, float | str]:
    """Every name's value at time 0, as the engine sets it before anything happens."""
    state: dict[str, float | str] = {k: v.initial for k, v in scenario.variables.items()}
    state.update({d.id: UNDECIDED for d in scenario.decisions})
    state.update({t.id: "pending" for t in scenario.threats})
    state.update({i.id: "pending" for i in scenario.injects})
    state.update({r.id: "locked" if r.requires else "ready" for r in scenario.responses})
    return state


def min_duration(dist: Distribution | None) -> float:
    """The shortest a duration can be."""
    if dist is None:
        return 0.0
    p = dist.params
    match dist.kind:
        case "fixed" | "uniform" | "triangular":
            return p[0]
        case "normal":
            return max(p[2], 0.0)
        case _:
            return 0.0


def analyse(scenario: Scenario) -> Reach:
    """Grow the sets of what may happen until nothing more can (a fixpoint)."""
    reach = Reach(scenario)
    _update_values(reach)
    while True:
        before = (len(reach.fired), len(reach.posed), len(reach.started), len(reach.enacted))
        _step(reach)
        _update_values(reach)
        after = (len(reach.fired), len(reach.posed), len(reach.started), len(reach.enacted))
        if after == before:
            return reach


def _may(reach: Reach, source: str | float | None) -> bool:
    return source is None or True in reach.outcomes(source)


def _trigger_may_fire(reach: Reach, item: Inject | Threat) -> bool:
    horizon = reach.scenario.scenario.horizon
    if item.at is not None and item.at >= horizon:
        return False
    if item.after is not None and item.after not in reach.fired | reach.posed:
        return False
    return _may(reach, item.when) and _may(reach, item.only_if)


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


def _may_succeed(reach: Reach, response: object) -> bool:
    if isinstance(response, Countermeasure):
        return _may_be_positive(reach, response.success)
    if isinstance(response, Legislation):
        return all(_may_be_positive(reach, st.passes) for st in response.stages)
    return True


def _may_be_positive(reach: Reach, chance: str | float) -> bool:
    if isinstance(chance, int | float):
        return chance > 0
    return _may(reach, f"({chance}) > 0")


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


def _constant(expr: Expression) -> float | None:
    if expr.names:
        return None
    try:
        return expr.number({})
    except Exception:
        return None


def may_stop_or_slow(scenario: Scenario, threat: Threat) -> list[str]:
    """The countermeasures that name the threat in 'stops' or 'slows'."""
    return [
        r.id
        for r in scenario.responses
        if isinstance(r, Countermeasure) and (threat.id in r.stops or threat.id in r.slows)
    ]
