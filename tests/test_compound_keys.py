"""Compound keys (`dataset.unique`): duplicate counts and example rows against a plain-Python count, nulls not
compared, the same answer from the parallel engines, skipped from statistics."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import polars as pl

import datacheck
from datacheck.schema import ColumnSchema, DatasetConstraints, Schema


def stores(n: int = 3000, seed: int = 3) -> pl.DataFrame:
    rng = random.Random(seed)
    store = [rng.randint(1, 40) if rng.random() > 0.02 else None for _ in range(n)]
    day = [f"2024-01-{rng.randint(1, 28):02d}" for _ in range(n)]
    return pl.DataFrame({"store": store, "day": day, "sales": [rng.random() for _ in range(n)]})


SCHEMA = Schema((ColumnSchema("store", "integer", max_null_fraction=1.0), ColumnSchema("day", "string"),
                 ColumnSchema("sales", "float")), DatasetConstraints(unique=(("store", "day"),)))


def plain(frame: pl.DataFrame) -> tuple[int, int, list[tuple[dict[str, object], int, int]]]:
    """(duplicate rows, duplicated keys, (key, row of its second occurrence, count) in first-occurrence order)."""
    seen: dict[tuple[object, object], list[int]] = {}
    for i, row in enumerate(frame.iter_rows(named=True)):
        if row["store"] is None or row["day"] is None:
            continue
        seen.setdefault((row["store"], row["day"]), []).append(i)
    dups = [(key, rows) for key, rows in seen.items() if len(rows) > 1]
    counts = Counter({key: len(rows) for key, rows in dups})
    extra = sum(n - 1 for n in counts.values())
    examples = [({"store": key[0], "day": key[1]}, rows[1], len(rows)) for key, rows in dups]
    return extra, len(dups), examples


def the_finding(report: datacheck.Report) -> datacheck.Finding:
    [finding] = [f for f in report.findings if f.code == "duplicate_compound_key"]
    return finding


def test_duplicates_and_examples_match_a_plain_count() -> None:
    frame = stores()
    extra, keys, examples = plain(frame)
    finding = the_finding(datacheck.validate(frame, SCHEMA))
    assert finding.count == extra > 0
    assert finding.observed["duplicated_keys"] == keys
    assert [(e.value, e.row, e.count) for e in finding.examples] == examples[:5]


def test_rows_with_a_null_in_the_key_are_not_compared() -> None:
    frame = pl.DataFrame({"store": [1, 1, None, None, 2], "day": ["a", "a", "b", "b", None],
                          "sales": [0.0] * 5})
    finding = the_finding(datacheck.validate(frame, SCHEMA))
    assert finding.count == 1 and finding.examples[0].row == 1


def test_a_unique_key_passes() -> None:
    frame = pl.DataFrame({"store": [1, 1, 2], "day": ["a", "b", "a"], "sales": [0.0] * 3})
    report = datacheck.validate(frame, SCHEMA)
    assert report.passed
    assert any(c.check == "compound_key" and c.status == "passed" for c in report.checks)


def test_keys_repeated_across_files_and_partitions(tmp_path: Path) -> None:
    frame = stores(6000, seed=11)
    paths = []
    for i in range(3):
        path = tmp_path / f"part{i}.parquet"
        frame.slice(i * 2000, 2000).write_parquet(path, row_group_size=500)
        paths.append(str(path))
    local = the_finding(datacheck.validate(paths, SCHEMA))
    threads = the_finding(datacheck.validate(paths, SCHEMA, engine="threads", workers=2))
    assert local == threads
    assert local.count == plain(frame)[0]


def test_statistics_cannot_tell_and_say_so() -> None:
    report = datacheck.validate(datacheck.profile(stores()), SCHEMA)
    assert not [f for f in report.findings if f.code == "duplicate_compound_key"]
    [check] = [c for c in report.checks if c.check == "compound_key"]
    assert check.status == "skipped"
