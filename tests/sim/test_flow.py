"""The flow graph (sim.flow) and `tabletop graph`: the same graph the loop checks read."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sim.authoring.graph import to_dot, to_mermaid
from sim.flow import Flow, scenario_flow
from sim.loader import load_scenario, load_scenario_text
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"


def edges(flow: Flow) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.kind) for e in flow.edges}


def test_quickstart_flow_links_every_kind_of_element() -> None:
    flow = scenario_flow(load_scenario(QUICKSTART))
    got = edges(flow)
    for edge in [
        ("inject:ally_warning", "decision:answer_ally", "poses"),
        ("decision:answer_ally", "inject:five_agencies", "after"),
        ("decision:answer_ally", "option:answer_ally.cooperate", "option"),
        ("option:answer_ally.cooperate", "response:tell_ally", "starts"),
        ("response:tell_ally", "response:ally_assistance", "starts"),
        ("response:acd_bill", "response:active_takedown", "requires"),
        ("threat:cable_espionage", "stage:cable_espionage.persistence", "stage"),
        ("stage:cable_espionage.persistence", "stage:cable_espionage.exfiltration", "stage"),
        ("response:joint_hunt", "threat:cable_espionage", "stops"),
        ("response:patch_network", "threat:cable_espionage", "slows"),
        ("inject:ally_warning", "threat:cable_espionage", "reveals"),
        ("variable:data_exposed", "inject:press_question", "conditions"),
        ("response:acd_bill", "inject:powers_in_force", "conditions"),
        ("stage:cable_espionage.exfiltration", "variable:data_exposed", "effects"),
        ("variable:ally_trust", "response:tell_ally", "conditions"),
        ("variable:ally_trust", "objective:keep_the_alliance", "conditions"),
    ]:
        assert edge in got, edge
    assert flow.nodes["response:acd_bill"].kind == "law"
    assert flow.waits_on("inject:five_agencies") == ["inject:ally_warning"]


def test_loop_checks_read_the_flow(tmp_path: Path) -> None:
    text = QUICKSTART.read_text(encoding="utf-8").replace(
        "  - id: ally_warning\n    at: 6\n", "  - id: ally_warning\n    after: remediation\n"
    )
    path = tmp_path / "loop.yaml"
    path.write_text(text, encoding="utf-8")
    code = CliRunner().invoke(main, ["validate", str(path)]).exit_code
    assert code == 1
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "injects wait on each other in a loop" in result.stderr
    assert "ally_warning → five_agencies → ally_warning" in result.stderr


HOSTILE = [
    'quote " and \\" backslash \\',
    "brackets ] [ } { ) ( >",
    "arrow --> n0 -.-> x |kind|",
    "line one\nline two",
    "hash #quot; #35; and <b>html</b> & amp",
    "end",
]


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def hostile_flow() -> Flow:
    body = "\n".join(
        f"  - id: i{k}\n    at: {k}\n    from: a\n    to: [a]\n    invented: true\n"
        f"    title: {yaml_quote(title)}\n    text: t"
        for k, title in enumerate(HOSTILE)
    )
    text = (
        "scenario: {id: h, title: t, summary: s, start: 2020-01-01T00:00:00Z, horizon: 10}\n"
        "actors: [{id: a, name: A, affiliation: government}]\n"
        f"injects:\n{body}\n"
    )
    return scenario_flow(load_scenario_text(text))


def test_mermaid_labels_cannot_break_out() -> None:
    text = to_mermaid(hostile_flow())
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    node = re.compile(r'^    n\d+\["[A-Za-z0-9 .,:;_?!()/+%\'#]*"\]$')
    labels = [line for line in lines[1:] if "-->" not in line]
    assert len(labels) == len(HOSTILE)
    for line in labels:
        assert node.match(line), line
        inner = line.split('"')[1]
        # every '#' starts an entity code: no raw '#' that Mermaid could misread
        assert re.fullmatch(r"([^#]|#\d+;)*", inner), inner
    assert "-->" not in "\n".join(labels)
    assert "line one#10;line two" not in text  # newlines collapse to one line
    assert "line one line two" in text


def test_dot_labels_cannot_break_out() -> None:
    text = to_dot(hostile_flow(), title='evil" ]; x -> y; "')
    lines = text.splitlines()
    assert lines[0] == "digraph flow {" and lines[-1] == "}"
    string = r'"(?:[^"\\\n]|\\.)*"'
    node = re.compile(rf"^    n\d+ \[shape=\w+, label={string}\];$")
    for line in lines[4:-1]:
        assert node.match(line) or re.match(rf"^    n\d+ -> n\d+ \[label={string}", line), line
    assert re.fullmatch(rf"    label={string};", lines[1]), lines[1]


def test_graph_command_writes_both_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["graph", str(QUICKSTART)])
    assert result.exit_code == 0 and result.stdout.startswith("flowchart TD")
    out = tmp_path / "flow.dot"
    result = runner.invoke(main, ["graph", "quickstart", "--format", "dot", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("digraph flow {")
    result = runner.invoke(main, ["graph", "quickstart", "--no-variables"])
    assert "variable" not in result.stdout
    assert runner.invoke(main, ["graph", "quickstart", "--format", "svg"]).exit_code == 2
    assert runner.invoke(main, ["graph", str(tmp_path / "missing.yaml")]).exit_code == 2
