"""What a batch runs: the scenario and playbook texts, the root seed and the number of runs.

A recipe is plain data (texts and numbers), so it pickles cheaply and travels to any worker
process or Dask worker; each worker parses it once (see ``sim.batch.replicate``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

RANDOM = "random"
"""The policy name of the random decider (every decision chosen uniformly, at once)."""


@dataclass(frozen=True)
class PolicyText:
    """One policy to compare: a playbook's text, or the random decider (text None)."""

    name: str
    text: str | None = None
    path: str = "<string>"
    """Where the text came from, for problem messages."""


@dataclass(frozen=True)
class Recipe:
    """A Monte Carlo batch: every run index in [0, runs) is played under every policy."""

    scenario_text: str
    scenario_path: str
    policies: tuple[PolicyText, ...]
    root_seed: int
    runs: int
    key: str = field(default="", compare=False)
    """A digest of the texts, so a worker parses each recipe once."""

    def __post_init__(self) -> None:
        if not self.key:
            h = hashlib.sha256(self.scenario_text.encode("utf-8"))
            for p in self.policies:
                h.update(b"\0" + p.name.encode("utf-8") + b"\0" + (p.text or "").encode("utf-8"))
            object.__setattr__(self, "key", h.hexdigest())

    @property
    def policy_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.policies)


def recipe_from_files(
    scenario: str | os.PathLike[str],
    playbooks: Sequence[str | os.PathLike[str]] = (),
    *,
    runs: int,
    seed: int | None = None,
    random_decider: bool = False,
) -> Recipe:
    """A recipe from a scenario file and playbook files (none: the random decider).

    The files are read and checked here, so a bad file fails before any work is handed out:
    problems raise ``InputProblems``. The root seed defaults to the scenario's seed.
    """
    from sim.loader import load_scenario_text
    from sim.playbook import load_playbook_text
    from sim.problems import InputProblems, Problem

    text = _read(scenario)
    model = load_scenario_text(text, str(scenario))
    policies = []
    problems: list[Problem] = []
    for path in playbooks:  # every playbook's problems at once, not the first one's
        try:
            book_text = _read(path)
            book = load_playbook_text(book_text, model, str(path))
        except InputProblems as exc:
            problems += exc.problems
            continue
        policies.append(PolicyText(book.playbook.id, book_text, str(path)))
    if problems:
        raise InputProblems(problems)
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise ValueError(f"the same playbook id appears twice: {', '.join(names)}")
    if random_decider or not policies:
        policies.append(PolicyText(RANDOM))
    root = model.scenario.seed if seed is None else seed
    return Recipe(text, str(scenario), tuple(policies), root, runs)


def _read(path: str | os.PathLike[str]) -> str:
    """A file's text, after the hardened reader's checks (size, encoding, control characters);
    the text is validated again when it is parsed."""
    from sim.yamlread import read_yaml_file

    read_yaml_file(path, display_path=str(path))
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()
