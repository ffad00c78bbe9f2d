"""Extreme values typed into the console never stop it.

A variable with no bounds can be set by hand to any finite number: the largest there are, of
both signs, one after the other. The dashboard's sparkline, the debrief and the report draw
that history (its span is larger than the largest number) without stopping the console.
"""

from __future__ import annotations

from hostile_console_helpers import SECRETS_YAML
from textual.widgets import TabbedContent
from tui_helpers import press, settle

from sim.loader import load_scenario_text
from tui.app import TabletopApp

UNBOUNDED = SECRETS_YAML.replace(
    'trust: {initial: 0.5, min: 0, max: 1, label: "trust"}', 'trust: {initial: 0.5, label: "trust"}'
)


async def test_the_largest_numbers_of_both_signs_are_drawn() -> None:
    scenario = load_scenario_text(UNBOUNDED, "unbounded.yaml")
    assert scenario.variables["trust"].max is None
    app = TabletopApp(scenario, seed=3)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # adjustments are made in the controller view
        for value in ("1.7e308", "-1.7e308", "1e308"):
            await press(app, pilot, "a", "enter", *value, "enter", *"typed", "enter")
            await press(app, pilot, "n")
        assert app.snapshot is not None
        assert app.snapshot.variables["trust"] == 1e308
        await press(app, pilot, "d")
        for tab in ("d-variables", "d-objectives"):
            app.screen.query_one(TabbedContent).active = tab
            await pilot.pause()
        await press(app, pilot, "e", "y")
        assert app.is_running
