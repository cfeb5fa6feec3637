"""Results in a notebook: the HTML report of a Statistics, Report or DriftReport, inline in the cell.

Jupyter (and VS Code, JupyterLab, Colab) call an object's `_repr_html_` to show it. The report is a whole
page with its own scripts and styles, so it goes into an `<iframe>` whose `srcdoc` holds the page escaped as
an attribute value: the notebook's own page never parses the report's markup, and data values stay escaped
twice over (once in the report, once in the attribute). The frame is sandboxed (scripts may run, nothing else:
no same-origin access to the notebook) and sized for a cell; the report scrolls inside it.
"""

from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datacheck.checks.model import Report
    from datacheck.drift import DriftReport
    from datacheck.statistics import Statistics

#: Height of the frame in a cell: about two rows of column cards under the overview (measured in JupyterLab
#: at its default font size); the page scrolls inside the frame for the rest.
CELL_HEIGHT_PX = 640


def _html_renderers() -> Any:
    # Imported on first use, by name, as the render registry does: the HTML renderer imports the result
    # modules that call this, and loading jinja2 is left to the first report shown.
    return importlib.import_module("datacheck.render.html")


def in_cell(page: str, title: str) -> str:
    """`page` (a whole HTML document) in a sandboxed iframe sized for a notebook cell."""
    return (f'<iframe title="{html.escape(title, quote=True)}" srcdoc="{html.escape(page, quote=True)}" '
            f'sandbox="allow-scripts" style="width: 100%; height: {CELL_HEIGHT_PX}px; border: 1px solid #d0d7de; '
            f'border-radius: 6px;" loading="lazy"></iframe>')


def statistics_cell(stats: Statistics) -> str:
    return in_cell(_html_renderers().stats_html(stats), "datacheck statistics")


def report_cell(report: Report) -> str:
    return in_cell(_html_renderers().validation_html(None, report), "datacheck validation report")


def drift_cell(report: DriftReport) -> str:
    return in_cell(_html_renderers().drift_html(report, None, None), "datacheck drift report")


__all__ = ["CELL_HEIGHT_PX", "drift_cell", "in_cell", "report_cell", "statistics_cell"]
