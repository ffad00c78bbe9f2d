"""Small formatting helpers shared by the widgets: scenario time, durations, safe text."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from sim.safetext import printable
from sim.schema import Scenario


def clock_at(scenario: Scenario, t: float) -> datetime:
    """Scenario date-time of time t (the same rule as ``Exercise.clock``)."""
    return scenario.scenario.start + timedelta(hours=scenario.hours(t))


def day_of(scenario: Scenario, t: float) -> int:
    """Day number of time t, from 1."""
    return int(scenario.hours(t) // 24) + 1


def when(scenario: Scenario, t: float) -> str:
    """'day 3 07-03 14:00': the exercise day (24 h from time 0, docs/scenario-format.md) and
    the calendar date and time, so that after an evening start 'day 1 07-02 03:00' reads as
    coming after 'day 1 07-01 21:00'."""
    return f"day {day_of(scenario, t)} {clock_at(scenario, t):%m-%d %H:%M}"


def duration(scenario: Scenario, dt: float) -> str:
    """A span of scenario time in words: '45 min', '34 h', '3 d 4 h'."""
    hours = scenario.hours(max(dt, 0.0))
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.0f} h"
    days, rest = divmod(round(hours), 24)
    return f"{days} d {rest} h" if rest else f"{days} d"


MAX_SHOWN = 20_000
"""Most characters of one text the console draws (a longer one is cut, saying how much is
left out): drawing a free-text inject of a megabyte would hold the console for seconds at
every redraw, and push its own heading out of the feed. The text is recorded whole."""


def literal(text: str, style: str = "") -> Text:
    """Scenario-provided text, shown as written: never parsed as markup, any control
    character shown as a visible escape (``\\x1b``), never sent to the terminal, and at most
    MAX_SHOWN characters of it."""
    if len(text) <= MAX_SHOWN:
        return Text(printable(text), style=style)
    out = Text(printable(text[:MAX_SHOWN]), style=style)
    out.append(f" … ({len(text) - MAX_SHOWN:,} more characters not shown)", style="dim italic")
    return out


def typed_line(text: str) -> str:
    """Text pasted (or put) into a one-line field, made safe to show and to record: its lines
    joined with a space (none is dropped), tabs as spaces, and any other control character
    shown as a visible escape (``\\x1b``), never sent to the terminal."""
    joined = " ".join(text.splitlines()).replace("\t", " ")
    return printable(joined, one_line=True)


def actor_name(scenario: Scenario, actor_id: str) -> str:
    for a in scenario.actors:
        if a.id == actor_id:
            return a.name
    return actor_id


def variable_label(scenario: Scenario, name: str) -> str:
    spec = scenario.variables.get(name)
    return (spec.label or name) if spec is not None else name


def number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
