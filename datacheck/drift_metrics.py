"""Drift metrics as pure functions: no I/O, no polars, only numpy and the standard library.

Each function documents its formula. The TFDV ones (L-infinity, normalized absolute difference,
Jensen-Shannon divergence) follow tensorflow/data-validation's `anomalies/metrics.cc` so that a user
moving from TFDV gets the same numbers. The others (PSI, Kolmogorov-Smirnov, Wasserstein,
chi-squared) agree with scipy where scipy defines the same quantity; scipy is a test dependency only, so
the Kolmogorov and chi-squared tail probabilities are computed in `datacheck.distributions`.

Inputs are what saved statistics hold, not raw rows:

- categorical frequency tables: ``Mapping[str, float]`` (value -> count);
- numeric histograms: `HistogramCounts` (bucket edges, counts, and NaN / +inf / -inf counts);
- numeric distributions from a quantile sketch: CDF values on a common grid of points (or, for PSI, at the
  baseline's quantiles).

Metrics computed from sketches are approximate. With a quantile sketch of normalized rank error ``eps`` (stored
as ``rank_error`` in the statistics), every CDF value and every quantile's rank is off by at most ``eps``;
each function that takes sketch output states what that means for its result.

No function returns NaN. Empty inputs raise ``ValueError`` unless the metric has a natural value there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from datacheck.distributions import chi2_sf, kolmogorov_sf

__all__ = [
    "HistogramCounts",
    "CategoricalDistance",
    "StatTestResult",
    "linf_distance",
    "normalized_absolute_difference",
    "jensen_shannon_categorical",
    "jensen_shannon_histograms",
    "psi",
    "psi_from_cdfs",
    "ks_pvalue_asymptotic",
    "ks_from_cdfs",
    "wasserstein_from_cdfs",
    "normalized_wasserstein",
    "chi_squared",
]

PSI_EPSILON = 1e-4
"""Floor for a bin's fraction in PSI, so that an empty bin gives a large finite term instead of infinity."""


# --------------------------------------------------------------------------------------------------
# Result types


class CategoricalDistance(NamedTuple):
    """A distance between two frequency tables and the value that moved most.

    Fields:
        value: the distance.
        largest_change: the value whose (normalized) count differs most between the tables; on ties the
            value that sorts last (TFDV's rule). None when both tables are empty.
    """

    value: float
    largest_change: str | None


class StatTestResult(NamedTuple):
    """A statistical test's statistic and p-value (a NamedTuple, so ``stat, p = result`` works).

    Fields:
        statistic: the test statistic (KS D, or Pearson's chi-squared).
        pvalue: probability, under "same distribution", of a statistic at least this large; in [0, 1].
    """

    statistic: float
    pvalue: float


@dataclass(frozen=True, slots=True)
class HistogramCounts:
    """A numeric histogram plus the counts of values that no bucket holds.

    Bucket ``i`` spans ``[edges[i], edges[i+1]]``. A bucket whose two edges are equal is a point bucket: all
    of its values equal that edge (this is how a constant column's histogram looks). A bucket with an
    infinite edge counts as infinite mass, as in TFDV.

    Fields:
        edges: len(counts) + 1 non-decreasing bucket boundaries (both empty for a histogram with no buckets).
        counts: non-negative count (or weight) per bucket.
        nan_count: NaN values.
        pos_inf_count: +inf values.
        neg_inf_count: -inf values.

    Example:
        >>> HistogramCounts(edges=(0.0, 1.0, 2.0), counts=(3, 4), nan_count=1)
        HistogramCounts(edges=(0.0, 1.0, 2.0), counts=(3, 4), nan_count=1, pos_inf_count=0, neg_inf_count=0)
    """

    edges: tuple[float, ...]
    counts: tuple[float, ...]
    nan_count: float = 0
    pos_inf_count: float = 0
    neg_inf_count: float = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "edges", tuple(float(e) for e in self.edges))
        object.__setattr__(self, "counts", tuple(self.counts))
        if self.counts and len(self.edges) != len(self.counts) + 1:
            raise ValueError(
                f"a histogram needs len(counts) + 1 edges, got {len(self.edges)} edges for "
                f"{len(self.counts)} counts"
            )
        if not self.counts and len(self.edges) > 1:
            raise ValueError(f"a histogram with {len(self.edges)} edges needs {len(self.edges) - 1} counts")
        if any(math.isnan(e) for e in self.edges):
            raise ValueError("histogram edges must not be NaN")
        if any(hi < lo for lo, hi in zip(self.edges, self.edges[1:])):
            raise ValueError(f"histogram edges must be non-decreasing, got {self.edges}")
        for name, value in (("counts", min(self.counts, default=0)), ("nan_count", self.nan_count),
                            ("pos_inf_count", self.pos_inf_count), ("neg_inf_count", self.neg_inf_count)):
            if not value >= 0:  # also rejects NaN
                raise ValueError(f"histogram {name} must be non-negative, got {value}")

    @property
    def total(self) -> float:
        """All values: bucket counts plus NaN and infinities."""
        return float(sum(self.counts)) + self.nan_count + self.pos_inf_count + self.neg_inf_count


# --------------------------------------------------------------------------------------------------
# Helpers


def _check_table(freq: Mapping[str, float], name: str) -> dict[str, float]:
    table: dict[str, float] = {}
    for key, count in freq.items():
        count = float(count)
        if not (count >= 0 and math.isfinite(count)):
            raise ValueError(f"{name}: count of {key!r} must be a finite non-negative number, got {count}")
        table[str(key)] = count
    return table


def _max_abs_difference(a: Mapping[str, float], b: Mapping[str, float]) -> CategoricalDistance:
    """Largest |a[k] - b[k]| over the union of keys; ties go to the key that sorts last (TFDV's `>=`)."""
    best_key: str | None = None
    best = 0.0
    for key in sorted(set(a) | set(b)):
        diff = abs(a.get(key, 0.0) - b.get(key, 0.0))
        if diff >= best:
            best_key, best = key, diff
    return CategoricalDistance(best, best_key)


def _scaled(table: Mapping[str, float], scale: float) -> dict[str, float]:
    # TFDV leaves a table unchanged when the scale is 0 (an all-zero table stays all zeros).
    if scale == 0:
        return dict(table)
    return {k: v / scale for k, v in table.items()}


def _jsd(p: np.ndarray, q: np.ndarray) -> float:
    """JSD of two aligned probability vectors in bits: (KL(p||m) + KL(q||m)) / 2 with m = (p + q) / 2.

    Terms with p_i = 0 (or q_i = 0) contribute 0 (the limit of x log x). Clipped to [0, 1] against rounding.
    """
    m = (p + q) / 2
    total = 0.0
    for x in (p, q):
        mask = x > 0
        total += float(np.sum(x[mask] * np.log2(x[mask] / m[mask])))
    return min(max(total / 2, 0.0), 1.0)


def _as_float_array(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


# --------------------------------------------------------------------------------------------------
# Categorical distances (TFDV)


def linf_distance(freq_a: Mapping[str, float], freq_b: Mapping[str, float]) -> CategoricalDistance:
    """L-infinity distance between two frequency tables, as TFDV defines it.

    Formula: with p_a(v) = count_a(v) / sum(count_a) and likewise p_b (each table normalized on its own),
    ``L_inf = max over v in keys(a) | keys(b) of |p_a(v) - p_b(v)|``, a value missing from a table
    counting 0. It lies in [0, 1]. An empty (or all-zero) table stays all zeros, so two empty tables are at
    distance 0.

    Args:
        freq_a: baseline value -> count.
        freq_b: current value -> count.

    Returns:
        The distance and the value with the largest change; on ties, the value that sorts last.
        ``largest_change`` is None only when both tables have no values.

    Raises:
        ValueError: a count is negative, NaN or infinite.

    Example:
        >>> linf_distance({"hello": 1, "world": 9}, {"hello": 3, "world": 7})
        CategoricalDistance(value=0.2..., largest_change='world')
    """
    a = _check_table(freq_a, "freq_a")
    b = _check_table(freq_b, "freq_b")
    return _max_abs_difference(_scaled(a, sum(a.values())), _scaled(b, sum(b.values())))


def normalized_absolute_difference(freq_a: Mapping[str, float], freq_b: Mapping[str, float]) -> CategoricalDistance:
    """TFDV's normalized absolute difference between two frequency tables.

    Formula: ``max over v of |count_a(v) - count_b(v)| / (sum(count_a) + sum(count_b))``, a missing value
    counting 0. Unlike L-infinity it compares raw counts, so it also moves when only the total changes.
    It lies in [0, 1]; two empty tables give 0.

    Args:
        freq_a: baseline value -> count.
        freq_b: current value -> count.

    Returns:
        The distance and the value with the largest absolute count change (ties: the value sorting last).

    Raises:
        ValueError: a count is negative, NaN or infinite.

    Example:
        >>> normalized_absolute_difference({"a": 3, "b": 1}, {"a": 1, "b": 3})
        CategoricalDistance(value=0.25, largest_change='b')
    """
    a = _check_table(freq_a, "freq_a")
    b = _check_table(freq_b, "freq_b")
    scale = sum(a.values()) + sum(b.values())
    return _max_abs_difference(_scaled(a, scale), _scaled(b, scale))


def jensen_shannon_categorical(freq_a: Mapping[str, float], freq_b: Mapping[str, float]) -> float:
    """Jensen-Shannon divergence (log base 2) between two frequency tables.

    Formula: P and Q are the tables normalized on their own over the union of values, M = (P + Q) / 2 and
    ``JSD = (KL(P||M) + KL(Q||M)) / 2`` with ``KL(P||M) = sum_v P(v) log2(P(v) / M(v))``, terms with
    P(v) = 0 being 0. It lies in [0, 1]: 0 for equal distributions, 1 for disjoint ones. It equals
    ``scipy.spatial.distance.jensenshannon(P, Q, base=2) ** 2``.

    Args:
        freq_a: baseline value -> count.
        freq_b: current value -> count.

    Returns:
        The divergence in [0, 1].

    Raises:
        ValueError: a table is empty or all zeros (TFDV refuses these too), or a count is negative.

    Example:
        >>> jensen_shannon_categorical({"a": 1}, {"b": 1})
        1.0
    """
    a = _check_table(freq_a, "freq_a")
    b = _check_table(freq_b, "freq_b")
    for name, table in (("freq_a", a), ("freq_b", b)):
        if sum(table.values()) == 0:
            raise ValueError(f"{name} has no counts: Jensen-Shannon divergence needs a non-empty table on each side")
    keys = sorted(set(a) | set(b))
    p = np.array([a.get(k, 0.0) for k in keys])
    q = np.array([b.get(k, 0.0) for k in keys])
    return _jsd(p / p.sum(), q / q.sum())


# --------------------------------------------------------------------------------------------------
# Numeric Jensen-Shannon divergence on histograms (TFDV)


def _split_histogram(hist: HistogramCounts) -> tuple[list[tuple[float, float, float]], dict[float, float], float]:
    """Range buckets (lo < hi, both finite), point masses by location, and mass in infinite-edged buckets."""
    ranges: list[tuple[float, float, float]] = []
    points: dict[float, float] = {}
    infinite = 0.0
    for lo, hi, count in zip(hist.edges, hist.edges[1:], hist.counts):
        count = float(count)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            infinite += count
        elif lo == hi:
            points[lo] = points.get(lo, 0.0) + count
        else:
            ranges.append((lo, hi, count))
    return ranges, points, infinite


def _rebucket(ranges: list[tuple[float, float, float]], boundaries: np.ndarray) -> np.ndarray:
    """Counts on the intervals between `boundaries`, each bucket's count spread uniformly over its width.

    Every bucket edge is one of the boundaries, so each new interval lies wholly inside or outside a bucket.
    """
    out = np.zeros(max(len(boundaries) - 1, 0))
    for lo, hi, count in ranges:
        i = int(np.searchsorted(boundaries, lo))
        j = int(np.searchsorted(boundaries, hi))
        out[i:j] += count * np.diff(boundaries[i : j + 1]) / (hi - lo)
    return out


def jensen_shannon_histograms(
    hist_a: HistogramCounts, hist_b: HistogramCounts, *, nonfinite_match: bool = False
) -> float:
    """Jensen-Shannon divergence (log base 2) between two numeric histograms, as TFDV computes it.

    Alignment, following TFDV's ``AlignHistograms``:

    1. Range buckets (finite, lo < hi) of both histograms are re-bucketed onto the sorted union of their
       edges; a bucket's count is spread over the new intervals it covers in proportion to their width
       (values are assumed uniform within a bucket).
    2. Point buckets (lo == hi) become one bucket per distinct location. A point bucket matches the other
       histogram's point bucket at the same location, never its range buckets.
    3. NaN and infinities (``nan_count``, ``pos_inf_count``, ``neg_inf_count`` and buckets with an infinite
       edge) get buckets of their own that never match the other side: side A's NaN mass and side B's NaN
       mass land in different buckets. So even identical histograms with NaN or infinities have
       ``JSD = (NaN + inf share)``, exactly as in TFDV. Pass ``nonfinite_match=True`` to let NaN match NaN,
       +inf match +inf and -inf match -inf instead (a datacheck extension; identical inputs then give 0).

    Then both sides are normalized to sum 1 and ``JSD = (KL(P||M) + KL(Q||M)) / 2`` with M = (P + Q) / 2 and
    log base 2, capped to [0, 1].

    Approximation: the result measures the histograms, not the raw data. When the histograms were built
    from a quantile sketch with rank error eps, each bucket's count is within 2 * eps * n of the true count.

    Args:
        hist_a: baseline histogram.
        hist_b: current histogram.
        nonfinite_match: let NaN / +inf / -inf mass match the same kind on the other side (default False,
            TFDV's behaviour).

    Returns:
        The divergence in [0, 1].

    Raises:
        ValueError: a histogram holds no values at all (TFDV: "Unable to normalize an empty histogram").

    Example:
        >>> a = HistogramCounts(edges=(1.0, 2.0, 3.0), counts=(2, 2))
        >>> b = HistogramCounts(edges=(2.0, 4.0, 6.0), counts=(2, 2))
        >>> round(jensen_shannon_histograms(a, b), 6)
        0.655639
    """
    for name, hist in (("hist_a", hist_a), ("hist_b", hist_b)):
        if hist.total == 0:
            raise ValueError(
                f"{name} holds no values: Jensen-Shannon divergence needs a non-empty histogram on each side"
            )
    ranges_a, points_a, inf_a = _split_histogram(hist_a)
    ranges_b, points_b, inf_b = _split_histogram(hist_b)

    # 1. Range buckets on the union of edges.
    boundaries = np.array(sorted({e for lo, hi, _ in ranges_a + ranges_b for e in (lo, hi)}), dtype=float)
    p_parts = [_rebucket(ranges_a, boundaries)]
    q_parts = [_rebucket(ranges_b, boundaries)]

    # 2. Point masses, aligned by location.
    locations = sorted(set(points_a) | set(points_b))
    p_parts.append(np.array([points_a.get(x, 0.0) for x in locations]))
    q_parts.append(np.array([points_b.get(x, 0.0) for x in locations]))

    # 3. Non-finite mass.
    specials_a = (hist_a.nan_count, hist_a.pos_inf_count + inf_a, hist_a.neg_inf_count)
    specials_b = (hist_b.nan_count, hist_b.pos_inf_count + inf_b, hist_b.neg_inf_count)
    for mass_a, mass_b in zip(specials_a, specials_b):
        if nonfinite_match:
            p_parts.append(np.array([mass_a], dtype=float))
            q_parts.append(np.array([mass_b], dtype=float))
        else:
            # Two buckets [mass_a, 0] and [0, mass_b]: they never match. Zero mass adds nothing to the JSD,
            # so adding the pair unconditionally gives TFDV's value.
            p_parts.append(np.array([mass_a, 0.0], dtype=float))
            q_parts.append(np.array([0.0, mass_b], dtype=float))

    p = np.concatenate(p_parts)
    q = np.concatenate(q_parts)
    return _jsd(p / p.sum(), q / q.sum())


# --------------------------------------------------------------------------------------------------
# Population stability index


def psi(fractions_a: Sequence[float] | np.ndarray, fractions_b: Sequence[float] | np.ndarray, *,
        epsilon: float = PSI_EPSILON) -> float:
    """Population stability index between two binned distributions.

    Formula: ``PSI = sum_i (b_i - a_i) * ln(b_i / a_i)`` where a_i and b_i are the baseline's and the
    current sample's fractions in bin i, each floored at ``epsilon`` first so that an empty bin gives a
    large finite term instead of infinity (fractions are not renormalized after flooring). Natural log, the
    usual convention (0.1 "some shift", 0.25 "large shift"). PSI is symmetric and >= 0.

    Args:
        fractions_a: baseline fraction per bin (sums to 1).
        fractions_b: current fraction per bin, same bins.
        epsilon: floor for a bin's fraction (default `PSI_EPSILON` = 1e-4).

    Returns:
        PSI >= 0; 0 when there are no bins.

    Raises:
        ValueError: the two inputs have different lengths, a fraction is negative or not finite, or
            epsilon is not positive.

    Example:
        >>> round(psi([0.5, 0.5], [0.25, 0.75]), 6)
        0.274653
    """
    a = _as_float_array(fractions_a, "fractions_a")
    b = _as_float_array(fractions_b, "fractions_b")
    if a.shape != b.shape:
        raise ValueError(f"fractions_a and fractions_b need the same bins, got {a.size} and {b.size}")
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon}")
    for name, arr in (("fractions_a", a), ("fractions_b", b)):
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name} must hold finite non-negative fractions")
    a = np.maximum(a, epsilon)
    b = np.maximum(b, epsilon)
    return max(float(np.sum((b - a) * np.log(b / a))), 0.0)


def psi_from_cdfs(cdf_a: Sequence[float] | np.ndarray, cdf_b: Sequence[float] | np.ndarray, *,
                  epsilon: float = PSI_EPSILON) -> float:
    """PSI on bins given by the two CDFs evaluated at the interior bin edges.

    Bins are ``(-inf, e_1], (e_1, e_2], ..., (e_k, +inf)`` with e_1 < ... < e_k the baseline's quantiles
    (for deciles, k = 9); ``cdf_x[i]`` is the fraction of sample x at or below e_i. The bin fractions are
    ``diff([0, *cdf, 1])`` and the result is `psi` of them. Evaluated on the baseline's own quantiles,
    ``cdf_a`` is about ``(0.1, ..., 0.9)``.

    Approximation: with CDFs read from quantile sketches of rank errors eps_a and eps_b, each bin fraction is
    within 2 * eps of the truth (a bin is the difference of two CDF values).

    Args:
        cdf_a: baseline CDF at the interior edges, non-decreasing, in [0, 1].
        cdf_b: current CDF at the same edges.
        epsilon: floor for a bin's fraction (see `psi`).

    Returns:
        PSI >= 0.

    Raises:
        ValueError: lengths differ, or a CDF leaves [0, 1] or decreases.

    Example:
        >>> psi_from_cdfs([0.5], [0.5])
        0.0
    """
    fractions = []
    for name, cdf in (("cdf_a", cdf_a), ("cdf_b", cdf_b)):
        arr = _as_float_array(cdf, name)
        if np.any(~np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1) or np.any(np.diff(arr) < 0):
            raise ValueError(f"{name} must be non-decreasing values in [0, 1]")
        fractions.append(np.diff(np.concatenate(([0.0], arr, [1.0]))))
    if fractions[0].shape != fractions[1].shape:
        raise ValueError("cdf_a and cdf_b must be evaluated at the same edges")
    return psi(fractions[0], fractions[1], epsilon=epsilon)


# --------------------------------------------------------------------------------------------------
# Kolmogorov-Smirnov


def ks_pvalue_asymptotic(statistic: float, n_a: float, n_b: float) -> float:
    """Asymptotic two-sided p-value of the two-sample KS statistic.

    Formula: with the effective size ``en = n_a * n_b / (n_a + n_b)``,
    ``p = kolmogorov_sf((sqrt(en) + 0.12 + 0.11 / sqrt(en)) * D)`` (Stephens' small-sample correction, as
    in Numerical Recipes). Accurate to about 0.01 in p once en is above a few tens.

    Args:
        statistic: D in [0, 1].
        n_a: baseline sample size (> 0).
        n_b: current sample size (> 0).

    Returns:
        The p-value in [0, 1].

    Raises:
        ValueError: a sample size is not positive.

    Example:
        >>> ks_pvalue_asymptotic(0.0, 100, 100)
        1.0
    """
    if not (n_a > 0 and n_b > 0):
        raise ValueError(f"sample sizes must be positive, got n_a={n_a}, n_b={n_b}")
    en = n_a * n_b / (n_a + n_b)
    root = math.sqrt(en)
    return kolmogorov_sf((root + 0.12 + 0.11 / root) * statistic)


def ks_from_cdfs(cdf_a: Sequence[float] | np.ndarray, cdf_b: Sequence[float] | np.ndarray, n_a: float,
                 n_b: float) -> StatTestResult:
    """Two-sample Kolmogorov-Smirnov test from the two CDFs evaluated on a common grid of points.

    Formula: ``D = max_i |F_a(x_i) - F_b(x_i)|`` over the grid, and the p-value from
    `ks_pvalue_asymptotic` with the effective size n_a * n_b / (n_a + n_b).

    Approximation: D is exact when the grid holds every distinct value of both samples (both CDFs are step
    functions that only change there). On a coarser grid D can only be underestimated. With CDFs read from
    quantile sketches of rank errors eps_a and eps_b, the result is within eps_a + eps_b of the grid's D.

    Args:
        cdf_a: baseline CDF values F_a(x_i) (fraction of values <= x_i), in [0, 1].
        cdf_b: current CDF values on the same points.
        n_a: baseline sample size (the count behind cdf_a).
        n_b: current sample size.

    Returns:
        `StatTestResult` (D, p-value).

    Raises:
        ValueError: the arrays are empty or differ in length, a CDF value is outside [0, 1], or a size is
            not positive.

    Example:
        >>> ks_from_cdfs([0.5, 1.0], [0.0, 1.0], 10, 10).statistic
        0.5
    """
    fa = _as_float_array(cdf_a, "cdf_a")
    fb = _as_float_array(cdf_b, "cdf_b")
    if fa.size == 0 or fa.shape != fb.shape:
        raise ValueError(f"cdf_a and cdf_b must be non-empty and on the same grid, got {fa.size} and {fb.size} points")
    for name, arr in (("cdf_a", fa), ("cdf_b", fb)):
        if np.any(~np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
            raise ValueError(f"{name} must hold values in [0, 1]")
    d = float(np.max(np.abs(fa - fb)))
    return StatTestResult(d, ks_pvalue_asymptotic(d, n_a, n_b))


# --------------------------------------------------------------------------------------------------
# Wasserstein


def wasserstein_from_cdfs(points: Sequence[float] | np.ndarray, cdf_a: Sequence[float] | np.ndarray,
                          cdf_b: Sequence[float] | np.ndarray) -> float:
    """1-Wasserstein (earth mover's) distance from two CDFs on a common sorted grid.

    Formula: ``W1 = integral |F_a(x) - F_b(x)| dx``, with each CDF taken as a step function constant on
    ``[x_i, x_{i+1})``: ``W1 = sum_i |F_a(x_i) - F_b(x_i)| * (x_{i+1} - x_i)``. This is exact when the grid
    holds every distinct value of both samples (it is how scipy computes it).

    Approximation: with CDFs from quantile sketches of rank errors eps_a and eps_b, the error from the CDF values
    is at most (eps_a + eps_b) * (x_last - x_first); a grid that misses values adds at most
    max_i (x_{i+1} - x_i) per unit of CDF change.

    Args:
        points: sorted grid x_1 <= ... <= x_k (finite).
        cdf_a: baseline CDF at the points, in [0, 1].
        cdf_b: current CDF at the points.

    Returns:
        W1 >= 0 in the data's unit; 0 for a single point.

    Raises:
        ValueError: lengths differ, the grid is empty, unsorted or not finite.

    Example:
        >>> wasserstein_from_cdfs([0.0, 1.0], [1.0, 1.0], [0.0, 1.0])
        1.0
    """
    x = _as_float_array(points, "points")
    fa = _as_float_array(cdf_a, "cdf_a")
    fb = _as_float_array(cdf_b, "cdf_b")
    if x.size == 0 or not (x.shape == fa.shape == fb.shape):
        raise ValueError("points, cdf_a and cdf_b must be non-empty and of the same length")
    if not np.all(np.isfinite(x)) or np.any(np.diff(x) < 0):
        raise ValueError("points must be finite and sorted ascending")
    return float(np.sum(np.abs(fa[:-1] - fb[:-1]) * np.diff(x)))


def normalized_wasserstein(distance: float, baseline_std: float) -> float:
    """Wasserstein distance in units of the baseline's standard deviation.

    Formula: ``W1 / std_baseline`` (population std, ddof 0, as stored in the statistics). When the baseline
    is constant (std == 0), the result is 0.0 if the distance is 0 and ``math.inf`` otherwise: any move of
    a constant column is infinitely many standard deviations. It is never NaN.

    Args:
        distance: W1 >= 0 (from any of the wasserstein functions).
        baseline_std: the baseline's standard deviation (>= 0).

    Returns:
        The normalized distance >= 0, possibly inf.

    Raises:
        ValueError: distance or std is negative or NaN.

    Example:
        >>> normalized_wasserstein(1.0, 2.0)
        0.5
    """
    if not distance >= 0 or not baseline_std >= 0:
        raise ValueError(f"distance and baseline_std must be non-negative, got {distance} and {baseline_std}")
    if baseline_std == 0:
        return 0.0 if distance == 0 else math.inf
    return float(distance / baseline_std)


# --------------------------------------------------------------------------------------------------
# Chi-squared


def chi_squared(freq_a: Mapping[str, float], freq_b: Mapping[str, float]) -> StatTestResult:
    """Pearson's chi-squared test of homogeneity: do both frequency tables come from one distribution?

    This is the 2 x k contingency test (rows: baseline, current; columns: the values seen in either
    table). It treats both tables as samples, so a value seen only in the current data gives a finite
    statistic, and the test is symmetric in its arguments. Formula, with row totals R_r, column totals C_v
    and N = R_a + R_b:
    ``E_rv = R_r * C_v / N`` and ``X2 = sum_rv (O_rv - E_rv)^2 / E_rv``, with df = k - 1 over the k values
    whose column total is positive; the p-value is ``chi2_sf(X2, df)``. No continuity correction. Equals
    ``scipy.stats.chi2_contingency([counts_a, counts_b], correction=False)``. Approximation note: like any
    Pearson test it wants expected counts of about 5 or more; with many rare values, pool them first.

    Args:
        freq_a: baseline value -> count.
        freq_b: current value -> count.

    Returns:
        `StatTestResult` (X2, p-value). With fewer than two values there is nothing to compare: (0.0, 1.0).

    Raises:
        ValueError: a table has no counts, or a count is negative or not finite.

    Example:
        >>> chi_squared({"a": 10, "b": 10}, {"a": 10, "b": 10})
        StatTestResult(statistic=0.0, pvalue=1.0)
    """
    a = _check_table(freq_a, "freq_a")
    b = _check_table(freq_b, "freq_b")
    for name, table in (("freq_a", a), ("freq_b", b)):
        if sum(table.values()) == 0:
            raise ValueError(f"{name} has no counts: the chi-squared test needs values on each side")
    keys = [k for k in sorted(set(a) | set(b)) if a.get(k, 0.0) + b.get(k, 0.0) > 0]
    if len(keys) < 2:
        return StatTestResult(0.0, 1.0)
    observed = np.array([[a.get(k, 0.0) for k in keys], [b.get(k, 0.0) for k in keys]])
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / observed.sum()
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    return StatTestResult(statistic, chi2_sf(statistic, len(keys) - 1))
