"""Text in a spreadsheet's CSV cells: neutralised on the way out, restored on the way in.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). Such a cell is written with a leading apostrophe, as
OWASP advises, which spreadsheets show as text. A cell read back that starts with an
apostrophe before one of those characters is the text after the apostrophe. A text that
itself starts with apostrophes before a formula character gets one more, so the rule is
one-to-one: every text comes back as it went out. Numbers are not text and are written as
they are.

A list (an inject's expected actions) is one cell: its items joined by '; ', or by line
breaks when an item holds a ';'. Read back, a cell with line breaks has one item per line,
any other one item per ';' (as a planner types them).
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts that a spreadsheet may read as a formula (CSV injection)."""


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_START) else value


def is_neutralised(cell: str) -> bool:
    """Whether a cell is a text that :func:`spreadsheet_safe` neutralised."""
    return cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START)


def spreadsheet_text(cell: str) -> str:
    """The text of a cell :func:`spreadsheet_safe` wrote (any other cell as it is)."""
    return cell[1:] if is_neutralised(cell) else cell


def list_cell(items: Iterable[str]) -> str:
    """Items as one cell: joined by '; ', or one per line when an item holds a ';'."""
    items = list(items)
    return ("\n" if any(";" in i for i in items) else "; ").join(items)


def cell_list(cell: str) -> list[str]:
    """The items of a cell :func:`list_cell` wrote, or that a planner typed with ';'."""
    parts = cell.splitlines() if "\n" in cell or "\r" in cell else cell.split(";")
    return [s for s in (p.strip() for p in parts) if s]
