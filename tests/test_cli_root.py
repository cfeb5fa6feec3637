"""The options before the command: -q/--quiet, -v/--verbose (timings through logging), shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from datacheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
TRAIN = str(ROOT / "sample_data" / "loans_train.csv")
runner = CliRunner()


def _padded(tmp_path: Path) -> Path:
    """A CSV laid out with a space after each comma: reading it prints a note on stderr."""
    path = tmp_path / "padded.csv"
    path.write_text("age, job\n39, clerk\n50, owner\n", encoding="utf-8")
    return path


def test_quiet_keeps_results_and_errors_and_drops_notes(tmp_path: Path) -> None:
    path = str(_padded(tmp_path))
    loud = runner.invoke(app, ["--no-config", "stats", path, "--format", "json"])
    quiet = runner.invoke(app, ["--no-config", "-q", "stats", path, "--format", "json"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "note:" in loud.stderr and quiet.stderr == ""
    assert quiet.stdout == loud.stdout
    # validate's summary line after -o is a diagnostic too; the reason a command failed is not.
    schema = tmp_path / "schema.json"
    assert runner.invoke(app, ["--no-config", "-q", "infer", path, "-o", str(schema)]).stderr == ""
    failed = runner.invoke(app, ["--no-config", "--quiet", "validate", path, "-s", str(tmp_path / "none.json")])
    assert failed.exit_code == 2 and "Error:" in failed.stderr and "no such schema file" in failed.stderr


def test_verbose_logs_the_timing_of_each_step_on_stderr_only(tmp_path: Path) -> None:
    plain = runner.invoke(app, ["--no-config", "stats", TRAIN, "--format", "json"])
    verbose = runner.invoke(app, ["--no-config", "-v", "stats", TRAIN, "--format", "json", "-o", "-",
                                  "-o", str(tmp_path / "s.html")])
    assert verbose.exit_code == 0 and verbose.stdout == plain.stdout
    lines = verbose.stderr.splitlines()
    scan = [line for line in lines if " scan " in line]
    assert len(scan) == 1 and re.search(r"loans_train\.csv: 5,000 rows in \d+\.\d\ds \(reading batches: "
                                        r"\d+\.\d\ds\)$", scan[0]), lines
    assert any(re.search(r"\] render json, html: \d+\.\d\ds$", line) for line in lines), lines
    assert any(re.search(r"\] write .*s\.html: \d+\.\d\ds$", line) for line in lines), lines
    # Each line starts with the time since the command started, which never goes back.
    stamps = [float(re.match(r"\[\s*(\d+\.\d\d)s\]", line).group(1)) for line in lines]  # type: ignore[union-attr]
    assert stamps == sorted(stamps)
    # Without -v the library logs nothing on stderr.
    assert plain.stderr == ""


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_DATACHECK_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword),
           "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "datacheck"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_shell_completion_is_on_and_help_says_how_to_install_it() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout and "datacheck --install-completion" in result.stdout
    assert _complete("datacheck val", 1) == ["validate"]
    assert _complete("datacheck validate --fail-on ", 3) == ["error", "warning"]
    assert _complete("datacheck stats x.csv --engine p", 4) == ["processes"]
    script = subprocess.run([sys.executable, "-m", "datacheck", "--show-completion", "bash"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert script.returncode == 0 and "complete -o default -F _datacheck_completion datacheck" in script.stdout
