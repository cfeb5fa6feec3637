"""`datacheck stats`: per-column statistics of DATA."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from typing import Annotated

import typer

from datacheck.cli.common import (DataArg, DelimiterOpt, EncodingOpt, Format, InputFormatOpt, NoHeaderOpt, NullValuesOpt,
                                  OutputOpt, app, emit, err_console, out_console, read_options, reporting_errors)
from datacheck.profile import ProgressCallback, profile
from datacheck.render.common import render_to_text
from datacheck.render.stats import stats_json, stats_markdown, stats_table

StatsFormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json, markdown or html. With -o FILE the default follows the extension (.json, .md, .html).")]


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback | None]:
    """A rows-processed counter on stderr, only when stderr is a terminal (never in CI logs or JSON output)."""
    if not err_console.is_terminal:
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)
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
) -> None:
    """Compute per-column statistics of DATA: counts, missing values, min/max/mean/std, quantiles,
    histograms, distinct and top values, string lengths.

    DATA is one or more files, directories or globs (CSV, TSV, Parquet, NDJSON, JSON, Arrow; .gz/.zst).

    Examples:

        datacheck stats sample_data/loans_train.csv

        datacheck stats 'data/2024-*.parquet' -o stats.json

        datacheck stats data.csv --format markdown >> "$GITHUB_STEP_SUMMARY"
    """
    if fmt is None:
        by_suffix = {".json": Format.json, ".md": Format.markdown, ".html": Format.html}
        fmt = by_suffix.get(output.suffix.lower(), Format.table) if output is not None else Format.table
    with reporting_errors():
        options = read_options(input_format, delimiter, encoding, null_value, no_header)
        with progress_bar("Profiling") as progress:
            statistics = profile(data, options, progress=progress)
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
