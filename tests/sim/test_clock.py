"""(v2) The current time in expressions: 'now'."""

from __future__ import annotations

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.playbook import load_playbook_text
from sim.yamlread import read_yaml_text

HEAD = """format: 2
scenario:
  id: clock
  title: Clock
  summary: Time in expressions.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  harm: {initial: 0}
  late: {initial: 0}
"""
BODY = """injects:
  - {id: a, at: 10, from: gov, to: [gov], text: A., invented: true, effects: {harm: "+ now / 10"}}
  - {id: b, at: 30, from: gov, to: [gov], text: B., invented: true, effects: {harm: "+ now / 10"},
     decision: act}
  - {id: c, at: 60, from: gov, to: [gov], text: C., invented: true, if: "now >= 50",
     effects: {late: 1}}
decisions:
  - id: act
    owner: gov
    prompt: Act?
    default: wait
    deadline: 10
    options:
      - {id: wait, label: Wait}
      - {id: act, label: Act, effects: {harm: "= 0"}}
threats:
  - id: spies
    actor: apt
    at: 0
    stages:
      - id: dwell
        duration: 20
        repeat: true
        effects: {harm: "+ 1"}
        next: [{end: true, if: "now >= 70"}]
"""


def test_now_is_the_scenario_time_where_it_is_read() -> None:
    ex = Exercise(load_scenario_text(HEAD + BODY), 0)
    ex.run()
    changes = [(r.time, r.new) for r in ex.records if isinstance(r, ev.VariableChanged)]
    assert (10, 1) in changes  # 0 + 10 / 10
    assert (30, 5) in changes  # after stages at 20 (2): + 30 / 10
    assert ex.value("late") == 1  # the 'if' read now = 60
    reached = [r.time for r in ex.records if isinstance(r, ev.ThreatStageReached)]
    assert reached == [0, 20, 40, 60]  # the round that ends at 80 ends the campaign
    assert ex.value("spies") == "completed"


def test_a_playbook_rule_can_read_now() -> None:
    sc = load_scenario_text(HEAD + BODY)
    book = "playbook: {id: p}\ndecisions:\n  act:\n    - {choose: act, if: 'now >= 25'}\n"
    ex = Exercise(sc, 0)
    play(ex, PlaybookDecider(load_playbook_text(book, sc)))
    assert ex.value("act") == "act"


def test_time_stepping_does_not_change_what_now_reads() -> None:
    sc = load_scenario_text(HEAD + BODY)
    whole = Exercise(sc, 0)
    whole.run()
    for seed in range(5):
        stepped = run_in_random_slices(sc, 0, seed, 13)
        assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in whole.records]


# --- ids share one namespace ------------------------------------------------------------------


def problems(text: str) -> list[tuple[int, str, str]]:
    _, found = check_scenario(read_yaml_text(text, "c.yaml"), text)
    return [(p.line, p.severity, p.message) for p in found]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_an_id_now_is_an_error_in_a_format_2_file() -> None:
    text = HEAD.replace("  late: {initial: 0}\n", "  late: {initial: 0}\n  now: {initial: 0}\n")
    text += BODY.replace("id: spies", "id: now")
    found = [(line, m) for line, sev, m in problems(text) if "current time" in m]
    assert [line for line, _ in found] == [line_of(text, "now: {initial"), line_of(text, "id: now")]
    assert all("'now' is the current time in format 2 expressions; choose" in m for _, m in found)


def test_in_a_file_without_a_version_an_id_now_keeps_its_meaning() -> None:
    """v1 files are unchanged: a variable called 'now' is that variable, not the clock."""
    text = (HEAD + BODY).replace("format: 2\n", "")
    text = text.replace("  late: {initial: 0}\n", "  late: {initial: 0}\n  now: {initial: 7}\n")
    text = text.replace('\n        next: [{end: true, if: "now >= 70"}]', "")
    ex = Exercise(load_scenario_text(text), 0)
    ex.run()
    changes = [(r.time, r.new) for r in ex.records if isinstance(r, ev.VariableChanged)]
    assert (10, 0.7) in changes  # 'now' is the variable (7): + 7 / 10


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("at: 60, from: gov", 'when: "now > 50", from: gov', "'when'"),
        (
            "    at: 0\n    stages:",
            '    at: 0\n    abort_if: "now > 50"\n    stages:',
            "'abort_if'",
        ),
        ("  late: {initial: 0}", '  late: {initial: 0, at_most: "now"}', "a bound"),
    ],
)
def test_now_is_refused_where_a_condition_is_watched(old: str, new: str, what: str) -> None:
    text = (HEAD + BODY).replace(old, new, 1)
    found = [(line, m) for line, sev, m in problems(text) if sev == "error"]
    assert len(found) == 1, found
    assert found[0][0] == line_of(
        text, new.strip().split("\n")[-1] if "\n" not in new else "abort_if"
    )
    assert f"'now' cannot be read in {what}" in found[0][1]


def test_now_is_refused_in_an_objective() -> None:
    text = HEAD + BODY + 'objectives:\n  - {id: o, description: O., met: "now > harm"}\n'
    ((line, sev, message),) = problems(text)
    assert (line, sev) == (line_of(text, "id: o,"), "error")
    assert "'now' cannot be read in an objective" in message


def test_lint_can_reason_about_now() -> None:
    from sim.authoring.reach import Reach

    sc = load_scenario_text(HEAD + BODY)
    reach = Reach(sc)
    assert reach.outcomes("now >= 50") == {True, False}
