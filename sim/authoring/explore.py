"""Simulated coverage (`tabletop lint --explore N`): what N seeded random playthroughs never do.

Each run is `tabletop run FILE --seed S --decider random`, so every finding names a seed that
reproduces it. Runs go through `run_batch`, the one seam to swap for the Monte Carlo batch
API (sim.batch) once it lands: it takes a scenario and seeds and returns one outcome per seed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim import events as ev
from sim.authoring.rules import RULES
from sim.schema import Scenario
from sim.yamlread import Path_

if TYPE_CHECKING:
    from sim.authoring.lint import Finding, Located

QUIET_SHARE = 0.5
"""A run whose last event comes before this share of the horizon 'ends early'."""


@dataclass
class Outcome:
    """What one playthrough did."""

    seed: int
    delivered: set[str] = field(default_factory=set)
    posed: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)
    ratings: dict[str, str] = field(default_factory=dict)
    last_event: float = 0.0
    ended: float = 0.0
    reason: str = ""
    error: str | None = None


def play_one(scenario: Scenario, seed: int) -> Outcome:
    """One headless run with the random decider; an error is kept, never raised."""
    from sim.deciders import RandomDecider, play
    from sim.engine import Exercise

    out = Outcome(seed)
    try:
        exercise = Exercise(scenario, seed)
        play(exercise, RandomDecider(seed))
    except Exception as exc:  # the point is to report it, with its seed
        out.error = f"{type(exc).__name__}: {exc}"
        return out
    for record in exercise.records:
        if isinstance(record, ev.InjectDelivered):
            out.delivered.add(record.inject)
        elif isinstance(record, ev.DecisionOpened):
            out.posed.add(record.decision)
        elif isinstance(record, ev.DecisionMade):
            out.taken.add((record.decision, record.option))
        elif isinstance(record, ev.ObjectiveEvaluated):
            out.ratings[record.objective] = record.rating
        elif isinstance(record, ev.ExerciseEnded):
            out.ended, out.reason = record.time, record.reason
        if not isinstance(record, ev.ObjectiveEvaluated | ev.ExerciseEnded):
            out.last_event = max(out.last_event, record.time)
    return out


Runner = Callable[[Scenario, Iterable[int]], list[Outcome]]


def run_batch(scenario: Scenario, seeds: Iterable[int]) -> list[Outcome]:
    """One outcome per seed, in seed order (the seam for sim.batch)."""
    return [play_one(scenario, seed) for seed in seeds]


def explore_scenario(
    scenario: Scenario,
    path: str,
    where: Located,
    runs: int,
    first_seed: int = 0,
    runner: Runner = run_batch,
) -> list[Finding]:
    """The coverage findings (TT2xx) of `runs` playthroughs with seeds first_seed, ...+1."""
    from sim.authoring.lint import Finding

    outcomes = runner(scenario, range(first_seed, first_seed + runs))
    found: list[Finding] = []
    seeds = f"{runs} run{'s' if runs != 1 else ''} (seeds {first_seed}–{first_seed + runs - 1})"
    repro = f"e.g. tabletop run {path} --decider random --seed {first_seed}"

    def add(code: str, at: Path_, message: str) -> None:
        line, col = where.at(at)
        found.append(Finding(path, line, col, code, message, RULES[code].level))

    for o in outcomes:
        if o.error is not None:
            add("TT207", (), f"seed {o.seed}: the run failed: {o.error}")
    good = [o for o in outcomes if o.error is None]
    if not good:
        return found
    horizon = scenario.scenario.horizon
    for o in good:
        if o.reason != "horizon" or o.last_event < QUIET_SHARE * horizon:
            add(
                "TT206",
                ("scenario", "horizon"),
                f"seed {o.seed}: the run goes quiet after {o.last_event:g} of {horizon:g} "
                f"(tabletop run {path} --decider random --seed {o.seed})",
            )
            break  # one example is enough
    for i, inj in enumerate(scenario.injects):
        if inj.contingency:
            continue
        if not any(inj.id in o.delivered for o in good):
            add("TT201", ("injects", i, "id"), f"inject '{inj.id}' never delivered in {seeds}")
    for i, d in enumerate(scenario.decisions):
        if not any(d.id in o.posed for o in good):
            add("TT205", ("decisions", i, "id"), f"decision '{d.id}' never posed in {seeds}")
            continue
        for j, opt in enumerate(d.options):
            if not any((d.id, opt.id) in o.taken for o in good):
                add(
                    "TT202",
                    ("decisions", i, "options", j, "id"),
                    f"option '{opt.id}' of '{d.id}' never taken in {seeds}; {repro}",
                )
    for i, obj in enumerate(scenario.objectives):
        ratings = {o.ratings.get(obj.id, "") for o in good}
        if ratings == {"met"}:
            add(
                "TT203",
                ("objectives", i, "met"),
                f"objective '{obj.id}' met in every one of {seeds}; {repro}",
            )
        elif "met" not in ratings:
            add(
                "TT204",
                ("objectives", i, "met"),
                f"objective '{obj.id}' never met in {seeds}; {repro}",
            )
    return found
