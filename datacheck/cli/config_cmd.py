"""The configuration file on the command line: its settings become each command's defaults (flags still win),
and `datacheck config` prints the effective settings and where each came from.

The settings reach the commands through the context's `default_map`, set by the app's callback before the
command parses its options: an option given on the command line wins, one absent takes the file's value, and
`--help` shows the file's values as the defaults.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from datacheck.cli.common import app, out_console, reporting_errors
from datacheck.config import Config
from datacheck.jsonschemas import SCHEMA_DIR

#: Where the app's callback keeps the loaded configuration, for `datacheck config`.
META_KEY = "datacheck.config"


def command_tree(group: Any, prefix: tuple[str, ...] = (), only: str | None = None
                 ) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under `group` with its path of names (("schema", "update"), ...), in registration order;
    with `only`, the top-level command of that name (and its subcommands) alone."""
    commands = getattr(group, "commands", {})
    for name in commands:
        if only is not None and not prefix and name != only:
            continue  # not built: a lazily loaded command is built when it is looked up
        command = commands[name]
        if hasattr(command, "commands"):
            yield from command_tree(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def table_name(path: tuple[str, ...]) -> str:
    """The config table of a command: "validate", "schema-update"."""
    return "-".join(path)


def options_of(command: Any) -> dict[str, Any]:
    """A command's options by long name ("fail-on" -> its parameter), --help aside."""
    found = {}
    for param in command.params:
        longs = [opt[2:] for opt in getattr(param, "opts", []) if opt.startswith("--")]
        if getattr(param, "param_type_name", "") == "option" and longs and longs[0] != "help":
            found[longs[0]] = param
    return found


def default_map(group: Any, config: Config, only: str | None = None) -> dict[str, Any]:
    """The file's settings as click's default map: {"validate": {"fail_on": "warning"}, "schema": {"update": ...}}.
    A top-level key goes to every command that has that option. `only`: the map of that command (the one that
    runs) alone, so that the other commands need not be loaded (datacheck.cli.lazy_commands)."""
    defaults: dict[str, Any] = {}
    for path, command in command_tree(group, only=only):
        options = options_of(command)
        values = {options[key].name: _as_option_value(options[key], value)
                  for key, (value, _) in config.settings(table_name(path)).items() if key in options}
        if values:
            node = defaults
            for name in path[:-1]:
                node = node.setdefault(name, {})
            node[path[-1]] = values
    return defaults


def _as_option_value(param: Any, value: Any) -> Any:
    # A repeatable option takes a list of texts (a threshold may be written as a number in TOML).
    if getattr(param, "multiple", False):
        items = value if isinstance(value, list) else [value]
        return [item if isinstance(item, str) else str(item) for item in items]
    return value


CommandArg = Annotated[str | None, typer.Argument(
    help="Show one command's settings only (validate, stats, drift, infer, merge, schema-update).",
    show_default=False)]


@app.command("config")
def config_command(ctx: typer.Context, command: CommandArg = None) -> None:
    """Print the effective settings of every command and where each came from: the configuration file
    ([tool.datacheck] in pyproject.toml, or datacheck.toml, found from the working directory upward) or the
    command's default. Flags given on a command line win over both.

    Examples:

        datacheck config

        datacheck config validate
    """
    from datacheck.errors import UsageError

    config: Config = ctx.find_root().meta.get(META_KEY) or Config()
    commands = [(path, cmd) for path, cmd in command_tree(ctx.find_root().command) if path != ("config",)]
    with reporting_errors():
        if command is not None and command not in {table_name(path) for path, _ in commands}:
            raise UsageError(f"no command {command!r}",
                             hint=f"one of {', '.join(table_name(path) for path, _ in commands)}")
    lines = [f"config file: {config.where()}" if config.path is not None
             else "config file: none (none was found from the working directory upward, or --no-config was given); "
                  "every setting is a default",
             f"JSON Schemas of datacheck's files, for editors (docs/editors.md): {SCHEMA_DIR}", ""]
    for path, cmd in commands:
        if command is not None and table_name(path) != command:
            continue
        options = options_of(cmd)
        if not options:
            continue
        settings = config.settings(table_name(path))
        lines.append(f"datacheck {' '.join(path)}")
        width = max(len(key) for key in options) + 2
        for key, param in options.items():
            value, source = settings.get(key, (param.default, "default"))
            lines.append(f"  --{key:<{width}} {_shown(value):<24} {source}")
        lines.append("")
    out_console.out("\n".join(lines).rstrip("\n"), highlight=False)


def _shown(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or value == [] or value == ():
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["META_KEY", "command_tree", "default_map", "options_of", "table_name"]
