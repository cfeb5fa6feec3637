"""The anomaly catalogue: every code a finding can carry, gathered from the check families, and its docs table."""

from __future__ import annotations

from datacheck.checks.family import Anomaly
from datacheck.checks.registry import FAMILIES

#: code -> Anomaly, in documentation order.
CATALOGUE: dict[str, Anomaly] = {entry.code: entry for family in FAMILIES for entry in family.entries}


def anomalies_table() -> str:
    """The Markdown table of docs/anomalies.md: one row per code with its check, default severity, trigger and fix.

    Example:
        >>> anomalies_table().splitlines()[2].startswith("| `missing_column` | presence | error |")
        True
    """
    lines = ["| code | check | default severity | trigger | fix |", "|---|---|---|---|---|"]
    for entry in CATALOGUE.values():
        cells = (f"`{entry.code}`", entry.check, entry.severity, entry.trigger, entry.fix)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


__all__ = ["CATALOGUE", "Anomaly", "anomalies_table"]
