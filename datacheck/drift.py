"""Distribution drift and training/serving skew between two snapshots: (Statistics, Statistics) -> DriftReport.

`drift` compares a baseline with a current snapshot column by column, from their Statistics only, so a saved
statistics file can stand for last month's data. The methods are a registry in `datacheck.drift_methods` (names,
aliases, the columns each fits, test or distance, default threshold, measure functions) and their formulas are in
`datacheck.drift_metrics`; this module picks a method per column, has the registry measure it and records every
measured value, also under its threshold.

Default method per column (docs/drift.md gives the reasons and the measurements behind them). ``en`` is the
effective sample size ``n_b * n_c / (n_b + n_c)`` of the non-null (numeric: finite) values on both sides:

============================================  =========================  ====================================
column                                        en < LARGE_SAMPLE (1000)   en >= LARGE_SAMPLE
============================================  =========================  ====================================
numeric (with a quantile sketch)              ks, p-value < 0.01         wasserstein / baseline std > 0.1
string, categorical, boolean (freq. table),   chi2, p-value < 0.01       linf > max(0.01, 0.05 sqrt(1000/en))
integers with <= LOW_CARDINALITY (10) values
temporal, identifiers (positive evidence),   not compared by default (set a method to compare them)
free text, nested
============================================  =========================  ====================================

Beside the distribution, every column carries the signals of `datacheck.drift_signals` (missingness, new and
vanished values); a column drifts if any of them does, and `ColumnDrift.drifted_by` says which.

The core is pure: it takes Statistics (or anything `datacheck.profile.profile` accepts, profiled first) and
returns a frozen `DriftReport`. It never prints and never reads a file except through `profile`.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datacheck.drift_methods import (
    METHOD_ALIASES,
    METHODS,
    canonical_method,
    default_threshold,
    family,
    measure,
    numeric_count,
)
from datacheck.drift_signals import (
    LARGE_SAMPLE,
    Signal,
    distance_threshold,
    effective_size,
    missingness,
    signals,
)
from datacheck.errors import UsageError
from datacheck.finite import finite_or_none
from datacheck.statistics import ColumnStats, Statistics

if TYPE_CHECKING:
    import polars as pl

DRIFT_FORMAT = "datacheck.drift"
#: 2: every column carries its signals (missingness, new and vanished values) and the ones that drifted.
DRIFT_VERSION = 2

#: Integer columns with at most this many distinct baseline values are compared as categories by default.
LOW_CARDINALITY = 10
#: An identifier has (almost) all values distinct: 99% by an exact count, 97% by the HyperLogLog estimate
#: (whose error is about 2% at the sizes where it takes over). Distinctness alone is no evidence: salaries,
#: populations and mileages are all distinct too, and must be compared.
IDENTIFIER_DISTINCT_RATIO = 0.99
IDENTIFIER_DISTINCT_RATIO_ESTIMATED = 0.97
#: Integers are identifiers when dense: max - min + 1 <= DENSE_SPAN x values (row numbers, consecutive ids).
#: A measurement's values spread far wider: 500 populations between 1,000 and 9,000,000 span 18,000 x.
DENSE_SPAN = 1.5
#: Names that say "identifier": id, key, uuid, guid, index or row number as a word, or ...ID / ...Id.
_ID_NAME = re.compile(r"(^|[_\s.\-])(id|key|uuid|guid|idx|index|pk)$|^(id|index|row|rownames|unnamed: 0)$",
                      re.IGNORECASE)
_ID_SUFFIX = re.compile(r"([a-z]|^[A-Z])(ID|Id)$")
#: Text values that look like generated identifiers: UUIDs, or hex digests of 16 or more characters.
_ID_TEXT = re.compile(r"^(\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?|[0-9a-f]{16,})$",
                      re.IGNORECASE)

STATUSES = ("compared", "skipped", "missing_in_current", "new_in_current", "not_expected", "type_changed")


# ------------------------------------------------------------------------------------------------ results


@dataclass(frozen=True, slots=True)
class ColumnDrift:
    """How one column moved between the baseline and the current snapshot.

    Fields:
        column: the column name.
        kind: the column kind (numeric, categorical, string, boolean, temporal, ...), from the current side
            when it has the column, else from the baseline.
        status: compared; skipped (not comparable or not compared by default, see `note`);
            missing_in_current; new_in_current; not_expected (absent, and the schema's environment does not
            expect it); type_changed (the kinds differ between the sides).
        method: the canonical method name (see METHODS), or None when nothing was measured.
        value: the measured statistic or distance: linf, jsd, normalized_abs_diff, psi, ks (D), wasserstein
            (in baseline standard deviations), chi2 (X^2). None when nothing was measured, or when the value
            is infinite (a constant baseline that moved; `note` says so).
        pvalue: for tests (ks, chi2), the p-value; else None.
        threshold: for tests, drift when pvalue < threshold; for distances, drift when value > threshold.
        drifted: whether the column counts as drifted.
        severity: "error" or "warning" (a schema's severity override for "drift"); a warning does not fail.
        largest_change: for frequency-table methods, the value whose share moved most (ties: the value that
            sorts last, as TFDV); else None.
        largest_change_baseline, largest_change_current: that value's share of each side.
        new_values: values of the current side that the (exact) baseline table does not hold, most frequent
            first, at most drift_methods.NEW_VALUES_LIMIT.
        baseline_count, current_count: the values compared (non-null; for numeric methods, finite) per side.
        baseline_shape, current_shape: shares per bin (numeric: drift_methods.SHAPE_BINS equal-width bins over
            the 1st to 99th percentile of both sides, outer values in the end bins) or per value (the baseline's most
            frequent values, then new ones), for the before/after sparkline.
        shape_labels: the values behind the categorical shape bins, else empty.
        note: why something was not measured, or what to keep in mind about the value.
        signals: the other signals of a compared column (datacheck.drift_signals): missingness, and new and
            vanished values when both sides have exact frequency tables; each with its own verdict.
        drifted_by: why the column drifted: "distribution" (the method above), the names of the signals that
            drifted, or the status (missing_in_current, type_changed); empty when it did not drift.
    """

    column: str
    kind: str
    status: str
    method: str | None
    value: float | None
    threshold: float | None
    drifted: bool
    pvalue: float | None = None
    severity: str = "error"
    largest_change: str | None = None
    largest_change_baseline: float | None = None
    largest_change_current: float | None = None
    new_values: tuple[str, ...] = ()
    baseline_count: int = 0
    current_count: int = 0
    baseline_shape: tuple[float, ...] = ()
    current_shape: tuple[float, ...] = ()
    shape_labels: tuple[str, ...] = ()
    note: str | None = None
    signals: tuple[Signal, ...] = ()
    drifted_by: tuple[str, ...] = ()

    @property
    def is_test(self) -> bool:
        """True for p-value tests (threshold compared with `pvalue`), False for distances."""
        return self.method is not None and METHODS[self.method].is_test

    def to_dict(self) -> dict[str, Any]:
        largest = None
        if self.largest_change is not None:
            largest = {"value": self.largest_change, "baseline_share": finite_or_none(self.largest_change_baseline),
                       "current_share": finite_or_none(self.largest_change_current)}
        return {
            "column": self.column,
            "kind": self.kind,
            "status": self.status,
            "method": self.method,
            "value": finite_or_none(self.value),
            "pvalue": finite_or_none(self.pvalue),
            "threshold": finite_or_none(self.threshold),
            "threshold_applies_to": None if self.method is None else ("pvalue" if self.is_test else "value"),
            "drifted": self.drifted,
            "severity": self.severity,
            "largest_change": largest,
            "new_values": list(self.new_values),
            "baseline_count": self.baseline_count,
            "current_count": self.current_count,
            "shape": {"baseline": [finite_or_none(x) for x in self.baseline_shape],
                      "current": [finite_or_none(x) for x in self.current_shape],
                      "labels": list(self.shape_labels)},
            "note": self.note,
            "drifted_by": list(self.drifted_by),
            "signals": [s.to_dict() for s in self.signals],
        }

    def signal(self, name: str) -> Signal | None:
        """The signal called `name` (missingness, new_values, vanished_values), or None when not measured."""
        return next((s for s in self.signals if s.name == name), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnDrift:
        largest = data.get("largest_change") or {}
        shape = data.get("shape") or {}
        return cls(
            column=str(data["column"]), kind=str(data["kind"]), status=str(data["status"]), method=data.get("method"),
            value=data.get("value"), threshold=data.get("threshold"), drifted=bool(data["drifted"]),
            pvalue=data.get("pvalue"), severity=str(data.get("severity", "error")),
            largest_change=largest.get("value"), largest_change_baseline=largest.get("baseline_share"),
            largest_change_current=largest.get("current_share"), new_values=tuple(data.get("new_values") or ()),
            baseline_count=int(data.get("baseline_count", 0)), current_count=int(data.get("current_count", 0)),
            baseline_shape=tuple(float(x) for x in shape.get("baseline") or ()),
            current_shape=tuple(float(x) for x in shape.get("current") or ()),
            shape_labels=tuple(str(x) for x in shape.get("labels") or ()), note=data.get("note"),
            signals=tuple(Signal.from_dict(s) for s in data.get("signals") or ()),
            drifted_by=tuple(str(x) for x in data.get("drifted_by") or ()),
        )


@dataclass(frozen=True, slots=True)
class DriftReport:
    """Drift of every column plus the dataset-level figures.

    Fields:
        columns: one ColumnDrift per column of either side: baseline order, then columns new in current.
        drifted_share: drifted columns / columns that count (compared, missing, type-changed); 0 when none.
        drifted_count: columns with drifted == True (any severity).
        compared_count: the denominator of drifted_share.
        row_count_baseline, row_count_current: rows of each side.
        row_count_change: (current - baseline) / baseline; None when the baseline has no rows.
        row_count_threshold: the schema's dataset.max_row_count_change, or None when not checked.
        row_count_drifted: |row_count_change| > row_count_threshold.
        passed: no error-severity column drifted and the row count did not drift.
        environment: the schema environment the current side was checked in (skew), or None.
    """

    columns: tuple[ColumnDrift, ...]
    drifted_share: float
    drifted_count: int
    compared_count: int
    row_count_baseline: int
    row_count_current: int
    row_count_change: float | None
    passed: bool
    row_count_threshold: float | None = None
    row_count_drifted: bool = False
    environment: str | None = None
    #: With --slice: every slice's drift, most drifted first (see SliceDrift and datacheck.slice_drift).
    slices: tuple[SliceDrift, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when passed, 1 when drift was found (the CLI's exit code)."""
        return 0 if self.passed else 1

    @property
    def drifted_columns(self) -> list[str]:
        return [c.column for c in self.columns if c.drifted]

    def column(self, name: str) -> ColumnDrift | None:
        """The entry of column `name`, or None."""
        for col in self.columns:
            if col.column == name:
                return col
        return None

    def frame(self) -> pl.DataFrame:
        """One row per column, as a polars DataFrame (columns: datacheck.frames.DRIFT_SCHEMA)."""
        # By name, as the render registry loads its modules: datacheck.frames refers to this module's types.
        return importlib.import_module("datacheck.frames").drift_frame(self)

    def _repr_html_(self) -> str:
        """The HTML drift report, inline in a notebook cell (datacheck.notebook)."""
        return importlib.import_module("datacheck.notebook").drift_cell(self)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "format": DRIFT_FORMAT,
            "version": DRIFT_VERSION,
            "passed": self.passed,
            "summary": {
                "environment": self.environment,
                "columns": len(self.columns),
                "compared": self.compared_count,
                "drifted": self.drifted_count,
                "drifted_share": finite_or_none(self.drifted_share),
                "drifted_columns": self.drifted_columns,
                "row_count_baseline": self.row_count_baseline,
                "row_count_current": self.row_count_current,
                "row_count_change": finite_or_none(self.row_count_change),
                "row_count_threshold": finite_or_none(self.row_count_threshold),
                "row_count_drifted": self.row_count_drifted,
            },
            "columns": [c.to_dict() for c in self.columns],
        }
        if self.slices:  # written only with --slice, so unsliced reports read as before
            out["slices"] = [s.to_dict() for s in self.slices]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DriftReport:
        summary = data["summary"]
        return cls(
            columns=tuple(ColumnDrift.from_dict(c) for c in data["columns"]),
            drifted_share=float(summary["drifted_share"]), drifted_count=int(summary["drifted"]),
            compared_count=int(summary["compared"]), row_count_baseline=int(summary["row_count_baseline"]),
            row_count_current=int(summary["row_count_current"]), row_count_change=summary.get("row_count_change"),
            passed=bool(data["passed"]), row_count_threshold=summary.get("row_count_threshold"),
            row_count_drifted=bool(summary.get("row_count_drifted", False)), environment=summary.get("environment"),
            slices=tuple(SliceDrift.from_dict(s) for s in data.get("slices") or ()),
        )


@dataclass(frozen=True, slots=True)
class SliceDrift:
    """How one slice moved (``drift --slice``; see datacheck.slice_drift).

    Fields:
        slicing: the slice columns, comma-separated. slice: ``column=value`` ("other": the pooled slices).
        status: compared; new_in_current or missing_in_current (the slice appeared or vanished);
            too_small (fewer rows than the minimum slice size on a side: listed, not compared).
        baseline_rows, current_rows: the slice's rows on each side.
        drifted: a column of the slice drifted (at error severity), or a slice of at least the minimum size
            appeared or vanished.
        score: how far the slice drifted, for the ranking: the largest ratio over its columns of the measured
            value to its threshold (tests: log p-value over log threshold); None when nothing was compared.
        drifted_columns: the slice's drifted columns.
        report: the slice's own DriftReport (compared slices only).
    """

    slicing: str
    slice: str
    status: str
    baseline_rows: int
    current_rows: int
    drifted: bool
    score: float | None = None
    drifted_columns: tuple[str, ...] = ()
    report: DriftReport | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"slicing": self.slicing, "slice": self.slice, "status": self.status,
                "baseline_rows": self.baseline_rows, "current_rows": self.current_rows, "drifted": self.drifted,
                "score": finite_or_none(self.score), "drifted_columns": list(self.drifted_columns),
                "report": self.report.to_dict() if self.report is not None else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SliceDrift:
        report = DriftReport.from_dict(data["report"]) if data.get("report") is not None else None
        return cls(str(data["slicing"]), str(data["slice"]), str(data["status"]), int(data["baseline_rows"]),
                   int(data["current_rows"]), bool(data["drifted"]), data.get("score"),
                   tuple(str(c) for c in data.get("drifted_columns") or ()), report)


# ------------------------------------------------------------------------------------------- the API


def drift(baseline: Any, current: Any, *, schema: Any = None, method: str | Mapping[str, str] | None = None,
          threshold: float | Mapping[str, float] | None = None, env: str | None = None,
          options: Any = None) -> DriftReport:
    """Compare two snapshots column by column and report distribution drift (or skew, with `env`).

    Args:
        baseline: Statistics, or anything `datacheck.profile` accepts (path, glob, saved statistics file,
            polars/pandas/pyarrow table); profiled first.
        current: the same, for the snapshot being checked.
        schema: a `datacheck.schema.Schema` or a path to a schema file. Its columns' `drift` settings
            (method, threshold), `severity["drift"]` overrides ("off" skips the column, "warning" does not
            fail), `unique` flags (identifiers are not compared by default), environments and
            `dataset.max_row_count_change` are honoured.
        method: a method for every comparable column ("psi"), or a mapping whose keys are column names or
            the families "numeric" / "categorical" ({"numeric": "psi", "state": "chi2"}). Precedence: a
            column key, then the schema's setting, then a family key, then a bare method, then the default.
        threshold: a threshold, or a mapping keyed like `method`. Thresholds of tests are significance
            levels (drift when p < threshold); of distances, the largest accepted value.
        env: the schema environment of the current snapshot (for example "serving"); columns the
            environment does not expect may be absent without counting as missing. Needs `schema`.
        options: `datacheck.sources.ReadOptions` for reading paths.

    Returns:
        The DriftReport.

    Raises:
        UsageError: an unknown method, a method that does not fit a column's kind, a key that names no
            column, an invalid threshold, or `env` without `schema`.
        InputError, SchemaFileError: an input or the schema file cannot be read.

    Example:
        >>> import polars as pl
        >>> report = drift(pl.DataFrame({"x": [1.0, 2.0, 3.0] * 100}), pl.DataFrame({"x": [1.0, 2.0, 3.0] * 100}))
        >>> report.passed, report.column("x").method
        (True, 'ks')
    """
    from datacheck.profile import profile

    base = baseline if isinstance(baseline, Statistics) else profile(baseline, options)
    cur = current if isinstance(current, Statistics) else profile(current, options)
    spec = _load_schema(schema)
    if env is not None and spec is None:
        raise UsageError(f"--env {env} needs a schema that defines the environment", hint="pass --schema schema.json")
    return compare(base, cur, schema=spec, method=method, threshold=threshold, env=env)


def _load_schema(schema: Any) -> Any:
    if schema is None:
        return None
    if isinstance(schema, (str, Path)):
        from datacheck.schema import Schema

        return Schema.load(schema)
    return schema


@dataclass
class _Choice:
    method: str | None
    threshold: float | None
    note: str | None = None


def compare(base: Statistics, cur: Statistics, *, schema: Any = None, method: str | Mapping[str, str] | None = None,
            threshold: float | Mapping[str, float] | None = None, env: str | None = None) -> DriftReport:
    """`drift` on Statistics: pure, no I/O. Same arguments as `drift`, with `schema` a Schema or None."""
    methods = _keyed(method, "method")
    thresholds = _keyed(threshold, "threshold")
    names = base.column_names + [n for n in cur.column_names if base.column(n) is None]
    _check_keys(methods, thresholds, names)
    methods = {k: canonical_method(v) for k, v in methods.items()}
    for key, value in thresholds.items():
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
            raise UsageError(f"threshold {key + '=' if key != '*' else ''}{value!r} must be a finite number >= 0")
    expected = set(schema.expected_columns(env)) if schema is not None else None

    entries: list[ColumnDrift] = []
    unfit: list[tuple[str, str, str]] = []
    for name in names:
        b, c = base.column(name), cur.column(name)
        col_schema = schema.column(name) if schema is not None else None
        severity = "error"
        if col_schema is not None and col_schema.severity.get("drift") in ("warning", "off"):
            severity = col_schema.severity["drift"]
        if c is None:
            assert b is not None  # every name comes from one side or the other
            entries.append(_missing(b, expected, env, severity))
            continue
        if b is None:
            entries.append(ColumnDrift(name, c.kind, "new_in_current", None, None, None, False, severity="warning",
                                       current_count=c.count, note="the column is not in the baseline"))
            continue
        # A side with no values carries no evidence of its type (an all-null CSV column is read as text):
        # its kinds are not compared, and its emptiness is the missingness signal's business.
        if b.count and c.count and (family(b) != family(c) or (b.kind != c.kind and "temporal" in (b.kind, c.kind))):
            entries.append(ColumnDrift(name, c.kind, "type_changed", None, None, None, severity != "off",
                                       severity="error" if severity == "off" else severity,
                                       baseline_count=b.count, current_count=c.count,
                                       note=f"the column was {b.kind} ({b.dtype}) and is now {c.kind} ({c.dtype})",
                                       drifted_by=("type_changed",) if severity != "off" else ()))
            continue
        if severity == "off":
            entries.append(ColumnDrift(name, _typed(b, c).kind, "skipped", None, None, None, False, severity="warning",
                                       baseline_count=b.count, current_count=c.count,
                                       note="drift is off for this column in the schema (severity drift: off)"))
            continue
        choice = _choose(name, b, c, col_schema, methods, thresholds, unfit)
        if choice.method is None:
            # The distribution is skipped (an identifier, a timestamp, free text), but a burst of nulls is
            # still news: missingness is measured on every column. New values are not (ids are always new).
            missing = missingness(b, c)
            by = ("missingness",) if missing is not None and missing.drifted else ()
            entries.append(ColumnDrift(name, _typed(b, c).kind, "skipped", None, None, None, bool(by),
                                       severity=severity, baseline_count=b.count, current_count=c.count,
                                       note=choice.note, signals=(missing,) if missing else (), drifted_by=by))
            continue
        entries.append(_measure(name, b, c, choice, severity))
    if unfit:
        raise _unfit_error(base, cur, unfit)
    return _report(base, cur, entries, schema, env)


def _unfit_error(base: Statistics, cur: Statistics, unfit: list[tuple[str, str, str]]) -> UsageError:
    """One error naming every column each method does not fit, and why (or the column's kind)."""
    by_method: dict[str, list[str]] = {}
    for name, method, why in unfit:
        # "ks compares numeric distributions, and 'c' is a string column" shortens to "a string column".
        reason = why if ", and " not in why else _kind_of(base, cur, name)
        by_method.setdefault(method, []).append(f"{name!r} ({reason})")
    lines = "; ".join(f"method {m} ({METHODS[m].applies_to}) does not fit column{'s' if len(cols) > 1 else ''} "
                      f"{', '.join(cols)}" for m, cols in by_method.items())
    return UsageError(lines, hint="set a method per family or per column instead, e.g. --method numeric=psi "
                                  "--method categorical=chi2 --method income=ks")


def _kind_of(base: Statistics, cur: Statistics, name: str) -> str:
    col = cur.column(name) or base.column(name)
    return f"a {col.kind} column" if col is not None else "unknown"


def _keyed(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    return {"*": value}


def _check_keys(methods: Mapping[str, Any], thresholds: Mapping[str, Any], names: Sequence[str]) -> None:
    known = set(names) | {"*", "numeric", "categorical"}
    for key in list(methods) + list(thresholds):
        if key not in known:
            raise UsageError(f"{key!r} is neither a column of the data nor a family (numeric, categorical)",
                             hint=f"columns: {', '.join(names[:20])}{' …' if len(names) > 20 else ''}")


def _typed(b: ColumnStats, c: ColumnStats) -> ColumnStats:
    """The side whose kind counts: the current one, unless it has no values and the baseline has."""
    return b if not c.count and b.count else c


def _default(name: str, b: ColumnStats, c: ColumnStats, col_schema: Any) -> _Choice:
    """The default method of a column (see the module docstring and docs/drift.md)."""
    typed = _typed(b, c)
    kind_family = family(typed)
    if kind_family is None:
        return _Choice(None, None, f"{typed.kind} columns are not compared by default; set a method to compare them")
    if typed.kind == "temporal":
        return _Choice(None, None, "temporal columns are not compared by default: time moves on between snapshots; "
                                   "set a method (e.g. ks) to compare them")
    if col_schema is not None and getattr(col_schema, "unique", False):
        return _Choice(None, None, "an identifier (unique in the schema): its values are new in every snapshot; "
                                   "set a method to compare it anyway")
    evidence = identifier_evidence(b)
    if evidence is not None:
        return _Choice(None, None, f"an identifier ({evidence}): its values are new in every snapshot; "
                                   "set a method to compare it anyway")
    if kind_family == "numeric" and not _low_cardinality(b, c):
        en = effective_size(numeric_count(b), numeric_count(c))
        method = "ks" if en < LARGE_SAMPLE else "wasserstein"
        return _Choice(method, METHODS[method].threshold)
    if (b.count and b.frequencies is None) or (c.count and c.frequencies is None):
        return _Choice(None, None, "no frequency table (too many distinct values: free text or an identifier); "
                                   "not compared")
    en = effective_size(b.count, c.count)
    if en < LARGE_SAMPLE:
        return _Choice("chi2", METHODS["chi2"].threshold)
    # The noise of L-infinity falls like 1/sqrt(en): its default threshold follows it down to 0.01.
    return _Choice("linf", distance_threshold(en))


def _low_cardinality(b: ColumnStats, c: ColumnStats) -> bool:
    """An integer column with at most LOW_CARDINALITY values (a label, a flag, a code): compared as categories."""
    return (b.kind == "numeric" and b.frequencies is not None and c.frequencies is not None
            and b.frequencies.error == 0 and b.distinct is not None and b.distinct.count <= LOW_CARDINALITY)


def identifier_evidence(col: ColumnStats) -> str | None:
    """Why an (almost) all-distinct column is an identifier, or None when nothing says so.

    Distinct values alone are no evidence (a salary or a population is all distinct too). Evidence is: dense
    integers (consecutive or nearly, max - min + 1 <= DENSE_SPAN x values), UUID- or hash-like text, or a name
    that says id (see _ID_NAME). Columns of fewer than 100 values are never taken for identifiers.

    Example:
        >>> from datacheck.statistics import Distinct, NumericStats
        >>> ids = ColumnStats("n", "Int64", "numeric", 500, 0, numeric=NumericStats(integral=True, min=1, max=500),
        ...                   distinct=Distinct(500, True))
        >>> identifier_evidence(ids)
        'consecutive or dense integers'
    """
    if col.distinct is None or col.count < 100:
        return None
    ratio = IDENTIFIER_DISTINCT_RATIO if col.distinct.exact else IDENTIFIER_DISTINCT_RATIO_ESTIMATED
    if col.distinct.count < ratio * col.count:
        return None
    if _ID_NAME.search(col.name) or _ID_SUFFIX.search(col.name):
        return "its name says so"
    num = col.numeric
    if col.kind == "numeric" and num is not None and num.integral and num.min is not None and num.max is not None:
        if num.max - num.min + 1 <= DENSE_SPAN * col.count:
            return "consecutive or dense integers"
        return None
    if col.kind in ("string", "categorical"):
        shown = [v.value for v in col.top_values]
        same_length = col.lengths is not None and col.lengths.min == col.lengths.max
        if shown and same_length and all(_ID_TEXT.match(v) for v in shown):
            return "UUID- or hash-like text"
    return None


def _choose(name: str, b: ColumnStats, c: ColumnStats, col_schema: Any, methods: Mapping[str, str],
            thresholds: Mapping[str, float], unfit: list[tuple[str, str, str]]) -> _Choice:
    """Resolve method and threshold by precedence: column key, schema, family key, bare value, default."""
    kind_family = family(_typed(b, c))
    default = _default(name, b, c, col_schema)
    schema_drift = getattr(col_schema, "drift", None) if col_schema is not None else None
    method: str | None = None
    level = None
    if name in methods:
        method, level = methods[name], "column"
    elif schema_drift is not None:
        method, level = canonical_method(schema_drift.method), "schema"
    elif kind_family is not None and kind_family in methods and default.method is not None:
        method, level = methods[kind_family], "family"
    elif "*" in methods and default.method is not None:
        method, level = methods["*"], "all"
    if method is None:
        method = default.method
        if method is None:
            return default
    else:
        for col in (b, c):
            if not col.count:  # a side with no values is not measured, whatever its type
                continue
            reason = METHODS[method].fits(col)
            if reason is not None:
                unfit.append((name, method, reason))
                return _Choice(None, None)
    if name in thresholds:
        value = thresholds[name]
    elif level == "schema" and schema_drift is not None:
        value = schema_drift.threshold
    elif kind_family is not None and kind_family in thresholds:
        value = thresholds[kind_family]
    elif "*" in thresholds:
        value = thresholds["*"]
    elif level is None and default.threshold is not None:
        value = default.threshold
    else:
        value = METHODS[method].threshold
    return _Choice(method, float(value))


def _missing(b: ColumnStats, expected: set[str] | None, env: str | None, severity: str) -> ColumnDrift:
    if expected is not None and b.name not in expected:
        where = f"environment {env!r}" if env else "the schema"
        return ColumnDrift(b.name, b.kind, "not_expected", None, None, None, False, severity="warning",
                           baseline_count=b.count, note=f"absent, and {where} does not expect it")
    return ColumnDrift(b.name, b.kind, "missing_in_current", None, None, None, severity != "off",
                       severity="error" if severity == "off" else severity, baseline_count=b.count,
                       note="the column is missing from the current data",
                       drifted_by=("missing_in_current",) if severity != "off" else ())


def _report(base: Statistics, cur: Statistics, entries: list[ColumnDrift], schema: Any, env: str | None) -> DriftReport:
    counted = [e for e in entries if e.status in ("compared", "missing_in_current", "type_changed") or e.signals]
    drifted = [e for e in entries if e.drifted]
    share = sum(1 for e in counted if e.drifted) / len(counted) if counted else 0.0
    change = (cur.num_rows - base.num_rows) / base.num_rows if base.num_rows else None
    limit = schema.dataset.max_row_count_change if schema is not None else None
    rows_drifted = bool(limit is not None and change is not None and abs(change) > limit)
    passed = not rows_drifted and not any(e.drifted and e.severity == "error" for e in entries)
    return DriftReport(columns=tuple(entries), drifted_share=share, drifted_count=len(drifted),
                       compared_count=len(counted), row_count_baseline=base.num_rows, row_count_current=cur.num_rows,
                       row_count_change=change, passed=passed, row_count_threshold=limit,
                       row_count_drifted=rows_drifted, environment=env)


# ------------------------------------------------------------------------------------------- measuring


def _measure(name: str, b: ColumnStats, c: ColumnStats, choice: _Choice, severity: str) -> ColumnDrift:
    """The registry measures the column; this applies the threshold and records the entry."""
    method, threshold = choice.method, choice.threshold
    assert method is not None and threshold is not None
    found = measure(method, b, c)
    moved = found.drifted if found.drifted is not None else METHODS[method].drifted(found.value, found.pvalue,
                                                                                   threshold)
    found_signals = signals(b, c)
    drifted_by = (("distribution",) if moved else ()) + tuple(s.name for s in found_signals if s.drifted)
    return ColumnDrift(column=name, kind=_typed(b, c).kind, status="compared", method=method, value=found.value,
                       threshold=threshold, drifted=bool(drifted_by), pvalue=found.pvalue, severity=severity,
                       largest_change=found.largest_change, largest_change_baseline=found.largest_change_baseline,
                       largest_change_current=found.largest_change_current, new_values=found.new_values,
                       baseline_count=found.baseline_count, current_count=found.current_count,
                       baseline_shape=found.baseline_shape, current_shape=found.current_shape,
                       shape_labels=found.shape_labels, note=found.note, signals=found_signals,
                       drifted_by=drifted_by)


__all__ = ["drift", "compare", "DriftReport", "ColumnDrift", "SliceDrift", "Signal", "identifier_evidence", "METHODS",
           "METHOD_ALIASES", "LARGE_SAMPLE",
           "canonical_method", "default_threshold", "DRIFT_FORMAT", "DRIFT_VERSION", "STATUSES"]
