"""`datacheck merge A.json B.json ... -o all.json`: saved statistics in, the statistics of their union out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import app, err_console, reporting_errors, write_result
from datacheck.cli.options import OutputOpt, format_choices
from datacheck.render.registry import MERGE

StatsFilesArg = Annotated[list[Path], typer.Argument(
    metavar="STATS", show_default=False, help="Statistics files written by 'datacheck stats DATA -o FILE.json'.")]
# No default from the extension of -o: a merge writes a statistics file unless asked otherwise.
MergeFormatOpt = Annotated[str, typer.Option("--format", "-f", help="json (a statistics file), table or markdown.")]


@app.command()
@format_choices(MERGE)
def merge(stats_files: StatsFilesArg, output: OutputOpt = None, fmt: MergeFormatOpt = "json") -> None:
    """Merge saved statistics into the statistics of the union of their data, without reading the data again.

    Counts, min/max, mean/std and frequency tables under 1,000 values merge exactly; quantiles, histograms,
    larger distinct counts and frequency tables merge within the error bounds the statistics carry
    (docs/scale.md).

    The result is a statistics file like any other: infer, validate and drift accept it.

    Examples:

        datacheck merge stats/2024-05-*.json -o last-week.json

        datacheck merge last-week.json today.json -o baseline.json

        datacheck merge a.json b.json --format table
    """
    # Imported here, not at the top: building the CLI for --help must not load polars (start-up time).
    from datacheck.merge_files import merge_statistics_files, repeated_sources

    with reporting_errors():
        merged = merge_statistics_files(stats_files)
    repeated = repeated_sources(merged)
    if repeated:
        err_console.print(f"[yellow]Warning:[/yellow] {len(repeated)} source(s) appear in more than one input, so "
                          f"their rows are counted twice unless the file changed in between: "
                          f"{', '.join(repeated[:5])}", soft_wrap=True)
    write_result(MERGE, merged, fmt, output)
    where = f"wrote {output}" if output is not None else "on stdout"
    err_console.print(f"Merged {len(stats_files)} statistics files: {merged.num_rows:,} rows from "
                      f"{len(merged.sources)} sources, {len(merged.columns)} columns — {where}", soft_wrap=True)

