"""One-at-a-time decision sweeps over a bundled scenario, through the batch API.

Each decision's options are tried in turn against a reference playbook (every other decision
as the playbook makes it), all policies over the same runs (common random numbers). An
option's effect on an objective is the difference in the share of runs rated met, or rated
met-or-partially, against the decision's other options. A decision that moves no objective
by at least 5 points is cosmetic: the trainer doc must turn it into a discussion question.

Used by the scenario tests and, as a script, to publish the trainer docs' tables::

    .venv/bin/python tests/scenarios/decision_sweep.py naming-the-threat together --runs 300
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sim.batch import BatchResult, recipe_from_files, run_batch
from sim.batch.replicate import Layout
from sim.loader import check_scenario_file
from sim.playbook import Playbook, load_playbook

ROOT = Path(__file__).resolve().parents[2]
CUTS: tuple[tuple[str, ...], ...] = (("met",), ("met", "partially"))


@dataclass(frozen=True)
class DecisionEffect:
    """How far one decision's options move the objectives (in shares of runs, 0-1)."""

    decision: str
    spread: float
    """The largest spread: best option's share minus worst option's, over objectives and cuts."""
    objective: str
    best: str
    worst: str


def _playbook_text(pid: str, scenario_id: str, choices: dict[str, str]) -> str:
    lines = [
        "playbook:",
        f"  id: {pid}",
        f"  title: sweep {pid}",
        "  description: one-at-a-time sweep",
        f"  scenario: {scenario_id}",
        "decisions:",
    ]
    lines += [f"  {d}: {o}" for d, o in choices.items()]
    return "\n".join(lines) + "\n"


def sweep(
    scenario_id: str,
    reference: str,
    *,
    runs: int,
    seed: int = 2020,
    only: tuple[str, ...] = (),
) -> tuple[list[DecisionEffect], BatchResult]:
    """Sweep every decision (or those named in ``only``) against one of the playbooks.

    The swept policies are named ``sweep-DECISION-OPTION`` (underscores as hyphens)."""
    path = ROOT / "scenarios" / f"{scenario_id}.yaml"
    sc, problems = check_scenario_file(path)
    assert sc is not None, [str(p) for p in problems]
    book = load_playbook(ROOT / "scenarios" / "playbooks" / f"{scenario_id}--{reference}.yaml", sc)
    base = _rules_text(book)
    decisions = [d for d in sc.decisions if not only or d.id in only]
    with tempfile.TemporaryDirectory() as tmp:
        files: list[Path] = []
        names: dict[tuple[str, str], str] = {}
        for d in decisions:
            for o in d.options:
                choices = {**{k: v for k, v in base.items() if k != d.id}, d.id: o.id}
                pid = f"sweep-{d.id}-{o.id}".replace("_", "-")
                f = Path(tmp) / f"{pid}.yaml"
                f.write_text(_playbook_text(pid, scenario_id, choices), encoding="utf-8")
                files.append(f)
                names[(d.id, o.id)] = pid
        result = run_batch(recipe_from_files(path, files, runs=runs, seed=seed), chunk_size=runs)
    effects = []
    for d in decisions:
        best: DecisionEffect | None = None
        for obj in Layout.of(sc).objectives:  # not those rated by an evaluator
            for cut in CUTS:
                shares = {
                    o.id: result.policy(names[(d.id, o.id)]).rate(obj, *cut) for o in d.options
                }
                hi = max(shares, key=lambda k: shares[k])
                lo = min(shares, key=lambda k: shares[k])
                spread = shares[hi] - shares[lo]
                if best is None or spread > best.spread:
                    best = DecisionEffect(d.id, spread, f"{obj} ({'+'.join(cut)})", hi, lo)
        assert best is not None
        effects.append(best)
    return effects, result


def policy_name(decision: str, option: str) -> str:
    """The swept policy that takes this option."""
    return f"sweep-{decision}-{option}".replace("_", "-")


def _rules_text(book: Playbook) -> dict[str, str]:
    """The reference playbook's rules per decision, as YAML flow text (conditions kept)."""
    out: dict[str, str] = {}
    for d, rules in book.decisions.items():
        items = []
        for r in rules:
            parts = [f"choose: {r.choose}", f"after: {r.after}"]
            if r.only_if is not None:
                parts.append(f"if: {json.dumps(r.only_if)}")
            items.append("{" + ", ".join(parts) + "}")
        out[d] = "[" + ", ".join(items) + "]"
    return out


def main(argv: list[str]) -> int:
    scenario_id, reference = argv[0], argv[1]
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 300
    effects, result = sweep(scenario_id, reference, runs=runs)
    print(f"{scenario_id}: one-at-a-time sweep against {reference}, {runs} runs, seed 2020")
    print("| decision | largest spread | objective | best option | worst option |")
    print("|---|---|---|---|---|")
    for e in effects:
        print(f"| `{e.decision}` | {e.spread:.0%} | {e.objective} | `{e.best}` | `{e.worst}` |")
    if "--detail" in argv:
        sc, _ = check_scenario_file(ROOT / "scenarios" / f"{scenario_id}.yaml")
        assert sc is not None
        objectives = Layout.of(sc).objectives  # not those rated by an evaluator
        print("\nmet share per option: " + ", ".join(objectives))
        for d in sc.decisions:
            for o in d.options:
                view = result.policy(f"sweep-{d.id}-{o.id}".replace("_", "-"))
                cells = " ".join(f"{view.rate(obj):4.0%}" for obj in objectives)
                print(f"{d.id:20} {o.id:26} {cells}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
