"""`datacheck validate` and `datacheck schema update` from the command line: exit codes, formats, -o, parity."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.checks import validate
from datacheck.cli import app
from datacheck.infer import infer_schema
from datacheck.jsonschemas import schema_errors
from datacheck.schema import Environment, Schema

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TRAIN, CLEAN, BROKEN = (str(SAMPLE / f"loans_{n}.csv") for n in ("train", "clean", "broken"))


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always keeps stderr apart
        return CliRunner()


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    schema = infer_schema(datacheck.profile(TRAIN), environments={"serving": Environment(excluded=("defaulted",))})
    # The key a reviewer adds: 5,000 ids are more than inference makes a key from (docs/inference.md).
    key = dataclasses.replace(schema.column("application_id"), unique=True)
    schema = dataclasses.replace(schema, columns=tuple(key if c.name == key.name else c for c in schema.columns))
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    schema.dump(path)
    return path


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, ["validate", *args])


def test_clean_passes_with_exit_0(runner: CliRunner, schema_file: Path) -> None:
    result = run(runner, CLEAN, "--schema", str(schema_file))
    assert result.exit_code == 0, result.output
    assert "validation passed" in result.stdout


def test_broken_fails_with_exit_1_and_json_parity(runner: CliRunner, schema_file: Path) -> None:
    result = run(runner, BROKEN, "--schema", str(schema_file), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert schema_errors(doc, "report") == []
    expected = validate(BROKEN, Schema.load(schema_file), schema_path=str(schema_file)).to_dict()
    assert doc == json.loads(json.dumps(expected))
    assert {(f["column"], f["code"]) for f in doc["findings"]} >= {("has_cosigner", "missing_column"),
                                                                   ("application_id", "not_unique")}
    assert any(f"datacheck schema update {schema_file} {BROKEN} -o {schema_file}" in f["fix"] for f in doc["findings"])


def test_fail_on_warning(runner: CliRunner, schema_file: Path, tmp_path: Path) -> None:
    schema = Schema.load(schema_file)
    relaxed = tmp_path / "relaxed.json"
    # The drifted snapshot's only anomalies are unseen categories: lowering min_mass makes them warnings.
    import dataclasses

    cols = tuple(dataclasses.replace(c, domain=dataclasses.replace(c.domain, min_mass=0.5)) if c.domain else c
                 for c in schema.columns)
    dataclasses.replace(schema, columns=cols).dump(relaxed)
    drifted = str(SAMPLE / "loans_drifted.csv")
    assert run(runner, drifted, "-s", str(relaxed)).exit_code == 0
    assert run(runner, drifted, "-s", str(relaxed), "--fail-on", "warning").exit_code == 1


def test_env_serving(runner: CliRunner, schema_file: Path) -> None:
    serving = str(SAMPLE / "loans_serving.csv")
    with_env = run(runner, serving, "-s", str(schema_file), "--env", "serving", "--format", "json")
    assert not [f for f in json.loads(with_env.stdout)["findings"] if f["column"] == "defaulted"]
    without = run(runner, serving, "-s", str(schema_file), "--format", "json")
    assert ("defaulted", "missing_column") in {(f["column"], f["code"]) for f in json.loads(without.stdout)["findings"]}
    assert without.exit_code == 1
    unknown = run(runner, serving, "-s", str(schema_file), "--env", "nope")
    assert unknown.exit_code == 2 and "nope" in unknown.stderr


@pytest.mark.parametrize("args", [
    ["--schema", "missing.json"],
    ["--schema", "{bad}"],
])
def test_could_not_run_exits_2(runner: CliRunner, args: list[str], tmp_path: Path) -> None:
    if args[1] == "{bad}":
        bad = tmp_path / "bad.json"
        bad.write_text("{not json")
        args = ["--schema", str(bad)]
    result = run(runner, CLEAN, *args)
    assert result.exit_code == 2
    assert "Error" in result.stderr and result.stdout == ""


def test_unreadable_input_exits_2(runner: CliRunner, schema_file: Path) -> None:
    result = run(runner, "no/such/file.csv", "--schema", str(schema_file))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_empty_input_is_an_anomaly_not_exit_2(runner: CliRunner, schema_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(Path(CLEAN).read_text().splitlines()[0] + "\n")
    result = run(runner, str(empty), "--schema", str(schema_file), "--format", "json")
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["empty_dataset"]


@pytest.mark.parametrize(("fmt", "suffix"), [("json", ".json"), ("markdown", ".md"), ("junit", ".xml"),
                                             ("github", ".txt"), ("table", ".txt")])
def test_every_format_to_a_file(runner: CliRunner, schema_file: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    out = tmp_path / f"report{suffix}"
    result = run(runner, BROKEN, "--schema", str(schema_file), "--format", fmt, "-o", str(out), "--max-examples", "2")
    assert result.exit_code == 1
    assert result.stdout == ""
    text = out.read_text()
    if fmt == "json":
        doc = json.loads(text)
        assert schema_errors(doc, "report") == []
        assert all(len(f["examples"]) <= 2 for f in doc["findings"])
    elif fmt == "junit":
        assert ET.fromstring(text).tag == "testsuites"
    elif fmt == "github":
        assert text.startswith("::error ")
    elif fmt == "markdown":
        assert "| `not_unique` |" in text and text.startswith("### ❌ datacheck")
    else:
        assert "not_unique" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_format_follows_the_output_extension(runner: CliRunner, schema_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    run(runner, CLEAN, "--schema", str(schema_file), "-o", str(out))
    assert ET.parse(out).getroot().tag == "testsuites"


def test_statistics_file_as_data(runner: CliRunner, schema_file: Path, tmp_path: Path) -> None:
    stats = tmp_path / "stats.json"
    assert runner.invoke(app, ["stats", BROKEN, "-o", str(stats)]).exit_code == 0
    result = run(runner, str(stats), "--schema", str(schema_file), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["from_statistics"] is True


def test_baseline_option(runner: CliRunner, schema_file: Path) -> None:
    result = run(runner, str(SAMPLE / "loans_drifted.csv"), "--schema", str(schema_file), "--baseline", TRAIN,
                 "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["summary"]["baseline_rows"] == 5000
    assert any(f["code"] == "distribution_drift" for f in doc["findings"])


def test_schema_update_prints_a_diff_and_accepts_the_data(runner: CliRunner, schema_file: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    drifted = str(SAMPLE / "loans_drifted.csv")
    result = runner.invoke(app, ["schema", "update", str(schema_file), drifted, "-o", str(new)])
    assert result.exit_code == 0, result.output
    assert "+          \"NV\"," in result.stderr and "---" in result.stderr
    assert Schema.load(new).column("state").domain.values.count("NV") == 1
    assert run(runner, drifted, "--schema", str(new), "--fail-on", "warning").exit_code == 0
    same = runner.invoke(app, ["schema", "update", str(schema_file), CLEAN])
    assert same.exit_code == 0 and "no change" in same.stderr
    assert Schema.loads(same.stdout) == Schema.load(schema_file)


def test_help_documents_the_options(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    for option in ("--schema", "--baseline", "--env", "--format", "--fail-on", "--max-examples", "--output"):
        assert option in result.stdout


def test_python_m_smoke(schema_file: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "datacheck", "validate", BROKEN, "--schema", str(schema_file),
                           "--format", "github"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 1
    assert done.stdout.startswith("::error ")


def test_html_output_shows_findings_and_the_statistics_of_the_same_scan(runner: CliRunner, schema_file: Path,
                                                                        tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run(runner, BROKEN, "--schema", str(schema_file), "-o", str(page))
    assert result.exit_code == 1
    text = page.read_text()
    # Findings (with their fix) and per-column figures are both embedded in the page's data block.
    assert "not_unique" in text and "has_cosigner" in text and "fix" in text
    assert '"rows":2000' in text.replace(" ", "")
