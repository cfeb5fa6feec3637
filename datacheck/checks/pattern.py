"""Pattern: every non-null string value matches the schema's regular expression."""

from __future__ import annotations

import re

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork, as_text, is_text_kind
from datacheck.checks.wording import pct, plural, share
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats


class Pattern(CheckFamily):
    """Values that columns[].pattern does not match (searched, as `re.search`). A scan tests every value;
    statistics test the values of an exact frequency table, and skip the check without one."""

    entries = (
        Anomaly("pattern_mismatch", "error", "pattern", "Pattern mismatch",
                "Non-null string values that columns[].pattern does not match (searched, so anchor it with ^...$).",
                "fix the values, or change columns[{column}].pattern so that it accepts them"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        if spec.pattern is None or not is_text_kind(kind):
            return RowWork()
        mismatch = pl.col(spec.name).is_not_null() & ~as_text(spec, dtype).str.contains(spec.pattern)
        return RowWork((RowTest("pattern", mismatch),))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.pattern is None or not is_text_kind(col.kind):
            return
        tally = rows.tally(spec.name, "pattern")
        _judge(ctx, spec, col, tally.count, list(tally.examples))

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.pattern is None or not is_text_kind(col.kind):
            return
        table = col.frequencies
        if table is None or table.error > 0:
            ctx.skip(spec.name, "pattern", "the statistics hold no exact frequency table for this column")
            return
        regex = re.compile(spec.pattern)
        bad = [v for v in table.values if not regex.search(v.value)]
        _judge(ctx, spec, col, sum(v.count for v in bad), [Example(v.value, count=v.count) for v in bad])


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, count: int, examples: list[Example]) -> None:
    ctx.ran(spec.name, "pattern")
    if count:
        ctx.add(spec, "pattern_mismatch",
                f"{plural(count, 'value')} of {spec.name!r} ({pct(share(count, col.count))}) "
                f"{'does' if count == 1 else 'do'} not match {spec.pattern!r}",
                observed={"mismatches": count}, expected={"pattern": spec.pattern}, count=count,
                fraction=share(count, col.count), examples=examples)


FAMILY = Pattern()
