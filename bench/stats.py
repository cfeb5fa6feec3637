#!/usr/bin/env python
"""Benchmark `datacheck stats` against a plain polars read of the same file.

Generates (once, cached under bench/.data/) a deterministic table of 15 columns -- ints, floats with
nulls, low- and high-cardinality strings, booleans, dates and a timestamp -- as Parquet and as CSV, at
``--rows`` (default 10M) and at ``--small-rows`` (default 1M). For every file it times, each in a fresh
process, a plain polars read and ``datacheck stats FILE --format json -o TMP``, and reports the best
wall time of ``--repeat`` runs, their ratio and each process's peak RSS. Each datacheck time is split into
start-up (``datacheck stats --help``: interpreter, imports, command line) and scan (the rest). Start-up is
also measured on its own: ``import polars``, ``datacheck --help`` and ``datacheck stats`` on a 1,000-row CSV.
Then it compares datacheck's peak RSS at the two sizes, and with ``--profile`` prints where the CPU of a scan
of the ``--rows`` Parquet goes (bench/stats_profile.py: read, per-batch queries, sorting, folding, rendering).

Targets (checked at ``--rows``):
    parquet: datacheck stats <= 1.6x  pl.read_parquet(f)
    csv:     datacheck stats <= 1.1x  pl.read_csv(f, try_parse_dates=True, infer_schema_length=10000)
             (the same parse options datacheck uses, so both produce the same column types)
    memory:  datacheck peak RSS at --rows <= 2x its peak RSS at --small-rows (per format)
    start-up: datacheck --help and stats on 1,000 CSV rows <= 0.1 s above python -c "import polars"

Usage:
    python bench/stats.py                 # full run: 1M and 10M rows
    python bench/stats.py --quick         # 1M rows only (no RSS scaling check)
    python bench/stats.py --huge          # also 100M rows (Parquet only; about 5 GB on disk, minutes per run)
    python bench/stats.py --profile       # also where the CPU of one scan goes
    python bench/stats.py --json          # machine-readable results on stdout
    python bench/stats.py --rows 20000 --small-rows 2000 --repeat 1 --data-dir /tmp/x   # smoke test

Exit status is 0 whether or not targets pass (it is a measurement, not a gate), non-zero if a
command fails; ``--strict`` makes a FAIL exit 1.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DATA_DIR,
    CommandFailed,
    atomic_path,
    best_of_paired,
    child_env,
    datacheck_command,
    fmt_bytes,
    fmt_rows,
    fmt_seconds,
    machine_info,
    print_table,
    python_command,
    warm_bytecode,
    warm_cache,
)
from stats_profile import print_phases  # noqa: E402

#: Bump when the generated table changes, so cached files are not reused.
DATA_VERSION = 1
SEED = 20240601
FORMATS = ("parquet", "csv")
TARGETS = {"parquet": 1.6, "csv": 1.1}
#: Seconds that start-up may take above `python -c "import polars"`.
STARTUP_TARGET = 0.1
STARTUP_CSV_ROWS = 1_000
HUGE_ROWS = 100_000_000
RSS_TARGET = 2.0
CSV_INFER_ROWS = 10_000  # datacheck.file_reader.CSV_INFER_ROWS

REFERENCE_CODE = {
    "parquet": "import polars as pl, sys; pl.read_parquet(sys.argv[1])",
    "csv": ("import polars as pl, sys; "
            f"pl.read_csv(sys.argv[1], try_parse_dates=True, infer_schema_length={CSV_INFER_ROWS})"),
}
REFERENCE_LABEL = {
    "parquet": "pl.read_parquet",
    "csv": "pl.read_csv",
}


# ------------------------------------------------------------------------------------------ data


def generate_frame(rows: int, seed: int = SEED):
    """The benchmark table: 15 columns, deterministic for a given (rows, seed)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)

    def with_nulls(values, fraction: float) -> pl.Series:
        series = pl.Series(values)
        mask = pl.Series(rng.random(rows) < fraction)
        return pl.select(pl.when(mask).then(None).otherwise(series)).to_series()

    def pick(choices: list[str], weights=None) -> pl.Series:
        idx = rng.choice(len(choices), size=rows, p=weights).astype(np.uint32)
        return pl.Series(choices, dtype=pl.String).gather(pl.Series(idx))

    low = ["approved", "rejected", "pending", "withdrawn", "review"]
    countries = [f"C{i:03d}" for i in range(200)]
    mid = [f"merchant_{i:05d}" for i in range(20_000)]
    day0 = np.datetime64("2015-01-01", "D")
    ts0 = np.datetime64("2020-01-01T00:00:00", "s")

    columns = {
        # ints
        "id": np.arange(rows, dtype=np.int64),
        "age": rng.integers(18, 90, size=rows, dtype=np.int32),
        "quantity": with_nulls(rng.poisson(3.0, size=rows).astype(np.int64), 0.05),
        "account_number": rng.integers(0, 10**15, size=rows, dtype=np.int64),
        # floats with nulls
        "income": with_nulls(np.round(rng.lognormal(10.8, 0.6, size=rows), 2), 0.10),
        "score": with_nulls(rng.normal(0.0, 1.0, size=rows), 0.02),
        "ratio": rng.random(rows),
        # low-cardinality strings
        "status": pick(low, [0.5, 0.2, 0.15, 0.1, 0.05]),
        "country": with_nulls(pick(countries), 0.03),
        # mid/high-cardinality strings
        "merchant": pick(mid),
        "user_id": (pl.Series(rng.integers(0, rows, size=rows, dtype=np.int64)).cast(pl.String)
                    .str.pad_start(10, "0").str.replace(r"^", "u")),
        "comment": with_nulls(
            pl.Series(rng.integers(0, 2**62, size=rows, dtype=np.int64)).cast(pl.String).str.replace(r"^", "note-"),
            0.30,
        ),
        # booleans
        "is_active": rng.random(rows) < 0.7,
        "has_default": with_nulls(rng.random(rows) < 0.1, 0.05),
        # dates / times
        "signup_date": day0 + rng.integers(0, 3650, size=rows).astype("timedelta64[D]"),
        "last_login": with_nulls((ts0 + rng.integers(0, 4 * 365 * 86400, size=rows).astype("timedelta64[s]"))
                                 .astype("datetime64[us]"), 0.08),
    }
    frame = pl.DataFrame({name: (col if isinstance(col, pl.Series) else pl.Series(col))
                          for name, col in columns.items()})
    return frame


def data_paths(rows: int, data_dir: Path) -> dict[str, Path]:
    stem = f"stats_v{DATA_VERSION}_{rows}"
    return {fmt: data_dir / f"{stem}.{fmt}" for fmt in FORMATS}


def _write_files(rows: int, paths: dict[str, Path]) -> None:
    frame = generate_frame(rows)
    for fmt, path in paths.items():
        tmp = atomic_path(path)
        if fmt == "parquet":
            frame.write_parquet(tmp)
        else:
            frame.write_csv(tmp)
        os.replace(tmp, path)


def ensure_data(rows: int, data_dir: Path, log, formats=FORMATS) -> dict[str, Path]:
    """Generate the files of ``formats`` for ``rows`` unless they already exist."""
    paths = {fmt: path for fmt, path in data_paths(rows, data_dir).items() if fmt in formats}
    missing = [fmt for fmt, path in paths.items() if not path.exists()]
    if not missing:
        return paths
    data_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {fmt_rows(rows)} rows ({', '.join(missing)}) under {data_dir} ...")
    start = time.perf_counter()
    # Generated in a spawned child: Linux charges a child started later (vfork, then exec) with its parent's
    # peak RSS, so a bench process that once held the 10M-row table reported 2.0 GiB for every command it ran.
    if rows > HUGE_CHUNK_ROWS:
        child = multiprocessing.get_context("spawn").Process(target=write_parquet_in_chunks,
                                                             args=(rows, paths["parquet"]))
    else:
        child = multiprocessing.get_context("spawn").Process(
            target=_write_files, args=(rows, {fmt: paths[fmt] for fmt in missing}))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"generating {fmt_rows(rows)} rows failed (exit {child.exitcode})")
    if rows > HUGE_CHUNK_ROWS:
        return paths
    sizes = ", ".join(f"{fmt} {fmt_bytes(paths[fmt].stat().st_size)}" for fmt in paths)
    log(f"  done in {time.perf_counter() - start:.1f} s ({sizes})")
    return paths


#: Rows generated at a time for the huge (100M-row) file: a 100M-row frame would need ~15 GB in memory.
HUGE_CHUNK_ROWS = 10_000_000


def write_parquet_in_chunks(rows: int, path: Path) -> None:
    """The benchmark table at ``rows`` rows, generated and written 10M rows at a time (each chunk its own seed,
    ``id`` still counting up), as one Parquet file."""
    import polars as pl
    import pyarrow.parquet as pq

    tmp = atomic_path(path)
    writer = None
    for index, start in enumerate(range(0, rows, HUGE_CHUNK_ROWS)):
        chunk = generate_frame(min(HUGE_CHUNK_ROWS, rows - start), SEED + index)
        table = chunk.with_columns(pl.col("id") + start).to_arrow()
        writer = writer or pq.ParquetWriter(tmp, table.schema)
        writer.write_table(table, row_group_size=1_000_000)
    if writer is not None:
        writer.close()
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------------ runs


def bench_file(fmt: str, path: Path, repeat: int, env: dict, tmp_dir: str, budget: float | None) -> dict:
    warm_cache(path)
    out = os.path.join(tmp_dir, f"stats-{fmt}.json")
    reference, ours = best_of_paired([python_command(REFERENCE_CODE[fmt]) + [str(path)],
                                      datacheck_command("stats", str(path), "--format", "json", "-o", out)],
                                     repeat, env=env, budget=budget)
    try:
        os.unlink(out)
    except FileNotFoundError:
        pass
    return {
        "format": fmt,
        "path": str(path),
        "file_size": path.stat().st_size,
        "reference": {"label": REFERENCE_LABEL[fmt], **reference.as_dict()},
        "datacheck": ours.as_dict(),
        "ratio": ours.seconds / reference.seconds,
    }


def run(args) -> dict:
    log = (lambda msg: print(msg, file=sys.stderr, flush=True)) if args.json else (lambda msg: print(msg, flush=True))
    data_dir = Path(args.data_dir)
    sizes = [args.rows] if args.quick or args.small_rows >= args.rows else [args.small_rows, args.rows]
    env = child_env()
    warm_bytecode(env)
    results = []
    log(f"measuring start-up (x{args.repeat}) ...")
    with tempfile.TemporaryDirectory(prefix="datacheck-bench-") as tmp_dir:
        # The start-up CSV is tiny: made afresh in the temporary directory, not cached.
        small_csv = ensure_data(STARTUP_CSV_ROWS, Path(tmp_dir), log, formats=("csv",))["csv"]
        startup_commands = {
            "python -c 'import polars'": python_command("import polars"),
            "datacheck --help": datacheck_command("--help"),
            "datacheck stats --help": datacheck_command("stats", "--help"),
            f"datacheck stats ({fmt_rows(STARTUP_CSV_ROWS)} CSV rows)": datacheck_command(
                "stats", str(small_csv), "--format", "json"),
        }
        runs = best_of_paired(list(startup_commands.values()), max(args.repeat, 5), env=env)
        startup = {name: run.as_dict() for name, run in zip(startup_commands, runs)}
        for rows in sizes + ([HUGE_ROWS] if args.huge else []):
            formats = ("parquet",) if rows >= HUGE_ROWS else FORMATS
            paths = ensure_data(rows, data_dir, log, formats)
            for fmt in formats:
                log(f"running {fmt} {fmt_rows(rows)} (x{args.repeat}) ...")
                result = bench_file(fmt, paths[fmt], args.repeat, env, tmp_dir, args.budget or None)
                result["rows"] = rows
                result["startup_seconds"] = startup["datacheck stats --help"]["seconds"]
                results.append(result)
    profile = None
    if args.profile:
        from stats_profile import profile_phases

        log("profiling one scan ...")
        profile = profile_phases(str(data_paths(args.rows, data_dir)["parquet"]))

    main_rows = args.rows
    checks = []
    for r in results:
        if r["rows"] == main_rows:
            checks.append({
                "name": f"{r['format']} time",
                "target": f"datacheck <= {TARGETS[r['format']]}x {r['reference']['label']} at {fmt_rows(main_rows)}",
                "value": r["ratio"],
                "limit": TARGETS[r["format"]],
                "pass": r["ratio"] <= TARGETS[r["format"]],
            })
    polars_import = startup["python -c 'import polars'"]["seconds"]
    startup_checks = []
    for name, measured in startup.items():
        if name.startswith("python"):
            continue
        above = measured["seconds"] - polars_import
        startup_checks.append({"name": name, "target": f"at most {STARTUP_TARGET} s above python -c 'import polars'",
                       "value": above, "limit": STARTUP_TARGET, "pass": above <= STARTUP_TARGET, "unit": "s"})
    memory = []
    if len(sizes) == 2:
        small, large = sizes
        by_key = {(r["format"], r["rows"]): r for r in results}
        for fmt in FORMATS:
            a, b = by_key[(fmt, small)], by_key[(fmt, large)]
            ratio = b["datacheck"]["peak_rss"] / a["datacheck"]["peak_rss"]
            ref_ratio = b["reference"]["peak_rss"] / a["reference"]["peak_rss"]
            memory.append({
                "format": fmt,
                "small_rows": small,
                "large_rows": large,
                "datacheck_small": a["datacheck"]["peak_rss"],
                "datacheck_large": b["datacheck"]["peak_rss"],
                "ratio": ratio,
                "reference_small": a["reference"]["peak_rss"],
                "reference_large": b["reference"]["peak_rss"],
                "reference_ratio": ref_ratio,
            })
            checks.append({
                "name": f"{fmt} memory",
                "target": f"datacheck peak RSS at {fmt_rows(large)} <= {RSS_TARGET}x at {fmt_rows(small)}",
                "value": ratio,
                "limit": RSS_TARGET,
                "pass": ratio <= RSS_TARGET,
            })
    return {
        "benchmark": "stats",
        "data_version": DATA_VERSION,
        "rows": sizes,
        "repeat": args.repeat,
        "budget": args.budget,
        "machine": machine_info(),
        "startup": startup,
        "results": results,
        "memory": memory,
        "profile": profile,
        "checks": checks,
        "startup_checks": startup_checks,
        "all_pass": all(c["pass"] for c in checks + startup_checks),
    }


# ------------------------------------------------------------------------------------------ report


def report(summary: dict) -> None:
    m = summary["machine"]
    print()
    print(f"datacheck stats benchmark  (python {m['python']}, {m['cpus']} cpus"
          + (f", {fmt_bytes(m['mem_total'])} RAM" if "mem_total" in m else "")
          + (f", load avg {m['loadavg'][0]:.2f}" if "loadavg" in m else "")
          + f"; best wall time of up to {summary['repeat']} runs; each run a fresh process; times include "
          "interpreter start-up; CPU = user + system time of that run)")
    print()
    rows = []
    for r in summary["results"]:
        ref, dc = r["reference"], r["datacheck"]
        rows.append([
            f"{r['format']} {fmt_rows(r['rows'])} ({fmt_bytes(r['file_size'])})",
            ref["label"],
            fmt_seconds(ref["seconds"]),
            fmt_seconds(r["startup_seconds"]),
            fmt_seconds(max(dc["seconds"] - r["startup_seconds"], 0.0)),
            fmt_seconds(dc["seconds"]),
            f"{r['ratio']:.2f}x",
            fmt_seconds(ref["cpu_seconds"]),
            fmt_seconds(dc["cpu_seconds"]),
            fmt_bytes(ref["peak_rss"]),
            fmt_bytes(dc["peak_rss"]),
        ])
    print_table(["case", "reference", "ref time", "start-up", "scan", "datacheck total", "ratio", "ref CPU",
                 "datacheck CPU",
                 "ref peak RSS", "datacheck peak RSS"], rows)

    print()
    print("start-up (runs interleaved): " + ";  ".join(
        f"{name} {fmt_seconds(m['seconds'])} ({fmt_seconds(m['cpu_seconds'])} CPU)"
        for name, m in summary["startup"].items()))
    if summary["profile"]:
        print()
        print_phases(summary["profile"])

    if summary["memory"]:
        print()
        rows = []
        for mem in summary["memory"]:
            small, large = fmt_rows(mem["small_rows"]), fmt_rows(mem["large_rows"])
            rows.append([
                mem["format"],
                fmt_bytes(mem["datacheck_small"]),
                fmt_bytes(mem["datacheck_large"]),
                f"{mem['ratio']:.2f}x",
                fmt_bytes(mem["reference_small"]),
                fmt_bytes(mem["reference_large"]),
                f"{mem['reference_ratio']:.2f}x",
            ])
        print_table(["peak RSS", f"datacheck {small}", f"datacheck {large}", "RSS ratio",
                     f"ref {small}", f"ref {large}", "ref ratio"], rows)

    print()
    for c in summary["checks"] + summary["startup_checks"]:
        value = f"{c['value']:.2f} s" if c.get("unit") == "s" else f"{c['value']:.2f}x"
        print(f"{'PASS' if c['pass'] else 'FAIL'}  {c['name']:<15} {value}  (target: {c['target']})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the main table (default 10M)")
    parser.add_argument("--small-rows", type=int, default=1_000_000,
                        help="rows of the smaller table for the RSS scaling check (default 1M)")
    parser.add_argument("--quick", action="store_true", help="1M rows only (no RSS scaling check)")
    parser.add_argument("--huge", action="store_true",
                        help=f"also {fmt_rows(HUGE_ROWS)} rows, Parquet only (about 5 GB on disk; minutes per run)")
    parser.add_argument("--profile", action="store_true",
                        help="also print where the CPU of one scan of the --rows Parquet goes (stats_profile.py)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time is kept (default 3)")
    parser.add_argument("--budget", type=float, default=45.0,
                        help="stop repeating a measurement once its runs took this many seconds in total "
                             "(default 45; 0 = always run --repeat times)")
    parser.add_argument("--json", action="store_true", help="print results as JSON on stdout (progress on stderr)")
    parser.add_argument("--data-dir", default=str(DATA_DIR),
                        help=f"where generated files are cached (default {DATA_DIR})")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target FAILs")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows = min(args.rows, 1_000_000)
    if args.rows <= 0 or args.small_rows <= 0 or args.repeat <= 0:
        parser.error("--rows, --small-rows and --repeat must be positive")

    try:
        summary = run(args)
    except CommandFailed as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        report(summary)
    return 1 if args.strict and not summary["all_pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
