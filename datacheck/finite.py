"""Numbers bound for JSON: JSON never carries NaN or Infinity, so a number that is not finite becomes null."""

from __future__ import annotations

import math


def finite_or_none(value: float | None) -> float | None:
    """`value` as a float when it is finite, else None (also for None).

    Example:
        >>> finite_or_none(float("inf")) is None, finite_or_none(2)
        (True, 2.0)
    """
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


__all__ = ["finite_or_none"]
