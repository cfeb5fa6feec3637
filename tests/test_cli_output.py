"""The one output path: the render registry, each command's --format choices, the format an -o extension
picks, and the read options every command that reads DATA shares.

The expected format lists below are written out by hand (what each command has always been able to write), so
that a registry that loses or gains a format fails here rather than passing against itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.checks import validate
from datacheck.cli import app
from datacheck.drift import drift
from datacheck.infer import infer_schema
from datacheck.profile import profile
from datacheck.render.registry import (
    DRIFT,
    MERGE,
    REPORT,
    SCHEMA,
    STATS,
    Kind,
    RenderContext,
    format_for,
    formats,
    render_text,
)
from datacheck.sources import ReadOptions

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TRAIN, BROKEN, DRIFTED = (str(SAMPLE / f"loans_{name}.csv") for name in ("train", "broken", "drifted"))
runner = CliRunner()

EVERY_REPORT_FORMAT = ["table", "json", "markdown", "junit", "github", "html"]
EXPECTED_CHOICES: dict[tuple[str, ...], list[str]] = {
    ("stats",): ["table", "json", "markdown", "html", "tfdv"],
    ("validate",): EVERY_REPORT_FORMAT,
    ("drift",): EVERY_REPORT_FORMAT,
    ("merge",): ["json", "table", "markdown"],
}
READ_OPTIONS = ["--input-format", "--delimiter", "--encoding", "--null-value", "--no-header"]


def help_text(command: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


# ------------------------------------------------------------------------------------------ --format choices


@pytest.mark.parametrize("command", list(EXPECTED_CHOICES))
def test_help_lists_exactly_the_formats_the_command_writes(command: tuple[str, ...]) -> None:
    line = next(line for line in help_text(command).splitlines() if line.lstrip("│ ").startswith("--format"))
    listed = re.search(r"<([a-z|]+)>", line)
    assert listed is not None, line
    assert listed.group(1).split("|") == EXPECTED_CHOICES[command]


@pytest.mark.parametrize("fmt", ["junit", "github", "yaml"])
def test_stats_refuses_a_format_it_cannot_write_as_a_usage_error(fmt: str) -> None:
    # Before the registry, stats offered junit and github and then failed on them after profiling the data.
    result = runner.invoke(app, ["stats", TRAIN, "--format", fmt])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value for '--format'" in result.stderr and fmt in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_merge_refuses_html_as_a_usage_error(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    assert runner.invoke(app, ["stats", TRAIN, "-o", str(saved)]).exit_code == 0
    result = runner.invoke(app, ["merge", str(saved), "--format", "html"])
    assert result.exit_code == 2 and result.stdout == ""


# ------------------------------------------------------------------------------------ format from -o suffix


@pytest.mark.parametrize(("kind", "name", "expected"), [
    (STATS, "s.json", "json"), (STATS, "s.MD", "markdown"), (STATS, "s.html", "html"),
    (STATS, "s.xml", "table"),  # statistics have no JUnit form: a table, as stats has always written
    (STATS, "s.txt", "table"), (STATS, None, "table"),
    (REPORT, "r.xml", "junit"), (REPORT, "r.md", "markdown"), (REPORT, "r.JSON", "json"), (REPORT, "r", "table"),
    (DRIFT, "d.xml", "junit"), (DRIFT, "d.html", "html"), (DRIFT, "d.csv", "table"),
])
def test_format_for_an_output_path(kind, name: str | None, expected: str) -> None:
    assert format_for(kind, name) == expected


def test_stats_to_a_file_follows_the_extension(tmp_path: Path) -> None:
    table, markdown, page = tmp_path / "s.xml", tmp_path / "s.md", tmp_path / "s.html"
    for path in (table, markdown, page):
        assert runner.invoke(app, ["stats", TRAIN, "-o", str(path)]).exit_code == 0
    assert table.read_text().startswith("5,000 rows × 13 columns")
    assert markdown.read_text().startswith("**5,000 rows × 13 columns**\n")
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_a_table_in_a_file_has_each_kinds_width(tmp_path: Path) -> None:
    # -o FILE tables are printed 120 columns wide for statistics and validation, 160 for drift.
    schema = tmp_path / "schema.json"
    assert runner.invoke(app, ["infer", TRAIN, "-o", str(schema)]).exit_code == 0
    runs = [(120, ["stats", TRAIN]), (120, ["validate", BROKEN, "-s", str(schema)]), (160, ["drift", TRAIN, DRIFTED])]
    for width, args in runs:
        out = tmp_path / f"{args[0]}.txt"
        runner.invoke(app, [*args, "-o", str(out)])
        lines = out.read_text().splitlines()
        assert lines and max(len(line) for line in lines) == width, args[0]


def test_validate_and_drift_write_junit_for_xml_and_merge_keeps_json(tmp_path: Path) -> None:
    schema, report, drifted = tmp_path / "schema.json", tmp_path / "report.xml", tmp_path / "drift.xml"
    assert runner.invoke(app, ["infer", TRAIN, "-o", str(schema)]).exit_code == 0
    assert runner.invoke(app, ["validate", BROKEN, "-s", str(schema), "-o", str(report)]).exit_code == 1
    assert ET.parse(report).getroot().tag == "testsuites"
    assert runner.invoke(app, ["drift", TRAIN, DRIFTED, "-o", str(drifted)]).exit_code == 1
    assert ET.parse(drifted).getroot().attrib["name"] == "datacheck drift"
    saved, merged = tmp_path / "s.json", tmp_path / "merged.md"
    assert runner.invoke(app, ["stats", TRAIN, "-o", str(saved)]).exit_code == 0
    # merge writes a statistics file unless --format says otherwise, whatever the extension.
    assert runner.invoke(app, ["merge", str(saved), str(saved), "-o", str(merged)]).exit_code == 0
    assert json.loads(merged.read_text())["num_rows"] == 2 * 5000


# ----------------------------------------------------------------------------------------------- registry


def test_the_registry_has_the_formats_each_kind_has_always_had() -> None:
    assert formats(STATS) == ("table", "json", "markdown", "html", "tfdv")
    assert formats(REPORT) == formats(DRIFT) == tuple(EVERY_REPORT_FORMAT)
    assert formats(MERGE) == ("json", "table", "markdown")
    assert formats(SCHEMA) == ("table", "json")


def test_every_registered_renderer_writes_its_format() -> None:
    frame = pl.read_csv(TRAIN)
    stats = profile(frame)
    schema = infer_schema(stats)
    results: dict[Kind[Any], Any] = {STATS: stats, MERGE: stats, SCHEMA: schema,
               REPORT: validate(pl.read_csv(BROKEN), schema), DRIFT: drift(stats, profile(pl.read_csv(DRIFTED)))}
    context = RenderContext(statistics=stats, baseline=stats, current=stats, title="schema.json")
    for kind, result in results.items():
        for fmt in formats(kind):
            text = render_text(kind, result, fmt, context)
            if fmt == "json":
                assert json.loads(text) == json.loads(json.dumps(result.to_dict())), kind.name
            elif fmt == "junit":
                assert ET.fromstring(text.split("\n", 1)[1]).tag == "testsuites"
            elif fmt == "html":
                assert text.startswith("<!DOCTYPE html>")
            elif fmt == "github":
                assert text.splitlines()[0].startswith(("::error ", "::warning ", "::notice "))
            elif fmt == "markdown":
                assert "| income |" in text or "| income " in text, kind.name
            else:
                assert "income" in text and "\x1b[" not in text, kind.name


def test_an_unknown_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown stats format 'junit'"):
        render_text(STATS, profile(pl.DataFrame({"x": [1]})), "junit")


# ------------------------------------------------------------------------------------------- read options


@pytest.mark.parametrize("command", [("stats",), ("infer",), ("validate",), ("drift",), ("schema", "update")])
def test_every_command_that_reads_data_has_the_five_read_options_in_order(command: tuple[str, ...]) -> None:
    options = [line.lstrip("│ ").split()[0] for line in help_text(command).splitlines()
               if line.lstrip("│ ").startswith("--")]
    assert [o for o in options if o in READ_OPTIONS] == READ_OPTIONS


def test_read_options_reach_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("1;NA\n2;b\nNA;c\n", encoding="latin1")
    read = ReadOptions(input_format="csv", delimiter=";", null_values=("NA",), has_header=False)
    expected = profile([str(path)], read).to_dict()
    argv = ["--input-format", "csv", "--delimiter", ";", "--null-value", "NA", "--no-header", "--encoding", "latin1"]
    result = runner.invoke(app, ["stats", str(path), *argv, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["columns"] == json.loads(json.dumps(expected))["columns"]
    # Hand count: column_0 has one null of three rows, column_1 one ("NA" in the first row).
    assert [c["null_count"] for c in json.loads(result.stdout)["columns"]] == [1, 1]
    schema = tmp_path / "schema.json"
    assert runner.invoke(app, ["infer", str(path), *argv, "-o", str(schema)]).exit_code == 0
    assert [c["name"] for c in json.loads(schema.read_text())["columns"]] == ["column_0", "column_1"]


@pytest.mark.parametrize("environment", [{}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0"}])
def test_the_lazy_console_answers_is_terminal_as_rich_does(monkeypatch: pytest.MonkeyPatch,
                                                            environment: dict[str, str]) -> None:
    from rich.console import Console

    from datacheck.cli.common import _LazyConsole

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    lazy = _LazyConsole(stderr=True, highlight=False)
    assert lazy.is_terminal == Console(stderr=True, highlight=False).is_terminal


def test_the_lazy_console_keeps_quiet_until_it_is_made() -> None:
    from datacheck.cli.common import _LazyConsole

    lazy = _LazyConsole(stderr=True)
    lazy.quiet = True
    assert lazy._console is None and lazy.quiet is True  # nothing made yet
    assert lazy.width > 0  # any other attribute makes the console, with quiet passed on
    assert lazy._console is not None and lazy._console.quiet is True


def test_the_progress_bar_runs_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    """FORCE_COLOR makes rich treat stderr as a terminal, so `stats` draws its progress bar through the lazily
    made console (rich's Live enters the console with `with`, which a proxy cannot pass on)."""
    data = tmp_path / "t.parquet"
    pl.DataFrame({"a": list(range(1000)), "b": [f"x{i % 7}" for i in range(1000)]}).write_parquet(data)
    out = tmp_path / "s.json"
    env = {**os.environ, "FORCE_COLOR": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run([sys.executable, "-m", "datacheck", "stats", str(data), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Profiling" in proc.stderr  # the bar was drawn
    assert json.loads(out.read_text())["num_rows"] == 1000
