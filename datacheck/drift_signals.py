"""The drift signals besides the distribution metric: missingness, and new or vanished values.

`datacheck.drift` measures every compared column's distribution with one method (datacheck.drift_methods);
this module adds the signals that a distribution over the non-null values cannot see:

- ``missingness``: the change in the share of nulls (rows with no value);
- ``new_values``: the share of current values that the baseline never held;
- ``vanished_values``: the share of baseline values that the current data no longer holds.

Each signal follows the rule the distribution defaults follow (docs/drift.md gives the statistics): below
LARGE_SAMPLE effective rows it is a test at SIGNAL_ALPHA, at or above it a distance whose threshold shrinks with
the sampling noise, ``max(DISTANCE_FLOOR, 0.05 * sqrt(LARGE_SAMPLE / en))``.

- missingness: Fisher's exact test on the 2 x 2 table (nulls, values) x (baseline, current); then
  ``|null share_c - null share_b|``.
- new / vanished values (only from exact frequency tables on both sides): a permutation test (under "same
  distribution" every value's copies fall on either side in proportion to the side sizes, so a value is new
  when all its copies fell on the current side); then the share minus what sampling alone leaves unseen,
  Good-Turing's estimate ``singletons / count`` of the other side.

Pure: statistics in, `Signal` out; numpy and the standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from datacheck.finite import finite_or_none
from datacheck.statistics import ColumnStats

#: Below this effective sample size a signal is a test, at or above it a distance (as the distribution defaults).
LARGE_SAMPLE = 1000
#: Significance level of the signal tests; as the distribution tests, 0.01 so that a 20-column table does not
#: raise a false alarm in one run of five.
SIGNAL_ALPHA = 0.01
#: The smallest distance threshold, reached at en = 25,000: TFDV users' usual L-infinity threshold at large n.
DISTANCE_FLOOR = 0.01
#: The distance threshold at en = LARGE_SAMPLE; from there it falls like 1/sqrt(en), as the sampling noise does.
#: 0.05 at en = 1000 is 3.2 standard errors of a share near 50% (sqrt(0.25 / 1000) = 0.0158), so a random
#: split crosses it with probability about 0.0016 per share.
DISTANCE_AT_LARGE_SAMPLE = 0.05

SIGNALS = ("missingness", "new_values", "vanished_values")
#: What a signal's threshold applies to: the p-value (tests) or the excess of the value over `expected`.
APPLIES_TO = ("pvalue", "excess")


@dataclass(frozen=True, slots=True)
class Signal:
    """One drift signal of one column, with its own verdict.

    Fields:
        name: missingness, new_values or vanished_values.
        method: "fisher" (Fisher's exact test) or "share_diff" for missingness; "permutation" (test) or
            "excess_share" for new and vanished values.
        value: missingness: |current null share - baseline null share|; new_values: the share of current
            values not in the baseline; vanished_values: the share of baseline values not in the current data.
        expected: what random sampling alone gives: 0 for missingness; for new (vanished) values Good-Turing's
            estimate of the unseen mass, the baseline's (current side's) singletons / values.
        threshold: tests: drift when pvalue < threshold; distances: drift when value - expected > threshold.
        drifted: the verdict.
        pvalue: for tests, the p-value; else None.
        baseline_share, current_share: for missingness, the null share of each side; else None.
        count: for new (vanished) values, how many distinct values are new (vanished); else 0.
    """

    name: str
    method: str
    value: float
    expected: float
    threshold: float
    drifted: bool
    pvalue: float | None = None
    baseline_share: float | None = None
    current_share: float | None = None
    count: int = 0

    @property
    def is_test(self) -> bool:
        return self.pvalue is not None or self.method in ("fisher", "permutation")

    def describe(self) -> str:
        """One line for people: "missingness: null share 1.0% → 25.0% (Fisher p<1e-12 < 0.01)"."""
        rule = (f"p={_p(self.pvalue)} {'<' if self.drifted else '≥'} {self.threshold:g}" if self.is_test
                else f"excess {self.value - self.expected:.3g} {'>' if self.drifted else '≤'} {self.threshold:.3g}")
        if self.name == "missingness":
            what = f"null share {_pct(self.baseline_share)} → {_pct(self.current_share)}"
        else:
            side = "current" if self.name == "new_values" else "baseline"
            what = (f"{self.count} value{'s' if self.count != 1 else ''} in {_pct(self.value)} of the {side} rows "
                    f"(expected by chance {_pct(self.expected)})")
        return f"{self.name.replace('_', ' ')}: {what} ({self.method} {rule})"

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.name, "method": self.method, "value": finite_or_none(self.value),
                "expected": finite_or_none(self.expected), "pvalue": finite_or_none(self.pvalue),
                "threshold": finite_or_none(self.threshold),
                "threshold_applies_to": "pvalue" if self.is_test else "excess", "drifted": self.drifted,
                "baseline_share": finite_or_none(self.baseline_share),
                "current_share": finite_or_none(self.current_share), "count": self.count}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Signal:
        return cls(name=str(data["signal"]), method=str(data["method"]), value=float(data["value"] or 0.0),
                   expected=float(data.get("expected") or 0.0), threshold=float(data["threshold"] or 0.0),
                   drifted=bool(data["drifted"]), pvalue=data.get("pvalue"),
                   baseline_share=data.get("baseline_share"), current_share=data.get("current_share"),
                   count=int(data.get("count", 0)))


def _p(p: float | None) -> str:
    return "–" if p is None else ("<1e-12" if p < 1e-12 else f"{p:.3g}")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.3g}%"


# ------------------------------------------------------------------------------------------------ formulas


def effective_size(n_a: float, n_b: float) -> float:
    """``n_a * n_b / (n_a + n_b)``: the sample size whose noise two samples of these sizes have; 0 if one is 0."""
    return n_a * n_b / (n_a + n_b) if n_a > 0 and n_b > 0 else 0.0


def distance_threshold(en: float) -> float:
    """The default threshold of a share distance at effective size en >= LARGE_SAMPLE.

    Formula: ``max(DISTANCE_FLOOR, DISTANCE_AT_LARGE_SAMPLE * sqrt(LARGE_SAMPLE / en))``: the standard error of a
    difference of two shares falls like 1/sqrt(en), so the threshold keeps about 3.2 standard errors of a 50%
    share until it reaches the floor (at en = 25,000), below which a change is too small to matter.

    Example:
        >>> distance_threshold(1000), distance_threshold(4000), distance_threshold(1e6)
        (0.05, 0.025, 0.01)
    """
    if en <= 0:
        return DISTANCE_AT_LARGE_SAMPLE
    return max(DISTANCE_FLOOR, DISTANCE_AT_LARGE_SAMPLE * math.sqrt(LARGE_SAMPLE / en))


def _log_choose(n: np.ndarray | float, k: np.ndarray | float) -> np.ndarray:
    lgamma = np.vectorize(math.lgamma, otypes=[float])
    n_arr, k_arr = np.asarray(n, dtype=float), np.asarray(k, dtype=float)
    return np.asarray(lgamma(n_arr + 1) - lgamma(k_arr + 1) - lgamma(n_arr - k_arr + 1))


def fisher_exact_pvalue(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2 x 2 table [[a, b], [c, d]].

    Formula: with the margins fixed, a follows the hypergeometric law
    ``P(x) = C(a+c, x) C(b+d, a+b-x) / C(n, a+b)``; the p-value sums P(x) over every x no more likely than the
    observed a (with a relative tolerance of 1e-7 for rounding, as scipy.stats.fisher_exact).

    Example:
        >>> round(fisher_exact_pvalue(8, 2, 1, 5), 6)
        0.034965
    """
    for x in (a, b, c, d):
        if x < 0:
            raise ValueError(f"table counts must be non-negative, got {(a, b, c, d)}")
    col1, row1, n = a + c, a + b, a + b + c + d
    if n == 0 or col1 in (0, n) or row1 in (0, n):
        return 1.0
    lo, hi = max(0, row1 - (n - col1)), min(col1, row1)
    xs = np.arange(lo, hi + 1, dtype=float)
    logp = _log_choose(col1, xs) + _log_choose(n - col1, row1 - xs) - float(_log_choose(n, row1))
    observed = logp[a - lo]
    probs = np.exp(logp)
    return float(min(1.0, probs[logp <= observed + math.log1p(1e-7)].sum()))


def unseen_share(seen: Mapping[str, float], other: Mapping[str, float]) -> tuple[float, int]:
    """The share of `other`'s values (by count) that `seen` does not hold, and how many distinct ones.

    Example:
        >>> unseen_share({"a": 5}, {"a": 3, "b": 1})
        (0.25, 1)
    """
    total = sum(other.values())
    new = [count for value, count in other.items() if count > 0 and seen.get(value, 0) <= 0]
    return (sum(new) / total if total else 0.0), len(new)


def good_turing_unseen(table: Mapping[str, float]) -> float:
    """Good-Turing's estimate of the probability that a new draw is a value `table` never held: singletons / count.

    Example:
        >>> good_turing_unseen({"a": 1, "b": 1, "c": 2})
        0.5
    """
    total = sum(table.values())
    return sum(1 for c in table.values() if c == 1) / total if total else 0.0


#: Above this many unseen values the permutation law is approximated by a normal one (the exact convolution
#: costs values x observed count operations; at this size the sum of many Bernoulli terms is near normal).
EXACT_LAW_LIMIT = 20_000


def _all_in_other(t: int, n_other: int, n: int) -> float:
    """P(all t copies of a value fall in the side of n_other of n rows) = C(n_other, t) / C(n, t)."""
    if t > n_other:
        return 0.0
    return math.exp(math.lgamma(n_other + 1) - math.lgamma(n_other - t + 1) - math.lgamma(n + 1)
                    + math.lgamma(n - t + 1))


def _unseen_normal_pvalue(seen: Mapping[str, float], other: Mapping[str, float], observed: int, n_other: int,
                          n: int) -> float:
    mean = var = 0.0
    for value in set(seen) | set(other):
        t = int(seen.get(value, 0) + other.get(value, 0))
        p = _all_in_other(t, n_other, n)
        mean += t * p
        var += t * t * p * (1 - p)
    if var <= 0:
        return 1.0 if observed <= mean else 0.0
    return 0.5 * math.erfc((observed - 0.5 - mean) / math.sqrt(2 * var))


def unseen_permutation_pvalue(seen: Mapping[str, float], other: Mapping[str, float]) -> float:
    """One-sided p-value that `other` holds at least its observed count of values `seen` lacks, by chance.

    Model (the permutation null of "both sides are samples of one distribution"): the two samples are a random
    split of their pooled values, N_o of the N rows going to `other`. A value with t pooled copies is unseen by
    `seen` when all t copies fell in `other`, which happens with probability ``C(N_o, t) / C(N, t)``; it then
    adds t to the unseen count. Values are taken as independent (the split of one value barely constrains the
    others' at these sizes), so the unseen count is a sum of weighted Bernoulli variables, whose exact law is
    convolved value by value up to the observed count. A value seen once in the pooled data falls in `other`
    with probability N_o / N: that is Good-Turing's unseen mass, which the test thus allows for by construction.

    Example:
        >>> round(unseen_permutation_pvalue({"a": 10}, {"a": 10, "b": 1}), 3)  # one singleton: likely by chance
        0.524
    """
    n_other, n_seen = int(sum(other.values())), int(sum(seen.values()))
    n = n_other + n_seen
    observed = int(sum(c for v, c in other.items() if seen.get(v, 0) <= 0))
    if observed == 0 or n_other == 0:
        return 1.0
    if observed > EXACT_LAW_LIMIT:
        return _unseen_normal_pvalue(seen, other, observed, n_other, n)
    cap = observed  # the law is needed up to the observed count; mass beyond it is kept in the last cell
    law = np.zeros(cap + 1)
    law[0] = 1.0
    for value in set(seen) | set(other):
        t = int(seen.get(value, 0) + other.get(value, 0))
        p = _all_in_other(t, n_other, n) if t > 0 else 0.0
        if p < 1e-15:
            continue
        shifted = np.zeros_like(law)
        step = min(t, cap)
        shifted[step:] = law[: cap + 1 - step]
        shifted[cap] += law[cap + 1 - step:].sum() if step > 0 else 0.0
        law = (1 - p) * law + p * shifted
    return float(min(1.0, max(0.0, law[cap])))


# ------------------------------------------------------------------------------------------------ measuring


def missingness(b: ColumnStats, c: ColumnStats) -> Signal | None:
    """The change in the null share between the two sides; None when a side has no rows."""
    rows_b, rows_c = b.count + b.null_count, c.count + c.null_count
    if rows_b == 0 or rows_c == 0:
        return None
    share_b, share_c = b.null_count / rows_b, c.null_count / rows_c
    value = abs(share_c - share_b)
    en = effective_size(rows_b, rows_c)
    if en < LARGE_SAMPLE:
        pvalue = fisher_exact_pvalue(b.null_count, b.count, c.null_count, c.count)
        return Signal("missingness", "fisher", value, 0.0, SIGNAL_ALPHA, pvalue < SIGNAL_ALPHA, pvalue=pvalue,
                      baseline_share=share_b, current_share=share_c)
    threshold = distance_threshold(en)
    return Signal("missingness", "share_diff", value, 0.0, threshold, value > threshold,
                  baseline_share=share_b, current_share=share_c)


def exact_table(col: ColumnStats) -> dict[str, float] | None:
    """The column's frequency table when it is exact and complete (every value with its true count), else None."""
    if col.frequencies is None or col.frequencies.error:
        return None
    return {v.value: float(v.count) for v in col.frequencies.values}


def unseen_values(b: ColumnStats, c: ColumnStats) -> tuple[Signal, Signal] | None:
    """The new_values and vanished_values signals, from exact frequency tables on both sides; None without."""
    tb, tc = exact_table(b), exact_table(c)
    if tb is None or tc is None or not b.count or not c.count:
        return None
    en = effective_size(b.count, c.count)
    out = []
    for name, seen, other in (("new_values", tb, tc), ("vanished_values", tc, tb)):
        share, count = unseen_share(seen, other)
        expected = good_turing_unseen(seen)
        if en < LARGE_SAMPLE:
            pvalue = unseen_permutation_pvalue(seen, other) if count else 1.0
            out.append(Signal(name, "permutation", share, expected, SIGNAL_ALPHA, pvalue < SIGNAL_ALPHA,
                              pvalue=pvalue, count=count))
        else:
            threshold = distance_threshold(en)
            out.append(Signal(name, "excess_share", share, expected, threshold, share - expected > threshold,
                              count=count))
    return out[0], out[1]


def signals(b: ColumnStats, c: ColumnStats) -> tuple[Signal, ...]:
    """Every signal that the two sides' statistics allow, in SIGNALS order."""
    found: list[Signal] = []
    missing = missingness(b, c)
    if missing is not None:
        found.append(missing)
    unseen = unseen_values(b, c)
    if unseen is not None:
        found.extend(unseen)
    return tuple(found)


__all__ = ["Signal", "SIGNALS", "LARGE_SAMPLE", "SIGNAL_ALPHA", "DISTANCE_FLOOR", "DISTANCE_AT_LARGE_SAMPLE",
           "distance_threshold", "effective_size", "fisher_exact_pvalue", "good_turing_unseen", "missingness",
           "signals", "unseen_permutation_pvalue", "unseen_share", "unseen_values"]
