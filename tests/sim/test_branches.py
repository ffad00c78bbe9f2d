"""(v2) Threat stage branches: adversaries that escalate, retool or go quiet."""

from __future__ import annotations

import math

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.deciders import DefaultDecider, PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.playbook import load_playbook_text
from sim.schema import Scenario
from sim.views import records
from sim.yamlread import read_yaml_text

HEAD = """format: 2
scenario:
  id: branches
  title: Branches
  summary: A campaign that chooses its way.
  start: 2020-01-01T00:00:00+00:00
  horizon: 200
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  sanctions: {initial: 0}
  harm: {initial: 0}
injects:
  - {id: start, at: 0, from: gov, to: [gov], text: Go., invented: true, decision: punish}
decisions:
  - id: punish
    owner: gov
    prompt: Sanction them?
    default: wait
    deadline: 5
    options:
      - {id: wait, label: Wait}
      - {id: sanction, label: Sanction, effects: {sanctions: 1}}
threats:
  - id: spies
    actor: apt
    at: 0
    stages:
"""

CHANCE = (
    HEAD
    + """      - id: probe
        duration: 10
        next:
          - {stage: strike, weight: 3}
          - {end: true, weight: 1}
      - {id: strike, duration: 5, effects: {harm: + 1}}
"""
)


def scenario(text: str) -> Scenario:
    return load_scenario_text(text, "b.yaml")


def problems(text: str) -> list[tuple[int, int, str, str]]:
    _, found = check_scenario(read_yaml_text(text, "b.yaml"), text)
    return [(p.line, p.col, p.severity, p.message) for p in found]


def branched(ex: Exercise) -> list[ev.ThreatBranched]:
    return [r for r in ex.records if isinstance(r, ev.ThreatBranched)]


def run(sc: Scenario, seed: int, choice: str | None = None) -> Exercise:
    ex = Exercise(sc, seed)
    if choice is None:
        play(ex, DefaultDecider())
    else:
        book = f"playbook: {{id: p}}\ndecisions: {{punish: {choice}}}\n"
        play(ex, PlaybookDecider(load_playbook_text(book, sc)))
    return ex


def within_binomial(hits: int, n: int, p: float) -> bool:
    """True if hits/n is within 4 standard deviations of p (fails by chance ~1 in 15,000)."""
    return abs(hits / n - p) <= 4 * math.sqrt(p * (1 - p) / n)


# --- by chance --------------------------------------------------------------------------------


def test_branch_shares_over_many_seeds_match_the_weights() -> None:
    sc = scenario(CHANCE)
    n = 600
    struck = 0
    for seed in range(n):
        ex = run(sc, seed)
        (b,) = branched(ex)
        assert b.stage == "probe" and b.time == 10
        if b.to == "strike":
            struck += 1
            assert b.chance == 0.75 and ex.value("harm") == 1
        else:
            assert b.to == "" and b.chance == 0.25 and ex.value("harm") == 0
        assert ex.value("spies") == "completed"  # quiet or done, the campaign is over
    from sim.describe import describe

    said = describe(branched(run(sc, 0))[0], sc, controller=True)
    assert said.startswith("threat spies ") and "after probe (chance " in said
    assert within_binomial(struck, n, 0.75)


def test_a_branch_draw_does_not_shift_the_threat_s_other_dice() -> None:
    """Stage durations come from the threat's stream, branches from their own: the strike's
    duration for a seed is the same whatever the weights."""
    text = CHANCE.replace("duration: 5,", "duration: {uniform: [1, 9]},")
    heavy = scenario(text.replace("weight: 3", "weight: 1000"))
    light = scenario(text)
    for seed in range(40):
        a, b = run(heavy, seed), run(light, seed)
        if branched(b)[0].to == "strike":
            ends = [
                [r.time for r in ex.records if isinstance(r, ev.ThreatCompleted)] for ex in (a, b)
            ]
            assert ends[0] == ends[1]


# --- on a condition ----------------------------------------------------------------------------

REACT = (
    HEAD
    + """      - id: dwell
        duration: 20
        next:
          - {stage: wipe, if: "sanctions > 0"}
          - {stage: dwell, if: "sanctions == 0 and harm < 3"}
      - {id: steal, duration: 1, effects: {harm: + 1}}
      - {id: wipe, duration: 5, effects: {harm: + 10}}
"""
)


def test_condition_branches_follow_the_state() -> None:
    sc = scenario(REACT)
    calm = run(sc, 1, "wait")
    # no sanctions: dwell three more times (harm stays 0 < 3), then the default: the next stage
    assert [b.to for b in branched(calm)] == ["dwell"] * 9  # horizon 200 / 20 = 10 rounds
    assert calm.value("harm") == 0
    angry = run(sc, 1, "sanction")
    (b,) = branched(angry)
    assert (b.to, b.time, b.chance) == ("wipe", 20.0, 1.0)
    assert angry.value("harm") == 10 and angry.value("spies") == "completed"


def test_when_no_branch_is_possible_the_next_stage_follows() -> None:
    sc = scenario(REACT.replace("harm < 3", "harm < 0"))
    ex = run(sc, 1, "wait")
    assert not branched(ex)
    reached = [r.stage for r in ex.records if isinstance(r, ev.ThreatStageReached)]
    assert reached == ["dwell", "steal", "wipe"]
    assert ex.value("harm") == 11


def test_a_repeating_stage_with_branches_leaves_when_one_is_possible() -> None:
    text = (
        HEAD
        + """      - id: steal
        duration: 10
        repeat: true
        effects: {harm: + 1}
        next: [{end: true, if: "sanctions > 0"}]
"""
    )
    sc = scenario(text)
    assert run(sc, 0, "wait").value("harm") == 19  # repeats to the horizon (200)
    punished = run(sc, 0, "sanction")
    assert punished.value("harm") == 1 and punished.value("spies") == "completed"


def test_an_adversary_can_retool_and_go_back_to_an_earlier_stage() -> None:
    text = (
        HEAD
        + """      - {id: phish, duration: 4}
      - id: exploit
        duration: 6
        effects: {harm: + 1}
        next:
          - {stage: phish, if: "harm < 3"}
          - {end: true, if: "harm >= 3"}
"""
    )
    ex = run(scenario(text), 0)
    reached = [r.stage for r in ex.records if isinstance(r, ev.ThreatStageReached)]
    assert reached == ["phish", "exploit"] * 3
    assert ex.value("harm") == 3 and ex.now == 200


# --- the players never see a hidden campaign's branching ----------------------------------------


@pytest.mark.parametrize("seed", range(25))
def test_players_never_see_a_hidden_campaign_branch(seed: int) -> None:
    sc = scenario(CHANCE.replace("effects: {harm: + 1}", "effects: {harm: + 1}, detect: 0.5"))
    ex = run(sc, seed)
    seen = records(ex, controller=False)
    assert not any(isinstance(r, ev.ThreatBranched) for r in seen)
    if "spies" not in ex.threat_detected:
        assert not any("spies" in str(r.to_dict()) for r in seen)
    assert branched(ex) and all(b.audience == ev.FACILITATOR_ONLY for b in branched(ex))


# --- determinism ------------------------------------------------------------------------------


def log(ex: Exercise) -> list[dict[str, object]]:
    return [r.to_dict() for r in ex.records]


@pytest.mark.parametrize("text", [CHANCE, REACT], ids=["chance", "condition"])
def test_time_stepping_does_not_change_the_branches(text: str) -> None:
    sc = scenario(text.replace("duration: 10", "duration: {uniform: [5, 15]}"))
    for seed in range(5):
        whole = Exercise(sc, seed)
        whole.run()
        stepped = run_in_random_slices(sc, seed, seed, 7)
        assert log(stepped) == log(whole)
        again = Exercise(sc, seed)
        again.run()
        assert log(again) == log(whole)


# --- bad cases first: every problem at once, at its line and column ---------------------------


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def col_of(text: str, needle: str) -> int:
    at = text.index(needle)
    return at - text.rfind("\n", 0, at)


def test_bad_branches_are_all_reported_at_their_places() -> None:
    text = (
        HEAD
        + """      - id: probe
        duration: 10
        next:
          - {stage: strike, weight: 0}
          - {stage: strike, weight: -2}
          - {stage: strike, end: true}
          - {weight: 2}
      - {id: strike, duration: 5}
"""
    )
    found = problems(text)
    first = line_of(text, "weight: 0")
    assert [(line, sev) for line, _c, sev, _m in found] == [
        (first + k, "error") for k in range(4)
    ], found
    messages = [m for *_, m in found]
    assert all("greater than 0" in m for m in messages[:2])
    assert all("goes to a 'stage' or ends the campaign" in m for m in messages[2:])


def test_branches_to_unknown_stages_or_names_are_reported_together() -> None:
    text = (
        HEAD
        + """      - id: probe
        duration: 10
        next:
          - {stage: strik}
          - {stage: strike, if: "sanctons > 0"}
      - {id: strike, duration: 5}
"""
    )
    found = problems(text)
    assert [(line, col) for line, col, _s, _m in found] == [
        (line_of(text, "{stage: strik}"), col_of(text, "strik}")),
        (line_of(text, "sanctons"), col_of(text, "sanctons")),
    ], found
    assert "unknown stage 'strik' of threat 'spies' (did you mean 'strike'?)" in found[0][3]
    assert "unknown name 'sanctons'" in found[1][3]


def test_an_empty_list_of_branches_is_refused() -> None:
    found = problems(HEAD + "      - {id: probe, duration: 10, next: []}\n")
    assert len(found) == 1 and found[0][0] == line_of(HEAD, "    stages:") + 1


def test_a_loop_of_stages_in_no_time_is_an_error() -> None:
    text = (
        HEAD
        + """      - {id: a, duration: 0, next: [{stage: b}]}
      - {id: b, duration: 0, next: [{stage: a}]}
"""
    )
    ((line, _col, sev, message),) = problems(text)
    assert (line, sev) == (line_of(text, "{id: a,"), "error")
    assert "a → b → a can loop for ever without time passing" in message


def test_a_loop_with_no_way_out_is_a_warning_and_one_with_an_exit_is_fine() -> None:
    loop = (
        HEAD
        + """      - {id: a, duration: 3, next: [{stage: b}]}
      - {id: b, duration: 3, next: [{stage: a}]}
"""
    )
    ((line, _col, sev, message),) = problems(loop)
    assert (line, sev) == (line_of(loop, "{id: a,"), "warning") and "no way out" in message
    ex = run(scenario(loop), 0)  # the run budget is never the limit: time passes
    assert ex.finished and ex.value("spies") == "undetected"
    exit_ = loop.replace("next: [{stage: a}]", "next: [{stage: a, weight: 9}, {end: true}]")
    assert problems(exit_) == []


def test_a_plain_repeating_stage_in_a_branched_campaign_is_not_a_loop_warning() -> None:
    text = (
        HEAD
        + """      - {id: a, duration: 3, next: [{stage: b}, {end: true}]}
      - {id: b, duration: 3, repeat: true}
"""
    )
    assert problems(text) == []


def test_a_branch_in_a_format_1_file_is_refused() -> None:
    text = CHANCE.replace("format: 2", "format: 1")
    found = problems(text)
    assert [(line, sev) for line, _c, sev, _m in found] == [(line_of(text, "next:"), "error")]
    assert "format 2" in found[0][3]
