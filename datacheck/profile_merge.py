"""Merging saved Statistics: the statistics of two parts of a dataset merge into the statistics of the whole.

Each part's columns are rebuilt into column accumulators from their saved mergeable state (`ColumnSketch`),
merged the way a scan merges its batches, and finished again.
"""

from __future__ import annotations

from collections.abc import Sequence

from datacheck import sketches
from datacheck.errors import UsageError
from datacheck.profile_accumulator import ColumnAccumulator
from datacheck.statistics import ColumnStats, SliceStats, Slicing, SourceInfo, Statistics

#: Pooled keys whose row counts a slicing lists at most; beyond, the list is cut and marked incomplete. Counts
#: are a few dozen bytes a key, and keep merges exact (see `merge_slicing`) for slice columns up to this many
#: values.
POOLED_KEYS_LIMIT = 10_000


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
    slicings = merge_slicings([part.slicings for part in parts]) if any(p.slicings for p in parts) else ()
    return Statistics(num_rows=total_rows, columns=columns, sources=tuple(sources), slicings=slicings)


# ------------------------------------------------------------------------------------------------ slices

SliceKey = tuple[str | None, ...]


def key_order(key: SliceKey) -> tuple[tuple[bool, str], ...]:
    """Sort key of a slice key: by value, nulls last."""
    return tuple((value is None, value or "") for value in key)


def merge_slicings(parts: Sequence[Sequence[Slicing]]) -> tuple[Slicing, ...]:
    """The slicings of the union: those every part has (by slice columns), each merged with `merge_slicing`
    and kept to the smallest `max_slices` of the parts. A slicing some part lacks cannot be merged exactly
    (that part's rows are in no slice), so it is dropped."""
    common = [s.columns for s in parts[0] if all(any(t.columns == s.columns for t in p) for p in parts[1:])]
    merged = []
    for columns in common:
        same = [next(t for t in p if t.columns == columns) for p in parts]
        merged.append(merge_slicing(same, min(s.max_slices for s in same)))
    return tuple(merged)


def merge_slicing(parts: Sequence[Slicing], keep: int) -> Slicing:
    """The slicing of the union of the parts' rows, with at most `keep` slices kept apart.

    A key stays a slice of its own only if every part either kept it apart or provably lacks it (its pooled
    keys are listed completely and the key is not among them): otherwise some of its rows sit in a part's
    pooled "other" and cannot be taken out again, so the key joins the pooled slice. Every kept slice is
    therefore the exact merge of all its rows, and "other" of all the rest. Past `keep` slices the
    smallest by rows (ties by key) are pooled.
    """
    pooled_keys = [dict(p.pooled) for p in parts]
    found: dict[SliceKey, list[Statistics]] = {}
    for part in parts:
        for item in part.slices:
            found.setdefault(item.key, []).append(item.statistics)
    complete = all(p.pooled_complete for p in parts)
    pooled: dict[SliceKey, int] = {}
    for keys in pooled_keys:
        for key, rows in keys.items():
            pooled[key] = pooled.get(key, 0) + rows
    others = [p.other.statistics for p in parts if p.other is not None]
    kept: list[SliceStats] = []
    for key in sorted(found, key=key_order):
        apart = all(p.slice(key) is not None or (p.pooled_complete and key not in keys)
                    for p, keys in zip(parts, pooled_keys))
        if apart:
            kept.append(SliceStats(key, merge(found[key])))
        else:
            others.extend(found[key])
            pooled[key] = pooled.get(key, 0) + sum(s.num_rows for s in found[key])
    merged = Slicing(parts[0].columns, keep, tuple(kept), None, (), complete)
    return pool_slicing(merged, keep, others, pooled)


def pool_slicing(slicing: Slicing, keep: int, others: Sequence[Statistics] = (),
                 pooled: dict[SliceKey, int] | None = None) -> Slicing:
    """`slicing` with its `keep` largest slices kept apart (most rows first, ties by key) and the rest merged
    into "other", together with `others` (statistics already pooled) and `pooled` (their keys' rows)."""
    pooled = dict(pooled or {})
    others = list(others) + ([slicing.other.statistics] if slicing.other is not None else [])
    for key, rows in slicing.pooled:
        pooled[key] = pooled.get(key, 0) + rows
    ranked = sorted(slicing.slices, key=lambda s: (-s.rows, key_order(s.key)))
    for item in ranked[keep:]:
        others.append(item.statistics)
        pooled[item.key] = pooled.get(item.key, 0) + item.rows
    listed = sorted(pooled.items(), key=lambda kv: (-kv[1], key_order(kv[0])))
    complete = slicing.pooled_complete and len(listed) <= POOLED_KEYS_LIMIT
    other = SliceStats((), _merged_rows(others)) if others else None
    return Slicing(slicing.columns, keep, tuple(ranked[:keep]), other, tuple(listed[:POOLED_KEYS_LIMIT]), complete)


def _merged_rows(parts: Sequence[Statistics]) -> Statistics:
    """The merge of slice statistics, which carry no sources."""
    merged = merge(parts)
    return Statistics(merged.num_rows, merged.columns)


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
