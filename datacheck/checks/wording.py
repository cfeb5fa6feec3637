"""How findings word numbers, shares and data values in their messages and fixes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def fmt(value: Any) -> str:
    """A bound or an observed value for a message: whole floats without ".0", others to 6 significant digits.

    Example:
        >>> fmt(3.0), fmt(0.1234567), fmt("2024-01-01")
        ('3', '0.123457', '2024-01-01')
    """
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.6g}"
    return str(value)


def show(value: Any, width: int = 40) -> str:
    """A data value for a message: control characters escaped, long text cut."""
    text = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text if len(text) <= width else text[: width - 1] + "…"


def quote_values(values: Sequence[str], limit: int = 10) -> str:
    """Values quoted for a fix: '"a", "b" (and 3 more)'."""
    shown = ", ".join(f'"{show(v, 80)}"' for v in values[:limit])
    return shown + (f" (and {len(values) - limit} more)" if len(values) > limit else "")


def share(count: int, total: int) -> float | None:
    """count / total to 6 decimals, or None when total is 0."""
    return round(count / total, 6) if total else None


def pct(fraction: float | None) -> str:
    """A share as a percentage with one decimal ("<0.1%" for tiny non-zero shares, "?" when unknown)."""
    if fraction is None:
        return "?"
    if 0 < fraction < 0.001:
        return "<0.1%"
    return f"{fraction * 100:.1f}%"


def ceil_fraction(value: float, digits: int = 3) -> float:
    """A share rounded up to `digits` decimals (at most 1), so that a bound set to it accepts the share.

    Example:
        >>> ceil_fraction(0.31940), ceil_fraction(0.3194, 4)
        (0.32, 0.3194)
    """
    scale = 10 ** digits
    # 1e-9 absorbs the float error of value * scale: 0.07 * 10_000 is 700.0000000000001, which must stay 0.07.
    return min(1.0, math.ceil(value * scale - 1e-9) / scale)


def plural(count: int, noun: str) -> str:
    """ "1 value", "1,204 values"."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def count_text(count: int | None) -> str:
    """ "3 values", or "values" when statistics cannot tell how many."""
    return "values" if count is None else f"{count:,} value" + ("" if count == 1 else "s")


def round_up(value: float) -> float:
    """A positive value rounded up to 3 significant digits (a threshold just above a measured drift)."""
    if not math.isfinite(value) or value <= 0:
        return value
    digits = max(0, 2 - int(math.floor(math.log10(value))))
    scale = 10 ** digits
    return math.ceil(value * scale) / scale


def round_down_p(pvalue: float) -> float:
    """A significance level just below `pvalue` (so that this p-value no longer counts as drift)."""
    if pvalue <= 0:
        return 0.0
    exponent = math.floor(math.log10(pvalue))
    return float(f"1e{exponent}") if pvalue > float(f"1e{exponent}") else float(f"1e{exponent - 1}")


__all__ = ["ceil_fraction", "count_text", "fmt", "pct", "plural", "quote_values", "round_down_p", "round_up",
           "share", "show"]
