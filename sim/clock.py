"""(v2) The current time in expressions: the name ``now``.

``now`` is the scenario time in the scenario's time unit (0 at the start). It is a name like a
variable's, read when an expression is evaluated: in effects, ``if`` conditions, chances,
rates, drift, branch conditions and playbook rules. It is refused where a condition is
*watched* for a change (``when``, ``abort_if``, ``reopen.when``, a dissolution's ``if``,
objectives, bounds): time moves without any change being noticed, so such a condition would
depend on when something else happened to change; ``at``, ``not_before`` and objectives'
``by``/``at``/``within`` say "at a time" instead.

Ids share one namespace with ``now``: in a file that says ``format: 2`` an id ``now`` is an
error; in other files an id ``now`` keeps its meaning (v1 files are unchanged) and hides the
clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.yamlread import Path_

NOW = "now"
"""The name of the current time in expressions."""
CLOCK = "?clock"
"""Where an exercise's state keeps its clock (not a name: no id can collide with it)."""


def clock_getter(offset: int) -> Callable[[Mapping[str, Any]], Any]:
    """Read the time from the state's clock (or a plain 'now' value, for static analysis)."""
    from sim.expr import ExprError

    def get(env: Mapping[str, Any]) -> Any:
        clock = env.get(CLOCK)
        if clock is not None:
            return float(clock.now)
        try:
            return env[NOW]
        except KeyError:
            raise ExprError(f"no value for '{NOW}'", offset) from None

    return get


def watched_places(valid: Mapping[str, Any]) -> list[tuple[Path_, str | float | None, str]]:
    """Every condition the engine watches for a change: (path, source, what it is)."""
    out: list[tuple[Path_, str | float | None, str]] = []
    for name, var in valid.get("variables", {}).items():
        out.append((("variables", name, "at_most"), var.at_most, "a bound"))
        out.append((("variables", name, "at_least"), var.at_least, "a bound"))
    for section in ("injects", "threats"):
        for i, item in valid.get(section, []):
            out.append(((section, i, "when"), item.when, "'when'"))
    for i, t in valid.get("threats", []):
        out.append((("threats", i, "abort_if"), t.abort_if, "'abort_if'"))
    for i, d in valid.get("decisions", []):
        if d.reopen is not None:
            out.append((("decisions", i, "reopen", "when"), d.reopen.when, "'reopen: when'"))
    for i, s in valid.get("calendar", []):
        if s.dissolution is not None:
            where = ("calendar", i, "dissolution", "if")
            out.append((where, s.dissolution.only_if, "a dissolution's 'if'"))
    for i, o in valid.get("objectives", []):
        out.append((("objectives", i, "met"), o.met, "an objective"))
        out.append((("objectives", i, "partially"), o.partially, "an objective"))
    return out


def check_clock(
    valid: Mapping[str, Any],
    *,
    reads_clock: Callable[[str | float], bool],
    bad: Callable[[Path_, str], None],
) -> None:
    """'now' is not read where a condition is watched for a change."""
    for path, source, what in watched_places(valid):
        if source is not None and reads_clock(source):
            bad(
                path,
                f"'{NOW}' cannot be read in {what}: it is watched for changes, and time moves "
                "without one; use 'at', 'not_before' or an objective's 'by'/'at' for a time",
            )


def check_now_id(add: Callable[..., None], data: dict[str, Any], valid: Mapping[str, Any]) -> None:
    """In a 'format: 2' file, no id is 'now' (the current time in expressions)."""
    from sim.formatversion import stated_versions

    if not any(v == 2 and not isinstance(v, bool) for _, v in stated_versions(data)):
        return
    message = f"'{NOW}' is the current time in format 2 expressions; choose another id"
    if NOW in valid.get("variables", {}):
        add(("variables", NOW), message, key=True)
    for section, items in valid.items():
        if isinstance(items, list):
            for i, item in items:
                if getattr(item, "id", None) == NOW:
                    add((section, i, "id"), message)
