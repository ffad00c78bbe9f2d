"""The v1 compatibility fixtures: every v1 file as it stood before the v2 work, and its logs.

``tests/data/v1/`` holds copies of the bundled scenarios, their playbooks and the tutorial's
files as they stood when the format v2 work began (issue #13), and ``golden/`` the JSON log
(``tabletop run --format json``) of seeded runs of each: with each playbook and with the
default decider (every decision defaults at its deadline). The engine must reproduce them byte
for byte.

Regenerate the logs (``python tests/compat/v1_golden.py``) only for a deliberate, documented
change of the log's content or of the random streams, and say so in the commit message.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
V1 = ROOT / "tests" / "data" / "v1"
GOLDEN = V1 / "golden"
SEEDS = (None, 1, 2)
"""The scenario's own seed, then two more."""


@dataclass(frozen=True)
class Case:
    """One golden run: a scenario file, a playbook file (or none) and a seed."""

    scenario: Path
    playbook: Path | None
    seed: int | None

    @property
    def name(self) -> str:
        book = self.playbook.stem if self.playbook else f"{self.scenario.stem}--deadline"
        return f"{book}--seed-{'default' if self.seed is None else self.seed}"

    @property
    def golden(self) -> Path:
        return GOLDEN / f"{self.name}.json"


def cases() -> list[Case]:
    """Every scenario with the default decider and with each of its playbooks, at each seed."""
    pairs: list[tuple[Path, Path | None]] = []
    for scenario in sorted((V1 / "scenarios").glob("*.yaml")):
        pairs.append((scenario, None))
        for book in sorted((V1 / "playbooks").glob(f"{scenario.stem}--*.yaml")):
            pairs.append((scenario, book))
    tutorial = V1 / "tutorial"
    for step in sorted(tutorial.glob("step*.yaml")):
        pairs.append((step, None))
    pairs.append((tutorial / "tutorial.yaml", None))
    for book in sorted(tutorial.glob("tutorial--*.yaml")):
        pairs.append((tutorial / "tutorial.yaml", book))
    return [Case(s, b, seed) for s, b in pairs for seed in SEEDS]


def render(case: Case) -> str:
    """The run's JSON log, as `tabletop run --format json` prints it."""
    from sim.deciders import Decider, DefaultDecider, PlaybookDecider, play
    from sim.engine import Exercise
    from sim.loader import load_scenario
    from sim.playbook import load_playbook
    from sim.report import RunResult

    scenario = load_scenario(case.scenario)
    decider: Decider = DefaultDecider()
    label = None
    if case.playbook is not None:
        book = load_playbook(case.playbook, scenario)
        decider = PlaybookDecider(book)
        label = book.playbook.id
    exercise = Exercise(scenario, case.seed)
    play(exercise, decider)
    return RunResult(exercise, label).to_json()


def regenerate() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.glob("*.json"):
        old.unlink()
    for case in cases():
        case.golden.write_text(render(case), encoding="utf-8")
        print(case.golden.relative_to(ROOT))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    regenerate()
