"""The typer app, whose commands are each imported and built when they are first asked for.

Importing every command module and building every command's parameters cost about 0.1 s of each run (the
command modules import the schema, inference and TFDV modules at their top), while a run needs one command.
`datacheck --help` lists the commands from `COMMANDS` (each one's first help paragraph), so it imports none
of them; `datacheck stats ...` imports `datacheck.cli.stats_cmd` and builds that command only. Whatever walks
every command (`datacheck config`, the configuration file's defaults, the configuration's JSON Schema) still
sees all of them: iterating the group's commands loads each in turn. tests/test_cli_lazy.py checks that the
table matches the commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter

try:
    from datacheck.cli.coercion import QuickGroup as _Group
except ImportError:  # a typer without 0.29's coercion layer: its own coercion, pydantic or not
    from typer.core import TyperGroup as _Group  # type: ignore[assignment]

#: Each command: the modules that register it (and its subcommands) on the app, and the first paragraph of
#: its help as `datacheck --help` shows it. In the order of `datacheck --help`: commands, then groups.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "stats": (("stats_cmd",), "Compute per-column statistics of DATA: counts, missing values, min/max/mean/std, "
                              "quantiles, histograms, distinct and top values, string lengths."),
    "infer": (("infer_cmd",), "Infer a schema from DATA (files, directories, globs, or a saved statistics file)."),
    "drift": (("drift_cmd",), "Compare CURRENT with BASELINE column by column and report distribution drift."),
    "validate": (("validate_cmd",), "Validate DATA against a schema: every anomaly with its column, count, "
                                    "examples and fix."),
    "merge": (("merge_cmd",), "Merge saved statistics into the statistics of the union of their data, without "
                              "reading the data again."),
    "skew": (("skew_cmd",), "Join BASE and TEST on --key and report, per feature, the rows whose values differ "
                            "(feature skew: one example computed two ways, e.g. at training and at serving time)."),
    "monitor": (("monitor_cmd",), "Add DATA to the history as one batch and judge its metrics against the batches "
                                  "before it."),
    "config": (("config_cmd",), "Print the effective settings of every command and where each came from: the "
                                "configuration file ([tool.datacheck] in pyproject.toml, or datacheck.toml, found "
                                "from the working directory upward) or the command's default. Flags given on a "
                                "command line win over both."),
    "schema": (("schema_cmd", "schema_update_cmd", "tfdv_cmd"), "Check, show, update, import or export a schema file."),
    "history": (("history_cmd",), "The history of batches that `datacheck monitor` keeps: list, show, add, remove, "
                                  "prune, export, import, report."),
}


def build_command(name: str) -> Command:
    """Import the modules of command `name` and build its click command (a group for `schema`, `history`)."""
    import typer.main

    from datacheck.cli.outputs import name_outputs

    for module in COMMANDS[name][0]:
        importlib.import_module(f"datacheck.cli.{module}")
    name_outputs(app)
    short, markup = app.pretty_exceptions_short, app.rich_markup_mode
    for info in app.registered_commands:
        if info.callback is not None and (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            return typer.main.get_command_from_info(info, pretty_exceptions_short=short, rich_markup_mode=markup)
    for group in app.registered_groups:
        if group.name == name:
            return typer.main.get_group_from_info(group, pretty_exceptions_short=short, rich_markup_mode=markup,
                                                  suggest_commands=app.suggest_commands)
    raise KeyError(name)


class LazyCommands(MutableMapping[str, "Command"]):
    """The group's commands by name: the names of `COMMANDS` first, each command built on first access."""

    def __init__(self, built: MutableMapping[str, Command]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> Command:
        if name not in self._built and name in COMMANDS:
            self._built[name] = build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._built)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def listed(self) -> dict[str, Any]:
        """Every command as --help lists it: the built ones, and a stand-in with its help for the others."""
        return {name: self._built[name] if name in self._built else Listed(name, COMMANDS[name][1])
                for name in self}


@dataclass(frozen=True)
class Listed:
    """What the group's --help reads of a command it lists without building it."""

    name: str
    help: str
    short_help: str | None = None
    hidden: bool = False
    deprecated: bool = False
    rich_help_panel: str | None = None


class LazyGroup(_Group):
    """The app's group: its commands are a `LazyCommands`, and its --help lists them without building them."""

    def __init__(self, *, commands: Any = None, **attrs: Any) -> None:
        super().__init__(commands=commands, **attrs)
        # typer built the commands registered so far; `build_command` builds them again, with their `-o` values
        # named (datacheck.cli.outputs), when they are asked for.
        self.commands = LazyCommands({name: command for name, command in self.commands.items()
                                      if name not in COMMANDS})

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        commands = self.commands
        self.commands = commands.listed() if isinstance(commands, LazyCommands) else commands
        try:
            super().format_help(ctx, formatter)
        finally:
            self.commands = commands


#: The command line. Its commands are registered by the command modules, which `build_command` imports.
app = typer.Typer(
    name="datacheck",
    help="Fast data validation for ML pipelines: statistics, schema inference, validation and drift.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=True,
    epilog="Tab completion: `datacheck --install-completion` (bash, zsh, fish or PowerShell, detected), then open "
           "a new shell. Settings for every command: `[tool.datacheck]` in pyproject.toml or a datacheck.toml "
           "(`datacheck config` shows them).",
    rich_markup_mode="markdown",
    cls=LazyGroup,
)


__all__ = ["app", "COMMANDS", "LazyCommands", "Listed", "LazyGroup", "build_command"]
