#!/usr/bin/env python
"""Benchmark `datacheck stats --slice` against `datacheck stats` on the same file.

Takes the 10M-row bench table of bench/stats.py (generated once, cached under bench/.data/) and adds one
column, ``segment``, with 20 values of unequal size (segment k holds a share proportional to k + 1), written
as its own Parquet file. It then times, each in a fresh process and alternating, ``datacheck stats FILE`` and
``datacheck stats FILE --slice segment`` (20 slices), and reports wall and CPU time and peak RSS; the same at
``--small-rows`` (default 1M) for how peak memory grows with the rows.

Targets (checked at ``--rows``):
    time:   stats --slice <= 2x stats (wall time)
    memory: stats --slice peak RSS at --rows <= 2x its peak RSS at --small-rows

Usage:
    python bench/slices.py                  # 1M and 10M rows
    python bench/slices.py --rows 20000 --small-rows 2000 --repeat 1 --data-dir /tmp/x   # smoke test
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DATA_DIR,
    atomic_path,
    best_of_paired,
    child_env,
    datacheck_command,
    fmt_bytes,
    fmt_rows,
    fmt_seconds,
    machine_info,
    print_table,
    warm_bytecode,
    warm_cache,
)
from stats import SEED, generate_frame  # noqa: E402

SEGMENTS = 20
TIME_TARGET = 2.0
RSS_TARGET = 2.0


def sliced_path(rows: int, data_dir: Path, log) -> Path:
    """The bench table of `rows` rows with the `segment` column, as Parquet (generated once).

    It is generated in a child process: a child started later by this one (vfork, then exec) is charged the
    parent's peak RSS by Linux, so a bench process that once held the 10M-row table reported 2.0 GiB for every
    command it measured.
    """
    import multiprocessing

    path = data_dir / f"slices_v1_{rows}.parquet"
    if path.exists():
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {fmt_rows(rows)} rows with {SEGMENTS} segments under {data_dir} ...")
    child = multiprocessing.get_context("spawn").Process(target=_generate, args=(rows, path))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"generating {path} failed (exit {child.exitcode})")
    return path


def _generate(rows: int, path: Path) -> None:
    import numpy as np
    import polars as pl

    weights = np.arange(1, SEGMENTS + 1, dtype=float)
    segment = np.random.default_rng(SEED + 1).choice(SEGMENTS, size=rows, p=weights / weights.sum())
    names = pl.Series([f"seg{k:02d}" for k in range(SEGMENTS)], dtype=pl.String)
    frame = generate_frame(rows).with_columns(names.gather(pl.Series(segment)).alias("segment"))
    tmp = atomic_path(path)
    frame.write_parquet(tmp)
    os.replace(tmp, path)


def run(args) -> dict:
    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    data_dir = Path(args.data_dir)
    env = child_env()
    warm_bytecode(env)
    results = []
    with tempfile.TemporaryDirectory(prefix="datacheck-bench-") as tmp_dir:
        out = os.path.join(tmp_dir, "stats.json")
        for rows in (args.small_rows, args.rows):
            path = sliced_path(rows, data_dir, log)
            warm_cache(path)
            log(f"running {fmt_rows(rows)} (x{args.repeat}) ...")
            plain, sliced = best_of_paired(
                [datacheck_command("stats", str(path), "-f", "json", "-o", out),
                 datacheck_command("stats", str(path), "--slice", "segment", "-f", "json", "-o", out)],
                args.repeat, env=env)
            results.append({"rows": rows, "stats": plain.as_dict(), "sliced": sliced.as_dict(),
                            "ratio": sliced.seconds / plain.seconds,
                            "cpu_ratio": sliced.cpu_seconds / plain.cpu_seconds})
    small, large = results
    memory_ratio = large["sliced"]["peak_rss"] / small["sliced"]["peak_rss"]
    checks = [
        {"name": "time", "target": f"stats --slice <= {TIME_TARGET}x stats at {fmt_rows(args.rows)}",
         "value": large["ratio"], "pass": large["ratio"] <= TIME_TARGET},
        {"name": "memory", "target": f"stats --slice peak RSS at {fmt_rows(args.rows)} <= {RSS_TARGET}x at "
                                     f"{fmt_rows(args.small_rows)}",
         "value": memory_ratio, "pass": memory_ratio <= RSS_TARGET},
    ]
    return {"benchmark": "slices", "segments": SEGMENTS, "machine": machine_info(), "repeat": args.repeat,
            "results": results, "checks": checks, "all_pass": all(c["pass"] for c in checks)}


def report(summary: dict) -> None:
    m = summary["machine"]
    print(f"\ndatacheck stats --slice benchmark ({summary['segments']} slices; {m['cpus']} cpus"
          + (f", load avg {m['loadavg'][0]:.2f}" if "loadavg" in m else "")
          + f"; best wall time of {summary['repeat']} alternating runs, each a fresh process)\n")
    rows = [[fmt_rows(r["rows"]), fmt_seconds(r["stats"]["seconds"]), fmt_seconds(r["sliced"]["seconds"]),
             f"{r['ratio']:.2f}x", fmt_seconds(r["stats"]["cpu_seconds"]), fmt_seconds(r["sliced"]["cpu_seconds"]),
             f"{r['cpu_ratio']:.2f}x", fmt_bytes(r["stats"]["peak_rss"]), fmt_bytes(r["sliced"]["peak_rss"])]
            for r in summary["results"]]
    print_table(["rows", "stats", "stats --slice", "ratio", "stats CPU", "--slice CPU", "CPU ratio",
                 "stats peak RSS", "--slice peak RSS"], rows)
    print()
    for check in summary["checks"]:
        print(f"  {'PASS' if check['pass'] else 'FAIL'}  {check['target']}: {check['value']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--small-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    parser.add_argument("--json", action="store_true", help="machine-readable results on stdout")
    args = parser.parse_args(argv)
    summary = run(args)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        report(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
