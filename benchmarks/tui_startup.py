"""Console start-up and keypress-to-repaint, as ratios to a trivial Textual app (not a test).

Run: python benchmarks/tui_startup.py [pairs]

Both apps run headless (App.run_test) in the same process, interleaved in ABBA order, so the
drift of a shared machine cancels out; we print the median of the per-pair ratios and the
spread (min–max, and the middle half). Absolute times are shown for orientation only.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from sim.bundled import bundled_scenarios
from sim.loader import load_scenario
from sim.schema import Scenario
from tui.app import TabletopApp
from tui.screens.console import ConsoleScreen

SIZE = (120, 40)


class Trivial(App[None]):
    """The floor: one Static, one footer, one key that changes the text."""

    BINDINGS = [("v", "flip", "Flip")]  # noqa: RUF012

    def compose(self) -> ComposeResult:
        yield Static("hello", id="s")
        yield Footer()

    def action_flip(self) -> None:
        s = self.query_one("#s", Static)
        s.update("world" if str(s.render()) == "hello" else "hello")


async def _until(check: Callable[[], bool], limit: float = 20.0) -> None:
    deadline = time.perf_counter() + limit
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.0005)


async def console_run(scenario: Scenario) -> tuple[float, float]:
    t0 = time.perf_counter()
    app = TabletopApp(scenario)
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: isinstance(app.screen, ConsoleScreen) and app.snapshot is not None)
        await pilot.pause()
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        await pilot.press("v")  # toggle the view: every panel is redrawn
        await pilot.pause()
        key = time.perf_counter() - t1
    return first, key


async def trivial_run() -> tuple[float, float]:
    t0 = time.perf_counter()
    app = Trivial()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        await pilot.press("v")
        await pilot.pause()
        key = time.perf_counter() - t1
    return first, key


def _spread(ratios: list[float]) -> str:
    q = statistics.quantiles(ratios, n=4) if len(ratios) >= 4 else [min(ratios), 0, max(ratios)]
    return (
        f"median {statistics.median(ratios):.2f}x (middle half {q[0]:.2f}–{q[2]:.2f}, "
        f"range {min(ratios):.2f}–{max(ratios):.2f})"
    )


async def main(pairs: int) -> None:
    largest = max(bundled_scenarios(), key=lambda p: p.stat().st_size)
    t = time.perf_counter()
    scenario = load_scenario(largest)
    load = time.perf_counter() - t
    runs: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    jobs: dict[str, Callable[[], Awaitable[tuple[float, float]]]] = {
        "A": lambda: console_run(scenario),
        "B": trivial_run,
    }
    await jobs["A"]()  # warm imports and caches once, unmeasured
    await jobs["B"]()
    for i in range(pairs):
        order = "ABBA" if i % 2 == 0 else "BAAB"
        got: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
        for which in order:
            got[which].append(await jobs[which]())
        for which in "AB":
            firsts = [g[0] for g in got[which]]
            keys = [g[1] for g in got[which]]
            runs[which].append((statistics.mean(firsts), statistics.mean(keys)))
    start_ratios = [a[0] / b[0] for a, b in zip(runs["A"], runs["B"], strict=True)]
    key_ratios = [a[1] / b[1] for a, b in zip(runs["A"], runs["B"], strict=True)]
    ms = 1000
    print(
        f"scenario: {Path(largest).name} ({len(scenario.injects)} injects, "
        f"{len(scenario.variables)} variables); load {load * ms:.0f} ms (not in the ratios)"
    )
    print(f"pairs: {pairs} (ABBA / BAAB), terminal {SIZE[0]}x{SIZE[1]}, headless")
    print(f"time to first screen:   console / trivial app = {_spread(start_ratios)}")
    print(
        f"  (console ~{statistics.median(a[0] for a in runs['A']) * ms:.0f} ms, "
        f"trivial ~{statistics.median(b[0] for b in runs['B']) * ms:.0f} ms)"
    )
    print(f"keypress to repaint:    console / trivial app = {_spread(key_ratios)}")
    print(
        f"  (console ~{statistics.median(a[1] for a in runs['A']) * ms:.1f} ms, "
        f"trivial ~{statistics.median(b[1] for b in runs['B']) * ms:.1f} ms)"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
