"""The mergeable state of one column while scanning (or rebuilt from saved statistics), and the ColumnStats
it finishes as.

Numeric and temporal values feed a quantile summary (quantiles, histogram). String, categorical, boolean and
integer columns feed a frequency table (exact up to FREQUENCY_CAPACITY values, then Misra-Gries) and, once
that overflows, a HyperLogLog sketch for the distinct count. Parts combine exactly where they can:
mean/variance with Chan et al.'s parallel formulas, everything else by sum, min, max or sketch merge.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from datacheck import sketches
from datacheck.statistics import (
    FREQUENCY_CAPACITY,
    HISTOGRAM_BUCKETS,
    QUANTILE_PROBABILITIES,
    TOP_VALUES,
    ColumnSketch,
    ColumnStats,
    Distinct,
    Frequencies,
    Histogram,
    LengthStats,
    NumericStats,
    Quantile,
    TemporalRange,
    ValueCount,
    temporal_text,
    temporal_unit,
)


@dataclass
class ColumnAccumulator:
    """Mergeable state of one column while scanning (or rebuilt from saved statistics)."""

    name: str
    dtype: str
    kind: str
    tracks_frequencies: bool
    hashes_as_integer: bool = False  # HLL hashes the values as Int128 (see sketches.hll_hashes_as_integer)
    count: int = 0
    null_count: int = 0
    # numeric and temporal
    nan_count: int = 0
    inf_count: int = 0
    neg_inf_count: int = 0
    zero_count: int = 0
    negative_count: int = 0
    integral: bool = True
    finite_count: int = 0
    mean: float = 0.0
    m2: float = 0.0
    min: float | None = None
    max: float | None = None
    quantile_summary: sketches.QuantileSketch | None = None  # set once `settle_quantiles` has run
    batch_summaries: sketches.QuantileLevels = field(default_factory=sketches.QuantileLevels)
    # strings
    length_min: int | None = None
    length_max: int | None = None
    length_sum: int = 0
    # frequencies and distinct
    table: dict[str, int] | None = field(default_factory=dict)
    table_error: int = 0
    overflowed: bool = False  # the distinct count is an HLL estimate (the table went past FREQUENCY_CAPACITY)
    hll: np.ndarray | None = None
    hll_hash: str | None = None
    hll_broken: int = 0  # lower bound on distinct when registers of different hashes met
    few_values: bool = False  # the last batch had few distinct values: count them instead of sorting

    @property
    def numeric_like(self) -> bool:
        return self.kind in ("numeric", "temporal")

    # -- merging pieces -------------------------------------------------------------------------------

    def add_moments(self, n: int, mean: float, m2: float) -> None:
        """Chan et al. (1979): combine (count, mean, M2) of two disjoint parts exactly."""
        if n == 0:
            return
        if self.finite_count == 0:
            self.finite_count, self.mean, self.m2 = n, mean, m2
            return
        total = self.finite_count + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.finite_count * n / total
        self.finite_count = total

    def add_extremes(self, low: float | None, high: float | None) -> None:
        if low is not None:
            self.min = low if self.min is None else min(self.min, low)
        if high is not None:
            self.max = high if self.max is None else max(self.max, high)

    def add_lengths(self, low: int | None, high: int | None, total: int) -> None:
        if low is not None:
            self.length_min = low if self.length_min is None else min(self.length_min, low)
        if high is not None:
            self.length_max = high if self.length_max is None else max(self.length_max, high)
        self.length_sum += total

    def add_quantile_summary(self, other: sketches.QuantileSketch | None) -> None:
        if other is None:
            return
        if self.quantile_summary is None:
            self.quantile_summary = sketches.QuantileSketch()
        self.quantile_summary.merge(other)

    def settle_quantiles(self) -> None:
        """Fold the scan's batch summaries into `quantile_summary`."""
        self.add_quantile_summary(self.batch_summaries.collapse())

    # -- frequency table and distinct count -----------------------------------------------------------

    def overflows_with(self, keys: Collection[str] | pl.Series) -> bool:
        """Whether adding the distinct values `keys` takes the frequency table past FREQUENCY_CAPACITY
        values for the first time (False once it has overflowed, or when the column keeps no table)."""
        if self.overflowed or self.table is None:
            return False
        if len(keys) > FREQUENCY_CAPACITY:
            return True
        if len(self.table) + len(keys) <= FREQUENCY_CAPACITY:
            return False
        return len(set(self.table).union(keys)) > FREQUENCY_CAPACITY

    def switch_to_hll(self) -> None:
        """From here on the distinct count is an HLL estimate. The table still holds every value seen so far,
        so the registers start complete; the caller adds the registers of the values it brings."""
        if not self.overflowed and self.table is not None:
            self.add_registers(self.registers_of_keys(self.table), sketches.HLL_HASH)
        self.overflowed = True

    def registers_of_keys(self, keys: Iterable[str]) -> np.ndarray:
        """HLL registers of frequency-table keys (text), hashed as the column's raw values are."""
        return sketches.hll_registers_of(pl.Series(sorted(keys), dtype=pl.String), self.hashes_as_integer)

    def add_registers(self, registers: np.ndarray | None, hash_name: str | None, lower_bound: int = 0) -> None:
        self.hll_broken = max(self.hll_broken, lower_bound)
        if registers is None:
            return
        if self.hll is None:
            self.hll, self.hll_hash = registers.copy(), hash_name
        elif self.hll_hash == hash_name:
            np.maximum(self.hll, registers, out=self.hll)
        else:
            # Registers filled by another polars version's hash cannot be merged: keep a lower bound.
            self.hll_broken = max(self.hll_broken, int(round(sketches.hll_estimate(self.hll))),
                                  int(round(sketches.hll_estimate(registers))))
            self.hll = None

    def add_counts(self, counts: Sequence[tuple[str, int]], error: int = 0) -> None:
        """Merge a (value, count) table of values already known not to overflow the frequency table
        (a boolean column's two values, or a part's table checked with `overflows_with`)."""
        if self.table is not None:
            self.table, self.table_error = sketches.misra_gries_merge(self.table, self.table_error, counts, error,
                                                                      FREQUENCY_CAPACITY)

    def drop_frequencies(self) -> None:
        self.table = None
        self.table_error = 0

    # -- result -----------------------------------------------------------------------------------------

    def finish(self) -> ColumnStats:
        numeric = temporal = lengths = distinct = frequencies = None
        top: tuple[ValueCount, ...] = ()
        summary_text = None
        if self.numeric_like:
            self.settle_quantiles()
            if self.quantile_summary is not None:
                # Report quantiles from the summary as it is saved, so that its stated rank_error holds for
                # the file too and merging saved statistics starts from what was reported.
                self.quantile_summary.compress(sketches.QUANTILE_CAPACITY)
            numeric = self._numeric_stats()
            if self.quantile_summary is not None and not self.quantile_summary.is_empty():
                summary_text = self.quantile_summary.to_text()
        if self.kind == "temporal":
            temporal = TemporalRange(temporal_text(self.min, self.dtype), temporal_text(self.max, self.dtype),
                                     temporal_unit(self.dtype))
        if self.kind in ("string", "categorical"):
            mean_length = self.length_sum / self.count if self.count else None
            lengths = LengthStats(self.length_min, mean_length, self.length_max)
        if self.tracks_frequencies:
            distinct = self._distinct()
            if self.table is not None:
                ordered = sketches.sorted_counts(self.table)
                frequencies = Frequencies(tuple(ValueCount(v, c) for v, c in ordered[:FREQUENCY_CAPACITY]),
                                          self.table_error, self.count)
                top = frequencies.values[:TOP_VALUES]
        hll_text = sketches.hll_to_text(self.hll) if (self.overflowed and self.hll is not None) else None
        sketch = ColumnSketch(quantiles=summary_text, hll=hll_text, hll_hash=self.hll_hash if hll_text else None,
                              length_sum=self.length_sum, m2=self.m2, finite_count=self.finite_count)
        return ColumnStats(name=self.name, dtype=self.dtype, kind=self.kind, count=self.count,
                           null_count=self.null_count, numeric=numeric, temporal=temporal, lengths=lengths,
                           distinct=distinct, top_values=top, frequencies=frequencies, sketch=sketch)

    def _distinct(self) -> Distinct:
        if not self.overflowed and self.table is not None:
            return Distinct(len(self.table), True)
        estimate = int(round(sketches.hll_estimate(self.hll))) if self.hll is not None else 0
        estimate = max(estimate, self.hll_broken, len(self.table or ()))
        return Distinct(min(estimate, self.count), False)

    def _numeric_stats(self) -> NumericStats:
        quantiles: tuple[Quantile, ...] = ()
        histogram = None
        rank_error = 0.0
        summary = self.quantile_summary
        if (self.finite_count and summary is not None and not summary.is_empty()
                and self.min is not None and self.max is not None):
            rank_error = summary.normalized_rank_error()
            values = [float(v) for v in summary.get_quantiles(list(QUANTILE_PROBABILITIES))]
            # The summary keeps the exact extremes; use the exact scalars so q=0 and q=1 match min/max.
            values[0], values[-1] = self.min, self.max
            quantiles = tuple(Quantile(q, v) for q, v in zip(QUANTILE_PROBABILITIES, values))
            histogram = histogram_from_summary(summary, self.min, self.max, self.finite_count, self.integral)
        std = math.sqrt(max(self.m2, 0.0) / self.finite_count) if self.finite_count else None
        return NumericStats(
            nan_count=self.nan_count, inf_count=self.inf_count, neg_inf_count=self.neg_inf_count,
            zero_count=self.zero_count, negative_count=self.negative_count,
            integral=bool(self.integral and self.finite_count > 0),
            min=self.min, max=self.max, mean=self.mean if self.finite_count else None, std=std,
            quantiles=quantiles, histogram=histogram, rank_error=rank_error,
        )


def histogram_from_summary(summary: sketches.QuantileSketch, low: float, high: float, n: int,
                           integral: bool) -> Histogram:
    """HISTOGRAM_BUCKETS equal-width buckets over [low, high], counted from the quantile summary's CDF.

    Counts are exact while the summary is exact; otherwise each cumulative count is within the rank error.
    Rounding uses the largest-remainder rule so that the counts add up to `n`.
    """
    if high <= low:
        return Histogram((low, high), (n,))
    buckets = HISTOGRAM_BUCKETS
    if integral and high - low + 1 < buckets:
        # Integers with a small range: one bucket per value keeps them apart (e.g. a 0/1 label).
        buckets = int(high - low) + 1
        edges = np.linspace(low - 0.5, high + 0.5, buckets + 1)
    else:
        # low*(1-t) + high*t rather than low + t*(high - low): the span of values near the float limits
        # (-1e308 to 1e308) overflows, the weighted sum does not.
        t = np.linspace(0.0, 1.0, buckets + 1)
        edges = low * (1.0 - t) + high * t
        edges[0], edges[-1] = low, high
    # Fraction of values below each inner edge; the last bucket is closed, so it takes what is left.
    cdf = np.asarray(summary.get_cdf(list(edges[1:-1]), False), dtype=float)[:-1]
    cumulative = np.concatenate([[0.0], np.clip(cdf, 0, 1), [1.0]]) * n
    cumulative = np.maximum.accumulate(cumulative)
    raw = np.diff(cumulative)
    counts = np.floor(raw).astype(np.int64)
    shortfall = n - int(counts.sum())
    if shortfall > 0:
        order = np.argsort(-(raw - counts), kind="stable")[:shortfall]
        counts[order] += 1
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))
