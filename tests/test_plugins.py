"""Plug-in check families through the `datacheck.checks` entry point group, with a real installed
distribution (a *.dist-info directory on sys.path, as pip leaves it) and the CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from datacheck.jsonschemas import schema_errors

ROOT = Path(__file__).resolve().parents[1]

PLUGIN = '''
"""A checksum plug-in: every value of a column must be a multiple of a modulus."""
import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily
from datacheck.checks.rows import RowTest, RowWork


class Checksum(CheckFamily):
    entries = (Anomaly("checksum.mismatch", "error", "checksum", "Checksum mismatch",
                       "A value is not a multiple of the modulus.", "correct {column}"),)

    def __init__(self, options):
        self.column = options["column"]
        self.modulus = int(options["modulus"])

    def row_work(self, spec, dtype, kind):
        if spec.name != self.column:
            return RowWork()
        return RowWork(tests=(RowTest("checksum", (pl.col(spec.name) % self.modulus) != 0),))

    def judge_rows(self, ctx, spec, col, rows):
        if spec.name != self.column:
            return
        ctx.ran(spec.name, "checksum")
        tally = rows.tally(spec.name, "checksum")
        if tally.count:
            ctx.add(spec, "checksum.mismatch", f"{tally.count} values are not multiples of {self.modulus}",
                    count=tally.count, examples=tally.examples)

    def judge_statistics(self, ctx, spec, col):
        if spec.name == self.column:
            ctx.skip(spec.name, "checksum", "needs the rows")


def build(options):
    return Checksum(options)
'''


def install(site: Path) -> None:
    """What `pip install` leaves: the package and its dist-info with the entry point."""
    (site / "dc_checksum").mkdir(parents=True)
    (site / "dc_checksum" / "__init__.py").write_text(PLUGIN)
    info = site / "dc_checksum-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dc-checksum\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[datacheck.checks]\nchecksum = dc_checksum:build\n")
    (info / "RECORD").write_text("")


def run(site: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    path = [str(ROOT)] + ([str(site)] if site is not None else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    return subprocess.run([sys.executable, "-m", "datacheck", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)


def write_case(tmp_path: Path, plugin: str = "checksum") -> tuple[Path, Path, list[int]]:
    values = [7 * i + (3 if i % 11 == 0 else 0) for i in range(200)]
    data = tmp_path / "data.csv"
    pl.DataFrame({"code": values}).write_csv(data)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"format": "datacheck.schema", "version": 1,
                                  "columns": [{"name": "code", "type": "integer"}],
                                  "plugins": [{"name": plugin, "options": {"column": "code", "modulus": 7}}]}))
    return data, schema, values


def test_an_installed_plugin_runs_in_the_scan_and_reports_in_json(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install(site)
    data, schema, values = write_case(tmp_path)
    result = run(site, "validate", str(data), "-s", str(schema), "-f", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert schema_errors(document, "report") == []
    [finding] = document["findings"]
    bad = [i for i, v in enumerate(values) if v % 7]
    assert finding["code"] == "checksum.mismatch" and finding["count"] == len(bad)
    assert [e["row"] for e in finding["examples"]] == bad[:5]
    assert {"column": "code", "check": "checksum", "status": "failed", "reason": None} in document["checks"]
    # Every output format prints the plug-in's finding.
    for fmt in ("table", "markdown", "junit", "github", "html"):
        shown = run(site, "validate", str(data), "-s", str(schema), "-f", fmt)
        assert shown.returncode == 1 and "checksum.mismatch" in shown.stdout, (fmt, shown.stderr)


def test_an_unknown_plugin_is_a_clear_error_naming_the_installed_ones(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install(site)
    data, schema, _ = write_case(tmp_path, plugin="nosuch")
    result = run(site, "validate", str(data), "-s", str(schema))
    assert result.returncode == 2
    assert "'nosuch'" in result.stderr and "checksum" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_schema_cannot_bring_its_own_code(tmp_path: Path) -> None:
    # The plug-in's module lies beside the schema but is not installed: the schema cannot load it.
    data, schema, _ = write_case(tmp_path)
    (tmp_path / "dc_checksum.py").write_text("raise SystemExit('imported!')\n")
    result = run(None, "validate", str(data), "-s", str(schema))
    assert result.returncode == 2
    assert "'checksum', which is not installed" in result.stderr
    assert "imported!" not in result.stderr + result.stdout
