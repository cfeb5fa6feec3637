"""The result model of a validation: Report, Finding, Example, CheckResult, Summary, and severity ranks.

Every result is a frozen dataclass with `to_dict()` (JSON-ready, valid against schemas/report.schema.json)
and `from_dict()`; `Report.from_dict(r.to_dict()) == r` for any report.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

REPORT_FORMAT = "datacheck.report"
REPORT_VERSION = 1
SEVERITIES = ("error", "warning")
#: How much a severity weighs: findings sort by it (errors first) and --fail-on compares with it.
SEVERITY_RANK = {"error": 2, "warning": 1}


def severity_rank(severity: str) -> int:
    """The weight of a severity: 2 for "error", 1 for "warning", 0 for anything else ("off").

    Example:
        >>> severity_rank("error") > severity_rank("warning") > severity_rank("off")
        True
    """
    return SEVERITY_RANK.get(severity, 0)


def json_value(value: Any) -> Any:
    """A value as JSON can carry it: numbers, text, booleans, null; dates as ISO text; NaN/inf as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    try:
        return float(value) if hasattr(value, "__float__") else str(value)
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True, slots=True)
class Example:
    """One offending value.

    Fields:
        value: the value (JSON-ready: numbers, text, booleans; dates as ISO text; NaN/inf as text).
        row: its 0-based row number within `file` (header not counted), or None when it is not known (from
            statistics, or a value-level example).
        file: the file it was read from, or None for in-memory data and statistics.
        count: for a value-level example (an unexpected category), how many times it occurs; else None.
        key: the row's key, column to value (JSON-ready), when the data came from a database and the schema has
            a key (see datacheck.checks.example_keys); else None. Renderers show it in place of `row`.
    """

    value: Any
    row: int | None = None
    file: str | None = None
    count: int | None = None
    key: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"value": json_value(self.value), "row": self.row, "file": self.file, "count": self.count}
        if self.key is not None:  # written only when set, so that reports on files read as before
            out["key"] = {name: json_value(v) for name, v in self.key.items()}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Example:
        return cls(data.get("value"), data.get("row"), data.get("file"), data.get("count"), data.get("key"))


@dataclass(frozen=True, slots=True)
class Finding:
    """One anomaly found in the data.

    Fields:
        column: the column, or None for dataset-level findings (row counts, empty dataset).
        code: the anomaly code, a key of CATALOGUE.
        severity: "error" or "warning" (after the schema's per-column overrides).
        message: one sentence for people: what is wrong, where and how much.
        observed: what the data shows (a number, text, or a small object such as {"min": .., "max": ..}).
        expected: what the schema says.
        count: how many values or rows are affected, or None when only statistics were available and they
            cannot tell.
        fraction: count over its denominator (non-null values for value checks, rows for nulls), or None.
        examples: up to `max_examples` offending values with their row numbers.
        fix: the schema edit, or the command, that accepts the change if it is legitimate.
        slice: the slice the finding is about (``payment_type=Cash``, "other" for the pooled slices), or None
            for the whole table (see docs/slices.md).
    """

    column: str | None
    code: str
    severity: str
    message: str
    observed: Any = None
    expected: Any = None
    count: int | None = None
    fraction: float | None = None
    examples: tuple[Example, ...] = ()
    fix: str = ""
    slice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "observed": json_value(self.observed),
            "expected": json_value(self.expected),
            "count": self.count,
            "fraction": self.fraction,
            "examples": [e.to_dict() for e in self.examples],
            "fix": self.fix,
        }
        if self.slice is not None:  # written only for a slice's finding, so unsliced reports read as before
            out["slice"] = self.slice
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(data.get("column"), data["code"], data["severity"], data["message"], data.get("observed"),
                   data.get("expected"), data.get("count"), data.get("fraction"),
                   tuple(Example.from_dict(e) for e in data.get("examples") or ()), data.get("fix", ""),
                   data.get("slice"))


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of one column (or of the dataset): what ran, and how it ended.

    Fields:
        column: the column, or None for dataset-level checks.
        check: the check name (see Anomaly.check).
        status: "passed", "failed" (at least one finding), or "skipped" (could not run: see `reason`).
        reason: why a check was skipped, else None.
    """

    column: str | None
    check: str
    status: str
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "check": self.check, "status": self.status, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        return cls(data.get("column"), data["check"], data["status"], data.get("reason"))


@dataclass(frozen=True, slots=True)
class Summary:
    """Totals of a validation.

    Fields:
        rows: rows validated. columns: columns in the data.
        errors, warnings: findings by severity.
        checks, failed, skipped: checks run, checks with findings, checks that could not run.
        environment: the --env used, or None.
        from_statistics: True when the input was a saved statistics file (fewer checks, no examples).
        baseline_rows: rows of the --baseline, or None.
    """

    rows: int
    columns: int
    errors: int
    warnings: int
    checks: int
    failed: int
    skipped: int
    environment: str | None = None
    from_statistics: bool = False
    baseline_rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "columns": self.columns, "errors": self.errors, "warnings": self.warnings,
                "checks": self.checks, "failed": self.failed, "skipped": self.skipped,
                "environment": self.environment, "from_statistics": self.from_statistics,
                "baseline_rows": self.baseline_rows}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Summary:
        return cls(int(data["rows"]), int(data["columns"]), int(data["errors"]), int(data["warnings"]),
                   int(data["checks"]), int(data["failed"]), int(data["skipped"]), data.get("environment"),
                   bool(data.get("from_statistics", False)), data.get("baseline_rows"))


@dataclass(frozen=True, slots=True)
class SliceVerdict:
    """One slice of a validation with --slice: its rows, whether it was judged (large enough), its findings.

    Fields:
        slicing: the slice columns, comma-separated. slice: the slice (``column=value``, "other" when pooled).
        rows: its rows. judged: False when it had fewer rows than the minimum slice size (not judged).
        errors, warnings: its findings by severity.
    """

    slicing: str
    slice: str
    rows: int
    judged: bool
    errors: int = 0
    warnings: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"slicing": self.slicing, "slice": self.slice, "rows": self.rows, "judged": self.judged,
                "errors": self.errors, "warnings": self.warnings}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SliceVerdict:
        return cls(str(data["slicing"]), str(data["slice"]), int(data["rows"]), bool(data["judged"]),
                   int(data["errors"]), int(data["warnings"]))


@dataclass(frozen=True, slots=True)
class Report:
    """The result of `validate`.

    Fields:
        passed: no error-level finding.
        findings: every finding, errors first, then by column (schema order, dataset-level first) and code.
        summary: totals (see Summary).
        checks: every check per column, with its status (one JUnit testcase each).
        sources: the inputs validated (paths, or "<memory>").
        slices: with --slice, every slice and whether it was judged (see SliceVerdict); else empty.
    """

    passed: bool
    findings: tuple[Finding, ...]
    summary: Summary
    checks: tuple[CheckResult, ...] = ()
    sources: tuple[str, ...] = ()
    slices: tuple[SliceVerdict, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    def exit_code(self, fail_on: str = "error") -> int:
        """0 when no finding is at or above `fail_on` ("error" or "warning"), else 1.

        Example:
            >>> Report(True, (), Summary(0, 0, 0, 0, 0, 0, 0)).exit_code("warning")
            0
        """
        if fail_on not in SEVERITY_RANK:
            raise ValueError(f"fail_on must be 'error' or 'warning', not {fail_on!r}")
        threshold = SEVERITY_RANK[fail_on]
        return 1 if any(severity_rank(f.severity) >= threshold for f in self.findings) else 0

    def findings_frame(self) -> pl.DataFrame:
        """One row per finding, as a polars DataFrame (columns: datacheck.frames.FINDINGS_SCHEMA)."""
        # By name, as the render registry loads its modules: datacheck.frames refers to this module's types.
        return importlib.import_module("datacheck.frames").findings_frame(self)

    def _repr_html_(self) -> str:
        """The HTML validation report, inline in a notebook cell (datacheck.notebook)."""
        return importlib.import_module("datacheck.notebook").report_cell(self)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "format": REPORT_FORMAT,
            "version": REPORT_VERSION,
            "kind": "validation",
            "passed": self.passed,
            "summary": self.summary.to_dict(),
            "sources": list(self.sources),
            "findings": [f.to_dict() for f in self.findings],
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.slices:  # written only with --slice, so unsliced reports read as before
            out["slices"] = [s.to_dict() for s in self.slices]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(bool(data["passed"]), tuple(Finding.from_dict(f) for f in data.get("findings") or ()),
                   Summary.from_dict(data["summary"]),
                   tuple(CheckResult.from_dict(c) for c in data.get("checks") or ()),
                   tuple(data.get("sources") or ()),
                   tuple(SliceVerdict.from_dict(s) for s in data.get("slices") or ()))


__all__ = ["REPORT_FORMAT", "REPORT_VERSION", "SEVERITIES", "SEVERITY_RANK", "CheckResult", "Example",
           "Finding", "Report", "SliceVerdict", "Summary", "json_value", "severity_rank"]
