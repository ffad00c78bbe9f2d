"""Hostile playbooks: naming no scenario, naming nothing, choosing among thousands of options.
`validate scenario playbook` says what `run scenario --playbook playbook` will say."""

from __future__ import annotations

from pathlib import Path

from hostile_cli import invoke, problems, refused_everywhere, scenario

from sim.bundled import resolve

DECISION = """\
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true, decision: d}
decisions:
  - id: d
    owner: gov
    prompt: Go?
    deadline: 10
    default: a
    options:
      - {id: a, label: A}
      - {id: b, label: B}
"""


def test_a_playbook_naming_no_scenario_is_checked_against_the_one_given(tmp_path: Path) -> None:
    """validate said 'ok' of a playbook choosing an option that does not exist, because the
    playbook did not name its scenario; run then refused it."""
    book = "playbook: {id: p}\ndecisions:\n  d: c\n  e: a\n"
    assert refused_everywhere(tmp_path, scenario(DECISION), playbook=book) == [
        "p.yaml:3:6: 'c' is not an option of 'd'; options: a, b",
        "p.yaml:4:3: unknown decision 'e'",
    ]


def test_a_playbook_naming_no_scenario_among_several_is_a_warning(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(
            scenario(DECISION).replace("id: h", f"id: {name}"), encoding="utf-8"
        )
    book = tmp_path / "p.yaml"
    book.write_text("playbook: {id: p}\ndecisions:\n  d: c\n", encoding="utf-8")
    code, out = invoke("validate", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), str(book))
    assert code == 0
    assert problems(out) == [
        "p.yaml:1:11: warning: this playbook names no scenario ('scenario:' under 'playbook'), "
        "so its decisions were not checked"
    ]


def test_a_playbook_written_with_empty_decisions_names_nothing(tmp_path: Path) -> None:
    """`decisions:` with nothing after it was an error ('expected a mapping'), where a
    scenario's section written empty is read as none and the docs give `{}` as the default."""
    book = tmp_path / "p.yaml"
    book.write_text("playbook: {id: p, scenario: h}\ndecisions:\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(scenario(DECISION), encoding="utf-8")
    code, out = invoke("run", str(path), "--playbook", str(book))
    assert code == 0, out
    assert "decision d: chose a (default at the deadline)" in out
    code, out = invoke("validate", str(path), str(book))
    assert code == 0, out


def test_the_options_listed_in_a_problem_are_bounded(tmp_path: Path) -> None:
    """A decision with 15,000 options: one problem was a 109 kB line naming every one (1,000
    options here)."""
    options = "".join(f"      - {{id: o{i}, label: L}}\n" for i in range(1_000))
    text = scenario(DECISION.split("    options:\n")[0] + "    options:\n" + options)
    book = "playbook: {id: p, scenario: h}\ndecisions:\n  d: nope\n"
    (found,) = refused_everywhere(tmp_path, text.replace("default: a", "default: o0"), book)
    assert found.startswith("p.yaml:3:6: 'nope' is not an option of 'd'; options: o0, o1, o2")
    assert found.endswith(", o19 and 980 more")
    assert len(found) < 300


def test_a_scenario_given_as_the_playbook_is_one_problem(tmp_path: Path) -> None:
    """`run s.yaml --playbook s.yaml` listed nine problems (missing key 'playbook', unknown
    key 'actors', ...) where the mirror case, a playbook given as the scenario, says one."""
    quickstart = resolve("quickstart")
    assert quickstart is not None
    for args in (
        ("run", "quickstart", "--playbook", str(quickstart)),
        ("batch", "quickstart", "--runs", "1", "--playbook", str(quickstart)),
        ("report", "quickstart", "--playbook", str(quickstart), "--format", "md"),
    ):
        code, out = invoke(*args)
        assert code == 1, (args, out)
        lines = out.strip().splitlines()
        assert lines[-1] == "1 error", (args, out)
        assert lines[0].endswith(
            "quickstart.yaml:5:1: this is a scenario, not a playbook: a playbook starts with"
            " 'playbook:' (give a scenario as SCENARIO)"
        ), (args, out)
