"""Statistics -> Schema: the schema a careful engineer would write by hand, and one that does not cry wolf.

`infer_schema` is pure: it reads a `Statistics` and returns a `Schema`. Every rule and the reason for it is in
docs/inference.md; the constants below are the knobs, and the ones a user may want to change are keyword
arguments of `infer_schema` (and options of `datacheck infer`).

The guiding test: a schema inferred on one random half of a real dataset accepts the other half
with no error-level anomaly, while the corruptions a user expects to be caught are errors. So error-level
bounds come from facts that a fresh sample keeps (sign, fractions, light tails, keys), with a tolerance
for sampling noise, and the observed extremes are warning-level.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from datacheck.schema import (
    ColumnSchema,
    DatasetConstraints,
    Domain,
    Drift,
    Environment,
    LengthBounds,
    Range,
    Schema,
    schema_type_of,
)
from datacheck.statistics import ColumnStats, Statistics

#: The drift methods `drift_threshold` sets, by canonical name (datacheck.drift_methods): TFDV's comparators,
#: L-infinity on categories and Jensen-Shannon divergence on numbers, so an inferred schema reads like TFDV's.
CATEGORICAL_DRIFT = "linf"
NUMERIC_DRIFT = "jsd"
#: A string column becomes categorical with at most this many distinct values...
MAX_DOMAIN_SIZE = 100
#: ...and at most this share of distinct values among its non-null values (each value seen ~10 times on average).
MAX_DOMAIN_FRACTION = 0.1
#: Strings longer than this on average are free text, never categorical.
MAX_CATEGORY_MEAN_LENGTH = 64
#: The smallest tolerance, as a share of values, for unseen categories and for values outside the warning range.
MIN_TOLERANCE = 0.01
#: How many stray values (unseen categories, values outside the observed range) a sample the size of the
#: input may hold before it is an error: the tolerance is at least this many over the count.
STRAY_VALUES = 10
#: Columns with fewer non-null values get no unique, no boolean-from-integer and no constant-length inference:
#: too few values to tell a rule from a coincidence.
MIN_VALUES_FOR_RULES = 20
#: A distribution is light-tailed when its extremes lie within this share of the 1%-99% quantile spread
#: beyond those quantiles; only then does an error-level bound sit one observed span beyond the extremes.
LIGHT_TAIL_RATIO = 0.5
#: The relative standard error of the HyperLogLog distinct estimate (statistics.py), and how many of them
#: an estimate may be off the count for the column to still be a candidate key.
HLL_RELATIVE_ERROR = 0.0081
HLL_SIGMAS = 3.0
#: Integer keys judged by an estimate must fill at least this share of their range (see `key_is_certain`).
KEY_MIN_DENSITY = 0.1
#: Integers in these windows look like Unix epoch timestamps (years 2000-2100) in s, ms, us or ns.
EPOCH_WINDOWS = tuple((946_684_800 * f, 4_102_444_800 * f) for f in (1, 1_000, 1_000_000, 1_000_000_000))

BOOLEAN_LITERALS = ({"true", "false"}, {"yes", "no"}, {"y", "n"}, {"t", "f"})

# Text formats of dates hidden in strings: (regex, schema type, strptime format in polars/chrono syntax).
_TEXT_TEMPORAL = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date", "%Y-%m-%d"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"), "datetime", "%Y-%m-%dT%H:%M:%S"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"), "datetime", "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$"), "datetime", "%Y-%m-%dT%H:%M:%S%.f"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+$"), "datetime", "%Y-%m-%d %H:%M:%S%.f"),
)


def infer_schema(
    stats: Statistics,
    *,
    max_domain_size: int = MAX_DOMAIN_SIZE,
    max_domain_fraction: float = MAX_DOMAIN_FRACTION,
    min_tolerance: float = MIN_TOLERANCE,
    infer_unique: bool = True,
    drift_threshold: float | None = None,
    environments: Mapping[str, Environment] | None = None,
    default_environment: str | None = None,
) -> Schema:
    """Infer a Schema from Statistics.

    Args:
        stats: statistics of a representative sample (see `datacheck.profile`).
        max_domain_size: a string column with more distinct values is not categorical.
        max_domain_fraction: nor is one whose distinct values exceed this share of its non-null values.
        min_tolerance: the least share of values that may fall outside a domain or the observed range, or be
            null beyond the observed share, before that is an error.
        infer_unique: mark candidate keys (no nulls, all values distinct) as unique.
        drift_threshold: when set, every numeric, categorical and boolean column gets a drift check with this
            threshold (linf for categories, jsd for numbers).
        environments, default_environment: copied into the schema (for example {"serving":
            Environment(excluded=("label",))}).

    Returns:
        The Schema, columns in the order of the statistics.

    Example:
        >>> from datacheck.statistics import Statistics, ColumnStats
        >>> stats = Statistics(10, (ColumnStats("x", "String", "string", 10, 0),))
        >>> infer_schema(stats).columns[0].type
        'string'
    """
    rules = _Rules(max_domain_size, max_domain_fraction, min_tolerance, infer_unique, drift_threshold)
    columns = tuple(rules.column(col) for col in stats.columns)
    return Schema(columns=columns, dataset=DatasetConstraints(min_rows=1),
                  environments=dict(environments or {}), default_environment=default_environment)


class _Rules:
    """The rules, one method per decision, with the user's thresholds."""

    def __init__(self, max_domain_size: int, max_domain_fraction: float, min_tolerance: float,
                 infer_unique: bool, drift_threshold: float | None) -> None:
        self.max_domain_size = max_domain_size
        self.max_domain_fraction = max_domain_fraction
        self.min_tolerance = min_tolerance
        self.infer_unique = infer_unique
        self.drift_threshold = drift_threshold

    # -- one column ------------------------------------------------------------------------------------------

    def column(self, col: ColumnStats) -> ColumnSchema:
        max_null, warn_null = self.null_bounds(col)
        base = ColumnSchema(name=col.name, type=physical_type(col), required=True,
                            max_null_fraction=max_null, warn_max_null_fraction=warn_null)
        ctype = base.type
        if ctype in ("integer", "float"):
            return self.numeric(col, base)
        if ctype == "boolean":
            return self.with_drift(base, CATEGORICAL_DRIFT)
        if ctype in ("string", "categorical"):
            return self.text(col, base)
        if ctype == "duration":
            # Durations are numbers in their physical unit; no error bound, the observed range warns.
            num = col.numeric
            if num is not None and num.min is not None and num.max is not None:
                base = _replace(base, range=Range(min=0 if num.min >= 0 else None,
                                                  warn_min=_number(num.min, True, upward=False),
                                                  warn_max=_number(num.max, True, upward=True)))
            return base
        # date, datetime, time: time moves on, so a later batch is outside any observed window. No range.
        return base

    # -- presence ------------------------------------------------------------------------------------------

    def null_bounds(self, col: ColumnStats) -> tuple[float | None, float | None]:
        """(error, warning) bounds on the share of nulls, with a tolerance for sampling noise."""
        n = col.num_rows
        if n == 0:
            return None, None
        p = col.null_count / n
        sigma = math.sqrt(p * (1 - p) / n)
        error = _ceil(max(p + 4 * sigma + STRAY_VALUES / n, p + self.min_tolerance), 3)
        warn = 0.0 if p == 0 else _ceil(p + 2 * sigma, 4)
        return (None if error >= 1 else error), (None if warn >= 1 else warn)

    def tolerance(self, count: int, singletons: int = 0) -> float:
        """The share of stray values a fresh sample may hold: at least min_tolerance, STRAY_VALUES of the count,
        and three times the Good-Turing estimate of the unseen mass (values seen once / count)."""
        if count <= 0:
            return 0.5
        return min(0.5, max(self.min_tolerance, STRAY_VALUES / count, 3 * singletons / count))

    # -- numbers ---------------------------------------------------------------------------------------------

    def numeric(self, col: ColumnStats, base: ColumnSchema) -> ColumnSchema:
        num = col.numeric
        if num is not None and base.type == "float":
            # Before the early return below: a column of only NaN (or only ±inf) still allows what it holds.
            base = _replace(base, allow_nan=num.nan_count > 0, allow_inf=num.inf_count > 0)
        if num is None or num.min is None or num.max is None:
            return base
        if base.type == "integer" and self.is_hidden_boolean(col):
            return self.with_drift(_replace(base, type="boolean", stored_as="integer",
                                            domain=Domain(("0", "1"), 1.0)), CATEGORICAL_DRIFT)
        if self.is_candidate_key(col):
            base = self.as_key(col, base)
        lo, hi = float(num.min), float(num.max)
        hard_min: float | None = 0 if lo >= 0 and num.negative_count == 0 else None
        hard_max: float | None = 0 if hi <= 0 and lo < 0 else None
        is_fraction = (base.type == "float" and not num.integral and lo >= 0 and hi <= 1
                       and col.count >= MIN_VALUES_FOR_RULES)
        if is_fraction:
            hard_max = 1
        if base.unique or _looks_like_epoch(lo, hi, num.integral):
            # Keys and timestamps grow: a later batch is beyond any observed max. Only the sign is a fact.
            rng = Range(min=hard_min, max=hard_max) if (hard_min, hard_max) != (None, None) else None
            return self.with_drift(_replace(base, range=rng), None)
        if self.is_light_tailed(col) and not is_fraction:
            span = hi - lo
            # Rounded outward to three significant digits of the span, so that a reviewer reads 135.5, not
            # 135.50000000000003; rounding outward only widens the bound.
            step = 10.0 ** (math.floor(math.log10(span)) - 2)
            low = math.floor((lo - span) / step + 1e-9) * step
            high = math.ceil((hi + span) / step - 1e-9) * step
            # Rounding to 12 decimals must never cut into the observed values (tiny magnitudes round to 0).
            low, high = min(round(low, 12), lo), max(round(high, 12), hi)
            hard_min = low if hard_min is None else max(hard_min, low)
            hard_max = high if hard_max is None else min(hard_max, high)
        as_int = base.type == "integer"
        rng = Range(min=_number(hard_min, as_int, upward=False), max=_number(hard_max, as_int, upward=True),
                    warn_min=_number(lo, as_int, upward=False), warn_max=_number(hi, as_int, upward=True),
                    min_mass=_floor(1 - self.tolerance(col.count), 3))
        return self.with_drift(_replace(base, range=rng), NUMERIC_DRIFT)

    def is_hidden_boolean(self, col: ColumnStats) -> bool:
        """An integer column whose only values are 0 and 1, both seen."""
        num = col.numeric
        if num is None or col.count < MIN_VALUES_FOR_RULES or num.min != 0 or num.max != 1:
            return False
        if col.frequencies is not None and col.frequencies.error == 0:
            return set(col.frequencies.as_mapping()) == {"0", "1"}
        return num.integral and col.distinct is not None and col.distinct.count == 2

    def is_light_tailed(self, col: ColumnStats) -> bool:
        """The extremes lie close to the 1% and 99% quantiles, so the next sample's extremes will too."""
        num = col.numeric
        if num is None:
            return False
        q01, q99 = num.quantile(0.01), num.quantile(0.99)
        if q01 is None or q99 is None or num.min is None or num.max is None:
            return False
        spread = q99 - q01
        if spread <= 0 or not num.std or num.mean is None:
            return False  # constant, or a spike with a few other values: nothing to judge a tail by
        if (num.max - q99) > LIGHT_TAIL_RATIO * spread or (q01 - num.min) > LIGHT_TAIL_RATIO * spread:
            return False
        # A half that happens to lack the outliers of a skewed column can pass the quantile test; its extremes
        # still sit further from the mean than a normal sample's would (sqrt(2 ln n) standard deviations).
        limit = math.sqrt(2 * math.log(max(col.count, 2))) + 0.5
        return (num.max - num.mean) <= limit * num.std and (num.mean - num.min) <= limit * num.std

    # -- keys ------------------------------------------------------------------------------------------------

    def is_candidate_key(self, col: ColumnStats) -> bool:
        """No nulls and every value distinct: exactly, or within the HyperLogLog estimate's error."""
        if not self.infer_unique or col.null_count or col.count < MIN_VALUES_FOR_RULES or col.distinct is None:
            return False
        if physical_type(col) not in ("integer", "string"):
            return False  # continuous floats are all distinct by chance; categoricals and booleans never are
        num = col.numeric
        if (num is not None and num.min is not None and num.max is not None
                and _looks_like_epoch(num.min, num.max, num.integral)):
            return False  # timestamps are distinct by chance in small samples, and collide in large ones
        if col.distinct.exact:
            return col.distinct.count == col.count
        return abs(col.distinct.count - col.count) <= HLL_SIGMAS * HLL_RELATIVE_ERROR * col.count

    @staticmethod
    def key_is_certain(col: ColumnStats) -> bool:
        """Whether "all distinct" is known well enough to make a duplicate an error.

        Exact distinct counts are. A HyperLogLog estimate cannot tell a key from a column with ~2% duplicates,
        except for dense integers: n random integers spread over a range R collide about n*n/(2R) times, so
        integers that fill at least a tenth of their range and still look distinct are ids, not chance.
        """
        if col.distinct is not None and col.distinct.exact:
            return True
        num = col.numeric
        if num is None or num.min is None or num.max is None or not num.integral:
            return False
        return col.count / (num.max - num.min + 1) >= KEY_MIN_DENSITY

    def as_key(self, col: ColumnStats, base: ColumnSchema) -> ColumnSchema:
        # An estimate cannot tell a key from a column with a few duplicates: make duplicates a warning there.
        severity = {} if self.key_is_certain(col) else {"not_unique": "warning"}
        return _replace(base, unique=True, severity=severity)

    # -- strings ---------------------------------------------------------------------------------------------

    def text(self, col: ColumnStats, base: ColumnSchema) -> ColumnSchema:
        table = col.frequencies
        exact = table is not None and table.error == 0 and col.distinct is not None and col.distinct.exact
        values = sorted(table.as_mapping()) if table is not None else [v.value for v in col.top_values]
        if base.type == "string":
            literals = self.boolean_literals(values) if exact else None
            if literals is not None and col.count >= MIN_VALUES_FOR_RULES:
                return self.with_drift(_replace(base, type="boolean", stored_as="string",
                                                domain=Domain(tuple(literals), self.domain_mass(col))),
                                       CATEGORICAL_DRIFT)
            hidden = hidden_temporal(values, col)
            if hidden is not None:
                ctype, fmt = hidden
                return _replace(base, type=ctype, stored_as="string", format=fmt)
        if exact and table is not None and self.is_categorical(col):
            domain = Domain(tuple(sorted(table.as_mapping())), self.domain_mass(col))
            return self.with_drift(_replace(base, type="categorical", domain=domain), CATEGORICAL_DRIFT)
        if base.type == "categorical":
            return self.with_drift(base, CATEGORICAL_DRIFT)
        # Free text, identifiers, codes.
        if self.is_candidate_key(col):
            base = self.as_key(col, base)
        return _replace(base, length=self.length_bounds(col))

    def is_categorical(self, col: ColumnStats) -> bool:
        distinct = col.distinct.count if col.distinct is not None else 0
        if col.kind == "categorical":
            return distinct <= self.max_domain_size  # declared categorical by the data's own type
        mean_length = col.lengths.mean if col.lengths is not None and col.lengths.mean is not None else 0.0
        return (0 < distinct <= self.max_domain_size and distinct <= self.max_domain_fraction * col.count
                and mean_length <= MAX_CATEGORY_MEAN_LENGTH)

    def domain_mass(self, col: ColumnStats) -> float:
        singletons = sum(1 for v in col.frequencies.values if v.count == 1) if col.frequencies else 0
        return _floor(1 - self.tolerance(col.count, singletons), 3)

    @staticmethod
    def boolean_literals(values: list[str]) -> list[str] | None:
        """The values, when they are exactly the two literals of one boolean spelling (any letter case)."""
        lowered = {v.strip().lower() for v in values}
        if len(values) == 2 and len(lowered) == 2 and any(lowered == pair for pair in BOOLEAN_LITERALS):
            return sorted(values)
        return None

    @staticmethod
    def length_bounds(col: ColumnStats) -> LengthBounds | None:
        lengths = col.lengths
        if lengths is None or lengths.min is None or lengths.max is None:
            return None
        if lengths.min == lengths.max and col.count >= MIN_VALUES_FOR_RULES:
            # Codes of a fixed width (zip codes, ISO country codes, hashes): a different width is an error.
            return LengthBounds(min=lengths.min, max=lengths.max)
        if lengths.min >= 1:
            return LengthBounds(warn_min=1)  # no empty strings seen: an empty one deserves a look
        return None

    # -- drift -----------------------------------------------------------------------------------------------

    def with_drift(self, base: ColumnSchema, method: str | None) -> ColumnSchema:
        if self.drift_threshold is None or method is None:
            return base
        return _replace(base, drift=Drift(method, self.drift_threshold))


# -- helpers -------------------------------------------------------------------------------------------------


def physical_type(col: ColumnStats) -> str:
    """The schema type that a column's polars dtype and kind stand for, before any hidden type is recognised."""
    return schema_type_of(col.dtype, col.kind)


def hidden_temporal(values: list[str], col: ColumnStats) -> tuple[str, str] | None:
    """(type, format) when every tracked value of a string column is an ISO date or datetime of one format.

    The check runs on the frequency table (or the top values): every value must match the format's shape and
    parse with polars, which is what validate uses. When the table is not exact, the string lengths must also
    agree with the shape, so that the values we did not see have it too.
    """
    if not values:
        return None
    for regex, ctype, fmt in _TEXT_TEMPORAL:
        if not all(regex.match(v) for v in values):
            continue
        lengths = col.lengths
        if ("%.f" not in fmt and lengths is not None and lengths.min is not None
                and (lengths.min != lengths.max or lengths.min != len(values[0]))):
            return None
        if _polars_parses(values, ctype, fmt):
            return ctype, fmt
        return None
    return None


def _polars_parses(values: list[str], ctype: str, fmt: str) -> bool:
    import polars as pl

    target = pl.Date if ctype == "date" else pl.Datetime("us")
    try:
        parsed = pl.Series(values, dtype=pl.String).str.strptime(target, fmt, strict=False)
    except Exception:  # noqa: BLE001 - a format polars rejects is simply not a match
        return False
    return parsed.null_count() == 0


def _looks_like_epoch(lo: float, hi: float, integral: bool) -> bool:
    return integral and any(start <= lo and hi <= end for start, end in EPOCH_WINDOWS)


def _number(value: float | None, as_int: bool, upward: bool) -> int | float | None:
    """A range bound from a statistic: a float, or for integer columns the integer rounded outward."""
    if value is None:
        return None
    if not as_int:
        return float(value)
    bound = math.ceil(value) if upward else math.floor(value)
    if abs(value) >= 2 ** 53:
        # Statistics hold numbers as floats, and beyond 2**53 a float is the nearest one to the true integer,
        # up to half a unit in the last place away: one unit more keeps the true value inside the bound.
        bound += int(math.ulp(value)) if upward else -int(math.ulp(value))
    return bound


def _ceil(value: float, digits: int) -> float:
    scale = 10 ** digits
    return min(1.0, math.ceil(value * scale - 1e-9) / scale)


def _floor(value: float, digits: int) -> float:
    scale = 10 ** digits
    return max(0.0, math.floor(value * scale + 1e-9) / scale)


def _replace(column: ColumnSchema, **changes) -> ColumnSchema:
    import dataclasses

    return dataclasses.replace(column, **changes)


__all__ = ["infer_schema", "physical_type", "hidden_temporal", "MAX_DOMAIN_SIZE", "MAX_DOMAIN_FRACTION",
           "MIN_TOLERANCE"]
