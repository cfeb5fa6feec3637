"""Features against the label (`datacheck stats --label COLUMN`): for each categorical feature's top values the
label's distribution given the value and its lift over the overall rate (TFDV's lift statistics), and for each
numeric feature the same per quantile bucket.

- A binary label (two classes: booleans, 0/1, two strings) and a multi-class one (up to MAX_CLASSES classes, the
  rest pooled as "(other)") give, per value, the share of each class and its lift: share given the value /
  overall share. A numeric label gives the label's mean per value and its lift: mean given the value / overall
  mean.
- Categorical features (strings, categoricals, booleans) are read at their TOP_VALUES most frequent values
  among the labelled rows; numeric and temporal features in BUCKETS quantile buckets ([low, high), the last
  closed), from exact quantiles of the labelled rows (ties can merge buckets).
- Rows whose label is null are left out, and so are a feature's null values.

Every figure is an exact count over the rows, from polars group-bys over the data (one query per feature,
run together): label statistics are not sketched, and they are not merged by `datacheck merge`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from datacheck.errors import UsageError
from datacheck.label_model import FeatureLabel, LabelRate, LabelStats
from datacheck.sources import Dataset, ReadOptions, frame_from_object, resolve_paths
from datacheck.statistics import TOP_VALUES, Statistics, column_kind, temporal_text

#: Quantile buckets of a numeric feature: deciles, as TFDV's default of 10 buckets.
BUCKETS = 10
#: Classes of a multi-class label shown apart; the rest are pooled as OTHER_CLASS.
MAX_CLASSES = 20
OTHER_CLASS = "(other)"
_LABEL = "\x00label"
_VALUE = "\x00value"


def label_statistics(data: Any, label: str, *, options: ReadOptions | None = None, top_values: int = TOP_VALUES,
                     buckets: int = BUCKETS) -> LabelStats:
    """Every feature of DATA against the label column `label`.

    Args:
        data: paths (files, directories, globs), a Dataset, or an in-memory table.
        label: the label column.
        top_values: values of a categorical feature reported (the most frequent ones).
        buckets: quantile buckets of a numeric feature.

    Raises:
        UsageError: no such column, a label of a kind that has no rate (lists, binary), no labelled rows,
            or saved statistics (they hold no rows).

    Example:
        >>> frame = pl.DataFrame({"y": [1, 0, 1, 1], "c": ["a", "a", "b", "b"]})
        >>> stats = label_statistics(frame, "y")
        >>> [(r.value, dict(r.rates)["1"]) for r in stats.feature("c").rates]
        [('a', 0.5), ('b', 1.0)]
    """
    lazy = _lazy(data, options)
    schema = lazy.collect_schema()
    if label not in schema:
        raise UsageError(f"no label column {label!r} in the data", hint=f"the columns are: {', '.join(schema)}")
    label_kind = column_kind(schema[label])
    if label_kind not in ("numeric", "string", "categorical", "boolean"):
        raise UsageError(f"--label {label}: a {label_kind} column has no rate", hint="pick a class or numeric column")
    labelled = lazy.filter(pl.col(label).is_not_null())
    kind, classes = _label_kind(labelled, label, schema[label])
    label_expr = _class_expr(label, schema[label], classes) if kind != "numeric" else pl.col(label).cast(pl.Float64)
    overall_frame = labelled.select(label_expr.alias(_LABEL)).collect()
    rows = overall_frame.height
    if rows == 0:
        raise UsageError(f"--label {label}: every label is null", hint="pick a column with labels")
    overall = _rates(overall_frame, kind, classes)
    features: list[FeatureLabel | None] = []
    for name, dtype in schema.items():
        if name == label:
            continue
        feature_kind = column_kind(dtype)
        if feature_kind in ("string", "categorical", "boolean"):
            features.append(_by_values(labelled, name, dtype, label_expr, kind, classes, overall, top_values))
        elif feature_kind in ("numeric", "temporal"):
            features.append(_by_buckets(labelled, name, dtype, label_expr, kind, classes, overall, buckets))
    return LabelStats(label, kind, rows, overall, tuple(f for f in features if f is not None))


def with_label_statistics(stats: Statistics, data: Any, label: str, options: ReadOptions | None = None) -> Statistics:
    """`stats` with the label statistics of DATA: what ``datacheck stats --label`` writes."""
    from dataclasses import replace

    return replace(stats, labels=label_statistics(data, label, options=options))


# ------------------------------------------------------------------------------------------------ label


def _label_kind(labelled: pl.LazyFrame, label: str, dtype: pl.DataType) -> tuple[str, tuple[str, ...]]:
    """(binary | multiclass | numeric, the classes as text, most frequent first, ties by value)."""
    counts = (labelled.group_by(_text(pl.col(label), dtype).alias("c")).len()
              .sort(["len", "c"], descending=[True, False]).collect())
    classes = tuple(str(c) for c in counts.get_column("c").to_list())
    if dtype.is_float() or (dtype.is_numeric() and len(classes) > MAX_CLASSES):
        return ("binary", tuple(sorted(classes))) if len(classes) == 2 else ("numeric", ())
    if len(classes) <= 2:
        return "binary", tuple(sorted(classes))
    if len(classes) > MAX_CLASSES:
        return "multiclass", classes[:MAX_CLASSES] + (OTHER_CLASS,)
    return "multiclass", classes


def _text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Values as text, as frequency tables write them (booleans as true/false)."""
    if dtype == pl.Boolean:
        return pl.when(expr).then(pl.lit("true")).otherwise(pl.lit("false"))
    return expr.cast(pl.String)


def _class_expr(label: str, dtype: pl.DataType, classes: Sequence[str]) -> pl.Expr:
    text = _text(pl.col(label), dtype)
    if OTHER_CLASS in classes:
        kept = [c for c in classes if c != OTHER_CLASS]
        return pl.when(text.is_in(kept)).then(text).otherwise(pl.lit(OTHER_CLASS))
    return text


def _rates(frame: pl.DataFrame, kind: str, classes: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """The label's overall rates (or mean) over `frame`'s _LABEL column."""
    if kind == "numeric":
        return (("mean", float(frame.get_column(_LABEL).mean() or 0.0)),)  # type: ignore[arg-type]
    counts = dict(frame.group_by(_LABEL).len().iter_rows())
    return tuple((c, counts.get(c, 0) / frame.height) for c in classes)


def _rate_row(value: str, rows: int, class_counts: dict[str, int], mean: float | None, kind: str,
              classes: Sequence[str], overall: Sequence[tuple[str, float]]) -> LabelRate:
    if kind == "numeric":
        base = overall[0][1]
        given = mean if mean is not None else 0.0
        return LabelRate(value, rows, (("mean", given),), (("mean", given / base if base else None),))
    rates = tuple((c, class_counts.get(c, 0) / rows) for c in classes)
    lifts = tuple((c, r / o if o else None) for (c, r), (_, o) in zip(rates, overall))
    return LabelRate(value, rows, rates, lifts)


def _per_value(frame: pl.LazyFrame, kind: str) -> pl.DataFrame:
    """Rows per (value, class), or rows and label mean per value (numeric label)."""
    if kind == "numeric":
        return frame.group_by(_VALUE).agg(pl.len().alias("n"), pl.col(_LABEL).mean().alias("mean")).collect()
    return frame.group_by(_VALUE, _LABEL).agg(pl.len().alias("n")).collect()


def _collect_rates(found: pl.DataFrame, order: Sequence[Any], names: Sequence[str], kind: str,
                   classes: Sequence[str], overall: Sequence[tuple[str, float]]) -> tuple[LabelRate, ...]:
    by_value: dict[Any, dict[str, int]] = {}
    means: dict[Any, float] = {}
    for row in found.iter_rows(named=True):
        if kind == "numeric":
            by_value[row[_VALUE]] = {"": int(row["n"])}
            means[row[_VALUE]] = float(row["mean"])
        else:
            by_value.setdefault(row[_VALUE], {})[str(row[_LABEL])] = int(row["n"])
    out = []
    for key, name in zip(order, names):
        counts = by_value.get(key, {})
        rows = sum(counts.values())
        if rows:
            out.append(_rate_row(name, rows, counts, means.get(key), kind, classes, overall))
    return tuple(out)


# ------------------------------------------------------------------------------------------------ features


def _by_values(labelled: pl.LazyFrame, name: str, dtype: pl.DataType, label_expr: pl.Expr, kind: str,
               classes: Sequence[str], overall: Sequence[tuple[str, float]], top_values: int) -> FeatureLabel:
    text = _text(pl.col(name), dtype).alias(_VALUE)
    present = labelled.filter(pl.col(name).is_not_null()).select(text, label_expr.alias(_LABEL))
    top = (present.group_by(_VALUE).len().sort(["len", _VALUE], descending=[True, False]).head(top_values)
           .collect().get_column(_VALUE).to_list())
    found = _per_value(present.filter(pl.col(_VALUE).is_in(top)), kind)
    return FeatureLabel(name, "values", _collect_rates(found, top, [str(v) for v in top], kind, classes, overall))


def _by_buckets(labelled: pl.LazyFrame, name: str, dtype: pl.DataType, label_expr: pl.Expr, kind: str,
                classes: Sequence[str], overall: Sequence[tuple[str, float]], buckets: int) -> FeatureLabel | None:
    values = pl.col(name).to_physical().cast(pl.Float64)
    present = labelled.filter(pl.col(name).is_not_null() & values.is_finite())
    qs = [i / buckets for i in range(buckets + 1)]
    edges_row = present.select([values.quantile(q, "nearest").alias(str(i)) for i, q in enumerate(qs)]).collect()
    raw = [edges_row.item(0, i) for i in range(len(qs))]
    if any(e is None for e in raw):
        return None
    edges = sorted(set(float(e) for e in raw))
    # Bucket i holds [edges[i], edges[i + 1]), the last also its upper edge: index = edges passed - 1.
    inner = edges[1:-1]
    index = pl.sum_horizontal([(values >= e).cast(pl.Int32) for e in inner]) if inner else pl.lit(0)
    found = _per_value(present.select(index.alias(_VALUE), label_expr.alias(_LABEL)), kind)
    count = max(1, len(edges) - 1)
    names = [_bucket_name(edges, i, dtype) for i in range(count)]
    return FeatureLabel(name, "buckets", _collect_rates(found, list(range(count)), names, kind, classes, overall))


def _bucket_name(edges: Sequence[float], i: int, dtype: pl.DataType) -> str:
    low = edges[i]
    high = edges[i + 1] if i + 1 < len(edges) else edges[i]
    last = i + 2 >= len(edges)

    def text(v: float) -> str:
        return (temporal_text(v, str(dtype)) or "") if dtype.is_temporal() else f"{v:.6g}"

    return f"[{text(low)}, {text(high)}{']' if last else ')'}"


def _lazy(data: Any, options: ReadOptions | None) -> pl.LazyFrame:
    target = resolve_paths(data, options)
    if isinstance(target, Statistics):
        raise UsageError("--label needs the data: saved statistics hold no rows", hint="pass the data files")
    if isinstance(target, Dataset):
        frames = [lazy for _, lazy, _ in target.frames_with_layout()]
        return pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    frame = frame_from_object(target)
    return frame.lazy() if isinstance(frame, pl.DataFrame) else frame


__all__ = ["BUCKETS", "MAX_CLASSES", "OTHER_CLASS", "label_statistics", "with_label_statistics"]
