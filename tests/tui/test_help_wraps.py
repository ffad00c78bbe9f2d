"""The help screen at 80x24: a key's description wraps under itself, not under the keys."""

from __future__ import annotations

from hostile_console_helpers import frame
from tui_helpers import press, quickstart, settle

from tui.app import TabletopApp
from tui.screens.help import KEYS, HelpScreen

INDENT = 2 + max(len(key) for _section, keys in KEYS for key, _what in keys) + 3
"""Where every description starts: after the indent and the widest key."""


async def test_a_wrapped_description_stays_in_its_column() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        keys = app.screen.query_one("#help-keys").region
        rows = frame(app).text.splitlines()[keys.y : keys.bottom]
        shown = [row[keys.x : keys.right] for row in rows]
        # "space  play / pause (play stops by itself when a decision opens)" needs two lines
        [first] = [n for n, line in enumerate(shown) if line.lstrip().startswith("space ")]
        second = shown[first + 1]
        assert second.strip(), "the description goes on on the next line"
        assert second[:INDENT].strip() == "", f"wrapped under the keys: {second!r}"
        assert "opens)" in " ".join(shown[first : first + 3])
