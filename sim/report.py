"""Results of a headless run: a readable timeline, or stable JSON (format tabletop-run/1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sim import events as ev
from sim.describe import describe
from sim.engine import Exercise
from sim.views import view

JSON_FORMAT = "tabletop-run/1"
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
            "scenario": info.id,
            "title": info.title,
            "seed": ex.seed,
            "playbook": self.playbook,
            "view": "controller" if controller else "players",
            "start": info.start.isoformat(),
            "time_unit": info.time_unit,
            "horizon": info.horizon,
            "events": [r.to_dict() for r in seen.records],
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
        return json.dumps(self.to_json_data(controller), indent=2, ensure_ascii=False) + "\n"

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
        return "\n".join(lines) + "\n"
