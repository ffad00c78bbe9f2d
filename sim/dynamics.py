"""Format v2 mechanics: state that moves by itself, adversaries that adapt, decisions that come
back, mitigation and objectives on relative windows.

Everything here is armed only for a scenario that uses a v2 key (:func:`uses_v2`), so a v1
scenario runs exactly the engine it always ran: the same SimPy events, the same records, the
same speed. Every random draw comes from its element's own stream (:mod:`sim.chance`), under a
name no v1 element uses (``threat:ID:reentry``, ``decision:ID:consent``, ``inject:ID:chance``),
so a v2 key never shifts the dice of anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from sim import events as ev
from sim import retries
from sim.bounds import Bounds
from sim.cause import CAUSE_DRIFT, CAUSE_THREAT, Cause
from sim.chance import chance, sample
from sim.evidence import Evidence, Measure, evidence_text
from sim.expr import ExprError, Value
from sim.retries import uses_failure_keys
from sim.schema import (
    Countermeasure,
    Decision,
    Drift,
    Inject,
    Objective,
    Option,
    Scenario,
    Threat,
    Variable,
)

if TYPE_CHECKING:
    import simpy

    from sim.engine import Exercise, Rating


def uses_v2(scenario: Scenario) -> bool:
    """Whether any engine mechanic of format v2 is used (else nothing here is armed)."""
    return (
        any(v.drift for v in scenario.variables.values())
        or any(t.not_before is not None or t.abort_if or t.reentry for t in scenario.threats)
        or any(i.probability is not None for i in scenario.injects)
        or any(
            d.reopen or any(o.only_if is not None or o.consent for o in d.options)
            for d in scenario.decisions
        )
        or any(isinstance(r, Countermeasure) and r.mitigates for r in scenario.responses)
        or any(o.at is not None or o.within for o in scenario.objectives)
        or uses_failure_keys(scenario)
        or any(v.at_most is not None or v.at_least is not None for v in scenario.variables.values())
    )


class Dynamics:
    """The v2 mechanics of one exercise."""

    def __init__(self, ex: Exercise) -> None:
        self.ex = ex
        self.mitigation: dict[str, float] = {}
        """Threat id → the factor its stage effects are scaled by (product of mitigations)."""
        self.aborted: set[str] = set()
        self.reentries: dict[str, int] = {}
        self.reopened: dict[str, int] = {}
        self.held_at: dict[str, tuple[bool, dict[str, Value]]] = {}
        """``at`` objectives: whether the condition held at its time, and the values read."""
        self.first_in_window: dict[str, float] = {}
        """``within`` objectives: when the condition first held after the event."""
        sc = ex.scenario
        for name, var in sc.variables.items():
            if var.drift is not None:
                self._drift(name, var)
        for threat in sc.threats:
            if threat.abort_if is not None:
                self._watch_also(threat.abort_if, self._abort(threat), threat.id)
            if threat.reentry is not None:
                self._watch_also(f"{threat.id} == 'stopped'", self._evicted(threat), threat.id)
        for r in sc.responses:
            if isinstance(r, Countermeasure) and r.mitigates:
                self._watch_also(f"{r.id} == 'succeeded'", self._mitigate(r), r.id)
        for d in sc.decisions:
            if d.reopen is not None and d.reopen.when is not None:
                self._watch_also(d.reopen.when, self._reopen_when(d), d.id)
        retries.arm(self)
        self.bounds = Bounds(self)
        self.bounded = self.bounds.specs
        """Variables with bounds that read other names (sim/bounds.py)."""
        for obj in sc.objectives:
            if obj.at is not None:
                self._snapshot(obj, obj.at)
            if obj.within is not None:
                self._watch_also(obj.met, self._in_window(obj), obj.within.of)

    def bound(self, name: str, value: float) -> float:
        """A bounded variable's value kept within its bounds (sim/bounds.py)."""
        return self.bounds.bound(name, value)

    # --- helpers --------------------------------------------------------------------------

    def _watch_also(self, source: str | float, then: Callable[[bool], None], name: str) -> None:
        """Watch a condition, re-checked also whenever ``name``'s status changes."""
        ex = self.ex
        ex._watch(ex.compiled.expr(source), then, repeat=True)
        w = ex._watchers[-1]
        if name not in w.expr.names:
            ex._watch_index.setdefault(name, []).append(w)

    def _number(self, source: str | float, where: str, *parts: object) -> float | None:
        """An expression's value, None if it fails (recorded; ``where % parts`` says where)."""
        try:
            return self.ex.compiled.expr(source).number(self.ex._state)
        except ExprError as exc:
            self.ex._expression_failed(where % parts if parts else where, str(source), exc)
            return None

    # --- (5) drift ------------------------------------------------------------------------

    def _drift(self, name: str, var: Variable) -> None:
        """Every ``every``, the variable moves by its rate (while its condition holds): a
        process's loop, as callbacks (sim/timers.py)."""
        ex = self.ex
        drift = var.drift
        assert drift is not None
        tick = partial(self._tick, name, drift)
        ex._soon(lambda _e: ex._timer(drift.every, tick))

    def _tick(self, name: str, drift: Drift, _e: simpy.Event) -> None:
        """A drift's step, and the timer of its next (a new ``partial``: a function that
        named itself would be a reference cycle, which only the cycle collector frees)."""
        self._drift_once(name, drift)
        self.ex._timer(drift.every, partial(self._tick, name, drift))

    def _drift_once(self, name: str, drift: Drift) -> None:
        ex = self.ex
        if drift.while_ is not None and not ex.truth(drift.while_, "variable:%s.drift", name):
            return
        rate = self._number(drift.rate, "variable:%s.drift", name)
        if rate is None:
            return
        ex._set(name, float(ex._state[name]) + rate * drift.every, Cause(CAUSE_DRIFT, name))

    # --- (4) chance and mitigation --------------------------------------------------------

    def inject_happens(self, inj: Inject) -> bool:
        """Roll an inject's probability when it falls due."""
        if inj.probability is None:
            return True
        p = self.ex.probability(inj.probability, "inject:%s.probability", inj.id)
        return chance(p, self.ex.rng(f"inject:{inj.id}:chance"))

    def _mitigate(self, r: Countermeasure) -> Callable[[bool], None]:
        def done(ok: bool) -> None:
            if ok:
                for threat, factor in r.mitigates.items():
                    self.mitigation[threat] = self.mitigation.get(threat, 1.0) * factor

        return done

    def scale(self, cause: Cause, old: float, new: float) -> float:
        """A threat stage's change, scaled by the mitigations of its threat."""
        if cause.kind != CAUSE_THREAT or cause.detail == "detected":
            return new
        factor = self.mitigation.get(cause.id)
        return new if factor is None else old + (new - old) * factor

    # --- (1) adversaries that adapt -------------------------------------------------------

    def threat_due(self, threat: Threat) -> float:
        """How long a threat whose trigger came now waits for its 'not_before' time."""
        nb = threat.not_before
        return 0.0 if nb is None or nb <= self.ex.now else nb - self.ex.now

    def _abort(self, threat: Threat) -> Callable[[bool], None]:
        def check(ok: bool) -> None:
            ex = self.ex
            if ok and ex._state[threat.id] in ("undetected", "detected"):
                from sim.threats import stop

                self.aborted.add(threat.id)
                stop(ex, threat, Cause(CAUSE_THREAT, threat.id, "aborted"))

        return check

    def _evicted(self, threat: Threat) -> Callable[[bool], None]:
        re = threat.reentry
        assert re is not None

        def check(ok: bool) -> None:
            ex = self.ex
            n = self.reentries.get(threat.id, 0)
            if not ok or threat.id in self.aborted or n >= re.times:
                return
            self.reentries[threat.id] = n + 1
            rng = ex.rng(f"threat:{threat.id}:reentry")
            p = ex.probability(re.chance, "threat:%s.reentry", threat.id)
            if chance(p, rng):
                ex._due_after(sample(re.delay, rng), lambda: self._reenter(threat))

        return check

    def _reenter(self, threat: Threat) -> None:
        from sim.threats import start_threat

        ex = self.ex
        if ex.finished or ex._state[threat.id] != "stopped" or threat.id in self.aborted:
            return
        ex.threat_detected.discard(threat.id)
        ex.campaigns.stage.pop(threat.id, None)
        ex.set_status(threat.id, "pending")
        start_threat(ex, threat)

    # --- (3) decisions that come back -----------------------------------------------------

    def _reopen_when(self, d: Decision) -> Callable[[bool], None]:
        before = [False]

        def check(ok: bool) -> None:
            was, before[0] = before[0], ok
            if ok and not was:
                self._reopen(d)

        return check

    def _reopen(self, d: Decision) -> None:
        ex = self.ex
        re = d.reopen
        assert re is not None
        n = self.reopened.get(d.id, 0)
        if ex.finished or d.id in ex.open_decisions or ex._state[d.id] == "undecided":
            return
        if n >= re.times:
            return
        if re.while_ is not None and not ex.truth(re.while_, "decision:%s.reopen", d.id):
            return
        self.reopened[d.id] = n + 1
        ex._open_decision(ex.views.decisions[d.id], again=True)

    def decided(self, d: Decision) -> None:
        """A decision was made: schedule its next posing if it comes back every N."""
        re = d.reopen
        if re is not None and re.every is not None:
            self.ex._due_after(re.every, lambda: self._reopen(d))

    def offered(self, d: Decision) -> tuple[str, ...]:
        """The options offered now: those without 'if', or whose condition holds."""
        return tuple(
            o.id
            for o in d.options
            if o.only_if is None or self.ex.truth(o.only_if, "decision:%s.%s", d.id, o.id)
        )

    def consents(self, d: Decision, option: Option) -> bool:
        """Whether the actor an option needs agrees (always, if it needs nobody)."""
        c = option.consent
        if c is None:
            return True
        ex = self.ex
        p = ex.probability(c.chance, "decision:%s.%s.consent", d.id, option.id)
        if chance(p, ex.rng(f"decision:{d.id}:consent")):
            return True
        name = ex.scenario.actor(c.actor).name
        ex.record(
            ev.ConsentRefused,
            audience=ex.decision_audience(d.owner),
            decision=d.id,
            option=option.id,
            actor=c.actor,
            text=c.refusal or f"{name} refuses",
        )
        return False

    # --- (6) objectives on relative windows -----------------------------------------------

    def _snapshot(self, obj: Objective, t: float) -> None:
        """At time ``t``, at the end of the instant: note whether the objective holds."""
        ex = self.ex

        def take() -> None:
            expr = ex.compiled.expr(obj.met)
            values = {n: ex._state[n] for n in sorted(expr.names)}
            self.held_at[obj.id] = (ex.truth(obj.met, "objective:%s", obj.id), values)

        if t > 0:
            ex._due_after(t, take)
        else:
            ex._soon(lambda _e: ex._due.append(take))

    def _anchor(self, obj: Objective) -> float | None:
        assert obj.within is not None
        of = obj.within.of
        key = f"{of}:detected" if of in self.ex.threats else of
        return self.ex.happened_at.get(key)

    def _in_window(self, obj: Objective) -> Callable[[bool], None]:
        def check(ok: bool) -> None:
            if ok and obj.id not in self.first_in_window and self._anchor(obj) is not None:
                self.first_in_window[obj.id] = self.ex.now

        return check

    def rate(self, obj: Objective, final: bool) -> Rating:
        """Rate an 'at' or 'within' objective."""
        from sim.engine import Rating

        ex = self.ex
        expr = ex.compiled.expr(obj.met)
        values = {n: ex._state[n] for n in sorted(expr.names)}
        first: float | None
        if obj.at is not None:
            deadline = obj.at
            snap = self.held_at.get(obj.id)
            if snap is not None:
                values = dict(snap[1])
            if snap is None and final and ex.now >= obj.at:  # the end came at that very time
                snap = (ex.truth(obj.met, "objective:%s", obj.id), values)
            met = snap is not None and snap[0]
            first = obj.at if met else None
        else:
            assert obj.within is not None
            anchor = self._anchor(obj)
            first = self.first_in_window.get(obj.id)
            deadline = (anchor if anchor is not None else ex.horizon) + obj.within.time
            met = anchor is not None and first is not None and first <= deadline
            if not met:
                first = None
        facts = Evidence(Measure.BY, values, final, ex.now, first_held=first, deadline=deadline)
        evidence = evidence_text(facts, ex._when)
        if met:
            return Rating(obj.id, "met", evidence, facts)
        if obj.partially is not None and ex.truth(obj.partially, "objective:%s", obj.id):
            return Rating(obj.id, "partially", evidence, facts)
        return Rating(obj.id, "not_met", evidence, facts)
