"""Statistics per slice (`stats --slice`): each slice against polars group_by on the same frame, merges of sliced
statistics against profiling the concatenation, pooling of small slices, and the statistics file."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from datacheck import engine as engines
from datacheck.errors import UsageError
from datacheck.jsonschemas import schema_errors
from datacheck.profile import profile
from datacheck.profile_merge import merge
from datacheck.slices import keys_cap, parse_slices, profile_sliced
from datacheck.statistics import Statistics

ROOT = Path(__file__).resolve().parents[1]


def frame(rows: int = 30_000, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    group = pl.Series(rng.choice(["a", "b", "c", "d", "z"], rows, p=[0.4, 0.3, 0.15, 0.1, 0.05])).replace("z", None)
    x = rng.normal(10, 3, rows)
    x[rng.random(rows) < 0.1] = np.nan
    return pl.DataFrame({
        "group": group,
        "flag": rng.random(rows) < 0.3,
        "x": pl.Series(x).fill_nan(None),
        "n": rng.integers(0, 50, rows),
        "cat": rng.choice(["p", "q", "r"], rows),
    })


def key_of(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def assert_slice_matches(stats: Statistics, part: pl.DataFrame) -> None:
    """The slice's statistics against polars on the slice's rows."""
    assert stats.num_rows == part.height
    x, n, cat = stats.column("x"), stats.column("n"), stats.column("cat")
    assert x is not None and n is not None and cat is not None and x.numeric is not None and n.numeric is not None
    assert x.null_count == part["x"].null_count()
    values = part["x"].drop_nulls().to_numpy()
    assert math.isclose(x.numeric.mean or 0.0, float(values.mean()), rel_tol=1e-9)
    assert math.isclose(x.numeric.std or 0.0, float(values.std()), rel_tol=1e-9)
    assert x.numeric.min == float(values.min()) and x.numeric.max == float(values.max())
    assert n.numeric.min == part["n"].min() and n.numeric.max == part["n"].max()
    expected = dict(part.group_by("cat").len().iter_rows())
    assert cat.frequencies is not None and cat.frequencies.error == 0
    assert cat.frequencies.as_mapping() == expected


def test_each_slice_equals_polars_group_by() -> None:
    df = frame()
    stats = profile_sliced(df, [("group",), ("group", "flag")])
    by_group, crossed = stats.slicings
    expected = {(key_of(k[0]),): part for k, part in df.partition_by("group", as_dict=True).items()}
    assert {s.key for s in by_group.slices} == set(expected)
    for item in by_group.slices:
        assert_slice_matches(item.statistics, expected[item.key])
    assert by_group.other is None
    crossed_parts = {(key_of(k[0]), key_of(k[1])): part for k, part in df.partition_by(["group", "flag"],
                                                                                        as_dict=True).items()}
    assert {s.key for s in crossed.slices} == set(crossed_parts)
    for item in crossed.slices:
        assert_slice_matches(item.statistics, crossed_parts[item.key])
    # Most rows first.
    rows = [s.rows for s in crossed.slices]
    assert rows == sorted(rows, reverse=True)


def test_pooling_keeps_the_largest_and_pools_the_rest_exactly() -> None:
    df = frame()
    stats = profile_sliced(df, [("group",)], max_slices=2)
    slicing = stats.slicings[0]
    counts = {key_of(k): c for k, c in df.group_by("group").len().iter_rows()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    assert [s.key for s in slicing.slices] == [(ranked[0][0],), (ranked[1][0],)]
    assert slicing.other is not None
    pooled_values = {k for k, _ in ranked[2:]}
    assert dict(slicing.pooled) == {(k,): c for k, c in ranked[2:]}
    assert slicing.pooled_complete
    rest = df.filter(pl.col("group").is_null() | pl.col("group").is_in([k for k in pooled_values if k is not None]))
    assert_slice_matches(slicing.other.statistics, rest)


def test_more_keys_than_the_cap_pool_exactly() -> None:
    rng = np.random.default_rng(3)
    rows = 20_000
    df = pl.DataFrame({"id": rng.integers(0, 400, rows).astype(str), "x": rng.normal(size=rows),
                       "n": rng.integers(0, 9, rows), "cat": rng.choice(["p", "q"], rows)})
    stats = profile_sliced(df, [("id",)], max_slices=3)
    slicing = stats.slicings[0]
    assert keys_cap(3) < 400
    assert len(slicing.slices) == 3
    assert slicing.other is not None
    assert sum(s.rows for s in slicing.slices) + slicing.other.rows == rows
    kept = [s.key[0] for s in slicing.slices]
    for item in slicing.slices:
        assert_slice_matches(item.statistics, df.filter(pl.col("id") == item.key[0]))
    assert_slice_matches(slicing.other.statistics, df.filter(~pl.col("id").is_in(kept)))
    counts = dict(df.group_by("id").len().iter_rows())
    assert all(counts[k[0]] == n for k, n in slicing.pooled)


def test_merge_of_sliced_halves_equals_the_whole() -> None:
    df = frame(40_000, seed=1)
    first, second = df.head(25_000), df.tail(15_000)
    whole = profile_sliced(df, [("group",)], max_slices=3)
    merged = merge([profile_sliced(first, [("group",)], max_slices=3),
                    profile_sliced(second, [("group",)], max_slices=3)])
    assert [(s.key, s.rows) for s in merged.slicings[0].slices] == [(s.key, s.rows) for s in whole.slicings[0].slices]
    for item in merged.slicings[0].slices:
        assert_slice_matches(item.statistics, df.filter(pl.col("group") == item.key[0]))
    other = merged.slicings[0].other
    assert other is not None
    kept = [s.key[0] for s in merged.slicings[0].slices]
    assert_slice_matches(other.statistics, df.filter(~pl.col("group").is_in(kept) | pl.col("group").is_null()))


def test_a_key_pooled_in_one_part_is_pooled_in_the_merge() -> None:
    # "c" is large in the first part (kept) and small in the second (pooled there): its rows in the second
    # part cannot be taken out of that part's "other", so the merge must pool it.
    one = pl.DataFrame({"g": ["c"] * 50 + ["a"] * 10, "x": np.arange(60.0), "n": np.arange(60), "cat": ["p"] * 60})
    two = pl.DataFrame({"g": ["a"] * 50 + ["b"] * 40 + ["c"] * 5, "x": np.arange(95.0), "n": np.arange(95),
                        "cat": ["q"] * 95})
    merged = merge([profile_sliced(one, [("g",)], max_slices=2), profile_sliced(two, [("g",)], max_slices=2)])
    slicing = merged.slicings[0]
    both = pl.concat([one, two])
    # "b" is absent from the first part (its pooled keys are listed completely), so it stays apart.
    assert [s.key for s in slicing.slices] == [("a",), ("b",)]
    assert_slice_matches(slicing.slices[0].statistics, both.filter(pl.col("g") == "a"))
    assert_slice_matches(slicing.slices[1].statistics, both.filter(pl.col("g") == "b"))
    assert slicing.other is not None
    assert_slice_matches(slicing.other.statistics, both.filter(pl.col("g") == "c"))
    assert dict(slicing.pooled) == {("c",): 55}


def test_partitioned_scan_gives_the_local_slices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    df = frame(60_000, seed=2)
    path = tmp_path / "data.parquet"
    df.write_parquet(path, row_group_size=10_000)
    monkeypatch.setattr(engines, "PARTITION_ROWS", 20_000)
    local = profile_sliced([str(path)], [("group", "flag")], max_slices=4)
    threads = profile_sliced([str(path)], [("group", "flag")], max_slices=4, engine="threads", workers=2)
    assert [(s.key, s.rows) for s in threads.slicings[0].slices] == [(s.key, s.rows)
                                                                     for s in local.slicings[0].slices]
    for a, b in zip(local.slicings[0].slices, threads.slicings[0].slices):
        assert a.statistics.column("cat") == b.statistics.column("cat")
        assert a.statistics.column("n").numeric.mean == pytest.approx(b.statistics.column("n").numeric.mean)
    assert local.slicings[0].pooled == threads.slicings[0].pooled


def test_statistics_file_round_trips_and_old_files_load(tmp_path: Path) -> None:
    df = frame(5_000)
    stats = profile_sliced(df, [("group",)], max_slices=2)
    data = json.loads(json.dumps(stats.to_dict()))
    assert schema_errors(data, "statistics") == []
    assert Statistics.from_dict(data) == stats
    plain = {k: v for k, v in data.items() if k != "slicings"}
    assert Statistics.from_dict(plain).slicings == ()


def test_parse_slices_and_errors() -> None:
    assert parse_slices(["a", "a", "b, c"]) == (("a",), ("b", "c"))
    with pytest.raises(UsageError):
        parse_slices(["a,b,c"])
    with pytest.raises(UsageError):
        parse_slices(["a,a"])
    with pytest.raises(UsageError):
        profile_sliced(frame(100), [("missing",)])


def test_cli_stats_slice_json_and_merge(tmp_path: Path) -> None:
    df = frame(8_000, seed=5)
    df.head(5_000).write_csv(tmp_path / "a.csv")
    df.tail(3_000).write_csv(tmp_path / "b.csv")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "datacheck", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path)

    for name in ("a", "b"):
        done = run("stats", f"{name}.csv", "--slice", "group", "--max-slices", "3", "-o", f"{name}.json")
        assert done.returncode == 0, done.stderr
    merged = run("merge", "a.json", "b.json", "-f", "json")
    assert merged.returncode == 0, merged.stderr
    data = json.loads(merged.stdout)
    assert schema_errors(data, "statistics") == []
    counts = {key_of(k): c for k, c in df.group_by("group").len().iter_rows()}
    got = {s["key"][0]: s["rows"] for s in data["slicings"][0]["slices"]}
    got.update({k["key"][0]: k["rows"] for k in data["slicings"][0]["other"]["keys"]})
    assert got == counts
    bad = run("stats", "a.csv", "--slice", "nope")
    assert bad.returncode == 2 and "no such column" in bad.stderr and "Traceback" not in bad.stderr


def test_validate_slice_finds_nulls_hidden_in_one_slice(tmp_path: Path) -> None:
    from datacheck.infer import infer_schema
    from datacheck.slice_validation import validate_sliced

    df = frame(20_000, seed=8).with_columns(pl.col("x").fill_null(1.0))
    schema = infer_schema(profile_sliced(df, [("group",)]))
    # 150 nulls in "d" (10% of the rows): 0.75% of the table, within its max_null_fraction of 1%.
    rows = df.with_row_index("i")
    d_rows = rows.filter(pl.col("group") == "d")["i"].head(150)
    broken = df.with_columns(pl.when(rows["i"].is_in(d_rows.implode())).then(None).otherwise(pl.col("x")).alias("x"))
    report, stats = validate_sliced(broken, schema, [("group",)], min_slice_rows=50)
    sliced = [(f.slice, f.column, f.code, f.severity) for f in report.findings if f.slice is not None]
    assert sliced == [("group=d", "x", "too_many_nulls", "error")]
    assert not report.passed and report.summary.errors == sum(f.severity == "error" for f in report.findings)
    assert {v.slice for v in report.slices} == {"group=a", "group=b", "group=c", "group=d", "group=null"}
    assert all(v.judged for v in report.slices)
    # Too small to judge: listed, not judged.
    small, _ = validate_sliced(broken, schema, [("group",)], min_slice_rows=10_000)
    assert [f for f in small.findings if f.slice is not None] == []
    assert not any(v.judged for v in small.slices)
    # The same from saved sliced statistics.
    from_stats, _ = validate_sliced(stats, schema, [("group",)], min_slice_rows=50)
    assert [(f.slice, f.column, f.code) for f in from_stats.findings if f.slice is not None] == [
        ("group=d", "x", "too_many_nulls")]


def test_cli_validate_slices_named_by_the_schema(tmp_path: Path) -> None:
    df = frame(20_000, seed=9).with_columns(pl.col("x").fill_null(1.0))
    df.write_csv(tmp_path / "train.csv")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "datacheck", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path)

    assert run("infer", "train.csv", "-o", "schema.json").returncode == 0
    schema = json.loads((tmp_path / "schema.json").read_text())
    schema["slices"] = ["group"]
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    bad = df.with_columns(pl.when((pl.col("group") == "d") & (pl.int_range(pl.len()) % 20 == 0)).then(None)
                          .otherwise(pl.col("x")).alias("x"))
    bad.write_csv(tmp_path / "bad.csv")
    done = run("validate", "bad.csv", "-s", "schema.json", "-f", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert schema_errors(report, "report") == []
    assert [(f["slice"], f["column"], f["code"]) for f in report["findings"] if "slice" in f] == [
        ("group=d", "x", "too_many_nulls")]
    clean = run("validate", "train.csv", "-s", "schema.json", "-f", "json")
    assert clean.returncode == 0, clean.stdout
    assert len(json.loads(clean.stdout)["slices"]) == 5


def test_drift_slice_cli_json_ranks_the_broken_slice(tmp_path: Path) -> None:
    from datacheck.drift import DriftReport

    df = frame(40_000, seed=11)
    base, cur = df.head(20_000), df.tail(20_000)
    # Slice "c" (15% of the rows) sends x in other units: x * 1.5 there.
    cur = cur.with_columns(pl.when(pl.col("group") == "c").then(pl.col("x") * 1.5).otherwise(pl.col("x")).alias("x"))
    base.write_parquet(tmp_path / "base.parquet")
    cur.write_parquet(tmp_path / "cur.parquet")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "datacheck", *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path)

    assert run("stats", "base.parquet", "--slice", "group", "-o", "base.json").returncode == 0
    done = run("drift", "base.json", "cur.parquet", "--slice", "group", "-f", "json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert schema_errors(data, "drift") == []
    drifted = [(s["slice"], s["drifted_columns"]) for s in data["slices"] if s["drifted"]]
    assert drifted == [("group=c", ["x"])]
    assert data["slices"][0]["slice"] == "group=c"
    assert DriftReport.from_dict(data).to_dict() == data
    unsliced = run("drift", "base.json", "cur.parquet", "--slice", "flag", "-f", "json")
    assert unsliced.returncode == 2 and "no slices by flag" in unsliced.stderr


def test_validate_slice_with_the_threads_engine_matches_local(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from datacheck.infer import infer_schema
    from datacheck.slice_validation import validate_sliced

    df = frame(60_000, seed=12).with_columns(pl.col("x").fill_null(1.0))
    schema = infer_schema(profile_sliced(df, [("group",)]))
    broken = df.with_columns(pl.when((pl.col("group") == "d") & (pl.int_range(pl.len()) % 25 == 0)).then(None)
                             .otherwise(pl.col("x")).alias("x"))
    path = tmp_path / "broken.parquet"
    broken.write_parquet(path, row_group_size=10_000)
    monkeypatch.setattr(engines, "PARTITION_ROWS", 20_000)
    local, _ = validate_sliced([str(path)], schema, [("group",)])
    threads, _ = validate_sliced([str(path)], schema, [("group",)], engine="threads", workers=2)
    assert [(f.slice, f.column, f.code, f.count) for f in threads.findings] == [
        (f.slice, f.column, f.code, f.count) for f in local.findings]
    assert ("group=d", "x", "too_many_nulls") in [(f.slice, f.column, f.code) for f in local.findings]
    assert threads.slices == local.slices


def test_whole_table_from_the_slices_keeps_the_exact_fields() -> None:
    df = frame(50_000, seed=13)
    sliced = profile_sliced(df, [("group",)])
    direct = profile(df)
    assert sliced.num_rows == direct.num_rows == df.height
    for name in df.columns:
        a, b = sliced.column(name), direct.column(name)
        assert a is not None and b is not None
        assert (a.count, a.null_count, a.kind, a.dtype) == (b.count, b.null_count, b.kind, b.dtype)
        assert a.frequencies == b.frequencies and a.distinct == b.distinct
        if b.numeric is not None:
            assert a.numeric is not None
            assert (a.numeric.min, a.numeric.max, a.numeric.zero_count, a.numeric.negative_count) == (
                b.numeric.min, b.numeric.max, b.numeric.zero_count, b.numeric.negative_count)
            assert a.numeric.mean == pytest.approx(b.numeric.mean, rel=1e-12)
            assert a.numeric.std == pytest.approx(b.numeric.std, rel=1e-12)
    x = df["x"].drop_nulls().to_numpy()
    median = sliced.column("x").numeric.quantile(0.5)  # type: ignore[union-attr]
    # Within the quantile summary's rank error of the true median.
    rank = float(np.mean(x <= median))
    assert abs(rank - 0.5) <= sliced.column("x").numeric.rank_error + 1e-3  # type: ignore[union-attr]
