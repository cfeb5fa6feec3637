"""Smoke test of bench/rules.py: on a tiny table it runs validate with and without the rules and prints the
ratio, with every rule check passing (the 20 rules hold on the generated data, none is left unevaluated)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "rules.py"


def test_rules_bench_runs_and_every_rule_check_passes(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--rows", "20000", "--repeat", "1", "--data-dir",
                           str(tmp_path / "data")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^parquet 20k .* \d+\.\d\dx ", proc.stdout, re.MULTILINE), proc.stdout
    assert "rule checks passed: 4; findings: 0" in proc.stdout
    assert re.search(r"^(PASS|FAIL) rules time", proc.stdout, re.MULTILINE)
