"""Merging saved Statistics: the statistics of two parts of a dataset merge into the statistics of the whole.

Each part's columns are rebuilt into column accumulators from their saved mergeable state (`ColumnSketch`),
merged the way a scan merges its batches, and finished again.
"""

from __future__ import annotations

from collections.abc import Sequence

from datacheck import sketches
from datacheck.errors import UsageError
from datacheck.profile_accumulator import ColumnAccumulator
from datacheck.statistics import ColumnStats, SourceInfo, Statistics


def merge(parts: Sequence[Statistics]) -> Statistics:
    """Statistics of the union of the datasets that `parts` describe.

    Exact for counts, sums, min/max, mean and variance (up to floating-point rounding) and for frequency
    tables that did not overflow; within the stated bounds for quantiles, histograms (the quantile summary's
    rank error), distinct counts past FREQUENCY_CAPACITY (HLL) and overflowed frequency tables (Misra-Gries
    error). A column missing from a part counts as null in all of that part's rows.

    Example:
        >>> merged = merge([profile(pl.DataFrame({"x": [1]})), profile(pl.DataFrame({"x": [2]}))])
        >>> merged.column("x").numeric.mean
        1.5
    """
    if not parts:
        raise UsageError("nothing to merge")
    if len(parts) == 1:
        return parts[0]
    order: list[str] = []
    merged: dict[str, ColumnAccumulator] = {}
    total_rows = 0
    sources: list[SourceInfo] = []
    for part in parts:
        for col in part.columns:
            acc = accumulator_from(col)
            if col.name in merged and merged[col.name].count == 0 and merged[col.name].kind != acc.kind:
                # So far the column was entirely null (typed Null): this part decides its kind.
                acc.null_count += merged[col.name].null_count
                merged[col.name] = acc
                continue
            if col.name not in merged:
                order.append(col.name)
                # Rows of earlier parts that lacked this column are nulls of it.
                acc.null_count += total_rows
                merged[col.name] = acc
            else:
                _merge_into(merged[col.name], acc)
        for name in order:
            if part.column(name) is None:
                merged[name].null_count += part.num_rows
        total_rows += part.num_rows
        sources.extend(part.sources)
    columns = tuple(merged[name].finish() for name in order)
    return Statistics(num_rows=total_rows, columns=columns, sources=tuple(sources))


def accumulator_from(stats: ColumnStats) -> ColumnAccumulator:
    """Rebuild the mergeable state of a column from its saved statistics."""
    acc = ColumnAccumulator(name=stats.name, dtype=stats.dtype, kind=stats.kind,
                            tracks_frequencies=stats.distinct is not None, count=stats.count,
                            null_count=stats.null_count,
                            hashes_as_integer=stats.kind == "numeric" and sketches.hll_hashes_as_integer(stats.dtype))
    if stats.numeric is not None:
        n = stats.numeric
        acc.nan_count, acc.inf_count, acc.neg_inf_count = n.nan_count, n.inf_count, n.neg_inf_count
        acc.zero_count, acc.negative_count = n.zero_count, n.negative_count
        acc.integral = n.integral or stats.sketch.finite_count == 0
        acc.finite_count, acc.m2 = stats.sketch.finite_count, stats.sketch.m2
        acc.mean = n.mean if n.mean is not None else 0.0
        acc.min, acc.max = n.min, n.max
        summary = stats.sketch.quantiles
        acc.quantile_summary = sketches.QuantileSketch.from_text(summary) if summary else None
    if stats.lengths is not None:
        acc.length_min, acc.length_max, acc.length_sum = stats.lengths.min, stats.lengths.max, stats.sketch.length_sum
    if stats.distinct is None:
        acc.table = None
    else:
        exact = stats.distinct.exact and stats.frequencies is not None and stats.frequencies.error == 0
        acc.overflowed = not exact
        acc.table = stats.frequencies.as_mapping() if stats.frequencies is not None else None
        acc.table_error = stats.frequencies.error if stats.frequencies is not None else 0
        if stats.sketch.hll:
            acc.hll, acc.hll_hash = sketches.hll_from_text(stats.sketch.hll), stats.sketch.hll_hash
        elif not exact:
            acc.hll_broken = stats.distinct.count
    return acc


def _merge_into(target: ColumnAccumulator, other: ColumnAccumulator) -> None:
    if other.count == 0 and target.kind != other.kind:
        # A part where the column is entirely null (polars types it Null) says nothing about its kind.
        target.null_count += other.null_count
        return
    if target.kind != other.kind:
        raise UsageError(f"column {target.name!r} is {target.dtype} ({target.kind}) in one part and "
                         f"{other.dtype} ({other.kind}) in another; statistics of different types do not merge",
                         hint="cast the column to one type in every file")
    if target.dtype != other.dtype:
        target.dtype = "Float64" if target.kind == "numeric" else target.dtype
    target.count += other.count
    target.null_count += other.null_count
    target.nan_count += other.nan_count
    target.inf_count += other.inf_count
    target.neg_inf_count += other.neg_inf_count
    target.zero_count += other.zero_count
    target.negative_count += other.negative_count
    target.integral = target.integral and other.integral
    target.add_moments(other.finite_count, other.mean, other.m2)
    target.add_extremes(other.min, other.max)
    target.settle_quantiles()
    other.settle_quantiles()
    target.add_quantile_summary(other.quantile_summary)
    if other.length_min is not None or other.length_sum:
        target.add_lengths(other.length_min, other.length_max, other.length_sum)
    if target.tracks_frequencies and other.tracks_frequencies:
        _merge_distinct(target, other)
    elif target.tracks_frequencies or other.tracks_frequencies:
        # Integers meeting floats: the union is a float column, which keeps no frequency table.
        target.tracks_frequencies = False
        target.drop_frequencies()
        target.hll, target.overflowed = None, False


def _merge_distinct(target: ColumnAccumulator, other: ColumnAccumulator) -> None:
    """Merge the frequency tables and distinct-count sketches of two parts of a column."""
    exact = not target.overflowed and not other.overflowed
    if exact and target.table is not None and other.table is not None and not target.overflows_with(other.table.keys()):
        # Both tables exact, and their union still fits: the merge stays exact.
        target.add_counts(list(other.table.items()), other.table_error)
        return
    # Both sides carry registers whenever the result is not exact.
    target.switch_to_hll()
    other.switch_to_hll()
    if other.table is not None and target.table is not None:
        target.add_counts(list(other.table.items()), other.table_error)
    else:
        target.drop_frequencies()
    target.add_registers(other.hll, other.hll_hash, other.hll_broken)
