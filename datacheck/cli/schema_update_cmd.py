"""`datacheck schema update schema.json DATA -o new.json`: relax a schema just enough to accept new data."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import EXIT_OK, err_console, reporting_errors, write_result
from datacheck.cli.options import DataArg, OutputOpt, read_options
from datacheck.cli.schema_cmd import schema_app
from datacheck.render.registry import SCHEMA
from datacheck.schema import Schema
from datacheck.sources import ReadOptions

SchemaPathArg = Annotated[Path, typer.Argument(help="The schema file to relax.", show_default=False)]


@schema_app.command("update")
@read_options
def update(
    schema: SchemaPathArg,
    data: DataArg,
    output: OutputOpt = None,
    *,
    read: ReadOptions,
) -> None:
    """Relax SCHEMA just enough to accept DATA (new domain values, wider ranges, more nulls, new columns, ...),
    as TFDV's update_schema does, and print what changed as a unified diff on stderr.

    The new schema goes to -o FILE (written atomically; it may be SCHEMA itself) or to stdout. Review the diff:
    only accept changes you judge legitimate.

    Examples:

        datacheck schema update schema.json new_batch.csv -o schema.json

        datacheck schema update schema.json stats.json -o schema_new.json && git diff --no-index schema.json schema_new.json
    """  # noqa: E501 (an example command that must stay on one line)
    from datacheck.profile import profile
    from datacheck.update import update_schema

    with reporting_errors():
        old = Schema.load(schema)
        stats = profile(list(data), read)
    new, changes = update_schema(old, stats)
    write_result(SCHEMA, new, "json", output)
    _print_changes(changes, old, new, fromfile=str(schema), tofile=str(output) if output else "(updated)")
    raise typer.Exit(EXIT_OK)


def _print_changes(changes: list[str], old: Schema, new: Schema, fromfile: str, tofile: str) -> None:
    """What changed, on stderr: one line per change, then the unified diff of the two schema files."""
    if not changes:
        err_console.print("no change: the schema already accepts the data", highlight=False)
        return
    err_console.print(f"{len(changes)} change{'s' if len(changes) != 1 else ''}:", highlight=False)
    for line in changes:
        err_console.print(f"  {line}", highlight=False, soft_wrap=True, markup=False)
    diff = difflib.unified_diff(old.dumps().splitlines(keepends=True), new.dumps().splitlines(keepends=True),
                                fromfile=fromfile, tofile=tofile)
    err_console.out("".join(diff), highlight=False)
