"""The history store: the statistics of every batch a monitor has seen, in one local SQLite file.

A batch is one run's data: its time, its sources, its `Statistics`, the metrics the monitor measures from them
(`datacheck.monitor_metrics`) and, when validation or drift ran with it, their summaries. The store holds
statistics only, never rows.

Why SQLite from the standard library: it needs no server, keeps the whole history in one file that a CI job can
carry between runs, and gives transactions. Every write is one `BEGIN IMMEDIATE` transaction, so of two
writers at the same time one waits (up to `BUSY_TIMEOUT_S`) for the other, and a process killed or
interrupted mid-write leaves the store as it was before that write: SQLite's rollback journal undoes the
half-written transaction the next time the file is opened. The journal is the classic rollback journal, not
WAL: after every commit the whole history is in the one file, which is what a CI artifact or a bucket copy
needs (with WAL, committed batches can sit in a `-wal` file beside it until a checkpoint).

Times are UTC, stored as ISO 8601 text ("2024-06-01T00:00:00Z") so that they sort as text. A batch added again
with the same time and the same sources replaces the earlier one, unless the caller asks to keep both.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from datacheck.errors import DatacheckError, UsageError
from datacheck.monitor_metrics import METRICS, Metrics, pack, unpack
from datacheck.statistics import Statistics

HISTORY_FORMAT = "datacheck.history"
#: The layout of the file (PRAGMA user_version); a file written by a newer datacheck is refused, not misread.
HISTORY_VERSION = 1
#: How long a writer waits for another writer's transaction before giving up. A write takes milliseconds
#: (one batch of 100 columns: about 5 ms on the test machine), so 60 s only ever runs out when a process holds
#: the lock and hangs.
BUSY_TIMEOUT_S = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    sources TEXT NOT NULL,
    rows INTEGER NOT NULL,
    columns INTEGER NOT NULL,
    added TEXT NOT NULL,
    statistics BLOB NOT NULL,
    metric_columns TEXT NOT NULL,
    metrics BLOB NOT NULL,
    validation TEXT,
    drift TEXT,
    verdict TEXT
);
CREATE INDEX IF NOT EXISTS batches_at ON batches (at, sources);
"""


#: The columns every version-1 file has (a file without them was not written by this layout).
_BATCH_COLUMNS = ("id", "at", "sources", "rows", "columns", "added", "statistics", "metric_columns", "metrics",
                  "validation", "drift", "verdict")


class HistoryError(DatacheckError):
    """The history file cannot be opened or read: not a datacheck history, newer than this version, locked."""


# ------------------------------------------------------------------------------------------------ times


def utc_text(moment: _dt.datetime) -> str:
    """A time as the store writes it: UTC, ISO 8601, seconds, "Z".

    Example:
        >>> utc_text(_dt.datetime(2024, 6, 1, 2, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=2))))
        '2024-06-01T00:00:00Z'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> _dt.datetime:
    """An `--at` value as a UTC time: "now", a date ("2024-06-01", midnight UTC), or an ISO 8601 date and time
    (without an offset it is UTC).

    Raises:
        UsageError: the text is not a date or time.

    Example:
        >>> utc_text(parse_time("2024-06-01")), utc_text(parse_time("2024-06-01T10:30:00+02:00"))
        ('2024-06-01T00:00:00Z', '2024-06-01T08:30:00Z')
    """
    raw = text.strip()
    if raw.lower() == "now":
        return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    try:
        moment = _dt.datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw)
    except ValueError:
        raise UsageError(f"--at {text!r} is not a date or a time",
                         hint="write --at 2024-06-01 or --at 2024-06-01T06:00:00Z (UTC unless an offset is given)"
                         ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(_dt.timezone.utc)


#: Hive partition keys that name a batch's day, as in "events/date=2024-06-01/part-0.parquet"; an "hour=HH"
#: key beside one adds the hour.
_DAY_KEY = re.compile(r"(?:^|[/\\])(?:date|dt|ds|day)=(\d{4}-\d{2}-\d{2}|\d{8})(?=[/\\]|$)")
_HOUR_KEY = re.compile(r"(?:^|[/\\])hour=(\d{1,2})(?=[/\\]|$)")


def partition_time(paths: Sequence[str]) -> _dt.datetime | None:
    """The time a hive partition key in the paths names (date=, dt=, ds= or day=, plus hour=), when every path
    that has one names the same time; None when no path has one.

    Raises:
        UsageError: the paths name different days (pass --at).

    Example:
        >>> utc_text(partition_time(["lake/date=2024-06-01/hour=05/part-0.parquet"]))
        '2024-06-01T05:00:00Z'
    """
    found: set[str] = set()
    for path in paths:
        day = _DAY_KEY.search(path)
        if day is None:
            continue
        text = day.group(1)
        if len(text) == 8:
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        hour = _HOUR_KEY.search(path)
        found.add(f"{text}T{int(hour.group(1)):02d}:00:00" if hour else f"{text}T00:00:00")
    if not found:
        return None
    if len(found) > 1:
        raise UsageError(f"the paths name {len(found)} different partition times ({', '.join(sorted(found)[:3])}, "
                         "...): a batch has one time", hint="pass --at to say which time the batch stands for")
    return parse_time(found.pop())


def batch_time(at: str | None, paths: Sequence[str]) -> _dt.datetime:
    """The time of a batch: `at` when given, else the hive partition key of its paths, else now (UTC)."""
    if at is not None:
        return parse_time(at)
    return partition_time(paths) or parse_time("now")


# ------------------------------------------------------------------------------------------------ batches


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: it holds an array
class Batch:
    """One batch of the history, without its statistics (load them with `History.statistics(id)`).

    Fields:
        id: the store's number for it; later additions have larger numbers.
        at: its time, UTC ISO 8601 text ("2024-06-01T00:00:00Z").
        sources: the paths it was read from (sorted), or ("<memory>",).
        rows, columns: its size.
        added: when it was written to the store (UTC).
        metric_columns, metric_values: the metrics (see monitor_metrics.pack): the columns ("" for the dataset's
            own, the row count), and an array of columns x METRICS x [value, noise], NaN where missing.
        validation: the summary of a validation that ran with it, or None.
        drift: the summary of the drift against the previous and reference batches, or None.
        verdict: "passed" or "failed" when it was judged (monitor), None when it was only added (backfill).
    """

    id: int
    at: str
    sources: tuple[str, ...]
    rows: int
    columns: int
    added: str
    metric_columns: tuple[str, ...]
    metric_values: np.ndarray
    validation: Mapping[str, Any] | None = None
    drift: Mapping[str, Any] | None = None
    verdict: str | None = None

    @property
    def metrics(self) -> Metrics:
        """The metrics as {column: {metric: [value, noise]}}."""
        return unpack(self.metric_columns, self.metric_values)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "sources": list(self.sources), "rows": self.rows,
                "columns": self.columns, "added": self.added, "verdict": self.verdict,
                "validation": self.validation, "drift": self.drift}


def _row_batch(row: sqlite3.Row) -> Batch:
    columns = tuple(json.loads(row["metric_columns"]))
    values = np.frombuffer(row["metrics"], dtype="<f8").reshape(len(columns), len(METRICS), 2)
    return Batch(row["id"], row["at"], tuple(json.loads(row["sources"])), row["rows"], row["columns"], row["added"],
                 columns, values, json.loads(row["validation"]) if row["validation"] else None,
                 json.loads(row["drift"]) if row["drift"] else None, row["verdict"])


def _pack(stats: Statistics) -> bytes:
    # zlib level 6 shrinks a statistics document about 5x (frequency tables and sketches are repetitive text).
    return zlib.compress(json.dumps(stats.to_dict(), separators=(",", ":"), allow_nan=False).encode(), 6)


def _unpack(blob: bytes) -> Statistics:
    return Statistics.from_dict(json.loads(zlib.decompress(blob)))


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True, allow_nan=False)


# ------------------------------------------------------------------------------------------------ the store


class History:
    """An open history file. Use as a context manager, or call `close()`.

    Example:
        >>> import tempfile, os, polars as pl
        >>> from datacheck.profile import profile
        >>> path = os.path.join(tempfile.mkdtemp(), "history.db")
        >>> with History.open(path) as store:
        ...     _ = store.add(profile(pl.DataFrame({"x": [1, 2]})), at="2024-06-01", metrics={})
        ...     [b.at for b in store.batches()]
        ['2024-06-01T00:00:00Z']
    """

    def __init__(self, path: str, connection: sqlite3.Connection) -> None:
        self.path, self._db = path, connection

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> History:
        """Open (and with `create`, create) the history file at `path`.

        Raises:
            HistoryError: the file is not a datacheck history, is newer than this datacheck, or cannot be opened.
        """
        path = os.fspath(path)
        if not os.path.exists(path) and not create:
            raise HistoryError("no such history file", path=path,
                               hint="create one with 'datacheck monitor DATA --history PATH'")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise HistoryError("the directory of the history file does not exist", path=path)
        try:
            # isolation_level=None: no implicit transactions; every write opens its own BEGIN IMMEDIATE.
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("PRAGMA synchronous=FULL")  # a commit is on disk before the call returns
            store = cls(path, db)
            store._initialise()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(f"cannot open the history: {exc}", path=path,
                               hint="a history file is the SQLite file that 'datacheck monitor --history' writes"
                               ) from None
        return store

    def _initialise(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > HISTORY_VERSION:
            raise HistoryError(f"history version {version} is newer than this datacheck understands "
                               f"({HISTORY_VERSION})", path=self.path,
                               hint="upgrade datacheck: pip install -U datacheck")
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == HISTORY_VERSION:
            found = {r[1] for r in self._db.execute("PRAGMA table_info(batches)")}
            if "batches" not in tables or not set(_BATCH_COLUMNS) <= found:
                raise HistoryError("not a datacheck history of version 1 (its batches table differs)", path=self.path,
                                   hint="pass a new path to start a history")
            return
        if tables - {"sqlite_sequence"}:
            raise HistoryError("not a datacheck history: a SQLite file with other tables", path=self.path,
                               hint="pass a new path to start a history")
        with self._write():
            # One statement at a time: executescript() would commit the open transaction first.
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (HISTORY_FORMAT,))
            self._db.execute(f"PRAGMA user_version = {HISTORY_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction: BEGIN IMMEDIATE takes the write lock at once (waiting up to BUSY_TIMEOUT_S for
        another writer), and anything that escapes, Ctrl-C included, rolls it back."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise HistoryError(f"cannot write the history: {exc}", path=self.path,
                               hint="another process holds it; try again when it has finished") from None
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------------------------------

    def add(self, stats: Statistics, *, at: str | _dt.datetime, metrics: Metrics,
            sources: Sequence[str] | None = None, validation: Mapping[str, Any] | None = None,
            drift: Mapping[str, Any] | None = None, verdict: str | None = None, replace: bool = True,
            remeasured: tuple[int, Metrics, Mapping[str, Any]] | None = None) -> Batch:
        """Add a batch; with `replace` (the default) a batch with the same time and sources is replaced.

        `remeasured` = (id, metrics, drift summary) of the batch after it, measured again against it (a batch added
        before the newest changes what the next one is compared with): written in the same transaction.

        Returns:
            The batch as stored.
        """
        when = at if isinstance(at, str) and at.endswith("Z") and len(at) == 20 else utc_text(
            at if isinstance(at, _dt.datetime) else parse_time(at))
        names = sorted(sources if sources is not None else (s.path for s in stats.sources)) or ["<memory>"]
        added = utc_text(_dt.datetime.now(_dt.timezone.utc))
        columns, array = pack(metrics)
        values = (when, json.dumps(names), stats.num_rows, len(stats.columns), added, _pack(stats),
                  json.dumps(columns), array.astype("<f8").tobytes(), _dumps(validation), _dumps(drift), verdict)
        with self._write():
            if replace:
                self._db.execute("DELETE FROM batches WHERE at = ? AND sources = ?", (when, json.dumps(names)))
            cursor = self._db.execute(
                "INSERT INTO batches (at, sources, rows, columns, added, statistics, metric_columns, metrics, "
                "validation, drift, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            new_id = cursor.lastrowid
            if remeasured is not None:
                batch_id, later, later_drift = remeasured
                later_columns, later_array = pack(later)
                self._db.execute("UPDATE batches SET metric_columns = ?, metrics = ?, drift = ? WHERE id = ?",
                                 (json.dumps(later_columns), later_array.astype("<f8").tobytes(),
                                  _dumps(later_drift), batch_id))
        assert new_id is not None
        return self.batch(new_id)

    def set_verdict(self, batch_id: int, verdict: str) -> None:
        """Record the verdict of a judged batch ("passed" or "failed")."""
        with self._write():
            self._db.execute("UPDATE batches SET verdict = ? WHERE id = ?", (verdict, batch_id))

    def remove(self, ids: Sequence[int]) -> int:
        """Remove the batches with these ids; returns how many were removed."""
        with self._write():
            removed = 0
            for batch_id in ids:
                removed += self._db.execute("DELETE FROM batches WHERE id = ?", (batch_id,)).rowcount
        return removed

    def prune(self, *, keep: int | None = None, before: str | _dt.datetime | None = None) -> int:
        """Remove all but the newest `keep` batches, and/or every batch before `before`; returns how many went."""
        if keep is None and before is None:
            raise UsageError("prune needs --keep N or --before TIME", hint="e.g. datacheck history prune H --keep 90")
        if keep is not None and keep < 0:
            raise UsageError(f"--keep {keep}: keep at least 0 batches")
        with self._write():
            removed = 0
            if before is not None:
                limit = utc_text(before if isinstance(before, _dt.datetime) else parse_time(before))
                removed += self._db.execute("DELETE FROM batches WHERE at < ?", (limit,)).rowcount
            if keep is not None:
                removed += self._db.execute(
                    "DELETE FROM batches WHERE id NOT IN (SELECT id FROM batches ORDER BY at DESC, id DESC LIMIT ?)",
                    (keep,)).rowcount
        if removed:
            self._db.execute("VACUUM")  # give the space back: a pruned history is copied around by CI jobs
        return removed

    # -- reading ---------------------------------------------------------------------------------------------

    _COLUMNS = "id, at, sources, rows, columns, added, metric_columns, metrics, validation, drift, verdict"

    def batches(self, *, since: str | None = None, until: str | None = None) -> list[Batch]:
        """Every batch in time order (ties: the order they were added), optionally within [since, until]."""
        query, args = f"SELECT {self._COLUMNS} FROM batches", []
        clauses = []
        if since is not None:
            clauses.append("at >= ?")
            args.append(since)
        if until is not None:
            clauses.append("at <= ?")
            args.append(until)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        return [_row_batch(r) for r in self._db.execute(query + " ORDER BY at, id", args)]

    def newest(self, limit: int, *, until: str | None = None) -> list[Batch]:
        """The newest `limit` batches (at or before `until`), in time order: what judging a new batch reads."""
        query, args = f"SELECT {self._COLUMNS} FROM batches", []
        if until is not None:
            query, args = query + " WHERE at <= ?", [until]
        rows = self._db.execute(query + " ORDER BY at DESC, id DESC LIMIT ?", [*args, limit]).fetchall()
        return [_row_batch(r) for r in reversed(rows)]

    def following(self, at: str) -> Batch | None:
        """The first batch after `at`, or None."""
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM batches WHERE at > ? ORDER BY at, id LIMIT 1",
                               (at,)).fetchone()
        return _row_batch(row) if row is not None else None

    def first(self) -> Batch | None:
        """The oldest batch (the reference batch of drift_ref), or None for an empty history."""
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM batches ORDER BY at, id LIMIT 1").fetchone()
        return _row_batch(row) if row is not None else None

    def batch(self, batch_id: int) -> Batch:
        """The batch with this id.

        Raises:
            HistoryError: no such batch.
        """
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise HistoryError(f"no batch with id {batch_id}", path=self.path,
                               hint="'datacheck history list PATH' lists the batches")
        return _row_batch(row)

    def statistics(self, batch_id: int) -> Statistics:
        """The statistics of the batch with this id."""
        row = self._db.execute("SELECT statistics FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise HistoryError(f"no batch with id {batch_id}", path=self.path)
        return _unpack(row[0])

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM batches").fetchone()[0])

    def select(self, spec: str) -> list[Batch]:
        """The batches a selection names: "latest" (or ""), "first", a batch id ("#12"), a time ("2024-06-01":
        the batches at that time), a window "T1..T2" (either end may be left open), or "lastN" (the newest N).

        Raises:
            UsageError: the selection is not one of these. HistoryError: it selects no batch.
        """
        text = spec.strip()
        every = self.batches()
        if text in ("", "latest"):
            chosen = every[-1:]
        elif text == "first":
            chosen = every[:1]
        elif re.fullmatch(r"last\d+", text):
            chosen = every[-int(text[4:]):] if int(text[4:]) else []
        elif re.fullmatch(r"#\d+", text):
            chosen = [b for b in every if b.id == int(text[1:])]
        elif ".." in text:
            low, _, high = text.partition("..")
            since = utc_text(parse_time(low)) if low else None
            until = utc_text(parse_time(high)) if high else None
            chosen = [b for b in every if (since is None or b.at >= since) and (until is None or b.at <= until)]
        else:
            when = utc_text(parse_time(text))
            chosen = [b for b in every if b.at == when]
        if not chosen:
            raise HistoryError(f"no batch matches {spec!r} ({len(every)} batches in the history)", path=self.path,
                               hint="use latest, first, #ID, a time, T1..T2 or lastN; 'datacheck history list' "
                                    "lists the batches")
        return chosen


def selected_statistics(store: History, spec: str) -> Statistics:
    """The statistics of the batches `spec` selects (see `History.select`), merged when there are several."""
    chosen = store.select(spec)
    parts = [store.statistics(b.id) for b in chosen]
    if len(parts) == 1:
        return parts[0]
    from datacheck.profile_merge import merge

    return merge(parts)


HISTORY_PREFIX = "history:"


def baseline_statistics(reference: str) -> Statistics:
    """The statistics a "history:PATH[@SELECTION]" baseline names: the latest batch by default, else the
    batches SELECTION picks (see `History.select`), merged.

    Raises:
        HistoryError: no such history, or no batch matches.

    Example:
        >>> baseline_statistics("history:missing.db@latest")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        datacheck.history.HistoryError: missing.db: no such history file
    """
    body = reference[len(HISTORY_PREFIX):] if reference.startswith(HISTORY_PREFIX) else reference
    path, selection = body, "latest"
    if "@" in body:
        head, _, tail = body.rpartition("@")
        if not os.path.exists(body) or os.path.exists(head):
            path, selection = head, tail
    with History.open(path, create=False) as store:
        return selected_statistics(store, selection)


__all__ = ["HISTORY_FORMAT", "HISTORY_VERSION", "HISTORY_PREFIX", "Batch", "History", "HistoryError",
           "baseline_statistics", "batch_time", "parse_time", "partition_time", "selected_statistics", "utc_text"]
