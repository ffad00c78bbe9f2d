"""`tabletop run --view players`: text and JSON from the engine's one players' view."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sim.bundled import resolve
from sim.loader import load_scenario
from tui.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout


def test_the_players_json_holds_only_what_players_may_know() -> None:
    path = resolve("olympics-2020")
    assert path is not None
    scenario = load_scenario(path)
    hidden = {n for n, v in scenario.variables.items() if v.hidden}
    assert hidden  # the test means something only with hidden variables
    code, out = run("olympics-2020", "--seed", "3", "--format", "json", "--view", "players")
    assert code == 0
    data = json.loads(out)
    assert data["view"] == "players"
    assert not hidden & set(data["final"]["variables"])
    assert all(e["audience"] != [] for e in data["events"])
    for objective in data["objectives"]:
        assert not any(f"{name} =" in objective["evidence"] for name in hidden)
    for name in hidden:
        assert name not in json.dumps(data["events"])
    code, everything = run("olympics-2020", "--seed", "3", "--format", "json")
    assert code == 0 and json.loads(everything)["view"] == "controller"
    assert hidden <= set(json.loads(everything)["final"]["variables"])


def test_the_players_text_leaves_out_hidden_variables() -> None:
    code, out = run("olympics-2020", "--seed", "3", "--view", "players")
    assert code == 0 and "players view" in out
    path = resolve("olympics-2020")
    assert path is not None
    for name, var in load_scenario(path).variables.items():
        if var.hidden:
            assert name not in out


def test_an_unknown_view_is_a_usage_error() -> None:
    code, _ = run("quickstart", "--view", "projector")
    assert code == 2
