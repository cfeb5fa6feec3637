"""How a metric series is judged: the strategies, their settings, and the vectorised judgement of a series.

Two strategies (docs/monitoring.md explains them with their false-alarm rates):

- `zscore`, on every metric: the robust z-score of the value against the trailing window of the history,
  z = (x - median) / scale, with scale = 1.4826 * MAD (the median absolute deviation, scaled to be the
  standard deviation of normal data), or 1.2533 * the mean absolute deviation when more than half the window
  is one value (MAD 0), and never below the value's own sampling noise (`datacheck.monitor_metrics`). A point
  is an anomaly when |z| > `threshold` *and* it lies outside the range the window has seen: a value the
  history already had is not news. Nothing is judged until the window holds `min_history` values.
- `change`, on `change_metrics` (the row count by default): the relative change against the previous batch,
  |x - previous| / |previous| > `max_change`. It catches a drop at the first batch, before any history.

With `seasonality="weekly"` each batch is compared only with batches of the same weekday (UTC): the window is
the last `season_window` of them and the previous batch is the one a week before. A feed with a normal weekly
rhythm (quiet weekends) then raises nothing on Saturdays.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from datacheck.errors import UsageError
from datacheck.monitor_metrics import METRICS

#: 1.4826 * MAD estimates the standard deviation of normal data; 1.2533 * mean absolute deviation does too.
MAD_TO_SD = 1.4826
MEAN_AD_TO_SD = 1.2533
SEASONALITIES = ("weekly",)
#: Metrics recorded and charted but judged only when asked for (`metrics`). On 60 batches of normal taxi data
#: (docs/monitoring.md) at threshold 5: the drift distances flagged 22 of 1,768 points (one outlier row moves a
#: Wasserstein distance as much as a real shift), the quantiles 5 of 2,385 (a quantile at the edge of a mass
#: point, such as the O'Hare longitude, flips between two values); the default metrics none of 4,125.
JUDGED_BY_DEFAULT = tuple(m for m in METRICS if m not in ("q05", "q50", "q95", "drift_prev", "drift_ref"))


@dataclass(frozen=True, slots=True)
class Settings:
    """How series are judged.

    Fields:
        window: the trailing batches a z-score is computed over (28: four weeks of daily batches).
        min_history: the fewest earlier values before a z-score judges (7: a week of daily batches; a median and
            MAD of fewer values move too much from one batch to the next).
        threshold: |z| above this is an anomaly (5: the lowest at which the default metrics flagged none of 4,743
            points of normal taxi data, while every planted change was flagged on its first day; docs/monitoring.md).
        max_change: the relative change against the previous batch above which a `change_metrics` metric is an
            anomaly (0.5: a batch with half the rows, or half again as many).
        change_metrics: the metrics judged by relative change as well as by z-score.
        seasonality: None, or "weekly": compare each batch with the same weekday only.
        season_window, season_min_history: window and min_history when seasonal (8 and 4 weeks).
        metrics: the metrics judged (default: all of monitor_metrics.METRICS).
    """

    window: int = 28
    min_history: int = 7
    threshold: float = 5.0
    max_change: float = 0.5
    change_metrics: tuple[str, ...] = ("row_count",)
    seasonality: str | None = None
    season_window: int = 8
    season_min_history: int = 4
    metrics: tuple[str, ...] = JUDGED_BY_DEFAULT

    def __post_init__(self) -> None:
        if self.window < 1 or self.season_window < 1:
            raise UsageError("the window must hold at least 1 batch", hint="e.g. --window 28")
        if self.min_history < 1 or self.season_min_history < 1:
            raise UsageError("the minimum history must be at least 1 batch", hint="e.g. --min-history 7")
        if not (self.threshold > 0 and self.max_change > 0):
            raise UsageError("--threshold and --max-change must be above 0")
        if self.seasonality is not None and self.seasonality not in SEASONALITIES:
            raise UsageError(f"unknown seasonality {self.seasonality!r}", hint="use --seasonality weekly")
        unknown = [m for m in self.metrics + self.change_metrics if m not in METRICS]
        if unknown:
            raise UsageError(f"unknown metric {unknown[0]!r}", hint=f"metrics: {', '.join(METRICS)}")

    def to_dict(self) -> dict[str, object]:
        return {"window": self.window, "min_history": self.min_history, "threshold": self.threshold,
                "max_change": self.max_change, "change_metrics": list(self.change_metrics),
                "seasonality": self.seasonality, "season_window": self.season_window,
                "season_min_history": self.season_min_history}


@dataclass(frozen=True, slots=True)
class Judged:
    """The judgement of every point of one series (arrays of the series' length; NaN where not judged), or of many
    (arrays of series x batches, from `judge_matrix`).

    Fields:
        center, scale: the window's median and the scale the z-score divided by.
        score: the robust z-score. change: the relative change against the previous batch (change metrics).
        history: how many earlier values the window held.
        flagged: 0 not an anomaly, 1 by z-score, 2 by relative change, 3 by both.
    """

    center: np.ndarray
    scale: np.ndarray
    score: np.ndarray
    change: np.ndarray
    history: np.ndarray
    flagged: np.ndarray


def groups(times: Sequence[str], seasonality: str | None) -> list[np.ndarray]:
    """The positions compared with each other: all of them, or one group per weekday (UTC)."""
    if seasonality is None:
        return [np.arange(len(times))]
    days = np.array([_dt.date.fromisoformat(t[:10]).weekday() for t in times], dtype=np.int64)
    return [np.flatnonzero(days == day) for day in range(7) if np.any(days == day)]


#: Series judged at once: a chunk's windows (series x batches x window floats) stay near 32 MB.
_CHUNK_VALUES = 4_000_000


def _sorted_windows(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """[s, i]: the `window` values of series s before position i, sorted with NaN last; and how many are not NaN."""
    padded = np.concatenate([np.full((len(values), window), np.nan), values], axis=1)
    rows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=1)[:, : values.shape[1]]
    ordered = np.sort(rows, axis=2)
    # Valid values per window from a running count (cheaper than counting inside every window).
    running = np.concatenate([np.zeros((len(values), 1)), np.cumsum(~np.isnan(padded), axis=1)], axis=1)
    counts = (running[:, window: window + values.shape[1]] - running[:, : values.shape[1]]).astype(np.int64)
    return ordered, counts


def _pick(ordered: np.ndarray, index: np.ndarray) -> np.ndarray:
    """ordered[s, i, index[s, i]] for every s, i (a flat gather: take_along_axis cost 5x more here)."""
    width = ordered.shape[2]
    flat = ordered.reshape(-1, width)
    return flat[np.arange(len(flat)), index.ravel()].reshape(index.shape)


def _middle(ordered: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The median of each NaN-last sorted window with `counts` valid values (NaN for none)."""
    safe = np.maximum(counts, 1)
    median = (_pick(ordered, (safe - 1) // 2) + _pick(ordered, safe // 2)) / 2
    return np.where(counts > 0, median, np.nan)


def _judge_group(x: np.ndarray, floor: np.ndarray, window: int, least: int, threshold: float
                 ) -> tuple[np.ndarray, ...]:
    """Robust z-scores of every point of the series `x` (series x positions) against their trailing windows."""
    ordered, counts = _sorted_windows(x, window)
    center = _middle(ordered, counts)
    with np.errstate(invalid="ignore"):
        deviation = np.sort(np.abs(ordered - center[..., None]), axis=2)
        mad = _middle(deviation, counts) * MAD_TO_SD
        mean_ad = np.nansum(deviation, axis=2) / np.maximum(counts, 1) * MEAN_AD_TO_SD
        scale = np.where(mad > 0, mad, mean_ad)
        scale = np.fmax(scale, np.nan_to_num(floor, nan=0.0))
        scale = np.maximum(scale, 1e-12 * np.maximum(1.0, np.abs(center)))
        score = (x - center) / scale
        outside = (x < ordered[..., 0]) | (x > _pick(ordered, np.maximum(counts, 1) - 1))
        flagged = (counts >= least) & (np.abs(score) > threshold) & outside & ~np.isnan(x)
    return center, scale, np.where(counts >= least, score, np.nan), counts, flagged


def judge_matrix(values: np.ndarray, noise: np.ndarray, positions: Sequence[np.ndarray], settings: Settings,
                 metrics: Sequence[str]) -> Judged:
    """Judge every point of many series at once: `values` and `noise` are (series x batches), NaN where missing;
    `metrics[s]` is the metric of series s. Within each group of positions (see `groups`) separately."""
    out = {name: np.full(values.shape, np.nan) for name in ("center", "scale", "score", "change", "history")}
    flagged = np.zeros(values.shape, dtype=np.int8)
    seasonal = settings.seasonality is not None
    window = settings.season_window if seasonal else settings.window
    least = settings.season_min_history if seasonal else settings.min_history
    changes = np.array([m in settings.change_metrics for m in metrics], dtype=bool)
    judged = np.array([m in settings.metrics for m in metrics], dtype=bool)
    for where in positions:
        step = max(1, _CHUNK_VALUES // max(1, len(where) * window))
        for first in range(0, len(values), step):
            rows = slice(first, first + step)
            x = values[rows][:, where]
            center, scale, score, counts, by_score = _judge_group(x, noise[rows][:, where], window, least,
                                                                  settings.threshold)
            for name, part in (("center", center), ("scale", scale), ("score", score), ("history", counts)):
                out[name][rows, where] = part
            flagged[rows, where] |= by_score.astype(np.int8)
        for row in np.flatnonzero(changes):
            change = _relative_change(values[row, where])
            out["change"][row, where] = change
            with np.errstate(invalid="ignore"):
                flagged[row, where] |= ((np.abs(change) > settings.max_change) * 2).astype(np.int8)
    flagged[~judged] = 0  # measured and drawn, not judged
    return Judged(out["center"], out["scale"], out["score"], out["change"], out["history"], flagged)


def judge_series(values: np.ndarray, noise: np.ndarray, positions: Sequence[np.ndarray], settings: Settings,
                 metric: str) -> Judged:
    """Judge every point of one series (values and their noise, NaN where missing) within its groups."""
    whole = judge_matrix(values[None, :], noise[None, :], positions, settings, [metric])
    return Judged(whole.center[0], whole.scale[0], whole.score[0], whole.change[0], whole.history[0],
                  whole.flagged[0])


def _relative_change(x: np.ndarray) -> np.ndarray:
    """(x - previous) / |previous| against the last earlier value that is not NaN; NaN for the first."""
    index = np.where(~np.isnan(x), np.arange(len(x)), -1)
    last = np.maximum.accumulate(index)  # the last valid position at or before each point
    previous = np.full(len(x), -1)
    previous[1:] = last[:-1]
    before = np.where(previous >= 0, x[np.maximum(previous, 0)], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (x - before) / np.abs(before)
    # From zero to something is an infinite change, and JSON carries no infinity: say 1 (+100%) per unit.
    return np.where(np.isinf(change), np.sign(change) * np.maximum(np.abs(x), 1.0), change)


__all__ = ["JUDGED_BY_DEFAULT", "Judged", "MAD_TO_SD", "MEAN_AD_TO_SD", "SEASONALITIES", "Settings", "groups",
           "judge_matrix", "judge_series"]
