"""(v2) Detection at a rate: a hidden campaign is found after an exponential time, not one roll
per stage.

A stage's ``detect_rate`` is a hazard: the expected number of detections per time unit while
the campaign hides in that stage. It is read when each round of the stage begins, and the
time to detection is drawn from the threat's own detection stream (``threat:ID:detect``), so
it shifts none of the threat's other dice. Exponential times have no memory: a stage cut
into many short rounds is found after the same time, in distribution, as one long round.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.schema import Stage, Threat

if TYPE_CHECKING:
    from sim.context import Context


def time_to_detection(ex: Context, threat: Threat, stage: Stage, within: float) -> float | None:
    """When, from now, this round of the stage is detected by its rate; None if not within
    ``within`` (the round's length) or the stage has no rate."""
    if stage.detect_rate is None:
        return None
    rng = ex.rng(f"threat:{threat.id}:detect")
    rate = ex.number(stage.detect_rate, "threat:%s.%s.detect_rate", threat.id, stage.id)
    u = rng.random()  # one draw per round, whatever the rate: the stream stays aligned
    if rate <= 0:
        return None
    t = -math.log(1.0 - u) / rate
    return t if t < within else None
