"""Statistics -> Schema: the schema a careful engineer would write by hand, and one that does not cry wolf.

`infer_schema` is pure: it reads a `Statistics` and returns a `Schema`. Every rule and the reason for it is in
docs/inference.md; the constants below are the knobs, and the ones a user may want to change are keyword
arguments of `infer_schema` (and options of `datacheck infer`).

The guiding test: a schema inferred on one random half of a real dataset accepts the other half
with no error-level anomaly, while the corruptions a user expects to be caught are errors. So error-level
rules are ones a fresh sample of the same size keeps with high probability: shares with a tolerance for
sampling noise (nulls, values outside the observed range, unseen categories), keys proven on exact counts,
and bounds that one value can break only from samples large enough; the observed extremes are warnings.
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
#: ...at most this share of distinct values among its non-null values (each value seen ~4 times on average: a
#: random half of a dataset whose values are seen ~8 times each, like 48 states over 17 years, stays a domain)...
MAX_DOMAIN_FRACTION = 0.25
#: ...and a domain tolerance (`domain_tolerance`, the share of a fresh sample expected outside the values seen)
#: of at most this: beyond it the sample has not seen the domain, only part of it.
MAX_DOMAIN_TOLERANCE = 0.25
#: Strings longer than this on average are free text, never categorical.
MAX_CATEGORY_MEAN_LENGTH = 64
#: The smallest tolerance, as a share of values, for unseen categories, values outside the warning range and
#: nulls beyond the share seen.
MIN_TOLERANCE = 0.01
#: z of the one-sided bounds on shares estimated from the sample (nulls, unseen categories): 3, about one false
#: alarm in 700 at the bound under a normal approximation.
Z = 3.0
#: z of the unseen-category tolerance (`domain_tolerance`): 2, not 3, because at z = 3 a 10% share of unseen
#: values in a batch of ~120 rows with a few rare categories (mpg's 15 manufacturers) is within the tolerance
#: in half the random splits; at z = 2 it is caught in all 60 splits tried, with 3 false alarms in 60.
DOMAIN_Z = 2.0
#: Values of a fresh sample of the same size that may lie outside the observed [min, max] before it is an error.
#: For n + n values from one continuous distribution, the k values of the second sample beyond the first's
#: maximum are the top k of the 2n with probability C(n, k) / C(2n, k) ~ 2**-k; with both tails, P(S >= s) ~
#: (s + 2) / 2**(s + 1), so P(S > 13) ~ 0.05% per column. Ties (discrete values) only make S smaller.
RANGE_STRAY_VALUES = 13
#: The range tolerance never exceeds this, so min_mass stays >= 0.65 and a unit change or a flipped sign that
#: moves half the values out of the observed range is still an error.
MAX_RANGE_TOLERANCE = 0.35
#: Columns with fewer non-null values get no min_mass: 13 strays would be more than MAX_RANGE_TOLERANCE of them.
MIN_VALUES_FOR_MASS = 40
#: Columns with fewer non-null values get no unique, no boolean-from-integer and no constant-length inference:
#: too few values to tell a rule from a coincidence.
MIN_VALUES_FOR_RULES = 20
#: Error bounds that one value can break (sign, [0, 1], light-tail extrapolation) need this many values. With n
#: values and none beyond a bound, the 95% upper bound on the chance that a fresh value is beyond it is ~3/n (the
#: rule of three), whatever the reason: a heavier tail or a rare gross value (1 in ~5,000 in a dozen corpus
#: datasets). A batch of m values then breaks the bound with probability up to 1 - exp(-3m/n): never small when
#: m = n, and at most 3% for batches of up to n/100. At 10,000 values that is batches of 100 rows.
MIN_VALUES_FOR_BOUNDS = 10_000
#: No error-level bound from fewer distinct values (distinct count, or distinct stored quantiles for floats):
#: two or three values are categories or small counts, not a shape.
MIN_DISTINCT_FOR_BOUNDS = 5
#: A distribution is light-tailed when its extremes lie within this share of the 1%-99% quantile spread
#: beyond those quantiles; only then does an error-level bound sit one observed span beyond the extremes.
LIGHT_TAIL_RATIO = 0.5
#: The relative standard error of the HyperLogLog distinct estimate (statistics.py), and how many of them an
#: estimate may be off the count for an integer column to still count as (nearly) all distinct.
HLL_RELATIVE_ERROR = 0.0081
HLL_SIGMAS = 3.0
#: Integers look like assigned identifiers when random draws over their range would have collided at least
#: this many times on average and they did not: P(no collision) ~ exp(-5) ~ 0.7% for uniform draws, and any
#: other distribution collides more.
ID_MIN_EXPECTED_COLLISIONS = 5.0
#: With only an estimate of the distinct count, the duplicates it allows must be under this share of the
#: collisions random draws would show.
ID_MAX_COLLISION_SHARE = 0.25
#: An integer 0/1 column is a boolean when a Poisson count with the same share of 1s would have shown this many 2s
#: on average (n1**2 / (2 n0)) and none was seen: P(no 2) ~ exp(-5). Rarer 1s may be a small count.
BOOLEAN_MIN_EXPECTED_TWOS = 5.0
#: Integers in these windows look like Unix epoch timestamps (years 2000-2100) in s, ms, us or ns; the error
#: bound is the epoch (1970) to 2100 in the same unit, so a unit change (s -> ms) is out of range.
EPOCH_UNITS = (1, 1_000, 1_000_000, 1_000_000_000)
EPOCH_WINDOW = (946_684_800, 4_102_444_800)
#: Names of identifiers: id, key, code, uuid, ... as a word at the end, or a camel-case ...Id/...ID suffix.
ID_NAME = re.compile(r"(^|[_\s.\-])(id|ids|key|code|idx|index|uuid|guid|hash|no|nr)$|^(rownames|unnamed: 0)$",
                     re.IGNORECASE)
ID_SUFFIX = re.compile(r"([a-z0-9]|^[A-Z])(ID|Id)$")
#: Text that is an identifier by its shape: UUIDs, and hex digests of 16 or more digits (MD5, SHA-1, SHA-256).
UUID_TEXT = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
HASH_TEXT = re.compile(r"^[0-9a-fA-F]{16,}$")

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
        if col.count == 0:
            # No values, no evidence of a type: a CSV column with nothing in it reads as text, and a later batch
            # with a number in it is not a type change. The type stays (it is what the data was read as), its
            # check is off, and the null bounds above watch the column's emptiness.
            return _replace(base, severity={"unexpected_type": "off"},
                            description="no values in the data this schema was inferred from: type unknown")
        ctype = base.type
        if ctype in ("integer", "float"):
            return self.numeric(col, base)
        if ctype == "boolean":
            return self.with_drift(base, CATEGORICAL_DRIFT)
        if ctype in ("string", "categorical"):
            return self.text(col, base)
        if ctype == "duration":
            # Durations are numbers in their physical unit; only a well-evidenced sign is an error bound.
            num = col.numeric
            if num is not None and num.min is not None and num.max is not None:
                low, _ = sign_bounds(col)
                base = _replace(base, range=Range(min=low, warn_min=_number(num.min, True, upward=False),
                                                  warn_max=_number(num.max, True, upward=True)))
            return base
        # date, datetime, time: time moves on, so a later batch is outside any observed window. No range.
        return base

    # -- presence ------------------------------------------------------------------------------------------

    def null_bounds(self, col: ColumnStats) -> tuple[float | None, float | None]:
        """(error, warning) bounds on the share of nulls.

        The error bound is the Wilson upper bound (z = 3) on the null share behind the sample: how high the
        share may really be, given what the sample shows. It covers only the sample's own uncertainty: the
        validator adds the batch's sampling noise at the bound, so adding it here too would count it twice.
        """
        n = col.num_rows
        if n == 0:
            return None, None
        p = col.null_count / n
        error = _ceil(max(wilson_upper(col.null_count, n, Z), p + self.min_tolerance), 3)
        warn = 0.0 if p == 0 else _ceil(p + 2 * math.sqrt(p * (1 - p) / n), 4)
        return (None if error >= 1 else error), (None if warn >= 1 else warn)

    def range_tolerance(self, count: int) -> float | None:
        """The share of a fresh sample that may lie outside the observed [min, max]: RANGE_STRAY_VALUES of the
        count, at least min_tolerance, at most MAX_RANGE_TOLERANCE; None (no mass check) on tiny samples."""
        if count < MIN_VALUES_FOR_MASS:
            return None
        return min(MAX_RANGE_TOLERANCE, max(self.min_tolerance, RANGE_STRAY_VALUES / count))

    def domain_tolerance(self, col: ColumnStats) -> float:
        """The share of a fresh sample of the same size that may hold values the sample never showed.

        Good-Turing: the mass of unseen values is about f1/n (f1 values seen once), so a fresh sample of n
        holds about f1 such values. With each value's count Poisson, their number U has variance about
        f1 + 2 f2 (f2 values seen twice), and f1 itself is an estimate of about the same variance: the
        tolerance is (f1 + DOMAIN_Z sqrt(2 (f1 + f2) + 1) + 2) / n, 4 values when no value was rare, plus two
        for a value seen ~5 times in 2n rows, which lands wholly in one half with probability 2**-5.
        """
        n = col.count
        if n <= 0:
            return 0.5
        counts = [v.count for v in col.frequencies.values] if col.frequencies is not None else []
        f1 = sum(1 for c in counts if c == 1)
        f2 = sum(1 for c in counts if c == 2)
        strays = f1 + DOMAIN_Z * math.sqrt(2 * (f1 + f2) + 1) + 2
        return min(0.5, max(self.min_tolerance, strays / n))

    # -- numbers ---------------------------------------------------------------------------------------------

    def numeric(self, col: ColumnStats, base: ColumnSchema) -> ColumnSchema:
        num = col.numeric
        if num is not None and base.type == "float":
            # Before the early return below: a column of only NaN (or only ±inf) still allows what it holds.
            base = _replace(base, allow_nan=num.nan_count > 0, allow_inf=num.inf_count > 0)
        if num is None or num.min is None or num.max is None:
            return base
        if base.type == "integer" and is_hidden_boolean(col):
            return self.with_drift(_replace(base, type="boolean", stored_as="integer",
                                            domain=Domain(("0", "1"), 1.0)), CATEGORICAL_DRIFT)
        as_int = base.type == "integer"
        lo, hi = float(num.min), float(num.max)
        epoch = _epoch_unit(lo, hi, num.integral)
        if epoch is not None:
            # Timestamps move on, so a later batch lies beyond the observed window; the epoch to 2100 in the
            # same unit does not, and a unit change (seconds written as milliseconds) leaves it.
            return _replace(base, range=Range(min=0, max=_number(EPOCH_WINDOW[1] * epoch, as_int, upward=True)))
        if base.type == "integer" and is_integer_identifier(col):
            # Ids grow: a later batch is beyond any observed max. Only a well-evidenced sign is a fact.
            if self.infer_unique and is_exact_key(col):
                base = _replace(base, unique=True)
            low, high = sign_bounds(col)
            return _replace(base, range=Range(min=low, max=high) if (low, high) != (None, None) else None)
        sign_min, sign_max = sign_bounds(col)
        hard_min: float | None = sign_min
        hard_max: float | None = sign_max
        if is_fraction(col):
            hard_min, hard_max = 0, 1
        elif is_light_tailed(col):
            tail_low, tail_high = _light_tail_bounds(lo, hi)
            hard_min = tail_low if hard_min is None else max(hard_min, tail_low)
            hard_max = tail_high if hard_max is None else min(hard_max, tail_high)
        tolerance = self.range_tolerance(col.count)
        rng = Range(min=_number(hard_min, as_int, upward=False), max=_number(hard_max, as_int, upward=True),
                    warn_min=_number(lo, as_int, upward=False), warn_max=_number(hi, as_int, upward=True),
                    min_mass=None if tolerance is None else _floor(1 - tolerance, 3))
        return self.with_drift(_replace(base, range=rng), NUMERIC_DRIFT)

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
        if self.infer_unique and is_exact_key(col) and is_text_identifier(col, values):
            base = _replace(base, unique=True)
        return _replace(base, length=self.length_bounds(col))

    def is_categorical(self, col: ColumnStats) -> bool:
        distinct = col.distinct.count if col.distinct is not None else 0
        if col.kind == "categorical":
            return distinct <= self.max_domain_size  # declared categorical by the data's own type
        mean_length = col.lengths.mean if col.lengths is not None and col.lengths.mean is not None else 0.0
        return (0 < distinct <= self.max_domain_size and distinct <= self.max_domain_fraction * col.count
                and mean_length <= MAX_CATEGORY_MEAN_LENGTH and self.domain_tolerance(col) <= MAX_DOMAIN_TOLERANCE)

    def domain_mass(self, col: ColumnStats) -> float:
        return _floor(1 - self.domain_tolerance(col), 3)

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


# -- evidence: each function reads one column's statistics and answers one question -----------------------------


def wilson_upper(successes: int, trials: int, z: float) -> float:
    """The Wilson score upper bound on a binomial share: with no success in n trials it is about z**2 / n
    (9/n at z = 3, the rule of three's 3/n at z = 1.96 ... one-sided 95%)."""
    if trials <= 0:
        return 1.0
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return min(1.0, (centre + spread) / (1 + z2 / trials))


def distinct_values_seen(col: ColumnStats) -> int | None:
    """How many distinct values the column has: exact or estimated; for floats (no distinct count) the number of
    distinct stored quantiles, a lower bound. None when unknown."""
    if col.distinct is not None and col.distinct.count:
        return col.distinct.count
    num = col.numeric
    if num is not None and num.quantiles:
        return len({q.value for q in num.quantiles})
    return None


def has_shape(col: ColumnStats, min_values: int) -> bool:
    """Enough values, and enough distinct ones, for an error-level bound."""
    distinct = distinct_values_seen(col)
    return col.count >= min_values and distinct is not None and distinct >= MIN_DISTINCT_FOR_BOUNDS


def sign_bounds(col: ColumnStats) -> tuple[int | None, int | None]:
    """(min 0, max 0) for a column never seen negative (never positive) in at least MIN_VALUES_FOR_BOUNDS values.

    With n values and none negative, a fresh value is negative with probability at most ~3/n at 95% (the rule
    of three). On fewer values the sign is only the observed minimum's warning, and a flipped sign, which
    moves every non-zero value out of the observed range, is caught by the range's min_mass instead.
    """
    num = col.numeric
    if num is None or num.min is None or num.max is None or not has_shape(col, MIN_VALUES_FOR_BOUNDS):
        return None, None
    if num.min >= 0 and num.negative_count == 0:
        return 0, None
    if num.max <= 0 and num.min < 0:
        return None, 0
    return None, None


def is_fraction(col: ColumnStats) -> bool:
    """A float column in [0, 1] that reaches 1 exactly, over at least MIN_VALUES_FOR_BOUNDS values: a share with
    its cap in view. A column that merely stays below 1 (weights in kg, a rate of a few percent) may exceed it."""
    num = col.numeric
    return (num is not None and not num.integral and num.min is not None and num.min >= 0 and num.max == 1
            and num.negative_count == 0 and has_shape(col, MIN_VALUES_FOR_BOUNDS))


def is_light_tailed(col: ColumnStats) -> bool:
    """The extremes lie close to the 1% and 99% quantiles, so the next sample's extremes will too."""
    num = col.numeric
    if num is None or not has_shape(col, MIN_VALUES_FOR_BOUNDS):
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


def _light_tail_bounds(lo: float, hi: float) -> tuple[float, float]:
    """One observed span beyond each extreme, rounded outward to three significant digits of the span, so that
    a reviewer reads 135.5, not 135.50000000000003; rounding outward only widens the bound."""
    span = hi - lo
    step = 10.0 ** (math.floor(math.log10(span)) - 2)
    low = math.floor((lo - span) / step + 1e-9) * step
    high = math.ceil((hi + span) / step - 1e-9) * step
    # Rounding to 12 decimals must never cut into the observed values (tiny magnitudes round to 0).
    return min(round(low, 12), lo), max(round(high, 12), hi)


def is_hidden_boolean(col: ColumnStats) -> bool:
    """An integer column whose only values are 0 and 1, both seen, and too many 1s for a small count.

    A Poisson count with n0 zeros and n1 ones (rate n1/n0) would show about n1**2 / (2 n0) twos; when that is
    at least BOOLEAN_MIN_EXPECTED_TWOS and none was seen, 0/1 is a yes/no. Rare 1s (solar flares in a day) may
    be a count that reaches 2 in the next sample.
    """
    num = col.numeric
    if num is None or col.count < MIN_VALUES_FOR_RULES or num.min != 0 or num.max != 1:
        return False
    table = col.frequencies
    if table is None or table.error != 0:
        return False
    counts = table.as_mapping()
    if set(counts) != {"0", "1"}:
        return False
    zeros, ones = counts["0"], counts["1"]
    return ones * ones / (2 * zeros) >= BOOLEAN_MIN_EXPECTED_TWOS


def is_exact_key(col: ColumnStats) -> bool:
    """No nulls, at least MIN_VALUES_FOR_RULES values, and an exact distinct count equal to the count. An
    estimate never makes a key: it cannot tell a key from a column with a handful of duplicates."""
    return (col.null_count == 0 and col.count >= MIN_VALUES_FOR_RULES and col.distinct is not None
            and col.distinct.exact and col.distinct.count == col.count)


def has_id_name(name: str) -> bool:
    return bool(ID_NAME.search(name) or ID_SUFFIX.search(name.strip()))


def expected_collisions(count: int, span: float) -> float:
    """Duplicates expected when `count` integers are drawn uniformly from `span` integers: count minus the
    expected number of distinct values, span * (1 - (1 - 1/span)**count)."""
    if span <= 1:
        return float(max(count - 1, 0))
    return count - span * -math.expm1(count * math.log1p(-1 / span))


def is_integer_identifier(col: ColumnStats) -> bool:
    """Integers that are assigned, not measured: an id-like name, or values that are (nearly) all distinct where
    random draws over their range would have collided (consecutive and dense ids, row numbers).

    Measurements cluster, so they collide more than uniform draws; salaries, populations and prices that
    happen to be all distinct in a sample span a range far too wide for that to be evidence.
    """
    if has_id_name(col.name):
        return True
    num = col.numeric
    if (num is None or num.min is None or num.max is None or not num.integral or col.distinct is None
            or col.count < MIN_VALUES_FOR_RULES):
        return False
    expected = expected_collisions(col.count, num.max - num.min + 1)
    if expected < ID_MIN_EXPECTED_COLLISIONS:
        return False
    duplicates = col.count - col.distinct.count
    if col.distinct.exact:
        return duplicates == 0
    slack = HLL_SIGMAS * HLL_RELATIVE_ERROR * col.count
    return max(duplicates, 0) + slack <= ID_MAX_COLLISION_SHARE * expected


def is_text_identifier(col: ColumnStats, values: list[str]) -> bool:
    """Text that is an identifier on positive evidence: every value a UUID or a hex digest, or codes of one
    width under an id-like name. Names, titles and towns are often all distinct in a sample and are not keys."""
    if values and (all(UUID_TEXT.match(v) for v in values) or all(HASH_TEXT.match(v) for v in values)):
        lengths = col.lengths
        return lengths is not None and lengths.min == lengths.max
    lengths = col.lengths
    return (has_id_name(col.name) and lengths is not None and lengths.min is not None
            and lengths.min == lengths.max)


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


def _epoch_unit(lo: float, hi: float, integral: bool) -> int | None:
    """The unit (1 for seconds, 1000 for ms, ...) when integers all lie in years 2000-2100 as Unix time."""
    if not integral:
        return None
    for unit in EPOCH_UNITS:
        if EPOCH_WINDOW[0] * unit <= lo and hi <= EPOCH_WINDOW[1] * unit:
            return unit
    return None


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
