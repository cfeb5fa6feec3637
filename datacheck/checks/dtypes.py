"""Type compatibility: which data types can hold a schema's type, and how a schema type is named in messages."""

from __future__ import annotations

from datacheck.schema import ColumnSchema, schema_type_of


def actual_type(dtype: str, kind: str) -> str:
    """The schema type that a polars dtype (as statistics write it) stands for.

    Example:
        >>> actual_type("Int64", "numeric")
        'integer'
    """
    return schema_type_of(dtype, kind)


def type_compatible(spec: ColumnSchema, dtype: str, kind: str, integral: bool | None = None) -> bool:
    """Whether data of this dtype can hold the schema's type (as it says it is stored).

    Args:
        spec: the column's schema.
        dtype, kind: the data's polars dtype name and kind (see `datacheck.profile.column_kind`).
        integral: whether every finite value is whole (from the statistics), or None when not known, as
            while a scan is being planned; an unknown float column may then still be an integer column.

    Example:
        >>> from datacheck.schema import ColumnSchema
        >>> type_compatible(ColumnSchema("x", "integer"), "Float64", "numeric", integral=True)
        True
    """
    actual = actual_type(dtype, kind)
    if spec.stored_as == "integer":
        return actual == "integer" or (actual == "float" and integral is not False)
    if spec.stored_as == "string":
        return actual in ("string", "categorical")
    wanted = spec.type
    if wanted == "integer":
        # A CSV written by pandas turns integers with gaps into floats ("480.0"): whole floats are integers.
        return actual == "integer" or (actual == "float" and integral is not False)
    if wanted == "float":
        return actual in ("integer", "float")
    if wanted in ("string", "categorical"):
        return actual in ("string", "categorical")
    return actual == wanted


def storage_label(spec: ColumnSchema) -> str:
    """The schema's type as a message names it: "date stored as string (%d/%m/%Y)", or just "date"."""
    if spec.stored_as is not None and spec.stored_as != spec.type:
        fmt = f" ({spec.format})" if spec.format else ""
        return f"{spec.type} stored as {spec.stored_as}{fmt}"
    return spec.type


__all__ = ["actual_type", "storage_label", "type_compatible"]
