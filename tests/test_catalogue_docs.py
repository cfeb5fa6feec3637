"""docs/anomalies.md documents every anomaly code of the catalogue, with its severity, and no stale code."""

from __future__ import annotations

import re
from pathlib import Path

from datacheck.checks import CATALOGUE

DOC = Path(__file__).resolve().parents[1] / "docs" / "anomalies.md"


def documented() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z_]+)` \| ([a-z_]+) \| (error|warning) \|", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_every_code_is_documented_and_no_stale_code() -> None:
    rows = documented()
    assert set(rows) == set(CATALOGUE), (set(CATALOGUE) - set(rows), set(rows) - set(CATALOGUE))


def test_documented_check_and_severity_match_the_code() -> None:
    rows = documented()
    for code, entry in CATALOGUE.items():
        assert rows[code] == (entry.check, entry.severity), code
