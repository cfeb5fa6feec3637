"""Write every command's output, in every format, for a set of datasets, so two commits can be compared byte for byte.

A behaviour-preserving change (a refactor, a speed-up) must leave these files unchanged:

    git stash; python scripts/snapshot_outputs.py /tmp/before [MORE_DATA_DIRS...]; git stash pop
    python scripts/snapshot_outputs.py /tmp/after [MORE_DATA_DIRS...]
    diff -r /tmp/before /tmp/after && echo identical

Datasets are sample_data/ plus every directory given on the command line. In each directory, the first data
file (by name) is the baseline: its schema is inferred, and every other file in the directory is validated and
drifted against it. Files without an extension are read as CSV. Commands run as subprocesses
(`python -m datacheck`), so the snapshot covers the CLI exactly as users see it, exit codes included.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_SUFFIXES = {".csv", ".parquet", ".data"}
STATS_FORMATS = ("table", "json", "markdown", "html")
REPORT_FORMATS = ("table", "json", "markdown", "junit", "github", "html")


def data_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES)


def read_options(path: Path) -> list[str]:
    return ["--input-format", "csv"] if path.suffix == ".data" else []


def run(out: Path, name: str, args: list[str]) -> None:
    """Run one command from the snapshot's root; keep its stdout, stderr and exit code under out/name.*"""
    proc = subprocess.run([sys.executable, "-m", "datacheck", *args], capture_output=True, cwd=out.parent,
                          check=False)
    (out / f"{name}.stdout").write_bytes(proc.stdout)
    (out / f"{name}.stderr").write_bytes(proc.stderr)
    (out / f"{name}.exit").write_text(f"{proc.returncode}\n")


def snapshot_directory(directory: Path, out: Path, pool: ThreadPoolExecutor) -> None:
    files = data_files(directory)
    if not files:
        return
    tag = directory.name
    base = files[0]
    work = out / tag
    work.mkdir(parents=True)
    # Files the snapshot writes are named relative to its root, so that outputs naming them are the same
    # wherever the snapshot is written.
    schema = Path(tag) / "schema.json"
    # The schema and statistics files are inputs to later commands: write them first, in order.
    run(work, "infer", ["infer", str(base), *read_options(base), "-o", str(schema)])
    stats_files = []
    for path in files:
        stats_file = Path(tag) / f"{path.stem}.stats.json"
        run(work, f"stats-{path.stem}-o", ["stats", str(path), *read_options(path), "-o", str(stats_file)])
        stats_files.append(str(stats_file))
    jobs: list[tuple[str, list[str]]] = [
        ("schema-show", ["schema", "show", str(schema)]),
        ("schema-check", ["schema", "check", str(schema)]),
        ("merge-json", ["merge", *stats_files]),
        ("merge-table", ["merge", *stats_files, "--format", "table"]),
        ("merge-markdown", ["merge", *stats_files, "--format", "markdown"]),
    ]
    for path in files:
        opts = read_options(path)
        for fmt in STATS_FORMATS:
            jobs.append((f"stats-{path.stem}-{fmt}", ["stats", str(path), *opts, "--format", fmt]))
        for fmt in REPORT_FORMATS:
            jobs.append((f"validate-{path.stem}-{fmt}",
                         ["validate", str(path), *opts, "--schema", str(schema), "--format", fmt]))
        jobs.append((f"update-{path.stem}", ["schema", "update", str(schema), str(path), *opts]))
        if path != base:
            jobs.append((f"validate-baseline-{path.stem}",
                         ["validate", str(path), *opts, "--schema", str(schema), "--baseline", str(base),
                          "--format", "json"]))
            for fmt in REPORT_FORMATS:
                jobs.append((f"drift-{path.stem}-{fmt}", ["drift", str(base), str(path), *opts, "--format", fmt]))
            jobs.append((f"drift-schema-{path.stem}",
                         ["drift", str(base), str(path), *opts, "--schema", str(schema), "--format", "json"]))
            for method in ("jsd", "psi", "numeric=wasserstein", "categorical=chi2"):
                jobs.append((f"drift-{method.replace('=', '-')}-{path.stem}",
                             ["drift", str(base), str(path), *opts, "--method", method, "--format", "json"]))
    list(pool.map(lambda job: run(work, *job), jobs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to write the snapshot into (replaced)")
    parser.add_argument("data", type=Path, nargs="*", help="more directories of datasets")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    directories = [ROOT / "sample_data", *args.data]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for directory in directories:
            snapshot_directory(directory.resolve(), args.out, pool)
    print(f"wrote {sum(1 for _ in args.out.rglob('*.stdout'))} command outputs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
