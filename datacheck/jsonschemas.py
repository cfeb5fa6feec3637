"""Access to the JSON Schemas of our own file formats (schemas/*.schema.json, shipped inside the package)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@cache
def load_json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema `schemas/<name>.schema.json`, for example "statistics", "schema" or "report"."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def schema_errors(document: Any, name: str) -> list[tuple[str, str]]:
    """Every way `document` breaks schemas/<name>.schema.json, as (JSON path, message), in a stable order."""
    validator_cls = jsonschema.validators.validator_for(load_json_schema(name))
    validator = validator_cls(load_json_schema(name))
    found = [(error.json_path, error.message) for error in validator.iter_errors(document)]
    return sorted(found)
