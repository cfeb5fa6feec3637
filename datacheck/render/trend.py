"""A judged trend (and the newest batch's report and statistics) -> one self-contained HTML page.

Per column, one small chart per metric: the series as a line, the band the z-score accepts (median ± threshold
× scale) where it judged, and its anomalies as red dots; above the charts, the newest batch's statistics. The
charts are inline SVG whose coordinates are numbers computed here, so the page needs no script at all: the
Content-Security-Policy allows the page's one stylesheet (by hash) and nothing else. Every text from the data
(column names, values, messages) goes through Jinja's autoescaping.

Example:
    >>> from datacheck.monitor import trend
    >>> trend_html(trend([])).startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

import base64
import hashlib
import math
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from datacheck.render.common import number

if TYPE_CHECKING:
    from datacheck.checks import Report
    from datacheck.monitor import Series, Trend
    from datacheck.statistics import ColumnStats, Statistics

WIDTH, HEIGHT = 320, 96
MAX_NAME = 200
#: The newest batches a chart draws: a year of daily batches; older ones stay in the history.
MAX_POINTS = 366


def _points(values: list[float], low: float, high: float, start: int, size: int) -> list[tuple[float, float]]:
    span = (high - low) or 1.0
    step = (WIDTH - 8) / max(size - 1, 1)
    return [(round(4 + (i - start) * step, 1), round(HEIGHT - 4 - (v - low) / span * (HEIGHT - 16), 1))
            for i, v in enumerate(values) if i >= start and not math.isnan(v)]


def _chart(series: Series, trend: Trend, start: int) -> dict[str, Any]:
    judged, values = series.judged, [float(v) for v in series.values]
    size = len(values) - start
    threshold = trend.settings.threshold
    upper = [c + threshold * s if not math.isnan(z) else math.nan
             for c, s, z in zip(judged.center, judged.scale, judged.score)]
    lower = [c - threshold * s if not math.isnan(z) else math.nan
             for c, s, z in zip(judged.center, judged.scale, judged.score)]
    shown = [v for v in values[start:] + upper[start:] + lower[start:] if not math.isnan(v)]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    line = _points(values, low, high, start, size)
    top, bottom = _points(upper, low, high, start, size), _points(lower, low, high, start, size)
    band = " ".join(f"{x},{y}" for x, y in top + bottom[::-1]) if top else ""
    positions = {i: p for i, p in zip([i for i, v in enumerate(values) if i >= start and not math.isnan(v)], line)}
    anomalies = [{"x": positions[i][0], "y": positions[i][1], "at": trend.batches[i].at, "value": number(values[i])}
                 for i in series.anomalies() if i in positions]
    last = next((v for v in reversed(values) if not math.isnan(v)), None)
    return {"metric": series.metric, "line": " ".join(f"{x},{y}" for x, y in line), "band": band,
            "anomalies": anomalies, "flagged": bool(anomalies), "judged": series.metric in trend.settings.metrics,
            "low": number(low), "high": number(high), "last": number(last)}


def _newest(col: ColumnStats | None) -> list[tuple[str, str]]:
    if col is None:
        return []
    out = [("values", number(col.count)), ("nulls", number(col.null_count))]
    if col.numeric is not None and col.kind in ("numeric", "temporal"):
        out += [("min", number(col.numeric.min)), ("mean", number(col.numeric.mean)),
                ("std", number(col.numeric.std)), ("max", number(col.numeric.max))]
    if col.distinct is not None:
        out.append(("distinct", ("" if col.distinct.exact else "≈") + number(col.distinct.count)))
    if col.top_values:
        out.append(("top value", col.top_values[0].value[:MAX_NAME]))
    return out


def trend_data(trend: Trend, report: Report | None = None, stats: Statistics | None = None) -> dict[str, Any]:
    """The view model of the page: JSON-ready, every number from the trend, report and statistics."""
    start = max(0, len(trend.batches) - MAX_POINTS)
    newest = trend.batches[-1] if trend.batches else None
    columns: list[dict[str, Any]] = []
    for order, column in enumerate([""] + list(trend.columns)):
        charts = [_chart(s, trend, start) for (c, _), s in trend.series.items() if c == column]
        if not charts:
            continue
        flagged_now = sum(1 for (c, _), s in trend.series.items()
                          if c == column and trend.batches and s.judged.flagged[-1])
        columns.append({"order": order, "label": column[:MAX_NAME] if column else "(dataset)", "metrics": charts,
                        "flagged": sum(len(m["anomalies"]) for m in charts), "now": flagged_now,
                        "newest": _newest(stats.column(column)) if stats is not None and column else []})
    columns.sort(key=lambda c: (-c["now"], c["order"]))
    for position, col in enumerate(columns):
        col["id"] = f"col-{position}"
    findings = [{"severity": f.severity, "code": f.code, "column": f.column, "message": f.message, "fix": f.fix}
                for f in (report.findings if report is not None else ())]
    sources = ", ".join(newest.sources[:3]) if newest is not None else ""
    return {"title": f"datacheck trend: {sources}" if sources else "datacheck trend", "batches": len(trend.batches),
            "first": trend.batches[0].at if trend.batches else "–", "last": newest.at if newest else "–",
            "newest": {"at": newest.at if newest else "–", "rows": newest.rows if newest else 0},
            "seasonality": trend.settings.seasonality, "width": WIDTH, "height": HEIGHT,
            "verdict": None if report is None else ("passed" if report.passed else "failed"),
            "errors": report.summary.errors if report is not None else 0,
            "warnings": report.summary.warnings if report is not None else 0,
            "findings": findings, "columns": columns}


def trend_html(trend: Trend, report: Report | None = None, stats: Statistics | None = None) -> str:
    """The trend report as one self-contained page (deterministic: the same inputs give the same bytes)."""
    css = _css()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"
    # The stylesheet is our own file, inserted as it is (its hash is in the CSP); everything else is escaped.
    return _template().render(d=trend_data(trend, report, stats), css=Markup(css), csp=csp)


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("datacheck.render").joinpath("assets").joinpath("trend.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("datacheck.render", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["num"] = number
    return env.get_template("trend.html.j2")


__all__ = ["trend_data", "trend_html"]
