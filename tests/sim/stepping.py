"""Play an exercise with its clock stepped in random slices, as a console might."""

from __future__ import annotations

import random

from sim.engine import Exercise
from sim.schema import Scenario


def run_in_random_slices(sc: Scenario, seed: int, slices_seed: int, longest: float) -> Exercise:
    """Run to the end with ``run_until`` in random slices of up to ``longest`` time units."""
    rng = random.Random(slices_seed)
    stepped = Exercise(sc, seed)
    t = 0.0
    while not stepped.finished:
        t += rng.uniform(0.01, longest)
        stepped.run_until(t)
    return stepped
