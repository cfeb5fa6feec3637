"""Run datacheck's public API over the corpus: split halves, corruptions, self-validation, false drift.

For each dataset, with the corpus seed:

1. self-validation: `validate(frame, infer_schema(profile(frame)))` must pass (no error-level finding);
2. the rows are shuffled and split into halves A and B; the schema is inferred from A;
3. false alarms: B is validated against A's schema; any error-level finding is a false alarm;
4. false drift: `drift(A, B)` with the defaults; every drifted column is a false drift;
5. corruptions (see `corruptions`): each is planted in a copy of B, in one column drawn among those it applies
   to, and B is validated again: caught when an error-level finding names that column (the dataset-level
   `empty` corruption: any error-level finding). Value corruptions are also planted in every other column
   they apply to, in the same copy, for a per-column figure, and compared with `drift(A, B')`.

Only `datacheck.profile`, `infer_schema`, `validate` and `drift` are called. Any exception they raise is
recorded as a crash of that step; the steps that need its result are then not counted.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

import datacheck

from .corruptions import APPLIES, CORRUPTIONS, DATASET_LEVEL, corrupt, profile_columns
from .loader import CorpusDataset, rng_for

#: Corruptions of values: planted in every column they apply to at once (besides the column drawn for the
#: per-dataset figure, in the same copy), and also checked with `drift`. Validation and drift judge each
#: column on its own, so one run gives every column's outcome. Dropping and renaming stay one column at a
#: time: removing every column would leave no frame to validate.
EVERY_COLUMN = ("nulls_40", "times_1000", "negate", "to_text", "unseen_10", "upper")


@dataclass(frozen=True)
class Crash:
    dataset: str
    step: str
    error: str


@dataclass(frozen=True)
class Finding:
    """An error-level finding on data that should pass: the column (None: dataset-level) and its code."""

    column: str | None
    code: str


@dataclass(frozen=True)
class DriftEntry:
    """A column `drift` compared on clean halves: drifted or not, with the method and value behind it."""

    column: str
    kind: str
    status: str
    method: str | None
    value: float | None
    pvalue: float | None
    drifted: bool


@dataclass(frozen=True)
class Outcome:
    """One corruption planted in one column of one dataset: the column, whether an error named it, the codes
    that did (any severity, "code:severity"), whether `drift` flagged the column (None: not checked), and
    whether it is the column drawn for the per-dataset figure."""

    corruption: str
    column: str | None
    caught: bool
    codes: tuple[str, ...]
    drift_flagged: bool | None = None
    drawn: bool = True


@dataclass(frozen=True)
class DatasetResult:
    name: str
    rows: int
    columns: int
    self_errors: tuple[Finding, ...] | None
    clean_errors: tuple[Finding, ...] | None
    drift: tuple[DriftEntry, ...] | None
    outcomes: tuple[Outcome, ...]
    crashes: tuple[Crash, ...]
    seconds: float


def _errors(report: Any) -> tuple[Finding, ...]:
    return tuple(Finding(f.column, f.code) for f in report.findings if f.severity == "error")


def _drift_entries(report: Any) -> tuple[DriftEntry, ...]:
    return tuple(DriftEntry(c.column, c.kind, c.status, c.method, c.value, c.pvalue, bool(c.drifted))
                 for c in report.columns)


class _Run:
    """One dataset's run: calls the API, records crashes instead of raising them."""

    def __init__(self, dataset: CorpusDataset) -> None:
        self.dataset = dataset
        self.crashes: list[Crash] = []

    def call(self, step: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001  (a crash is a measurement, not a failure of the harness)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.crashes.append(Crash(self.dataset.name, step, f"{type(exc).__name__}: {exc} "
                                      f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"))
            return None

    def schema_of(self, step: str, frame: pl.DataFrame) -> tuple[Any, Any]:
        stats = self.call(f"profile {step}", datacheck.profile, frame)
        if stats is None:
            return None, None
        return stats, self.call(f"infer_schema {step}", datacheck.infer_schema, stats)


def _outcomes(run: _Run, kind: str, profiles: dict[str, Any], half_a: Any, half_b: pl.DataFrame,
              schema: Any) -> list[Outcome]:
    """The outcomes of one corruption: for the column drawn, and (value corruptions) for every other column
    it applies to, all planted in one copy of the half (validation and drift judge each column on its own)."""
    name = run.dataset.name
    if kind in DATASET_LEVEL:
        columns: list[str | None] = [None]
    else:
        eligible = sorted(c for c, p in profiles.items() if APPLIES[kind](p))
        if not eligible:
            return []
        drawn = eligible[int(rng_for("column", name, kind).integers(len(eligible)))]
        columns = [drawn, *(c for c in eligible if c != drawn and kind in EVERY_COLUMN)]
    bad = half_b
    for column in columns:
        bad = corrupt(bad, kind, column or "", rng_for("rows", name, kind, column))
    report = run.call(f"validate {kind}", datacheck.validate, bad, schema)
    if report is None:
        return [Outcome(kind, columns[0], False, ("crash",))]
    moved = None
    if kind in EVERY_COLUMN and half_a is not None:
        moved = run.call(f"drift {kind}", datacheck.drift, half_a, bad)
    out = []
    for i, column in enumerate(columns):
        named = tuple(f"{f.code}:{f.severity}" for f in report.findings if column is None or f.column == column)
        if column is None:
            caught = bool(report.errors)
        else:
            caught = any(f.severity == "error" and f.column == column for f in report.findings)
        flagged = None
        if moved is not None:
            entry = moved.column(column)
            flagged = bool(entry is not None and entry.drifted)
        out.append(Outcome(kind, column, caught, named, flagged, drawn=i == 0))
    return out


def run_dataset(dataset: CorpusDataset) -> DatasetResult:
    """Every measurement on one dataset (see the module docstring)."""
    start = time.perf_counter()
    run = _Run(dataset)
    frame = dataset.frame
    _, own = run.schema_of("whole", frame)
    self_errors = None
    if own is not None:
        report = run.call("validate whole", datacheck.validate, frame, own)
        self_errors = _errors(report) if report is not None else None

    order = rng_for("split", dataset.name).permutation(frame.height)
    half = frame.height // 2
    half_a, half_b = frame[order[:half]], frame[order[half:]]
    stats_a, schema = run.schema_of("half A", half_a)
    clean_errors = drift_entries = None
    outcomes: list[Outcome] = []
    if schema is not None:
        report = run.call("validate half B", datacheck.validate, half_b, schema)
        clean_errors = _errors(report) if report is not None else None
        profiles = profile_columns(frame)
        for kind in CORRUPTIONS:
            outcomes.extend(_outcomes(run, kind, profiles, stats_a, half_b, schema))
    if stats_a is not None:
        moved = run.call("drift halves", datacheck.drift, stats_a, half_b)
        drift_entries = _drift_entries(moved) if moved is not None else None
    return DatasetResult(dataset.name, frame.height, frame.width, self_errors, clean_errors, drift_entries,
                         tuple(outcomes), tuple(run.crashes), time.perf_counter() - start)


def run_corpus(datasets: tuple[CorpusDataset, ...]) -> tuple[DatasetResult, ...]:
    return tuple(run_dataset(d) for d in datasets)
