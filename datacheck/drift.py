"""Distribution drift and training/serving skew between two snapshots: (Statistics, Statistics) -> DriftReport.

`drift` compares a baseline with a current snapshot column by column, from their Statistics only, so a saved
statistics file can stand for last month's data (design.md §1). The metric formulas live in
`datacheck.drift_metrics`; this module picks a method per column, feeds it what the statistics hold
(frequency tables, KLL sketches, histograms) and records every measured value, also under its threshold.

Default method per column (docs/drift.md gives the reasons and the measurements behind them). ``en`` is the
effective sample size ``n_b * n_c / (n_b + n_c)`` of the non-null (numeric: finite) values on both sides:

============================================  =========================  ====================================
column                                        en < LARGE_SAMPLE (2000)   en >= LARGE_SAMPLE
============================================  =========================  ====================================
numeric (with a quantile sketch)              ks, p-value < 0.01         wasserstein / baseline std > 0.1
string, categorical, boolean (freq. table),   chi2, p-value < 0.01       linf > 0.05
integers with <= LOW_CARDINALITY (10) values
temporal, identifiers, free text, nested      not compared by default (set a method to compare them)
============================================  =========================  ====================================

The core is pure: it takes Statistics (or anything `datacheck.profile.profile` accepts, profiled first) and
returns a frozen `DriftReport`. It never prints and never reads a file except through `profile`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from datacheck import drift_metrics as dm
from datacheck import sketches
from datacheck.errors import UsageError
from datacheck.statistics import ColumnStats, Statistics

DRIFT_FORMAT = "datacheck.drift"
DRIFT_VERSION = 1

#: Canonical method names. Each entry: (families it fits, "test" or "distance", default threshold).
#: Tests drift when their p-value falls below the threshold; distances when their value exceeds it.
METHODS: dict[str, tuple[frozenset[str], str, float]] = {
    "linf": (frozenset({"categorical"}), "distance", 0.05),
    "jsd": (frozenset({"categorical", "numeric"}), "distance", 0.1),
    "normalized_abs_diff": (frozenset({"categorical"}), "distance", 0.025),
    "psi": (frozenset({"categorical", "numeric"}), "distance", 0.2),
    "ks": (frozenset({"numeric"}), "test", 0.01),
    "wasserstein": (frozenset({"numeric"}), "distance", 0.1),
    "chi2": (frozenset({"categorical"}), "test", 0.01),
}
#: Other spellings accepted everywhere a method is named (the schema file's long names, TFDV's names).
METHOD_ALIASES = {
    "l_infinity": "linf", "l_inf": "linf", "infinity_norm": "linf",
    "jensen_shannon": "jsd", "jensen_shannon_divergence": "jsd", "js": "jsd",
    "normalized_abs_difference": "normalized_abs_diff", "normalized_absolute_difference": "normalized_abs_diff",
    "nad": "normalized_abs_diff",
    "population_stability_index": "psi",
    "kolmogorov_smirnov": "ks", "ks_2samp": "ks",
    "wasserstein_distance": "wasserstein", "emd": "wasserstein",
    "chi_squared": "chi2", "chisquare": "chi2", "chi_square": "chi2",
}
#: Below this effective sample size the defaults are p-value tests, at or above it bounded distances.
LARGE_SAMPLE = 1000
#: Integer columns with at most this many distinct baseline values are compared as categories by default.
LOW_CARDINALITY = 10
#: An integer column whose values are (almost) all distinct is an identifier; ids move between snapshots.
IDENTIFIER_DISTINCT_RATIO = 0.99
#: Pearson's chi-squared wants expected counts of at least this; rarer values are pooled.
CHI2_MIN_EXPECTED = 5.0
#: Bins of the before/after sparkline of a numeric column, and values shown for a categorical one.
SHAPE_BINS = 16
SHAPE_VALUES = 8
#: New values listed per column at most.
NEW_VALUES_LIMIT = 20
OTHER_VALUES = "(other values)"
RARE_VALUES = "(rare values)"

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
            first, at most NEW_VALUES_LIMIT.
        baseline_count, current_count: the values compared (non-null; for numeric methods, finite) per side.
        baseline_shape, current_shape: shares per bin (numeric: SHAPE_BINS equal-width bins over the 1st to
            99th percentile of both sides, outer values in the end bins) or per value (the baseline's most
            frequent values, then new ones), for the before/after sparkline.
        shape_labels: the values behind the categorical shape bins, else empty.
        note: why something was not measured, or what to keep in mind about the value.
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

    @property
    def is_test(self) -> bool:
        """True for p-value tests (threshold compared with `pvalue`), False for distances."""
        return self.method is not None and METHODS[self.method][1] == "test"

    def to_dict(self) -> dict[str, Any]:
        largest = None
        if self.largest_change is not None:
            largest = {"value": self.largest_change, "baseline_share": _json_number(self.largest_change_baseline),
                       "current_share": _json_number(self.largest_change_current)}
        return {
            "column": self.column,
            "kind": self.kind,
            "status": self.status,
            "method": self.method,
            "value": _json_number(self.value),
            "pvalue": _json_number(self.pvalue),
            "threshold": _json_number(self.threshold),
            "threshold_applies_to": None if self.method is None else ("pvalue" if self.is_test else "value"),
            "drifted": self.drifted,
            "severity": self.severity,
            "largest_change": largest,
            "new_values": list(self.new_values),
            "baseline_count": self.baseline_count,
            "current_count": self.current_count,
            "shape": {"baseline": [_json_number(x) for x in self.baseline_shape],
                      "current": [_json_number(x) for x in self.current_shape],
                      "labels": list(self.shape_labels)},
            "note": self.note,
        }

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": DRIFT_FORMAT,
            "version": DRIFT_VERSION,
            "passed": self.passed,
            "summary": {
                "environment": self.environment,
                "columns": len(self.columns),
                "compared": self.compared_count,
                "drifted": self.drifted_count,
                "drifted_share": _json_number(self.drifted_share),
                "drifted_columns": self.drifted_columns,
                "row_count_baseline": self.row_count_baseline,
                "row_count_current": self.row_count_current,
                "row_count_change": _json_number(self.row_count_change),
                "row_count_threshold": _json_number(self.row_count_threshold),
                "row_count_drifted": self.row_count_drifted,
            },
            "columns": [c.to_dict() for c in self.columns],
        }

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
        )


def _json_number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# ------------------------------------------------------------------------------------------- method names


def canonical_method(name: str) -> str:
    """The canonical name of a drift method, accepting the aliases in METHOD_ALIASES.

    Raises:
        UsageError: the name is not a known method.

    Example:
        >>> canonical_method("jensen_shannon")
        'jsd'
    """
    key = str(name).strip().lower().replace("-", "_")
    key = METHOD_ALIASES.get(key, key)
    if key not in METHODS:
        raise UsageError(f"unknown drift method {name!r}; choose one of {', '.join(METHODS)}",
                         hint="see docs/drift.md for what each method measures")
    return key


def default_threshold(method: str) -> float:
    """The threshold a method uses when none is given (see METHODS and docs/drift.md)."""
    return METHODS[canonical_method(method)][2]


def _family(col: ColumnStats) -> str | None:
    """Which methods a column's kind calls for: "numeric" (numeric, temporal), "categorical", or None."""
    if col.kind in ("numeric", "temporal"):
        return "numeric"
    if col.kind in ("string", "categorical", "boolean"):
        return "categorical"
    return None


def _fits(method: str, col: ColumnStats) -> str | None:
    """None when `method` can be computed on `col` (on both sides), else the reason it cannot."""
    families, _, _ = METHODS[method]
    family = _family(col)
    if family == "numeric" and "numeric" in families:
        if method == "jsd":
            return None if col.numeric is not None else "it has no histogram"
        return None if col.numeric is not None else "it has no numeric statistics"
    if "categorical" in families:
        if family == "categorical" or (col.kind == "numeric" and col.frequencies is not None):
            if col.frequencies is None:
                return "it has no frequency table (too many distinct values: free text or an identifier)"
            return None
    need = " or ".join(sorted(families))
    return f"{method} compares {need} distributions, and {col.name!r} is a {col.kind} column"


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
            entries.append(_missing(b, expected, env, severity))
            continue
        if b is None:
            entries.append(ColumnDrift(name, c.kind, "new_in_current", None, None, None, False, severity="warning",
                                       current_count=c.count, note="the column is not in the baseline"))
            continue
        if _family(b) != _family(c) or (b.kind != c.kind and "temporal" in (b.kind, c.kind)):
            entries.append(ColumnDrift(name, c.kind, "type_changed", None, None, None, severity != "off",
                                       severity="error" if severity == "off" else severity,
                                       baseline_count=b.count, current_count=c.count,
                                       note=f"the column was {b.kind} ({b.dtype}) and is now {c.kind} ({c.dtype})"))
            continue
        if severity == "off":
            entries.append(ColumnDrift(name, c.kind, "skipped", None, None, None, False, severity="warning",
                                       baseline_count=b.count, current_count=c.count,
                                       note="drift is off for this column in the schema (severity drift: off)"))
            continue
        choice = _choose(name, b, c, col_schema, methods, thresholds, unfit)
        if choice.method is None:
            entries.append(ColumnDrift(name, c.kind, "skipped", None, None, None, False, severity=severity,
                                       baseline_count=b.count, current_count=c.count, note=choice.note))
            continue
        entries.append(_measure(name, b, c, choice, severity))
    if unfit:
        by_method: dict[str, list[str]] = {}
        for n, m, why in unfit:
            by_method.setdefault(m, []).append(f"{n!r} ({why.split(', and ')[0] if ', and ' not in why else _kind_of(base, cur, n)})")
        lines = "; ".join(f"method {m} ({_fit_text(m)}) does not fit column{'s' if len(cols) > 1 else ''} {', '.join(cols)}"
                          for m, cols in by_method.items())
        raise UsageError(lines, hint="set a method per family or per column instead, e.g. --method numeric=psi "
                                     "--method categorical=chi2 --method income=ks")
    return _report(base, cur, entries, schema, env)


def _kind_of(base: Statistics, cur: Statistics, name: str) -> str:
    col = cur.column(name) or base.column(name)
    return f"a {col.kind} column" if col is not None else "unknown"


def _fit_text(method: str) -> str:
    families = METHODS[method][0]
    if families == {"numeric"}:
        return "numeric and temporal columns only"
    if families == {"categorical"}:
        return "columns with a frequency table only: strings, categoricals, booleans, low-cardinality integers"
    return "numeric columns, and columns with a frequency table"


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


def _effective_size(n_a: float, n_b: float) -> float:
    return n_a * n_b / (n_a + n_b) if n_a > 0 and n_b > 0 else 0.0


def _numeric_counts(col: ColumnStats) -> int:
    """Finite values (what the KLL sketch holds)."""
    return col.sketch.finite_count if col.sketch.finite_count or col.numeric is None else max(
        col.count - col.numeric.nan_count - col.numeric.inf_count, 0)


def _default(name: str, b: ColumnStats, c: ColumnStats, col_schema: Any) -> _Choice:
    """The default method of a column (see the module docstring and docs/drift.md)."""
    family = _family(c)
    if family is None:
        return _Choice(None, None, f"{c.kind} columns are not compared by default; set a method to compare them")
    if c.kind == "temporal":
        return _Choice(None, None, "temporal columns are not compared by default: time moves on between snapshots; "
                                   "set a method (e.g. ks) to compare them")
    if col_schema is not None and getattr(col_schema, "unique", False):
        return _Choice(None, None, "an identifier (unique in the schema): its values are new in every snapshot; "
                                   "set a method to compare it anyway")
    if _looks_like_identifier(b):
        return _Choice(None, None, "looks like an identifier (every value distinct): its values are new in every "
                                   "snapshot; set a method to compare it anyway")
    if family == "numeric" and not _low_cardinality(b, c):
        en = _effective_size(_numeric_counts(b), _numeric_counts(c))
        method = "ks" if en < LARGE_SAMPLE else "wasserstein"
        return _Choice(method, METHODS[method][2])
    if b.frequencies is None or c.frequencies is None:
        return _Choice(None, None, "no frequency table (too many distinct values: free text or an identifier); "
                                   "not compared")
    en = _effective_size(b.count, c.count)
    method = "chi2" if en < LARGE_SAMPLE else "linf"
    return _Choice(method, METHODS[method][2])


def _low_cardinality(b: ColumnStats, c: ColumnStats) -> bool:
    """An integer column with at most LOW_CARDINALITY values (a label, a flag, a code): compared as categories."""
    return (b.kind == "numeric" and b.frequencies is not None and c.frequencies is not None
            and b.frequencies.error == 0 and b.distinct is not None and b.distinct.count <= LOW_CARDINALITY)


def _looks_like_identifier(col: ColumnStats) -> bool:
    if col.distinct is None or col.count < 100:
        return False
    integer = col.kind == "numeric" and col.numeric is not None and col.numeric.integral
    return (integer or col.kind == "string") and col.distinct.count >= IDENTIFIER_DISTINCT_RATIO * col.count


def _choose(name: str, b: ColumnStats, c: ColumnStats, col_schema: Any, methods: Mapping[str, str],
            thresholds: Mapping[str, float], unfit: list[tuple[str, str, str]]) -> _Choice:
    """Resolve method and threshold by precedence: column key, schema, family key, bare value, default."""
    family = _family(c)
    default = _default(name, b, c, col_schema)
    schema_drift = getattr(col_schema, "drift", None) if col_schema is not None else None
    method: str | None = None
    level = None
    if name in methods:
        method, level = methods[name], "column"
    elif schema_drift is not None:
        method, level = canonical_method(schema_drift.method), "schema"
    elif family is not None and family in methods and default.method is not None:
        method, level = methods[family], "family"
    elif "*" in methods and default.method is not None:
        method, level = methods["*"], "all"
    if method is None:
        method = default.method
        if method is None:
            return default
    else:
        for col in (b, c):
            reason = _fits(method, col)
            if reason is not None:
                unfit.append((name, method, reason))
                return _Choice(None, None)
    if name in thresholds:
        value = thresholds[name]
    elif level == "schema" and schema_drift is not None:
        value = schema_drift.threshold
    elif family in thresholds:
        value = thresholds[family]
    elif "*" in thresholds:
        value = thresholds["*"]
    else:
        value = METHODS[method][2]
    return _Choice(method, float(value))


def _missing(b: ColumnStats, expected: set[str] | None, env: str | None, severity: str) -> ColumnDrift:
    if expected is not None and b.name not in expected:
        where = f"environment {env!r}" if env else "the schema"
        return ColumnDrift(b.name, b.kind, "not_expected", None, None, None, False, severity="warning",
                           baseline_count=b.count, note=f"absent, and {where} does not expect it")
    return ColumnDrift(b.name, b.kind, "missing_in_current", None, None, None, severity != "off",
                       severity="error" if severity == "off" else severity, baseline_count=b.count,
                       note="the column is missing from the current data")


def _report(base: Statistics, cur: Statistics, entries: list[ColumnDrift], schema: Any, env: str | None) -> DriftReport:
    counted = [e for e in entries if e.status in ("compared", "missing_in_current", "type_changed")]
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
    method, threshold = choice.method, choice.threshold
    assert method is not None and threshold is not None
    numeric = _family(c) == "numeric" and not (method in ("linf", "normalized_abs_diff", "chi2"))
    if numeric:
        return _measure_numeric(name, b, c, method, threshold, severity)
    return _measure_categorical(name, b, c, method, threshold, severity)


def _verdict(method: str, value: float | None, pvalue: float | None, threshold: float) -> bool:
    if METHODS[method][1] == "test":
        return pvalue is not None and pvalue < threshold
    return value is not None and value > threshold


# -- categorical ----------------------------------------------------------------------------------------------


def _table(col: ColumnStats) -> dict[str, float]:
    """The frequency table, with the mass a truncated (Misra-Gries) table does not hold as one more entry."""
    assert col.frequencies is not None
    table = {v.value: float(v.count) for v in col.frequencies.values}
    rest = col.frequencies.total - sum(table.values())
    if rest > 0:
        table[OTHER_VALUES] = table.get(OTHER_VALUES, 0.0) + rest
    return table


def _pooled(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float], int]:
    """Pool values whose smaller expected count is below CHI2_MIN_EXPECTED into one RARE_VALUES bucket."""
    total_a, total_b = sum(a.values()), sum(b.values())
    total = total_a + total_b
    small = min(total_a, total_b)
    pa: dict[str, float] = {}
    pb: dict[str, float] = {}
    pooled = 0
    for key in sorted(set(a) | set(b)):
        ca, cb = a.get(key, 0.0), b.get(key, 0.0)
        if total and (ca + cb) * small / total < CHI2_MIN_EXPECTED:
            key, pooled = RARE_VALUES, pooled + 1
        pa[key] = pa.get(key, 0.0) + ca
        pb[key] = pb.get(key, 0.0) + cb
    return pa, pb, pooled


def _measure_categorical(name: str, b: ColumnStats, c: ColumnStats, method: str, threshold: float,
                         severity: str) -> ColumnDrift:
    ta, tb = _table(b), _table(c)
    na, nb = b.count, c.count
    notes = []
    if b.frequencies.error or c.frequencies.error:  # type: ignore[union-attr]
        notes.append(f"frequency tables are truncated (Misra-Gries): each share is within "
                     f"{max(b.frequencies.error / max(na, 1), c.frequencies.error / max(nb, 1)):.2g} "  # type: ignore[union-attr]
                     f"of the truth; untracked values are pooled as {OTHER_VALUES!r}")
    base_entry = dict(column=name, kind=c.kind, status="compared", method=method, threshold=threshold,
                      severity=severity, baseline_count=na, current_count=nb)
    shapes = _categorical_shape(ta, tb)
    new = _new_values(b, c)
    if na == 0 or nb == 0:
        side = "baseline" if na == 0 else "current data"
        return ColumnDrift(value=None, drifted=False, note=f"not compared: the {side} has no non-null values "
                           "(a change in the share of nulls is validate's max_null_fraction check)",
                           new_values=new, **base_entry)  # type: ignore[arg-type]
    largest = dm.linf_distance(ta, tb)
    pvalue = None
    if method == "linf":
        value = largest.value
    elif method == "normalized_abs_diff":
        result = dm.normalized_absolute_difference(ta, tb)
        value, largest = result.value, dm.CategoricalDistance(largest.value, result.largest_change)
    elif method == "jsd":
        value = dm.jensen_shannon_categorical(ta, tb)
    elif method == "psi":
        keys = sorted(set(ta) | set(tb))
        value = dm.psi([ta.get(k, 0.0) / na for k in keys], [tb.get(k, 0.0) / nb for k in keys])
    else:  # chi2
        pa, pb, pooled = _pooled(ta, tb)
        value, pvalue = dm.chi_squared(pa, pb)
        if pooled:
            notes.append(f"{pooled} values with expected counts below {CHI2_MIN_EXPECTED:g} pooled as {RARE_VALUES!r}")
    key = largest.largest_change
    return ColumnDrift(value=value, pvalue=pvalue, drifted=_verdict(method, value, pvalue, threshold),
                       largest_change=key,
                       largest_change_baseline=ta.get(key, 0.0) / na if key is not None else None,
                       largest_change_current=tb.get(key, 0.0) / nb if key is not None else None,
                       new_values=new, baseline_shape=shapes[0], current_shape=shapes[1], shape_labels=shapes[2],
                       note="; ".join(notes) or None, **base_entry)  # type: ignore[arg-type]


def _new_values(b: ColumnStats, c: ColumnStats) -> tuple[str, ...]:
    if b.frequencies is None or c.frequencies is None or b.frequencies.error:
        return ()
    seen = b.frequencies.as_mapping()
    return tuple(v.value for v in c.frequencies.values if v.value not in seen)[:NEW_VALUES_LIMIT]


def _categorical_shape(ta: Mapping[str, float], tb: Mapping[str, float]) -> tuple[tuple[float, ...], tuple[float, ...], tuple[str, ...]]:
    total_a, total_b = sum(ta.values()) or 1.0, sum(tb.values()) or 1.0
    ordered = sorted(ta, key=lambda k: (-ta[k], k))[:SHAPE_VALUES]
    ordered += sorted((k for k in tb if k not in ta), key=lambda k: (-tb[k], k))[: max(2, SHAPE_VALUES - len(ordered))]
    return (tuple(ta.get(k, 0.0) / total_a for k in ordered), tuple(tb.get(k, 0.0) / total_b for k in ordered),
            tuple(ordered))


# -- numeric ----------------------------------------------------------------------------------------------------


def _histogram_counts(col: ColumnStats) -> dm.HistogramCounts:
    n = col.numeric
    assert n is not None
    pos_inf = n.inf_count - n.neg_inf_count
    if n.histogram is None:
        return dm.HistogramCounts((), (), n.nan_count, pos_inf, n.neg_inf_count)
    return dm.HistogramCounts(n.histogram.edges, n.histogram.counts, n.nan_count, pos_inf, n.neg_inf_count)


def _sketch(col: ColumnStats) -> Any:
    return sketches.kll_from_text(col.sketch.kll) if col.sketch.kll else None


def _sketch_items(sketch: Any) -> np.ndarray:
    """The values a quantile sketch retains (datacheck's QuantileSketch or a DataSketches KLL sketch)."""
    values = getattr(sketch, "values", None)
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.fromiter((x for x, _ in sketch), dtype=float)


def _cdfs_on_union(ka: Any, kb: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both sketch CDFs on the union of the items the two sketches retain.

    Each sketch's CDF is a step function that only changes at its retained items, so on this grid the KS
    distance and the Wasserstein integral between the two sketched distributions are exact; what remains is
    the sketches' own rank error (docs/drift.md).
    """
    grid = np.unique(np.concatenate([_sketch_items(ka), _sketch_items(kb)]))
    cdf_a = np.clip(np.asarray(ka.get_cdf(grid.tolist(), True), dtype=float)[:-1], 0.0, 1.0)
    cdf_b = np.clip(np.asarray(kb.get_cdf(grid.tolist(), True), dtype=float)[:-1], 0.0, 1.0)
    return grid, cdf_a, cdf_b


def _measure_numeric(name: str, b: ColumnStats, c: ColumnStats, method: str, threshold: float,
                     severity: str) -> ColumnDrift:
    na, nb = _numeric_counts(b), _numeric_counts(c)
    base_entry = dict(column=name, kind=c.kind, status="compared", method=method, threshold=threshold,
                      severity=severity, baseline_count=na, current_count=nb)
    notes: list[str] = []
    nonfinite = [(side, col.numeric.nan_count, col.numeric.inf_count) for side, col in (("baseline", b), ("current", c))
                 if col.numeric is not None and (col.numeric.nan_count or col.numeric.inf_count)]
    if nonfinite and method != "jsd":
        notes.append("NaN and infinite values are left out of " + method + " ("
                     + ", ".join(f"{side}: {nan} NaN, {inf} inf" for side, nan, inf in nonfinite) + ")")
    if method == "jsd":
        ha, hb = _histogram_counts(b), _histogram_counts(c)
        if ha.total == 0 or hb.total == 0:
            side = "baseline" if ha.total == 0 else "current data"
            return ColumnDrift(value=None, drifted=False, note=f"not compared: the {side} has no values",
                               **base_entry)  # type: ignore[arg-type]
        value = dm.jensen_shannon_histograms(ha, hb)
        ka, kb = _sketch(b), _sketch(c)
        shapes = _numeric_shape(b, c, ka, kb) if ka is not None and kb is not None else ((), ())
        notes.append("from the stored 20-bucket histograms, re-bucketed onto the union of their edges (TFDV)")
        return ColumnDrift(value=value, drifted=_verdict(method, value, None, threshold), baseline_shape=shapes[0],
                           current_shape=shapes[1], note="; ".join(notes), **base_entry)  # type: ignore[arg-type]
    ka, kb = _sketch(b), _sketch(c)
    if ka is None or kb is None or na == 0 or nb == 0:
        side = "baseline" if (ka is None or na == 0) else "current data"
        notes.insert(0, f"not compared: the {side} has no finite values (a change in the share of nulls is "
                        "validate's max_null_fraction check)")
        return ColumnDrift(value=None, drifted=False,
                           note="; ".join(notes), **base_entry)  # type: ignore[arg-type]
    shapes = _numeric_shape(b, c, ka, kb)
    pvalue = None
    value: float | None
    if method == "ks":
        grid, cdf_a, cdf_b = _cdfs_on_union(ka, kb)
        value, pvalue = dm.ks_from_cdfs(cdf_a, cdf_b, na, nb)
    elif method == "wasserstein":
        grid, cdf_a, cdf_b = _cdfs_on_union(ka, kb)
        distance = dm.wasserstein_from_cdfs(grid, cdf_a, cdf_b)
        value = dm.normalized_wasserstein(distance, float(b.numeric.std or 0.0))  # type: ignore[union-attr]
        if not math.isfinite(value):
            notes.insert(0, f"the baseline is constant (std 0) and the current values moved by {distance:.6g} "
                            "on average: infinitely many standard deviations")
            value = None
            drifted = True
            return ColumnDrift(value=value, drifted=drifted, baseline_shape=shapes[0], current_shape=shapes[1],
                               note="; ".join(notes), **base_entry)  # type: ignore[arg-type]
    else:  # psi on the baseline's deciles
        edges = np.unique(np.asarray(ka.get_quantiles([i / 10 for i in range(1, 10)]), dtype=float))
        cdf_a = np.clip(np.asarray(ka.get_cdf(edges.tolist(), True), dtype=float)[:-1], 0, 1)
        cdf_b = np.clip(np.asarray(kb.get_cdf(edges.tolist(), True), dtype=float)[:-1], 0, 1)
        value = dm.psi_from_cdfs(np.maximum.accumulate(cdf_a), np.maximum.accumulate(cdf_b))
    return ColumnDrift(value=value, pvalue=pvalue, drifted=_verdict(method, value, pvalue, threshold),
                       baseline_shape=shapes[0], current_shape=shapes[1], note="; ".join(notes) or None,
                       **base_entry)  # type: ignore[arg-type]


def _numeric_shape(b: ColumnStats, c: ColumnStats, ka: Any, kb: Any) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Shares per equal-width bin over the 1st..99th percentile of both sides (outer values in the end bins)."""
    lo = min(float(ka.get_quantile(0.01)), float(kb.get_quantile(0.01)))
    hi = max(float(ka.get_quantile(0.99)), float(kb.get_quantile(0.99)))
    if not hi > lo:
        lo, hi = min(ka.get_min_value(), kb.get_min_value()), max(ka.get_max_value(), kb.get_max_value())
    if not hi > lo:
        return (1.0,), (1.0,)
    inner = np.linspace(lo, hi, SHAPE_BINS + 1)[1:-1].tolist()
    shares = []
    for sk in (ka, kb):
        cdf = np.concatenate([[0.0], np.clip(np.asarray(sk.get_cdf(inner, True), dtype=float)[:-1], 0, 1), [1.0]])
        shares.append(tuple(float(x) for x in np.clip(np.diff(np.maximum.accumulate(cdf)), 0, 1)))
    return shares[0], shares[1]


__all__ = ["drift", "compare", "DriftReport", "ColumnDrift", "METHODS", "METHOD_ALIASES", "LARGE_SAMPLE",
           "canonical_method", "default_threshold", "DRIFT_FORMAT", "DRIFT_VERSION", "STATUSES"]
