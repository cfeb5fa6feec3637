"""A temporal column stored as text, without a declared format, judged against its range."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import datacheck

VALUES = ["2024-01-01T10:00:00+02:00", "2024-01-02T10:00:00Z", "2024-01-03 23:30:00", "2024-01-04T10:00",
          "2024-02-10T00:00:00-05:00", "not a time", "2023-12-31T23:00:00+00:00", ""]
LOW, HIGH = dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 31)


def _utc_naive(text: str) -> dt.datetime | None:
    """The reference: Python's own ISO 8601 parser, offsets converted to UTC."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def test_mixed_offset_text_is_judged_in_utc_against_the_range(tmp_path: Path) -> None:
    data = tmp_path / "events.csv"
    data.write_text("at\n" + "\n".join(VALUES) + "\n")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"format": "datacheck.schema", "version": 1, "columns": [
        {"name": "at", "type": "datetime", "stored_as": "string", "range": {"min": "2024-01-01T00:00:00",
                                                                            "max": "2024-01-31T00:00:00"},
         "severity": {"unexpected_type": "off", "too_many_nulls": "off", "low_presence": "off"}}]}))
    report = datacheck.validate(str(data), str(schema))
    parsed = [_utc_naive(v) for v in VALUES if v]
    outside = sum(1 for v in parsed if v is not None and not LOW <= v <= HIGH)
    assert outside == 2  # 2024-02-10 05:00 UTC and 2023-12-31 23:00 UTC
    found = [f for f in report.findings if f.code == "out_of_range"]
    assert len(found) == 1
    assert found[0].count == outside
