"""The configuration file: `[tool.datacheck]` in pyproject.toml, or a `datacheck.toml`, found from the working
directory upward, checked against schemas/config.schema.json.

A configuration file is data: it holds option values (the commands' long option names as keys) and nothing in
it is run. Keys at the top apply to every command that has the option; a table per command overrides them
there; command-line flags win over both (the CLI applies that order).

Example (pyproject.toml):

    [tool.datacheck]
    schema = "schema.json"        # relative to this file's directory
    fail-on = "warning"
    null-value = ["NA", "?"]

    [tool.datacheck.validate]
    output = ["reports/datacheck.json", "reports/junit.xml"]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datacheck.errors import DatacheckError
from datacheck.jsonschemas import load_json_schema, schema_error_objects

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML through the tomli backport (a dependency there)
    import tomli as tomllib

#: The file names looked for in each directory, the first found winning.
CONFIG_FILE, PYPROJECT = "datacheck.toml", "pyproject.toml"



def command_tables() -> tuple[str, ...]:
    """The tables of per-command defaults ("validate", "schema-update", ...), as the JSON Schema lists them."""
    properties = load_json_schema("config")["properties"]
    return tuple(name for name, spec in properties.items() if spec.get("type") == "object")


def _names_a_path(spec: dict[str, Any]) -> bool:
    """A value (or list of values) marked `"format": "path"` in the JSON Schema: a file or directory, read
    relative to the configuration file's directory, so that a config at the repository's root means the same
    files from any directory below it."""
    return spec.get("format") == "path" or spec.get("items", {}).get("format") == "path"


class ConfigError(DatacheckError):
    """A configuration file that is not valid TOML, or breaks schemas/config.schema.json."""


@dataclass(frozen=True)
class Config:
    """A configuration file's settings.

    Fields:
        path: the file, or None when none was found (every setting is then a command's default).
        table: where in the file the settings are: "[tool.datacheck]" in a pyproject.toml, "" in a datacheck.toml.
        shared: the top-level settings (long option name -> value), for every command that has the option.
        commands: the per-command tables: command name ("validate", "schema-update") -> settings.
    """

    path: Path | None = None
    table: str = ""
    shared: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)

    def where(self, command: str | None = None) -> str:
        """Where a setting came from, as a user reads it: `pyproject.toml [tool.datacheck.validate]`."""
        if self.path is None:
            return "default"
        table = self.table.strip("[]")
        if command is not None:
            table = f"{table}.{command}" if table else command
        return f"{self.path}" + (f" [{table}]" if table else "")

    def settings(self, command: str) -> dict[str, tuple[Any, str]]:
        """The settings `command` gets from this file: long option name -> (value, where it came from)."""
        found = {key: (value, self.where()) for key, value in self.shared.items()}
        found.update((key, (value, self.where(command))) for key, value in self.commands.get(command, {}).items())
        return found


def find(start: Path | None = None) -> Path | None:
    """The configuration file that applies in `start` (the working directory): in `start` or the nearest
    directory above it, a datacheck.toml, or a pyproject.toml that has a [tool.datacheck] table."""
    directory = (start or Path.cwd()).resolve()
    for candidate in (directory, *directory.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_datacheck_table(pyproject):
            return pyproject
    return None


def load(path: Path | None) -> Config:
    """Read and check a configuration file (None: no file, every setting a default).

    Raises:
        ConfigError: the file cannot be read, is not valid TOML, or breaks schemas/config.schema.json; the
            message names the file, the table and the key.
    """
    if path is None:
        return Config()
    document = _read_toml(path)
    if path.name == PYPROJECT:
        section, table = document.get("tool", {}).get("datacheck", {}), "[tool.datacheck]"
    else:
        section, table = document, ""
    problems = _problems(section)
    if problems:
        listed = "\n".join(f"  {_toml_place(table, where)}: {message}" for where, message in problems)
        raise ConfigError(f"invalid configuration, {len(problems)} error{'s' if len(problems) > 1 else ''}:\n{listed}",
                          path=str(path), hint="keys are the commands' long option names (fail-on, null-value, "
                                               "...); `datacheck config` shows the effective settings")
    base = path.resolve().parent
    properties = load_json_schema("config")["properties"]
    tables = command_tables()
    shared = {key: _resolved(properties[key], value, base) for key, value in section.items() if key not in tables}
    commands = {name: {key: _resolved(properties[name]["properties"][key], value, base)
                       for key, value in section[name].items()}
                for name in tables if name in section}
    return Config(path=path, table=table, shared=shared, commands=commands)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration file: {exc.strerror or exc}", path=str(path)) from None


def _has_datacheck_table(pyproject: Path) -> bool:
    # A pyproject.toml that is not valid TOML is reported when it is the one that applies, not skipped
    # silently: the [tool.datacheck] table may be in it.
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "datacheck" not in text:
        return False
    try:
        return "datacheck" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return True


def _problems(section: Any) -> list[tuple[list[str], str]]:
    """Every way `section` breaks schemas/config.schema.json: (keys leading to the value, message), in order."""
    return sorted(([str(part) for part in error.absolute_path], error.message)
                  for error in schema_error_objects(section, "config"))


def _toml_place(table: str, keys: list[str]) -> str:
    """The keys leading to a value of the checked section (["validate", "fail-on"]) as the table and key a
    user edits: "[tool.datacheck.validate] fail-on"."""
    parts = list(keys)
    if parts and parts[0] in command_tables():
        inner = table.strip("[]")
        table = f"[{inner}.{parts[0]}]" if inner else f"[{parts[0]}]"
        parts = parts[1:]
    key = ".".join(parts)
    return f"{table} {key}".strip() if key else (table or "(top level)")


def _resolved(spec: dict[str, Any], value: Any, base: Path) -> Any:
    """Paths relative to the config file's directory; `-` (stdout) and URLs as written."""
    if not _names_a_path(spec):
        return value
    if isinstance(value, list):
        return [_resolved({"format": "path"}, item, base) for item in value]
    if value == "-" or "://" in value or Path(value).is_absolute():
        return value
    return str(base / value)


__all__ = ["Config", "ConfigError", "CONFIG_FILE", "PYPROJECT", "command_tables", "find", "load"]
