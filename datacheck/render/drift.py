"""DriftReport -> a rich table, JSON, Markdown, JUnit XML or GitHub workflow commands. Formatting only."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from datacheck.drift import ColumnDrift, DriftReport
from datacheck.output import to_json
from datacheck.render.common import SPARK_BARS, escape_data, escape_property, md_escape, number, percent
from datacheck.render.slices import drift_github_lines, drift_junit_cases

STATUS_LABELS = {
    "compared": "",
    "skipped": "skipped",
    "missing_in_current": "missing in current",
    "new_in_current": "new in current",
    "not_expected": "not expected",
    "type_changed": "type changed",
}


# ------------------------------------------------------------------------------------------- helpers


def paired_sparklines(before: Sequence[float], after: Sequence[float]) -> tuple[str, str]:
    """Two sparklines on one scale (the larger maximum of the two), so that bar heights compare."""
    top = max(list(before) + list(after) + [0.0])
    if top <= 0:
        return "", ""

    def line(shares: Sequence[float]) -> str:
        steps = len(SPARK_BARS) - 1
        return "".join(" " if s <= 0 else SPARK_BARS[min(steps, int(s / top * steps + 0.5))] for s in shares)

    return line(before), line(after)


def measured(col: ColumnDrift) -> str:
    """The measured value as people read it: "D=0.21 p=0.003", "0.132", or "–"."""
    if col.method is None:
        return "–"
    if col.is_test:
        if col.pvalue is None:
            return "–"
        stat = "D" if col.method == "ks" else "X²"
        return f"{stat}={number(col.value, 3)} p={_p(col.pvalue)}"
    return number(col.value, 3) if col.value is not None else "–"


def rule(col: ColumnDrift) -> str:
    """The threshold with its direction: "p < 0.01" or "> 0.1"."""
    if col.method is None or col.threshold is None:
        return ""
    return f"p < {number(col.threshold)}" if col.is_test else f"> {number(col.threshold)}"


def verdict(col: ColumnDrift) -> str:
    """"DRIFT: missingness, new values", "drift (warning): distribution", "skipped" or "ok"."""
    if col.drifted:
        word = "DRIFT" if col.severity == "error" else "drift (warning)"
        reasons = [r.replace("_", " ") for r in col.drifted_by if r not in STATUS_LABELS]
        return f"{word}: {', '.join(reasons)}" if reasons else word
    return STATUS_LABELS.get(col.status, col.status) or "ok"


def signals_text(col: ColumnDrift) -> str:
    """The drifted signals besides the distribution, one clause each (empty when none drifted)."""
    return "; ".join(s.describe() for s in col.signals if s.drifted)


def _p(p: float) -> str:
    return "<1e-12" if p < 1e-12 else f"{p:.3g}"


def _change(col: ColumnDrift) -> str:
    parts = [signals_text(col)] if signals_text(col) else []
    before, after = col.largest_change_baseline, col.largest_change_current
    if col.largest_change is not None and before is not None and after is not None:
        parts.append(f"{col.largest_change}: {percent(before)} → {percent(after)}")
    if col.new_values:
        shown = ", ".join(col.new_values[:3]) + (" …" if len(col.new_values) > 3 else "")
        parts.append(f"new: {shown}")
    return "; ".join(parts)


def _summary_line(report: DriftReport) -> str:
    change = "–" if report.row_count_change is None else f"{report.row_count_change:+.1%}"
    env = f" (environment {report.environment})" if report.environment else ""
    limit = f", limit ±{percent(report.row_count_threshold)}" if report.row_count_threshold is not None else ""
    rows = f"rows {number(report.row_count_baseline)} → {number(report.row_count_current)} ({change}{limit})"
    verdict_text = "no drift" if report.passed else "DRIFT"
    return (f"{verdict_text}{env}: {report.drifted_count} of {report.compared_count} compared columns drifted "
            f"({percent(report.drifted_share)}); {rows}" + ("; ROW COUNT DRIFTED" if report.row_count_drifted else ""))


# ------------------------------------------------------------------------------------------- table


def drift_table(report: DriftReport, width: int = 160) -> Group:
    """One row per column: method, measured value, threshold, verdict, before/after sparklines, what moved."""
    table = Table(title=_summary_line(report), title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    name_width = min(28, max([len(c.column) for c in report.columns] + [6]))
    table.add_column("column", no_wrap=True, overflow="ellipsis", min_width=name_width)
    table.add_column("method", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("threshold", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    if width >= name_width + 80:
        table.add_column("before → after", no_wrap=True)
    table.add_column("largest change / note", overflow="fold", ratio=1)
    show_shape = width >= name_width + 80
    for col in report.columns:
        style = ("bold red" if col.severity == "error" else "yellow") if col.drifted else ""
        cells = [Text(col.column), Text(col.method or "–"), Text(measured(col)), Text(rule(col)),
                 Text(verdict(col), style=style)]
        if show_shape:
            before, after = paired_sparklines(col.baseline_shape, col.current_shape)
            cells.append(Text(f"{before} → {after}" if before or after else ""))
        detail = _change(col) or (col.note or "")
        cells.append(Text(detail, style="dim" if not col.drifted else ""))
        table.add_row(*cells)
    return Group(table)


# ------------------------------------------------------------------------------------------- json / markdown


def drift_json(report: DriftReport) -> str:
    """The report as deterministic JSON (schemas/drift.schema.json)."""
    return to_json(report.to_dict())


def drift_markdown(report: DriftReport) -> str:
    """A Markdown summary and one table row per column (for $GITHUB_STEP_SUMMARY or a PR comment)."""
    lines = [f"### datacheck drift: {'passed' if report.passed else 'drift found'}", "",
             md_escape(_summary_line(report)), "",
             "| column | method | value | threshold | result | largest change / note |",
             "|---|---|---:|---:|---|---|"]
    for col in report.columns:
        result = f"**{verdict(col)}**" if col.drifted else md_escape(verdict(col))
        detail = _change(col) or (col.note or "")
        lines.append(f"| {md_escape(col.column)} | {col.method or '–'} | {md_escape(measured(col))} | "
                     f"{md_escape(rule(col))} | {result} | {md_escape(detail)} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------- junit


def _message(col: ColumnDrift) -> str:
    if col.method is None:
        signals = signals_text(col)
        return f"{col.column}: " + (f"{signals}; " if signals else "") + (
            col.note or STATUS_LABELS.get(col.status, col.status))
    text = f"{col.column}: {col.method} {measured(col)} (drift when {'p' if col.is_test else 'value'} {rule(col)})"
    change = _change(col)
    return text + (f"; {change}" if change else "") + (f"; {col.note}" if col.note else "")


def drift_junit(report: DriftReport) -> str:
    """JUnit XML: one testcase per column; drifted columns fail, skipped and unmeasured ones are skipped."""
    failures = sum(1 for c in report.columns if c.drifted and c.severity == "error")
    skipped = sum(1 for c in report.columns if c.method is None and not c.drifted)
    cases = []
    for col in report.columns:
        name = quoteattr(col.column)
        body = ""
        if col.drifted and col.severity == "error":
            body = (f'<failure type="drift" message={quoteattr(_message(col))}>'
                    f"{xml_escape(_message(col))}</failure>")
        elif col.method is None and not col.drifted:
            body = f"<skipped message={quoteattr(_message(col))}/>"
        elif col.drifted:
            body = f"<system-out>{xml_escape('warning: ' + _message(col))}</system-out>"
        else:
            body = f"<system-out>{xml_escape(_message(col))}</system-out>"
        cases.append(f'    <testcase classname="datacheck.drift" name={name}>{body}</testcase>')
    if report.row_count_threshold is not None:
        body = ""
        message = _summary_line(report)
        if report.row_count_drifted:
            failures += 1
            body = f'<failure type="row_count" message={quoteattr(message)}>{xml_escape(message)}</failure>'
        cases.append(f'    <testcase classname="datacheck.drift" name="(row count)">{body}</testcase>')
    cases += drift_junit_cases(report)  # one per slice with --slice
    failures += sum(1 for s in report.slices if s.drifted)
    skipped += sum(1 for s in report.slices if not s.drifted and s.status != "compared")
    total = len(cases)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="datacheck drift" tests="{total}" failures="{failures}" skipped="{skipped}">\n'
            f'  <testsuite name="datacheck.drift" tests="{total}" failures="{failures}" errors="0" '
            f'skipped="{skipped}">\n'
            + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n")


# ------------------------------------------------------------------------------------------- github


def drift_github(report: DriftReport) -> str:
    """GitHub Actions workflow commands: ::error for drifted columns, ::warning for warnings, ::notice summary."""
    lines = []
    for col in report.columns:
        if col.drifted:
            level = "error" if col.severity == "error" else "warning"
        elif col.status == "new_in_current":
            level = "warning"
        else:
            continue
        title = escape_property(f"drift in {col.column}")
        lines.append(f"::{level} title={title}::{escape_data(_message(col))}")
    if report.row_count_drifted:
        lines.append(f"::error title={escape_property('row count drift')}::{escape_data(_summary_line(report))}")
    lines += drift_github_lines(report)
    lines.append(f"::notice title={escape_property('datacheck drift')}::{escape_data(_summary_line(report))}")
    return "\n".join(lines) + "\n"


__all__ = ["drift_table", "drift_json", "drift_markdown", "drift_junit", "drift_github", "paired_sparklines",
           "signals_text", "verdict"]
