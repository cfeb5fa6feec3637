"""A database as DATA against the same rows in a local Parquet file: time and peak RSS of `datacheck stats`,
and of the connectors that could read the result (ADBC's record-batch stream, which datacheck uses, against
connectorx reading the whole result).

    python bench/sources.py                 # 1M rows of bench/stats.py's table, in a PostgreSQL started here
    python bench/sources.py --rows 200000   # a smaller table
    python bench/sources.py --json          # machine-readable results on stdout

Needs PostgreSQL's server binaries (initdb, pg_ctl) and `pip install '.[db]'`; connectorx is measured when
it is installed. Prints the figures and exits 0; the statistics of both inputs must agree byte for byte
apart from the input's name, else it exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import DATA_DIR, REPO_ROOT, fmt_bytes, measure  # noqa: E402

from tests.postgres_server import cluster, missing_reason  # noqa: E402

TABLE = "bench"
ADBC_READ = ("import sys, adbc_driver_postgresql.dbapi as d; c = d.connect(sys.argv[1]); k = c.cursor(); "
             f"k.execute('SELECT * FROM {TABLE}'); print(sum(b.num_rows for b in k.fetch_record_batch()))")
ADBC_WHOLE = ("import sys, adbc_driver_postgresql.dbapi as d; c = d.connect(sys.argv[1]); k = c.cursor(); "
              f"k.execute('SELECT * FROM {TABLE}'); print(k.fetch_arrow_table().num_rows)")
CONNECTORX_WHOLE = ("import sys, connectorx as cx; "
                    f"print(cx.read_sql(sys.argv[1], 'SELECT * FROM {TABLE}', return_type='arrow').num_rows)")


# Generating and loading the table run in child processes: on Linux a child's peak RSS starts from its parent's
# at the fork, so this process must stay small for the measured children's figures to be their own.
GENERATE = "import sys; from stats import generate_frame; generate_frame(int(sys.argv[1])).write_parquet(sys.argv[2])"
LOAD = ("import sys, polars as pl, adbc_driver_postgresql.dbapi as d; c = d.connect(sys.argv[1]); k = c.cursor(); "
        f"k.adbc_ingest('{TABLE}', pl.read_parquet(sys.argv[2]).to_arrow(), mode='replace'); c.commit(); c.close()")


def _data(rows: int, data_dir: Path, env: dict) -> Path:
    path = data_dir / f"sources_{rows}.parquet"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        measure([sys.executable, "-c", GENERATE, str(rows), str(path)],
                env={**env, "PYTHONPATH": f"{Path(__file__).resolve().parent}"})
    return path


def run(rows: int, data_dir: Path, out_dir: Path | None = None) -> dict:
    reason = missing_reason()
    if reason is not None:
        raise SystemExit(f"cannot run: {reason}")
    python = [sys.executable]
    env = {"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"}
    path = _data(rows, data_dir, env)
    results: dict = {"rows": rows}
    with cluster() as uri, tempfile.TemporaryDirectory() as scratch:
        tmp = out_dir or Path(scratch)
        results["load_seconds"] = round(measure([*python, "-c", LOAD, uri, str(path)], env=env).seconds, 2)
        outputs = {}
        for label, data in (("file", [str(path)]), ("database", [uri, "--table", TABLE])):
            out = Path(tmp) / f"{label}.json"
            run_ = measure([*python, "-m", "datacheck", "stats", *data, "-o", str(out)], env=env)
            results[label] = {"seconds": round(run_.seconds, 2), "peak_rss": run_.peak_rss}
            outputs[label] = out.read_text(encoding="utf-8")
        name = f"{uri}#table={TABLE}"
        results["names"] = {"file": str(path), "database": name}
        local = outputs["file"].replace(str(path), "DATA").replace('"format": "parquet"', '"format": "database"')
        results["same_statistics"] = local == outputs["database"].replace(name, "DATA")
        connectors = {"adbc stream": ADBC_READ, "adbc whole table": ADBC_WHOLE}
        try:
            import connectorx  # noqa: F401

            connectors["connectorx whole table"] = CONNECTORX_WHOLE
        except ImportError:
            pass
        for label, code in connectors.items():
            run_ = measure([*python, "-c", code, uri], env=env)
            results[label] = {"seconds": round(run_.seconds, 2), "peak_rss": run_.peak_rss}
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out-dir", type=Path, help="keep the two statistics files here (file.json, database.json)")
    args = parser.parse_args(argv)
    results = run(args.rows, args.data_dir, args.out_dir)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{results['rows']:,} rows, loaded into PostgreSQL in {results['load_seconds']} s")
        for label in ("file", "database", "adbc stream", "adbc whole table", "connectorx whole table"):
            if label in results:
                figures = results[label]
                print(f"  {label:<24} {figures['seconds']:>7.2f} s   peak RSS {fmt_bytes(figures['peak_rss'])}")
        print(f"  statistics identical apart from the name: {results['same_statistics']}")
    return 0 if results["same_statistics"] else 1


if __name__ == "__main__":
    sys.exit(main())
