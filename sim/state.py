"""Small frozen views of an exercise's state that the engine, the mechanics and views share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.schema import Decision, Inject

if TYPE_CHECKING:
    from sim.threats import Campaign


@dataclass(frozen=True, slots=True)
class OpenDecision:
    """A decision the players face now."""

    decision: Decision
    opened: float
    deadline: float
    offered: tuple[str, ...] = ()
    """(v2) The options offered, where some are conditional; empty: all of them."""


@dataclass(frozen=True, slots=True)
class ActiveResponse:
    """A response in progress, for the console's actors panel."""

    response: str
    kind: str
    actor: str
    started: float
    expected_end: float | None
    stage: str = ""


@dataclass(frozen=True, slots=True)
class MselEntry:
    """One line of the MSEL as a viewer may see it."""

    inject: Inject
    time: float | None
    """Delivery time if known (delivered, or scheduled at a fixed time), else None."""
    status: str


@dataclass(slots=True)
class Outcomes:
    """What a batch reads from a run's records, noted as they would have been recorded, by an
    exercise without a log (``Exercise(..., log=False)``; see ``sim.engine._NOTES``)."""

    ratings: dict[str, str] = field(default_factory=dict)
    """Each objective's final rating (what its ``ObjectiveEvaluated`` says)."""
    decisions: dict[str, str | None] = field(default_factory=dict)
    """Each decision posed: the option taken last, None while open (``DecisionOpened``,
    ``DecisionMade``)."""
    succeeded: set[str] = field(default_factory=set)
    """Responses that finished successfully at least once (``ResponseFinished``)."""
    branches: set[tuple[str, str, str]] = field(default_factory=set)
    """(v2) Branches taken at least once: (threat, stage, to) (``ThreatBranched``)."""
    retries: dict[str, int] = field(default_factory=dict)
    """(v2) Per response: how many times a retry started it again (``ResponseStarted`` with
    the origin ``("response", ID, "retry")``)."""
    expression_failures: int = 0
    """``ExpressionFailed`` records."""


@dataclass(slots=True)
class Campaigns:
    """The bookkeeping of adversary campaigns (kept by ``sim.threats``)."""

    running: dict[str, Campaign] = field(default_factory=dict)
    """The campaigns begun, by threat id (stop and slow interrupt them)."""
    detected: set[str] = field(default_factory=set)
    """Threats the defenders know of."""
    stage: dict[str, str] = field(default_factory=dict)
    """The stage each campaign is in."""
    slowed: dict[str, float] = field(default_factory=dict)
    """Slowing applied to campaigns before they began."""
