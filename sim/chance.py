"""Random numbers for the engine: one independent, reproducible stream per scenario element.

Each threat, response and inject draws from its own stream, seeded from the run's seed and
the element's id. Adding an inject therefore does not shift the dice of every other element,
and two playbooks run with the same seed face the same luck where they do the same things
(common random numbers: a fairer comparison of policies).

A stream is SplitMix64 (Steele, Lea and Flood 2014; it passes BigCrush) in plain Python,
started at a BLAKE2b hash of (seed, element id). Creating one costs about as much as one
draw, where a numpy ``Generator`` cost tens of draws; a batch creates several per run, so
this was the largest fixed cost of a replication. The distributions are the standard library's
(``random.Random`` methods driven by this generator).

Changed once, in version 0.1 (issue #11): streams were numpy PCG64 Generators seeded by
``SeedSequence([seed, crc32(id)])``. The same seed therefore gives different dice than before
that change; every run since is reproducible as before.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable

from sim.schema import MAX_TIME, Distribution

_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15
_TO_UNIT = 2.0**-53
_blake2b = hashlib.blake2b
_from_bytes = int.from_bytes


class Stream(random.Random):
    """One element's random stream: SplitMix64 behind the ``random.Random`` interface."""

    def __init__(self, seed: int, name: str) -> None:
        digest = _blake2b(f"{seed}\0{name}".encode(), digest_size=8).digest()
        self._state = _from_bytes(digest, "little")

    gauss_next = None
    """random.Random's cache for gauss(), unused here: the class's, where random.Random sets
    it on each instance (``gauss`` would set the instance's own)."""

    def seed(self, a: object = None, version: int = 2) -> None:
        """Streams are seeded at creation only."""

    def random(self) -> float:
        """The next float in [0, 1), with 53 random bits."""
        s = self._state = (self._state + _GAMMA) & _MASK
        z = ((s ^ (s >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return ((z ^ (z >> 31)) >> 11) * _TO_UNIT

    def getrandbits(self, k: int) -> int:
        out = 0
        for shift in range(0, k, 53):
            out |= int(self.random() * (1 << 53)) << shift
        return out & ((1 << k) - 1)

    def getstate(self) -> tuple[int, ...]:
        return (self._state,)

    def setstate(self, state: tuple[int, ...]) -> None:
        self._state = state[0]


class Streams(dict[str, Stream]):
    """Per-element streams of one run, created on first use: ``streams(name)``.

    A dictionary of the streams made so far, by name, called as a function: the call is
    ``dict.__getitem__`` itself, so finding a stream runs no Python code, and only a stream
    not yet made does (``__missing__``, which ``dict.__getitem__`` calls for a subclass)."""

    __slots__ = ("_seed",)

    def __init__(self, seed: int) -> None:
        super().__init__()
        self._seed = seed

    __call__ = dict.__getitem__

    def __missing__(self, name: str) -> Stream:
        rng = self[name] = Stream(self._seed, name)
        return rng


def sample(dist: Distribution, rng: random.Random) -> float:
    """Draw one duration: never negative nor above MAX_TIME; truncated normals stay in
    [min, max]."""
    found = _SAMPLERS.get(id(dist))
    return (found[1] if found is not None else sampler(dist))(rng)


Sampler = Callable[[random.Random], float]
"""One distribution's draw, clamped as ``sample`` clamps it."""

_SAMPLERS: dict[int, tuple[Distribution, Sampler]] = {}
"""Each distribution's sampler, by the distribution's identity (kept alive here, so its id is
not reused while it is kept); at most ``_KEPT``, then forgotten together."""
_KEPT = 4096


_NEVER_CLAMPED = MAX_TIME / 2
"""A uniform or triangular draw whose bounds are in [0, _NEVER_CLAMPED] is left as drawn, the
clamp would change nothing: ``random`` computes it as ``low + (high - low) * f`` (f in [0, 1];
a triangular draw above its mode as ``high + (low - high) * f``), never below 0 (at worst
``x - x``: +0.0, what ``max(0.0, ...)`` returns), never above ``high`` by more than a rounding,
far below MAX_TIME (tests/sim/test_chance.py compares the two on many bounds and draws)."""


def sampler(dist: Distribution) -> Sampler:
    """``dist``'s draw as one function, worked out once per distribution (a scenario's
    distributions recur every run): the same draws, in the same order, as ``_draw`` makes,
    clamped as ``sample`` clamps them; a fixed value is clamped once."""
    found = _SAMPLERS.get(id(dist))
    if found is not None:
        return found[1]
    p = dist.params
    fn: Sampler
    if dist.kind == "fixed":
        value = min(max(0.0, p[0]), MAX_TIME)

        def fn(rng: random.Random) -> float:
            return value

    elif dist.kind == "uniform" and 0 <= p[0] <= p[1] <= _NEVER_CLAMPED:
        a, b = p  # a draw is in [a, b] (rounded), so never clamped: see _NEVER_CLAMPED

        def fn(rng: random.Random) -> float:
            return rng.uniform(a, b)

    elif dist.kind == "uniform":
        a, b = p

        def fn(rng: random.Random) -> float:
            return min(max(0.0, rng.uniform(a, b)), MAX_TIME)

    elif dist.kind == "triangular" and 0 <= p[0] <= p[1] <= p[2] <= _NEVER_CLAMPED and p[0] < p[2]:
        low, mode, high = p  # as uniform's: never clamped

        def fn(rng: random.Random) -> float:
            return rng.triangular(low, high, mode)

    elif dist.kind == "triangular":
        low, mode, high = p  # ours: (low, mode, high); random's: (low, high, mode)

        def fn(rng: random.Random) -> float:
            return min(max(0.0, rng.triangular(low, high, mode)), MAX_TIME)

    elif dist.kind == "exponential" and p[0] > 0:
        rate = 1.0 / p[0]

        def fn(rng: random.Random) -> float:
            return min(max(0.0, rng.expovariate(rate)), MAX_TIME)

    elif dist.kind == "lognormal" and p[0] > 0:
        mu, sigma = math.log(p[0]), p[1]  # as _draw works them out, once

        def fn(rng: random.Random) -> float:
            # never below 0 (an exponential, at worst +0.0): only the top is clamped
            return min(rng.lognormvariate(mu, sigma), MAX_TIME)

    else:

        def fn(rng: random.Random) -> float:
            return min(max(0.0, _draw(dist, rng)), MAX_TIME)

    if len(_SAMPLERS) >= _KEPT:
        _SAMPLERS.clear()
    _SAMPLERS[id(dist)] = (dist, fn)
    return fn


def _draw(dist: Distribution, rng: random.Random) -> float:
    p = dist.params
    match dist.kind:
        case "fixed":
            return p[0]
        case "uniform":
            return rng.uniform(p[0], p[1])
        case "triangular":
            return rng.triangular(p[0], p[2], p[1])  # ours: (low, mode, high)
        case "exponential":
            return rng.expovariate(1.0 / p[0]) if p[0] > 0 else 0.0
        case "lognormal":
            return rng.lognormvariate(math.log(p[0]), p[1])
        case _:
            mean, sd, low, high = p
            for _ in range(64):
                x = rng.normalvariate(mean, sd)
                if low <= x <= high:
                    return x
            return min(max(mean, low), high)


def chance(p: float, rng: random.Random) -> bool:
    """True with probability p (p outside 0..1 is clamped)."""
    if p <= 0:
        return False
    if p >= 1:
        return True
    return rng.random() < p
