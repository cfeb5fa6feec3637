"""infer_schema on hand-built Statistics: one test per rule, plus a hypothesis property test."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from datacheck.infer import infer_schema
from datacheck.jsonschemas import schema_errors
from datacheck.schema import ColumnSchema, Domain, Drift, Environment, LengthBounds, Range, Schema
from datacheck.statistics import (
    QUANTILE_PROBABILITIES,
    ColumnStats,
    Distinct,
    Frequencies,
    LengthStats,
    NumericStats,
    Quantile,
    Statistics,
    TemporalRange,
    ValueCount,
)

# -- builders ------------------------------------------------------------------------------------------------

def numeric(name, *, dtype="Float64", count=1000, nulls=0, lo=0.0, hi=10.0, mean=None, std=None, quantiles=None,
            negative=None, integral=None, nan=0, inf=0, distinct=None, freqs=None) -> ColumnStats:
    """A numeric column; by default roughly uniform on [lo, hi]."""
    mean = (lo + hi) / 2 if mean is None else mean
    std = (hi - lo) / math.sqrt(12) if std is None else std
    qs = quantiles or {q: lo + q * (hi - lo) for q in QUANTILE_PROBABILITIES}
    is_int = dtype.startswith(("Int", "UInt"))
    negatives = (count if lo < 0 else 0) if negative is None else negative
    return ColumnStats(
        name=name, dtype=dtype, kind="numeric", count=count, null_count=nulls,
        numeric=NumericStats(nan_count=nan, inf_count=inf, negative_count=negatives,
                             integral=is_int if integral is None else integral, min=lo, max=hi, mean=mean, std=std,
                             quantiles=tuple(Quantile(q, v) for q, v in sorted(qs.items()))),
        distinct=distinct, frequencies=freqs)


def table(counts: dict[str, int], error: int = 0) -> Frequencies:
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Frequencies(tuple(ValueCount(v, c) for v, c in ordered), error, sum(counts.values()))


def text(name, counts: dict[str, int] | None = None, *, count=None, nulls=0, distinct=None, lengths=None,
         kind="string", dtype="String") -> ColumnStats:
    freqs = table(counts) if counts is not None else None
    count = sum(counts.values()) if count is None else count
    if distinct is None and counts is not None:
        distinct = Distinct(len(counts), True)
    if lengths is None and counts:
        sizes = [len(v) for v in counts]
        lengths = LengthStats(min(sizes), sum(len(v) * c for v, c in counts.items()) / count, max(sizes))
    top = freqs.values[:10] if freqs else ()
    return ColumnStats(name=name, dtype=dtype, kind=kind, count=count, null_count=nulls, lengths=lengths,
                       distinct=distinct, top_values=top, frequencies=freqs)


def infer_one(col: ColumnStats, **kwargs) -> ColumnSchema:
    schema = infer_schema(Statistics(col.num_rows, (col,)), **kwargs)
    return schema.columns[0]


# -- presence ------------------------------------------------------------------------------------------------

def wilson_upper_z3(nulls: int, rows: int) -> float:
    """statsmodels' Wilson interval, two-sided at the level whose upper end is one-sided z = 3."""
    return proportion_confint(nulls, rows, alpha=2 * norm.sf(3.0), method="wilson")[1]


def test_no_nulls_gives_a_small_tolerance_not_zero():
    col = infer_one(numeric("x", count=5000))
    # 0 nulls in 5000: the Wilson bound is ~9/5000; the floor min_tolerance (0.01) is larger.
    assert wilson_upper_z3(0, 5000) < 0.01
    assert col.max_null_fraction == pytest.approx(0.01)
    assert col.warn_max_null_fraction == 0.0
    assert col.required is True and col.nullable


def test_null_tolerance_grows_with_sampling_noise():
    col = infer_one(numeric("x", count=7200, nulls=2800))  # 28% nulls of 10,000 rows
    p, sigma = 0.28, math.sqrt(0.28 * 0.72 / 10_000)
    assert col.max_null_fraction == pytest.approx(math.ceil(wilson_upper_z3(2800, 10_000) * 1000) / 1000)
    assert col.warn_max_null_fraction == pytest.approx(math.ceil((p + 2 * sigma) * 10_000) / 10_000)
    assert p < col.warn_max_null_fraction < col.max_null_fraction < 0.3


def test_null_bound_on_a_small_sample_leaves_room_for_a_40_percent_burst():
    # 100 rows, no null: Wilson z=3 gives 9/109 = 0.0826. The validator adds the batch's own noise at the
    # bound (3 binomial sd on 100 rows, 2.75 nulls): 40 nulls in 100 rows is far beyond 8.3 + 8.3.
    col = infer_one(numeric("x", count=100))
    assert col.max_null_fraction == pytest.approx(math.ceil(9 / 109 * 1000) / 1000)
    bound = col.max_null_fraction
    assert 40 > 100 * bound + 3 * math.sqrt(100 * bound * (1 - bound))


def test_all_null_column_has_no_null_limit():
    col = infer_one(ColumnStats("empty", "String", "string", 0, 500))
    assert (col.type, col.max_null_fraction, col.warn_max_null_fraction) == ("string", None, None)


# -- numeric ranges ------------------------------------------------------------------------------------------

def test_light_tailed_non_negative_integer():
    age = dict(dtype="Int64", lo=17, hi=90, mean=38.6, std=13.6, distinct=Distinct(73, True),
               quantiles={0.0: 17, 0.01: 17, 0.5: 37, 0.99: 74, 1.0: 90})
    col = infer_one(numeric("age", count=10_000, **age))
    # Light tails: error bounds one span beyond the extremes, clamped at 0 for a quantity never negative.
    assert col.range == Range(min=0, max=163, warn_min=17, warn_max=90, min_mass=0.99)
    assert col.type == "integer" and "allow_nan" not in col.to_dict()
    # On 1,000 values, no bound that one value can break: the rule of three allows 3 in 1,000 beyond it.
    # min_mass: 13 strays of 1000 values (1.3%) is more than min_tolerance (1%).
    small = infer_one(numeric("age", count=1000, **age))
    assert small.range == Range(warn_min=17, warn_max=90, min_mass=0.987)


def test_heavy_tail_gets_no_error_max_but_a_mass_check():
    col = infer_one(numeric("fare", count=10_000, lo=0.0, hi=700.07, mean=11.6, std=12.0,
                            quantiles={0.0: 0.0, 0.01: 3.25, 0.5: 7.85, 0.99: 44.25, 1.0: 700.07}))
    assert col.range == Range(min=0, max=None, warn_min=0.0, warn_max=700.07, min_mass=0.99)


def test_extremes_far_from_the_mean_are_not_light_even_with_close_quantiles():
    # The quantile test passes (max - q99 < 0.5 * spread), but max is 6 std from the mean: a skewed column
    # whose outliers happened to miss this sample.
    col = infer_one(numeric("fare", count=10_000, lo=0.0, hi=65.0, mean=11.6, std=8.9,
                            quantiles={0.0: 0.0, 0.01: 3.25, 0.5: 7.85, 0.99: 50.0, 1.0: 65.0}))
    assert col.range.max is None


def test_negative_values_give_symmetric_bounds_and_non_positive_gets_max_zero():
    lon = infer_one(numeric("lon", count=10_000, lo=-87.9, hi=-87.5, mean=-87.7, std=0.08))
    # Light tails: one span (0.4) beyond each extreme, tighter than the sign bound (max 0) here.
    assert (lon.range.min, lon.range.max) == (-88.3, -87.1)
    far = infer_one(numeric("lon", count=10_000, lo=-87.9, hi=-87.5, mean=-87.7, std=0.08,
                            quantiles={0.0: -87.9, 0.01: -87.9, 0.05: -87.89, 0.5: -87.88, 0.99: -87.85, 1.0: -87.5}))
    assert (far.range.min, far.range.max) == (None, 0)  # heavy upper tail: only the sign bound
    mixed = infer_one(numeric("delta", count=10_000, lo=-5.0, hi=5.0, negative=5000))
    assert mixed.range.min == pytest.approx(-15.0) and mixed.range.max == pytest.approx(15.0)


def test_fraction_is_bounded_by_zero_and_one_only_when_it_reaches_one():
    col = infer_one(numeric("share", count=10_000, lo=0.0, hi=1.0))
    assert (col.range.min, col.range.max) == (0, 1)
    # A rate of a few percent may be a ratio that exceeds 1: no cap at 1, only the light-tail bound (one span
    # of 0.17 beyond the extremes, clamped at the sign bound 0).
    rate = infer_one(numeric("rate", count=10_000, lo=0.03, hi=0.2))
    assert (rate.range.min, rate.range.max) == (0, pytest.approx(0.37))
    assert (rate.range.warn_min, rate.range.warn_max) == (0.03, 0.2)
    # Reaching 1 on fewer than 10,000 values is not enough evidence of a cap.
    assert infer_one(numeric("share", lo=0.0, hi=1.0, count=9_999)).range.max is None


def test_small_samples_tolerate_more_strays():
    col = infer_one(numeric("x", count=167, lo=0.0, hi=1.0))
    assert col.range.min_mass == pytest.approx(math.floor((1 - 13 / 167) * 1000) / 1000)  # 0.922
    assert col.max_null_fraction == pytest.approx(math.ceil(wilson_upper_z3(0, 167) * 1000) / 1000)
    # Fewer than 40 values: no mass check at all (13 strays would be a third of them).
    assert infer_one(numeric("x", count=39, lo=0.0, hi=1.0)).range.min_mass is None
    assert infer_one(numeric("x", count=40, lo=0.0, hi=1.0)).range.min_mass == pytest.approx(0.675)


def test_nan_and_inf_seen_are_allowed():
    col = infer_one(numeric("x", nan=3, inf=1))
    assert (col.allow_nan, col.allow_inf) == (True, True)
    assert infer_one(numeric("x")).allow_nan is False


def test_epoch_timestamps_get_the_epoch_window_and_are_not_keys():
    col = infer_one(numeric("trip_start_timestamp", dtype="Int64", lo=1357000200, hi=1483116300,
                            distinct=Distinct(1000, True), count=1000))
    # 1970-01-01 to 2101-01-01 in seconds: seconds written as milliseconds fall outside.
    assert col.range == Range(min=0, max=4_102_444_800) and col.unique is False
    ms = infer_one(numeric("ts", dtype="Int64", lo=1357000200_000, hi=1483116300_000, count=1000))
    assert ms.range == Range(min=0, max=4_102_444_800_000)


def test_hidden_boolean_in_integers():
    col = infer_one(numeric("defaulted", dtype="Int64", lo=0, hi=1, freqs=table({"0": 850, "1": 150}),
                            distinct=Distinct(2, True)))
    assert (col.type, col.stored_as, col.domain) == ("boolean", "integer", Domain(("0", "1"), 1.0))
    assert col.range is None
    # 0, 1 and 2 is a small integer, not a boolean.
    species = infer_one(numeric("species", dtype="Int64", lo=0, hi=2, freqs=table({"0": 5, "1": 3, "2": 2})))
    assert species.type == "integer"


def test_rare_ones_are_a_count_not_a_boolean():
    # A Poisson count with n0 zeros and n1 ones shows about n1**2 / (2 n0) twos: 20**2 / 1000 = 0.4 here, so
    # seeing none says nothing. 5 expected twos (n1 = 50 of 550: 2500 / 1000 = 2.5; n1 = 75 of 575: 5.6) does.
    flares = infer_one(numeric("flares", dtype="Int64", count=520, lo=0, hi=1, freqs=table({"0": 500, "1": 20}),
                               distinct=Distinct(2, True)))
    assert flares.type == "integer" and flares.domain is None
    assert (flares.range.min, flares.range.max) == (None, None)  # two distinct values: no error-level bound
    assert (flares.range.warn_min, flares.range.warn_max) == (0, 1)
    for ones, boolean in ((50, False), (75, True)):
        col = infer_one(numeric("y", dtype="Int64", count=500 + ones, lo=0, hi=1,
                                freqs=table({"0": 500, "1": ones}), distinct=Distinct(2, True)))
        assert (col.type == "boolean") is boolean, ones


# -- keys ----------------------------------------------------------------------------------------------------

def test_exact_distinct_key_is_unique():
    ids = {f"id{i:04d}": 1 for i in range(500)}
    col = infer_one(text("order_id", ids))
    assert col.unique is True and col.severity == {}
    assert col.type == "string" and col.domain is None
    assert col.length == LengthBounds(min=6, max=6)  # fixed-width codes


def test_an_estimate_never_makes_a_key():
    # Dense integers (5000 in a range of 5000) are ids: no range but the sign, no drift; but the distinct
    # count is an estimate, which cannot tell a key from a column with a few duplicates.
    col = infer_one(numeric("application_id", dtype="Int64", count=10_000, lo=100001, hi=110000,
                            distinct=Distinct(10_012, False)))
    assert col.unique is False and col.severity == {}
    assert col.range == Range(min=0)  # ids grow: no max, no warning range
    email = infer_one(text("email", count=50_000, distinct=Distinct(50_300, False), lengths=LengthStats(8, 20.0, 40)))
    assert email.unique is False


def test_not_a_key_when_nulls_or_duplicates_or_float():
    ids = {f"v{i:03d}": 1 for i in range(100)}
    assert infer_one(text("key", ids)).unique is True  # the positive control: fixed width under an id-like name
    assert infer_one(text("key", ids, nulls=1)).unique is False
    assert infer_one(text("key", {**ids, "dup": 2})).unique is False
    assert infer_one(numeric("x", distinct=Distinct(1000, True))).unique is False
    assert infer_one(text("key", ids), infer_unique=False).unique is False


# -- strings -------------------------------------------------------------------------------------------------

def test_few_values_become_categorical_with_a_domain_mass():
    col = infer_one(text("payment_type", {"Cash": 2600, "Credit Card": 2300, "No Charge": 60, "Dispute": 1}))
    assert col.type == "categorical"
    # Good-Turing: 1 value seen once, none twice: (1 + 2 sqrt(2 * 1 + 1) + 2) / 4961 = 0.13%, below 1%.
    assert col.domain == Domain(("Cash", "Credit Card", "Dispute", "No Charge"), 0.99)


def test_many_singletons_lower_the_domain_mass():
    counts = {**{f"c{i}": 1 for i in range(30)}, "big": 970}
    col = infer_one(text("company", counts))
    # Good-Turing: 30 of 1000 values seen once, none twice: (30 + 2 sqrt(2 * 30 + 1) + 2) / 1000 = 0.0476.
    assert col.domain.min_mass == pytest.approx(math.floor((1 - (32 + 2 * math.sqrt(61)) / 1000) * 1000) / 1000)


def test_too_many_values_relative_or_absolute_is_free_text():
    relative = infer_one(text("name", {f"n{i}": 2 for i in range(60)}))  # 60 distinct in 120 values
    assert relative.type == "string" and relative.domain is None
    absolute = infer_one(text("city", {f"c{i}": 100 for i in range(150)}))
    assert absolute.type == "string"
    assert infer_one(text("city", {f"c{i}": 100 for i in range(150)}), max_domain_size=200).type == "categorical"


def test_long_strings_are_free_text_and_get_only_a_warning_length():
    counts = {("word " * 20) + str(i): 50 for i in range(20)}
    col = infer_one(text("notes", counts))
    assert col.type == "string" and col.domain is None
    assert col.length == LengthBounds(warn_min=1)


def test_inexact_table_gets_no_domain():
    col = text("c", count=100_000, distinct=Distinct(40, True), lengths=LengthStats(1, 3.0, 5))
    col = ColumnStats(**{**{f: getattr(col, f) for f in col.__slots__}, "frequencies": table({"a": 90_000}, error=5)})
    assert infer_one(col).domain is None


def test_declared_categorical_keeps_its_type():
    col = infer_one(text("c", {"a": 1, "b": 1, "c": 1}, kind="categorical", dtype="Categorical"))
    assert col.type == "categorical" and col.domain == Domain(("a", "b", "c"), 0.5)


@pytest.mark.parametrize("values", [("yes", "no"), ("Y", "N"), ("true", "false"), ("T", "F"), ("True", "False")])
def test_hidden_boolean_in_strings(values):
    col = infer_one(text("flag", {values[0]: 70, values[1]: 30}))
    assert (col.type, col.stored_as) == ("boolean", "string")
    assert col.domain.values == tuple(sorted(values))


def test_two_other_words_are_not_a_boolean():
    assert infer_one(text("flag", {"yes": 70, "false": 30})).type == "categorical"


@pytest.mark.parametrize("values, ctype, fmt", [
    (["2024-01-01", "2024-02-29", "2023-12-31"], "date", "%Y-%m-%d"),
    (["2024-01-01T06:22:26", "2024-06-30T20:30:00"], "datetime", "%Y-%m-%dT%H:%M:%S"),
    (["2024-01-01 06:22:26", "2024-06-30 20:30:00"], "datetime", "%Y-%m-%d %H:%M:%S"),
    (["2024-01-01 06:22:26.5", "2024-06-30 20:30:00.125"], "datetime", "%Y-%m-%d %H:%M:%S%.f"),
])
def test_hidden_dates_in_strings(values, ctype, fmt):
    col = infer_one(text("when", {v: 40 for v in values}))
    assert (col.type, col.stored_as, col.format) == (ctype, "string", fmt)
    assert col.range is None and col.domain is None


def test_date_lookalikes_that_do_not_parse_stay_strings():
    assert infer_one(text("when", {"2024-13-01": 40, "2024-01-01": 40})).type != "date"
    assert infer_one(text("code", {"1234-56-78": 40})).type != "date"


# -- other types, options ------------------------------------------------------------------------------------

def test_temporal_columns_get_no_range():
    col = ColumnStats("day", "Date", "temporal", 100, 0, numeric=NumericStats(min=19000, max=19100, integral=True),
                      temporal=TemporalRange("2022-01-08", "2022-04-18", "days"))
    bound = math.ceil(wilson_upper_z3(0, 100) * 1000) / 1000
    assert infer_one(col) == ColumnSchema("day", "date", max_null_fraction=bound, warn_max_null_fraction=0.0)
    dt = ColumnStats("ts", "Datetime(time_unit='us', time_zone=None)", "temporal", 100, 0)
    assert infer_one(dt).type == "datetime"


def test_boolean_nested_binary():
    assert infer_one(ColumnStats("b", "Boolean", "boolean", 10, 0)).type == "boolean"
    assert infer_one(ColumnStats("l", "List(Int64)", "nested", 10, 0)).type == "nested"
    assert infer_one(ColumnStats("x", "Binary", "binary", 10, 0)).type == "binary"


def test_drift_threshold_and_environments():
    stats = Statistics(1000, (numeric("x"), text("c", {"a": 600, "b": 400}), text("label", {"yes": 500, "no": 500})))
    schema = infer_schema(stats, drift_threshold=0.1, environments={"serving": Environment(excluded=("label",))},
                          default_environment="serving")
    # The canonical short names, the same vocabulary drift reports use.
    assert [c.drift for c in schema.columns] == [Drift("jsd", 0.1), Drift("linf", 0.1), Drift("linf", 0.1)]
    assert schema.expected_columns() == ["x", "c"]
    assert infer_schema(stats).columns[0].drift is None


def test_dataset_constraints_and_column_order():
    stats = Statistics(30, (text("b", {"x": 30}), numeric("a", count=30)))
    schema = infer_schema(stats)
    assert schema.column_names == ["b", "a"]
    assert (schema.dataset.min_rows, schema.dataset.max_rows) == (1, None)


# -- property: any statistics-like input gives a loadable schema that round-trips ------------------------------

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@st.composite
def numeric_columns(draw, name):
    lo, hi = sorted((draw(finite) + 0.0, draw(finite) + 0.0))  # + 0.0 turns -0.0 into 0.0
    count = draw(st.integers(0, 10_000))
    qs = sorted(draw(st.lists(st.floats(min_value=lo, max_value=hi), min_size=len(QUANTILE_PROBABILITIES),
                              max_size=len(QUANTILE_PROBABILITIES))))
    qs[0], qs[-1] = lo, hi
    dtype = draw(st.sampled_from(["Int64", "Float64", "UInt8"]))
    if dtype != "Float64":
        lo, hi = math.floor(lo), math.ceil(hi)
        qs = [min(max(q, lo), hi) for q in qs]
    return numeric(name, dtype=dtype, count=count, nulls=draw(st.integers(0, 500)), lo=lo, hi=hi,
                   mean=(lo + hi) / 2, std=draw(st.floats(0, 1e9)), quantiles=dict(zip(QUANTILE_PROBABILITIES, qs)),
                   nan=draw(st.integers(0, 3)),
                   distinct=Distinct(draw(st.integers(0, max(count, 1))), draw(st.booleans())))


@st.composite
def text_columns(draw, name):
    counts = draw(st.dictionaries(st.text(min_size=0, max_size=12), st.integers(1, 50), max_size=40))
    if not counts:
        return ColumnStats(name, "String", "string", 0, draw(st.integers(0, 50)))
    return text(name, counts, nulls=draw(st.integers(0, 50)), kind=draw(st.sampled_from(["string", "categorical"])))


@st.composite
def statistics(draw):
    columns = []
    for i in range(draw(st.integers(1, 5))):
        columns.append(draw(st.one_of(numeric_columns(f"c{i}"), text_columns(f"c{i}"))))
    return Statistics(max((c.num_rows for c in columns), default=0), tuple(columns))


@settings(max_examples=60, deadline=None)
@given(statistics())
def test_inferred_schema_passes_its_json_schema_and_round_trips(stats):
    schema = infer_schema(stats)
    doc = schema.to_dict()
    assert schema_errors(doc, "schema") == []
    assert Schema.loads(schema.dumps()) == schema
    assert schema.column_names == stats.column_names
    for col in schema.columns:
        if col.range is not None and col.range.min is not None and col.range.warn_min is not None:
            assert col.range.min <= col.range.warn_min <= col.range.warn_max
            if col.range.max is not None:
                assert col.range.warn_max <= col.range.max
    # "and accepts the frame it came from" needs validate (issue 4): tests/test_validate.py should add
    # validate(df, infer_schema(profile(df))).passed over generated frames.
