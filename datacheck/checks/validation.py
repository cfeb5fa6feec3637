"""(DATA or Statistics, Schema) -> Report: the orchestration of a validation.

How a validation runs:

1. From **data**, every check family's row tests (range, domain, length, pattern, NaN/inf, values that do
   not parse as the schema's type, uniqueness) are compiled into polars expressions. `RowChecks` evaluates
   them on every batch of the *same* scan that computes the statistics (`datacheck.engine.scan`), so the data
   is read once, and each finding gets exact counts and example values with their row numbers. Uniqueness
   keeps the key column of every batch and finds duplicates across all of them at the end.
2. From a saved **Statistics** file, each family judges from the statistics alone: presence, nulls, type,
   NaN/inf counts, ranges from min/max (with exact counts where the statistics hold them, and the in-range
   mass from the quantile summary), domains from exact frequency tables, lengths from min/max length,
   uniqueness from an exact distinct count, patterns against an exact frequency table. Checks they cannot
   answer are listed in the report as skipped, never silently passed.
3. The families of the registry (`datacheck.checks.registry.FAMILIES`) turn evidence into `Finding`s. Each has
   a stable code from `CATALOGUE`, a severity (the catalogue's default, or the column's override in the
   schema; "off" silences it), counts, fractions, examples and a `fix`: the schema edit, or the command,
   that accepts the change if it is legitimate.

Row numbers in examples are 0-based positions within their file, header not counted (row 0 is the first data
row), as polars and pandas count them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import polars as pl

from datacheck import engine as engines
from datacheck.checks.catalogue import CATALOGUE
from datacheck.checks.compiler import RowChecks
from datacheck.checks.dtypes import type_compatible
from datacheck.checks.example_keys import example_key
from datacheck.checks.family import CheckFamily, Context, FixNames, Needs
from datacheck.checks.freshness import parse_as_of
from datacheck.checks.model import Report, Summary, severity_rank
from datacheck.checks.plugins import load_plugins
from datacheck.checks.references import load_references
from datacheck.checks.registry import CHECK_ORDER, FAMILIES
from datacheck.checks.rows import RowEvidence
from datacheck.errors import SchemaFileError, UsageError
from datacheck.schema import ColumnSchema, Schema
from datacheck.sources import Dataset, ReadOptions, frame_from_object, resolve_paths
from datacheck.statistics import ColumnStats, Statistics


def validate(data_or_stats: Any, schema: Schema | str | os.PathLike[str], *, env: str | None = None,
             baseline: Any = None, max_examples: int = 5, options: Any = None, progress: Any = None,
             schema_path: str | None = None, engine: str = "local", scheduler: str | None = None,
             workers: int | None = None, as_of: Any = None) -> Report:
    """Validate data (or its saved statistics) against a schema.

    Args, Returns and Raises: as `validate_with_statistics`, which also returns the statistics of the scan.

    Example:
        >>> import polars as pl, datacheck
        >>> df = pl.DataFrame({"x": [1, 2, 3]})
        >>> datacheck.validate(df, datacheck.infer_schema(datacheck.profile(df))).passed
        True
    """
    report, _ = validate_with_statistics(data_or_stats, schema, env=env, baseline=baseline, max_examples=max_examples,
                                         options=options, progress=progress, schema_path=schema_path,
                                         engine=engine, scheduler=scheduler, workers=workers, as_of=as_of)
    return report


def validate_with_statistics(data_or_stats: Any, schema: Schema | str | os.PathLike[str], *, env: str | None = None,
                             baseline: Any = None,
                             max_examples: int = 5, options: Any = None, progress: Any = None,
                             schema_path: str | None = None, engine: str = "local", scheduler: str | None = None,
                             workers: int | None = None, as_of: Any = None) -> tuple[Report, Statistics]:
    """Validate data (or its saved statistics) against a schema; also return the statistics of the one scan.

    Args:
        data_or_stats: a path, a list of paths (files, directories, globs), a saved statistics file, a
            `Statistics`, or an in-memory polars/pandas/pyarrow table.
        schema: the Schema, or the path of a schema file (loaded with `Schema.load`).
        env: the environment whose expected columns apply (default: the schema's default_environment).
        baseline: earlier data or Statistics: enables the row-count change and drift checks.
        max_examples: the most example values per finding.
        options: `ReadOptions` for reading paths (empty inputs are always accepted and reported as
            `empty_dataset`).
        progress: called with the rows of each batch as it is scanned.
        schema_path: the schema file's name, used in the `fix` commands (default "schema.json").
        engine: "local" (one scan per file, in order), or "threads", "processes" or "dask": the same one-scan
            validation, run per partition (files and Parquet row-group runs) in parallel and merged in a tree,
            with the same findings, counts and examples as the local run (see `datacheck.engine`). Applies to
            paths; a saved statistics file is validated as it is, whatever the engine.
        scheduler, workers: a Dask scheduler address (engine "dask"), and the processes or threads to use;
            see `datacheck.engine.scan_partitioned`.
        as_of: the moment freshness is judged against (a datetime or ISO 8601 text; without a time zone: UTC);
            None: now.

    Returns:
        (Report, Statistics): `report.passed` is False when any finding is an error; the statistics are those
        computed in the same scan (the HTML report shows them beside the findings).

    Raises:
        InputError: the data or the baseline cannot be read. UsageError: `env` is not in the schema.
        SchemaFileError: a pattern that polars' regex engine cannot compile.

    Example:
        >>> import polars as pl, datacheck
        >>> df = pl.DataFrame({"x": [1, 2, 3]})
        >>> datacheck.validate(df, datacheck.infer_schema(datacheck.profile(df))).passed
        True
    """
    run = prepare(schema, schema_path, env, options, as_of)
    engines.check_engine_options(engine, scheduler, workers)
    options = replace(options or ReadOptions(), allow_empty=True)
    stats, rows = _scan(data_or_stats, run.schema, options, max_examples, progress, engine, scheduler, workers,
                        run.references, run.families)
    base_stats = None
    if baseline is not None:
        from datacheck.profile import profile

        # An empty baseline is an input error (exit 2), not a baseline of zero rows to compare against.
        base_stats = (baseline if isinstance(baseline, Statistics)
                      else profile(baseline, replace(options, allow_empty=False)))
    names = FixNames(schema=run.schema_path or "schema.json", data=_data_name(stats))
    return judge(run.context(stats, base_stats, names, max_examples), rows, run.families), stats


@dataclass(frozen=True)
class Prepared:
    """What a validation needs before it scans: the loaded schema, the moment freshness is judged against, the
    reference keys read once, and the families to run (the registry's and the schema's plug-ins)."""

    schema: Schema
    schema_path: str | None
    env: str | None
    as_of: Any
    references: Mapping[str, pl.Series]
    families: tuple[CheckFamily, ...]
    catalogue: Mapping[str, Any]

    def context(self, stats: Statistics, base_stats: Statistics | None, names: FixNames,
                max_examples: int) -> Context:
        ctx = Context(stats, self.schema, self.env, base_stats, names, max_examples, self.catalogue)
        ctx.as_of, ctx.references = self.as_of, self.references
        return ctx


def prepare(schema: Schema | str | os.PathLike[str], schema_path: str | None, env: str | None,
            options: ReadOptions | None, as_of: Any) -> Prepared:
    """Load and check the schema and everything it names, before any scan: an unknown environment, a bad
    pattern, an unknown plug-in or an unreadable reference stops here (exit 2), not after reading the data."""
    if isinstance(schema, (str, os.PathLike)):  # a schema file's path, as the CLI takes it
        schema_path = schema_path or os.fspath(schema)
        schema = Schema.load(os.fspath(schema))
    if not isinstance(schema, Schema):
        raise UsageError(f"schema must be a Schema or a schema file's path, not {type(schema).__name__}",
                         hint="load one with datacheck.Schema.load('schema.json')")
    schema.expected_columns(env)
    _check_patterns(schema)
    moment = parse_as_of(as_of)
    references = load_references(schema, schema_path, options) if any(c.references for c in schema.columns) else {}
    plugins = load_plugins(schema)
    catalogue = {**CATALOGUE, **{e.code: e for f in plugins for e in f.entries}}
    return Prepared(schema, schema_path, env, moment, references, FAMILIES + plugins, catalogue)


def _scan(data: Any, schema: Schema, options: ReadOptions, max_examples: int, progress: Any, engine: str,
          scheduler: str | None, workers: int | None,
          references: Mapping[str, pl.Series] | None = None,
          families: tuple[CheckFamily, ...] = FAMILIES) -> tuple[Statistics, RowChecks | None]:
    """The statistics of the data and the row checks' tallies, from one scan; no tallies for saved statistics."""
    if isinstance(data, Statistics):
        return data, None
    target = resolve_paths(data, options)
    if isinstance(target, Statistics):
        return target, None
    observer = partial(RowChecks, schema, max_examples, references, families, example_key(schema, target))
    if isinstance(target, Dataset):
        dataset = replace(target, options=replace(target.options, allow_empty=True))
        stats, rows = engines.scan(dataset, engine=engine, scheduler=scheduler, workers=workers, progress=progress,
                                   observer=observer, sources_by_file=True)
    elif engine != "local":
        raise UsageError(f"--engine {engine} validates files (paths, directories, globs), not an in-memory table",
                         hint="write the table to Parquet files first, or use engine='local'")
    else:
        stats, rows = engines.scan_frame(frame_from_object(target), observer=observer, progress=progress)
    assert isinstance(rows, RowChecks)
    return stats, rows


def judge(ctx: Context, rows: RowEvidence | None, families: tuple[CheckFamily, ...] = FAMILIES) -> Report:
    """Run every family of the registry on the context's statistics (and the scan's tallies, if any): the one
    place that chooses between a family's two back-ends.

    Dataset families judge once; column families judge each column of the schema that the data holds and
    that got as far as the family needs (rows, a non-null value, the schema's type).
    """
    for family in families:
        family.judge_dataset(ctx)
        family.judge_frame(ctx, rows)
    for spec in ctx.schema.columns:
        col = ctx.stats.column(spec.name)
        if col is None:
            continue
        reached = _reached(spec, col)
        for family in families:
            if family.needs > reached:
                continue
            if rows is not None:
                family.judge_rows(ctx, spec, col, rows)
            else:
                family.judge_statistics(ctx, spec, col)
    return report(ctx, from_statistics=rows is None)


def _reached(spec: ColumnSchema, col: ColumnStats) -> int:
    """How far a column got: 0 (no rows), ROWS, VALUES (a non-null value) or TYPE (of the schema's type)."""
    if col.num_rows == 0:
        return 0
    if col.count == 0:
        return Needs.ROWS
    integral = col.numeric.integral if col.numeric is not None else None
    if not type_compatible(spec, col.dtype, col.kind, integral):
        return Needs.VALUES
    return Needs.TYPE


def report(ctx: Context, from_statistics: bool = False) -> Report:
    """The Report of a judged context: findings errors first, then by column and code; checks by column.

    `from_statistics` says that the input was saved statistics (no scan, fewer checks, no examples).
    """
    order = {name: i for i, name in enumerate(ctx.schema.column_names)}
    extra = {name: i for i, name in enumerate(ctx.stats.column_names)}
    codes = {code: i for i, code in enumerate(ctx.catalogue)}

    def column_key(name: str | None) -> tuple[int, int]:
        if name is None:
            return (0, 0)
        if name in order:
            return (1, order[name])
        return (2, extra.get(name, 0))

    findings = sorted(ctx.findings, key=lambda f: (-severity_rank(f.severity), column_key(f.column), codes[f.code]))
    order_of = {check: i for i, check in enumerate(CHECK_ORDER)}  # plug-in checks last, by name
    checks = sorted(ctx.checks.values(), key=lambda c: (column_key(c.column), order_of.get(c.check, len(order_of)),
                                                        c.check))
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    summary = Summary(rows=ctx.stats.num_rows, columns=len(ctx.stats.columns), errors=errors, warnings=warnings,
                      checks=sum(1 for c in checks if c.status != "skipped"),
                      failed=sum(1 for c in checks if c.status == "failed"),
                      skipped=sum(1 for c in checks if c.status == "skipped"),
                      environment=ctx.env if ctx.env is not None else ctx.schema.default_environment,
                      from_statistics=from_statistics,
                      baseline_rows=ctx.baseline.num_rows if ctx.baseline is not None else None)
    sources = tuple(s.path for s in ctx.stats.sources)
    return Report(errors == 0, tuple(findings), summary, tuple(checks), sources)


def _check_patterns(schema: Schema) -> None:
    for spec in schema.columns:
        if spec.pattern is None:
            continue
        try:
            pl.Series([""], dtype=pl.String).str.contains(spec.pattern)
        except pl.exceptions.PolarsError as exc:
            raise SchemaFileError(f"columns[{spec.name}].pattern {spec.pattern!r} is not a regular expression that "
                                  f"polars accepts: {str(exc).splitlines()[0]}",
                                  hint="polars uses Rust regex syntax: no look-around, no backreferences") from None


def _data_name(stats: Statistics) -> str:
    paths = [s.path for s in stats.sources if s.path != "<memory>"]
    if len(paths) == 1:
        return paths[0]
    return "DATA"


__all__ = ["judge", "report", "validate", "validate_with_statistics"]
