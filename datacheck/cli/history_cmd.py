"""`datacheck history list|show|add|remove|prune|export|import|report`: look after the history file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datacheck.cli.common import app, err_console, reporting_errors, write_result
from datacheck.cli.monitor_cmd import (
    AtOpt,
    KeepBothOpt,
    MaxChangeOpt,
    MetricsOpt,
    MinHistoryOpt,
    SeasonalityOpt,
    ThresholdOpt,
    WindowOpt,
    judging_settings,
)
from datacheck.cli.options import DataArg, OutputOpt, format_choices, read_options
from datacheck.errors import UsageError
from datacheck.render.registry import HISTORY, MONITOR, SERIES
from datacheck.sources import ReadOptions

if TYPE_CHECKING:
    from datacheck.history import History

history_app = typer.Typer(help="The history of batches that `datacheck monitor` keeps: list, show, add, remove, "
                               "prune, export, import, report.", no_args_is_help=True)
app.add_typer(history_app, name="history")

PathArg = Annotated[Path, typer.Argument(help="The history file.", show_default=False)]
TableFormatOpt = Annotated[str | None, typer.Option("--format", "-f", help="table or json.")]


def _open(path: Path, create: bool = False) -> History:
    from datacheck.history import History

    return History.open(path, create=create)


@history_app.command("list")
@format_choices(HISTORY)
def list_batches(path: PathArg, fmt: TableFormatOpt = None, output: OutputOpt = None) -> None:
    """List the batches: id, time, rows, verdict, validation, largest drift, sources.

    Examples:

        datacheck history list history.db

        datacheck history list history.db --format json
    """
    with reporting_errors(), _open(path) as store:
        batches = tuple(store.batches())
    write_result(HISTORY, batches, fmt, output)


@history_app.command("show")
@format_choices(SERIES)
def show(path: PathArg, column: Annotated[str, typer.Argument(help="The column ('' or ROWS for the row count).")],
         metric: MetricsOpt = None, fmt: TableFormatOpt = None, output: OutputOpt = None,
         window: WindowOpt = 28, min_history: MinHistoryOpt = 7, threshold: ThresholdOpt = 5.0,
         max_change: MaxChangeOpt = 0.5, seasonality: SeasonalityOpt = None) -> None:
    """Show a column's metric series, judged as `monitor` judges them: a sparkline with the anomalies marked
    (▲), then the newest values.

    Examples:

        datacheck history show history.db fare --metric mean --metric null_share

        datacheck history show history.db ROWS
    """
    from datacheck.monitor import SeriesView, trend
    from datacheck.monitor_metrics import COLUMN_METRICS, DATASET, DATASET_METRICS

    with reporting_errors():
        settings = judging_settings(window, min_history, threshold, max_change, seasonality, None)
        name = DATASET if column in ("", "ROWS") else column
        with _open(path) as store:
            judged = trend(store.batches(), settings)
        if name and name not in judged.columns:
            raise UsageError(f"no column {column!r} in the history",
                             hint=f"columns: {', '.join(judged.columns[:20])}; ROWS for the row count")
        metrics = tuple(metric) if metric else (DATASET_METRICS if not name else COLUMN_METRICS)
        view = SeriesView(judged, name, metrics)
        if not view.series():
            raise UsageError(f"no metric {', '.join(metrics)} for {column!r} in the history",
                             hint=f"metrics: {', '.join(DATASET_METRICS + COLUMN_METRICS)}")
    write_result(SERIES, view, fmt, output)


@history_app.command("add")
@read_options
def add(path: PathArg, data: DataArg, at: AtOpt = None, keep_both: KeepBothOpt = False, *,
        read: ReadOptions) -> None:
    """Backfill: add DATA (data, or a statistics file from `datacheck stats -o`) as one batch, without judging it.

    Examples:

        datacheck history add history.db stats/2024-05-01.json --at 2024-05-01

        datacheck history add history.db 'lake/date=2024-05-02/*.parquet'
    """
    from datacheck.history import batch_time, utc_text
    from datacheck.monitor import add_batch
    from datacheck.profile import profile

    with reporting_errors():
        when = utc_text(batch_time(at, list(data)))
        stats = profile(list(data), read)
        with _open(path, create=True) as store:
            batch = add_batch(store, stats, at=when, replace_same=not keep_both)
    err_console.print(f"added batch #{batch.id} at {batch.at} ({batch.rows:,} rows) to {path}", markup=False)


@history_app.command("remove")
def remove(path: PathArg, batch_id: Annotated[list[int] | None, typer.Option("--id", help="A batch id (repeatable).")]
           = None, at: Annotated[str | None, typer.Option("--at", help="Every batch at this time.")] = None) -> None:
    """Remove batches by id or by time.

    Examples:

        datacheck history remove history.db --id 12

        datacheck history remove history.db --at 2024-06-01
    """
    with reporting_errors():
        if not batch_id and at is None:
            raise UsageError("say which batches to remove", hint="pass --id ID or --at TIME")
        with _open(path) as store:
            ids = list(batch_id or []) + ([b.id for b in store.select(at)] if at is not None else [])
            removed = store.remove(ids)
    err_console.print(f"removed {removed} batch{'es' if removed != 1 else ''} from {path}", markup=False)


@history_app.command("prune")
def prune(path: PathArg, keep: Annotated[int | None, typer.Option("--keep", min=0, help="Keep the newest N.")] = None,
          before: Annotated[str | None, typer.Option("--before", help="Remove batches before this time.")] = None
          ) -> None:
    """Remove old batches: all but the newest --keep N, and/or those before --before TIME.

    Examples:

        datacheck history prune history.db --keep 90

        datacheck history prune history.db --before 2024-01-01
    """
    with reporting_errors(), _open(path) as store:
        removed = store.prune(keep=keep, before=before)
    err_console.print(f"removed {removed} batch{'es' if removed != 1 else ''} from {path}", markup=False)


@history_app.command("export")
def export(path: PathArg, directory: Annotated[Path, typer.Argument(help="Directory for the statistics files.")]
           ) -> None:
    """Write every batch's statistics to DIRECTORY as TIME~ID.json files (statistics files, as `stats -o` writes).

    Example:

        datacheck history export history.db stats/
    """
    from datacheck.history_files import export_statistics

    with reporting_errors(), _open(path) as store:
        written = export_statistics(store, directory)
    err_console.print(f"wrote {len(written)} statistics files to {directory}", markup=False)


@history_app.command("import")
def import_(path: PathArg, files: Annotated[list[Path], typer.Argument(
        help="Statistics files named TIME~ID.json (as export writes them), or with --at.", show_default=False)],
        at: AtOpt = None, keep_both: KeepBothOpt = False) -> None:
    """Add statistics files as batches (without judging them); their time comes from the file name or --at.

    Example:

        datacheck history import history.db stats/*.json
    """
    from datacheck.history_files import import_statistics

    with reporting_errors(), _open(path, create=True) as store:
        added = import_statistics(store, files, at=at, replace_same=not keep_both)
    err_console.print(f"added {len(added)} batches to {path}", markup=False)


@history_app.command("report")
@format_choices(MONITOR)
def report(path: PathArg, output: OutputOpt = None,
           fmt: Annotated[str | None, typer.Option("--format", "-f", help="html (default), table, json, ...")] = None,
           window: WindowOpt = 28, min_history: MinHistoryOpt = 7, threshold: ThresholdOpt = 5.0,
           max_change: MaxChangeOpt = 0.5, seasonality: SeasonalityOpt = None, metric: MetricsOpt = None) -> None:
    """The trend report of the history: per column, the metric series with their anomalies, and the newest batch.

    Example:

        datacheck history report history.db -o trend.html
    """
    from datacheck.monitor import latest_result

    with reporting_errors():
        settings = judging_settings(window, min_history, threshold, max_change, seasonality, metric)
        with _open(path) as store:
            result = latest_result(store, settings)
    write_result(MONITOR, result, fmt or "html", output)
