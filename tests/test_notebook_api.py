"""Notebooks and the API: the HTML report inline in a cell (`_repr_html_`), results as polars DataFrames, the
package marked as typed, and the licence file.

Frames are checked against the report's own findings and against plain counts over the rows; the cell HTML
against the page the HTML renderer writes, which it must hold exactly, escaped.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import datacheck
from datacheck.frames import DRIFT_SCHEMA, FINDINGS_SCHEMA
from datacheck.notebook import CELL_HEIGHT_PX
from datacheck.render.html import drift_html, stats_html, validation_html

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
TRAIN, BROKEN, DRIFTED = (str(SAMPLE / f"loans_{name}.csv") for name in ("train", "broken", "drifted"))


@pytest.fixture(scope="module")
def schema() -> datacheck.Schema:
    return datacheck.infer_schema(datacheck.profile(TRAIN))


@pytest.fixture(scope="module")
def report(schema: datacheck.Schema) -> datacheck.Report:
    return datacheck.validate(BROKEN, schema)


def test_findings_frame_has_one_row_per_finding(report: datacheck.Report) -> None:
    frame = report.findings_frame()
    assert frame.schema == FINDINGS_SCHEMA
    assert frame.height == len(report.findings) > 0
    for row, finding in zip(frame.iter_rows(named=True), report.findings):
        expected = finding.to_dict()
        assert (row["severity"], row["column"], row["code"], row["message"], row["count"], row["fix"]) == (
            finding.severity, finding.column, finding.code, finding.message, finding.count, finding.fix)
        assert row["fraction"] == finding.fraction
        assert (None if row["observed"] is None else json.loads(row["observed"])) == expected["observed"]
        assert (None if row["expected"] is None else json.loads(row["expected"])) == expected["expected"]
        assert [{**e, "value": json.loads(e["value"]) if e["value"] is not None else None} for e in row["examples"]] \
            == expected["examples"]
    # Against the rows: the income nulls finding counts the nulls polars counts in the file.
    nulls = pl.read_csv(BROKEN)["income"].null_count()
    income = frame.filter((pl.col("column") == "income") & (pl.col("code") == "too_many_nulls"))
    assert income["count"].to_list() == [nulls] == [639]
    assert frame.filter(pl.col("severity") == "error").height == report.summary.errors


def test_an_empty_report_gives_an_empty_frame_with_the_schema(schema: datacheck.Schema) -> None:
    clean = datacheck.validate(str(SAMPLE / "loans_clean.csv"), schema)
    assert clean.passed and not clean.findings
    frame = clean.findings_frame()
    assert frame.height == 0 and frame.schema == FINDINGS_SCHEMA


def test_drift_frame_has_one_row_per_column() -> None:
    report = datacheck.drift(TRAIN, DRIFTED)
    frame = report.frame()
    assert frame.schema == DRIFT_SCHEMA
    assert frame["column"].to_list() == pl.read_csv(TRAIN).columns
    assert frame.filter(pl.col("drifted"))["column"].to_list() == [c.column for c in report.columns if c.drifted]
    for row, entry in zip(frame.iter_rows(named=True), report.to_dict()["columns"]):
        for key in ("kind", "status", "method", "value", "pvalue", "threshold", "drifted", "severity", "note",
                    "baseline_count", "current_count", "new_values", "drifted_by"):
            assert row[key] == entry[key], (entry["column"], key)
        largest = entry["largest_change"] or {}
        assert row["largest_change"] == largest.get("value")
        assert row["largest_change_current"] == largest.get("current_share")


def _page_in(cell: str) -> str:
    match = re.fullmatch(r'<iframe title="[^"]*" srcdoc="([^"]*)" sandbox="allow-scripts" style="([^"]*)" '
                         r'loading="lazy"></iframe>', cell)
    assert match is not None, cell[:300]
    assert f"height: {CELL_HEIGHT_PX}px" in match.group(2) and "width: 100%" in match.group(2)
    return html.unescape(match.group(1))


def test_repr_html_is_the_html_report_in_a_sandboxed_frame(report: datacheck.Report) -> None:
    stats = datacheck.profile(TRAIN)
    assert _page_in(stats._repr_html_()) == stats_html(stats)
    assert _page_in(report._repr_html_()) == validation_html(None, report)
    drift = datacheck.drift(TRAIN, DRIFTED)
    assert _page_in(drift._repr_html_()) == drift_html(drift, None, None)


def test_repr_html_escapes_hostile_values() -> None:
    hostile = '"><script>alert(1)</script>'
    stats = datacheck.profile(pl.DataFrame({hostile: [hostile, "a", "b"]}))
    cell = stats._repr_html_()
    assert "<script>alert" not in cell and 'srcdoc="' in cell
    assert cell.count('"') == 10  # the attribute quotes only: five attributes with a quoted value
    page = _page_in(cell)
    assert "<script>alert" not in page  # the report itself escapes data values too


def test_the_core_stays_free_of_the_terminal_libraries_in_a_notebook() -> None:
    code = ("import sys, datacheck; s = datacheck.profile(sys.argv[1]); s._repr_html_(); "
            "print('typer' in sys.modules, 'click' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, TRAIN], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]


def test_typed_package_and_licence_file() -> None:
    assert (ROOT / "datacheck" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^datacheck = \[.*"py\.typed".*\]$', pyproject, re.M)
    license_field = re.search(r'^license = \{ text = "([^"]+)" \}$', pyproject, re.M)
    assert license_field is not None and license_field.group(1) == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
