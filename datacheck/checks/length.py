"""Length: string values are neither shorter nor longer than the schema's bounds."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork, as_text, is_text_kind
from datacheck.checks.wording import count_text, share
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats

#: What one length bound found: (some value beyond it, how many (None: unknown), examples).
Side = tuple[bool, int | None, list[Example]]
#: The evidence for one bound: (tally key, bound, observed extreme, "below" or "above") -> Side.
LengthSide = Callable[[str, int | None, int | None, str], Side]


class Length(CheckFamily):
    """String lengths beyond length.min/max (error) or length.warn_min/warn_max (warning). A scan counts them with
    examples; statistics hold the shortest and longest length, so they tell that some value is beyond a bound
    but not how many."""

    entries = (
        Anomaly("length_out_of_range", "error", "length", "String length out of range",
                "String values shorter than columns[].length.min or longer than length.max.",
                "fix the values; if they are legitimate set {bounds}"),
        Anomaly("length_out_of_warning_range", "warning", "length", "String length outside the usual range",
                "String values shorter than columns[].length.warn_min or longer than length.warn_max.",
                "if these values are legitimate set {bounds}"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        bounds = spec.length
        if bounds is None or not is_text_kind(kind):
            return RowWork()
        present = pl.col(spec.name).is_not_null()
        length = as_text(spec, dtype).str.len_chars()
        tests = []
        for key, bound, op in (("length_below", bounds.min, "lt"), ("length_above", bounds.max, "gt"),
                               ("length_below_warn", bounds.warn_min, "lt"),
                               ("length_above_warn", bounds.warn_max, "gt")):
            if bound is not None:
                tests.append(RowTest(key, present & ((length < bound) if op == "lt" else (length > bound))))
        return RowWork(tuple(tests))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        def side(key: str, bound: int | None, extreme: int | None, which: str) -> Side:
            if bound is None:
                return False, 0, []
            tally = rows.tally(spec.name, key)
            return tally.count > 0, tally.count, list(tally.examples)

        _judge(ctx, spec, col, side)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        def side(key: str, bound: int | None, extreme: int | None, which: str) -> Side:
            if bound is None or extreme is None:
                return False, 0, []
            return (extreme < bound if which == "below" else extreme > bound), None, []

        _judge(ctx, spec, col, side)


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, side: LengthSide) -> None:
    bounds, lengths = spec.length, col.lengths
    if bounds is None or lengths is None:
        return
    ctx.ran(spec.name, "length")
    for code, low_key, high_key, low, high, fields in (
            ("length_out_of_range", "length_below", "length_above", bounds.min, bounds.max, ("min", "max")),
            ("length_out_of_warning_range", "length_below_warn", "length_above_warn", bounds.warn_min,
             bounds.warn_max, ("warn_min", "warn_max"))):
        short = side(low_key, low, lengths.min, "below")
        long = side(high_key, high, lengths.max, "above")
        if not (short[0] or long[0]):
            continue
        parts, edits = [], []
        if short[0]:
            parts.append(f"{count_text(short[1])} shorter than {low}")
            edits.append(f"columns[{spec.name}].length.{fields[0]} to {lengths.min}")
        if long[0]:
            parts.append(f"{count_text(long[1])} longer than {high}")
            edits.append(f"columns[{spec.name}].length.{fields[1]} to {lengths.max}")
        unknown = (short[0] and short[1] is None) or (long[0] and long[1] is None)
        count = None if unknown else (short[1] or 0) + (long[1] or 0)
        ctx.add(spec, code, f"{spec.name!r}: " + " and ".join(parts) + f" characters (observed lengths "
                f"{lengths.min} .. {lengths.max})",
                observed={"min_length": lengths.min, "max_length": lengths.max}, expected=bounds.to_dict(),
                count=count, fraction=share(count, col.count) if count is not None else None,
                examples=short[2] + long[2], bounds=" and ".join(edits))
        if code == "length_out_of_range":
            break  # the warning bounds lie inside the error bounds: one finding says it


FAMILY = Length()
