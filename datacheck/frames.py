"""Results as polars DataFrames, for notebooks and pipelines: `Report.findings_frame()` and `DriftReport.frame()`.

One row per finding, one row per column of a drift report, with a fixed schema (also when there are no rows), so
that code reading the frame does not depend on what was found. Values whose type depends on the check (a
finding's observed and expected values, an example's value) are JSON text, as the report's JSON holds them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import polars as pl

from datacheck.finite import finite_or_none

if TYPE_CHECKING:
    from datacheck.checks.model import Report
    from datacheck.drift import DriftReport

EXAMPLE = pl.Struct({"value": pl.String(), "row": pl.Int64(), "file": pl.String(), "count": pl.Int64()})

FINDINGS_SCHEMA = pl.Schema({
    "severity": pl.String(), "column": pl.String(), "code": pl.String(), "message": pl.String(), "count": pl.Int64(),
    "fraction": pl.Float64(), "observed": pl.String(), "expected": pl.String(), "examples": pl.List(EXAMPLE),
    "fix": pl.String(),
})

DRIFT_SCHEMA = pl.Schema({
    "column": pl.String(), "kind": pl.String(), "status": pl.String(), "method": pl.String(), "value": pl.Float64(),
    "pvalue": pl.Float64(), "threshold": pl.Float64(), "drifted": pl.Boolean(), "severity": pl.String(),
    "drifted_by": pl.List(pl.String()), "largest_change": pl.String(), "largest_change_baseline": pl.Float64(),
    "largest_change_current": pl.Float64(), "new_values": pl.List(pl.String()), "baseline_count": pl.Int64(),
    "current_count": pl.Int64(), "note": pl.String(),
})


def _json_text(value: Any) -> str | None:
    """A JSON-ready value (from a `to_dict`) as JSON text; None stays null."""
    return None if value is None else json.dumps(value, ensure_ascii=False, allow_nan=False)


def findings_frame(report: Report) -> pl.DataFrame:
    """One row per finding of `report`, in the report's order (FINDINGS_SCHEMA)."""
    rows = []
    for finding in report.findings:
        data = finding.to_dict()  # JSON-ready: no NaN or Infinity, dates as text
        rows.append({
            "severity": finding.severity, "column": finding.column, "code": finding.code, "message": finding.message,
            "count": finding.count, "fraction": finite_or_none(finding.fraction),
            "observed": _json_text(data["observed"]), "expected": _json_text(data["expected"]),
            "examples": [{**example, "value": _json_text(example["value"])} for example in data["examples"]],
            "fix": finding.fix,
        })
    return pl.DataFrame(rows, schema=FINDINGS_SCHEMA)


def drift_frame(report: DriftReport) -> pl.DataFrame:
    """One row per column of `report`, in the report's order (DRIFT_SCHEMA)."""
    rows = [{
        "column": c.column, "kind": c.kind, "status": c.status, "method": c.method, "value": finite_or_none(c.value),
        "pvalue": finite_or_none(c.pvalue), "threshold": finite_or_none(c.threshold), "drifted": c.drifted,
        "severity": c.severity, "drifted_by": list(c.drifted_by), "largest_change": c.largest_change,
        "largest_change_baseline": finite_or_none(c.largest_change_baseline),
        "largest_change_current": finite_or_none(c.largest_change_current), "new_values": list(c.new_values),
        "baseline_count": c.baseline_count, "current_count": c.current_count, "note": c.note,
    } for c in report.columns]
    return pl.DataFrame(rows, schema=DRIFT_SCHEMA)


__all__ = ["DRIFT_SCHEMA", "FINDINGS_SCHEMA", "drift_frame", "findings_frame"]
