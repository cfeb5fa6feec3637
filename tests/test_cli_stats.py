"""`datacheck stats` from the outside: exit codes, stdout/stderr separation, formats and bad input.

Bad input must give a one-line reason that names the file (and line, where known), exit code 2 and no
traceback. Each case writes its own small file, so the test shows exactly what the input was.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.jsonschemas import schema_errors
from datacheck.profile import profile

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_table_output_lists_every_column() -> None:
    result = run("stats", str(SAMPLE / "loans_train.csv"))
    assert result.exit_code == 0, result.output
    for name in ("application_id", "income", "state", "notes", "defaulted"):
        assert name in result.stdout
    assert "5,000 rows × 13 columns" in result.stdout


def test_json_output_is_only_json_and_matches_the_library() -> None:
    result = run("stats", str(SAMPLE / "loans_train.parquet"), "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert schema_errors(document, "statistics") == []
    assert document == json.loads(json.dumps(profile(str(SAMPLE / "loans_train.parquet")).to_dict()))


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run("stats", str(SAMPLE / "loans_train.csv"), "-o", str(first)).exit_code == 0
    assert run("stats", str(SAMPLE / "loans_train.csv"), "-o", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_markdown_escapes_values(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name\n<script>alert(1)</script>|x\n<script>alert(1)</script>|x\n")
    result = run("stats", str(path), "--format", "markdown")
    assert result.exit_code == 0
    assert "<script>" not in result.stdout and "\\<script\\>" in result.stdout


def test_saved_statistics_file_is_accepted_as_data(tmp_path: Path) -> None:
    saved = tmp_path / "stats.json"
    assert run("stats", str(SAMPLE / "loans_clean.csv"), "-o", str(saved)).exit_code == 0
    result = run("stats", str(saved), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(saved.read_text())


def test_directory_and_glob_are_unions(tmp_path: Path) -> None:
    frame = pl.read_parquet(SAMPLE / "loans_train.parquet")
    (tmp_path / "parts").mkdir()
    frame.slice(0, 2000).write_parquet(tmp_path / "parts" / "a.parquet")
    frame.slice(2000).write_parquet(tmp_path / "parts" / "b.parquet")
    by_dir = json.loads(run("stats", str(tmp_path / "parts"), "--format", "json").stdout)
    by_glob = json.loads(run("stats", str(tmp_path / "parts" / "*.parquet"), "--format", "json").stdout)
    assert by_dir["num_rows"] == by_glob["num_rows"] == 5000
    assert [s["rows"] for s in by_dir["sources"]] == [2000, 3000]


def test_compressed_and_other_formats(tmp_path: Path) -> None:
    frame = pl.DataFrame({"x": [1, 2, 3], "s": ["a", "b", "c"]})
    gz = tmp_path / "d.csv.gz"
    gz.write_bytes(gzip.compress(frame.write_csv().encode()))
    frame.write_ndjson(tmp_path / "d.jsonl")
    frame.write_ipc(tmp_path / "d.arrow")
    (tmp_path / "d.tsv").write_text(frame.write_csv(separator="\t"))
    for name in ("d.csv.gz", "d.jsonl", "d.arrow", "d.tsv"):
        result = run("stats", str(tmp_path / name), "--format", "json")
        assert result.exit_code == 0, (name, result.output)
        document = json.loads(result.stdout)
        assert document["num_rows"] == 3 and [c["name"] for c in document["columns"]] == ["x", "s"], name


def test_csv_options(tmp_path: Path) -> None:
    path = tmp_path / "semi.txt"
    path.write_text("1;NA\n2;7\n", encoding="latin1")
    result = run("stats", str(path), "--delimiter", ";", "--no-header", "--null-value", "NA", "--input-format", "csv",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    columns = json.loads(result.stdout)["columns"]
    assert [c["name"] for c in columns] == ["column_0", "column_1"]
    assert columns[1]["null_count"] == 1


def test_latin1_with_flag(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_bytes("city\nMünchen\nKöln\n".encode("latin1"))
    result = run("stats", str(path), "--encoding", "latin1", "--format", "json")
    assert result.exit_code == 0
    assert {v["value"] for v in json.loads(result.stdout)["columns"][0]["top_values"]} == {"München", "Köln"}


BAD_INPUTS = {
    "missing file": (None, "no such file"),
    "empty file": (b"", "empty"),
    "header only": (b"a,b\n", "no rows"),
    "ragged rows": (b"a,b\n1,2\n3,4,5\n", "input.csv:3:"),
    "unclosed quote": (b'a,b\n1,"x\n2,3\n', "quote"),
    "latin-1 without flag": ("a\ncaf\xe9\n".encode("latin1"), "--encoding"),
    "utf-16": ("a,b\n1,2\n".encode("utf-16"), "UTF-16"),
    "nul bytes": (b"a,b\n1,\x002\n", "NUL"),
    "duplicate columns": (b"a,b,a\n1,2,3\n", "duplicate column name 'a'"),
    "empty column name": (b"a,,c\n1,2,3\n", "empty name"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gives_clear_error_and_exit_2(case: str, tmp_path: Path) -> None:
    content, fragment = BAD_INPUTS[case]
    path = tmp_path / "input.csv"
    if content is not None:
        path.write_bytes(content)
    result = run("stats", str(path))
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_truncated_gzip_and_parquet(tmp_path: Path) -> None:
    data = gzip.compress(b"a,b\n" + b"1,2\n" * 5000)
    (tmp_path / "t.csv.gz").write_bytes(data[: len(data) // 2])
    parquet = (SAMPLE / "loans_train.parquet").read_bytes()
    (tmp_path / "t.parquet").write_bytes(parquet[: len(parquet) // 2])
    for name in ("t.csv.gz", "t.parquet"):
        result = run("stats", str(tmp_path / name))
        assert result.exit_code == 2, (name, result.output)
        assert name in result.stderr and "truncated" in result.stderr


def test_glob_matching_nothing(tmp_path: Path) -> None:
    result = run("stats", str(tmp_path / "*.parquet"))
    assert result.exit_code == 2 and "matches no file" in result.stderr


def test_output_into_missing_directory_writes_nothing(tmp_path: Path) -> None:
    result = run("stats", str(SAMPLE / "loans_clean.csv"), "-o", str(tmp_path / "nope" / "s.json"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "nope").exists()


def test_the_entry_point_keeps_exit_codes_and_output_when_it_exits_at_once(tmp_path: Path) -> None:
    # The console script ends the process without tearing the interpreter down (datacheck.cli.run): every
    # exit code, stdout and stderr must come out as they would otherwise.
    script = tmp_path / "entry.py"
    script.write_text("import sys\nfrom datacheck.cli import run\nsys.argv[0] = 'datacheck'\nrun()\n")
    big = tmp_path / "big.csv"
    pl.DataFrame({"x": list(range(200_000))}).write_csv(big)
    for argv, code in ((["stats", str(big), "--format", "json"], 0), (["stats", str(tmp_path / "none.csv")], 2),
                       (["stats", "--no-such-option"], 2)):
        proc = subprocess.run([sys.executable, str(script), *argv], capture_output=True, text=True, check=False)
        assert proc.returncode == code, (argv, proc.stderr)
        if code == 0:
            assert json.loads(proc.stdout)["num_rows"] == 200_000  # the whole document was flushed
        else:
            assert proc.stdout == "" and proc.stderr.strip()


def test_python_dash_m_smoke() -> None:
    proc = subprocess.run([sys.executable, "-m", "datacheck", "stats", str(SAMPLE / "loans_clean.csv"),
                           "--format", "json"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["num_rows"] == 2000
    assert proc.stderr == ""
