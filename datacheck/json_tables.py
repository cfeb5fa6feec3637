"""JSON documents as tables: which shapes of JSON are a table, and what a document that is not one is instead.

`sources` reads JSON files through `json_table`, and names a foreign document (a schema file, TFDV
statistics) through `foreign_json`, so that the error says what the file is rather than only what it is not.
"""

from __future__ import annotations

import json
from typing import Any

from datacheck.errors import InputError
from datacheck.statistics import STATISTICS_FORMAT

JSON_SHAPES = ("JSON data must be a list of objects (one per row) or an object of equal-length column arrays",
                "for one object per line, name the file .jsonl or pass --input-format ndjson")


def foreign_json(document: Any) -> str | None:
    """What a JSON document that is not datacheck statistics is, when it is something we recognise."""
    if not isinstance(document, dict):
        return None
    declared = document.get("format")
    if declared == "datacheck.schema":
        return "this is a datacheck schema file"
    if isinstance(declared, str):
        return f"it declares \"format\": {json.dumps(declared)}"
    datasets = document.get("datasets")
    if isinstance(datasets, list) and datasets and isinstance(datasets[0], dict) and (
            "features" in datasets[0] or "numExamples" in datasets[0]):
        return "this looks like TFDV statistics (DatasetFeatureStatisticsList), which datacheck cannot read"
    return None


def json_table(document: Any, path: str) -> Any:
    """The part of a JSON document that is a table, or an InputError saying what the document is instead."""
    if isinstance(document, dict):
        declared = document.get("format")
        if declared == STATISTICS_FORMAT:
            raise InputError("a datacheck statistics file cannot be read together with other DATA", path=path,
                             hint="pass it alone, or combine statistics files with 'datacheck merge'")
        if isinstance(declared, str) and declared.startswith("datacheck."):
            what = "schema" if declared == "datacheck.schema" else declared
            raise InputError(f"this is a datacheck {what} file (\"format\": \"{declared}\"), not data", path=path,
                             hint="a schema goes after --schema" if declared == "datacheck.schema" else None)
        foreign = foreign_json(document)
        if foreign is not None and "TFDV" in foreign:
            raise InputError(foreign, path=path,
                             hint="compute datacheck statistics from the data: datacheck stats DATA -o stats.json")
        # {"data": [records...]}, or {"col": [values...]} with one array per column.
        records = next((v for v in document.values() if isinstance(v, list) and v and isinstance(v[0], dict)), None)
        if records is not None:
            document = records
        elif not document or not all(isinstance(v, list) for v in document.values()) or len(
                {len(v) for v in document.values()}) != 1:
            raise InputError("a JSON object that is not a table: expected a list of objects (one per row) or an object "
                             "of equal-length column arrays", path=path, hint=JSON_SHAPES[1])
        else:
            return document
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise InputError(JSON_SHAPES[0], path=path, hint=JSON_SHAPES[1])
    return document
