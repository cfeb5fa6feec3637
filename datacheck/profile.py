"""The statistics engine: one streaming scan, per-batch exact aggregates plus mergeable sketches.

How a scan works:
1. The input is read in batches: Parquet slice by slice along its row groups (`_slices`), one slice ahead
   (`_read_ahead`); other formats through `LazyFrame.collect_batches`. Per column only bounded state is
   kept (the sketches), not the input. While one batch is folded into the accumulators, the next one is
   queried (`_fold_batches`).
2. For each batch, polars runs one set of queries (`_Scan.run_queries`): counts of nulls, NaN, infinities,
   true values and string lengths; value counts of the columns that keep a frequency table (and of numeric
   columns with few values); HLL register updates for the rest. Beside them, on a thread of their own, the
   finite values of the other numeric and temporal columns are sorted. Exact moments, extremes and sign
   counts come from the sorted values or counts.
3. Numeric and temporal values feed a quantile summary (quantiles, histogram). String, categorical,
   boolean and integer columns feed a frequency table (exact up to FREQUENCY_CAPACITY values, then
   Misra-Gries) and, once that overflows, a HyperLogLog sketch for the distinct count.
4. Batch results merge into column accumulators: mean/variance with Chan et al.'s parallel formulas,
   everything else by sum, min, max or sketch merge.

The same accumulators can be rebuilt from saved Statistics, which is how `merge` works: statistics of
two parts of a dataset merge into the statistics of the whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import polars as pl

from datacheck import parquet_layout, sketches
from datacheck.errors import InputError, UsageError
from datacheck.sources import DataFile, Dataset, ReadOptions, frame_from_object, read_error, resolve
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
    SourceInfo,
    Statistics,
    TemporalRange,
    ValueCount,
)

#: Rows per batch. Large enough that per-batch overhead is small, small enough to bound memory; 500,000
#: was faster than 250,000 or 1,000,000 on the 10M-row bench (the sorts stay in cache).
BATCH_ROWS = 500_000
#: Values (rows x columns) per batch at most: a wide table gets fewer rows per batch, so that a batch of 2,000
#: columns is not 2,000 x 500,000 values (8 GB of floats). Tables of up to 64 columns keep BATCH_ROWS.
BATCH_VALUES = 32_000_000
#: The fewest rows a batch is cut to for width: each batch costs some work per column (~0.3 ms) whatever its rows.
MIN_BATCH_ROWS = 10_000
#: Integer columns whose batch values span fewer integers than this are counted with numpy's bincount.
SMALL_RANGE = 1 << 16
#: Integer types whose values (and the differences between them) fit numpy's int64.
BINCOUNT_TYPES = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32)
#: Rows of the first batch of a scan (see `_fold_batches`).
PROBE_ROWS = 50_000
#: Formats read slice by slice (see `_slices`); the others stream.
RANDOM_ACCESS_FORMATS = ("parquet",)
#: Per-batch queries handed to polars at once.
QUERY_GROUP = 64
#: A numeric column whose batch had at most this many distinct values is counted (a group-by), not sorted,
#: in the next batch: cheaper for dates and small integer ranges, and exact.
FEW_VALUES = sketches.QUANTILE_SCAN_CAPACITY
#: After the frequency table overflows, a string column whose batches are mostly distinct values is free
#: text or an identifier: keeping its frequency table would cost a group-by per batch and tell nothing.
HIGH_CARDINALITY_RATIO = 0.5


class BatchObserver(Protocol):
    """Something that wants to see every batch of the scan (validate's row-level checks use this)."""

    def observe(self, batch: pl.DataFrame, row_offset: int) -> None: ...


ProgressCallback = Callable[[int], None]


# --------------------------------------------------------------------------------------------- kinds


def column_kind(dtype: pl.DataType) -> str:
    """The kind of a polars dtype: numeric, categorical, string, boolean, temporal, nested or binary."""
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_numeric():
        return "numeric"
    if dtype in (pl.String, pl.Utf8):
        return "string"
    if isinstance(dtype, (pl.Categorical, pl.Enum)) or dtype in (pl.Categorical, pl.Enum):
        return "categorical"
    if dtype.is_temporal():
        return "temporal"
    if dtype == pl.Binary:
        return "binary"
    if dtype.is_nested():
        return "nested"
    return "binary" if dtype == pl.Object else "nested"


def _tracks_frequencies(kind: str, dtype: pl.DataType) -> bool:
    # As TFDV: frequency tables for strings, booleans, categoricals and integer columns (dropped for
    # integers once they show more than FREQUENCY_CAPACITY distinct values).
    return kind in ("string", "categorical", "boolean") or (kind == "numeric" and dtype.is_integer())


def _hashes_as_integer(dtype_name: str) -> bool:
    """Whether HLL hashes a column's values as integers (Int128). UInt128 values may not fit in Int128, so
    that type is hashed as text, like its frequency-table keys."""
    return dtype_name.startswith(("Int", "UInt")) and dtype_name != "UInt128"


# --------------------------------------------------------------------------------------- accumulator


@dataclass
class _Accumulator:
    """Mergeable state of one column while scanning (or rebuilt from saved statistics)."""

    name: str
    dtype: str
    kind: str
    tracks_frequencies: bool
    hashes_as_integer: bool = False  # HLL hashes the values as Int128 (see _hashes_as_integer)
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
    kll: Any = None  # the quantile summary (a sketches.QuantileSketch), once `settle_quantiles` has run
    batch_summaries: sketches.QuantileLevels = field(default_factory=sketches.QuantileLevels)
    # strings
    length_min: int | None = None
    length_max: int | None = None
    length_sum: int = 0
    # frequencies and distinct
    table: dict[str, int] | None = field(default_factory=dict)
    table_error: int = 0
    overflowed: bool = False
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

    def add_counts(self, counts: Sequence[tuple[str, int]], error: int = 0) -> None:
        """Merge a (value, count) table into the frequency table; switch to HLL when it overflows."""
        if self.table is None:
            return
        if not self.overflowed and len(self.table) + len(counts) > FREQUENCY_CAPACITY:
            union = set(self.table).union(v for v, _ in counts)
            if len(union) > FREQUENCY_CAPACITY:
                # From here on the distinct count is an HLL estimate. The table still holds every value
                # seen so far, so the registers start complete.
                self.overflowed = True
                self.add_registers(self.registers_of_keys(union), sketches.HLL_HASH)
        self.table, self.table_error = sketches.misra_gries_merge(self.table, self.table_error, counts, error, FREQUENCY_CAPACITY)

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

    def add_kll(self, other: Any) -> None:
        if other is None:
            return
        if self.kll is None:
            self.kll = sketches.new_kll()
        self.kll.merge(other)

    def settle_quantiles(self) -> None:
        """Fold the scan's batch summaries into `kll`."""
        self.add_kll(self.batch_summaries.collapse())

    # -- batches ----------------------------------------------------------------------------------------

    def drop_frequencies(self) -> None:
        self.table = None
        self.table_error = 0

    # -- result -----------------------------------------------------------------------------------------

    def finish(self, dtype: pl.DataType | None = None) -> ColumnStats:
        numeric = temporal = lengths = distinct = frequencies = None
        top: tuple[ValueCount, ...] = ()
        kll_text = None
        if self.numeric_like:
            self.settle_quantiles()
            if self.kll is not None:
                # Report quantiles from the summary as it is saved, so that its stated rank_error holds for
                # the file too and merging saved statistics starts from what was reported.
                self.kll.compress(sketches.QUANTILE_CAPACITY)
            numeric = self._numeric_stats()
            if self.kll is not None and not self.kll.is_empty():
                kll_text = sketches.kll_to_text(self.kll)
        if self.kind == "temporal":
            temporal = TemporalRange(_temporal_text(self.min, self.dtype), _temporal_text(self.max, self.dtype), _temporal_unit(self.dtype))
        if self.kind in ("string", "categorical"):
            mean_length = self.length_sum / self.count if self.count else None
            lengths = LengthStats(self.length_min, mean_length, self.length_max)
        if self.tracks_frequencies:
            distinct = self._distinct()
            if self.table is not None:
                ordered = sketches.sorted_counts(self.table)
                frequencies = Frequencies(tuple(ValueCount(v, c) for v, c in ordered[:FREQUENCY_CAPACITY]), self.table_error, self.count)
                top = frequencies.values[:TOP_VALUES]
        hll_text = sketches.hll_to_text(self.hll) if (self.overflowed and self.hll is not None) else None
        sketch = ColumnSketch(kll=kll_text, hll=hll_text, hll_hash=self.hll_hash if hll_text else None,
                              length_sum=self.length_sum, m2=self.m2, finite_count=self.finite_count)
        return ColumnStats(name=self.name, dtype=self.dtype, kind=self.kind, count=self.count, null_count=self.null_count,
                           numeric=numeric, temporal=temporal, lengths=lengths, distinct=distinct, top_values=top,
                           frequencies=frequencies, sketch=sketch)

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
        if self.finite_count and self.kll is not None and not self.kll.is_empty():
            rank_error = sketches.kll_rank_error(self.kll)
            values = [float(v) for v in self.kll.get_quantiles(list(QUANTILE_PROBABILITIES))]
            # The sketch keeps the exact extremes; use the exact scalars so q=0 and q=1 match min/max.
            values[0], values[-1] = self.min, self.max
            quantiles = tuple(Quantile(q, v) for q, v in zip(QUANTILE_PROBABILITIES, values))
            histogram = _histogram_from_kll(self.kll, self.min, self.max, self.finite_count, self.integral)
        std = math.sqrt(max(self.m2, 0.0) / self.finite_count) if self.finite_count else None
        return NumericStats(
            nan_count=self.nan_count, inf_count=self.inf_count, neg_inf_count=self.neg_inf_count,
            zero_count=self.zero_count, negative_count=self.negative_count,
            integral=bool(self.integral and self.finite_count > 0),
            min=self.min, max=self.max, mean=self.mean if self.finite_count else None, std=std,
            quantiles=quantiles, histogram=histogram, rank_error=rank_error,
        )


def _histogram_from_kll(kll: Any, low: float, high: float, n: int, integral: bool) -> Histogram:
    """HISTOGRAM_BUCKETS equal-width buckets over [low, high], counted from the sketch's CDF.

    Counts are exact while the sketch is exact; otherwise each cumulative count is within the rank error.
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
    cdf = np.asarray(kll.get_cdf(list(edges[1:-1]), False), dtype=float)[:-1]
    cumulative = np.concatenate([[0.0], np.clip(cdf, 0, 1), [1.0]]) * n
    cumulative = np.maximum.accumulate(cumulative)
    raw = np.diff(cumulative)
    counts = np.floor(raw).astype(np.int64)
    shortfall = n - int(counts.sum())
    if shortfall > 0:
        order = np.argsort(-(raw - counts), kind="stable")[:shortfall]
        counts[order] += 1
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


def _temporal_unit(dtype: str) -> str:
    if dtype == "Date":
        return "days"
    if dtype.startswith("Datetime") or dtype.startswith("Duration"):
        return "ns" if "'ns'" in dtype else "ms" if "'ms'" in dtype else "us"
    if dtype == "Time":
        return "ns"
    return "unknown"


def _temporal_text(value: float | None, dtype: str) -> str | None:
    if value is None:
        return None
    unit = _temporal_unit(dtype)
    if dtype == "Date":
        target: pl.DataType = pl.Date()
    elif dtype.startswith("Datetime"):
        target = pl.Datetime(unit)  # type: ignore[arg-type]
    elif dtype.startswith("Duration"):
        # polars cannot cast a duration to text; ISO 8601 ("P1DT1H1M1.001S") is unambiguous.
        duration = pl.Series([int(value)], dtype=pl.Int64).cast(pl.Duration(unit))  # type: ignore[arg-type]
        return duration.dt.to_string("iso")[0]
    elif dtype == "Time":
        target = pl.Time()
    else:
        return str(value)
    text = pl.Series([int(value)], dtype=pl.Int64).cast(target).cast(pl.String)[0]
    if "." in text:  # "2024-01-01 06:22:26.000000" -> "2024-01-01 06:22:26"
        text = text.rstrip("0").rstrip(".")
    return text


# ------------------------------------------------------------------------------------ per-batch query


def _batch_expressions(schema: pl.Schema, kinds: dict[str, str]) -> list[pl.Expr]:
    """The per-batch aggregations polars computes directly; aliases are "<position>|<stat>".

    Numeric moments, extremes and sign counts are not here: they come from the sorted finite values (or the
    value counts) that the quantile summary needs anyway, so the values are visited once.
    """
    exprs: list[pl.Expr] = []
    for pos, (name, dtype) in enumerate(schema.items()):
        kind = kinds[name]
        col = pl.col(name)
        exprs.append(col.null_count().alias(f"{pos}|null"))
        if kind == "numeric" and dtype.is_float():
            exprs += [
                col.is_nan().sum().alias(f"{pos}|nan"),
                col.is_infinite().sum().alias(f"{pos}|inf"),
                (col == float("-inf")).sum().alias(f"{pos}|neginf"),
            ]
        elif kind == "boolean":
            exprs.append(col.sum().alias(f"{pos}|true"))
    return exprs


def _text_length(column: pl.Expr, kind: str) -> pl.Expr:
    """Length in characters of a string or categorical column's values."""
    return (column.cast(pl.String) if kind == "categorical" else column).str.len_chars()


def _length_query(batch: pl.LazyFrame, columns: Sequence[tuple[int, str, str]]) -> pl.LazyFrame:
    """Shortest, longest and total length of text columns given as (position, name, kind); aliases are
    "<position>|lmin", "|lmax" and "|lsum". Each length is computed once for its three aggregates."""
    lengths = batch.select([_text_length(pl.col(name), kind).alias(str(pos)) for pos, name, kind in columns])
    return lengths.select([aggregate for pos, _, _ in columns for aggregate in (
        pl.col(str(pos)).min().alias(f"{pos}|lmin"),
        pl.col(str(pos)).max().alias(f"{pos}|lmax"),
        pl.col(str(pos)).sum().alias(f"{pos}|lsum"),
    )])


def _column_frame(batch: pl.DataFrame, name: str) -> pl.LazyFrame:
    """A one-column LazyFrame: a per-column query planned over the whole batch would carry the batch's full
    schema, and 10,000 such plans over 10,000 columns cost memory quadratic in the column count."""
    return batch.get_column(name).to_frame().lazy()


#: Flips the 63 magnitude bits of a negative IEEE double, which makes its bits, read as int64, sort in the
#: order of the floats.
_MAGNITUDE_BITS = np.int64(0x7FFF_FFFF_FFFF_FFFF)


def _sorted_finite(column: pl.Series) -> np.ndarray:
    """The column's finite values (no nulls, NaN or infinities), sorted, as float64.

    Floats are sorted as order-preserving int64 keys: polars sorts integers ~25% faster than floats, whose
    comparison has to place NaN. Integers are sorted before the cast to float for the same reason. Each
    sort uses one thread: the scan keeps every core busy already, and polars' parallel sort of a
    500,000-row batch costs ~40% more CPU time.
    """
    if column.dtype.is_float():
        values = column.cast(pl.Float64).to_numpy()  # nulls become NaN
        bits = values[np.isfinite(values)].view(np.int64)
        keys = pl.Series(bits ^ ((bits >> 63) & _MAGNITUDE_BITS)).sort(multithreaded=False).to_numpy()
        return (keys ^ ((keys >> 63) & _MAGNITUDE_BITS)).view(np.float64)
    ordered = column.sort(nulls_last=True, multithreaded=False)
    return ordered.slice(0, ordered.len() - ordered.null_count()).cast(pl.Float64).to_numpy()


def _sort_for_summary(columns: dict[str, pl.Series]) -> dict[str, np.ndarray]:
    """`_sorted_finite` of each column."""
    return {key: _sorted_finite(column) for key, column in columns.items()}


def _small_range_counts(column: pl.Series) -> pl.DataFrame | None:
    """Value counts ("value", "n") of an integer column whose non-null values span fewer than SMALL_RANGE
    integers, counted with numpy's bincount (3-9x cheaper than a polars group-by on ages, small counts and
    dates); None for other columns, which polars groups. Values come out in order."""
    if column.dtype not in BINCOUNT_TYPES:
        return None
    if column.null_count():
        column = column.drop_nulls()
    if column.is_empty():
        return None
    low, high = column.min(), column.max()
    if high - low >= SMALL_RANGE:
        return None
    values = column.to_numpy()
    # Non-negative values are counted as they are; others from `low`, in int64 so that int8 cannot wrap.
    offset = 0 if low >= 0 and high < SMALL_RANGE else low
    counts = np.bincount(values if offset == 0 else values.astype(np.int64) - offset)
    present = np.flatnonzero(counts)
    return pl.DataFrame([pl.Series("value", present + offset).cast(column.dtype),
                         pl.Series("n", counts[present]).cast(pl.UInt32)])


def _frequency_values(series: pl.Series, kind: str) -> pl.Series:
    """The column as text, as frequency tables store it (booleans as true/false)."""
    if kind == "boolean":
        return series.cast(pl.String).str.to_lowercase()
    if series.dtype == pl.String:
        return series
    return series.cast(pl.String)


@dataclass(frozen=True)
class _BatchPlan:
    """The queries a batch gets, by column position."""

    counted: frozenset[int]  # numeric/temporal columns summarised from value counts instead of a sort
    tabled: frozenset[int]  # columns whose value counts feed a frequency table (the rest feed HLL)


class _Scan:
    """The state of one scan of one frame: column accumulators plus the rows seen."""

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema
        self.kinds = {name: column_kind(dtype) for name, dtype in schema.items()}
        self.accumulators = [
            _Accumulator(name=name, dtype=str(dtype), kind=self.kinds[name],
                         tracks_frequencies=_tracks_frequencies(self.kinds[name], dtype),
                         hashes_as_integer=_hashes_as_integer(str(dtype)))
            for name, dtype in schema.items()
        ]
        self.expressions = _batch_expressions(schema, self.kinds)
        self.rows = 0

    def plan(self) -> _BatchPlan:
        """Which queries the next batch needs, from the state so far."""
        # Integer columns that still keep a frequency table get their quantile summary from its counts,
        # which is exact and saves a sort. So do numeric and temporal columns whose last batch had few
        # distinct values (dates, small ranges).
        tabled = frozenset(pos for pos, acc in enumerate(self.accumulators)
                           if acc.tracks_frequencies and acc.kind != "boolean" and acc.table is not None)
        counted = frozenset(pos for pos, acc in enumerate(self.accumulators)
                            if acc.numeric_like and (acc.few_values or pos in tabled))
        return _BatchPlan(counted=counted, tabled=tabled)

    def add(self, batch: pl.DataFrame) -> None:
        """Fold one batch into the accumulators (the sequential form of what `_fold_batches` pipelines)."""
        if batch.height:
            plan = self.plan()
            self.absorb(batch.height, self.run_queries(batch, plan), plan)

    def absorb(self, height: int, results: dict[str, pl.DataFrame | np.ndarray], plan: _BatchPlan) -> None:
        """Fold a batch's query results into the accumulators.

        `plan` may be a batch older than the state (see `_fold_batches`), so the results can hold value
        counts for a column whose table has been dropped since; they then feed its HLL sketch instead.
        The sorted values are removed from `results` as they are folded in.
        """
        self.rows += height
        row = results["aggregates"].row(0, named=True) if self.expressions else {}
        lengths = results["lengths"].row(0, named=True) if "lengths" in results else {}
        for pos, acc in enumerate(self.accumulators):
            nulls = int(row[f"{pos}|null"])
            acc.null_count += nulls
            acc.count += height - nulls
            raw_counts = results.get(f"counts|{pos}")
            if acc.kind == "boolean" and height - nulls > 0:
                true = int(row[f"{pos}|true"] or 0)
                acc.add_counts([(v, c) for v, c in (("true", true), ("false", height - nulls - true)) if c])
            elif acc.tracks_frequencies and height - nulls > 0:
                self._add_frequencies(acc, raw_counts, results.get(f"hll|{pos}"), height - nulls)
            if acc.numeric_like:
                ordered = results.pop(f"sorted|{pos}", None)  # let each go once folded in
                counted = None
                if pos in plan.counted:
                    counted = results.get(f"numcounts|{pos}", raw_counts)
                self._add_numeric(acc, pos, row, ordered, counted)
            elif acc.kind in ("string", "categorical"):
                if f"{pos}|lmin" in lengths:
                    acc.add_lengths(lengths[f"{pos}|lmin"], lengths[f"{pos}|lmax"], int(lengths[f"{pos}|lsum"] or 0))
                elif raw_counts is not None and raw_counts.height:
                    per_value = raw_counts.get_column("length").to_numpy().astype(np.int64)
                    acc.add_lengths(int(per_value.min()), int(per_value.max()),
                                    int(np.dot(per_value, raw_counts.get_column("n").to_numpy().astype(np.int64))))

    def run_queries(self, batch: pl.DataFrame, plan: _BatchPlan) -> dict[str, pl.DataFrame | np.ndarray]:
        """Every per-batch query: the sorts on a thread of their own, the rest together in polars, which
        spreads them over the cores. The results, by name:
        - "aggregates": one row of counts (nulls, NaN, infinities, true values);
        - "lengths": one row of string-length figures of the text columns without a frequency table;
        - "sorted|i": the sorted finite values of numeric or temporal column i when the plan does not count
          it (a float64 array);
        - "numcounts|i": value counts of numeric column i when the plan counts it and it keeps no table;
        - "counts|i": value counts of column i while it keeps a frequency table (with each value's HLL
          register update and, for text, its length);
        - "hll|i": HLL register updates of column i once it has too many distinct values for a table.

        Reads nothing the scan changes, so it can run on a worker thread while `absorb` folds the previous batch.
        """
        to_sort = {f"sorted|{pos}": (batch.get_column(acc.name).to_physical() if acc.kind == "temporal"
                                     else batch.get_column(acc.name))
                   for pos, acc in enumerate(self.accumulators) if acc.numeric_like and pos not in plan.counted}
        # The sorts start first, on a thread of their own, and go on while the other queries are planned and run.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-sort") as sorter:
            sorting = sorter.submit(_sort_for_summary, to_sort)
            queries = self._queries(batch, plan)
            # collect_all grows faster than linearly with the number of queries (10,000 columns: 98 s in one
            # call), so a wide table's queries go in groups; a group still spreads over the cores.
            plans = list(queries.values())
            frames = [frame for start in range(0, len(plans), QUERY_GROUP)
                      for frame in pl.collect_all(plans[start:start + QUERY_GROUP])]
            return {**dict(zip(queries, frames)), **sorting.result()}

    def _queries(self, batch: pl.DataFrame, plan: _BatchPlan) -> dict[str, pl.LazyFrame]:
        """The polars queries of `run_queries` (all but the sorts), by result name."""
        lazy = batch.lazy()
        queries: dict[str, pl.LazyFrame] = {}
        if self.expressions:
            queries["aggregates"] = lazy.select(self.expressions)
        # Text columns with a frequency table get their lengths from its distinct values ("counts|i" carries
        # a length per value); the others are measured row by row.
        measured = [(pos, acc.name, acc.kind) for pos, acc in enumerate(self.accumulators)
                    if acc.kind in ("string", "categorical") and pos not in plan.tabled]
        if measured:
            queries["lengths"] = _length_query(lazy, measured)
        for pos, acc in enumerate(self.accumulators):
            if pos in plan.counted and pos not in plan.tabled:
                col = pl.col(acc.name).to_physical() if acc.kind == "temporal" else pl.col(acc.name)
                counted = _small_range_counts(batch.get_column(acc.name).to_physical())
                queries[f"numcounts|{pos}"] = counted.lazy() if counted is not None else (
                    _column_frame(batch, acc.name).select(col.filter(col.is_not_null() & col.cast(pl.Float64).is_finite())
                                                          .alias("value")).group_by("value").agg(pl.len().alias("n")))
            if acc.tracks_frequencies and acc.kind != "boolean":
                if pos in plan.tabled:
                    # Each distinct value comes with its HLL register update, for when the table has overflowed.
                    counted = _small_range_counts(batch.get_column(acc.name)) if acc.kind == "numeric" else None
                    counts = counted.lazy() if counted is not None else (
                        _column_frame(batch, acc.name).select(pl.col(acc.name).drop_nulls().alias("value"))
                        .group_by("value").agg(pl.len().alias("n")))
                    keep: tuple[str, ...] = ("value", "n")
                    if acc.kind in ("string", "categorical"):
                        counts = counts.with_columns(_text_length(pl.col("value"), acc.kind).alias("length"))
                        keep += ("length",)
                    queries[f"counts|{pos}"] = sketches.hll_rank_query(counts, "value", acc.hashes_as_integer, keep=keep)
                else:
                    queries[f"hll|{pos}"] = sketches.hll_rank_query(_column_frame(batch, acc.name), acc.name,
                                                                     acc.hashes_as_integer)
        return queries

    def _add_numeric(self, acc: _Accumulator, pos: int, row: dict[str, Any], ordered: np.ndarray | None,
                     counted: pl.DataFrame | None = None) -> None:
        """Moments, extremes, sign counts and the quantile summary from the batch's sorted finite values, or
        from its value counts (integer columns that keep a frequency table)."""
        acc.nan_count += int(row.get(f"{pos}|nan") or 0)
        acc.inf_count += int(row.get(f"{pos}|inf") or 0)
        acc.neg_inf_count += int(row.get(f"{pos}|neginf") or 0)
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
            deviations = (values - mean) ** 2
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

    def _add_frequencies(self, acc: _Accumulator, raw_counts: pl.DataFrame | None, hll_ranks: pl.DataFrame | None,
                         present: int) -> None:
        """Update the frequency table (or, once dropped, the HLL sketch) from the batch's value counts (or
        register updates)."""
        if acc.table is None or raw_counts is None:
            # Too many distinct values for a frequency table: only the distinct-count sketch goes on.
            if hll_ranks is not None:
                acc.add_registers(sketches.hll_registers_from_ranks(hll_ranks), sketches.HLL_HASH)
            elif raw_counts is not None:  # planned before the table was dropped
                acc.add_registers(sketches.hll_registers_from_ranks(raw_counts), sketches.HLL_HASH)
            return
        counted = pl.DataFrame([_frequency_values(raw_counts.get_column("value"), acc.kind).alias("value"),
                                raw_counts.get_column("n")])
        values = counted.get_column("value")
        if not acc.overflowed and (counted.height > FREQUENCY_CAPACITY
                                   or len(set(acc.table).union(values.to_list())) > FREQUENCY_CAPACITY):
            # From here on the distinct count is an HLL estimate. The table still holds every value seen
            # before this batch, so the registers start complete.
            acc.overflowed = True
            acc.add_registers(acc.registers_of_keys(acc.table), sketches.HLL_HASH)
        if acc.overflowed:
            acc.add_registers(sketches.hll_registers_from_ranks(raw_counts), sketches.HLL_HASH)
            if acc.kind == "numeric" or counted.height > HIGH_CARDINALITY_RATIO * present:
                # An integer column with this many values is a measurement or an id, not a category; a string
                # column whose batches are mostly distinct is free text or an id. Neither needs a table.
                acc.drop_frequencies()
                return
        acc.table, acc.table_error = sketches.misra_gries_merge_frame(acc.table, acc.table_error, counted, FREQUENCY_CAPACITY)

    def finish(self, sources: Sequence[SourceInfo]) -> Statistics:
        columns = tuple(acc.finish() for acc in self.accumulators)
        return Statistics(num_rows=self.rows, columns=columns, sources=tuple(sources))


# ------------------------------------------------------------------------------------------- public API


def profile_frame(frame: pl.LazyFrame | pl.DataFrame, *, source: SourceInfo | None = None,
                  observers: Sequence[BatchObserver] = (), progress: ProgressCallback | None = None,
                  batch_rows: int = BATCH_ROWS, data_file: DataFile | None = None) -> Statistics:
    """Statistics of one frame in one streaming scan.

    Args:
        frame: the data. A LazyFrame is streamed in batches of `batch_rows` (fewer for wide tables, see
            `rows_per_batch`).
        source: how to describe the input in `Statistics.sources` (its row count is filled in).
        observers: extra per-batch work done in the same scan (validate's row-level checks).
        progress: called with the number of rows of each batch as it is processed.
        batch_rows: rows per batch.
        data_file: the file being read, so that a reader's failure names it.

    Returns:
        The Statistics of the frame.
    """
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    try:
        scan = _Scan(lazy.collect_schema())
        batch_rows = rows_per_batch(len(scan.schema), batch_rows)
        if isinstance(frame, pl.DataFrame):
            batches = frame.iter_slices(batch_rows)
        elif data_file is not None and data_file.format in RANDOM_ACCESS_FORMATS:
            batches = _read_ahead(_slices(lazy, batch_rows, data_file.path))
        else:
            batches = iter(lazy.collect_batches(chunk_size=batch_rows, maintain_order=True))
        _fold_batches(scan, batches, observers, progress)
    except (InputError, UsageError):
        raise
    except pl.exceptions.PolarsError as exc:
        if data_file is None:
            raise InputError(f"cannot compute statistics: {str(exc).splitlines()[0]}") from None
        raise read_error(exc, data_file) from None
    except OSError as exc:
        if data_file is None:
            raise
        raise read_error(exc, data_file) from None
    info = replace(source, rows=scan.rows) if source is not None else SourceInfo("<memory>", "frame", scan.rows)
    return scan.finish([info])


def rows_per_batch(columns: int, batch_rows: int = BATCH_ROWS) -> int:
    """Rows per batch for a table of `columns` columns: `batch_rows`, fewer when the table is wide."""
    return min(batch_rows, max(MIN_BATCH_ROWS, BATCH_VALUES // max(columns, 1)))


def _slices(lazy: pl.LazyFrame, batch_rows: int, path: str) -> Iterator[pl.DataFrame]:
    """Batches of a Parquet file, read slice by slice: polars reads only the row groups a slice covers.

    Reading each slice when it is due keeps only the batches in flight in memory, where the streaming
    engine's read-ahead grows with the input. Slices follow row-group boundaries where the footer tells them.
    """
    total = lazy.select(pl.len()).collect().item()
    try:
        group_rows = parquet_layout.row_group_rows(path)
    except (parquet_layout.FooterError, OSError):
        group_rows = []
    if sum(group_rows) != total:
        group_rows = [total]
    for offset, length in parquet_layout.slice_bounds(group_rows, batch_rows):
        yield lazy.slice(offset, length).collect()


def _read_ahead(batches: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The batches, each read on a thread of its own while the previous one is being queried (one batch
    ahead: the streaming engine's unbounded read-ahead is what slices avoid)."""
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-read")
    try:
        upcoming = reader.submit(next, batches, None)
        while True:
            batch = upcoming.result()
            if batch is None:
                return
            upcoming = reader.submit(next, batches, None)
            yield batch
    finally:
        reader.shutdown(wait=True, cancel_futures=True)


def _with_probe(batches: Iterator[pl.DataFrame], probe_rows: int) -> Iterator[pl.DataFrame]:
    """The batches, with the first `probe_rows` rows split off as a batch of their own."""
    first = next(batches, None)
    if first is None:
        return
    if first.height > probe_rows:
        yield first.slice(0, probe_rows)
        first = first.slice(probe_rows)
    yield first
    yield from batches


def _fold_batches(scan: _Scan, batches: Iterator[pl.DataFrame], observers: Sequence[BatchObserver],
                  progress: ProgressCallback | None) -> None:
    """Fold every batch into `scan`.

    The first PROBE_ROWS rows are folded on their own, first: until then no column is known to have too
    many distinct values for a frequency table, so that batch counts the values of every column, which is
    costly on large batches of ids. After it, batches go two at a time: while this thread folds batch k
    into the accumulators (Python, holding the GIL), a worker thread takes batch k+1 (for Parquet already
    read by `_read_ahead`) and runs its queries (which release the GIL). Batch k+1's queries are planned from the state after batch k-1, never from
    a state that depends on timing, so the result is the same on every run; `_Scan.absorb` accepts such a
    one-batch-old plan.
    """
    batches = _with_probe(batches, PROBE_ROWS)
    offset = 0

    def read_and_query(plan: _BatchPlan) -> tuple[int, pl.DataFrame | None, dict[str, pl.DataFrame | np.ndarray],
                                                   _BatchPlan] | None:
        for batch in batches:
            if batch.height:
                # Without observers the batch is let go once queried: on a wide table it is the bulk of memory.
                return batch.height, batch if observers else None, scan.run_queries(batch, plan), plan
        return None

    def fold(height: int, batch: pl.DataFrame | None, results: dict[str, pl.DataFrame | np.ndarray],
             plan: _BatchPlan) -> None:
        nonlocal offset
        scan.absorb(height, results, plan)
        for observer in observers:
            observer.observe(batch, offset)
        offset += height
        if progress is not None:
            progress(height)

    probe = read_and_query(scan.plan())
    if probe is None:
        return
    fold(*probe)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-scan")
    try:
        plan = scan.plan()
        current = worker.submit(read_and_query, plan)
        while True:
            following = worker.submit(read_and_query, plan)
            done = current.result()
            if done is None:
                following.result()
                return
            fold(*done)
            current, plan = following, scan.plan()
    finally:
        worker.shutdown(wait=True, cancel_futures=True)


def profile_dataset(dataset: Dataset, *, observers: Sequence[BatchObserver] = (),
                    progress: ProgressCallback | None = None) -> Statistics:
    """Statistics of every file of a Dataset: each file is profiled, then the results are merged."""
    parts = []
    for data_file, lazy in dataset.frames():
        parts.append(profile_frame(lazy, source=SourceInfo(data_file.path, data_file.format, 0), observers=observers,
                                   progress=progress, data_file=data_file))
    statistics = merge(parts)
    if statistics.num_rows == 0 and not dataset.options.allow_empty:
        names = ", ".join(f.path for f in dataset.files)
        raise InputError("the input has no rows (a header at most)", path=names,
                         hint="check that the export that wrote it finished")
    return statistics


def profile(data: Any, options: ReadOptions | None = None, *, progress: ProgressCallback | None = None) -> Statistics:
    """Statistics of DATA: a path (file, directory, glob), a list of paths, a saved statistics file, an
    already resolved `Dataset`, or an in-memory polars/pandas/pyarrow table.

    Example:
        >>> import polars as pl, datacheck
        >>> stats = datacheck.profile(pl.DataFrame({"x": [1, 2, None]}))
        >>> stats.column("x").null_count
        1
    """
    if isinstance(data, Statistics):
        return data
    if isinstance(data, Dataset):
        return profile_dataset(data, progress=progress)
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        data = [data]
    if isinstance(data, (list, tuple)) and all(isinstance(p, str) or hasattr(p, "__fspath__") for p in data):
        return profile(resolve([str(p) for p in data], options), progress=progress)
    return profile_frame(frame_from_object(data), progress=progress)


profile_sources = profile


# ------------------------------------------------------------------------------------------------ merge


def _accumulator_from(stats: ColumnStats) -> _Accumulator:
    """Rebuild the mergeable state of a column from its saved statistics."""
    acc = _Accumulator(name=stats.name, dtype=stats.dtype, kind=stats.kind,
                       tracks_frequencies=stats.distinct is not None, count=stats.count, null_count=stats.null_count,
                       hashes_as_integer=stats.kind == "numeric" and _hashes_as_integer(stats.dtype))
    if stats.numeric is not None:
        n = stats.numeric
        acc.nan_count, acc.inf_count, acc.neg_inf_count = n.nan_count, n.inf_count, n.neg_inf_count
        acc.zero_count, acc.negative_count = n.zero_count, n.negative_count
        acc.integral = n.integral or stats.sketch.finite_count == 0
        acc.finite_count, acc.m2 = stats.sketch.finite_count, stats.sketch.m2
        acc.mean = n.mean if n.mean is not None else 0.0
        acc.min, acc.max = n.min, n.max
        acc.kll = sketches.kll_from_text(stats.sketch.kll) if stats.sketch.kll else None
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


def _merge_into(target: _Accumulator, other: _Accumulator) -> None:
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
    target.add_kll(other.kll)
    if other.length_min is not None or other.length_sum:
        target.add_lengths(other.length_min, other.length_max, other.length_sum)
    if target.tracks_frequencies and other.tracks_frequencies:
        _merge_distinct(target, other)
    elif target.tracks_frequencies or other.tracks_frequencies:
        # Integers meeting floats: the union is a float column, which keeps no frequency table.
        target.tracks_frequencies = False
        target.drop_frequencies()
        target.hll, target.overflowed = None, False


def _merge_distinct(target: _Accumulator, other: _Accumulator) -> None:
    # Make both sides carry registers whenever the result will not be exact.
    def registers(acc: _Accumulator) -> None:
        if acc.hll is None and acc.table is not None and not acc.overflowed:
            acc.add_registers(acc.registers_of_keys(acc.table), sketches.HLL_HASH)

    if other.table is not None and target.table is not None:
        other_counts = list(other.table.items())
        if target.overflowed or other.overflowed or len(set(target.table) | set(other.table)) > FREQUENCY_CAPACITY:
            registers(target)
            registers(other)
            target.overflowed = True
        target.table, target.table_error = sketches.misra_gries_merge(target.table, target.table_error, other_counts,
                                                                      other.table_error, FREQUENCY_CAPACITY)
    else:
        registers(target)
        registers(other)
        target.overflowed = True
        target.drop_frequencies()
    if target.overflowed:
        target.add_registers(other.hll, other.hll_hash, other.hll_broken)


def merge(parts: Sequence[Statistics]) -> Statistics:
    """Statistics of the union of the datasets that `parts` describe.

    Exact for counts, sums, min/max, mean and variance (up to floating-point rounding) and for frequency
    tables that did not overflow; within the stated bounds for quantiles, histograms (KLL rank error),
    distinct counts past FREQUENCY_CAPACITY (HLL) and overflowed frequency tables (Misra-Gries error).
    A column missing from a part counts as null in all of that part's rows.

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
    merged: dict[str, _Accumulator] = {}
    total_rows = 0
    sources: list[SourceInfo] = []
    for part in parts:
        for col in part.columns:
            acc = _accumulator_from(col)
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
