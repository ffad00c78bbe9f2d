"""The dashboard: each variable's value, trend and sparkline, and the objectives' standing."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from sim import events as ev
from sim.engine import Rating
from sim.safetext import printable
from sim.schema import Scenario
from tui.driver import Snapshot
from tui.fmt import literal, number, variable_label

SAMPLES = 24
MARKS = {
    "met": ("✓", "bold green"),
    "partially": ("◐", "bold yellow"),
    "not_met": ("✗", "bold red"),
}


def history(
    records: Sequence[ev.Event], name: str, initial: float, now: float, samples: int = SAMPLES
) -> list[float]:
    """The variable's value at evenly spaced times from 0 to now (a step function)."""
    changes = [
        (r.time, r.new) for r in records if isinstance(r, ev.VariableChanged) and r.variable == name
    ]
    if now <= 0:
        return [changes[-1][1] if changes else initial]
    out: list[float] = []
    value, i = initial, 0
    for k in range(samples):
        t = now * (k + 1) / samples
        while i < len(changes) and changes[i][0] <= t:
            value = changes[i][1]
            i += 1
        out.append(value)
    return out


def trend(records: Sequence[ev.Event], name: str) -> str:
    for r in reversed(records):
        if isinstance(r, ev.VariableChanged) and r.variable == name:
            return "▲" if r.new > r.old else "▼"
    return " "


VALUE_WIDTH = 30
"""Cells of a variable's label, value, unit and trend (the .variable-value column)."""


def fit_cells(text: str, width: int) -> str:
    """Text cut (with …) or padded to exactly ``width`` terminal cells (wide characters count 2)."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…"
    return set_cell_size(text, width)


def row_text(label: str, value: float, unit: str, arrow: str, *, hidden: bool = False) -> Text:
    """'public trust     0.55   ▼': the label gives way first; the value and unit never do."""
    shown = printable(label, one_line=True)
    digits = number(value)
    value_part = f" {digits}{printable(unit, one_line=True)[:8]}"
    tail = f" {arrow}" + (" hidden" if hidden else "")
    room = max(VALUE_WIDTH - cell_len(value_part) - cell_len(tail), 4)
    # Values line up (right-aligned in 6) where the label leaves the room to.
    pad = min(max(6 - len(digits), 0), max(room - cell_len(shown), 0))
    value_part = " " * pad + value_part
    out = Text(no_wrap=True)
    out.append(fit_cells(shown, room - pad))
    out.append(value_part, style="bold")
    out.append(f" {arrow}")
    if hidden:
        out.append(" hidden", style="dim italic")
    return out


class VariableRow(Horizontal):
    """Label, value and trend, then a sparkline of the value over time."""

    def __init__(self, scenario: Scenario, name: str) -> None:
        super().__init__(id=f"var-{name}", classes="variable-row")
        self.scenario = scenario
        self.name_ = name
        self.last: float | None = None

    def compose(self) -> ComposeResult:
        yield Label("", classes="variable-value")
        yield Sparkline([], classes="variable-spark")

    def show(self, snapshot: Snapshot) -> None:
        spec = self.scenario.variables[self.name_]
        value = snapshot.variables[self.name_]
        self.query_one(".variable-value", Label).update(
            row_text(
                variable_label(self.scenario, self.name_),
                value,
                spec.unit,
                trend(snapshot.records, self.name_),
                hidden=spec.hidden,
            )
        )
        data = history(snapshot.records, self.name_, spec.initial, snapshot.now)
        # A flat history has nothing to draw (Sparkline would show full bars).
        self.query_one(Sparkline).data = data if min(data) != max(data) else []
        if self.last is not None and value != self.last:
            self.add_class("-changed")
            self.set_timer(1.5, lambda: self.remove_class("-changed"))
        self.last = value


def secret_names(scenario: Scenario, visible: Sequence[ev.Event]) -> list[str]:
    """Names the players' view must not show values of: hidden variables, undetected threats."""
    known = {r.threat for r in visible if isinstance(r, ev.ThreatDetected | ev.ThreatStopped)}
    hidden = [n for n, v in scenario.variables.items() if v.hidden]
    return hidden + [t.id for t in scenario.threats if t.id not in known]


def players_may_see(evidence: str, secrets: Sequence[str]) -> bool:
    return not any(f"{name} =" in evidence for name in secrets)


def objectives_text(
    scenario: Scenario, standing: Sequence[Rating], controller: bool, secrets: Sequence[str] = ()
) -> Text:
    descriptions = {o.id: o.description for o in scenario.objectives}
    out = Text()
    for r in standing:
        mark, style = MARKS.get(r.rating, ("?", "bold"))
        out.append(f"{mark} ", style=style)
        out.append_text(literal(descriptions.get(r.objective, r.objective)))
        out.append("\n")
        if controller or players_may_see(r.evidence, secrets):
            out.append_text(literal(f"   {r.evidence}\n", "dim"))
    if not standing:
        out.append("(no objectives)", style="dim")
    return out


class Dashboard(Horizontal):
    """Variables (left) and objectives (right)."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with Vertical(id="variables"):
            for name in self.scenario.variables:
                yield VariableRow(self.scenario, name)
        yield Static("", id="objectives")

    def show(self, snapshot: Snapshot, controller: bool) -> None:
        for row in self.query(VariableRow):
            row.display = controller or not self.scenario.variables[row.name_].hidden
            if row.display:
                row.show(snapshot)
        self.query_one("#objectives", Static).update(
            objectives_text(
                self.scenario,
                snapshot.standing,
                controller,
                secret_names(self.scenario, snapshot.visible(False)),
            )
        )
