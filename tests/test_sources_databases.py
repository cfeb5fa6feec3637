"""Database URIs as DATA (--table / --sql): the same statistics, validation and drift as the same rows read from
a local Parquet file, byte for byte apart from the inputs' names. PostgreSQL is a real server started by the
tests (skipped, with the reason, where it is not installed); SQLite and DuckDB are files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from tests import postgres_server
from tests.input_kinds import SAMPLE, assert_same_json, cli, json_out

TRAIN, BROKEN, DRIFTED = (SAMPLE / f"loans_{n}.parquet" for n in ("train", "broken", "drifted"))


def _ingest(connection: object, tables: dict[str, pl.DataFrame]) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    for name, frame in tables.items():
        cursor.adbc_ingest(name, frame.to_arrow(), mode="replace")
    connection.commit()  # type: ignore[attr-defined]
    cursor.close()


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    reason = postgres_server.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    driver = pytest.importorskip("adbc_driver_postgresql.dbapi", reason="adbc-driver-postgresql is not installed")
    with postgres_server.cluster() as uri:
        connection = driver.connect(uri)
        _ingest(connection, {"train": pl.read_parquet(TRAIN), "broken": pl.read_parquet(BROKEN)})
        connection.close()
        yield uri


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    assert cli("infer", str(TRAIN), "-o", str(path)).returncode == 0
    return path


def _name(uri: str, table: str) -> str:
    return f"{uri}#table={table}"


def test_postgres_stats_validate_drift_equal_the_files(postgres: str, schema: Path) -> None:
    local = json_out(cli("stats", str(TRAIN), "--format", "json"))
    remote = json_out(cli("stats", postgres, "--table", "train", "--format", "json"))
    assert f'"path": "{_name(postgres, "train")}"' in remote and '"format": "database"' in remote
    assert_same_json(local.replace('"format": "parquet"', '"format": "database"'), remote,
                     {str(TRAIN): "DATA"}, {_name(postgres, "train"): "DATA"})
    local = json_out(cli("validate", str(BROKEN), "-s", str(schema), "--format", "json"))
    remote = json_out(cli("validate", postgres, "--table", "broken", "-s", str(schema), "--format", "json"))
    assert '"row": ' in remote  # examples carry row numbers: positions in the result, as in the file
    assert_same_json(local, remote, {str(BROKEN): "DATA"}, {_name(postgres, "broken"): "DATA"})
    local = json_out(cli("drift", str(BROKEN), str(TRAIN), "--format", "json"))
    remote = json_out(cli("drift", postgres, str(TRAIN), "--table", "broken", "--format", "json"))
    assert_same_json(local, remote, {str(BROKEN): "DATA"}, {_name(postgres, "broken"): "DATA"})


def test_postgres_sql_and_the_process_engine(postgres: str) -> None:
    expected = pl.read_parquet(TRAIN).filter(pl.col("state") == "CA")
    proc = cli("stats", postgres, "--sql", "SELECT * FROM train WHERE state = 'CA'", "--format", "json",
               "--engine", "processes", "--workers", "2")
    text = json_out(proc)
    assert f'"num_rows": {expected.height},' in text and f'"path": "{postgres}#sql"' in text


def test_password_is_not_shown(postgres: str) -> None:
    with_password = postgres.replace("postgres@", "postgres:s3cret@")
    proc = cli("stats", with_password, "--table", "train", "--format", "json")
    assert b"s3cret" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr.decode()  # trust authentication ignores the password


@pytest.mark.parametrize("args, message", [
    (("--table", "nope"), b"the database refused the query"),
    ((), b"needs --sql QUERY or --table NAME"),
    (("--table", "a b"), b"not a plain table name"),
])
def test_postgres_errors(postgres: str, args: tuple[str, ...], message: bytes) -> None:
    proc = cli("stats", postgres, *args)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


def test_duckdb_file(tmp_path: Path, schema: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "loans.duckdb"
    connection = duckdb.connect(str(path))
    for name, source in (("train", TRAIN), ("broken", BROKEN)):
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{source}')")
    connection.close()
    uri = f"duckdb:///{path}"
    local = json_out(cli("stats", str(TRAIN), "--format", "json"))
    remote = json_out(cli("stats", uri, "--table", "train", "--format", "json"))
    assert_same_json(local.replace('"format": "parquet"', '"format": "database"'), remote,
                     {str(TRAIN): "DATA"}, {_name(uri, "train"): "DATA"})
    local = json_out(cli("validate", str(BROKEN), "-s", str(schema), "--format", "json"))
    remote = json_out(cli("validate", uri, "--sql", "SELECT * FROM broken", "-s", str(schema), "--format", "json"))
    assert_same_json(local, remote, {str(BROKEN): "DATA"}, {f"{uri}#sql": "DATA"})


def test_sqlite_file(tmp_path: Path) -> None:
    driver = pytest.importorskip("adbc_driver_sqlite.dbapi", reason="adbc-driver-sqlite is not installed")
    frame = pl.read_parquet(TRAIN)
    # SQLite has no boolean, date or timestamp type: both hold integers and ISO texts instead.
    stored = frame.with_columns(pl.col("has_cosigner").cast(pl.Int64), pl.col("application_date").cast(pl.String),
                                pl.col("submitted_at").cast(pl.String))
    reference = tmp_path / "reference.parquet"
    stored.write_parquet(reference)
    path = tmp_path / "loans.db"
    connection = driver.connect(str(path))
    _ingest(connection, {"train": stored})
    connection.close()
    uri = f"sqlite:///{path}"
    local = json_out(cli("stats", str(reference), "--format", "json"))
    remote = json_out(cli("stats", uri, "--table", "train", "--format", "json"))
    assert_same_json(local.replace('"format": "parquet"', '"format": "database"'), remote,
                     {str(reference): "DATA"}, {_name(uri, "train"): "DATA"})


def test_missing_database_file(tmp_path: Path) -> None:
    proc = cli("stats", f"sqlite:///{tmp_path}/none.db", "--table", "t")
    assert proc.returncode == 2 and b"no such database file" in proc.stderr


def test_sql_without_a_database_is_a_usage_error() -> None:
    proc = cli("stats", str(TRAIN), "--table", "t")
    assert proc.returncode == 2 and b"--sql/--table" in proc.stderr and b"Traceback" not in proc.stderr


def test_a_missing_driver_names_the_extra(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden"
    (hidden / "adbc_driver_postgresql").mkdir(parents=True)
    (hidden / "adbc_driver_postgresql" / "__init__.py").write_text("raise ImportError('hidden by the test')\n")
    from tests.input_kinds import ROOT

    proc = cli("stats", "postgresql://nobody@127.0.0.1:1/none", "--table", "t",
               env={"PYTHONPATH": f"{hidden}:{ROOT}"})
    assert proc.returncode == 2, proc.stderr.decode()
    assert b"pip install 'datacheck-cli[db]'" in proc.stderr and b"adbc_driver_postgresql" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_a_million_rows_of_postgres_in_bounded_memory(tmp_path: Path) -> None:
    """bench/sources.py on 1M rows: the statistics from PostgreSQL equal the Parquet file's, and the database
    run's peak RSS stays near the file run's (measured: 534 against 379 MiB; reading the whole result into
    memory would add the table itself, ~300 MiB as Arrow, and grow with it)."""
    reason = postgres_server.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    pytest.importorskip("adbc_driver_postgresql", reason="adbc-driver-postgresql is not installed")
    import json
    import subprocess
    import sys

    from tests.input_kinds import ROOT

    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "sources.py"), "--rows", "1000000", "--json",
                           "--data-dir", str(tmp_path / "data"), "--out-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    results = json.loads(proc.stdout)
    names = results["names"]
    local = (tmp_path / "file.json").read_text(encoding="utf-8")
    remote = (tmp_path / "database.json").read_text(encoding="utf-8")
    assert '"num_rows": 1000000,' in remote
    assert_same_json(local.replace('"format": "parquet"', '"format": "database"'), remote,
                     {names["file"]: "DATA"}, {names["database"]: "DATA"})
    assert results["database"]["peak_rss"] < 1.6 * results["file"]["peak_rss"], results
