"""Several outputs from one run: `-o` is repeatable, each file takes the format of its suffix, the data is
scanned once, and a failure leaves none of the files half-written.

The reference for each file is the same command run once per format (`--format F -o FILE`, the way CI had to
do it before), so every comparison is against an independent run, byte for byte.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from datacheck import output
from datacheck.cli import app
from datacheck.cli.outputs import plan
from datacheck.errors import InputError, UsageError
from datacheck.render.registry import REPORT, SCHEMA, STATS

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
TRAIN, BROKEN = (str(SAMPLE / f"loans_{name}.csv") for name in ("train", "broken"))
runner = CliRunner()


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    result = runner.invoke(app, ["infer", TRAIN, "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _leftovers(directory: Path, expected: set[str]) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name not in expected)


def test_validate_writes_four_formats_from_one_scan(tmp_path: Path, schema_file: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import datacheck.checks as checks

    scans: list[Any] = []
    original = checks.validate_with_statistics

    def counting(*args: Any, **kwargs: Any) -> Any:
        scans.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(checks, "validate_with_statistics", counting)
    names = {"report.json": "json", "junit.xml": "junit", "summary.md": "markdown", "report.html": "html"}
    together = tmp_path / "together"
    together.mkdir()
    argv = ["validate", BROKEN, "-s", str(schema_file)]
    result = runner.invoke(app, [*argv, *(arg for name in names for arg in ("-o", str(together / name)))])
    assert result.exit_code == 1, result.output
    assert len(scans) == 1
    # One reference run per format, each into a directory of its own (so that -o names are the same).
    for name, fmt in names.items():
        alone = tmp_path / fmt
        alone.mkdir()
        single = runner.invoke(app, [*argv, "--format", fmt, "-o", str(alone / name)])
        assert single.exit_code == 1, single.output
        assert (together / name).read_bytes() == (alone / name).read_bytes(), name
    assert len(scans) == 1 + len(names)
    assert json.loads((together / "report.json").read_text())["summary"]["errors"] > 0
    assert ET.parse(together / "junit.xml").getroot().tag == "testsuites"
    assert _leftovers(together, set(names)) == []
    # The message on stderr names every file.
    assert "report.json, " in result.stderr and "report.html: failed" in result.stderr


def test_stats_formats_and_stdout_beside_files(tmp_path: Path, schema_file: Path) -> None:
    out = [tmp_path / "stats.json", tmp_path / "stats.md", tmp_path / "stats.html"]
    result = runner.invoke(app, ["stats", TRAIN, *(arg for path in out for arg in ("-o", str(path)))])
    assert result.exit_code == 0 and result.stdout == "", result.output
    for path, fmt in zip(out, ["json", "markdown", "html"]):
        single = runner.invoke(app, ["stats", TRAIN, "--format", fmt])
        assert path.read_text(encoding="utf-8").rstrip("\n") == single.stdout.rstrip("\n"), fmt
    # `-o -` is stdout in --format, beside a file in its suffix's format.
    both = runner.invoke(app, ["validate", BROKEN, "-s", str(schema_file), "--format", "github", "-o", "-",
                               "-o", str(tmp_path / "r.json")])
    alone = runner.invoke(app, ["validate", BROKEN, "-s", str(schema_file), "--format", "github"])
    json_alone = runner.invoke(app, ["validate", BROKEN, "-s", str(schema_file), "--format", "json"])
    assert both.exit_code == alone.exit_code == 1
    assert both.stdout == alone.stdout and both.stdout.startswith("::error ")
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == json_alone.stdout


def test_a_failed_output_leaves_every_file_as_it_was(tmp_path: Path, schema_file: Path) -> None:
    kept = tmp_path / "report.json"
    kept.write_text("OLD\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", BROKEN, "-s", str(schema_file), "-o", str(kept),
                                 "-o", str(tmp_path / "report.html"), "-o", str(tmp_path / "no_dir" / "junit.xml")])
    assert result.exit_code == 2 and "directory" in result.stderr and "no_dir" in result.stderr
    assert "Traceback" not in result.output
    assert kept.read_text(encoding="utf-8") == "OLD\n"
    assert _leftovers(tmp_path, {"report.json"}) == []


def test_the_same_output_twice_is_a_usage_error(tmp_path: Path, schema_file: Path) -> None:
    path = str(tmp_path / "r.json")
    result = runner.invoke(app, ["validate", BROKEN, "-s", str(schema_file), "-o", path, "-o", path])
    assert result.exit_code == 2 and "given twice" in result.stderr
    assert _leftovers(tmp_path, set()) == []


def test_ctrl_c_while_writing_the_second_file_leaves_both_untouched(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.md"
    first.write_text("OLD A\n", encoding="utf-8")
    second.write_text("OLD B\n", encoding="utf-8")
    calls = []
    real_fsync = os.fsync

    def fsync_then_interrupt(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", fsync_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic_all([(first, "NEW A\n"), (second, "NEW B\n")])
    assert (first.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")) == ("OLD A\n", "OLD B\n")
    assert _leftovers(tmp_path, {"a.json", "b.md"}) == []
    with pytest.raises(InputError, match="is a directory"):
        output.write_atomic_all([(first, "x"), (tmp_path, "y")])
    assert first.read_text(encoding="utf-8") == "OLD A\n"


@pytest.mark.parametrize(("kind", "fmt", "names", "expected"), [
    # Each suffix picks its format; a suffix the kind has no format for takes --format, else a table.
    (REPORT, None, ["r.json", "j.xml", "s.md", "r.html", "r.txt"], ["json", "junit", "markdown", "html", "table"]),
    (REPORT, "github", ["r.json", "r.txt", "-"], ["json", "github", "github"]),
    # Statistics have no junit: an .xml file gets --format (or a table).
    (STATS, None, ["s.xml", "s.md"], ["table", "markdown"]),
    # A single file takes --format when it is given, whatever its suffix (as -o always did).
    (REPORT, "markdown", ["r.json"], ["markdown"]),
    (SCHEMA, "json", ["a.json", "b.md"], ["json", "json"]),
    (REPORT, None, [], ["table"]),
])
def test_the_format_of_each_output(kind: Any, fmt: str | None, names: list[str], expected: list[str]) -> None:
    chosen = plan(kind, fmt, [Path(name) for name in names])
    assert [f for _, f in chosen] == expected
    destinations = [None if name == "-" else name for name in names] or [None]  # no -o: stdout
    assert [None if path is None else path.name for path, _ in chosen] == destinations


def test_plan_refuses_a_path_given_twice_under_two_spellings(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="given twice"):
        plan(REPORT, None, [tmp_path / "r.json", tmp_path / "x" / ".." / "r.json"])


def test_emit_writes_the_same_text_to_every_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Commands that write text of their own (not a registered result) take the same `-o` values."""
    from datacheck.cli.common import emit

    emit("text\n", [tmp_path / "a.txt", Path("-"), tmp_path / "b.txt"])
    assert (tmp_path / "a.txt").read_text() == (tmp_path / "b.txt").read_text() == "text\n"
    assert capsys.readouterr().out == "text\n"
    emit("only stdout", None)
    emit("one file", tmp_path / "c.txt")
    assert capsys.readouterr().out == "only stdout\n" and (tmp_path / "c.txt").read_text() == "one file"
