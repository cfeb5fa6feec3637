"""The history as text: `datacheck history list` (the batches) and `history show` (a column's series with a
sparkline), as tables and as JSON (schemas/history.schema.json). They only format: the trend is judged in
`datacheck.monitor`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from datacheck.output import to_json
from datacheck.render.common import SPARK_BARS, number

if TYPE_CHECKING:
    from datacheck.history import Batch
    from datacheck.monitor import Series, SeriesView

HISTORY_LISTING_FORMAT = "datacheck.history_listing"
SERIES_FORMAT = "datacheck.history_series"
OUTPUT_VERSION = 1
#: A sparkline longer than this shows the newest values only (a terminal line).
SPARK_WIDTH = 90


def value_sparkline(values: Sequence[float]) -> str:
    """A one-line chart of values between their min and max (missing values show as spaces).

    Example:
        >>> value_sparkline([0.0, 1.0, float("nan"), 0.5])
        '▁█ ▅'
    """
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return " " * len(values)
    low, high = min(finite), max(finite)
    steps = len(SPARK_BARS) - 1
    span = high - low
    return "".join(" " if math.isnan(v) else SPARK_BARS[int((v - low) / span * steps + 0.5) if span else 0]
                   for v in values)


def marks(series: Series) -> str:
    """A line under the sparkline: ▲ under each flagged batch."""
    return "".join("▲" if flag else " " for flag in series.judged.flagged)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


# ------------------------------------------------------------------------------------------------ list


def history_table(batches: Sequence[Batch], width: int) -> RenderableType:
    """One row per batch: id, time, rows, columns, verdict, validation, largest drift, sources."""
    table = Table(title=f"{len(batches)} batches", title_justify="left")
    for name, justify in (("id", "right"), ("at", "left"), ("rows", "right"), ("columns", "right"),
                          ("verdict", "left"), ("validation", "left"), ("largest drift (prev)", "left"),
                          ("sources", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for batch in batches:
        validation = batch.validation
        checked = ("–" if not validation else
                   f"{'passed' if validation.get('passed') else 'failed'} ({validation.get('errors', 0)} errors)")
        drift = (batch.drift or {}).get("drift_prev")
        moved = f"{drift['column']} {number(drift['value'])}" if drift else "–"
        style = {"passed": "green", "failed": "red"}.get(batch.verdict or "", "")
        verdict = Text(batch.verdict or "added", style=style)
        sources = ", ".join(batch.sources[:2]) + (" …" if len(batch.sources) > 2 else "")
        table.add_row(str(batch.id), batch.at, f"{batch.rows:,}", str(batch.columns), verdict, checked, moved,
                      Text(sources))
    return table


def history_json(batches: Sequence[Batch]) -> str:
    return to_json({"format": HISTORY_LISTING_FORMAT, "version": OUTPUT_VERSION,
                    "batches": [b.to_dict() for b in batches]})


# ------------------------------------------------------------------------------------------------ show


def series_table(view: SeriesView, width: int) -> RenderableType:
    """Per metric: a sparkline with its anomalies marked, then a table of the newest batches' values."""
    parts: list[RenderableType] = []
    batches = view.trend.batches
    label = view.column or "(dataset)"
    for series in view.series():
        start = max(0, len(batches) - SPARK_WIDTH)
        flagged = len(series.anomalies())
        parts.append(Text.assemble((f"{label} · {series.metric}", "bold"),
                                   f"  {len(batches)} batches, {flagged} flagged"))
        parts.append(Text(value_sparkline(list(series.values[start:]))))
        if flagged:
            parts.append(Text(marks(series)[start:], style="red"))
    table = Table(title=f"{label}: the newest batches", title_justify="left")
    table.add_column("at")
    for series in view.series():
        table.add_column(series.metric, justify="right")
    for index in range(max(0, len(batches) - 20), len(batches)):
        cells: list[Text | str] = [batches[index].at]
        for series in view.series():
            value = series.values[index]
            text = "–" if math.isnan(value) else number(float(value))
            cells.append(Text(text + (" ▲" if series.judged.flagged[index] else ""),
                              style="red" if series.judged.flagged[index] else ""))
        table.add_row(*cells)
    parts.append(table)
    return Group(*parts)


def series_json(view: SeriesView) -> str:
    out: dict[str, Any] = {"format": SERIES_FORMAT, "version": OUTPUT_VERSION, "column": view.column or None,
                           "settings": view.trend.settings.to_dict(), "metrics": []}
    for series in view.series():
        judged = series.judged
        out["metrics"].append({
            "metric": series.metric,
            "points": [{"at": batch.at, "batch": batch.id, "value": _finite(series.values[i]),
                        "center": _finite(judged.center[i]), "scale": _finite(judged.scale[i]),
                        "score": _finite(judged.score[i]), "flagged": bool(judged.flagged[i])}
                       for i, batch in enumerate(view.trend.batches)]})
    return to_json(out)


__all__ = ["HISTORY_LISTING_FORMAT", "SERIES_FORMAT", "history_json", "history_table", "marks", "series_json",
           "series_table", "value_sparkline"]
