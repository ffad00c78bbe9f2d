"""Results of a headless run: a readable timeline, or stable JSON (format tabletop-run/1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sim import events as ev
from sim.describe import describe
from sim.engine import Exercise

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

    def to_json_data(self) -> dict[str, Any]:
        ex = self.exercise
        info = ex.scenario.scenario
        descriptions = {o.id: o.description for o in ex.scenario.objectives}
        return {
            "format": JSON_FORMAT,
            "scenario": info.id,
            "title": info.title,
            "seed": ex.seed,
            "playbook": self.playbook,
            "start": info.start.isoformat(),
            "time_unit": info.time_unit,
            "horizon": info.horizon,
            "events": [r.to_dict() for r in ex.records],
            "final": {"time": ex.now, "variables": ex.variables()},
            "decisions": [
                {"decision": r.decision, "option": r.option, "by": r.by, "time": r.time}
                for r in ex.records
                if isinstance(r, ev.DecisionMade)
            ],
            "objectives": [
                {
                    "id": r.objective,
                    "description": descriptions[r.objective],
                    "rating": r.rating,
                    "evidence": r.evidence,
                }
                for r in self.ratings
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_json_data(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self, controller: bool = True) -> str:
        ex = self.exercise
        info = ex.scenario.scenario
        lines = [
            info.title,
            f"seed {ex.seed}"
            + (f", playbook {self.playbook}" if self.playbook else "")
            + f", {'controller' if controller else 'players'} view",
            "",
            "Timeline",
        ]
        for r in ex.visible(controller):
            if isinstance(r, ev.ObjectiveEvaluated | ev.ExerciseStarted):
                continue
            when = ex.clock(r.time)
            day = int(ex.scenario.hours(r.time) // 24) + 1
            hidden = "  [hidden]" if controller and not r.visible_to(ex.players) else ""
            lines.append(
                f"  day {day:>3} {when:%m-%d %H:%M}  {describe(r, ex.scenario, controller)}{hidden}"
            )
        lines += ["", "Final state"]
        final = ex.variables()
        for name, var in ex.scenario.variables.items():
            if var.hidden and not controller:
                continue
            lines.append(f"  {var.label or name:<24} {final[name]:>10.4g} {var.unit}".rstrip())
        lines += ["", "Objectives"]
        for r in self.ratings:
            lines.append(
                f"  {RATING_MARK[r.rating]} {r.objective:<24} {r.rating.replace('_', ' ')}"
            )
            lines.append(f"      {r.evidence}")
        return "\n".join(lines) + "\n"
