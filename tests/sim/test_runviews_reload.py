"""Run views are made once per scenario and shared by its runs. A process that plays one
scenario and then another version of it (the console's `--watch` reload of a saved file, a
Dask worker given one batch and then the next, the batch's parsed-recipe cache) must play the
second with the second's numbers: same ids, other durations, deadlines, effects and odds.

Each second run is compared with the same text played in a fresh process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")

CHANGES = [  # the same ids, other numbers: in stages, responses, decisions and injects
    ("duration: {triangular: [24, 48, 120]}", "duration: {triangular: [2, 4, 8]}"),
    ('effects: {data_exposed: "+ 1.5"}', 'effects: {data_exposed: "+ 4.5"}'),
    ("delay: {uniform: [2, 12]}", "delay: {uniform: [30, 40]}"),
    ("success: 0.6", "success: 0.05"),
    ("deadline: 24", "deadline: 3"),
    ("duration: {uniform: [48, 96]}", "duration: {uniform: [4, 6]}"),
    ('effects: {ally_trust: "- 0.15"}', 'effects: {ally_trust: "- 0.45"}'),
]


def _texts() -> tuple[str, str]:
    first = (ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8")
    second = first
    for old, new in CHANGES:
        assert old in second, old
        second = second.replace(old, new)
    return first, second


def _here(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _fresh(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [TABLETOP, *args], capture_output=True, text=True, cwd=cwd, timeout=300, check=True
    )
    return done.stdout


RUN = ("run", "scenario.yaml", "--seed", "7", "--decider", "random", "--format", "json")
BATCH = ("batch", "scenario.yaml", "--runs", "6", "--random", "--format", "json")


def test_a_saved_new_version_of_a_scenario_is_played_with_its_own_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _texts()
    path = tmp_path / "scenario.yaml"
    monkeypatch.chdir(tmp_path)
    path.write_text(first, encoding="utf-8")
    before = _here(*RUN), _here(*BATCH)
    path.write_text(second, encoding="utf-8")  # saved again, as `--watch` sees it
    after = _here(*RUN), _here(*BATCH)
    assert after[0] != before[0] and after[1] != before[1], "the numbers must change the runs"
    assert after[0] == _fresh(*RUN, cwd=tmp_path)
    assert after[1] == _fresh(*BATCH, cwd=tmp_path)
    path.write_text(first, encoding="utf-8")  # and back again
    assert (_here(*RUN), _here(*BATCH)) == before
