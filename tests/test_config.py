"""The configuration file: found from the working directory upward, its settings the commands' defaults, flags
winning, every key checked against schemas/config.schema.json, and `datacheck config` saying where each
setting came from.

Each expectation is the same command run with the equivalent flags and no configuration (`--no-config`), so a
setting that does not arrive, or arrives changed, shows as a difference.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.cli.config_cmd import command_tree, options_of, table_name
from datacheck.config import Config, command_tables, find, load

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
TRAIN, BROKEN, DRIFTED = (str(SAMPLE / f"loans_{name}.csv") for name in ("train", "broken", "drifted"))
runner = CliRunner()


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a schema at its root; the tests run from a directory two levels below it."""
    result = runner.invoke(app, ["--no-config", "infer", TRAIN, "-o", str(tmp_path / "schema.json")])
    assert result.exit_code == 0, result.output
    below = tmp_path / "pipelines" / "daily"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_nearest_file_applies_and_datacheck_toml_wins_in_its_directory(project: Path) -> None:
    assert find() is None  # the test's own directories hold no configuration
    _write(project / "pyproject.toml", '[project]\nname = "x"\n')
    assert find() is None  # a pyproject.toml without [tool.datacheck] is not a configuration
    _write(project / "pyproject.toml", '[project]\nname = "x"\n[tool.datacheck]\nfail-on = "warning"\n')
    assert find() == project / "pyproject.toml"
    _write(project / "datacheck.toml", 'fail-on = "error"\n')
    assert find() == project / "datacheck.toml"
    nearer = _write(project / "pipelines" / "pyproject.toml", '[tool.datacheck]\nengine = "threads"\n')
    assert find() == nearer
    assert load(nearer) == Config(path=nearer, table="[tool.datacheck]", shared={"engine": "threads"}, commands={})


def test_settings_are_defaults_paths_are_relative_to_the_file_and_flags_win(project: Path) -> None:
    _write(project / "pyproject.toml", """
[tool.datacheck]
schema = "schema.json"
fail-on = "warning"

[tool.datacheck.validate]
format = "json"
max-examples = 2
""")
    configured = runner.invoke(app, ["validate", BROKEN])
    flags = runner.invoke(app, ["--no-config", "validate", BROKEN, "--schema", str(project / "schema.json"),
                                "--fail-on", "warning", "--format", "json", "--max-examples", "2"])
    assert configured.exit_code == flags.exit_code == 1
    assert configured.stdout == flags.stdout
    assert max(len(f["examples"]) for f in json.loads(configured.stdout)["findings"]) == 2
    # Flags win over the file: --format and --max-examples given again.
    table = runner.invoke(app, ["validate", BROKEN, "--format", "markdown", "--max-examples", "0"])
    reference = runner.invoke(app, ["--no-config", "validate", BROKEN, "-s", str(project / "schema.json"),
                                    "--fail-on", "warning", "--format", "markdown", "--max-examples", "0"])
    assert table.stdout == reference.stdout and table.stdout.startswith("### ")


def test_fail_on_from_the_file_changes_the_exit_code(project: Path) -> None:
    """A column the schema does not know is a warning: exit 0 at the default --fail-on error, 1 at warning."""
    import polars as pl

    data = project / "extra.csv"
    pl.read_csv(SAMPLE / "loans_clean.csv").with_columns(pl.lit(1).alias("extra")).write_csv(data)
    _write(project / "datacheck.toml", 'schema = "schema.json"\n')
    plain = runner.invoke(app, ["validate", str(data), "--format", "json"])
    assert json.loads(plain.stdout)["summary"]["errors"] == 0
    assert json.loads(plain.stdout)["summary"]["warnings"] == 1
    _write(project / "datacheck.toml", 'schema = "schema.json"\nfail-on = "warning"\n')
    strict = runner.invoke(app, ["validate", str(data), "--format", "json"])
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert strict.stdout == plain.stdout
    assert runner.invoke(app, ["validate", str(data), "--fail-on", "error"]).exit_code == 0  # the flag wins


def test_outputs_and_repeatable_options_from_the_file(project: Path) -> None:
    _write(project / "datacheck.toml", """
null-value = ["N/A"]

[validate]
schema = "schema.json"
output = ["reports/report.json", "reports/summary.md"]

[drift]
threshold = [0.2, "categorical=0.1"]
method = ["numeric=psi"]
""")
    (project / "reports").mkdir()
    result = runner.invoke(app, ["validate", BROKEN])
    assert result.exit_code == 1 and result.stdout == ""
    reference = runner.invoke(app, ["--no-config", "validate", BROKEN, "-s", str(project / "schema.json"),
                                    "--null-value", "N/A", "--format", "json"])
    assert (project / "reports" / "report.json").read_text(encoding="utf-8") == reference.stdout
    assert (project / "reports" / "summary.md").read_text(encoding="utf-8").startswith("### ")
    drift = runner.invoke(app, ["drift", TRAIN, DRIFTED, "--format", "json"])
    drift_flags = runner.invoke(app, ["--no-config", "drift", TRAIN, DRIFTED, "--format", "json", "--null-value",
                                      "N/A", "--threshold", "0.2", "--threshold", "categorical=0.1",
                                      "--method", "numeric=psi"])
    assert drift.exit_code == drift_flags.exit_code and drift.stdout == drift_flags.stdout
    columns = {c["column"]: c for c in json.loads(drift.stdout)["columns"]}
    assert (columns["age"]["method"], columns["age"]["threshold"]) == ("psi", 0.2)
    assert (columns["state"]["method"], columns["state"]["threshold"]) == ("linf", 0.1)


@pytest.mark.parametrize(("text", "where", "message"), [
    ('[tool.datacheck]\nfail-on = "warn"\n', "[tool.datacheck] fail-on", "'warn' is not one of"),
    ('[tool.datacheck.stats]\nfail-on = "error"\n', "[tool.datacheck.stats]", "'fail-on' was unexpected"),
    ('[tool.datacheck.validate]\nmax-examples = -1\n', "[tool.datacheck.validate] max-examples", "less than"),
    ('[tool.datacheck]\nnull-value = "NA"\n', "[tool.datacheck] null-value", "is not of type 'array'"),
    ('[tool.datacheck]\nfail_on = "error"\n', "[tool.datacheck]", "'fail_on' was unexpected"),
    ('[tool.datacheck\n', "pyproject.toml", "not valid TOML"),
])
def test_a_bad_file_is_an_error_naming_the_file_and_key(project: Path, text: str, where: str, message: str) -> None:
    _write(project / "pyproject.toml", text)
    for argv in (["stats", TRAIN], ["config"], ["validate", BROKEN, "-s", "x.json"]):
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, (argv, result.output)
        assert str(project / "pyproject.toml") in result.stderr
        assert where in result.stderr and message in result.stderr, result.stderr
        assert "Traceback" not in result.output and result.stdout == ""


def test_the_config_command_says_where_each_setting_came_from(project: Path) -> None:
    config = _write(project / "pyproject.toml", """
[tool.datacheck]
fail-on = "warning"
engine = "threads"

[tool.datacheck.validate]
engine = "processes"
""")
    result = runner.invoke(app, ["config", "validate"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.startswith("  --")}
    assert rows["--fail-on"][1:] == ["warning", str(config), "[tool.datacheck]"]
    assert rows["--engine"][1:] == ["processes", str(config), "[tool.datacheck.validate]"]
    assert rows["--max-examples"][1:] == ["5", "default"]
    stats = runner.invoke(app, ["config", "stats"])
    stats_rows = {line.split()[0]: line.split() for line in stats.stdout.splitlines() if line.startswith("  --")}
    assert stats_rows["--engine"][1:] == ["threads", str(config), "[tool.datacheck]"]
    assert "--fail-on" not in stats_rows  # stats has no such option
    assert runner.invoke(app, ["config", "nonesuch"]).exit_code == 2


def test_a_config_file_is_data_nothing_in_it_runs(project: Path) -> None:
    marker = project / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    _write(project / "datacheck.toml", f'env = "{code}"\n[validate]\nschema = "$(touch {marker})"\n')
    result = runner.invoke(app, ["config", "validate"])
    assert result.exit_code == 0 and code in result.stdout
    assert runner.invoke(app, ["validate", BROKEN]).exit_code == 2  # no such schema file, named as written
    assert not marker.exists()


# ---------------------------------------------------------------- the JSON Schema follows the commands


def test_the_json_schema_file_is_the_one_the_commands_give() -> None:
    """schemas/config.schema.json is written from the commands' options: after adding an option or a command,
    run `python scripts/config_schema.py`."""
    from datacheck.cli.config_schema import config_json_schema

    group = typer.main.get_command(app)
    on_disk = json.loads((ROOT / "schemas" / "config.schema.json").read_text(encoding="utf-8"))
    assert on_disk == config_json_schema(group), "run: python scripts/config_schema.py"
    # Every command with options has its table, holding exactly its options.
    for path, command in command_tree(group):
        options = options_of(command)
        if options and path != ("config",):
            assert set(on_disk["properties"][table_name(path)]["properties"]) == set(options), path
    # What a user reads, written out by hand: the choices and the path options of the sample commands.
    validate = on_disk["properties"]["validate"]["properties"]
    assert validate["format"]["enum"] == ["table", "json", "markdown", "junit", "github", "html"]
    assert validate["fail-on"]["enum"] == ["error", "warning"]
    assert validate["engine"]["enum"] == ["local", "threads", "processes", "dask"]
    assert validate["max-examples"] == {"type": "integer", "minimum": 0, "description": validate["max-examples"][
        "description"]}
    assert on_disk["properties"]["schema"]["format"] == "path"
    assert "output" not in on_disk["properties"] and "format" not in on_disk["properties"]
    assert {"stats", "infer", "validate", "drift", "merge", "schema-update"} <= set(command_tables())


def test_config_prints_where_the_json_schemas_are_for_editor_mappings(project: Path) -> None:
    """docs/editors.md maps schema files to the installed JSON Schema that `datacheck config` points to: that
    file checks what `infer` writes, and catches a misspelt key as an editor would show it."""
    import jsonschema

    result = runner.invoke(app, ["config"])
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("JSON Schemas of datacheck's files")]
    directory = Path(line.rsplit(": ", 1)[1])
    document = json.loads((project / "schema.json").read_text(encoding="utf-8"))
    assert "$schema" not in document  # no URL for editors to fetch and fail on
    validator = jsonschema.Draft202012Validator(json.loads((directory / "schema.schema.json").read_text()))
    assert list(validator.iter_errors(document)) == []
    document["columns"][0]["requird"] = True
    assert ["'requird' was unexpected" in e.message for e in validator.iter_errors(document)] == [True]
    config = jsonschema.Draft202012Validator(json.loads((directory / "config.schema.json").read_text()))
    assert list(config.iter_errors({"fail-on": "warning", "validate": {"output": ["a.json"]}})) == []
