"""Statistics -> a rich table, Markdown, or JSON text."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from datacheck.output import to_json
from datacheck.render.common import md_escape, number, percent, sparkline
from datacheck.statistics import ColumnStats, Statistics


def _type_label(col: ColumnStats) -> str:
    """A short type name: int, float, string, category, bool, date, datetime, ..."""
    base = col.dtype.split("(")[0]
    if col.kind == "numeric":
        return "int" if base.startswith(("Int", "UInt")) else "float" if base.startswith("Float") else base.lower()
    return {"boolean": "bool", "categorical": "category"}.get(col.kind, base.lower() if col.kind == "temporal" else col.kind)


def _range_cells(col: ColumnStats) -> tuple[str, str, str]:
    """(min, mean, max) as text: values for numbers, ISO text for dates, lengths for strings."""
    if col.temporal is not None:
        return col.temporal.min or "–", "", col.temporal.max or "–"
    if col.numeric is not None:
        return number(col.numeric.min), number(col.numeric.mean), number(col.numeric.max)
    if col.lengths is not None:
        return (f"len {number(col.lengths.min)}", f"len {number(col.lengths.mean, 3)}", f"len {number(col.lengths.max)}")
    return "", "", ""


def _distinct_cell(col: ColumnStats) -> str:
    if col.distinct is None:
        return ""
    return f"{'' if col.distinct.exact else '≈'}{number(col.distinct.count)}"


def _top_cell(col: ColumnStats, limit: int = 3, width: int = 18) -> str:
    parts = []
    for item in col.top_values[:limit]:
        value = item.value if len(item.value) <= width else item.value[: width - 1] + "…"
        parts.append(f"{value} ({number(item.count)})")
    return ", ".join(parts)


def _histogram_cell(col: ColumnStats) -> str:
    if col.numeric is not None and col.numeric.histogram is not None:
        return sparkline(col.numeric.histogram.counts)
    if col.top_values:
        return sparkline([v.count for v in col.top_values])
    return ""


def stats_table(stats: Statistics, width: int = 160) -> Table:
    """One row per column: type, missing share, min/mean/max, distinct count, top values and a histogram.

    On a narrow terminal (`width`), the mean and then the distribution columns are left out, so that the
    figures that matter most keep their full width.
    """
    sources = ", ".join(s.path for s in stats.sources[:3]) + (" …" if len(stats.sources) > 3 else "")
    table = Table(title=f"{number(stats.num_rows)} rows × {len(stats.columns)} columns" + (f" — {sources}" if sources else ""),
                  title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    name_width = min(30, max([len(c.name) for c in stats.columns] + [6]))
    wanted = ["column", "type", "missing", "min", "mean", "max", "distinct", "top values", "distribution"]
    if width < name_width + 120:
        wanted.remove("mean")
    if width < name_width + 100:
        wanted.remove("distribution")
    specs = {"column": ("left", name_width), "type": ("left", 8), "missing": ("right", 7), "min": ("right", 10),
             "mean": ("right", 8), "max": ("right", 10), "distinct": ("right", 8), "top values": ("left", 10),
             "distribution": ("left", 20)}
    for header in wanted:
        justify, min_width = specs[header]
        table.add_column(header, justify=justify, overflow="ellipsis", no_wrap=True, min_width=min_width,
                         ratio=1 if header == "top values" else None)
    for col in stats.columns:
        low, mean, high = _range_cells(col)
        missing = percent(col.null_fraction)
        if col.numeric is not None and col.numeric.nan_count:
            missing += f" +{number(col.numeric.nan_count)} NaN"
        cells = {"column": Text(col.name), "type": _type_label(col), "missing": missing, "min": low, "mean": mean, "max": high,
                 "distinct": _distinct_cell(col), "top values": Text(_top_cell(col)), "distribution": _histogram_cell(col)}
        table.add_row(*(cells[h] for h in wanted))
    return table


def stats_markdown(stats: Statistics) -> str:
    """A GitHub-flavoured Markdown table of the statistics; every data value is escaped."""
    lines = [f"**{number(stats.num_rows)} rows × {len(stats.columns)} columns**", "",
             "| column | type | missing | min | mean | max | distinct | top values | distribution |",
             "|---|---|--:|--:|--:|--:|--:|---|---|"]
    for col in stats.columns:
        low, mean, high = _range_cells(col)
        cells = [md_escape(col.name), _type_label(col), percent(col.null_fraction), md_escape(low), md_escape(mean), md_escape(high),
                 _distinct_cell(col), md_escape(_top_cell(col)), _histogram_cell(col)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def stats_json(stats: Statistics) -> str:
    return to_json(stats.to_dict())
