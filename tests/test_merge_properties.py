"""Property tests of `merge`: statistics of parts merge into the statistics of the whole.

Two kinds of generated data:
- small frames built value by value (ints with nulls, floats with NaN/inf/-0.0, unicode strings, booleans),
  cut into parts at random points. Every statistic of such a frame is exact, so merging must be
  commutative, associative, and equal to profiling the concatenation (float moments up to rounding);
- larger frames drawn from a seeded generator, with per-part cardinalities that push string and integer
  columns past FREQUENCY_CAPACITY, so that quantiles, distinct counts and frequency tables become sketches.
  Their merged values are checked against the true values of the concatenation, within the bounds the
  README's "Statistics reference" states.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from datacheck.profile import merge, profile
from datacheck.statistics import Statistics

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SCHEMA = {"i": pl.Int64, "f": pl.Float64, "s": pl.String, "b": pl.Boolean}
#: HLL with 2^14 registers has a relative standard error of 0.8%; 3% is more than 3 sigma (as in test_profile).
HLL_BOUND = 0.03


# ------------------------------------------------------------------------------------------ strategies


def _column(values: st.SearchStrategy[Any], n: int) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.one_of(st.none(), values), min_size=n, max_size=n)


@st.composite
def small_frames(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(0, 30))
    floats = st.one_of(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                       st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0]))
    return pl.DataFrame({
        "i": draw(_column(st.integers(-50, 50), n)),
        "f": draw(_column(floats, n)),
        "s": draw(_column(st.text(max_size=5), n)),
        "b": draw(_column(st.booleans(), n)),
    }, schema=SCHEMA)


@st.composite
def cut(draw: st.DrawFn, frame: pl.DataFrame, parts: int = 3) -> list[pl.DataFrame]:
    """The frame cut at `parts - 1` random points (parts may be empty)."""
    points = sorted(draw(st.lists(st.integers(0, frame.height), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *points, frame.height]
    return [frame.slice(lo, hi - lo) for lo, hi in zip(bounds, bounds[1:])]


@st.composite
def split_frames(draw: st.DrawFn, parts: int = 3) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    frame = draw(small_frames())
    return frame, draw(cut(frame, parts))


#: Cardinality of a part's string and integer values: a category, near FREQUENCY_CAPACITY, past it, or ids.
CARDINALITIES = (20, 900, 3_000, 10**9)


def big_part(seed: int, rows: int, cardinality: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    # Zipf-like ranks, so that frequency tables have heavy hitters and a long tail.
    ranks = np.minimum((rng.pareto(1.2, rows) * 3).astype(np.int64), cardinality - 1)
    floats = rng.normal(100, 30, rows)
    floats[rng.random(rows) < 0.01] = np.nan
    frame = pl.DataFrame({
        "s": [f"v{r}" for r in ranks],
        "i": ranks,
        "f": floats,
        "b": rng.random(rows) < 0.3,
    }, schema={"s": pl.String, "i": pl.Int64, "f": pl.Float64, "b": pl.Boolean})
    nulls = pl.Series(rng.random(rows) < 0.05)
    return frame.with_columns(pl.when(~nulls).then(pl.col("s")).alias("s"),
                              pl.when(~nulls).then(pl.col("f")).alias("f"))


@st.composite
def big_parts(draw: st.DrawFn) -> list[pl.DataFrame]:
    seed = draw(st.integers(0, 2**31))
    count = draw(st.integers(2, 4))
    return [big_part(seed + k, draw(st.integers(0, 6_000)), draw(st.sampled_from(CARDINALITIES))) for k in range(count)]


# ---------------------------------------------------------------------------------------- comparisons


def exact_view(stats: Statistics, *, sketched: bool = True) -> dict[str, Any]:
    """The fields that must merge exactly. With `sketched`, also the sketched ones that are exact (rank
    error 0, exact distinct counts, frequency tables with error 0): exact sketches must agree too."""
    view: dict[str, Any] = {"num_rows": stats.num_rows, "columns": [c.name for c in stats.columns]}
    for col in stats.columns:
        entry: dict[str, Any] = {"dtype": col.dtype, "kind": col.kind, "count": col.count, "null_count": col.null_count,
                                 "temporal": col.temporal, "finite_count": col.sketch.finite_count,
                                 "length_sum": col.sketch.length_sum}
        if col.lengths is not None:
            entry["lengths"] = (col.lengths.min, col.lengths.max)
        if col.numeric is not None:
            n = col.numeric
            entry["numeric"] = (n.nan_count, n.inf_count, n.neg_inf_count, n.zero_count, n.negative_count,
                                n.integral, n.min, n.max)
            if sketched and n.rank_error == 0:
                entry["quantiles"], entry["histogram"] = n.quantiles, n.histogram
        if sketched and col.distinct is not None and col.distinct.exact:
            entry["distinct"] = col.distinct
        if sketched and col.frequencies is not None and col.frequencies.error == 0:
            entry["frequencies"], entry["top_values"] = col.frequencies, col.top_values
        view[col.name] = entry
    return view


def assert_moments_close(left: Statistics, right: Statistics) -> None:
    """mean and std merge with Chan et al.'s formulas: equal up to floating-point rounding."""
    for a, b in zip(left.columns, right.columns):
        if a.numeric is None:
            continue
        scale = max(1.0, abs(a.numeric.min or 0.0), abs(a.numeric.max or 0.0))
        for x, y in ((a.numeric.mean, b.numeric.mean), (a.numeric.std, b.numeric.std)):
            assert (x is None) == (y is None), (a.name, x, y)
            if x is not None:
                assert x == pytest.approx(y, rel=1e-9, abs=1e-9 * scale), a.name
        if a.lengths is not None:
            assert a.lengths.mean == b.lengths.mean


def assert_same(left: Statistics, right: Statistics, *, sketched: bool = True) -> None:
    assert exact_view(left, sketched=sketched) == exact_view(right, sketched=sketched)
    assert_moments_close(left, right)


def assert_rows_add_up(stats: Statistics) -> None:
    for col in stats.columns:
        assert col.count + col.null_count == stats.num_rows, col.name


def profiles(parts: list[pl.DataFrame]) -> list[Statistics]:
    return [profile(part) for part in parts]


# ------------------------------------------------------------------------- exact: small frames, all fields


@SETTINGS
@given(split_frames(parts=2))
def test_merge_is_commutative(case: tuple[pl.DataFrame, list[pl.DataFrame]]) -> None:
    _, (a, b) = case[0], profiles(case[1])
    assert_same(merge([a, b]), merge([b, a]))


@SETTINGS
@given(split_frames(parts=3))
def test_merge_is_associative(case: tuple[pl.DataFrame, list[pl.DataFrame]]) -> None:
    a, b, c = profiles(case[1])
    left, right = merge([merge([a, b]), c]), merge([a, merge([b, c])])
    assert_same(left, right)
    assert_same(left, merge([a, b, c]))


@SETTINGS
@given(split_frames(parts=3))
def test_merge_agrees_with_profiling_the_concatenation(case: tuple[pl.DataFrame, list[pl.DataFrame]]) -> None:
    frame, parts = case
    merged, whole = merge(profiles(parts)), profile(frame)
    assert_same(merged, whole)
    assert_rows_add_up(merged)
    assert merged.sources == tuple(s for p in profiles(parts) for s in p.sources)


@SETTINGS
@given(split_frames(parts=2), st.sampled_from(list(SCHEMA)))
def test_a_column_missing_from_a_part_counts_as_null(case: tuple[pl.DataFrame, list[pl.DataFrame]],
                                                     dropped: str) -> None:
    _, (first, second) = case
    merged = merge([profile(first.drop(dropped)), profile(second)])
    assert_rows_add_up(merged)
    assert merged.column(dropped).null_count == first.height + second[dropped].null_count()
    assert merged.column_names[-1] == dropped or first.width == 1


# --------------------------------------------------------------- sketched: larger frames against the truth


def _truth(frame: pl.DataFrame, name: str) -> pl.Series:
    return frame[name].drop_nulls()


@SETTINGS
@given(big_parts())
def test_merged_exact_fields_equal_the_concatenation_past_sketch_capacity(parts: list[pl.DataFrame]) -> None:
    merged, whole = merge(profiles(parts)), profile(pl.concat(parts))
    assert_same(merged, whole, sketched=False)
    assert_rows_add_up(merged)


@SETTINGS
@given(big_parts())
def test_merged_quantiles_and_histograms_lie_within_rank_error(parts: list[pl.DataFrame]) -> None:
    merged, frame = merge(profiles(parts)), pl.concat(parts)
    for name in ("f", "i"):
        col = merged.column(name)
        values = _truth(frame, name).cast(pl.Float64).to_numpy()
        values = np.sort(values[np.isfinite(values)])
        n = values.size
        if n == 0:
            assert col.numeric.quantiles == ()
            continue
        slack = col.numeric.rank_error + 1.0 / n
        for item in col.numeric.quantiles:
            below = np.searchsorted(values, item.value, side="left") / n
            at_or_below = np.searchsorted(values, item.value, side="right") / n
            assert below - slack <= item.q <= at_or_below + slack, (name, item, below, at_or_below,
                                                                    col.numeric.rank_error)
        histogram = col.numeric.histogram
        assert sum(histogram.counts) == n
        # A bucket's count is a difference of two cumulative counts, each within rank_error * n.
        edges = np.asarray(histogram.edges)
        true_counts = np.histogram(values, bins=edges)[0]
        assert np.all(np.abs(np.asarray(histogram.counts) - true_counts) <= 2 * col.numeric.rank_error * n + 1), name


@SETTINGS
@given(big_parts())
def test_merged_frequency_tables_lie_within_misra_gries_error(parts: list[pl.DataFrame]) -> None:
    merged, frame = merge(profiles(parts)), pl.concat(parts)
    for name in ("s", "i", "b"):
        col = merged.column(name)
        if col.frequencies is None:
            continue
        text = _truth(frame, name).cast(pl.String)
        text = text.str.to_lowercase() if name == "b" else text
        truth = dict(text.value_counts().iter_rows())
        table, error = col.frequencies.as_mapping(), col.frequencies.error
        assert col.frequencies.total == col.count == text.len()
        for value, count in table.items():
            assert count <= truth[value] <= count + error, (name, value)
        # Misra-Gries: a value left out of the table occurs at most `error` times.
        assert all(count <= error for value, count in truth.items() if value not in table), name
        if error == 0:
            assert table == truth


#: merge([exact part, part whose table was dropped]) once forgot the exact part's values (2,007 of 3,000).
DROPPED_TABLE_EXAMPLE = [big_part(1, 1_000, 20).with_columns(pl.format("a{}", pl.int_range(1_000)).alias("s")),
                         big_part(2, 2_000, 10**9).with_columns(pl.format("b{}", pl.int_range(2_000)).alias("s"))]


@SETTINGS
@example(DROPPED_TABLE_EXAMPLE)
@given(big_parts())
def test_merged_distinct_counts_lie_within_hll_bounds_in_any_order(parts: list[pl.DataFrame]) -> None:
    profiled, frame = profiles(parts), pl.concat(parts)
    for order in (profiled, profiled[::-1]):
        merged = merge(order)
        for name in ("s", "i", "b"):
            distinct, truth = merged.column(name).distinct, _truth(frame, name).n_unique()
            if distinct.exact:
                assert distinct.count == truth, name
            else:
                assert abs(distinct.count - truth) <= HLL_BOUND * truth, (name, distinct, truth)


def test_merging_int_and_float_parts_keeps_no_false_exact_table() -> None:
    ints, floats = profile(pl.DataFrame({"x": [1, 2, 3]})), profile(pl.DataFrame({"x": [1.5, 2.5]}))
    col = merge([ints, floats]).column("x")
    assert col.dtype == "Float64"
    if col.distinct is not None and col.distinct.exact:
        assert col.distinct.count == 5
    if col.frequencies is not None and col.frequencies.error == 0:
        assert sum(v.count for v in col.frequencies.values) == col.frequencies.total


def test_a_part_where_the_column_is_all_null_merges_with_any_kind() -> None:
    nulls = profile(pl.DataFrame({"x": [None, None]}))          # polars types this column Null
    text = profile(pl.DataFrame({"x": ["a", "b", "a"]}))
    for parts in ([nulls, text], [text, nulls]):
        col = merge(parts).column("x")
        assert (col.kind, col.count, col.null_count) == ("string", 3, 2)
        assert col.frequencies.as_mapping() == {"a": 2, "b": 1}


def test_registers_filled_by_different_hashes_merge_to_a_marked_lower_bound() -> None:
    # A statistics file names the hash its HLL registers were filled with (polars' hash changes between
    # versions). Registers of different hashes cannot be combined, so the merged distinct count falls back to
    # the larger of the two estimates: a lower bound of the true 8,000, and not marked exact.
    import dataclasses

    first = profile(pl.DataFrame({"k": list(range(3_000))}))
    second = profile(pl.DataFrame({"k": list(range(10_000, 15_000))}))
    column = second.columns[0]
    foreign = dataclasses.replace(column, sketch=dataclasses.replace(column.sketch, hll_hash="another-hash"))
    second = dataclasses.replace(second, columns=(foreign,))
    merged = merge([first, second]).column("k")
    assert merged.distinct.exact is False
    assert 0.95 * 5_000 <= merged.distinct.count <= 1.05 * 5_000
    # With the same hash the registers combine into an estimate of the whole.
    together = merge([first, profile(pl.DataFrame({"k": list(range(10_000, 15_000))}))]).column("k")
    assert abs(together.distinct.count - 8_000) <= 0.05 * 8_000
