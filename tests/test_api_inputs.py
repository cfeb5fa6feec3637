"""Python API inputs that used to crash: mixed-type pandas object columns, and a schema given as a path."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import datacheck
from datacheck.errors import InputError, SchemaFileError, UsageError


def _mixed() -> pd.DataFrame:
    return pd.DataFrame({"fine": [1, 2], "mixed": pd.Series(["a", 1.5], dtype=object)})


@pytest.mark.parametrize("call", ["profile", "validate", "drift"])
def test_mixed_object_column_is_an_input_error_naming_the_column(call: str) -> None:
    frame = _mixed()
    schema = datacheck.infer_schema(datacheck.profile(pl.DataFrame({"fine": [1, 2], "mixed": ["a", "b"]})))
    with pytest.raises(InputError) as caught:
        if call == "profile":
            datacheck.profile(frame)
        elif call == "validate":
            datacheck.validate(frame, schema)
        else:
            datacheck.drift(frame, frame)
    message = str(caught.value)
    assert "'mixed'" in message and "float" in message and "str" in message
    assert "'fine'" not in message


def test_object_columns_of_one_type_still_convert() -> None:
    frame = pd.DataFrame({"text": pd.Series(["a", None, "c"], dtype=object)})
    stats = datacheck.profile(frame)
    column = stats.column("text")
    assert stats.num_rows == 3 and column is not None and column.null_count == 1


def _write_schema(tmp_path: Path) -> Path:
    frame = pl.DataFrame({"x": [1, 2, 3]})
    path = tmp_path / "schema.json"
    datacheck.infer_schema(datacheck.profile(frame)).dump(path)
    return path


def test_validate_accepts_a_schema_path(tmp_path: Path) -> None:
    path = _write_schema(tmp_path)
    data = tmp_path / "data.csv"
    data.write_text("x\n1\n2\n3\n")
    assert datacheck.validate(str(data), str(path)).passed
    assert datacheck.validate(pl.DataFrame({"x": [1, 2, 3]}), path).passed
    failing = datacheck.validate(pl.DataFrame({"y": [1, 2, 3]}), path)
    assert not failing.passed


def test_drift_accepts_a_schema_path(tmp_path: Path) -> None:
    path = _write_schema(tmp_path)
    frame = pl.DataFrame({"x": [1, 2, 3] * 50})
    assert datacheck.drift(frame, frame, schema=str(path)).passed


def test_missing_or_invalid_schema_file_is_a_schema_file_error(tmp_path: Path) -> None:
    frame = pl.DataFrame({"x": [1, 2, 3]})
    with pytest.raises(SchemaFileError):
        datacheck.validate(frame, str(tmp_path / "absent.json"))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"format": "datacheck.schema", "columns": 3}))
    with pytest.raises(SchemaFileError):
        datacheck.validate(frame, broken)
    with pytest.raises(SchemaFileError):
        datacheck.drift(frame, frame, schema=str(tmp_path / "absent.json"))


def test_other_schema_objects_are_a_usage_error() -> None:
    with pytest.raises(UsageError):
        datacheck.validate(pl.DataFrame({"x": [1]}), {"columns": []})  # type: ignore[arg-type]


def test_every_public_name_resolves_from_the_package() -> None:
    """`datacheck.X` for every name in `__all__` loads (the exports are lazy: a typo in a module path would only
    show when a user first touches the name)."""
    import importlib

    import datacheck

    for name in datacheck.__all__:
        module = importlib.import_module(datacheck._EXPORTS[name])
        assert getattr(datacheck, name) is getattr(module, name), name
