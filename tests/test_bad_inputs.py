"""Every bad input, through every command that reads that kind of input.

The corpus is built by tests/bad_inputs/generate.py (its `CASES` table holds each input's expected exit
code and message fragment). For an input datacheck cannot run on, every command must:
- exit 2;
- print one or two lines on stderr (the error and a hint; a schema that breaks its JSON Schema adds one
  line per error, each naming its JSON path) that name the file, and the line where one is known;
- print no traceback, anywhere;
- print nothing on stdout with --format json, and create no file with -o.
Inputs that look bad but are legitimate (a UTF-8 BOM, a 50 MB value, 10,000 columns, mixed JSON types,
moderately nested JSON) must work.

Set DATACHECK_LONG_LINE_MB to shrink the 50 MB inputs when iterating locally.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_inputs"))
import generate as corpus  # noqa: E402

from datacheck.cli import app  # noqa: E402

runner = CliRunner()
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# A command line for one case: (corpus dir, case path, output path) -> argv. "-o" variants check that a
# failing run creates no file; "json" variants that stdout stays empty.
Variant = Callable[[Path, str, str], list[str]]


def _good(root: Path) -> tuple[str, str, str]:
    return str(root / corpus.GOOD_CSV), str(root / corpus.GOOD_SCHEMA), str(root / corpus.GOOD_STATS)


DATA_VARIANTS: dict[str, Variant] = {
    "stats-json": lambda r, p, o: ["stats", p, "--format", "json"],
    "stats-o": lambda r, p, o: ["stats", p, "-o", o],
    "infer": lambda r, p, o: ["infer", p],
    "infer-o": lambda r, p, o: ["infer", p, "-o", o],
    "validate-json": lambda r, p, o: ["validate", p, "--schema", _good(r)[1], "--format", "json"],
    "validate-o": lambda r, p, o: ["validate", p, "--schema", _good(r)[1], "-o", o],
    "drift-current": lambda r, p, o: ["drift", _good(r)[0], p, "--format", "json"],
    "drift-baseline-o": lambda r, p, o: ["drift", p, _good(r)[0], "-o", o],
    "validate-baseline": lambda r, p, o: ["validate", _good(r)[0], "--schema", _good(r)[1], "--baseline", p,
                                          "--format", "json"],
    "schema-update-o": lambda r, p, o: ["schema", "update", _good(r)[1], p, "-o", o],
}
SCHEMA_VARIANTS: dict[str, Variant] = {
    "schema-check": lambda r, p, o: ["schema", "check", p],
    "schema-show": lambda r, p, o: ["schema", "show", p],
    "validate-json": lambda r, p, o: ["validate", _good(r)[0], "--schema", p, "--format", "json"],
    "validate-o": lambda r, p, o: ["validate", _good(r)[0], "--schema", p, "-o", o],
    "drift-o": lambda r, p, o: ["drift", _good(r)[0], _good(r)[0], "--schema", p, "-o", o],
    "schema-update-o": lambda r, p, o: ["schema", "update", p, _good(r)[0], "-o", o],
}
STATS_VARIANTS: dict[str, Variant] = {
    "stats-json": lambda r, p, o: ["stats", p, "--format", "json"],
    "infer-o": lambda r, p, o: ["infer", p, "-o", o],
    "validate-json": lambda r, p, o: ["validate", p, "--schema", _good(r)[1], "--format", "json"],
    "validate-baseline": lambda r, p, o: ["validate", _good(r)[0], "--schema", _good(r)[1], "--baseline", p,
                                          "--format", "json"],
    "drift-baseline": lambda r, p, o: ["drift", p, _good(r)[2], "--format", "json"],
    "drift-current-o": lambda r, p, o: ["drift", _good(r)[2], p, "-o", o],
    "merge-o": lambda r, p, o: ["merge", _good(r)[2], p, "-o", o],
    "merge-json": lambda r, p, o: ["merge", p, _good(r)[2], "--format", "json"],
    "schema-update-o": lambda r, p, o: ["schema", "update", _good(r)[1], p, "-o", o],
}
VARIANTS = {"data": DATA_VARIANTS, "schema": SCHEMA_VARIANTS, "stats": STATS_VARIANTS}
#: The large inputs go through fewer commands, to keep the suite fast; each command's reading path is the
#: same code as for the small ones.
SLOW_VARIANTS = ("stats-o", "validate-json")

#: Where a command's exit code differs from the case's, by design.
EXIT_OVERRIDES = {
    # validate reads an input with a header and no rows as data and reports `empty_dataset` (exit 1).
    ("header_only", "validate-json"): 1,
    ("header_only", "validate-o"): 1,
    ("header_only_parquet", "validate-json"): 1,
    ("header_only_parquet", "validate-o"): 1,
}

#: Where a command words the problem its own way (merge only reads statistics, so any other JSON is "not a
#: datacheck statistics file").
FRAGMENT_OVERRIDES = {
    ("random_json_object", "merge-o"): "not a datacheck statistics file",
    ("random_json_object", "merge-json"): "not a datacheck statistics file",
    ("schema_as_data", "merge-o"): "schema file",
    ("schema_as_data", "merge-json"): "schema file",
}

#: Known bugs in modules this suite does not own, kept as strict xfails until fixed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _params() -> list:
    params = []
    for case in corpus.CASES:
        variants = VARIANTS[case.role]
        names = [v for v in variants if v in SLOW_VARIANTS] if case.slow else list(variants)
        if case.name == "wide":
            continue  # test_ten_thousand_columns_work runs it once, with a time bound
        for name in names:
            bug = KNOWN_BUGS.get((case.name, name))
            marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
            params.append(pytest.param(case, name, id=f"{case.name}-{name}", marks=marks))
    return params


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("bad_inputs")
    corpus.generate(directory)
    corpus.write_good_statistics(directory)
    yield directory
    for locked in ("locked", "locked.csv"):
        if (directory / locked).exists():
            os.chmod(directory / locked, 0o755)


@pytest.fixture
def unreadable_as_root(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """As root, permissions are not enforced; make datacheck's permission check see them as if they were."""
    if not IS_ROOT:
        return
    import datacheck.sources as sources

    real_access = os.access

    def access(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "locked" in os.fspath(path):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(sources.os, "access", access)


def _run(argv: list[str]):
    result = runner.invoke(app, argv)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv} raised {type(result.exception).__name__}: {result.exception}") \
            from result.exception
    return result


def _message_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


@pytest.mark.parametrize(("case", "variant"), _params())
def test_bad_input(case: corpus.Case, variant: str, root: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if case.name.startswith("unreadable"):
        request.getfixturevalue("unreadable_as_root")
    out = tmp_path / "out.json"
    path = str(root / case.path)
    argv = VARIANTS[case.role][variant](root, path, str(out))
    result = _run(argv)
    expected = EXIT_OVERRIDES.get((case.name, variant), case.exit_code)
    everything = result.stdout + result.stderr

    assert "Traceback" not in everything, everything[-2000:]
    if expected == corpus.OK:
        assert result.exit_code in (0, 1), (argv, result.exit_code, result.stderr[-2000:])
        return
    assert result.exit_code == expected, (argv, result.stdout[-500:], result.stderr[-2000:])
    if expected != corpus.CANNOT_RUN:
        return
    lines = _message_lines(result.stderr)
    listed = [line for line in lines if line.lstrip().startswith("$")]  # one per JSON Schema error
    assert 1 <= len(lines) - len(listed) <= 2, result.stderr
    assert lines[0].startswith("Error:"), result.stderr
    assert path in result.stderr or os.path.relpath(path) in result.stderr, result.stderr
    fragment = FRAGMENT_OVERRIDES.get((case.name, variant), case.fragment)
    assert fragment.lower() in result.stderr.lower(), (fragment, result.stderr)
    if case.names_line is not None:
        assert f"{path}:{case.names_line}:" in result.stderr, result.stderr
    assert result.stdout == "", result.stdout[:500]
    assert not out.exists(), "a failed run created its output file"
    assert list(tmp_path.iterdir()) == [], "a failed run left a file behind"


def test_every_case_runs_through_every_command_of_its_role() -> None:
    """The table covers each role and each case is exercised (guards against a case silently dropping out)."""
    covered = {p.values[0].name for p in _params()} | {"wide"}
    assert covered == {c.name for c in corpus.CASES}
    assert {c.role for c in corpus.CASES} == set(VARIANTS)
    assert len({c.name for c in corpus.CASES}) == len(corpus.CASES)


# ------------------------------------------------------------------------------ inputs that must work


def _stats(root: Path, name: str) -> dict:
    result = _run(["stats", str(root / corpus.case(name).path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_utf8_bom_is_not_part_of_the_first_column_name(root: Path) -> None:
    document = _stats(root, "utf8_bom")
    assert [c["name"] for c in document["columns"]] == ["id", "city"]


def test_mixed_json_types_and_nesting_are_read(root: Path) -> None:
    for name in ("json_mixed_types", "json_array_mixed_types"):
        document = _stats(root, name)
        assert [c["name"] for c in document["columns"]] == ["id", "v"], name
        v = document["columns"][1]
        assert v["count"] + v["null_count"] == document["num_rows"]
    nested = _stats(root, "nested_ndjson")
    assert nested["num_rows"] == 5 and nested["columns"][1]["kind"] == "nested"


def test_odd_column_names_are_kept_as_written(root: Path) -> None:
    document = _stats(root, "odd_column_names")
    assert [c["name"] for c in document["columns"]] == ["n", "value", "count", "0|null", "[red]x[/red]", "a,b", "😀",
                                                       " padded "]
    table = _run(["stats", str(root / corpus.case("odd_column_names").path)])
    assert "[red]x[/red]" in table.stdout  # rendered as text, not as rich markup


def test_a_row_with_a_50_mb_value_works(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = _run(["stats", str(root / corpus.case("long_value").path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    text = json.loads(out.read_text(encoding="utf-8"))["columns"][1]
    assert text["lengths"]["max"] == corpus.LONG_LINE_BYTES // (1 << 20) * (1 << 20)


#: 10,000 columns must work in reasonable time and memory (~9 s and 0.5 GB for the CLI, with 40 MB of JSON out).
#: ee75d68 once made this ~110 s and > 20 GB; the subprocess and its caps keep such a regression from OOM-ing the run.
WIDE_SECONDS = 45
WIDE_MEMORY = 4 * 1024 ** 3


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (WIDE_MEMORY, WIDE_MEMORY))


def test_ten_thousand_columns_work(root: Path, tmp_path: Path) -> None:
    """In a subprocess with a memory cap and a timeout, so that a regression fails this test instead of
    taking the whole test run down with it."""
    out = tmp_path / "wide.json"
    corpus.generate(root, ["wide"])
    try:
        proc = subprocess.run([sys.executable, "-m", "datacheck", "stats", str(root / "wide.csv"), "-o", str(out)],
                              capture_output=True, text=True, timeout=WIDE_SECONDS,
                              preexec_fn=_limit_memory if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"10,000 columns took more than {WIDE_SECONDS} s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["columns"]) == corpus.WIDE_COLUMNS and document["num_rows"] == 20


# ------------------------------------------------------------------------ the pipe and the command line


def test_stdout_closed_early_is_not_an_error(root: Path, tmp_path: Path) -> None:
    """`datacheck stats big.csv | head -1`: the reader leaves after one line; no traceback, exit 0."""
    big = tmp_path / "big.csv"
    with open(big, "w", encoding="utf-8") as handle:
        handle.write("id,name,amount\n")
        handle.writelines(f"{i},name{i % 5000},{i * 0.5}\n" for i in range(200_000))
    for fmt in ("json", "table", "markdown"):
        proc = subprocess.Popen([sys.executable, "-m", "datacheck", "stats", str(big), "--format", fmt],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does
        stderr = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
        assert first, fmt
        assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
        assert code == 0, (fmt, code, stderr)


def test_validate_keeps_its_exit_code_when_stdout_closes_early(root: Path) -> None:
    good, schema, _ = _good(root)
    bad = root / "bad_rows.csv"
    bad.write_text("id,amount\n1,x\n", encoding="utf-8")
    cmd = f"{sys.executable} -m datacheck validate {bad} --schema {schema} --format github | head -c 1 >/dev/null; " \
          "echo ${PIPESTATUS[0]}"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, check=False, timeout=120)
    assert proc.stdout.strip() == "1", proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors_keep_exit_2_and_help_exit_0() -> None:
    proc = subprocess.run([sys.executable, "-m", "datacheck", "stats", "--no-such-option"], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "datacheck", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "stats" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "datacheck", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("datacheck ") and proc.stderr == ""


@pytest.mark.skipif(not IS_ROOT, reason="covered by the unreadable_* corpus cases when not root")
def test_real_permission_errors_are_named_when_not_root() -> None:
    """Documented here so the skip shows up: as root, chmod 000 does not stop reads, so the unreadable_* cases
    run with os.access patched (datacheck checks permissions with os.access before reading)."""
    pytest.skip("running as root: file permissions are not enforced; unreadable_* cases use a patched os.access")
