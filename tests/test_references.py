"""References (foreign keys): unknown values against a plain-Python set over several reference files, a
statistics file as the reference, statistics as the checked data, and where a schema may read from."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.cli import app
from datacheck.errors import SchemaFileError
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import Reference


def setup(tmp_path: Path) -> tuple[pl.DataFrame, set[int]]:
    """Customers in three files of two formats, and orders of which some name unknown customers."""
    rng = random.Random(5)
    customers = sorted(rng.sample(range(1, 5000), 900))
    (tmp_path / "customers").mkdir()
    pl.DataFrame({"customer_id": customers[:300]}).write_csv(tmp_path / "customers" / "a.csv")
    pl.DataFrame({"customer_id": customers[300:600]}).write_csv(tmp_path / "customers" / "b.csv")
    pl.DataFrame({"customer_id": customers[600:]}).write_parquet(tmp_path / "customers" / "c.parquet")
    ids = [rng.choice(customers) if rng.random() > 0.05 else rng.randint(5000, 5100) for _ in range(2000)]
    ids[17] = None
    orders = pl.DataFrame({"order_id": list(range(2000)), "customer_id": ids})
    return orders, set(customers)


def schema(data: tuple[str, ...] = ("customers/*.csv", "customers/c.parquet")) -> Schema:
    return Schema((ColumnSchema("order_id", "integer"),
                   ColumnSchema("customer_id", "integer", max_null_fraction=1.0,
                                references=Reference(data, "customer_id"))))


def unknown(report: datacheck.Report) -> datacheck.Finding:
    [finding] = [f for f in report.findings if f.code == "unknown_reference"]
    return finding


def test_unknown_keys_match_a_plain_count_over_several_files(tmp_path: Path) -> None:
    orders, customers = setup(tmp_path)
    rows = orders.get_column("customer_id").to_list()
    expected = [i for i, c in enumerate(rows) if c is not None and c not in customers]
    finding = unknown(datacheck.validate(orders, schema(), schema_path=str(tmp_path / "schema.json")))
    assert finding.count == len(expected) > 0
    assert finding.observed["reference_keys"] == len(customers)
    assert [(e.row, e.value) for e in finding.examples] == [(i, rows[i]) for i in expected[:5]]
    # The same reference named file by file.
    by_glob = unknown(datacheck.validate(orders, schema(("customers/a.csv", "customers/b.csv", "customers/c.parquet")),
                                         schema_path=str(tmp_path / "schema.json")))
    assert by_glob.count == finding.count


def test_a_statistics_file_with_an_exact_frequency_table_is_a_reference(tmp_path: Path) -> None:
    orders, customers = setup(tmp_path)
    stats = datacheck.profile([str(p) for p in sorted((tmp_path / "customers").iterdir())])
    (tmp_path / "customers.stats.json").write_text(json.dumps(stats.to_dict()))
    finding = unknown(datacheck.validate(orders, schema(("customers.stats.json",)),
                                         schema_path=str(tmp_path / "schema.json")))
    rows = orders.get_column("customer_id").to_list()
    assert finding.count == sum(1 for c in rows if c is not None and c not in customers)


def test_statistics_of_the_checked_data_give_unknown_values_with_counts(tmp_path: Path) -> None:
    orders, customers = setup(tmp_path)
    report = datacheck.validate(datacheck.profile(orders), schema(), schema_path=str(tmp_path / "schema.json"))
    finding = unknown(report)
    rows = [c for c in orders.get_column("customer_id").to_list() if c is not None and c not in customers]
    assert finding.count == len(rows)
    assert sum(e.count or 0 for e in finding.examples[:5]) <= len(rows)


def test_the_parallel_engine_gives_the_local_finding(tmp_path: Path) -> None:
    orders, _ = setup(tmp_path)
    (tmp_path / "orders").mkdir()
    for i in range(4):
        orders.slice(i * 500, 500).write_parquet(tmp_path / "orders" / f"{i}.parquet")
    path = str(tmp_path / "orders")
    local = unknown(datacheck.validate(path, schema(), schema_path=str(tmp_path / "schema.json")))
    threads = unknown(datacheck.validate(path, schema(), schema_path=str(tmp_path / "schema.json"),
                                         engine="threads", workers=2))
    assert local == threads


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv", "customers/../../x.csv",
                                  "https://example.com/keys.csv", "C:\\keys.csv"])
def test_a_schema_names_only_data_beside_it(tmp_path: Path, path: str) -> None:
    document = {"format": "datacheck.schema", "version": 1,
                "columns": [{"name": "c", "type": "integer", "references": {"data": path, "column": "c"}}]}
    with pytest.raises(SchemaFileError, match=r"\$\.columns\[0\]\.references\.data\[0\]"):
        Schema.loads(json.dumps(document))
    built = Schema((ColumnSchema("c", "integer", references=Reference((path,), "c")),))
    with pytest.raises(SchemaFileError):
        datacheck.validate(pl.DataFrame({"c": [1]}), built, schema_path=str(tmp_path / "schema.json"))


def test_a_symbolic_link_out_of_the_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    pl.DataFrame({"c": [1]}).write_csv(outside / "keys.csv")
    inside = tmp_path / "project"
    inside.mkdir()
    os.symlink(outside / "keys.csv", inside / "keys.csv")
    built = Schema((ColumnSchema("c", "integer", references=Reference(("keys.csv",), "c")),))
    with pytest.raises(SchemaFileError, match="outside the schema's directory"):
        datacheck.validate(pl.DataFrame({"c": [1]}), built, schema_path=str(inside / "schema.json"))


def test_the_cli_resolves_references_beside_the_schema(tmp_path: Path) -> None:
    orders, customers = setup(tmp_path)
    orders.write_csv(tmp_path / "orders.csv")
    schema().dump(tmp_path / "schema.json")
    assert Path.cwd() != tmp_path  # the paths are the schema's directory's, not the working directory's
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "orders.csv"), "-s", str(tmp_path / "schema.json"),
                                      "-f", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)["findings"]
    rows = orders.get_column("customer_id").to_list()
    assert finding["count"] == sum(1 for c in rows if c is not None and c not in customers)
    missing = {"format": "datacheck.schema", "version": 1,
               "columns": [{"name": "customer_id", "type": "integer",
                            "references": {"data": "nope.csv", "column": "customer_id"}}]}
    (tmp_path / "bad.json").write_text(json.dumps(missing))
    bad = CliRunner().invoke(app, ["validate", str(tmp_path / "orders.csv"), "-s", str(tmp_path / "bad.json")])
    assert bad.exit_code == 2 and "nope.csv" in bad.output
