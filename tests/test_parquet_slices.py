"""Parquet is scanned slice by slice, cut at row-group boundaries read from the file's footer.

The footer reader is checked against pyarrow's metadata; the sliced, pipelined scan is checked against
numpy on the same values, including columns whose plan changes mid-scan (a frequency table that
overflows and is dropped while the next batch is already being queried).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datacheck.parquet_layout import FooterError, read_row_group_rows, row_group_rows, slice_bounds, total_rows
from datacheck.profile import profile_frame
from datacheck.sources import DataFile


def pyarrow_row_groups(path: Path) -> list[int]:
    metadata = pq.read_metadata(path)
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


@pytest.mark.parametrize("row_group_size", [5, 77, 1000, 100_000])
def test_row_group_rows_match_pyarrow_for_files_written_by_polars(tmp_path: Path, row_group_size: int) -> None:
    frame = pl.DataFrame({
        "i": np.arange(2_345),
        "f": np.linspace(-1, 1, 2_345),
        "s": [f"value {i % 17}" for i in range(2_345)],
        "b": [i % 3 == 0 for i in range(2_345)],
    })
    path = tmp_path / "data.parquet"
    frame.write_parquet(path, row_group_size=row_group_size, statistics=True)
    assert row_group_rows(path) == pyarrow_row_groups(path)
    assert sum(row_group_rows(path)) == 2_345


def test_row_group_rows_match_pyarrow_with_nested_columns_and_metadata(tmp_path: Path) -> None:
    # Lists, structs, dictionary pages, key-value metadata and a boolean column exercise every Thrift type
    # the footer uses; the reader must skip all of them to reach the row counts.
    table = pa.table({
        "tags": pa.array([["a", "b"], [], None, ["c"]] * 50, type=pa.list_(pa.string())),
        "point": pa.array([{"x": 1.0, "y": None}, {"x": None, "y": 2.0}] * 100),
        "flag": pa.array([True, False, None, True] * 50),
        "city": pa.array(["Oslo", "Lima", "Pune", "Oslo"] * 50).dictionary_encode(),
    }).replace_schema_metadata({"origin": "test", "long": "x" * 5000})
    path = tmp_path / "nested.parquet"
    pq.write_table(table, path, row_group_size=33, write_statistics=True)
    assert row_group_rows(path) == pyarrow_row_groups(path) == [33] * 6 + [2]


def test_a_file_that_is_not_parquet_raises_footer_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"id,name\n1,a\n" * 10)
    with pytest.raises(FooterError):
        row_group_rows(path)
    truncated = tmp_path / "truncated.parquet"
    pl.DataFrame({"x": range(100)}).write_parquet(truncated)
    data = truncated.read_bytes()
    truncated.write_bytes(data[:4] + data[-8:])  # footer length now points before the start
    with pytest.raises(FooterError):
        row_group_rows(truncated)


def test_a_footer_too_large_to_parse_quickly_falls_back_to_plain_slices(tmp_path: Path) -> None:
    path = tmp_path / "tiny_groups.parquet"
    pl.DataFrame({"x": np.arange(5_000)}).write_parquet(path, row_group_size=1)
    with pytest.raises(FooterError, match="too large"):
        row_group_rows(path)
    stats = sliced_profile(path, 1_000)
    assert stats.num_rows == 5_000
    assert stats.column("x").numeric.mean == pytest.approx(2_499.5)


def test_row_counts_fall_back_to_pyarrow_for_a_footer_the_quick_reader_refuses(tmp_path: Path) -> None:
    # 5,000 one-row groups make a footer over MAX_FOOTER_BYTES: the quick reader refuses it, pyarrow reads it.
    path = tmp_path / "tiny_groups.parquet"
    pl.DataFrame({"x": np.arange(5_000)}).write_parquet(path, row_group_size=1)
    with pytest.raises(FooterError, match="too large"):
        row_group_rows(path)
    assert read_row_group_rows(path) == pyarrow_row_groups(path) == [1] * 5_000
    small = tmp_path / "small.parquet"
    pl.DataFrame({"x": np.arange(1_000)}).write_parquet(small, row_group_size=300)
    assert read_row_group_rows(small) == pyarrow_row_groups(small) == [300, 300, 300, 100]


def test_row_counts_are_none_when_no_reader_can_tell(tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(b"id,name\n1,a\n" * 10)
    assert read_row_group_rows(fake) is None
    assert read_row_group_rows(tmp_path / "missing.parquet") is None


def test_total_rows_adds_every_file_and_is_none_when_one_is_unreadable(tmp_path: Path) -> None:
    paths = []
    for rows, size in ((1_234, 500), (4_321, 1_000), (7, 1)):
        paths.append(tmp_path / f"part{rows}.parquet")
        pl.DataFrame({"x": np.arange(rows)}).write_parquet(paths[-1], row_group_size=size)
    assert total_rows(paths) == sum(pq.read_metadata(p).num_rows for p in paths) == 1_234 + 4_321 + 7
    assert total_rows([]) == 0
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\0" * 20)
    assert total_rows([*paths, broken]) is None


def test_slice_bounds_follow_row_groups() -> None:
    # Whole row groups are packed up to the batch size; a row group larger than a batch is cut evenly.
    assert slice_bounds([100, 100, 100, 100, 100], 250) == [(0, 200), (200, 200), (400, 100)]
    assert slice_bounds([10, 1200, 5, 5], 500) == [(0, 10), (10, 400), (410, 400), (810, 400), (1210, 10)]
    assert slice_bounds([], 500) == []
    assert slice_bounds([0], 500) == []
    # However the groups fall, the slices tile the file exactly once, in order.
    rng = np.random.default_rng(3)
    groups = [int(n) for n in rng.integers(1, 900, size=200)]
    bounds = slice_bounds(groups, 1000)
    assert bounds[0][0] == 0
    assert all(a + n == b for (a, n), (b, _) in zip(bounds, bounds[1:]))
    assert sum(n for _, n in bounds) == sum(groups)
    assert max(n for _, n in bounds) <= 1000


def sliced_profile(path: Path, batch_rows: int, seen: list[int] | None = None):
    class Heights:
        def observe(self, batch: pl.DataFrame, row_offset: int) -> None:
            if seen is not None:
                seen.append((row_offset, batch.height))

    return profile_frame(pl.scan_parquet(path), data_file=DataFile(str(path), "parquet"), batch_rows=batch_rows,
                         observers=[Heights()])


def test_batches_are_whole_row_groups_and_cover_every_row(tmp_path: Path) -> None:
    path = tmp_path / "groups.parquet"
    pl.DataFrame({"x": np.arange(10_000)}).write_parquet(path, row_group_size=1_500)
    seen: list[tuple[int, int]] = []
    stats = sliced_profile(path, 4_000, seen)
    groups = pyarrow_row_groups(path)
    boundaries = set(np.cumsum([0] + groups).tolist())
    assert stats.num_rows == 10_000
    assert [offset for offset, _ in seen] == sorted(offset for offset, _ in seen)
    assert all(offset in boundaries and offset + height in boundaries for offset, height in seen)
    assert sum(height for _, height in seen) == 10_000


def test_sliced_scan_matches_numpy_when_plans_change_mid_scan(tmp_path: Path) -> None:
    # "code" has 3 distinct values for the first 30,000 rows, then a new value on every row: its frequency
    # table overflows and is dropped mid-scan, while the next batch was already queried with the old plan.
    # "word" does the same for strings; "x" is a float column with nulls, NaN and infinities.
    rng = np.random.default_rng(11)
    rows = 60_000
    code = np.where(np.arange(rows) < 30_000, np.arange(rows) % 3, np.arange(rows))
    word = [f"w{c}" for c in code]
    x = rng.normal(5.0, 2.0, rows)
    x[rng.random(rows) < 0.01] = np.nan
    x[:3] = [np.inf, -np.inf, np.inf]
    x_null = rng.random(rows) < 0.05
    frame = pl.DataFrame({"code": code, "word": word, "x": x}).with_columns(
        pl.when(pl.Series(x_null)).then(None).otherwise(pl.col("x")).alias("x"))
    path = tmp_path / "shift.parquet"
    frame.write_parquet(path, row_group_size=2_500)

    stats = sliced_profile(path, 5_000)
    assert stats.num_rows == rows

    codes = stats.column("code")
    assert codes.count == rows and codes.null_count == 0
    assert codes.numeric.min == float(code.min()) and codes.numeric.max == float(code.max())
    assert codes.numeric.mean == pytest.approx(float(code.mean()), rel=1e-12)
    assert codes.numeric.std == pytest.approx(float(code.std()), rel=1e-9)
    true_distinct = len(set(code.tolist()))
    assert abs(codes.distinct.count - true_distinct) <= 0.05 * true_distinct

    words = stats.column("word")
    assert words.count == rows
    # Lengths come from the distinct values while "word" has a table and from every row after it overflows.
    word_lengths = np.array([len(w) for w in word])
    assert (words.lengths.min, words.lengths.max) == (int(word_lengths.min()), int(word_lengths.max()))
    assert words.lengths.mean == pytest.approx(float(word_lengths.mean()), rel=1e-12)
    assert abs(words.distinct.count - true_distinct) <= 0.05 * true_distinct

    xs = stats.column("x")
    finite = x[~x_null & np.isfinite(x)]
    assert xs.null_count == int(x_null.sum())
    assert xs.numeric.nan_count == int((np.isnan(x) & ~x_null).sum())
    assert xs.numeric.inf_count == int((np.isinf(x) & ~x_null).sum())
    assert xs.numeric.neg_inf_count == int((np.isneginf(x) & ~x_null).sum())
    assert xs.numeric.mean == pytest.approx(float(finite.mean()), rel=1e-12)
    assert xs.numeric.std == pytest.approx(float(finite.std()), rel=1e-9)
    assert xs.numeric.min == float(finite.min()) and xs.numeric.max == float(finite.max())
    ordered = np.sort(finite)
    for item in xs.numeric.quantiles:
        slack = xs.numeric.rank_error + 1.0 / finite.size
        below = np.searchsorted(ordered, item.value, side="left") / finite.size
        at_or_below = np.searchsorted(ordered, item.value, side="right") / finite.size
        assert below - slack <= item.q <= at_or_below + slack

    # The pipelined scan is deterministic: a second run gives the same bytes.
    again = sliced_profile(path, 5_000)
    assert json.dumps(stats.to_dict(), sort_keys=True) == json.dumps(again.to_dict(), sort_keys=True)


def test_a_row_group_corrupt_mid_file_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    # The bad row group is read on the read-ahead thread, several batches into the scan; its error must
    # still reach the caller as an InputError (exit 2 on the command line), not hang or escape as a traceback.
    from datacheck.errors import InputError
    from datacheck.profile import profile

    path = tmp_path / "corrupt.parquet"
    rng = np.random.default_rng(5)
    pl.DataFrame({"x": rng.integers(0, 10**12, 400_000), "y": rng.random(400_000)}).write_parquet(
        path, row_group_size=40_000, compression="zstd")
    data = bytearray(path.read_bytes())
    # Overwrite the middle 40% of the file, page headers included (random floats are stored raw, so
    # overwriting values alone would go unnoticed); the footer stays intact.
    start, end = len(data) * 3 // 10, len(data) * 7 // 10
    data[start:end] = b"\x55" * (end - start)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="corrupt.parquet"):
        profile(str(path))


def test_row_numbers_of_examples_survive_the_probe_split_and_slices(tmp_path: Path) -> None:
    # x equals its 0-based row number, so every example must carry row == value: an offset lost at the
    # probe split, at a slice boundary or in the pipeline would show.
    import dataclasses

    from datacheck.checks import validate
    from datacheck.infer import infer_schema
    from datacheck.profile import profile
    from datacheck.schema import Range

    rows = 300_000
    path = tmp_path / "rows.parquet"
    pl.DataFrame({"x": np.arange(rows)}).write_parquet(path, row_group_size=70_000)
    schema = infer_schema(profile(str(path)))
    column = schema.column("x")
    limited = dataclasses.replace(column, range=Range(min=0, max=249_990))
    schema = dataclasses.replace(schema, columns=tuple(limited if c.name == "x" else c for c in schema.columns))
    report = validate(str(path), schema, max_examples=5)
    finding = next(f for f in report.findings if f.code == "out_of_range")
    assert finding.count == rows - 1 - 249_990
    assert finding.examples and all(example.row == example.value for example in finding.examples)
    assert [example.value for example in finding.examples] == list(range(249_991, 249_996))


def test_a_parquet_dataset_knows_its_rows_before_reading_them(tmp_path: Path) -> None:
    # The progress bar's total: Parquet footers hold the row counts; CSV rows are only known once read.
    from datacheck.sources import ReadOptions, resolve

    for rows, name in ((1_234, "a.parquet"), (4_321, "b.parquet")):
        pl.DataFrame({"x": np.arange(rows)}).write_parquet(tmp_path / name, row_group_size=500)
    (tmp_path / "c.csv").write_text("x\n1\n2\n")
    assert resolve([str(tmp_path / "*.parquet")], ReadOptions()).known_rows() == 1_234 + 4_321
    assert resolve([str(tmp_path / "c.csv")], ReadOptions()).known_rows() is None
    assert resolve([str(tmp_path / "a.parquet"), str(tmp_path / "c.csv")], ReadOptions()).known_rows() is None
