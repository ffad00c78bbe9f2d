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
from collections import deque
from collections.abc import Mapping
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
    Notification,
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


MAX_WIDENINGS = 10
"""A variable whose range grew this many times is taken to span its whole min..max (a chain
of thousands of injects each pushing it a little further would cost a pass each)."""


def analyse(scenario: Scenario) -> Reach:
    """Grow the sets of what may happen until nothing more can (a fixpoint).

    Worked from the links between elements, never by passes over the whole file: an element
    is looked at again only when what it waits for happens ('after', a law enacted, a decision
    posed) or when a name its conditions read may take new values. A chain of 10,000 injects
    written last link first took one pass over the file per link; now each link is looked at a
    few times, so the work is in proportion to the file (docs/lint-rules.md, 'Work and memory')."""
    return _Fixpoint(scenario).run()


def _may(reach: Reach, source: str | float | None) -> bool:
    return source is None or True in reach.outcomes(source)


def _trigger_may_fire(reach: Reach, item: Inject | Threat) -> bool:
    horizon = reach.scenario.scenario.horizon
    if item.at is not None and item.at >= horizon:
        return False
    if item.after is not None and item.after not in reach.fired and item.after not in reach.posed:
        return False
    return _may(reach, item.when) and _may(reach, item.only_if)


_Response = Notification | Countermeasure | Legislation
_Task = tuple[str, int, int]
"""What to look at again: ('inject', i, 0), ('threat', i, 0), ('response', i, 0), or
('start', i, j): the j-th 'starts' of response i."""


class _Fixpoint:
    """The sets of `Reach`, grown from a queue of elements to look at again."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.reach = Reach(scenario)
        self.exprs = compiled(scenario)
        self.decisions = {d.id: d for d in scenario.decisions}
        self.threats = {t.id: t for t in scenario.threats}
        self.injects = {i.id: i for i in scenario.injects}
        self.response_at = {r.id: i for i, r in enumerate(scenario.responses)}
        self.waiting: dict[str, list[_Task]] = {}
        """Id -> what to look at again once it fires, is posed or is enacted."""
        self.readers: dict[str, list[_Task]] = {}
        """Name -> what to look at again once the name may take new values."""
        self.requiring: dict[str, list[_Response]] = {}
        """Law -> the responses that require it (their 'ready' status waits for it)."""
        self.queue: deque[_Task] = deque()
        self.wanted: set[str] = set()
        self.stoppers: set[str] = set()
        self.reach_low: dict[str, float] = {}
        """Per variable: the lowest and highest value its effects may push it to (before its
        min and max), and how many times its range grew."""
        self.reach_high: dict[str, float] = {}
        self.widened: dict[str, int] = {}
        self.new_effects: list[Mapping[str, str | float]] = []
        self.new_statuses: set[str] = set()

    # --- the queue --------------------------------------------------------------------------

    def run(self) -> Reach:
        s = self.s
        self._values_at_start()
        for i, inj in enumerate(s.injects):
            if inj.contingency:
                self._fire_inject(inj)
            else:
                self._listen(("inject", i, 0), inj.after, inj.when, inj.only_if)
        for i, t in enumerate(s.threats):
            self._listen(("threat", i, 0), t.after, t.when, t.only_if)
        for i, r in enumerate(s.responses):
            task: _Task = ("response", i, 0)
            for law in r.laws():
                self.waiting.setdefault(law, []).append(task)
                self.requiring.setdefault(law, []).append(r)
            self._read_by(task, *_chances(r))
            for j, st in enumerate(r.starts):
                self.waiting.setdefault(r.id, []).append(("start", i, j))
                self._read_by(("start", i, j), st.only_if)
        while True:
            while self.queue:
                self._look_at(self.queue.popleft())
            changed = self._update_values()
            if not changed:
                return self.reach
            for name in sorted(changed):  # in a fixed order: the same result every time
                self.queue.extend(self.readers.get(name, ()))

    def _listen(self, task: _Task, after: str | None, *conditions: str | float | None) -> None:
        if after is not None:
            self.waiting.setdefault(after, []).append(task)
        self._read_by(task, *conditions)
        self.queue.append(task)

    def _read_by(self, task: _Task, *conditions: str | float | None) -> None:
        for source in conditions:
            if source is not None and not isinstance(source, int | float):
                for name in self.exprs.expr(source).names:
                    self.readers.setdefault(name, []).append(task)

    def _wake(self, id_: str) -> None:
        self.queue.extend(self.waiting.get(id_, ()))

    def _look_at(self, task: _Task) -> None:
        kind, i, j = task
        reach = self.reach
        if kind == "inject":
            inj = self.s.injects[i]
            if inj.id not in reach.fired and _trigger_may_fire(reach, inj):
                self._fire_inject(inj)
        elif kind == "threat":
            threat = self.s.threats[i]
            if threat.id not in reach.started and _trigger_may_fire(reach, threat):
                reach.started.add(threat.id)
                self._effects(threat.detection_effects, *(st.effects for st in threat.stages))
                self.new_statuses.add(threat.id)
        elif kind == "response":
            r = self.s.responses[i]
            if r.id not in self.wanted or r.id in reach.enacted:
                return
            if any(law not in reach.enacted for law in r.laws()):
                return
            if r.id not in reach.started:
                self._start_response(r)
            if _may_succeed(reach, r):
                reach.enacted.add(r.id)
                self.new_statuses.add(r.id)
                self.new_statuses.update(x.id for x in self.requiring.get(r.id, ()))
                self._wake(r.id)
        else:
            r = self.s.responses[i]
            st = r.starts[j]
            if r.id in reach.enacted and st.response not in self.wanted and _may(reach, st.only_if):
                self._want(st.response)

    def _fire_inject(self, inj: Inject) -> None:
        reach = self.reach
        reach.fired.add(inj.id)
        self._wake(inj.id)
        self._effects(inj.effects)
        self.new_statuses.add(inj.id)
        if inj.decision is not None and inj.decision not in reach.posed:
            reach.posed.add(inj.decision)
            self._wake(inj.decision)
            decision = self.decisions.get(inj.decision)
            if decision is not None:
                reach.fired.add(decision.id)  # a made decision is what 'after: decision' waits for
                self._effects(*(o.effects for o in decision.options))
                self.new_statuses.add(decision.id)
                for o in decision.options:
                    for rid in o.responses:
                        self._want(rid)

    def _want(self, rid: str) -> None:
        if rid not in self.wanted:
            self.wanted.add(rid)
            at = self.response_at.get(rid)
            if at is not None:
                self.queue.append(("response", at, 0))

    def _start_response(self, r: _Response) -> None:
        self.reach.started.add(r.id)
        self.new_statuses.add(r.id)
        self._effects(r.effects)
        if isinstance(r, Countermeasure | Legislation):
            self._effects(r.failure_effects)
        if isinstance(r, Legislation):  # v2: effects at a stage's start and during it
            for bs in r.stages:
                self._effects(bs.start_effects)
                if bs.during is not None:
                    self._effects(bs.during.effects)
        if isinstance(r, Countermeasure):
            self.stoppers.update(r.stops)
            self.new_statuses.update(r.stops)

    def _effects(self, *effects: Mapping[str, str | float]) -> None:
        self.new_effects.extend(effects)

    # --- the values each name may take ------------------------------------------------------

    def _values_at_start(self) -> None:
        s, reach = self.s, self.reach
        for name, var in s.variables.items():
            self.reach_low[name] = self.reach_high[name] = var.initial
            self.widened[name] = 0
            reach.ranges[name] = self._range(name)
        ids = [
            *(d.id for d in s.decisions),
            *(t.id for t in s.threats),
            *(i.id for i in s.injects),
            *(r.id for r in s.responses),
        ]
        for id_ in ids:
            reach.statuses[id_] = self._status(id_)
        if s.calendar:  # v2: the sittings and the calendar's numbers
            for sitting in s.calendar:
                reach.statuses[sitting.id] = set(SITTING_STATUSES)
            bills = sum(isinstance(r, Legislation) for r in s.responses)
            reach.ranges[IN_SESSION] = (0.0, 1.0)
            reach.ranges[BILLS_IN_SESSION] = (0.0, float(bills))

    def _update_values(self) -> set[str]:
        """The names whose values grew since the last update."""
        s, reach = self.s, self.reach
        changed: set[str] = set()
        for fx in self.new_effects:
            for name, text in fx.items():
                var = s.variables.get(name)
                if var is None:
                    continue
                low, high = _limits(var.min, var.max)
                a, b = _reach_of(self.exprs.effect(text, notification=True), low, high)
                self.reach_low[name] = min(self.reach_low[name], a)
                self.reach_high[name] = max(self.reach_high[name], b)
                changed.add(name)
        self.new_effects.clear()
        for name in sorted(changed):
            before = reach.ranges[name]
            reach.ranges[name] = self._range(name)
            if reach.ranges[name] == before:
                changed.discard(name)
                continue
            self.widened[name] += 1
            if self.widened[name] >= MAX_WIDENINGS:
                var = s.variables[name]
                reach.ranges[name] = _limits(var.min, var.max)
        for id_ in sorted(self.new_statuses):
            if id_ not in reach.statuses:
                continue
            values = self._status(id_)
            if values != reach.statuses[id_]:
                reach.statuses[id_] = values
                changed.add(id_)
        self.new_statuses.clear()
        return changed

    def _range(self, name: str) -> tuple[float, float]:
        var = self.s.variables[name]
        low, high = _limits(var.min, var.max)
        if var.drift is not None:  # v2: it may move anywhere within its bounds by itself
            return low, high
        if self.widened[name] >= MAX_WIDENINGS:
            return low, high
        return max(self.reach_low[name], low), min(self.reach_high[name], high)

    def _status(self, id_: str) -> set[str]:
        """The statuses an element may have, as far as the sets show so far."""
        reach = self.reach
        decision = self.decisions.get(id_)
        if decision is not None:
            options = {o.id for o in decision.options} if id_ in reach.posed else set()
            return {UNDECIDED} | options
        at = self.response_at.get(id_)
        if at is not None:
            r = self.s.responses[at]
            values = {"locked" if r.requires else "ready"}
            if r.requires is not None and all(law in reach.enacted for law in r.laws()):
                values.add("ready")
            if r.id in reach.started:
                values |= {"running", "failed"}
                if r.id in reach.enacted:
                    values.add("succeeded")
            return values
        threat = self.threats.get(id_)
        if threat is not None:
            values = {"pending"}
            if id_ in reach.started:
                values |= {"undetected", "detected", "completed"}
                if id_ in self.stoppers or threat.abort_if is not None:  # (v2) an abort stops
                    values.add("stopped")
            return values
        values = {"pending"}  # an inject
        if id_ in reach.fired:
            values.add("delivered")
            inj = self.injects.get(id_)
            if inj is not None and inj.only_if is not None:
                values.add("skipped")
        return values


def _chances(r: _Response) -> list[str | float]:
    """The chances a response's success reads (as `_may_succeed` asks)."""
    if isinstance(r, Countermeasure):
        return [r.success]
    if isinstance(r, Legislation):
        return [st.passes for st in r.stages]
    return []


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


def _limits(low: float | None, high: float | None) -> tuple[float, float]:
    return -math.inf if low is None else low, math.inf if high is None else high


def _reach_of(effect: Effect, bottom: float, top: float) -> tuple[float, float]:
    """How far an effect applied any number of times may push a variable: (a, b) widens a
    range (lo, hi) to (min(lo, a), max(hi, b)), then kept within (bottom, top). Widening by
    min and max, the order effects are applied in does not change the range."""
    constant = _constant(effect.expression)
    if constant is None or effect.op in ("*", "/"):
        return bottom, top
    if effect.op == "=":
        return constant, constant
    step = constant if effect.op == "+" else -constant
    if step > 0:
        return math.inf, top
    if step < 0:
        return bottom, -math.inf
    return math.inf, -math.inf


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
