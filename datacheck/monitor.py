"""Monitoring: add a batch to the history and judge its metrics against the batches before it.

    monitor(DATA, history) = profile (or validate, with a schema: the same one scan)
                             -> metrics (monitor_metrics) -> judge the series (monitor_strategies)
                             -> one Report, written to the history with the batch in one transaction

`trend(batches, settings)` judges every point of every series of a history: the HTML trend report and
`datacheck history show` draw it. The findings use the validation's Finding model and its codes
(`metric_anomaly`, `metric_change`, from `datacheck.checks.monitoring`), so every report format prints them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from datacheck.checks.catalogue import CATALOGUE
from datacheck.checks.family import Context, FixNames
from datacheck.checks.model import Report
from datacheck.checks.validation import report as build_report
from datacheck.checks.wording import pct
from datacheck.drift import compare
from datacheck.errors import UsageError
from datacheck.history import Batch, History, batch_time, utc_text
from datacheck.monitor_metrics import DATASET, DRIFT_METHODS, METRICS, Metrics, drift_summary, measure, pack
from datacheck.monitor_strategies import Judged, Settings, groups, judge_matrix
from datacheck.schema import Schema
from datacheck.statistics import Statistics

#: The most points of a series a finding carries: the window that led to it and the point itself.
SERIES_IN_FINDING = 60
_PENDING = 2**62


@dataclass(frozen=True, slots=True)
class Series:
    """One metric of one column over the batches of a trend, judged.

    Fields:
        column: the column ("" for the dataset's metrics). metric: one of monitor_metrics.METRICS.
        values, noise: per batch (NaN where the batch has no such value).
        judged: the strategies' verdict per batch (see monitor_strategies.Judged).
    """

    column: str
    metric: str
    values: np.ndarray
    noise: np.ndarray
    judged: Judged

    def anomalies(self) -> list[int]:
        """The positions flagged by any strategy."""
        return [int(i) for i in np.flatnonzero(self.judged.flagged)]


@dataclass(frozen=True, slots=True)
class Trend:
    """Every judged series of a history (or of its newest part).

    Fields:
        batches: the batches, in time order. columns: the columns, newest batch's order first.
        series: (column, metric) -> Series. settings: how they were judged.
    """

    batches: tuple[Batch, ...]
    columns: tuple[str, ...]
    series: dict[tuple[str, str], Series]
    settings: Settings

    @property
    def times(self) -> list[str]:
        return [b.at for b in self.batches]

    def flagged_at(self, position: int) -> list[Series]:
        """The series flagged at one batch, in column then metric order."""
        return [s for s in self.series.values() if s.judged.flagged[position]]


@dataclass(frozen=True, slots=True)
class SeriesView:
    """The series of one column that `datacheck history show` prints.

    Fields:
        trend: the judged trend. column: the column ("" for the dataset). metrics: the metrics to show.
    """

    trend: Trend
    column: str
    metrics: tuple[str, ...]

    def series(self) -> list[Series]:
        return [self.trend.series[(self.column, m)] for m in self.metrics if (self.column, m) in self.trend.series]


@dataclass(frozen=True, slots=True)
class MonitorResult:
    """What `monitor` returns.

    Fields:
        report: findings of the validation (with a schema) and of the monitoring, one Report.
        batch: the batch as written to the history.
        statistics: the batch's statistics.
        trend: the judged series, the new batch last (what the HTML trend report draws).
    """

    report: Report
    batch: Batch
    statistics: Statistics
    trend: Trend


def trend(batches: Sequence[Batch], settings: Settings | None = None) -> Trend:
    """Judge every point of every metric series of these batches (in time order).

    Example:
        >>> t = trend([])
        >>> t.series
        {}
    """
    settings = settings or Settings()
    ordered = tuple(sorted(batches, key=lambda b: (b.at, b.id)))
    columns: list[str] = []
    for batch in reversed(ordered):
        columns.extend(c for c in batch.metric_columns if c not in columns and c != DATASET)
    every = [DATASET, *columns]
    slot = {name: index for index, name in enumerate(every)}
    cube = np.full((len(ordered), len(every), len(METRICS), 2), np.nan)
    for index, batch in enumerate(ordered):
        cube[index, [slot[c] for c in batch.metric_columns]] = batch.metric_values
    # One row per (column, metric), columns in order and metrics in METRICS order within each.
    values = cube[..., 0].transpose(1, 2, 0).reshape(len(every) * len(METRICS), len(ordered))
    noise = cube[..., 1].transpose(1, 2, 0).reshape(len(every) * len(METRICS), len(ordered))
    present = np.flatnonzero(~np.all(np.isnan(values), axis=1)) if len(ordered) else np.arange(0)
    # Only the judged metrics are judged (the others are drawn without a band): on 1,000 batches x 100 columns,
    # the seven default metrics take 60% of the time of all twelve.
    chosen = np.array([row for row in present if METRICS[row % len(METRICS)] in settings.metrics], dtype=np.int64)
    judged = judge_matrix(values[chosen], noise[chosen], groups([b.at for b in ordered], settings.seasonality),
                          settings, [METRICS[row % len(METRICS)] for row in chosen])
    where = {int(row): i for i, row in enumerate(chosen)}
    unjudged = np.full(len(ordered), np.nan)
    series: dict[tuple[str, str], Series] = {}
    for row in present:
        key, i = (every[row // len(METRICS)], METRICS[row % len(METRICS)]), where.get(int(row))
        verdict = (Judged(judged.center[i], judged.scale[i], judged.score[i], judged.change[i], judged.history[i],
                          judged.flagged[i]) if i is not None
                   else Judged(unjudged, unjudged, unjudged, unjudged, unjudged, np.zeros(len(ordered), np.int8)))
        series[key] = Series(key[0], key[1], values[row], noise[row], verdict)
    return Trend(ordered, tuple(columns), series, settings)


# --------------------------------------------------------------------------------------------- findings


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() and abs(value) >= 1000 else f"{value:.4g}"


def _series_points(trend: Trend, series: Series, position: int) -> list[dict[str, Any]]:
    start = max(0, position - SERIES_IN_FINDING + 1)
    return [{"at": trend.batches[i].at, "value": None if math.isnan(series.values[i]) else float(series.values[i])}
            for i in range(start, position + 1)]


def add_findings(ctx: Context, trend: Trend, position: int) -> None:
    """Turn the flags of one batch into findings (and record the monitor check of every column judged)."""
    at = trend.batches[position].at
    least = trend.settings.season_min_history if trend.settings.seasonality else trend.settings.min_history
    for series in trend.series.values():
        column = series.column or None
        judged = series.judged
        if math.isnan(series.values[position]):
            continue
        if judged.history[position] < least and not judged.flagged[position]:
            ctx.skip(column, "monitor", f"{int(judged.history[position])} earlier batches, fewer than the "
                                        f"{least} a z-score needs")
            continue
        ctx.ran(column, "monitor")
        spec = ctx.schema.column(series.column) if series.column else None
        value = float(series.values[position])
        points = _series_points(trend, series, position)
        flag = int(judged.flagged[position])
        if flag & 1:
            center, scale, score = (float(judged.center[position]), float(judged.scale[position]),
                                    float(judged.score[position]))
            threshold = trend.settings.threshold
            ctx.add(spec, "metric_anomaly",
                    f"{series.metric} {_number(value)} on {at}: robust z-score {score:+.1f} against the median "
                    f"{_number(center)} of the last {int(judged.history[position])} batches (scale {scale:.3g}), "
                    f"beyond ±{threshold:g}",
                    column=column, observed={"metric": series.metric, "at": at, "value": value,
                                             "score": round(score, 4), "series": points},
                    expected={"strategy": "zscore", "center": center, "scale": scale, "threshold": threshold,
                              "low": center - threshold * scale, "high": center + threshold * scale,
                              "history": int(judged.history[position]),
                              "seasonality": trend.settings.seasonality})
        if flag & 2:
            change = float(judged.change[position])
            ctx.add(spec, "metric_change",
                    f"{series.metric} {_number(value)} on {at}: {'+' if change > 0 else '-'}{pct(abs(change))} "
                    f"against the previous batch, beyond ±{pct(trend.settings.max_change)}",
                    column=column, observed={"metric": series.metric, "at": at, "value": value,
                                             "change": round(change, 6), "series": points},
                    expected={"strategy": "change", "max_change": trend.settings.max_change,
                              "seasonality": trend.settings.seasonality},
                    value=f"{math.ceil(abs(change) * 1000) / 1000:g}")


def judge_batch(stats: Statistics, trend: Trend, position: int, *, schema: Schema | None = None,
                validation: Report | None = None, names: FixNames | None = None) -> Report:
    """One Report for a batch: the validation's findings (when it ran) and the monitoring's, sorted together."""
    spec = schema or Schema(())
    ctx = Context(stats, spec, None, None, names or FixNames(), 5, CATALOGUE)
    if validation is not None:
        ctx.findings.extend(validation.findings)
        ctx.checks.update({(c.column, c.check): c for c in validation.checks})
    add_findings(ctx, trend, position)
    return build_report(ctx, from_statistics=validation.summary.from_statistics if validation else False)


# --------------------------------------------------------------------------------------------- the loop


def drift_values(base: Statistics | None, cur: Statistics) -> dict[str, float | None]:
    """The drift distance of every column of `cur` against `base` (None where it cannot be measured)."""
    if base is None:
        return {}
    try:
        report = compare(base, cur, method=DRIFT_METHODS)
    except UsageError:  # a column neither method fits: let each column take its default
        report = compare(base, cur)
    out: dict[str, float | None] = {}
    for entry in report.columns:
        if entry.status == "compared" and entry.method in DRIFT_METHODS.values():
            out[entry.column] = entry.value
    return out


def _neighbours(store: History, at: str, sources: Sequence[str], window: int) -> tuple[list[Batch], Batch | None]:
    """The newest `window` batches at or before `at` (not one with the same time and sources: it is replaced),
    and the reference batch (the first of the history). Only these are read: judging a new batch against a
    history of 1,000 batches reads 29 of them."""
    same = tuple(sorted(sources))
    before = [b for b in store.newest(window + 1, until=at) if not (b.at == at and b.sources == same)][-window:]
    first = store.first()
    if first is not None and first.at == at and first.sources == same:
        first = before[0] if before else None
    return before, first


def _context_window(settings: Settings) -> int:
    # Enough batches for the longest window: seasonal windows reach back season_window weeks of daily batches.
    return (settings.season_window * 7 + 7) if settings.seasonality else settings.window + 1


def record(store: History, stats: Statistics, *, at: str, sources: Sequence[str], settings: Settings | None = None,
           judge: bool = True, schema: Schema | None = None, validation: Report | None = None,
           names: FixNames | None = None, replace_same: bool = True) -> tuple[Batch, Report | None, Trend]:
    """Measure a batch against the one before it and the reference, judge it (with `judge`), and write it with its
    verdict in one transaction.

    Returns:
        (the batch as stored, its Report or None when not judged, the trend it was judged in).
    """
    settings = settings or Settings()
    names_sorted = sorted(sources) or ["<memory>"]
    before, reference = _neighbours(store, at, names_sorted, _context_window(settings))
    previous = store.statistics(before[-1].id) if before else None
    reference_stats = (previous if reference is not None and before and reference.id == before[-1].id
                       else store.statistics(reference.id) if reference is not None else None)
    to_previous = drift_values(previous, stats)
    to_reference = to_previous if reference_stats is previous else drift_values(reference_stats, stats)
    metrics: Metrics = measure(stats, previous, to_previous, to_reference)
    # Not stored yet: an id above any the store gives, so that it sorts after batches of the same time.
    pending = Batch(_PENDING, at, tuple(names_sorted), stats.num_rows, len(stats.columns), "", *pack(metrics))
    judged = trend(list(before) + [pending], settings)
    position = next(i for i, b in enumerate(judged.batches) if b.id == _PENDING)
    result = judge_batch(stats, judged, position, schema=schema, validation=validation, names=names) if judge else None
    summary = None
    if validation is not None:
        summary = {"passed": validation.passed, **validation.summary.to_dict()}
    verdict = None if result is None else ("passed" if result.passed else "failed")
    batch = store.add(stats, at=at, metrics=metrics, sources=names_sorted, validation=summary,
                      drift=drift_summary(metrics), verdict=verdict, replace=replace_same,
                      remeasured=_remeasure_next(store, stats, at))
    batches = list(judged.batches)
    batches[position] = batch
    return batch, result, replace(judged, batches=tuple(batches))


def _remeasure_next(store: History, stats: Statistics, at: str) -> tuple[int, Metrics, dict[str, Any]] | None:
    """The batch after a backfilled one, measured again against it: its new_share and drift_prev compare with
    the batch before it, which is now the backfilled one. Its drift_ref stays (the reference did not change
    unless the backfilled batch is older than all, and then only the batches measured from now on use it)."""
    later = store.following(at)
    if later is None:
        return None
    later_stats = store.statistics(later.id)
    kept = {column: pair[0] for column, metrics in later.metrics.items()
            for metric, pair in metrics.items() if metric == "drift_ref"}
    metrics = measure(later_stats, stats, drift_values(stats, later_stats), kept)
    return later.id, metrics, drift_summary(metrics)


def monitor(data: Any, history: str | os.PathLike[str], *, schema: Schema | str | None = None, at: str | None = None,
            settings: Settings | None = None, options: Any = None, progress: Any = None, engine: str = "local",
            replace_same: bool = True) -> MonitorResult:
    """Profile a batch (validating it in the same scan when a schema is given), add it to the history and judge
    its metrics against the batches before it.

    Args:
        data: paths (files, directories, globs), a saved statistics file, or an in-memory table.
        history: the history file (created when missing).
        schema: a Schema or a schema file's path: the batch is validated in the same scan.
        at: the batch's time; default: the hive partition key of its paths (date=2024-06-01), else now (UTC).
        settings: how series are judged (monitor_strategies.Settings).
        options: `ReadOptions`. progress: rows-scanned callback. engine: as for `validate`.
        replace_same: a batch with the same time and sources is replaced (else both are kept).

    Returns:
        MonitorResult; `result.report.passed` is False when a finding is an error.

    Raises:
        InputError, SchemaFileError, UsageError, HistoryError: could not run.

    Example:
        >>> import polars as pl, tempfile, os
        >>> path = os.path.join(tempfile.mkdtemp(), "h.db")
        >>> monitor(pl.DataFrame({"x": [1, 2, 3]}), path, at="2024-06-01").report.passed
        True
    """
    paths = [os.fspath(p) for p in data] if isinstance(data, (list, tuple)) else (
        [os.fspath(data)] if isinstance(data, (str, os.PathLike)) else [])
    when = utc_text(batch_time(at, paths))
    validation: Report | None = None
    names = None
    if schema is not None:
        from datacheck.checks.validation import validate_with_statistics

        schema_path = os.fspath(schema) if isinstance(schema, (str, os.PathLike)) else None
        spec = Schema.load(schema_path) if schema_path is not None else schema
        assert isinstance(spec, Schema)
        validation, stats = validate_with_statistics(paths or data, spec, options=options, progress=progress,
                                                     schema_path=schema_path, engine=engine)
        names = FixNames(schema=schema_path or "schema.json")
    else:
        from datacheck.engine import profile_with_engine
        from datacheck.profile import profile

        spec = None
        stats = (profile_with_engine(paths, options, engine=engine, progress=progress) if paths
                 else profile(data, options, progress=progress))
    sources = [s.path for s in stats.sources] or ["<memory>"]
    with History.open(history) as store:
        batch, report, judged = record(store, stats, at=when, sources=sources, settings=settings, schema=spec,
                                       validation=validation, names=names, replace_same=replace_same)
    assert report is not None
    return MonitorResult(report, batch, stats, judged)


def add_batch(store: History, stats: Statistics, *, at: str, settings: Settings | None = None,
              replace_same: bool = True) -> Batch:
    """Backfill: add a batch's statistics to the history, measured but not judged (`datacheck history add`)."""
    sources = [s.path for s in stats.sources] or ["<memory>"]
    return record(store, stats, at=at, sources=sources, settings=settings, judge=False,
                  replace_same=replace_same)[0]


def latest_result(store: History, settings: Settings | None = None) -> MonitorResult:
    """The newest batch of a history judged against the ones before it, with the whole trend (`history report`).

    Raises:
        HistoryError: the history holds no batch.
    """
    from datacheck.history import HistoryError

    batches = store.batches()
    if not batches:
        raise HistoryError("the history holds no batch", path=store.path,
                           hint="add one with 'datacheck monitor DATA --history PATH'")
    judged = trend(batches, settings)
    stats = store.statistics(judged.batches[-1].id)
    report = judge_batch(stats, judged, len(judged.batches) - 1)
    return MonitorResult(report, judged.batches[-1], stats, judged)


__all__ = ["MonitorResult", "Series", "SeriesView", "Trend", "add_batch", "add_findings", "drift_values", "judge_batch",
           "latest_result", "monitor", "record",
           "trend"]
