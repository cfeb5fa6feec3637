"""`datacheck validate DATA... --schema schema.json`: the CI gate."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from datacheck.cli.common import (EXIT_CANNOT_RUN, DataArg, DelimiterOpt, EncodingOpt, Format, InputFormatOpt, NoHeaderOpt,
                                  NullValuesOpt, OutputOpt, app, emit, err_console, out_console, read_options,
                                  reporting_errors)
from datacheck.cli.stats_cmd import Engine, EngineOpt, SchedulerOpt, WorkersOpt, progress_bar


#: validate writes every format of the shared enum.
ReportFormat = Format


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"


SchemaOpt = Annotated[Path, typer.Option("--schema", "-s", help="The schema file to validate against (from `datacheck infer`).", show_default=False)]
BaselineOpt = Annotated[Optional[list[str]], typer.Option("--baseline", "-b", help="Earlier data or a saved statistics file: checks the row-count change and drift against it (repeatable for several files).")]
EnvOpt = Annotated[Optional[str], typer.Option("--env", "-e", help="The schema environment of DATA (e.g. serving): columns it excludes may be absent.")]
ReportFormatOpt = Annotated[Optional[ReportFormat], typer.Option("--format", "-f", help="table, json, markdown, junit, github or html. With -o FILE the default follows the extension (.json, .md, .xml, .html).")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")]
MaxExamplesOpt = Annotated[int, typer.Option("--max-examples", min=0, help="The most example values (with row numbers) per finding.")]

_BY_SUFFIX = {".json": ReportFormat.json, ".md": ReportFormat.markdown, ".xml": ReportFormat.junit,
              ".html": ReportFormat.html}


@app.command()
def validate(
    data: DataArg,
    schema: SchemaOpt,
    baseline: BaselineOpt = None,
    env: EnvOpt = None,
    fmt: ReportFormatOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    max_examples: MaxExamplesOpt = 5,
    output: OutputOpt = None,
    input_format: InputFormatOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = "utf8",
    null_value: NullValuesOpt = None,
    no_header: NoHeaderOpt = False,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
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
    """
    from datacheck.render.report import render_report
    from datacheck.render.report import report_table
    from datacheck.schema import Schema
    from datacheck.checks import validate_with_statistics

    if fmt is None:
        fmt = _BY_SUFFIX.get(output.suffix.lower(), ReportFormat.table) if output is not None else ReportFormat.table
    with reporting_errors():
        spec = Schema.load(schema)
        options = read_options(input_format, delimiter, encoding, null_value, no_header)
        with progress_bar("Validating") as progress:
            report, statistics = validate_with_statistics(list(data), spec, env=env, baseline=list(baseline) if baseline else None,
                                    max_examples=max_examples, options=options, progress=progress,
                                    schema_path=str(schema), engine=engine.value, scheduler=scheduler,
                                    workers=workers)
    if fmt == ReportFormat.html:
        from datacheck.render.html import validation_html

        emit(validation_html(statistics, report), output)
    elif fmt == ReportFormat.table and output is None:
        out_console.print(report_table(report, out_console.width))
    else:
        emit(render_report(report, fmt.value, fail_on=fail_on.value), output)
    if output is not None:
        err_console.print(f"{output}: {'passed' if report.passed else 'failed'}, {report.summary.errors} errors, "
                          f"{report.summary.warnings} warnings", highlight=False, soft_wrap=True)
    raise typer.Exit(report.exit_code(fail_on.value))


__all__ = ["validate", "EXIT_CANNOT_RUN"]
