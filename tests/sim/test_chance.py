"""The engine's random streams: reproducible, one per element, and with the right
distributions."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from sim.chance import Stream, Streams, chance, sample
from sim.schema import MAX_TIME, Distribution


def _draws(stream: Stream, n: int = 5) -> list[float]:
    return [stream.random() for _ in range(n)]


def test_same_seed_and_element_give_the_same_stream() -> None:
    assert _draws(Streams(7)("threat:a")) == _draws(Streams(7)("threat:a"))


def test_elements_and_seeds_get_different_streams() -> None:
    streams = Streams(7)
    assert _draws(streams("threat:a")) != _draws(streams("threat:b"))
    assert _draws(Streams(7)("threat:a")) != _draws(Streams(8)("threat:a"))


def test_an_element_stream_does_not_depend_on_other_elements() -> None:
    """Common random numbers: drawing from one element never shifts another's dice."""
    quiet = Streams(3)
    busy = Streams(3)
    for _ in range(100):
        busy("response:other").random()
    assert _draws(quiet("threat:a")) == _draws(busy("threat:a"))


def test_unit_draws_are_uniform() -> None:
    xs = _draws(Stream(1, "x"), 20_000)
    assert all(0.0 <= x < 1.0 for x in xs)
    assert statistics.fmean(xs) == pytest.approx(0.5, abs=0.01)
    assert statistics.pvariance(xs) == pytest.approx(1 / 12, abs=0.003)
    deciles = [0] * 10
    for x in xs:
        deciles[int(x * 10)] += 1
    assert min(deciles) > 1800 and max(deciles) < 2200


def test_state_round_trips() -> None:
    s = Stream(1, "x")
    s.random()
    saved = s.getstate()
    first = _draws(s)
    s.setstate(saved)
    assert _draws(s) == first


@pytest.mark.parametrize(
    ("kind", "params", "mean"),
    [
        ("uniform", [2.0, 4.0], 3.0),
        ("triangular", [1.0, 2.0, 6.0], 3.0),
        ("exponential", [5.0], 5.0),
        ("lognormal", [10.0, 0.3], 10.0 * math.exp(0.3**2 / 2)),
        ("fixed", [4.0], 4.0),
    ],
)
def test_distributions_have_their_means(kind: str, params: list[float], mean: float) -> None:
    dist = Distribution.model_validate({"kind": kind, "params": params})
    rng = Stream(11, kind)
    xs = [sample(dist, rng) for _ in range(20_000)]
    assert statistics.fmean(xs) == pytest.approx(mean, rel=0.03)
    if kind == "triangular":
        assert min(xs) >= 1.0 and max(xs) <= 6.0


def test_truncated_normal_stays_in_bounds() -> None:
    dist = Distribution.model_validate({"kind": "normal", "params": [5.0, 3.0, 4.0, 7.0]})
    rng = Stream(2, "n")
    xs = [sample(dist, rng) for _ in range(5000)]
    assert all(4.0 <= x <= 7.0 for x in xs)


def test_chance_is_a_probability() -> None:
    rng = Stream(5, "c")
    hits = sum(chance(0.3, rng) for _ in range(20_000))
    assert hits / 20_000 == pytest.approx(0.3, abs=0.015)
    assert not chance(0.0, rng) and chance(1.0, rng) and not chance(-1, rng)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("fixed", [0.0]),
        ("fixed", [3.5]),
        ("uniform", [2.0, 4.0]),
        ("uniform", [0.0, 0.0]),
        ("triangular", [1.0, 2.0, 6.0]),
        ("triangular", [0.0, 0.0, 6.0]),
        ("exponential", [5.0]),
        ("lognormal", [10.0, 0.3]),
        ("lognormal", [1e-300, 10.0]),
        ("lognormal", [1e5, 10.0]),  # often above MAX_TIME: clamped
        ("normal", [5.0, 3.0, 4.0, 7.0]),
    ],
)
def test_a_distributions_sampler_draws_what_sample_always_drew(
    kind: str, params: list[float]
) -> None:
    """The sampler worked out once per distribution gives the draws of the plain dispatch,
    clamped the same way, in the same order, leaving the stream in the same state."""
    from sim.chance import _draw, sampler
    from sim.schema import MAX_TIME

    dist = Distribution.model_validate({"kind": kind, "params": params})
    plain, fast, via_sample = Stream(5, kind), Stream(5, kind), Stream(5, kind)
    for _ in range(500):
        expected = min(max(0.0, _draw(dist, plain)), MAX_TIME)
        assert sampler(dist)(fast) == expected
        assert sample(dist, via_sample) == expected
    assert plain.getstate() == fast.getstate() == via_sample.getstate()


def test_a_stream_is_made_once_per_run_and_found_again() -> None:
    streams = Streams(5)
    first = streams("response:a")
    first.random()
    assert streams("response:a") is first
    assert _draws(streams("response:a")) == _draws(Streams(5)("response:a"), 6)[1:]


def test_gauss_keeps_its_spare_draw_to_each_stream() -> None:
    """random.Random caches the second normal of each pair: one stream's cache never reaches
    another stream, even one of the same element and seed."""
    one, other = Stream(9, "threat:a"), Stream(9, "threat:a")
    first = one.gauss(0.0, 1.0)
    assert other.gauss(0.0, 1.0) == first
    assert one.gauss(0.0, 1.0) == other.gauss(0.0, 1.0) != first


class _Fixed(random.Random):
    """A generator giving the unit draws it is handed, in turn (the edges included)."""

    def __init__(self, units: list[float]) -> None:
        super().__init__(0)
        self.units = units

    def random(self) -> float:
        return self.units.pop(0)


_EDGES = [0.0, 2.0**-53, 0.25, 0.5, 0.75, 1.0 - 2.0**-53]
_BOUNDS = [
    -1.0,
    0,
    -0.0,
    0.0,
    5e-324,
    1e-300,
    1e-9,
    0.1,
    1,
    2,
    6,
    24,
    1e5,
    MAX_TIME / 2 - 1,
    MAX_TIME / 2,
    MAX_TIME,
    2 * MAX_TIME,
]
"""Bounds a validated file may give (and some it may not: the clamp is skipped by the
sampler's own check, not by trust in the validation)."""


@pytest.mark.parametrize("kind", ["uniform", "triangular"])
def test_a_draw_left_unclamped_is_the_clamped_draw_bit_for_bit(kind: str) -> None:
    """The samplers skip the clamp where it cannot change a draw (sim.chance._NEVER_CLAMPED):
    every draw, on every edge of its bounds, is the clamped one, the same number of the same
    type and sign."""
    rng = random.Random(11)
    for low in _BOUNDS:
        for high in _BOUNDS:
            if kind == "uniform":
                if not low <= high:
                    continue
                params: tuple[float, ...] = (low, high)
            else:
                if not low < high:
                    continue
                params = (low, low + (high - low) * rng.random(), high)
            dist = Distribution.model_construct(kind=kind, params=params)
            units = _EDGES + [rng.random() for _ in range(20)]
            for a, b in zip(units, [*units[1:], units[0]], strict=True):
                ours = sample(dist, _Fixed([a, b]))
                pair = _Fixed([a, b])
                draw = (
                    pair.uniform(*params)
                    if kind == "uniform"
                    else pair.triangular(params[0], params[2], params[1])
                )
                clamped = min(max(0.0, draw), MAX_TIME)
                assert (repr(ours), type(ours)) == (repr(clamped), type(clamped)), params
