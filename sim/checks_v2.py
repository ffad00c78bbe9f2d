"""Cross-section checks of the format v2 keys: their references and expressions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.bounds import check_bounds
from sim.checks_failures import check_failure_keys
from sim.clock import NOW, check_clock
from sim.compiled import Compiled
from sim.expr import ExprError
from sim.schema import Countermeasure, Decision, Inject, Objective, Threat
from sim.yamlread import Path_

ExprCheck = Callable[[Path_, "str | float | None"], None]
RefCheck = Callable[[Path_, "str | None", set[str], str], None]


def check_v2(
    valid: Mapping[str, Any],
    *,
    expr: ExprCheck,
    chance: ExprCheck,
    ref: RefCheck,
    actors: set[str],
    threats: set[str],
    events: set[str],
    responses: set[str],
    bad: Callable[[Path_, str], None],
    compiled: Compiled,
) -> None:
    """Check what the v2 keys name and the expressions they hold."""
    variables: Mapping[str, Any] = valid.get("variables", {})

    compiled_ids = {n for n, spec in compiled.names.items() if spec.kind != "clock"}

    def names(source: str | float) -> frozenset[str] | None:
        try:
            return compiled.expr(source).names
        except ExprError:
            return None

    def value(source: str | float, env: Mapping[str, Any]) -> float | None:
        try:
            return compiled.expr(source).number(env)
        except ExprError:
            return None

    check_bounds(variables, expr=expr, names=names, value=value, bad=bad)
    check_clock(
        valid,
        reads_clock=lambda source: NOW in (names(source) or ()) and NOW not in compiled_ids,
        bad=bad,
    )
    for name, var in variables.items():
        if var.drift is not None:
            expr(("variables", name, "drift", "rate"), var.drift.rate)
            expr(("variables", name, "drift", "while"), var.drift.while_)
    inj: Inject
    for i, inj in valid.get("injects", []):
        chance(("injects", i, "probability"), inj.probability)
    t: Threat
    for i, t in valid.get("threats", []):
        expr(("threats", i, "abort_if"), t.abort_if)
        if t.reentry is not None:
            chance(("threats", i, "reentry", "chance"), t.reentry.chance)
        for j, stage in enumerate(t.stages):
            rate_path: Path_ = ("threats", i, "stages", j, "detect_rate")
            expr(rate_path, stage.detect_rate)
            if isinstance(stage.detect_rate, int | float) and stage.detect_rate < 0:
                bad(rate_path, "a detection rate cannot be negative (0: never detected this way)")
            for k, branch in enumerate(stage.next or ()):
                expr(("threats", i, "stages", j, "next", k, "if"), branch.only_if)
    d: Decision
    for i, d in valid.get("decisions", []):
        if d.reopen is not None:
            expr(("decisions", i, "reopen", "when"), d.reopen.when)
            expr(("decisions", i, "reopen", "while"), d.reopen.while_)
        for j, o in enumerate(d.options):
            p: Path_ = ("decisions", i, "options", j)
            expr((*p, "if"), o.only_if)
            if o.consent is not None:
                ref((*p, "consent", "actor"), o.consent.actor, actors, "actor")
                chance((*p, "consent", "chance"), o.consent.chance)
    check_failure_keys(
        valid.get("responses", []), expr=expr, ref=ref, bad=bad, response_ids=responses
    )
    for i, r in valid.get("responses", []):
        if isinstance(r, Countermeasure):
            for threat in r.mitigates:
                ref(("responses", i, "mitigates", threat), threat, threats, "threat")
    obj: Objective
    for i, obj in valid.get("objectives", []):
        if obj.within is not None:
            what = "inject, decision or threat"
            ref(("objectives", i, "within", "of"), obj.within.of, events, what)
