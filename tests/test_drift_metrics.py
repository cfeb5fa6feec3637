"""Tests of datacheck.drift_metrics: TFDV's published values re-derived by hand, scipy agreement, properties.

The TFDV cases come from tensorflow/data-validation `anomalies/metrics_test.cc`; each expected value is
re-derived in the comments (log2 throughout).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from datacheck.distributions import chi2_sf, kolmogorov_sf
from datacheck.drift_metrics import (
    CategoricalDistance,
    HistogramCounts,
    StatTestResult,
    chi_squared,
    jensen_shannon_categorical,
    jensen_shannon_histograms,
    ks_from_cdfs,
    ks_pvalue_asymptotic,
    linf_distance,
    normalized_absolute_difference,
    normalized_wasserstein,
    psi,
    psi_from_cdfs,
    wasserstein_from_cdfs,
)

scipy_stats = pytest.importorskip("scipy.stats")
scipy_distance = pytest.importorskip("scipy.spatial.distance")

log2 = math.log2


def empirical_cdfs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both samples' empirical CDFs on the sorted union of their values (plain numpy, the reference grid)."""
    grid = np.unique(np.concatenate((a, b)))
    return grid, np.searchsorted(np.sort(a), grid, side="right") / a.size, np.searchsorted(np.sort(b), grid,
                                                                                           side="right") / b.size

# The value TFDV publishes for a histogram with 1 NaN and 3 in [1, 2] against 4 in [1, 2]:
# P = [NaN 0.25, range 0.75], Q = [0, 1.0], M = [0.125, 0.875];
# JSD = (0.25*log2(0.25/0.125) + 0.75*log2(0.75/0.875)) / 2 + (1.0*log2(1.0/0.875)) / 2.
TFDV_NAN_JSD = (0.25 * log2(0.25 / 0.125) + 0.75 * log2(0.75 / 0.875)) / 2 + (1.0 * log2(1.0 / 0.875)) / 2


def test_tfdv_nan_value_rederived():
    assert TFDV_NAN_JSD == pytest.approx(0.13792538096, abs=1e-10)


# --------------------------------------------------------------------------------------------------
# L-infinity (TFDV LInftyDistanceTest)


@pytest.mark.parametrize(
    ("training", "serving", "expected", "value"),
    [
        # "Two empty maps": nothing to compare.
        ({}, {}, 0.0, None),
        # "Normal distribution.": |0.1-0.3| = 0.2 and |0.9-0.7| = 0.2 (0.2000...07 in floating point, so
        # "world" wins even without the tie rule).
        ({"hello": 0.1, "world": 0.9}, {"hello": 0.3, "world": 0.7}, 0.2, "world"),
        # "Missing value in both.": a: |0-0.3| = 0.3, b: |0.9-0.7| = 0.2, c: |0.1-0| = 0.1.
        ({"b": 0.9, "c": 0.1}, {"a": 0.3, "b": 0.7}, 0.3, "a"),
        # "Missing value in both, flipped.": same differences.
        ({"a": 0.3, "b": 0.7}, {"b": 0.9, "c": 0.1}, 0.3, "a"),
    ],
)
def test_linf_tfdv_cases(training, serving, expected, value):
    result = linf_distance(training, serving)
    assert result.value == pytest.approx(expected, abs=1e-5)
    assert result.largest_change == value


def test_linf_normalizes_each_table_on_its_own():
    # Counts 1:9 and 30:70 are the TFDV "Normal distribution" case scaled differently per side.
    assert linf_distance({"hello": 1, "world": 9}, {"hello": 30, "world": 70}).value == pytest.approx(0.2)


def test_linf_tie_reports_value_sorting_last():
    # x: |1/2 - 2/2| = 0.5 and y: |1/2 - 0| = 0.5 tie exactly; TFDV keeps the last key (">=" over a sorted map).
    assert linf_distance({"x": 1, "y": 1}, {"x": 2}) == CategoricalDistance(0.5, "y")
    # Identical tables: every difference is 0, so the tie rule picks the last value.
    assert linf_distance({"b": 2, "a": 1}, {"a": 1, "b": 2}) == CategoricalDistance(0.0, "b")


def test_linf_one_side_empty():
    # An empty table normalizes to all zeros: the distance is the other side's largest share.
    assert linf_distance({}, {"a": 1, "b": 3}) == CategoricalDistance(0.75, "b")


def test_linf_rejects_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        linf_distance({"a": -1}, {"a": 1})


# --------------------------------------------------------------------------------------------------
# Normalized absolute difference (TFDV kCombinedTotal)


def test_normalized_absolute_difference_hand_cases():
    # |3-1| = |1-3| = 2, divided by 4 + 4 = 8; a tie, so the value sorting last ("b").
    assert normalized_absolute_difference({"a": 3, "b": 1}, {"a": 1, "b": 3}) == CategoricalDistance(0.25, "b")
    # Same proportions, different totals: L-infinity is 0 but the count difference is 10 / (10 + 20).
    assert normalized_absolute_difference({"x": 10}, {"x": 20}).value == pytest.approx(1 / 3)
    assert linf_distance({"x": 10}, {"x": 20}).value == 0.0
    # Two empty tables: 0.
    assert normalized_absolute_difference({}, {}) == CategoricalDistance(0.0, None)


# --------------------------------------------------------------------------------------------------
# Jensen-Shannon divergence on histograms (TFDV JensenShannonDivergence tests)

SAME_STATISTICS = HistogramCounts(
    edges=(1.0, 2.3333333, 3.6666667, 5.0), counts=(2.9866667, 1.0066667, 2.0066667), nan_count=1
)


def test_jsd_same_statistics_without_nan_is_zero():
    finite_only = HistogramCounts(edges=SAME_STATISTICS.edges, counts=SAME_STATISTICS.counts)
    assert jensen_shannon_histograms(finite_only, finite_only) == pytest.approx(0.0, abs=1e-12)


def test_jsd_same_statistics_with_nan():
    # TFDV's older test expected 0 here; its current AlignHistograms gives each side's NaN mass a bucket the
    # other side never fills: P = [..., 0, 1/7], Q = [..., 1/7, 0] (total 7 per side). Matched buckets add 0;
    # each unmatched 1/7 against M = 1/14 adds (1/7)*log2(2) = 1/7, so JSD = (1/7 + 1/7) / 2 = 1/7.
    total = sum(SAME_STATISTICS.counts) + 1
    assert jensen_shannon_histograms(SAME_STATISTICS, SAME_STATISTICS) == pytest.approx(1 / total, abs=1e-9)
    # With nonfinite_match the NaN buckets line up and identical inputs give 0, as TFDV's older test did.
    matched = jensen_shannon_histograms(SAME_STATISTICS, SAME_STATISTICS, nonfinite_match=True)
    assert matched == pytest.approx(0.0, abs=1e-12)


def test_jsd_different_bucket_boundaries():
    # TFDV DifferentBucketBoundaries: [1,2]:2 [2,3]:2 against [2,4]:2 [4,6]:2. Union of edges 1,2,3,4,6;
    # [2,4] splits into [2,3] and [3,4] with 1 each (uniform spreading).
    # P = [0.5, 0.5, 0, 0], Q = [0, 0.25, 0.25, 0.5], M = [0.25, 0.375, 0.125, 0.25].
    expected = (0.5 * log2(0.5 / 0.25) + 0.5 * log2(0.5 / 0.375)) / 2 + (
        0.25 * log2(0.25 / 0.375) + 0.25 * log2(0.25 / 0.125) + 0.5 * log2(0.5 / 0.25)
    ) / 2
    assert expected == pytest.approx(0.65563906222, abs=1e-10)
    a = HistogramCounts(edges=(1.0, 2.0, 3.0), counts=(2, 2))
    b = HistogramCounts(edges=(2.0, 4.0, 6.0), counts=(2, 2))
    assert jensen_shannon_histograms(a, b) == pytest.approx(expected, abs=1e-12)
    assert jensen_shannon_histograms(b, a) == pytest.approx(expected, abs=1e-12)
    # scipy on the hand-rebucketed vectors gives the same number.
    p, q = [0.5, 0.5, 0, 0], [0, 0.25, 0.25, 0.5]
    assert scipy_distance.jensenshannon(p, q, base=2) ** 2 == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # NoOverlap: [0,2] against [3,6]; disjoint supports give JSD = 1.
        (HistogramCounts((0.0, 1.0, 2.0), (2, 2)), HistogramCounts((3.0, 4.0, 6.0), (2, 2))),
        # OneHasAllValuesInOneBucket: a point bucket at 1 against ranges [2,6].
        (HistogramCounts((1.0, 1.0), (4,)), HistogramCounts((2.0, 4.0, 6.0), (2, 2))),
        # BothHaveAllValuesInOneBucket: point buckets at 1 and at 2.
        (HistogramCounts((1.0, 1.0), (4,)), HistogramCounts((2.0, 2.0), (4,))),
        # OneHasOneBucketTheOtherHasMany: the point 10 lies inside [4,12], but a point bucket never matches a
        # range bucket, so the supports are disjoint.
        (HistogramCounts((10.0, 10.0), (21,)), HistogramCounts((0.0, 4.0, 12.0, 20.0), (150, 200, 20))),
    ],
)
def test_jsd_disjoint_cases_are_one(a, b):
    assert jensen_shannon_histograms(a, b) == pytest.approx(1.0, abs=1e-12)
    assert jensen_shannon_histograms(b, a) == pytest.approx(1.0, abs=1e-12)


def test_jsd_with_nans():
    # TFDV WithNaNs: 1 NaN and 3 in [1,2] against 4 in [1,2] (derivation at TFDV_NAN_JSD).
    a = HistogramCounts((1.0, 2.0), (3,), nan_count=1)
    b = HistogramCounts((1.0, 2.0), (4,))
    assert jensen_shannon_histograms(a, b) == pytest.approx(TFDV_NAN_JSD, abs=1e-12)
    assert jensen_shannon_histograms(b, a) == pytest.approx(TFDV_NAN_JSD, abs=1e-12)


@pytest.mark.parametrize(
    "a",
    [
        HistogramCounts((1.0, 2.0), (3,), pos_inf_count=1),
        HistogramCounts((1.0, 2.0), (3,), neg_inf_count=1),
        # A bucket with an infinite edge is infinite mass, as in TFDV.
        HistogramCounts((1.0, 2.0, math.inf), (3, 1)),
        # A point bucket at 2 (an edge of the other side's range) still never matches the range mass.
        HistogramCounts((1.0, 2.0, 2.0), (3, 1)),
    ],
)
def test_jsd_infinities_and_points_are_unmatched(a):
    # One unmatched quarter against 4 in [1,2]: the same vectors as the NaN case, so the same value.
    b = HistogramCounts((1.0, 2.0), (4,))
    assert jensen_shannon_histograms(a, b) == pytest.approx(TFDV_NAN_JSD, abs=1e-12)


def test_jsd_infinities_on_both_sides_never_match():
    # 3 in [0,1] and one +inf on each side. Range buckets match (0.75 each, contributing 0); side A's inf
    # quarter and side B's inf quarter sit in different buckets, each adding 0.25*log2(0.25/0.125) = 0.25.
    # JSD = (0.25 + 0.25) / 2 = 0.25.
    h = HistogramCounts((0.0, 1.0), (3,), pos_inf_count=1)
    assert jensen_shannon_histograms(h, h) == pytest.approx(0.25, abs=1e-12)
    assert jensen_shannon_histograms(h, h, nonfinite_match=True) == pytest.approx(0.0, abs=1e-12)
    # +inf never matches -inf even with nonfinite_match: JSD = 0.25 again.
    g = HistogramCounts((0.0, 1.0), (3,), neg_inf_count=1)
    assert jensen_shannon_histograms(h, g, nonfinite_match=True) == pytest.approx(0.25, abs=1e-12)


def test_jsd_point_buckets_match_at_same_location():
    # Buckets [0,1], [1,5] (empty), point 5. A: 2, 0, 2; B: 3, 0, 1.
    # P = [0.5, 0.5], Q = [0.75, 0.25], M = [0.625, 0.375].
    a = HistogramCounts((0.0, 1.0, 5.0, 5.0), (2, 0, 2))
    b = HistogramCounts((0.0, 1.0, 5.0, 5.0), (3, 0, 1))
    expected = (0.5 * log2(0.5 / 0.625) + 0.5 * log2(0.5 / 0.375)) / 2 + (
        0.75 * log2(0.75 / 0.625) + 0.25 * log2(0.25 / 0.375)
    ) / 2
    assert jensen_shannon_histograms(a, b) == pytest.approx(expected, abs=1e-12)
    assert scipy_distance.jensenshannon([0.5, 0.5], [0.75, 0.25], base=2) ** 2 == pytest.approx(expected, abs=1e-12)
    # A constant column on both sides: identical point buckets, JSD 0.
    c = HistogramCounts((7.0, 7.0), (5,))
    assert jensen_shannon_histograms(c, HistogramCounts((7.0, 7.0), (50,))) == pytest.approx(0.0, abs=1e-12)


def test_jsd_empty_histogram_raises():
    # TFDV EmptyHistogram: no buckets, or buckets with zero counts, cannot be normalized.
    full = HistogramCounts((0.0, 4.0), (10,))
    with pytest.raises(ValueError, match="no values"):
        jensen_shannon_histograms(HistogramCounts((), ()), full)
    with pytest.raises(ValueError, match="no values"):
        jensen_shannon_histograms(full, HistogramCounts((0.0, 4.0), (0,)))


def test_jsd_histograms_match_scipy_after_rebucketing():
    # Equal-width buckets with different ranges; rebucket by hand onto the union of edges and compare.
    rng = np.random.default_rng(7)
    for _ in range(20):
        ea = np.linspace(rng.uniform(-2, 0), rng.uniform(1, 3), 6)
        eb = np.linspace(rng.uniform(-1, 1), rng.uniform(2, 4), 5)
        ca = rng.integers(0, 20, size=5)
        cb = rng.integers(1, 20, size=4)
        ca[0] += 1
        union = np.unique(np.concatenate((ea, eb)))

        def spread(edges, counts, union=union):
            out = np.zeros(len(union) - 1)
            for k in range(len(union) - 1):
                lo, hi = union[k], union[k + 1]
                mid = (lo + hi) / 2
                i = np.searchsorted(edges, mid) - 1
                if 0 <= i < len(counts) and edges[i] <= mid <= edges[i + 1]:
                    out[k] = counts[i] * (hi - lo) / (edges[i + 1] - edges[i])
            return out

        p, q = spread(ea, ca), spread(eb, cb)
        expected = scipy_distance.jensenshannon(p / p.sum(), q / q.sum(), base=2) ** 2
        got = jensen_shannon_histograms(HistogramCounts(tuple(ea), tuple(ca)), HistogramCounts(tuple(eb), tuple(cb)))
        assert got == pytest.approx(expected, abs=1e-10)
        assert 0.0 <= got <= 1.0


def test_histogram_counts_validation():
    with pytest.raises(ValueError, match="edges"):
        HistogramCounts((0.0, 1.0), (1, 2))
    with pytest.raises(ValueError, match="non-decreasing"):
        HistogramCounts((1.0, 0.0), (1,))
    with pytest.raises(ValueError, match="non-negative"):
        HistogramCounts((0.0, 1.0), (-1,))


# --------------------------------------------------------------------------------------------------
# Jensen-Shannon divergence on frequency tables


def test_jsd_categorical_hand_and_scipy():
    assert jensen_shannon_categorical({"a": 1}, {"b": 1}) == 1.0
    assert jensen_shannon_categorical({"a": 1, "b": 3}, {"a": 10, "b": 30}) == pytest.approx(0.0, abs=1e-15)
    rng = np.random.default_rng(1)
    for _ in range(20):
        keys = [f"v{i}" for i in range(8)]
        ca = {k: int(c) for k, c in zip(keys, rng.integers(0, 50, size=8)) if c > 0}
        cb = {k: int(c) for k, c in zip(keys, rng.integers(0, 50, size=8)) if c > 0}
        p = np.array([ca.get(k, 0) for k in keys], dtype=float)
        q = np.array([cb.get(k, 0) for k in keys], dtype=float)
        expected = scipy_distance.jensenshannon(p, q, base=2) ** 2
        assert jensen_shannon_categorical(ca, cb) == pytest.approx(expected, abs=1e-12)
        assert jensen_shannon_categorical(cb, ca) == pytest.approx(expected, abs=1e-12)


def test_jsd_categorical_empty_raises():
    with pytest.raises(ValueError, match="non-empty"):
        jensen_shannon_categorical({}, {"a": 1})


# --------------------------------------------------------------------------------------------------
# PSI


def test_psi_hand_value():
    # (0.25-0.5)*ln(0.25/0.5) + (0.75-0.5)*ln(0.75/0.5) = 0.25*(ln 2 + ln 1.5) = 0.25*ln 3.
    assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25 * math.log(3), abs=1e-15)
    assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(psi([0.25, 0.75], [0.5, 0.5]), abs=1e-15)
    # An empty bin is floored at epsilon: (1e-4 - 0.5)*ln(1e-4/0.5) + (1 - 0.5)*ln(1/0.5).
    expected = (1e-4 - 0.5) * math.log(1e-4 / 0.5) + 0.5 * math.log(2)
    assert psi([0.5, 0.5], [0.0, 1.0]) == pytest.approx(expected, abs=1e-12)
    assert psi([], []) == 0.0


def test_psi_from_cdfs_on_deciles():
    # Baseline deciles: the baseline puts 0.1 in each bin.
    assert psi_from_cdfs(np.arange(1, 10) / 10, np.arange(1, 10) / 10) == 0.0
    rng = np.random.default_rng(3)
    a = rng.normal(size=2000)
    b = rng.normal(0.3, 1.2, size=1500)
    edges = np.quantile(a, np.arange(1, 10) / 10)
    cdf_a = np.array([np.mean(a <= e) for e in edges])
    cdf_b = np.array([np.mean(b <= e) for e in edges])
    fa = np.diff(np.concatenate(([0], cdf_a, [1])))
    fb = np.diff(np.concatenate(([0], cdf_b, [1])))
    expected = float(np.sum((fb - fa) * np.log(fb / fa)))
    assert psi_from_cdfs(cdf_a, cdf_b) == pytest.approx(expected, rel=1e-12)
    assert psi_from_cdfs(cdf_a, cdf_a) == 0.0


def test_psi_rejects_bad_input():
    with pytest.raises(ValueError, match="same bins"):
        psi([0.5, 0.5], [1.0])
    with pytest.raises(ValueError, match="non-decreasing"):
        psi_from_cdfs([0.6, 0.4], [0.5, 0.5])


# --------------------------------------------------------------------------------------------------
# Kolmogorov-Smirnov


def test_kolmogorov_sf_matches_scipy():
    for x in np.concatenate(([0.0, -1.0, 1e-3], np.linspace(0.05, 4, 80))):
        assert kolmogorov_sf(float(x)) == pytest.approx(float(scipy_stats.kstwobign.sf(x)), abs=1e-13)


@pytest.mark.parametrize(("m", "n", "shift"), [(300, 400, 0.0), (500, 500, 0.1), (1000, 700, 0.05), (2000, 3000, 0.0)])
def test_ks_asymptotic_matches_scipy(m, n, shift):
    rng = np.random.default_rng(m + n)
    a = rng.normal(size=m)
    b = np.round(rng.normal(shift, size=n), 2)  # rounding creates ties; D must still match exactly
    want = scipy_stats.ks_2samp(a, b, method="asymp")
    # ks_from_cdfs on a grid holding every value reproduces D (the same rational number; scipy subtracts two
    # rounded fractions, so they may differ in the last bit).
    _, cdf_a, cdf_b = empirical_cdfs(a, b)
    got = ks_from_cdfs(cdf_a, cdf_b, m, n)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-13)
    # scipy uses the exact one-sample law at n = round(en); Stephens' correction approximates it.
    assert got.pvalue == pytest.approx(want.pvalue, abs=0.02)


def test_ks_hand_cases():
    # {1, 2, 3} against {4, 5, 6}: the CDFs on the grid 1..6 differ by 1 at x = 3, so D = 1; en = 1.5 and the
    # p-value is the Kolmogorov tail at (sqrt(1.5) + 0.12 + 0.11 / sqrt(1.5)) * 1.
    disjoint = ks_from_cdfs([1 / 3, 2 / 3, 1, 1, 1, 1], [0, 0, 0, 1 / 3, 2 / 3, 1], 3, 3)
    assert disjoint.statistic == 1.0
    scaled = math.sqrt(1.5) + 0.12 + 0.11 / math.sqrt(1.5)
    assert disjoint.pvalue == pytest.approx(float(scipy_stats.kstwobign.sf(scaled)), abs=1e-13)
    assert ks_from_cdfs([1 / 3, 2 / 3, 1], [1 / 3, 2 / 3, 1], 3, 3) == StatTestResult(0.0, 1.0)
    assert ks_pvalue_asymptotic(0.0, 10, 10) == 1.0
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ks_from_cdfs([0.5, math.nan], [0.5, 1.0], 10, 10)
    with pytest.raises(ValueError, match="same grid"):
        ks_from_cdfs([0.5], [0.5, 1.0], 10, 10)


# --------------------------------------------------------------------------------------------------
# Wasserstein


def test_wasserstein_matches_scipy():
    rng = np.random.default_rng(11)
    for m, n in [(10, 10), (50, 80), (1000, 700)]:
        a = rng.normal(size=m)
        b = rng.gamma(2.0, size=n)
        want = scipy_stats.wasserstein_distance(a, b)
        # On a grid holding every value of both samples the step-CDF integral is exact.
        grid, cdf_a, cdf_b = empirical_cdfs(a, b)
        assert wasserstein_from_cdfs(grid, cdf_a, cdf_b) == pytest.approx(want, rel=1e-12)
        assert wasserstein_from_cdfs(grid, cdf_b, cdf_a) == pytest.approx(want, rel=1e-12)


def test_wasserstein_hand_cases():
    # A shift by c moves W1 by exactly c: {0, 1, 2} against {3, 4, 5} differ by 1/3, 2/3, 1, 2/3, 1/3 on the
    # unit steps from 0 to 5, which sums to 3.
    grid = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert wasserstein_from_cdfs(grid, [1 / 3, 2 / 3, 1, 1, 1, 1], [0, 0, 0, 1 / 3, 2 / 3, 1]) == pytest.approx(3.0)
    assert wasserstein_from_cdfs([0.0, 1.0, 2.0], [0.5, 1.0, 1.0], [0.0, 0.5, 1.0]) == pytest.approx(1.0)
    assert normalized_wasserstein(3.0, 1.5) == 2.0
    assert normalized_wasserstein(0.0, 0.0) == 0.0
    assert normalized_wasserstein(1.0, 0.0) == math.inf
    with pytest.raises(ValueError):
        normalized_wasserstein(math.nan, 1.0)


# --------------------------------------------------------------------------------------------------
# Chi-squared


def test_chi2_sf_matches_scipy():
    for df in (0.5, 1, 2, 3, 7, 10, 50, 300):
        for x in (1e-6, 0.01, 0.5, 1, 3, 10, 50, 200, 1000):
            want = float(scipy_stats.chi2.sf(x, df))
            assert chi2_sf(x, df) == pytest.approx(want, rel=1e-9, abs=1e-14)
    assert chi2_sf(0.0, 3) == 1.0
    assert chi2_sf(math.inf, 3) == 0.0


def test_chi_squared_homogeneity_matches_scipy():
    rng = np.random.default_rng(5)
    for _ in range(10):
        keys = ["a", "b", "c", "d", "e"]
        ca = dict(zip(keys, rng.integers(5, 100, size=5).tolist()))
        cb = dict(zip(keys, rng.integers(5, 100, size=5).tolist()))
        cb["new"] = 7  # a value only the current data has: finite statistic under homogeneity
        table = [[ca.get(k, 0) for k in sorted(cb)], [cb[k] for k in sorted(cb)]]
        stat, p, dof, _ = scipy_stats.chi2_contingency(table, correction=False)
        got = chi_squared(ca, cb)
        assert got.statistic == pytest.approx(stat, rel=1e-12)
        assert got.pvalue == pytest.approx(p, rel=1e-9, abs=1e-15)
        assert chi_squared(cb, ca).statistic == pytest.approx(stat, rel=1e-12)


def test_chi_squared_edge_cases():
    assert chi_squared({"a": 5}, {"a": 9}) == StatTestResult(0.0, 1.0)
    with pytest.raises(ValueError, match="no counts"):
        chi_squared({}, {"a": 1})


# --------------------------------------------------------------------------------------------------
# Properties: symmetry, zero on identical inputs, ranges, never NaN


def test_properties_on_random_inputs():
    rng = np.random.default_rng(2024)
    for _ in range(30):
        keys = [f"k{i}" for i in range(6)]
        fa = {k: int(c) for k, c in zip(keys, rng.integers(0, 20, size=6))}
        fb = {k: int(c) for k, c in zip(keys, rng.integers(0, 20, size=6))}
        fa["k0"] += 1
        fb["k1"] += 1
        for metric in (linf_distance, normalized_absolute_difference):
            assert metric(fa, fb).value == metric(fb, fa).value
            assert 0.0 <= metric(fa, fb).value <= 1.0
            assert metric(fa, fa).value == 0.0
        jsd = jensen_shannon_categorical(fa, fb)
        assert 0.0 <= jsd <= 1.0 and jsd == pytest.approx(jensen_shannon_categorical(fb, fa), abs=1e-15)
        assert jensen_shannon_categorical(fa, fa) == pytest.approx(0.0, abs=1e-15)
        assert chi_squared(fa, fa).statistic == pytest.approx(0.0, abs=1e-12)

        ha = HistogramCounts(tuple(np.linspace(0, rng.uniform(1, 5), 5)), tuple(rng.integers(0, 9, size=4) + 1),
                             nan_count=int(rng.integers(0, 3)), pos_inf_count=int(rng.integers(0, 2)))
        hb = HistogramCounts(tuple(np.linspace(rng.uniform(-1, 1), 3, 4)), tuple(rng.integers(0, 9, size=3) + 1),
                             neg_inf_count=int(rng.integers(0, 2)))
        for match in (False, True):
            value = jensen_shannon_histograms(ha, hb, nonfinite_match=match)
            assert 0.0 <= value <= 1.0 and not math.isnan(value)
            assert value == pytest.approx(jensen_shannon_histograms(hb, ha, nonfinite_match=match), abs=1e-12)
        assert jensen_shannon_histograms(ha, ha, nonfinite_match=True) == pytest.approx(0.0, abs=1e-12)

        a = rng.normal(size=50)
        b = rng.normal(size=60)
        grid, cdf_a, cdf_b = empirical_cdfs(a, b)
        assert ks_from_cdfs(cdf_a, cdf_b, 50, 60).statistic == ks_from_cdfs(cdf_b, cdf_a, 60, 50).statistic
        assert ks_from_cdfs(cdf_a, cdf_a, 50, 50).statistic == 0.0
        assert wasserstein_from_cdfs(grid, cdf_a, cdf_a) == 0.0
        assert psi_from_cdfs(cdf_a, cdf_a) == 0.0
