"""The statistics of a batch: proportions with Wilson intervals, percentiles, paired tests.

Everything here is plain arithmetic on counts and sums (no SciPy), so it is easy to check by
hand; the tests check each function against textbook cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""
ALPHA = 0.05


@dataclass(frozen=True)
class Interval:
    """An estimate with a 95% confidence interval."""

    estimate: float
    low: float
    high: float


def wilson(successes: int, n: int, z: float = Z95) -> Interval:
    """A share with its Wilson score interval (good near 0 and 1, unlike the Wald interval)."""
    if n <= 0:
        return Interval(math.nan, math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(p, low, high)


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of sorted values, linear between order statistics
    (numpy's default 'linear' method)."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    frac = pos - lo
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * frac


def mean_interval(n: int, total: float, total_sq: float, z: float = Z95) -> Interval:
    """A mean with a normal-approximation interval, from the count, sum and sum of squares."""
    if n <= 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = total / n
    if n == 1:
        return Interval(mean, math.nan, math.nan)
    var = max(0.0, (total_sq - n * mean * mean) / (n - 1))
    half = z * math.sqrt(var / n)
    return Interval(mean, mean - half, mean + half)


@dataclass(frozen=True)
class McNemar:
    """McNemar's test of paired met / not met outcomes of policies A and B on the same runs."""

    only_a: int
    """Runs where A met the objective and B did not."""
    only_b: int
    """Runs where B met it and A did not."""
    n: int
    """Paired runs."""
    p_value: float
    difference: Interval
    """Share met under A minus share met under B, with a paired 95% interval."""

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


def mcnemar(only_a: int, only_b: int, n: int, z: float = Z95) -> McNemar:
    """McNemar's exact test (two-sided binomial on the discordant pairs) and the paired
    difference of shares with its Wald interval, se = sqrt(b + c - (b - c)²/n) / n."""
    discordant = only_a + only_b
    p = binomial_two_sided(min(only_a, only_b), discordant) if discordant else 1.0
    if n <= 0:
        return McNemar(only_a, only_b, n, p, Interval(math.nan, math.nan, math.nan))
    d = (only_a - only_b) / n
    se = math.sqrt(max(0.0, discordant - (only_a - only_b) ** 2 / n)) / n
    return McNemar(only_a, only_b, n, p, Interval(d, max(-1.0, d - z * se), min(1.0, d + z * se)))


def binomial_two_sided(k: int, n: int) -> float:
    """P(X <= k or X >= n - k) for X ~ Binomial(n, 1/2), k <= n/2: the exact McNemar p-value.

    Summed in log space so that large n stays accurate; capped at 1.
    """
    if n == 0:
        return 1.0
    k = min(k, n - k)
    log_half_n = -n * math.log(2)
    tail = 0.0
    for i in range(k + 1):
        tail += math.exp(_log_comb(n, i) + log_half_n)
    return min(1.0, 2 * tail)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass(frozen=True)
class PairedDifference:
    """Mean of (A - B) over paired runs, with a 95% interval and a two-sided p-value."""

    n: int
    difference: Interval
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA


def paired_difference(n: int, total: float, total_sq: float) -> PairedDifference:
    """Paired comparison of a variable from the sum and sum of squares of the per-run
    differences; the p-value is the normal approximation (fine for the hundreds of runs a
    batch has; below 30 pairs treat it as a rough guide)."""
    iv = mean_interval(n, total, total_sq)
    if n < 2:
        return PairedDifference(n, iv, math.nan)
    half = iv.high - iv.estimate
    if half == 0:
        p = 1.0 if iv.estimate == 0 else 0.0
    else:
        z = abs(iv.estimate) / (half / Z95)
        p = math.erfc(z / math.sqrt(2))
    return PairedDifference(n, iv, p)
