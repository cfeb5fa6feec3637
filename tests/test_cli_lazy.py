"""The commands loaded on first use (datacheck.cli.lazy_commands): the table `datacheck --help` lists from
must name every command the modules register, with the help each really has, and --help must print the
same as when every command is built."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import pkgutil

import typer.main

import datacheck.cli
from datacheck.cli import app, main
from datacheck.cli.lazy_commands import COMMANDS, LazyCommands


def _register_every_command() -> None:
    for module in pkgutil.iter_modules(datacheck.cli.__path__):
        importlib.import_module(f"datacheck.cli.{module.name}")


def _help(argv: list[str]) -> str:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code in (0, None)
    return out.getvalue()


def test_the_table_names_every_registered_command_with_its_help() -> None:
    _register_every_command()
    names = {info.name or typer.main.get_command_name(info.callback.__name__)
             for info in app.registered_commands if info.callback is not None}
    names |= {group.name for group in app.registered_groups}
    assert sorted(COMMANDS) == sorted(names)
    group = typer.main.get_command(app)
    for name, (_, shown) in COMMANDS.items():
        command = group.commands[name]
        assert command.name == name
        first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        assert shown == " ".join(first.split("\n")).strip(), name


def test_help_lists_the_same_as_with_every_command_built() -> None:
    lazy = _help(["--help"])
    assert "stats" in lazy and "history" in lazy
    group = typer.main.get_command(app)
    assert isinstance(group.commands, LazyCommands)
    built = [group.commands[name] for name in list(group.commands)]  # every command really built
    assert all(hasattr(command, "params") for command in built)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            group.main(["--help"], prog_name="datacheck")
        except SystemExit:
            pass
    assert out.getvalue() == lazy


def test_an_unknown_command_is_a_usage_error_with_a_suggestion() -> None:
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            main(["stast"])
        except SystemExit as exc:
            assert exc.code == 2
    assert "No such command 'stast'" in err.getvalue() and "'stats'" in err.getvalue()
