"""`datacheck stats`: per-column statistics of DATA."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datacheck import tfdv_proto
from datacheck.cli.common import app, err_console, reporting_errors, write_result
from datacheck.cli.options import DataArg, OutputOpt, format_choices, read_options
from datacheck.cli.slice_options import DEFAULT_MAX_SLICES, LabelOpt, MaxSlicesOpt, SliceOpt
from datacheck.render.registry import STATS, format_for
from datacheck.sources import Dataset, ReadOptions, resolve
from datacheck.statistics import Statistics

if TYPE_CHECKING:
    from datacheck.profile import ProgressCallback


class Engine(str, enum.Enum):
    local = "local"
    threads = "threads"
    processes = "processes"
    dask = "dask"


EngineOpt = Annotated[Engine, typer.Option(
    "--engine", help="local: one scan per file, in order. threads or processes: files and Parquet row groups in "
                     "parallel on this machine. dask: on a Dask cluster (pip install 'datacheck-cli[dask]'); see "
                     "docs/scale.md.")]
SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS", help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --engine "
                                           "dask). Without it, a local cluster runs for this command.")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", min=1, help="Processes or threads for --engine processes|threads (default: the CPU count), or of "
                             "the local Dask cluster (default 2).")]
StatsFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, json, markdown, html or tfdv (TFDV's statistics proto in text format; pip install "
                           "'datacheck-cli[tfdv]'). With -o FILE the default follows the extension (.json, .md, .html, "
                           ".pbtxt; .pb writes TFDV's binary format).")]


@contextmanager
def progress_bar(label: str, total_rows: int | None = None) -> Iterator[ProgressCallback | None]:
    """Progress on stderr, only when stderr is a terminal (never in CI logs or JSON output): a bar with the
    time left when the number of rows is known beforehand (Parquet), else a rows-processed counter."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: tuple[ProgressColumn, ...]
    if total_rows:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                   TextColumn("{task.completed:,} of {task.total:,} rows"), TimeRemainingColumn())
    else:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                   TimeElapsedColumn())
    with Progress(*columns, console=err_console.real(), transient=True) as bar:
        task = bar.add_task(label, total=total_rows or None)
        yield lambda rows: bar.advance(task, rows)


def known_rows(data: list[str], read: ReadOptions) -> int | None:
    """The rows of DATA when the files record them (Parquet), for a progress bar with the time left; only
    asked on a terminal, where the progress shows."""
    resolved = resolve(data, read)
    return resolved.known_rows() if isinstance(resolved, Dataset) else None


@app.command()
@format_choices(STATS)
@read_options
def stats(
    data: DataArg,
    output: OutputOpt = None,
    fmt: StatsFormatOpt = None,
    *,
    read: ReadOptions,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    slice_by: SliceOpt = None,
    max_slices: MaxSlicesOpt = DEFAULT_MAX_SLICES,
    label: LabelOpt = None,
) -> None:
    """Compute per-column statistics of DATA: counts, missing values, min/max/mean/std, quantiles,
    histograms, distinct and top values, string lengths.

    DATA is one or more files, directories or globs (CSV, TSV, Parquet, NDJSON, JSON, Arrow; .gz/.zst).

    Examples:

        datacheck stats sample_data/loans_train.csv

        datacheck stats 'data/2024-*.parquet' -o stats.json

        datacheck stats data.csv --format markdown >> "$GITHUB_STEP_SUMMARY"

        datacheck stats 'lake/2024/*.parquet' --engine processes -o stats.json

        datacheck stats trips.parquet --slice payment_type --slice company,payment_type -o stats.json

        datacheck stats adult.csv --label income
    """
    # Imported here: datacheck.engine brings in multiprocessing, which no other command needs at start-up.
    from datacheck.engine import profile_with_engine

    with reporting_errors():
        if fmt == "tfdv" or any(format_for(STATS, path) == "tfdv" or _binary_tfdv(fmt, path) for path in output or ()):
            tfdv_proto.modules()  # a missing extra stops the command before the scan, with the pip line
        # Only a local scan knows its rows beforehand; the other engines report finished partitions.
        local = engine == Engine.local and scheduler is None and workers is None
        total_rows = known_rows(data, read) if local and err_console.is_terminal else None
        with progress_bar("Profiling", total_rows) as progress:
            if slice_by:
                from datacheck.slices import parse_slices, profile_sliced

                statistics = profile_sliced(data, parse_slices(slice_by), max_slices=max_slices, options=read,
                                            engine=engine.value, scheduler=scheduler, workers=workers,
                                            progress=progress)
            else:
                statistics = profile_with_engine(data, read, engine=engine.value, scheduler=scheduler,
                                                 workers=workers, progress=progress)
            if label is not None:
                from datacheck.lift import with_label_statistics

                statistics = with_label_statistics(statistics, data, label, read)
    binary = [path for path in output or () if _binary_tfdv(fmt, path)]
    if binary:
        _write_tfdv_binary(statistics, binary)
    rest = [path for path in output or () if path not in binary]
    if rest or not binary:
        write_result(STATS, statistics, fmt, rest or None)


def _binary_tfdv(fmt: str | None, output: Path | None) -> bool:
    """`-o NAME.pb` with --format tfdv or no format: TFDV's binary statistics."""
    return output is not None and output.suffix.lower() == ".pb" and (fmt or "tfdv") == "tfdv"


def _write_tfdv_binary(statistics: Statistics, paths: list[Path]) -> None:
    """`-o stats.pb`: TFDV's binary wire format, which a text renderer cannot produce."""
    from datacheck.output import write_atomic_all
    from datacheck.tfdv_statistics import tfdv_statistics_bytes

    with reporting_errors():
        data = tfdv_statistics_bytes(statistics)
        write_atomic_all([(path, data) for path in paths])
