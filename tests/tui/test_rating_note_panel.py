"""The live objectives panel shows an evaluator's note in the controller view only."""

from __future__ import annotations

from tui_helpers import press, settle, text_of

from sim.bundled import resolve
from sim.commands import Rate
from sim.session.resume import load_text
from tui.app import TabletopApp

SIZE = (120, 40)
HOSTILE = "\x1b[2J[b]two[/b] voices\u202e on day 2 " + "and then some " * 100


def note_lines(app: TabletopApp) -> list[str]:
    panel = app.screen.query_one("#objectives")
    return [line for line in text_of(panel).splitlines() if line.startswith("   note: ")]


async def test_the_note_is_shown_literally_cut_to_the_panel_and_never_to_the_players() -> None:
    path = resolve("showcase")
    assert path is not None
    app = TabletopApp(load_text(path.read_text(encoding="utf-8"), str(path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")
        assert note_lines(app) == []  # not rated yet: no note
        rate = Rate(by="evaluator", objective="one_voice", rating="partially", note=HOSTILE)
        assert app.submit(lambda d: d.rate(rate), "rate")
        await settle(app, pilot)
        [line] = note_lines(app)
        width = app.screen.query_one("#objectives").content_region.width
        assert line.startswith("   note: \\x1b[2J[b]two[/b]")  # literal, never markup
        assert line.endswith("…") and len(line) <= width
        assert "\x1b" not in text_of(app.screen) and "\u202e" not in text_of(app.screen)
        await press(app, pilot, "v")  # the players' view: the rating, never the note
        assert not app.controller
        panel = text_of(app.screen.query_one("#objectives"))
        assert note_lines(app) == [] and "voices" not in panel
        assert "rated by the evaluator" in panel
