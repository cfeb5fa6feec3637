"""`datacheck schema check FILE` and `datacheck schema show FILE`: look at a schema file without any data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import EXIT_CANNOT_RUN, EXIT_OK, app, err_console, reporting_errors, write_result
from datacheck.render.registry import SCHEMA, RenderContext
from datacheck.schema import Schema

schema_app = typer.Typer(name="schema", help="Check, show, update, import or export a schema file.",
                         no_args_is_help=True, rich_markup_mode="rich")
app.add_typer(schema_app, name="schema")

SchemaFileArg = Annotated[Path, typer.Argument(help="A schema file (JSON), as written by `datacheck infer`.",
                                               show_default=False)]


SchemaFilesArg = Annotated[list[Path], typer.Argument(
    help="Schema files (JSON), as written by `datacheck infer`.", show_default=False)]


@schema_app.command("check")
def check(files: SchemaFilesArg) -> None:
    """Check (hand-edited) schema files: exit 0 when all are valid, 2 with every error of every file listed
    when one is not (the pre-commit hook `datacheck-schema` runs this).

    Examples:

        datacheck schema check schema.json

        datacheck schema check schemas/*.json
    """
    invalid = 0
    for file in files:
        try:
            with reporting_errors():
                schema = Schema.load(file)
        except typer.Exit:  # the error is printed; check the other files too
            invalid += 1
            continue
        err_console.print(f"{file}: valid schema, {len(schema.columns)} columns", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_CANNOT_RUN if invalid else EXIT_OK)


@schema_app.command("show")
def show(file: SchemaFileArg) -> None:
    """Print a schema file as a readable table: one row per column, what it must look like.

    Examples:

        datacheck schema show schema.json
    """
    with reporting_errors():
        schema = Schema.load(file)
    write_result(SCHEMA, schema, "table", None, RenderContext(title=str(file)))
