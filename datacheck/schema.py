"""The Schema model: the contract a person reviews, edits and commits, and that `validate` checks data against.

A schema file is JSON, described by schemas/schema.schema.json:

    {
      "format": "datacheck.schema",
      "version": 1,
      "dataset": {"min_rows": 1, "max_rows": null, "max_row_count_change": null},
      "default_environment": null,
      "environments": {"serving": {"expected": null, "excluded": ["tips"]}},
      "columns": [
        {"name": "fare", "type": "float", "required": true,
         "max_null_fraction": 0.003, "warn_max_null_fraction": 0.0, "unique": false,
         "allow_nan": false, "allow_inf": false,
         "range": {"min": 0, "max": null, "warn_min": 0.0, "warn_max": 700.07, "min_mass": 0.99}},
        ...
      ]
    }

Two levels of strictness run through the model, so that a schema inferred from one sample does not cry wolf
on the next one while a real break is still an error:

- error-level bounds (`max_null_fraction`, `range.min/max`, `length.min/max`, `domain.min_mass`,
  `range.min_mass`) state what must never happen;
- warning-level bounds (`warn_max_null_fraction`, `range.warn_min/warn_max`, `length.warn_min/warn_max`, and
  any value outside a domain) state what was not seen before and deserves a look.

Layout of the file, for readable pull-request diffs: columns in data order, keys in the fixed order of
`to_dict`, sections that do not apply to a column (or are unset) left out, and every key of a section that is
present written out, null included, so that a person editing it sees every knob.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datacheck.errors import SchemaFileError
from datacheck.schema_rules import Freshness, Plugin, Reference, Rule, rule_problems

SCHEMA_FORMAT = "datacheck.schema"
SCHEMA_VERSION = 1
#: The `$id` of schemas/schema.schema.json: an identifier, not an address (no server answers it), so schema
#: files no longer name it in "$schema"; editors map schema files to the installed JSON Schema (docs/editors.md).
SCHEMA_ID = "https://datacheck.dev/schemas/schema.schema.json"

#: Logical column types. `type` says what the values *mean*; `stored_as` says how they are stored when the
#: physical type differs (a boolean stored as 0/1 integers, a date stored as text).
TYPES = ("integer", "float", "string", "categorical", "boolean", "date", "datetime", "time", "duration",
         "nested", "binary")
NUMERIC_TYPES = ("integer", "float")
TEMPORAL_TYPES = ("date", "datetime", "time", "duration")
#: Types whose range is written as ISO 8601 text (durations use numbers in their physical unit).
ISO_RANGE_TYPES = ("date", "datetime", "time")
STRING_TYPES = ("string", "categorical")
STORAGE = ("integer", "string")
SEVERITIES = ("error", "warning", "off")

RangeValue = int | float | str


def schema_type_of(dtype: str, kind: str) -> str:
    """The schema type that a polars dtype (as statistics write it) and its kind stand for."""
    if kind == "numeric":
        return "integer" if dtype.startswith(("Int", "UInt")) else "float"
    if kind == "temporal":
        if dtype == "Date":
            return "date"
        if dtype.startswith("Datetime"):
            return "datetime"
        if dtype.startswith("Duration"):
            return "duration"
        return "time"
    if kind in ("boolean", "categorical", "nested", "binary", "string"):
        return kind
    return "string"


def _check_fraction(name: str, value: float | None) -> None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must lie in [0, 1], got {value!r}")


@dataclass(frozen=True, slots=True)
class Domain:
    """The allowed values of a categorical column (or the literals of a boolean stored as text or integers).

    Fields:
        values: the allowed values as text, exactly as the statistics' frequency tables write them
            (booleans "true"/"false", integers in decimal), sorted. Any value outside them is a warning.
        min_mass: the least share of non-null values that must lie in `values`; below it the unseen values are
            an error. 1.0 makes every unseen value an error; TFDV calls this min_domain_mass.
    """

    values: tuple[str, ...]
    min_mass: float = 1.0

    def __post_init__(self) -> None:
        _check_fraction("domain.min_mass", self.min_mass)

    def to_dict(self) -> dict[str, Any]:
        return {"values": list(self.values), "min_mass": self.min_mass}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Domain:
        return cls(tuple(str(v) for v in data["values"]), float(data.get("min_mass", 1.0)))


@dataclass(frozen=True, slots=True)
class Range:
    """Bounds on the values of a numeric or temporal column, at two levels.

    Values are numbers for integer, float and duration columns (durations in their physical unit) and ISO 8601
    text for date ("2024-01-31"), datetime ("2024-01-31T12:00:00") and time ("12:00:00") columns.

    Fields:
        min, max: error level. Any value outside [min, max] is an error; None leaves that side open. Inference
            sets them only from facts that fresh data keeps: 0 for a quantity never seen negative, 1 for a
            fraction.
        warn_min, warn_max: warning level. Any value outside them is a warning; inference sets them at the
            observed extremes.
        min_mass: the least share of non-null values that must lie within [warn_min, warn_max]; below it the
            column is an error (a unit change, a shifted source). None: the warning bounds never make an error.
    """

    min: RangeValue | None = None
    max: RangeValue | None = None
    warn_min: RangeValue | None = None
    warn_max: RangeValue | None = None
    min_mass: float | None = None

    def __post_init__(self) -> None:
        _check_fraction("range.min_mass", self.min_mass)

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "warn_min": self.warn_min, "warn_max": self.warn_max,
                "min_mass": self.min_mass}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Range:
        return cls(data.get("min"), data.get("max"), data.get("warn_min"), data.get("warn_max"),
                   data.get("min_mass"))


@dataclass(frozen=True, slots=True)
class LengthBounds:
    """Bounds on string length in characters (Unicode code points), at two levels.

    Fields:
        min, max: error level; a value shorter than min or longer than max is an error. None: open.
        warn_min, warn_max: warning level. None: open.
    """

    min: int | None = None
    max: int | None = None
    warn_min: int | None = None
    warn_max: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "warn_min": self.warn_min, "warn_max": self.warn_max}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LengthBounds:
        return cls(data.get("min"), data.get("max"), data.get("warn_min"), data.get("warn_max"))


@dataclass(frozen=True, slots=True)
class Drift:
    """A drift check of this column against a baseline (`validate --baseline`, `datacheck drift`).

    Fields:
        method: the drift metric, by its name in datacheck.drift: l_infinity, jensen_shannon,
            normalized_abs_difference, psi, ks, wasserstein, chi_squared.
        threshold: the column has drifted when the metric exceeds it (for p-value tests: falls below it).
    """

    method: str
    threshold: float

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "threshold": self.threshold}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Drift:
        return cls(str(data["method"]), float(data["threshold"]))


@dataclass(frozen=True, slots=True)
class Skew:
    """A row-level skew check of this column (`datacheck skew --schema`): the two sides joined on keys.

    Fields:
        max_mismatch_rate: the largest share of matched rows whose value may differ between the sides.
    """

    max_mismatch_rate: float

    def __post_init__(self) -> None:
        _check_fraction("skew.max_mismatch_rate", self.max_mismatch_rate)

    def to_dict(self) -> dict[str, Any]:
        return {"max_mismatch_rate": self.max_mismatch_rate}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Skew:
        return cls(float(data["max_mismatch_rate"]))


@dataclass(frozen=True, slots=True)
class ColumnSchema:
    """What one column must look like.

    Fields:
        name: the column name as in the data.
        type: the logical type, one of TYPES.
        stored_as: how the values are stored when that differs from `type`: "integer" (a boolean as 0/1) or
            "string" (a boolean as yes/no, a date as text). None: stored as the type says.
        format: for a temporal type stored as text, the strptime format of the text ("%Y-%m-%d"). None otherwise.
        required: the column must be in the data (in environments that expect it); if missing, an error.
        max_null_fraction: error level: the largest allowed share of null values. 0.0: never null; None: no limit.
        warn_max_null_fraction: warning level for the share of nulls. None: no warning.
        unique: every non-null value must be distinct (a key).
        allow_nan, allow_inf: for float columns, whether NaN and +/-infinity may appear. Ignored for other types.
        domain: the allowed values (categorical columns, booleans stored as text or integers), or None.
        range: value bounds (numeric and temporal columns), or None.
        length: string length bounds, or None.
        pattern: a regular expression (Python/Rust `regex` syntax, searched, so anchor it with ^...$) that every
            non-null string value must match, or None.
        severity: per-anomaly-code overrides of the default severity: {"unexpected_value": "error", ...}, with
            "off" to silence a check for this column. Empty: the catalogue's defaults.
        drift: the drift check against a baseline, or None.
        skew: the row-level skew check (`datacheck skew --schema`), or None.
        description: free text for the people who read the schema, or None.
        freshness: how recent a date or datetime column's values must be (datacheck.schema_rules), or None.
        period: for a date or datetime column, the period every value between min and max must fill ("1d"),
            or None.
        references: the other data whose column holds every allowed value (a foreign key), or None.
    """

    name: str
    type: str
    stored_as: str | None = None
    format: str | None = None
    required: bool = True
    max_null_fraction: float | None = None
    warn_max_null_fraction: float | None = None
    unique: bool = False
    allow_nan: bool = False
    allow_inf: bool = False
    domain: Domain | None = None
    range: Range | None = None
    length: LengthBounds | None = None
    pattern: str | None = None
    severity: Mapping[str, str] = field(default_factory=dict)
    drift: Drift | None = None
    description: str | None = None
    skew: Skew | None = None
    freshness: Freshness | None = None
    period: str | None = None
    references: Reference | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}; expected one of {', '.join(TYPES)}")
        if self.stored_as is not None and self.stored_as not in STORAGE:
            raise ValueError(f"unknown stored_as {self.stored_as!r}; expected one of {', '.join(STORAGE)}")
        _check_fraction("max_null_fraction", self.max_null_fraction)
        _check_fraction("warn_max_null_fraction", self.warn_max_null_fraction)
        # A plain dict would make the dataclass unhashable and mutable; keep a sorted, read-only copy.
        object.__setattr__(self, "severity", _FrozenDict(sorted(dict(self.severity).items())))

    @property
    def nullable(self) -> bool:
        """Whether a null value is allowed at all at error level."""
        return self.max_null_fraction is None or self.max_null_fraction > 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.stored_as is not None:
            out["stored_as"] = self.stored_as
        if self.format is not None:
            out["format"] = self.format
        out["required"] = self.required
        out["max_null_fraction"] = self.max_null_fraction
        out["warn_max_null_fraction"] = self.warn_max_null_fraction
        out["unique"] = self.unique
        if self.type == "float":
            out["allow_nan"] = self.allow_nan
            out["allow_inf"] = self.allow_inf
        if self.domain is not None:
            out["domain"] = self.domain.to_dict()
        if self.range is not None:
            out["range"] = self.range.to_dict()
        if self.length is not None:
            out["length"] = self.length.to_dict()
        if self.pattern is not None:
            out["pattern"] = self.pattern
        if self.severity:
            out["severity"] = dict(self.severity)
        if self.drift is not None:
            out["drift"] = self.drift.to_dict()
        if self.description is not None:
            out["description"] = self.description
        if self.skew is not None:
            out["skew"] = self.skew.to_dict()
        if self.freshness is not None:
            out["freshness"] = self.freshness.to_dict()
        if self.period is not None:
            out["period"] = self.period
        if self.references is not None:
            out["references"] = self.references.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnSchema:
        def optional(key: str, kind: Any) -> Any:
            value = data.get(key)
            return kind.from_dict(value) if value is not None else None

        return cls(
            name=str(data["name"]),
            type=str(data["type"]),
            stored_as=data.get("stored_as"),
            format=data.get("format"),
            required=bool(data.get("required", True)),
            max_null_fraction=data.get("max_null_fraction"),
            warn_max_null_fraction=data.get("warn_max_null_fraction"),
            unique=bool(data.get("unique", False)),
            allow_nan=bool(data.get("allow_nan", False)),
            allow_inf=bool(data.get("allow_inf", False)),
            domain=optional("domain", Domain),
            range=optional("range", Range),
            length=optional("length", LengthBounds),
            pattern=data.get("pattern"),
            severity=dict(data.get("severity") or {}),
            drift=optional("drift", Drift),
            description=data.get("description"),
            skew=optional("skew", Skew),
            freshness=optional("freshness", Freshness),
            period=data.get("period"),
            references=optional("references", Reference),
        )


class _FrozenDict(dict):
    """A read-only, hashable dict for `ColumnSchema.severity` (frozen dataclasses must stay hashable)."""

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("ColumnSchema.severity is read-only; build a new ColumnSchema with dataclasses.replace")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


@dataclass(frozen=True, slots=True)
class DatasetConstraints:
    """Constraints on the dataset as a whole.

    Fields:
        min_rows: the fewest rows allowed (1 makes an empty dataset an error); None: no bound.
        max_rows: the most rows allowed; None: no bound.
        max_row_count_change: the largest allowed relative change of the row count against a baseline,
            |rows - baseline_rows| / baseline_rows (0.5 allows from half to one and a half times the
            baseline); None: not checked.
        unique: compound keys: each a list of columns whose values together occur at most once (rows with a
            null in the key are not compared, as SQL's UNIQUE has it).
    """

    min_rows: int | None = 1
    max_rows: int | None = None
    max_row_count_change: float | None = None
    unique: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"min_rows": self.min_rows, "max_rows": self.max_rows,
                               "max_row_count_change": self.max_row_count_change}
        if self.unique:
            out["unique"] = [list(key) for key in self.unique]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DatasetConstraints:
        return cls(data.get("min_rows", 1), data.get("max_rows"), data.get("max_row_count_change"),
                   tuple(tuple(key) for key in data.get("unique") or ()))


@dataclass(frozen=True, slots=True)
class Environment:
    """Which columns an environment (for example `training` or `serving`) expects.

    The columns expected in environment E are `expected` (or, when it is None, every required column of the
    schema) minus `excluded`. A column that is not expected may be absent without an anomaly; when it is
    present it is checked as usual.

    Fields:
        expected: the columns this environment expects, or None for all required columns.
        excluded: the columns this environment does not expect (a label at serving time).
    """

    expected: tuple[str, ...] | None = None
    excluded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"expected": list(self.expected) if self.expected is not None else None,
                "excluded": list(self.excluded)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Environment:
        expected = data.get("expected")
        return cls(tuple(expected) if expected is not None else None, tuple(data.get("excluded") or ()))


@dataclass(frozen=True, slots=True)
class Schema:
    """A dataset's schema: one ColumnSchema per column in data order, dataset constraints and environments.

    Fields:
        columns: the columns, in the order of the data they were inferred from.
        dataset: row-count constraints.
        environments: name -> Environment, written sorted by name.
        default_environment: the environment used when `validate` gets no --env; None: every required
            column is expected.
        rules: the user's row rules (datacheck.schema_rules.Rule), checked on every row in the scan.
        plugins: plug-in check families to run, by entry point name, with their options.
        slices: the slicings `validate` judges without --slice: "column" or "a,b" (see docs/slices.md).
    """

    columns: tuple[ColumnSchema, ...]
    dataset: DatasetConstraints = field(default_factory=DatasetConstraints)
    environments: Mapping[str, Environment] = field(default_factory=dict)
    default_environment: str | None = None
    rules: tuple[Rule, ...] = ()
    plugins: tuple[Plugin, ...] = ()
    slices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "plugins", tuple(self.plugins))
        object.__setattr__(self, "environments", _FrozenDict(sorted(dict(self.environments).items())))

    # -- queries ---------------------------------------------------------------------------------------------

    def column(self, name: str) -> ColumnSchema | None:
        """The schema of column `name`, or None when the schema has no such column."""
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def expected_columns(self, environment: str | None = None) -> list[str]:
        """The columns that must be present in `environment` (default: `default_environment`), in schema order.

        Raises:
            UsageError: the schema defines no such environment.
        """
        env_name = environment if environment is not None else self.default_environment
        required = [c.name for c in self.columns if c.required]
        if env_name is None:
            return required
        env = self.environments.get(env_name)
        if env is None:
            from datacheck.errors import UsageError

            known = ", ".join(self.environments) or "none"
            raise UsageError(f"the schema has no environment {env_name!r} (it defines: {known})",
                             hint="add it under \"environments\" in the schema file, or pick another --env")
        base = list(env.expected) if env.expected is not None else required
        return [name for name in base if name not in env.excluded]

    # -- (de)serialization ----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        out = {
            "format": SCHEMA_FORMAT,
            "version": SCHEMA_VERSION,
            "dataset": self.dataset.to_dict(),
            "default_environment": self.default_environment,
            "environments": {name: env.to_dict() for name, env in self.environments.items()},
            "columns": [c.to_dict() for c in self.columns],
        }
        if self.rules:
            out["rules"] = [rule.to_dict() for rule in self.rules]
        if self.plugins:
            out["plugins"] = [plugin.to_dict() for plugin in self.plugins]
        if self.slices:  # written only when set: files read as before
            out["slices"] = list(self.slices)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schema:
        """Build a Schema from an already validated document (see `loads` for checked input)."""
        return cls(
            columns=tuple(ColumnSchema.from_dict(c) for c in data["columns"]),
            dataset=DatasetConstraints.from_dict(data.get("dataset") or {}),
            environments={k: Environment.from_dict(v) for k, v in (data.get("environments") or {}).items()},
            default_environment=data.get("default_environment"),
            rules=tuple(Rule.from_dict(r) for r in data.get("rules") or ()),
            plugins=tuple(Plugin.from_dict(p) for p in data.get("plugins") or ()),
            slices=tuple(data.get("slices") or ()),
        )

    def dumps(self) -> str:
        """The schema as deterministic JSON text (fixed key order, two-space indent, trailing newline)."""
        from datacheck.output import to_json

        # A schema is edited by hand and kept in version control: a value per line keeps a diff to the values
        # that changed.
        return to_json(self.to_dict(), one_line_scalars=False)

    def dump(self, path: Path | str) -> None:
        """Write the schema to `path` atomically.

        Raises:
            InputError: the file cannot be written.
        """
        from datacheck.output import write_atomic

        write_atomic(path, self.dumps())

    @classmethod
    def loads(cls, text: str, source: str = "<string>") -> Schema:
        """Parse and check schema text; `source` names it in error messages.

        Raises:
            SchemaFileError: invalid JSON (with line and column), a wrong format or version, or a document that
                breaks schemas/schema.schema.json or the rules jsonschema cannot express (every error listed).

        Example:
            >>> Schema.loads('{"format": "datacheck.schema", "version": 1, "columns": []}').columns
            ()
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemaFileError(f"not valid JSON: {exc.msg}", path=source, line=exc.lineno, column=exc.colno,
                                  hint="fix the JSON syntax at that position (a missing comma or quote?)") from None
        _check_header(data, source)
        problems = validation_errors(data)
        if problems:
            listed = "\n".join(f"  {where}: {message}" for where, message in problems)
            noun = "error" if len(problems) == 1 else "errors"
            raise SchemaFileError(f"invalid schema file, {len(problems)} {noun}:\n{listed}", path=source,
                                  hint="run `datacheck schema check FILE` after editing; the JSON Schema is "
                                       "schemas/schema.schema.json (`datacheck config` prints where it is installed)")
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: Path | str) -> Schema:
        """Read and check a schema file.

        Raises:
            SchemaFileError: the file is missing, unreadable, or not a valid schema (see `loads`).

        Example:
            >>> schema = Schema.load("schema.json")  # doctest: +SKIP
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SchemaFileError("no such schema file", path=str(path),
                                  hint="create one with `datacheck infer DATA -o schema.json`") from None
        except UnicodeDecodeError as exc:
            raise SchemaFileError(f"not UTF-8 text: {exc.reason}", path=str(path)) from None
        except OSError as exc:
            raise SchemaFileError(f"cannot read the schema file: {exc.strerror or exc}", path=str(path)) from None
        return cls.loads(text, source=str(path))


def _check_header(data: Any, source: str) -> None:
    """Format and version first: a newer file should say so, not list every field this version lacks."""
    if not isinstance(data, dict):
        found = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
        raise SchemaFileError(f"a schema file is a JSON object, found {found.get(type(data), 'null')}", path=source)
    fmt = data.get("format")
    if fmt is not None and fmt != SCHEMA_FORMAT:
        hint = ("this is a statistics file; pass it as DATA, or infer a schema from it with `datacheck infer`"
                if fmt == "datacheck.statistics" else None)
        raise SchemaFileError(f"$.format is {fmt!r}, but a schema file has \"format\": \"{SCHEMA_FORMAT}\"",
                              path=source, hint=hint)
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise SchemaFileError(
            f"schema version {version} is newer than this datacheck understands (version {SCHEMA_VERSION})",
            path=source, hint="upgrade datacheck: pip install -U datacheck-cli")


def validation_errors(data: Any) -> list[tuple[str, str]]:
    """Every problem of a schema document, as (JSON path, message): JSON Schema first, then cross-field rules.

    The cross-field rules are the ones JSON Schema cannot say: unique column names, min <= max, ISO dates in
    temporal ranges, a compilable pattern, environments that name existing columns.
    """
    from datacheck.jsonschemas import schema_errors

    problems = schema_errors(data, "schema")
    if problems:
        return problems
    found: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    names = set()
    for i, col in enumerate(data["columns"]):
        where = f"$.columns[{i}]"
        name = col["name"]
        if name in seen:
            found.append((f"{where}.name", f"duplicate column {name!r} (also at $.columns[{seen[name]}])"))
        seen.setdefault(name, i)
        names.add(name)
        found.extend(_column_problems(col, where))
    for env_name, env in (data.get("environments") or {}).items():
        for key in ("expected", "excluded"):
            for j, ref in enumerate(env.get(key) or []):
                if ref not in names:
                    found.append((f"$.environments.{env_name}.{key}[{j}]", f"{ref!r} is not a column of the schema"))
    default = data.get("default_environment")
    if default is not None and default not in (data.get("environments") or {}):
        found.append(("$.default_environment", f"{default!r} is not one of the environments"))
    dataset = data.get("dataset") or {}
    if _ordered(dataset.get("min_rows"), dataset.get("max_rows")) is False:
        found.append(("$.dataset", "min_rows is greater than max_rows"))
    found.extend(rule_problems(data))
    return sorted(found)


def _column_problems(col: Mapping[str, Any], where: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    ctype = col["type"]
    rng = col.get("range")
    if rng is not None:
        if ctype not in NUMERIC_TYPES + TEMPORAL_TYPES:
            found.append((f"{where}.range", f"a range applies to numeric and temporal columns, not {ctype}"))
        for key in ("min", "max", "warn_min", "warn_max"):
            value = rng.get(key)
            if value is None:
                continue
            if ctype in ISO_RANGE_TYPES:
                if not isinstance(value, str) or parse_iso(ctype, value) is None:
                    found.append((f"{where}.range.{key}", f"{value!r} is not an ISO 8601 {ctype}"))
            elif isinstance(value, str):
                found.append((f"{where}.range.{key}", f"{value!r} is text; a {ctype} range takes numbers"))
        for low, high in (("min", "max"), ("warn_min", "warn_max")):
            if _ordered(_range_key(ctype, rng.get(low)), _range_key(ctype, rng.get(high))) is False:
                found.append((f"{where}.range", f"{low} ({rng[low]!r}) is greater than {high} ({rng[high]!r})"))
    length = col.get("length")
    if length is not None:
        for low, high in (("min", "max"), ("warn_min", "warn_max")):
            if _ordered(length.get(low), length.get(high)) is False:
                found.append((f"{where}.length", f"{low} is greater than {high}"))
    pattern = col.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            found.append((f"{where}.pattern", f"not a valid regular expression: {exc}"))
    if col.get("format") is not None and ctype not in TEMPORAL_TYPES:
        found.append((f"{where}.format", f"a format applies to temporal types stored as text, not {ctype}"))
    return found


def _ordered(low: Any, high: Any) -> bool | None:
    """False when both bounds are set and low > high; None when either is open or they do not compare."""
    if low is None or high is None:
        return None
    try:
        return not low > high
    except TypeError:
        return None


def _range_key(ctype: str, value: Any) -> Any:
    if ctype in ISO_RANGE_TYPES and isinstance(value, str):
        return parse_iso(ctype, value)
    return value


def parse_iso(ctype: str, text: str) -> _dt.date | _dt.datetime | _dt.time | None:
    """Parse ISO 8601 text as a date, datetime or time, or None when it is not one.

    Datetimes may carry a time zone; those without one are compared as naive.
    """
    try:
        if ctype == "date":
            return _dt.date.fromisoformat(text)
        if ctype == "datetime":
            value = _dt.datetime.fromisoformat(text)
            return value.replace(tzinfo=None) if value.tzinfo is not None else value
        if ctype == "time":
            return _dt.time.fromisoformat(text)
    except ValueError:
        return None
    return None


__all__ = [
    "Schema", "ColumnSchema", "Domain", "Range", "LengthBounds", "Drift", "Skew", "DatasetConstraints", "Environment",
    "SCHEMA_FORMAT", "SCHEMA_VERSION", "SCHEMA_ID", "TYPES", "NUMERIC_TYPES", "TEMPORAL_TYPES", "STRING_TYPES",
    "SEVERITIES", "validation_errors", "parse_iso",
]
