"""`datacheck drift`: distribution drift (or training/serving skew) between BASELINE and CURRENT."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import app, reporting_errors, write_result
from datacheck.cli.options import OutputOpt, format_choices, read_options
from datacheck.cli.slice_options import DEFAULT_MAX_SLICES, MaxSlicesOpt, MinSliceRowsOpt, SliceOpt
from datacheck.cli.stats_cmd import progress_bar
from datacheck.errors import UsageError
from datacheck.render.registry import DRIFT, RenderContext
from datacheck.schema import Schema
from datacheck.sources import ReadOptions
from datacheck.statistics import Statistics

BaselineArg = Annotated[str, typer.Argument(
    help="Baseline: data (file, directory, glob) or a saved statistics file.", show_default=False)]
CurrentArg = Annotated[str, typer.Argument(help="Current snapshot: data or a saved statistics file.",
                                           show_default=False)]
DriftFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, json, markdown, junit, github or html. With -o FILE the default follows the "
                           "extension (.json, .md, .xml, .html).")]
MethodOpt = Annotated[list[str] | None, typer.Option(
    "--method", "-m", help="Drift method: linf, jsd, normalized_abs_diff, psi, ks, wasserstein, chi2. METHOD for "
                           "every column, or numeric=METHOD / categorical=METHOD / COLUMN=METHOD (repeatable).")]
ThresholdOpt = Annotated[list[str] | None, typer.Option(
    "--threshold", "-t", help="Threshold: X, or numeric=X / categorical=X / COLUMN=X (repeatable). Tests (ks, "
                              "chi2) drift when p < X; distances when the value > X.")]
SchemaOpt = Annotated[Path | None, typer.Option(
    "--schema", "-s", help="Schema file: per-column drift settings, severities, environments.")]
EnvOpt = Annotated[str | None, typer.Option(
    "--env", help="Schema environment of CURRENT (e.g. serving): columns it does not expect may be absent.")]


def _split(raw: str) -> tuple[str, str]:
    """A "VALUE" / "KEY=VALUE" option as (KEY, VALUE); a bare value applies to every column ("*")."""
    key, _, value = raw.rpartition("=")
    return key or "*", value


def _methods(values: list[str] | None) -> dict[str, str] | None:
    """Repeated --method options as drift()'s mapping (a later one for the same key wins)."""
    return dict(_split(raw) for raw in values) if values else None


def _thresholds(values: list[str] | None) -> dict[str, float] | None:
    """Repeated --threshold options as drift()'s mapping; every value must be a number."""
    if not values:
        return None
    out: dict[str, float] = {}
    for raw in values:
        key, value = _split(raw)
        try:
            out[key] = float(value)
        except ValueError:
            raise UsageError(f"--threshold {raw!r}: {value!r} is not a number",
                             hint="write --threshold 0.1 or --threshold COLUMN=0.1") from None
    return out


@app.command()
@format_choices(DRIFT)
@read_options
def drift(
    baseline: BaselineArg,
    current: CurrentArg,
    schema: SchemaOpt = None,
    method: MethodOpt = None,
    threshold: ThresholdOpt = None,
    env: EnvOpt = None,
    fmt: DriftFormatOpt = None,
    output: OutputOpt = None,
    *,
    read: ReadOptions,
    slice_by: SliceOpt = None,
    max_slices: MaxSlicesOpt = DEFAULT_MAX_SLICES,
    min_slice_rows: MinSliceRowsOpt = None,
) -> None:
    """Compare CURRENT with BASELINE column by column and report distribution drift.

    Each side may be data or a statistics file saved by `datacheck stats -o`, so last month's statistics
    can stand in for last month's data. Every column is reported with its method, measured value and
    threshold, also when under it. Defaults: KS / chi-squared p-value < 0.01 for small samples, Wasserstein
    (in baseline std) > 0.1 / L-infinity > 0.05 for large ones (see docs/drift.md).

    Exit codes: 0 no drift, 1 drift found, 2 could not run.

    Examples:

        datacheck drift train.csv today.csv

        datacheck drift last_month_stats.json 'data/2024-07-*.parquet' --format markdown

        datacheck drift train.csv serving.csv --schema schema.json --env serving --format github

        datacheck drift a.csv b.csv --method numeric=psi --method categorical=chi2 --threshold numeric=0.25

        datacheck drift train.csv eval.csv -o drift.html

        datacheck drift train.parquet today.parquet --slice payment_type
    """
    from datacheck.drift import drift as run_drift

    with reporting_errors():
        methods, thresholds = _methods(method), _thresholds(threshold)
        spec = Schema.load(schema) if schema is not None else None
        if slice_by:
            from datacheck.slice_drift import drift_sliced, sliced_statistics
            from datacheck.slice_validation import MIN_SLICE_ROWS
            from datacheck.slices import parse_slices

            slicings = parse_slices(slice_by)
            with progress_bar("Profiling both sides"):
                base, cur = (sliced_statistics(side, slicings, max_slices, read) for side in (baseline, current))
            report = drift_sliced(base, cur, slicings, schema=spec, method=methods, threshold=thresholds, env=env,
                                  max_slices=max_slices, min_slice_rows=min_slice_rows or MIN_SLICE_ROWS)
        else:
            base, cur = _profile_both(baseline, current, read)
            report = run_drift(base, cur, schema=spec, method=methods, threshold=thresholds, env=env)
    write_result(DRIFT, report, fmt, output, RenderContext(baseline=base, current=cur))
    raise typer.Exit(report.exit_code)


def _profile_both(baseline: str, current: str, read: ReadOptions) -> tuple[Statistics, Statistics]:
    """The statistics of both sides (either may be a saved statistics file), each with its progress."""
    from datacheck.profile import profile

    with progress_bar("Profiling baseline") as progress:
        base = profile(baseline, read, progress=progress)
    with progress_bar("Profiling current") as progress:
        cur = profile(current, read, progress=progress)
    return base, cur
