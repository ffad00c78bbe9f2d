"""The names a scenario's expressions may read, and its expressions compiled once per scenario.

Compiling is done once and cached on the scenario object, so a Monte Carlo batch of thousands
of runs pays for it once. Compiled expressions are closures, which cannot be pickled: a pickled
scenario carries only the names, and each process that unpickles it recompiles lazily.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sim.clock import NOW
from sim.expr import Effect, ExprError, Expression, NameSpec, compile_effect, compile_expr
from sim.schema import (
    BILLS_IN_SESSION,
    IN_SESSION,
    INJECT_STATUSES,
    RESPONSE_STATUSES,
    SITTING_STATUSES,
    THREAT_STATUSES,
    UNDECIDED,
    Decision,
    Scenario,
)

NUMBER = NameSpec(kind="number")
CLOCK_NAME = NameSpec(kind="clock")
"""(v2) 'now': the current time (sim/clock.py)."""


def expression_names(
    variables: Iterable[str],
    decisions: Iterable[Decision],
    threats: Iterable[str],
    responses: Iterable[str],
    injects: Iterable[str],
    sittings: Iterable[str] = (),
) -> dict[str, NameSpec]:
    """Every name an expression may use: variables (numbers), and the status of each decision
    (the chosen option, or 'undecided'), threat, response and inject; (v2) with a calendar,
    each sitting's status, 'in_session' and 'bills_in_session'."""
    names: dict[str, NameSpec] = {v: NUMBER for v in variables}
    for d in decisions:
        names[d.id] = NameSpec("status", frozenset([UNDECIDED, *(o.id for o in d.options)]))
    for kind, ids in (
        (THREAT_STATUSES, threats),
        (RESPONSE_STATUSES, responses),
        (INJECT_STATUSES, injects),
    ):
        for i in ids:
            names[i] = NameSpec("status", frozenset(kind))
    sittings = list(sittings)
    if sittings:
        for i in sittings:
            names[i] = NameSpec("status", frozenset(SITTING_STATUSES))
        names[IN_SESSION] = names[BILLS_IN_SESSION] = NUMBER
    names.setdefault(NOW, CLOCK_NAME)  # (v2) the current time, unless an id is 'now'
    return names


def scenario_names(scenario: Scenario) -> dict[str, NameSpec]:
    return expression_names(
        scenario.variables,
        scenario.decisions,
        (t.id for t in scenario.threats),
        (r.id for r in scenario.responses),
        (i.id for i in scenario.injects),
        (s.id for s in scenario.calendar),
    )


class Compiled:
    """Compiled conditions and effects of one scenario, keyed by their source text."""

    def __init__(self, names: dict[str, NameSpec]) -> None:
        self._start(names)

    def _start(self, names: dict[str, NameSpec]) -> None:
        self.names = names
        self.notification_names = {**self.names, "age": NUMBER}
        self._exprs: dict[str, Expression] = {}
        self._by_source: dict[str | float, Expression] = {}
        self.by_source: Mapping[str | float, Expression] = self._by_source
        """The expressions ``expr`` has compiled, by their source as given: text, or a number
        (equal numbers, such as 1, 1.0 and true, share one entry: as a condition, a number or
        a chance they have the same value)."""
        self._effects: dict[tuple[str, bool], Effect] = {}
        self._plans: dict[int, tuple[Mapping[str, str | float], bool, EffectPlan]] = {}
        self.run_setup: object = None
        """What every run of the scenario starts from (kept here by the engine; not pickled)."""

    def __getstate__(self) -> dict[str, dict[str, NameSpec]]:
        """Pickle the names only: the compiled closures are rebuilt on first use."""
        return {"names": self.names}

    def __setstate__(self, state: dict[str, dict[str, NameSpec]]) -> None:
        self._start(state["names"])

    def expr(self, source: str | float) -> Expression:
        key = str(source)
        found = self._exprs.get(key)
        if found is None:
            found = self._exprs[key] = compile_expr(source, self.names)
        self._by_source[source] = found
        return found

    def effect(self, source: str | float, *, notification: bool = False) -> Effect:
        key = (str(source), notification)
        found = self._effects.get(key)
        if found is None:
            names = self.notification_names if notification else self.names
            found = self._effects[key] = compile_effect(source, names)
        return found

    def effects(self, effects: Mapping[str, str | float], notification: bool) -> EffectPlan:
        """A mapping of effects (a scenario's, which does not change) compiled in file order:
        (variable, source, effect, whether it draws, the number it adds: ``added``), worked
        out once per mapping."""
        found = self._plans.get(id(effects))
        if found is not None and found[0] is effects and found[1] is notification:
            return found[2]
        plan = tuple(
            (variable, source, e, e.expression.draws, added(e))
            for variable, source in effects.items()
            for e in (self.effect(source, notification=notification),)
        )
        if len(self._plans) >= PLANS_KEPT:
            self._plans.clear()
        self._plans[id(effects)] = (effects, notification, plan)  # kept alive: its id stays
        return plan


EffectPlan = tuple[tuple[str, str | float, Effect, bool, float | None], ...]


def added(effect: Effect) -> float | None:
    """The number a constant change adds (``+ 1.5``: 1.5, ``- 0.05``: -0.05), else None.

    The engine applies such a change as ``old + added`` without calling the effect's function
    (most effects of a scenario are of this kind): the same number, since IEEE 754 defines
    ``old - x`` as ``old + (-x)``, and an out-of-range result goes through ``effect.apply``,
    which reports it as it always does."""
    expr = effect.expression
    if effect.op not in ("+", "-") or expr.names or expr.draws:
        return None
    try:
        value = expr.slow_number({})
    except ExprError:
        return None  # fails every time: left to effect.apply, which reports it
    return value if effect.op == "+" else -value


PLANS_KEPT = 4096
"""Most mappings of effects whose plans are kept (a scenario has far fewer)."""


def compiled(scenario: Scenario) -> Compiled:
    """The scenario's compiled expressions, built on first use and kept on the scenario."""
    private = scenario.__pydantic_private__  # where pydantic keeps ``_compiled``, read directly
    found = private.get("_compiled") if private is not None else None
    if not isinstance(found, Compiled):
        found = Compiled(scenario_names(scenario))
        scenario._compiled = found
    return found
