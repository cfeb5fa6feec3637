"""Formatting helpers shared by the renderers."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

SPARK_BARS = "▁▂▃▄▅▆▇█"


def sparkline(counts: Sequence[int]) -> str:
    """A one-line bar chart of counts (empty buckets show as spaces)."""
    top = max(counts, default=0)
    if top <= 0:
        return ""
    steps = len(SPARK_BARS) - 1
    return "".join(" " if c == 0 else SPARK_BARS[min(steps, int(c / top * steps + 0.5))] for c in counts)


def number(value: float | int | None, digits: int = 4) -> str:
    """A number for people: integers as integers, others to `digits` significant digits."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    if not math.isfinite(value):
        return str(value)
    if 1000 <= abs(value) < 1e15:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def percent(fraction: float) -> str:
    if fraction == 0:
        return "0%"
    if fraction < 0.001:
        return "<0.1%"
    return f"{fraction * 100:.1f}%"


def render_to_text(renderable: RenderableType, width: int = 120, color: bool = False) -> str:
    """Render a rich renderable to plain text (deterministic: fixed width, no colour unless asked)."""
    from rich.console import Console  # here: the JSON outputs never load rich

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, force_terminal=color,
                      highlight=False, soft_wrap=False, legacy_windows=False)
    console.print(renderable)
    return buffer.getvalue()


def md_escape(text: str) -> str:
    """Escape a data value for a Markdown table cell: no HTML, no table breaks, no emphasis."""
    text = str(text).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r", " ").replace("\n", " ")


def escape_data(text: str) -> str:
    """Escape a GitHub workflow command's message: % -> %25, CR -> %0D, LF -> %0A (GitHub's rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a GitHub workflow command's property value (file=, title=): as `escape_data`, plus : -> %3A and
    , -> %2C."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
