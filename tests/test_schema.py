"""The Schema model: round trips, deterministic output, and every kind of schema-file error with its message."""

from __future__ import annotations

import dataclasses
import json

import pytest

from datacheck.errors import SchemaFileError, UsageError
from datacheck.jsonschemas import load_json_schema, schema_errors
from datacheck.schema import (
    SCHEMA_ID,
    ColumnSchema,
    DatasetConstraints,
    Domain,
    Drift,
    Environment,
    LengthBounds,
    Range,
    Schema,
)


def full_schema() -> Schema:
    """A schema that sets every field somewhere."""
    return Schema(
        columns=(
            ColumnSchema("trip_id", "string", required=True, max_null_fraction=0.0, warn_max_null_fraction=0.0,
                         unique=True, length=LengthBounds(min=8, max=8), pattern=r"^[A-Z0-9]{8}$",
                         description="trip key"),
            ColumnSchema("fare", "float", max_null_fraction=0.01, warn_max_null_fraction=0.002, allow_nan=False,
                         allow_inf=True, range=Range(min=0, max=None, warn_min=0.0, warn_max=700.07, min_mass=0.99),
                         drift=Drift("jensen_shannon", 0.1)),
            ColumnSchema("payment_type", "categorical", domain=Domain(("Cash", "Credit Card"), 0.99),
                         severity={"unexpected_value": "error", "drift": "off"}),
            ColumnSchema("tipped", "boolean", stored_as="string", domain=Domain(("no", "yes"))),
            ColumnSchema("day", "date", stored_as="string", format="%Y-%m-%d",
                         range=Range(warn_min="2020-01-01", warn_max="2020-12-31")),
            ColumnSchema("ts", "datetime", range=Range(min="2000-01-01T00:00:00", warn_max="2030-01-01T00:00:00")),
            ColumnSchema("tips", "float", required=True),
        ),
        dataset=DatasetConstraints(min_rows=1, max_rows=1_000_000, max_row_count_change=0.5),
        environments={"training": Environment(), "serving": Environment(excluded=("tips",))},
        default_environment="training",
    )


def test_round_trip_through_dict_and_text():
    schema = full_schema()
    assert Schema.from_dict(schema.to_dict()) == schema
    assert Schema.loads(schema.dumps()) == schema


def test_dump_then_load_file(tmp_path):
    schema = full_schema()
    path = tmp_path / "schema.json"
    schema.dump(path)
    assert Schema.load(path) == schema
    # Deterministic: the same schema gives the same bytes.
    first = path.read_bytes()
    schema.dump(path)
    assert path.read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name != "schema.json"], "no temporary file left behind"


def test_dumped_document_passes_its_json_schema_and_starts_with_header():
    doc = full_schema().to_dict()
    assert schema_errors(doc, "schema") == []
    assert list(doc)[:2] == ["format", "version"]
    # No "$schema": its URL is an identifier no server answers, and editors that fetch it fail (docs/editors.md).
    assert "$schema" not in doc and SCHEMA_ID == load_json_schema("schema")["$id"]
    assert Schema.from_dict({"$schema": SCHEMA_ID, **doc}) == Schema.from_dict(doc)  # older files still load
    assert doc["format"] == "datacheck.schema" and doc["version"] == 1
    # Columns stay in data order, environments are sorted by name.
    assert [c["name"] for c in doc["columns"]] == ["trip_id", "fare", "payment_type", "tipped", "day", "ts", "tips"]
    assert list(doc["environments"]) == ["serving", "training"]


def test_column_key_order_is_fixed_and_unset_sections_are_omitted():
    fare = full_schema().column("fare").to_dict()
    assert list(fare) == ["name", "type", "required", "max_null_fraction", "warn_max_null_fraction", "unique",
                          "allow_nan", "allow_inf", "range", "drift"]
    assert list(fare["range"]) == ["min", "max", "warn_min", "warn_max", "min_mass"]
    minimal = ColumnSchema("x", "integer").to_dict()
    # Explicit where it matters for editing (null is written), compact where a section does not apply.
    assert minimal == {"name": "x", "type": "integer", "required": True, "max_null_fraction": None,
                       "warn_max_null_fraction": None, "unique": False}
    # Severity overrides come out sorted whatever order they were given in.
    assert list(full_schema().column("payment_type").to_dict()["severity"]) == ["drift", "unexpected_value"]


def test_schema_is_hashable_and_immutable():
    schema = full_schema()
    assert hash(schema) == hash(full_schema())
    with pytest.raises(dataclasses.FrozenInstanceError):
        schema.columns[0].name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        schema.column("payment_type").severity["x"] = "error"  # type: ignore[index]


def test_constructor_rejects_unknown_type_and_bad_fractions():
    with pytest.raises(ValueError, match="unknown column type 'int'"):
        ColumnSchema("x", "int")
    with pytest.raises(ValueError, match="max_null_fraction"):
        ColumnSchema("x", "integer", max_null_fraction=1.5)
    with pytest.raises(ValueError, match="domain.min_mass"):
        Domain(("a",), min_mass=-0.1)


def test_expected_columns_per_environment():
    schema = full_schema()
    everything = ["trip_id", "fare", "payment_type", "tipped", "day", "ts", "tips"]
    assert schema.expected_columns() == everything  # default_environment = training
    assert schema.expected_columns("serving") == everything[:-1]
    only = dataclasses.replace(schema, environments={"lite": Environment(expected=("fare", "tips"), excluded=("tips",))},
                               default_environment=None)
    assert only.expected_columns("lite") == ["fare"]
    assert only.expected_columns() == everything
    with pytest.raises(UsageError, match="no environment 'prod'"):
        schema.expected_columns("prod")


def test_nullable_property():
    assert ColumnSchema("x", "integer", max_null_fraction=0.0).nullable is False
    assert ColumnSchema("x", "integer", max_null_fraction=0.1).nullable is True
    assert ColumnSchema("x", "integer").nullable is True


# -- loading errors, one by one ------------------------------------------------------------------------------

def write(tmp_path, text: str):
    path = tmp_path / "schema.json"
    path.write_text(text, encoding="utf-8")
    return path


def good_doc() -> dict:
    return full_schema().to_dict()


def test_invalid_json_reports_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "format": "datacheck.schema",\n  "version": 1\n  "columns": []\n}\n')
    with pytest.raises(SchemaFileError) as info:
        Schema.load(path)
    assert (info.value.line, info.value.column) == (4, 3)
    assert str(info.value).startswith(f"{path}:4:3: not valid JSON: Expecting ',' delimiter")


def test_wrong_type_is_reported_with_its_json_path_and_the_file_name(tmp_path):
    doc = good_doc()
    doc["columns"][1]["max_null_fraction"] = "low"
    path = write(tmp_path, json.dumps(doc))
    with pytest.raises(SchemaFileError) as info:
        Schema.load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid schema file, 1 error:")
    assert "$.columns[1].max_null_fraction: 'low' is not of type 'number', 'null'" in message


def test_every_error_is_listed(tmp_path):
    doc = good_doc()
    doc["columns"][0]["type"] = "text"
    doc["columns"][1]["range"]["min_mass"] = 2
    doc["columns"][2]["colour"] = "red"
    del doc["columns"][3]["name"]
    with pytest.raises(SchemaFileError) as info:
        Schema.loads(json.dumps(doc), source="mine.json")
    message = str(info.value)
    assert message.startswith("mine.json: invalid schema file, 4 errors:")
    for fragment in ("$.columns[0].type: 'text' is not one of",
                     "$.columns[1].range.min_mass: 2 is greater than the maximum of 1",
                     "$.columns[2]: Additional properties are not allowed ('colour' was unexpected)",
                     "$.columns[3]: 'name' is a required property"):
        assert fragment in message


def test_unknown_newer_version_says_to_upgrade(tmp_path):
    doc = good_doc()
    doc["version"] = 2
    doc["columns"][0]["a_field_from_the_future"] = True
    with pytest.raises(SchemaFileError) as info:
        Schema.loads(json.dumps(doc), source="new.json")
    assert str(info.value) == ("new.json: schema version 2 is newer than this datacheck understands (version 1)\n"
                               "  hint: upgrade datacheck: pip install -U datacheck-cli")


def test_version_zero_and_missing_required_keys(tmp_path):
    with pytest.raises(SchemaFileError, match=r"\$\.version: 1 was expected"):
        Schema.loads('{"format": "datacheck.schema", "version": 0, "columns": []}')
    with pytest.raises(SchemaFileError) as info:
        Schema.loads('{"format": "datacheck.schema"}', source="s.json")
    assert "$: 'columns' is a required property" in str(info.value)
    assert "$: 'version' is a required property" in str(info.value)
    assert "2 errors" in str(info.value)


def test_wrong_format_and_not_an_object():
    with pytest.raises(SchemaFileError, match="this is a statistics file"):
        Schema.loads('{"format": "datacheck.statistics", "version": 1, "columns": []}')
    with pytest.raises(SchemaFileError, match="a schema file is a JSON object, found an array"):
        Schema.loads("[]")


def test_missing_file(tmp_path):
    with pytest.raises(SchemaFileError, match="no such schema file") as info:
        Schema.load(tmp_path / "nope.json")
    assert "datacheck infer" in str(info.value)


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d["columns"].append(dict(d["columns"][0])), "$.columns[7].name: duplicate column 'trip_id' (also at $.columns[0])"),
    (lambda d: d["columns"][1]["range"].update(warn_min=800.0), "$.columns[1].range: warn_min (800.0) is greater than warn_max (700.07)"),
    (lambda d: d["columns"][4]["range"].update(warn_max="2020-13-01"), "$.columns[4].range.warn_max: '2020-13-01' is not an ISO 8601 date"),
    (lambda d: d["columns"][1]["range"].update(max="lots"), "$.columns[1].range.max: 'lots' is text; a float range takes numbers"),
    (lambda d: d["columns"][0].update(pattern="(["), "$.columns[0].pattern: not a valid regular expression"),
    (lambda d: d["columns"][2].update(range={"min": 0}), "$.columns[2].range: a range applies to numeric and temporal columns, not categorical"),
    (lambda d: d["columns"][0]["length"].update(min=9), "$.columns[0].length: min is greater than max"),
    (lambda d: d["environments"]["serving"]["excluded"].append("label"), "$.environments.serving.excluded[1]: 'label' is not a column"),
    (lambda d: d.update(default_environment="prod"), "$.default_environment: 'prod' is not one of the environments"),
    (lambda d: d["dataset"].update(min_rows=10, max_rows=5), "$.dataset: min_rows is greater than max_rows"),
    (lambda d: d["columns"][1]["severity"].update(not_unique="fatal") if "severity" in d["columns"][1]
     else d["columns"][1].update(severity={"not_unique": "fatal"}), "$.columns[1].severity.not_unique: 'fatal' is not one of"),
])
def test_cross_field_rules(mutate, fragment):
    doc = good_doc()
    mutate(doc)
    with pytest.raises(SchemaFileError) as info:
        Schema.loads(json.dumps(doc))
    assert fragment in str(info.value)


def test_minimal_hand_written_schema_gets_defaults():
    schema = Schema.loads('{"format": "datacheck.schema", "version": 1, '
                          '"columns": [{"name": "a", "type": "integer"}]}')
    assert schema == Schema(columns=(ColumnSchema("a", "integer"),))
    assert schema.dataset == DatasetConstraints(min_rows=1)
    assert schema.columns[0].required is True and schema.columns[0].unique is False
