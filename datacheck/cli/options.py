"""Options that several commands share, each declared once: DATA, -o, how to read DATA, and --format.

typer builds a command's options from its signature, and has no groups of parameters. So the options that
always come together are added by decorators that rewrite the signature typer reads:

- `read_options` puts the ten options that say how to read DATA (--input-format, --delimiter, --encoding,
  --null-value, --no-header, --keep-whitespace,
  --decimal-comma, --storage-option,
  --sql, --table) where the command has its `read: ReadOptions` parameter, and
  hands the command one `ReadOptions` built from them.
- `format_choices(kind)` makes the choices of the command's `fmt` option the formats the render registry
  can write for `kind`: `--help` lists exactly those, and any other value is a usage error (exit 2).

Example:
    @app.command()
    @format_choices(STATS)
    @read_options
    def stats(data: DataArg, fmt: FormatOpt = None, *, read: ReadOptions) -> None: ...
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

import typer

from datacheck.cli.outputs import OutputOpt
from datacheck.render.registry import Kind, formats
from datacheck.sources import ReadOptions

DataArg = Annotated[list[str], typer.Argument(help="Data: files, directories, globs, - (stdin), s3:// or https:// "
                                                   "URLs, a database URI, or saved statistics (docs/sources.md).",
                                              show_default=False)]

Command = Callable[..., None]

# The ten read options, in the order --help lists them, with their defaults.
_READ_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("input_format", Annotated[str | None, typer.Option(
        "--input-format",
        help="Override the format guessed from the extension: csv, tsv, parquet, ndjson, json, ipc.")], None),
    ("delimiter", Annotated[str | None, typer.Option(
        "--delimiter", help="CSV field separator (default: ',' for .csv, tab for .tsv).")], None),
    ("encoding", Annotated[str, typer.Option(
        "--encoding", help="Text encoding of CSV/JSON input: utf8, utf8-lossy, latin1, utf16, ...")], "utf8"),
    ("null_value", Annotated[list[str] | None, typer.Option(
        "--null-value",
        help="A CSV cell text that means missing (repeatable), e.g. --null-value NA --null-value '?'.")], None),
    ("no_header", Annotated[bool, typer.Option(
        "--no-header", help="The CSV has no header row; columns are named column_0, column_1, ...")], False),
    ("keep_whitespace", Annotated[bool, typer.Option(
        "--keep-whitespace",
        help="Keep the spaces after the CSV delimiter ('39, State-gov'); by default they are stripped from names "
             "and values when the file is laid out so.")], False),
    ("decimal_comma", Annotated[bool, typer.Option(
        "--decimal-comma", help="CSV numbers are written with a decimal comma (1,5), as in European exports; "
                                "use with --delimiter ';'.")], False),
    ("storage_option", Annotated[list[str] | None, typer.Option(
        "--storage-option", metavar="KEY=VALUE",
        help="A setting of the object store for s3://, gs://, az:// DATA (repeatable), with polars' key names, e.g. "
             "--storage-option aws_region=eu-west-1; credentials also come from the usual environment "
             "variables.")], None),
    ("sql", Annotated[str | None, typer.Option(
        "--sql", metavar="QUERY",
        help="With a database URI as DATA (postgresql://, sqlite:///, duckdb:///): the query whose rows are checked.")],
     None),
    ("table", Annotated[str | None, typer.Option(
        "--table", metavar="NAME", help="With a database URI as DATA: the table whose rows are checked.")], None),
)

_noted: set[str] = set()


def note_on_stderr(text: str) -> None:
    """Print a reading note on stderr, once per text (a file read twice, as data and baseline, notes once)."""
    from datacheck.cli.common import err_console

    if text not in _noted:
        _noted.add(text)
        err_console.print(f"note: {text}", markup=False, soft_wrap=True)


def read_options(command: Command) -> Command:
    """Give `command` the ten read options in place of its `read: ReadOptions` parameter."""

    @functools.wraps(command)
    def with_read_options(**kwargs: Any) -> None:
        read = ReadOptions(input_format=kwargs.pop("input_format"), delimiter=kwargs.pop("delimiter"),
                           encoding=kwargs.pop("encoding"), null_values=tuple(kwargs.pop("null_value") or ()),
                           has_header=not kwargs.pop("no_header"), keep_whitespace=kwargs.pop("keep_whitespace"),
                           decimal_comma=kwargs.pop("decimal_comma"),
                           storage_options=_key_values(kwargs.pop("storage_option")), sql=kwargs.pop("sql"),
                           table=kwargs.pop("table"), on_note=note_on_stderr)
        if (read.sql is not None or read.table is not None) and not _names_a_database(kwargs):
            raise typer.BadParameter("--sql and --table read a database: give its URI as DATA "
                                     "(postgresql://..., sqlite:///file.db, duckdb:///file.duckdb)",
                                     param_hint="--sql/--table")
        command(**kwargs, read=read)

    shared = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
              for name, annotation, default in _READ_OPTIONS]
    _set_parameters(with_read_options, command, "read", lambda _: shared)
    return with_read_options


def _names_a_database(arguments: dict[str, Any]) -> bool:
    from datacheck.databases import is_database

    values = [v for value in arguments.values() for v in (value if isinstance(value, list) else [value])]
    return any(isinstance(v, str) and is_database(v) for v in values)


def _key_values(items: list[str] | None) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items or ():
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--storage-option")
        pairs.append((key.strip(), value))
    return tuple(pairs)


def format_choices(kind: Kind[Any]) -> Callable[[Command], Command]:
    """Make the choices of `command`'s `fmt` option (annotated `str` or `str | None`) the formats of `kind`."""
    choices: Any = Literal[formats(kind)]  # Literal[("a", "b")] is Literal["a", "b"]

    def decorate(command: Command) -> Command:
        def with_choices(param: inspect.Parameter) -> list[inspect.Parameter]:
            value_type, option = get_args(param.annotation)
            optional = type(None) in get_args(value_type)
            return [param.replace(annotation=Annotated[choices | None if optional else choices, option])]

        _set_parameters(command, command, "fmt", with_choices)
        return command

    return decorate


def _set_parameters(target: Command, command: Command, name: str,
                    replace: Callable[[inspect.Parameter], list[inspect.Parameter]]) -> None:
    """Give `target` the signature of `command` with its parameter `name` replaced by `replace(parameter)`.

    Every parameter becomes keyword-only: typer passes them all by name, and a keyword-only parameter may
    go without a default between two that have one.
    """
    signature = inspect.signature(command, eval_str=True)
    if name not in signature.parameters:
        raise TypeError(f"{command.__name__} has no parameter {name!r} to replace")
    parameters = [new.replace(kind=inspect.Parameter.KEYWORD_ONLY) for param in signature.parameters.values()
                  for new in (replace(param) if param.name == name else [param])]
    target.__dict__["__signature__"] = signature.replace(parameters=parameters)


__all__ = ["DataArg", "OutputOpt", "read_options", "format_choices"]
