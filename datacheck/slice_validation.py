"""Validation per slice (`datacheck validate --slice COLUMN`): the schema's column checks on every slice as well
as on the whole table, from the same one scan.

The whole table is validated exactly as without slices (row checks with exact counts and examples). Each slice
is then judged from its own statistics (`datacheck.slices`), by the same check families and bounds, the way a
saved statistics file is judged (`judge_statistics`): null shares, domain and range masses, unexpected values
from exact frequency tables, min/max against ranges, lengths. A finding of a slice names it (`Finding.slice`).

- Dataset-level checks (columns present, row counts) are the whole table's only.
- What the whole table reports (a check failing on a column, at that severity) is not repeated per slice:
  a slice's findings are what the aggregate hides.
- With a baseline that holds the same slicing, each slice is held to the schema relaxed to what the
  baseline's same slice showed: slices differ legitimately from the aggregate (on census, Asian-Pac-Islander
  rows have 5x the null native-country of the whole), and a schema inferred on the whole would flag them.
- A slice with fewer than `min_slice_rows` rows is not judged (see MIN_SLICE_ROWS); the report lists every
  slice with its rows and whether it was judged (`Report.slices`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from datacheck.checks.catalogue import CATALOGUE
from datacheck.checks.compiler import RowChecks
from datacheck.checks.example_keys import example_key
from datacheck.checks.family import Anomaly, CheckFamily, Context, FixNames
from datacheck.checks.model import Finding, Report, SliceVerdict, severity_rank
from datacheck.checks.registry import FAMILIES
from datacheck.checks.sampling import beyond_noise
from datacheck.checks.validation import judge, prepare
from datacheck.errors import UsageError
from datacheck.schema import Schema
from datacheck.slices import MAX_SLICES, key_text, scan_sliced
from datacheck.sources import ReadOptions, resolve_paths
from datacheck.statistics import Slicing, Statistics
from datacheck.update import update_schema

#: Slices with fewer rows are not judged. The share checks judge a slice against its own binomial noise
#: (`checks.sampling`), so a small slice raises no more false alarms per bound than a large one; what a small
#: slice lacks is power: at a typical inferred max_null_fraction of 1%, a slice of 100 rows must be 6% null
#: before the binomial tail drops below ALPHA (P(Bin(100, 0.01) >= 6) = 5e-4), and a slice of 30 rows 17%.
#: Below 100 rows the judgments that remain are the exact ones (min/max, unexpected values), which the whole
#: table already reports; so 100 keeps the power without repeating them for every tiny slice.
MIN_SLICE_ROWS = 100


def validate_sliced(data: Any, schema: Schema | str | os.PathLike[str], slicings: Sequence[tuple[str, ...]], *,
                    max_slices: int = MAX_SLICES, min_slice_rows: int = MIN_SLICE_ROWS, env: str | None = None,
                    baseline: Any = None, max_examples: int = 5, options: ReadOptions | None = None,
                    progress: Any = None, schema_path: str | None = None, engine: str = "local",
                    scheduler: str | None = None, workers: int | None = None,
                    as_of: Any = None) -> tuple[Report, Statistics]:
    """Validate DATA against a schema on the whole table and on every slice; return the report and the
    statistics (with their slicings) of the one scan.

    Args:
        data: paths or an in-memory table (saved statistics hold no rows to slice).
        schema: a Schema or the path of a schema file.
        slicings: from `datacheck.slices.parse_slices`; empty: the schema's `slices` setting. Saved statistics
            are judged by the slicings they hold (`datacheck stats --slice`).
        max_slices: slices kept apart per slicing (the rest are judged pooled, as "other").
        min_slice_rows: slices with fewer rows are listed but not judged.
        baseline: earlier data or statistics, as for `validate_with_statistics`; when it holds the same
            slicing (sliced statistics, or data, which is sliced here), each slice is held to the schema relaxed
            to what the baseline's same slice showed (`update_schema`), so that a slice that always differed
            from the aggregate (more nulls, a wider range) is not flagged for it.
        env, max_examples, options, progress, schema_path, engine, scheduler, workers, as_of: as
            `datacheck.checks.validate_with_statistics` (row rules, references and plug-ins judge the whole table).

    Raises:
        UsageError: no slice columns, a slice column the data lacks, min_slice_rows below 1, an unknown env.
    """
    if min_slice_rows < 1:
        raise UsageError(f"--min-slice-rows must be at least 1, got {min_slice_rows}")
    run = prepare(schema, schema_path, env, options, as_of)
    schema = run.schema
    explicit = bool(slicings)
    slicings = tuple(slicings) or schema_slicings(schema)
    options = replace(options or ReadOptions(), allow_empty=True)
    target = _resolved(data, options)
    rows: Any = None
    if isinstance(target, Statistics):
        # Saved statistics: their slicings are judged, as their whole table is, from statistics alone.
        stats = replace(target, slicings=tuple(s for s in target.slicings if s.columns in slicings))
        if explicit and len(stats.slicings) < len(slicings):
            raise UsageError("the statistics file holds no slices by "
                             + ", ".join(",".join(c) for c in slicings if c not in [s.columns for s in stats.slicings]),
                             hint="write it with 'datacheck stats DATA --slice COLUMN -o FILE', or validate the data")
    else:
        scanned = scan_sliced(target, slicings, max_slices=max_slices, options=options, engine=engine,
                              scheduler=scheduler, workers=workers, progress=progress, sources_by_file=True,
                              inner=partial(RowChecks, schema, max_examples, run.references, run.families,
                                            example_key(schema, target)))
        stats, rows = scanned.statistics, scanned.inner
    base_stats = None
    if baseline is not None:
        base_target = baseline if isinstance(baseline, Statistics) else _resolved(baseline, replace(
            options, allow_empty=False))
        base_stats = (base_target if isinstance(base_target, Statistics)
                      else scan_sliced(base_target, slicings, max_slices=max_slices,
                                       options=replace(options, allow_empty=False)).statistics)
    paths = [s.path for s in stats.sources if s.path != "<memory>"]
    names = FixNames(schema=run.schema_path or "schema.json", data=paths[0] if len(paths) == 1 else "DATA")
    whole = judge(run.context(stats, base_stats, names, max_examples), rows, run.families)
    findings = list(whole.findings)
    verdicts = _judge_slices(stats, whole, schema, env, names, base_stats, min_slice_rows, run.families,
                             run.catalogue, findings)
    findings.sort(key=lambda f: -severity_rank(f.severity))  # stable: errors first, whole table before slices
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    summary = replace(whole.summary, errors=errors, warnings=warnings)
    return replace(whole, passed=errors == 0, findings=tuple(findings), summary=summary,
                   slices=tuple(verdicts)), stats


def _judge_slices(stats: Statistics, whole: Report, schema: Schema, env: str | None, names: FixNames,
                  base_stats: Statistics | None, min_rows: int, families: tuple[CheckFamily, ...],
                  catalogue: Mapping[str, Anomaly], findings: list[Finding]) -> list[SliceVerdict]:
    """Judge every slice of every slicing, adding their findings to `findings`; the verdict of each slice."""
    # What the whole table already reports (a check failing on a column, at a severity) is not repeated for
    # each slice that shares it: a slice's findings are what the whole table hides. A slice's error on a
    # column where the whole table only warns is reported (the whole table's exact min/max warn of any stray
    # value; the slice can show that the strays are a broken feed).
    seen: dict[tuple[str | None, str], int] = {}
    for f in whole.findings:
        check = (f.column, catalogue[f.code].check)
        seen[check] = max(seen.get(check, 0), severity_rank(f.severity))
    verdicts: list[SliceVerdict] = []
    for slicing in stats.slicings:
        reference = _reference(base_stats, slicing.columns)
        for key, part in _slices(slicing):
            name = key_text(slicing.columns, key)
            if part.num_rows < min_rows:
                verdicts.append(SliceVerdict(slicing.name, name, part.num_rows, False))
                continue
            base_part = reference.get(key)
            held_to = update_schema(schema, base_part)[0] if base_part is not None else schema
            found = [f for f in judge_slice(part, held_to, env, names, name, slicing.columns, families, catalogue)
                     if severity_rank(f.severity) > seen.get((f.column, catalogue[f.code].check), 0)]
            findings.extend(found)
            verdicts.append(SliceVerdict(slicing.name, name, part.num_rows, True,
                                         sum(f.severity == "error" for f in found),
                                         sum(f.severity == "warning" for f in found)))
    return verdicts


def judge_slice(part: Statistics, schema: Schema, env: str | None, names: FixNames, name: str,
                slice_columns: Sequence[str] = (), families: tuple[CheckFamily, ...] = FAMILIES,
                catalogue: Mapping[str, Anomaly] = CATALOGUE) -> list[Finding]:
    """The column findings of one slice, judged from its statistics, each naming the slice. The slice columns
    are not judged: within a slice they hold one value by construction (all null in the null slice).

    A warning bound on the null share (warn_max_null_fraction: "more nulls than seen before") is judged as
    written on the whole table; a slice is judged against it beyond its binomial noise, as error bounds are:
    as written, every slice of a clean table under the bound by less than its noise would warn (15 warnings
    on the 2,000 clean rows of the sample loans, sliced by state and employment type).
    """
    ctx = Context(part, schema, env, None, names, 0, catalogue)
    judged = judge(ctx, None, families)
    kept = []
    for finding in judged.findings:
        if finding.column is None or finding.column in slice_columns:
            continue
        spec = schema.column(finding.column)
        if finding.code == "low_presence" and spec is not None and spec.warn_max_null_fraction is not None:
            col = part.column(finding.column)
            if col is None or not beyond_noise(col.null_count, col.num_rows, spec.warn_max_null_fraction):
                continue
        kept.append(replace(finding, slice=name, message=f"[{name}] {finding.message}"))
    return kept


def _reference(base: Statistics | None, columns: tuple[str, ...]) -> dict[tuple[str | None, ...], Statistics]:
    """The baseline's slices by key (() for its pooled slices), for the slicing by `columns`; {} without one."""
    for slicing in (base.slicings if base is not None else ()):
        if slicing.columns == columns:
            return dict(_slices(slicing))
    return {}


def _resolved(data: Any, options: ReadOptions) -> Any:
    """Paths resolved to a Dataset or saved Statistics; anything else (a Dataset, a table) as it is."""
    return resolve_paths(data, options)


def _slices(slicing: Slicing) -> list[tuple[tuple[str | None, ...], Statistics]]:
    out = [(item.key, item.statistics) for item in slicing.slices]
    if slicing.other is not None:
        out.append(((), slicing.other.statistics))
    return out


def schema_slicings(schema: Schema) -> tuple[tuple[str, ...], ...]:
    """The slicings a schema names (its `slices` setting), or a usage error when it names none."""
    named = getattr(schema, "slices", ())
    if not named:
        raise UsageError("no slice columns: pass --slice COLUMN or name them in the schema's \"slices\"",
                         hint='e.g. "slices": ["payment_type", "company,payment_type"]')
    from datacheck.slices import parse_slices

    return parse_slices(list(named))


__all__ = ["MIN_SLICE_ROWS", "judge_slice", "schema_slicings", "validate_sliced"]
