"""TFDV statistics (a `DatasetFeatureStatisticsList` proto) <-> datacheck `Statistics`.

`load_tfdv_statistics` reads the binary proto (`FeatureStats.pb`), its text format (`.pbtxt`) or the TFRecord
file older StatisticsGen versions wrote, into `Statistics`, so that `drift` and `validate --baseline` run
against TFDV baselines. `statistics_to_tfdv` writes ours as the proto, for Facets Overview and
`tfdv.visualize_statistics`.

What maps exactly and what approximately (docs/tfdv.md has the table):

- exact: the row count (`num_examples`), non-null values (`tot_num_values` of a feature with at most one value
  per example: TFX reads an empty CSV cell as a present feature with no value), nulls (rows - values), mean,
  std_dev, min, max, num_zeros, the NaN count of the histograms, `unique`, the counts of the values in
  `rank_histogram`/`top_values`, `avg_length`.
- approximate: quantiles (TFDV's QUANTILES histogram is a sketch of 10 buckets; we read its boundaries as the
  quantiles at 0, 0.1, ..., 1 and build our quantile summary from it with a rank error of one bucket), the
  equal-width histogram (TFDV's STANDARD one, counts rounded), the count of negative values (interpolated from
  the histogram when min < 0), and string length min/max (TFDV keeps only the mean).
- a dataset list with several datasets (slices) is read from its first dataset (TFDV's "All Examples").
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from datacheck.errors import InputError
from datacheck.sketches import QuantileSketch
from datacheck.statistics import (
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
    ValueCount,
)
from datacheck.tfdv_proto import modules, parse, read_bytes
from datacheck.tfrecord import is_tfrecord, read_records

#: File names that are TFDV statistics when given as DATA: the suffixes, and the names StatisticsGen writes.
SUFFIXES = (".pb", ".pbtxt", ".tfrecord")
NAMES = ("featurestats", "stats_tfrecord")
#: TFDV's QUANTILES histograms have 10 equal-count buckets; ours are written the same way.
QUANTILE_BUCKETS = 10
_DTYPES = {"INT": "Int64", "FLOAT": "Float64", "STRING": "String", "BYTES": "Binary", "STRUCT": "Struct"}


def is_tfdv_statistics_file(path: str) -> bool:
    """Whether DATA `path` names a TFDV statistics file: a .pb/.pbtxt/.tfrecord file, or StatisticsGen's
    FeatureStats*/stats_tfrecord* file."""
    if not os.path.isfile(path):
        return False
    base = os.path.basename(path).lower()
    return base.endswith(SUFFIXES) or base.startswith(NAMES)


def load_tfdv_statistics(path: str | os.PathLike[str]) -> Statistics:
    """Read a TFDV `DatasetFeatureStatisticsList` file (binary, text format or TFRecord) as Statistics.

    Raises:
        UsageError: tensorflow-metadata is not installed.
        InputError: the file is missing, corrupted, or not a statistics list.

    Example:
        >>> load_tfdv_statistics("FeatureStats.pb").num_rows  # doctest: +SKIP
        10036
    """
    _, statistics_pb2 = modules()
    name = str(path)
    data = read_bytes(path)
    proto = statistics_pb2.DatasetFeatureStatisticsList()
    if is_tfrecord(data[:12]):
        records = list(read_records(data, name))
        if len(records) != 1:
            raise InputError(f"a TFRecord statistics file holds one record, this one {len(records)}", path=name)
        parse(proto, records[0], name, text=False)
    else:
        parse(proto, data, name)
    if not proto.datasets:
        raise InputError("the statistics list holds no dataset", path=name,
                         hint="give a FeatureStats.pb written by StatisticsGen or tfdv.generate_statistics_*")
    return statistics_from_tfdv(proto.datasets[0], name)


def statistics_from_tfdv(dataset: Any, source: str = "<memory>") -> Statistics:
    """One `DatasetFeatureStatistics` proto as Statistics (see the module docstring for what is exact)."""
    rows = int(dataset.num_examples)
    columns = tuple(_column(feature, rows) for feature in dataset.features)
    return Statistics(rows, columns, (SourceInfo(source, "tfdv", rows),))


def _feature_name(feature: Any) -> str:
    return ".".join(feature.path.step) if feature.HasField("path") else str(feature.name)


def _counts(common: Any, rows: int) -> tuple[int, int]:
    """(non-null values, nulls). A feature with at most one value per example has tot_num_values values; an
    example with zero values (an empty CSV cell in TFX) or without the feature is null."""
    count = int(common.tot_num_values) if common.max_num_values <= 1 else int(common.num_non_missing)
    return count, max(rows - count, 0)


def _column(feature: Any, rows: int) -> ColumnStats:
    name = _feature_name(feature)
    type_name = feature.DESCRIPTOR.fields_by_name["type"].enum_type.values_by_number[feature.type].name
    dtype = _DTYPES.get(type_name, "String")
    which = feature.WhichOneof("stats")
    if which == "num_stats":
        count, nulls = _counts(feature.num_stats.common_stats, rows)
        numeric, sketch = _numeric(feature.num_stats, count, integral=type_name == "INT")
        return ColumnStats(name, dtype, "numeric", count, nulls, numeric=numeric, sketch=sketch)
    if which == "string_stats":
        stats = feature.string_stats
        count, nulls = _counts(stats.common_stats, rows)
        frequencies = _frequencies(stats, count)
        return ColumnStats(name, "String", "string", count, nulls,
                           lengths=LengthStats(None, float(stats.avg_length) if count else None, None),
                           distinct=Distinct(int(stats.unique), True), top_values=frequencies.values[:TOP_VALUES],
                           frequencies=frequencies)
    common = getattr(feature, which).common_stats if which else None
    count, nulls = _counts(common, rows) if common is not None else (0, rows)
    kind = "nested" if which == "struct_stats" or dtype == "Struct" else "binary"
    return ColumnStats(name, dtype, kind, count, nulls)


def _histogram(stats: Any, kind: str) -> Any:
    for histogram in stats.histograms:
        type_name = histogram.DESCRIPTOR.fields_by_name["type"].enum_type.values_by_number[histogram.type].name
        if type_name == kind:
            return histogram
    return None


def _numeric(stats: Any, count: int, integral: bool) -> tuple[NumericStats, ColumnSketch]:
    standard = _histogram(stats, "STANDARD")
    quantile_hist = _histogram(stats, "QUANTILES")
    nan_count = int(standard.num_nan) if standard is not None else 0
    finite = max(count - nan_count, 0)
    has_values = finite > 0
    low, high = (float(stats.min), float(stats.max)) if has_values else (None, None)
    histogram = None
    if standard is not None and standard.buckets and has_values:
        edges = [float(standard.buckets[0].low_value)] + [float(b.high_value) for b in standard.buckets]
        histogram = Histogram(tuple(edges), tuple(int(round(b.sample_count)) for b in standard.buckets))
    quantiles: tuple[Quantile, ...] = ()
    sketch_text = None
    rank_error = 0.0
    if quantile_hist is not None and quantile_hist.buckets and has_values:
        buckets = list(quantile_hist.buckets)
        total = sum(b.sample_count for b in buckets) or 1.0
        points = [(0.0, float(buckets[0].low_value))]
        running = 0.0
        for bucket in buckets:
            running += bucket.sample_count
            points.append((round(running / total, 6), float(bucket.high_value)))
        quantiles = tuple(Quantile(q, v) for q, v in points)
        sketch = _sketch(buckets, finite)
        sketch_text = sketch.to_text()
        rank_error = sketch.normalized_rank_error()
    numeric = NumericStats(
        nan_count=nan_count, zero_count=int(stats.num_zeros), negative_count=_negatives(stats, standard, finite),
        integral=integral, min=low, max=high, mean=float(stats.mean) if has_values else None,
        std=float(stats.std_dev) if has_values else None, quantiles=quantiles, histogram=histogram,
        rank_error=rank_error)
    m2 = float(stats.std_dev) ** 2 * finite if has_values else 0.0
    return numeric, ColumnSketch(quantiles=sketch_text, m2=m2, finite_count=finite)


def _sketch(buckets: list[Any], finite: int) -> QuantileSketch:
    """Our quantile summary from TFDV's QUANTILES buckets.

    The inner bucket boundaries (the deciles, for TFDV's 10 buckets) carry the values between them, and the
    extremes one value each. Placing a bucket's weight at its middle instead made the top bucket of a skewed
    column ([q90, max] of taxi fares: [19, 700]) stand for values near 360, and the Wasserstein distance of
    two TFDV baselines of the same data then read 2.5 standard deviations. A value's rank is known to within
    one bucket, which is the summary's error.
    """
    if finite <= 2 or len(buckets) < 2:
        values = np.array([buckets[0].low_value, buckets[-1].high_value], dtype=np.float64)[:max(finite, 1)]
        weights = np.array([finite - finite // 2, finite // 2][:values.size], dtype=np.int64)
        return QuantileSketch(*_merge_equal(values, weights), float(finite))
    inner = np.array([b.high_value for b in buckets[:-1]], dtype=np.float64)
    share = np.array([b.sample_count for b in buckets[:-1]], dtype=np.float64)
    share = share / share.sum() if share.sum() > 0 else np.full(inner.size, 1.0 / inner.size)
    cumulative = np.round(np.cumsum(share) * (finite - 2)).astype(np.int64)
    weights = np.concatenate([[1], np.diff(np.concatenate([[0], cumulative])), [1]])
    values = np.concatenate([[buckets[0].low_value], inner, [buckets[-1].high_value]])
    error = float(np.ceil(finite / len(buckets)))
    return QuantileSketch(*_merge_equal(values, weights), error)


def _merge_equal(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Items with equal values (a heavy single value spans several buckets) as one item, without empty ones."""
    keep = weights > 0
    unique, inverse = np.unique(values[keep], return_inverse=True)
    merged = np.zeros(unique.size, dtype=np.int64)
    np.add.at(merged, inverse, weights[keep])
    return unique, merged


def _negatives(stats: Any, standard: Any, finite: int) -> int:
    if finite == 0 or stats.min >= 0:
        return 0
    if stats.max < 0:
        return finite
    total = 0.0
    for bucket in standard.buckets if standard is not None else ():
        if bucket.high_value <= 0:
            total += bucket.sample_count
        elif bucket.low_value < 0 < bucket.high_value:
            total += bucket.sample_count * (-bucket.low_value) / (bucket.high_value - bucket.low_value)
    return int(round(total))


def _frequencies(stats: Any, count: int) -> Frequencies:
    ranked = stats.rank_histogram.buckets
    pairs = [(b.label, int(round(b.sample_count))) for b in ranked] or \
            [(v.value, int(round(v.frequency))) for v in stats.top_values]
    pairs.sort(key=lambda pair: (-pair[1], pair[0]))
    complete = len(pairs) >= stats.unique
    # TFDV's counts of the listed values are exact; a value it did not list occurs at most as often as the
    # least frequent listed one, which is what a frequency table's `error` bounds.
    error = 0 if complete else (pairs[-1][1] if pairs else count)
    return Frequencies(tuple(ValueCount(v, c) for v, c in pairs), error, count)


# ------------------------------------------------------------------------------------------------ writing


def statistics_to_tfdv(statistics: Statistics, name: str = "All Examples") -> Any:
    """Our Statistics as a TFDV `DatasetFeatureStatisticsList` proto of one dataset.

    Every column is a feature with one value per non-null row (as TFX reads a CSV): `tot_num_values` and
    `num_non_missing` are our `count`, `num_missing` our `null_count`. Numeric and temporal columns (temporal
    ones in their physical unit) get `num_stats` with our mean, std, min, max, zeros, median, the equal-width
    histogram as STANDARD and the stored quantiles as QUANTILES buckets; the others `string_stats` with the
    distinct count, the frequency table as `top_values`/`rank_histogram` and the mean length.

    Raises:
        UsageError: tensorflow-metadata is not installed.
    """
    _, statistics_pb2 = modules()
    out = statistics_pb2.DatasetFeatureStatisticsList()
    dataset = out.datasets.add()
    dataset.name = name
    dataset.num_examples = statistics.num_rows
    for col in statistics.columns:
        feature = dataset.features.add()
        feature.path.step.append(col.name)
        if col.numeric is not None:
            whole = col.kind == "temporal" or col.dtype.startswith(("Int", "UInt"))
            types = statistics_pb2.FeatureNameStatistics
            feature.type = types.INT if whole else types.FLOAT
            _write_numeric(feature.num_stats, col, statistics_pb2)
        else:
            feature.type = statistics_pb2.FeatureNameStatistics.STRING
            _write_strings(feature.string_stats, col)
    return out


def _write_common(common: Any, col: ColumnStats) -> None:
    common.num_non_missing = col.count
    common.num_missing = col.null_count
    common.tot_num_values = col.count
    if col.count:
        common.min_num_values = 1
        common.max_num_values = 1
        common.avg_num_values = 1.0


def _write_numeric(stats: Any, col: ColumnStats, statistics_pb2: Any) -> None:
    numeric = col.numeric
    assert numeric is not None
    _write_common(stats.common_stats, col)
    for attr, value in (("mean", numeric.mean), ("std_dev", numeric.std), ("min", numeric.min),
                        ("max", numeric.max), ("median", numeric.quantile(0.5))):
        if value is not None:
            setattr(stats, attr, float(value))
    stats.num_zeros = numeric.zero_count
    kinds = statistics_pb2.Histogram
    if numeric.histogram is not None:
        histogram = stats.histograms.add()
        histogram.type = kinds.STANDARD
        histogram.num_nan = numeric.nan_count
        edges = numeric.histogram.edges
        for i, count in enumerate(numeric.histogram.counts):
            histogram.buckets.add(low_value=edges[i], high_value=edges[i + 1], sample_count=float(count))
    finite = col.count - numeric.nan_count - numeric.inf_count
    deciles = _deciles(col)
    if deciles and finite > 0:
        histogram = stats.histograms.add()
        histogram.type = kinds.QUANTILES
        histogram.num_nan = numeric.nan_count
        for low, high in zip(deciles, deciles[1:]):
            histogram.buckets.add(low_value=low, high_value=high, sample_count=finite / QUANTILE_BUCKETS)


def _deciles(col: ColumnStats) -> list[float]:
    """The QUANTILE_BUCKETS + 1 boundaries of equal-count buckets, as TFDV writes them: from our quantile
    summary when the statistics carry it, else interpolated between the stored quantiles. Equal buckets keep
    our files and TFDV's at the same resolution, so that drift between the two compares like with like."""
    numeric = col.numeric
    assert numeric is not None
    ranks = [i / QUANTILE_BUCKETS for i in range(QUANTILE_BUCKETS + 1)]
    if col.sketch.quantiles:
        sketch = QuantileSketch.from_text(col.sketch.quantiles)
        if not sketch.is_empty():
            values = sketch.get_quantiles(ranks)
            values[0], values[-1] = sketch.get_min_value(), sketch.get_max_value()
            return [float(v) for v in values]
    points = sorted(numeric.quantiles, key=lambda item: item.q)
    if len(points) < 2:
        return []
    return [float(v) for v in np.interp(ranks, [p.q for p in points], [p.value for p in points])]


def _write_strings(stats: Any, col: ColumnStats) -> None:
    _write_common(stats.common_stats, col)
    if col.distinct is not None:
        stats.unique = col.distinct.count
    table = col.frequencies.values if col.frequencies is not None else col.top_values
    for rank, item in enumerate(table):
        stats.rank_histogram.buckets.add(low_rank=rank, high_rank=rank, label=item.value,
                                         sample_count=float(item.count))
    for item in col.top_values:
        stats.top_values.add(value=item.value, frequency=float(item.count))
    if col.lengths is not None and col.lengths.mean is not None:
        stats.avg_length = float(col.lengths.mean)


def tfdv_statistics_text(statistics: Statistics) -> str:
    """Our statistics as a TFDV statistics list in text format (what `stats --format tfdv` writes)."""
    from google.protobuf import text_format

    return str(text_format.MessageToString(statistics_to_tfdv(statistics)))


def tfdv_statistics_bytes(statistics: Statistics) -> bytes:
    """Our statistics as a binary TFDV statistics list (what `stats --format tfdv -o stats.pb` writes, and
    `tfdv.load_statistics` reads)."""
    return bytes(statistics_to_tfdv(statistics).SerializeToString(deterministic=True))


__all__ = ["SUFFIXES", "NAMES", "is_tfdv_statistics_file", "load_tfdv_statistics", "statistics_from_tfdv",
           "statistics_to_tfdv", "tfdv_statistics_text", "tfdv_statistics_bytes"]
