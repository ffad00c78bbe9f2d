"""The players' screen is the same, byte for byte, whether or not something hidden happens.

Two scenarios differ only in what the players cannot see: the second has a campaign they
never detect, which raises a hidden variable. The publicly scheduled events (a
``players_title``) are to the ally: one waits on a hidden condition (``when``), one is
skipped or not by one (``if``). Played alike in the players' view, every frame must match:
a scheduled line that vanished when the hidden condition held told the room when.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hostile_console_helpers import frame
from tui_helpers import press, settle

from sim.cli import main
from sim.loader import load_scenario_text
from tui.app import TabletopApp

BASE = """
format: 2
scenario:
  id: twins
  title: Twins
  summary: Public events, and perhaps an unseen campaign.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: ally, name: Ally, affiliation: ally}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  stolen: {initial: 0, min: 0, hidden: true}
injects:
  - {id: first, at: 5, from: gov, to: [gov], text: First., invented: true}
  - id: summit
    when: "stolen > 0"
    from: ally
    to: [ally]
    players_title: Allied summit
    text: The allies meet.
    invented: true
  - id: meeting
    at: 10
    if: "stolen > 0"
    from: ally
    to: [ally]
    players_title: Allied meeting
    text: The allies talk.
    invented: true
  - {id: second, at: 20, from: gov, to: [gov], text: Second., invented: true}
  - {id: third, at: 30, from: gov, to: [gov], text: Third., invented: true}
"""

CAMPAIGN = """
threats:
  - id: lurk
    actor: shadow
    at: 6.6
    stages:
      - {id: dwell, duration: 1.37, detect: "0", effects: {stolen: "+ 1"}}
"""

SIZE = (160, 50)


async def frames(text: str) -> list[str]:
    app = TabletopApp(load_scenario_text(text, "twins.yaml"))
    out = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        out.append(frame(app).text)
        for _ in range(3):  # the three injects to the players
            await press(app, pilot, "n")
            await settle(app, pilot)
            out.append(frame(app).text)
    return out


async def test_the_players_screen_is_the_same_with_or_without_the_hidden_campaign() -> None:
    quiet, lurking = await frames(BASE), await frames(BASE + CAMPAIGN)
    assert "Allied summit" in quiet[-1] and "Allied meeting" in quiet[-1]
    for n, (a, b) in enumerate(zip(quiet, lurking, strict=True)):
        assert a == b, f"frame {n} differs"


ADVERSARY_DECISION = """
  - id: covert
    at: 6.6
    from: shadow
    to: [shadow]
    text: Strike now?
    invented: true
    decision: strike
decisions:
  - id: strike
    owner: shadow
    prompt: Shall we strike the grid?
    default: wait
    deadline: 3
    options:
      - {id: go, label: Strike, effects: {stolen: "+ 5"}}
      - {id: wait, label: Wait}
"""


async def test_the_players_screen_is_the_same_with_or_without_an_adversarys_decision() -> None:
    """An adversary's decision, posed by an inject to itself: the players' view showed its
    prompt, its owner and its default ('decision strike posed to shadow: Shall we strike the
    grid?'), play paused when it opened and before its deadline, and the room heard its
    default applied."""
    quiet, plotting = await frames(BASE), await frames(BASE + ADVERSARY_DECISION)
    for n, (a, b) in enumerate(zip(quiet, plotting, strict=True)):
        assert a == b, f"frame {n} differs"


def test_run_in_the_players_view_does_not_show_an_adversarys_decision(tmp_path: Path) -> None:
    path = tmp_path / "plotting.yaml"
    path.write_text(BASE + ADVERSARY_DECISION, encoding="utf-8")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["run", str(path), "--view", "players", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "First." in result.output
        for secret in ("strike", "Strike", "shadow", "Shall we"):
            assert secret not in result.output, (fmt, secret)
