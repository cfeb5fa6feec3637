"""The monitor on a simulated feed: 60 daily batches drawn at random from the real Chicago taxi trips, with
changes planted from known days, judged batch by batch as `datacheck monitor` judges them.

The feed (`feed()`): day d (2024-06-03, a Monday, is day 0) draws its rows with replacement from the trips that
started on that weekday, 1,500 rows on weekdays and 900 at weekends: a weekly rhythm in volume and in the
values (the real data's weekend trips differ) that is normal and must raise nothing with weekly seasonality.
The planted changes (column, first day):

- payment_type's null share creeps up from day 36: 2% more of its values are blanked each day;
- fare steps up by 25% from day 40;
- company gets a new category from day 45 ("Planted Cab Co.", 8% of the rows);
- the row count drops to 40% from day 50.

Skips when the public data is absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from datacheck.history import History
from datacheck.monitor import record
from datacheck.monitor_strategies import Settings
from datacheck.profile import profile

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "chicago_taxi_tfx" / "data.csv"
pytestmark = pytest.mark.skipif(not DATA.is_file(), reason=f"taxi data not found at {DATA}")

START = dt.date(2024, 6, 3)  # a Monday
DAYS = 60
PLANTED = {"payment_type": 36, "fare": 40, "company": 45, "": 50}  # "": the dataset's row count


def batch(trips: pl.DataFrame, day: int) -> pl.DataFrame:
    """Day `day`'s batch, with the changes planted by then."""
    date = START + dt.timedelta(days=day)
    # trip_start_day in this data counts 1 = Sunday .. 7 = Saturday.
    weekday_trips = trips.filter(pl.col("trip_start_day") == (date.isoweekday() % 7) + 1)
    rows = 900 if date.weekday() >= 5 else 1500
    if day >= PLANTED[""]:
        rows = int(rows * 0.4)
    out = weekday_trips.sample(rows, with_replacement=True, seed=day)
    rng = np.random.default_rng(1000 + day)
    if day >= PLANTED["payment_type"]:
        share = 0.02 * (day - PLANTED["payment_type"] + 1)
        blank = pl.Series(rng.random(rows) < share)
        out = out.with_columns(pl.when(blank).then(None).otherwise(pl.col("payment_type")).alias("payment_type"))
    if day >= PLANTED["fare"]:
        out = out.with_columns(pl.col("fare") * 1.25)
    if day >= PLANTED["company"]:
        planted = pl.Series(rng.random(rows) < 0.08)
        out = out.with_columns(pl.when(planted).then(pl.lit("Planted Cab Co.")).otherwise(pl.col("company"))
                               .alias("company"))
    return out


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[set[tuple[str, str]]]]:
    """Flags per day ({(column, metric)}), judged with and without weekly seasonality, each in its own history."""
    trips = pl.read_csv(DATA)
    out: dict[str, list[set[tuple[str, str]]]] = {"weekly": [], "plain": []}
    stores = {name: History.open(tmp_path_factory.mktemp(name) / "history.db") for name in out}
    settings = {"weekly": Settings(seasonality="weekly"), "plain": Settings()}
    for day in range(DAYS):
        stats = profile(batch(trips, day))
        at = f"{START + dt.timedelta(days=day)}T00:00:00Z"
        for name, store in stores.items():
            _, report, _ = record(store, stats, at=at, sources=["feed"], settings=settings[name])
            assert report is not None
            out[name].append({(f.column or "", f.observed["metric"]) for f in report.findings})
    for store in stores.values():
        store.close()
    return out


def first_flag(days: list[set[tuple[str, str]]], column: str) -> int | None:
    return next((d for d, flags in enumerate(days) if any(c == column for c, _ in flags)), None)


@pytest.mark.parametrize("column", list(PLANTED), ids=lambda c: c or "row_count")
def test_each_planted_change_is_flagged_within_one_batch_of_its_start(feed: dict, column: str) -> None:
    start = PLANTED[column]
    assert first_flag(feed["weekly"], column) in (start, start + 1)


def test_nothing_is_flagged_before_the_first_planted_change(feed: dict) -> None:
    first = min(PLANTED.values())
    assert [d for d in range(first) if feed["weekly"][d]] == []


def test_columns_without_a_planted_change_are_not_flagged_before_the_row_count_drop(feed: dict) -> None:
    # The row-count drop (day 50) lowers the distinct count of every many-valued column with it: those flags
    # are its consequence, on its day. Before it, only the planted columns may be flagged.
    flagged = {c for d in range(PLANTED[""]) for c, _ in feed["weekly"][d]}
    assert flagged <= set(PLANTED)


def test_the_weekly_pattern_is_real_and_only_seasonality_keeps_it_quiet(feed: dict) -> None:
    # Without seasonality the same normal weeks raise anomalies: every Monday's volume is +67% on the Sunday
    # before it (a relative change above 50%), and weekend fares differ. So the quiet weeks above are the
    # seasonal strategy's doing, not a feed too tame to flag.
    first = min(PLANTED.values())
    mondays = [d for d in range(7, first) if (START + dt.timedelta(days=d)).weekday() == 0]
    assert all(("", "row_count") in feed["plain"][d] for d in mondays)
    weekend = [d for d in range(first) if (START + dt.timedelta(days=d)).weekday() >= 5]
    assert any(flags for d, flags in enumerate(feed["plain"]) if d in weekend)
    assert not any(feed["weekly"][d] for d in mondays + weekend)
