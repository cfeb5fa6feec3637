"""Mergeable summaries used by the profile engine: HyperLogLog, Misra-Gries and KLL (via Apache DataSketches).

Each one has a bounded size, merges with another of its kind, and round-trips through text so that it can
live in a statistics file. The bounds quoted here are the ones the README's statistics reference states.
"""

from __future__ import annotations

import base64
import math
import zlib
from collections.abc import Iterable, Mapping

import datasketches
import numpy as np
import polars as pl

# ----------------------------------------------------------------------------------------------- KLL

#: KLL accuracy parameter. k=400 gives a normalized rank error of about 0.7% (99% confidence), ~10 KB a column.
KLL_K = 400


def new_kll() -> datasketches.kll_doubles_sketch:
    return datasketches.kll_doubles_sketch(KLL_K)


def kll_to_text(sketch: datasketches.kll_doubles_sketch) -> str:
    return base64.b64encode(sketch.serialize()).decode("ascii")


def kll_from_text(text: str) -> datasketches.kll_doubles_sketch:
    return datasketches.kll_doubles_sketch.deserialize(base64.b64decode(text))


def kll_rank_error(sketch: datasketches.kll_doubles_sketch) -> float:
    """0 while the sketch still holds every value (exact), else its normalized rank error."""
    return float(sketch.normalized_rank_error(False)) if sketch.is_estimation_mode() else 0.0


# ----------------------------------------------------------------------------------------- HyperLogLog

#: 2**14 registers: relative standard error 1.04 / sqrt(16384) = 0.81%.
HLL_PRECISION = 14
_HLL_SEED = 0x5EED_DA7A
#: Polars hashes are stable within one polars version only, so the hash is named after that version;
#: registers filled by different hash functions cannot be merged.
HLL_HASH = f"polars-{pl.__version__}-seed{_HLL_SEED}"


def hll_registers_of(values: pl.Series) -> np.ndarray:
    """HLL registers (uint8, 2**HLL_PRECISION of them) of the non-null values of `values`."""
    registers = np.zeros(1 << HLL_PRECISION, dtype=np.uint8)
    values = values.drop_nulls()
    if values.len() == 0:
        return registers
    if values.dtype == pl.Categorical or values.dtype == pl.Enum:
        values = values.cast(pl.String)
    hashed = values.hash(seed=_HLL_SEED).to_numpy()
    width = 64 - HLL_PRECISION
    index = (hashed >> np.uint64(width)).astype(np.int64)
    # rank = position of the first 1-bit in the remaining bits; a sentinel bit caps it at width + 1.
    rest = (hashed << np.uint64(HLL_PRECISION)) | np.uint64(1 << (HLL_PRECISION - 1))
    rank = pl.Series(rest).bitwise_leading_zeros().cast(pl.Int64) + 1
    frame = pl.DataFrame({"index": index, "rank": rank}).group_by("index").agg(pl.col("rank").max())
    registers[frame["index"].to_numpy()] = frame["rank"].to_numpy().astype(np.uint8)
    return registers


def hll_estimate(registers: np.ndarray) -> float:
    """Cardinality estimate (Flajolet et al. 2007) with linear counting for small cardinalities."""
    m = registers.size
    alpha = 0.7213 / (1 + 1.079 / m)
    raw = alpha * m * m / float(np.sum(np.ldexp(1.0, -registers.astype(np.int64))))
    zeros = int(np.count_nonzero(registers == 0))
    if raw <= 2.5 * m and zeros:
        return m * math.log(m / zeros)
    return raw


def hll_to_text(registers: np.ndarray) -> str:
    return base64.b64encode(zlib.compress(registers.tobytes(), 9)).decode("ascii")


def hll_from_text(text: str) -> np.ndarray:
    return np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype=np.uint8).copy()


# ----------------------------------------------------------------------------------------- Misra-Gries


def misra_gries_merge(table: Mapping[str, int], error: int, counts: Iterable[tuple[str, int]],
                      added_error: int, capacity: int) -> tuple[dict[str, int], int]:
    """Merge weighted counts into a Misra-Gries summary of at most `capacity` values.

    When the union holds more than `capacity` values, the (capacity+1)-th largest count is subtracted from
    every value and values that reach zero are dropped (Agarwal et al., "Mergeable summaries", 2012). Every
    kept count is then a lower bound, and the true count exceeds it by at most the returned error.

    Returns:
        (table, error): the merged summary and its error bound.
    """
    merged = dict(table)
    for value, count in counts:
        merged[value] = merged.get(value, 0) + count
    error += added_error
    if len(merged) > capacity:
        ordered = sorted(merged.values(), reverse=True)
        cut = ordered[capacity]
        merged = {v: c - cut for v, c in merged.items() if c > cut}
        error += cut
    return merged, error


def sorted_counts(table: Mapping[str, int]) -> list[tuple[str, int]]:
    """Most frequent first; ties broken by value, so that output is deterministic."""
    return sorted(table.items(), key=lambda item: (-item[1], item[0]))
