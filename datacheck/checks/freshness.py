"""Freshness: a date or datetime column's newest value is recent enough, its oldest old enough, against --as-of.

`freshness.newest_max_age` ("6h"): the newest value must be no older than that before as-of (a batch that
stopped arriving). `freshness.oldest_min_age` ("30d"): the oldest value must be no newer than that before
as-of (a history that was cut short). as-of is `validate --as-of` (default: now, in UTC).

How values become moments: a datetime with a time zone is that moment; one without is read as UTC; a date
stands for its whole day in UTC, so the newest date counts from the end of its day and the oldest from its
start (a daily partition for yesterday is one day old at midnight tonight, not two). The scan keeps each
batch's min and max; saved statistics hold them too, so both back-ends judge alike.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.rows import FrameWork, RowEvidence
from datacheck.errors import UsageError
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import parse_duration
from datacheck.statistics import ColumnStats

UTC = _dt.timezone.utc


def temporal_values(spec: ColumnSchema, dtype: pl.DataType) -> pl.Expr | None:
    """The column as dates or datetimes, time zone kept: text parsed with the schema's format (or polars'
    ISO reading), a value that does not parse becoming null. None when the dtype cannot hold them."""
    col = pl.col(spec.name)
    if isinstance(dtype, (pl.Date, pl.Datetime)):
        return col
    if dtype == pl.String:
        if spec.type == "date":
            return col.str.to_date(spec.format, strict=False)
        return col.str.to_datetime(spec.format, strict=False, time_unit="us")
    return None


def moment(value: Any, end_of_day: bool = False) -> _dt.datetime | None:
    """A date or datetime (or its ISO text) as an aware UTC datetime; a date as the start (or end) of its day."""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value) if (" " in value or "T" in value) \
                else _dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, _dt.date):
        day = _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
        return day + _dt.timedelta(days=1) if end_of_day else day
    return None


def parse_as_of(value: Any) -> _dt.datetime | None:
    """`validate --as-of` as an aware UTC datetime: a datetime, a date (its midnight, UTC) or ISO 8601 text;
    None stays None (now, when judged).

    Raises:
        UsageError: text that is not an ISO 8601 date or datetime.

    Example:
        >>> parse_as_of("2024-03-31T12:00:00+02:00").isoformat()
        '2024-03-31T10:00:00+00:00'
    """
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"--as-of {value!r} is not an ISO 8601 date or datetime",
                             hint="write it like 2024-03-31 or 2024-03-31T06:00:00+02:00") from None
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise UsageError(f"as_of must be a datetime, a date or ISO 8601 text, not {type(value).__name__}")


def as_of_moment(as_of: _dt.datetime | None) -> _dt.datetime:
    """--as-of as an aware UTC datetime (naive: read as UTC; None: now)."""
    if as_of is None:
        return _dt.datetime.now(UTC).replace(microsecond=0)
    return as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of.astimezone(UTC)


def age_text(delta: _dt.timedelta) -> str:
    """ "1d 4h 3m" for people (seconds dropped above an hour)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes else []
    if not days and not hours:
        parts += [f"{secs}s"] if secs or not parts else []
    return sign + " ".join(parts)


def _name(which: str, column: str) -> str:
    return f"\x00fresh:{which}:{column}"


class Freshness(CheckFamily):
    """Newest and oldest values against --as-of, from the scan's per-batch extremes or the statistics' min/max."""

    entries = (
        Anomaly("stale_data", "error", "freshness", "Stale data",
                "The newest value of a date or datetime column is older than freshness.newest_max_age before "
                "--as-of (default: now, UTC).",
                "check that the latest batch arrived; if the data is legitimately this old set "
                "columns[{column}].freshness.newest_max_age to {value}"),
        Anomaly("history_too_short", "error", "freshness", "History too short",
                "The oldest value of a date or datetime column is newer than freshness.oldest_min_age before "
                "--as-of: the data does not reach back far enough.",
                "check that the older partitions are included; if a shorter history is legitimate set "
                "columns[{column}].freshness.oldest_min_age to {value}"),
    )

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        distinct = []
        for spec in schema.columns:
            if spec.freshness is None or spec.name not in batch_schema:
                continue
            values = temporal_values(spec, batch_schema[spec.name])
            if values is not None:
                distinct += [(_name("max", spec.name), values.max()), (_name("min", spec.name), values.min())]
        return FrameWork(distinct=tuple(distinct))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.freshness is None:
            return
        newest, oldest = rows.distinct_values(_name("max", spec.name)), rows.distinct_values(_name("min", spec.name))
        if newest is None or oldest is None:
            ctx.skip(spec.name, "freshness", f"the column is {col.dtype} in the data, not a date or datetime")
            return
        _judge(ctx, spec, newest.drop_nulls().max(), oldest.drop_nulls().min())

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.freshness is None:
            return
        if col.temporal is None:
            ctx.skip(spec.name, "freshness", f"the statistics hold no date range for this {col.dtype} column")
            return
        _judge(ctx, spec, col.temporal.max, col.temporal.min)


def _judge(ctx: Context, spec: ColumnSchema, newest_value: Any, oldest_value: Any) -> None:
    assert spec.freshness is not None
    as_of = as_of_moment(ctx.as_of)
    ctx.ran(spec.name, "freshness")
    newest, oldest = moment(newest_value, end_of_day=True), moment(oldest_value)
    limit = spec.freshness.newest_max_age
    if limit is not None and newest is not None:
        allowed = parse_duration(limit)
        assert allowed is not None  # the schema's rules checked it
        age = as_of - newest
        if age > allowed:
            ctx.add(spec, "stale_data",
                    f"the newest value of {spec.name!r} is {_shown(newest_value, newest)}, {age_text(age)} before "
                    f"--as-of {as_of.isoformat()}; freshness.newest_max_age is {limit}",
                    observed={"newest": _shown(newest_value, newest), "age_seconds": int(age.total_seconds()),
                              "as_of": as_of.isoformat()},
                    expected={"newest_max_age": limit}, value=_ceil_duration(age))
    limit = spec.freshness.oldest_min_age
    if limit is not None and oldest is not None:
        needed = parse_duration(limit)
        assert needed is not None
        age = as_of - oldest
        if age < needed:
            ctx.add(spec, "history_too_short",
                    f"the oldest value of {spec.name!r} is {_shown(oldest_value, oldest)}, only {age_text(age)} before "
                    f"--as-of {as_of.isoformat()}; freshness.oldest_min_age is {limit}",
                    observed={"oldest": _shown(oldest_value, oldest), "age_seconds": int(age.total_seconds()),
                              "as_of": as_of.isoformat()},
                    expected={"oldest_min_age": limit}, value=_floor_duration(age))


def _shown(value: Any, when: _dt.datetime) -> str:
    """A date as its ISO text; a datetime as its moment in UTC (the same text from the scan and from statistics)."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and " " not in value and "T" not in value:
        return value
    return when.isoformat()


def _ceil_duration(delta: _dt.timedelta) -> str:
    """The smallest whole number of hours (or days from 2 days on) that covers `delta`: a max_age that accepts it."""
    hours = -(-int(delta.total_seconds()) // 3600)
    return f"{-(-hours // 24)}d" if hours >= 48 else f"{max(hours, 1)}h"


def _floor_duration(delta: _dt.timedelta) -> str | None:
    """The largest whole number of hours (or days) within `delta`: a min_age that accepts it, None when none."""
    hours = int(delta.total_seconds()) // 3600
    if hours < 1:
        return "null"
    return f"{hours // 24}d" if hours >= 48 else f"{hours}h"


FAMILY = Freshness()
