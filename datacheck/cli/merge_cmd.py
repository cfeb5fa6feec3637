"""`datacheck merge A.json B.json ... -o all.json`: saved statistics in, the statistics of their union out."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import OutputOpt, app, emit, err_console, out_console, reporting_errors
from datacheck.render.common import render_to_text
from datacheck.render.stats import stats_json, stats_markdown, stats_table


class MergeFormat(str, enum.Enum):
    json = "json"
    table = "table"
    markdown = "markdown"


StatsFilesArg = Annotated[list[Path], typer.Argument(metavar="STATS", show_default=False,
                                                     help="Statistics files written by 'datacheck stats DATA -o FILE.json'.")]
MergeFormatOpt = Annotated[MergeFormat, typer.Option("--format", "-f", help="json (a statistics file), table or markdown.")]


@app.command()
def merge(stats_files: StatsFilesArg, output: OutputOpt = None, fmt: MergeFormatOpt = MergeFormat.json) -> None:
    """Merge saved statistics into the statistics of the union of their data, without reading the data again.

    Counts, min/max, mean/std and frequency tables under 1,000 values merge exactly; quantiles, histograms, larger distinct counts and frequency tables merge within the error bounds the statistics carry (docs/scale.md).

    The result is a statistics file like any other: infer, validate and drift accept it.

    Examples:

        datacheck merge stats/2024-05-*.json -o last-week.json

        datacheck merge last-week.json today.json -o baseline.json

        datacheck merge a.json b.json --format table
    """
    # Imported here: datacheck.distributed brings in multiprocessing, which no other command needs at start-up.
    from datacheck.merge_files import merge_statistics_files, repeated_sources

    with reporting_errors():
        merged = merge_statistics_files(stats_files)
    repeated = repeated_sources(merged)
    if repeated:
        err_console.print(f"[yellow]Warning:[/yellow] {len(repeated)} source(s) appear in more than one input, so their rows are "
                          f"counted twice unless the file changed in between: {', '.join(repeated[:5])}", soft_wrap=True)
    if fmt == MergeFormat.json:
        emit(stats_json(merged), output)
    elif fmt == MergeFormat.markdown:
        emit(stats_markdown(merged), output)
    elif output is None:
        out_console.print(stats_table(merged, out_console.width))
    else:
        emit(render_to_text(stats_table(merged)), output)
    where = f"wrote {output}" if output is not None else "on stdout"
    err_console.print(f"Merged {len(stats_files)} statistics files: {merged.num_rows:,} rows from "
                      f"{len(merged.sources)} sources, {len(merged.columns)} columns — {where}", soft_wrap=True)

