"""`datacheck validate DATA... --schema schema.json`: the CI gate."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import EXIT_CANNOT_RUN, app, err_console, reporting_errors, write_result
from datacheck.cli.options import DataArg, OutputOpt, format_choices, read_options
from datacheck.cli.slice_options import DEFAULT_MAX_SLICES, MaxSlicesOpt, MinSliceRowsOpt, SliceOpt
from datacheck.cli.stats_cmd import Engine, EngineOpt, SchedulerOpt, WorkersOpt, progress_bar
from datacheck.render.registry import REPORT, RenderContext
from datacheck.sources import ReadOptions


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"


SchemaOpt = Annotated[Path, typer.Option(
    "--schema", "-s", help="The schema file to validate against (from `datacheck infer`).", show_default=False)]
BaselineOpt = Annotated[list[str] | None, typer.Option(
    "--baseline", "-b", help="Earlier data or a saved statistics file: checks the row-count change and drift "
                             "against it (repeatable for several files).")]
EnvOpt = Annotated[str | None, typer.Option(
    "--env", "-e", help="The schema environment of DATA (e.g. serving): columns it excludes may be absent.")]
ReportFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, json, markdown, junit, github or html. With -o FILE the default follows the "
                           "extension (.json, .md, .xml, .html).")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")]
MaxExamplesOpt = Annotated[int, typer.Option(
    "--max-examples", min=0, help="The most example values (with row numbers) per finding.")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The moment freshness rules are judged against, ISO 8601 (2024-03-31T06:00:00+02:00; "
                    "without a time zone: UTC). Default: now.", show_default=False)]


@app.command()
@format_choices(REPORT)
@read_options
def validate(
    data: DataArg,
    schema: SchemaOpt,
    baseline: BaselineOpt = None,
    env: EnvOpt = None,
    fmt: ReportFormatOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    max_examples: MaxExamplesOpt = 5,
    output: OutputOpt = None,
    *,
    read: ReadOptions,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    as_of: AsOfOpt = None,
    slice_by: SliceOpt = None,
    max_slices: MaxSlicesOpt = DEFAULT_MAX_SLICES,
    min_slice_rows: MinSliceRowsOpt = None,
) -> None:
    """Validate DATA against a schema: every anomaly with its column, count, examples and fix.

    DATA is one or more files, directories or globs, or a saved statistics file (then only the checks that
    statistics can answer run). The row-level checks run in the same single scan as the statistics.
    With --engine threads|processes|dask that scan runs per partition (files and Parquet row-group runs)
    in parallel, with the same findings as the local run (docs/scale.md).

    Exit codes: 0 passed, 1 findings at or above --fail-on, 2 could not run (bad schema file, unreadable
    input). The anomaly codes are listed in docs/anomalies.md.

    Examples:

        datacheck validate sample_data/loans_clean.csv --schema schema.json

        datacheck validate 'data/2024-07-*.parquet' -s schema.json --baseline stats_june.json

        datacheck validate serving.csv -s schema.json --env serving --format github

        datacheck validate batch.csv -s schema.json --format junit -o datacheck.xml

        datacheck validate batch.csv -s schema.json --format markdown >> "$GITHUB_STEP_SUMMARY"

        datacheck validate batch.csv -s schema.json -o report.html

        datacheck validate 'lake/2024/*.parquet' -s schema.json --engine dask --scheduler tcp://10.0.0.5:8786

        datacheck validate trips.parquet -s schema.json --slice payment_type
    """
    from datacheck.checks import validate_with_statistics
    from datacheck.schema import Schema

    with reporting_errors():
        spec = Schema.load(schema)
        with progress_bar("Validating") as progress:
            if slice_by or spec.slices:
                from datacheck.slice_validation import MIN_SLICE_ROWS, validate_sliced
                from datacheck.slices import parse_slices

                report, statistics = validate_sliced(
                    list(data), spec, parse_slices(slice_by or []), max_slices=max_slices,
                    min_slice_rows=min_slice_rows or MIN_SLICE_ROWS, env=env,
                    baseline=list(baseline) if baseline else None, max_examples=max_examples, options=read,
                    progress=progress, schema_path=str(schema), engine=engine.value, scheduler=scheduler,
                    workers=workers, as_of=as_of)
            else:
                report, statistics = validate_with_statistics(
                    list(data), spec, env=env, baseline=list(baseline) if baseline else None,
                    max_examples=max_examples, options=read, progress=progress, schema_path=str(schema),
                    engine=engine.value, scheduler=scheduler, workers=workers, as_of=as_of)
    write_result(REPORT, report, fmt, output, RenderContext(fail_on=fail_on.value, statistics=statistics))
    if output is not None:
        err_console.print(f"{output}: {'passed' if report.passed else 'failed'}, {report.summary.errors} errors, "
                          f"{report.summary.warnings} warnings", highlight=False, soft_wrap=True)
    raise typer.Exit(report.exit_code(fail_on.value))


__all__ = ["validate", "EXIT_CANNOT_RUN"]
