"""Drift per slice (`datacheck drift --slice COLUMN`): every slice present on both sides compared with the same
methods and sample-size rules as the whole table, slices that appeared or vanished reported, and the slices
ranked by how far they drifted.

Both sides are sliced the same way (`datacheck.slices`; saved statistics written by ``stats --slice`` serve
as they are). Each slice is compared as its own pair of snapshots by `datacheck.drift.compare`, so a slice of
a few hundred rows gets the small-sample tests and a large one the distances, exactly as a table of that size.
The slice columns themselves are left out of a slice's comparison (they are constant within it).

Slices under `min_slice_rows` on either side are listed as too small and not compared (the rule and its
reasons: `datacheck.slice_validation.MIN_SLICE_ROWS`). Comparing many slices runs many tests: with each at
its own significance level, 50 slices x 15 columns at p < 0.01 would drift about 7 columns by chance alone.
So a slice's tests are judged at their threshold divided by the number of tests over all slicings (slices
compared x columns; Bonferroni), which keeps the chance of any false alarm in any slice at the threshold: at
one division by the slices only, random halves of the taxi trips still drifted a company's
dropoff_community_area (new values, permutation p = 0.0009 over 11 slices x 17 columns). A distance's
fixed threshold is crossed by noise alone in some slice of a few thousand heavy-tailed values (taxi
trip_miles: Wasserstein 0.13 std between random halves of the 2,500 card payments, over its 0.1), so a
slice's distance verdict also needs its family's test (ks for numbers, chi2 for frequency tables) to reject
at the corrected level. A slice's score (its ranking) is measured against the uncorrected thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from datacheck.drift import ColumnDrift, DriftReport, SliceDrift, compare
from datacheck.drift_methods import METHODS, default_threshold, measure
from datacheck.errors import UsageError
from datacheck.slice_validation import MIN_SLICE_ROWS
from datacheck.slices import MAX_SLICES, key_text, scan_sliced
from datacheck.statistics import Slicing, Statistics

#: The score of a test whose p-value is 0 (log 0): above any finite score.
INFINITE_SCORE = 1e9


def drift_sliced(baseline: Any, current: Any, slicings: Sequence[tuple[str, ...]], *, schema: Any = None,
                 method: str | Mapping[str, str] | None = None, threshold: float | Mapping[str, float] | None = None,
                 env: str | None = None, options: Any = None, max_slices: int = MAX_SLICES,
                 min_slice_rows: int = MIN_SLICE_ROWS) -> DriftReport:
    """`datacheck.drift.drift` on the whole table, plus the drift of every slice (`DriftReport.slices`, most
    drifted first). The report passes when the whole table and every slice pass.

    Args:
        baseline, current: data (paths, tables) or Statistics with the slicings (``stats --slice``).
        slicings: from `datacheck.slices.parse_slices`.
        schema, method, threshold, env, options: as `datacheck.drift.drift`.
        max_slices: slices kept apart per slicing when the data is sliced here.
        min_slice_rows: slices with fewer rows on a side are listed but not compared.

    Raises:
        UsageError: as `drift`; a statistics file without the requested slicing; min_slice_rows below 1.
    """
    from datacheck.drift import _load_schema

    if min_slice_rows < 1:
        raise UsageError(f"--min-slice-rows must be at least 1, got {min_slice_rows}")
    base = _sliced(baseline, slicings, max_slices, options, "baseline")
    cur = _sliced(current, slicings, max_slices, options, "current")
    spec = _load_schema(schema)
    if env is not None and spec is None:
        raise UsageError(f"--env {env} needs a schema that defines the environment", hint="pass --schema schema.json")
    whole = compare(_unsliced(base), _unsliced(cur), schema=spec, method=method, threshold=threshold, env=env)
    pairs = [(_slicing(base, columns), _slicing(cur, columns)) for columns in slicings]
    # Every slice compared tests every column: the family of tests the correction covers.
    tests = sum(len(_compared_keys(b, c, min_slice_rows)) * max(1, len(base.columns) - len(b.columns))
                for b, c in pairs)
    ranked: list[SliceDrift] = []
    for b, c in pairs:
        ranked.extend(_slice_drifts(b, c, spec, method, threshold, env, min_slice_rows, tests))
    ranked.sort(key=_rank)
    passed = whole.passed and not any(s.drifted for s in ranked)
    return replace(whole, passed=passed, slices=tuple(ranked))


def _compared_keys(base: Slicing, cur: Slicing, min_rows: int) -> list[tuple[str | None, ...]]:
    """The slices of a slicing compared: on both sides, with at least `min_rows` rows on each."""
    base_parts, cur_parts = _parts(base), _parts(cur)
    return [k for k in base_parts if k in cur_parts and min(base_parts[k].num_rows, cur_parts[k].num_rows) >= min_rows]


def _slice_drifts(base: Slicing, cur: Slicing, schema: Any, method: Any, threshold: Any, env: str | None,
                  min_rows: int, tests: int) -> list[SliceDrift]:
    base_parts, cur_parts = _parts(base), _parts(cur)
    keys = list(base_parts) + [k for k in cur_parts if k not in base_parts]
    compared = _compared_keys(base, cur, min_rows)
    out = []
    for key in keys:
        name, b, c = key_text(base.columns, key), base_parts.get(key), cur_parts.get(key)
        b_rows, c_rows = (b.num_rows if b else 0), (c.num_rows if c else 0)
        if b is None or c is None:
            status = "new_in_current" if b is None else "missing_in_current"
            out.append(SliceDrift(base.name, name, status, b_rows, c_rows, max(b_rows, c_rows) >= min_rows))
            continue
        if key not in compared:
            out.append(SliceDrift(base.name, name, "too_small", b_rows, c_rows, False))
            continue
        b_part, c_part = _without(b, base.columns), _without(c, base.columns)
        report = compare(b_part, c_part, schema=schema, method=method, threshold=threshold, env=env)
        report = _corrected(report, tests, b_part, c_part)
        drifted = tuple(col.column for col in report.columns if col.drifted)
        out.append(SliceDrift(base.name, name, "compared", b_rows, c_rows, not report.passed, _score(report),
                              drifted, report))
    return out


def _corrected(report: DriftReport, tests: int, base: Statistics, cur: Statistics) -> DriftReport:
    """The slice's report judged against the noise of comparing `tests` slices (see the module docstring): a
    test's verdict at its threshold / tests (Bonferroni); a distance's verdict only when the test of its
    family (ks for numbers, chi2 for frequency tables) also rejects at that level; test signals likewise."""
    if tests <= 1:
        return report
    columns = []
    for col in report.columns:
        by = list(col.drifted_by)
        if "distribution" in by and not _beyond_noise(col, tests, base, cur):
            by.remove("distribution")
        signals = []
        for signal in col.signals:
            if signal.drifted and signal.pvalue is not None and signal.pvalue >= signal.threshold / tests:
                signal = replace(signal, drifted=False)
                if signal.name in by:
                    by.remove(signal.name)
            signals.append(signal)
        columns.append(replace(col, drifted=bool(by), drifted_by=tuple(by), signals=tuple(signals)))
    drifted = [c for c in columns if c.drifted]
    counted = [c for c in columns if c.status in ("compared", "missing_in_current", "type_changed") or c.signals]
    share = sum(1 for c in counted if c.drifted) / len(counted) if counted else 0.0
    passed = not report.row_count_drifted and not any(c.drifted and c.severity == "error" for c in columns)
    return replace(report, columns=tuple(columns), drifted_count=len(drifted), drifted_share=share, passed=passed)


def _beyond_noise(col: ColumnDrift, tests: int, base: Statistics, cur: Statistics) -> bool:
    """Whether a column's distribution drift holds at the corrected level (see `_corrected`)."""
    assert col.method is not None
    if col.is_test:
        return col.pvalue is not None and col.threshold is not None and col.pvalue < col.threshold / tests
    b, c = base.column(col.column), cur.column(col.column)
    if b is None or c is None:
        return True
    test = "chi2" if METHODS[col.method].frequencies is not None and b.frequencies is not None \
        and c.frequencies is not None else "ks"
    found = measure(test, b, c)
    return found.pvalue is not None and found.pvalue < default_threshold(test) / tests


def _score(report: DriftReport) -> float | None:
    """How far a slice drifted: the largest ratio of measured value to threshold over its compared columns
    (tests: log p over log threshold, so p = threshold scores 1 and p = threshold^2 scores 2)."""
    scores = [s for col in report.columns if (s := column_score(col)) is not None]
    return max(scores) if scores else None


def column_score(col: ColumnDrift) -> float | None:
    """A column's drift relative to its threshold: 1 at the threshold, above 1 past it; None if not measured."""
    if col.method is None or col.threshold is None:
        return None
    if METHODS[col.method].is_test:
        if col.pvalue is None or not 0 < col.threshold < 1:
            return None
        return INFINITE_SCORE if col.pvalue <= 0 else math.log(col.pvalue) / math.log(col.threshold)
    if col.value is None:
        return INFINITE_SCORE  # an infinite distance (a constant baseline that moved)
    return col.value / col.threshold if col.threshold > 0 else (INFINITE_SCORE if col.value > 0 else 0.0)


def _rank(item: SliceDrift) -> tuple[int, int, float, str, str]:
    """Drifted slices first, then by how many columns drifted, then by score; ties by slicing and name."""
    return (not item.drifted, -len(item.drifted_columns), -(item.score or 0.0), item.slicing, item.slice)


def _parts(slicing: Slicing) -> dict[tuple[str | None, ...], Statistics]:
    parts = {item.key: item.statistics for item in slicing.slices}
    if slicing.other is not None:
        parts[()] = slicing.other.statistics
    return parts


def _without(stats: Statistics, columns: Sequence[str]) -> Statistics:
    return Statistics(stats.num_rows, tuple(c for c in stats.columns if c.name not in columns))


def _unsliced(stats: Statistics) -> Statistics:
    return replace(stats, slicings=())


def _slicing(stats: Statistics, columns: tuple[str, ...]) -> Slicing:
    for slicing in stats.slicings:
        if slicing.columns == columns:
            return slicing
    raise UsageError(f"no slices by {','.join(columns)} in the statistics")  # _sliced checked this


def sliced_statistics(data: Any, slicings: Sequence[tuple[str, ...]], max_slices: int = MAX_SLICES,
                      options: Any = None) -> Statistics:
    """One side of ``drift --slice``: its statistics with the slicings (saved sliced statistics as they are)."""
    return _sliced(data, slicings, max_slices, options, "input")


def _sliced(data: Any, slicings: Sequence[tuple[str, ...]], max_slices: int, options: Any, side: str) -> Statistics:
    """One side's statistics with the slicings: saved sliced statistics as they are, data sliced here."""
    if not isinstance(data, Statistics):
        from datacheck.sources import resolve_paths

        data = resolve_paths(data, options)
    if isinstance(data, Statistics):
        held = {s.columns for s in data.slicings}
        missing = [",".join(c) for c in slicings if c not in held]
        if missing:
            raise UsageError(f"the {side} statistics hold no slices by {', '.join(missing)}",
                             hint="write them with 'datacheck stats DATA --slice COLUMN -o FILE', or pass the data")
        return data
    return scan_sliced(data, slicings, max_slices=max_slices, options=options).statistics


__all__ = ["column_score", "drift_sliced", "sliced_statistics"]
