"""The histogram a report draws for a numeric or temporal column: the bulk of the values in equal-width bins,
the outliers counted apart.

The stored histogram (`NumericStats.histogram`) spans min to max in equal widths, so a few extreme values
squeeze every other value into one bar: in the broken sample, 25 interest rates written in percent (up to
17.87) among 2,000 fractions (0.03 to 0.20) leave 1,975 values in the first of 20 buckets. Here the bins span
the bulk instead: Tukey's far-out fences, Q1 - 3·IQR and Q3 + 3·IQR, cut to the column's min and max, and the
values beyond them are counted apart. A normal sample has a value beyond those fences (4.7 standard deviations
out) about once in 420,000 values, so a column without extreme values keeps its whole range, and then the
stored histogram is the view. When the quartiles coincide (IQR 0, say a column of mostly zeros), the 1st and
99th percentiles bound the bulk instead, as on the drift page.

Counts come from the column's quantile summary, as the stored histogram's do: exact while the summary is exact
(`rank_error` 0), otherwise each within the rank error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datacheck.sketches import QuantileSketch
from datacheck.statistics import HISTOGRAM_BUCKETS, ColumnStats

#: Tukey's "far out" fences: Q1 - 3·IQR and Q3 + 3·IQR (Tukey, Exploratory Data Analysis, 1977).
FENCE_IQRS = 3.0


@dataclass(frozen=True, slots=True)
class BulkHistogram:
    """Equal-width bins over the bulk of a column's finite values, and the values beyond it.

    Fields:
        edges: bin boundaries, len(counts) + 1 of them; bin i is [edges[i], edges[i+1]), the last one closed.
        counts: values per bin.
        below, above: values below edges[0] and above edges[-1] (the outliers), counted apart.
        min, max: the column's smallest and largest finite values, how far the outliers reach.
    """

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    below: int
    above: int
    min: float
    max: float


def bulk_histogram(col: ColumnStats, buckets: int = HISTOGRAM_BUCKETS) -> BulkHistogram | None:
    """The bulk histogram of `col`, or None when no value lies beyond the bulk (the stored histogram then
    shows every value) or the statistics lack what it needs (quartiles and the quantile summary)."""
    numeric = col.numeric
    if numeric is None or numeric.min is None or numeric.max is None or not col.sketch.quantiles:
        return None
    bounds = _bulk_bounds(col)
    if bounds is None:
        return None
    if bounds[0] <= numeric.min and bounds[1] >= numeric.max:
        return None
    summary = QuantileSketch.from_text(col.sketch.quantiles)
    n = summary.get_n()
    # The bins reach the outermost values inside the fences, not the fences themselves: no empty bins at the
    # ends (the broken sample's rates end at 0.20, their fence is at 0.28).
    inside = summary.values[(summary.values >= bounds[0]) & (summary.values <= bounds[1])]
    if inside.size == 0:
        return None
    low, high = float(inside[0]), float(inside[-1])
    if not high > low:
        return None
    if numeric.integral and high - low + 1 < buckets:
        # Whole numbers in a small range: one bin per value, as the stored histogram does.
        low, high = float(np.ceil(low)), float(np.floor(high))
        edges = np.arange(low - 0.5, high + 1.0, 1.0)
    else:
        with np.errstate(over="ignore"):
            span_is_finite = bool(np.isfinite(high - low))
        if span_is_finite:
            edges = np.linspace(low, high, buckets + 1)
        else:  # a span past the float limits (-1e308 to 1e308): the weighted sum does not overflow
            t = np.linspace(0.0, 1.0, buckets + 1)
            edges = low * (1.0 - t) + high * t
        edges[0], edges[-1] = low, high
    # Values below each edge (the last one inclusive: the last bin is closed), rounded once so that the
    # bins and both outlier counts add up to n.
    below_edges = [summary.get_rank(float(e), inclusive=False) for e in edges[:-1]]
    cumulative = np.round(np.array([*below_edges, summary.get_rank(float(edges[-1]), inclusive=True)]) * n)
    cumulative = np.maximum.accumulate(cumulative).astype(np.int64)
    return BulkHistogram(edges=tuple(float(e) for e in edges), counts=tuple(int(c) for c in np.diff(cumulative)),
                         below=int(cumulative[0]), above=int(n - cumulative[-1]), min=numeric.min, max=numeric.max)


def _bulk_bounds(col: ColumnStats) -> tuple[float, float] | None:
    """Tukey's far-out fences, or the 1st and 99th percentiles when the quartiles coincide."""
    numeric = col.numeric
    assert numeric is not None
    q1, q3 = numeric.quantile(0.25), numeric.quantile(0.75)
    if q1 is None or q3 is None:
        return None
    if q3 > q1:
        spread = q3 - q1
        return q1 - FENCE_IQRS * spread, q3 + FENCE_IQRS * spread
    p1, p99 = numeric.quantile(0.01), numeric.quantile(0.99)
    if p1 is None or p99 is None or not p99 > p1:
        return None
    return p1, p99


__all__ = ["BulkHistogram", "FENCE_IQRS", "bulk_histogram"]
