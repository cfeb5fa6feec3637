"""sample_data/orders: the example of every rule kind. Regenerating it is byte-stable, the clean batch passes,
the broken one breaks each rule exactly as sample_data/README.md says (recounted here over the CSV rows in
plain Python), and every output format and `schema show` show the rules."""

from __future__ import annotations

import csv
import datetime as dt
import html
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.cli import app
from datacheck.jsonschemas import schema_errors

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
ORDERS = SAMPLE / "orders"
AS_OF = "2024-08-01T06:00:00Z"


def load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate_orders", SAMPLE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rows(name: str) -> list[dict[str, str]]:
    with open(ORDERS / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(name: str) -> datacheck.Report:
    return datacheck.validate(str(ORDERS / name), str(ORDERS / "schema.json"), as_of=AS_OF)


def test_regenerating_the_orders_is_byte_identical(tmp_path: Path) -> None:
    load_generator().write_orders(tmp_path)
    for name in ("customers.csv", "orders.csv", "orders_broken.csv"):
        assert (tmp_path / name).read_bytes() == (ORDERS / name).read_bytes()


def test_the_clean_batch_passes() -> None:
    result = report("orders.csv")
    assert result.findings == () and result.passed


def plain_counts() -> dict[tuple[str | None, str, str], tuple[int, int]]:
    """(column, code, rule or key) -> (count, of), counted over the broken CSV's text."""
    broken = rows("orders_broken.csv")
    customers = {r["customer_id"] for r in rows("customers.csv")}
    not_cancelled = [r for r in broken if r["status"] != "cancelled"]
    ships = sum(1 for r in not_cancelled if r["shipped_at"] and r["shipped_at"] < r["ordered_at"])
    not_refunded = [r for r in broken if r["status"] != "refunded"]
    negative = sum(1 for r in not_refunded if float(r["amount"]) < 0)
    seen: dict[tuple[str, str], int] = {}
    for r in broken:
        seen[(r["store_id"], r["receipt_no"])] = seen.get((r["store_id"], r["receipt_no"]), 0) + 1
    duplicates = sum(n - 1 for n in seen.values())
    unknown = sum(1 for r in broken if r["customer_id"] not in customers)
    days = sorted({dt.date.fromisoformat(r["day"]) for r in broken})
    span = (days[-1] - days[0]).days + 1
    return {
        (None, "rule_failed", "ships_after_order"): (ships, len(not_cancelled)),
        (None, "rule_failed", "negative_only_when_refunded"): (negative, len(not_refunded)),
        (None, "duplicate_compound_key", ""): (duplicates, len(broken)),
        ("customer_id", "unknown_reference", ""): (unknown, len(broken)),
        ("day", "missing_periods", ""): (span - len(days), span),
    }


def test_the_broken_batch_breaks_each_rule_once_as_counted_in_plain_python() -> None:
    result = report("orders_broken.csv")
    got = {}
    for f in result.findings:
        if f.code == "stale_data":
            continue
        rule = f.observed.get("rule", "") if isinstance(f.observed, dict) else ""
        total = f.observed.get("checked") if f.code == "rule_failed" else (
            f.observed["expected"] if f.code == "missing_periods" else result.summary.rows)
        got[(f.column, f.code, rule)] = (f.count, total)
    assert got == plain_counts()
    assert all(count == 1 for count, _ in got.values())
    [stale] = [f for f in result.findings if f.code == "stale_data"]
    newest = max(r["ordered_at"] for r in rows("orders_broken.csv"))
    age = dt.datetime(2024, 8, 1, 6, tzinfo=dt.timezone.utc) - dt.datetime.fromisoformat(newest).replace(
        tzinfo=dt.timezone.utc)
    assert stale.observed["age_seconds"] == age.total_seconds()
    assert len(result.findings) == 6


def test_the_readme_states_the_exact_counts() -> None:
    text = (SAMPLE / "README.md").read_text(encoding="utf-8")
    kinds = r"^\| (row rule|compound key|reference|period|freshness) "
    table = [line for line in text.splitlines() if re.match(kinds, line)]
    result = report("orders_broken.csv")
    assert len(table) == len(result.findings)
    for f in result.findings:
        column = "(dataset)" if f.column is None else f"`{f.column}`"
        matching = [line for line in table if f"| `{f.code}` | {column} |" in line]
        if f.code == "rule_failed":
            matching = [line for line in matching if f"`{f.observed['rule']}`" in line]
            assert len(matching) == 1 and f"| {f.count} | {f.observed['checked']} rows" in matching[0]
        elif f.code == "stale_data":
            assert len(matching) == 1 and "1d 6h 45m" in matching[0] and "1d 6h 45m" in f.message
        else:
            assert len(matching) == 1 and f"| {f.count} |" in matching[0]
    for name, count in (("customers.csv", 200), ("orders.csv", 930), ("orders_broken.csv", 870)):
        assert f"| `orders/{name}` | {count} |" in text
        assert len(rows(name)) == count


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "junit", "github", "html"])
def test_every_format_shows_every_rule_finding(fmt: str) -> None:
    result = CliRunner().invoke(app, ["validate", str(ORDERS / "orders_broken.csv"), "-s", str(ORDERS / "schema.json"),
                                      "--as-of", AS_OF, "-f", fmt])
    assert result.exit_code == 1
    # Markdown escapes underscores and HTML quotes: compare the text as a reader sees it.
    text = html.unescape(" ".join(result.stdout.split())).replace("\\", "")
    # The table cuts codes to its column's width; the messages' first words it keeps whole.
    for piece in ("rule 'ships_after_order'", "rule 'negative_only_when_refunded'", "of compound key",
                  "of 'customer_id' not found", "1 period of 1d", "newest value of 'ordered_at'"):
        assert piece in text, (fmt, piece)
    if fmt != "table":
        for code in ("rule_failed", "duplicate_compound_key", "unknown_reference", "missing_periods", "stale_data"):
            assert code in text, (fmt, code)
    if fmt == "json":
        assert schema_errors(json.loads(result.stdout), "report") == []


def test_schema_show_lists_every_rule() -> None:
    result = CliRunner().invoke(app, ["schema", "show", str(ORDERS / "schema.json")])
    assert result.exit_code == 0
    # Markdown escapes underscores and HTML quotes: compare the text as a reader sees it.
    text = html.unescape(" ".join(result.stdout.split())).replace("\\", "")
    for piece in ("rule ships_after_order: shipped_at >= ordered_at where status <> 'cancelled'",
                  "unique (store_id, receipt_no)", "every 1d filled", "newest ≤ 12h old", "customers.csv"):
        assert piece in text, piece


def test_from_statistics_the_rules_needing_rows_are_skipped_never_passed(tmp_path: Path) -> None:
    stats = datacheck.profile(str(ORDERS / "orders_broken.csv"))
    result = datacheck.validate(stats, str(ORDERS / "schema.json"), as_of=AS_OF)
    status = {(c.column, c.check): c.status for c in result.checks}
    assert status[(None, "rule")] == "skipped"
    assert status[(None, "compound_key")] == "skipped"
    assert status[("day", "period")] == "skipped"
    # Freshness and the reference need no rows: the statistics answer them (an exact frequency table here).
    assert status[("ordered_at", "freshness")] == "failed"
    assert status[("customer_id", "reference")] == "failed"
