"""References (foreign keys): every non-null value of a column exists in a column of other data.

`"references": {"data": ["customers.csv"], "column": "customer_id"}`. The reference data is read once, before
the scan, as its distinct keys only (`load_references`): any DATA datacheck reads (files, directories, globs,
several files), or a saved statistics file whose frequency table of that column is exact. The scan then
counts the rows whose value is not among the keys, with example rows.

Where the reference is read from: paths are relative to the schema file's directory and must stay inside it
(no absolute paths, no `..`, no URLs), so that a schema names only data that sits beside it. A schema is
data: this reads data, it never runs code (docs/rules.md, "Security").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import FrameTest, FrameWork, RowEvidence
from datacheck.checks.wording import plural, share
from datacheck.errors import SchemaFileError
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import Reference, reference_path_problem
from datacheck.sources import ReadOptions, resolve
from datacheck.statistics import ColumnStats, Statistics


def _key(column: str) -> str:
    return f"ref:{column}"


def load_references(schema: Schema, schema_path: str | os.PathLike[str] | None,
                    options: ReadOptions | None = None) -> dict[str, pl.Series]:
    """The distinct keys of every reference the schema names, by the referring column.

    Paths are resolved against the schema file's directory (the working directory for a schema built in
    Python) and must stay inside it.

    Raises:
        SchemaFileError: a path that is absolute, leaves the directory, or is a URL; a statistics file without
            an exact frequency table of the column; a reference column that the data does not have.
        InputError: the reference data cannot be read.
    """
    base = Path(schema_path).resolve().parent if schema_path is not None else Path.cwd()
    keys: dict[str, pl.Series] = {}
    for spec in schema.columns:
        if spec.references is not None:
            keys[spec.name] = _read_keys(spec, spec.references, base, options or ReadOptions())
    return keys


def _read_keys(spec: ColumnSchema, ref: Reference, base: Path, options: ReadOptions) -> pl.Series:
    where = f"columns[{spec.name}].references"
    paths = []
    for path in ref.data:
        problem = reference_path_problem(path)
        if problem is not None:
            raise SchemaFileError(f"{where}: {problem}")
        full = (base / path)
        if not str(full.resolve()).startswith(str(base) + os.sep) and full.resolve() != base:
            raise SchemaFileError(f"{where}: {path!r} leads outside the schema's directory (a symbolic link?)")
        paths.append(str(full))
    data = resolve(paths, options)
    if isinstance(data, Statistics):
        return _keys_from_statistics(data, ref, where)
    parts = []
    for data_file, frame in data.frames():
        if ref.column not in frame.collect_schema():
            raise SchemaFileError(f"{where}: {data_file.path} has no column {ref.column!r}")
        parts.append(frame.select(pl.col(ref.column).alias("key")).unique().collect())
    try:
        keys = pl.concat(parts, how="vertical_relaxed")
    except pl.exceptions.PolarsError:  # files that disagree on the type (integers here, text there): as text
        keys = pl.concat([part.cast(pl.String) for part in parts])
    return keys.get_column("key").drop_nulls().unique().sort()


def _keys_from_statistics(stats: Statistics, ref: Reference, where: str) -> pl.Series:
    col = stats.column(ref.column)
    if col is None:
        raise SchemaFileError(f"{where}: the statistics file has no column {ref.column!r}")
    if col.frequencies is None or col.frequencies.error != 0:
        raise SchemaFileError(f"{where}: the statistics of {ref.column!r} hold no exact frequency table (too many "
                              "distinct values)", hint="name the reference data itself instead of its statistics")
    return pl.Series("key", sorted(v.value for v in col.frequencies.values), dtype=pl.String)


def _as_comparable(column: str, dtype: pl.DataType, keys: pl.Series) -> tuple[pl.Expr, pl.Series]:
    """The column and the keys in one type: as they are when the types agree, else both as text (a statistics
    file's frequency table holds text: integers in decimal, booleans as true/false)."""
    col = pl.col(column)
    if keys.dtype == dtype:
        return col, keys
    if dtype.is_integer() and keys.dtype.is_integer():
        return col.cast(pl.Int64), keys.cast(pl.Int64)
    text = col.cast(pl.String)
    if dtype == pl.Boolean:
        text = pl.when(col).then(pl.lit("true")).when(col.not_()).then(pl.lit("false"))
    return text, keys.cast(pl.String)


class References(CheckFamily):
    """Values missing from the referenced data, counted in the scan or from an exact frequency table."""

    entries = (
        Anomaly("unknown_reference", "error", "reference", "Unknown reference",
                "A non-null value of a column with `references` is not among the values of the referenced "
                "data's column; gives the rows and example rows.",
                "load the missing {target} rows first, or correct the rows shown; if the reference data is "
                "incomplete on purpose remove columns[{column}].references"),
    )

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        tests = []
        for spec in schema.columns:
            keys = references.get(spec.name)
            if keys is None or spec.name not in batch_schema:
                continue
            value, comparable = _as_comparable(spec.name, batch_schema[spec.name], keys)
            tests.append(FrameTest(_key(spec.name), value.is_not_null() & ~value.is_in(comparable.implode()),
                                   (spec.name,)))
        return FrameWork(tests=tuple(tests))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.references is None or spec.name not in ctx.references:
            return
        tally = rows.frame_tally(_key(spec.name))
        examples = [Example(e.value[spec.name] if isinstance(e.value, dict) else e.value, e.row, e.file, key=e.key)
                    for e in tally.examples]
        _judge(ctx, spec, col, tally.count, examples)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.references is None or spec.name not in ctx.references:
            return
        if col.frequencies is None or col.frequencies.error != 0:
            ctx.skip(spec.name, "reference", "the statistics hold no exact frequency table of this column")
            return
        known = set(ctx.references[spec.name].cast(pl.String).to_list())
        unknown = [v for v in col.frequencies.values if v.value not in known]
        _judge(ctx, spec, col, sum(v.count for v in unknown), [Example(v.value, count=v.count) for v in unknown])


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, count: int, examples: list[Example]) -> None:
    ref = spec.references
    assert ref is not None
    ctx.ran(spec.name, "reference")
    if count == 0:
        return
    target = f"{', '.join(ref.data)} column {ref.column}"
    ctx.add(spec, "unknown_reference",
            f"{plural(count, 'value')} of {spec.name!r} not found in {target} "
            f"({len(ctx.references[spec.name]):,} keys)",
            observed={"unknown": count, "reference_keys": len(ctx.references[spec.name])},
            expected={"references": ref.to_dict()}, count=count, fraction=share(count, col.count),
            examples=examples, target=target)


FAMILY = References()
