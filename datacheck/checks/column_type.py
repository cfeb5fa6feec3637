"""Type: the column's values are of the schema's type (as it says they are stored)."""

from __future__ import annotations

import polars as pl

from datacheck.checks.dtypes import actual_type, storage_label, type_compatible
from datacheck.checks.family import Anomaly, CheckFamily, Context, Needs
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork, is_text_kind, typed_values
from datacheck.checks.wording import share
from datacheck.schema import ISO_RANGE_TYPES, ColumnSchema
from datacheck.statistics import ColumnStats


class ColumnType(CheckFamily):
    """A dtype that cannot hold the schema's type, with the values that do not parse as it; and temporal text
    that does not parse with the schema's format."""

    entries = (
        Anomaly("unexpected_type", "error", "type", "Unexpected type",
                "The column's values are not of the schema's type (an integer column read as text, a date that "
                "does not parse with the schema's format, ...); counts the values that do not parse as that type.",
                "fix the producer so that {column} is {expected_type} again; if the change is intended set "
                "columns[{column}].type to \"{observed_type}\""),
    )
    needs = Needs.VALUES

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        present = pl.col(spec.name).is_not_null()
        if not type_compatible(spec, str(dtype), kind):
            # Count the values that do not parse as the schema's type, so the finding says how many and which.
            if not is_text_kind(kind):
                return RowWork()
            text = pl.col(spec.name).cast(pl.String).str.strip_chars()
            target = spec.stored_as or spec.type
            if target in ("integer", "float"):
                parsed = text.cast(pl.Float64, strict=False)
                bad = parsed.is_null() | (parsed.round(0) != parsed) if target == "integer" else parsed.is_null()
                return RowWork((RowTest("type", present & bad),))
            if target == "boolean":
                return RowWork((RowTest("type", present & ~text.str.to_lowercase().is_in(["true", "false"])),))
            return RowWork()
        parsed_values = typed_values(spec, dtype)
        if _temporal_text(spec) and parsed_values is not None:
            return RowWork((RowTest("type", present & parsed_values.is_null()),))
        return RowWork()

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        tally = rows.tally(spec.name, "type")
        ctx.ran(spec.name, "type")
        if not _compatible(spec, col):
            if tally.count:
                _mismatch(ctx, spec, col, tally.count, tally.examples, spec.stored_as or spec.type)
            else:
                _mismatch(ctx, spec, col, *_unparsed_in_frequencies(spec, col), spec.type)
        elif _temporal_text(spec) and tally.count:
            ctx.add(spec, "unexpected_type",
                    f"{tally.count:,} of {col.count:,} values of {spec.name!r} do not parse as {spec.type} "
                    f"with format {spec.format!r}",
                    observed={"unparseable": tally.count}, expected={"type": spec.type, "format": spec.format},
                    count=tally.count, fraction=share(tally.count, col.count), examples=tally.examples,
                    expected_type=f"{spec.type} in format {spec.format}", observed_type="string")

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        # Whether temporal text parses with its format is beyond statistics: the check passes on the dtype.
        ctx.ran(spec.name, "type")
        if not _compatible(spec, col):
            _mismatch(ctx, spec, col, *_unparsed_in_frequencies(spec, col), spec.type)


def _compatible(spec: ColumnSchema, col: ColumnStats) -> bool:
    integral = col.numeric.integral if col.numeric is not None else None
    return type_compatible(spec, col.dtype, col.kind, integral)


def _temporal_text(spec: ColumnSchema) -> bool:
    """A date, datetime or time stored as text: its values must parse with the schema's format."""
    return spec.stored_as == "string" and spec.type in ISO_RANGE_TYPES


def _not_number(text: str) -> bool:
    try:
        float(text)
        return False
    except ValueError:
        return True


def _unparsed_in_frequencies(spec: ColumnSchema, col: ColumnStats) -> tuple[int | None, list[Example]]:
    """(how many values are not numbers (None: not known exactly), those values) from the frequency table."""
    if col.frequencies is None or spec.type not in ("integer", "float"):
        return None, []
    bad = [v for v in col.frequencies.values if _not_number(v.value)]
    if not bad:
        return None, []
    count = sum(v.count for v in bad) if col.frequencies.error == 0 else None
    return count, [Example(v.value, count=v.count) for v in bad]


def _mismatch(ctx: Context, spec: ColumnSchema, col: ColumnStats, count: int | None, examples: list[Example],
              target: str) -> None:
    observed = actual_type(col.dtype, col.kind)
    if col.kind == "numeric" and observed == "float" and spec.type == "integer":
        observed = "float (with fractional values)"
    detail = f"; {count:,} of {col.count:,} values do not parse as {target}" if count else ""
    ctx.add(spec, "unexpected_type",
            f"{spec.name!r} is {col.dtype} ({observed}), the schema says {storage_label(spec)}{detail}",
            observed={"dtype": col.dtype, "type": actual_type(col.dtype, col.kind)},
            expected={"type": spec.type, "stored_as": spec.stored_as},
            count=count, fraction=share(count, col.count) if count else None, examples=examples,
            expected_type=storage_label(spec), observed_type=actual_type(col.dtype, col.kind))


FAMILY = ColumnType()
