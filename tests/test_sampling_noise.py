"""Share bounds judged with the batch's sampling noise, once (issue 14), and no type evidence from no values.

The references are independent of the code under test: scipy's binomial distribution for the noise, plain
Python counts over the rows (and the csv module over the file) for what the data holds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import binom

import datacheck
from datacheck.checks import validate
from datacheck.checks.sampling import ALPHA, beyond_noise, binomial_sf
from datacheck.infer import infer_schema
from datacheck.schema import ColumnSchema, Domain, Range, Schema

# ----------------------------------------------------------------------------------- the binomial tail itself


@pytest.mark.parametrize(("trials", "share"), [(10, 0.1), (40, 0.5), (117, 0.085), (408, 0.0153), (1000, 0.001),
                                               (100_000, 0.01), (2_000_000, 0.3), (50, 0.97)])
def test_binomial_tail_equals_scipy(trials: int, share: float) -> None:
    mean, sd = trials * share, (trials * share * (1 - share)) ** 0.5
    counts = {0, 1, 2, trials, max(0, int(mean) - 1), int(mean), int(mean) + 1, int(mean + 3 * sd),
              int(mean + 5 * sd), int(mean + 10 * sd) + 1}
    for k in sorted(c for c in counts if c <= trials):
        expected = float(binom.sf(k - 1, trials, share))  # scipy: P(X > k - 1) = P(X >= k)
        got = binomial_sf(k, trials, share)
        assert got == pytest.approx(expected, rel=1e-6, abs=1e-300), (trials, share, k)


def test_beyond_noise_is_the_scipy_test_at_alpha() -> None:
    for trials, share in ((10, 0.1), (40, 0.1), (100, 0.083), (117, 0.0), (500, 0.02)):
        for k in range(trials + 1):
            expected = k > trials * share and float(binom.sf(k - 1, trials, share)) < ALPHA
            assert beyond_noise(k, trials, share) == expected, (trials, share, k)


# ------------------------------------------------------------------------------------------------- nulls


def _ints(rng: np.random.Generator, n: int) -> list[int | None]:
    return [int(v) for v in rng.integers(20, 90, n)]


def test_a_40_percent_null_burst_in_100_rows_is_an_error_against_a_bound_inferred_from_100_clean_rows() -> None:
    rng = np.random.default_rng(14)
    clean = pl.DataFrame({"age": _ints(rng, 100), "other": _ints(rng, 100)})
    schema = infer_schema(datacheck.profile(clean))
    assert clean["age"].null_count() == 0
    values = _ints(rng, 100)
    burst = sorted(rng.choice(100, 40, replace=False).tolist())
    for i in burst:
        values[i] = None
    batch = pl.DataFrame({"age": values, "other": _ints(rng, 100)})
    assert sum(v is None for v in batch["age"].to_list()) == 40
    for report in (validate(batch, schema), validate(datacheck.profile(batch), schema)):
        errors = [(f.column, f.code, f.count) for f in report.findings if f.severity == "error"]
        assert errors == [("age", "too_many_nulls", 40)]


@pytest.mark.parametrize(("rows", "bound"), [(100, 0.1), (50, 0.05), (1000, 0.02)])
def test_too_many_nulls_fires_exactly_where_scipy_says_the_count_is_beyond_noise(rows: int, bound: float) -> None:
    schema = Schema((ColumnSchema("x", "integer", max_null_fraction=bound),))
    for nulls in range(0, rows // 2 + 1, max(1, rows // 100)):
        frame = pl.DataFrame({"x": [None] * nulls + [1] * (rows - nulls)}, schema={"x": pl.Int64})
        codes = {f.code for f in validate(frame, schema).findings}
        expected = nulls / rows > bound and float(binom.sf(nulls - 1, rows, bound)) < ALPHA
        assert ("too_many_nulls" in codes) == expected, (rows, bound, nulls)


def test_a_null_share_above_the_bound_but_within_noise_is_a_warning_that_says_so() -> None:
    # 3 of 10 against 0.1: P(Binomial(10, 0.1) >= 3) = 0.070 (scipy), no error.
    assert float(binom.sf(2, 10, 0.1)) > ALPHA
    schema = Schema((ColumnSchema("x", "integer", max_null_fraction=0.1),))
    report = validate(pl.DataFrame({"x": [None] * 3 + [1] * 7}, schema={"x": pl.Int64}), schema)
    assert [(f.code, f.severity, f.count) for f in report.findings] == [("low_presence", "warning", 3)]
    assert "above max_null_fraction 0.1 but within the sampling noise of 10 rows" in report.findings[0].message


def test_a_zero_null_bound_takes_any_null() -> None:
    schema = Schema((ColumnSchema("x", "integer", max_null_fraction=0.0),))
    frame = pl.DataFrame({"x": [None] + [1] * 999}, schema={"x": pl.Int64})
    assert [f.code for f in validate(frame, schema).findings] == ["too_many_nulls"]


# ---------------------------------------------------------------------------------------- unseen categories


@pytest.mark.parametrize(("rows", "min_mass"), [(117, 0.98), (300, 0.99), (20, 0.9), (110, 0.963), (1000, 0.99)])
def test_domain_mass_error_follows_the_tolerance_and_the_small_batch_noise(rows: int, min_mass: float) -> None:
    # A tolerance that holds 4 or more values of the batch is judged as written (inferred tolerances hold the
    # noise of a fresh sample already); below that, the binomial bound at the batch's size (scipy) judges.
    spec = ColumnSchema("c", "categorical", domain=Domain(("a", "b", "c"), min_mass=min_mass))
    for unseen in range(1, rows // 4):
        frame = pl.DataFrame({"c": ["zz"] * unseen + ["a", "b", "c"] * rows})[:rows]
        plain = sum(1 for v in frame["c"].to_list() if v not in ("a", "b", "c"))
        report = validate(frame, Schema((spec,)))
        codes = [(f.code, f.count) for f in report.findings]
        tolerance = 1 - min_mass
        if tolerance * rows >= 4:
            beyond = plain / rows > tolerance
        else:
            beyond = plain / rows > tolerance and float(binom.sf(plain - 1, rows, tolerance)) < ALPHA
        assert codes == [("domain_mass_too_low" if beyond else "unexpected_value", plain)], (rows, unseen)


def test_an_unseen_category_in_ten_percent_of_a_117_row_batch_is_an_error_at_a_two_percent_tolerance() -> None:
    # mpg's manufacturer column: 15 makes, 117-row halves. 12 rows of a new make against a 2% tolerance:
    # P(Binomial(117, 0.02) >= 12) ~ 1e-5 (scipy).
    makes = ["audi", "chevrolet", "dodge", "ford", "honda", "hyundai", "jeep", "land rover", "lincoln", "mercury",
             "nissan", "pontiac", "subaru", "toyota", "volkswagen"]
    spec = ColumnSchema("manufacturer", "categorical", domain=Domain(tuple(makes), min_mass=0.98))
    values = [makes[i % 15] for i in range(105)] + ["zz_new"] * 12
    assert float(binom.sf(12 - 1, 117, 0.02)) < ALPHA
    report = validate(pl.DataFrame({"manufacturer": values}), Schema((spec,)))
    assert [(f.column, f.code, f.severity) for f in report.findings] == [
        ("manufacturer", "domain_mass_too_low", "error")]


def test_an_unseen_category_in_ten_percent_of_117_rows_is_an_error_at_an_inferred_eight_percent_tolerance() -> None:
    # The tolerance inference gives mpg's 117-row halves (~8%, 9.4 values) already holds a fresh sample's noise.
    makes = [f"make{i}" for i in range(14)]
    spec = ColumnSchema("manufacturer", "categorical", domain=Domain(tuple(makes), min_mass=0.92))
    values = [makes[i % 14] for i in range(105)] + ["zz_new"] * 12
    report = validate(pl.DataFrame({"manufacturer": values}), Schema((spec,)))
    assert [(f.column, f.code, f.count) for f in report.findings] == [("manufacturer", "domain_mass_too_low", 12)]


def test_min_mass_one_makes_any_unseen_value_an_error() -> None:
    spec = ColumnSchema("c", "categorical", domain=Domain(("a",), min_mass=1.0))
    report = validate(pl.DataFrame({"c": ["a"] * 999 + ["b"]}), Schema((spec,)))
    assert [f.code for f in report.findings] == ["domain_mass_too_low"]


# ------------------------------------------------------------------------------------------------ range mass


@pytest.mark.parametrize(("rows", "min_mass"), [(30, 0.8), (200, 0.95), (1000, 0.99)])
def test_range_mass_error_follows_the_tolerance_or_the_binomial_bound(rows: int, min_mass: float) -> None:
    """As written when the tolerance holds 4 values of the batch (an inferred tolerance already holds a fresh
    sample's noise), by the binomial tail (scipy) when it holds fewer."""
    spec = ColumnSchema("r", "float", range=Range(warn_min=0, warn_max=10, min_mass=min_mass))
    for batch in (rows, 10):
        for outside in range(1, max(2, batch // 3), max(1, batch // 60)):
            values = [50.0] * outside + [5.0] * (batch - outside)
            plain = sum(1 for v in values if not 0 <= v <= 10)
            codes = [f.code for f in validate(pl.DataFrame({"r": values}), Schema((spec,))).findings]
            tolerance = 1 - min_mass
            if tolerance * batch >= 4:
                beyond = plain > tolerance * batch
            else:
                beyond = plain / batch > tolerance and float(binom.sf(plain - 1, batch, tolerance)) < ALPHA
            assert codes == ["range_mass_too_low" if beyond else "out_of_warning_range"], (batch, outside)


def _halves(values: np.ndarray, rng: np.random.Generator) -> tuple[pl.DataFrame, pl.DataFrame]:
    order = rng.permutation(len(values))
    half = len(values) // 2
    return (pl.DataFrame({"v": values[order[:half]]}), pl.DataFrame({"v": values[order[half:]]}))


@pytest.mark.parametrize("size", [200, 1000, 4000])
def test_fresh_halves_of_heavy_tailed_data_raise_no_range_error(size: int) -> None:
    # Heavy tails (Pareto, alpha 1.1) and small samples: a fresh half holds a few values past the first half's
    # extremes, about two on average for continuous data, whatever the tail.
    rng = np.random.default_rng(size)
    errors = []
    for trial in range(20):
        first, second = _halves(rng.pareto(1.1, size) * 10, rng)
        schema = infer_schema(datacheck.profile(first))
        errors += [(trial, f.code) for f in validate(second, schema).findings if f.code == "range_mass_too_low"]
    assert errors == []


def test_a_unit_change_in_a_small_batch_is_still_a_range_mass_error() -> None:
    rng = np.random.default_rng(3)
    first, second = _halves(rng.lognormal(3, 1, 240), rng)
    schema = infer_schema(datacheck.profile(first))
    scaled = second.with_columns(pl.col("v") * 1000)
    codes = {f.code for f in validate(scaled, schema).findings if f.severity == "error"}
    assert "range_mass_too_low" in codes or "out_of_range" in codes
    outside = sum(1 for v in scaled["v"].to_list() if v > float(first["v"].max()))
    assert outside >= 110  # plain count: nearly every value left the range seen before


# ------------------------------------------------------------------------------------- no values, no type


@pytest.fixture
def empty_column_csv(tmp_path: Path) -> Path:
    path = tmp_path / "batch.csv"
    path.write_text("id,count\n" + "".join(f"{i},\n" for i in range(30)), encoding="utf-8")
    return path


def _non_null(path: Path, column: str) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for row in csv.DictReader(handle) if row[column] != "")


@pytest.mark.parametrize("engine", ["local", "threads"])
def test_an_all_empty_csv_column_matches_an_integer_schema(empty_column_csv: Path, engine: str) -> None:
    assert _non_null(empty_column_csv, "count") == 0
    for null_bound in (None, 0.1):
        schema = Schema((ColumnSchema("id", "integer"),
                         ColumnSchema("count", "integer", max_null_fraction=null_bound, range=Range(min=0))))
        scanned = validate([str(empty_column_csv)], schema, engine=engine)
        from_stats = validate(datacheck.profile(str(empty_column_csv)), schema)
        for report in (scanned, from_stats):
            codes = [(f.column, f.code) for f in report.findings]
            assert ("count", "unexpected_type") not in codes
            # Its emptiness is the null checks' business: an error only where the schema bounds the nulls.
            assert codes == ([] if null_bound is None else [("count", "column_not_present")])
            statuses = {(c.column, c.check): c.status for c in report.checks}
            assert ("count", "type") not in statuses  # no evidence, so no verdict either way


def test_an_all_null_column_matches_any_type_in_memory() -> None:
    frame = pl.DataFrame({"x": pl.Series([None] * 20, dtype=pl.String)})
    for ctype in ("integer", "float", "boolean", "date", "categorical"):
        report = validate(frame, Schema((ColumnSchema("x", ctype),)))
        assert [f.code for f in report.findings] == [], ctype
