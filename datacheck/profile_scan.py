"""One scan of one frame: the column accumulators, the plan of each batch's queries, and the folding of the
query results into the accumulators.

The exact moments, extremes and sign counts of numeric columns come from a batch's sorted finite values or
value counts, which also make its quantile summary; the value counts of the other columns feed their
frequency tables, or their HLL sketches once a table has overflowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from datacheck import sketches
from datacheck.profile_accumulator import ColumnAccumulator
from datacheck.profile_queries import BatchPlan, BatchQueries, BatchResults, scan_columns
from datacheck.statistics import FREQUENCY_CAPACITY, SourceInfo, Statistics

#: A numeric column whose batch had at most this many distinct values is counted (a group-by), not sorted,
#: in the next batch: cheaper for dates and small integer ranges, and exact.
FEW_VALUES = sketches.QUANTILE_SCAN_CAPACITY
#: After the frequency table overflows, a string column whose batches are mostly distinct values is free
#: text or an identifier: keeping its frequency table would cost a group-by per batch and tell nothing.
HIGH_CARDINALITY_RATIO = 0.5


class Scan:
    """The state of one scan of one frame: column accumulators plus the rows seen."""

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema
        columns = scan_columns(schema)
        self.accumulators = [
            ColumnAccumulator(name=col.name, dtype=str(col.dtype), kind=col.kind,
                              tracks_frequencies=col.tracks_frequencies, hashes_as_integer=col.hashes_as_integer)
            for col in columns
        ]
        self.queries = BatchQueries(columns)
        self.rows = 0

    def plan(self) -> BatchPlan:
        """Which queries the next batch needs, from the state so far."""
        # Integer columns that still keep a frequency table get their quantile summary from its counts,
        # which is exact and saves a sort. So do numeric and temporal columns whose last batch had few
        # distinct values (dates, small ranges).
        tabled = frozenset(pos for pos, acc in enumerate(self.accumulators)
                           if acc.tracks_frequencies and acc.kind != "boolean" and acc.table is not None)
        counted = frozenset(pos for pos, acc in enumerate(self.accumulators)
                            if acc.numeric_like and (acc.few_values or pos in tabled))
        many = frozenset(pos for pos in tabled if self.accumulators[pos].overflowed)
        return BatchPlan(counted=counted, tabled=tabled, many=many)

    def run_queries(self, batch: pl.DataFrame, plan: BatchPlan) -> BatchResults:
        """The batch's queries (see `BatchQueries.run`). Reads nothing the scan changes, so it can run on a
        worker thread while `absorb` folds the previous batch."""
        return self.queries.run(batch, plan)

    def absorb(self, height: int, results: BatchResults, plan: BatchPlan) -> None:
        """Fold a batch's query results into the accumulators.

        `plan` may be a batch older than the state (see `datacheck.profile.fold_batches`), so the results can
        hold value counts for a column whose table has been dropped since; they then feed its HLL sketch
        instead. The sorted values are removed from `results` as they are folded in.
        """
        self.rows += height
        row, lengths = results.aggregates, results.lengths
        for pos, acc in enumerate(self.accumulators):
            nulls = int(row[f"{pos}|null"])
            acc.null_count += nulls
            acc.count += height - nulls
            raw_counts = results.counts.get(pos)
            if acc.kind == "boolean" and height - nulls > 0:
                true = int(row[f"{pos}|true"] or 0)
                acc.add_counts([(v, c) for v, c in (("true", true), ("false", height - nulls - true)) if c])
            elif acc.tracks_frequencies and height - nulls > 0:
                self._add_frequencies(acc, raw_counts, results.hll_ranks.get(pos), height - nulls)
            if acc.numeric_like:
                ordered = results.sorted_values.pop(pos, None)  # let each go once folded in
                counted = None
                if pos in plan.counted:
                    counted = results.numeric_counts.get(pos, raw_counts)
                self._add_numeric(acc, pos, row, ordered, counted)
            elif acc.kind in ("string", "categorical"):
                if f"{pos}|lmin" in lengths:
                    acc.add_lengths(lengths[f"{pos}|lmin"], lengths[f"{pos}|lmax"], int(lengths[f"{pos}|lsum"] or 0))
                elif raw_counts is not None and raw_counts.height:
                    per_value = raw_counts.get_column("length").to_numpy().astype(np.int64)
                    weights = raw_counts.get_column("n").to_numpy().astype(np.int64)
                    acc.add_lengths(int(per_value.min()), int(per_value.max()), int(np.dot(per_value, weights)))

    def _add_numeric(self, acc: ColumnAccumulator, pos: int, row: dict[str, Any], ordered: np.ndarray | None,
                     counted: pl.DataFrame | None = None) -> None:
        """Moments, extremes, sign counts and the quantile summary from the batch's sorted finite values, or
        from its value counts (integer columns that keep a frequency table)."""
        acc.nan_count += int(row.get(f"{pos}|nan") or 0)
        acc.inf_count += int(row.get(f"{pos}|inf") or 0)
        acc.neg_inf_count += int(row.get(f"{pos}|neginf") or 0)
        weights: np.ndarray | None
        if counted is not None:
            values = counted.get_column("value").cast(pl.Float64).to_numpy()
            # Group order varies between runs; summing in value order keeps the float results identical.
            order = np.argsort(values, kind="stable")
            values, weights = values[order], counted.get_column("n").to_numpy().astype(np.float64)[order]
            summary = sketches.QuantileSketch.from_counts(values, weights)
        elif ordered is not None and ordered.size:
            values = ordered
            weights = None
            summary = sketches.QuantileSketch.from_sorted(values)
        else:
            return
        n = int(weights.sum()) if weights is not None else values.size
        if n == 0:
            return
        # Values near the float limits overflow the sums; the statistics then say null, never inf or NaN.
        with np.errstate(over="ignore", invalid="ignore"):
            mean = float(np.dot(values, weights) / n) if weights is not None else float(values.mean())
            deviations = values - mean
            np.multiply(deviations, deviations, out=deviations)  # the square in place: one array, not two
            m2 = float(np.dot(deviations, weights)) if weights is not None else float(deviations.sum())
        if weights is not None:
            acc.negative_count += int(weights[values < 0].sum())
            acc.zero_count += int(weights[values == 0].sum())
        else:
            negative = int(np.searchsorted(values, 0.0, side="left"))
            acc.negative_count += negative
            acc.zero_count += int(np.searchsorted(values, 0.0, side="right")) - negative
        if acc.integral and acc.kind == "numeric" and not self.schema[acc.name].is_integer():
            acc.integral = bool(np.all(values == np.floor(values)))
        acc.add_extremes(float(values.min()) if weights is not None else float(values[0]),
                         float(values.max()) if weights is not None else float(values[-1]))
        acc.add_moments(n, mean, m2)
        acc.batch_summaries.add(summary)
        acc.few_values = summary.error == 0 and summary.values.size <= FEW_VALUES

    def _add_frequencies(self, acc: ColumnAccumulator, raw_counts: pl.DataFrame | None,
                         hll_ranks: pl.DataFrame | None, present: int) -> None:
        """Update the frequency table (or, once dropped, the HLL sketch) from the batch's value counts (or
        register updates)."""
        if acc.table is None or raw_counts is None:
            # Too many distinct values for a frequency table: only the distinct-count sketch goes on.
            if hll_ranks is not None:
                acc.add_registers(sketches.hll_registers_from_ranks(hll_ranks), sketches.HLL_HASH)
            elif raw_counts is not None:  # planned before the table was dropped
                acc.add_registers(sketches.hll_registers_from_ranks(raw_counts), sketches.HLL_HASH)
            return
        counted = pl.DataFrame([frequency_values(raw_counts.get_column("value"), acc.kind).alias("value"),
                                raw_counts.get_column("n")])
        if acc.overflows_with(counted.get_column("value")):
            acc.switch_to_hll()
        if acc.overflowed:
            acc.add_registers(sketches.hll_registers_from_ranks(raw_counts), sketches.HLL_HASH)
            if acc.kind == "numeric" or counted.height > HIGH_CARDINALITY_RATIO * present:
                # An integer column with this many values is a measurement or an id, not a category; a string
                # column whose batches are mostly distinct is free text or an id. Neither needs a table.
                acc.drop_frequencies()
                return
        acc.table, acc.table_error = sketches.misra_gries_merge_frame(acc.table, acc.table_error, counted,
                                                                      FREQUENCY_CAPACITY)

    def finish(self, sources: Sequence[SourceInfo]) -> Statistics:
        columns = tuple(acc.finish() for acc in self.accumulators)
        return Statistics(num_rows=self.rows, columns=columns, sources=tuple(sources))


def frequency_values(series: pl.Series, kind: str) -> pl.Series:
    """The column as text, as frequency tables store it (booleans as true/false)."""
    if kind == "boolean":
        return series.cast(pl.String).str.to_lowercase()
    if series.dtype == pl.String:
        return series
    return series.cast(pl.String)
