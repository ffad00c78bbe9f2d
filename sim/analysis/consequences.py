"""What a decision caused: its effects, the responses it started, and what those did.

Read from the records' structured causes (``origin``), never from their words.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim import events as ev
from sim.cause import CauseKind


def consequences(records: Sequence[ev.Event], decision: str, option: str) -> list[ev.Event]:
    """The records a decision caused, in order: the variables it changed, the responses it
    started, and what those responses (and the responses they started) did."""
    root = (str(CauseKind.DECISION), decision, option)
    responses: set[str] = set()
    out: list[ev.Event] = []
    for r in records:
        if isinstance(r, ev.VariableChanged | ev.ResponseStarted):
            origin = r.origin
            if r.origin == (str(CauseKind.UNEXPLAINED), "", "") and isinstance(
                r, ev.VariableChanged
            ):
                origin = r.hidden_origin
            by_response = (
                len(origin) == 3 and origin[0] == CauseKind.RESPONSE and origin[1] in responses
            )
            if origin == root or by_response:
                out.append(r)
                if isinstance(r, ev.ResponseStarted):
                    responses.add(r.response)
            continue
        if isinstance(
            r, ev.ResponseFinished | ev.ResponseFailed | ev.BillProgress | ev.NotificationDelivered
        ):
            if r.response in responses:
                out.append(r)
        elif isinstance(r, ev.ThreatStopped | ev.ThreatDetected | ev.ThreatSlowed) and (
            len(r.origin) == 3 and r.origin[0] == CauseKind.RESPONSE and r.origin[1] in responses
        ):
            out.append(r)
    return out
