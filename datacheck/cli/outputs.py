"""Where a command's result goes: `-o FILE` (repeatable) and stdout, each with its format.

One run writes every output, so CI scans the data once for all the reports it wants:

    datacheck validate batch.csv -s schema.json -o report.json -o junit.xml -o summary.md -o report.html

Each FILE gets the format its suffix names (.json, .md, .xml, .html; `SUFFIX_FORMATS` in the render registry),
or `--format` (else a table) when the result kind has no format for that suffix. With a single `-o FILE`,
`--format` still names that file's format, as it always has. `-o -` is stdout, in `--format` (else a table),
beside the files: `--format github -o - -o report.html`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from datacheck.errors import UsageError
from datacheck.render.registry import SUFFIX_FORMATS, Kind, format_for, formats

#: `-o -`: the result on stdout, beside the files.
STDOUT = "-"


class Outputs(list[Path]):
    """The `-o` values of one command, in the order given; prints as the list of names ("a.json, b.xml"), so a
    message that names "the output" names them all."""

    def __str__(self) -> str:
        return ", ".join(str(path) for path in self)


OutputOpt = Annotated[list[Path] | None, typer.Option(
    "--output", "-o", show_default=False,
    help="Write the result to FILE (atomically) instead of stdout. Repeatable: each FILE gets the format of its "
         "suffix (.json, .md, .xml, .html), all from one run; '-o -' is stdout.")]


def name_outputs(app: typer.Typer) -> None:
    """Hand every command of `app` (and of its sub-apps) its `-o` values as `Outputs`, which print as a list of
    names, instead of the plain list typer builds; so the commands' messages ("wrote FILE") need no change."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = _with_outputs(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            name_outputs(group.typer_instance)


def _with_outputs(command: Callable[..., Any]) -> Callable[..., Any]:
    if "output" not in inspect.signature(command).parameters or getattr(command, "names_outputs", False):
        return command

    @functools.wraps(command)
    def with_outputs(**kwargs: Any) -> Any:
        if kwargs.get("output"):
            kwargs["output"] = Outputs(kwargs["output"])
        return command(**kwargs)

    with_outputs.names_outputs = True  # type: ignore[attr-defined]  # commands are loaded one by one: wrap once
    return with_outputs


def plan(kind: Kind[Any], fmt: str | None, outputs: Path | Sequence[Path] | None) -> list[tuple[Path | None, str]]:
    """Each destination (a path, or None for stdout) with the format it gets, in the order given.

    Raises:
        UsageError: a destination given twice.
    """
    targets: list[Path] = [outputs] if isinstance(outputs, Path) else list(outputs or [])
    if not targets:
        return [(None, fmt or "table")]
    seen: set[str] = set()
    for path in targets:
        name = str(path) if str(path) == STDOUT else str(path.resolve())
        if name in seen:
            raise UsageError(f"-o {path} is given twice", hint="give each output once")
        seen.add(name)
    chosen: list[tuple[Path | None, str]] = []
    for path in targets:
        if str(path) == STDOUT:
            chosen.append((None, fmt or "table"))
        elif len(targets) == 1 and fmt is not None:
            chosen.append((path, fmt))
        else:
            chosen.append((path, _suffix_format(kind, path, fmt)))
    return chosen


def _suffix_format(kind: Kind[Any], path: Path, fmt: str | None) -> str:
    """The format `path`'s suffix names, if `kind` has it; else `fmt`, else a table."""
    if path.suffix.lower() in SUFFIX_FORMATS and format_for(kind, path) != "table":
        return format_for(kind, path)
    return fmt if fmt is not None and fmt in formats(kind) else "table"


__all__ = ["OutputOpt", "Outputs", "STDOUT", "name_outputs", "plan"]
