#!/usr/bin/env python
"""Size of the HTML report for wide datasets: bytes per report at 100 and 500 columns.

Builds (in memory, deterministic: numpy ``default_rng(20240607)``) a table of ``--rows`` rows (default 10k)
whose columns cycle through the kinds a real table has: floats with nulls, integers, low- and high-cardinality
strings (the latter with long values), booleans and dates. For each width it writes the three reports,
statistics, validation (against a schema inferred from the table itself, plus a few broken columns so there
are findings) and drift (against a shifted copy), and prints their size in bytes, gzipped bytes and the time
to render.

Target (issue 6): a 100-column report is "a few MB at most"; checked here as <= 3 MB for every report kind.
The fixed part of every page is Chart.js (210 KB) plus our script and stylesheet (about 20 KB).

Usage:
    python bench/html_size.py                       # 100 and 500 columns, 10k rows
    python bench/html_size.py --columns 100 --rows 2000
    python bench/html_size.py --json

Exit status is 0 whether or not the target passes (a measurement, not a gate); ``--strict`` makes a FAIL exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import fmt_bytes, fmt_seconds, machine_info, print_table  # noqa: E402

TARGET_BYTES = 3_000_000
TARGET_COLUMNS = 100


def wide_frame(columns: int, rows: int, seed: int, shift: float = 0.0):
    """A deterministic table of `columns` columns cycling through six kinds; `shift` moves the distributions."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    data = {}
    words = [f"category_{i:03d}" for i in range(40)]
    start = dt.date(2024, 1, 1)
    for i in range(columns):
        kind = i % 6
        name = f"c{i:03d}_{['float', 'int', 'cat', 'text', 'bool', 'date'][kind]}"
        if kind == 0:
            values = rng.lognormal(3 + shift, 1, rows)
            mask = rng.random(rows) < 0.05
            data[name] = pl.Series(name, values).set(pl.Series(mask), None) if mask.any() else pl.Series(name, values)
        elif kind == 1:
            data[name] = pl.Series(name, rng.poisson(20 + 10 * shift, rows))
        elif kind == 2:
            weights = np.arange(len(words), 0, -1, dtype=float) ** (1.5 + shift)
            data[name] = pl.Series(name, rng.choice(words, rows, p=weights / weights.sum()))
        elif kind == 3:  # high-cardinality free text with long values
            lengths = rng.integers(20, 400, rows)
            data[name] = pl.Series(name, [f"note {j} " + "x" * int(k) for j, k in enumerate(lengths)])
        elif kind == 4:
            data[name] = pl.Series(name, rng.random(rows) < 0.3 + shift / 5)
        else:
            data[name] = pl.Series(name, [start + dt.timedelta(days=int(d)) for d in rng.integers(0, 365, rows)])
    return pl.DataFrame(data)


def measure(columns: int, rows: int) -> list[dict]:
    import polars as pl

    import datacheck
    from datacheck.render.html import drift_html, stats_html, validation_html

    base_frame = wide_frame(columns, rows, 20240607)
    cur_frame = wide_frame(columns, rows, 20240608, shift=0.3)
    # Break a few columns so that the validation report carries findings with examples.
    broken = cur_frame.with_columns(pl.col(cur_frame.columns[0]) * -1, pl.col(cur_frame.columns[2]).str.to_uppercase())
    base, cur = datacheck.profile(base_frame), datacheck.profile(broken)
    schema = datacheck.infer_schema(base)
    report = datacheck.validate(broken, schema)
    drift = datacheck.drift(base, cur)
    results = []
    for kind, render in (("stats", lambda: stats_html(cur)), ("validation", lambda: validation_html(cur, report)),
                         ("drift", lambda: drift_html(drift, base, cur))):
        started = time.perf_counter()
        page = render()
        seconds = time.perf_counter() - started
        raw = page.encode("utf-8")
        results.append({"columns": columns, "rows": rows, "report": kind, "bytes": len(raw),
                        "gzip_bytes": len(gzip.compress(raw, 6)), "bytes_per_column": len(raw) // columns,
                        "render_seconds": round(seconds, 3),
                        "findings": len(report.findings) if kind == "validation" else None,
                        "passed": len(raw) <= TARGET_BYTES if columns <= TARGET_COLUMNS else None})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target fails")
    args = parser.parse_args(argv)

    results = [r for columns in args.columns for r in measure(columns, args.rows)]
    failed = any(r["passed"] is False for r in results)
    if args.json:
        print(json.dumps({"machine": machine_info(), "target_bytes": TARGET_BYTES, "results": results}, indent=2))
    else:
        print(f"HTML report size ({args.rows:,} rows; "
              f"target: <= {fmt_bytes(TARGET_BYTES)} at {TARGET_COLUMNS} columns)")
        print_table(["report", "columns", "bytes", "size", "gzipped", "per column", "render", "target"],
                    [[r["report"], str(r["columns"]), f"{r['bytes']:,}", fmt_bytes(r["bytes"]),
                      fmt_bytes(r["gzip_bytes"]),
                      fmt_bytes(r["bytes_per_column"]), fmt_seconds(r["render_seconds"]),
                      "" if r["passed"] is None else "PASS" if r["passed"] else "FAIL"] for r in results])
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
