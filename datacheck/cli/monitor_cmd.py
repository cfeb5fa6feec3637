"""`datacheck monitor DATA --history PATH`: add a batch to the history and judge it against the batches before it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datacheck.cli.common import app, err_console, reporting_errors, write_result
from datacheck.cli.options import DataArg, OutputOpt, format_choices, read_options
from datacheck.cli.stats_cmd import Engine, EngineOpt, progress_bar
from datacheck.cli.validate_cmd import FailOn, FailOnOpt
from datacheck.render.registry import MONITOR, RenderContext
from datacheck.sources import ReadOptions

if TYPE_CHECKING:
    from datacheck.monitor_strategies import Settings

HistoryOpt = Annotated[Path, typer.Option(
    "--history", "-H", help="The history file (SQLite; created when missing).", show_default=False)]
MonitorSchemaOpt = Annotated[Path | None, typer.Option(
    "--schema", "-s", help="Also validate the batch against this schema, in the same scan.")]
AtOpt = Annotated[str | None, typer.Option(
    "--at", help="The batch's time: a date or ISO time, UTC unless an offset is given. Default: the hive partition "
                 "key of DATA's paths (date=2024-06-01), else now.")]
MonitorFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, json, markdown, junit, github or html (the trend report). With -o FILE the "
                           "default follows the extension.")]
WindowOpt = Annotated[int, typer.Option("--window", min=1, help="Trailing batches a z-score is computed over.")]
MinHistoryOpt = Annotated[int, typer.Option("--min-history", min=1,
                                            help="Fewest earlier batches before a z-score judges.")]
ThresholdOpt = Annotated[float, typer.Option("--threshold", min=0.0, help="A robust |z| above this is an anomaly.")]
MaxChangeOpt = Annotated[float, typer.Option(
    "--max-change", min=0.0, help="Relative change of the row count against the previous batch that is an anomaly.")]
SeasonalityOpt = Annotated[str | None, typer.Option(
    "--seasonality", help="weekly: compare each batch with the same weekday only (a normal weekly rhythm).")]
MetricsOpt = Annotated[list[str] | None, typer.Option(
    "--metric", "-m", help="Judge only these metrics (repeatable); default: row_count, null_share, mean, std, "
                           "distinct, top_share, new_share. Also: q05, q50, q95, drift_prev, drift_ref.")]
KeepBothOpt = Annotated[bool, typer.Option(
    "--keep-both", help="Keep an earlier batch with the same time and sources instead of replacing it.")]


def judging_settings(window: int, min_history: int, threshold: float, max_change: float, seasonality: str | None,
                     metrics: list[str] | None) -> Settings:
    """The strategies' settings from the command-line options (shared with `history report` and `show`)."""
    from datacheck.monitor_strategies import JUDGED_BY_DEFAULT, Settings

    return Settings(window=window, min_history=min_history, threshold=threshold, max_change=max_change,
                    seasonality=seasonality, metrics=tuple(metrics) if metrics else JUDGED_BY_DEFAULT)


@app.command()
@format_choices(MONITOR)
@read_options
def monitor(
    data: DataArg,
    history: HistoryOpt,
    schema: MonitorSchemaOpt = None,
    at: AtOpt = None,
    fmt: MonitorFormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = FailOn.error,
    window: WindowOpt = 28,
    min_history: MinHistoryOpt = 7,
    threshold: ThresholdOpt = 5.0,
    max_change: MaxChangeOpt = 0.5,
    seasonality: SeasonalityOpt = None,
    metric: MetricsOpt = None,
    keep_both: KeepBothOpt = False,
    *,
    read: ReadOptions,
    engine: EngineOpt = Engine.local,
) -> None:
    """Add DATA to the history as one batch and judge its metrics against the batches before it.

    Per column it follows the null share, mean, std, distinct count, top-value share and new-value share (and
    the row count), and flags a value whose robust z-score against the last --window batches passes
    --threshold, or a row count that changed by more than --max-change (docs/monitoring.md). With --schema the
    batch is validated in the same scan and both kinds of findings are reported together.

    Exit codes: 0 passed, 1 findings at or above --fail-on, 2 could not run.

    Examples:

        datacheck monitor 'lake/date=2024-06-01/*.parquet' --history history.db

        datacheck monitor today.csv --history history.db --schema schema.json --at 2024-06-01

        datacheck monitor today.csv -H history.db --seasonality weekly -o trend.html
    """
    from datacheck.monitor import monitor as run_monitor

    with reporting_errors():
        settings = judging_settings(window, min_history, threshold, max_change, seasonality, metric)
        with progress_bar("Monitoring") as progress:
            result = run_monitor(list(data), history, schema=str(schema) if schema else None, at=at,
                                 settings=settings, options=read, progress=progress, engine=engine.value,
                                 replace_same=not keep_both)
    write_result(MONITOR, result, fmt, output, RenderContext(fail_on=fail_on.value, statistics=result.statistics))
    report = result.report
    err_console.print(f"batch {result.batch.at} (#{result.batch.id}) added to {history}: "
                      f"{'passed' if report.passed else 'failed'}, {report.summary.errors} errors, "
                      f"{report.summary.warnings} warnings", highlight=False, soft_wrap=True, markup=False)
    raise typer.Exit(report.exit_code(fail_on.value))

