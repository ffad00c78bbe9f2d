"""The dashboard: each variable's value, trend and sparkline, and the objectives' standing."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline, Static

from sim.analysis.history import sampled, trend
from sim.safetext import printable
from sim.schema import Scenario
from sim.views import RatingView
from tui.driver import Snapshot
from tui.fmt import literal, number, variable_label

SAMPLES = 24
MARKS = {
    "met": ("✓", "bold green"),
    "partially": ("◐", "bold yellow"),
    "not_met": ("✗", "bold red"),
    "awaiting": ("…", "bold dim"),
}


VALUE_WIDTH = 30
"""Cells of a variable's label, value, unit and trend (the .variable-value column)."""
UNIT_CELLS = 12
"""A unit is shown whole up to this many cells ('k records'), and cut with … beyond."""


def fit_cells(text: str, width: int) -> str:
    """Text cut (with …) or padded to exactly ``width`` terminal cells (wide characters count 2)."""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…"
    return set_cell_size(text, width)


def unit_gap(unit: str) -> str:
    """A space between the value and a unit that is a word ('100 index', '2 GB'), as the reports
    write it; none before a symbol or a one-letter multiplier ('50%', '0k records', '6h')."""
    first = unit.split(" ", 1)[0]
    return " " if len(first) > 1 and first[0].isalpha() else ""


def row_text(label: str, value: float, unit: str, arrow: str, *, hidden: bool = False) -> Text:
    """'public trust     0.55   ▼': the label gives way first; the value and unit never do."""
    shown = printable(label, one_line=True)
    digits = number(value)
    shown_unit = printable(unit, one_line=True)
    if cell_len(shown_unit) > UNIT_CELLS:  # cut where it can be seen to be cut
        shown_unit = fit_cells(shown_unit, UNIT_CELLS)
    value_part = f" {digits}{unit_gap(shown_unit)}{shown_unit}"
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


def spark_data(data: list[float]) -> list[float]:
    """What the sparkline draws: nothing for a flat history (Sparkline would show full bars);
    halved when its span is larger than the largest number (Sparkline's scale would be NaN)."""
    if not data or min(data) == max(data):
        return []
    if not math.isfinite(max(data) - min(data)):
        return [v / 2 for v in data]
    return data


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

    def show(self, snapshot: Snapshot, now: float) -> None:
        """The variable's value, trend and sparkline up to ``now`` (the viewer's time: the
        players' may be behind the engine's, see sim.views.players_now)."""
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
        data = sampled(snapshot.records, self.name_, spec.initial, now, SAMPLES)
        self.query_one(Sparkline).data = spark_data(data)
        if self.last is not None and value != self.last:
            self.add_class("-changed")
            self.set_timer(1.5, lambda: self.remove_class("-changed"))
        self.last = value
        # docs/scenario-format.md: the description is "shown on the dashboard" (as written)
        self.tooltip = literal(spec.description) if spec.description else None


def objectives_text(
    ratings: Sequence[RatingView], *, final_label: bool = False, width: int = 0
) -> Text:
    """Each objective's mark, description and evidence, as the view gives them (a rating the
    view withholds shows as '?'), and an evaluator's note (controller view) cut to ``width``
    columns (0: not cut)."""
    out = Text()
    for r in ratings:
        if r.rating is None:
            out.append("? ", style="bold dim")
        else:
            mark, style = MARKS.get(r.rating, ("?", "bold"))
            out.append(f"{mark} ", style=style)
            if final_label:
                out.append(f"{r.rating.replace('_', ' '):<10} ", style=style)
        out.append_text(literal(r.description))
        out.append("\n")
        prefix = "evidence: " if final_label else ""
        out.append_text(literal(f"   {prefix}{r.evidence}\n", "dim"))
        if r.note:
            out.append_text(note_line(r.note, width))
    if not ratings:
        out.append("(no objectives)", style="dim")
    return out


NOTE_PREFIX = "   note: "


def note_line(note: str, width: int) -> Text:
    """An evaluator's note on one line, shown literally, cut with '…' to ``width`` columns."""
    line = Text(NOTE_PREFIX + printable(note, one_line=True), style="dim italic")
    if width > len(NOTE_PREFIX) + 1 and line.cell_len > width:
        line.truncate(width - 1)
        line.append("…")
    line.append("\n")
    return line


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
        shown = snapshot.view(controller).variables
        for row in self.query(VariableRow):
            row.display = row.name_ in shown
            if row.display:
                row.show(snapshot, snapshot.view(controller).now)
            else:  # a hidden variable's description is the controller's
                row.tooltip = None
        panel = self.query_one("#objectives", Static)
        width = panel.content_region.width
        panel.update(objectives_text(snapshot.view(controller).ratings, width=width))
