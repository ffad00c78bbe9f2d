"""Batch measurements of a bundled scenario, for its tests and its trainer doc's rate tables.

Everything goes through the batch API (``sim.batch``): the bundled playbooks, the defaults
(nobody decides: every decision takes its default at its deadline), the random decider, and
one-at-a-time sweeps (every option of one decision, the others left at their defaults, over
the same runs: common random numbers make the differences sharp).

Run as a script to print the tables the trainer doc publishes::

    python tests/scenarios/scenario_batches.py olympics-2020 --runs 300 --seed 2020
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.batch import RANDOM, BatchResult, PolicyText, Recipe, run_batch
from sim.batch.replicate import Layout
from sim.batch.results import batch_data
from sim.batch.view import PolicyView
from sim.loader import check_scenario_file
from sim.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PLAYBOOKS = SCENARIOS / "playbooks"
DEFAULTS = "defaults"
RATINGS = ("met", "partially", "not_met")


def _jobs_from_env(value: str | None) -> int:
    """The number of worker processes TABLETOP_TEST_JOBS asks for; 1 with a warning if unusable."""
    text = (value or "").strip()
    if not text:
        return 1
    try:
        jobs = int(text)
    except ValueError:
        warnings.warn(
            f"TABLETOP_TEST_JOBS={text!r} is not a whole number; using 1 worker process",
            stacklevel=2,
        )
        return 1
    if jobs < 1:
        warnings.warn(f"TABLETOP_TEST_JOBS={jobs} is below 1; using 1 worker process", stacklevel=2)
        return 1
    return jobs


JOBS = _jobs_from_env(os.environ.get("TABLETOP_TEST_JOBS"))
"""Worker processes for the batches (TABLETOP_TEST_JOBS, default 1): the results are the same
for any number (the batch runner's promise). One is the default because a pool's start-up and
the scenario compiled again in each worker cost more than they save on a shared 2-core
machine (measured: 67 s with 2 workers, 43 s with 1, load about 3)."""


def scenario_path(scenario_id: str) -> Path:
    return SCENARIOS / f"{scenario_id}.yaml"


def load(scenario_id: str) -> Scenario:
    sc, problems = check_scenario_file(scenario_path(scenario_id))
    assert sc is not None, [str(p) for p in problems]
    return sc


def batch_objectives(sc: Scenario) -> tuple[str, ...]:
    """The objectives a batch rates, in file order (not those rated by an evaluator)."""
    return Layout.of(sc).objectives


def playbook_names(scenario_id: str) -> tuple[str, ...]:
    """The bundled playbooks' short names (after 'SCENARIO--'), sorted."""
    return tuple(sorted(p.stem.split("--", 1)[1] for p in PLAYBOOKS.glob(f"{scenario_id}--*.yaml")))


def _playbook(scenario_id: str, name: str, choices: dict[str, Any]) -> PolicyText:
    doc = {"playbook": {"id": name, "scenario": scenario_id}, "decisions": choices}
    return PolicyText(name, yaml.safe_dump(doc, sort_keys=False), f"<{name}>")


def policies_batch(scenario_id: str, runs: int, seed: int) -> BatchResult:
    """Every bundled playbook, the defaults and the random decider over the same runs."""
    policies = [
        PolicyText(
            f"{scenario_id}--{name}",
            (PLAYBOOKS / f"{scenario_id}--{name}.yaml").read_text(encoding="utf-8"),
            str(PLAYBOOKS / f"{scenario_id}--{name}.yaml"),
        )
        for name in playbook_names(scenario_id)
    ]
    policies.append(_playbook(scenario_id, DEFAULTS, {}))
    policies.append(PolicyText(RANDOM))
    text = scenario_path(scenario_id).read_text(encoding="utf-8")
    return _run(Recipe(text, str(scenario_path(scenario_id)), tuple(policies), seed, runs))


def _run(recipe: Recipe) -> BatchResult:
    """One batch, its runs shared out between JOBS processes in equal chunks."""
    return run_batch(recipe, jobs=JOBS, chunk_size=max(1, math.ceil(recipe.runs / JOBS)))


@dataclass(frozen=True)
class Sweep:
    """One decision's options, each played with every other decision at its default."""

    decision: str
    options: tuple[str, ...]
    views: dict[str, PolicyView]
    """Option id → its outcomes."""
    result: BatchResult

    def threat_outcomes(self, option: str, threat: str) -> dict[str, int]:
        """How the runs under this option left a threat (stopped, completed, detected...)."""
        policy = next(
            p
            for p in batch_data(self.result)["policies"]
            if p["name"] == _key(self.decision, option)
        )
        return dict(next(t["outcomes"] for t in policy["threats"] if t["id"] == threat))

    def spread(self, objective: str, rating: str = "met") -> float:
        """Best minus worst share of runs with this rating, over the options."""
        shares = [v.rate(objective, rating) for v in self.views.values()]
        return max(shares) - min(shares)

    def largest(self, objectives: tuple[str, ...]) -> tuple[str, str, float]:
        """The objective and rating this decision moves most, and by how much."""
        return max(
            ((o, r, self.spread(o, r)) for o in objectives for r in RATINGS),
            key=lambda t: t[2],
        )


def sweep(scenario_id: str, decision: str, runs: int, seed: int, base: str | None = None) -> Sweep:
    """Every option of one decision over the same runs, the other decisions at their defaults
    (or as the bundled playbook ``base`` takes them)."""
    return sweeps(scenario_id, (decision,), runs, seed, base)[decision]


def sweeps(
    scenario_id: str, decisions: tuple[str, ...], runs: int, seed: int, base: str | None = None
) -> dict[str, Sweep]:
    """The sweeps of several decisions in one batch (one pool of workers, the same runs)."""
    sc = load(scenario_id)
    others: dict[str, Any] = {}
    if base is not None:
        book = PLAYBOOKS / f"{scenario_id}--{base}.yaml"
        others = dict(yaml.safe_load(book.read_text(encoding="utf-8"))["decisions"])
    options = {
        d: tuple(o.id for o in next(x for x in sc.decisions if x.id == d).options)
        for d in decisions
    }
    policies = tuple(
        _playbook(scenario_id, _key(d, o), {**others, d: o}) for d in decisions for o in options[d]
    )
    text = scenario_path(scenario_id).read_text(encoding="utf-8")
    result = _run(Recipe(text, str(scenario_path(scenario_id)), policies, seed, runs))
    return {
        d: Sweep(d, options[d], {o: result.policy(_key(d, o)) for o in options[d]}, result)
        for d in decisions
    }


def _key(decision: str, option: str) -> str:
    return f"{decision}__{option}"


# --- the tables the trainer doc publishes ------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def rate_table(result: BatchResult, sc: Scenario, names: list[str]) -> str:
    head = "| objective | " + " | ".join(f"`{n}`" for n in names) + " |"
    rows = [head, "|---" * (len(names) + 1) + "|"]
    for o in batch_objectives(sc):
        cells = []
        for n in names:
            v = result.policy(n)
            cells.append(
                f"{_pct(v.rate(o))} / {_pct(v.rate(o, 'partially'))} / {_pct(v.rate(o, 'not_met'))}"
            )
        rows.append(f"| `{o}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def mean_table(result: BatchResult, sc: Scenario, names: list[str]) -> str:
    head = "| mean at the end | " + " | ".join(f"`{n}`" for n in names) + " |"
    rows = [head, "|---" * (len(names) + 1) + "|"]
    for var, spec in sc.variables.items():
        cells = [f"{result.policy(n).mean(var):.3g}" for n in names]
        rows.append(f"| {spec.label or var} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--sweep-runs", type=int, default=300)
    args = ap.parse_args(argv)
    sid = args.scenario
    sc = load(sid)
    result = policies_batch(sid, args.runs, args.seed)
    names = [*(f"{sid}--{n}" for n in playbook_names(sid)), DEFAULTS, RANDOM]
    print(f"Rates met / partially / not met, {args.runs} runs, root seed {args.seed}\n")
    print(rate_table(result, sc, names), end="\n\n")
    print(mean_table(result, sc, names), end="\n\n")
    objectives = batch_objectives(sc)
    print(f"One-at-a-time sweeps ({args.sweep_runs} runs, root seed {args.seed})\n")
    print("| decision | options | moves most | by |\n|---|---|---|---|")
    for d in sc.decisions:
        sw = sweep(sid, d.id, args.sweep_runs, args.seed)
        obj, rating, by = sw.largest(objectives)
        detail = ", ".join(f"{o} {_pct(sw.views[o].rate(obj, rating))}" for o in sw.options)
        print(f"| `{d.id}` | {detail} | `{obj}` ({rating.replace('_', ' ')}) | {_pct(by)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
