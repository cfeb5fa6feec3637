"""The Statistics model: what `datacheck stats` computes and writes, and what infer, validate and drift read.

Statistics are the pivot artifact: infer, validate and drift read them, not the data. They are frozen
dataclasses with `to_dict`/`from_dict`, and they carry the mergeable state (`ColumnSketch`) that lets
statistics of two parts of a dataset merge into the statistics of the whole: see `datacheck.profile.merge`.

Definitions (also in README, "Statistics reference"):
- `count` is the number of non-null values; `null_count + count == num_rows`.
- Numeric `min`, `max`, `mean`, `std` (population, ddof 0), `quantiles` and `histogram` are over the finite
  values only; NaN and +/-inf are counted in `nan_count` and `inf_count` (`neg_inf_count` of them negative).
- Quantiles and histograms come from a quantile summary (`sketches.QuantileSketch`) whose normalized rank
  error is stored in `rank_error`.
- `distinct` is exact while the column has at most `FREQUENCY_CAPACITY` distinct values, else a HyperLogLog
  estimate (relative standard error about 0.8%).
- `frequencies` is a Misra-Gries summary: each stored count is a lower bound and the true count is at most
  `count + error`. With `error == 0` the table is exact.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from datacheck.finite import finite_or_none
from datacheck.label_model import LabelStats

STATISTICS_FORMAT = "datacheck.statistics"
STATISTICS_VERSION = 1
QUANTILE_PROBABILITIES = (0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0)
HISTOGRAM_BUCKETS = 20
TOP_VALUES = 10
FREQUENCY_CAPACITY = 1000
#: Slices kept apart by default: enough for every US state or a country list's head, few enough that a
#: report of one block per slice stays readable. (Here rather than in `datacheck.slices`, so that the command
#: line can show it without importing the scan.)
MAX_SLICES = 50

KINDS = ("numeric", "categorical", "string", "boolean", "temporal", "nested", "binary")


def column_kind(dtype: pl.DataType) -> str:
    """The kind (one of KINDS) of a polars dtype: numeric, categorical, string, boolean, temporal, nested or
    binary.

    Example:
        >>> column_kind(pl.Int32()), column_kind(pl.Date()), column_kind(pl.List(pl.String))
        ('numeric', 'temporal', 'nested')
    """
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


def temporal_unit(dtype: str) -> str:
    """The physical unit of a temporal dtype as polars names it ("Date", "Datetime(time_unit='ms', ...)"):
    days, ms, us or ns ("unknown" for other types). Temporal statistics are numbers in this unit."""
    if dtype == "Date":
        return "days"
    if dtype.startswith("Datetime") or dtype.startswith("Duration"):
        return "ns" if "'ns'" in dtype else "ms" if "'ms'" in dtype else "us"
    if dtype == "Time":
        return "ns"
    return "unknown"


def temporal_text(value: float | None, dtype: str) -> str | None:
    """A temporal statistic (a whole number of `temporal_unit(dtype)` units) as text: ISO 8601 dates,
    datetimes and times as polars writes them, without trailing zeros of the fraction, and durations as
    ISO 8601 durations. A fractional value is truncated to whole units. None stays None.

    Example:
        >>> temporal_text(19723, "Date"), temporal_text(1.5e9, "Datetime(time_unit='ms', time_zone=None)")
        ('2024-01-01', '1970-01-18 08:40:00')
    """
    if value is None:
        return None
    unit = temporal_unit(dtype)
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


@dataclass(frozen=True, slots=True)
class Histogram:
    """Equal-width buckets over [edges[0], edges[-1]].

    Fields:
        edges: bucket boundaries, len(counts) + 1 of them, increasing. For temporal columns these are
            in the column's physical unit (days for dates, the time unit for datetimes).
        counts: values per bucket; bucket i is [edges[i], edges[i+1]), the last bucket is closed.
    """

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"edges": list(self.edges), "counts": list(self.counts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Histogram:
        return cls(tuple(float(e) for e in data["edges"]), tuple(int(c) for c in data["counts"]))


@dataclass(frozen=True, slots=True)
class ValueCount:
    """One value of a frequency table. `value` is the value as text ("true"/"false" for booleans)."""

    value: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValueCount:
        return cls(str(data["value"]), int(data["count"]))


@dataclass(frozen=True, slots=True)
class Quantile:
    """The value at probability `q`: the smallest value v with rank(v) >= q * count (within rank_error)."""

    q: float
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {"q": self.q, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quantile:
        return cls(float(data["q"]), float(data["value"]))


@dataclass(frozen=True, slots=True)
class NumericStats:
    """Statistics of numeric and temporal columns (temporal ones in their physical integer unit).

    Fields:
        nan_count: NaN values (floats only); they count as present, not null.
        inf_count: +inf and -inf values; neg_inf_count: the -inf ones among them.
        zero_count: values equal to 0.
        negative_count: finite values below 0.
        integral: every finite value is a whole number (true for integer dtypes).
        min, max, mean, std: over finite values; std is the population standard deviation (ddof 0).
            None when the column has no finite value.
        quantiles: values at QUANTILE_PROBABILITIES, from the quantile summary.
        histogram: HISTOGRAM_BUCKETS equal-width buckets between min and max, from the quantile summary.
        rank_error: the quantile summary's normalized rank error (0 when quantiles are exact).
    """

    nan_count: int = 0
    inf_count: int = 0
    neg_inf_count: int = 0
    zero_count: int = 0
    negative_count: int = 0
    integral: bool = False
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    std: float | None = None
    quantiles: tuple[Quantile, ...] = ()
    histogram: Histogram | None = None
    rank_error: float = 0.0

    def quantile(self, q: float) -> float | None:
        """The stored quantile at probability q, or None if it was not stored."""
        for item in self.quantiles:
            if abs(item.q - q) < 1e-12:
                return item.value
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "nan_count": self.nan_count,
            "inf_count": self.inf_count,
            "neg_inf_count": self.neg_inf_count,
            "zero_count": self.zero_count,
            "negative_count": self.negative_count,
            "integral": self.integral,
            "min": finite_or_none(self.min),
            "max": finite_or_none(self.max),
            "mean": finite_or_none(self.mean),
            "std": finite_or_none(self.std),
            "quantiles": [q.to_dict() for q in self.quantiles],
            "histogram": self.histogram.to_dict() if self.histogram else None,
            "rank_error": self.rank_error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NumericStats:
        return cls(
            nan_count=int(data["nan_count"]),
            inf_count=int(data["inf_count"]),
            neg_inf_count=int(data["neg_inf_count"]),
            zero_count=int(data["zero_count"]),
            negative_count=int(data["negative_count"]),
            integral=bool(data["integral"]),
            min=data["min"],
            max=data["max"],
            mean=data["mean"],
            std=data["std"],
            quantiles=tuple(Quantile.from_dict(q) for q in data["quantiles"]),
            histogram=Histogram.from_dict(data["histogram"]) if data.get("histogram") else None,
            rank_error=float(data["rank_error"]),
        )


@dataclass(frozen=True, slots=True)
class LengthStats:
    """String lengths in characters (Unicode code points) over non-null values."""

    min: int | None
    mean: float | None
    max: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "mean": finite_or_none(self.mean), "max": self.max}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LengthStats:
        return cls(data["min"], data["mean"], data["max"])


@dataclass(frozen=True, slots=True)
class Distinct:
    """Number of distinct non-null values; `exact` is False when it is a HyperLogLog estimate."""

    count: int
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "exact": self.exact}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Distinct:
        return cls(int(data["count"]), bool(data["exact"]))


@dataclass(frozen=True, slots=True)
class Frequencies:
    """A frequency table of at most FREQUENCY_CAPACITY values, most frequent first, ties by value.

    Fields:
        values: the tracked values with their (lower-bound) counts.
        error: each true count lies in [count, count + error]; 0 means the table is exact and complete.
        total: the number of non-null values the table summarises (the column's count).
    """

    values: tuple[ValueCount, ...]
    error: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"values": [v.to_dict() for v in self.values], "error": self.error, "total": self.total}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Frequencies:
        return cls(tuple(ValueCount.from_dict(v) for v in data["values"]), int(data["error"]), int(data["total"]))

    def as_mapping(self) -> dict[str, int]:
        return {v.value: v.count for v in self.values}


@dataclass(frozen=True, slots=True)
class TemporalRange:
    """Earliest and latest value of a temporal column, as ISO 8601 text, and its physical unit."""

    min: str | None
    max: str | None
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "unit": self.unit}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TemporalRange:
        return cls(data["min"], data["max"], data["unit"])


@dataclass(frozen=True, slots=True)
class ColumnSketch:
    """The mergeable state that is not visible in the other fields, serialized as text.

    Fields:
        quantiles: text of the quantile summary over finite values (numeric, temporal): `sketches.QuantileSketch`,
            written by its `to_text`. Its file key is "kll", from the first versions, which stored an Apache
            DataSketches KLL sketch there: files already written carry that key, so it stays.
        hll: base64 of HyperLogLog registers (precision HLL_PRECISION), once the frequency table overflowed.
        hll_hash: which hash function filled the registers; registers with different hashes do not merge.
        length_sum: sum of string lengths, so that the mean length merges exactly.
        m2: sum of squared deviations from the mean over finite values (Chan et al.), so variance merges.
        finite_count: number of finite values (the weight of mean and m2).
    """

    quantiles: str | None = None
    hll: str | None = None
    hll_hash: str | None = None
    length_sum: int = 0
    m2: float = 0.0
    finite_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"kll": self.quantiles, "hll": self.hll, "hll_hash": self.hll_hash, "length_sum": self.length_sum,
                "m2": finite_or_none(self.m2) or 0.0, "finite_count": self.finite_count}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnSketch:
        return cls(data.get("kll"), data.get("hll"), data.get("hll_hash"), int(data.get("length_sum", 0)),
                   float(data.get("m2", 0.0)), int(data.get("finite_count", 0)))


@dataclass(frozen=True, slots=True)
class ColumnStats:
    """Statistics of one column.

    Fields:
        name: the column name as in the data.
        dtype: the physical type as polars names it (Int64, Float64, String, Date, Datetime(time_unit='us'), ...).
        kind: one of KINDS: numeric, categorical, string, boolean, temporal, nested, binary.
        count: non-null values. null_count: null values.
        numeric: NumericStats for numeric and temporal columns, else None.
        temporal: min/max as text for temporal columns, else None.
        lengths: string lengths for string and categorical columns, else None.
        distinct: distinct non-null values, for every kind with a frequency table, else None.
        top_values: the TOP_VALUES most frequent values (ties broken by value), from `frequencies`.
        frequencies: the frequency table for string, categorical, boolean and integer columns; None when the
            column has too many distinct values to keep one (see the module docstring).
        sketch: mergeable state; see ColumnSketch.
    """

    name: str
    dtype: str
    kind: str
    count: int
    null_count: int
    numeric: NumericStats | None = None
    temporal: TemporalRange | None = None
    lengths: LengthStats | None = None
    distinct: Distinct | None = None
    top_values: tuple[ValueCount, ...] = ()
    frequencies: Frequencies | None = None
    sketch: ColumnSketch = field(default_factory=ColumnSketch)

    @property
    def num_rows(self) -> int:
        return self.count + self.null_count

    @property
    def null_fraction(self) -> float:
        return self.null_count / self.num_rows if self.num_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "kind": self.kind,
            "count": self.count,
            "null_count": self.null_count,
            "numeric": self.numeric.to_dict() if self.numeric else None,
            "temporal": self.temporal.to_dict() if self.temporal else None,
            "lengths": self.lengths.to_dict() if self.lengths else None,
            "distinct": self.distinct.to_dict() if self.distinct else None,
            "top_values": [v.to_dict() for v in self.top_values],
            "frequencies": self.frequencies.to_dict() if self.frequencies else None,
            "sketch": self.sketch.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnStats:
        def optional(key: str, kind: Any) -> Any:
            value = data.get(key)
            return kind.from_dict(value) if value is not None else None

        return cls(
            name=data["name"],
            dtype=data["dtype"],
            kind=data["kind"],
            count=int(data["count"]),
            null_count=int(data["null_count"]),
            numeric=optional("numeric", NumericStats),
            temporal=optional("temporal", TemporalRange),
            lengths=optional("lengths", LengthStats),
            distinct=optional("distinct", Distinct),
            top_values=tuple(ValueCount.from_dict(v) for v in data.get("top_values", [])),
            frequencies=optional("frequencies", Frequencies),
            sketch=ColumnSketch.from_dict(data.get("sketch") or {}),
        )


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One input that the statistics cover: its path (or "<memory>"), format and row count; for a CSV, the
    blank lines skipped (not rows) and whether the spaces after the delimiter were stripped."""

    path: str
    format: str
    rows: int
    blank_lines: int = 0
    stripped_whitespace: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "format": self.format, "rows": self.rows}
        # Written only when they say something, so that files without either read as before.
        if self.blank_lines:
            out["blank_lines"] = self.blank_lines
        if self.stripped_whitespace:
            out["stripped_whitespace"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceInfo:
        return cls(str(data["path"]), str(data["format"]), int(data["rows"]), int(data.get("blank_lines", 0)),
                   bool(data.get("stripped_whitespace", False)))


@dataclass(frozen=True, slots=True)
class Statistics:
    """Statistics of a dataset: its row count, the sources read, and one ColumnStats per column in input order."""

    num_rows: int
    columns: tuple[ColumnStats, ...]
    sources: tuple[SourceInfo, ...] = ()
    #: Statistics per slice, one Slicing per `--slice` (see Slicing); empty when the data was not sliced.
    slicings: tuple[Slicing, ...] = ()
    #: Features against the label (`--label`, datacheck.lift); None without one. Not kept by merges.
    labels: LabelStats | None = None

    def column(self, name: str) -> ColumnStats | None:
        """The statistics of column `name`, or None when the dataset has no such column."""
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def _repr_html_(self) -> str:
        """The HTML statistics report, inline in a notebook cell (datacheck.notebook)."""
        # By name, as the render registry loads its modules: datacheck.notebook refers to this module's types.
        return importlib.import_module("datacheck.notebook").statistics_cell(self)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "format": STATISTICS_FORMAT,
            "version": STATISTICS_VERSION,
            "num_rows": self.num_rows,
            "sources": [s.to_dict() for s in self.sources],
            "columns": [c.to_dict() for c in self.columns],
        }
        if self.slicings:  # written only when sliced, so that unsliced files read as before
            out["slicings"] = [s.to_dict() for s in self.slicings]
        if self.labels is not None:
            out["labels"] = self.labels.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statistics:
        return cls(
            num_rows=int(data["num_rows"]),
            columns=tuple(ColumnStats.from_dict(c) for c in data["columns"]),
            sources=tuple(SourceInfo.from_dict(s) for s in data.get("sources", [])),
            slicings=tuple(Slicing.from_dict(s) for s in data.get("slicings", [])),
            labels=LabelStats.from_dict(data["labels"]) if data.get("labels") is not None else None,
        )


# ------------------------------------------------------------------------------------------------ slices


@dataclass(frozen=True, slots=True)
class SliceStats:
    """The statistics of one slice: the rows whose slice columns hold `key`.

    Fields:
        key: the values of the slice columns, as text (as frequency tables store values), None for null;
            () for the pooled "other" slice.
        statistics: the slice's statistics (no sources); its num_rows is the slice's row count.
    """

    key: tuple[str | None, ...]
    statistics: Statistics

    @property
    def rows(self) -> int:
        return self.statistics.num_rows

    def to_dict(self) -> dict[str, Any]:
        return {"key": list(self.key), "rows": self.rows,
                "columns": [c.to_dict() for c in self.statistics.columns]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SliceStats:
        columns = tuple(ColumnStats.from_dict(c) for c in data["columns"])
        return cls(tuple(data["key"]), Statistics(int(data["rows"]), columns))


@dataclass(frozen=True, slots=True)
class Slicing:
    """Statistics per slice of one slicing (one column, or two crossed): `datacheck stats --slice`.

    Fields:
        columns: the slice columns (one, or two crossed).
        max_slices: at most this many slices are kept apart; the rest are pooled in `other`.
        slices: the slices kept apart, most rows first (ties by key).
        other: the pooled rest, or None when nothing was pooled.
        pooled: the keys pooled in `other` with their exact row counts, most rows first (ties by key).
        pooled_complete: `pooled` lists every pooled key; False once more keys were pooled than are listed.
    """

    columns: tuple[str, ...]
    max_slices: int
    slices: tuple[SliceStats, ...]
    other: SliceStats | None = None
    pooled: tuple[tuple[tuple[str | None, ...], int], ...] = ()
    pooled_complete: bool = True

    @property
    def name(self) -> str:
        return ",".join(self.columns)

    def slice(self, key: tuple[str | None, ...]) -> SliceStats | None:
        """The slice kept apart for `key`, or None."""
        for item in self.slices:
            if item.key == key:
                return item
        return None

    def to_dict(self) -> dict[str, Any]:
        other = None
        if self.other is not None:
            other = {**self.other.to_dict(), "keys": [{"key": list(k), "rows": n} for k, n in self.pooled],
                     "keys_complete": self.pooled_complete}
            del other["key"]
        return {"columns": list(self.columns), "max_slices": self.max_slices,
                "slices": [s.to_dict() for s in self.slices], "other": other}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Slicing:
        raw = data.get("other")
        other = SliceStats.from_dict({**raw, "key": []}) if raw is not None else None
        pooled = tuple((tuple(k["key"]), int(k["rows"])) for k in raw["keys"]) if raw is not None else ()
        return cls(tuple(data["columns"]), int(data["max_slices"]),
                   tuple(SliceStats.from_dict(s) for s in data["slices"]), other, pooled,
                   bool(raw["keys_complete"]) if raw is not None else True)


__all__ = [
    "Statistics", "ColumnStats", "NumericStats", "Histogram", "ValueCount", "Quantile", "LengthStats",
    "Distinct", "Frequencies", "TemporalRange", "ColumnSketch", "SourceInfo", "SliceStats", "Slicing",
    "QUANTILE_PROBABILITIES", "HISTOGRAM_BUCKETS", "TOP_VALUES", "FREQUENCY_CAPACITY", "KINDS",
    "column_kind", "temporal_unit", "temporal_text",
]
