"""datacheck: fast data validation for ML pipelines.

The Python API is the same library the command line wraps:

    >>> import datacheck
    >>> stats = datacheck.profile("sample_data/loans_train.csv")       # Statistics
    >>> schema = datacheck.infer_schema(stats)                         # Schema
    >>> report = datacheck.validate("sample_data/loans_clean.csv", schema)
    >>> drift = datacheck.drift("sample_data/loans_train.csv", "sample_data/loans_drifted.csv")

The functions `profile`, `validate` and `drift` share their names with the modules that define them, so
they are imported here eagerly: importing a submodule would otherwise replace the function attribute with
the module. Everything else is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "profile": "datacheck.profile",
    "merge": "datacheck.profile",
    "Statistics": "datacheck.statistics",
    "ColumnStats": "datacheck.statistics",
    "ReadOptions": "datacheck.sources",
    "load_statistics": "datacheck.sources",
    "Schema": "datacheck.schema",
    "infer_schema": "datacheck.infer",
    "validate": "datacheck.checks",
    "Report": "datacheck.checks",
    "drift": "datacheck.drift",
    "DriftReport": "datacheck.drift",
    "DatacheckError": "datacheck.errors",
    "InputError": "datacheck.errors",
    "SchemaFileError": "datacheck.errors",
    "UsageError": "datacheck.errors",
    "Rule": "datacheck.schema_rules",
    "Freshness": "datacheck.schema_rules",
    "Reference": "datacheck.schema_rules",
    "Plugin": "datacheck.schema_rules",
    "propose_rules": "datacheck.infer_rules",
}

__all__ = sorted(_EXPORTS)

from datacheck.checks import validate  # noqa: E402, F401
from datacheck.drift import drift  # noqa: E402, F401  (see the module docstring)
from datacheck.profile import merge, profile  # noqa: E402, F401

# What type checkers and editors see (the package is typed: py.typed); at run time these load on first use.
if TYPE_CHECKING:
    from datacheck.checks import Report as Report
    from datacheck.drift import DriftReport as DriftReport
    from datacheck.errors import DatacheckError as DatacheckError
    from datacheck.errors import InputError as InputError
    from datacheck.errors import SchemaFileError as SchemaFileError
    from datacheck.errors import UsageError as UsageError
    from datacheck.infer import infer_schema as infer_schema
    from datacheck.schema import Schema as Schema
    from datacheck.sources import ReadOptions as ReadOptions
    from datacheck.sources import load_statistics as load_statistics
    from datacheck.statistics import ColumnStats as ColumnStats
    from datacheck.statistics import Statistics as Statistics


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'datacheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
