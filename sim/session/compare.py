"""Compare two sessions: where their timelines diverge and how they differ at the end."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim import events as ev
from sim.describe import describe
from sim.safetext import printable
from sim.session.journal import RecordedExercise
from sim.session.resume import replay_stored, saved_scenario
from sim.session.store import SessionInfo, SessionStore, StoredCommand


@dataclass(frozen=True, slots=True)
class Timeline:
    info: SessionInfo
    exercise: RecordedExercise
    commands: list[StoredCommand]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two timelines side by side."""

    a: Timeline
    b: Timeline

    def same_scenario(self) -> bool:
        return self.a.info.scenario_sha256 == self.b.info.scenario_sha256

    def common_commands(self) -> int:
        """How many leading commands the two sessions share."""
        n = 0
        for x, y in zip(self.a.commands, self.b.commands, strict=False):
            if x.command != y.command:
                break
            n += 1
        return n

    def first_difference(self, controller: bool = True) -> int | None:
        """Index of the first record that differs (None: the logs are equal).

        In the players' view (controller=False), among the records the players may see.
        """
        ra = self.a.exercise.visible(controller)
        rb = self.b.exercise.visible(controller)
        for i, (x, y) in enumerate(zip(ra, rb, strict=False)):
            if x.to_dict() != y.to_dict():
                return i
        return None if len(ra) == len(rb) else min(len(ra), len(rb))

    def decisions(self, controller: bool = True) -> list[tuple[str, str, str]]:
        """(decision, A's option, B's option) for every decision made in either timeline."""
        da = _decisions(self.a.exercise, controller)
        db = _decisions(self.b.exercise, controller)
        return [(d, da.get(d, ""), db.get(d, "")) for d in dict.fromkeys([*da, *db])]

    def variables(self, controller: bool = True) -> list[tuple[str, float | None, float | None]]:
        va, vb = self.a.exercise.variables(), self.b.exercise.variables()
        hidden = {
            k
            for t in (self.a, self.b)
            for k, spec in t.exercise.scenario.variables.items()
            if spec.hidden
        }
        names = [k for k in dict.fromkeys([*va, *vb]) if controller or k not in hidden]
        return [(k, va.get(k), vb.get(k)) for k in names]

    def objectives(self, controller: bool = True) -> list[tuple[str, str, str]]:
        """(objective, A's rating, B's rating): final where a timeline has ended, else its
        standing now (the players' view: 'withheld' where it reads what they cannot see)."""
        oa, ob = _ratings(self.a.exercise, controller), _ratings(self.b.exercise, controller)
        return [(k, oa.get(k, ""), ob.get(k, "")) for k in dict.fromkeys([*oa, *ob])]

    def to_dict(self) -> dict[str, Any]:
        first = self.first_difference()
        return {
            "a": _side(self.a),
            "b": _side(self.b),
            "same_scenario": self.same_scenario(),
            "common_commands": self.common_commands(),
            "diverge": None
            if first is None
            else {
                "record": first,
                "a": _record(self.a, first),
                "b": _record(self.b, first),
            },
            "decisions": [{"decision": d, "a": x, "b": y} for d, x, y in self.decisions()],
            "variables": [
                {
                    "variable": k,
                    "a": x,
                    "b": y,
                    "difference": _difference(x, y),
                }
                for k, x, y in self.variables()
            ],
            "objectives": [{"objective": k, "a": x, "b": y} for k, x, y in self.objectives()],
        }

    def to_json(self) -> str:
        """Strict JSON: a figure that cannot be computed is null, never Infinity or NaN."""
        return json.dumps(self.to_dict(), indent=2, allow_nan=False) + "\n"

    def to_text(self, controller: bool = True, when: Callable[[float], str] | None = None) -> str:
        """The comparison in words; controller=False shows only what the players may know.
        Times are given by `when` (the console gives them as its clock does), by default as
        the engine's scenario time (`t=6`)."""
        at = when if when is not None else (lambda t: f"t={t:g}")
        a, b = self.a.info.id, self.b.info.id
        lines = [f"Session {a} (A) and session {b} (B)"]
        for side, t in (("A", self.a), ("B", self.b)):
            state = "ended" if t.exercise.finished else f"live at {at(t.exercise.now)}"
            # the players' view counts no commands: the facilitator's notes and adjustments are
            # commands too, and their number is not the room's to know
            count = f" {_count_commands(len(t.commands))}," if controller else ""
            lines.append(
                f"  {side}: {printable(t.info.scenario_id, one_line=True)}, seed {t.info.seed},"
                f"{count} {state}"
            )
        if not self.same_scenario():
            lines.append("  note: the two sessions were played with different scenario texts")
        if controller:
            lines.append(_shared_commands(self.common_commands()))
        first = self.first_difference(controller)
        if first is None:
            lines.append("The timelines are identical.")
        else:
            lines.append(f"The timelines diverge at record {first}:")
            for side, t in (("A", self.a), ("B", self.b)):
                rec = _record(t, first, controller, when)
                text = "(no more records)" if rec is None else f"{at(rec['time'])} {rec['text']}"
                lines.append(f"  {side}: {printable(text, one_line=True)}")
        lines.append("")
        lines.append("Decisions:")
        for d, x, y in self.decisions(controller):
            mark = " " if x == y else "*"
            lines.append(f" {mark} {d:<28} A: {x or '-':<22} B: {y or '-'}")
        lines.append("Variables at the end:")
        for k, vx, vy in self.variables(controller):
            diff = "" if vx is None or vy is None else f"{vy - vx:+.4g}"
            mark = " " if vx == vy else "*"
            lines.append(f" {mark} {k:<28} A: {_num(vx):<10} B: {_num(vy):<10} {diff}")
        lines.append("Objectives at the end:")
        for k, rx, ry in self.objectives(controller):
            mark = " " if rx == ry else "*"
            lines.append(f" {mark} {k:<28} A: {rx or '-':<12} B: {ry or '-'}")
        return "\n".join(printable(line, one_line=True) for line in lines) + "\n"


def _difference(a: float | None, b: float | None) -> float | None:
    """B minus A; None if either is missing or the difference does not fit in a number."""
    if a is None or b is None:
        return None
    d = b - a
    return d if math.isfinite(d) else None


def _count_commands(n: int) -> str:
    return "1 command" if n == 1 else f"{n} commands"


def _shared_commands(n: int) -> str:
    if n == 0:
        return "They share no commands at the start."
    if n == 1:
        return "They share their first command."
    return f"They share their first {n} commands."


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.4g}"


def _decisions(ex: RecordedExercise, controller: bool = True) -> dict[str, str]:
    out = {}
    for r in ex.visible(controller):
        if isinstance(r, ev.DecisionMade):
            how = " (default)" if r.by == "deadline" else ""
            out[r.decision] = r.option + how
    return out


def _ratings(ex: RecordedExercise, controller: bool = True) -> dict[str, str]:
    from sim.views import final_ratings, ratings

    final = {k: r.rating for k, r in final_ratings(ex.records, ex.clock_text).items()}
    if final:
        return final
    if not controller:  # as the players' dashboard shows it while the exercise runs
        return {r.objective: r.rating or "withheld" for r in ratings(ex, controller=False)}
    return {r.objective: r.rating for r in ex.standing()}


def _side(t: Timeline) -> dict[str, Any]:
    return {
        "session": t.info.id,
        "scenario": t.info.scenario_id,
        "seed": t.info.seed,
        "parent": t.info.parent_id,
        "commands": len(t.commands),
        "finished": t.exercise.finished,
        "now": t.exercise.now,
    }


def _record(
    t: Timeline, i: int, controller: bool = True, when: Callable[[float], str] | None = None
) -> dict[str, Any] | None:
    records = t.exercise.visible(controller)
    if i >= len(records):
        return None
    r = records[i]
    return {
        "seq": r.seq,
        "time": r.time,
        "kind": r.kind,
        "text": describe(r, t.exercise.scenario, controller=controller, when=when),
    }


def timeline(store: SessionStore, ident: str | int) -> Timeline:
    """A session replayed from its saved scenario text and commands (read only).

    A live session is compared with the instant it stands at finished, as the console
    finishes it after every action: a command taken at that instant (a note, an observation,
    an adjustment) becomes a record only then, and a session saved before that step (recorded
    headless or by a script, or a console killed between the two) would otherwise compare as
    if the command had never been taken. The clock does not move.
    """
    info = store.session(ident)
    scenario = saved_scenario(store, info)
    commands = store.commands(info.id)
    replayed = replay_stored(scenario, info.seed, commands)
    exercise = replayed.exercise
    if not exercise.finished:
        exercise.settle()  # no journal: nothing is saved
    return Timeline(info, exercise, commands)


def compare_sessions(store: SessionStore, a: str | int, b: str | int) -> Comparison:
    return Comparison(timeline(store, a), timeline(store, b))
