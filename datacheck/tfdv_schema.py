"""TFDV's Schema proto <-> datacheck's Schema, with every field that has no counterpart named.

Import (`schema_from_tfdv`) and export (`schema_to_tfdv`) each return the converted schema and the list of
what did not carry over, so that nothing is dropped silently; the CLI prints that list on stderr.

How the fields map (docs/tfdv.md has the full table):

- `type` INT/FLOAT/BYTES -> integer/float/string; BYTES with a string domain -> categorical; a `bool_domain`
  -> boolean (stored as integer or text); STRUCT -> nested.
- `presence.min_fraction` f -> `max_null_fraction` 1 - f. `value_count.min >= 1` also means "never empty":
  TFX reads an empty CSV cell as a present feature with zero values, which datacheck reads as null.
- `int_domain`/`float_domain` min and max -> `range.min`/`range.max`; `float_domain.disallow_nan`/`disallow_inf`
  -> `allow_nan`/`allow_inf` (TFDV allows both unless told otherwise).
- `string_domain` (inline or global by name) -> `domain.values`; `distribution_constraints.min_domain_mass`
  -> `domain.min_mass` (1.0 when unset, as in TFDV: any value outside the domain is an anomaly).
- `drift_comparator` (else `skew_comparator`) with `infinity_norm`, `jensen_shannon_divergence` or
  `normalized_abs_difference` -> `drift` {method, threshold}: datacheck measures training/serving skew of a
  distribution as drift between the two statistics.
- `in_environment`/`not_in_environment`/`default_environment` -> `environments` / `default_environment`.
- `dataset_constraints.min_examples_count`/`max_examples_count` -> `dataset.min_rows`/`max_rows`;
  `num_examples_drift_comparator` [min_fraction, max_fraction] -> `max_row_count_change`
  max(1 - min_fraction, max_fraction - 1).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from datacheck.schema import (
    ColumnSchema,
    DatasetConstraints,
    Domain,
    Drift,
    Environment,
    Range,
    Schema,
)
from datacheck.tfdv_proto import modules, parse, read_bytes

#: TFDV comparator field -> datacheck drift method name (the long names the schema file uses).
COMPARATOR_METHODS = {
    "infinity_norm": "l_infinity",
    "jensen_shannon_divergence": "jensen_shannon",
    "normalized_abs_difference": "normalized_abs_difference",
}
_METHOD_COMPARATORS = {method: field for field, method in COMPARATOR_METHODS.items()}
#: Aliases of the same three methods that a hand-written schema may use.
_METHOD_ALIASES = {"linf": "l_infinity", "l_inf": "l_infinity", "infinity_norm": "l_infinity",
                   "jsd": "jensen_shannon", "js": "jensen_shannon", "jensen_shannon_divergence": "jensen_shannon",
                   "normalized_abs_diff": "normalized_abs_difference", "nad": "normalized_abs_difference",
                   "normalized_absolute_difference": "normalized_abs_difference"}

#: Feature fields this module reads; any other set field is listed as not mapped.
_FEATURE_FIELDS_READ = {"name", "type", "presence", "value_count", "domain", "int_domain", "float_domain",
                        "string_domain", "bool_domain", "distribution_constraints", "skew_comparator",
                        "drift_comparator", "in_environment", "not_in_environment"}
_SCHEMA_FIELDS_READ = {"feature", "string_domain", "int_domain", "float_domain", "default_environment",
                       "dataset_constraints"}


@dataclass(frozen=True, slots=True)
class Conversion:
    """The result of converting a schema between the two formats.

    Fields:
        schema: the converted schema: a datacheck `Schema` on import, a TFDV `Schema` proto on export.
        unmapped: one line per field that has no counterpart (or only an approximate one), naming the feature
            and the field, in schema order.
    """

    schema: Any
    unmapped: tuple[str, ...]


# ----------------------------------------------------------------------------------------------- import


def load_tfdv_schema(path: str | os.PathLike[str]) -> Any:
    """Read a TFDV Schema proto from `schema.pbtxt` (text format) or a binary `.pb`.

    Raises:
        UsageError: tensorflow-metadata is not installed.
        InputError: the file is missing or is not a Schema proto.
    """
    schema_pb2, _ = modules()
    return parse(schema_pb2.Schema(), read_bytes(path), str(path))


def schema_from_tfdv(proto: Any) -> Conversion:
    """A TFDV Schema proto as a datacheck Schema, and the list of fields it could not express.

    Example:
        >>> conversion = schema_from_tfdv(load_tfdv_schema("schema.pbtxt"))  # doctest: +SKIP
        >>> conversion.schema.column("fare").max_null_fraction  # doctest: +SKIP
        0.0
    """
    notes: list[str] = []
    _unread(proto, _SCHEMA_FIELDS_READ, "schema", notes)
    for kind in ("sparse_feature", "weighted_feature"):
        for item in getattr(proto, kind):
            notes.append(f"{kind} {item.name!r}: datacheck has no {kind.replace('_', ' ')}s; not imported")
    globals_ = {
        "string": {d.name: d for d in proto.string_domain},
        "int": {d.name: d for d in proto.int_domain},
        "float": {d.name: d for d in proto.float_domain},
    }
    columns = tuple(_column(feature, globals_, notes) for feature in proto.feature)
    environments, default = _environments(proto, notes)
    dataset = _dataset(proto, notes)
    return Conversion(Schema(columns, dataset, environments, default), tuple(notes))


def _unread(message: Any, read: set[str], where: str, notes: list[str]) -> None:
    for descriptor, _value in message.ListFields():
        if descriptor.name not in read:
            notes.append(f"{where}: field {descriptor.name} has no datacheck equivalent; not imported")


def _column(feature: Any, globals_: dict[str, dict[str, Any]], notes: list[str]) -> ColumnSchema:
    name = feature.name
    where = f"feature {name!r}"
    _unread(feature, _FEATURE_FIELDS_READ, where, notes)
    type_name = feature.DESCRIPTOR.fields_by_name["type"].enum_type.values_by_number[feature.type].name
    domain_kind = feature.WhichOneof("domain_info")
    ctype, stored_as, domain, rng = _type_and_domain(feature, type_name, domain_kind, globals_, where, notes)
    max_null = _max_null_fraction(feature, where, notes)
    allow_nan = allow_inf = False
    if ctype == "float":
        fdom = _float_domain(feature, domain_kind, globals_)
        allow_nan = not (fdom is not None and fdom.disallow_nan)
        allow_inf = not (fdom is not None and fdom.disallow_inf)
    return ColumnSchema(name, ctype, stored_as=stored_as, max_null_fraction=max_null, allow_nan=allow_nan,
                        allow_inf=allow_inf, domain=domain, range=rng, drift=_drift(feature, where, notes))


def _type_and_domain(feature: Any, type_name: str, domain_kind: str | None, globals_: dict[str, dict[str, Any]],
                     where: str, notes: list[str]) -> tuple[str, str | None, Domain | None, Range | None]:
    """(type, stored_as, domain, range) of one feature."""
    base = {"INT": "integer", "FLOAT": "float", "BYTES": "string", "STRUCT": "nested"}.get(type_name)
    if base is None:
        notes.append(f"{where}: type {type_name} has no datacheck equivalent; imported as string")
        base = "string"
    mass = _min_domain_mass(feature)
    if domain_kind == "bool_domain":
        bdom = feature.bool_domain
        if base == "integer":
            return "boolean", "integer", None, None
        if base == "string":
            values = tuple(sorted(v for v in (bdom.true_value, bdom.false_value) if v))
            return "boolean", "string", Domain(values, mass) if values else None, None
        return "boolean", None, None, None
    if domain_kind in ("domain", "string_domain"):
        sdom = feature.string_domain if domain_kind == "string_domain" else globals_["string"].get(feature.domain)
        if sdom is None:
            sdom = (globals_["int"].get(feature.domain) or globals_["float"].get(feature.domain))
            if sdom is None:
                notes.append(f"{where}: domain {feature.domain!r} is not defined in the schema; ignored")
                return base, None, None, None
            return base, None, None, _numeric_range(sdom, base, where, notes)
        if base != "string":
            notes.append(f"{where}: a string domain on a {base} feature; imported as a categorical column")
        return "categorical", None, Domain(tuple(sorted(set(sdom.value))), mass), None
    if domain_kind == "int_domain":
        return base, None, None, _numeric_range(feature.int_domain, base, where, notes)
    if domain_kind == "float_domain":
        return base, None, None, _numeric_range(feature.float_domain, base, where, notes)
    # Other domains (image, URL, time, ...) are listed by `_unread` with the feature's other unread fields.
    return base, None, None, None


def _numeric_range(dom: Any, base: str, where: str, notes: list[str]) -> Range | None:
    for descriptor, _value in dom.ListFields():
        if descriptor.name not in ("name", "min", "max", "disallow_nan", "disallow_inf"):
            notes.append(f"{where}: {type(dom).__name__}.{descriptor.name} has no datacheck equivalent; "
                         "not imported")
    low = dom.min if dom.HasField("min") else None
    high = dom.max if dom.HasField("max") else None
    if low is None and high is None:
        return None
    if base == "integer":
        low, high = (int(v) if v is not None else None for v in (low, high))
    return Range(min=low, max=high)


def _float_domain(feature: Any, domain_kind: str | None, globals_: dict[str, dict[str, Any]]) -> Any:
    if domain_kind == "float_domain":
        return feature.float_domain
    if domain_kind == "domain":
        return globals_["float"].get(feature.domain)
    return None


def _min_domain_mass(feature: Any) -> float:
    constraints = feature.distribution_constraints
    if feature.HasField("distribution_constraints") and constraints.HasField("min_domain_mass"):
        return float(constraints.min_domain_mass)
    return 1.0


def _max_null_fraction(feature: Any, where: str, notes: list[str]) -> float | None:
    """TFDV's presence and value count, as a bound on the share of nulls."""
    bounds: list[float] = []
    if feature.HasField("presence"):
        presence = feature.presence
        if presence.HasField("min_fraction"):
            bounds.append(1.0 - float(presence.min_fraction))
        if presence.min_count > 1:
            notes.append(f"{where}: presence.min_count {presence.min_count} has no datacheck equivalent (only "
                         "\"not every value null\", which any max_null_fraction below 1 implies); not imported")
    if feature.HasField("value_count"):
        counts = feature.value_count
        if counts.min >= 1:
            bounds.append(0.0)  # an empty cell is a feature with zero values: below min
        if counts.max > 1 or counts.min > 1:
            notes.append(f"{where}: value_count [{counts.min}, {counts.max}] (several values per example) has no "
                         "datacheck equivalent; only \"never empty\" imported")
    if feature.value_counts.value_count:
        notes.append(f"{where}: value_counts (nested lists) have no datacheck equivalent; not imported")
    # Float error of 1 - f (1 - 0.9 = 0.09999999999999998) would show in the schema file; 12 digits keep the
    # fraction exact for every min_fraction a person writes.
    return round(min(bounds), 12) if bounds else None


def _drift(feature: Any, where: str, notes: list[str]) -> Drift | None:
    found: list[tuple[str, str, float]] = []
    for comparator in ("drift_comparator", "skew_comparator"):
        if not feature.HasField(comparator):
            continue
        for descriptor, value in getattr(feature, comparator).ListFields():
            method = COMPARATOR_METHODS.get(descriptor.name)
            if method is None:
                notes.append(f"{where}: {comparator}.{descriptor.name} has no datacheck equivalent; not imported")
            else:
                found.append((comparator, method, float(value.threshold)))
    if not found:
        return None
    for comparator, method, threshold in found[1:]:
        notes.append(f"{where}: {comparator}.{_METHOD_COMPARATORS[method]} (threshold {threshold:g}) not imported: "
                     f"a datacheck column has one drift check, {found[0][0]}.{_METHOD_COMPARATORS[found[0][1]]}")
    if found[0][0] == "skew_comparator":
        notes.append(f"{where}: skew_comparator imported as drift (compare training with serving statistics "
                     "using `datacheck drift`)")
    return Drift(found[0][1], found[0][2])


def _environments(proto: Any, notes: list[str]) -> tuple[dict[str, Environment], str | None]:
    names: set[str] = set(proto.default_environment)
    for feature in proto.feature:
        names.update(feature.in_environment)
        names.update(feature.not_in_environment)
    environments = {}
    for env in sorted(names):
        # TFDV: a feature is in E when in_environment lists E, or when in_environment is empty and
        # not_in_environment does not list E.
        excluded = tuple(f.name for f in proto.feature
                         if (f.in_environment and env not in f.in_environment)
                         or (not f.in_environment and env in f.not_in_environment))
        environments[env] = Environment(None, excluded)
    defaults = list(proto.default_environment)
    if len(defaults) > 1:
        notes.append(f"schema: default_environment lists {len(defaults)} environments; datacheck has one default, "
                     f"{defaults[0]!r} imported")
    if any(f.in_environment for f in proto.feature) and not defaults:
        notes.append("schema: features with in_environment are expected when no environment is chosen (TFDV "
                     "would not expect them); pass --env to validate")
    return environments, defaults[0] if defaults else None


def _dataset(proto: Any, notes: list[str]) -> DatasetConstraints:
    if not proto.HasField("dataset_constraints"):
        return DatasetConstraints(min_rows=None)
    constraints = proto.dataset_constraints
    min_rows = constraints.min_examples_count if constraints.HasField("min_examples_count") else None
    max_rows = constraints.max_examples_count if constraints.HasField("max_examples_count") else None
    change = None
    if constraints.HasField("num_examples_drift_comparator"):
        comparator = constraints.num_examples_drift_comparator
        low = comparator.min_fraction_threshold if comparator.HasField("min_fraction_threshold") else None
        high = comparator.max_fraction_threshold if comparator.HasField("max_fraction_threshold") else None
        sides = [x for x in ((1.0 - low) if low is not None else None,
                             (high - 1.0) if high is not None else None) if x is not None]
        if sides:
            change = round(max(sides), 12)
            if low is None or high is None or abs((1.0 - low) - (high - 1.0)) > 1e-12:
                notes.append(f"dataset_constraints: num_examples_drift_comparator [{low}, {high}] is not symmetric "
                             f"around 1; imported as max_row_count_change {change} (the wider side)")
    for descriptor, _value in constraints.ListFields():
        if descriptor.name not in ("min_examples_count", "max_examples_count", "num_examples_drift_comparator"):
            notes.append(f"dataset_constraints: {descriptor.name} has no datacheck equivalent; not imported")
    return DatasetConstraints(min_rows, max_rows, change)


# ----------------------------------------------------------------------------------------------- export


def schema_to_tfdv(schema: Schema) -> Conversion:
    """A datacheck Schema as a TFDV Schema proto, and the list of settings TFDV cannot express.

    Raises:
        UsageError: tensorflow-metadata is not installed.
    """
    schema_pb2, _ = modules()
    proto = schema_pb2.Schema()
    notes: list[str] = []
    for col in schema.columns:
        _export_column(proto.feature.add(), col, schema_pb2, notes)
    _export_environments(proto, schema)
    _export_dataset(proto, schema.dataset, notes)
    return Conversion(proto, tuple(notes))


def _export_column(feature: Any, col: ColumnSchema, schema_pb2: Any, notes: list[str]) -> None:
    where = f"column {col.name!r}"
    feature.name = col.name
    physical = col.stored_as or col.type
    feature.type = {"integer": schema_pb2.INT, "float": schema_pb2.FLOAT, "nested": schema_pb2.STRUCT}.get(
        physical, schema_pb2.BYTES)
    if col.type not in ("integer", "float", "string", "categorical", "boolean", "nested"):
        notes.append(f"{where}: type {col.type} exported as {'INT' if physical == 'integer' else 'BYTES'} "
                     "(TFDV has no temporal types)")
    if col.max_null_fraction is not None:
        feature.presence.min_fraction = round(1.0 - col.max_null_fraction, 12)
        feature.presence.min_count = 1
        if col.max_null_fraction == 0.0:
            # TFX reads an empty CSV cell as a present feature without values: only value_count forbids it.
            feature.value_count.min = 1
            feature.value_count.max = 1
    if not col.required:
        notes.append(f"{where}: required false has no TFDV equivalent outside environments; not exported")
    if col.type == "boolean":
        feature.bool_domain.SetInParent()
        if col.domain is not None and len(col.domain.values) == 2:
            notes.append(f"{where}: the boolean's text literals {list(col.domain.values)} are exported without "
                         "saying which is true")
    elif col.domain is not None:
        feature.string_domain.value.extend(col.domain.values)
        if col.domain.min_mass != 1.0:
            feature.distribution_constraints.min_domain_mass = col.domain.min_mass
    if col.type in ("integer", "float"):
        _export_range(feature, col, where, notes)
    if col.drift is not None:
        method = _METHOD_ALIASES.get(col.drift.method, col.drift.method)
        comparator = _METHOD_COMPARATORS.get(method)
        if comparator is None:
            notes.append(f"{where}: drift method {col.drift.method} has no TFDV comparator (TFDV has L-infinity, "
                         "Jensen-Shannon and normalized absolute difference); not exported")
        else:
            getattr(feature.drift_comparator, comparator).threshold = col.drift.threshold
    for label, value in (("warn_max_null_fraction", col.warn_max_null_fraction), ("unique", col.unique or None),
                         ("length", col.length), ("pattern", col.pattern), ("format", col.format),
                         ("severity", dict(col.severity) or None), ("description", col.description),
                         ("skew", col.skew)):
        if value is not None:
            notes.append(f"{where}: {label} has no TFDV equivalent; not exported")


def _export_range(feature: Any, col: ColumnSchema, where: str, notes: list[str]) -> None:
    rng = col.range
    if col.type == "integer":
        if rng is not None and (rng.min is not None or rng.max is not None):
            if rng.min is not None:
                feature.int_domain.min = int(rng.min)
            if rng.max is not None:
                feature.int_domain.max = int(rng.max)
    else:
        if rng is not None and rng.min is not None:
            feature.float_domain.min = float(rng.min)
        if rng is not None and rng.max is not None:
            feature.float_domain.max = float(rng.max)
        if not col.allow_nan:
            feature.float_domain.disallow_nan = True
        if not col.allow_inf:
            feature.float_domain.disallow_inf = True
    if rng is not None:
        for label in ("warn_min", "warn_max", "min_mass"):
            if getattr(rng, label) is not None:
                notes.append(f"{where}: range.{label} has no TFDV equivalent; not exported")


def _export_environments(proto: Any, schema: Schema) -> None:
    if schema.default_environment is not None:
        proto.default_environment.append(schema.default_environment)
    by_feature = {f.name: f for f in proto.feature}
    for env_name, env in schema.environments.items():
        out = set(env.excluded)
        if env.expected is not None:
            out.update(n for n in schema.column_names if n not in env.expected)
        for name in schema.column_names:
            if name in out:
                by_feature[name].not_in_environment.append(env_name)


def _export_dataset(proto: Any, dataset: DatasetConstraints, notes: list[str]) -> None:
    if dataset.min_rows is not None:
        proto.dataset_constraints.min_examples_count = dataset.min_rows
    if dataset.max_rows is not None:
        proto.dataset_constraints.max_examples_count = dataset.max_rows
    if dataset.max_row_count_change is not None:
        comparator = proto.dataset_constraints.num_examples_drift_comparator
        comparator.min_fraction_threshold = max(0.0, 1.0 - dataset.max_row_count_change)
        comparator.max_fraction_threshold = 1.0 + dataset.max_row_count_change
        if dataset.max_row_count_change > 1.0:
            notes.append("dataset: max_row_count_change above 1 exported with min_fraction_threshold 0 (TFDV "
                         "bounds the ratio, not the change)")


def tfdv_schema_text(proto: Any) -> str:
    """A TFDV Schema proto as text format, the way schema.pbtxt files are written."""
    from google.protobuf import text_format

    return str(text_format.MessageToString(proto))


def note_lines(notes: Iterable[str]) -> list[str]:
    """The notes, one per line, for stderr."""
    return [f"not mapped: {note}" for note in notes]


__all__ = ["Conversion", "COMPARATOR_METHODS", "load_tfdv_schema", "schema_from_tfdv", "schema_to_tfdv",
           "tfdv_schema_text", "note_lines"]
