"""Slices on real public data: a broken feed planted in one slice, too small for any whole-table error, is
reported in exactly that slice and column; random halves raise nothing in any slice.

Census (UCI Adult) sliced by race and sex, the Chicago taxi trips (TFDV's tutorial data) sliced by company.
The schema is inferred on one random half, the other half is validated with the first half's sliced
statistics as the baseline. Skips cleanly when the shared data directory is absent.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl
import pytest
from test_validate_real_data import DATA, read_adult

import datacheck
from datacheck.checks.model import Report
from datacheck.drift import DriftReport
from datacheck.infer import infer_schema
from datacheck.schema import Schema
from datacheck.slice_drift import drift_sliced
from datacheck.slice_validation import validate_sliced
from datacheck.slices import profile_sliced
from datacheck.statistics import Statistics

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data not found at {DATA}")

CENSUS_SLICES = [("race",), ("sex",), ("race", "sex")]
TAXI_SLICES = [("company",), ("payment_type",)]


def halves(df: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    mask = pl.Series(np.random.default_rng(seed).random(df.height) < 0.5)
    return df.filter(mask), df.filter(~mask)


@cache
def read_taxi() -> pl.DataFrame:
    tfdv = DATA / "chicago_taxi_tfdv"
    return pl.concat([pl.read_csv(tfdv / "train.csv"), pl.read_csv(tfdv / "eval.csv")], how="vertical_relaxed")


@cache
def census_setup(seed: int) -> tuple[pl.DataFrame, Schema, Statistics]:
    train, test = halves(read_adult(), seed)
    return test, infer_schema(datacheck.profile(train)), profile_sliced(train, CENSUS_SLICES)


@cache
def taxi_setup(seed: int) -> tuple[pl.DataFrame, Schema, Statistics]:
    train, test = halves(read_taxi(), seed)
    return test, infer_schema(datacheck.profile(train)), profile_sliced(train, TAXI_SLICES)


def slice_findings(report: Report) -> list[tuple[str | None, str | None, str]]:
    return [(f.slice, f.column, f.code) for f in report.findings if f.slice is not None]


def whole_errors(report: Report, column: str) -> list[str]:
    return [f.code for f in report.findings if f.slice is None and f.column == column and f.severity == "error"]


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_census_random_halves_raise_nothing_in_any_slice(seed: int) -> None:
    test, schema, base = census_setup(seed)
    report, _ = validate_sliced(test, schema, CENSUS_SLICES, baseline=base)
    assert slice_findings(report) == []
    judged = [v for v in report.slices if v.judged]
    assert len(judged) >= 8  # the check had slices to judge: race and sex and their large crossings


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_taxi_random_halves_raise_nothing_in_any_slice(seed: int) -> None:
    test, schema, base = taxi_setup(seed)
    report, _ = validate_sliced(test, schema, TAXI_SLICES, baseline=base)
    assert slice_findings(report) == []
    assert sum(v.judged for v in report.slices) >= 5


def test_census_nulls_planted_in_one_race_are_found_in_that_slice_only() -> None:
    test, schema, base = census_setup(7)
    target = pl.col("race") == "Amer-Indian-Eskimo"
    hit = pl.Series(np.random.default_rng(1).random(test.height) < 0.6)
    broken = test.with_columns(pl.when(target & hit).then(None).otherwise(pl.col("occupation")).alias("occupation"))
    planted = broken.filter(target)["occupation"].null_count() - test.filter(target)["occupation"].null_count()
    assert 0 < planted < 0.01 * test.height  # under one percent of the table
    report, _ = validate_sliced(broken, schema, CENSUS_SLICES, baseline=base)
    assert whole_errors(report, "occupation") == []
    found = slice_findings(report)
    # The race slice, and the crossings of race and sex that hold the broken rows; nothing else.
    assert ("race=Amer-Indian-Eskimo", "occupation", "too_many_nulls") in found
    assert all(name is not None and name.startswith("race=Amer-Indian-Eskimo") for name, _, _ in found)
    assert {(column, code) for _, column, code in found} == {("occupation", "too_many_nulls")}


def test_census_unit_change_in_one_race_is_found_in_that_slice_only() -> None:
    test, schema, base = census_setup(7)
    target = pl.col("race") == "Other"
    broken = test.with_columns(pl.when(target).then(pl.col("fnlwgt") * 10).otherwise(pl.col("fnlwgt"))
                               .alias("fnlwgt"))
    assert test.filter(target).height < 0.01 * test.height
    report, _ = validate_sliced(broken, schema, CENSUS_SLICES, baseline=base)
    assert whole_errors(report, "fnlwgt") == []
    found = slice_findings(report)
    assert ("race=Other", "fnlwgt", "range_mass_too_low") in found
    assert all(name is not None and name.startswith("race=Other") for name, _, _ in found)
    assert {column for _, column, _ in found} == {"fnlwgt"}


def test_taxi_nulls_from_one_company_are_found_in_that_slice_only() -> None:
    test, schema, base = taxi_setup(7)
    counts = test.group_by("company").len().drop_nulls()
    # A company of about 120 trips in this half: half of them null is under 1% of the table's fares, within
    # the whole table's max_null_fraction of 1%.
    company = counts.sort((pl.col("len") - 120).abs(), "company").item(0, "company")
    target = pl.col("company") == company
    hit = pl.Series(np.random.default_rng(2).random(test.height) < 0.5)
    broken = test.with_columns(pl.when(target & hit).then(None).otherwise(pl.col("fare")).alias("fare"))
    report, _ = validate_sliced(broken, schema, TAXI_SLICES, baseline=base)
    assert whole_errors(report, "fare") == []
    assert slice_findings(report) == [(f"company={company}", "fare", "too_many_nulls")]


# ------------------------------------------------------------------------------------------------ drift


def drifted_slices(report: DriftReport) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.slice, s.drifted_columns) for s in report.slices if s.drifted]


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_drift_random_halves_drift_no_slice(seed: int) -> None:
    train, test = halves(read_adult(), seed)
    report = drift_sliced(train, test, CENSUS_SLICES)
    assert drifted_slices(report) == [] and report.passed
    assert sum(s.status == "compared" for s in report.slices) >= 8
    train, test = halves(read_taxi(), seed)
    report = drift_sliced(train, test, TAXI_SLICES)
    assert drifted_slices(report) == [] and report.passed
    assert sum(s.status == "compared" for s in report.slices) >= 5


def test_drift_category_swap_in_one_slice_is_found_there_only() -> None:
    train, test = halves(read_adult(), 7)
    # The feed of the rows of black people swaps two marital statuses (118 and 251 rows of 1,595: 0.8% of
    # the table's rows change status, under the whole table's threshold of 1.75%).
    swap = {"Separated": "Divorced", "Divorced": "Separated"}
    target = pl.col("race") == "Black"
    broken = test.with_columns(pl.when(target).then(pl.col("marital-status").replace(swap))
                               .otherwise(pl.col("marital-status")).alias("marital-status"))
    report = drift_sliced(train, broken, [("race",)])
    whole = report.column("marital-status")
    assert whole is not None and not whole.drifted
    assert drifted_slices(report) == [("race=Black", ("marital-status",))]
    assert report.slices[0].slice == "race=Black"  # ranked first
    assert not report.passed


def test_drift_unit_change_in_one_company_is_found_there_only() -> None:
    train, test = halves(read_taxi(), 7)
    counts = test.group_by("company").len().drop_nulls()
    company = counts.sort((pl.col("len") - 300).abs(), "company").item(0, "company")
    # That company's feed sends trip durations in minutes, not seconds.
    target = pl.col("company") == company
    broken = test.with_columns(pl.when(target).then(pl.col("trip_seconds") / 60).otherwise(pl.col("trip_seconds"))
                               .alias("trip_seconds"))
    report = drift_sliced(train, broken, TAXI_SLICES)
    whole = report.column("trip_seconds")
    assert whole is not None and not whole.drifted
    assert drifted_slices(report) == [(f"company={company}", ("trip_seconds",))]


def test_drift_appearing_and_vanishing_slices() -> None:
    train, test = halves(read_adult(), 8)
    test = test.with_columns(pl.when(pl.col("race") == "Other").then(pl.lit("Unlisted")).otherwise(pl.col("race"))
                             .alias("race"))
    report = drift_sliced(train, test, [("race",)])
    status = {s.slice: s.status for s in report.slices}
    assert status["race=Other"] == "missing_in_current" and status["race=Unlisted"] == "new_in_current"
    assert {s.slice for s in report.slices if s.drifted} == {"race=Other", "race=Unlisted"}
