"""TFDV schema import and export: hand-written protos mapped field by field, the round trip, the stderr list of
unmapped fields, the missing-extra message, and the taxi anomalies TFDV's rules give, column by column."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datacheck.checks import validate
from datacheck.cli import app
from datacheck.errors import UsageError
from datacheck.schema import ColumnSchema, DatasetConstraints, Domain, Drift, Environment, Range, Schema

schema_pb2 = pytest.importorskip("tensorflow_metadata.proto.v0.schema_pb2")
from google.protobuf import text_format  # noqa: E402

from datacheck.tfdv_schema import schema_from_tfdv, schema_to_tfdv, tfdv_schema_text  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
TAXI_SCHEMA = SHARED / "chicago_taxi_tfx" / "tfx_reference_outputs" / "schema.pbtxt"

PROTO = """
feature { name: "fare" type: FLOAT presence { min_fraction: 0.9 min_count: 1 }
          float_domain { min: 0.0 max: 500.0 disallow_nan: true }
          drift_comparator { jensen_shannon_divergence { threshold: 0.02 } } }
feature { name: "hour" type: INT value_count { min: 1 max: 1 } int_domain { min: 0 max: 23 }
          skew_comparator { infinity_norm { threshold: 0.05 } } }
feature { name: "payment" type: BYTES domain: "payment" presence { min_fraction: 1.0 }
          distribution_constraints { min_domain_mass: 0.95 }
          drift_comparator { infinity_norm { threshold: 0.01 } normalized_abs_difference { threshold: 0.3 } } }
feature { name: "flag" type: INT bool_domain { } }
feature { name: "tips" type: FLOAT not_in_environment: "SERVING" }
feature { name: "img" type: BYTES image_domain { } }
string_domain { name: "payment" value: "Credit Card" value: "Cash" }
default_environment: "TRAINING"
default_environment: "SERVING"
dataset_constraints { min_examples_count: 10 num_examples_drift_comparator { min_fraction_threshold: 0.8
                                                                               max_fraction_threshold: 1.2 } }
"""


def _proto(text: str):
    return text_format.Parse(text, schema_pb2.Schema())


def test_import_maps_each_field() -> None:
    conversion = schema_from_tfdv(_proto(PROTO))
    schema = conversion.schema
    fare, hour, payment, flag, tips, img = schema.columns
    assert (fare.type, fare.max_null_fraction, fare.allow_nan, fare.allow_inf) == ("float", 0.1, False, True)
    assert fare.range == Range(min=0.0, max=500.0)
    assert fare.drift == Drift("jensen_shannon", 0.02)
    assert (hour.type, hour.max_null_fraction, hour.range) == ("integer", 0.0, Range(min=0, max=23))
    assert hour.drift == Drift("l_infinity", 0.05)
    assert payment.type == "categorical"
    assert payment.domain == Domain(("Cash", "Credit Card"), 0.95)
    assert payment.drift == Drift("l_infinity", 0.01)
    assert (flag.type, flag.stored_as) == ("boolean", "integer")
    assert tips.max_null_fraction is None and img.type == "string"
    assert schema.environments == {"SERVING": Environment(None, ("tips",)), "TRAINING": Environment(None, ())}
    assert schema.default_environment == "TRAINING"
    assert schema.dataset == DatasetConstraints(min_rows=10, max_rows=None, max_row_count_change=0.2)
    notes = "\n".join(conversion.unmapped)
    # Every field without an equivalent is named: nothing is dropped silently.
    for expected in ("normalized_abs_difference (threshold 0.3) not imported", "'hour': skew_comparator imported",
                     "'img': field image_domain", "default_environment lists 2 environments"):
        assert expected in notes
    assert len(conversion.unmapped) == 4


def test_round_trip_keeps_what_both_express() -> None:
    schema = Schema(
        columns=(
            ColumnSchema("fare", "float", max_null_fraction=0.05, allow_nan=False, allow_inf=True,
                         range=Range(min=0.0, max=1000.0), drift=Drift("jensen_shannon", 0.1)),
            ColumnSchema("hour", "integer", max_null_fraction=0.0, range=Range(min=0, max=23)),
            ColumnSchema("kind", "categorical", max_null_fraction=0.25, domain=Domain(("a", "b", "c"), 0.9),
                         drift=Drift("l_infinity", 0.03)),
            ColumnSchema("flag", "boolean", stored_as="integer"),
            ColumnSchema("label", "float", allow_nan=True, allow_inf=True,
                         drift=Drift("normalized_abs_difference", 0.2)),
        ),
        dataset=DatasetConstraints(min_rows=5, max_rows=100, max_row_count_change=0.5),
        environments={"serving": Environment(None, ("label",)), "training": Environment(None, ())},
        default_environment="training",
    )
    exported = schema_to_tfdv(schema)
    assert exported.unmapped == ()
    text = tfdv_schema_text(exported.schema)
    back = schema_from_tfdv(text_format.Parse(text, schema_pb2.Schema()))
    assert back.unmapped == ()
    assert back.schema == schema


def test_export_names_what_tfdv_cannot_hold() -> None:
    schema = Schema((ColumnSchema("name", "string", pattern="^[A-Z]", unique=True),
                     ColumnSchema("x", "float", range=Range(warn_min=1.0), drift=Drift("psi", 0.2))))
    notes = schema_to_tfdv(schema).unmapped
    assert notes == ("column 'name': unique has no TFDV equivalent; not exported",
                     "column 'name': pattern has no TFDV equivalent; not exported",
                     "column 'x': range.warn_min has no TFDV equivalent; not exported",
                     "column 'x': drift method psi has no TFDV comparator (TFDV has L-infinity, Jensen-Shannon and "
                     "normalized absolute difference); not exported")


def test_cli_import_lists_unmapped_on_stderr_and_export_writes_pbtxt(tmp_path: Path) -> None:
    source = tmp_path / "schema.pbtxt"
    source.write_text(PROTO)
    runner = CliRunner()
    result = runner.invoke(app, ["schema", "import", str(source), "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "not mapped: feature 'img': field image_domain" in result.stderr
    assert Schema.load(tmp_path / "s.json").column("hour").range == Range(min=0, max=23)
    result = runner.invoke(app, ["schema", "export", str(tmp_path / "s.json"), "--to", "tfdv"])
    assert result.exit_code == 0, result.output
    reparsed = text_format.Parse(result.stdout, schema_pb2.Schema())
    assert [f.name for f in reparsed.feature] == ["fare", "hour", "payment", "flag", "tips", "img"]
    bad = tmp_path / "bad.pbtxt"
    bad.write_text("feature { nme: 1 }")
    result = runner.invoke(app, ["schema", "import", str(bad)])
    assert result.exit_code == 2 and "not a text-format TFDV Schema" in result.stderr


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from datacheck import tfdv_proto

    monkeypatch.setitem(sys.modules, "tensorflow_metadata.proto.v0", None)
    with pytest.raises(UsageError) as caught:
        tfdv_proto.modules()
    assert "pip install 'datacheck-cli[tfdv]'" in str(caught.value)
    result = CliRunner().invoke(app, ["schema", "import", str(TAXI_SCHEMA)])
    assert result.exit_code == 2 and "datacheck-cli[tfdv]" in result.stderr
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "loans_train.csv"
    result = CliRunner().invoke(app, ["stats", str(sample), "--format", "tfdv"])
    assert result.exit_code == 2 and "datacheck-cli[tfdv]" in result.stderr and result.stdout == ""


# ------------------------------------------------------------------ the taxi schema against TFDV's rules

TAXI_FILES = [SHARED / "chicago_taxi_tfx" / "data.csv", SHARED / "chicago_taxi_tfx" / "data2_testdata.csv",
              *(SHARED / "chicago_taxi_tfdv" / f"{n}.csv" for n in ("train", "eval", "serving"))]
#: TFDV's anomaly types, and the datacheck codes that report the same thing.
SAME = {"SCHEMA_MISSING_COLUMN": {"missing_column", "column_not_present"},
        "FEATURE_TYPE_LOW_FRACTION_PRESENT": {"too_many_nulls"},
        "ENUM_TYPE_UNEXPECTED_STRING_VALUES": {"unexpected_value", "domain_mass_too_low"}}


def tfdv_rules(path: Path, proto) -> set[tuple[str, str]]:
    """The anomalies TFDV's validation gives for `proto` on a CSV read as tfdv.generate_statistics_from_csv
    reads it (an empty cell is a missing feature), by a plain count over the rows: a feature absent or never
    present (SCHEMA_MISSING_COLUMN), present in fewer than min_fraction of the rows, a string outside its
    domain, and an INT feature with values that parse only as floats (UNEXPECTED_DATA_TYPE)."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    domains = {d.name: set(d.value) for d in proto.string_domain}
    found = set()
    for feature in proto.feature:
        name = feature.name
        values = [r[name] for r in rows if r.get(name, "") != ""]
        if not rows or name not in rows[0] or not values:
            found.add((name, "SCHEMA_MISSING_COLUMN"))
            continue
        if len(values) / len(rows) < feature.presence.min_fraction:
            found.add((name, "FEATURE_TYPE_LOW_FRACTION_PRESENT"))
        if feature.domain and any(v not in domains[feature.domain] for v in values):
            found.add((name, "ENUM_TYPE_UNEXPECTED_STRING_VALUES"))
        if feature.type == schema_pb2.INT and any(not v.lstrip("-").isdigit() for v in values):
            found.add((name, "UNEXPECTED_DATA_TYPE"))
    return found


@pytest.mark.skipif(not TAXI_SCHEMA.exists(), reason="no public data folder beside the checkout")
@pytest.mark.parametrize("path", TAXI_FILES, ids=lambda p: p.name)
def test_taxi_anomalies_match_tfdv_rules(path: Path) -> None:
    proto = text_format.Parse(TAXI_SCHEMA.read_text(), schema_pb2.Schema())
    conversion = schema_from_tfdv(proto)
    assert conversion.unmapped == ()
    report = validate(str(path), conversion.schema)
    ours = {(f.column, f.code) for f in report.findings}
    expected = tfdv_rules(path, proto)
    translated = {(column, tfdv) for column, tfdv in expected if tfdv in SAME}
    assert {(c, t) for c, t in translated for code in SAME[t] if (c, code) in ours} == translated
    assert {(c, code) for c, code in ours if not any((c, t) in translated and code in SAME[t] for t in SAME)} == set()
    # datacheck reads whole floats ("480.0") as integers on purpose (pandas writes integers with gaps that way);
    # TFDV's CSV reader calls them floats. Only data2_testdata.csv writes integers so.
    type_columns = {c for c, t in expected if t == "UNEXPECTED_DATA_TYPE"}
    assert bool(type_columns) == (path.name == "data2_testdata.csv")
    print(json.dumps({"file": path.name, "tfdv": sorted(expected), "datacheck": sorted(ours)}))
