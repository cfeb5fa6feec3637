"""Rendering of validation reports: golden files for every format, XML/JSON validity and escaping."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import polars as pl
import pytest
from rich.console import Console

from datacheck.checks import CATALOGUE, Report, validate
from datacheck.jsonschemas import schema_errors
from datacheck.render.common import escape_data, escape_property
from datacheck.render.registry import render_report
from datacheck.render.report import report_github, report_junit, report_markdown, report_table
from datacheck.schema import ColumnSchema, Domain, LengthBounds, Range, Schema


def tricky_schema() -> Schema:
    # Five rows are too few for a share bound below 1 to be beyond sampling noise (tests/test_sampling_noise.py);
    # min_mass 1.0 keeps every kind of finding in the report these renderers are tested on.
    return Schema(columns=(
        ColumnSchema("id", "integer", max_null_fraction=0.0, unique=True, range=Range(min=0)),
        ColumnSchema("city, state: name", "categorical", max_null_fraction=0.0,
                     domain=Domain(("Austin", "Boston"), min_mass=1.0)),
        ColumnSchema("amount", "float", max_null_fraction=0.2, warn_max_null_fraction=0.0,
                     range=Range(min=0, max=100, warn_min=1, warn_max=50, min_mass=1.0)),
        ColumnSchema("code", "string", max_null_fraction=0.0, length=LengthBounds(min=3, max=3), pattern=r"^[A-Z]+$"),
        ColumnSchema("gone", "integer"),
    ))


def tricky_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "id": [1, 2, 2, 3, 4],
        "city, state: name": ["Austin", "Boston", "a|b <x> & *y*", "line\nbreak 100%", "Austin"],
        "amount": [10.0, None, 60.0, -5.0, float("nan")],
        "code": ["ABC", "AB", "abc", "XYZ", "QRS"],
        "extra": [1, 2, 3, 4, 5],
    })


@pytest.fixture(scope="module")
def report() -> Report:
    return validate(tricky_frame(), tricky_schema(), max_examples=3)


@pytest.fixture(scope="module")
def clean_report() -> Report:
    frame = tricky_frame().filter(pl.col("id").is_in([1, 5])).drop("extra")
    schema = Schema(columns=tuple(c for c in tricky_schema().columns if c.name != "gone"))
    return validate(frame, schema)


def test_findings_of_the_tricky_frame(report: Report) -> None:
    codes = {(f.column, f.code) for f in report.findings}
    assert codes == {
        ("id", "not_unique"), ("city, state: name", "domain_mass_too_low"), ("amount", "nan_not_allowed"),
        ("amount", "out_of_range"), ("amount", "range_mass_too_low"), ("amount", "low_presence"),
        ("code", "length_out_of_range"), ("code", "pattern_mismatch"), ("gone", "missing_column"),
        ("extra", "unexpected_column"),
    }


def test_table_golden(report: Report, clean_report: Report, golden) -> None:
    for name, rep in (("report_table.txt", report), ("report_table_passed.txt", clean_report)):
        buffer = io.StringIO()
        Console(width=100, file=buffer, color_system=None, force_terminal=True).print(report_table(rep, 100))
        golden(name, buffer.getvalue())


def test_table_groups_by_column_errors_first(report: Report) -> None:
    text = render_report(report, "table", width=160)
    assert text.index("not_unique") < text.index("unexpected_column")
    amount = text[text.index("amount"):]
    assert amount.index("out_of_range") < amount.index("low_presence")


def test_json_golden_and_schema(report: Report, clean_report: Report, golden) -> None:
    for name, rep in (("report.json", report), ("report_passed.json", clean_report)):
        text = render_report(rep, "json")
        golden(name, text)
        doc = json.loads(text)
        assert schema_errors(doc, "report") == []
        assert Report.from_dict(doc).to_dict() == doc


def test_markdown_golden_and_escaping(report: Report, clean_report: Report, golden) -> None:
    text = report_markdown(report)
    golden("report.md", text)
    golden("report_passed.md", report_markdown(clean_report))
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    columns = table_rows[0].count(" | ")
    for row in table_rows:  # no data value breaks the table
        assert row.replace("\\|", "").count(" | ") == columns, row
    assert "<x>" not in text and "\\<x\\>" in text


def test_junit_golden_and_structure(report: Report, clean_report: Report, golden) -> None:
    text = report_junit(report)
    golden("report_junit.xml", text)
    golden("report_junit_passed.xml", report_junit(clean_report))
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    for element in (root, suite):
        for attribute in ("name", "tests", "failures", "errors", "skipped"):
            assert attribute in element.attrib
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == len(report.checks)
    failed = [c for c in cases if c.find("failure") is not None]
    failing_checks = {(f.column, CATALOGUE[f.code].check) for f in report.findings if f.severity == "error"}
    assert int(suite.get("failures")) == len(failed) == len(failing_checks)
    for case in cases:
        assert case.get("name") and case.get("classname")
    names = {c.get("name") for c in failed}
    assert "id: unique" in names and "gone: presence" in names
    # A warning is not a failure unless --fail-on warning.
    assert any("low_presence" in (c.findtext("system-out") or "") for c in cases)
    strict = ET.fromstring(report_junit(report, fail_on="warning"))
    assert int(strict.find("testsuite").get("failures")) > len(failed)


def test_junit_of_a_passing_report_has_no_failure(clean_report: Report) -> None:
    root = ET.fromstring(report_junit(clean_report))
    assert root.get("failures") == "0" and int(root.get("tests")) > 0


def test_github_golden_and_escaping(report: Report, golden) -> None:
    text = report_github(report, file="data/in,put:1.csv")
    golden("report_github.txt", text)
    lines = text.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(report.findings)
    assert all(line.startswith(("::error ", "::warning ")) for line in commands)
    assert all("file=data/in%2Cput%3A1.csv," in line for line in commands)
    city = [line for line in commands if "domain_mass_too_low" in line][0]
    props, message = city[len("::error "):].split("::", 1)
    assert "title=datacheck domain_mass_too_low in city%2C state%3A name" in props
    assert "\n" not in message and "%0A" in message and "100%25" in message


def test_github_escaping_rules() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_render_report_rejects_unknown_format(report: Report) -> None:
    with pytest.raises(ValueError):
        render_report(report, "yaml")
