"""Freshness against --as-of and missing periods: hand-computed ages, time zones, daylight-saving days, text
dates, both back-ends, and the CLI option."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.cli import app
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import Freshness

UTC = dt.timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")


def findings(report: datacheck.Report, code: str) -> list[datacheck.Finding]:
    return [f for f in report.findings if f.code == code]


def events(times: list[dt.datetime]) -> pl.DataFrame:
    return pl.DataFrame({"t": pl.Series(times, dtype=pl.Datetime("us", "UTC"))})


def fresh_schema(newest: str | None = None, oldest: str | None = None, ctype: str = "datetime") -> Schema:
    return Schema((ColumnSchema("t", ctype, freshness=Freshness(newest, oldest)),))


def test_newest_older_than_max_age_is_stale() -> None:
    frame = events([dt.datetime(2024, 5, 1, 0, 0, tzinfo=UTC), dt.datetime(2024, 5, 1, 9, 30, tzinfo=UTC)])
    schema = fresh_schema("6h")
    as_of = dt.datetime(2024, 5, 1, 16, 0, tzinfo=UTC)  # 6h30m after the newest value
    [finding] = findings(datacheck.validate(frame, schema, as_of=as_of), "stale_data")
    assert finding.observed["age_seconds"] == 6 * 3600 + 30 * 60
    assert "6h 30m" in finding.message
    assert "newest_max_age to 7h" in finding.fix
    assert not findings(datacheck.validate(frame, schema, as_of="2024-05-01T15:30:00+00:00"), "stale_data")


def test_as_of_in_another_time_zone_is_the_same_moment() -> None:
    frame = events([dt.datetime(2024, 5, 1, 9, 30, tzinfo=UTC)])
    schema = fresh_schema("6h")
    # 17:00 in Berlin (summer time, UTC+2) is 15:00 UTC: 5h30m after the newest value, fresh.
    assert not findings(datacheck.validate(frame, schema, as_of="2024-05-01T17:00:00+02:00"), "stale_data")
    # The same wall-clock time read as UTC is 7h30m after it: stale.
    assert findings(datacheck.validate(frame, schema, as_of="2024-05-01T17:00:00"), "stale_data")


def test_oldest_newer_than_min_age_is_a_short_history() -> None:
    frame = events([dt.datetime(2024, 4, 20, tzinfo=UTC), dt.datetime(2024, 5, 1, tzinfo=UTC)])
    as_of = dt.datetime(2024, 5, 1, 12, tzinfo=UTC)
    [finding] = findings(datacheck.validate(frame, fresh_schema(oldest="30d"), as_of=as_of), "history_too_short")
    assert finding.observed["age_seconds"] == (11 * 24 + 12) * 3600
    assert not findings(datacheck.validate(frame, fresh_schema(oldest="11d"), as_of=as_of), "history_too_short")


def test_a_date_counts_from_the_end_of_its_day() -> None:
    frame = pl.DataFrame({"t": [dt.date(2024, 5, 1)]})
    schema = fresh_schema("1d", ctype="date")
    # The day 2024-05-01 ends at 2024-05-02T00:00Z: one day later it is exactly 1d old, fresh; later, stale.
    assert not findings(datacheck.validate(frame, schema, as_of="2024-05-03T00:00:00Z"), "stale_data")
    assert findings(datacheck.validate(frame, schema, as_of="2024-05-03T00:00:01Z"), "stale_data")


def test_statistics_judge_freshness_alike() -> None:
    frame = events([dt.datetime(2024, 5, 1, 9, 30, tzinfo=UTC)])
    stats = datacheck.profile(frame)
    as_of = "2024-05-02T00:00:00Z"
    from_rows = findings(datacheck.validate(frame, fresh_schema("6h"), as_of=as_of), "stale_data")
    from_stats = findings(datacheck.validate(stats, fresh_schema("6h"), as_of=as_of), "stale_data")
    assert [f.observed for f in from_rows] == [f.observed for f in from_stats]
    assert from_rows[0].observed["age_seconds"] == 14 * 3600 + 30 * 60


def test_text_datetimes_with_a_format(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_text("t\n01/05/2024 08:00\n01/05/2024 09:30\nnot a time\n")
    schema = Schema((ColumnSchema("t", "datetime", stored_as="string", format="%d/%m/%Y %H:%M",
                                  freshness=Freshness("6h")),))
    [finding] = findings(datacheck.validate(str(path), schema, as_of="2024-05-01T16:00:00Z"), "stale_data")
    assert finding.observed["age_seconds"] == 6 * 3600 + 30 * 60


def test_the_cli_takes_as_of_and_rejects_nonsense(tmp_path: Path) -> None:
    data = tmp_path / "batch.parquet"
    events([dt.datetime(2024, 5, 1, 9, 30, tzinfo=UTC)]).write_parquet(data)
    schema = tmp_path / "schema.json"
    fresh_schema("6h").dump(schema)
    runner = CliRunner()
    stale = runner.invoke(app, ["validate", str(data), "-s", str(schema), "--as-of", "2024-05-02", "-f", "json"])
    assert stale.exit_code == 1
    assert [f["code"] for f in json.loads(stale.stdout)["findings"]] == ["stale_data"]
    fresh = runner.invoke(app, ["validate", str(data), "-s", str(schema), "--as-of", "2024-05-01T10:00:00Z"])
    assert fresh.exit_code == 0
    bad = runner.invoke(app, ["validate", str(data), "-s", str(schema), "--as-of", "yesterday"])
    assert bad.exit_code == 2 and "is not an ISO 8601" in bad.output


# ------------------------------------------------------------------------------------------------ periods


def period_schema(period: str, ctype: str = "datetime") -> Schema:
    return Schema((ColumnSchema("t", ctype, period=period),))


def missing(report: datacheck.Report) -> datacheck.Finding | None:
    found = findings(report, "missing_periods")
    return found[0] if found else None


def test_missing_days_of_a_date_column_are_grouped_into_gaps() -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    dropped = {3, 4, 5, 20}
    frame = pl.DataFrame({"t": [d for i, d in enumerate(days) for _ in range(2) if i not in dropped]})
    finding = missing(datacheck.validate(frame, period_schema("1d", "date")))
    assert finding is not None and finding.count == 4
    assert finding.observed["gaps"] == 2 and finding.observed["expected"] == 40
    assert [e.value for e in finding.examples] == [
        {"from": "2024-01-04", "to": "2024-01-06", "periods": 3},
        {"from": "2024-01-21", "to": "2024-01-21", "periods": 1}]
    complete = frame.filter(pl.col("t") < dt.date(2024, 1, 4))
    assert missing(datacheck.validate(complete, period_schema("1d", "date"))) is None


@pytest.mark.parametrize("change", [dt.date(2024, 3, 31), dt.date(2024, 10, 27)])
def test_daylight_saving_days_are_one_calendar_day_in_the_columns_zone(change: dt.date) -> None:
    # Every hour, in Berlin time, from three days before the change to three days after: complete.
    start = dt.datetime.combine(change - dt.timedelta(days=3), dt.time(), BERLIN).astimezone(UTC)
    end = dt.datetime.combine(change + dt.timedelta(days=3), dt.time(), BERLIN).astimezone(UTC)
    hours = pl.datetime_range(start, end, "1h", eager=True, time_zone="UTC").dt.convert_time_zone("Europe/Berlin")
    frame = pl.DataFrame({"t": hours})
    local_days = {t.date() for t in hours.to_list()}
    assert len(local_days) == 7
    assert missing(datacheck.validate(frame, period_schema("1d"))) is None
    assert missing(datacheck.validate(frame, period_schema("1h"))) is None
    # The change day itself removed: one missing local day, whatever its length (23 or 25 hours).
    without = frame.filter(pl.col("t").dt.date() != change)
    removed = frame.height - without.height
    assert removed == (23 if change.month == 3 else 25)
    day = missing(datacheck.validate(without, period_schema("1d")))
    assert day is not None and day.count == 1
    assert day.examples[0].value["from"].startswith(change.isoformat())
    hour = missing(datacheck.validate(without, period_schema("1h")))
    assert hour is not None and hour.count == removed


def test_periods_are_skipped_from_statistics() -> None:
    frame = pl.DataFrame({"t": [dt.date(2024, 1, 1), dt.date(2024, 1, 3)]})
    report = datacheck.validate(datacheck.profile(frame), period_schema("1d", "date"))
    [check] = [c for c in report.checks if c.check == "period"]
    assert check.status == "skipped"


def test_periods_merge_across_partitions(tmp_path: Path) -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(60) if i not in (10, 45)]
    paths = []
    for i in range(3):
        path = tmp_path / f"p{i}.parquet"
        pl.DataFrame({"t": days[i * 20:(i + 1) * 20]}).write_parquet(path)
        paths.append(str(path))
    local = missing(datacheck.validate(paths, period_schema("1d", "date")))
    threads = missing(datacheck.validate(paths, period_schema("1d", "date"), engine="threads", workers=2))
    assert local is not None and local == threads and local.count == 2
