"""`datacheck validate` against a plain polars read of the same file, on the table of bench/stats.py.

    python bench/validate.py                 # 10M rows, Parquet and CSV
    python bench/validate.py --rows 1000000  # a quicker run

The schema is inferred once from the file itself (so the data passes, and every check of the schema runs on
every row: types, nulls, domains, ranges, lengths and the keys' uniqueness), then `validate` and the reference
read run alternately, best of --repeat, in fresh processes. The ratio validate / read is the figure to compare
between commits; validate does the statistics scan plus the row checks in the same pass.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DATA_DIR,
    best_of_paired,
    child_env,
    datacheck_command,
    fmt_bytes,
    fmt_rows,
    fmt_seconds,
    print_table,
    python_command,
    warm_bytecode,
    warm_cache,
)
from stats import FORMATS, REFERENCE_CODE, REFERENCE_LABEL, ensure_data  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    args = parser.parse_args(argv)
    env = child_env()
    warm_bytecode(env)
    paths = ensure_data(args.rows, Path(args.data_dir), print)
    rows = []
    with tempfile.TemporaryDirectory(prefix="datacheck-bench-") as tmp:
        for fmt in FORMATS:
            path = paths[fmt]
            schema = Path(tmp) / f"schema-{fmt}.json"
            subprocess.run(datacheck_command("infer", str(path), "-o", str(schema)), env=env, check=True)
            warm_cache(path)
            out = str(Path(tmp) / "report.json")
            reference, ours = best_of_paired(
                [python_command(REFERENCE_CODE[fmt]) + [str(path)],
                 datacheck_command("validate", str(path), "--schema", str(schema), "--format", "json", "-o", out)],
                args.repeat, env=env)
            rows.append([f"{fmt} {fmt_rows(args.rows)}", REFERENCE_LABEL[fmt], fmt_seconds(reference.seconds),
                         fmt_seconds(ours.seconds), f"{ours.seconds / reference.seconds:.2f}x",
                         fmt_bytes(ours.peak_rss)])
    print_table(["file", "reference", "read", "validate", "ratio", "validate peak RSS"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
