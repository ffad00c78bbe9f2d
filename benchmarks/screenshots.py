"""Regenerate the facilitator guide's screenshots (SVG) into docs/images/ (not a test).

Run: python benchmarks/screenshots.py
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from textual.pilot import Pilot

from sim.loader import load_scenario
from tui.app import TabletopApp

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"


async def settle(app: TabletopApp, pilot: Pilot[None]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.inflight == 0:
            return


async def shots() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scenario = load_scenario(QUICKSTART)

    app = TabletopApp(folder=ROOT)
    async with app.run_test(size=(120, 36)) as pilot:
        await asyncio.sleep(1.0)
        await pilot.pause()
        app.save_screenshot("picker.svg", str(OUT))

    app = TabletopApp(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        app.save_screenshot("briefing.svg", str(OUT))
        await pilot.press("escape", "n")
        await settle(app, pilot)
        app.save_screenshot("console-players.svg", str(OUT))
        await pilot.press("1", "enter")
        await settle(app, pilot)
        for _ in range(6):
            await pilot.press("n")
            await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        app.save_screenshot("console-controller.svg", str(OUT))
        await pilot.press("a")
        await pilot.pause()
        app.save_screenshot("adjust-dialog.svg", str(OUT))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        app.save_screenshot("help.svg", str(OUT))
        await pilot.press("escape", "d", "e", "y")
        await settle(app, pilot)
        app.save_screenshot("debrief.svg", str(OUT))

    app = TabletopApp(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        app.save_screenshot("console-80x24.svg", str(OUT))


if __name__ == "__main__":
    asyncio.run(shots())
    print("\n".join(sorted(p.name for p in OUT.glob("*.svg"))))
