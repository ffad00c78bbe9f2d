"""The batch statistics against cases worked out by hand or in textbooks."""

from __future__ import annotations

import math
import random
import statistics

import numpy as np
import pytest

from sim.batch.stats import (
    binomial_two_sided,
    mcnemar,
    mean_interval,
    paired_difference,
    percentile,
    wilson,
)


def test_wilson_interval_textbook_values() -> None:
    # 5 of 10: the Wilson 95% interval is (0.2366, 0.7634).
    iv = wilson(5, 10)
    assert iv.estimate == 0.5
    assert iv.low == pytest.approx(0.2366, abs=1e-4)
    assert iv.high == pytest.approx(0.7634, abs=1e-4)
    # 0 of 10 still has an upper bound well above 0 (the Wald interval would be [0, 0]).
    zero = wilson(0, 10)
    assert zero.low == 0.0
    assert zero.high == pytest.approx(0.2775, abs=1e-4)
    full = wilson(10, 10)
    assert full.high == 1.0 and full.low == pytest.approx(1 - 0.2775, abs=1e-4)


def test_wilson_with_no_runs_is_undefined_not_an_error() -> None:
    assert math.isnan(wilson(0, 0).estimate)


def test_wilson_covers_the_truth_about_95_percent_of_the_time() -> None:
    rng = random.Random(1)
    hits = 0
    trials = 2000
    for _ in range(trials):
        k = sum(rng.random() < 0.3 for _ in range(50))
        iv = wilson(k, 50)
        hits += iv.low <= 0.3 <= iv.high
    assert 0.93 <= hits / trials <= 0.97


def test_mcnemar_exact_p_values_by_hand() -> None:
    # Discordant pairs 0 vs 5: p = 2 * (1/2)^5 = 0.0625, not significant at 5%.
    assert mcnemar(0, 5, 20).p_value == pytest.approx(0.0625)
    assert not mcnemar(0, 5, 20).significant
    # 0 vs 6: p = 2 / 64 = 0.03125, significant.
    assert mcnemar(0, 6, 20).p_value == pytest.approx(0.03125)
    assert mcnemar(0, 6, 20).significant
    # 1 vs 6: p = 2 * (1 + 7) / 128 = 0.125.
    assert mcnemar(1, 6, 20).p_value == pytest.approx(0.125)
    # Symmetric in A and B, and no discordant pairs means no evidence at all.
    assert mcnemar(6, 1, 20).p_value == mcnemar(1, 6, 20).p_value
    assert mcnemar(0, 0, 20).p_value == 1.0


def test_mcnemar_large_counts_agree_with_the_chi_square_approximation() -> None:
    # Wikipedia's example: b = 121, c = 59; chi-square with continuity 20.68, p ≈ 5.4e-6.
    chi2 = (abs(121 - 59) - 1) ** 2 / (121 + 59)
    approx = math.erfc(math.sqrt(chi2 / 2))
    exact = mcnemar(121, 59, 314).p_value
    assert exact == pytest.approx(approx, rel=0.3)
    assert exact < 1e-4


def test_paired_difference_of_shares_by_hand() -> None:
    # 10 runs met only under A, 30 only under B, of 100: d = -0.2, se = sqrt(40 - 4) / 100.
    test = mcnemar(10, 30, 100)
    assert test.difference.estimate == pytest.approx(-0.2)
    assert test.difference.low == pytest.approx(-0.2 - 1.959964 * 0.06, abs=1e-6)
    assert test.difference.high == pytest.approx(-0.2 + 1.959964 * 0.06, abs=1e-6)


def test_binomial_tail_sums_to_one_when_it_should() -> None:
    assert binomial_two_sided(5, 10) == 1.0
    assert binomial_two_sided(0, 1) == 1.0
    assert binomial_two_sided(0, 2000) < 1e-300 or binomial_two_sided(0, 2000) == 0.0


def test_percentile_matches_numpy_linear() -> None:
    rng = random.Random(7)
    for n in (1, 2, 3, 10, 101):
        values = sorted(rng.uniform(-5, 5) for _ in range(n))
        for q in (0, 5, 50, 95, 100):
            assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert math.isnan(percentile([], 50))


def test_mean_interval_from_sums() -> None:
    values = [1.0, 2.0, 4.0, 7.0]
    iv = mean_interval(len(values), sum(values), sum(v * v for v in values))
    half = 1.959964 * statistics.stdev(values) / 2
    assert iv.estimate == pytest.approx(3.5)
    assert iv.low == pytest.approx(3.5 - half, rel=1e-6)
    assert iv.high == pytest.approx(3.5 + half, rel=1e-6)


def test_paired_difference_of_a_variable() -> None:
    diffs = [0.5, 1.5, 1.0, 1.2, 0.8] * 10
    test = paired_difference(len(diffs), sum(diffs), sum(d * d for d in diffs))
    assert test.difference.estimate == pytest.approx(1.0)
    assert test.significant
    same = paired_difference(50, 0.0, 0.0)
    assert same.difference.estimate == 0.0 and same.p_value == 1.0 and not same.significant
