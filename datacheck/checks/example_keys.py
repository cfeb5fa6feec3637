"""Which columns name a row in the examples of a finding: the schema's key, for data read from a database.

A row number in a database query's result means little (no database promises an order), while the key finds
the row with one `WHERE`. So when DATA is a database and the schema has a key, the row-check compiler
(`datacheck.checks.compiler.RowChecks`) takes the key's values along with each example's row.

The key is the first one the schema states: the first column, in schema order, with `unique: true`; else the
first compound key of `dataset.unique`; else none (examples keep their row numbers). Files keep their row
numbers in any case: there the number finds the row, and the key would only repeat what the row holds.
"""

from __future__ import annotations

from typing import Any

from datacheck.schema import Schema
from datacheck.sources import Dataset


def schema_key(schema: Schema) -> tuple[str, ...]:
    """The schema's key: the first `unique` column, else the first compound key, else ().

    Example:
        >>> from datacheck.schema import ColumnSchema, DatasetConstraints
        >>> schema_key(Schema((ColumnSchema("day", "date"), ColumnSchema("id", "integer", unique=True))))
        ('id',)
        >>> schema_key(Schema((ColumnSchema("day", "date"),), dataset=DatasetConstraints(unique=(("day", "shop"),))))
        ('day', 'shop')
    """
    for spec in schema.columns:
        if spec.unique:
            return (spec.name,)
    return tuple(schema.dataset.unique[0]) if schema.dataset.unique else ()


def example_key(schema: Schema, target: Any) -> tuple[str, ...]:
    """The columns whose values each example carries: the schema's key when `target` (a resolved DATA) reads a
    database, else () (files, frames and saved statistics: examples carry row numbers only, at no extra cost)."""
    if isinstance(target, Dataset) and any(f.format == "database" for f in target.files):
        return schema_key(schema)
    return ()


__all__ = ["example_key", "schema_key"]
