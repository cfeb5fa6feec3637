"""Feature skew: the same example carrying different feature values on two sides (training and serving), found
by joining the sides on key columns: (DATA, DATA, keys) -> SkewReport.

Unlike drift, which compares distributions, skew compares rows: every key present once on both sides is a
matched row, and each feature of a matched row either agrees or differs. Numbers agree within a tolerance
(`abs_tol + rel_tol * |base|`, as numpy.isclose with base as the reference; NaN agrees with NaN, null with
null); everything else agrees when equal as text. Keys that occur more than once on a side are reported and
left out of the join (joining them would multiply rows and make up mismatches); rows with a null key too.

The join runs in bounded memory: both sides are hash-partitioned on the keys into temporary Parquet buckets
(`datacheck.skew_partition`) and joined bucket by bucket.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from datacheck.errors import InputError, UsageError
from datacheck.finite import finite_or_none
from datacheck.sketches import QuantileSketch
from datacheck.skew_partition import bucket_count, partitioned

SKEW_FORMAT = "datacheck.skew"
SKEW_VERSION = 1
#: How many example keys and (base -> test) pairs a report keeps per feature.
EXAMPLES = 5
TOP_PAIRS = 10
#: Distinct (base, test) pairs counted per feature; beyond it the rarer half is dropped, so memory stays bounded
#: on free-text features (a pair dropped early and frequent later is then undercounted).
PAIR_CAPACITY = 100_000
DIFF_QUANTILES = (0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0)

Key = tuple[str | None, ...]


def _key_order(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Keys in their own order (numbers as numbers), nulls last."""
    return tuple((value is None, value) for value in key)


def _key_text(key: tuple[Any, ...]) -> Key:
    return tuple(None if value is None else str(value) for value in key)


@dataclass(frozen=True, slots=True)
class ValuePair:
    """A (base -> test) pair of values of a categorical feature on differing rows, and how many rows had it."""

    base: str | None
    test: str | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "test": self.test, "count": self.count}


@dataclass(frozen=True, slots=True)
class Differences:
    """The differences test - base of a numeric feature over the differing rows where both values are finite.

    Fields:
        count: such rows. mean: their mean difference. quantiles: (q, value) at DIFF_QUANTILES (0 and 1 are the
        smallest and largest difference), from the quantile summary (exact up to 4,096 distinct differences).
    """

    count: int
    mean: float | None
    quantiles: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "mean": finite_or_none(self.mean),
                "quantiles": [{"q": q, "value": finite_or_none(v)} for q, v in self.quantiles]}


@dataclass(frozen=True, slots=True)
class FeatureSkew:
    """One feature compared over the matched rows.

    Fields:
        name: the column. kind: "numeric" (compared within the tolerance) or "exact" (compared as text).
        matched: rows compared (every matched row). differing: rows whose values differ.
        mismatch_rate: differing / matched (0 when nothing matched). threshold: the largest allowed rate.
        null_in_base, null_in_test: differing rows where only that side is null.
        top_pairs: the most frequent (base -> test) pairs of an exact feature, most frequent first.
        differences: the distribution of test - base of a numeric feature, or None.
        examples: the first keys (in key order) of differing rows.
    """

    name: str
    kind: str
    matched: int
    differing: int
    threshold: float
    null_in_base: int = 0
    null_in_test: int = 0
    top_pairs: tuple[ValuePair, ...] = ()
    differences: Differences | None = None
    examples: tuple[Key, ...] = ()

    @property
    def mismatch_rate(self) -> float:
        return self.differing / self.matched if self.matched else 0.0

    @property
    def skewed(self) -> bool:
        return self.mismatch_rate > self.threshold

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "matched": self.matched, "differing": self.differing,
                "mismatch_rate": self.mismatch_rate, "threshold": self.threshold, "skewed": self.skewed,
                "null_in_base": self.null_in_base, "null_in_test": self.null_in_test,
                "top_pairs": [p.to_dict() for p in self.top_pairs],
                "differences": self.differences.to_dict() if self.differences else None,
                "examples": [list(k) for k in self.examples]}


@dataclass(frozen=True, slots=True)
class SideKeys:
    """What one side's keys looked like.

    Fields:
        rows: rows read. unmatched: rows whose (unique) key the other side lacks, with `unmatched_examples`.
        duplicate_keys: keys occurring more than once, `duplicate_rows` the rows carrying them (left out of
        the join), with `duplicate_examples`. null_key_rows: rows with a null key column (left out).
    """

    rows: int
    unmatched: int
    duplicate_keys: int
    duplicate_rows: int
    null_key_rows: int
    unmatched_examples: tuple[Key, ...] = ()
    duplicate_examples: tuple[Key, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "unmatched": self.unmatched, "duplicate_keys": self.duplicate_keys,
                "duplicate_rows": self.duplicate_rows, "null_key_rows": self.null_key_rows,
                "unmatched_examples": [list(k) for k in self.unmatched_examples],
                "duplicate_examples": [list(k) for k in self.duplicate_examples]}


@dataclass(frozen=True, slots=True)
class SkewReport:
    """Row-level skew between a base and a test dataset joined on `keys`.

    Fields:
        keys: the key columns. base, test: each side's keys (rows, unmatched, duplicates, null keys).
        matched: keys present exactly once on both sides. features: one entry per column on both sides.
        only_in_base, only_in_test: columns of one side only (not compared).
        abs_tol, rel_tol: the numeric tolerance.
    """

    keys: tuple[str, ...]
    base: SideKeys
    test: SideKeys
    matched: int
    features: tuple[FeatureSkew, ...]
    only_in_base: tuple[str, ...] = ()
    only_in_test: tuple[str, ...] = ()
    abs_tol: float = 0.0
    rel_tol: float = 0.0

    @property
    def skewed_features(self) -> list[str]:
        return [f.name for f in self.features if f.skewed]

    @property
    def has_duplicates(self) -> bool:
        return bool(self.base.duplicate_keys or self.test.duplicate_keys)

    def exit_code(self) -> int:
        """1 when a feature's mismatch rate is above its threshold or a side has duplicate keys, else 0."""
        return 1 if self.skewed_features or self.has_duplicates else 0

    def feature(self, name: str) -> FeatureSkew | None:
        return next((f for f in self.features if f.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"format": SKEW_FORMAT, "version": SKEW_VERSION, "keys": list(self.keys),
                "abs_tol": self.abs_tol, "rel_tol": self.rel_tol, "matched": self.matched,
                "base": self.base.to_dict(), "test": self.test.to_dict(),
                "skewed": self.skewed_features, "features": [f.to_dict() for f in self.features],
                "only_in_base": list(self.only_in_base), "only_in_test": list(self.only_in_test)}


# --------------------------------------------------------------------------------------------------- API


def skew(base: pl.LazyFrame, test: pl.LazyFrame, keys: Sequence[str], *, abs_tol: float = 0.0,
         rel_tol: float = 0.0, max_mismatch_rate: float = 0.0, thresholds: Mapping[str, float] | None = None,
         buckets: int | None = None, input_bytes: Sequence[int] = ()) -> SkewReport:
    """Join `base` and `test` on `keys` and compare every feature both have, row by row.

    Args:
        base, test: the two sides (any LazyFrame; files come from `datacheck.sources`).
        keys: the key columns; a key must identify one row per side (duplicates are reported, not joined).
        abs_tol, rel_tol: numbers agree when |test - base| <= abs_tol + rel_tol * |base|.
        max_mismatch_rate: the largest share of differing rows allowed in a feature.
        thresholds: per-feature rates (feature name -> rate) that take the place of `max_mismatch_rate`.
        buckets: hash buckets for the partitioned join; None: one per 64 MB of `input_bytes` (1 without).
        input_bytes: the sizes of the input files, to choose the bucket count.

    Raises:
        UsageError: no keys, a key missing on a side, or a negative tolerance.

    Example:
        >>> a = pl.LazyFrame({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0]})
        >>> b = pl.LazyFrame({"id": [1, 2, 4], "x": [1.0, 2.5, 4.0]})
        >>> skew(a, b, ["id"]).feature("x").differing
        1
    """
    keys = tuple(keys)
    base_schema, test_schema = base.collect_schema(), test.collect_schema()
    _check(keys, base_schema, test_schema, abs_tol, rel_tol)
    base, test = _common_key_types(base, test, keys, base_schema, test_schema)
    features = [c for c in base_schema.names() if c in test_schema and c not in keys]
    rates = dict(thresholds or {})
    plans = [_Plan(i, name, _kind(base_schema[name], test_schema[name]), rates.get(name, max_mismatch_rate))
             for i, name in enumerate(features)]
    base = base.select(*keys, *(pl.col(p.name).alias(f"b{p.index}") for p in plans))
    test = test.select(*keys, *(pl.col(p.name).alias(f"t{p.index}") for p in plans))
    state = _State(keys, plans)
    count = buckets if buckets is not None else bucket_count(input_bytes)
    with partitioned(base, test, keys, count) as parts:
        for index in range(parts.count):
            state.add_bucket(parts.frame("base", index), parts.frame("test", index), abs_tol, rel_tol)
    return SkewReport(keys, state.side("base"), state.side("test"), state.matched,
                      tuple(state.feature(p) for p in plans),
                      tuple(c for c in base_schema.names() if c not in test_schema and c not in keys),
                      tuple(c for c in test_schema.names() if c not in base_schema and c not in keys),
                      abs_tol, rel_tol)


def skew_files(base: str | os.PathLike[str], test: str | os.PathLike[str], keys: Sequence[str], *,
               read: Any = None, **options: Any) -> SkewReport:
    """`skew` of two DATA arguments (files, directories or globs), read as `datacheck stats` reads them.

    Raises:
        InputError: a side cannot be read. UsageError: a side is a statistics file (skew needs rows), or as
            `skew`.
    """
    from datacheck.sources import Dataset, resolve

    frames = []
    sizes: list[int] = []
    for side in (base, test):
        resolved = resolve([str(side)], read)
        if not isinstance(resolved, Dataset):
            raise UsageError(f"{side} is a statistics file; skew compares rows, so it needs the data itself")
        parts = [frame for _, frame in resolved.frames()]
        frames.append(parts[0] if len(parts) == 1 else pl.concat(parts, how="diagonal_relaxed"))
        sizes.extend(os.path.getsize(f.path) for f in resolved.files)
    options.setdefault("input_bytes", sizes)
    try:
        return skew(frames[0], frames[1], keys, **options)
    except (pl.exceptions.PolarsError, OSError) as exc:
        # A file that breaks while streamed (a malformed CSV row, a truncated Parquet file, a full disk).
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read {base} or {test}: {first}",
                         hint="`datacheck stats` on each side names the file, line and column") from None


# ----------------------------------------------------------------------------------------------- helpers


def _check(keys: tuple[str, ...], base: pl.Schema, test: pl.Schema, abs_tol: float, rel_tol: float) -> None:
    if not keys:
        raise UsageError("skew needs at least one key column", hint="pass --key COLUMN (repeat it for a composite key)")
    for side, schema in (("base", base), ("test", test)):
        missing = [k for k in keys if k not in schema]
        if missing:
            raise UsageError(f"the {side} side has no key column {', '.join(map(repr, missing))}",
                             hint=f"its columns: {', '.join(schema.names()[:20])}")
    if abs_tol < 0 or rel_tol < 0 or math.isnan(abs_tol) or math.isnan(rel_tol):
        raise UsageError("--abs-tol and --rel-tol must be 0 or more")


def _common_key_types(base: pl.LazyFrame, test: pl.LazyFrame, keys: tuple[str, ...], base_schema: pl.Schema,
                      test_schema: pl.Schema) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Keys of different types on the two sides (Int64 and String) are compared as text, so that both hash
    and join alike."""
    differing = [k for k in keys if base_schema[k] != test_schema[k]]
    if not differing:
        return base, test
    cast = [pl.col(k).cast(pl.String) for k in differing]
    return base.with_columns(cast), test.with_columns(cast)


def _kind(base: pl.DataType, test: pl.DataType) -> str:
    numeric = all(d.is_numeric() and d != pl.Boolean for d in (base, test))
    return "numeric" if numeric else "exact"


@dataclass(frozen=True)
class _Plan:
    index: int
    name: str
    kind: str
    threshold: float


def _differ(plan: _Plan, abs_tol: float, rel_tol: float) -> pl.Expr:
    """True where the feature differs between the sides (null-safe; NaN equals NaN)."""
    b, t = pl.col(f"b{plan.index}"), pl.col(f"t{plan.index}")
    if plan.kind == "exact":
        return ~b.cast(pl.String).eq_missing(t.cast(pl.String))
    b, t = b.cast(pl.Float64), t.cast(pl.Float64)
    both_null = b.is_null() & t.is_null()
    same = ((b == t) | (b.is_nan() & t.is_nan()) | ((t - b).abs() <= abs_tol + rel_tol * b.abs())).fill_null(False)
    return ~(both_null | same)


class _State:
    """Everything the buckets add up to: counts exactly, examples as the smallest keys, pairs and differences
    in bounded summaries."""

    def __init__(self, keys: tuple[str, ...], plans: list[_Plan]) -> None:
        self.keys = keys
        self.plans = plans
        self.matched = 0
        self.sides = {side: Counter[str]() for side in ("base", "test")}
        self.side_examples: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        self.differing = Counter[int]()
        self.nulls = {side: Counter[int]() for side in ("base", "test")}
        self.examples: dict[int, list[tuple[Any, ...]]] = {p.index: [] for p in plans}
        self.pairs: dict[int, Counter[tuple[str | None, str | None]]] = {p.index: Counter() for p in plans}
        self.diffs: dict[int, QuantileSketch] = {}
        self.diff_sums: dict[int, float] = {}

    def _keys_of(self, frame: pl.DataFrame) -> list[tuple[Any, ...]]:
        keys = list(self.keys)
        return frame.select(keys).sort(keys, nulls_last=True).head(EXAMPLES).rows()

    def _remember(self, store: list[tuple[Any, ...]], found: list[tuple[Any, ...]]) -> None:
        store.extend(found)
        store.sort(key=_key_order)
        del store[EXAMPLES:]

    def _clean(self, side: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The side's rows with a unique, non-null key, and every non-null key it has (duplicates included);
        the rows left out are counted."""
        keys = list(self.keys)
        self.sides[side]["rows"] += frame.height
        null_key = pl.any_horizontal(pl.col(k).is_null() for k in keys)
        self.sides[side]["null_key_rows"] += int(frame.select(null_key.sum()).item())
        frame = frame.filter(~null_key)
        counts = frame.group_by(keys).len()
        present = counts.select(keys)
        duplicated = counts.filter(pl.col("len") > 1)
        if duplicated.height:
            self.sides[side]["duplicate_keys"] += duplicated.height
            self.sides[side]["duplicate_rows"] += int(duplicated["len"].sum())
            self._remember(self.side_examples.setdefault((side, "duplicate"), []), self._keys_of(duplicated))
            frame = frame.join(duplicated.select(keys), on=keys, how="anti")
        return frame, present

    def add_bucket(self, base: pl.DataFrame, test: pl.DataFrame, abs_tol: float, rel_tol: float) -> None:
        keys = list(self.keys)
        (base, base_keys), (test, test_keys) = self._clean("base", base), self._clean("test", test)
        # A key the other side has, even duplicated there, is not "only on this side": it is left uncompared.
        for side, mine, other_keys in (("base", base, test_keys), ("test", test, base_keys)):
            alone = mine.join(other_keys, on=keys, how="anti")
            self.sides[side]["unmatched"] += alone.height
            if alone.height:
                self._remember(self.side_examples.setdefault((side, "unmatched"), []), self._keys_of(alone))
        joined = base.join(test, on=keys, how="inner")
        self.matched += joined.height
        if not joined.height or not self.plans:
            return
        flags = joined.select(_differ(p, abs_tol, rel_tol).alias(f"d{p.index}") for p in self.plans)
        totals = flags.sum().row(0)
        for plan, total in zip(self.plans, totals):
            if total:
                self._differing_rows(plan, joined.filter(flags[f"d{plan.index}"]))

    def _differing_rows(self, plan: _Plan, rows: pl.DataFrame) -> None:
        i = plan.index
        b, t = pl.col(f"b{i}"), pl.col(f"t{i}")
        self.differing[i] += rows.height
        self.nulls["base"][i] += int(rows.select((b.is_null() & t.is_not_null()).sum()).item())
        self.nulls["test"][i] += int(rows.select((t.is_null() & b.is_not_null()).sum()).item())
        self._remember(self.examples[i], self._keys_of(rows))
        if plan.kind == "exact":
            pairs = rows.group_by(b.cast(pl.String).alias("b"), t.cast(pl.String).alias("t")).len()
            counter = self.pairs[i]
            for base_value, test_value, count in pairs.iter_rows():
                counter[(base_value, test_value)] += count
            if len(counter) > PAIR_CAPACITY:
                kept = sorted(counter.items(), key=lambda item: (-item[1], _pair_order(item[0])))[:PAIR_CAPACITY // 2]
                self.pairs[i] = Counter(dict(kept))
            return
        diff = rows.select((t.cast(pl.Float64) - b.cast(pl.Float64)).alias("d"))["d"]
        values = diff.filter(diff.is_finite()).to_numpy()
        if values.size:
            sketch = QuantileSketch.from_values(values)
            if i in self.diffs:
                self.diffs[i].merge(sketch)
            else:
                self.diffs[i] = sketch
            self.diff_sums[i] = self.diff_sums.get(i, 0.0) + float(np.sum(values))

    def side(self, name: str) -> SideKeys:
        counts = self.sides[name]
        return SideKeys(counts["rows"], counts["unmatched"], counts["duplicate_keys"], counts["duplicate_rows"],
                        counts["null_key_rows"],
                        tuple(map(_key_text, self.side_examples.get((name, "unmatched"), ()))),
                        tuple(map(_key_text, self.side_examples.get((name, "duplicate"), ()))))

    def feature(self, plan: _Plan) -> FeatureSkew:
        i = plan.index
        pairs = sorted(self.pairs[i].items(), key=lambda item: (-item[1], _pair_order(item[0])))[:TOP_PAIRS]
        differences = None
        sketch = self.diffs.get(i)
        if plan.kind == "numeric" and sketch is not None and not sketch.is_empty():
            n = sketch.get_n()
            values = sketch.get_quantiles(DIFF_QUANTILES)
            values[0], values[-1] = sketch.get_min_value(), sketch.get_max_value()
            differences = Differences(n, self.diff_sums.get(i, 0.0) / n, tuple(zip(DIFF_QUANTILES, map(float, values))))
        return FeatureSkew(plan.name, plan.kind, self.matched, self.differing[i], plan.threshold,
                           self.nulls["base"][i], self.nulls["test"][i],
                           tuple(ValuePair(b, t, c) for (b, t), c in pairs), differences,
                           tuple(map(_key_text, self.examples[i])))


def _pair_order(pair: tuple[str | None, str | None]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for value in pair)


__all__ = ["SkewReport", "FeatureSkew", "SideKeys", "ValuePair", "Differences", "skew", "skew_files",
           "SKEW_FORMAT", "SKEW_VERSION"]
