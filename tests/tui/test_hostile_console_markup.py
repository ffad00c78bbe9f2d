"""Markup in any scenario text, or typed by the facilitator, is shown literally, never obeyed.

Every free-text value of the quickstart and the showcase (titles, summaries, actor names,
inject senders' names and texts, prompts, option labels, objectives, variables, threats,
responses, modules, notes, sources, the calendar…) starts with Rich/Textual markup: a bold
tag around a numbered marker, a link, a click action, an emoji code, an escape, closing tags
with nothing to close and an unbalanced bracket. The console is driven through every screen
in both views (picker, briefing, console, dialogs, palette, notices, debrief) and what
reaches the terminal is read from the compositor: each marker shows with its tags, nothing
is linked or clickable, no emoji appears, and nothing crashes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_console_helpers import Frame, frame, poison, token
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent
from tui_helpers import ROOT, press, settle, text_of, wait_for

from sim import events as ev
from sim.loader import load_scenario
from tui.app import TabletopApp
from tui.screens.briefing import BriefingScreen
from tui.screens.debrief import DebriefScreen

SIZE = (200, 60)
TYPED = "[b]TYPED[/b] [@click=app.quit]Q[/] [link=https://evil.example]L[/link] :skull: ["

SEEN = [
    r"^\.scenario\.title$",
    r"^\.scenario\.summary$",
    r"^\.scenario\.audience$",
    r"^\.scenario\.facilitator_notes$",
    r"^\.scenario\.assumptions\[\d\]$",
    r"^\.scenario\.sources\[\d\]\.title$",
    r"^\.scenario\.modules\[\d\]\.(title|summary|facilitator_notes)$",
    r"^\.scenario\.modules\[\d\]\.discussion_questions\[\d\]$",
    r"^\.actors\[\d\]\.name$",
    r"^\.actors\[\d\]\.description$",
    r"^\.variables\.\w+\.label$",
    r"^\.injects\[\d\]\.(title|text)$",
    r"^\.injects\[\d\]\.controllers_title$",
    r"^\.injects\[\d\]\.source\.quote$",
    r"^\.decisions\[\d\]\.prompt$",
    r"^\.decisions\[\d\]\.options\[\d\]\.label$",
    r"^\.objectives\[\d\]\.description$",
]
"""Kinds of field the console shows: at least one of each must be seen (as written)."""


def whole(app: TabletopApp) -> Frame:
    """Everything a scrolled screen holds (its Static and log widgets), beyond what fits."""
    return Frame(text_of(app.screen))


async def tour(app: TabletopApp, pilot: Pilot[None]) -> list[Frame]:
    """The picker, then every screen and dialog in both views; a frame of each."""
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.row_count - 1)  # the poisoned file, after the bundled ones
    await pilot.pause()
    frames = [frame(app)]
    await press(app, pilot, "enter")  # open the first scenario: the briefing
    await wait_for(pilot, lambda: isinstance(app.screen, BriefingScreen), "the briefing")
    await settle(app, pilot)
    frames += [frame(app), whole(app)]
    await press(app, pilot, "v")
    frames += [frame(app), whole(app)]
    await press(app, pilot, "v", "escape")
    for view in ("players", "controller"):
        for _ in range(4):
            await press(app, pilot, "n")
            frames.append(frame(app))
        for keys in (("i",), ("t",), ("a",), ("s",), ("1",), ("b",)):
            await press(app, pilot, *keys)
            frames.append(frame(app))
            await press(app, pilot, "escape")
        await press(app, pilot, "ctrl+p")
        await pilot.press(*"Choose")
        await pilot.pause(0.2)
        frames.append(frame(app))
        await press(app, pilot, "escape")
        await press(app, pilot, "v")
        del view
    # the controller view (notes are taken there): choose with a rationale, note, send; play
    # on to the end
    await press(app, pilot, "v")
    assert app.controller
    await press(app, pilot, "m", *TYPED, "enter")
    await press(app, pilot, "t", *TYPED, "enter")
    for _ in range(12):
        snap = app.snapshot
        assert snap is not None
        if snap.finished:
            break
        if snap.open_decisions and not any(
            isinstance(r, ev.DecisionMade) and r.decision == snap.open_decisions[0].decision.id
            for r in snap.records[-3:]
        ):
            await press(app, pilot, "1", *TYPED, "enter")
        await press(app, pilot, "n")
        frames.append(frame(app))
    if not isinstance(app.screen, DebriefScreen):
        await press(app, pilot, "d")
    for tab in ("d-decisions", "d-objectives", "d-variables", "d-plan"):
        app.screen.query_one(TabbedContent).active = tab
        await pilot.pause()
        frames += [frame(app), whole(app)]
    if not app.controller:  # the rate dialog opens in the controller view only
        await press(app, pilot, "v")
    await press(app, pilot, "r")
    frames.append(frame(app))
    return frames


@pytest.mark.parametrize("name", ["quickstart", "showcase"])
async def test_markup_in_every_field_is_shown_as_written(tmp_path: Path, name: str) -> None:
    text, where = poison((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    path = tmp_path / f"poisoned-{name}.yaml"
    path.write_text(text, encoding="utf-8")
    load_scenario(path)  # the loader takes markup: it is only text
    app = TabletopApp(folder=tmp_path, files=[path])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: token(1) in frame(app).text, "the picker")
        frames = await tour(app, pilot)
        assert app.is_running
    shown = "\n".join(f.text for f in frames)
    # nothing parsed: every marker keeps its tags, nothing linked, clickable or an emoji
    bare = sorted({m for m in re.findall(r"(?<!\[b\])K\d\d", shown)})
    assert bare == []
    assert [link for f in frames for link in f.links] == []
    assert [a for f in frames for a in f.actions if "quit" in a or "evil" in a] == []
    assert "\U0001f480" not in shown
    assert shown.count("[b]TYPED[/b] [@click=app.quit]Q[/]") >= 3  # note, inject, rationale
    seen = {path for n, path in where.items() if token(n) in shown}
    has = [kind for kind in SEEN if any(re.match(kind, p) for p in where.values())]
    assert len(has) >= 12
    assert [kind for kind in has if not any(re.match(kind, p) for p in seen)] == []
