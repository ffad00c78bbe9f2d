"""Results of a headless run: a readable timeline, or stable JSON (format tabletop-run/1)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from sim import events as ev
from sim.describe import describe
from sim.engine import Exercise
from sim.safetext import printable
from sim.views import view

JSON_FORMAT = "tabletop-run/1"
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json escapes C0 itself
RATING_MARK = {"met": "✓", "partially": "~", "not_met": "✗"}


@dataclass(frozen=True)
class RunResult:
    """What one finished run produced."""

    exercise: Exercise
    playbook: str | None

    @property
    def ratings(self) -> list[ev.ObjectiveEvaluated]:
        return [r for r in self.exercise.records if isinstance(r, ev.ObjectiveEvaluated)]

    def to_json_data(self, controller: bool = True) -> dict[str, Any]:
        """The run as JSON-ready data: everything, or only what the players may know."""
        ex = self.exercise
        info = ex.scenario.scenario
        seen = view(ex, controller)
        return {
            "format": JSON_FORMAT,
            "view": "controller" if controller else "players",
            "scenario": info.id,
            "title": info.title,
            "seed": ex.seed,
            "playbook": self.playbook,
            "start": info.start.isoformat(),
            "time_unit": info.time_unit,
            "horizon": info.horizon,
            "events": [
                # the players' events numbered among themselves: the engine's numbers would
                # leave a gap for each hidden record, counting what they may not see
                r.to_dict() if controller else {**r.to_dict(), "seq": n}
                for n, r in enumerate(seen.records)
            ],
            "final": {"time": ex.now, "variables": seen.variables},
            "decisions": [
                {"decision": r.decision, "option": r.option, "by": r.by, "time": r.time}
                for r in seen.records
                if isinstance(r, ev.DecisionMade)
            ],
            "objectives": [
                {
                    "id": r.objective,
                    "description": r.description,
                    "rating": r.rating,
                    "evidence": r.evidence,
                }
                for r in seen.ratings
            ],
        }

    def to_json(self, controller: bool = True) -> str:
        """Strict JSON (never NaN or Infinity), with no character that could control a terminal."""
        data = _finite(self.to_json_data(controller))
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"

    def to_text(self, controller: bool = True) -> str:
        ex = self.exercise
        info = ex.scenario.scenario
        seen = view(ex, controller)
        lines = [
            info.title,
            f"seed {ex.seed}"
            + (f", playbook {self.playbook}" if self.playbook else "")
            + f", {'controller' if controller else 'players'} view",
            "",
            "Timeline",
        ]
        for r in seen.records:
            if isinstance(r, ev.ObjectiveEvaluated | ev.ExerciseStarted):
                continue
            when = ex.clock(r.time)
            day = int(ex.scenario.hours(r.time) // 24) + 1
            hidden = "  [hidden]" if controller and not r.visible_to(ex.players) else ""
            lines.append(
                f"  day {day:>3} {when:%m-%d %H:%M}  {describe(r, ex.scenario, controller)}{hidden}"
            )
        lines += ["", "Final state"]
        for name, var in ex.scenario.variables.items():
            if name not in seen.variables:
                continue
            value = seen.variables[name]
            lines.append(f"  {var.label or name:<24} {value:>10.4g} {var.unit}".rstrip())
        lines += ["", "Objectives"]
        for rv in seen.ratings:
            rating = rv.rating or "withheld"
            lines.append(
                f"  {RATING_MARK.get(rating, '?')} {rv.objective:<24} {rating.replace('_', ' ')}"
            )
            lines.append(f"      {rv.evidence}")
        return printable("\n".join(lines) + "\n")


def _finite(value: Any) -> Any:
    """The data with every NaN or infinite number replaced by null (JSON has no such numbers)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
