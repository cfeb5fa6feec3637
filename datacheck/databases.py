"""Databases as DATA: a connection URI with a query (`--sql`) or a table (`--table`), read in batches.

    postgresql://USER:PASSWORD@HOST:PORT/DATABASE   through the ADBC PostgreSQL driver (libpq, COPY in binary)
    sqlite:///path/to/file.db                        through the ADBC SQLite driver
    duckdb:///path/to/file.duckdb                    through DuckDB's own Python package

Each driver hands the result over as a stream of Arrow record batches, which becomes a polars LazyFrame
through polars' IO-source plugin: the scan pulls one batch at a time, so memory is bounded by the batches in
flight, whatever the size of the result. The drivers are optional (`pip install 'datacheck-cli[db]'`); a missing
one is named in the error.

Rows come in the order the database returns them: for a table, usually the order they were written, but no
database promises it. Row numbers in examples are positions in that result; a query with ORDER BY on the key
makes them stable (and names the rows).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator
from typing import Any

import polars as pl

from datacheck.errors import InputError, UsageError

SCHEMES = ("postgresql", "postgres", "sqlite", "duckdb")
INSTALL_HINT = "install the database drivers: pip install 'datacheck-cli[db]'"
#: Rows per record batch asked of the drivers that take a row count (DuckDB); the scan re-cuts batches to its
#: own size. PostgreSQL's driver cuts its batches by bytes (16 MiB by default), SQLite's by rows (1,024).
BATCH_ROWS = 100_000
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?")
_DRIVERS = {"postgresql": "adbc_driver_postgresql", "sqlite": "adbc_driver_sqlite", "duckdb": "duckdb"}


def is_database(raw: str) -> bool:
    """True for a connection URI of a database datacheck reads.

    Example:
        >>> is_database("postgresql://me@db/prod"), is_database("sqlite:///loans.db"), is_database("s3://b/k")
        (True, True, False)
    """
    match = _SCHEME.match(raw)
    return match is not None and match.group(1).lower() in SCHEMES


def kind(uri: str) -> str:
    scheme = uri.split("://", 1)[0].lower()
    return "postgresql" if scheme == "postgres" else scheme


def query(sql: str | None, table: str | None, uri: str) -> str:
    """The query to run: `sql`, or every column of `table`.

    Raises:
        UsageError: neither or both given, or a table name that is not a plain (optionally schema-qualified)
            SQL name.
    """
    if (sql is None) == (table is None):
        raise UsageError("a database needs --sql QUERY or --table NAME (one of them)",
                         hint=f"e.g. datacheck stats '{display_name(uri, None, None)}' --table loans")
    if table is not None:
        if not _TABLE_NAME.fullmatch(table):
            raise UsageError(f"--table {table!r} is not a plain table name",
                             hint="use --sql 'SELECT * FROM \"odd name\"' for a name that needs quoting")
        return f"SELECT * FROM {table}"
    assert sql is not None
    return sql.strip().rstrip(";")


def display_name(uri: str, sql: str | None, table: str | None) -> str:
    """How the input is named in sources, errors and examples: the URI without its password, and the table.

    Example:
        >>> display_name("postgresql://me:secret@db:5432/prod", None, "loans")
        'postgresql://me@db:5432/prod#table=loans'
    """
    parts = urllib.parse.urlsplit(uri)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query_text = urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(parts.query)
                                         if "pass" not in k.lower()])
    name = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query_text, ""))
    if parts.scheme in ("sqlite", "duckdb") and parts.netloc == "":
        name = f"{parts.scheme}://{parts.path}"  # keep the three slashes of a file URI
    return f"{name}#table={table}" if table is not None else (f"{name}#sql" if sql is not None else name)


def scan(uri: str, text: str, name: str) -> pl.LazyFrame:
    """A LazyFrame that streams the result of the query `text` from the database, one record batch at a time
    (`name` names the input in errors).

    The columns and their types are read first (see `_schema`).

    Raises:
        InputError: the driver is not installed, the database cannot be reached, or the query fails.
    """
    schema = _schema(uri, text, name)

    def batches(with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None,
                batch_size: int | None) -> Iterator[pl.DataFrame]:
        remaining = n_rows
        for batch in _record_batches(uri, text, name):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame = _typed(frame, schema, name)
            if with_columns is not None:
                frame = frame.select(with_columns)
            if predicate is not None:
                frame = frame.filter(predicate)
            if remaining is not None:
                frame = frame.head(remaining)
                remaining -= frame.height
            yield frame
            if remaining is not None and remaining <= 0:
                return

    from polars.io.plugins import register_io_source

    return register_io_source(batches, schema=schema)


def batches(uri: str, text: str, name: str, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The rows of the query `text`, in frames of exactly `batch_rows` rows (the last one fewer), pulled from
    the driver one record batch at a time.

    The statistics scan reads a database through this rather than through the LazyFrame of `scan`. Pulling
    1M and 3M rows of bench/stats.py's table through polars' streaming engine, fed by the IO-source plugin,
    peaked at 413 and 479 MiB; cut here from the driver's buffers without a copy, at 398 and 437 MiB (the
    driver alone: 209 MiB both times).
    """
    import pyarrow as pa

    schema = _schema(uri, text, name)
    pending: list[Any] = []  # the driver's record batches not yet handed out, never copied until they are
    held = 0
    for batch in _record_batches(uri, text, name):
        pending.append(batch)
        held += batch.num_rows
        while held >= batch_rows:
            table = pa.Table.from_batches(pending)
            yield _frame(table.slice(0, batch_rows), schema, name)
            pending, held = table.slice(batch_rows).to_batches(), held - batch_rows
    if held:
        yield _frame(pa.Table.from_batches(pending), schema, name)


def _frame(table: Any, schema: pl.Schema, name: str) -> pl.DataFrame:
    frame = pl.from_arrow(table, rechunk=False)  # the driver's buffers, not a copy of them
    assert isinstance(frame, pl.DataFrame)
    return _typed(frame, schema, name)


def _typed(frame: pl.DataFrame, schema: pl.Schema, name: str) -> pl.DataFrame:
    """The batch with the types of the result's schema. A driver that types columns by their values (SQLite)
    can type a later batch differently: integers where the schema has floats, or anything where it has text,
    convert without loss; any other change stops the read rather than lose values."""
    if frame.schema == schema:
        return frame
    casts = {}
    for column, dtype in schema.items():
        found = frame.schema[column]
        if found == dtype or found == pl.Null:
            casts[column] = dtype
        elif (dtype == pl.Float64 and found.is_integer()) or dtype == pl.String:
            casts[column] = dtype
        else:
            raise InputError(f"column {column!r} is {found} in a later batch of the result, {dtype} in the first "
                             "rows (SQLite keeps values of several types in one column)", path=name,
                             hint=f"cast it in the query: --sql 'SELECT CAST({column} AS REAL) AS {column}, ...'")
    return frame.cast(casts)  # type: ignore[arg-type]


def _schema(uri: str, text: str, name: str) -> pl.Schema:
    """The result's columns and types. PostgreSQL and DuckDB type a query without running it (LIMIT 0);
    SQLite types columns by their values, so its driver is asked for the types of the real result, which it
    takes from the first rows (1,024) without reading the rest."""
    limited = f"SELECT * FROM ({text}) AS datacheck_query LIMIT 0"
    empty = None
    for batch in _record_batches(uri, text if kind(uri) == "sqlite" else limited, name, schema_only=True):
        empty = batch
    assert empty is not None
    frame = pl.from_arrow(empty)
    assert isinstance(frame, pl.DataFrame)
    return frame.schema


def _record_batches(uri: str, text: str, name: str, schema_only: bool = False) -> Iterator[Any]:
    """The record batches of the query's result (for `schema_only`, one empty batch with the columns)."""
    database = kind(uri)
    if database != "postgresql" and _file_path(uri) != ":memory:" and not os.path.isfile(_file_path(uri)):
        raise InputError("no such database file", path=name,
                         hint=f"{database}:///relative/path.db or {database}:////absolute/path.db")
    try:
        if database == "duckdb":
            yield from _duckdb_batches(uri, text, schema_only)
        else:
            yield from _adbc_batches(database, uri, text, schema_only)
    except ImportError as exc:
        raise InputError(f"reading {database} needs the {_DRIVERS[database]} package, which cannot be imported "
                         f"({exc})", path=name, hint=INSTALL_HINT) from None
    except (InputError, UsageError):
        raise
    except Exception as exc:  # the drivers raise their own DB-API error classes
        raise InputError(f"the database refused the query or cannot be reached: {_first_line(exc)}", path=name,
                         hint="check the URI, the credentials and the query") from None


def _adbc_batches(database: str, uri: str, text: str, schema_only: bool) -> Iterator[Any]:
    if database == "postgresql":
        import adbc_driver_postgresql.dbapi as driver

        connection = driver.connect(uri)
    else:
        import adbc_driver_sqlite.dbapi as sqlite_driver

        path = _file_path(uri)
        connection = sqlite_driver.connect(f"file:{path}?mode=ro" if path != ":memory:" else path)
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(text)
            reader = cursor.fetch_record_batch()
            if schema_only:
                yield _empty(reader.schema)
                return
            yield from reader
        finally:
            cursor.close()
    finally:
        connection.close()


def _duckdb_batches(uri: str, text: str, schema_only: bool) -> Iterator[Any]:
    import duckdb

    connection = duckdb.connect(_file_path(uri), read_only=True)
    try:
        relation = connection.sql(text)
        make_reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
        reader = make_reader(BATCH_ROWS)
        if schema_only:
            yield _empty(reader.schema)
            return
        yield from reader
    finally:
        connection.close()


def _empty(schema: Any) -> Any:
    import pyarrow as pa

    return pa.RecordBatch.from_pylist([], schema=schema)


def _file_path(uri: str) -> str:
    """The file of `sqlite:///path` or `duckdb:///path` (four slashes for an absolute path, three for a
    relative one, as SQLAlchemy writes them)."""
    path = uri.split("://", 1)[1]
    path = path[1:] if path.startswith("/") else path
    return urllib.parse.unquote(path.split("?", 1)[0]) or ":memory:"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


__all__ = ["batches", "BATCH_ROWS", "INSTALL_HINT", "SCHEMES", "display_name", "is_database", "kind", "query", "scan"]
