"""The one rule for stored numbers: variables keep 12 significant digits.

Binary floating point cannot hold most decimal fractions, so ``0.7 - 0.05`` is
``0.6499999999999999`` and a threshold written ``0.65`` would fail where an author (and the
console, which shows ``0.65``) expects it to hold. Every value stored in a variable is
therefore rounded to :data:`SIGNIFICANT` significant digits: far below any meaningful
precision of a scenario, far above the noise of a few float operations. Stored values and
thresholds then agree: ``0.7 - 0.05 >= 0.65`` holds.
"""

from __future__ import annotations

import math

SIGNIFICANT = 12
"""Significant digits kept in every stored variable value."""

_KEPT = 4096
"""Most roundings remembered (the same values recur from run to run of a batch)."""
_rounded: dict[float, float] = {}


def stored(value: float) -> float:
    """``value`` rounded to 12 significant digits (infinities and NaN unchanged)."""
    # Remembered: equal non-zero finite floats are the same float, so the rounding of one is
    # the rounding of the other. Zeros (0.0 and -0.0 are equal keys) and NaN are never kept.
    found = _rounded.get(value)
    if found is not None:
        return found
    if value == 0 or not math.isfinite(value):
        return value
    out = _rounded[value] = float(f"{value:.{SIGNIFICANT}g}")
    if len(_rounded) > _KEPT:
        _rounded.clear()
    return out
