"""What caused a change, as data: a kind, an element id and a detail.

Records carry both the words (``cause``: ``"decision:answer.deny"``) and the data
(``origin``: ``("decision", "answer", "deny")``); code that needs to know what caused what
(the debrief's "what this decision caused", reports) reads the data and never parses words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final


class CauseKind(StrEnum):
    """What kind of thing caused a change."""

    DECISION = "decision"
    """id: the decision; detail: the option chosen."""
    INJECT = "inject"
    RESPONSE = "response"
    """detail: '' (it succeeded), 'failed', 'starts'."""
    THREAT = "threat"
    """detail: the stage, or 'detected'."""
    FACILITATOR = "facilitator"
    MONITORING = "monitoring"
    """A threat stage's own chance of detection."""
    UNEXPLAINED = "unexplained"
    """What the players see when an undetected threat caused it."""
    DRIFT = "drift"
    """(v2) A variable moving by itself at its rate; id: the variable."""
    BOUND = "bound"
    """(v2) A variable kept within a bound that reads other variables; id: the variable."""


# The kinds as module constants too, for the hot paths (see sim/vocab.py: on Python 3.11 an
# enum member read goes through a slow hook).
CAUSE_DECISION: Final = CauseKind.DECISION
CAUSE_INJECT: Final = CauseKind.INJECT
CAUSE_RESPONSE: Final = CauseKind.RESPONSE
CAUSE_THREAT: Final = CauseKind.THREAT
CAUSE_FACILITATOR: Final = CauseKind.FACILITATOR
CAUSE_MONITORING: Final = CauseKind.MONITORING
CAUSE_UNEXPLAINED: Final = CauseKind.UNEXPLAINED
CAUSE_DRIFT: Final = CauseKind.DRIFT
CAUSE_BOUND: Final = CauseKind.BOUND


@dataclass(frozen=True, slots=True)
class Cause:
    """A cause: kind, id and detail."""

    kind: CauseKind
    id: str = ""
    detail: str = ""

    @property
    def text(self) -> str:
        """The words records have always carried: 'kind:id.detail', or just 'kind'."""
        if not self.id:
            return str(self.kind)
        return f"{self.kind}:{self.id}" + (f".{self.detail}" if self.detail else "")

    @property
    def parts(self) -> tuple[str, str, str]:
        """The data form records carry (``origin``)."""
        return (str(self.kind), self.id, self.detail)

    @classmethod
    def of(cls, parts: tuple[str, ...]) -> Cause | None:
        """A cause back from a record's ``origin`` (None when the record has none)."""
        if len(parts) != 3:
            return None
        return cls(CauseKind(parts[0]), parts[1], parts[2])


FACILITATOR = Cause(CauseKind.FACILITATOR)
UNEXPLAINED = Cause(CauseKind.UNEXPLAINED)

shared_cause = lru_cache(maxsize=4096, typed=True)(Cause)
"""``Cause(kind, id, detail)``, made once per value and shared (a cause is frozen and compared
by value): the engine and the mechanics name the same few causes run after run, one for
every effect they apply and every response that ends. (``typed``: a kind given as plain text
is kept apart, so a cause found here always has the kind it was asked with.)"""
