"""What a check family adds to the data scan, and what the scan gives back.

A family states its row-level work as polars expressions (`RowTest`: True on each row that breaks the rule),
and asks to keep a column's values when it must compare rows across batches (uniqueness). The row-check
compiler (`datacheck.checks.compiler.RowChecks`) evaluates them on every batch of the statistics scan and
keeps a `Tally` per test; a family reads them back through `RowEvidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import polars as pl

from datacheck.checks.model import Example
from datacheck.schema import ISO_RANGE_TYPES, ColumnSchema, parse_iso


@dataclass
class Tally:
    """What one row test found over the rows scanned so far: how many rows, and the first examples."""

    count: int = 0
    examples: list[Example] = field(default_factory=list)

    def absorb(self, other: Tally, max_examples: int) -> None:
        """Add another partition's tally: counts add, examples stay the first `max_examples` in order."""
        self.count += other.count
        self.examples.extend(other.examples[:max(0, max_examples - len(self.examples))])


@dataclass(frozen=True)
class RowTest:
    """One rule checked on every row of a column.

    Fields:
        key: the tally's name, unique within the column ("below_min", "pattern", ...).
        violation: a boolean expression, True on the rows that break the rule.
        values: when set, the breaking rows are also counted by this expression's value (the domain check
            lists unexpected values with their counts).
    """

    key: str
    violation: pl.Expr
    values: pl.Expr | None = None


@dataclass(frozen=True)
class RowWork:
    """Everything a family adds to the scan for one column: its row tests, and whether the column's values
    are kept to compare them across batches (uniqueness)."""

    tests: tuple[RowTest, ...] = ()
    keep_values: bool = False


@dataclass(frozen=True)
class FrameTest:
    """One rule checked on every row, over several columns (a row rule, a reference).

    Fields:
        key: the tally's name, unique among frame tests ("rule:ships_after_order").
        violation: a boolean expression, True on the rows that break the rule (or, for a count-only test,
            on the rows counted).
        columns: the columns whose values an example shows; empty: count only, no examples.
    """

    key: str
    violation: pl.Expr
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameWork:
    """What a dataset-level family adds to the scan for one batch schema.

    Fields:
        tests: row tests over several columns, tallied like column tests (examples show every named column).
        keep: (name, expr) pairs whose values are kept across batches, as a key column is for `unique`
            (compound keys keep a struct of their columns).
        distinct: (name, expr) pairs whose distinct values are kept (a column's periods).
        problems: (test key, reason) for tests that cannot run on this batch schema (reported as skipped).
    """

    tests: tuple[FrameTest, ...] = ()
    keep: tuple[tuple[str, pl.Expr], ...] = ()
    distinct: tuple[tuple[str, pl.Expr], ...] = ()
    problems: tuple[tuple[str, str], ...] = ()


class RowEvidence(Protocol):
    """What the scan found, as the families read it when the data was scanned (see RowChecks)."""

    def tally(self, column: str, key: str) -> Tally:
        """The tally of row test `key` on `column` (an empty one when no row broke it)."""
        ...

    def unexpected_values(self, column: str) -> dict[Any, int]:
        """The values counted by the column's `RowTest.values`, with their counts."""
        ...

    def duplicates(self, column: str) -> tuple[int, int, list[Example]]:
        """(rows repeating an earlier key, distinct repeated keys, examples) over the kept values."""
        ...

    def frame_tally(self, key: str) -> Tally:
        """The tally of frame test `key` (an empty one when no row broke it)."""
        ...

    def frame_problem(self, key: str) -> str | None:
        """Why frame test `key` could not run on some batch, or None."""
        ...

    def kept_values(self, name: str) -> pl.Series | None:
        """Every batch's values kept under `name` (FrameWork.keep), in row order, or None when none were kept."""
        ...

    def distinct_values(self, name: str) -> pl.Series | None:
        """The distinct values kept under `name` over every batch, or None when none were kept."""
        ...


# ---------------------------------------------------------------------------------- expression helpers


def bound_literal(spec: ColumnSchema, value: Any) -> Any:
    """A schema bound as a polars literal compares: ISO text parsed for temporal types."""
    if spec.type in ISO_RANGE_TYPES and isinstance(value, str):
        return parse_iso(spec.type, value)
    return value


def typed_values(spec: ColumnSchema, dtype: pl.DataType) -> pl.Expr | None:
    """The column's values in the form its range is stated in, or None when no range applies.

    Temporal text is parsed with the schema's format (a value that does not parse becomes null), time zones
    are dropped (bounds are written without one), durations are compared as integers, decimals as floats.
    """
    col = pl.col(spec.name)
    if spec.type in ISO_RANGE_TYPES:
        if dtype == pl.String:
            target: Any = {"date": pl.Date, "datetime": pl.Datetime("us"), "time": pl.Time}[spec.type]
            if spec.format:
                return col.str.strptime(target, spec.format, strict=False)
            return iso_text(col, spec.type)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            return col.dt.replace_time_zone(None)
        return col
    if spec.type == "duration":
        return col.to_physical()
    if dtype.is_decimal():
        return col.cast(pl.Float64)
    if dtype.is_numeric():
        return col
    return None


#: ISO 8601 forms a temporal column stored as text may hold without a declared `format`. Each value is parsed by
#: the first form that fits, so one column may mix them ("2024-01-01 10:00", "2024-01-01T10:00:00+02:00").
_ISO_NAIVE = {
    "date": ("%Y-%m-%d",),
    "datetime": ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"),
    "time": ("%H:%M:%S%.f", "%H:%M"),
}
_ISO_OFFSET = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.fZ")


def iso_text(col: pl.Expr, kind: str) -> pl.Expr:
    """Temporal text parsed by the ISO 8601 forms; a value no form fits is null. Datetimes with a UTC offset
    are compared in UTC, without a zone, as bounds are written. (polars cannot cast text to a datetime.)"""
    target: Any = {"date": pl.Date, "datetime": pl.Datetime("us"), "time": pl.Time}[kind]
    parsed = [col.str.strptime(target, fmt, strict=False) for fmt in _ISO_NAIVE[kind]]
    if kind == "datetime":
        parsed += [col.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False).dt.replace_time_zone(None)
                   for fmt in _ISO_OFFSET]
    return pl.coalesce(parsed)


def as_text(spec: ColumnSchema, dtype: pl.DataType) -> pl.Expr:
    """The column as text (domains, lengths and patterns are stated on the text)."""
    col = pl.col(spec.name)
    return col.cast(pl.String) if dtype != pl.String else col


def is_text_kind(kind: str) -> bool:
    """Whether a column kind holds text that lengths and patterns apply to."""
    return kind in ("string", "categorical")


__all__ = ["FrameTest", "FrameWork", "RowEvidence", "RowTest", "RowWork", "Tally", "as_text", "bound_literal",
           "is_text_kind", "typed_values"]
