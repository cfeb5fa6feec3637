"""The interface between the validation and a check family, and the context a family judges in.

A check family (nulls, range, domain, ...) is one object that holds its catalogue entries and has two
back-ends:

- `row_work(spec, dtype, kind)`: what it adds to the data scan, as polars row tests (see `datacheck.checks.rows`).
- `judge_rows(ctx, spec, col, rows)`: how it judges when the data was scanned, from the statistics and the
  tallies of its row tests; `judge_statistics(ctx, spec, col)`: how it judges from saved statistics alone,
  skipping (never silently passing) what statistics cannot answer.

Families that look at the whole dataset (presence, row counts, drift) implement `judge_dataset(ctx)` instead.
Column families run only on columns that got far enough (`needs`): in the data with rows, with a non-null
value, with the schema's type.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from datacheck.checks.model import CheckResult, Example, Finding
from datacheck.checks.rows import FrameWork, RowEvidence, RowWork
from datacheck.schema import ColumnSchema, Schema
from datacheck.statistics import ColumnStats, Statistics


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One entry of the anomaly catalogue.

    Fields:
        code: the stable snake_case code that findings, severity overrides and docs use.
        severity: the default severity, "error" or "warning".
        check: the check that emits it (one JUnit testcase per column and check): presence, type, nulls,
            domain, range, nan, inf, unique, length, pattern, row_count, drift.
        title: a short name for people.
        trigger: when it fires, in one sentence.
        fix: what to do about it (a template; `{column}` and friends are filled in per finding).
    """

    code: str
    severity: str
    check: str
    title: str
    trigger: str
    fix: str


class Needs(enum.IntEnum):
    """How far a column must get before a column family judges it (each level implies the ones before)."""

    ROWS = 1  # in the data, with at least one row: the null checks
    VALUES = 2  # at least one non-null value: the type check
    TYPE = 3  # of the schema's type: every value check (they would only repeat a type mismatch)


class CheckFamily:
    """A family of checks: its catalogue entries, what it adds to the scan, and how it judges.

    Subclasses set `entries` (and `needs` when not Needs.TYPE) and override the back-ends they use; the
    defaults add nothing to the scan and judge from the statistics whether or not the data was scanned.
    """

    entries: ClassVar[tuple[Anomaly, ...]] = ()
    needs: ClassVar[Needs] = Needs.TYPE

    @property
    def checks(self) -> tuple[str, ...]:
        """The check names this family reports under, in catalogue order."""
        return tuple(dict.fromkeys(entry.check for entry in self.entries))

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        """The row tests this family adds to the scan for one column of this dtype (planned per batch schema;
        families that need the schema's type are asked only when the dtype can hold it)."""
        return RowWork()

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        """Judge a scanned column from its statistics and the tallies of this family's row tests."""
        self.judge_statistics(ctx, spec, col)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        """Judge a column from statistics alone (a saved statistics file)."""

    def judge_dataset(self, ctx: Context) -> None:
        """Judge the dataset as a whole (columns present, row counts, drift against the baseline)."""

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        """The row tests over several columns this family adds to the scan for one batch schema (row rules,
        compound keys, periods, references: `references` holds the reference keys by column)."""
        return FrameWork()

    def judge_frame(self, ctx: Context, rows: RowEvidence | None) -> None:
        """Judge the family's frame work: from the scan's tallies, or (rows None) from statistics alone,
        skipping what statistics cannot answer."""


@dataclass(frozen=True)
class FixNames:
    """The file names that `fix` texts use: the schema file and the data."""

    schema: str = "schema.json"
    data: str = "DATA"


class _Defaulting(dict[str, Any]):
    """Leaves a placeholder a finding did not fill ("{env}") as it is in the fix text."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Context:
    """What families judge with (statistics, schema, environment, baseline) and write to (findings, statuses)."""

    def __init__(self, stats: Statistics, schema: Schema, env: str | None, baseline: Statistics | None,
                 names: FixNames, max_examples: int, catalogue: Mapping[str, Anomaly]) -> None:
        self.stats, self.schema, self.env, self.baseline = stats, schema, env, baseline
        self.names, self.max_examples, self.catalogue = names, max_examples, catalogue
        self.findings: list[Finding] = []
        #: The moment freshness is judged against (`validate --as-of`); None: now, in UTC.
        self.as_of: _dt.datetime | None = None
        #: The data the schema's references name, as distinct keys per column (read before the scan).
        self.references: Mapping[str, Any] = {}
        self.checks: dict[tuple[str | None, str], CheckResult] = {}

    def ran(self, column: str | None, check: str) -> None:
        """Record that `check` ran on `column` (passed, unless a finding says otherwise)."""
        self.checks.setdefault((column, check), CheckResult(column, check, "passed"))

    def skip(self, column: str | None, check: str, reason: str) -> None:
        """Record that `check` could not run on `column`, and why."""
        if (column, check) not in self.checks:
            self.checks[(column, check)] = CheckResult(column, check, "skipped", reason)

    def add(self, spec: ColumnSchema | None, code: str, message: str, *, column: str | None = None,
            observed: Any = None, expected: Any = None, count: int | None = None, fraction: float | None = None,
            examples: Iterable[Example] = (), default_severity: str | None = None, **fix_fields: Any) -> None:
        """Add a finding with this code, at the column's severity for it ("off": the check passes silently).

        `fix_fields` fill the placeholders of the catalogue's fix text besides {column}, {schema}, {data}.
        """
        entry = self.catalogue[code]
        name = column if column is not None else (spec.name if spec is not None else None)
        self.ran(name, entry.check)
        severity = default_severity or entry.severity
        if spec is not None:
            severity = spec.severity.get(code, severity)
        if severity == "off":
            return
        fields = {"column": name, "schema": self.names.schema, "data": self.names.data, **fix_fields}
        fix = entry.fix.format_map(_Defaulting(fields))
        self.findings.append(Finding(name, code, severity, message, observed, expected, count, fraction,
                                     tuple(list(examples)[: self.max_examples]), fix))
        self.checks[(name, entry.check)] = CheckResult(name, entry.check, "failed")


__all__ = ["Anomaly", "CheckFamily", "Context", "FixNames", "Needs"]
