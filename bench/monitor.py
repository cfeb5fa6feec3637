#!/usr/bin/env python
"""Benchmark `datacheck monitor`: its cost over `datacheck stats` on one batch, and judging a long history.

1. On the 1M-row Parquet table of bench/stats.py (generated once, cached under bench/.data/), it times, each in a
   fresh process and alternating, ``datacheck stats FILE -o TMP.json`` and ``datacheck monitor FILE --history H``
   against a history that already holds 30 batches (so the monitor measures the drift to the previous and the
   reference batch, judges every series and writes the batch). Target: monitor <= 1.10x stats.
2. It writes a synthetic history of 1,000 batches x 100 columns (metrics only: random normal series) and times,
   in this process: loading every batch from the file, judging every point of every series (`monitor.trend`,
   what the trend report and `history show` do), and judging the newest batch as `monitor` does (the trailing
   window only). Target: judging the 1,000 x 100 history < 1 s.

Usage:
    python bench/monitor.py              # both parts
    python bench/monitor.py --rows 20000 --batches 50 --columns 10 --repeat 1   # smoke test
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA_DIR, best_of_paired, child_env, datacheck_command, fmt_seconds, warm_bytecode  # noqa: E402
from stats import ensure_data  # noqa: E402


def bench_batch(rows: int, repeat: int, data_dir: Path) -> dict:
    path = ensure_data(rows, data_dir, lambda text: print(text, file=sys.stderr))["parquet"]
    env = child_env()
    warm_bytecode(env)
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "stats.json"
        history = Path(tmp) / "history.db"
        best_of_paired([datacheck_command("stats", str(path), "-o", str(stats_file))], 1, env=env)
        start = dt.date(2024, 1, 1)
        for day in range(30):  # the history the monitor judges against: the same statistics, 30 days
            best_of_paired([datacheck_command("history", "add", str(history), str(stats_file), "--at",
                                              str(start + dt.timedelta(days=day)))], 1, env=env)
        stats_cmd = datacheck_command("stats", str(path), "-o", str(Path(tmp) / "out.json"))
        # The same time each run: the batch replaces itself, so every run judges against the same 30 batches.
        monitor_cmd = datacheck_command("monitor", str(path), "--history", str(history), "--at", "2024-02-01",
                                        "--format", "json", "-o", str(Path(tmp) / "report.json"))
        stats_run, monitor_run = best_of_paired([stats_cmd, monitor_cmd], repeat, env=env)
    return {"rows": rows, "stats_s": stats_run.seconds, "monitor_s": monitor_run.seconds,
            "stats_cpu_s": stats_run.cpu_seconds, "monitor_cpu_s": monitor_run.cpu_seconds,
            "ratio": monitor_run.seconds / stats_run.seconds}


def bench_judging(batches: int, columns: int) -> dict:
    import numpy as np
    import polars as pl

    from datacheck.history import History
    from datacheck.monitor import record, trend
    from datacheck.monitor_metrics import COLUMN_METRICS
    from datacheck.profile import profile

    rng = np.random.default_rng(7)
    tiny = profile(pl.DataFrame({"x": [1.0]}))
    folder = tempfile.mkdtemp()
    try:
        path = os.path.join(folder, "history.db")
        began = time.perf_counter()
        with History.open(path) as store:
            for index in range(batches):
                metrics = {"": {"row_count": [float(rng.normal(1e6, 1e4)), None]}}
                for col in range(columns):
                    metrics[f"col_{col}"] = {m: [float(rng.normal(10, 1)), 0.01] for m in COLUMN_METRICS}
                at = (dt.datetime(2020, 1, 1) + dt.timedelta(days=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
                store.add(tiny, at=at, metrics=metrics, sources=["bench"])
        write_s = time.perf_counter() - began
        size = os.path.getsize(path)
        # Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure.
        with History.open(path) as store:
            began, cpu = time.perf_counter(), time.process_time()
            loaded = store.batches()
            load_s, load_cpu = time.perf_counter() - began, time.process_time() - cpu
        began, cpu = time.perf_counter(), time.process_time()
        judged = trend(loaded)
        judge_all_s, judge_cpu = time.perf_counter() - began, time.process_time() - cpu
        with History.open(path) as store:
            began = time.perf_counter()
            # What `monitor` does after the scan: read the history, measure, judge the new batch, write it.
            record(store, tiny, at="2030-01-01T00:00:00Z", sources=["bench"])
            newest_s = time.perf_counter() - began
    finally:
        shutil.rmtree(folder)
    return {"batches": batches, "columns": columns, "series": len(judged.series), "file_mb": size / 1e6,
            "write_s": write_s, "load_s": load_s, "judge_all_s": judge_all_s, "monitor_judge_newest_s": newest_s,
            "load_cpu_s": load_cpu, "judge_all_cpu_s": judge_cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batches", type=int, default=1000)
    parser.add_argument("--columns", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--skip-batch", action="store_true", help="only the judging part")
    args = parser.parse_args(argv)
    if not args.skip_batch:
        batch = bench_batch(args.rows, args.repeat, args.data_dir)
        print(f"one batch of {batch['rows']:,} rows (parquet): stats {fmt_seconds(batch['stats_s'])}, "
              f"monitor {fmt_seconds(batch['monitor_s'])} -> {batch['ratio']:.2f}x "
              f"(cpu {batch['stats_cpu_s']:.2f} s vs {batch['monitor_cpu_s']:.2f} s)  "
              f"{'PASS' if batch['ratio'] <= 1.10 else 'FAIL'} monitor <= 1.10x stats")
    judging = bench_judging(args.batches, args.columns)
    print(f"history of {judging['batches']:,} batches x {judging['columns']} columns ({judging['series']:,} series, "
          f"{judging['file_mb']:.1f} MB): write {judging['write_s']:.2f} s, load {judging['load_s']:.3f} s "
          f"(cpu {judging['load_cpu_s']:.3f} s), judge every point {judging['judge_all_s']:.3f} s "
          f"(cpu {judging['judge_all_cpu_s']:.3f} s), monitor's judging of a new batch "
          f"{judging['monitor_judge_newest_s']:.3f} s  "
          f"{'PASS' if judging['load_s'] + judging['judge_all_s'] < 1.0 else 'FAIL'} load + judge < 1 s (wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
