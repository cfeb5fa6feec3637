"""Every output datacheck can write, keyed by (result kind, format): the one place that says what exists.

A result kind is what a command produces: statistics (`stats`), a validation report (`report`), a drift
report (`drift`), a schema (`schema`), and merged statistics (`merge`, the statistics renderers that
`datacheck merge` offers). For each kind the registry lists its formats, in the order `--help` shows them,
and how to write each one. The CLI takes a command's `--format` choices from here, so a command never offers
a format it cannot write, and writes every result through `renderer(kind, fmt)`.

To add an output format: write the function in the kind's render module (it only formats), then register it
below for each kind it serves. If it has a usual file extension, add it to `SUFFIX_FORMATS`.

Example:
    >>> formats(STATS)
    ('table', 'json', 'markdown', 'html', 'tfdv')
    >>> format_for(REPORT, "datacheck.xml")
    'junit'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from datacheck.render.common import render_to_text

if TYPE_CHECKING:
    from rich.console import RenderableType

    from datacheck.checks import Report
    from datacheck.drift import DriftReport
    from datacheck.render import drift as _drift
    from datacheck.render import html as _html
    from datacheck.render import report as _report
    from datacheck.render import schema as _schema
    from datacheck.render import slices as _slices
    from datacheck.render import stats as _stats
    from datacheck.schema import Schema
    from datacheck.statistics import Statistics

T = TypeVar("T")


@dataclass(frozen=True)
class Kind(Generic[T]):
    """A kind of result; `T` is its Python type, so that mypy checks a result against the renderers it meets."""

    name: str


STATS: Kind[Statistics] = Kind("stats")
REPORT: Kind[Report] = Kind("report")
DRIFT: Kind[DriftReport] = Kind("drift")
SCHEMA: Kind[Schema] = Kind("schema")
MERGE: Kind[Statistics] = Kind("merge")


@dataclass(frozen=True)
class RenderContext:
    """What some renderers need besides the result.

    Fields:
        width: the width to lay a table out for: the terminal's on stdout; None for the kind's own width
            (what `-o FILE` gets).
        fail_on: the least severity that JUnit XML marks as a failure ("error" or "warning").
        statistics: the statistics of validated data, drawn by the HTML validation report.
        baseline, current: the statistics of both sides of a drift report, drawn by the HTML drift report.
        title: a heading (the schema table shows the schema file's name).
    """

    width: int | None = None
    fail_on: str = "error"
    statistics: Statistics | None = None
    baseline: Statistics | None = None
    current: Statistics | None = None
    title: str | None = None


@dataclass(frozen=True)
class Renderer(Generic[T]):
    """How to write one kind of result in one format.

    Fields:
        text: the result as text: what `-o FILE` holds, and what stdout gets when `rich` is None.
        rich: for tables only, a rich renderable fitted to `RenderContext.width`, printed to a terminal.
    """

    text: Callable[[T, RenderContext], str]
    rich: Callable[[T, RenderContext], RenderableType] | None = None


def table(build: Callable[[T, RenderContext, int], RenderableType], table_width: int,
          text_width: int) -> Renderer[T]:
    """A rich table: fitted to the terminal on stdout; as text, laid out `table_width` wide and printed
    `text_width` wide, unless the context gives a width for both.

    The two widths are what each kind's `-o FILE` has always held (statistics: laid out for 160 columns,
    printed at 120; drift: 160 and 160; validation: 120 and 120), kept so that saved tables do not change.
    """
    def text(result: T, context: RenderContext) -> str:
        return render_to_text(build(result, context, context.width or table_width),
                              width=context.width or text_width)

    def rich(result: T, context: RenderContext) -> RenderableType:
        return build(result, context, context.width or table_width)

    return Renderer(text, rich)


_RENDERERS: dict[tuple[Kind[Any], str], Renderer[Any]] = {}

#: The format a file extension asks for when `--format` is not given (and the kind has that format).
SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".xml": "junit", ".html": "html"}


def register(kind: Kind[T], fmt: str, renderer: Renderer[T]) -> None:
    """Make `renderer` the way to write `kind` in `fmt` (formats are listed in registration order)."""
    _RENDERERS[(kind, fmt)] = renderer


def formats(kind: Kind[Any]) -> tuple[str, ...]:
    """The formats `kind` can be written in, in the order `--help` lists them."""
    return tuple(fmt for registered, fmt in _RENDERERS if registered == kind)


def renderer(kind: Kind[T], fmt: str) -> Renderer[T]:
    """The renderer of `kind` in `fmt`.

    Raises:
        ValueError: the kind has no such format.
    """
    found = _RENDERERS.get((kind, fmt))
    if found is None:
        raise ValueError(f"unknown {kind.name} format {fmt!r}; use one of {', '.join(formats(kind))}")
    return found


def render_text(kind: Kind[T], result: T, fmt: str, context: RenderContext | None = None) -> str:
    """`result` as text in `fmt` (a table as plain text, as `-o FILE` holds it)."""
    return renderer(kind, fmt).text(result, context or RenderContext())


def format_for(kind: Kind[Any], path: str | Path | None) -> str:
    """The format to write to `path` when none is given: the one its extension asks for if `kind` has it,
    else a table."""
    fmt = SUFFIX_FORMATS.get(Path(path).suffix.lower()) if path is not None else None
    return fmt if fmt is not None and (kind, fmt) in _RENDERERS else "table"


# ------------------------------------------------------------------------------------------- the renderers


class _OnFirstUse:
    """A render module imported when a renderer first needs it. The CLI reads `formats` at start-up to build
    every command's `--format` choices; importing the render modules then (xml, http.client by way of
    xml.sax.saxutils, markupsafe) would add about 30 ms to every command, `--help` included."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._module), attr)


if not TYPE_CHECKING:
    _drift, _html, _report, _schema, _stats = (_OnFirstUse(f"datacheck.render.{name}")
                                               for name in ("drift", "html", "report", "schema", "stats"))
    _slices = _OnFirstUse("datacheck.render.slices")

register(STATS, "table", table(lambda stats, _, width: _slices.stats_view(_stats.stats_table(stats, width), stats),
                               160, 120))
register(STATS, "json", Renderer(lambda stats, _: _stats.stats_json(stats)))
register(STATS, "markdown", Renderer(lambda stats, _: _stats.stats_markdown(stats)
                                     + _slices.stats_markdown_extra(stats)))
register(STATS, "html", Renderer(lambda stats, _: _html.stats_html(stats)))

register(REPORT, "table", table(lambda report, _, width: _report.report_table(report, width), 120, 120))
register(REPORT, "json", Renderer(lambda report, _: _report.report_json(report)))
register(REPORT, "markdown", Renderer(lambda report, _: _report.report_markdown(report)))
register(REPORT, "junit", Renderer(lambda report, context: _report.report_junit(report, context.fail_on)))
register(REPORT, "github", Renderer(lambda report, _: _report.report_github(report)))
register(REPORT, "html", Renderer(lambda report, context: _html.validation_html(context.statistics, report)))

register(DRIFT, "table", table(lambda report, _, width: _slices.drift_view(_drift.drift_table(report, width), report),
                               160, 160))
register(DRIFT, "json", Renderer(lambda report, _: _drift.drift_json(report)))
register(DRIFT, "markdown", Renderer(lambda report, _: _drift.drift_markdown(report)
                                     + _slices.drift_markdown_extra(report)))
register(DRIFT, "junit", Renderer(lambda report, _: _drift.drift_junit(report)))
register(DRIFT, "github", Renderer(lambda report, _: _drift.drift_github(report)))
register(DRIFT, "html", Renderer(lambda report, context: _html.drift_html(report, context.baseline, context.current)))

# The schema table does not fit itself to a width: a column's values fold onto more lines instead.
register(SCHEMA, "table", table(lambda schema, context, _: _schema.schema_table(schema, title=context.title), 120, 120))
register(SCHEMA, "json", Renderer(lambda schema, _: schema.dumps()))

# TFDV's statistics proto (text format); needs the tfdv extra, imported on first use like the others.
if not TYPE_CHECKING:
    _tfdv = _OnFirstUse("datacheck.render.tfdv")
else:
    from datacheck.render import tfdv as _tfdv
register(STATS, "tfdv", Renderer(lambda stats, _: _tfdv.stats_tfdv(stats)))
SUFFIX_FORMATS[".pbtxt"] = "tfdv"

# `datacheck skew`: row-level feature skew between two datasets joined on keys.
if not TYPE_CHECKING:
    _skew = _OnFirstUse("datacheck.render.skew")
else:
    from datacheck.render import skew as _skew
    from datacheck.skew import SkewReport
SKEW: Kind[SkewReport] = Kind("skew")
register(SKEW, "table", table(lambda report, _, width: _skew.skew_table(report, width), 160, 160))
register(SKEW, "json", Renderer(lambda report, _: _skew.skew_json(report)))
register(SKEW, "markdown", Renderer(lambda report, _: _skew.skew_markdown(report)))
register(SKEW, "junit", Renderer(lambda report, _: _skew.skew_junit(report)))
register(SKEW, "github", Renderer(lambda report, _: _skew.skew_github(report)))
register(SKEW, "html", Renderer(lambda report, _: _skew.skew_html(report)))

# `datacheck merge` writes a statistics file by default, so json comes first; its results are statistics.
for _fmt in ("json", "table", "markdown"):
    register(MERGE, _fmt, renderer(STATS, _fmt))


# Monitoring (`datacheck monitor`, `datacheck history`): a monitor's findings print as a validation report's do;
# its html is the trend report. The kinds are declared here, with their renderers, to keep the block in one place.
if TYPE_CHECKING:
    from datacheck.history import Batch
    from datacheck.monitor import MonitorResult, SeriesView
    from datacheck.render import monitoring as _monitoring
    from datacheck.render import trend as _trend
else:
    _monitoring, _trend = (_OnFirstUse(f"datacheck.render.{name}") for name in ("monitoring", "trend"))

MONITOR: Kind[MonitorResult] = Kind("monitor")
HISTORY: Kind[tuple[Batch, ...]] = Kind("history")
SERIES: Kind[SeriesView] = Kind("series")
register(MONITOR, "table", table(lambda result, _, width: _report.report_table(result.report, width), 120, 120))
register(MONITOR, "json", Renderer(lambda result, _: _report.report_json(result.report)))
register(MONITOR, "markdown", Renderer(lambda result, _: _report.report_markdown(result.report)))
register(MONITOR, "junit", Renderer(lambda result, context: _report.report_junit(result.report, context.fail_on)))
register(MONITOR, "github", Renderer(lambda result, _: _report.report_github(result.report)))
register(MONITOR, "html", Renderer(lambda result, _: _trend.trend_html(result.trend, result.report, result.statistics)))
register(HISTORY, "table", table(lambda batches, _, width: _monitoring.history_table(batches, width), 160, 160))
register(HISTORY, "json", Renderer(lambda batches, _: _monitoring.history_json(batches)))
register(SERIES, "table", table(lambda view, _, width: _monitoring.series_table(view, width), 120, 120))
register(SERIES, "json", Renderer(lambda view, _: _monitoring.series_json(view)))


__all__ = ["Kind", "STATS", "REPORT", "DRIFT", "SCHEMA", "MERGE", "RenderContext", "Renderer", "table",
           "SUFFIX_FORMATS", "register", "formats", "renderer", "render_text", "format_for"]


def render_report(report: Report, fmt: str, *, fail_on: str = "error", width: int = 120) -> str:
    """A validation report as text in one of its formats: table, json, markdown, junit, github, html (without
    statistics: the cards then show the findings only).

    Raises:
        ValueError: an unknown format.
    """
    return render_text(REPORT, report, fmt, RenderContext(width=width, fail_on=fail_on))
