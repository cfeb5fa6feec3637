"""Plumbing shared by every command: the typer app, the two consoles, error handling and atomic output."""

from __future__ import annotations

import enum
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from datacheck import output
from datacheck.errors import DatacheckError

app = typer.Typer(
    name="datacheck",
    help="Fast data validation for ML pipelines: statistics, schema inference, validation and drift.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode="markdown",
)

#: Results go to stdout; diagnostics and progress to stderr (style.md practice 10).
# Piped output is not cut to 80 columns: a file or a CI log has room for the whole table.
out_console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, highlight=False)

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    github = "github"
    html = "html"


# Options shared by several commands, defined once (style.md practice 9).
DataArg = Annotated[list[str], typer.Argument(help="Data: files, directories, globs, or a saved statistics file.", show_default=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the result to FILE (atomically) instead of stdout.")]
InputFormatOpt = Annotated[Optional[str], typer.Option("--input-format", help="Override the format guessed from the extension: csv, tsv, parquet, ndjson, json, ipc.")]
DelimiterOpt = Annotated[Optional[str], typer.Option("--delimiter", help="CSV field separator (default: ',' for .csv, tab for .tsv).")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV/JSON input: utf8, utf8-lossy, latin1, utf16, ...")]
NullValuesOpt = Annotated[Optional[list[str]], typer.Option("--null-value", help="A CSV cell text that means missing (repeatable), e.g. --null-value NA --null-value '?'.")]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="The CSV has no header row; columns are named column_0, column_1, ...")]


def fail(exc: DatacheckError) -> typer.Exit:
    """Print a could-not-run error on stderr and return the exit that the caller raises."""
    err_console.print(f"[red]Error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_CANNOT_RUN)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn DatacheckError into a message plus exit 2; anything else is a bug and keeps its traceback."""
    try:
        yield
    except DatacheckError as exc:
        raise fail(exc) from None


def emit(text: str, output_path: Path | None) -> None:
    """Send a rendered result to FILE (atomically) or to stdout."""
    if output_path is not None:
        with reporting_errors():
            output.write_atomic(output_path, text)
        return
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `datacheck` console script."""
    try:
        app(args=argv, prog_name="datacheck")
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # `datacheck stats big.csv | head -1`: the reader left; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)


def read_options(input_format: str | None, delimiter: str | None, encoding: str,
                 null_values: list[str] | None, no_header: bool) -> "ReadOptions":
    from datacheck.sources import ReadOptions

    return ReadOptions(input_format=input_format, delimiter=delimiter, encoding=encoding,
                       null_values=tuple(null_values or ()), has_header=not no_header)


__all__ = ["app", "main", "out_console", "err_console", "Format", "emit", "fail", "reporting_errors",
           "EXIT_OK", "EXIT_FINDINGS", "EXIT_CANNOT_RUN", "Callable", "signal"]


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True)] = False,
) -> None:
    """Fast data validation for ML pipelines: statistics, schema inference, validation and drift.

    Exit codes: 0 passed, 1 anomalies or drift at or above --fail-on, 2 could not run.
    """
    if version:
        from importlib.metadata import PackageNotFoundError, version as package_version

        try:
            out_console.print(f"datacheck {package_version('datacheck')}")
        except PackageNotFoundError:
            out_console.print("datacheck (not installed)")
        raise typer.Exit(EXIT_OK)
