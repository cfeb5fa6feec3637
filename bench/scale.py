#!/usr/bin/env python
"""Scale benchmark: `datacheck stats` engines over many Parquet files -- local, threads, processes, Dask.

Generates (once, cached under bench/.data/, which is gitignored) a deterministic dataset of ``--files``
Parquet files (default 8) holding ``--rows`` rows in all (default 12M), each file written in row groups of
500k rows. Two of the files are three times the size of the others, so that the partitioned engines split
them by row group (partitions of ``--partition-rows``, default 1M). Then, each in a fresh process, it runs:

    polars     a plain polars read of every file (the reference the speed targets compare against)
    local      datacheck.profile: one polars scan per file, files in order (the default engine)
    threads    profile_partitioned(engine="threads")
    processes  profile_partitioned(engine="processes") -- a spawn ProcessPoolExecutor
    dask       profile_partitioned(engine="dask") -- a LocalCluster started and closed in the run

and prints the best wall time of ``--repeat`` rounds (engines interleaved, so that a burst of load on a shared
machine hits them alike), CPU time (user + system, children included) and peak RSS of each, with ratios
against `local`. Peak RSS is measured two ways:
``max-proc`` is the largest single process (``ru_maxrss`` from ``wait4``, which covers reaped children),
``tree`` is the largest sampled sum of RSS over the process and all its descendants (psutil, every 20 ms).
The second is the one that matters for processes and Dask, whose workers are child processes.

Every engine's statistics are checked against the local run's exact fields before figures are printed.

Usage:
    python bench/scale.py                          # 12M rows, 8 files, every engine
    python bench/scale.py --rows 200000 --files 8  # smoke test
    python bench/scale.py --engines local,processes --workers 4
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / ".data"
#: Bump when the generated data changes, so cached files are not reused.
DATA_VERSION = 1
SEED = 20240607
ENGINES = ("polars", "local", "threads", "processes", "dask")

# ------------------------------------------------------------------------------------------ data


def file_rows(total: int, files: int) -> list[int]:
    """Rows per file: the last two files are three times the size of the others."""
    weights = [1] * (files - 2) + [3, 3] if files >= 3 else [1] * files
    unit = total // sum(weights)
    rows = [unit * w for w in weights]
    rows[-1] += total - sum(rows)
    return rows


def generate(directory: Path, total: int, files: int) -> list[Path]:
    """Write the dataset once; reuse it when every file is already there."""
    import numpy as np
    import polars as pl

    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    offset = 0
    for index, rows in enumerate(file_rows(total, files)):
        path = directory / f"part-{index:03d}.parquet"
        paths.append(path)
        if path.exists():
            offset += rows
            continue
        rng = np.random.default_rng(SEED + index)
        day0 = np.datetime64("2024-01-01")
        frame = pl.DataFrame({
            "id": np.arange(offset, offset + rows, dtype=np.int64),
            "amount": np.round(rng.lognormal(4, 1.2, rows), 2),
            "score": np.where(rng.random(rows) < 0.02, np.nan, rng.normal(0, 1, rows)),
            "quantity": rng.integers(1, 12, rows),
            "category": rng.choice(["grocery", "fuel", "travel", "dining", "health", "other"], rows),
            "merchant": rng.integers(0, 20_000, rows),
            "country": rng.choice(["DE", "FR", "NL", "PL", "ES", "IT", "SE", "DK", "AT", "BE"], rows),
            "is_fraud": rng.random(rows) < 0.01,
            "day": day0 + rng.integers(0, 365, rows).astype("timedelta64[D]"),
        }).with_columns(
            pl.format("m{}", pl.col("merchant")).alias("merchant"),
            pl.when(pl.Series(rng.random(rows) < 0.05)).then(None).otherwise(pl.col("amount")).alias("amount"),
        )
        tmp = path.with_name(f".{path.name}.tmp")
        frame.write_parquet(tmp, row_group_size=500_000)
        os.replace(tmp, path)
        offset += rows
    return paths


# ------------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    engine: str
    seconds: float
    cpu_seconds: float
    max_process_rss: int
    tree_rss: int
    output: Path | None


def measure(engine: str, command: list[str], output: Path | None) -> Run:
    """Run `command` in a fresh process; wall time, largest process RSS and largest process-tree RSS."""
    import psutil

    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=REPO_ROOT)
        root = psutil.Process(proc.pid)
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                members = [root, *root.children(recursive=True)]
                total = 0
                for member in members:
                    try:
                        total += member.memory_info().rss
                    except psutil.Error:
                        pass
                tree_peak = max(tree_peak, total)
            except psutil.Error:
                pass
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            detail = err.read().decode(errors="replace")
            raise SystemExit(f"{engine} failed with exit code {proc.returncode}:\n{detail}")
    max_rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(engine, seconds, cpu, max_rss, max(tree_peak, max_rss), output)


def command_for(engine: str, paths: list[Path], output: Path, workers: int | None, partition_rows: int) -> list[str]:
    files = json.dumps([str(p) for p in paths])
    if engine == "polars":
        code = f"import polars as pl, json\nfor f in json.loads({files!r}): pl.read_parquet(f)"
        return [sys.executable, "-c", code]
    if engine == "local":
        call = "profile(files)"
    else:
        call = (f"profile_partitioned(resolve(files), engine={engine!r}, workers={workers!r}, "
                f"partition_rows={partition_rows})")
    code = (
        "import json\n"
        "from datacheck.profile import profile\n"
        "from datacheck.engine import profile_partitioned\n"
        "from datacheck.sources import resolve\n"
        "from datacheck.output import to_json, write_atomic\n"
        "if __name__ == '__main__':\n"  # spawned workers import __main__; keep the work out of their way
        f"    files = json.loads({files!r})\n"
        f"    stats = {call}\n"
        f"    write_atomic({str(output)!r}, to_json(stats.to_dict()))\n"
    )
    script = output.with_name(f"run_{engine}.py")  # not dask.py: it would shadow the dask package
    script.write_text(code)
    return [sys.executable, str(script)]


def exact_fields(document: dict) -> dict:
    keep = ("count", "null_count")
    numeric = ("nan_count", "inf_count", "zero_count", "negative_count", "min", "max")
    view = {"num_rows": document["num_rows"]}
    for col in document["columns"]:
        entry = {k: col[k] for k in keep}
        if col["numeric"]:
            entry.update({k: col["numeric"][k] for k in numeric})
        if col["distinct"] and col["distinct"]["exact"]:
            entry["distinct"] = col["distinct"]["count"]
        view[col["name"]] = entry
    return view


# ------------------------------------------------------------------------------------------ main


def fmt_bytes(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=12_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated subset of {', '.join(ENGINES)}")
    parser.add_argument("--workers", type=int, default=None,
                        help="threads/processes workers (default: CPU count; Dask: 2)")
    parser.add_argument("--partition-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best time and the largest RSS are kept")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    directory = args.data_dir or DATA_DIR / f"scale_v{DATA_VERSION}_{args.rows}_{args.files}"
    if args.generate_only:
        generate(directory, args.rows, args.files)
        return 0
    started = time.perf_counter()
    # Generate in a child: this process stays small, and a child's ru_maxrss starts from its parent's
    # high-water mark at fork/exec, which would otherwise inflate every max-proc figure.
    subprocess.run([sys.executable, __file__, "--generate-only", "--rows", str(args.rows), "--files", str(args.files),
                    "--data-dir", str(directory)], check=True)
    paths = [directory / f"part-{i:03d}.parquet" for i in range(args.files)]
    size = sum(p.stat().st_size for p in paths) / 2**20
    print(f"data: {len(paths)} Parquet files, {args.rows:,} rows, {size:,.0f} MiB "
          f"in {directory} (ready in {time.perf_counter() - started:.1f} s)")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"load average before {os.getloadavg()[0]:.1f}; "
          f"partition_rows={args.partition_rows:,}, repeat={args.repeat}\n")
    for path in paths:  # page cache warm for every run alike, read in chunks so this process stays small
        with open(path, "rb", buffering=0) as handle:
            while handle.read(8 << 20):
                pass

    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(max(1, args.repeat)):
            for engine in engines:
                output = Path(scratch) / f"{engine}.json"
                command = command_for(engine, paths, output, args.workers, args.partition_rows)
                run = measure(engine, command, None if engine == "polars" else output)
                print(f"  round {round_ + 1}: {engine:<10} {run.seconds:7.2f} s  cpu {run.cpu_seconds:7.2f} s",
                      file=sys.stderr)
                best = runs.get(engine)
                if best is None:
                    runs[engine] = run
                else:
                    runs[engine] = Run(engine, min(best.seconds, run.seconds), min(best.cpu_seconds, run.cpu_seconds),
                                       max(best.max_process_rss, run.max_process_rss),
                                       max(best.tree_rss, run.tree_rss), run.output)
        reference = runs.get("local")
        documents = {e: json.loads(r.output.read_text()) for e, r in runs.items() if r.output is not None}
    if reference is not None:
        expected = exact_fields(documents["local"])
        for engine, document in documents.items():
            if exact_fields(document) != expected:
                raise SystemExit(f"{engine}: exact fields differ from the local run's")
        print("exact fields of every engine equal the local run's\n")

    header = ("engine", "time", "vs local", "cpu", "peak RSS max-proc", "peak RSS tree", "tree vs local")
    rows = []
    for engine, run in runs.items():
        ratio = f"{run.seconds / reference.seconds:.2f}x" if reference else "-"
        rss_ratio = f"{run.tree_rss / reference.tree_rss:.2f}x" if reference else "-"
        rows.append((engine, f"{run.seconds:.2f} s", ratio, f"{run.cpu_seconds:.1f} s", fmt_bytes(run.max_process_rss),
                     fmt_bytes(run.tree_rss), rss_ratio))
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    for line in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(line, widths))))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
