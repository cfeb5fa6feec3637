"""Smoke test of the statistics benchmark (bench/stats.py): it runs end to end on a tiny table.

No timing assertions -- only that it generates its data, runs both the polars reference and
`datacheck stats`, and prints the comparison table, the RSS scaling lines and the PASS/FAIL checks.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "stats.py"
ARGS = ["--rows", "20000", "--small-rows", "2000", "--repeat", "1"]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCH), *args, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_stats_bench_prints_ratios(tmp_path):
    proc = _run(tmp_path, *ARGS)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for case in ("parquet 2k", "csv 2k", "parquet 20k", "csv 20k"):
        line = next((row for row in out.splitlines() if row.startswith(case)), None)
        assert line is not None, f"no result line for {case!r}:\n{out}"
        assert re.search(r"\s\d+\.\d\dx\s", line), line  # the datacheck/reference ratio column
    assert "RSS ratio" in out
    for check in ("parquet time", "csv time", "parquet memory", "csv memory"):
        assert any(row[:4] in ("PASS", "FAIL") and check in row for row in out.splitlines()), out
    # data is generated under --data-dir and reused
    assert {p.name for p in (tmp_path / "data").iterdir()} == {
        "stats_v1_20000.csv", "stats_v1_20000.parquet", "stats_v1_2000.csv", "stats_v1_2000.parquet",
    }


def test_stats_bench_json(tmp_path):
    # one size only (--small-rows >= --rows): no RSS scaling check, just the two time checks
    proc = _run(tmp_path, "--rows", "2000", "--small-rows", "2000", "--repeat", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["rows"] == [2000]
    assert {r["format"] for r in summary["results"]} == {"parquet", "csv"}
    for r in summary["results"]:
        assert r["ratio"] > 0 and r["datacheck"]["peak_rss"] > 0 and r["reference"]["peak_rss"] > 0
        assert r["datacheck"]["cpu_seconds"] > 0
    assert summary["memory"] == []
    assert [c["name"] for c in summary["checks"]] == ["parquet time", "csv time"]
