"""Stored numbers: 12 significant digits, the same whether the rounding is remembered or not."""

from __future__ import annotations

import math
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from sim import numbers
from sim.numbers import stored


def _by_words(value: float) -> float:
    """The rule itself: the value written with 12 significant digits and read back."""
    if value == 0 or not math.isfinite(value):
        return value
    return float(f"{value:.12g}")


def _same(a: float, b: float) -> bool:
    """The same float, bit for bit (tells 0.0 from -0.0; NaN is NaN)."""
    return struct.pack("<d", a) == struct.pack("<d", b)


EDGES = [
    0.0,
    -0.0,
    math.inf,
    -math.inf,
    math.nan,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    0.7 - 0.05,
    0.1 + 0.2,
    1e12,
    999999999999.5,
    999999999999.4999,
    9.999999999995,
    9.9999999999949,
    1.0000000000005,
    0.30000000000000004,
    123456789012.5,
    2.5e-7,
    1e22,
    1e23,
    1 / 3,
    -2 / 3,
]


def test_edge_values_round_as_the_rule_says_first_time_and_remembered() -> None:
    numbers._rounded.clear()
    for value in EDGES:
        first, again = stored(value), stored(value)
        assert _same(first, _by_words(value)), value
        assert _same(again, first), value
    assert _same(stored(-0.0), -0.0) and _same(stored(0.0), 0.0)
    assert stored(0.7 - 0.05) == 0.65


@settings(max_examples=3000)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_rounds_as_the_rule_says_first_time_and_remembered(value: float) -> None:
    first, again = stored(value), stored(value)
    assert _same(first, _by_words(value))
    assert _same(again, first)


@settings(max_examples=2000)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_any_bit_pattern_rounds_as_the_rule_says(bits: int) -> None:
    value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    assert _same(stored(value), _by_words(value))
    assert _same(stored(value), _by_words(value))


def test_the_remembered_roundings_stay_few() -> None:
    for i in range(3 * numbers._KEPT):
        assert stored(i + 0.1234567890123456) == _by_words(i + 0.1234567890123456)
    assert len(numbers._rounded) <= numbers._KEPT + 1
