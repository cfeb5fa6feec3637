"""Statistics -> a rich table, Markdown, or JSON text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from datacheck.output import to_json
from datacheck.render.common import md_escape, number, percent, sparkline
from datacheck.statistics import ColumnStats, Statistics

if TYPE_CHECKING:
    from rich.table import Table


def _type_label(col: ColumnStats) -> str:
    """A short type name: int, float, string, category, bool, date, datetime, ..."""
    base = col.dtype.split("(")[0]
    if col.kind == "numeric":
        return "int" if base.startswith(("Int", "UInt")) else "float" if base.startswith("Float") else base.lower()
    other = base.lower() if col.kind == "temporal" else col.kind
    return {"boolean": "bool", "categorical": "category"}.get(col.kind, other)


def _range_cells(col: ColumnStats) -> tuple[str, str, str]:
    """(min, mean, max) as text: values for numbers, ISO text for dates, lengths for strings."""
    if col.temporal is not None:
        return col.temporal.min or "–", "", col.temporal.max or "–"
    if col.numeric is not None:
        return number(col.numeric.min), number(col.numeric.mean), number(col.numeric.max)
    if col.lengths is not None:
        lengths = col.lengths
        return f"len {number(lengths.min)}", f"len {number(lengths.mean, 3)}", f"len {number(lengths.max)}"
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

    The table fits in `width`: the top-values column takes the room the others leave (at least 12
    characters); on a narrower terminal the mean and then the distribution columns are left out.
    """
    from rich import box  # here, not at import: JSON and Markdown output never load rich
    from rich.table import Table
    from rich.text import Text

    sources = ", ".join(s.path for s in stats.sources[:3]) + (" …" if len(stats.sources) > 3 else "")
    title = f"{number(stats.num_rows)} rows × {len(stats.columns)} columns" + (f" — {sources}" if sources else "")
    table = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)
    rows = []
    for col in stats.columns:
        low, mean, high = _range_cells(col)
        missing = percent(col.null_fraction)
        if col.numeric is not None and col.numeric.nan_count:
            missing += f" +{number(col.numeric.nan_count)} NaN"
        rows.append({"column": col.name, "type": _type_label(col), "missing": missing, "min": low, "mean": mean,
                     "max": high, "distinct": _distinct_cell(col), "top values": _top_cell(col),
                     "distribution": _histogram_cell(col)})
    # Every column but "top values" as wide as its widest cell (names capped at 30), plus 3 for its padding
    # and the (blank) column separator.
    natural = {h: min(30, max([len(h)] + [len(r[h]) for r in rows])) for h in rows[0]} if rows else {}

    def fixed_width(headers: list[str]) -> int:
        return sum(natural.get(h, 0) + 3 for h in headers if h != "top values") + 3

    wanted = ["column", "type", "missing", "min", "mean", "max", "distinct", "top values", "distribution"]
    for optional in ("mean", "distribution"):
        if width - fixed_width(wanted) < 12:
            wanted.remove(optional)
    fixed = fixed_width(wanted)
    right = {"missing", "min", "mean", "max", "distinct"}
    for header in wanted:
        # A rich column's width includes its padding of one space each side.
        size = max(12, width - fixed) if header == "top values" else natural.get(header, len(header)) + 2
        table.add_column(header, justify="right" if header in right else "left", overflow="ellipsis", no_wrap=True,
                         width=min(size, 62) if header == "top values" else size)
    for row in rows:
        table.add_row(*(Text(row[h]) if h in ("column", "top values") else row[h] for h in wanted))
    return table


def stats_markdown(stats: Statistics) -> str:
    """A GitHub-flavoured Markdown table of the statistics; every data value is escaped."""
    lines = [f"**{number(stats.num_rows)} rows × {len(stats.columns)} columns**", "",
             "| column | type | missing | min | mean | max | distinct | top values | distribution |",
             "|---|---|--:|--:|--:|--:|--:|---|---|"]
    for col in stats.columns:
        low, mean, high = _range_cells(col)
        cells = [md_escape(col.name), _type_label(col), percent(col.null_fraction), md_escape(low), md_escape(mean),
                 md_escape(high), _distinct_cell(col), md_escape(_top_cell(col)), _histogram_cell(col)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def stats_json(stats: Statistics) -> str:
    return to_json(stats.to_dict())
