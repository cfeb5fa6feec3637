"""`datacheck skew` on the 10M-row table of bench/stats.py against a copy with 1% of one feature perturbed.

    python bench/skew.py                  # 10M rows
    python bench/skew.py --rows 1000000   # a quicker run

The copy changes `income` on exactly the rows whose id is divisible by 100 (1%, a deterministic set the check
below knows without datacheck), adding 0.01; every other column is untouched. `datacheck skew BASE COPY
--key id` runs once in a fresh process with its time and peak RSS measured, and its JSON report must say:
income differs on exactly those rows (the count, and the example keys are the smallest of them), every other
feature differs on none, and every row matched. Peak RSS is compared with the size of one side in memory:
the bucketed join must not hold both sides at once.
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
    child_env,
    datacheck_command,
    fmt_bytes,
    fmt_rows,
    fmt_seconds,
    measure,
    print_table,
    warm_bytecode,
    warm_cache,
)
from stats import generate_frame  # noqa: E402

PERTURB_EVERY = 100  # 1% of the rows
PERTURBED = "income"


def ensure_pair(rows: int, data_dir: Path) -> tuple[Path, Path, int]:
    """The base Parquet file and its perturbed copy (generated once), and the frame's in-memory size."""
    import polars as pl

    base, copy = data_dir / f"skew_base_{rows}.parquet", data_dir / f"skew_perturbed_{rows}.parquet"
    frame = None
    if not base.exists() or not copy.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        frame = generate_frame(rows)
        tmp = atomic_path(base)
        frame.write_parquet(tmp)
        os.replace(tmp, base)
        changed = pl.col("id") % PERTURB_EVERY == 0
        # income has nulls: a null stays null (and is equal on both sides), so only non-null values move.
        perturbed = frame.with_columns(pl.when(changed).then(pl.col(PERTURBED) + 0.01).otherwise(pl.col(PERTURBED))
                                       .alias(PERTURBED))
        tmp = atomic_path(copy)
        perturbed.write_parquet(tmp)
        os.replace(tmp, copy)
        del perturbed
    size = pl.read_parquet(base).estimated_size() if frame is None else frame.estimated_size()
    return base, copy, size


def expected_rows(base: Path) -> tuple[int, list[int]]:
    """The perturbed rows by a plain polars count: id divisible by 100 and income not null."""
    import polars as pl

    hit = (pl.scan_parquet(base).filter((pl.col("id") % PERTURB_EVERY == 0) & pl.col(PERTURBED).is_not_null())
           .select("id").collect()["id"])
    return hit.len(), sorted(hit.to_list())[:5]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    args = parser.parse_args(argv)
    env = child_env()
    warm_bytecode(env)
    base, copy, in_memory = ensure_pair(args.rows, Path(args.data_dir))
    count, first = expected_rows(base)
    warm_cache(base)
    warm_cache(copy)
    with tempfile.TemporaryDirectory(prefix="datacheck-bench-") as tmp:
        out = Path(tmp) / "skew.json"
        run = measure(datacheck_command("skew", str(base), str(copy), "--key", "id", "--format", "json", "-o",
                                        str(out)), env=env, check=False)
        if run.returncode != 1:
            print(run.stderr, file=sys.stderr)
            return 2
        report = json.loads(out.read_text())
    features = {f["name"]: f for f in report["features"]}
    found = features[PERTURBED]
    others = {name: f["differing"] for name, f in features.items() if name != PERTURBED and f["differing"]}
    exact = (found["differing"] == count and [int(k[0]) for k in found["examples"]] == first and not others
             and report["matched"] == args.rows)
    print_table(["rows", "perturbed", "found", "others differing", "time", "CPU", "peak RSS", "one side in memory"],
                [[fmt_rows(args.rows), f"{count:,}", f"{found['differing']:,}", str(sum(others.values())),
                  fmt_seconds(run.seconds), fmt_seconds(run.cpu_seconds), fmt_bytes(run.peak_rss),
                  fmt_bytes(in_memory)]])
    print("exactly the perturbed rows" if exact else f"MISMATCH: expected {count:,} rows starting {first}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
