"""`datacheck.validate`: the validation API under its historical module name.

The checks live in `datacheck.checks` (one module per check family, see its docstring); this module keeps the
names that `from datacheck.validate import ...` has always given.
"""

from __future__ import annotations

from datacheck.checks import (
                              CATALOGUE,
                              REPORT_FORMAT,
                              REPORT_VERSION,
                              SEVERITIES,
                              SEVERITY_RANK,
                              Anomaly,
                              CheckResult,
                              Example,
                              Finding,
                              Report,
                              RowChecks,
                              Summary,
                              actual_type,
                              severity_rank,
                              type_compatible,
                              validate,
                              validate_with_statistics,
)

__all__ = ["CATALOGUE", "REPORT_FORMAT", "REPORT_VERSION", "SEVERITIES", "SEVERITY_RANK", "Anomaly", "CheckResult",
           "Example", "Finding", "Report", "RowChecks", "Summary", "actual_type", "severity_rank", "type_compatible",
           "validate", "validate_with_statistics"]
