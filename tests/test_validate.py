"""validate(): the anomaly catalogue on in-memory frames and statistics, sample_data, severity overrides,
environments, baselines, the Report model and update_schema."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import polars as pl
import pytest

import datacheck
from datacheck.checks import CATALOGUE, Report, validate
from datacheck.errors import SchemaFileError, UsageError
from datacheck.infer import infer_schema
from datacheck.jsonschemas import schema_errors
from datacheck.schema import ColumnSchema, DatasetConstraints, Domain, Environment, LengthBounds, Range, Schema
from datacheck.update import update_schema

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def codes(report: Report) -> set[tuple[str | None, str, str]]:
    return {(f.column, f.code, f.severity) for f in report.findings}


def check_json(report: Report) -> None:
    doc = json.loads(json.dumps(report.to_dict()))
    assert schema_errors(doc, "report") == []
    assert Report.from_dict(doc).to_dict() == doc


# ----------------------------------------------------------------------------------------- sample data


@pytest.fixture(scope="module")
def loans_schema() -> Schema:
    """The schema inferred from train, with the key a reviewer adds: 5,000 ids are more than the exact distinct
    table holds, so inference does not make the key itself (docs/inference.md)."""
    schema = infer_schema(datacheck.profile(str(SAMPLE / "loans_train.csv")))
    assert schema.column("application_id").unique is False
    key = dataclasses.replace(schema.column("application_id"), unique=True)
    return dataclasses.replace(schema, columns=tuple(key if c.name == key.name else c for c in schema.columns))


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_clean_snapshot_passes(loans_schema: Schema, ext: str) -> None:
    report = validate(str(SAMPLE / f"loans_clean.{ext}"), loans_schema)
    assert report.passed and report.findings == ()
    assert report.exit_code("warning") == 0
    check_json(report)


@pytest.mark.parametrize("ext", ["csv", "parquet"])
def test_every_planted_problem_is_reported(loans_schema: Schema, ext: str) -> None:
    report = validate(str(SAMPLE / f"loans_broken.{ext}"), loans_schema)
    check_json(report)
    errors = {(f.column, f.code) for f in report.errors}
    warnings = {(f.column, f.code) for f in report.warnings}
    assert ("has_cosigner", "missing_column") in errors
    assert ("credit_score", "unexpected_type") in errors
    assert ("income", "too_many_nulls") in errors
    # The schema comes from 5,000 rows: too few for a single-value error bound (docs/inference.md), so values
    # beyond the observed range are an error through their share (min_mass), and a handful of them warn.
    assert ("loan_amount", "range_mass_too_low") in errors
    assert ("interest_rate", "range_mass_too_low") in errors
    assert ("age", "out_of_warning_range") in warnings
    assert ("application_id", "not_unique") in errors
    planted = {"has_cosigner", "credit_score", "income", "loan_amount", "age", "interest_rate", "application_id"}
    assert {f.column for f in report.findings} <= planted  # no false alarm on the untouched columns
    by = {(f.column, f.code): f for f in report.findings}
    # Exact counts from the README.
    assert by[("income", "too_many_nulls")].count == 639
    assert by[("loan_amount", "range_mass_too_low")].count == 40
    assert by[("loan_amount", "range_mass_too_low")].observed["below_warn_min"] == 40
    age = by[("age", "out_of_warning_range")]
    # Against a plain count over the rows of the CSV (the Parquet file holds the same rows).
    bounds = loans_schema.column("age").range
    ages = pl.read_csv(SAMPLE / "loans_broken.csv", infer_schema_length=0)["age"].to_list()
    outside = [row for row, text in enumerate(ages)
               if text is not None and not bounds.warn_min <= float(text) <= bounds.warn_max]
    assert age.count == len(outside) == 6
    assert sorted((e.row, e.value) for e in age.examples) == [(row, float(ages[row])) for row in outside[:5]]
    assert by[("interest_rate", "range_mass_too_low")].count == 25
    dup = by[("application_id", "not_unique")]
    assert dup.count == 30 and dup.observed["duplicated_keys"] == 30 and dup.observed["distinct"] == 1970
    typ = by[("credit_score", "unexpected_type")]
    assert typ.count == 180  # 120 "...pts" + 60 "N/A"
    assert typ.examples[0].value == "N/A" and typ.examples[0].row == 1
    assert typ.examples[1].row == 3 and typ.examples[1].value.endswith("pts")
    for finding in report.findings:
        assert finding.fix
        assert len(finding.examples) <= 5


def test_examples_carry_row_numbers_and_files(loans_schema: Schema) -> None:
    report = validate(str(SAMPLE / "loans_broken.csv"), loans_schema, max_examples=2)
    broken = pl.read_csv(SAMPLE / "loans_broken.csv", infer_schema_length=0)
    amount = next(f for f in report.findings if f.code == "range_mass_too_low" and f.column == "loan_amount")
    assert len(amount.examples) == 2
    for example in amount.examples:
        assert example.file == str(SAMPLE / "loans_broken.csv")
        assert float(broken["loan_amount"][example.row]) == example.value < 0


def test_drifted_snapshot_reports_unseen_categories(loans_schema: Schema) -> None:
    report = validate(str(SAMPLE / "loans_drifted.csv"), loans_schema)
    state = next(f for f in report.findings if f.column == "state")
    values = {v["value"] for v in state.observed["unexpected_values"]}
    assert values == {"NV", "OR"}
    assert 'add "NV", "OR" to columns[state].domain.values' in state.fix
    gig = next(f for f in report.findings if f.column == "employment_type")
    assert gig.examples[0].value == "gig_worker"


def test_serving_environment(loans_schema: Schema) -> None:
    schema = dataclasses.replace(loans_schema, environments={"serving": Environment(excluded=("defaulted",))})
    serving = str(SAMPLE / "loans_serving.csv")
    assert ("defaulted", "missing_column", "error") in codes(validate(serving, schema))
    assert not [f for f in validate(serving, schema, env="serving").findings if f.column == "defaulted"]
    with pytest.raises(UsageError):
        validate(serving, schema, env="nope")


def test_from_statistics_runs_what_statistics_can_answer(loans_schema: Schema) -> None:
    stats = datacheck.profile(str(SAMPLE / "loans_broken.csv"))
    report = validate(stats, loans_schema)
    assert report.summary.from_statistics
    errors = {(f.column, f.code) for f in report.errors}
    assert {("has_cosigner", "missing_column"), ("credit_score", "unexpected_type"), ("income", "too_many_nulls"),
            ("loan_amount", "range_mass_too_low"), ("interest_rate", "range_mass_too_low")} <= errors
    # From statistics the share outside the range comes from the quantile summary: judged, but not counted.
    assert ("age", "out_of_warning_range") in {(f.column, f.code) for f in report.warnings}
    # application_id has more distinct values than the exact table holds: uniqueness is skipped, not passed.
    skipped = {(c.column, c.check) for c in report.checks if c.status == "skipped"}
    assert ("application_id", "unique") in skipped
    check_json(report)


def test_statistics_file_path_is_accepted(loans_schema: Schema, tmp_path: Path) -> None:
    from datacheck.output import write_atomic

    stats = datacheck.profile(str(SAMPLE / "loans_drifted.csv"))
    path = tmp_path / "stats.json"
    write_atomic(path, json.dumps(stats.to_dict()))
    report = validate(str(path), loans_schema)
    assert report.summary.from_statistics
    assert {"state", "employment_type"} <= {f.column for f in report.findings}


# ---------------------------------------------------------------------------------------- each code


def schema_of(*columns: ColumnSchema, **dataset) -> Schema:
    return Schema(columns=columns, dataset=DatasetConstraints(**dataset) if dataset else DatasetConstraints())


@pytest.mark.parametrize(
    ("frame", "column", "code", "count"),
    [
        (pl.DataFrame({"x": ["a", "b"]}), "x", "unexpected_type", None),
        (pl.DataFrame({"x": [1] * 10 + [None] * 30}), "x", "too_many_nulls", 30),
        (pl.DataFrame({"x": pl.Series([None, None], dtype=pl.Int64)}), "x", "column_not_present", 2),
        (pl.DataFrame({"x": [1, 2, 3, 200]}), "x", "out_of_range", 1),
        (pl.DataFrame({"x": [1.0, float("nan")]}), "x", "nan_not_allowed", 1),
        (pl.DataFrame({"x": [1.0, float("inf"), float("-inf")]}), "x", "inf_not_allowed", 2),
        (pl.DataFrame({"x": [1, 1, 2, 2, 2]}), "x", "not_unique", 3),
        (pl.DataFrame({"y": [1]}), "x", "missing_column", None),
    ],
)
def test_numeric_codes(frame: pl.DataFrame, column: str, code: str, count: int | None) -> None:
    spec = ColumnSchema("x", "float" if code in ("nan_not_allowed", "inf_not_allowed") else "integer",
                        max_null_fraction=0.5, unique=code == "not_unique", range=Range(min=0, max=100))
    report = validate(frame, schema_of(spec))
    found = [f for f in report.findings if f.code == code]
    assert found and found[0].column == column and found[0].severity == CATALOGUE[code].severity
    if count is not None:
        assert found[0].count == count
    check_json(report)


def test_null_share_within_sampling_noise_of_the_bound_is_a_warning_not_an_error() -> None:
    # 26 nulls in 200 rows (13%) against a bound of 12.1%: a 10%-null column gives that often in small batches.
    # Binomial: expected 24.2, sd 4.6, so 26 is 0.4 sd above the bound; 40 (20%) is 3.4 sd above: an error.
    spec = ColumnSchema("x", "integer", max_null_fraction=0.121, warn_max_null_fraction=0.11)
    for nulls, code in ((26, "low_presence"), (40, "too_many_nulls")):
        frame = pl.DataFrame({"x": [1] * (200 - nulls) + [None] * nulls})
        codes = {f.code for f in validate(frame, schema_of(spec)).findings}
        assert codes == {code}, (nulls, codes)


def test_string_codes() -> None:
    spec = ColumnSchema("s", "string", max_null_fraction=0.0, length=LengthBounds(min=2, max=4, warn_max=3),
                        pattern=r"^[a-z]+$")
    frame = pl.DataFrame({"s": ["ab", "abcde", "AB", "abcd"]})
    report = validate(frame, schema_of(spec))
    by = {f.code: f for f in report.findings}
    assert by["length_out_of_range"].count == 1 and by["length_out_of_range"].examples[0].value == "abcde"
    assert by["pattern_mismatch"].count == 1 and by["pattern_mismatch"].examples[0].row == 2
    warn = validate(pl.DataFrame({"s": ["ab", "abcd"]}), schema_of(spec))
    assert [(f.code, f.severity) for f in warn.findings] == [("length_out_of_warning_range", "warning")]


def test_domain_levels() -> None:
    spec = ColumnSchema("c", "categorical", domain=Domain(("a", "b"), min_mass=0.9))
    few = validate(pl.DataFrame({"c": ["a"] * 19 + ["z"]}), schema_of(spec))
    assert [(f.code, f.severity, f.count) for f in few.findings] == [("unexpected_value", "warning", 1)]
    # 10 of 20 outside a 10% tolerance: P(Binomial(20, 0.1) >= 10) ~ 7e-6, far beyond sampling noise.
    many = validate(pl.DataFrame({"c": ["a"] * 10 + ["z"] * 10}), schema_of(spec))
    f = many.findings[0]
    assert (f.code, f.severity, f.count, f.fraction) == ("domain_mass_too_low", "error", 10, 0.5)
    assert f.observed["unexpected_values"] == [{"value": "z", "count": 10, "fraction": 0.5}]


def test_range_levels_and_unit_change() -> None:
    spec = ColumnSchema("r", "float", range=Range(min=0, warn_min=1, warn_max=10, min_mass=0.9))
    one = validate(pl.DataFrame({"r": [2.0] * 19 + [11.0]}), schema_of(spec))
    assert [(f.code, f.severity) for f in one.findings] == [("out_of_warning_range", "warning")]
    scaled = validate(pl.DataFrame({"r": [200.0] * 10}), schema_of(spec))
    assert [(f.code, f.severity, f.count) for f in scaled.findings] == [("range_mass_too_low", "error", 10)]


@pytest.mark.parametrize("values, dtype", [
    ([2 ** 63 - 1], pl.Int64),                    # rounds up to 2**63 as a float
    ([-(2 ** 63), -(2 ** 63) + 1], pl.Int64),
    ([2 ** 64 - 1, 2 ** 63 + 1, 12], pl.UInt64),
    ([2 ** 53 + 1, 2 ** 53 + 3], pl.Int64),       # the first integers a float cannot hold
])
def test_integers_beyond_float_precision_pass_the_schema_inferred_from_them(values, dtype) -> None:
    # Statistics hold numbers as floats; an integer bound taken from the nearest float would cut off the
    # true extreme (hypothesis found 2**63 - 1 flagged as below warn_min 2**63).
    frame = pl.DataFrame({"n": pl.Series(values, dtype=dtype)})
    schema = infer_schema(datacheck.profile(frame))
    bounds = schema.columns[0].range
    assert bounds.warn_min <= min(values) and max(values) <= bounds.warn_max
    assert validate(frame, schema).findings == ()


def test_temporal_range_and_text_dates() -> None:
    spec = ColumnSchema("d", "date", range=Range(min="2024-01-01", max="2024-12-31"))
    frame = pl.DataFrame({"d": pl.Series(["2023-06-01", "2024-02-02"]).str.to_date()})
    report = validate(frame, schema_of(spec))
    assert [(f.code, f.count) for f in report.findings] == [("out_of_range", 1)]
    text = ColumnSchema("t", "date", stored_as="string", format="%Y-%m-%d")
    bad = validate(pl.DataFrame({"t": ["2024-01-01", "01/02/2024"]}), schema_of(text))
    assert [(f.code, f.count, f.examples[0].value) for f in bad.findings] == [("unexpected_type", 1, "01/02/2024")]


def test_row_counts_and_empty_dataset() -> None:
    spec = ColumnSchema("x", "integer")
    empty = validate(pl.DataFrame({"x": pl.Series([], dtype=pl.Int64)}), schema_of(spec))
    assert [(f.column, f.code, f.severity) for f in empty.findings] == [(None, "empty_dataset", "error")]
    small = validate(pl.DataFrame({"x": [1, 2]}), schema_of(spec, min_rows=5, max_rows=10))
    assert [f.code for f in small.findings] == ["row_count_out_of_range"]
    change = validate(pl.DataFrame({"x": [1, 2]}), schema_of(spec, max_row_count_change=0.5),
                      baseline=pl.DataFrame({"x": list(range(10))}))
    found = [f for f in change.findings if f.code == "row_count_change"]
    assert found and found[0].observed["change"] == 0.8


def test_empty_csv_is_reported_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("a,b\n")
    schema = schema_of(ColumnSchema("a", "integer"), ColumnSchema("b", "string"))
    report = validate(str(path), schema)
    assert [f.code for f in report.findings] == ["empty_dataset"]


def test_severity_overrides() -> None:
    spec = ColumnSchema("c", "categorical", domain=Domain(("a",), min_mass=0.0),
                        severity={"unexpected_value": "error"})
    report = validate(pl.DataFrame({"c": ["a", "b"]}), schema_of(spec))
    assert [(f.code, f.severity) for f in report.findings] == [("unexpected_value", "error")]
    assert report.exit_code() == 1
    off = dataclasses.replace(spec, severity={"unexpected_value": "off"})
    assert validate(pl.DataFrame({"c": ["a", "b"]}), schema_of(off)).findings == ()


def test_unexpected_column_is_a_warning() -> None:
    report = validate(pl.DataFrame({"x": [1], "new": [2]}), schema_of(ColumnSchema("x", "integer")))
    assert codes(report) == {("new", "unexpected_column", "warning")}
    assert report.passed and report.exit_code("error") == 0 and report.exit_code("warning") == 1


def test_duplicate_keys_match_a_python_count_across_files(tmp_path: Path) -> None:
    # Reference: a Counter over the concatenated keys; each example is a key in order of first occurrence,
    # pointing at its second occurrence (file and row within that file) with the key's total count.
    import random
    from collections import Counter

    rng = random.Random(5)
    files, paths = [], []
    for i, rows in enumerate((700, 1, 2_500)):
        keys = [rng.randrange(3_000) if rng.random() < 0.9 else None for _ in range(rows)]
        path = tmp_path / f"part{i}.parquet"
        pl.DataFrame({"k": keys}, schema={"k": pl.Int64}).write_parquet(path)
        files += [(str(path), row, key) for row, key in enumerate(keys)]
        paths.append(str(path))
    report = validate(paths, schema_of(ColumnSchema("k", "integer", unique=True, max_null_fraction=1.0)))
    counts = Counter(key for _, _, key in files if key is not None)
    seen: dict[int, list[tuple[str, int]]] = {}
    for file, row, key in files:
        if key is not None and counts[key] > 1:
            seen.setdefault(key, []).append((file, row))
    (finding,) = [f for f in report.findings if f.code == "not_unique"]
    assert finding.count == sum(c - 1 for c in counts.values() if c > 1)
    assert finding.observed["duplicated_keys"] == len(seen)
    assert [(e.value, e.file, e.row, e.count) for e in finding.examples] == [
        (key, *places[1], len(places)) for key, places in list(seen.items())[:5]]
    # Nulls are not keys: distinct values with nulls among them (or nothing but nulls) pass.
    for keys in ([1, None, 2, None, 3], [None, None]):
        passed = validate(pl.DataFrame({"k": keys}, schema={"k": pl.Int64}),
                          schema_of(ColumnSchema("k", "integer", unique=True, max_null_fraction=1.0)))
        assert not [f for f in passed.findings if f.code == "not_unique"], keys


def test_uniqueness_across_batches_and_files(tmp_path: Path) -> None:
    pl.DataFrame({"k": [1, 2, 3]}).write_csv(tmp_path / "a.csv")
    pl.DataFrame({"k": [4, 3, 5]}).write_csv(tmp_path / "b.csv")
    report = validate([str(tmp_path / "a.csv"), str(tmp_path / "b.csv")],
                      schema_of(ColumnSchema("k", "integer", unique=True)))
    (finding,) = report.findings
    assert finding.code == "not_unique" and finding.count == 1
    example = finding.examples[0]
    assert (example.value, example.row, example.file) == (3, 1, str(tmp_path / "b.csv"))


def test_row_level_checks_run_in_the_statistics_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """One scan: every batch goes through the observer of the same profile_frame call."""
    import sys

    # The engine runs every scan (datacheck.engine calls profile_frame): spy on the call it makes.
    profile_module = sys.modules["datacheck.engine"]

    calls = []
    original = profile_module.profile_frame

    def spy(*args, **kwargs):
        calls.append(len(kwargs.get("observers") or ()))
        return original(*args, **kwargs)

    monkeypatch.setattr(profile_module, "profile_frame", spy)
    frame = pl.DataFrame({"x": list(range(1000))})
    report = validate(frame, schema_of(ColumnSchema("x", "integer", range=Range(max=500))))
    assert calls == [1]
    assert report.findings[0].count == 499


def test_bad_pattern_is_a_schema_error() -> None:
    spec = ColumnSchema("s", "string", pattern=r"(?<=a)b")
    with pytest.raises(SchemaFileError):
        validate(pl.DataFrame({"s": ["ab"]}), schema_of(spec))


def test_drift_against_a_baseline(loans_schema: Schema) -> None:
    report = validate(str(SAMPLE / "loans_drifted.csv"), loans_schema, baseline=str(SAMPLE / "loans_train.csv"))
    drifted = {f.column for f in report.findings if f.code == "distribution_drift"}
    assert {"state", "interest_rate"} <= drifted
    assert report.summary.baseline_rows == 5000
    clean = validate(str(SAMPLE / "loans_clean.csv"), loans_schema, baseline=str(SAMPLE / "loans_train.csv"))
    assert not clean.errors


def test_property_inferred_schema_accepts_its_own_data() -> None:
    for frame in (pl.read_csv(SAMPLE / "loans_train.csv"), pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", None]})):
        report = validate(frame, infer_schema(datacheck.profile(frame)))
        assert report.passed, [f.message for f in report.errors]


# ------------------------------------------------------------------------------------------ update


def test_update_schema_accepts_the_new_data(loans_schema: Schema) -> None:
    for name in ("loans_drifted.csv", "loans_broken.csv", "loans_serving.csv"):
        stats = datacheck.profile(str(SAMPLE / name))
        new, changes = update_schema(loans_schema, stats)
        assert changes
        after = validate(stats, new)
        assert after.passed, (name, [f.message for f in after.errors])
        assert Schema.loads(new.dumps()) == new
    stats = datacheck.profile(str(SAMPLE / "loans_drifted.csv"))
    new, changes = update_schema(loans_schema, stats)
    assert set(new.column("state").domain.values) >= {"NV", "OR"}
    assert any("columns[state].domain.values: added" in c for c in changes)
    assert update_schema(loans_schema, datacheck.profile(str(SAMPLE / "loans_clean.csv")))[1] == []


def test_update_schema_relaxes_each_kind() -> None:
    schema = schema_of(ColumnSchema("k", "integer", unique=True, max_null_fraction=0.0, range=Range(min=0, warn_max=5)),
                       ColumnSchema("gone", "string"))
    stats = datacheck.profile(pl.DataFrame({"k": [1, 1, None, -3, 9], "new": ["a", "b", "c", "d", "e"]}))
    new, changes = update_schema(schema, stats)
    k = new.column("k")
    assert (k.unique, k.max_null_fraction, k.range.min, k.range.warn_max) == (False, 0.2, -3, 9)
    assert new.column("gone").required is False
    assert new.column("new") is not None
    assert len(changes) >= 6


def test_catalogue_is_well_formed() -> None:
    for code, entry in CATALOGUE.items():
        assert code == entry.code and entry.severity in ("error", "warning") and entry.fix and entry.trigger
    required = {"missing_column", "unexpected_column", "unexpected_type", "low_presence", "column_not_present",
                "too_many_nulls", "unexpected_value", "out_of_range", "nan_not_allowed", "inf_not_allowed",
                "not_unique", "length_out_of_range", "pattern_mismatch", "row_count_out_of_range", "empty_dataset",
                "row_count_change", "distribution_drift"}
    assert required <= set(CATALOGUE)
