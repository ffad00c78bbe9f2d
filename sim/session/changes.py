"""What changed between the scenario a session was played with and the file as it is now."""

from __future__ import annotations

from typing import Any

from sim.safetext import printable
from sim.schema import Scenario

MAX_LINES = 20


def scenario_changes(old: Scenario, new: Scenario) -> list[str]:
    """One line per difference: a section or setting changed, an element added/removed/changed."""
    before = old.model_dump(mode="json")
    after = new.model_dump(mode="json")
    out: list[str] = []
    for section in dict.fromkeys([*before, *after]):
        a, b = before.get(section), after.get(section)
        if a == b:
            continue
        if section == "scenario" and isinstance(a, dict) and isinstance(b, dict):
            keys = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
            out.append(f"scenario: {', '.join(keys)} changed")
        elif isinstance(a, dict) and isinstance(b, dict):
            out.extend(_by_id(section, a, b))
        elif _id_list(a) and _id_list(b):
            assert isinstance(a, list) and isinstance(b, list)
            out.extend(_by_id(section, {x["id"]: x for x in a}, {x["id"]: x for x in b}))
            if not out and [x["id"] for x in a] != [x["id"] for x in b]:
                out.append(f"{section}: the order changed")
        else:
            out.append(f"{section} changed")
    if len(out) > MAX_LINES:
        out = [*out[:MAX_LINES], f"… and {len(out) - MAX_LINES} more"]
    return [printable(line, one_line=True) for line in out]


def _id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, dict) and "id" in x for x in value)


def _by_id(section: str, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    added = [k for k in b if k not in a]
    removed = [k for k in a if k not in b]
    changed = [k for k in a if k in b and a[k] != b[k]]
    if added:
        out.append(f"{section}: added {', '.join(added)}")
    if removed:
        out.append(f"{section}: removed {', '.join(removed)}")
    if changed:
        out.append(f"{section}: changed {', '.join(changed)}")
    return out
