"""NaN and infinity: float columns hold them only where the schema allows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork
from datacheck.checks.wording import plural, share
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats


class SpecialFloats(CheckFamily):
    """NaN and +/-inf values. The statistics count both exactly; a scan adds examples with row numbers."""

    entries = (
        Anomaly("nan_not_allowed", "error", "nan", "NaN not allowed",
                "A float column holds NaN values and columns[].allow_nan is false.",
                "fix the producer, or set columns[{column}].allow_nan to true"),
        Anomaly("inf_not_allowed", "error", "inf", "Infinity not allowed",
                "A float column holds +inf or -inf and columns[].allow_inf is false.",
                "fix the producer, or set columns[{column}].allow_inf to true"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        if not dtype.is_float():
            return RowWork()
        tests = []
        if not spec.allow_nan:
            tests.append(RowTest("nan", pl.col(spec.name).is_nan()))
        if not spec.allow_inf:
            tests.append(RowTest("inf", pl.col(spec.name).is_infinite()))
        return RowWork(tuple(tests))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        _judge(ctx, spec, col, lambda check: rows.tally(spec.name, check).examples)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        _judge(ctx, spec, col, lambda check: ())


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats,
           examples: Callable[[str], Sequence[Example]]) -> None:
    if col.numeric is None or not col.dtype.startswith("Float"):
        return
    for check, code, allowed, found, word in (
            ("nan", "nan_not_allowed", spec.allow_nan, col.numeric.nan_count, "NaN"),
            ("inf", "inf_not_allowed", spec.allow_inf, col.numeric.inf_count, "infinite")):
        if allowed:
            continue
        ctx.ran(spec.name, check)
        if found:
            ctx.add(spec, code, f"{plural(found, word + ' value')} in {spec.name!r}",
                    observed={f"{check}_count": found}, expected={f"allow_{check}": False}, count=found,
                    fraction=share(found, col.count), examples=examples(check))


FAMILY = SpecialFloats()
