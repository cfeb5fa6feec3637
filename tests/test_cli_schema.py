"""`datacheck infer`, `datacheck schema check` and `datacheck schema show` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.infer import infer_schema
from datacheck.jsonschemas import schema_errors
from datacheck.schema import Environment, Schema
from datacheck.statistics import Statistics

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "loans_train.csv"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def small_csv(tmp_path) -> Path:
    path = tmp_path / "data.csv"
    pl.DataFrame({
        "id": list(range(1, 61)),
        "colour": ["red", "green", "blue"] * 20,
        "score": [i / 100 for i in range(60)],
        "label": ["yes", "no"] * 30,
    }).write_csv(path)
    return path


def test_infer_writes_a_valid_schema_and_summarises_it(runner, small_csv, tmp_path):
    out = tmp_path / "schema.json"
    result = runner.invoke(app, ["infer", str(small_csv), "-o", str(out), "--exclude-in", "serving=label"])
    assert result.exit_code == 0, result.output
    assert "Inferred 4 columns" in result.stderr and f"wrote {out}" in result.stderr
    assert result.stdout == ""  # the schema went to the file
    doc = json.loads(out.read_text())
    assert schema_errors(doc, "schema") == []
    schema = Schema.load(out)
    assert schema.column_names == ["id", "colour", "score", "label"]
    assert [c.type for c in schema.columns] == ["integer", "categorical", "float", "boolean"]
    assert schema.column("id").unique is True
    assert schema.environments == {"serving": Environment(excluded=("label",))}


def test_infer_to_stdout_prints_only_the_schema(runner, small_csv):
    result = runner.invoke(app, ["infer", str(small_csv)])
    assert result.exit_code == 0, result.output
    schema = Schema.loads(result.stdout)  # stdout parses as a schema: the summary is on stderr
    assert schema.column("colour").domain.values == ("blue", "green", "red")


def test_infer_from_a_saved_statistics_file_matches_the_library(runner, small_csv, tmp_path):
    from datacheck.profile import profile

    stats_path = tmp_path / "stats.json"
    stats = profile(str(small_csv))
    stats_path.write_text(json.dumps(stats.to_dict()))
    result = runner.invoke(app, ["infer", str(stats_path), "--max-domain-size", "2"])
    assert result.exit_code == 0, result.output
    expected = infer_schema(Statistics.from_dict(stats.to_dict()), max_domain_size=2)
    assert json.loads(result.stdout) == expected.to_dict()
    assert Schema.loads(result.stdout).column("colour").type == "string"  # 3 values > --max-domain-size 2


def test_infer_sample_data(runner, tmp_path):
    out = tmp_path / "loans.json"
    result = runner.invoke(app, ["infer", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = Schema.load(out)
    # 5,000 ids: over the exact distinct table's 1,000 values, all-distinct is an estimate, which makes no key.
    assert schema.column("application_id").unique is False
    assert schema.column("state").type == "categorical"
    # Under 10,000 values no single-value error bound: the observed range warns, and the share of values
    # outside it (min_mass) is what catches a unit change.
    rate = schema.column("interest_rate").range
    assert rate.max is None and 0 < rate.warn_max <= 1 and rate.min_mass >= 0.99
    assert schema.column("defaulted").type == "boolean"


def test_infer_bad_exclude_and_missing_input_exit_2(runner, small_csv, tmp_path):
    result = runner.invoke(app, ["infer", str(small_csv), "--exclude-in", "serving"])
    assert result.exit_code == 2 and "is not ENV=COLUMN" in result.stderr
    result = runner.invoke(app, ["infer", str(small_csv), "--exclude-in", "serving=nope"])
    assert result.exit_code == 2 and "the data has no column 'nope'" in result.stderr
    result = runner.invoke(app, ["infer", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 2 and "Error:" in result.stderr
    assert not (tmp_path / "s.json").exists()


# -- schema check ------------------------------------------------------------------------------------------

def schema_file(tmp_path, text: str) -> Path:
    path = tmp_path / "schema.json"
    path.write_text(text, encoding="utf-8")
    return path


def valid_doc() -> dict:
    return json.loads(Schema.loads('{"format": "datacheck.schema", "version": 1, "columns": '
                                   '[{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]}').dumps())


def test_check_valid_file_exits_0(runner, tmp_path):
    path = schema_file(tmp_path, json.dumps(valid_doc()))
    result = runner.invoke(app, ["schema", "check", str(path)])
    assert result.exit_code == 0
    assert f"{path}: valid schema, 2 columns" in result.stderr


def test_check_invalid_json_gives_line_and_column(runner, tmp_path):
    path = schema_file(tmp_path, '{\n  "format": "datacheck.schema",\n  "version": 1,\n  "columns": [,]\n}\n')
    result = runner.invoke(app, ["schema", "check", str(path)])
    assert result.exit_code == 2
    assert f"Error: {path}:4:15: not valid JSON: Expecting value" in result.stderr


def test_check_lists_every_error_with_its_path(runner, tmp_path):
    doc = valid_doc()
    doc["columns"][0]["type"] = "int"
    doc["columns"][1]["max_null_fraction"] = "none"
    path = schema_file(tmp_path, json.dumps(doc))
    result = runner.invoke(app, ["schema", "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}: invalid schema file, 2 errors:" in result.stderr
    assert "$.columns[0].type: 'int' is not one of" in result.stderr
    assert "$.columns[1].max_null_fraction: 'none' is not of type 'number', 'null'" in result.stderr


def test_check_unknown_version_and_missing_key(runner, tmp_path):
    doc = valid_doc()
    doc["version"] = 7
    result = runner.invoke(app, ["schema", "check", str(schema_file(tmp_path, json.dumps(doc)))])
    assert result.exit_code == 2 and "schema version 7 is newer than this datacheck understands" in result.stderr
    doc = valid_doc()
    del doc["columns"]
    result = runner.invoke(app, ["schema", "check", str(schema_file(tmp_path, json.dumps(doc)))])
    assert result.exit_code == 2 and "$: 'columns' is a required property" in result.stderr


def test_check_missing_file(runner, tmp_path):
    result = runner.invoke(app, ["schema", "check", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "no such schema file" in result.stderr


# -- schema show -------------------------------------------------------------------------------------------

def test_show_prints_a_table(runner, small_csv, tmp_path):
    out = tmp_path / "schema.json"
    assert runner.invoke(app, ["infer", str(small_csv), "-o", str(out), "--exclude-in", "serving=label"]).exit_code == 0
    result = runner.invoke(app, ["schema", "show", str(out)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for fragment in ("colour", "categorical", "{blue, green, red}", "key", "boolean (as string)",
                     "environment serving: without label", "4 columns"):
        assert fragment in result.stdout


def test_show_invalid_exits_2(runner, tmp_path):
    result = runner.invoke(app, ["schema", "show", str(schema_file(tmp_path, "[]"))])
    assert result.exit_code == 2 and "a schema file is a JSON object, found an array" in result.stderr
