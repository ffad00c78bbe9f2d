"""(v2) Detection at a rate over time: found after an exponential time, however time is cut."""

from __future__ import annotations

import math
import statistics

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.schema import Scenario
from sim.yamlread import read_yaml_text

RATE = 0.05
"""Detections per hour: a median time to detection of ln 2 / 0.05 ≈ 13.9 hours."""

HEAD = """format: 2
scenario:
  id: rate
  title: Rate
  summary: A campaign found at a rate.
  start: 2020-01-01T00:00:00+00:00
  horizon: 200
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  monitoring: {initial: 1}
injects:
  - {id: start, at: 0, from: gov, to: [gov], text: Go., invented: true}
threats:
  - id: spies
    actor: apt
    at: 0
    stages:
"""


def scenario(stages: str) -> Scenario:
    return load_scenario_text(HEAD + stages, "r.yaml")


def detected_at(sc: Scenario, seed: int) -> float | None:
    ex = Exercise(sc, seed)
    ex.run()
    found = [r.time for r in ex.records if isinstance(r, ev.ThreatDetected)]
    return found[0] if found else None


def times(sc: Scenario, n: int) -> list[float]:
    out = [detected_at(sc, seed) for seed in range(n)]
    return [t if t is not None else math.inf for t in out]


ONE_LONG = f"      - {{id: dwell, duration: 190, detect_rate: {RATE}}}\n"
MANY_SHORT = f"      - {{id: dwell, duration: 2, repeat: true, detect_rate: {RATE}}}\n"
EXPRESSION = f'      - {{id: dwell, duration: 190, detect_rate: "{RATE} * monitoring"}}\n'


@pytest.mark.parametrize(
    "stages", [ONE_LONG, MANY_SHORT, EXPRESSION], ids=["one-round", "rounds", "expression"]
)
def test_the_median_time_to_detection_is_ln2_over_the_rate(stages: str) -> None:
    n = 800
    found = times(scenario(stages), n)
    median = statistics.median(found)
    # the sample median of n exponentials has a standard error of about 1 / (rate * sqrt(n))
    assert abs(median - math.log(2) / RATE) < 4 / (RATE * math.sqrt(n)), median
    # and the share found within 10 hours is 1 - exp(-rate * 10), within binomial noise
    p = 1 - math.exp(-RATE * 10)
    share = sum(t <= 10 for t in found) / n
    assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / n), share


def test_cutting_a_stage_into_rounds_does_not_change_the_distribution() -> None:
    """Rounds of 2 hours or one round of 190 hours: the same share is found in each decile of
    the exponential (a two-sample check on 800 seeds each)."""
    n = 800
    long_, short = times(scenario(ONE_LONG), n), times(scenario(MANY_SHORT), n)
    for q in (0.1, 0.25, 0.5, 0.75, 0.9):
        cut = -math.log(1 - q) / RATE
        a = sum(t <= cut for t in long_) / n
        b = sum(t <= cut for t in short) / n
        assert abs(a - b) < 4 * math.sqrt(2 * q * (1 - q) / n), (q, a, b)


def test_a_rate_that_reads_the_state_follows_it() -> None:
    sc = scenario(EXPRESSION)
    blind = load_scenario_text(
        (HEAD + EXPRESSION).replace("monitoring: {initial: 1}", "monitoring: {initial: 0}")
    )
    assert all(detected_at(blind, seed) is None for seed in range(50))
    assert (
        sum(detected_at(sc, seed) is not None for seed in range(50)) == 50
    )  # 190 h: missed with chance e**-9.5


def test_the_rate_has_its_own_stream_so_durations_do_not_move() -> None:
    text = "      - {id: dwell, duration: {uniform: [5, 50]}, detect_rate: %s}\n"
    for seed in range(30):
        ends = []
        for rate in ("0", "0.2"):
            ex = Exercise(scenario(text % rate), seed)
            ex.run()
            ends.append([r.time for r in ex.records if isinstance(r, ev.ThreatCompleted)])
        assert ends[0] == pytest.approx(ends[1], abs=1e-9)


def test_detect_and_detect_rate_together_the_earlier_wins() -> None:
    sc = scenario("      - {id: dwell, duration: 100, detect: 1, detect_rate: 1000}\n")
    for seed in range(20):
        t = detected_at(sc, seed)
        assert t is not None and t < 0.1  # the rate finds it in about a thousandth of an hour


def test_time_stepping_does_not_change_the_log() -> None:
    sc = scenario(MANY_SHORT.replace("duration: 2,", "duration: {uniform: [0.5, 3]},"))
    for seed in range(5):
        whole = Exercise(sc, seed)
        whole.run()
        stepped = run_in_random_slices(sc, seed, seed, 40)
        assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in whole.records]


# --- bad cases -------------------------------------------------------------------------------


def problems(text: str) -> list[tuple[int, int, str]]:
    _, found = check_scenario(read_yaml_text(text, "r.yaml"), text)
    return [(p.line, p.col, p.message) for p in found]


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("-0.5", "cannot be negative"),
        ('"monitorng * 2"', "unknown name 'monitorng' (did you mean 'monitoring'?)"),
        ('"monitoring > 1 +"', "invalid syntax"),
        ("[1]", "expected a number"),
    ],
)
def test_bad_rates_are_reported_at_their_places(rate: str, message: str) -> None:
    text = HEAD + f"      - {{id: a, duration: 10, detect_rate: {rate}}}\n"
    found = problems(text)
    assert found and all(line == HEAD.count("\n") + 1 for line, _c, _m in found), found
    assert message in found[0][2]


def test_a_rate_in_a_format_1_file_is_refused() -> None:
    found = problems((HEAD + ONE_LONG).replace("format: 2", "format: 1"))
    assert len(found) == 1 and "'detect_rate' is a format 2 key" in found[0][2]
