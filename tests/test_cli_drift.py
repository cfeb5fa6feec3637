"""`datacheck drift` on the command line: exit codes, every output format, parity with the Python API."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.drift import ColumnDrift, DriftReport, drift
from datacheck.jsonschemas import schema_errors
from datacheck.output import to_json
from datacheck.profile import profile
from datacheck.render.common import escape_data, escape_property
from datacheck.render.drift import drift_github, paired_sparklines
from datacheck.schema import ColumnSchema, Environment, Schema

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
TRAIN, CLEAN, DRIFTED, SERVING = (str(SAMPLE / f"loans_{n}.csv") for n in ("train", "clean", "drifted", "serving"))

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["drift", *args], catch_exceptions=False)


def test_exit_0_when_no_drift_and_1_when_drift():
    assert run(TRAIN, CLEAN).exit_code == 0
    result = run(TRAIN, DRIFTED)
    assert result.exit_code == 1
    assert "income" in result.stdout and "DRIFT" in result.stdout


@pytest.mark.parametrize("args", [
    ["missing.csv", CLEAN],
    [TRAIN, CLEAN, "--method", "kl"],
    [TRAIN, CLEAN, "--method", "ks"],  # unfit for the string columns
    [TRAIN, CLEAN, "--method", "nope=ks"],
    [TRAIN, CLEAN, "--threshold", "abc"],
    [TRAIN, CLEAN, "--env", "serving"],  # no schema
    [TRAIN, CLEAN, "--schema", "no_such_schema.json"],
])
def test_exit_2_when_it_cannot_run(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_json_output_is_the_api_report_and_validates():
    result = run(TRAIN, DRIFTED, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == drift(TRAIN, DRIFTED).to_dict()
    assert schema_errors(data, "drift") == []
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    assert DriftReport.from_dict(data).drifted_columns == ["income", "loan_amount", "interest_rate", "state"]


def test_output_file_defaults_to_json_and_is_deterministic(tmp_path):
    target = tmp_path / "drift.json"
    assert run(TRAIN, CLEAN, "-o", str(target)).exit_code == 0
    first = target.read_bytes()
    assert run(TRAIN, CLEAN, "-o", str(target)).exit_code == 0
    assert target.read_bytes() == first
    assert schema_errors(json.loads(first), "drift") == []
    assert [p.name for p in tmp_path.iterdir()] == ["drift.json"]  # no temporary file left behind


def test_saved_statistics_as_either_side(tmp_path):
    stats_file = tmp_path / "train_stats.json"
    stats_file.write_text(to_json(profile(TRAIN).to_dict()))
    from_stats = json.loads(run(str(stats_file), DRIFTED, "-f", "json").stdout)
    from_data = json.loads(run(TRAIN, DRIFTED, "-f", "json").stdout)
    assert from_stats["summary"]["drifted_columns"] == from_data["summary"]["drifted_columns"]
    assert [c["value"] for c in from_stats["columns"]] == [c["value"] for c in from_data["columns"]]


def test_method_and_threshold_options():
    result = run(TRAIN, CLEAN, "-f", "json", "--method", "numeric=psi", "--method", "state=chi2",
                 "--threshold", "income=0.5")
    data = {c["column"]: c for c in json.loads(result.stdout)["columns"]}
    assert data["income"]["method"] == "psi" and data["income"]["threshold"] == 0.5
    assert data["age"]["method"] == "psi" and data["age"]["threshold"] == 0.2
    assert data["state"]["method"] == "chi2" and data["state"]["threshold_applies_to"] == "pvalue"


def test_skew_with_serving_environment(tmp_path):
    stats = profile(TRAIN)
    schema = Schema(columns=tuple(ColumnSchema(c.name, "string") for c in stats.columns),
                    environments={"serving": Environment(excluded=("defaulted",))})
    path = tmp_path / "schema.json"
    schema.dump(path)
    assert run(TRAIN, SERVING).exit_code == 1  # without the environment the label is missing
    result = run(TRAIN, SERVING, "--schema", str(path), "--env", "serving", "-f", "json")
    assert result.exit_code == 0, result.stdout
    data = {c["column"]: c for c in json.loads(result.stdout)["columns"]}
    assert data["defaulted"]["status"] == "not_expected"


def test_markdown_output():
    result = run(TRAIN, DRIFTED, "--format", "markdown")
    assert result.exit_code == 1
    assert "| income | wasserstein |" in result.stdout
    assert "TX: 14.7% → 28.0%" in result.stdout


def test_junit_has_one_testcase_per_column():
    result = run(TRAIN, DRIFTED, "--format", "junit")
    root = ET.fromstring(result.stdout)
    cases = root.findall(".//testcase")
    report = drift(TRAIN, DRIFTED)
    assert [c.get("name") for c in cases] == [c.column for c in report.columns]
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failed == report.drifted_columns
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert "notes" in skipped and "application_date" in skipped
    suite = root.find("testsuite")
    assert suite.get("failures") == str(len(failed)) and suite.get("tests") == str(len(cases))


def test_github_commands_and_escaping():
    result = run(TRAIN, DRIFTED, "--format", "github")
    lines = result.stdout.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 4
    assert any(line.startswith("::error title=drift in state::") and "14.7%25" in line for line in errors)
    assert lines[-1].startswith("::notice title=datacheck drift::")
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


def test_github_escapes_hostile_column_names():
    col = ColumnDrift("x:,%\nname", "numeric", "compared", "wasserstein", 0.5, 0.1, True)
    report = DriftReport((col,), 1.0, 1, 1, 10, 10, 0.0, False)
    first = drift_github(report).splitlines()[0]
    assert first.startswith("::error title=drift in x%3A%2C%25%0Aname::x:,%25%0Aname: wasserstein")


def test_table_has_before_after_sparklines():
    result = run(TRAIN, DRIFTED)
    income = next(line for line in result.stdout.splitlines() if line.strip().startswith("income"))
    assert "→" in income and any(ch in income for ch in "▁▂▃▄▅▆▇█")
    before, after = paired_sparklines([0.5, 0.5], [1.0, 0.0])
    assert (before, after) == ("▅▅", "█ ")


def test_python_m_datacheck_smoke():
    proc = subprocess.run([sys.executable, "-m", "datacheck", "drift", TRAIN, CLEAN, "--format", "json"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["passed"] is True


def test_html_output_is_one_self_contained_page(tmp_path: Path) -> None:
    page = tmp_path / "drift.html"
    result = runner.invoke(app, ["drift", TRAIN, str(SAMPLE / "loans_drifted.csv"), "-o", str(page)])
    assert result.exit_code == 1, result.output
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "income" in text
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://cdn" not in text
