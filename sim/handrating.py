"""Objectives rated by hand: ``rated_by: evaluator`` and the :class:`~sim.commands.Rate` command.

Such an objective has no condition: it stands 'awaiting evaluator' until an evaluator rates
it (met, partially met or not met, with a note). The rating is a command, so it is logged,
saved with a session and replayed like any other; it is taken while the exercise runs and
after it has ended (in the debrief), a later rating replacing an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import events as ev
from sim.commands import Rate
from sim.evidence import Evidence, Measure, evidence_text
from sim.vocab import RatingLevel

if TYPE_CHECKING:
    from sim.engine import Exercise, Rating
    from sim.schema import Objective

HAND_RATINGS: tuple[str, ...] = (RatingLevel.MET, RatingLevel.PARTIALLY, RatingLevel.NOT_MET)
"""What an evaluator may rate an objective."""
MAX_NOTE = 2000
"""The longest note a rating keeps (the console asks for one line of at most 300)."""


def accept_rate(ex: Exercise, c: Rate) -> Callable[[int], None]:
    """Check a Rate command against the exercise (raise ExerciseError); return how to apply it."""
    from sim.engine import ExerciseError

    obj = next((o for o in ex.scenario.objectives if o.id == c.objective), None)
    if obj is None:
        raise ExerciseError(f"there is no objective '{c.objective}'")
    if obj.rated_by != "evaluator":
        raise ExerciseError(
            f"objective '{c.objective}' is rated by the engine from its condition; only an "
            "objective with 'rated_by: evaluator' is rated by hand"
        )
    if c.rating not in HAND_RATINGS:
        raise ExerciseError(f"a rating is 'met', 'partially' or 'not_met', not '{c.rating[:40]}'")
    if len(c.note) > MAX_NOTE:
        raise ExerciseError(f"the rating's note is too long (at most {MAX_NOTE} characters)")

    def apply(seq: int) -> None:
        def rated() -> None:
            ex.hand_ratings[c.objective] = (c.rating, c.note, ex.now)
            ex.record(
                ev.ObjectiveRated,
                objective=c.objective,
                rating=c.rating,
                note=c.note,
                by=c.by,
                action=seq,
            )

        if ex.finished:
            rated()  # in the debrief: no instant left to finish
        else:
            ex._queue.append(rated)  # applied at the end of the instant, like every action

    return apply


def hand_rating(ex: Exercise, obj: Objective, final: bool) -> Rating:
    """An evaluator-rated objective's standing: the last rating given, or 'awaiting'."""
    from sim.engine import Rating

    given = ex.hand_ratings.get(obj.id)
    when = None if given is None else given[2]
    facts = Evidence(Measure.EVALUATOR, {}, final, ex.now, first_held=when)
    if given is None:
        return Rating(obj.id, RatingLevel.AWAITING, evidence_text(facts, ex.clock_text), facts)
    rating, note, _ = given
    words = evidence_text(facts, ex.clock_text) + (f": {note}" if note else "")
    return Rating(obj.id, rating, words, facts)
