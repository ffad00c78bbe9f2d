"""The exercise's fixed words as StrEnums: statuses, ratings, who decided, why it ended.

Each member is its own text (``ThreatStatus.DETECTED == "detected"``), so records and JSON
keep the words the format documents, and mypy and readers see the closed sets.
"""

from __future__ import annotations

from enum import StrEnum


class ThreatStatus(StrEnum):
    """A threat's status (its name in expressions)."""

    PENDING = "pending"
    UNDETECTED = "undetected"
    DETECTED = "detected"
    STOPPED = "stopped"
    COMPLETED = "completed"


class ResponseStatus(StrEnum):
    """A response's status."""

    LOCKED = "locked"
    READY = "ready"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class InjectStatus(StrEnum):
    """An inject's status."""

    PENDING = "pending"
    DELIVERED = "delivered"
    SKIPPED = "skipped"


class RatingLevel(StrEnum):
    """An objective's rating."""

    MET = "met"
    PARTIALLY = "partially"
    NOT_MET = "not_met"
    AWAITING = "awaiting"
    """An objective rated by an evaluator (``rated_by: evaluator``) that has not been rated."""


class DecidedBy(StrEnum):
    """Who made a decision (``DecisionMade.by``); a command may name another decider."""

    PLAYERS = "players"
    PLAYBOOK = "playbook"
    RANDOM = "random"
    FACILITATOR = "facilitator"
    DEADLINE = "deadline"
    """Nobody chose by the deadline: the default applied."""


class EndReason(StrEnum):
    """Why the exercise ended."""

    HORIZON = "horizon"
    FACILITATOR = "facilitator"
