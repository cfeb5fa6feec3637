"""Nulls: the share of null values stays within the schema's bounds."""

from __future__ import annotations

from datacheck.checks.family import Anomaly, CheckFamily, Context, Needs
from datacheck.checks.sampling import beyond_noise
from datacheck.checks.wording import ceil_fraction, pct
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats


class Nulls(CheckFamily):
    """All-null columns, too many nulls, and more nulls than seen before; from the null counts that every
    statistics scan computes, so both back-ends judge alike.

    max_null_fraction bounds the share of nulls in the data the batches come from (inference widens it for the
    uncertainty of the sample it saw, and no more); a batch breaks it when its null count is beyond the bound by
    more than the batch's own binomial noise (`datacheck.checks.sampling`), so the noise is counted once."""

    entries = (
        Anomaly("column_not_present", "error", "nulls", "Column not present",
                "The column exists but every value is null, and the schema allows fewer nulls than that.",
                "check the producer of {column}; if it is legitimately empty set columns[{column}].max_null_fraction "
                "to null"),
        Anomaly("too_many_nulls", "error", "nulls", "Too many nulls",
                "The share of null values is above columns[].max_null_fraction by more than the batch's sampling "
                "noise (binomial, at the batch's size; any null when the bound is 0).",
                "find why {column} is null; if that share is legitimate set columns[{column}].max_null_fraction to "
                "{value}"),
        Anomaly("low_presence", "warning", "nulls", "Low presence",
                "The share of null values is above columns[].warn_max_null_fraction (more nulls than seen before), "
                "but within max_null_fraction or the batch's sampling noise above it.",
                "set columns[{column}].warn_max_null_fraction to {value}"),
    )
    needs = Needs.ROWS

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        ctx.ran(spec.name, "nulls")
        share = col.null_fraction
        nulls = col.null_count
        expected = {"max_null_fraction": spec.max_null_fraction, "warn_max_null_fraction": spec.warn_max_null_fraction}
        if col.count == 0 and spec.max_null_fraction is not None and spec.max_null_fraction < 1:
            ctx.add(spec, "column_not_present", f"every value of {spec.name!r} is null ({nulls:,} rows)",
                    observed={"null_fraction": 1.0}, expected=expected, count=nulls, fraction=1.0)
            return
        if (spec.max_null_fraction is not None and share > spec.max_null_fraction
                and beyond_noise(nulls, col.num_rows, spec.max_null_fraction)):
            ctx.add(spec, "too_many_nulls",
                    f"{pct(share)} of {spec.name!r} is null ({nulls:,} of {col.num_rows:,} rows), above "
                    f"max_null_fraction {spec.max_null_fraction}",
                    observed={"null_fraction": round(share, 6)}, expected=expected, count=nulls,
                    fraction=round(share, 6), value=ceil_fraction(share))
        elif share > min(x for x in (spec.warn_max_null_fraction, spec.max_null_fraction, 1.0) if x is not None):
            if spec.max_null_fraction is not None and share > spec.max_null_fraction:
                above = (f"above max_null_fraction {spec.max_null_fraction} but within the sampling noise of "
                         f"{col.num_rows:,} rows")
            else:
                above = f"above warn_max_null_fraction {spec.warn_max_null_fraction}"
            ctx.add(spec, "low_presence",
                    f"{pct(share)} of {spec.name!r} is null ({nulls:,} of {col.num_rows:,} rows), {above}",
                    observed={"null_fraction": round(share, 6)}, expected=expected, count=nulls,
                    fraction=round(share, 6), value=ceil_fraction(share, 4))


FAMILY = Nulls()
