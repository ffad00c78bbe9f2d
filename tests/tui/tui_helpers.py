"""Helpers for the console's pilot tests: bounded waiting, never fixed sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget

from sim.loader import load_scenario, load_scenario_text
from sim.schema import Scenario
from tui.app import TabletopApp

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
LIMIT = 20.0


@cache
def quickstart() -> Scenario:
    return load_scenario(QUICKSTART)


INJECTION = "[@click=app.quit]x[/] and [/x] and [bold]not bold[/bold]"


@cache
def hostile() -> Scenario:
    """The quickstart with markup in inject text, titles, prompts, labels and a variable label."""
    text = QUICKSTART.read_text(encoding="utf-8")
    text = text.replace(
        'text: "The head of the allied signals agency',
        f'text: "{INJECTION} The head of the allied signals agency',
    )
    text = text.replace('title: "The ally asks for an urgent meeting"', f'title: "{INJECTION}"')
    text = text.replace(
        'prompt: "How do you answer the ally\'s warning?"', f'prompt: "{INJECTION}"'
    )
    text = text.replace('label: "Share all logs and invite a joint hunt"', f'label: "{INJECTION}"')
    text = text.replace('label: "ally trust"', 'label: "[/x]trust"')
    text = text.replace('title: "Quickstart: a warning from an ally"', f'title: "{INJECTION}"')
    return load_scenario_text(text, "hostile.yaml")


async def settle(app: TabletopApp, pilot: Pilot[None]) -> None:
    """Wait until the engine worker is idle and its messages are handled (bounded)."""
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.inflight == 0:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the engine worker did not finish in time")


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def press(app: TabletopApp, pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


def text_of(widget: Widget) -> str:
    """The plain text a widget shows now (for Static, RichLog, and containers of them)."""
    from textual.widgets import RichLog, Static

    from tui.widgets.clock import ClockBar

    parts: list[str] = []
    for w in [widget, *widget.query("*")]:
        if isinstance(w, RichLog):
            parts.extend(strip.text for strip in w.lines)
        elif isinstance(w, ClockBar):
            parts.append(w.render().plain)
        elif isinstance(w, Static):
            parts.append(str(w.render()))
    return "\n".join(parts)


def screen_text(app: TabletopApp) -> str:
    return text_of(app.screen)


# --- waiting for the state a key needs ---------------------------------------------------------
#
# The engine answers on a worker thread: keys pressed in one go (`n`, `1`, `enter`) can reach
# the console before the decision `n` opens has arrived, and under load the choice is then
# refused ("No decision is open"). These helpers press a key and wait for the state the next
# key needs, by a bounded number of pauses (each at least Textual's 20 ms wait for idle).

PAUSES = 1000
"""The most pauses a helper waits for a state before the test fails."""


async def until(
    app: TabletopApp, pilot: Pilot[None], condition: Callable[[], bool], what: str
) -> None:
    """Wait (a bounded number of pauses) until the engine is idle and `condition` holds."""
    for _ in range(PAUSES):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.inflight == 0 and condition():
            return
    raise AssertionError(f"{what}: not reached after {PAUSES} pauses")


def open_decisions(app: TabletopApp) -> list[str]:
    """The ids of the decisions open now, as the console last heard from the engine."""
    snap = app.snapshot
    return [] if snap is None else [od.decision.id for od in snap.open_decisions]


async def step_to_decision(app: TabletopApp, pilot: Pilot[None], *, most: int = 1) -> None:
    """Press `n` and wait until a decision is open; press it again while none is, up to
    `most` presses in all (in the controller view `n` stops at events the players cannot
    see first)."""
    for _ in range(most):
        await pilot.press("n")
        await until(app, pilot, lambda: True, "the step")
        if open_decisions(app):
            return
    raise AssertionError(f"no decision open after {most} press(es) of n")


async def choose(app: TabletopApp, pilot: Pilot[None], number: int, rationale: str = "") -> None:
    """Choose option `number` of the decision shown, as the facilitator does: the number, the
    rationale (typed when the box has the focus; none if empty), `enter`; then wait until the
    choice is recorded (that decision is no longer open)."""
    from tui.screens.rationale import RationaleDialog

    assert app.snapshot is not None and app.snapshot.open_decisions, "no decision is open"
    shown = app.snapshot.open_decisions[app.decision_index % len(app.snapshot.open_decisions)]
    decision = shown.decision.id
    await pilot.press(str(number))

    def asking() -> bool:
        focused = app.focused
        return (
            isinstance(app.screen, RationaleDialog)
            and focused is not None
            and (focused.id == "rationale")
        )

    await until(app, pilot, asking, "the rationale box")
    await pilot.press(*rationale, "enter")
    await until(
        app,
        pilot,
        lambda: not isinstance(app.screen, RationaleDialog) and decision not in open_decisions(app),
        f"the choice in {decision} recorded",
    )
