"""datacheck: fast data validation for ML pipelines.

The Python API is the same library the command line wraps:

    >>> import datacheck
    >>> stats = datacheck.profile("sample_data/loans_train.csv")       # Statistics
    >>> schema = datacheck.infer_schema(stats)                         # Schema
    >>> report = datacheck.validate("sample_data/loans_clean.csv", schema)
    >>> drift = datacheck.drift("sample_data/loans_train.csv", "sample_data/loans_drifted.csv")

Every name is imported on first use, so that `import datacheck` (and the command line's start-up) costs only
what is used. `profile`, `drift` and `monitor` share their names with the modules that define them; importing such a
submodule binds the module on the package, so these names are properties of the package's module class,
which keep the function.
"""

from __future__ import annotations

import importlib
import sys
import types
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
    "profile_sliced": "datacheck.slices",
    "validate_sliced": "datacheck.slice_validation",
    "label_statistics": "datacheck.lift",
    "History": "datacheck.history",
    "monitor": "datacheck.monitor",
    "MonitorResult": "datacheck.monitor",
    "skew_files": "datacheck.skew",
    "SkewReport": "datacheck.skew",
    "load_tfdv_statistics": "datacheck.tfdv_statistics",
    "load_tfdv_schema": "datacheck.tfdv_schema",
    "schema_from_tfdv": "datacheck.tfdv_schema",
    "schema_to_tfdv": "datacheck.tfdv_schema",
}

__all__ = sorted(_EXPORTS)


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


def _function_named_as_its_module(name: str) -> property:
    """A package attribute that is the function `name` of the module of the same name, imported on first use."""
    key = f"_function_{name}"

    def get(package: types.ModuleType) -> Any:
        if key not in package.__dict__:
            function = getattr(importlib.import_module(_EXPORTS[name]), name)
            package.__dict__[key] = function
        return package.__dict__[key]

    def set_(package: types.ModuleType, value: Any) -> None:
        # The import system binds every submodule it loads on its package: the name keeps the function.
        if not isinstance(value, types.ModuleType):
            package.__dict__[key] = value

    return property(get, set_)


class _Package(types.ModuleType):
    profile = _function_named_as_its_module("profile")
    drift = _function_named_as_its_module("drift")
    monitor = _function_named_as_its_module("monitor")


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
