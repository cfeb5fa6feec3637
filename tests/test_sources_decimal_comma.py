"""--decimal-comma: a European CSV (';' between fields, '1,5' as a number) gives the statistics of the same data
written with decimal points; without the flag, a note names the text columns that hold such numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.input_kinds import SAMPLE, assert_same_json, cli, json_out


def european(text: str) -> str:
    """The CSV `text` with ';' between fields and a comma for every decimal point of a number."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in rows:
        converted = []
        for value in row:
            try:
                float(value)
                converted.append(value.replace(".", ","))
            except ValueError:
                converted.append(value)
        writer.writerow(converted)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("eu")
    dotted, comma = folder / "dotted.csv", folder / "comma.csv"
    text = (SAMPLE / "loans_train.csv").read_text(encoding="utf-8")
    dotted.write_text(text, encoding="utf-8")
    comma.write_text(european(text), encoding="utf-8")
    assert "," in comma.read_text(encoding="utf-8")  # some numbers really have a decimal comma
    return dotted, comma


def test_decimal_comma_reads_the_numbers_of_the_dotted_file(files: tuple[Path, Path]) -> None:
    dotted, comma = files
    local = json_out(cli("stats", str(dotted), "--format", "json"))
    proc = cli("stats", str(comma), "--delimiter", ";", "--decimal-comma", "--format", "json")
    assert b"decimal comma" not in proc.stderr
    assert_same_json(local, json_out(proc), {str(dotted): "DATA"}, {str(comma): "DATA"})


def test_without_the_flag_a_note_names_the_columns(files: tuple[Path, Path]) -> None:
    dotted, comma = files
    proc = cli("stats", str(comma), "--delimiter", ";", "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    # The columns with a fraction in the dotted file, by a plain look at its values.
    rows = list(csv.DictReader(io.StringIO(dotted.read_text(encoding="utf-8"))))
    fractional = [name for name in rows[0] if any("." in r[name] for r in rows[:200])
                  and all(r[name] == "" or _number(r[name]) for r in rows)]
    assert fractional
    note = proc.stderr.decode()
    assert "--decimal-comma" in note
    for name in fractional:
        assert repr(name) in note


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def test_no_note_for_a_column_of_mixed_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("a;b\n1,5;x\nabc;y\n", encoding="utf-8")
    proc = cli("stats", str(path), "--delimiter", ";")
    assert proc.returncode == 0 and b"decimal comma" not in proc.stderr, proc.stderr.decode()
