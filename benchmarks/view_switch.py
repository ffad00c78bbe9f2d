"""Switching the console between the players' and the controller's view, as a ratio to a
trivial key (not a test).

Run: python benchmarks/view_switch.py [repeats]

The console runs headless (App.run_test) on the largest bundled scenario, played to its end
so the logs are long. We time the key's own work, called directly (``action_toggle_view``:
every panel shown again for the other audience) against a trivial key (``action_faster``:
the speed label changes, panels refreshed incrementally), alternating the two so a shared
machine's drift cancels out. Pilot's idle waits are not in the timings: they would add the
same fixed sleep to both and hide the cost. Absolute times are for orientation only.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from sim.bundled import bundled_scenarios
from sim.loader import load_scenario
from tui.app import TabletopApp
from tui.screens.console import ConsoleScreen

SIZE = (120, 40)


async def main(repeats: int) -> None:
    largest = max(bundled_scenarios(), key=lambda p: p.stat().st_size)
    scenario = load_scenario(largest)
    app = TabletopApp(scenario)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.perf_counter() + 30
        while app.driver is None or not isinstance(app.screen, ConsoleScreen):
            if time.perf_counter() > deadline:
                raise TimeoutError
            await asyncio.sleep(0.01)
        driver = app.driver
        driver.exercise.run_before(driver.exercise.horizon * 0.9)  # long logs, still running
        app.snapshot = driver.snapshot()
        app.refresh_views(full=True)
        await pilot.pause()
        records = len(app.snapshot.records)
        toggles: list[float] = []
        trivial: list[float] = []
        for _ in range(repeats):
            t = time.perf_counter()
            app.action_toggle_view()
            toggles.append(time.perf_counter() - t)
            await pilot.pause()
            t = time.perf_counter()
            app.action_faster() if app.speed_index < 5 else app.action_slower()
            trivial.append(time.perf_counter() - t)
            await pilot.pause()
    ratios = [a / b for a, b in zip(toggles, trivial, strict=True)]
    ms = 1000
    print(f"scenario: {Path(largest).name}, {records} records in the log; terminal {SIZE}")
    print(f"repeats: {repeats}, alternating; the key's own work, without Pilot's idle waits")
    print(
        f"view switch / trivial key = median {statistics.median(ratios):.1f}x "
        f"(range {min(ratios):.1f}–{max(ratios):.1f})"
    )
    print(
        f"  (view switch ~{statistics.median(toggles) * ms:.2f} ms, "
        f"trivial key ~{statistics.median(trivial) * ms:.2f} ms)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
