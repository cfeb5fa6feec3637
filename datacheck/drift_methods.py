"""The drift methods: a registry with one entry per method, and how each one measures two columns' statistics.

An entry (`DriftMethod`) holds everything the rest of datacheck knows about a method: its canonical short name
(what reports and inferred schemas write) and the aliases accepted wherever a method is named, whether it is a
statistical test (drift when its p-value falls below the threshold) or a distance (drift when its value exceeds
the threshold), its default threshold, and its measure functions, one per kind of input it reads:

- ``frequencies``: two frequency tables (strings, categoricals, booleans, low-cardinality integers);
- ``sketches``: two quantile sketches (numeric and temporal columns);
- ``histograms``: two stored histograms (numeric columns).

Which measure functions an entry has decides the column kinds it applies to (`DriftMethod.kinds`) and the
reason it gives when it does not fit a column (`DriftMethod.fits`). The formulas themselves are in
`datacheck.drift_metrics`; the functions here read the statistics, call a formula and say what to keep in mind
about the value. `datacheck.drift` chooses a method per column and turns a `Measurement` into a `ColumnDrift`.

To add a method: write its measure function(s) here (from tables, sketches or histograms to a `Measurement`),
add one `DriftMethod` to `_ENTRIES`, add its name to the `method` enum of schemas/drift.schema.json, and test
its value against an independent reference (scipy, numpy, a hand-derived case).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from datacheck import drift_metrics as dm
from datacheck import sketches
from datacheck.errors import UsageError
from datacheck.statistics import ColumnStats

#: Column kinds whose values a method reads as numbers (a quantile sketch or a histogram): the "numeric" family.
NUMERIC_KINDS = frozenset({"numeric", "temporal"})
#: Column kinds whose values a method reads as a frequency table: the "categorical" family. Integer columns
#: with a frequency table also fit these methods.
CATEGORICAL_KINDS = frozenset({"string", "categorical", "boolean"})

#: Pearson's chi-squared wants expected counts of at least this; rarer values are pooled.
CHI2_MIN_EXPECTED = 5.0
#: Bins of the before/after sparkline of a numeric column, and values shown for a categorical one.
SHAPE_BINS = 16
SHAPE_VALUES = 8
#: New values listed per column at most.
NEW_VALUES_LIMIT = 20
OTHER_VALUES = "(other values)"
RARE_VALUES = "(rare values)"


def family(col: ColumnStats) -> str | None:
    """Which methods a column's kind calls for: "numeric" (numeric, temporal), "categorical", or None."""
    if col.kind in NUMERIC_KINDS:
        return "numeric"
    if col.kind in CATEGORICAL_KINDS:
        return "categorical"
    return None


# ------------------------------------------------------------------------------------------------ entries


@dataclass(frozen=True, slots=True)
class Measurement:
    """What measuring one column found, before `datacheck.drift` applies the threshold.

    A measure function fills in `value`, `pvalue` and its own `notes` (and `largest_change` when it ranks
    values its own way); `measure` adds the counts, shapes, new values and the notes about the inputs.

    Fields:
        value: the statistic or distance (see `datacheck.drift.ColumnDrift.value`); None when not measured.
        pvalue: for tests, the p-value; else None.
        drifted: the verdict when it does not follow from value and threshold (a constant baseline that moved
            is drifted with no finite value; a side with no values is not drifted); None to apply the threshold.
        notes: what to keep in mind about the value, in the order they are shown.
        largest_change: for frequency tables, the value whose share moved most.
        largest_change_baseline, largest_change_current: that value's share of each side.
        new_values: values of the current side that the (exact) baseline table does not hold.
        baseline_count, current_count: the values compared per side.
        baseline_shape, current_shape, shape_labels: the before/after sparkline (see ColumnDrift).
    """

    value: float | None
    pvalue: float | None = None
    drifted: bool | None = None
    notes: tuple[str, ...] = ()
    largest_change: str | None = None
    largest_change_baseline: float | None = None
    largest_change_current: float | None = None
    new_values: tuple[str, ...] = ()
    baseline_count: int = 0
    current_count: int = 0
    baseline_shape: tuple[float, ...] = ()
    current_shape: tuple[float, ...] = ()
    shape_labels: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """The notes as one line, or None."""
        return "; ".join(self.notes) or None


@dataclass(frozen=True, slots=True)
class SketchPair:
    """Two numeric sides as the sketch-reading methods see them.

    Fields:
        baseline, current: the two columns' statistics.
        sketch_b, sketch_c: their quantile sketches over the finite values (both present).
        count_b, count_c: the finite values each sketch holds (both > 0).
    """

    baseline: ColumnStats
    current: ColumnStats
    sketch_b: Any
    sketch_c: Any
    count_b: int
    count_c: int


#: Measures two frequency tables (value -> count; truncated mass as OTHER_VALUES) with their non-null counts.
TableMeasure = Callable[[Mapping[str, float], Mapping[str, float], int, int], Measurement]
#: Measures two numeric columns through their quantile sketches.
SketchMeasure = Callable[[SketchPair], Measurement]
#: Measures two numeric columns through their stored histograms.
HistogramMeasure = Callable[[dm.HistogramCounts, dm.HistogramCounts], Measurement]


@dataclass(frozen=True, slots=True)
class DriftMethod:
    """One drift method: its names, how it judges, its default threshold and how it measures.

    Fields:
        name: the canonical short name, written in reports and inferred schemas.
        title: what it is called in prose.
        aliases: other spellings accepted wherever a method is named (the schema file's long names, TFDV's).
        is_test: True for a statistical test (drift when the p-value < threshold), False for a distance
            (drift when the value > threshold).
        threshold: the default threshold (docs/drift.md gives the measurements behind each).
        frequencies: measures two frequency tables, or None when the method does not compare categories.
        sketches: measures two numeric columns through their quantile sketches, or None.
        histograms: measures two numeric columns through their histograms, or None. A method reads numbers
            through sketches or histograms, not both.
    """

    name: str
    title: str
    is_test: bool
    threshold: float
    aliases: tuple[str, ...] = ()
    frequencies: TableMeasure | None = None
    sketches: SketchMeasure | None = None
    histograms: HistogramMeasure | None = None
    families: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if self.sketches is not None and self.histograms is not None:
            raise ValueError(f"drift method {self.name}: read numbers through sketches or histograms, not both")
        families = set()
        if self.sketches is not None or self.histograms is not None:
            families.add("numeric")
        if self.frequencies is not None:
            families.add("categorical")
        if not families:
            raise ValueError(f"drift method {self.name} has no measure function")
        object.__setattr__(self, "families", frozenset(families))

    @property
    def reads_numbers(self) -> bool:
        """Whether the method measures numeric columns as numbers (else only through frequency tables)."""
        return "numeric" in self.families

    @property
    def kinds(self) -> frozenset[str]:
        """The column kinds the method applies to (plus integer columns with a frequency table, if categorical)."""
        kinds: frozenset[str] = frozenset()
        if "numeric" in self.families:
            kinds |= NUMERIC_KINDS
        if "categorical" in self.families:
            kinds |= CATEGORICAL_KINDS
        return kinds

    @property
    def applies_to(self) -> str:
        """The columns the method fits, in words (for error messages)."""
        if self.families == {"numeric"}:
            return "numeric and temporal columns only"
        if self.families == {"categorical"}:
            return "columns with a frequency table only: strings, categoricals, booleans, low-cardinality integers"
        return "numeric columns, and columns with a frequency table"

    def fits(self, col: ColumnStats) -> str | None:
        """None when the method can be computed on `col`, else the reason it cannot."""
        kind_family = family(col)
        if kind_family == "numeric" and self.reads_numbers:
            if col.numeric is not None:
                return None
            return "it has no histogram" if self.histograms is not None else "it has no numeric statistics"
        if self.frequencies is not None and (
                kind_family == "categorical" or (col.kind == "numeric" and col.frequencies is not None)):
            if col.frequencies is None:
                return "it has no frequency table (too many distinct values: free text or an identifier)"
            return None
        need = " or ".join(sorted(self.families))
        return f"{self.name} compares {need} distributions, and {col.name!r} is a {col.kind} column"

    def drifted(self, value: float | None, pvalue: float | None, threshold: float) -> bool:
        """The verdict: a test drifts when its p-value is below the threshold, a distance when its value is above."""
        if self.is_test:
            return pvalue is not None and pvalue < threshold
        return value is not None and value > threshold


# ------------------------------------------------------------------------------- measure functions: tables


def _linf(ta: Mapping[str, float], tb: Mapping[str, float], na: int, nb: int) -> Measurement:
    return Measurement(dm.linf_distance(ta, tb).value)


def _normalized_abs_diff(ta: Mapping[str, float], tb: Mapping[str, float], na: int, nb: int) -> Measurement:
    # It ranks values by raw count change, not by share: report its own largest change.
    result = dm.normalized_absolute_difference(ta, tb)
    return Measurement(result.value, largest_change=result.largest_change)


def _jsd_tables(ta: Mapping[str, float], tb: Mapping[str, float], na: int, nb: int) -> Measurement:
    return Measurement(dm.jensen_shannon_categorical(ta, tb))


def _psi_tables(ta: Mapping[str, float], tb: Mapping[str, float], na: int, nb: int) -> Measurement:
    keys = sorted(set(ta) | set(tb))
    return Measurement(dm.psi([ta.get(k, 0.0) / na for k in keys], [tb.get(k, 0.0) / nb for k in keys]))


def _chi2(ta: Mapping[str, float], tb: Mapping[str, float], na: int, nb: int) -> Measurement:
    pa, pb, pooled = _pooled(ta, tb)
    value, pvalue = dm.chi_squared(pa, pb)
    notes: tuple[str, ...] = ()
    if pooled:
        notes = (f"{pooled} values with expected counts below {CHI2_MIN_EXPECTED:g} pooled as {RARE_VALUES!r}",)
    return Measurement(value, pvalue, notes=notes)


def _pooled(a: Mapping[str, float], b: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float], int]:
    """Pool values whose smaller expected count is below CHI2_MIN_EXPECTED into one RARE_VALUES bucket."""
    total_a, total_b = sum(a.values()), sum(b.values())
    total = total_a + total_b
    small = min(total_a, total_b)
    pa: dict[str, float] = {}
    pb: dict[str, float] = {}
    pooled = 0
    for key in sorted(set(a) | set(b)):
        ca, cb = a.get(key, 0.0), b.get(key, 0.0)
        if total and (ca + cb) * small / total < CHI2_MIN_EXPECTED:
            key, pooled = RARE_VALUES, pooled + 1
        pa[key] = pa.get(key, 0.0) + ca
        pb[key] = pb.get(key, 0.0) + cb
    return pa, pb, pooled


# ------------------------------------------------------------------------- measure functions: numbers


def _ks(pair: SketchPair) -> Measurement:
    grid, cdf_a, cdf_b = _cdfs_on_union(pair.sketch_b, pair.sketch_c)
    value, pvalue = dm.ks_from_cdfs(cdf_a, cdf_b, pair.count_b, pair.count_c)
    return Measurement(value, pvalue)


def _wasserstein(pair: SketchPair) -> Measurement:
    grid, cdf_a, cdf_b = _cdfs_on_union(pair.sketch_b, pair.sketch_c)
    distance = dm.wasserstein_from_cdfs(grid, cdf_a, cdf_b)
    std = pair.baseline.numeric.std if pair.baseline.numeric is not None else None
    value = dm.normalized_wasserstein(distance, float(std or 0.0))
    if math.isfinite(value):
        return Measurement(value)
    # JSON holds no infinity: the value is null, the verdict drifted, and the note says why.
    return Measurement(None, drifted=True, notes=(
        f"the baseline is constant (std 0) and the current values moved by {distance:.6g} on average: "
        "infinitely many standard deviations",))


def _psi_sketches(pair: SketchPair) -> Measurement:
    # Bins are the baseline's deciles; the running maximum keeps the CDFs monotone against rounding.
    ka, kb = pair.sketch_b, pair.sketch_c
    edges = np.unique(np.asarray(ka.get_quantiles([i / 10 for i in range(1, 10)]), dtype=float))
    cdf_a = np.clip(np.asarray(ka.get_cdf(edges.tolist(), True), dtype=float)[:-1], 0, 1)
    cdf_b = np.clip(np.asarray(kb.get_cdf(edges.tolist(), True), dtype=float)[:-1], 0, 1)
    return Measurement(dm.psi_from_cdfs(np.maximum.accumulate(cdf_a), np.maximum.accumulate(cdf_b)))


def _jsd_histograms(ha: dm.HistogramCounts, hb: dm.HistogramCounts) -> Measurement:
    return Measurement(dm.jensen_shannon_histograms(ha, hb), notes=(
        "from the stored 20-bucket histograms, re-bucketed onto the union of their edges (TFDV)",))


def _sketch_items(sketch: Any) -> np.ndarray:
    """The values a quantile sketch retains (datacheck's QuantileSketch or a DataSketches KLL sketch)."""
    values = getattr(sketch, "values", None)
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.fromiter((x for x, _ in sketch), dtype=float)


def _cdfs_on_union(ka: Any, kb: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both sketch CDFs on the union of the items the two sketches retain.

    Each sketch's CDF is a step function that only changes at its retained items, so on this grid the KS
    distance and the Wasserstein integral between the two sketched distributions are exact; what remains is
    the sketches' own rank error (docs/drift.md).
    """
    grid = np.unique(np.concatenate([_sketch_items(ka), _sketch_items(kb)]))
    cdf_a = np.clip(np.asarray(ka.get_cdf(grid.tolist(), True), dtype=float)[:-1], 0.0, 1.0)
    cdf_b = np.clip(np.asarray(kb.get_cdf(grid.tolist(), True), dtype=float)[:-1], 0.0, 1.0)
    return grid, cdf_a, cdf_b


# ------------------------------------------------------------------------------------------------ registry


_ENTRIES = (
    DriftMethod("linf", "L-infinity distance (TFDV)", is_test=False, threshold=0.05,
                aliases=("l_infinity", "l_inf", "infinity_norm"), frequencies=_linf),
    DriftMethod("jsd", "Jensen-Shannon divergence (TFDV)", is_test=False, threshold=0.1,
                aliases=("jensen_shannon", "jensen_shannon_divergence", "js"),
                frequencies=_jsd_tables, histograms=_jsd_histograms),
    DriftMethod("normalized_abs_diff", "normalized absolute difference (TFDV)", is_test=False, threshold=0.025,
                aliases=("normalized_abs_difference", "normalized_absolute_difference", "nad"),
                frequencies=_normalized_abs_diff),
    DriftMethod("psi", "population stability index", is_test=False, threshold=0.2,
                aliases=("population_stability_index",), frequencies=_psi_tables, sketches=_psi_sketches),
    DriftMethod("ks", "Kolmogorov-Smirnov test", is_test=True, threshold=0.01,
                aliases=("kolmogorov_smirnov", "ks_2samp"), sketches=_ks),
    DriftMethod("wasserstein", "Wasserstein distance in baseline standard deviations", is_test=False,
                threshold=0.1, aliases=("wasserstein_distance", "emd"), sketches=_wasserstein),
    DriftMethod("chi2", "Pearson's chi-squared test of homogeneity", is_test=True, threshold=0.01,
                aliases=("chi_squared", "chisquare", "chi_square"), frequencies=_chi2),
)

#: The registry: canonical name -> entry, in the order error messages and docs list them.
METHODS: dict[str, DriftMethod] = {entry.name: entry for entry in _ENTRIES}
#: Other spellings accepted everywhere a method is named -> canonical name.
METHOD_ALIASES: dict[str, str] = {alias: entry.name for entry in _ENTRIES for alias in entry.aliases}


def canonical_method(name: str) -> str:
    """The canonical name of a drift method, accepting the aliases in METHOD_ALIASES.

    Raises:
        UsageError: the name is not a known method.

    Example:
        >>> canonical_method("jensen_shannon")
        'jsd'
    """
    key = str(name).strip().lower().replace("-", "_")
    key = METHOD_ALIASES.get(key, key)
    if key not in METHODS:
        raise UsageError(f"unknown drift method {name!r}; choose one of {', '.join(METHODS)}",
                         hint="see docs/drift.md for what each method measures")
    return key


def default_threshold(method: str) -> float:
    """The threshold a method uses when none is given (see METHODS and docs/drift.md)."""
    return METHODS[canonical_method(method)].threshold


# ------------------------------------------------------------------------------------------------ measuring


def measure(method: str, b: ColumnStats, c: ColumnStats) -> Measurement:
    """Measure how column `c` moved from `b` with the canonical `method` (which fits both sides)."""
    entry = METHODS[method]
    # A side with no values says nothing about the column's type: the side with values decides the route.
    typed = b if not c.count and b.count else c
    if not b.count or not c.count:
        return _no_values(b, c, numeric_count(b) if family(typed) == "numeric" else b.count,
                          numeric_count(c) if family(typed) == "numeric" else c.count)
    if family(typed) == "numeric" and entry.reads_numbers:
        if entry.histograms is not None:
            return _measure_histograms(entry.histograms, b, c)
        assert entry.sketches is not None
        return _measure_sketches(entry, entry.sketches, b, c)
    assert entry.frequencies is not None
    return _measure_tables(entry.frequencies, b, c)


def _no_values(b: ColumnStats, c: ColumnStats, na: int, nb: int) -> Measurement:
    side = "baseline" if not b.count else "current data"
    return Measurement(None, drifted=False, baseline_count=na, current_count=nb, notes=(
        f"distribution not compared: the {side} has no non-null values (see the missingness signal)",))


def numeric_count(col: ColumnStats) -> int:
    """Finite values (what the quantile sketch holds)."""
    return col.sketch.finite_count if col.sketch.finite_count or col.numeric is None else max(
        col.count - col.numeric.nan_count - col.numeric.inf_count, 0)


def _measure_tables(measure_fn: TableMeasure, b: ColumnStats, c: ColumnStats) -> Measurement:
    assert b.frequencies is not None and c.frequencies is not None
    ta, tb = _table(b), _table(c)
    na, nb = b.count, c.count
    notes = []
    if b.frequencies.error or c.frequencies.error:
        bound = max(b.frequencies.error / max(na, 1), c.frequencies.error / max(nb, 1))
        notes.append(f"frequency tables are truncated (Misra-Gries): each share is within {bound:.2g} "
                     f"of the truth; untracked values are pooled as {OTHER_VALUES!r}")
    new = _new_values(b, c)
    if na == 0 or nb == 0:
        side = "baseline" if na == 0 else "current data"
        return Measurement(None, drifted=False, new_values=new, baseline_count=na, current_count=nb,
                           notes=(f"not compared: the {side} has no non-null values (a change in the share of "
                                  "nulls is the missingness signal)",))
    measured = measure_fn(ta, tb, na, nb)
    # The value whose share moved most is L-infinity's, unless the method ranks values its own way.
    key = measured.largest_change if measured.largest_change is not None else dm.linf_distance(ta, tb).largest_change
    labels = _categorical_shape(ta, tb)
    return replace(measured, notes=tuple(notes) + measured.notes, largest_change=key,
                   largest_change_baseline=ta.get(key, 0.0) / na if key is not None else None,
                   largest_change_current=tb.get(key, 0.0) / nb if key is not None else None,
                   new_values=new, baseline_count=na, current_count=nb,
                   baseline_shape=labels[0], current_shape=labels[1], shape_labels=labels[2])


def _measure_sketches(entry: DriftMethod, measure_fn: SketchMeasure, b: ColumnStats, c: ColumnStats) -> Measurement:
    na, nb = numeric_count(b), numeric_count(c)
    left_out = [(side, col.numeric.nan_count, col.numeric.inf_count) for side, col in (("baseline", b), ("current", c))
                if col.numeric is not None and (col.numeric.nan_count or col.numeric.inf_count)]
    notes = []
    if left_out:
        notes.append(f"NaN and infinite values are left out of {entry.name} ("
                     + ", ".join(f"{side}: {nan} NaN, {inf} inf" for side, nan, inf in left_out) + ")")
    ka, kb = _sketch(b), _sketch(c)
    if ka is None or kb is None or na == 0 or nb == 0:
        side = "baseline" if (ka is None or na == 0) else "current data"
        reason = (f"not compared: the {side} has no finite values (a change in the share of nulls is "
                  "the missingness signal)")
        return Measurement(None, drifted=False, notes=(reason, *notes), baseline_count=na, current_count=nb)
    shape_b, shape_c = _numeric_shape(ka, kb)
    measured = measure_fn(SketchPair(b, c, ka, kb, na, nb))
    # The method's own note (a constant baseline) explains its value, so it comes before the left-out counts.
    return replace(measured, notes=measured.notes + tuple(notes), baseline_count=na, current_count=nb,
                   baseline_shape=shape_b, current_shape=shape_c)


def _measure_histograms(measure_fn: HistogramMeasure, b: ColumnStats, c: ColumnStats) -> Measurement:
    na, nb = numeric_count(b), numeric_count(c)
    ha, hb = _histogram_counts(b), _histogram_counts(c)
    if ha.total == 0 or hb.total == 0:
        side = "baseline" if ha.total == 0 else "current data"
        return Measurement(None, drifted=False, notes=(f"not compared: the {side} has no values",),
                           baseline_count=na, current_count=nb)
    measured = measure_fn(ha, hb)
    ka, kb = _sketch(b), _sketch(c)
    shape_b, shape_c = _numeric_shape(ka, kb) if ka is not None and kb is not None else ((), ())
    return replace(measured, baseline_count=na, current_count=nb, baseline_shape=shape_b, current_shape=shape_c)


def _table(col: ColumnStats) -> dict[str, float]:
    """The frequency table, with the mass a truncated (Misra-Gries) table does not hold as one more entry."""
    assert col.frequencies is not None
    table = {v.value: float(v.count) for v in col.frequencies.values}
    rest = col.frequencies.total - sum(table.values())
    if rest > 0:
        table[OTHER_VALUES] = table.get(OTHER_VALUES, 0.0) + rest
    return table


def _new_values(b: ColumnStats, c: ColumnStats) -> tuple[str, ...]:
    if b.frequencies is None or c.frequencies is None or b.frequencies.error:
        return ()
    seen = b.frequencies.as_mapping()
    return tuple(v.value for v in c.frequencies.values if v.value not in seen)[:NEW_VALUES_LIMIT]


def _categorical_shape(ta: Mapping[str, float],
                       tb: Mapping[str, float]) -> tuple[tuple[float, ...], tuple[float, ...], tuple[str, ...]]:
    """Shares of the baseline's most frequent values, then of the most frequent new ones."""
    total_a, total_b = sum(ta.values()) or 1.0, sum(tb.values()) or 1.0
    ordered = sorted(ta, key=lambda k: (-ta[k], k))[:SHAPE_VALUES]
    ordered += sorted((k for k in tb if k not in ta), key=lambda k: (-tb[k], k))[: max(2, SHAPE_VALUES - len(ordered))]
    return (tuple(ta.get(k, 0.0) / total_a for k in ordered), tuple(tb.get(k, 0.0) / total_b for k in ordered),
            tuple(ordered))


def _histogram_counts(col: ColumnStats) -> dm.HistogramCounts:
    n = col.numeric
    assert n is not None
    pos_inf = n.inf_count - n.neg_inf_count
    if n.histogram is None:
        return dm.HistogramCounts((), (), n.nan_count, pos_inf, n.neg_inf_count)
    return dm.HistogramCounts(n.histogram.edges, n.histogram.counts, n.nan_count, pos_inf, n.neg_inf_count)


def _sketch(col: ColumnStats) -> Any:
    return sketches.QuantileSketch.from_text(col.sketch.quantiles) if col.sketch.quantiles else None


def _numeric_shape(ka: Any, kb: Any) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Shares per equal-width bin over the 1st..99th percentile of both sides (outer values in the end bins)."""
    lo = min(float(ka.get_quantile(0.01)), float(kb.get_quantile(0.01)))
    hi = max(float(ka.get_quantile(0.99)), float(kb.get_quantile(0.99)))
    if not hi > lo:
        lo, hi = min(ka.get_min_value(), kb.get_min_value()), max(ka.get_max_value(), kb.get_max_value())
    if not hi > lo:
        return (1.0,), (1.0,)
    inner = np.linspace(lo, hi, SHAPE_BINS + 1)[1:-1].tolist()
    shares = []
    for sk in (ka, kb):
        cdf = np.concatenate([[0.0], np.clip(np.asarray(sk.get_cdf(inner, True), dtype=float)[:-1], 0, 1), [1.0]])
        shares.append(tuple(float(x) for x in np.clip(np.diff(np.maximum.accumulate(cdf)), 0, 1)))
    return shares[0], shares[1]


__all__ = ["DriftMethod", "Measurement", "SketchPair", "METHODS", "METHOD_ALIASES", "NUMERIC_KINDS",
           "CATEGORICAL_KINDS", "canonical_method", "default_threshold", "family", "measure", "numeric_count"]
