"""Slices and label statistics as text: compact per-slice summaries beside the statistics and the drift report
(table, Markdown), per-slice JUnit testcases and GitHub annotations for drift, and the label lifts.

Every summary shows the worst slices first and at most SHOWN of them: a report of 50 slices x 20 columns
does not fit a terminal, and the JSON output holds everything.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from datacheck.label_model import LabelRate, LabelStats
from datacheck.render.common import escape_data, escape_property, md_escape, number, percent
from datacheck.statistics import Slicing, Statistics

if TYPE_CHECKING:  # for the annotations only: `stats` renders slices without importing drift (≈ 50 ms)
    from datacheck.drift import DriftReport, SliceDrift

#: Slices (and label values) shown in a table at most.
SHOWN = 10
#: Label values with fewer rows are not listed among the largest lifts: a value seen twice has a lift of
#: 3 or 0 by chance (the same minimum as a slice's, datacheck.slice_validation.MIN_SLICE_ROWS).
LIFT_MIN_ROWS = 100

_STATUS = {"compared": "compared", "new_in_current": "new in current", "missing_in_current": "vanished",
           "too_small": "too small"}


# ------------------------------------------------------------------------------------------------ statistics


def _slice_rows(stats: Statistics, slicing: Slicing) -> list[tuple[str, str, str, str]]:
    """(slice, rows, share of rows, the column whose null share moves most from the whole table's), largest
    slices first."""
    parts = [(s.key, s.statistics) for s in slicing.slices]
    if slicing.other is not None:
        parts.append(((), slicing.other.statistics))
    out = []
    for key, part in parts[:SHOWN]:
        worst, gap = "", 0.0
        for col in part.columns:
            whole = stats.column(col.name)
            if whole is None or col.name in slicing.columns:
                continue
            moved = abs(col.null_fraction - whole.null_fraction)
            if moved > gap:
                gap = moved
                worst = f"{col.name}: {percent(col.null_fraction)} null (all: {percent(whole.null_fraction)})"
        name = _key(slicing, key)
        out.append((name, number(part.num_rows), percent(part.num_rows / stats.num_rows if stats.num_rows else 0),
                    worst))
    return out


def _key(slicing: Slicing, key: tuple[str | None, ...]) -> str:
    if not key:
        listed = len(slicing.pooled)
        return f"other ({listed}{'' if slicing.pooled_complete else '+'} values)"
    return ",".join(f"{c}={'null' if v is None else v}" for c, v in zip(slicing.columns, key))


def stats_view(table: RenderableType, stats: Statistics) -> RenderableType:
    """The statistics table, followed by the slices and the label lifts when there are any."""
    parts: list[RenderableType] = [table]
    for slicing in stats.slicings:
        kept = len(slicing.slices)
        extra = Table(title=f"slices by {slicing.name} ({kept} kept apart"
                            + (", the rest pooled as other" if slicing.other is not None else "")
                            + (f"; the largest {SHOWN} shown" if kept > SHOWN else "") + ")",
                      title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
        for header in ("slice", "rows", "share", "largest change in nulls"):
            extra.add_column(header, justify="right" if header in ("rows", "share") else "left", overflow="fold")
        for row in _slice_rows(stats, slicing):
            extra.add_row(*(Text(cell) for cell in row))
        parts.append(extra)
    if stats.labels is not None:
        parts.append(_label_table(stats.labels))
    return Group(*parts) if len(parts) > 1 else table


def _top_lifts(labels: LabelStats) -> list[tuple[str, LabelRate, str, float, float | None]]:
    """(feature, rate, class, rate of the class, lift): the SHOWN values whose lift is farthest from 1."""
    found = []
    for feature in labels.features:
        for rate in feature.rates:
            if rate.rows < LIFT_MIN_ROWS:
                continue
            for (cls, share), (_, lift) in zip(rate.rates, rate.lifts):
                found.append((feature.feature, rate, cls, share, lift))
    # Binary labels: one class says it all (the other's lift mirrors it).
    if labels.kind == "binary" and labels.overall:
        positive = labels.overall[-1][0]
        found = [f for f in found if f[2] == positive]
    found.sort(key=lambda f: (-abs(math.log(f[4])) if f[4] else 0.0, f[0], f[1].value, f[2]))
    return found[:SHOWN]


def _label_table(labels: LabelStats) -> Table:
    overall = ", ".join(f"{cls} {share:.3g}" if labels.kind == "numeric" else f"{cls} {percent(share)}"
                        for cls, share in labels.overall[:5])
    table = Table(title=f"label {labels.label} ({labels.kind}; {overall}): the {SHOWN} largest lifts (values of "
                        f"{LIFT_MIN_ROWS}+ rows)",
                  title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    for header in ("feature", "value", "rows", "class", "rate", "lift"):
        table.add_column(header, justify="right" if header in ("rows", "rate", "lift") else "left", overflow="fold")
    for feature, rate, cls, share, lift in _top_lifts(labels):
        shown = f"{share:.4g}" if labels.kind == "numeric" else percent(share)
        table.add_row(Text(feature), Text(rate.value), number(rate.rows), Text(cls), shown,
                      "–" if lift is None else f"{lift:.2f}")
    return table


def stats_markdown_extra(stats: Statistics) -> str:
    """Markdown of the slices and label lifts (empty without them)."""
    lines: list[str] = []
    for slicing in stats.slicings:
        lines += ["", f"**slices by {md_escape(slicing.name)}**", "",
                  "| slice | rows | share | largest change in nulls |", "|---|--:|--:|---|"]
        lines += [f"| {' | '.join(md_escape(c) for c in row)} |" for row in _slice_rows(stats, slicing)]
    if stats.labels is not None:
        lines += ["", f"**label {md_escape(stats.labels.label)} ({stats.labels.kind}): largest lifts**", "",
                  "| feature | value | rows | class | rate | lift |", "|---|---|--:|---|--:|--:|"]
        for feature, rate, cls, share, lift in _top_lifts(stats.labels):
            lines.append(f"| {md_escape(feature)} | {md_escape(rate.value)} | {number(rate.rows)} | {md_escape(cls)} | "
                         f"{share:.4g} | {'–' if lift is None else f'{lift:.2f}'} |")
    return "\n".join(lines) + ("\n" if lines else "")


# ------------------------------------------------------------------------------------------------ drift


def _drift_cells(item: SliceDrift) -> tuple[str, str, str, str, str]:
    score = "–" if item.score is None else f"{item.score:.2f}"
    rows = f"{number(item.baseline_rows)} → {number(item.current_rows)}"
    return (item.slice, _STATUS.get(item.status, item.status), rows, score, ", ".join(item.drifted_columns))


def drift_view(view: RenderableType, report: DriftReport) -> RenderableType:
    """The drift table, followed by the slices ranked by drift when there are any."""
    if not report.slices:
        return view
    drifted = sum(s.drifted for s in report.slices)
    table = Table(title=f"slices: {drifted} of {len(report.slices)} drifted (most drifted first; score = measured / "
                        "threshold)", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    for header in ("slice", "status", "rows", "score", "drifted columns"):
        table.add_column(header, justify="right" if header == "score" else "left", overflow="fold")
    for item in report.slices[:SHOWN]:
        style = "bold red" if item.drifted else ""
        table.add_row(*(Text(cell, style=style if i in (0, 4) else "") for i, cell in enumerate(_drift_cells(item))))
    return Group(view, table)


def drift_markdown_extra(report: DriftReport) -> str:
    if not report.slices:
        return ""
    lines = ["", "**slices, most drifted first**", "", "| slice | status | rows | score | drifted columns |",
             "|---|---|---|--:|---|"]
    lines += [f"| {' | '.join(md_escape(c) for c in _drift_cells(item))} |" for item in report.slices[:SHOWN]]
    return "\n".join(lines) + "\n"


def drift_junit_cases(report: DriftReport) -> list[str]:
    """One testcase per slice: a drifted slice fails, a slice not compared is skipped."""
    cases = []
    for item in report.slices:
        name = quoteattr(f"[{item.slice}]")
        message = f"{item.slice}: {_STATUS.get(item.status, item.status)}" + (
            f"; drifted: {', '.join(item.drifted_columns)}" if item.drifted_columns else "")
        if item.drifted:
            body = f'<failure type="slice_drift" message={quoteattr(message)}>{xml_escape(message)}</failure>'
        elif item.status != "compared":
            body = f"<skipped message={quoteattr(message)}/>"
        else:
            body = f"<system-out>{xml_escape(message)}</system-out>"
        cases.append(f'    <testcase classname="datacheck.drift.slices" name={name}>{body}</testcase>')
    return cases


def drift_github_lines(report: DriftReport) -> list[str]:
    """::error annotations for drifted slices."""
    return [f"::error title={escape_property(f'drift in slice {item.slice}')}::"
            f"{escape_data(', '.join(item.drifted_columns) or _STATUS.get(item.status, item.status))}"
            for item in report.slices if item.drifted]


__all__ = ["SHOWN", "drift_github_lines", "drift_junit_cases", "drift_markdown_extra", "drift_view",
           "stats_markdown_extra", "stats_view"]
