"""Hostile shapes for `tabletop lint`: long chains of injects, decisions, responses and laws,
a chain of conditions, deep nesting, wide fan-out (tests/sim/hostile_shapes.py). The work is
counted in looks at an element and conditions decided, never timed: it must grow in proportion
to the file, and the findings on a long chain must be right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import reach_reference
from hostile_shapes import (
    SHAPES,
    after_chain_reversed,
    decision_chain,
    threshold_chain,
    when_chain,
    wide_decision,
)

import sim.authoring.reach as reach
import sim.authoring.static as static
from sim.authoring.lint import Finding, lint_paths
from sim.loader import check_scenario_file
from sim.schema import Option

REPO = Path(__file__).resolve().parents[2]
CHAINS = [
    "after_chain",
    "after_chain_reversed",
    "when_chain",
    "decision_chain",
    "response_chain",
    "law_chain",
    "variable_chain",
    "threshold_chain",
    "fan_out",
    "wide_decision",
    "deep_nesting",
]


class _Counts:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.triggers = self.conditions = self.mays = 0
        real_trigger, real_outcomes, real_may = (
            reach._trigger_may_fire,
            reach.Reach.outcomes,
            reach._may,
        )

        def trigger(*args: object) -> bool:
            self.triggers += 1
            return real_trigger(*args)  # type: ignore[arg-type]

        def outcomes(r: reach.Reach, source: str | float) -> set[bool]:
            self.conditions += 1
            return real_outcomes(r, source)

        def may(*args: object) -> bool:
            self.mays += 1
            return real_may(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(reach, "_may", may)
        monkeypatch.setattr(reach, "_trigger_may_fire", trigger)
        monkeypatch.setattr(reach.Reach, "outcomes", outcomes)


def _lint(tmp_path: Path, text: str) -> list[Finding]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return lint_paths([path])


@pytest.mark.parametrize("shape", CHAINS)
def test_what_may_happen_is_worked_out_with_work_in_proportion_to_the_chain(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written last link first, a chain of 1,200 injects took one pass over every inject per
    link: 720,000 looks at an inject (14,000 injects, the most a file holds: 10⁸, minutes);
    a chain of responses, one pass over every response per link. An element is looked at
    about once per change of what it waits for: a reader of a variable at most 12 times (its
    range is taken whole after 10 steps), so at most 12 looks per element."""
    counts = _Counts(monkeypatch)
    for n in (300, 1_200):
        counts.triggers = counts.conditions = counts.mays = 0
        findings = _lint(tmp_path, SHAPES[shape](n))
        assert not [f for f in findings if f.level == "error"], findings[:3]
        assert counts.triggers <= 12 * n, (n, counts.triggers)
        assert counts.conditions <= 12 * n, (n, counts.conditions)
        assert counts.mays <= 24 * n, (n, counts.mays)


def test_a_long_chain_written_last_link_first_fires_to_its_end(tmp_path: Path) -> None:
    findings = _lint(tmp_path, after_chain_reversed(3_000))
    assert [f.code for f in findings] == ["TT105", "TT103", "TT104"]  # nothing about the injects


def test_a_long_chain_whose_first_link_never_fires_never_fires_at_all(tmp_path: Path) -> None:
    text = after_chain_reversed(3_000).replace("id: i0, at: 1,", "id: i0, at: 1000000,")
    never = [f for f in _lint(tmp_path, text) if f.code == "TT101"]
    assert len(never) == 2_999
    assert never[0].message == "inject 'i2999' never fires: its 'after' inject never fires"


def test_a_long_chain_of_conditions_fires_to_its_end(tmp_path: Path) -> None:
    findings = _lint(tmp_path, when_chain(3_000))
    assert not [f for f in findings if f.code == "TT101"]
    broken = when_chain(3_000).replace("i1, when: \"i0 == 'delivered'\"", "i1, when: 'v > 1'")
    never = [f for f in _lint(tmp_path, broken) if f.code == "TT101"]
    assert len(never) == 2_999  # i1 waits for 'v > 1', never true; so does every later one


def test_a_variable_pushed_lower_link_after_link_lets_the_whole_chain_fire(
    tmp_path: Path,
) -> None:
    """After 10 steps the variable is taken to span its whole range: no inject is said never
    to fire, and the work stays in proportion (a condition decided once per step and reader)."""
    findings = _lint(tmp_path, threshold_chain(3_000))
    assert [f.code for f in findings] == ["TT105"]


def _valid_scenarios() -> list[Path]:
    found = [*REPO.glob("scenarios/*.yaml"), *REPO.glob("tests/**/*.yaml")]
    found += REPO.glob("docs/**/*.yaml")
    return sorted(found)


def test_what_may_happen_is_what_the_passes_over_the_file_found(tmp_path: Path) -> None:
    """The same sets, ranges and statuses as the reference (one pass over the file per round)
    on every scenario in the repository and on small hostile shapes."""
    paths = _valid_scenarios()
    for shape in CHAINS:
        for n in (2, 7) if shape == "threshold_chain" else (2, 7, 40):  # (its range: 10 steps)
            paths.append(tmp_path / f"{shape}_{n}.yaml")
            paths[-1].write_text(SHAPES[shape](n), encoding="utf-8")
    compared = 0
    for path in paths:
        scenario, _ = check_scenario_file(path)
        if scenario is None:
            continue
        compared += 1
        new, old = reach.analyse(scenario), reach_reference.analyse(scenario)
        for part in ("fired", "posed", "started", "enacted", "ranges", "statuses"):
            assert getattr(new, part) == getattr(old, part), (path.name, part)
    assert compared >= 50


class _CountedDecisions(list[Any]):
    passes = 0

    def __iter__(self) -> Any:
        _CountedDecisions.passes += 1
        return super().__iter__()


def test_a_long_chain_of_decisions_that_never_starts_is_reported_in_a_few_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each inject that never fires gathered every decision's id to say what its 'after'
    names: n²/4 steps for a chain of n injects and decisions whose first inject never fires."""
    real = static.Context.__init__

    def counted(ctx: static.Context, *args: Any) -> None:
        real(ctx, *args)
        object.__setattr__(ctx.s, "decisions", _CountedDecisions(ctx.s.decisions))

    monkeypatch.setattr(static.Context, "__init__", counted)
    for n in (200, 800):
        _CountedDecisions.passes = 0
        text = decision_chain(n).replace("id: i0, at: 1,", "id: i0, at: 1000000,")
        never = [f for f in _lint(tmp_path, text) if f.code == "TT101"]
        assert len(never) == n // 2 - 1
        assert never[-1].message == "inject 'i1' never fires: its 'after' decision is never posed"
        assert _CountedDecisions.passes <= 20, (n, _CountedDecisions.passes)


def test_a_decision_with_thousands_of_options_is_linted_without_comparing_them_in_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TT102 asked of each option whether it was among the idle ones by comparing it with each
    of them: n²/2 comparisons of options for one decision of n options (4,000: 16 s)."""
    compared = 0
    real = Option.__eq__

    def counted(self: Option, other: object) -> bool:
        nonlocal compared
        compared += 1
        return real(self, other)

    monkeypatch.setattr(Option, "__eq__", counted)
    for n in (200, 800):
        compared = 0
        idle = [f for f in _lint(tmp_path, wide_decision(n)) if f.code == "TT102"]
        assert len(idle) == n  # every option changes nothing, the default too
        assert idle[-1].message == (
            f"option 'o{n - 1}' changes nothing: no effects, no responses, and no condition "
            "reads 'd'"
        )
        assert compared <= 4 * n, (n, compared)
