"""Inference that holds on a fresh sample (issue 14): profile -> infer_schema -> validate on real frames.

Each test checks the inferred schema against a reference computed independently: plain-Python counts over the
rows, a hand-built case, or a Monte Carlo simulation of the statistics behind a bound (docs/inference.md).
"""

from __future__ import annotations

import uuid

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import datacheck
from datacheck.checks import validate
from datacheck.infer import RANGE_STRAY_VALUES, infer_schema
from datacheck.profile import profile


def schema_of(frame: pl.DataFrame):
    return infer_schema(profile(frame))


def errors(frame: pl.DataFrame, schema) -> set[tuple[str | None, str]]:
    return {(f.column, f.code) for f in validate(frame, schema).findings if f.severity == "error"}


def split(frame: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    order = np.random.default_rng(seed).permutation(frame.height)
    half = frame.height // 2
    return frame[order[:half]], frame[order[half:]]


# -- keys ----------------------------------------------------------------------------------------------------

def test_dense_ids_with_a_duplicate_beyond_the_exact_count_are_not_a_key():
    values = list(range(1100)) + [0]  # 1,101 values, 1,100 distinct: beyond the exact count, an HLL estimate
    assert len(set(values)) == len(values) - 1
    frame = pl.DataFrame({"id": values})
    schema = schema_of(frame)
    assert schema.column("id").unique is False
    assert errors(frame, schema) == set()


def test_exact_dense_ids_are_a_key_and_a_duplicate_is_an_error():
    frame = pl.DataFrame({"row": list(range(1, 501))})
    schema = schema_of(frame)
    assert schema.column("row").unique is True
    assert schema.column("row").range is None  # ids grow: no range (and no sign on 500 values)
    assert ("row", "not_unique") in errors(pl.DataFrame({"row": [1, 2, 3, 3] + list(range(4, 100))}), schema)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(size=st.integers(900, 2500), duplicates=st.lists(st.integers(0, 10_000), min_size=1, max_size=5))
def test_dense_ids_with_duplicates_validate_against_their_own_schema(size: int, duplicates: list[int]) -> None:
    values = list(range(size)) + [d % size for d in duplicates]
    frame = pl.DataFrame({"id": values})
    schema = schema_of(frame)
    assert schema.column("id").unique is False  # plain count: len(set(values)) < len(values)
    assert errors(frame, schema) == set()


def test_all_distinct_measurements_get_a_range_and_a_unit_change_is_an_error():
    rng = np.random.default_rng(7)
    population = rng.integers(1_000, 5_000_000, size=400)  # wide range: distinct by spread, not by assignment
    assert len(set(population.tolist())) == 400
    frame = pl.DataFrame({"population": population})
    half_a, half_b = split(frame, 1)
    schema = schema_of(half_a)
    column = schema.column("population")
    assert column.unique is False and column.range is not None
    assert (column.range.warn_min, column.range.warn_max) == (int(half_a["population"].min()),
                                                              int(half_a["population"].max()))
    assert errors(half_b, schema) == set()
    scaled = half_b.with_columns(pl.col("population") * 1000)
    inside = sum(1 for v in scaled["population"] if column.range.warn_min <= v <= column.range.warn_max)
    assert inside / scaled.height < column.range.min_mass  # the plain count the error rests on
    assert ("population", "range_mass_too_low") in errors(scaled, schema)


def test_text_keys_need_identifier_shape():
    names = [f"{first} {last}" for first in ("Ann", "Bo", "Cy", "Di", "Ed") for last in
             ("Smith", "Jones", "Brown", "Lee", "Khan", "Ng", "Diaz", "Ito")]
    assert len(set(names)) == 40
    assert schema_of(pl.DataFrame({"name": names})).column("name").unique is False
    rng = np.random.default_rng(3)
    uuids = [str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(60)]
    assert schema_of(pl.DataFrame({"token": uuids})).column("token").unique is True
    codes = [f"A{i:05d}" for i in range(60)]
    assert schema_of(pl.DataFrame({"sku": codes})).column("sku").unique is False  # no id-like name
    assert schema_of(pl.DataFrame({"sku_code": codes})).column("sku_code").unique is True


# -- ranges and signs ----------------------------------------------------------------------------------------

def test_a_sign_seen_on_150_rows_is_a_warning_and_a_flipped_sign_is_still_an_error():
    rng = np.random.default_rng(11)
    frame = pl.DataFrame({"amount": rng.gamma(2.0, 50.0, size=300)})
    half_a, half_b = split(frame, 2)
    schema = schema_of(half_a)
    rng_spec = schema.column("amount").range
    assert rng_spec.min is None and rng_spec.warn_min >= 0  # 150 values: no error-level sign
    one_negative = half_b.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(-1.0)
                                       .otherwise(pl.col("amount")).alias("amount"))
    found = {(f.column, f.code, f.severity) for f in validate(one_negative, schema).findings}
    assert ("amount", "out_of_warning_range", "warning") in found
    assert not any(sev == "error" for _, _, sev in found)
    assert ("amount", "range_mass_too_low") in errors(half_b.with_columns(-pl.col("amount")), schema)


def test_two_sample_exceedance_matches_the_order_statistics_formula():
    # S = values of a second sample of n beyond the first sample's extremes. P(S >= s) ~ (s + 2) / 2**(s + 1)
    # (docs/inference.md); the tolerance allows RANGE_STRAY_VALUES, so P(S > 13) must be ~0.05%.
    rng = np.random.default_rng(5)
    n, trials = 150, 40_000
    a = rng.standard_normal((trials, n))
    b = rng.standard_normal((trials, n))
    s = ((b < a.min(axis=1, keepdims=True)) | (b > a.max(axis=1, keepdims=True))).sum(axis=1)
    for k in (2, 4, 6):
        assert (s >= k).mean() == pytest.approx((k + 2) / 2 ** (k + 1), rel=0.15)
    assert (s > RANGE_STRAY_VALUES).mean() < 0.002


def test_few_distinct_values_get_no_error_bound_and_small_counts_are_not_booleans():
    counts = [0] * 480 + [1] * 20  # rare 1s: a count that may reach 2
    schema = schema_of(pl.DataFrame({"flares": counts}))
    column = schema.column("flares")
    assert column.type == "integer" and (column.range.min, column.range.max) == (None, None)
    assert errors(pl.DataFrame({"flares": [0] * 240 + [1] * 9 + [2]}), schema) == set()
    label = schema_of(pl.DataFrame({"survived": [0] * 300 + [1] * 200})).column("survived")
    assert label.type == "boolean"  # 200**2 / 600 = 67 twos expected of a count, none seen


# -- nulls and categories ------------------------------------------------------------------------------------

def test_a_40_percent_null_burst_on_100_rows_is_an_error():
    rng = np.random.default_rng(13)
    frame = pl.DataFrame({"x": rng.normal(size=200)})
    half_a, half_b = split(frame, 3)
    schema = schema_of(half_a)
    mask = np.zeros(half_b.height, dtype=bool)
    mask[rng.choice(half_b.height, size=40, replace=False)] = True
    burst = half_b.with_columns(pl.when(pl.lit(pl.Series(mask))).then(None).otherwise(pl.col("x")).alias("x"))
    assert burst["x"].null_count() == 40
    assert ("x", "too_many_nulls") in errors(burst, schema)
    assert errors(half_b, schema) == set()


def _states() -> pl.DataFrame:
    """munnell's layout: 48 states, 17 years each."""
    return pl.DataFrame({"state": [f"state{i:02d}" for i in range(48) for _ in range(17)]})


def _mpg(column: str) -> pl.DataFrame:
    from plotnine.data import mpg  # real data: 234 cars, 15 manufacturers, 10 transmissions, 7 classes

    return pl.DataFrame({column: [str(v) for v in mpg[column]]})


@pytest.mark.parametrize("source, column", [("mpg", "manufacturer"), ("mpg", "trans"), ("mpg", "class"),
                                            ("munnell", "state")])
def test_unseen_category_in_10_percent_of_rows_is_an_error_and_random_halves_stay_quiet(source, column):
    pytest.importorskip("plotnine")
    frame = _mpg(column) if source == "mpg" else _states()
    alarms = caught = 0
    seeds = range(40)
    for seed in seeds:
        half_a, half_b = split(frame, seed)
        schema = schema_of(half_a)
        assert schema.column(column).domain is not None
        alarms += bool(errors(half_b, schema))
        marked = np.zeros(half_b.height, dtype=bool)
        marked[np.random.default_rng(seed).choice(half_b.height, round(0.1 * half_b.height), replace=False)] = True
        unseen = half_b.with_columns(pl.when(pl.lit(pl.Series(marked))).then(pl.lit("never-seen"))
                                     .otherwise(pl.col(column)).alias(column))
        caught += (column, "domain_mass_too_low") in errors(unseen, schema)
    assert caught >= 0.95 * len(seeds)
    # A value seen ~5 times in 234 rows lands wholly in one half 2**-5 of the time: a few alarms in 40 splits.
    assert alarms <= 0.075 * len(seeds)


def test_a_column_with_no_values_carries_no_type(tmp_path) -> None:
    """A CSV column that is empty in one half (it reads as text) and holds one number in the other: neither
    direction is a type change, in validate or in drift (the taxi data's census tract column has this shape)."""
    empty = tmp_path / "empty.csv"
    one = tmp_path / "one.csv"
    empty.write_text("x,tract\n" + "".join(f"{i},\n" for i in range(200)), encoding="utf-8")
    one.write_text("x,tract\n" + "".join(f"{i},{17031081600 if i == 7 else ''}\n" for i in range(200)),
                   encoding="utf-8")
    for base, current in ((empty, one), (one, empty)):
        schema = infer_schema(profile(str(base)))
        report = validate(str(current), schema)
        assert [(f.column, f.code) for f in report.findings if f.code == "unexpected_type"] == []
        drifted = [c for c in datacheck.drift(str(base), str(current)).columns if c.status == "type_changed"]
        assert drifted == []
    # The schema inferred from the empty half says so, and its type check is off.
    spec = infer_schema(profile(str(empty))).column("tract")
    assert spec.severity == {"unexpected_type": "off"}
