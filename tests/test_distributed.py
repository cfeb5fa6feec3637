"""Scale-out: a Dask LocalCluster (2 workers) and the local process pool give the local run's statistics.

The dataset is a directory of Parquet files, two of them with several row groups, so that partitions are
both whole files and row-group runs (`partition_rows` is set low to split them). Exact fields must equal
`profile(dir)`'s; sketched fields must lie within their documented bounds against the true values. A
partition that cannot be read must stop the run with its name. `datacheck merge` is tested from the CLI.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.engine import Partition, plan_partitions, profile_partitioned, profile_with_engine
from datacheck.errors import InputError, UsageError
from datacheck.profile import merge, profile
from datacheck.sources import resolve
from datacheck.statistics import Statistics

PARTITION_ROWS = 10_000
#: (file name, rows, rows per row group)
FILES = [("a.parquet", 4_000, 4_000), ("b.parquet", 30_000, 10_000), ("c.parquet", 6_000, 6_000),
         ("d.parquet", 25_000, 5_000), ("e.parquet", 3_000, 3_000)]
runner = CliRunner()


def make_part(seed: int, rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.lognormal(3, 1, rows)
    x[rng.random(rows) < 0.01] = np.nan
    x[::997] = np.inf
    frame = pl.DataFrame({
        "id": np.arange(rows) + seed * 1_000_000,                       # unique: HLL distinct, no table
        "x": x,                                                         # KLL quantiles past capacity
        "small": rng.integers(0, 7, rows),                              # exact table and quantiles
        "cat": rng.choice(["red", "green", "blue", "gelb", "rød"], rows),
        "code": [f"c{v}" for v in rng.integers(0, 2_500, rows)],      # past FREQUENCY_CAPACITY
        "flag": rng.random(rows) < 0.2,
        "day": pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True)
        .sample(rows, with_replacement=True, seed=seed),
    })
    nulls = pl.Series(rng.random(rows) < 0.03)
    return frame.with_columns(*(pl.when(~nulls).then(pl.col(c)).alias(c) for c in ("x", "cat", "flag")))


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parquet")
    for seed, (name, rows, group) in enumerate(FILES, start=1):
        make_part(seed, rows).write_parquet(root / name, row_group_size=group)
    return root


@pytest.fixture(scope="module")
def truth(dataset_dir: Path) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(dataset_dir / name) for name, _, _ in FILES])


@pytest.fixture(scope="module")
def local_stats(dataset_dir: Path) -> Statistics:
    return profile(dataset_dir)


@pytest.fixture(scope="module")
def scheduler() -> Any:
    """One LocalCluster of 2 worker processes for the whole module; tests reach it by address."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def dask_run(dataset_dir: Path, scheduler: str) -> tuple[Statistics, list[Any]]:
    events: list[Any] = []
    stats = profile_partitioned(resolve([dataset_dir]), engine="dask", scheduler=scheduler,
                                partition_rows=PARTITION_ROWS, split_every=2, progress=events.append)
    return stats, events


# -------------------------------------------------------------------------------------------- helpers


def exact_fields(stats: Statistics) -> dict[str, Any]:
    """Fields that merge exactly; sketched ones only where the local run says they are exact."""
    view: dict[str, Any] = {"num_rows": stats.num_rows, "columns": stats.column_names}
    for col in stats.columns:
        view[col.name] = {
            "dtype": col.dtype, "kind": col.kind, "count": col.count, "null_count": col.null_count,
            "temporal": col.temporal, "lengths": col.lengths, "length_sum": col.sketch.length_sum,
            "numeric": None if col.numeric is None else (
                col.numeric.nan_count, col.numeric.inf_count, col.numeric.neg_inf_count, col.numeric.zero_count,
                col.numeric.negative_count, col.numeric.integral, col.numeric.min, col.numeric.max),
        }
    return view


def assert_within_bounds(stats: Statistics, truth: pl.DataFrame, local: Statistics) -> None:
    for col in stats.columns:
        ref = local.column(col.name)
        if col.numeric is not None:
            assert col.numeric.mean == pytest.approx(ref.numeric.mean, rel=1e-12)
            assert col.numeric.std == pytest.approx(ref.numeric.std, rel=1e-9)
            values = truth[col.name].drop_nulls().to_physical().cast(pl.Float64).to_numpy()
            values = np.sort(values[np.isfinite(values)])
            n = values.size
            slack = col.numeric.rank_error + 1.0 / n
            for item in col.numeric.quantiles:
                below = np.searchsorted(values, item.value, side="left") / n
                at_or_below = np.searchsorted(values, item.value, side="right") / n
                assert below - slack <= item.q <= at_or_below + slack, (col.name, item)
            if ref.numeric.rank_error == 0:
                assert col.numeric.quantiles == ref.numeric.quantiles and col.numeric.histogram == ref.numeric.histogram
        if col.distinct is not None:
            true_distinct = truth[col.name].drop_nulls().n_unique()
            if col.distinct.exact:
                assert col.distinct.count == true_distinct == ref.distinct.count, col.name
            else:
                assert abs(col.distinct.count - true_distinct) <= 0.03 * true_distinct, \
                    (col.name, col.distinct, true_distinct)
        if ref.frequencies is not None and ref.frequencies.error == 0:
            assert col.frequencies == ref.frequencies and col.top_values == ref.top_values, col.name
        elif col.frequencies is not None:
            text = truth[col.name].drop_nulls().cast(pl.String)
            counts = dict(text.value_counts().iter_rows())
            for value, count in col.frequencies.as_mapping().items():
                assert count <= counts[value] <= count + col.frequencies.error, (col.name, value)


# ----------------------------------------------------------------------------------------- partitions


def test_large_parquet_files_split_by_row_groups(dataset_dir: Path) -> None:
    labels = [p.label for p in plan_partitions(resolve([dataset_dir]), PARTITION_ROWS)]
    assert [Path(label).name for label in labels] == [
        "a.parquet", "b.parquet#rowgroups=0-0", "b.parquet#rowgroups=1-1", "b.parquet#rowgroups=2-2", "c.parquet",
        "d.parquet#rowgroups=0-1", "d.parquet#rowgroups=2-3", "d.parquet#rowgroups=4-4", "e.parquet"]


# ---------------------------------------------------------------------------------------------- dask


def test_dask_exact_fields_equal_the_local_run(dask_run, local_stats: Statistics) -> None:
    stats, _ = dask_run
    assert exact_fields(stats) == exact_fields(local_stats)


def test_dask_sketched_fields_lie_within_their_bounds(dask_run, truth: pl.DataFrame, local_stats: Statistics) -> None:
    stats, _ = dask_run
    assert not stats.column("id").distinct.exact and not stats.column("code").distinct.exact
    assert stats.column("x").numeric.rank_error > 0
    assert_within_bounds(stats, truth, local_stats)


def test_sources_record_every_partition_and_its_rows(dask_run, dataset_dir: Path) -> None:
    stats, _ = dask_run
    planned = plan_partitions(resolve([dataset_dir]), PARTITION_ROWS)
    assert [s.path for s in stats.sources] == [p.label for p in planned]
    assert all(s.format == "parquet" for s in stats.sources)
    assert sum(s.rows for s in stats.sources) == stats.num_rows == sum(rows for _, rows, _ in FILES)
    assert [s.rows for s in stats.sources][1:4] == [10_000, 10_000, 10_000]


def test_progress_is_reported_once_per_partition(dask_run) -> None:
    stats, events = dask_run
    assert sorted(e.label for e in events) == sorted(s.path for s in stats.sources)
    assert [e.done for e in events] == list(range(1, len(stats.sources) + 1))
    assert {e.total for e in events} == {len(stats.sources)}
    assert sum(e.rows for e in events) == stats.num_rows and not any(e.error for e in events)


def test_process_and_thread_pools_give_the_same_bytes_as_dask(dask_run, dataset_dir: Path) -> None:
    stats, _ = dask_run
    for engine in ("processes", "threads"):
        pooled = profile_partitioned(resolve([dataset_dir]), engine=engine, workers=2, partition_rows=PARTITION_ROWS,
                                     split_every=2)
        assert pooled.to_dict() == stats.to_dict(), engine


def test_without_an_address_a_local_cluster_runs_for_the_call(dataset_dir: Path) -> None:
    pytest.importorskip("distributed")
    stats = profile_with_engine([str(dataset_dir / "a.parquet"), str(dataset_dir / "c.parquet")], engine="dask")
    assert stats.num_rows == 10_000
    assert exact_fields(stats) == exact_fields(profile([dataset_dir / "a.parquet", dataset_dir / "c.parquet"]))


# -------------------------------------------------------------------------------------------- failure


def corrupt_row_group(path: Path, index: int) -> None:
    """Overwrite every column chunk of one row group with 0xFF; the footer stays valid."""
    group = pq.read_metadata(path).row_group(index)
    chunks = [group.column(j) for j in range(group.num_columns)]
    # A chunk starts at its dictionary page, if any, and spans total_compressed_size bytes.
    starts = [c.dictionary_page_offset if c.has_dictionary_page else c.data_page_offset for c in chunks]
    start, end = min(starts), max(s + c.total_compressed_size for s, c in zip(starts, chunks))
    data = bytearray(path.read_bytes())
    data[start:end] = b"\xff" * (end - start)
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def broken_dir(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    for name, _, _ in FILES:
        shutil.copy(dataset_dir / name, root / name)
    corrupt_row_group(root / "b.parquet", 1)
    return root


def test_a_corrupt_partition_is_named_not_dropped(broken_dir: Path, scheduler: str) -> None:
    with pytest.raises(InputError) as caught:
        profile_partitioned(resolve([broken_dir]), engine="dask", scheduler=scheduler, partition_rows=PARTITION_ROWS)
    assert caught.value.path == f"{broken_dir / 'b.parquet'}#rowgroups=1-1"
    assert "not a readable Parquet file" in str(caught.value)


def test_every_failed_partition_is_listed(broken_dir: Path, tmp_path: Path) -> None:
    for name, _, _ in FILES:
        shutil.copy(broken_dir / name, tmp_path / name)
    truncated = (tmp_path / "e.parquet").read_bytes()
    (tmp_path / "e.parquet").write_bytes(truncated[: len(truncated) // 2])
    events: list[Any] = []
    with pytest.raises(InputError) as caught:
        profile_partitioned(resolve([tmp_path]), engine="threads", workers=2, partition_rows=PARTITION_ROWS,
                            progress=events.append)
    message = str(caught.value)
    assert "2 of 9 partitions could not be read" in message
    assert f"{tmp_path / 'b.parquet'}#rowgroups=1-1: not a readable Parquet file" in message
    assert f"{tmp_path / 'e.parquet'}: not a readable Parquet file" in message
    assert sorted(e.label for e in events if e.error) == [f"{tmp_path / 'b.parquet'}#rowgroups=1-1",
                                                          str(tmp_path / "e.parquet")]


def test_the_stats_command_exits_2_on_a_corrupt_partition(broken_dir: Path) -> None:
    # The local engine, through the CLI: the same file stops the run with exit code 2, never a partial result.
    result = runner.invoke(app, ["stats", str(broken_dir), "--format", "json"])
    assert result.exit_code == 2
    assert "b.parquet" in result.output and "not a readable Parquet file" in result.output


# ------------------------------------------------------------------------------------------------ usage


def test_missing_dask_says_which_extra_to_install(dataset_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    with pytest.raises(UsageError, match=r"datacheck-cli\[dask\]"):
        profile_partitioned(resolve([dataset_dir]), engine="dask")


@pytest.mark.parametrize("kwargs, message", [
    ({"engine": "spark"}, "unknown partitioned engine"),
    ({"engine": "processes", "scheduler": "tcp://127.0.0.1:8786"}, "--scheduler applies to --engine dask"),
    ({"engine": "processes", "workers": 0}, "--workers must be at least 1"),
])
def test_options_that_do_not_apply_are_usage_errors(dataset_dir: Path, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        profile_partitioned(resolve([dataset_dir]), **kwargs)


def test_partition_labels() -> None:
    from datacheck.sources import DataFile

    assert Partition(DataFile("d/x.parquet", "parquet")).label == "d/x.parquet"
    assert Partition(DataFile("d/x.parquet", "parquet"), 2, 5, 100, 40).label == "d/x.parquet#rowgroups=2-5"


# ---------------------------------------------------------------------------------------- datacheck merge


@pytest.fixture(scope="module")
def daily_stats(dataset_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One statistics file per Parquet file, as a daily job would write them."""
    root = tmp_path_factory.mktemp("stats")
    paths = []
    for name, _, _ in FILES:
        out = root / f"{Path(name).stem}.json"
        result = runner.invoke(app, ["stats", str(dataset_dir / name), "-o", str(out)])
        assert result.exit_code == 0, result.output
        paths.append(out)
    return paths


def test_merge_command_writes_the_merged_statistics(daily_stats: list[Path], tmp_path: Path,
                                                    local_stats: Statistics) -> None:
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["merge", *map(str, daily_stats), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written == merge([Statistics.from_dict(json.loads(p.read_text())) for p in daily_stats]).to_dict()
    assert exact_fields(Statistics.from_dict(written)) == exact_fields(local_stats)
    assert [s["path"] for s in written["sources"]] == [s.path for s in local_stats.sources]
    assert not list(tmp_path.glob(".all.json.*")), "the atomic write left its temporary file"


def test_merged_statistics_feed_infer(daily_stats: list[Path], tmp_path: Path) -> None:
    merged = tmp_path / "all.json"
    assert runner.invoke(app, ["merge", *map(str, daily_stats), "-o", str(merged)]).exit_code == 0
    result = runner.invoke(app, ["infer", str(merged), "-o", str(tmp_path / "schema.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "schema.json").read_text())["format"] == "datacheck.schema"


def test_merge_command_refuses_a_data_file(daily_stats: list[Path], dataset_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["merge", str(daily_stats[0]), str(dataset_dir / "b.parquet"), "-o", str(out)])
    assert result.exit_code == 2
    assert "b.parquet: this is a parquet data file, not a datacheck statistics file" in result.output
    assert not out.exists()


def test_merge_command_refuses_other_json(daily_stats: list[Path], tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"rows": 3}')
    result = runner.invoke(app, ["merge", str(daily_stats[0]), str(other)])
    assert result.exit_code == 2
    assert "not a datacheck statistics file" in result.output


def test_merge_command_refuses_mismatched_column_types(daily_stats: list[Path], tmp_path: Path) -> None:
    text_cat = tmp_path / "text.json"
    frame = pl.DataFrame({"cat": [1.5, 2.5], "small": ["a", "b"]})
    text_cat.write_text(json.dumps(profile(frame).to_dict()))
    result = runner.invoke(app, ["merge", str(daily_stats[0]), str(text_cat)])
    assert result.exit_code == 2
    assert f"column 'cat' is String (string) in {daily_stats[0]} but Float64 (numeric) in {text_cat}" in result.output
    assert "Traceback" not in result.output


def test_merge_command_warns_when_inputs_cover_the_same_source(daily_stats: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "twice.json"
    result = runner.invoke(app, ["merge", str(daily_stats[0]), str(daily_stats[0]), "-o", str(out)])
    assert result.exit_code == 0
    assert "appear in more than one input" in result.output
    assert json.loads(out.read_text())["num_rows"] == 2 * FILES[0][1]


def test_profile_with_engine_refuses_cluster_options_for_the_local_engine(dataset_dir: Path) -> None:
    with pytest.raises(UsageError, match="not local"):
        profile_with_engine([str(dataset_dir)], engine="local", workers=2)
    with pytest.raises(UsageError, match="unknown engine"):
        profile_with_engine([str(dataset_dir)], engine="spark")


def test_profile_with_engine_passes_a_statistics_file_through(daily_stats: list[Path]) -> None:
    stats = profile_with_engine([str(daily_stats[0])], engine="processes")
    assert stats.to_dict() == json.loads(daily_stats[0].read_text())


def test_stats_command_engine_option_matches_the_local_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from datacheck.cli import app

    pattern = str(Path(__file__).resolve().parents[1] / "sample_data" / "loans_[tcd]*.parquet")  # not broken
    runner = CliRunner()
    local = runner.invoke(app, ["stats", pattern, "--format", "json"])
    threads = runner.invoke(app, ["stats", pattern, "--engine", "threads", "--workers", "2", "--format", "json"])
    assert local.exit_code == threads.exit_code == 0, threads.output
    by_local, by_threads = json.loads(local.stdout), json.loads(threads.stdout)
    assert by_local["num_rows"] == by_threads["num_rows"] == 9_000
    for a, b in zip(by_local["columns"], by_threads["columns"]):
        assert (a["name"], a["count"], a["null_count"]) == (b["name"], b["count"], b["null_count"])


# ------------------------------------------------------------------------------- validate --engine (issue 8)

#: (file name, rows, rows per row group): v.parquet is split into row-group runs when partition_rows is 3_000.
VALIDATE_FILES = [("t.parquet", 2_000, 2_000), ("u.parquet", 1_500, 1_500), ("v.parquet", 9_000, 1_500),
                  ("w.parquet", 1_000, 1_000)]
VALIDATE_PARTITION_ROWS = 3_000


def make_checked_part(seed: int, rows: int, start: int) -> pl.DataFrame:
    rng = np.random.default_rng(100 + seed)
    return pl.DataFrame({
        "id": np.arange(start, start + rows),
        "amount": rng.normal(100, 10, rows),
        "cat": rng.choice(["red", "green", "blue"], rows),
        "grade": rng.integers(1, 6, rows),
    })


@pytest.fixture(scope="module")
def checked_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Parquet files with planted problems, and the schema (inferred from the clean data) they break."""
    import datacheck

    root = tmp_path_factory.mktemp("checked")
    parts, start = [], 0
    for seed, (_, rows, _) in enumerate(VALIDATE_FILES):
        parts.append(make_checked_part(seed, rows, start))
        start += rows
    schema = datacheck.infer_schema(datacheck.profile(pl.concat(parts)))
    # The key a reviewer adds: more ids than inference makes a key from (an estimate never does).
    key = dataclasses.replace(schema.column("id"), unique=True)
    schema = dataclasses.replace(schema, columns=tuple(key if c.name == "id" else c for c in schema.columns))
    path = root / "schema.json"
    schema.dump(path)

    def plant(frame: pl.DataFrame, column: str, rows: list[int], value: Any) -> pl.DataFrame:
        index = pl.int_range(frame.height)
        planted = pl.when(index.is_in(rows)).then(pl.lit(value)).otherwise(pl.col(column))
        return frame.with_columns(planted.alias(column))

    t, u, v, w = parts
    # Duplicate keys spread across files and row-group runs: t's keys 10 and 20 reappear in v and w.
    v = plant(v, "id", [4_000, 7_600], 10)            # in v's 2nd and 3rd row-group runs
    w = plant(w, "id", [3], 20)
    u = plant(u, "id", [7, 8], 3_600)                  # twice inside u; v's row 100 holds it too
    # Out-of-range values, first in a later row-group run (row numbers must be relative to v).
    v = plant(v, "amount", [3_100, 3_101, 8_999], 10_000.0)
    t = plant(t, "amount", [1_999], -5_000.0)
    # Unseen categories and nulls.
    v = plant(v, "cat", [2, 6_100], "purple")
    w = plant(w, "cat", [0, 1, 2], "teal")
    v = plant(v, "grade", list(range(100, 400)), None)
    w = plant(w, "grade", [500], 99)
    (root / "data").mkdir()
    for (name, _, group), frame in zip(VALIDATE_FILES, (t, u, v, w)):
        frame.write_parquet(root / "data" / name, row_group_size=group)
    return root / "data", path


@pytest.fixture(scope="module")
def local_report(checked_dir: tuple[Path, Path]) -> dict[str, Any]:
    from datacheck.checks import validate
    from datacheck.schema import Schema

    data, schema = checked_dir
    report = validate(str(data), Schema.load(schema)).to_dict()
    codes = {(f["column"], f["code"]) for f in report["findings"]}
    # The planted problems are all found, so the comparison below compares something.
    assert {("id", "not_unique"), ("amount", "out_of_range"), ("cat", "unexpected_value")} <= {c[:2] for c in codes}
    assert any(column == "grade" for column, _ in codes)
    assert not report["passed"]
    return report


def test_validate_partitions_include_row_group_runs(checked_dir: tuple[Path, Path]) -> None:
    labels = [p.label for p in plan_partitions(resolve([checked_dir[0]]), VALIDATE_PARTITION_ROWS)]
    assert sum("v.parquet#rowgroups=" in label for label in labels) == 3


@pytest.mark.parametrize("engine", ["threads", "processes", "dask"])
def test_validate_with_an_engine_gives_the_local_report(engine: str, checked_dir: tuple[Path, Path],
                                                       local_report: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                                       request: pytest.FixtureRequest) -> None:
    import datacheck.engine as distributed_module
    from datacheck.checks import validate
    from datacheck.schema import Schema

    monkeypatch.setattr(distributed_module, "PARTITION_ROWS", VALIDATE_PARTITION_ROWS)
    data, schema = checked_dir
    kwargs: dict[str, Any] = {"workers": 2} if engine != "dask" else {"scheduler": request.getfixturevalue("scheduler")}
    report = validate(str(data), Schema.load(schema), engine=engine, **kwargs).to_dict()
    assert report == local_report


def test_validate_partitioned_examples_are_relative_to_their_file(checked_dir: tuple[Path, Path],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from functools import partial

    from datacheck.checks import RowChecks
    from datacheck.engine import scan_partitioned
    from datacheck.schema import Schema

    data, schema = checked_dir
    stats, checks = scan_partitioned(resolve([data]), observer=partial(RowChecks, Schema.load(schema)),
                                     engine="threads", partition_rows=VALIDATE_PARTITION_ROWS, split_every=2,
                                     sources_by_file=True)
    assert isinstance(checks, RowChecks)
    assert [(Path(s.path).name, s.rows) for s in stats.sources] == [(n, r) for n, r, _ in VALIDATE_FILES]
    above = checks.tallies[("amount", "above_max")]
    assert above.count == 3
    assert [(Path(e.file).name, e.row) for e in above.examples] == [("v.parquet", 3_100), ("v.parquet", 3_101),
                                                                      ("v.parquet", 8_999)]
    extra, keys, examples = checks.duplicates("id")
    assert (extra, keys) == (5, 3)
    assert {(e.value, Path(e.file).name, e.row, e.count) for e in examples} == {
        (10, "v.parquet", 4_000, 3), (20, "w.parquet", 3, 2), (3_600, "u.parquet", 8, 3)}


def test_validate_engine_options_that_do_not_apply_are_usage_errors(checked_dir: tuple[Path, Path]) -> None:
    from datacheck.checks import validate
    from datacheck.schema import Schema

    data, schema = checked_dir
    with pytest.raises(UsageError, match="not local"):
        validate(str(data), Schema.load(schema), workers=2)
    with pytest.raises(UsageError, match="unknown engine"):
        validate(str(data), Schema.load(schema), engine="spark")
    with pytest.raises(UsageError, match="applies to --engine dask"):
        validate(str(data), Schema.load(schema), engine="threads", scheduler="tcp://127.0.0.1:1")
    with pytest.raises(UsageError, match="in-memory"):
        validate(pl.DataFrame({"id": [1]}), Schema.load(schema), engine="threads")


def test_validate_command_engine_option_matches_the_local_run(checked_dir: tuple[Path, Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import datacheck.engine as distributed_module

    monkeypatch.setattr(distributed_module, "PARTITION_ROWS", VALIDATE_PARTITION_ROWS)
    data, schema = checked_dir
    local = runner.invoke(app, ["validate", str(data), "--schema", str(schema), "--format", "json"])
    threads = runner.invoke(app, ["validate", str(data), "--schema", str(schema), "--format", "json",
                                  "--engine", "threads", "--workers", "2"])
    assert local.exit_code == threads.exit_code == 1, threads.output
    assert json.loads(threads.stdout) == json.loads(local.stdout)
    refused = runner.invoke(app, ["validate", str(data), "--schema", str(schema), "--scheduler", "tcp://127.0.0.1:1"])
    assert refused.exit_code == 2
