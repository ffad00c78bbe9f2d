"""The exercise's fixed words as StrEnums: statuses, ratings, who decided, why it ended.

Each member is its own text (``ThreatStatus.DETECTED == "detected"``), so records and JSON
keep the words the format documents, and mypy and readers see the closed sets.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


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


# Each member as a module constant too, for the engine's and the mechanics' hot paths: on
# Python 3.11, reading ``ThreatStatus.DETECTED`` goes through ``EnumType.__getattr__``'s hook
# (about ten times a global read; Python 3.12 dropped it). See docs/performance.md, ninth round.
THREAT_PENDING: Final = ThreatStatus.PENDING
THREAT_UNDETECTED: Final = ThreatStatus.UNDETECTED
THREAT_DETECTED: Final = ThreatStatus.DETECTED
THREAT_STOPPED: Final = ThreatStatus.STOPPED
THREAT_COMPLETED: Final = ThreatStatus.COMPLETED

RESPONSE_LOCKED: Final = ResponseStatus.LOCKED
RESPONSE_READY: Final = ResponseStatus.READY
RESPONSE_RUNNING: Final = ResponseStatus.RUNNING
RESPONSE_SUCCEEDED: Final = ResponseStatus.SUCCEEDED
RESPONSE_FAILED: Final = ResponseStatus.FAILED

INJECT_PENDING: Final = InjectStatus.PENDING
INJECT_DELIVERED: Final = InjectStatus.DELIVERED
INJECT_SKIPPED: Final = InjectStatus.SKIPPED

RATING_MET: Final = RatingLevel.MET
RATING_PARTIALLY: Final = RatingLevel.PARTIALLY
RATING_NOT_MET: Final = RatingLevel.NOT_MET
RATING_AWAITING: Final = RatingLevel.AWAITING

DECIDED_BY_PLAYERS: Final = DecidedBy.PLAYERS
DECIDED_BY_PLAYBOOK: Final = DecidedBy.PLAYBOOK
DECIDED_BY_RANDOM: Final = DecidedBy.RANDOM
DECIDED_BY_FACILITATOR: Final = DecidedBy.FACILITATOR
DECIDED_BY_DEADLINE: Final = DecidedBy.DEADLINE

END_HORIZON: Final = EndReason.HORIZON
END_FACILITATOR: Final = EndReason.FACILITATOR
