"""The user's own rules in a schema: row rules, compound keys, freshness and periods, references.

These are the parts of the contract that no per-column statistic states (see docs/rules.md):

    "rules": [{"name": "ships_after_order", "expr": "shipped_at >= ordered_at",
               "where": "status <> 'cancelled'", "min_pass": 1.0, "severity": "error", "nulls": "pass"}],
    "dataset": {"unique": [["store_id", "day"]], ...},
    "columns": [{"name": "ordered_at", "type": "datetime", "period": "1d",
                 "freshness": {"newest_max_age": "6h", "oldest_min_age": null}, ...},
                {"name": "customer_id", "type": "integer",
                 "references": {"data": ["customers.csv"], "column": "customer_id"}, ...}]

`schema.py` holds these models in the Schema; this module defines them, parses durations, and lists the
problems a schema document has with them (`rule_problems`, with JSON paths, for `schema check`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

#: A duration or period: a whole number and a unit (s, m = minutes, h, d = calendar days, w = weeks).
_DURATION = re.compile(r"^([1-9][0-9]*)(s|m|h|d|w)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> _dt.timedelta | None:
    """ "6h" → 6 hours; None when `text` is not a whole number followed by s, m, h, d or w.

    Example:
        >>> parse_duration("90m"), parse_duration("1.5h")
        (datetime.timedelta(seconds=5400), None)
    """
    match = _DURATION.match(text)
    if match is None:
        return None
    return _dt.timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


@dataclass(frozen=True, slots=True)
class Rule:
    """A named condition every row (or every row `where` selects) must meet.

    Fields:
        name: the rule's name in findings (unique in the schema).
        expr: an SQL expression over the columns, true for a good row (docs/rules.md lists the syntax).
        where: an SQL condition selecting the rows the rule applies to, or None for every row; a row where
            it is null is not selected.
        min_pass: the least share of selected rows that must pass (1.0: every row).
        severity: "error", "warning" or "off".
        nulls: "pass" (a row where `expr` is null passes, as SQL CHECK constraints have it) or "fail".
        description: free text for the people who read the schema, or None.
    """

    name: str
    expr: str
    where: str | None = None
    min_pass: float = 1.0
    severity: str = "error"
    nulls: str = "pass"
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "expr": self.expr, "where": self.where, "min_pass": self.min_pass,
                               "severity": self.severity, "nulls": self.nulls}
        if self.description is not None:
            out["description"] = self.description
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        return cls(str(data["name"]), str(data["expr"]), data.get("where"), float(data.get("min_pass", 1.0)),
                   str(data.get("severity", "error")), str(data.get("nulls", "pass")), data.get("description"))


@dataclass(frozen=True, slots=True)
class Freshness:
    """How recent a date or datetime column's values must be, against `validate --as-of` (default: now, UTC).

    Fields:
        newest_max_age: the newest value must be no older than this before as-of ("6h"), or None.
        oldest_min_age: the oldest value must be no newer than this before as-of ("30d": at least 30 days of
            history), or None.
    """

    newest_max_age: str | None = None
    oldest_min_age: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"newest_max_age": self.newest_max_age, "oldest_min_age": self.oldest_min_age}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Freshness:
        return cls(data.get("newest_max_age"), data.get("oldest_min_age"))


@dataclass(frozen=True, slots=True)
class Reference:
    """The values a column may take are the values of a column of other data (a foreign key).

    Fields:
        data: the data's paths (files, directories, globs, or a statistics file with an exact frequency
            table), relative to the schema file's directory and inside it.
        column: the column of that data holding the keys.
    """

    data: tuple[str, ...]
    column: str

    def to_dict(self) -> dict[str, Any]:
        return {"data": list(self.data), "column": self.column}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reference:
        paths = data["data"]
        return cls(tuple([paths] if isinstance(paths, str) else paths), str(data["column"]))


@dataclass(frozen=True, slots=True)
class Plugin:
    """A plug-in check family the schema runs (datacheck.checks.plugins): its entry point name and options.

    Fields:
        name: the name of an installed `datacheck.checks` entry point.
        options: what the plug-in's factory is called with (a JSON object).
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "options": dict(self.options)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plugin:
        return cls(str(data["name"]), dict(data.get("options") or {}))


def reference_path_problem(path: str) -> str | None:
    """Why a reference path is not allowed in a schema file, or None: it must be relative and stay inside the
    schema's directory, so that a schema names only data beside it (docs/rules.md, "Security")."""
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() or PureWindowsPath(path).drive:
        return f"{path!r} is an absolute path; a schema names reference data relative to its own directory"
    if ".." in PurePosixPath(path.replace("\\", "/")).parts:
        return f"{path!r} leaves the schema's directory ('..'); put the reference data beside the schema"
    if "://" in path:
        return f"{path!r} is a URL; a schema names reference data as local files beside it"
    return None


def rule_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Problems with the rules of a schema document that passed its JSON Schema, as (JSON path, message):
    expressions that do not parse or name unknown columns, duplicate rule names, compound keys naming
    unknown columns, durations, periods and freshness on non-temporal columns, reference paths."""
    from datacheck.rule_expr import RuleExpressionError, compile_expression

    types = {col["name"]: col["type"] for col in data["columns"]}
    stored = {col["name"]: col.get("stored_as") or col["type"] for col in data["columns"]}
    found: list[tuple[str, str]] = []
    names: dict[str, int] = {}
    for i, rule in enumerate(data.get("rules") or []):
        where = f"$.rules[{i}]"
        if rule["name"] in names:
            found.append((f"{where}.name", f"duplicate rule {rule['name']!r} (also at $.rules[{names[rule['name']]}])"))
        names.setdefault(rule["name"], i)
        for key in ("expr", "where"):
            if rule.get(key) is None:
                continue
            try:
                compile_expression(rule[key], stored)
            except RuleExpressionError as exc:
                found.append((f"{where}.{key}", f"{rule[key]!r}: {exc}"))
    for i, key in enumerate((data.get("dataset") or {}).get("unique") or []):
        for j, name in enumerate(key):
            if name not in types:
                found.append((f"$.dataset.unique[{i}][{j}]", f"{name!r} is not a column of the schema"))
    for i, col in enumerate(data["columns"]):
        found.extend(_column_rule_problems(col, f"$.columns[{i}]"))
    return found


def _column_rule_problems(col: Mapping[str, Any], where: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    temporal = col["type"] in ("date", "datetime")
    fresh = col.get("freshness")
    if fresh is not None:
        if not temporal:
            found.append((f"{where}.freshness", f"freshness applies to date and datetime columns, not {col['type']}"))
        for key in ("newest_max_age", "oldest_min_age"):
            if fresh.get(key) is not None and parse_duration(fresh[key]) is None:
                found.append((f"{where}.freshness.{key}", f"{fresh[key]!r} is not a duration like 6h, 2d, 30m"))
    period = col.get("period")
    if period is not None:
        if not temporal:
            found.append((f"{where}.period", f"a period applies to date and datetime columns, not {col['type']}"))
        elif parse_duration(period) is None:
            found.append((f"{where}.period", f"{period!r} is not a period like 1d, 1h, 15m"))
        elif col["type"] == "date" and parse_duration(period) != _dt.timedelta(days=1) \
                and period[-1] not in ("d", "w"):
            found.append((f"{where}.period", f"a date column's period is whole days or weeks, not {period!r}"))
    ref = col.get("references")
    if ref is not None:
        paths = [ref["data"]] if isinstance(ref["data"], str) else ref["data"]
        for j, path in enumerate(paths):
            problem = reference_path_problem(path)
            if problem is not None:
                found.append((f"{where}.references.data[{j}]", problem))
    return found


__all__ = ["Freshness", "Plugin", "Reference", "Rule", "parse_duration", "reference_path_problem", "rule_problems"]
