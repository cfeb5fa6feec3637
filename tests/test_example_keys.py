"""Examples from a database name their row by the schema's key (`customer_id=1119`), not by a row number; the
same rows from a CSV file keep their row numbers and write no `key`. Expected keys are computed by plain Python
over the rows inserted."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from datacheck.checks.model import Report
from datacheck.schema import ColumnSchema, DatasetConstraints, LengthBounds, Range, Schema
from datacheck.schema_rules import Reference, Rule
from tests.input_kinds import ROOT, cli, json_out

REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
COLUMNS = ("customer_id", "amount", "code", "ordered", "shipped", "state")
N = 300
#: Row -> what is wrong with it. Each check gets at most 5 bad rows, so every bad row is an example.
NEGATIVE, LONG_CODE, SHIPS_EARLY, UNKNOWN_STATE = (17, 93, 250), (4, 120), (0, 61, 62, 299), (77, 201)


def _rows() -> list[tuple[Any, ...]]:
    rows = []
    for i in range(N):
        customer = (i * 7919) % 100_003 + 1  # distinct, and not in row order: a key is not a row number
        amount = -5.5 if i in NEGATIVE else float(i % 40)
        code = "ABCD" if i in LONG_CODE else "AB" + "XYZ"[i % 3]
        ordered = f"2024-01-{1 + i % 20:02d}"
        shipped = "2023-12-31" if i in SHIPS_EARLY else f"2024-02-{1 + i % 20:02d}"
        state = "ZZ" if i in UNKNOWN_STATE else ("CA", "NY", "TX")[i % 3]
        rows.append((customer, amount, code, ordered, shipped, state))
    return rows


def _schema(tmp: Path) -> Path:
    states = tmp / "states.csv"
    states.write_text("state\nCA\nNY\nTX\n", encoding="utf-8")
    schema = Schema((ColumnSchema("customer_id", "integer", unique=True),
                     ColumnSchema("amount", "float", range=Range(min=0)),
                     ColumnSchema("code", "string", length=LengthBounds(min=3, max=3)),
                     ColumnSchema("ordered", "string"), ColumnSchema("shipped", "string"),
                     ColumnSchema("state", "string", references=Reference(("states.csv",), "state"))),
                    rules=(Rule("ships_after_order", "shipped >= ordered"),))
    path = tmp / "schema.json"
    path.write_text(json.dumps(schema.to_dict()), encoding="utf-8")
    return path


def _sqlite(path: Path, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    connection = sqlite3.connect(path)
    connection.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
    connection.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})", rows)
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def _expected(rows: list[tuple[Any, ...]]) -> dict[tuple[str | None, str], list[int]]:
    """(column, code) -> the row numbers that break it, by plain Python over the rows."""
    bad: dict[tuple[str | None, str], Callable[[tuple[Any, ...]], bool]] = {
        ("amount", "out_of_range"): lambda r: r[1] < 0,
        ("code", "length_out_of_range"): lambda r: len(r[2]) != 3,
        (None, "rule_failed"): lambda r: r[4] < r[3],
        ("state", "unknown_reference"): lambda r: r[5] not in ("CA", "NY", "TX"),
    }
    return {where: [i for i, r in enumerate(rows) if test(r)] for where, test in bad.items()}


@pytest.fixture()
def driver() -> None:
    pytest.importorskip("adbc_driver_sqlite.dbapi", reason="adbc-driver-sqlite is not installed")


def _findings(text: str) -> dict[tuple[str | None, str], dict[str, Any]]:
    report = json.loads(text)
    jsonschema.validate(report, REPORT_SCHEMA)
    assert Report.from_dict(report).to_dict() == report  # the key survives the round trip
    return {(f["column"], f["code"]): f for f in report["findings"]}


def test_database_examples_carry_the_key(tmp_path: Path, driver: None) -> None:
    rows = _rows()
    uri = _sqlite(tmp_path / "shop.db", "orders", COLUMNS, rows)
    schema = _schema(tmp_path)
    findings = _findings(json_out(cli("validate", uri, "--table", "orders", "-s", str(schema), "--format", "json")))
    expected = _expected(rows)
    assert set(findings) == set(expected)
    for where, bad_rows in expected.items():
        examples = findings[where]["examples"]
        assert findings[where]["count"] == len(bad_rows), where
        assert [e["row"] for e in examples] == bad_rows, where
        assert [e["key"] for e in examples] == [{"customer_id": rows[i][0]} for i in bad_rows], where
    for i, example in zip(NEGATIVE, findings[("amount", "out_of_range")]["examples"]):
        assert example["value"] == rows[i][1]
    # Every format shows the key in place of the row number.
    first = f"customer_id={rows[NEGATIVE[0]][0]}"
    for fmt in ("table", "markdown", "github", "junit", "html"):
        out = json_out(cli("validate", uri, "--table", "orders", "-s", str(schema), "--format", fmt), codes=(1,))
        assert (first.replace("_", "\\_") if fmt == "markdown" else first) in out, fmt  # Markdown escapes "_"
        assert f"row {NEGATIVE[0]}" not in out, fmt


def test_compound_key_when_no_column_is_unique(tmp_path: Path, driver: None) -> None:
    # A shop with "<&" in its name: the HTML page must escape the key as it escapes values.
    rows = [(("A", "B<&")[i % 2], f"2024-03-{1 + i // 2:02d}", -1 if i in (3, 8) else i) for i in range(40)]
    uri = _sqlite(tmp_path / "sales.db", "sales", ("shop", "day", "units"), rows)
    schema = Schema((ColumnSchema("shop", "string"), ColumnSchema("day", "string"),
                     ColumnSchema("units", "integer", range=Range(min=0))),
                    dataset=DatasetConstraints(unique=(("shop", "day"), ("day",))))
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema.to_dict()), encoding="utf-8")
    findings = _findings(json_out(cli("validate", uri, "--table", "sales", "-s", str(path), "--format", "json")))
    examples = findings[("units", "out_of_range")]["examples"]
    assert [e["key"] for e in examples] == [{"shop": rows[i][0], "day": rows[i][1]} for i in (3, 8)]
    page = json_out(cli("validate", uri, "--table", "sales", "-s", str(path), "--format", "html"), codes=(1,))
    assert "shop=B&lt;&amp;, day=2024-03-02" in page and "shop=B<&" not in page


def test_files_keep_row_numbers_and_write_no_key(tmp_path: Path) -> None:
    rows = _rows()
    data = tmp_path / "orders.csv"
    with data.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    text = json_out(cli("validate", str(data), "-s", str(_schema(tmp_path)), "--format", "json"))
    assert '"key"' not in text
    findings = _findings(text)
    for where, bad_rows in _expected(rows).items():
        assert [e["row"] for e in findings[where]["examples"]] == bad_rows, where
    shown = json_out(cli("validate", str(data), "-s", str(_schema(tmp_path)), "--format", "markdown"), codes=(1,))
    assert f"(row {NEGATIVE[0]})" in shown and "customer\\_id=" not in shown
