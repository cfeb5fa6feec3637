"""The command line's direct coercion (datacheck.cli.coercion) against typer's own pydantic coercion.

Every option and argument of every command is fed texts and values of its kind, valid and invalid; the direct
coercion must give the same value (same type) as typer's, or fail with the same message.
"""

from __future__ import annotations

import enum
import typing
from pathlib import Path
from typing import Any

import pytest
import typer.main

pytest.importorskip("typer._coercion", reason="datacheck.cli.coercion replaces typer 0.29's coercion layer")
from typer._click import Context  # noqa: E402
from typer._click.exceptions import BadParameter  # noqa: E402
from typer._coercion import build_runtime_param  # noqa: E402
from typer.core import _TyperParameter  # noqa: E402

from datacheck.cli import app  # noqa: E402
from datacheck.cli.coercion import QuickRuntimeParam, quicken  # noqa: E402
from datacheck.cli.config_cmd import command_tree  # noqa: E402

TEXTS = ["abc", "", "3", " 4", "-"]
WHOLE = ["3", "0", "-1", "007", "+2", "1_000", "1e3", "2.0", "abc", "", "99999999999999999999999", 5, 0, -3, True]
DECIMAL = ["0.25", "1e-3", "-0.5", "2", "1.", ".5", "nan", "inf", "abc", "1_0.5", "", 3, 0.75, -1.0, 2e300, True]
PATHS = ["a.csv", "-", "", "dir/b.parquet", Path("x.json")]


def samples(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        single = samples(item)
        return [tuple(single[:3]), list(single[-2:]), (), single[0]]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices = [member.value for member in annotation]
        return [*choices, *(str(c).upper() for c in choices), "bogus", "", list(annotation)[0]]
    if typing.get_origin(annotation) is typing.Literal:
        choices = list(typing.get_args(annotation))
        return [*choices, *(c.upper() for c in choices), "bogus", ""]
    if annotation is int:
        return WHOLE
    if annotation is float:
        return DECIMAL
    if annotation is Path:
        return PATHS
    if annotation is bool:
        return ["true", "false", "1", "no", "maybe", 1]
    return TEXTS


def all_params() -> list[tuple[str, Any]]:
    group = typer.main.get_command(app)
    found = [("datacheck", param) for param in group.params]
    for path, command in command_tree(group):
        found += [(" ".join(path) + " " + (param.name or ""), param) for param in command.params]
    return [(name, param) for name, param in found if isinstance(param, _TyperParameter)]


def outcome(runtime: Any, value: Any, param: Any, ctx: Context) -> tuple[str, Any]:
    try:
        result = runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()
    return type(result).__name__, repr(result)  # repr: nan equals nan


@pytest.mark.parametrize(("name", "param"), all_params(), ids=lambda item: item if isinstance(item, str) else "")
def test_direct_coercion_matches_typer(name: str, param: Any) -> None:
    ctx = Context(typer.main.get_command(app))
    descriptor = param.type_descriptor
    quick = QuickRuntimeParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                              descriptor=descriptor)
    direct = 0
    for value in samples(descriptor.annotation):
        param._runtime_param = None
        expected = outcome(build_runtime_param(descriptor), value, param, ctx)
        param._runtime_param = None
        got = outcome(quick, value, param, ctx)
        assert got == expected, (name, value)
        direct += param._runtime_param is None  # typer's adapter was not needed for this value
    # Every kind but booleans (which typer itself passes through) has values the direct path converts.
    assert direct > 0 or descriptor.annotation is bool, name


def test_every_parameter_is_covered_and_quickened() -> None:
    params = all_params()
    # the app's options plus at least one per command: the walk really saw the command line
    assert len(params) > 100
    group = typer.main.get_command(app)
    ctx = Context(group)
    quicken(group, ctx)
    assert all(isinstance(param._runtime_param, QuickRuntimeParam) for param in group.get_params(ctx)
               if isinstance(param, _TyperParameter))
    for _, command in command_tree(group):
        assert all(isinstance(param._runtime_param, QuickRuntimeParam) for param in command.params
                   if isinstance(param, _TyperParameter))
