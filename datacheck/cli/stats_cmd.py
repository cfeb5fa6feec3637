"""`datacheck stats`: per-column statistics of DATA."""

from __future__ import annotations

import enum
from contextlib import contextmanager
from collections.abc import Iterator
from typing import Annotated, Optional

import typer

from datacheck.cli.common import (DataArg, DelimiterOpt, EncodingOpt, Format, InputFormatOpt, NoHeaderOpt, NullValuesOpt,
                                  OutputOpt, app, emit, err_console, out_console, read_options, reporting_errors)
from datacheck.profile import ProgressCallback, profile
from datacheck.sources import Dataset, resolve
from datacheck.render.common import render_to_text
from datacheck.render.stats import stats_json, stats_markdown, stats_table

class Engine(str, enum.Enum):
    local = "local"
    threads = "threads"
    processes = "processes"
    dask = "dask"


EngineOpt = Annotated[Engine, typer.Option("--engine", help="local: one scan per file, in order. threads or processes: files and Parquet row groups in parallel on this machine. dask: on a Dask cluster (pip install 'datacheck[dask]'); see docs/scale.md.")]
SchedulerOpt = Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --engine dask). Without it, a local cluster runs for this command.")]
WorkersOpt = Annotated[Optional[int], typer.Option("--workers", min=1, help="Processes or threads for --engine processes|threads (default: the CPU count), or of the local Dask cluster (default 2).")]
StatsFormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json, markdown or html. With -o FILE the default follows the extension (.json, .md, .html).")]


@contextmanager
def progress_bar(label: str, total_rows: int | None = None) -> Iterator[ProgressCallback | None]:
    """Progress on stderr, only when stderr is a terminal (never in CI logs or JSON output): a bar with the
    time left when the number of rows is known beforehand (Parquet), else a rows-processed counter."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import (BarColumn, Progress, SpinnerColumn, TaskProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    if total_rows:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                   TextColumn("{task.completed:,} of {task.total:,} rows"), TimeRemainingColumn())
    else:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                   TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=total_rows or None)
        yield lambda rows: bar.advance(task, rows)


@app.command()
def stats(
    data: DataArg,
    output: OutputOpt = None,
    fmt: StatsFormatOpt = None,  # type: ignore[assignment]
    input_format: InputFormatOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = "utf8",
    null_value: NullValuesOpt = None,
    no_header: NoHeaderOpt = False,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Compute per-column statistics of DATA: counts, missing values, min/max/mean/std, quantiles,
    histograms, distinct and top values, string lengths.

    DATA is one or more files, directories or globs (CSV, TSV, Parquet, NDJSON, JSON, Arrow; .gz/.zst).

    Examples:

        datacheck stats sample_data/loans_train.csv

        datacheck stats 'data/2024-*.parquet' -o stats.json

        datacheck stats data.csv --format markdown >> "$GITHUB_STEP_SUMMARY"

        datacheck stats 'lake/2024/*.parquet' --engine processes -o stats.json
    """
    if fmt is None:
        by_suffix = {".json": Format.json, ".md": Format.markdown, ".html": Format.html}
        fmt = by_suffix.get(output.suffix.lower(), Format.table) if output is not None else Format.table
    with reporting_errors():
        options = read_options(input_format, delimiter, encoding, null_value, no_header)
        local = engine == Engine.local and scheduler is None and workers is None
        resolved = resolve(data, options) if local else None
        total_rows = resolved.known_rows() if isinstance(resolved, Dataset) and err_console.is_terminal else None
        with progress_bar("Profiling", total_rows) as progress:
            if local:
                statistics = profile(resolved, progress=progress)
            else:
                from datacheck.engine import profile_with_engine

                statistics = profile_with_engine(data, options, engine=engine.value, scheduler=scheduler, workers=workers,
                                                 progress=progress)
    if fmt == Format.json:
        emit(stats_json(statistics), output)
    elif fmt == Format.markdown:
        emit(stats_markdown(statistics), output)
    elif fmt == Format.html:
        from datacheck.render.html import stats_html

        emit(stats_html(statistics), output)
    elif fmt == Format.table and output is None:
        out_console.print(stats_table(statistics, out_console.width))
    elif fmt == Format.table:
        emit(render_to_text(stats_table(statistics)), output)
    else:
        raise typer.BadParameter(f"stats cannot write {fmt.value}; use table, json, markdown or html", param_hint="--format")
