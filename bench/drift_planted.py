"""Drift benchmark with planted changes (issue 14): which planted drifts `datacheck.drift` catches at 1M rows,
and whether any unchanged control column is flagged.

    python bench/drift_planted.py              # 1M rows per side
    python bench/drift_planted.py --rows 200000

Two snapshots of one synthetic table, drawn independently (numpy default_rng, seeds 1 and 2). Nine columns
carry a planted change, ten are drawn from the same distribution on both sides:

| column            | baseline                                   | current                                       |
|-------------------|--------------------------------------------|-----------------------------------------------|
| mean_shift        | normal(50, 10)                             | normal(55, 10): +0.5 std                      |
| scale_change      | gamma(2, 20) amounts                       | the same x 1.3 (a unit or price change)       |
| spread_change     | normal(100, 10)                            | normal(100, 13): std x 1.3, same mean         |
| category_swing    | A/B/C/D at 40/30/20/10%                    | 32/38/20/10%: 8 points move from A to B        |
| new_categories    | 20 values, Zipf shares                     | 3 new values in 5% of rows (~1.7% each)       |
| vanished_category | 8 values, one of them 4% of rows           | that value gone, the others in proportion     |
| null_rate         | normal(0, 1), 1% null                      | 25% null, same values otherwise               |
| label_rate        | 0/1 label, 10% positive                    | 14% positive                                  |
| zero_share        | lognormal(3, 1) spend, 30% zeros           | 45% zeros                                     |

Controls: normal, lognormal, Pareto (heavy tail), Poisson counts, a die (1-6), a boolean, 5 categories,
500 Zipf-distributed categories, a normal with 5% nulls, a zero-inflated amount (40% zeros).

Every planted change is one a data owner wants to hear about, and at 1M rows each is many standard errors
away from sampling noise (the smallest, the label rate, moves 4 points against a standard error of 0.04
points). A measurement, not a test: exits 0 whatever it finds (--strict: 1 on a miss or a false positive).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import datacheck  # noqa: E402

PLANTED = ("mean_shift", "scale_change", "spread_change", "category_swing", "new_categories",
           "vanished_category", "null_rate", "label_rate", "zero_share")
CONTROLS = ("c_normal", "c_lognormal", "c_pareto", "c_poisson", "c_die", "c_bool", "c_category",
            "c_many_categories", "c_nulls", "c_zero_inflated")


def _choice(rng: np.random.Generator, labels: list[str], shares: np.ndarray, n: int) -> pl.Series:
    codes = rng.choice(len(labels), size=n, p=shares / shares.sum())
    return pl.Series(codes, dtype=pl.UInt32).replace_strict(list(range(len(labels))), labels, return_dtype=pl.String)


def _with_nulls(rng: np.random.Generator, values: np.ndarray, share: float) -> pl.Series:
    return pl.Series(values).set(pl.Series(rng.random(values.size) < share), None)


def _zipf(k: int) -> np.ndarray:
    shares = 1.0 / np.arange(1, k + 1)
    return shares / shares.sum()


def table(n: int, seed: int, current: bool) -> pl.DataFrame:
    """One snapshot: the baseline (current=False) or the current side with every planted change."""
    rng = np.random.default_rng(seed)
    cats20 = [f"v{i:02d}" for i in range(20)]
    new_shares = _zipf(20)
    labels20 = cats20
    if current:
        labels20 = cats20 + ["new_a", "new_b", "new_c"]
        new_shares = np.concatenate([0.95 * _zipf(20), np.full(3, 0.05 / 3)])
    cats8 = [f"w{i}" for i in range(8)]
    shares8 = np.array([0.30, 0.20, 0.15, 0.12, 0.10, 0.05, 0.04, 0.04])
    if current:
        shares8 = shares8.copy()
        shares8[6] = 0.0  # w6 (4% of the baseline) vanishes; choice() renormalises the others
    zeros = 0.45 if current else 0.30
    spend = np.where(rng.random(n) < zeros, 0.0, rng.lognormal(3, 1, n))
    columns = {
        "mean_shift": rng.normal(55 if current else 50, 10, n),
        "scale_change": rng.gamma(2, 20, n) * (1.3 if current else 1.0),
        "spread_change": rng.normal(100, 13 if current else 10, n),
        "category_swing": _choice(rng, ["A", "B", "C", "D"],
                                  np.array([0.32, 0.38, 0.2, 0.1] if current else [0.4, 0.3, 0.2, 0.1]), n),
        "new_categories": _choice(rng, labels20, new_shares, n),
        "vanished_category": _choice(rng, cats8, shares8, n),
        "null_rate": _with_nulls(rng, rng.normal(0, 1, n), 0.25 if current else 0.01),
        "label_rate": (rng.random(n) < (0.14 if current else 0.10)).astype(np.int64),
        "zero_share": spend,
        "c_normal": rng.normal(0, 1, n),
        "c_lognormal": rng.lognormal(2, 0.8, n),
        "c_pareto": rng.pareto(2.5, n) + 1,
        "c_poisson": rng.poisson(3, n),
        "c_die": rng.integers(1, 7, n),
        "c_bool": rng.random(n) < 0.3,
        "c_category": _choice(rng, ["red", "green", "blue", "black", "white"],
                              np.array([0.3, 0.25, 0.2, 0.15, 0.1]), n),
        "c_many_categories": _choice(rng, [f"k{i:03d}" for i in range(500)], _zipf(500), n),
        "c_nulls": _with_nulls(rng, rng.normal(10, 3, n), 0.05),
        "c_zero_inflated": np.where(rng.random(n) < 0.4, 0.0, rng.gamma(1.5, 30, n)),
    }
    return pl.DataFrame(columns)


def _value(entry: Any) -> str:
    """A ColumnDrift's measured value and p-value (None entry: "-")."""
    value = getattr(entry, "value", None)
    pvalue = getattr(entry, "pvalue", None)
    parts = []
    if value is not None:
        parts.append(f"{value:.4g}")
    if pvalue is not None:
        parts.append(f"p={pvalue:.2g}")
    return " ".join(parts) or "-"


def _share(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}%"


def _row(entry: Any) -> str:
    """The report's cells for one column: drifted_by, distribution, missingness, new and vanished values."""
    if entry is None:
        return "absent from the report | | | |"
    threshold = f" ({'p < ' if entry.is_test else '> '}{entry.threshold:.3g})" if entry.threshold is not None else ""
    distribution = f"{entry.method or entry.status} {_value(entry)}{threshold}"
    cells = [", ".join(entry.drifted_by) or "-", distribution]
    missing = entry.signal("missingness")
    cells.append(f"{_share(missing.baseline_share)} → {_share(missing.current_share)}" if missing else "-")
    for name in ("new_values", "vanished_values"):
        sig = entry.signal(name)
        cells.append(f"{_share(sig.value)} ({_share(sig.expected)})" if sig else "-")
    return " | ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per side (default 1,000,000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on a missed drift or a flagged control")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    baseline, current = table(args.rows, 1, False), table(args.rows, 2, True)
    generated = time.perf_counter()
    report = datacheck.drift(baseline, current)
    compared = time.perf_counter()
    base_stats, cur_stats = datacheck.profile(baseline), datacheck.profile(current)
    profiled = time.perf_counter()
    datacheck.drift(base_stats, cur_stats)
    from_stats = time.perf_counter()

    header = ("| column | role | result | drifted by | distribution (threshold) | null share b → c | "
              "new values (expected) | vanished values (expected) |")
    print(header)
    print("|" + "---|" * header.count(" | ") + "---|")
    caught = flagged = 0
    for name in PLANTED + CONTROLS:
        entry = report.column(name)
        planted = name in PLANTED
        drifted = bool(entry is not None and entry.drifted)
        if planted:
            caught += drifted
            result = "caught" if drifted else "MISSED"
        else:
            flagged += drifted
            result = "FALSE POSITIVE" if drifted else "quiet"
        print(f"| {name} | {'planted' if planted else 'control'} | {result} | {_row(entry)} |")
    print()
    print(f"planted drifts caught: {caught}/{len(PLANTED)}; controls flagged: {flagged}/{len(CONTROLS)}")
    print(f"{args.rows:,} rows per side; drift from the two frames (profiles both): {compared - generated:.1f} s; "
          f"profiles: {profiled - compared:.1f} s; drift from the two Statistics: {from_stats - profiled:.2f} s; "
          f"data generated in {generated - start:.1f} s")
    return 1 if args.strict and (caught < len(PLANTED) or flagged) else 0


if __name__ == "__main__":
    sys.exit(main())
