"""Statistics, a validation Report and a DriftReport -> one self-contained HTML page.

The page is built in two layers, and neither computes a statistic:

1. `report_data` turns the finished objects into a *view model*: a JSON-ready dict that holds, for the
   overview and for every column card, the figures to show, the chart series, the findings with their fixes
   and the drift verdict. Every number in it is copied from a Statistics, Report or DriftReport field; the
   renderer only picks, orders (columns with anomalies or drift first), truncates long text and labels.
   The one sum it shows, the missing cells of the overview, adds up the columns' `null_count`.
2. A Jinja2 template (autoescaping on) writes the cards from the view model, so the page reads, prints and
   searches without JavaScript. The view model is also embedded as JSON in a
   ``<script type="application/json">`` block; a small script draws the charts from it with the vendored
   Chart.js and sorts and filters the cards.

Security: every value from the data reaches the page either through Jinja's autoescaping (text and
attributes) or inside the JSON block, where ``<`` is written as ``\\u003c`` (so neither ``</script>`` nor
``<!--`` can occur in it; this is stricter than escaping ``</`` alone) and U+2028/U+2029 are escaped. The
script only ever assigns data to ``textContent`` or hands it to Chart.js, which draws it on a canvas. On top
of that a Content-Security-Policy allows exactly the page's own two scripts and stylesheet (by SHA-256 hash)
and no network access at all (``default-src 'none'``), so even a value that slipped through could neither
run nor load anything.

Example:
    >>> import polars as pl, datacheck
    >>> from datacheck.render.html import stats_html
    >>> page = stats_html(datacheck.profile(pl.DataFrame({"x": [1, 2, 3]})))
    >>> page.startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from datacheck.histogram_view import BulkHistogram, bulk_histogram
from datacheck.render.common import number, percent
from datacheck.render.slices_html import slices_view

if TYPE_CHECKING:
    from datacheck.checks import Finding, Report
    from datacheck.drift import ColumnDrift, DriftReport
    from datacheck.statistics import ColumnStats, Statistics

HTML_DATA_FORMAT = "datacheck.html_report"
HTML_DATA_VERSION = 1
#: The vendored charting library (see datacheck/render/assets/README.md for where it comes from).
CHART_JS = "chart.umd.min.js"
CHART_JS_VERSION = "4.6.1"
#: Display limits: long data values are cut (with "…") so that one 10,000-character value cannot bloat the page.
MAX_NAME = 200
MAX_VALUE = 120
MAX_LABEL = 24
MAX_MESSAGE = 1000
MAX_EXAMPLES = 5
MAX_NEW_VALUES = 10
_SEVERITY_RANK = {"error": 2, "warning": 1}


# ------------------------------------------------------------------------------------------- public API


def stats_html(stats: Statistics) -> str:
    """The statistics report: an overview and one card per column with its key figures and distribution.

    Args:
        stats: the Statistics of a dataset (from `datacheck.profile` or a saved statistics file).

    Returns:
        A complete, self-contained HTML document (no network access; Chart.js is embedded).
    """
    return report_html(stats)


def validation_html(stats: Statistics | None, report: Report) -> str:
    """The validation report: the statistics cards with each column's anomalies and their fixes, worst first.

    Args:
        stats: the Statistics of the validated data, or None when only the Report is at hand (the cards then
            show the findings without figures or charts).
        report: the validation Report.
    """
    return report_html(stats, report=report)


def drift_html(drift_report: DriftReport, baseline_stats: Statistics | None, current_stats: Statistics | None) -> str:
    """The drift report: per column, baseline and current distributions overlaid, the drift value and threshold.

    Args:
        drift_report: the DriftReport of `datacheck.drift`.
        baseline_stats, current_stats: the Statistics both sides were compared from (for the key figures and
            the charts of columns that were not compared); either may be None.
    """
    return report_html(current_stats, drift=drift_report, baseline_stats=baseline_stats)


def report_html(stats: Statistics | None, report: Report | None = None, drift: DriftReport | None = None,
                baseline_stats: Statistics | None = None, *, title: str | None = None) -> str:
    """Any combination of statistics, anomalies and drift as one self-contained HTML page.

    Args:
        stats: Statistics of the (current) data, or None.
        report: a validation Report, or None.
        drift: a DriftReport, or None.
        baseline_stats: Statistics of the baseline, or None.
        title: the page title (default: from the kind of report and its sources).

    Returns:
        The HTML text. It is deterministic: the same objects give the same bytes.
    """
    data = report_data(stats, report=report, drift=drift, baseline_stats=baseline_stats, title=title)
    assets = _assets()
    template = _environment().get_template("report.html.j2")
    return template.render(d=data, data_json=Markup(embed_json(data)), assets=assets)


def embed_json(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element.

    ``<`` becomes ``\\u003c`` (so ``</script>``, ``<\\/`` and ``<!--`` cannot occur), ``>`` and ``&`` are escaped
    alike, and U+2028/U+2029 are escaped; `JSON.parse` reads all of them back unchanged.

    Example:
        >>> embed_json({"v": "</script><!--"})
        '{"v":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


# ------------------------------------------------------------------------------------------- view model


def report_data(stats: Statistics | None, report: Report | None = None, drift: DriftReport | None = None,
                baseline_stats: Statistics | None = None, *, title: str | None = None) -> dict[str, Any]:
    """The view model that the page shows and embeds: JSON-ready, every number taken from the inputs.

    Columns come in the data's order (then baseline-only columns, then columns only a finding names), and
    are then ordered worst first: error findings or error-level drift, then warnings, then the rest.
    """
    kind = "drift" if drift is not None else "validation" if report is not None else "stats"
    findings_by_column: dict[str | None, list[dict[str, Any]]] = {}
    # Examples name their file only when several files were read: one file need not be repeated each time.
    with_files = report is not None and len(report.sources) > 1
    for finding in report.findings if report is not None else ():
        findings_by_column.setdefault(finding.column, []).append(_finding(finding, with_files))

    names: list[str] = []
    for source in (stats.column_names if stats is not None else (),
                   baseline_stats.column_names if baseline_stats is not None else (),
                   [c.column for c in drift.columns] if drift is not None else (),
                   [c for c in findings_by_column if c is not None]):
        for name in source:
            if name not in names:
                names.append(name)

    cards = []
    for order, name in enumerate(names):
        col = stats.column(name) if stats is not None else None
        base = baseline_stats.column(name) if baseline_stats is not None else None
        entry = drift.column(name) if drift is not None else None
        cards.append(_card(order, name, col, base, entry, findings_by_column.get(name, []), stats, baseline_stats))
    cards.sort(key=lambda card: (-card["rank"], card["order"]))
    for position, card in enumerate(cards):
        card["id"] = f"col-{position}"

    return {
        "format": HTML_DATA_FORMAT,
        "version": HTML_DATA_VERSION,
        "kind": kind,
        "title": title or _title(kind, stats, baseline_stats),
        "with_baseline": baseline_stats is not None,
        "overview": _overview(stats, report, drift, baseline_stats),
        "dataset_findings": findings_by_column.get(None, []),
        "types": sorted({card["type"] for card in cards}),
        "columns": cards,
    } | ({"slices": view} if (view := slices_view(stats, drift)) else {})  # only with --slice / --label


def _title(kind: str, stats: Statistics | None, baseline: Statistics | None) -> str:
    current = _sources_label(stats)
    if kind == "drift":
        return f"Drift: {_sources_label(baseline) or 'baseline'} → {current or 'current'}"
    return ("Validation" if kind == "validation" else "Statistics") + (f": {current}" if current else "")


def _sources_label(stats: Statistics | None) -> str:
    if stats is None or not stats.sources:
        return ""
    names = [s.path.replace("\\", "/").rsplit("/", 1)[-1] for s in stats.sources[:3]]
    return _cut(", ".join(names) + (f" and {len(stats.sources) - 3} more" if len(stats.sources) > 3 else ""), MAX_NAME)


def _overview(stats: Statistics | None, report: Report | None, drift: DriftReport | None,
              baseline: Statistics | None) -> dict[str, Any]:
    overview: dict[str, Any] = {
        "rows": stats.num_rows if stats is not None else (report.summary.rows if report is not None else None),
        "columns": (len(stats.columns) if stats is not None
                    else (report.summary.columns if report is not None else None)),
        # The one sum on the page: the columns' null counts added up.
        "missing_cells": sum(c.null_count for c in stats.columns) if stats is not None else None,
        "sources": [_cut(s.path, MAX_VALUE) for s in stats.sources] if stats is not None else [],
        "baseline_rows": baseline.num_rows if baseline is not None else None,
        "baseline_sources": [_cut(s.path, MAX_VALUE) for s in baseline.sources] if baseline is not None else [],
    }
    if report is not None:
        summary = report.summary
        overview.update({"passed": report.passed, "errors": summary.errors, "warnings": summary.warnings,
                         "checks": summary.checks, "failed_checks": summary.failed, "skipped_checks": summary.skipped,
                         "environment": summary.environment, "from_statistics": summary.from_statistics})
        if summary.baseline_rows is not None:
            overview["baseline_rows"] = summary.baseline_rows
    if drift is not None:
        overview.update({"passed": drift.passed and overview.get("passed", True),
                         "drifted": drift.drifted_count, "compared": drift.compared_count,
                         "drifted_share": _num(drift.drifted_share), "baseline_rows": drift.row_count_baseline,
                         "rows": drift.row_count_current, "row_count_change": _num(drift.row_count_change),
                         "row_count_threshold": _num(drift.row_count_threshold),
                         "row_count_drifted": drift.row_count_drifted, "environment": drift.environment})
    return overview


def _card(order: int, name: str, col: ColumnStats | None, base: ColumnStats | None, entry: ColumnDrift | None,
          findings: Sequence[dict[str, Any]], stats: Statistics | None,
          baseline_stats: Statistics | None) -> dict[str, Any]:
    shown = col or base
    drift_data = _drift(entry, col, base) if entry is not None else None
    rank = max([_SEVERITY_RANK.get(f["severity"], 0) for f in findings] +
               [_SEVERITY_RANK.get(entry.severity, 1) if entry is not None and entry.drifted else 0])
    if col is None and stats is not None:
        status = "missing"  # in the baseline or the schema, not in the data
    elif col is not None and base is None and baseline_stats is not None:
        status = "new"
    else:
        status = "present"
    chart = _overlay_chart(entry, col, base) if entry is not None else None
    if chart is None and shown is not None:
        side = "count" if baseline_stats is None else "current" if col is not None else "baseline"
        chart = _distribution_chart(shown, side)
    return {
        "id": "",
        "order": order,
        "name": _cut(name, MAX_NAME),
        "type": _type_label(shown) if shown is not None else (entry.kind if entry is not None else "–"),
        "kind": shown.kind if shown is not None else (entry.kind if entry is not None else None),
        "dtype": shown.dtype if shown is not None else None,
        "status": status,
        "missing": _num(col.null_fraction) if col is not None else None,
        "rank": rank,
        "errors": sum(1 for f in findings if f["severity"] == "error"),
        "warnings": sum(1 for f in findings if f["severity"] == "warning"),
        "figures": _figures(col, base, baseline_stats is not None),
        "chart": chart,
        "drift": drift_data,
        "findings": list(findings),
    }


# -- key figures ---------------------------------------------------------------------------------------------


def _figures(col: ColumnStats | None, base: ColumnStats | None, with_baseline: bool) -> list[dict[str, Any]]:
    """Label, format and value per side for the figures of the column's kind."""
    ref = col or base
    if ref is None:
        return []
    specs: list[tuple[str, str, Any]] = [("values", "num", lambda c: c.count),
                                         ("missing", "pct", lambda c: c.null_fraction)]
    if ref.kind == "temporal":
        specs += [("earliest", "text", lambda c: c.temporal.min if c.temporal else None),
                  ("latest", "text", lambda c: c.temporal.max if c.temporal else None)]
    elif ref.numeric is not None:
        specs += [("mean", "num", lambda c: c.numeric and c.numeric.mean),
                  ("std", "num", lambda c: c.numeric and c.numeric.std),
                  ("min", "num", lambda c: c.numeric and c.numeric.min),
                  ("median", "num", lambda c: c.numeric and c.numeric.quantile(0.5)),
                  ("max", "num", lambda c: c.numeric and c.numeric.max),
                  ("zeros", "num", lambda c: c.numeric and c.numeric.zero_count)]
        if (ref.numeric.nan_count or (base and base.numeric and base.numeric.nan_count)
                or (col and col.numeric and col.numeric.nan_count)):
            specs.append(("NaN", "num", lambda c: c.numeric and c.numeric.nan_count))
        if (ref.numeric.inf_count or (base and base.numeric and base.numeric.inf_count)
                or (col and col.numeric and col.numeric.inf_count)):
            specs.append(("±inf", "num", lambda c: c.numeric and c.numeric.inf_count))
    if ref.distinct is not None:
        specs.append(("distinct", "approx",
                      lambda c: c.distinct and {"value": c.distinct.count, "exact": c.distinct.exact}))
    if ref.lengths is not None:
        specs += [("min length", "num", lambda c: c.lengths and c.lengths.min),
                  ("mean length", "num", lambda c: c.lengths and c.lengths.mean),
                  ("max length", "num", lambda c: c.lengths and c.lengths.max)]
    figures = []
    for label, fmt, get in specs:
        figure: dict[str, Any] = {"label": label, "format": fmt, "current": _value(get, col)}
        if with_baseline:
            figure["baseline"] = _value(get, base)
        figures.append(figure)
    return figures


def _value(get: Any, col: ColumnStats | None) -> Any:
    if col is None:
        return None
    value = get(col)
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, str):
        return _cut(value, MAX_VALUE)
    return value


# -- charts --------------------------------------------------------------------------------------------------


def _distribution_chart(col: ColumnStats, side: str) -> dict[str, Any] | None:
    """A histogram for numeric and temporal columns, the top values for the others (None if neither exists)."""
    bulk = bulk_histogram(col)
    if bulk is not None:
        return _bulk_chart(col, bulk, side)
    hist = col.numeric.histogram if col.numeric is not None else None
    if hist is not None and hist.counts:
        edges = [_edge_text(e, col) for e in hist.edges]
        last = len(hist.counts) - 1
        return {
            "type": "histogram",
            "labels": edges[:-1],
            "tips": [f"{edges[i]} to {edges[i + 1]}" + (" (inclusive)" if i == last else "")
                     for i in range(len(hist.counts))],
            "series": [{"name": side, "values": list(hist.counts)}],
            "unit": "count",
            "caption": f"Histogram: {len(hist.counts)} equal-width buckets, {edges[0]} to {edges[-1]}",
        }
    if col.top_values:
        return {
            "type": "top",
            "labels": [_cut(v.value, MAX_LABEL) for v in col.top_values],
            "tips": [_cut(v.value, MAX_VALUE) for v in col.top_values],
            "series": [{"name": side, "values": [v.count for v in col.top_values]}],
            "unit": "count",
            "caption": f"Top {len(col.top_values)} values"
                       + (f" of {number(col.distinct.count)}{'' if col.distinct.exact else ' (estimated)'}"
                          if col.distinct is not None else ""),
        }
    return None


def _bulk_chart(col: ColumnStats, bulk: BulkHistogram, side: str) -> dict[str, Any]:
    """The bulk of the values in equal-width bins, and the outliers on each side in a bar of their own, set
    apart by an empty slot and listed in `apart` (the page draws them in another colour)."""
    edges = [_edge_text(e, col) for e in bulk.edges]
    last = len(bulk.counts) - 1
    labels = edges[:-1]
    tips = [f"{edges[i]} to {edges[i + 1]}" + (" (inclusive)" if i == last else "") for i in range(len(bulk.counts))]
    values: list[int | None] = list(bulk.counts)
    apart: list[int] = []
    low_text, high_text = _edge_text(bulk.min, col), _edge_text(bulk.max, col)
    if bulk.below:
        labels, values = [f"< {edges[0]}", "", *labels], [bulk.below, None, *values]
        tips = [f"outliers: {number(bulk.below)} values from {low_text} to below {edges[0]}", "", *tips]
        apart.append(0)
    if bulk.above:
        labels, values = [*labels, "", f"> {edges[-1]}"], [*values, None, bulk.above]
        tips = [*tips, "", f"outliers: {number(bulk.above)} values above {edges[-1]}, up to {high_text}"]
        apart.append(len(values) - 1)
    beyond = " and ".join(text for count, text in ((bulk.below, f"{number(bulk.below)} below (down to {low_text})"),
                                                   (bulk.above, f"{number(bulk.above)} above (up to {high_text})"))
                          if count)
    return {
        "type": "histogram",
        "labels": labels,
        "tips": tips,
        "series": [{"name": side, "values": values}],
        "apart": apart,
        "unit": "count",
        "caption": f"Histogram of the bulk: {len(bulk.counts)} equal-width buckets, {edges[0]} to {edges[-1]}; "
                   f"outliers beyond Q1 − 3·IQR and Q3 + 3·IQR shown apart: {beyond}",
    }


def _overlay_chart(entry: ColumnDrift, col: ColumnStats | None, base: ColumnStats | None) -> dict[str, Any] | None:
    """Baseline and current shares on the bins (or values) that drift measured them on."""
    if not entry.baseline_shape or not entry.current_shape:
        return None
    categorical = bool(entry.shape_labels)
    if categorical:
        labels = [_cut(v, MAX_LABEL) for v in entry.shape_labels]
        tips = [_cut(v, MAX_VALUE) for v in entry.shape_labels]
        caption = "Share of values, baseline vs current (the baseline's most frequent values, then new ones)"
    else:
        bins = len(entry.current_shape)
        labels = [str(i + 1) for i in range(bins)]
        tips = [f"bin {i + 1} of {bins}" for i in range(bins)]
        caption = (f"Share of values per bin: {bins} equal-width bins over the 1st to 99th percentiles of both sides, "
                   f"outer values in the end bins (baseline {_percentile_span(base)}; current {_percentile_span(col)})")
    return {
        "type": "overlay",
        "horizontal": categorical,
        "bin_labels": categorical,
        "labels": labels,
        "tips": tips,
        "series": [{"name": "baseline", "values": [_num(x) for x in entry.baseline_shape]},
                   {"name": "current", "values": [_num(x) for x in entry.current_shape]}],
        "unit": "share",
        "caption": caption,
    }


def _percentile_span(col: ColumnStats | None) -> str:
    if col is None or col.numeric is None:
        return "–"
    low, high = col.numeric.quantile(0.01), col.numeric.quantile(0.99)
    return f"{_edge_text(low, col)} to {_edge_text(high, col)}"


def _edge_text(value: float | None, col: ColumnStats) -> str:
    """A bucket edge as text: a number, or for temporal columns a date or time in the column's unit."""
    if value is None or not math.isfinite(value):
        return number(value)
    if col.kind == "temporal":
        text = _temporal_text(value, col.dtype)
        if text is not None:
            return text
    return number(value)


_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}


def _temporal_text(value: float, dtype: str) -> str | None:
    """Days since 1970 (Date) or time units since 1970 (Datetime) as ISO text; None for other temporal types."""
    epoch = _dt.datetime(1970, 1, 1)
    try:
        if dtype == "Date":
            return (epoch + _dt.timedelta(days=value)).date().isoformat()
        if dtype.startswith("Datetime"):
            unit = "ns" if "'ns'" in dtype else "ms" if "'ms'" in dtype else "us"
            moment = epoch + _dt.timedelta(seconds=value * _UNITS[unit])
            return moment.isoformat(sep=" ", timespec="seconds" if moment.microsecond == 0 else "milliseconds")
    except (OverflowError, ValueError):
        return None
    return None


# -- drift and findings --------------------------------------------------------------------------------------


def _drift(entry: ColumnDrift, col: ColumnStats | None, base: ColumnStats | None) -> dict[str, Any]:
    largest = None
    if entry.largest_change is not None:
        largest = {"value": _cut(entry.largest_change, MAX_VALUE), "baseline": _num(entry.largest_change_baseline),
                   "current": _num(entry.largest_change_current)}
    return {
        "status": entry.status,
        "method": entry.method,
        "value": _num(entry.value),
        "pvalue": _num(entry.pvalue),
        "threshold": _num(entry.threshold),
        "applies_to": None if entry.method is None else ("pvalue" if entry.is_test else "value"),
        "drifted": entry.drifted,
        "severity": entry.severity,
        "largest_change": largest,
        "new_values": [_cut(v, MAX_LABEL) for v in entry.new_values[:MAX_NEW_VALUES]],
        "more_new_values": max(0, len(entry.new_values) - MAX_NEW_VALUES),
        "baseline_count": entry.baseline_count,
        "current_count": entry.current_count,
        "note": _cut(entry.note, MAX_MESSAGE) if entry.note else None,
        # The distribution's own verdict (the column may have drifted on another signal) and the signals
        # that drifted, one line each.
        "distribution_drifted": "distribution" in entry.drifted_by,
        "signals": [_cut(s.describe(), MAX_MESSAGE) for s in entry.signals if s.drifted],
    }


def _finding(finding: Finding, with_files: bool) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": _cut(finding.message, MAX_MESSAGE),
        "fix": _cut(finding.fix, MAX_MESSAGE),
        "count": finding.count,
        "fraction": _num(finding.fraction),
        "observed": _brief(finding.observed),
        "expected": _brief(finding.expected),
        "examples": [{"value": _brief(e.value), "row": e.row,
                      "file": _cut(e.file, MAX_VALUE) if e.file and with_files else None, "count": e.count,
                      **_key_field(e.key)}
                     for e in finding.examples[:MAX_EXAMPLES]],
    }


def _key_field(key: dict[str, Any] | None) -> dict[str, str]:
    """{"key": "customer_id=42"} for a row whose key is known (a database's rows, when the schema has a key);
    else {}, so that a page on files embeds the same view model as before."""
    if not key:
        return {}
    return {"key": _cut(", ".join(f"{name}={_brief(value)}" for name, value in key.items()), MAX_VALUE)}


def _brief(value: Any) -> str | None:
    """A value of any JSON shape as one short line of text (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return _cut(value, MAX_VALUE)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True, default=str)
    except (TypeError, ValueError):
        text = str(value)
    return _cut(text, MAX_VALUE * 2)


# -- small helpers -------------------------------------------------------------------------------------------


def _type_label(col: ColumnStats) -> str:
    from datacheck.render.stats import _type_label as label

    return label(col)


def _cut(text: str | None, limit: int) -> str:
    """Text cut to `limit` characters with "…", line breaks and other control characters shown as spaces."""
    if text is None:
        return ""
    text = "".join(" " if (ord(ch) < 32 or ord(ch) == 127) else ch for ch in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    value = float(value)
    return value if math.isfinite(value) else None


# -- templates and assets ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("datacheck.render", "templates"),
        autoescape=True,  # every {{ value }} is HTML-escaped, in text and in attributes
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _format_number
    env.filters["pct"] = _format_percent
    env.filters["figure"] = _format_figure
    return env


def _format_number(value: Any, digits: int = 4) -> str:
    if isinstance(value, str):
        return value
    return number(value, digits)


def _format_percent(value: float | None) -> str:
    return "–" if value is None else percent(value)


def _format_figure(value: Any, fmt: str) -> str:
    if value is None:
        return "–"
    if fmt == "pct":
        return percent(value)
    if fmt == "approx":
        return ("" if value["exact"] else "≈") + number(value["value"])
    if fmt == "text":
        return str(value)
    return _format_number(value)


@lru_cache(maxsize=1)
def _assets() -> dict[str, Any]:
    """The vendored library, our script and stylesheet, and the Content-Security-Policy that admits only them."""
    folder = resources.files("datacheck.render").joinpath("assets")
    texts = {name: folder.joinpath(file).read_text(encoding="utf-8")
             for name, file in (("chart_js", CHART_JS), ("app_js", "report.js"), ("css", "report.css"))}

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    csp = ("default-src 'none'; "
           f"script-src {digest(texts['chart_js'])} {digest(texts['app_js'])}; "
           f"style-src {digest(texts['css'])}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    assets: dict[str, Any] = {name: Markup(text) for name, text in texts.items()}
    assets["csp"] = csp
    assets["chart_js_version"] = CHART_JS_VERSION
    return assets


__all__ = ["stats_html", "validation_html", "drift_html", "report_html", "report_data", "embed_json",
           "HTML_DATA_FORMAT", "HTML_DATA_VERSION"]
