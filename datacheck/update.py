"""Relax a schema just enough to accept new data, as TFDV's `update_schema` does.

`update_schema(schema, stats)` looks at the statistics of a new batch that a person has judged legitimate and
returns a schema that accepts it, plus one line per change:

- a column new in the data is added, inferred from its statistics (`datacheck.infer`);
- a required column the data lacks is marked not required;
- a type the data no longer fits is replaced by the data's type (integer widens to float when that suffices);
- null bounds are raised to the observed share (error bound with the inference's margin);
- unseen domain values are added to the domain;
- ranges (error and warning bounds) and length bounds are widened to the observed extremes;
- NaN and infinity are allowed when they appear;
- uniqueness is dropped when the statistics prove duplicates;
- a pattern that exact statistics prove broken is removed;
- dataset row-count bounds are widened to the observed row count.

Everything else (severity overrides, drift settings, environments, descriptions) is kept as it is.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

from datacheck.checks.dtypes import actual_type, type_compatible
from datacheck.checks.wording import ceil_fraction
from datacheck.schema import ISO_RANGE_TYPES, ColumnSchema, Domain, LengthBounds, Range, Schema, parse_iso
from datacheck.statistics import ColumnStats, Statistics


def update_schema(schema: Schema, stats: Statistics) -> tuple[Schema, list[str]]:
    """Relax `schema` so that data with these statistics passes; returns (new schema, changes).

    Example:
        >>> import polars as pl, datacheck
        >>> old = datacheck.infer_schema(datacheck.profile(pl.DataFrame({"x": [1, 2, 3]})))
        >>> new, changes = update_schema(old, datacheck.profile(pl.DataFrame({"x": [1, 2, 3, 10]})))
        >>> any("warn_max" in c for c in changes)
        True
    """
    changes: list[str] = []
    columns: list[ColumnSchema] = []
    for spec in schema.columns:
        col = stats.column(spec.name)
        if col is None:
            if spec.required:
                columns.append(dataclasses.replace(spec, required=False))
                changes.append(f"columns[{spec.name}].required: true -> false (the column is missing from the data)")
            else:
                columns.append(spec)
            continue
        columns.append(_update_column(spec, col, changes))
    new_columns = [c for c in stats.columns if schema.column(c.name) is None]
    if new_columns:
        from datacheck.infer import infer_schema

        inferred = infer_schema(Statistics(stats.num_rows, tuple(new_columns)))
        for spec in inferred.columns:
            columns.append(spec)
            changes.append(f"columns[{spec.name}]: added as {spec.type} (new in the data)")
    dataset = schema.dataset
    rows = stats.num_rows
    if dataset.min_rows is not None and rows < dataset.min_rows:
        changes.append(f"dataset.min_rows: {dataset.min_rows} -> {rows}")
        dataset = dataclasses.replace(dataset, min_rows=rows)
    if dataset.max_rows is not None and rows > dataset.max_rows:
        changes.append(f"dataset.max_rows: {dataset.max_rows} -> {rows}")
        dataset = dataclasses.replace(dataset, max_rows=rows)
    return dataclasses.replace(schema, columns=tuple(columns), dataset=dataset), changes


def _update_column(spec: ColumnSchema, col: ColumnStats, changes: list[str]) -> ColumnSchema:
    name = spec.name
    new = spec
    if col.num_rows == 0:
        return spec
    # Nulls.
    share = col.null_fraction
    if spec.max_null_fraction is not None and share > spec.max_null_fraction:
        value = ceil_fraction(share, 3)
        changes.append(f"columns[{name}].max_null_fraction: {spec.max_null_fraction} -> {value}")
        new = dataclasses.replace(new, max_null_fraction=value)
    if spec.warn_max_null_fraction is not None and share > spec.warn_max_null_fraction:
        value = ceil_fraction(share, 4)
        changes.append(f"columns[{name}].warn_max_null_fraction: {spec.warn_max_null_fraction} -> {value}")
        new = dataclasses.replace(new, warn_max_null_fraction=value)
    if col.count == 0:
        return new
    # Type.
    integral = col.numeric.integral if col.numeric is not None else None
    if not type_compatible(spec, col.dtype, col.kind, integral):
        observed = actual_type(col.dtype, col.kind)
        if spec.type == "integer" and observed == "float" and spec.stored_as is None:
            changes.append(f"columns[{name}].type: integer -> float")
            new = dataclasses.replace(new, type="float", allow_nan=col.numeric.nan_count > 0 if col.numeric else False,
                                      allow_inf=col.numeric.inf_count > 0 if col.numeric else False)
        else:
            from datacheck.infer import infer_schema

            inferred = infer_schema(Statistics(col.num_rows, (col,))).columns[0]
            inferred = dataclasses.replace(inferred, required=spec.required, severity=dict(spec.severity),
                                           description=spec.description,
                                           max_null_fraction=new.max_null_fraction,
                                           warn_max_null_fraction=new.warn_max_null_fraction)
            changes.append(f"columns[{name}].type: {_label(spec)} -> {_label(inferred)} (re-inferred from the data)")
            return inferred
    # NaN and infinity.
    if col.numeric is not None and new.type == "float":
        if col.numeric.nan_count and not new.allow_nan:
            changes.append(f"columns[{name}].allow_nan: false -> true")
            new = dataclasses.replace(new, allow_nan=True)
        if col.numeric.inf_count and not new.allow_inf:
            changes.append(f"columns[{name}].allow_inf: false -> true")
            new = dataclasses.replace(new, allow_inf=True)
    # Range.
    if new.range is not None:
        new = dataclasses.replace(new, range=_widen_range(new, col, changes))
    # Domain.
    if new.domain is not None and col.frequencies is not None:
        seen = set(new.domain.values)
        unseen = sorted(v.value for v in col.frequencies.values if v.value not in seen)
        if unseen:
            shown = ", ".join(f'"{v}"' for v in unseen[:10])
            shown += f" and {len(unseen) - 10} more" if len(unseen) > 10 else ""
            changes.append(f"columns[{name}].domain.values: added {shown}")
            new = dataclasses.replace(new, domain=Domain(tuple(sorted(seen | set(unseen))), new.domain.min_mass))
    # Length.
    if new.length is not None and col.lengths is not None and col.lengths.min is not None:
        new = dataclasses.replace(new, length=_widen_length(new, col, changes))
    # Pattern: only exact statistics can prove it broken.
    if new.pattern is not None and col.frequencies is not None and col.frequencies.error == 0:
        regex = re.compile(new.pattern)
        if any(not regex.search(v.value) for v in col.frequencies.values):
            changes.append(f"columns[{name}].pattern: removed ({new.pattern!r} does not match every value)")
            new = dataclasses.replace(new, pattern=None)
    # Uniqueness.
    if new.unique and col.distinct is not None and col.distinct.exact and col.distinct.count < col.count:
        changes.append(f"columns[{name}].unique: true -> false ({col.count - col.distinct.count} duplicates)")
        new = dataclasses.replace(new, unique=False)
    return new


def _widen_range(spec: ColumnSchema, col: ColumnStats, changes: list[str]) -> Range:
    rng = spec.range
    assert rng is not None
    low: Any
    high: Any
    if spec.type in ISO_RANGE_TYPES:
        if col.temporal is None or col.temporal.min is None:
            return rng
        low = parse_iso(spec.type, col.temporal.min)
        high = parse_iso(spec.type, col.temporal.max or col.temporal.min)
        to_text = lambda v: v.isoformat()  # noqa: E731
        compare = lambda text: parse_iso(spec.type, str(text))  # noqa: E731
    else:
        if col.numeric is None or col.numeric.min is None:
            return rng
        as_int = spec.type in ("integer", "duration")
        top = col.numeric.max if col.numeric.max is not None else col.numeric.min
        low = math.floor(col.numeric.min) if as_int else col.numeric.min
        high = math.ceil(top) if as_int else col.numeric.max
        to_text = lambda v: v  # noqa: E731
        compare = lambda v: v  # noqa: E731
    updates = {}
    for key, observed, side in (("min", low, "low"), ("max", high, "high"), ("warn_min", low, "low"),
                                ("warn_max", high, "high")):
        bound = getattr(rng, key)
        if bound is None or observed is None:
            continue
        limit = compare(bound)
        if limit is None:
            continue
        if (side == "low" and observed < limit) or (side == "high" and observed > limit):
            updates[key] = to_text(observed)
            changes.append(f"columns[{spec.name}].range.{key}: {bound} -> {to_text(observed)}")
    return dataclasses.replace(rng, **updates) if updates else rng


def _widen_length(spec: ColumnSchema, col: ColumnStats, changes: list[str]) -> LengthBounds:
    bounds = spec.length
    assert bounds is not None and col.lengths is not None
    updates = {}
    for key, observed, side in (("min", col.lengths.min, "low"), ("max", col.lengths.max, "high"),
                                ("warn_min", col.lengths.min, "low"), ("warn_max", col.lengths.max, "high")):
        bound = getattr(bounds, key)
        if bound is None or observed is None:
            continue
        if (side == "low" and observed < bound) or (side == "high" and observed > bound):
            updates[key] = observed
            changes.append(f"columns[{spec.name}].length.{key}: {bound} -> {observed}")
    return dataclasses.replace(bounds, **updates) if updates else bounds


def _label(spec: ColumnSchema) -> str:
    return f"{spec.type} (stored as {spec.stored_as})" if spec.stored_as else spec.type


__all__ = ["update_schema"]
