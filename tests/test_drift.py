"""Tests of datacheck.drift: hand-built statistics with hand-derived values, scipy on raw values, real data.

The real-data tests use the public data folder beside the checkout and skip when it is absent.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from datacheck.drift import (
    LARGE_SAMPLE,
    METHOD_ALIASES,
    METHODS,
    ColumnDrift,
    DriftReport,
    canonical_method,
    compare,
    drift,
)
from datacheck.errors import UsageError
from datacheck.jsonschemas import schema_errors
from datacheck.output import to_json
from datacheck.profile import profile
from datacheck.schema import ColumnSchema, DatasetConstraints, Drift, Environment, Schema
from datacheck.sketches import QuantileSketch
from datacheck.statistics import ColumnStats, Distinct, Frequencies, Histogram, NumericStats, Statistics, ValueCount

scipy_stats = pytest.importorskip("scipy.stats")
scipy_distance = pytest.importorskip("scipy.spatial.distance")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
log2 = math.log2


# --------------------------------------------------------------------------------------------- helpers


def categorical(name: str, counts: dict[str, int], kind: str = "string") -> ColumnStats:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    values = tuple(ValueCount(v, c) for v, c in ordered)
    total = sum(counts.values())
    return ColumnStats(name=name, dtype="String", kind=kind, count=total, null_count=0,
                       distinct=Distinct(len(counts), True), top_values=values[:10],
                       frequencies=Frequencies(values, 0, total))


def histogram_column(name: str, edges: tuple[float, ...], counts: tuple[int, ...], nan: int = 0,
                     pos_inf: int = 0, neg_inf: int = 0) -> ColumnStats:
    finite = sum(counts)
    numeric = NumericStats(nan_count=nan, inf_count=pos_inf + neg_inf, neg_inf_count=neg_inf, min=edges[0],
                           max=edges[-1], mean=0.0, std=1.0, histogram=Histogram(edges, counts))
    return ColumnStats(name=name, dtype="Float64", kind="numeric", count=finite + nan + pos_inf + neg_inf,
                       null_count=0, numeric=numeric)


def sketch_error(stats: Statistics, column: str) -> float:
    """The normalized rank error of the quantile sketch stored in the statistics (what drift computes from)."""
    return QuantileSketch.from_text(stats.column(column).sketch.quantiles).normalized_rank_error(False)


def stats_of(*columns: ColumnStats) -> Statistics:
    rows = max((c.num_rows for c in columns), default=0)
    return Statistics(num_rows=rows, columns=tuple(columns))


def normal_frame(n: int, seed: int, shift: float = 0.0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame({
        "x": rng.normal(10.0 + shift, 2.0, n),
        "y": rng.normal(0.0, 1.0, n),
        "c": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
    })


def assert_json_ok(report: DriftReport) -> dict:
    text = to_json(report.to_dict())  # allow_nan=False: raises on NaN or infinity
    data = json.loads(text)
    assert schema_errors(data, "drift") == []
    assert DriftReport.from_dict(data) == report
    return data


# ---------------------------------------------------------------------------------- TFDV metrics through drift


def test_linf_tfdv_tie_rule_through_drift():
    # Normalized: a 0.75 -> 0.25 and b 0.25 -> 0.75, both change by 0.5; TFDV reports the value sorting last.
    report = compare(stats_of(categorical("c", {"a": 3, "b": 1})), stats_of(categorical("c", {"a": 1, "b": 3})),
                     method="linf")
    col = report.column("c")
    assert col.value == pytest.approx(0.5)
    assert col.largest_change == "b"
    assert (col.largest_change_baseline, col.largest_change_current) == (pytest.approx(0.25), pytest.approx(0.75))
    assert col.drifted and not report.passed


def test_linf_tfdv_missing_values_on_both_sides():
    # TFDV "Missing value in both": {b: .9, c: .1} vs {a: .3, b: .7} -> |0 - .3| = .3 at "a".
    report = compare(stats_of(categorical("c", {"b": 9, "c": 1})), stats_of(categorical("c", {"a": 3, "b": 7})),
                     method="linf", threshold=0.31)
    col = report.column("c")
    assert col.value == pytest.approx(0.3)
    assert col.largest_change == "a"
    assert not col.drifted  # 0.3 is measured and reported although under the threshold
    assert col.new_values == ("a",)


def test_numeric_jsd_with_different_bucket_edges():
    # [1,2):2 [2,3]:2 against [2,4):2 [4,6]:2, re-bucketed on 1,2,3,4,6 with uniform spreading:
    # P = (.5, .5, 0, 0), Q = (0, .25, .25, .5), M = (.25, .375, .125, .25).
    p, q = np.array([0.5, 0.5, 0, 0]), np.array([0, 0.25, 0.25, 0.5])
    m = (p + q) / 2
    kl = lambda x: sum(xi * log2(xi / mi) for xi, mi in zip(x, m) if xi > 0)  # noqa: E731
    expected = (kl(p) + kl(q)) / 2
    report = compare(stats_of(histogram_column("x", (1.0, 2.0, 3.0), (2, 2))),
                     stats_of(histogram_column("x", (2.0, 4.0, 6.0), (2, 2))), method="jsd")
    assert report.column("x").value == pytest.approx(expected, abs=1e-12)
    assert expected == pytest.approx(0.655639, abs=1e-6)


def test_numeric_jsd_with_nan_tfdv_value():
    # TFDV: 1 NaN + 3 in [1,2] against 4 in [1,2]: P = (NaN .25, range .75), Q = (0, 1), M = (.125, .875).
    expected = (0.25 * log2(0.25 / 0.125) + 0.75 * log2(0.75 / 0.875)) / 2 + (1.0 * log2(1.0 / 0.875)) / 2
    report = compare(stats_of(histogram_column("x", (1.0, 2.0), (3,), nan=1)),
                     stats_of(histogram_column("x", (1.0, 2.0), (4,))), method="jsd")
    assert report.column("x").value == pytest.approx(expected, abs=1e-12)


def test_numeric_jsd_point_buckets_and_infinities_never_match():
    # A point bucket at 5 against a range bucket [4, 6]: disjoint buckets, so JSD = 1.
    report = compare(stats_of(histogram_column("x", (5.0, 5.0), (10,))),
                     stats_of(histogram_column("x", (4.0, 6.0), (10,))), method="jsd")
    assert report.column("x").value == pytest.approx(1.0)
    # +inf on one side only, the rest identical: P = (.5 range, .5 inf), Q = (1, 0), M = (.75, .25).
    expected = (0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25)) / 2 + (1.0 * log2(1 / 0.75)) / 2
    report = compare(stats_of(histogram_column("x", (0.0, 1.0), (2,), pos_inf=2)),
                     stats_of(histogram_column("x", (0.0, 1.0), (4,))), method="jsd")
    assert report.column("x").value == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------------------------- scipy on raw values


def test_ks_from_sketches_matches_scipy_within_rank_error():
    rng = np.random.default_rng(7)
    a = pl.DataFrame({"x": rng.lognormal(3, 1, 40_000)})
    b = pl.DataFrame({"x": rng.lognormal(3.05, 1, 30_000)})
    sa, sb = profile(a), profile(b)
    report = compare(sa, sb, method="ks")
    col = report.column("x")
    ref = scipy_stats.ks_2samp(a["x"].to_numpy(), b["x"].to_numpy())
    # Documented bound: |D_sketch - D_raw| <= eps_a + eps_b, the stored sketches' normalized rank errors.
    bound = sketch_error(sa, "x") + sketch_error(sb, "x")
    assert bound > 0  # the sketches are in estimation mode at this size
    assert abs(col.value - ref.statistic) <= bound + 1e-12
    assert col.drifted and col.pvalue < 0.01 and ref.pvalue < 0.01


def test_ks_and_wasserstein_match_scipy_on_small_samples():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 400), rng.normal(0.3, 1.2, 300)
    sa, sb = profile(pl.DataFrame({"x": a})), profile(pl.DataFrame({"x": b}))
    ks = compare(sa, sb, method="ks").column("x")
    ref = scipy_stats.ks_2samp(a, b, method="asymp")
    assert ks.value == pytest.approx(ref.statistic, abs=1e-12)  # the sketch is exact at this size
    assert ks.pvalue == pytest.approx(ref.pvalue, abs=0.01)
    w = compare(sa, sb, method="wasserstein").column("x")
    assert w.value == pytest.approx(scipy_stats.wasserstein_distance(a, b) / a.std(ddof=0), rel=1e-9)


def test_chi2_and_jsd_match_scipy_on_frequency_tables():
    base = {"a": 500, "b": 300, "c": 200}
    cur = {"a": 430, "b": 330, "c": 240}
    sa, sb = stats_of(categorical("c", base)), stats_of(categorical("c", cur))
    chi = compare(sa, sb, method="chi2").column("c")
    table = np.array([[base[k] for k in "abc"], [cur[k] for k in "abc"]])
    ref = scipy_stats.chi2_contingency(table, correction=False)
    assert chi.value == pytest.approx(ref.statistic, rel=1e-9)
    assert chi.pvalue == pytest.approx(ref.pvalue, rel=1e-6)
    jsd = compare(sa, sb, method="jsd").column("c")
    p, q = table[0] / table[0].sum(), table[1] / table[1].sum()
    assert jsd.value == pytest.approx(scipy_distance.jensenshannon(p, q, base=2) ** 2, rel=1e-9)


def test_psi_numeric_matches_raw_deciles():
    rng = np.random.default_rng(5)
    a, b = rng.normal(0, 1, 5000), rng.normal(0.5, 1, 5000)
    value = compare(profile(pl.DataFrame({"x": a})), profile(pl.DataFrame({"x": b})), method="psi").column("x").value
    edges = np.quantile(a, np.arange(1, 10) / 10)
    fa = np.diff(np.concatenate(([0], np.searchsorted(np.sort(a), edges, side="right") / a.size, [1])))
    fb = np.diff(np.concatenate(([0], np.searchsorted(np.sort(b), edges, side="right") / b.size, [1])))
    expected = float(np.sum((fb - fa) * np.log(fb / fa)))
    # Edges come from the sketch's quantiles (rank error <= 2 * eps per bin); a 0.5-std shift gives ~0.25.
    assert value == pytest.approx(expected, abs=0.02)
    assert value > METHODS["psi"].threshold


# --------------------------------------------------------------------------------------------- defaults and detection


def test_default_methods_follow_sample_size():
    small = drift(normal_frame(300, 1), normal_frame(300, 2))
    assert (small.column("x").method, small.column("c").method) == ("ks", "chi2")
    large = drift(normal_frame(5000, 1), normal_frame(5000, 2))
    assert (large.column("x").method, large.column("c").method) == ("wasserstein", "linf")
    assert small.passed and large.passed
    assert LARGE_SAMPLE == 1000


@pytest.mark.parametrize("n", [400, 3000, 20_000])
def test_half_std_shift_is_drift_in_exactly_that_column(n):
    report = drift(normal_frame(n, 1), normal_frame(n, 2, shift=1.0))  # std 2, shift 1 = 0.5 std
    assert report.drifted_columns == ["x"]
    assert report.drifted_share == pytest.approx(1 / 3)
    assert report.exit_code == 1


@pytest.mark.parametrize("n", [1000, 3000, 20_000])
def test_ten_point_category_swing_is_drift(n):
    rng = np.random.default_rng(11)
    base = pl.DataFrame({"c": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]), "y": rng.normal(0, 1, n)})
    cur = pl.DataFrame({"c": rng.choice(["a", "b", "c"], n, p=[0.4, 0.4, 0.2]), "y": rng.normal(0, 1, n)})
    report = drift(base, cur)
    assert report.drifted_columns == ["c"]
    assert report.column("c").largest_change in ("a", "b")


def test_compare_with_itself_finds_no_drift():
    stats = profile(SAMPLE / "loans_train.csv")
    report = compare(stats, stats)
    assert report.passed and report.drifted_count == 0
    for col in report.columns:
        if col.method in ("wasserstein", "linf"):
            assert col.value == 0.0


# --------------------------------------------------------------------------------------------- usage errors


def test_unfit_method_is_a_usage_error():
    stats = profile(normal_frame(300, 1))
    with pytest.raises(UsageError, match="method ks .* does not fit column 'c'"):
        compare(stats, stats, method="ks")
    with pytest.raises(UsageError, match="does not fit column 'x'"):
        compare(stats, stats, method={"x": "chi2"})
    with pytest.raises(UsageError, match="unknown drift method"):
        compare(stats, stats, method="kl")
    with pytest.raises(UsageError, match="neither a column"):
        compare(stats, stats, method={"nope": "ks"})
    with pytest.raises(UsageError, match="needs a schema"):
        drift(stats, stats, env="serving")


def test_method_precedence_and_aliases():
    stats_a, stats_b = profile(normal_frame(300, 1)), profile(normal_frame(300, 2))
    schema = Schema(columns=(ColumnSchema("x", "float", drift=Drift("jensen_shannon", 0.2)),
                             ColumnSchema("y", "float"), ColumnSchema("c", "string")))
    report = compare(stats_a, stats_b, schema=schema, method={"numeric": "psi", "y": "wasserstein"},
                     threshold={"y": 0.3})
    assert report.column("x").method == "jsd" and report.column("x").threshold == 0.2  # schema beats family
    assert report.column("y").method == "wasserstein" and report.column("y").threshold == 0.3  # column key wins
    assert report.column("c").method == "chi2"  # default
    assert canonical_method("l_infinity") == "linf" and canonical_method("chi_squared") == "chi2"


def test_schema_file_with_long_method_names_still_loads(tmp_path):
    # Schema files written before infer used the short names say l_infinity, normalized_absolute_difference and
    # jensen_shannon: they resolve to the canonical methods. Shares 0.6/0.4 -> 0.4/0.6 (100 values a side):
    # L-inf = 0.2; NAD = |60 - 40| / 200 = 0.1; JSD from scipy.
    base = stats_of(categorical("a", {"x": 60, "y": 40}), categorical("b", {"x": 60, "y": 40}),
                    categorical("c", {"x": 60, "y": 40}))
    cur = stats_of(categorical("a", {"x": 40, "y": 60}), categorical("b", {"x": 40, "y": 60}),
                   categorical("c", {"x": 40, "y": 60}))
    path = tmp_path / "schema.json"
    path.write_text(Schema(columns=(ColumnSchema("a", "string", drift=Drift("l_infinity", 0.3)),
                                    ColumnSchema("b", "string", drift=Drift("normalized_absolute_difference", 0.05)),
                                    ColumnSchema("c", "string", drift=Drift("jensen_shannon", 0.1)))).dumps())
    report = drift(base, cur, schema=path)
    assert [(c.method, c.threshold) for c in report.columns] == [("linf", 0.3), ("normalized_abs_diff", 0.05),
                                                                  ("jsd", 0.1)]
    assert report.column("a").value == pytest.approx(0.2, abs=1e-12) and not report.column("a").drifted
    assert report.column("b").value == pytest.approx(0.1, abs=1e-12) and report.column("b").drifted
    jsd = scipy_distance.jensenshannon([0.6, 0.4], [0.4, 0.6], base=2) ** 2
    assert report.column("c").value == pytest.approx(jsd, abs=1e-12)


def test_registry_methods_fit_the_columns_they_read():
    # Which methods measure a numeric column and which a string column, written out by hand.
    rng = np.random.default_rng(4)
    frame = pl.DataFrame({"x": rng.normal(size=400), "s": rng.choice(["a", "b", "c"], 400)})
    stats = profile(frame)
    numeric_fits = {"jsd", "psi", "ks", "wasserstein"}
    string_fits = {"linf", "jsd", "normalized_abs_diff", "psi", "chi2"}
    assert set(METHODS) == numeric_fits | string_fits
    for name in METHODS:
        for column, fits in (("x", numeric_fits), ("s", string_fits)):
            if name in fits:
                col = compare(stats, stats, method={column: name}).column(column)
                assert (col.status, col.method, col.drifted) == ("compared", name, False)
            else:
                with pytest.raises(UsageError, match=f"method {name} .* does not fit column '{column}'"):
                    compare(stats, stats, method={column: name})
    assert {name for name, entry in METHODS.items() if entry.is_test} == {"ks", "chi2"}
    assert METHODS["ks"].kinds == {"numeric", "temporal"}
    assert METHODS["chi2"].kinds == {"string", "categorical", "boolean"}
    assert METHODS["psi"].kinds == {"numeric", "temporal", "string", "categorical", "boolean"}


def test_docs_method_table_matches_the_registry():
    # docs/drift.md lists every method with its aliases, test or distance, and default threshold.
    rows = {}
    for line in (REPO / "docs" / "drift.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[4][:1] in "0123456789p":
            rows[cells[0].strip("`")] = ([a.strip().strip("`") for a in cells[1].split(",")], cells[3], cells[4])
    assert list(rows) == list(METHODS)
    for name, (aliases, kind, threshold) in rows.items():
        assert sorted(aliases) == sorted(a for a, n in METHOD_ALIASES.items() if n == name)
        assert all(canonical_method(alias.upper().replace("_", "-")) == name for alias in aliases)
        assert kind.startswith("test") == METHODS[name].is_test
        assert float(threshold.removeprefix("p < ")) == METHODS[name].threshold


# ----------------------------------------------------------------------------- columns on one side, env, severity


def test_columns_on_one_side_are_reported():
    base = pl.DataFrame({"a": [1.0, 2.0, 3.0] * 50, "gone": ["x", "y", "z"] * 50})
    cur = pl.DataFrame({"a": [1.0, 2.0, 3.0] * 50, "fresh": [True, False, True] * 50})
    report = drift(base, cur)
    assert report.column("gone").status == "missing_in_current" and report.column("gone").drifted
    assert report.column("fresh").status == "new_in_current" and not report.column("fresh").drifted
    assert [c.column for c in report.columns] == ["a", "gone", "fresh"]
    assert not report.passed
    assert_json_ok(report)


def test_serving_environment_excludes_the_label():
    schema = Schema(columns=(ColumnSchema("x", "float"), ColumnSchema("label", "integer")),
                    environments={"serving": Environment(excluded=("label",)), "training": Environment()})
    train = pl.DataFrame({"x": np.arange(500.0), "label": np.arange(500) % 2})
    serving = pl.DataFrame({"x": np.arange(500.0)})
    report = drift(train, serving, schema=schema, env="serving")
    assert report.column("label").status == "not_expected" and not report.column("label").drifted
    assert report.passed and report.environment == "serving"
    assert not drift(train, serving, schema=schema, env="training").passed
    with pytest.raises(UsageError, match="no environment 'canary'"):
        drift(train, serving, schema=schema, env="canary")


def test_schema_severity_warning_and_off():
    base, cur = normal_frame(400, 1), normal_frame(400, 2, shift=2.0)
    warn = Schema(columns=(ColumnSchema("x", "float", severity={"drift": "warning"}),))
    report = drift(base, cur, schema=warn)
    assert report.column("x").drifted and report.column("x").severity == "warning" and report.passed
    off = Schema(columns=(ColumnSchema("x", "float", severity={"drift": "off"}),))
    report = drift(base, cur, schema=off)
    assert report.column("x").status == "skipped" and not report.column("x").drifted and report.passed


def test_row_count_change_against_schema_limit():
    schema = Schema(columns=(), dataset=DatasetConstraints(max_row_count_change=0.5))
    report = drift(normal_frame(1000, 1), normal_frame(400, 2), schema=schema)
    assert report.row_count_change == pytest.approx(-0.6)
    assert report.row_count_drifted and not report.passed


def test_constant_baseline_that_moves_has_no_infinite_value():
    report = drift(pl.DataFrame({"k": [1.0] * 200}), pl.DataFrame({"k": [1.0] * 100 + [2.0] * 100}),
                   method="wasserstein")
    col = report.column("k")
    assert col.value is None and col.drifted and "constant" in col.note
    assert_json_ok(report)


def test_empty_side_is_not_measured_and_says_why():
    # The distribution has nothing to compare; the emptiness itself is the missingness signal's finding.
    report = drift(pl.DataFrame({"v": [1.0, 2.0] * 100}),
                   pl.DataFrame({"v": pl.Series([None] * 200, dtype=pl.Float64)}))
    col = report.column("v")
    assert col.value is None and "no non-null values" in col.note
    assert col.drifted_by == ("missingness",)
    assert col.signal("missingness").current_share == 1.0


# --------------------------------------------------------------------------------------------- sample data


def test_loans_drifted_is_caught():
    report = drift(SAMPLE / "loans_train.csv", SAMPLE / "loans_drifted.csv")
    drifted = set(report.drifted_columns)
    assert {"income", "interest_rate", "state"} <= drifted
    assert report.column("state").largest_change == "TX"
    assert set(report.column("state").new_values) == {"NV", "OR"}
    assert report.column("employment_type").new_values == ("gig_worker",)
    # Every compared column reports its measured value, also under the threshold.
    assert all(c.value is not None for c in report.columns if c.status == "compared")
    assert report.exit_code == 1
    assert_json_ok(report)


def test_loans_clean_has_no_drift():
    report = drift(SAMPLE / "loans_train.csv", SAMPLE / "loans_clean.csv")
    assert report.passed and report.drifted_columns == []
    assert report.row_count_change == pytest.approx(-0.6)
    # Identifiers, dates and free text are reported as skipped, with the reason.
    for name in ("application_id", "application_date", "notes"):
        assert report.column(name).status == "skipped" and report.column(name).note


def test_saved_statistics_give_the_same_report(tmp_path):
    for side in ("train", "drifted"):
        (tmp_path / f"{side}.json").write_text(to_json(profile(SAMPLE / f"loans_{side}.csv").to_dict()))
    raw = drift(SAMPLE / "loans_train.csv", SAMPLE / "loans_drifted.csv")
    saved = drift(tmp_path / "train.json", tmp_path / "drifted.json")
    assert saved.drifted_columns == raw.drifted_columns
    for a, b in zip(raw.columns, saved.columns):
        assert a.method == b.method and a.drifted == b.drifted
        if a.value is not None:
            assert b.value == pytest.approx(a.value, rel=1e-9, abs=1e-12)
    mixed = drift(tmp_path / "train.json", SAMPLE / "loans_clean.csv")
    assert mixed.passed


# --------------------------------------------------------------------------------------------- real datasets


def _read_real(name: str) -> pl.DataFrame:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    if name.endswith("adult.data"):
        # Fields are separated by ", ": read with a plain comma, then strip the leading blanks and re-infer types.
        frame = pl.read_csv(path, infer_schema=False)
        frame = frame.with_columns(pl.all().str.strip_chars())
        return pl.read_csv(frame.write_csv().encode())
    return pl.read_csv(path, infer_schema_length=None)


REAL = {
    "chicago_taxi_tfx/data.csv": ("fare", "payment_type"),
    "chicago_taxi_tfdv/train.csv": ("trip_seconds", "payment_type"),
    "census_adult/adult.data": ("age", "race"),
    "penguins_tfx/labelled.csv": ("body_mass_g", None),  # 167 rows a half: a 10-point swing is below detection
}


def _halves(frame: pl.DataFrame, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    order = np.random.default_rng(seed).permutation(frame.height)
    half = frame.height // 2
    return frame[order[:half]], frame[order[half:]]


@pytest.mark.parametrize("name", list(REAL))
def test_random_halves_of_real_data_show_no_drift(name):
    frame = _read_real(name)
    for seed in range(3):
        a, b = _halves(frame, seed)
        report = drift(a, b)
        drifted = [(c.column, c.method, c.value, c.pvalue) for c in report.columns if c.drifted]
        assert report.passed, (name, seed, drifted)
        assert report.compared_count >= 4
        assert_json_ok(report)


@pytest.mark.parametrize("name", list(REAL))
def test_half_std_shift_in_real_data_is_drift_in_exactly_that_column(name):
    frame = _read_real(name)
    column = REAL[name][0]
    a, b = _halves(frame, 0)
    std = a[column].drop_nulls().std(ddof=0)
    report = drift(a, b.with_columns(pl.col(column) + 0.5 * std))
    assert report.drifted_columns == [column]


@pytest.mark.parametrize("name", [n for n, (_, cat) in REAL.items() if cat])
def test_ten_point_swing_in_real_data_is_drift_in_exactly_that_column(name):
    frame = _read_real(name)
    column = REAL[name][1]
    a, b = _halves(frame, 0)
    counts = b[column].drop_nulls().value_counts(sort=True)
    top, second = counts[column][0], counts[column][1]
    moved = int(round(0.10 * b[column].drop_nulls().len()))
    rows = np.flatnonzero(b[column].eq(top).fill_null(False).to_numpy())[:moved]
    values = b[column].to_list()
    for i in rows:
        values[i] = second
    report = drift(a, b.with_columns(pl.Series(column, values, dtype=b[column].dtype)))
    assert report.drifted_columns == [column]
    assert report.column(column).largest_change in (top, second)


def test_real_data_raw_ks_agrees_with_scipy():
    frame = _read_real("chicago_taxi_tfx/data.csv")
    a, b = _halves(frame, 1)
    sa, sb = profile(a), profile(b)
    report = compare(sa, sb, method={"numeric": "ks"})
    for column in ("fare", "trip_miles", "trip_seconds", "tips"):
        x = a[column].drop_nulls().to_numpy()
        y = b[column].drop_nulls().to_numpy()
        ref = scipy_stats.ks_2samp(x, y)
        bound = sketch_error(sa, column) + sketch_error(sb, column)
        assert abs(report.column(column).value - ref.statistic) <= bound + 1e-12, column


def test_column_drift_round_trip():
    col = ColumnDrift("c", "string", "compared", "linf", 0.1, 0.05, True, largest_change="a",
                      largest_change_baseline=0.5, largest_change_current=0.4, new_values=("z",),
                      baseline_count=10, current_count=12, baseline_shape=(0.5, 0.5), current_shape=(0.4, 0.6),
                      shape_labels=("a", "b"))
    assert ColumnDrift.from_dict(json.loads(json.dumps(col.to_dict()))) == col
