"""An actor behind a threat is kept from the players whatever its kind, as an adversary is.

The scenario's campaign is run by an actor that is not an adversary (an insider operator, an
ally that spies): the players' view listed it in the briefing, the actors panel, the
free-text dialog and the picker, and let a rationale name it, telling the room who was
behind a campaign it had not detected; the situation manual handed out listed it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_console_helpers import SECRETS_YAML, frame, leaks
from textual.widgets import TabbedContent
from tui_helpers import press, settle, wait_for

from sim.cli import main
from sim.commands import Decide
from sim.describe import describe
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.views import view
from tui.app import TabletopApp

SIZE = (160, 50)
KINDS = ["operator", "ally", "media"]


def covert(kind: str) -> str:
    """The secrets scenario, its campaign run by an actor of this kind."""
    text = SECRETS_YAML.replace("    affiliation: adversary\n", f"    affiliation: {kind}\n")
    assert text != SECRETS_YAML
    return text


@pytest.mark.parametrize("kind", KINDS)
async def test_the_players_console_never_lists_the_actor_behind_a_threat(kind: str) -> None:
    app = TabletopApp(load_scenario_text(covert(kind), "q.yaml"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        shown = [frame(app).text]
        await press(app, pilot, "b")  # the briefing's actors
        shown.append(frame(app).text)
        await press(app, pilot, "escape")
        for _ in range(6):
            await press(app, pilot, "n")
            shown.append(frame(app).text)  # the actors panel
            if app.snapshot is not None and app.snapshot.open_decisions:
                await press(app, pilot, "1", *"we wait", "enter")
        await press(app, pilot, "t", "tab")  # the free-text dialog's senders
        shown.append(frame(app).text)
        await press(app, pilot, "tab")  # and its recipients
        shown.append(frame(app).text)
        await press(app, pilot, "escape")
        await press(app, pilot, "d")
        for tab in ("d-decisions", "d-objectives", "d-variables", "d-plan"):
            app.screen.query_one(TabbedContent).active = tab
            await pilot.pause()
            shown.append(frame(app).text)
        assert leaks("\n".join(shown)) == []


@pytest.mark.parametrize("kind", KINDS)
async def test_the_picker_does_not_name_the_actor_behind_a_threat(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "quiet_room.yaml"
    path.write_text(covert(kind), encoding="utf-8")
    app = TabletopApp(folder=tmp_path, files=[path])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "What the room must not see" in frame(app).text, "picker")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.row_count - 1)  # type: ignore[attr-defined]
        await pilot.pause()
        shown = frame(app).text
        assert "Government" in shown
        assert leaks(shown) == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_rationale_naming_the_actor_behind_an_undetected_threat_is_withheld(kind: str) -> None:
    ex = Exercise(load_scenario_text(covert(kind), "q.yaml"), 1)
    ex.run_until_decision()
    ex.submit(Decide(decision="answer", option="thank", rationale="secretadv is inside"))
    ex.settle()
    players = view(ex, controller=False)
    shown = [describe(r, ex.scenario, False) for r in players.records]
    assert not any("secretadv" in line for line in shown)
    assert [a.actor for a in players.actors if a.actor == "secretadv"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_situation_manual_does_not_list_the_actor_behind_a_threat(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "quiet_room.yaml"
    path.write_text(covert(kind), encoding="utf-8")
    out = tmp_path / "pack"
    result = CliRunner().invoke(main, ["pack", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("situation-manual.html", "situation-manual.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert "Ally" in text
        assert leaks(text) == [], name
