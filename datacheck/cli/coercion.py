"""Turning the command line's texts into typed values without importing pydantic for the common cases.

typer (0.29) coerces every parameter of the command that runs through a pydantic TypeAdapter, built on
first use. Importing pydantic for that cost about 0.25 s on each run (`python -X importtime -m datacheck stats
small.csv`: `typer._adapters` 247 ms, 2 cores, load ≈ 2), more than the whole scan of a 1,000-row file. Our
options are plain: texts, paths, whole and decimal numbers with bounds, choices, and lists of those. This
module converts those values directly, with typer's own helpers for paths and choices, and hands every other
case to typer's pydantic path: an unusual annotation or value, a value out of bounds, anything that raises.
So a value is either converted exactly as typer would convert it, or by typer itself, with typer's messages.

It uses typer 0.29's coercion layer (typer._coercion); with a typer laid out otherwise this module does not
import, and datacheck.cli.lazy_commands falls back to typer's own group and coercion.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from typer._click import Command, Context
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import TyperGroup, _TyperParameter

#: Whole numbers the fast path converts: plain digits, short enough that int() and pydantic agree.
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
#: Decimal numbers the fast path converts: float() and pydantic both round these correctly.
_FLOAT = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,18})?(?:[eE][-+]?[0-9]{1,2})?")


class _Slow(Exception):
    """The value needs typer's own (pydantic) coercion."""


@dataclass(frozen=True)
class QuickRuntimeParam(RuntimeParam):
    """typer's coercion contract, done directly where the result is certain and by typer otherwise."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        try:
            return _convert(self.annotation, self.descriptor, value, param, ctx)
        except Exception:  # typer converts it again and raises its own error, or converts what we did not
            pass
        # The pydantic adapter is built on the first value the fast path declines, as typer builds it.
        slow = build_runtime_param(self.descriptor)
        param._runtime_param = slow
        return slow._coerce_value(value, param=param, ctx=ctx)


def _convert(annotation: Any, descriptor: TypeDescriptor, value: Any, param: _TyperParameter, ctx: Context) -> Any:
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        raise _Slow
    if get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        items = value if isinstance(value, (list, tuple)) else [value]
        return [_convert(item_type, descriptor, item, param, ctx) for item in items]
    if (isinstance(annotation, type) and issubclass(annotation, enum.Enum)) or get_origin(annotation) is Literal:
        choices = tuple(annotation) if get_origin(annotation) is not Literal else get_args(annotation)
        return coerce_cli_choice(value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx)
    if annotation is str and isinstance(value, str):
        return value
    if annotation is int and (type(value) is int or (isinstance(value, str) and _INT.fullmatch(value))):
        return _within(int(value), info.min, info.max)
    if annotation is float and (type(value) in (int, float) or (isinstance(value, str) and _FLOAT.fullmatch(value))):
        return _within(float(value), info.min, info.max)
    is_path = isinstance(value, Path) or (isinstance(value, str) and value != "")
    if annotation is Path and info.path_type is None and is_path:
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    raise _Slow


def _within(number: Any, low: float | None, high: float | None) -> Any:
    # Out of bounds: typer clamps or reports it, in its own words.
    if (low is not None and number < low) or (high is not None and number > high) or number != number:
        raise _Slow
    return number


def quicken(command: Any, ctx: Context) -> None:
    """Give each typer parameter of `command` (and of its subcommands) the direct coercion, unless it has one."""
    quicken_params(command, ctx)
    for sub in getattr(command, "commands", {}).values():
        quicken(sub, ctx)


class QuickGroup(TyperGroup):
    """The app's command group: its own options and each command it runs get the direct coercion."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        quicken_params(self, ctx)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if isinstance(command, Command):  # not the stand-ins that --help lists (datacheck.cli.lazy_commands)
            quicken(command, ctx)
        return command


def quicken_params(command: Any, ctx: Context) -> None:
    """Give each typer parameter of `command` (its --help too) the direct coercion, unless it has one."""
    for param in command.get_params(ctx):
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            param._runtime_param = QuickRuntimeParam(parameter_info=param.type_descriptor.parameter_info,
                                                     annotation=param.type_descriptor.annotation,
                                                     descriptor=param.type_descriptor)


__all__ = ["QuickGroup", "QuickRuntimeParam", "quicken", "quicken_params"]
