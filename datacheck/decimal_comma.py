"""Numbers written with a decimal comma (`1,5`), as European CSV exports write them.

polars reads them as numbers only when asked (`--decimal-comma`); otherwise such a column is text, and its
checks are text checks. `text_columns_of_decimal_numbers` finds, in the first rows of a CSV, the text
columns whose every value looks like such a number, so that the reader can say which flag reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import polars as pl

#: What polars reads as a number with --decimal-comma: digits, a comma, digits (no thousands separators,
#: which polars does not read either).
DECIMAL_COMMA_NUMBER = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")


def text_columns_of_decimal_numbers(rows: Sequence[Sequence[str]], has_header: bool,
                                    schema: Mapping[str, pl.DataType]) -> list[str]:
    """The names of the text columns of `schema` whose values in `rows` (parsed CSV lines, the header
    first when `has_header`) are all decimal-comma numbers, with at least one value.

    Example:
        >>> text_columns_of_decimal_numbers([["a", "b"], ["1,5", "x"], ["2", "y"]], True,
        ...                                 {"a": pl.String(), "b": pl.String()})
        []
        >>> text_columns_of_decimal_numbers([["a", "b"], ["1,5", "x"], ["-0,25", ""]], True,
        ...                                 {"a": pl.String(), "b": pl.String()})
        ['a']
    """
    data = rows[1:] if has_header else rows
    found = []
    for position, (name, dtype) in enumerate(schema.items()):
        if dtype != pl.String:
            continue
        values = [row[position].strip() for row in data if position < len(row) and row[position].strip()]
        if values and all(DECIMAL_COMMA_NUMBER.fullmatch(value) for value in values):
            found.append(name)
    return found


def note(rows: Sequence[Sequence[str]], has_header: bool, schema: Mapping[str, pl.DataType], path: str) -> str | None:
    """The note that names the text columns of decimal-comma numbers and the flag that reads them, or None."""
    names = text_columns_of_decimal_numbers(rows, has_header, schema)
    if not names:
        return None
    shown = ", ".join(repr(n) for n in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (f"{path}: {shown} {'holds' if len(names) == 1 else 'hold'} numbers written with a decimal comma (1,5), "
            "read as text. Pass --decimal-comma to read them as numbers.")


__all__ = ["DECIMAL_COMMA_NUMBER", "note", "text_columns_of_decimal_numbers"]
