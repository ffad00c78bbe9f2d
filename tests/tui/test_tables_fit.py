"""The picker's and the improvement plan's tables fit the window: nothing is cut at its edge.

At 80x24 both tables scrolled sideways, so the picker's file column and the plan's corrective
action, owner and due date were cut at the window's edge (a facilitator's walk-through). The
long columns now wrap; at 120x40 every cell stays on one line as before where it fits.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_console_helpers import frame
from rich.cells import cell_len
from rich.text import Text
from test_debrief_report import recorded_app
from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_helpers import QUICKSTART, press, settle, wait_for

from sim.session.store import PlanRow, SessionStore
from tui.app import TabletopApp
from tui.screens.debrief import DebriefScreen
from tui.screens.picker import PickerScreen
from tui.screens.plan import PlanEditor
from tui.widgets.fitted import fit_cell, fit_widths

BUNDLED_FILES = (
    "quickstart.yaml",
    "diplomatic-cable-breach.yaml",
    "naming-the-threat.yaml",
    "olympics-2020.yaml",
    "showcase.yaml",
)
PLAN = [
    PlanRow(
        "keep_the_alliance",
        "The ally was told our networks were secure while the intruders read the cables",
        "Agree a joint incident playbook with the ally's signals agency",
        "Ministry of Foreign Affairs, cyber unit",
        "2027-01-15",
    ),
    PlanRow(
        "", "Press lines were late", "Pre-clear holding statements", "Press office", "2027-02-02"
    ),
]


def lines(app: TabletopApp) -> list[str]:
    return frame(app).text.splitlines()


def no_sideways_scroll(table: DataTable[object]) -> bool:
    return table.max_scroll_x == 0 and table.virtual_size.width <= table.size.width


async def open_picker(app: TabletopApp, pilot: Pilot[None]) -> PickerScreen:
    picker = app.screen
    assert isinstance(picker, PickerScreen)
    await wait_for(pilot, lambda: bool(picker.choices), "the scenarios")
    await pilot.pause()
    return picker


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_picker_shows_every_column_it_has_inside_the_window(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    shutil.copy(QUICKSTART, tmp_path / "our-own-exercise-with-a-long-file-name.yaml")
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=size) as pilot:
        picker = await open_picker(app, pilot)
        table = picker.query_one(DataTable)
        assert no_sideways_scroll(table)
        shown = "\n".join(lines(app))
        header = next(line for line in lines(app) if "Scenario" in line)
        assert "File" in header and "Session" in header
        # every row the table shows names its file (whole, or wrapped at a word)
        for name in BUNDLED_FILES[:3]:
            assert name in shown, name
        assert "60 min" in shown and "180 min" in shown


async def test_at_120x40_the_picker_keeps_each_title_and_file_on_one_line(tmp_path: Path) -> None:
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_picker(app, pilot)
        rows = lines(app)
        for title, name in (
            (
                "Naming the threat: three state campaigns after the 2021 strategy",
                "naming-the-threat",
            ),
            ("Breach of the diplomatic cable network", "diplomatic-cable-breach"),
        ):
            assert any(
                title in line and f"{name}.yaml (bundled)" in line and "min" in line
                for line in rows
            ), title


async def test_the_picker_fits_again_when_the_window_narrows(tmp_path: Path) -> None:
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await open_picker(app, pilot)
        await pilot.resize_terminal(80, 24)
        table = picker.query_one(DataTable)
        await wait_for(pilot, lambda: no_sideways_scroll(table), "the table to fit 80 columns")
        assert "Session" in "\n".join(lines(app))


async def open_plan(app: TabletopApp, pilot: Pilot[None]) -> PlanEditor:
    await settle(app, pilot)
    await press(app, pilot, "d")
    await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
    recording = app.recording
    assert recording is not None and recording.session_id is not None
    recording.store.replace_plan(recording.session_id, PLAN)
    editor = app.screen.query_one(PlanEditor)
    assert app.snapshot is not None
    editor.show(app.snapshot)
    await pilot.press("p")
    await wait_for(pilot, lambda: "2027-02-02" in frame(app).text, "the plan")
    return editor


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_plan_shows_every_column_inside_the_window(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = recorded_app(SessionStore.open(tmp_path / "s.sqlite3"))
    async with app.run_test(size=size) as pilot:
        editor = await open_plan(app, pilot)
        assert no_sideways_scroll(editor.query_one(DataTable))
        rows = lines(app)
        header = next(line for line in rows if "Issue" in line)
        for column in ("Objective", "Corrective action", "Owner", "Due"):
            assert column in header, column
        shown = "\n".join(rows)
        assert "2027-01-15" in shown and "2027-02-02" in shown
        for word in ("Agree", "playbook", "Ministry", "Pre-clear", "statements", "office"):
            assert word in shown, word


async def test_at_120x40_the_plan_keeps_ids_owners_and_dates_whole(tmp_path: Path) -> None:
    app = recorded_app(SessionStore.open(tmp_path / "s.sqlite3"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_plan(app, pilot)
        rows = lines(app)
        assert any("keep_the_alliance" in line and "2027-01-15" in line for line in rows)
        assert any(
            "Pre-clear holding statements" in line and "Press office" in line for line in rows
        )


def test_columns_that_fit_keep_their_width_and_long_ones_share_the_rest() -> None:
    assert fit_widths([10, 20, 7], [1, 1, 1], [8, 8, 7], 40) == [10, 20, 7]
    widths = fit_widths([17, 80, 62, 39, 10], [1, 2, 2, 1, 1], [12, 12, 12, 8, 10], 68)
    assert sum(widths) == 68
    assert widths[4] == 10  # the due date is never cut
    assert widths[1] > widths[3] and widths[2] > widths[3]  # issue and action get the most
    # narrower than the floors allow: the floors (the table then scrolls, nothing vanishes)
    assert fit_widths([30, 30], [1, 1], [12, 12], 5) == [12, 12]
    assert fit_widths([3, 30], [1, 1], [12, 12], 5) == [3, 12]


def test_a_long_cell_wraps_and_a_huge_one_is_cut_with_an_ellipsis() -> None:
    text, height = fit_cell(Text("Press lines were late"), 10, 4)
    assert height == 3 and text.plain == "Press lines were late"
    huge = Text("word " * 2000)
    cut, height = fit_cell(huge, 12, 4)
    assert height == 4 and cut.plain.endswith("…")
    assert len(cut.plain) < 60
    wide, height = fit_cell(Text("公共の信頼度合いを示す指数" * 3), 10, 4)
    assert height == 4 and wide.plain.endswith("…")
    assert all(cell_len(line) <= 10 for line in wide.plain.splitlines())
