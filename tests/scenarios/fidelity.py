"""Checks an expert audience expects of a bundled scenario (issue #14), shared by its tests.

- the exercise package is complete (handling caveat, notional disclaimer, purpose, agenda,
  role briefs, capability objectives with an evaluation guide, a hot wash);
- every variable feeds the dynamics, or the trainer doc says why it is evidence only;
- no objective x playbook cell is fixed (>= 98% one rating) unless the trainer doc's table of
  fixed cells lists it with the lesson it teaches.

The batch is the one the trainer doc publishes: every playbook plus the random decider, 300
runs, root seed 2020 (``tabletop batch SCENARIO --runs 300 --seed 2020 --random --playbook
...``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.batch import BatchResult, recipe_from_files, run_batch
from sim.batch.results import batch_data
from sim.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED_RUNS = 300
PUBLISHED_SEED = 2020
FIXED = 0.98

# Keys whose text is prose, never an expression.
PROSE = {
    "id", "title", "text", "description", "label", "notes", "message", "summary", "prompt",
    "refusal", "players_title", "controllers_title", "brief", "quote", "expected_actions",
    "discussion_questions", "facilitator_notes", "assumptions", "name", "audience", "purpose",
    "scope", "ground_rules", "handling", "file", "publisher", "date", "url", "unit", "ref",
    "provenance", "affiliation", "sponsor", "actor", "owner", "from", "to", "about", "kind",
    "start", "time_unit", "default", "evaluation", "module", "after", "decision", "responses",
    "requires", "reveals", "stops", "starts_response", "response", "of", "format",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def published_batch(scenario_id: str) -> BatchResult:
    """Every bundled playbook of the scenario and the random decider, as the doc publishes."""
    books = sorted((ROOT / "scenarios" / "playbooks").glob(f"{scenario_id}--*.yaml"))
    recipe = recipe_from_files(
        ROOT / "scenarios" / f"{scenario_id}.yaml",
        books,
        runs=PUBLISHED_RUNS,
        seed=PUBLISHED_SEED,
        random_decider=True,
    )
    return run_batch(recipe, chunk_size=PUBLISHED_RUNS)


def fixed_cells(result: BatchResult) -> set[tuple[str, str, str]]:
    """(policy, objective, rating) for every cell where one rating has >= 98% of the runs."""
    out: set[tuple[str, str, str]] = set()
    for p in batch_data(result)["policies"]:
        for o in p["objectives"]:
            for rating in ("met", "partially", "not_met"):
                if o[rating]["count"] >= FIXED * p["runs"]:
                    out.add((p["name"], o["id"], rating))
    return out


def documented_fixed_cells(doc: Path) -> set[tuple[str, str]]:
    """(policy, objective) rows of the doc's 'Cells fixed by design' table."""
    text = doc.read_text(encoding="utf-8")
    section = text.split("## Cells fixed by design", 1)
    assert len(section) == 2, f"{doc.name} has no 'Cells fixed by design' section"
    body = section[1].split("\n## ", 1)[0]
    rows = set()
    for line in body.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] not in ("playbook", "") and not cells[0].startswith("-"):
            rows.add((cells[0], cells[1]))
    return rows


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if key in PROSE:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, key)


def variables_read_by_dynamics(sc: Scenario) -> set[str]:
    """Variables some condition, effect, chance, drift or abort rule reads (objectives and
    prose left out): the variables that shape later play."""
    data = sc.model_dump(by_alias=True, exclude={"objectives", "scenario"})
    names = set(sc.variables)
    read: set[str] = set()
    texts = [t for section in data.values() for t in _strings(section)]
    for text in texts:
        read |= {w for w in WORD.findall(text) if w in names}
    return read


def package_problems(sc: Scenario) -> list[str]:
    """What a CTEP-style exercise package is missing (empty: complete)."""
    info = sc.scenario
    problems = []
    if "EXERCISE" not in info.handling.upper():
        problems.append("no handling caveat")
    if "notional" not in (info.handling + info.summary).lower():
        problems.append("no 'notional' disclaimer")
    if not info.purpose or not info.scope or not info.ground_rules:
        problems.append("purpose, scope or ground rules missing")
    minutes = [m.minutes for m in info.modules]
    if None in minutes or sum(m or 0 for m in minutes) != info.session_minutes:
        problems.append(f"the agenda {minutes} does not fill {info.session_minutes} minutes")
    if not any("hot wash" in m.title.lower() and m.discussion_questions for m in info.modules):
        problems.append("no hot-wash module with questions")
    for a in sc.actors:
        if a.is_player and not a.brief:
            problems.append(f"player cell {a.id} has no role brief")
    for o in sc.objectives:
        if not o.description.startswith("Examine the ability"):
            problems.append(f"objective {o.id} is not capability-based")
        if len(o.evaluation) < 2:
            problems.append(f"objective {o.id} has no evaluation guide")
    return problems
