"""Evaluators' observations: the :class:`~sim.commands.Observe` command, checked and applied.

An observation is a line of text for the after-action report, optionally tagged to an
objective as a strength or an area for improvement. Like a rating, it is taken while the
exercise runs and after it has ended (in the debrief, the hotwash), and it is controller-only
in the log (the report decides what the players' edition shows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import events as ev
from sim.commands import Observe

if TYPE_CHECKING:
    from sim.engine import Exercise

MAX_OBSERVATION = 2000
"""The longest observation kept (the console asks for one line of at most 300)."""


def accept_observe(ex: Exercise, c: Observe) -> Callable[[int], None]:
    """Check an Observe command against the exercise (raise ExerciseError); return how to
    apply it."""
    from sim.engine import ASSESSMENTS, ExerciseError

    if not c.text.strip():
        raise ExerciseError("the observation has no text")
    if len(c.text) > MAX_OBSERVATION:
        raise ExerciseError(f"the observation is too long (at most {MAX_OBSERVATION} characters)")
    if c.objective and c.objective not in {o.id for o in ex.scenario.objectives}:
        raise ExerciseError(f"there is no objective '{c.objective[:40]}'")
    if c.assessment not in ASSESSMENTS:
        raise ExerciseError(
            f"an observation's assessment is 'strength' or 'improvement', not '{c.assessment[:40]}'"
        )

    def apply(seq: int) -> None:
        def observed() -> None:
            ex.record(
                ev.ObservationRecorded,
                text=c.text,
                objective=c.objective,
                assessment=c.assessment,
                audience=ev.FACILITATOR_ONLY,
                action=seq,
            )

        if ex.finished:
            observed()  # in the debrief: no instant left to finish
        else:
            ex._queue.append(observed)  # applied at the end of the instant, like every action

    return apply
