"""HyperLogLog estimate against exact distinct counts (Python sets), averaged over trials.

The README states a relative standard error of 0.8% (1.04 / sqrt(2**14)). Each cardinality is estimated in
several independent trials; the mean relative error (bias) must lie within three standard errors of the
mean, and the spread (the standard deviation over trials) within 1.5 times the stated error, which leaves
room for the sampling noise of a standard deviation over 8-20 trials (about 16-25%).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from datacheck import sketches

STATED_ERROR = 0.0081  # README: 1.04 / sqrt(2**14)


def _relative_errors(cardinality: int, trials: int, as_text: bool) -> list[float]:
    errors = []
    for trial in range(trials):
        rng = np.random.default_rng(1000 * cardinality + trial)
        # Draws with repeats, so that the exact count comes from a set, not from the construction.
        values = rng.integers(0, 1 << 62, size=cardinality + cardinality // 10, dtype=np.int64)
        values[cardinality:] = values[: cardinality // 10]
        exact = len(set(values.tolist()))
        series = pl.Series(values).cast(pl.String) if as_text else pl.Series(values)
        registers = sketches.hll_registers_of(series, integer=not as_text)
        errors.append(sketches.hll_estimate(registers) / exact - 1.0)
    return errors


def _check(errors: list[float]) -> None:
    bias = float(np.mean(errors))
    spread = float(np.std(errors, ddof=1))
    assert abs(bias) <= 3 * STATED_ERROR / math.sqrt(len(errors)), (bias, spread)
    assert spread <= 1.5 * STATED_ERROR, (bias, spread)


@pytest.mark.parametrize(("cardinality", "trials"), [
    (100, 20), (1_000, 20), (10_000, 20), (30_000, 20), (45_000, 20), (60_000, 20), (100_000, 20),
    (1_000_000, 8),
])
def test_estimate_of_integers_is_unbiased_within_the_stated_error(cardinality: int, trials: int) -> None:
    _check(_relative_errors(cardinality, trials, as_text=False))


@pytest.mark.parametrize("cardinality", [1_000, 45_000])
def test_estimate_of_text_is_unbiased_within_the_stated_error(cardinality: int) -> None:
    _check(_relative_errors(cardinality, 20, as_text=True))


def _registers_from_hashes(hashes: np.ndarray) -> np.ndarray:
    """Registers filled as `hll_rank_query` fills them, from uniform 64-bit hashes (numpy, exact integers)."""
    p = sketches.HLL_PRECISION
    width = 64 - p
    index = (hashes >> np.uint64(width)).astype(np.int64)
    rest = hashes & np.uint64((1 << width) - 1)
    # Rank: 1 + leading zeros of the `width` remaining bits, capped at width + 1 when they are all zero.
    high = (rest >> np.uint64(32)).astype(np.float64)  # < 2**18: exact in a float
    low = (rest & np.uint64(0xFFFFFFFF)).astype(np.float64)
    bits = np.where(high > 0, np.frexp(high)[1] + 32, np.frexp(low)[1])  # position of the top 1-bit, 0 if none
    rank = (width - bits + 1).astype(np.uint8)
    # The highest rank per register, grouped in polars (numpy's maximum.at takes minutes on 10M values).
    highest = pl.DataFrame({"index": index, "rank": rank}).group_by("index").agg(pl.col("rank").max())
    registers = np.zeros(1 << p, dtype=np.uint8)
    registers[highest.get_column("index").to_numpy()] = highest.get_column("rank").to_numpy()
    return registers


def test_register_filling_here_matches_the_polars_query() -> None:
    # The 10M case below fills registers in numpy; this ties that to the real query on the same hashes.
    values = pl.Series(np.arange(50_000, dtype=np.int64))
    hashes = sketches.hll_hash_expression(pl.col("v"), integer=True)
    hashed = values.to_frame("v").select(hashes).to_series().to_numpy().astype(np.uint64)
    assert np.array_equal(_registers_from_hashes(hashed), sketches.hll_registers_of(values, integer=True))


def test_estimate_at_ten_million_is_unbiased_within_the_stated_error() -> None:
    cardinality, errors = 10_000_000, []
    for trial in range(4):
        rng = np.random.default_rng(trial)
        hashes = rng.integers(0, np.iinfo(np.uint64).max, size=cardinality, dtype=np.uint64, endpoint=True)
        # Collisions among 10M 64-bit draws are near impossible; counted anyway (exact, by hashing the values).
        exact = pl.Series(hashes).n_unique()
        errors.append(sketches.hll_estimate(_registers_from_hashes(hashes)) / exact - 1.0)
    _check(errors)


def test_empty_and_single_value() -> None:
    assert sketches.hll_estimate(np.zeros(1 << sketches.HLL_PRECISION, dtype=np.uint8)) == 0.0
    one = sketches.hll_registers_of(pl.Series(["x"]))
    assert round(sketches.hll_estimate(one)) == 1
