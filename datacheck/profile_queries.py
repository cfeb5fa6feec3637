"""The per-batch queries of the statistics scan: what polars and numpy compute from one batch.

For each batch, polars runs one set of queries (`BatchQueries.run`): counts of nulls, NaN, infinities, true
values and string lengths; value counts of the columns that keep a frequency table (and of numeric columns
with few values); HLL register updates for the rest. Beside them, on a thread of their own, the finite values
of the other numeric and temporal columns are sorted. Which column gets which query is the `BatchPlan`, made
from the state of the scan so far (`datacheck.profile_scan`). The queries read nothing the scan changes,
so they can run on a worker thread while the previous batch's results are folded in.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from datacheck import sketches
from datacheck.statistics import column_kind

#: Integer columns whose batch values span fewer integers than this are counted with numpy's bincount.
SMALL_RANGE = 1 << 16
#: Integer types whose values (and the differences between them) fit numpy's int64.
BINCOUNT_TYPES = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32)
#: Per-batch queries handed to polars at once.
QUERY_GROUP = 64


@dataclass(frozen=True)
class ScanColumn:
    """One column of the scanned frame, as its queries need it.

    Fields:
        name: the column name. dtype: its polars type. kind: its kind (`statistics.column_kind`).
        tracks_frequencies: it keeps a frequency table while it has few distinct values (see `scan_columns`).
        hashes_as_integer: HLL hashes its values as integers (see `sketches.hll_hashes_as_integer`).
    """

    name: str
    dtype: pl.DataType
    kind: str
    tracks_frequencies: bool
    hashes_as_integer: bool

    @property
    def numeric_like(self) -> bool:
        return self.kind in ("numeric", "temporal")


def scan_columns(schema: pl.Schema) -> list[ScanColumn]:
    """The columns of a frame with this schema, in order."""
    columns = []
    for name, dtype in schema.items():
        kind = column_kind(dtype)
        # As TFDV: frequency tables for strings, booleans, categoricals and integer columns (dropped for
        # integers once they show more than FREQUENCY_CAPACITY distinct values).
        tracks = kind in ("string", "categorical", "boolean") or (kind == "numeric" and dtype.is_integer())
        columns.append(ScanColumn(name, dtype, kind, tracks, sketches.hll_hashes_as_integer(str(dtype))))
    return columns


@dataclass(frozen=True)
class BatchPlan:
    """The queries a batch gets, by column position."""

    counted: frozenset[int]  # numeric/temporal columns summarised from value counts instead of a sort
    tabled: frozenset[int]  # columns whose value counts feed a frequency table (the rest feed HLL)
    # Tabled columns known to have many distinct values (their table has overflowed): counted by polars'
    # in-memory engine, which is faster than the default engine there (see `_table_counts`).
    many: frozenset[int] = frozenset()


@dataclass
class BatchResults:
    """What the queries of one batch found, by column position.

    Fields:
        aggregates: counts by "<position>|<stat>": nulls ("null"), NaN ("nan"), infinities ("inf",
            "neginf") and true values ("true").
        lengths: "<position>|lmin", "|lmax" and "|lsum": the shortest, longest and total string length of the
            text columns without a frequency table.
        sorted_values: the sorted finite values of each numeric or temporal column that the plan does not
            count (float64).
        numeric_counts: value counts ("value", "n") of each numeric column the plan counts and that keeps no
            table.
        counts: value counts ("value", "n") of each column that keeps a frequency table, with each value's HLL
            register update ("index", "rank") and, for text, its length ("length").
        hll_ranks: HLL register updates ("index", "rank") of each column with too many distinct values for a
            table.
    """

    aggregates: dict[str, Any]
    lengths: dict[str, Any]
    sorted_values: dict[int, np.ndarray]
    numeric_counts: dict[int, pl.DataFrame]
    counts: dict[int, pl.DataFrame]
    hll_ranks: dict[int, pl.DataFrame]


class BatchQueries:
    """The queries of every batch of one scan."""

    def __init__(self, columns: Sequence[ScanColumn]) -> None:
        self.columns = list(columns)
        self.expressions = batch_expressions(self.columns)

    def run(self, batch: pl.DataFrame, plan: BatchPlan) -> BatchResults:
        """Every query of one batch: the sorts on a thread of their own, the rest together in polars, which
        spreads them over the cores."""
        to_sort = {pos: (batch.get_column(col.name).to_physical() if col.kind == "temporal"
                         else batch.get_column(col.name))
                   for pos, col in enumerate(self.columns) if col.numeric_like and pos not in plan.counted}
        # The sorts start first, on a thread of their own, and go on while the other queries are planned and run.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-sort") as sorter:
            sorting = sorter.submit(sort_for_summary, to_sort)
            queries = self._queries(batch, plan)
            # collect_all grows faster than linearly with the number of queries (10,000 columns: 98 s in one
            # call), so a wide table's queries go in groups; a group still spreads over the cores.
            plans = list(queries.values())
            frames = [frame for start in range(0, len(plans), QUERY_GROUP)
                      for frame in pl.collect_all(plans[start:start + QUERY_GROUP])]
            found = dict(zip(queries, frames))
            results = BatchResults(
                aggregates=found.pop("aggregates").row(0, named=True) if "aggregates" in found else {},
                lengths=found.pop("lengths").row(0, named=True) if "lengths" in found else {},
                sorted_values=sorting.result(), numeric_counts={}, counts={}, hll_ranks={})
        by_name = {"numcounts": results.numeric_counts, "counts": results.counts, "hll": results.hll_ranks}
        for key, frame in found.items():
            name, pos = key.split("|")
            by_name[name][int(pos)] = frame
        return results

    def _queries(self, batch: pl.DataFrame, plan: BatchPlan) -> dict[str, pl.LazyFrame]:
        """The polars queries of `run` (all but the sorts), by result name: "aggregates", "lengths", and per
        column position i "numcounts|i", "counts|i" or "hll|i"."""
        lazy = batch.lazy()
        queries: dict[str, pl.LazyFrame] = {}
        if self.expressions:
            queries["aggregates"] = lazy.select(self.expressions)
        # Text columns with a frequency table get their lengths from its distinct values ("counts|i" carries
        # a length per value); the others are measured row by row.
        measured = [(pos, col.name, col.kind) for pos, col in enumerate(self.columns)
                    if col.kind in ("string", "categorical") and pos not in plan.tabled]
        if measured:
            queries["lengths"] = length_query(lazy, measured)
        for pos, col in enumerate(self.columns):
            if pos in plan.counted and pos not in plan.tabled:
                queries[f"numcounts|{pos}"] = _numeric_counts(batch, col)
            if col.tracks_frequencies and col.kind != "boolean":
                if pos in plan.tabled:
                    queries[f"counts|{pos}"] = _table_counts(batch, col, pos in plan.many)
                else:
                    queries[f"hll|{pos}"] = sketches.hll_rank_query(column_frame(batch, col.name), col.name,
                                                                     col.hashes_as_integer)
        return queries


def _numeric_counts(batch: pl.DataFrame, col: ScanColumn) -> pl.LazyFrame:
    """Value counts ("value", "n") of the finite values of a numeric or temporal column (physical values)."""
    counted = small_range_counts(batch.get_column(col.name).to_physical())
    if counted is not None:
        return counted.lazy()
    values = pl.col(col.name).to_physical() if col.kind == "temporal" else pl.col(col.name)
    finite = values.filter(values.is_not_null() & values.cast(pl.Float64).is_finite())
    return column_frame(batch, col.name).select(finite.alias("value")).group_by("value").agg(pl.len().alias("n"))


def _table_counts(batch: pl.DataFrame, col: ScanColumn, many: bool = False) -> pl.LazyFrame:
    """Value counts of a column that keeps a frequency table: each distinct value comes with its HLL register
    update, for when the table has overflowed, and text with its length.

    With `many` distinct values, text is counted at once by `Series.value_counts` (polars' in-memory
    engine): on a 500,000-row batch of the bench's 20,000-value `merchant` column that took 45 ms of CPU
    against 62-75 ms for the same group-by planned lazily (whose default engine was faster only for few
    values: 15 ms against 31 ms for the 200-value `country` column).
    """
    counted = small_range_counts(batch.get_column(col.name)) if col.kind == "numeric" else None
    if counted is None and many and col.kind in ("string", "categorical"):
        counted = batch.get_column(col.name).drop_nulls().alias("value").value_counts(name="n")
    counts = counted.lazy() if counted is not None else (
        column_frame(batch, col.name).select(pl.col(col.name).drop_nulls().alias("value"))
        .group_by("value").agg(pl.len().alias("n")))
    keep: tuple[str, ...] = ("value", "n")
    if col.kind in ("string", "categorical"):
        counts = counts.with_columns(text_length(pl.col("value"), col.kind).alias("length"))
        keep += ("length",)
    return sketches.hll_rank_query(counts, "value", col.hashes_as_integer, keep=keep)


def batch_expressions(columns: Sequence[ScanColumn]) -> list[pl.Expr]:
    """The per-batch aggregations polars computes directly; aliases are "<position>|<stat>".

    Numeric moments, extremes and sign counts are not here: they come from the sorted finite values (or the
    value counts) that the quantile summary needs anyway, so the values are visited once.
    """
    exprs: list[pl.Expr] = []
    for pos, column in enumerate(columns):
        col = pl.col(column.name)
        exprs.append(col.null_count().alias(f"{pos}|null"))
        if column.kind == "numeric" and column.dtype.is_float():
            exprs += [
                col.is_nan().sum().alias(f"{pos}|nan"),
                col.is_infinite().sum().alias(f"{pos}|inf"),
                (col == float("-inf")).sum().alias(f"{pos}|neginf"),
            ]
        elif column.kind == "boolean":
            exprs.append(col.sum().alias(f"{pos}|true"))
    return exprs


def text_length(column: pl.Expr, kind: str) -> pl.Expr:
    """Length in characters of a string or categorical column's values."""
    return (column.cast(pl.String) if kind == "categorical" else column).str.len_chars()


def length_query(batch: pl.LazyFrame, columns: Sequence[tuple[int, str, str]]) -> pl.LazyFrame:
    """Shortest, longest and total length of text columns given as (position, name, kind); aliases are
    "<position>|lmin", "|lmax" and "|lsum". Each length is computed once for its three aggregates."""
    lengths = batch.select([text_length(pl.col(name), kind).alias(str(pos)) for pos, name, kind in columns])
    return lengths.select([aggregate for pos, _, _ in columns for aggregate in (
        pl.col(str(pos)).min().alias(f"{pos}|lmin"),
        pl.col(str(pos)).max().alias(f"{pos}|lmax"),
        pl.col(str(pos)).sum().alias(f"{pos}|lsum"),
    )])


def column_frame(batch: pl.DataFrame, name: str) -> pl.LazyFrame:
    """A one-column LazyFrame: a per-column query planned over the whole batch would carry the batch's full
    schema, and 10,000 such plans over 10,000 columns cost memory quadratic in the column count."""
    return batch.get_column(name).to_frame().lazy()


# polars reaches numpy through a lazy proxy module that resolves itself on first use, and that resolution is not
# thread-safe: when the sort worker and the main thread first build a Series from a numpy array at the same
# moment, one of them fails with "TypeError: 'module' object does not support item assignment" (seen once in
# about 300 CLI runs under load). Building one here, at import, on the importing thread, resolves it before any
# worker starts.
pl.Series(np.empty(0, dtype=np.int64))


def sorted_finite(column: pl.Series) -> np.ndarray:
    """The column's finite values (no nulls, NaN or infinities), sorted, as float64.

    numpy sorts float64 with its vectorised quicksort: 3.9 ms for 500,000 values on the bench machine, where
    polars' single-threaded sort of the same values as order-preserving int64 keys took 10.5 ms (and 14.5 ms
    against 4.8 ms for integers). That sort was a quarter of the scan's CPU. Integers are cast to float64
    first: the cast keeps order, so sorting after it gives the same array. Each sort uses one thread: the
    scan keeps every core busy already.
    """
    values = column.drop_nulls().cast(pl.Float64).to_numpy()  # without nulls: no NaN for polars to write
    if not column.dtype.is_float():
        return values if _is_sorted(values) else np.sort(values)
    finite = np.isfinite(values)
    ordered = values.copy() if finite.all() else values[finite]  # `values` may be polars' read-only buffer
    if not _is_sorted(ordered):
        ordered.sort()
    _order_signed_zeros(ordered)
    return ordered


def _is_sorted(values: np.ndarray) -> bool:
    """Whether the values are in ascending order already (ids, timestamps of a log). numpy's sort does not
    notice: 3.8 ms for 500,000 sorted int64 on the bench machine, where this check takes 0.2 ms."""
    return bool(np.all(values[1:] >= values[:-1]))


def _order_signed_zeros(ordered: np.ndarray) -> None:
    """Put -0.0 before 0.0 in a sorted array. They compare equal, so an unstable sort may leave them in any
    order, and the quantile summary could then keep either; fixing the order keeps the output byte-identical
    whichever way the sort went."""
    low, high = np.searchsorted(ordered, 0.0, side="left"), np.searchsorted(ordered, 0.0, side="right")
    if high - low > 1:
        negative = int(np.count_nonzero(np.signbit(ordered[low:high])))
        ordered[low:low + negative] = -0.0
        ordered[low + negative:high] = 0.0


def sort_for_summary(columns: dict[int, pl.Series]) -> dict[int, np.ndarray]:
    """`sorted_finite` of each column."""
    return {key: sorted_finite(column) for key, column in columns.items()}


def small_range_counts(column: pl.Series) -> pl.DataFrame | None:
    """Value counts ("value", "n") of an integer column whose non-null values span fewer than SMALL_RANGE
    integers, counted with numpy's bincount (3-9x cheaper than a polars group-by on ages, small counts and
    dates); None for other columns, which polars groups. Values come out in order."""
    if column.dtype not in BINCOUNT_TYPES:
        return None
    if column.null_count():
        column = column.drop_nulls()
    if column.is_empty():
        return None
    # The dtype is an integer type (BINCOUNT_TYPES), so both extremes are ints.
    low, high = int(column.min()), int(column.max())  # type: ignore[arg-type]
    if high - low >= SMALL_RANGE:
        return None
    values = column.to_numpy()
    # Non-negative values are counted as they are; others from `low`, in int64 so that int8 cannot wrap.
    offset = 0 if low >= 0 and high < SMALL_RANGE else low
    counts = np.bincount(values if offset == 0 else values.astype(np.int64) - offset)
    present = np.flatnonzero(counts)
    return pl.DataFrame([pl.Series("value", present + offset).cast(column.dtype),
                         pl.Series("n", counts[present]).cast(pl.UInt32)])
