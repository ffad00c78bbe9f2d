"""Random numbers for the engine: one independent, reproducible stream per scenario element.

Each threat, response and inject draws from its own stream, seeded from the run's seed and
the element's id. Adding an inject therefore does not shift the dice of every other element,
and two playbooks run with the same seed face the same luck where they do the same things
(common random numbers: a fairer comparison of policies).
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from sim.schema import MAX_TIME, Distribution


class Streams:
    """Lazily created numpy Generators keyed by element name."""

    __slots__ = ("_seed", "_streams")

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._streams: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        rng = self._streams.get(name)
        if rng is None:
            key = zlib.crc32(name.encode("utf-8"))
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([self._seed, key])))
            self._streams[name] = rng
        return rng


def sample(dist: Distribution, rng: np.random.Generator) -> float:
    """Draw one duration: never negative nor above MAX_TIME; truncated normals stay in
    [min, max]."""
    return min(max(0.0, _draw(dist, rng)), MAX_TIME)


def _draw(dist: Distribution, rng: np.random.Generator) -> float:
    p = dist.params
    match dist.kind:
        case "fixed":
            return p[0]
        case "uniform":
            return float(rng.uniform(p[0], p[1]))
        case "triangular":
            return float(rng.triangular(p[0], p[1], p[2]))
        case "exponential":
            return float(rng.exponential(p[0]))
        case "lognormal":
            return float(rng.lognormal(math.log(p[0]), p[1]))
        case _:
            mean, sd, low, high = p
            for _ in range(64):
                x = float(rng.normal(mean, sd))
                if low <= x <= high:
                    return x
            return min(max(mean, low), high)


def chance(p: float, rng: np.random.Generator) -> bool:
    """True with probability p (p outside 0..1 is clamped)."""
    if p <= 0:
        return False
    if p >= 1:
        return True
    return bool(rng.random() < p)
