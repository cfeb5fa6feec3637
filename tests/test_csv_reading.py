"""CSV read as its users mean it: blank lines are no rows, and fields padded after the delimiter are numbers.

References are independent readers: Python's csv module (which yields an empty list for a blank line) and
pandas' read_csv with skipinitialspace=True.
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import datacheck
from datacheck import csv_layout
from datacheck.errors import InputError
from datacheck.sources import ReadOptions

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _csv_module_rows(path: Path) -> list[list[str]]:
    """The data rows as Python's csv module reads them, blank lines (empty lists) left out."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle)]
    return [row for row in rows[1:] if row]


def _stats_json(*args: str) -> tuple[dict, str]:
    done = subprocess.run([sys.executable, "-m", "datacheck", "stats", *args, "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


# ------------------------------------------------------------------------------------------ blank lines


def test_a_trailing_blank_line_is_no_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n\n")
    document, _ = _stats_json(str(path))
    assert document["num_rows"] == len(_csv_module_rows(path)) == 2
    assert [c["null_count"] for c in document["columns"]] == [0, 0]
    assert document["sources"][0]["blank_lines"] == 1


def test_a_file_without_blank_lines_records_none(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    document, _ = _stats_json(str(path))
    assert "blank_lines" not in document["sources"][0] and "stripped_whitespace" not in document["sources"][0]


def _random_csv(rng: random.Random) -> bytes:
    """Rows of two to four columns with blank lines, rows of empty fields, CRLF endings and quoted fields
    holding line breaks (and blank lines) placed at random."""
    width = rng.randint(2, 4)
    newline = rng.choice(["\n", "\r\n"])
    lines = [",".join(f"c{i}" for i in range(width))]
    for _ in range(rng.randint(1, 60)):
        kind = rng.random()
        if kind < 0.2:
            lines.append("")
        elif kind < 0.3:
            lines.append("," * (width - 1))
        else:
            fields = []
            for _ in range(width):
                pick = rng.random()
                if pick < 0.15:
                    fields.append("")
                elif pick < 0.25:
                    fields.append('"x' + newline + newline + 'y"')
                elif pick < 0.35:
                    fields.append('"say ""hi"""')
                else:
                    fields.append(str(rng.randint(-50, 50)))
            lines.append(",".join(fields))
    text = newline.join(lines) + newline * rng.randint(0, 3)
    return text.encode()


@pytest.mark.parametrize("seed", range(3))
def test_the_quick_blank_line_test_matches_a_regular_expression(tmp_path: Path, seed: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-test that spares most files the full blank-line pass: a line break at the start, or followed by
    a line break or by CR LF, checked against `re` on random bytes, with windows of 7 bytes so that blank
    lines fall across window seams too, from bytes and from a file."""
    import re

    monkeypatch.setattr(csv_layout, "CHUNK_BYTES", 7)
    rng = random.Random(seed)
    pieces = [b"a", b",", b"\n", b"\r", b'"']
    found = 0
    for index in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = re.search(rb"(?:^|\n)\r?\n", data) is not None
        found += expected
        assert csv_layout._may_have_blank_lines(data) == expected, data
        if index % 100 == 0:
            path = tmp_path / f"{index}.csv"
            path.write_bytes(data)
            assert csv_layout._may_have_blank_lines(str(path)) == expected, data
    assert 300 < found < 2700  # both answers were exercised


@pytest.mark.parametrize("blank", [b"\n", b"\r\n"])
def test_a_blank_line_across_a_mapped_windows_seam_is_seen(tmp_path: Path, blank: bytes,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A file is mapped a window at a time (windows start on the mapping granularity): a blank line whose
    bytes straddle the seam between two windows, at each position around it, is found."""
    import mmap

    window = mmap.ALLOCATIONGRANULARITY
    monkeypatch.setattr(csv_layout, "CHUNK_BYTES", window)
    path = tmp_path / "t.csv"
    for seam_offset in range(-3, 3):
        body = bytearray(b"a" * (3 * window))
        position = window + seam_offset
        body[position:position] = b"\n" + blank  # a line break, then the blank line
        path.write_bytes(bytes(body))
        assert csv_layout._may_have_blank_lines(str(path)), seam_offset
        body_without = bytes(body).replace(b"\n" + blank, b"\nz" + blank)  # no longer blank
        path.write_bytes(body_without)
        assert not csv_layout._may_have_blank_lines(str(path)), seam_offset



@pytest.mark.parametrize("seed", range(25))
def test_rows_and_nulls_match_the_csv_module(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    if seed % 2:  # tiny chunks: blank lines, quotes and CRLF pairs cut by the chunk boundaries
        monkeypatch.setattr(csv_layout, "CHUNK_BYTES", rng.randint(1, 7))
    path = tmp_path / f"r{seed}.csv"
    path.write_bytes(_random_csv(rng))
    rows = _csv_module_rows(path)
    if not rows:
        return
    stats = datacheck.profile(str(path))
    assert stats.num_rows == len(rows)
    header = next(csv.reader(io.StringIO(path.read_text(), newline="")))
    for position, name in enumerate(header):
        column = stats.column(name)
        assert column is not None
        assert column.null_count == sum(1 for row in rows if row[position] == ""), name
    with open(path, newline="", encoding="utf-8") as handle:
        raw = list(csv.reader(handle))
    # Blank lines: after the header, plus any before it (csv.reader yields [] for each).
    assert stats.sources[0].blank_lines == sum(1 for row in raw if not row)


# ----------------------------------------------------------------------------- whitespace after delimiter


def _padded_file(tmp_path: Path, rows: int = 500, seed: int = 7) -> Path:
    rng = random.Random(seed)
    lines = ["age, workclass, weight, ratio, when"]
    for _ in range(rows):
        work = rng.choice(["State-gov", "Private", "?", "Self-emp"])
        ratio = f"{rng.uniform(-5, 5):.3f}" if rng.random() > 0.1 else "?"
        lines.append(f"{rng.randint(17, 90)}, {work}, {rng.randint(10_000, 900_000)}, {ratio}, "
                     f"2024-01-{rng.randint(1, 28):02d}")
    path = tmp_path / "padded.csv"
    path.write_text("\n".join(lines) + "\n\n")
    return path


def test_padded_fields_read_like_pandas_skipinitialspace(tmp_path: Path) -> None:
    path = _padded_file(tmp_path)
    reference = pd.read_csv(path, skipinitialspace=True, na_values=["?"], keep_default_na=False)
    stats = datacheck.profile(str(path), ReadOptions(null_values=("?",)))
    assert stats.column_names == list(reference.columns)
    assert stats.num_rows == len(reference)
    assert stats.sources[0].stripped_whitespace
    for name in ("age", "weight"):
        column = stats.column(name)
        assert column is not None and column.dtype == "Int64"
        assert column.numeric is not None
        assert column.numeric.mean == pytest.approx(float(reference[name].mean()))
    ratio = stats.column("ratio")
    assert ratio is not None and ratio.dtype == "Float64"
    assert ratio.null_count == int(reference["ratio"].isna().sum())
    assert ratio.numeric is not None and ratio.numeric.mean == pytest.approx(float(reference["ratio"].mean()))
    work = stats.column("workclass")
    assert work is not None and work.null_count == int(reference["workclass"].isna().sum())
    when = stats.column("when")
    assert when is not None and when.dtype == "Date"


def test_question_mark_is_a_value_unless_asked(tmp_path: Path) -> None:
    path = _padded_file(tmp_path)
    reference = pd.read_csv(path, skipinitialspace=True, keep_default_na=False, dtype=str)
    stats = datacheck.profile(str(path))
    work = stats.column("workclass")
    assert work is not None and work.null_count == 0
    assert work.dtype == "String"
    top = dict((v.value, v.count) for v in work.top_values)
    assert top["?"] == int((reference["workclass"] == "?").sum())


def test_keep_whitespace_keeps_the_text(tmp_path: Path) -> None:
    path = _padded_file(tmp_path)
    stats = datacheck.profile(str(path), ReadOptions(keep_whitespace=True))
    assert " workclass" in stats.column_names
    weight = stats.column(" weight")
    assert weight is not None and weight.dtype == "String"
    assert not stats.sources[0].stripped_whitespace


def test_the_cli_notes_the_stripping_on_stderr(tmp_path: Path) -> None:
    path = _padded_file(tmp_path)
    document, stderr = _stats_json(str(path))
    assert "--keep-whitespace" in stderr
    assert document["sources"][0]["stripped_whitespace"] is True
    kept, stderr = _stats_json(str(path), "--keep-whitespace")
    assert "--keep-whitespace" not in stderr and "stripped_whitespace" not in kept["sources"][0]


def test_a_file_without_padding_is_not_stripped(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("name,n\n a,1\nb,2\nc,3\nd,4\n")
    stats = datacheck.profile(str(path))
    assert not stats.sources[0].stripped_whitespace
    name = stats.column("name")
    assert name is not None and any(v.value == " a" for v in name.top_values)


def test_names_equal_once_stripped_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a, a\n1, 2\n")
    with pytest.raises(InputError, match="duplicate column name"):
        datacheck.profile(str(path))


def _shared_padded_files() -> list[Path]:
    """The shared real CSV files laid out with a space after each delimiter (found by content, not name)."""
    found = []
    for path in sorted(SHARED.glob("*/*.data")) if SHARED.is_dir() else []:
        with open(path, encoding="utf-8", errors="replace") as handle:
            handle.readline()
            if ", " in handle.readline():
                found.append(path)
    return found


@pytest.mark.skipif(not _shared_padded_files(), reason="no shared real padded CSV here")
def test_real_padded_file_reads_like_pandas_without_options() -> None:
    for path in _shared_padded_files():
        reference = pd.read_csv(path, skipinitialspace=True)
        stats = datacheck.profile(str(path))
        assert stats.num_rows == len(reference) == len(_csv_module_rows(path))
        for name in reference.columns:
            column = stats.column(name)
            assert column is not None and column.null_count == 0
            if pd.api.types.is_integer_dtype(reference[name]):
                assert column.dtype == "Int64", name
                assert column.numeric is not None and column.numeric.mean == pytest.approx(reference[name].mean())
        asked = datacheck.profile(str(path), ReadOptions(null_values=("?",)))
        with_nulls = pd.read_csv(path, skipinitialspace=True, na_values=["?"], keep_default_na=False)
        for name in with_nulls.columns:
            column = asked.column(name)
            assert column is not None and column.null_count == int(with_nulls[name].isna().sum()), name


def test_padded_types_are_decided_by_the_whole_file(tmp_path: Path) -> None:
    # Beyond the first rows polars infers from: a column empty until late, and integers that turn float.
    lines = ["id, late, turns"]
    lines += [f"{i}, , {i}" for i in range(12_000)]
    lines += ["12000, 7, 2.5"]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n")
    reference = pd.read_csv(path, skipinitialspace=True)
    stats = datacheck.profile(str(path))
    for name, expected in (("id", "Int64"), ("late", "Int64"), ("turns", "Float64")):
        column = stats.column(name)
        assert column is not None and column.dtype == expected, name
        assert column.null_count == int(reference[name].isna().sum())
        assert column.numeric is not None and column.numeric.mean == pytest.approx(float(reference[name].mean()))


def test_saved_statistics_keep_the_layout_and_pass_their_json_schema(tmp_path: Path) -> None:
    path = _padded_file(tmp_path)
    saved = tmp_path / "stats.json"
    done = subprocess.run([sys.executable, "-m", "datacheck", "stats", str(path), "-o", str(saved)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    loaded = datacheck.profile(str(saved))  # a statistics file is checked against its JSON Schema on load
    with open(path, newline="") as handle:
        blank = sum(1 for row in csv.reader(handle) if not row)
    assert loaded.sources[0].blank_lines == blank == 1
    assert loaded.sources[0].stripped_whitespace


def test_duplicate_names_once_stripped_exit_2_on_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a, a\n1, 2\n")
    done = subprocess.run([sys.executable, "-m", "datacheck", "stats", str(path)], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 2 and "duplicate column name" in done.stderr and "Traceback" not in done.stderr
