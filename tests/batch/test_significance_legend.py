"""The text output says what its significance mark means: McNemar's p, not the interval.

With few discordant runs the two can disagree: 4 runs met under B only, none under A only, in
50 pairs gives -8.0% [-15.5%, -0.5%] (a normal approximation that excludes 0) but McNemar's
exact p = 2 / 16 = 0.125: not marked. A reader must be told which one the mark follows.
"""

from __future__ import annotations

from typing import Any

from sim.batch.results import to_text
from sim.batch.stats import mcnemar


def _data(only_a: int, only_b: int, n: int) -> dict[str, Any]:
    test = mcnemar(only_a, only_b, n)
    d = test.difference
    objective = {
        "id": "keep_the_alliance",
        "met_a": 0.5,
        "met_b": 0.58,
        "difference": {"estimate": d.estimate, "low": d.low, "high": d.high},
        "only_a": only_a,
        "only_b": only_b,
        "p_value": test.p_value,
        "significant": test.significant,
    }
    return {
        "title": "t",
        "runs_done": n,
        "runs_requested": n,
        "root_seed": 1,
        "partial": False,
        "policies": [],
        "comparisons": [
            {"a": "A", "b": "B", "paired_runs": n, "objectives": [objective], "variables": []}
        ],
        "sensitivity": [],
        "failures": {"count": 0, "first": []},
    }


def test_an_interval_excluding_zero_with_mcnemar_p_over_5pc_is_unmarked_and_the_legend_says_why() -> (
    None
):
    out = to_text(_data(0, 4, 50))
    row = next(line for line in out.splitlines() if "keep_the_alliance" in line)
    assert "-8.0% [-15.5%, -0.5%]" in row and "p=0.125" in row
    assert not row.lstrip().startswith("*")
    legend = out[out.index("Paired comparison") : out.index("keep_the_alliance")]
    assert "* = p < 0.05" in legend
    assert "not the interval" in legend, "the legend says the mark follows McNemar's p"


def test_a_small_mcnemar_p_is_marked() -> None:
    out = to_text(_data(0, 12, 50))
    row = next(line for line in out.splitlines() if "keep_the_alliance" in line)
    assert row.lstrip().startswith("*")
