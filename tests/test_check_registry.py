"""The check registry: the docs table and the report's JSON Schema follow it, the families' codes and check
names are listed once each, the two back-ends of every family agree with a plain count over the rows, and the
package imports without a cycle."""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import polars as pl
import pytest

import datacheck
from datacheck.checks import CATALOGUE, CHECK_ORDER, FAMILIES, Report, validate
from datacheck.checks.catalogue import anomalies_table
from datacheck.schema import ColumnSchema, DatasetConstraints, Domain, LengthBounds, Range, Schema

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMAS = [ROOT / "schemas" / "report.schema.json", ROOT / "datacheck" / "schemas" / "report.schema.json"]


def documented_table() -> str:
    """The table of docs/anomalies.md: from its header row to the last row that follows it."""
    lines = (ROOT / "docs" / "anomalies.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("| code | check | default severity | trigger | fix |")
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[start:end]) + "\n"


def test_the_docs_table_is_the_one_generated_from_the_registry() -> None:
    assert documented_table() == anomalies_table()


def test_the_generated_table_has_one_row_per_code_in_catalogue_order() -> None:
    rows = [re.match(r"^\| `([a-z_]+)` \| ([a-z_]+) \| (error|warning) \|", line)
            for line in anomalies_table().splitlines()[2:]]
    assert [(m.group(1), m.group(2), m.group(3)) for m in rows if m] == \
        [(a.code, a.check, a.severity) for family in FAMILIES for a in family.entries]


@pytest.mark.parametrize("path", REPORT_SCHEMAS, ids=lambda p: str(p.relative_to(ROOT)))
def test_report_schema_enums_equal_the_registry(path: Path) -> None:
    definitions = json.loads(path.read_text(encoding="utf-8"))["$defs"]
    assert definitions["finding"]["properties"]["code"]["enum"] == [a.code for f in FAMILIES for a in f.entries]
    assert sorted(definitions["check"]["properties"]["check"]["enum"]) == sorted(CHECK_ORDER)


def test_every_code_belongs_to_exactly_one_family() -> None:
    codes = [entry.code for family in FAMILIES for entry in family.entries]
    assert len(codes) == len(set(codes)) == len(CATALOGUE)


def test_check_order_lists_every_family_check_exactly_once() -> None:
    checks = [check for family in FAMILIES for check in family.checks]
    assert len(checks) == len(set(checks))  # a check name is one family's
    assert sorted(checks) == sorted(CHECK_ORDER)


# ----------------------------------------------------------------------------- both back-ends, one answer


def planted() -> tuple[pl.DataFrame, Schema]:
    """Forty rows with a problem for most families, small enough that the statistics are exact."""
    n = 40
    ids = list(range(n))
    ids[7] = ids[30] = 3  # key 3 three times: two duplicate rows
    amount = [float(i) for i in range(n)]
    amount[2], amount[11], amount[25] = -5.0, -1.5, float("nan")
    amount[33] = float("inf")
    cat = ["a" if i % 3 else "b" for i in range(n)]
    cat[4], cat[17], cat[18] = "z", "zz", "z"
    code = ["ABC"] * n
    code[5], code[6] = "AB", "abcd"
    # 14 nulls of 40 against max_null_fraction 0.1: P(Binomial(40, 0.1) >= 14) ~ 3e-5, beyond sampling noise.
    note = [None if i % 3 == 0 else "x" for i in range(n)]
    frame = pl.DataFrame({"id": ids, "amount": amount, "cat": cat, "code": code, "note": note})
    schema = Schema((
        ColumnSchema("id", "integer", unique=True, max_null_fraction=0.0),
        ColumnSchema("amount", "float", range=Range(min=0.0)),
        ColumnSchema("cat", "categorical", domain=Domain(("a", "b"), min_mass=0.5)),
        ColumnSchema("code", "string", pattern=r"^[A-Z]{3}$", length=LengthBounds(min=3, max=3)),
        ColumnSchema("note", "string", max_null_fraction=0.1),
    ), DatasetConstraints(min_rows=50))
    return frame, schema


def plain_counts(frame: pl.DataFrame) -> dict[tuple[str | None, str], int]:
    """The expected count of every finding, counted over the rows in plain Python."""
    rows = frame.to_dicts()
    ids = [r["id"] for r in rows]
    amounts = [r["amount"] for r in rows]
    codes = [r["code"] for r in rows]
    return {
        ("id", "not_unique"): len(ids) - len(set(ids)),
        ("amount", "out_of_range"): sum(1 for a in amounts if math.isfinite(a) and a < 0),
        ("amount", "nan_not_allowed"): sum(1 for a in amounts if math.isnan(a)),
        ("amount", "inf_not_allowed"): sum(1 for a in amounts if math.isinf(a)),
        ("cat", "unexpected_value"): sum(1 for r in rows if r["cat"] not in ("a", "b")),
        ("code", "pattern_mismatch"): sum(1 for c in codes if not re.search(r"^[A-Z]{3}$", c)),
        ("code", "length_out_of_range"): sum(1 for c in codes if len(c) != 3),
        ("note", "too_many_nulls"): sum(1 for r in rows if r["note"] is None),
        (None, "row_count_out_of_range"): len(rows),
    }


def counts(report: Report) -> dict[tuple[str | None, str], int | None]:
    return {(f.column, f.code): f.count for f in report.findings}


def test_the_scan_back_end_counts_every_planted_problem() -> None:
    frame, schema = planted()
    assert counts(validate(frame, schema)) == plain_counts(frame)


def test_the_statistics_back_end_finds_the_same_problems() -> None:
    frame, schema = planted()
    expected = plain_counts(frame)
    found = counts(validate(datacheck.profile(frame), schema))
    assert set(found) == set(expected)
    # Statistics give exact counts where they hold them (null, NaN and inf counts, negatives for min 0, the exact
    # frequency and distinct counts of small columns); for lengths they hold only the shortest and longest.
    assert found.pop(("code", "length_out_of_range")) is None
    expected.pop(("code", "length_out_of_range"))
    assert found == expected


# ---------------------------------------------------------------------------------------- import graph


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (at any depth in the file, type-checking imports included)."""
    modules = {}
    for path in (ROOT / "datacheck").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("datacheck"):
                for alias in node.names:
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else str(node.module))
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("datacheck"))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "datacheck.engine" in graph["datacheck.checks.validation"]  # the graph sees real imports
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [module, target])
            elif target not in state:
                visit(target, path + [module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert cycles == []


def test_the_engine_does_not_import_the_checks() -> None:
    assert not {m for m in import_graph()["datacheck.engine"] if m.startswith("datacheck.checks")}
