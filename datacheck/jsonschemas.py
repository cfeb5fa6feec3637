"""Access to the JSON Schemas of our own file formats (schemas/*.schema.json, shipped inside the package)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@cache
def load_json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema `schemas/<name>.schema.json`, for example "statistics", "schema" or "report"."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def schema_errors(document: Any, name: str) -> list[tuple[str, str]]:
    """Every way `document` breaks schemas/<name>.schema.json, as (JSON path, message), in a stable order."""
    return sorted((error.json_path, error.message) for error in schema_error_objects(document, name))


def schema_error_objects(document: Any, name: str) -> list[Any]:
    """The jsonschema errors of `document` against schemas/<name>.schema.json, unsorted."""
    # Imported here: jsonschema with its format checkers costs about 60 ms, and `datacheck --help` or a
    # command that reads no file of ours never needs it.
    import jsonschema

    validator_cls = jsonschema.validators.validator_for(load_json_schema(name))
    return list(validator_cls(load_json_schema(name)).iter_errors(document))
