"""The JSON Schema of the configuration file (schemas/config.schema.json), derived from the commands' options.

Every option of every command may have a default in the configuration file, so the JSON Schema is written from
the command line itself: one table per command (`validate`, `schema-update`, ...) holding its options by long
name, and at the top the options that mean the same (one type) wherever they appear. Each option's help text
is its description. `scripts/config_schema.py` writes the file; tests/test_config.py fails while the file
differs from what this module derives, so a new option or command cannot be left out.

`-o/--output` and `--format` are per command only: each command has its own formats.
"""

from __future__ import annotations

import enum
import types
import typing
from pathlib import Path
from typing import Any

from datacheck.cli.config_cmd import command_tree, options_of, table_name

#: Options that are never defaults at the top level.
PER_COMMAND_ONLY = frozenset({"output", "format"})

#: Text options that name files (besides those typed as paths): read relative to the configuration file.
FILE_OPTIONS = frozenset({"baseline"})

#: Commands without configurable defaults.
SKIPPED_COMMANDS = frozenset({"config"})

SCHEMA_ID = "https://datacheck.dev/schemas/config.schema.json"

DESCRIPTION = ("[tool.datacheck] in pyproject.toml, or the whole of a datacheck.toml. Keys are the commands' long "
               "option names. A key at the top applies to every command that has that option; a table per command "
               "([tool.datacheck.validate]) overrides it there. Command-line flags win over both. Generated from "
               "the commands' options by scripts/config_schema.py.")


def _value_schema(annotation: Any, names_a_file: bool) -> dict[str, Any]:
    """The JSON Schema of one value of an option typed `annotation`."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {"enum": [member.value for member in annotation]}
    if typing.get_origin(annotation) is typing.Literal:
        return {"enum": list(typing.get_args(annotation))}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is float:
        return {"type": "number"}
    if annotation is Path or names_a_file:
        return {"type": "string", "minLength": 1, "format": "path"}
    return {"type": "string"}


def option_schema(key: str, param: Any) -> dict[str, Any]:
    """The JSON Schema of an option's value in the configuration file."""
    annotation = param.type_descriptor.annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):  # X | None
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        origin = typing.get_origin(annotation)
    if getattr(param, "multiple", False) or origin is list:
        item = typing.get_args(annotation)[0] if origin is list else annotation
        value = _value_schema(item, key in FILE_OPTIONS)
        # A threshold and the like may be written as a TOML number; the option reads it as text.
        if value.get("type") == "string" and "format" not in value:
            value = {"type": ["string", "number"]}
        schema: dict[str, Any] = {"type": "array", "items": value}
    else:
        schema = _value_schema(annotation, key in FILE_OPTIONS)
        for bound, keyword in (("min", "minimum"), ("max", "maximum")):
            if getattr(param, bound, None) is not None and schema.get("type") in ("integer", "number"):
                schema[keyword] = getattr(param, bound)
    help_text = " ".join((getattr(param, "help", None) or "").split())
    return {**schema, "description": f"--{key}: {help_text}".rstrip(": ")}


def config_json_schema(group: Any) -> dict[str, Any]:
    """The JSON Schema of the configuration file for the commands under `group` (the app's click group)."""
    tables: dict[str, dict[str, Any]] = {}
    for path, command in command_tree(group):
        name = table_name(path)
        options = options_of(command)
        if name in SKIPPED_COMMANDS or not options:
            continue
        tables[name] = {key: option_schema(key, param) for key, param in options.items()}
    shared: dict[str, Any] = {}
    conflicting: set[str] = set()
    for properties in tables.values():
        for key, schema in properties.items():
            if key in PER_COMMAND_ONLY or key in conflicting:
                continue
            kind = {k: v for k, v in schema.items() if k != "description"}
            if key in shared and {k: v for k, v in shared[key].items() if k != "description"} != kind:
                conflicting.add(key)  # one name, two meanings: only per command
                del shared[key]
            elif key not in shared:
                shared[key] = schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "datacheck configuration",
        "description": DESCRIPTION,
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **dict(sorted(shared.items())),
            **{name: {"type": "object", "additionalProperties": False,
                      "description": f"Defaults of `datacheck {name.replace('-', ' ')}`.",
                      "properties": properties} for name, properties in tables.items()},
        },
    }


__all__ = ["FILE_OPTIONS", "PER_COMMAND_ONLY", "SKIPPED_COMMANDS", "config_json_schema", "option_schema"]
