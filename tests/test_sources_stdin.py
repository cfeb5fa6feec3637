"""`-`, /dev/stdin and named pipes as DATA: the same statistics, validation and drift as the file, byte for byte
apart from the input's name; the format sniffed from the first bytes; clear errors, exit 2."""

from __future__ import annotations

import gzip
import os
import threading
from pathlib import Path

import pytest

from datacheck.errors import InputError
from datacheck.stdin_source import sniff_format
from tests.input_kinds import SAMPLE, assert_same_json, cli, json_out

TRAIN, BROKEN, DRIFTED = SAMPLE / "loans_train.csv", SAMPLE / "loans_broken.csv", SAMPLE / "loans_drifted.csv"


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    proc = cli("infer", str(TRAIN), "-o", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    return path


@pytest.mark.parametrize("data", [TRAIN, SAMPLE / "loans_train.parquet"])
def test_stats_from_stdin_equal_the_file(data: Path) -> None:
    local = json_out(cli("stats", str(data), "--format", "json"))
    piped = json_out(cli("stats", "-", "--format", "json", stdin=data.read_bytes()))
    assert '"path": "<stdin>"' in piped
    assert_same_json(local, piped, {str(data): "DATA"}, {"<stdin>": "DATA"})


def test_validate_and_drift_from_stdin_equal_the_file(schema: Path) -> None:
    local = json_out(cli("validate", str(BROKEN), "-s", str(schema), "--format", "json"))
    piped = json_out(cli("validate", "-", "-s", str(schema), "--format", "json", stdin=BROKEN.read_bytes()))
    assert '"file": "<stdin>"' in piped  # examples name their input
    assert_same_json(local, piped, {str(BROKEN): "DATA"}, {"<stdin>": "DATA"})
    local = json_out(cli("drift", str(TRAIN), str(DRIFTED), "--format", "json"))
    piped = json_out(cli("drift", str(TRAIN), "-", "--format", "json", stdin=DRIFTED.read_bytes()))
    assert_same_json(local, piped, {str(DRIFTED): "DATA"}, {"<stdin>": "DATA"})


def test_gzip_on_dev_stdin_and_the_process_engine() -> None:
    local = json_out(cli("stats", str(TRAIN), "--format", "json"))
    piped = json_out(cli("stats", "/dev/stdin", "--format", "json", "--engine", "processes", "--workers", "2",
                         stdin=gzip.compress(TRAIN.read_bytes())))
    assert_same_json(local, piped, {str(TRAIN): "DATA"}, {"/dev/stdin": "DATA"})


def test_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "loans.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as handle:
            handle.write(TRAIN.read_bytes())

    writer = threading.Thread(target=feed)
    writer.start()
    piped = json_out(cli("stats", str(fifo), "--format", "json"))
    writer.join()
    local = json_out(cli("stats", str(TRAIN), "--format", "json"))
    assert_same_json(local, piped, {str(TRAIN): "DATA"}, {str(fifo): "DATA"})


def test_the_copy_is_gone_after_the_run(tmp_path: Path) -> None:
    proc = cli("stats", "-", "--format", "json", stdin=TRAIN.read_bytes(), env={"TMPDIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("head, expected", [
    (b"PAR1\x15\x04", "parquet"), (b"ARROW1\x00\x00", "ipc"), (b'[{"a": 1}]', "json"),
    (b'{"a": 1}\n{"a": 2}\n', "ndjson"), (b'{\n  "a": [1, 2]\n}\n', "json"), (b'{"a": [1, 2]}\n', "json"),
    (b"a,b\n1,2\n", "csv"), (b"a\tb\n1\t2\n", "tsv"), (b"\xef\xbb\xbfa;b\n1;2\n", "csv"),
])
def test_sniffed_formats(head: bytes, expected: str) -> None:
    assert sniff_format(head, "<stdin>") == expected


def test_binary_of_no_known_format_needs_input_format() -> None:
    with pytest.raises(InputError, match="cannot tell the format"):
        sniff_format(b"\x00\x01\x02garbage", "<stdin>")
    proc = cli("stats", "-", stdin=b"\x00\x01\x02garbage")
    assert proc.returncode == 2 and b"--input-format" in proc.stderr and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("data, message", [
    (b"", b"<stdin>: the input is empty (0 bytes)"),
    (b"a,b\n1,2\n3,4,5\n", b"<stdin>:3: malformed CSV"),
])
def test_errors_name_stdin(data: bytes, message: bytes) -> None:
    proc = cli("stats", "-", stdin=data)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr.decode()
    assert b"/proc/" not in proc.stderr and b"Traceback" not in proc.stderr


def test_input_format_is_obeyed() -> None:
    # Sniffed, this is CSV; read as the TSV asked for, every line is one field, and the reader says so.
    proc = cli("stats", "-", "--input-format", "tsv", stdin=b"a,b\n1,2\n3,4\n")
    assert proc.returncode == 2 and b"not on the delimiter '\\t'" in proc.stderr, proc.stderr.decode()


def test_an_endless_binary_device_is_refused_from_its_first_bytes(tmp_path: Path) -> None:
    proc = cli("stats", "/dev/zero", env={"TMPDIR": str(tmp_path)}, timeout=60)
    assert proc.returncode == 2 and b"cannot tell the format" in proc.stderr, proc.stderr.decode()
    assert list(tmp_path.iterdir()) == []  # the partial copy is removed
