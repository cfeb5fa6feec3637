"""Periods: a date or datetime column with `"period": "1d"` has a value in every period between its min and max.

The scan keeps the distinct periods the values fall in (each value truncated to its period, in the column's
own time zone, so a day is a calendar day there and a daylight-saving day has 23 or 25 hours); at the end the
periods from the first to the last are laid out with polars' own calendar arithmetic and those without a
value are `missing_periods`, grouped into gaps of consecutive periods. Memory: one value per period present.
Saved statistics do not hold the periods: the check is skipped there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.freshness import temporal_values
from datacheck.checks.model import Example, json_value
from datacheck.checks.rows import FrameWork, RowEvidence
from datacheck.checks.wording import plural, share
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import parse_duration
from datacheck.statistics import ColumnStats

#: The most periods laid out between min and max (1s periods over 4 months); past it the check is skipped
#: rather than build a range of that size.
MAX_PERIODS = 10_000_000


def _name(column: str) -> str:
    return f"\x00period:{column}"


class Periods(CheckFamily):
    """Missing periods between a column's first and last value."""

    entries = (
        Anomaly("missing_periods", "error", "period", "Missing periods",
                "A date or datetime column with a period (\"1d\") has periods between its first and last value "
                "that hold no value; gives the number of missing periods and the first gaps.",
                "check that the partitions for the gaps shown were loaded; if gaps are legitimate remove "
                "columns[{column}].period"),
    )

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        distinct = []
        for spec in schema.columns:
            if spec.period is None or spec.name not in batch_schema:
                continue
            values = temporal_values(spec, batch_schema[spec.name])
            if values is not None:
                distinct.append((_name(spec.name), values.dt.truncate(spec.period).drop_nulls()))
        return FrameWork(distinct=tuple(distinct))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.period is None:
            return
        present = rows.distinct_values(_name(spec.name))
        if present is None:
            ctx.skip(spec.name, "period", f"the column is {col.dtype} in the data, not a date or datetime")
            return
        present = present.drop_nulls().sort()
        ctx.ran(spec.name, "period")
        if present.len() < 2:
            return
        first, last = present[0], present[-1]
        step = parse_duration(spec.period)
        assert step is not None  # the schema's rules checked it
        if (_naive(last) - _naive(first)) / step > MAX_PERIODS:
            ctx.skip(spec.name, "period", f"more than {MAX_PERIODS:,} periods of {spec.period} between min and max")
            return
        expected = layout_periods(present, spec.period)
        missing = expected.filter(~expected.is_in(present.implode()))
        if missing.len() == 0:
            return
        gaps = _gaps(expected, present)
        examples = [Example({"from": json_value(start), "to": json_value(end), "periods": n})
                    for start, end, n in gaps[: ctx.max_examples]]
        ctx.add(spec, "missing_periods",
                f"{plural(missing.len(), 'period')} of {spec.period} without a value in {spec.name!r} between "
                f"{json_value(first)} and {json_value(last)} ({plural(len(gaps), 'gap')}; the first from "
                f"{json_value(gaps[0][0])})",
                observed={"missing": missing.len(), "gaps": len(gaps), "expected": expected.len(),
                          "first": json_value(first), "last": json_value(last)},
                expected={"period": spec.period}, count=missing.len(), fraction=share(missing.len(), expected.len()),
                examples=examples)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.period is not None:
            ctx.skip(spec.name, "period", "missing periods need the rows; a statistics file holds no periods")


def layout_periods(present: pl.Series, period: str) -> pl.Series:
    """Every period from the first present one to the last, in the column's calendar and time zone."""
    first, last = present[0], present[-1]
    if present.dtype == pl.Date:
        return pl.date_range(first, last, period, eager=True)
    dtype = present.dtype
    assert isinstance(dtype, pl.Datetime)
    if dtype.time_zone is not None and period.endswith(("s", "m", "h")):
        # Sub-day periods are physical time: laid out in UTC, so the autumn's repeated hour is two periods and
        # the spring's skipped hour none.
        return pl.datetime_range(first, last, period, eager=True, time_unit=dtype.time_unit)
    # Days and weeks are calendar periods: laid out in wall-clock time and put in the column's zone, so that a
    # daylight-saving day is one day of 23 or 25 hours.
    laid = pl.datetime_range(_naive(first), _naive(last), period, eager=True, time_unit=dtype.time_unit)
    if dtype.time_zone is None:
        return laid
    return laid.dt.replace_time_zone(dtype.time_zone, non_existent="null", ambiguous="earliest").drop_nulls()


def _naive(value: Any) -> Any:
    return value.replace(tzinfo=None) if getattr(value, "tzinfo", None) is not None else value


def _gaps(expected: pl.Series, present: pl.Series) -> list[tuple[Any, Any, int]]:
    """Runs of consecutive missing periods: (first missing, last missing, how many), in order."""
    flags = expected.is_in(present.implode()).to_list()
    values = expected.to_list()
    gaps: list[tuple[Any, Any, int]] = []
    start = None
    for i, ok in enumerate(flags):
        if not ok and start is None:
            start = i
        if ok and start is not None:
            gaps.append((values[start], values[i - 1], i - start))
            start = None
    if start is not None:
        gaps.append((values[start], values[-1], len(values) - start))
    return gaps


FAMILY = Periods()
