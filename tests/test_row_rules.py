"""Row rules (`rules` in the schema): counts against a plain-Python count over the rows, nulls, `where`,
`min_pass`, examples, both engines, statistics input, and the gate that keeps expressions inside the row."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.cli import app
from datacheck.errors import SchemaFileError
from datacheck.rule_expr import RuleExpressionError, check_expression, compile_expression
from datacheck.schema import ColumnSchema, Schema
from datacheck.schema_rules import Rule


def orders(n: int = 500, seed: int = 7) -> pl.DataFrame:
    rng = random.Random(seed)
    placed = [rng.randint(0, 100) for _ in range(n)]
    shipped: list[int | None] = [p + rng.randint(-3, 20) for p in placed]
    for i in rng.sample(range(n), 40):
        shipped[i] = None
    status = [rng.choice(["open", "shipped", "cancelled"]) for _ in range(n)]
    amount = [round(rng.uniform(-50, 200), 2) for _ in range(n)]
    return pl.DataFrame({"id": list(range(n)), "placed": placed, "shipped": shipped, "status": status,
                         "amount": amount})


def schema_with(*rules: Rule) -> Schema:
    return Schema((ColumnSchema("id", "integer"), ColumnSchema("placed", "integer"),
                   ColumnSchema("shipped", "integer", max_null_fraction=1.0), ColumnSchema("status", "string"),
                   ColumnSchema("amount", "float")), rules=rules)


def rule_finding(report: datacheck.Report, code: str = "rule_failed") -> datacheck.Finding:
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.findings
    return found[0]


def test_failing_rows_where_and_nulls_match_a_plain_count() -> None:
    frame = orders()
    rows = frame.to_dicts()
    rule = Rule("ships_after_order", "shipped >= placed", where="status <> 'cancelled'")
    finding = rule_finding(datacheck.validate(frame, schema_with(rule)))
    selected = [r for r in rows if r["status"] != "cancelled"]
    failing = [i for i, r in enumerate(rows)
               if r["status"] != "cancelled" and r["shipped"] is not None and r["shipped"] < r["placed"]]
    assert finding.count == len(failing) > 0
    assert finding.observed["checked"] == len(selected)
    assert finding.fraction == pytest.approx(len(failing) / len(selected), abs=1e-6)
    assert finding.severity == "error" and finding.column is None
    first = finding.examples[0]
    assert first.row == failing[0]
    assert first.value == {"shipped": rows[failing[0]]["shipped"], "placed": rows[failing[0]]["placed"],
                           "status": rows[failing[0]]["status"]}
    assert [e.row for e in finding.examples] == failing[:5]


def test_nulls_fail_counts_the_unknown_rows_too() -> None:
    frame = orders()
    rows = frame.to_dicts()
    finding = rule_finding(datacheck.validate(frame, schema_with(Rule("r", "shipped >= placed", nulls="fail"))))
    assert finding.count == sum(1 for r in rows if r["shipped"] is None or r["shipped"] < r["placed"])
    assert finding.observed["checked"] == len(rows)


def test_min_pass_tolerates_a_share_of_failing_rows() -> None:
    frame = orders()
    rows = frame.to_dicts()
    failing = sum(1 for r in rows if r["amount"] < 0)
    share_passing = 1 - failing / len(rows)
    assert 0 < failing < len(rows)
    tolerant = datacheck.validate(frame, schema_with(Rule("positive", "amount >= 0", min_pass=share_passing - 0.01)))
    assert not [f for f in tolerant.findings if f.code == "rule_failed"]
    strict = datacheck.validate(frame, schema_with(Rule("positive", "amount >= 0", min_pass=share_passing + 0.01,
                                                        severity="warning")))
    finding = rule_finding(strict)
    assert finding.count == failing and finding.severity == "warning"
    assert strict.passed  # a warning does not fail the validation


def test_several_rules_and_functions_each_get_their_count() -> None:
    frame = orders()
    rows = frame.to_dicts()
    rules = (Rule("status_known", "status IN ('open', 'shipped')"),
             Rule("upper_short", "length(upper(status)) <= 6"),
             Rule("refund_only_cancelled", "amount >= 0", where="status = 'open' AND amount < 100"))
    report = datacheck.validate(frame, schema_with(*rules))
    got = {f.observed["rule"]: f.count for f in report.findings if f.code == "rule_failed"}
    assert got == {
        "status_known": sum(1 for r in rows if r["status"] not in ("open", "shipped")),
        "upper_short": sum(1 for r in rows if len(r["status"]) > 6),
        "refund_only_cancelled": sum(1 for r in rows if r["status"] == "open" and r["amount"] < 0),
    }


def test_the_parallel_engines_give_the_local_findings(tmp_path: Path) -> None:
    frame = orders(4000)
    paths = []
    for i in range(3):
        path = tmp_path / f"part{i}.parquet"
        frame.slice(i * 1500, 1500).write_parquet(path, row_group_size=300)
        paths.append(str(path))
    schema = schema_with(Rule("ships_after_order", "shipped >= placed", where="status <> 'cancelled'"))
    local = datacheck.validate(paths, schema)
    threads = datacheck.validate(paths, schema, engine="threads", workers=2)
    assert rule_finding(local) == rule_finding(threads)
    assert rule_finding(local).examples[0].file == paths[0]


def test_statistics_input_skips_rules_and_never_passes_them() -> None:
    frame = orders()
    stats = datacheck.profile(frame)
    report = datacheck.validate(stats, schema_with(Rule("r", "shipped >= placed")))
    [check] = [c for c in report.checks if c.check == "rule"]
    assert check.status == "skipped" and "statistics" in (check.reason or "")


def test_a_rule_that_fails_on_the_data_is_reported_not_dropped() -> None:
    frame = pl.DataFrame({"day": ["2024-01-01", "not a date"], "n": [1, 2]})
    schema = Schema((ColumnSchema("day", "string"), ColumnSchema("n", "integer")),
                    rules=(Rule("parses", "strftime(cast(day as date), '%Y') = '2024'"), Rule("n_pos", "n > 1")))
    report = datacheck.validate(frame, schema)
    assert rule_finding(report, "rule_not_evaluated").observed["rule"] == "parses"
    assert rule_finding(report).count == 1  # the other rule still ran


# ------------------------------------------------------------------------------------------------ the gate


SECRET = "top-secret-line-4711"


@pytest.mark.parametrize("expr", [
    "id IN (SELECT column_1 FROM read_csv('{secret}'))",
    "id IN (select * from read_parquet('{secret}'))",
    "EXISTS (SELECT 1)",
    "(SELECT count(*) FROM read_csv('{secret}')) > 0",
    "read_csv('{secret}') IS NOT NULL",
    "read_parquet('https://example.com/x.parquet') IS NULL",
    "read_json('{secret}') IS NULL",
    "\"read_csv\"('{secret}') IS NULL",
    "id IN (WITH t AS (SELECT 1) FROM t)",
    "id IN (VALUES (1))",
    "id > 0; SELECT 1",
    "now() > placed",
    "current_date > placed",
    "__import__('os') IS NULL",
    "eval('1') = 1",
])
def test_an_expression_cannot_reach_files_network_or_python(tmp_path: Path, expr: str) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET}\n1\n")
    text = expr.format(secret=secret)
    document = {"format": "datacheck.schema", "version": 1,
                "columns": [{"name": "id", "type": "integer"}, {"name": "placed", "type": "integer"}],
                "rules": [{"name": "sneaky", "expr": text}]}
    with pytest.raises(SchemaFileError) as caught:
        Schema.loads(json.dumps(document))
    assert "$.rules[0].expr" in str(caught.value)
    assert SECRET not in str(caught.value)
    # The same rule built in Python, never loaded from a file, is stopped by the same gate at validation.
    schema = Schema((ColumnSchema("id", "integer"), ColumnSchema("placed", "integer")), rules=(Rule("sneaky", text),))
    report = datacheck.validate(pl.DataFrame({"id": [1], "placed": [0]}), schema)
    finding = rule_finding(report, "rule_not_evaluated")
    assert SECRET not in json.dumps(report.to_dict())
    assert finding.observed["rule"] == "sneaky"


def test_the_gate_admits_ordinary_sql() -> None:
    types = {"a": "integer", "b": "float", "s": "string", "d": "date"}
    for text in ["a >= b", "a BETWEEN 1 AND 3", "s LIKE 'x%' OR s IS NULL", "coalesce(a, 0) + 1 > b",
                 "CASE WHEN a > 1 THEN b > 0 ELSE TRUE END", "date_part('year', d) >= 2020",
                 "a IS DISTINCT FROM b", "regexp_like(s, '^[A-Z]{3}$')", "d >= DATE '2024-01-01'",
                 "cast(a AS varchar) <> s", "\"a\" < 3"]:
        assert compile_expression(text, types).text == text


def test_the_gate_names_the_unknown_column_and_function() -> None:
    with pytest.raises(RuleExpressionError, match="'nope' is not a column"):
        check_expression("nope > 1", ["a"])
    with pytest.raises(RuleExpressionError, match="function 'read_csv' is not allowed"):
        check_expression("read_csv('x') > 1", ["a"])


def test_schema_check_lists_each_bad_expression_with_its_json_path(tmp_path: Path) -> None:
    document = {"format": "datacheck.schema", "version": 1,
                "columns": [{"name": "a", "type": "integer"}, {"name": "s", "type": "string"}],
                "rules": [{"name": "ok", "expr": "a > 0"},
                          {"name": "unparsable", "expr": "a >= >= 1"},
                          {"name": "unknown", "expr": "a > b"},
                          {"name": "not_boolean", "expr": "a + 1"},
                          {"name": "where_bad", "expr": "a > 0", "where": "zz = 1"},
                          {"name": "ok", "expr": "s <> ''"}]}
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(document))
    result = CliRunner().invoke(app, ["schema", "check", str(path)])
    assert result.exit_code == 2
    text = result.output
    for where in ("$.rules[1].expr", "$.rules[2].expr", "$.rules[3].expr", "$.rules[4].where", "$.rules[5].name"):
        assert where in text
    assert "$.rules[0].expr" not in text and "$.rules[0].name" not in text
    assert "'b' is not a column of the schema" in text
    assert "Traceback" not in text


def test_rules_round_trip_through_the_schema_file() -> None:
    schema = schema_with(Rule("r", "shipped >= placed", where="status <> 'x'", min_pass=0.9, severity="warning",
                              nulls="fail", description="why"))
    again = Schema.loads(schema.dumps())
    assert again == schema
    assert json.loads(schema.dumps())["rules"][0]["nulls"] == "fail"


def test_the_documented_functions_are_the_gate_s_and_polars_knows_each() -> None:
    from datacheck.rule_expr import FUNCTIONS

    docs = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    section = docs[docs.index("- functions:"):docs.index("Examples:")]
    documented = {name.split("(")[0] for name in re.findall(r"`([a-z0-9_]+(?:\([a-z, ]+\))?)`", section)}
    assert documented == set(FUNCTIONS)
    for name in FUNCTIONS:
        try:
            pl.sql_expr(f"{name}(a)")
        except Exception as exc:  # a wrong number of arguments is fine; an unknown function is not
            assert "unsupported function" not in str(exc), name
