"""Every v1 file behaves as it did before format v2: the same log, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from v1_golden import V1, Case, cases, render

from sim.loader import load_scenario


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_v1_log_is_unchanged(case: Case) -> None:
    assert case.golden.exists(), f"missing golden log {case.golden.name}"
    assert render(case) == case.golden.read_text(encoding="utf-8")


def test_every_golden_log_has_a_case() -> None:
    names = {c.golden.name for c in cases()}
    assert {p.name for p in (V1 / "golden").glob("*.json")} == names


@pytest.mark.parametrize("path", sorted(V1.rglob("*.yaml")), ids=lambda p: p.name)
def test_v1_fixtures_state_no_format_version(path: Path) -> None:
    """The fixtures are v1 as written: no 'format' key, so they test the implicit version."""
    assert "\nformat:" not in "\n" + path.read_text(encoding="utf-8")


def test_the_bundled_v1_scenarios_still_load() -> None:
    for path in sorted((V1 / "scenarios").glob("*.yaml")):
        assert load_scenario(path).scenario.id == path.stem
