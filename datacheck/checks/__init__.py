"""Validation: the check families, the anomaly catalogue, the result model and the run that ties them together.

Modules, from the bottom up:

- `model`: the results (Report, Finding, Example, CheckResult, Summary) and `SEVERITY_RANK`.
- `dtypes`: which data types can hold a schema type. `wording`: how messages word numbers and values.
- `rows`: what a family adds to the data scan (row tests) and reads back (tallies).
- `family`: the `CheckFamily` interface, the catalogue entry (`Anomaly`) and the judging `Context`.
- one module per family: `presence`, `column_type`, `nulls`, `domain`, `value_range`, `special_floats`,
  `uniqueness`, `length`, `pattern`, `row_count`, `distribution_drift`.
- `registry`: the list of families. `catalogue`: their codes (`CATALOGUE`) and the docs table.
- `compiler`: `RowChecks`, which runs the families' row tests in the statistics scan.
- `validation`: `validate` and `validate_with_statistics`.
"""

from __future__ import annotations

from datacheck.checks.catalogue import CATALOGUE, Anomaly
from datacheck.checks.compiler import RowChecks
from datacheck.checks.dtypes import actual_type, type_compatible
from datacheck.checks.model import (
                                    REPORT_FORMAT,
                                    REPORT_VERSION,
                                    SEVERITIES,
                                    SEVERITY_RANK,
                                    CheckResult,
                                    Example,
                                    Finding,
                                    Report,
                                    Summary,
                                    severity_rank,
)
from datacheck.checks.registry import CHECK_ORDER, FAMILIES
from datacheck.checks.validation import validate, validate_with_statistics

__all__ = ["CATALOGUE", "CHECK_ORDER", "FAMILIES", "REPORT_FORMAT", "REPORT_VERSION", "SEVERITIES", "SEVERITY_RANK",
           "Anomaly", "CheckResult", "Example", "Finding", "Report", "RowChecks", "Summary", "actual_type",
           "severity_rank", "type_compatible", "validate", "validate_with_statistics"]
