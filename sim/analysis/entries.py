"""What a facilitator types for the report, checked: plan rows, rationales, rating notes.

Every field is one line of bounded length without control characters (they would reach the
report, the terminal and the JSON); a due date is a real calendar date. A check returns the
problems in words (empty: fine), so a dialog can show them all and keep what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sim.safetext import is_unsafe_char

MAX_LINE = 300
"""The longest one-line entry: a rationale, a rating note, an owner."""
MAX_TEXT = 1000
"""The longest plan issue or corrective action."""
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One improvement-plan row as typed (the store's ``PlanRow`` once checked)."""

    objective: str = ""
    issue: str = ""
    action: str = ""
    owner: str = ""
    due: str = ""


def line_problems(text: str, what: str, limit: int = MAX_LINE) -> list[str]:
    """Why ``text`` is not a good one-line entry for ``what`` ([] if it is)."""
    out = []
    if any(is_unsafe_char(c) or c in "\n\t" for c in text):
        out.append(f"the {what} holds control characters (or a line break): type it again")
    if len(text) > limit:
        out.append(f"the {what} is too long: {len(text)} characters, at most {limit}")
    return out


def due_problems(text: str) -> list[str]:
    """Why ``text`` is not a due date (YYYY-MM-DD, a real date; empty is fine)."""
    if not text:
        return []
    if not _DATE.fullmatch(text):
        return ["the due date is written YYYY-MM-DD (e.g. 2027-03-31), or left empty"]
    try:
        date.fromisoformat(text)
    except ValueError:
        return [f"{text} is not a date in the calendar"]
    return []


def plan_problems(row: PlanEntry, objectives: Collection[str]) -> list[str]:
    """Every problem with a plan row (``objectives``: the scenario's objective ids)."""
    out: list[str] = []
    if row.objective and row.objective not in objectives:
        known = ", ".join(objectives) or "none"
        out.append(f"there is no objective '{row.objective[:60]}' (the objectives: {known})")
    out += line_problems(row.objective, "objective", 60)
    if not row.issue:
        out.append("the issue is empty: say what needs improving")
    out += line_problems(row.issue, "issue", MAX_TEXT)
    out += line_problems(row.action, "corrective action", MAX_TEXT)
    out += line_problems(row.owner, "owner", MAX_LINE)
    out += due_problems(row.due)
    return out


def drafted_issue(description: str, rating_label: str, evidence: str) -> str:
    """The issue a drafted plan row states for an objective not fully met."""
    return f"{description}: {rating_label.lower()}" + (f" ({evidence})" if evidence else "")


def draft_plan(standing: Iterable[tuple[str, str, str, str]]) -> list[PlanEntry]:
    """Rows drafted from (objective, description, rating, evidence), the not-met ones."""
    from sim.analysis.model import RATING_LABEL

    return [
        PlanEntry(obj, drafted_issue(description, RATING_LABEL[rating], evidence))
        for obj, description, rating, evidence in standing
        if rating in RATING_LABEL and rating not in ("met", "awaiting")
    ]
