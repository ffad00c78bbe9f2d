"""Objective evidence as data (what was read, when the condition held), and its wording.

The engine rates objectives into :class:`Evidence`; the text shown to a viewer is rendered
from it, leaving out the values of names that viewer may not see. Nothing parses the text
back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sim.expr import Value


class Measure(StrEnum):
    """How an objective is judged."""

    END = "end"
    """By the values at the end (or now)."""
    BY = "by"
    """Whether its condition held at some time before a deadline."""
    THROUGHOUT = "throughout"
    """Whether its condition held at every moment."""
    EVALUATOR = "evaluator"
    """Rated by hand by an evaluator (``first_held``: when; None: not rated yet)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an objective has its rating."""

    measure: Measure
    values: Mapping[str, Value]
    """Each name the objective reads, and its value when rated."""
    final: bool
    """Rated at the end of the exercise (else: its standing now)."""
    now: float
    first_held: float | None = None
    """When the condition first held (``by`` objectives)."""
    stopped_holding: float | None = None
    """When the condition first stopped holding (``throughout`` objectives)."""
    deadline: float | None = None
    """The time it had to hold by (``by`` objectives)."""


def format_value(value: Value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def evidence_text(e: Evidence, when: Callable[[float], str], hide: Collection[str] = ()) -> str:
    """The evidence in words; values of names in ``hide`` are left out."""
    shown = [(n, v) for n, v in sorted(e.values.items()) if n not in hide]
    values = "; ".join(f"{n} = {format_value(v)}" for n, v in shown)
    if e.measure is Measure.EVALUATOR:
        if e.first_held is None:
            return "awaiting evaluator"
        return f"rated by the evaluator at {when(e.first_held)}"
    if e.measure is Measure.THROUGHOUT:
        if e.stopped_holding is None:
            return f"held throughout ({values})" if values else "held throughout"
        return f"stopped holding at {when(e.stopped_holding)}"
    if e.measure is Measure.BY:
        deadline = e.deadline if e.deadline is not None else 0.0
        now = f"; now {values}" if values else ""
        if e.first_held is None:
            if not e.final and e.now <= deadline:
                return f"not yet (deadline {when(deadline)}){now}"
            return f"never held (by {when(deadline)}){now}"
        return f"first held at {when(e.first_held)}, deadline {when(deadline)}"
    head = "at the end" if e.final else "now"
    return f"{head}: {values}" if values else head
