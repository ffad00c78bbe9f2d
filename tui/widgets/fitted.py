"""A table that fits the width it has: its long columns wrap instead of scrolling sideways.

A DataTable sizes each column to its widest cell and scrolls sideways when they do not fit,
so at 80x24 the later columns (the picker's file, the plan's action, owner and due date) were
cut at the window's edge. A FittedTable shares out the width it has: a column whose cells fit
keeps its width, the long ones are narrowed (by weight, never below their floor) and their
cells wrap onto more lines, at most ``most_lines`` a row (a cell longer still ends in "…";
the whole text is in the details pane or the row's dialog). A spare column (shown elsewhere
too) is left out when the others cannot be shown whole beside it. On a resize it fits again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

_WRAPPER = Console(file=io.StringIO(), width=1000, legacy_windows=False, color_system=None)
"""Only measures and wraps text (never writes to the terminal)."""


@dataclass(frozen=True)
class FitColumn:
    label: str
    weight: int = 1
    """Its share of the width when the columns must be narrowed."""
    floor: int = 8
    """The narrowest it is made (or its widest cell, if narrower)."""
    spare: bool = False
    """Left out unless every column fits whole (what it shows is said elsewhere too)."""


def natural_width(label: str, cells: Sequence[Text]) -> int:
    """The width a column needs to show its label and every cell on one line."""
    return max([cell_len(label), *(cell_len(c.plain) for c in cells)])


def fit_widths(
    natural: Sequence[int], weights: Sequence[int], floors: Sequence[int], room: int
) -> list[int]:
    """Content widths summing to at most room (when the floors allow): a column narrower than
    its share keeps its natural width, the others share the rest by weight."""
    if sum(natural) <= room:
        return list(natural)
    lowest = [min(n, f) for n, f in zip(natural, floors, strict=True)]

    def widths(share: int) -> list[int]:
        # share is in 1/100ths of a weight unit, so that weights can split it finely
        return [
            max(low, min(n, share * w // 100))
            for n, w, low in zip(natural, weights, lowest, strict=True)
        ]

    best = lowest
    low, high = 0, max(natural) * 100
    while low <= high:
        mid = (low + high) // 2
        trial = widths(mid)
        if sum(trial) <= room:
            best, low = trial, mid + 1
        else:
            high = mid - 1
    out = list(best)
    # What the rounding left over goes first to the columns it makes whole (an id cut by a
    # letter reads worse than a sentence wrapped a word sooner), then to the heaviest.
    order = sorted(range(len(out)), key=lambda i: (natural[i] - out[i], -weights[i]))
    spare = max(room - sum(out), 0)
    for i in order:
        give = min(spare, natural[i] - out[i])
        out[i] += give
        spare -= give
    return out


def fit_cell(text: Text, width: int, most_lines: int) -> tuple[Text, int]:
    """The cell as shown in a column of that width, and its height: wrapped, and cut with
    "…" after most_lines lines."""
    lines = text.wrap(_WRAPPER, max(width, 1))
    if len(lines) <= most_lines:
        return text, max(len(lines), 1)
    kept = Text("\n").join(lines[:most_lines])
    kept.rstrip()
    last = lines[most_lines - 1]
    if cell_len(last.plain) >= width:
        kept.right_crop(1)
    kept.append("…", style="dim")
    return kept, most_lines


class FittedTable(DataTable[Text]):
    """A DataTable filled with ``fill``: its columns fit its width, long cells wrap."""

    DEFAULT_CSS = """
    FittedTable {
        scrollbar-size-vertical: 1;
    }
    """

    most_lines = 4
    """The most lines a row takes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._fit_columns: list[FitColumn] = []
        self._fit_rows: list[list[Text]] = []
        self._fitted_room = -1

    def room(self) -> int:
        """The width for the cells' content: the table's less a vertical scrollbar's (kept
        free, so that one appearing never makes it scroll sideways)."""
        return max(self.size.width - self.styles.scrollbar_size_vertical, 0)

    def fill(self, columns: Sequence[FitColumn], rows: Sequence[Sequence[Text]]) -> None:
        """Show these rows, the cursor kept on the same row number."""
        self._fit_columns = list(columns)
        self._fit_rows = [list(r) for r in rows]
        self._refit()

    def _refit(self) -> None:
        room = self.room()
        self._fitted_room = room
        columns = list(self._fit_columns)
        pad = 2 * self.cell_padding
        natural = [
            natural_width(c.label, [r[i] for r in self._fit_rows]) for i, c in enumerate(columns)
        ]
        keep = [
            i
            for i, c in enumerate(columns)
            if not c.spare or room == 0 or sum(natural) + pad * len(columns) <= room
        ]
        shown = [columns[i] for i in keep]
        if room == 0:  # not laid out yet: natural widths until the first resize
            widths = [natural[i] for i in keep]
        else:
            widths = fit_widths(
                [natural[i] for i in keep],
                [c.weight for c in shown],
                [c.floor for c in shown],
                room - pad * len(shown),
            )
        cursor = self.cursor_row
        self.clear(columns=True)
        for column, width in zip(shown, widths, strict=True):
            self.add_column(column.label, width=width, key=column.label)
        for row in self._fit_rows:
            cells = [
                fit_cell(row[i], w, self.most_lines) for i, w in zip(keep, widths, strict=True)
            ]
            height = max([h for _, h in cells], default=1)
            self.add_row(*(c for c, _ in cells), height=height)
        if self._fit_rows:
            self.move_cursor(row=min(max(cursor, 0), len(self._fit_rows) - 1))

    def on_resize(self, event: Resize) -> None:
        if self._fit_columns and self.room() != self._fitted_room:
            self._refit()
