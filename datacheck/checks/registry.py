"""The registry of check families: validation runs them, the catalogue and the docs list their anomaly codes.

To add a family: write a module next to these with its `Anomaly` entries and a `CheckFamily` subclass (see
`datacheck.checks.family`), list its object in FAMILIES and its check names in CHECK_ORDER, and give it a
test. docs/anomalies.md and the report's JSON Schema are tested against this registry.
"""

from __future__ import annotations

from datacheck.checks import (
    column_type,
    compound_keys,
    distribution_drift,
    domain,
    freshness,
    length,
    monitoring,
    nulls,
    pattern,
    periods,
    presence,
    references,
    row_count,
    row_rules,
    special_floats,
    uniqueness,
    value_range,
)
from datacheck.checks.family import CheckFamily

#: Every family, in catalogue order: their codes are documented, and sorted within one column and severity,
#: in this order.
FAMILIES: tuple[CheckFamily, ...] = (
    presence.FAMILY,
    column_type.FAMILY,
    nulls.FAMILY,
    domain.FAMILY,
    value_range.FAMILY,
    special_floats.FAMILY,
    uniqueness.FAMILY,
    length.FAMILY,
    pattern.FAMILY,
    row_count.FAMILY,
    distribution_drift.FAMILY,
    row_rules.FAMILY,
    compound_keys.FAMILY,
    freshness.FAMILY,
    periods.FAMILY,
    references.FAMILY,
    monitoring.FAMILY,
)

#: Check names in the order a report lists each column's checks (one JUnit testcase each): the dataset's row
#: count, then a column's presence, type, nulls, its values, its keys, and drift last.
CHECK_ORDER: tuple[str, ...] = ("row_count", "presence", "type", "nulls", "nan", "inf", "range", "domain", "length",
                                "pattern", "unique", "drift",
                                # the user's own rules (docs/rules.md)
                                "rule", "compound_key", "freshness", "period", "reference", "monitor")


__all__ = ["CHECK_ORDER", "FAMILIES"]
