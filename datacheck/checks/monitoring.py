"""Monitoring: a batch's metrics against the history of earlier batches (`datacheck monitor`).

The codes are judged by `datacheck.monitor` from a history of batches, never by `validate` (a validation has no
history): this family holds their catalogue entries so that reports, docs and JSON Schemas list them with the
others, and its back-ends add nothing to a validation.
"""

from __future__ import annotations

from datacheck.checks.family import Anomaly, CheckFamily


class Monitoring(CheckFamily):
    """Metric anomalies over time: robust z-scores against a trailing window, relative change against the previous
    batch (see docs/monitoring.md). Reported by `datacheck monitor` only."""

    entries = (
        Anomaly("metric_anomaly", "error", "monitor", "Metric anomaly",
                "In `datacheck monitor`, a metric of the column (null share, mean, std, a quantile, distinct count, "
                "top-value share, new-value share, drift against the previous or reference batch; or the row count) "
                "has a robust z-score beyond --threshold against the trailing window of the history, outside the "
                "range that window has seen.",
                "check the batch's source; if the new level is legitimate it becomes the norm once it fills the "
                "window (or drop a bad batch with `datacheck history remove`), or set columns[{column}].severity "
                "metric_anomaly to warning"),
        Anomaly("metric_change", "error", "monitor", "Metric changed from the previous batch",
                "In `datacheck monitor`, a change metric (the row count by default) changed by more than "
                "--max-change relative to the previous batch (the same weekday's with --seasonality weekly).",
                "check that the batch is complete; if the change is legitimate, raise --max-change above {value}"),
    )


FAMILY = Monitoring()
