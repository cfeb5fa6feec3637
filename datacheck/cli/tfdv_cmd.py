"""`datacheck schema import` and `datacheck schema export`: TFDV schema files in, and out."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import EXIT_OK, emit, err_console, reporting_errors
from datacheck.cli.options import OutputOpt
from datacheck.cli.schema_cmd import schema_app
from datacheck.schema import Schema
from datacheck.tfdv_schema import (
    load_tfdv_schema,
    note_lines,
    schema_from_tfdv,
    schema_to_tfdv,
    tfdv_schema_text,
)


class Target(str, enum.Enum):
    tfdv = "tfdv"


def _notes(lines: tuple[str, ...]) -> None:
    for line in note_lines(lines):
        err_console.print(line, highlight=False, soft_wrap=True, markup=False)


@schema_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A TFDV schema: schema.pbtxt (text format) or a binary .pb.",
                                         show_default=False)],
    output: OutputOpt = None,
) -> None:
    """Convert a TFDV schema (schema.pbtxt or .pb) to a datacheck schema file; every TFDV field without a
    datacheck equivalent is listed on stderr. Needs pip install 'datacheck-cli[tfdv]'.

    Examples:

        datacheck schema import schema.pbtxt -o schema.json
    """
    with reporting_errors():
        conversion = schema_from_tfdv(load_tfdv_schema(file))
    _notes(conversion.unmapped)
    emit(conversion.schema.dumps(), output)
    raise typer.Exit(EXIT_OK)


@schema_app.command("export")
def export(
    file: Annotated[Path, typer.Argument(help="A datacheck schema file (JSON).", show_default=False)],
    to: Annotated[Target, typer.Option("--to", help="The format to write: tfdv (a TFDV schema.pbtxt).")],
    output: OutputOpt = None,
) -> None:
    """Convert a datacheck schema file to a TFDV schema (text format, schema.pbtxt); every setting TFDV cannot
    express is listed on stderr. Needs pip install 'datacheck-cli[tfdv]'.

    Examples:

        datacheck schema export schema.json --to tfdv -o schema.pbtxt
    """
    with reporting_errors():
        conversion = schema_to_tfdv(Schema.load(file))
    _notes(conversion.unmapped)
    emit(tfdv_schema_text(conversion.schema), output)
    raise typer.Exit(EXIT_OK)
