"""`datacheck schema check FILE` and `datacheck schema show FILE`: look at a schema file without any data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import EXIT_OK, app, err_console, reporting_errors, write_result
from datacheck.render.registry import SCHEMA, RenderContext
from datacheck.schema import Schema

schema_app = typer.Typer(name="schema", help="Check or show a schema file.", no_args_is_help=True,
                         rich_markup_mode="rich")
app.add_typer(schema_app, name="schema")

SchemaFileArg = Annotated[Path, typer.Argument(help="A schema file (JSON), as written by `datacheck infer`.",
                                               show_default=False)]


@schema_app.command("check")
def check(file: SchemaFileArg) -> None:
    """Check a (hand-edited) schema file: exit 0 when it is valid, 2 with every error listed when it is not.

    Examples:

        datacheck schema check schema.json
    """
    with reporting_errors():
        schema = Schema.load(file)
    err_console.print(f"{file}: valid schema, {len(schema.columns)} columns", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_OK)


@schema_app.command("show")
def show(file: SchemaFileArg) -> None:
    """Print a schema file as a readable table: one row per column, what it must look like.

    Examples:

        datacheck schema show schema.json
    """
    with reporting_errors():
        schema = Schema.load(file)
    write_result(SCHEMA, schema, "table", None, RenderContext(title=str(file)))
