"""The history store: times, replacing, selections and baselines, export/import, and that concurrent writers, a
SIGKILL mid-write and Ctrl-C never corrupt it or lose a committed batch."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.checks import validate
from datacheck.cli import app
from datacheck.drift import compare
from datacheck.history import History, HistoryError, baseline_statistics, partition_time, utc_text
from datacheck.history_files import export_statistics, import_statistics
from datacheck.monitor import add_batch
from datacheck.profile import merge, profile
from datacheck.schema import DatasetConstraints, Schema

ROOT = Path(__file__).resolve().parents[1]


def frame(seed: int, rows: int = 50) -> pl.DataFrame:
    return pl.DataFrame({"x": [float((i * 7 + seed) % 13) for i in range(rows)],
                         "c": [("a", "b", "c")[(i + seed) % 3] for i in range(rows)]})


def test_times_are_utc_text_from_at_or_a_hive_key() -> None:
    assert partition_time(["lake/date=2024-06-01/part-0.parquet"]).isoformat() == "2024-06-01T00:00:00+00:00"
    assert utc_text(partition_time(["x/dt=20240602/hour=7/a.csv"])) == "2024-06-02T07:00:00Z"
    assert partition_time(["lake/2024-06-01/a.csv", "mydate=2024-01-01/a.csv"]) is None
    runner = CliRunner()
    result = runner.invoke(app, ["history", "add", "h.db", str(ROOT / "sample_data" / "loans_train.csv"),
                                 "--at", "yesterday-ish"])
    assert result.exit_code == 2 and "is not a date or a time" in result.output


def test_the_same_time_and_sources_replace_unless_asked(tmp_path: Path) -> None:
    stats = profile(frame(1))
    with History.open(tmp_path / "h.db") as store:
        first = store.add(stats, at="2024-06-01", metrics={}, sources=["a.csv"])
        second = store.add(stats, at="2024-06-01T00:00:00+00:00", metrics={}, sources=["a.csv"])
        store.add(stats, at="2024-06-01", metrics={}, sources=["b.csv"])
        store.add(stats, at="2024-06-01", metrics={}, sources=["a.csv"], replace=False)
        assert second.id != first.id
        assert [(b.at, b.sources) for b in store.batches()] == [
            ("2024-06-01T00:00:00Z", ("a.csv",)), ("2024-06-01T00:00:00Z", ("b.csv",)),
            ("2024-06-01T00:00:00Z", ("a.csv",))]
        assert store.statistics(second.id) == stats  # statistics round-trip through the store


def test_the_file_carries_its_version_and_foreign_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    History.open(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("SELECT value FROM meta WHERE key='format'").fetchone()[0] == "datacheck.history"
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(HistoryError, match="newer"):
        History.open(path)
    (tmp_path / "text.db").write_text("not sqlite at all " * 100)
    with pytest.raises(HistoryError, match="cannot open"):
        History.open(tmp_path / "text.db")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(HistoryError, match="other tables"):
        History.open(other)
    stray = tmp_path / "stray.db"  # version 1 on the label, another layout inside
    with sqlite3.connect(stray) as db:
        db.execute("CREATE TABLE batches (id INTEGER, at TEXT)")
        db.execute("PRAGMA user_version = 1")
    result = CliRunner().invoke(app, ["history", "list", str(stray)])
    assert result.exit_code == 2
    assert "its batches table differs" in result.output


def test_selections_and_history_baselines(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    parts = [profile(frame(seed)) for seed in range(4)]
    with History.open(path) as store:
        for day, stats in enumerate(parts):
            add_batch(store, stats, at=f"2024-06-0{day + 1}")
        assert [b.at[:10] for b in store.select("2024-06-02..2024-06-03")] == ["2024-06-02", "2024-06-03"]
        assert [b.at[:10] for b in store.select("last2")] == ["2024-06-03", "2024-06-04"]
        assert store.select("first")[0].at[:10] == "2024-06-01"
        with pytest.raises(HistoryError, match="no batch matches"):
            store.select("2023-01-01")
    assert baseline_statistics(f"history:{path}") == parts[3]
    assert baseline_statistics(f"history:{path}@2024-06-01") == parts[0]
    assert baseline_statistics(f"history:{path}@2024-06-02..2024-06-03") == merge(parts[1:3])
    # validate --baseline and drift take the same baselines, through sources.resolve.
    schema = Schema((), DatasetConstraints(max_row_count_change=0.1))
    data = frame(9, rows=80)
    assert validate(data, schema, baseline=f"history:{path}@first") == validate(data, schema, baseline=parts[0])
    runner = CliRunner()
    result = runner.invoke(app, ["drift", f"history:{path}@first", f"history:{path}@latest", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout) == compare(parts[0], parts[3]).to_dict()
    missing = runner.invoke(app, ["drift", f"history:{tmp_path / 'none.db'}", f"history:{path}"])
    assert missing.exit_code == 2 and "no such history file" in missing.output


def test_prune_remove_export_import(tmp_path: Path) -> None:
    parts = [profile(frame(seed)) for seed in range(5)]
    with History.open(tmp_path / "h.db") as store:
        for day, stats in enumerate(parts):
            add_batch(store, stats, at=f"2024-06-0{day + 1}")
        written = export_statistics(store, tmp_path / "out")
        assert [p.name for p in written][:1] == ["2024-06-01T00-00-00Z~1.json"]
        assert store.prune(before="2024-06-02") == 1
        assert store.prune(keep=3) == 1
        assert [b.at[:10] for b in store.batches()] == ["2024-06-03", "2024-06-04", "2024-06-05"]
        assert store.remove([store.batches()[0].id]) == 1
        assert len(store) == 2
    with History.open(tmp_path / "copy.db") as copy:
        import_statistics(copy, sorted((tmp_path / "out").iterdir()))
        assert [copy.statistics(b.id) for b in copy.batches()] == parts


def test_an_interrupted_write_rolls_back(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.db") as store:
        store.add(profile(frame(1)), at="2024-06-01", metrics={})
        with pytest.raises(KeyboardInterrupt):
            with store._write():
                store._db.execute("DELETE FROM batches")
                raise KeyboardInterrupt
        assert len(store) == 1


WRITER = textwrap.dedent("""
    import sys
    import polars as pl
    from datacheck.history import History
    from datacheck.monitor import add_batch
    from datacheck.profile import profile
    path, name, count, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with History.open(path) as store:
        for i in range(start, start + count):
            stats = profile(pl.DataFrame({"x": [float(i + j) for j in range(200)], "who": [name] * 200}))
            batch = add_batch(store, stats, at=f"2024-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z")
            print(name, i, batch.id, flush=True)
""")


def run_writer(path: Path, name: str, count: int, start: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(count), str(start)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_two_processes_adding_50_batches_each_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    writers = [run_writer(path, "left", 50, 0), run_writer(path, "right", 50, 1000)]
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in outputs]
    reported = {int(line.split()[2]) for out, _ in outputs for line in out.splitlines()}
    with History.open(path) as store:
        batches = store.batches()
        whose = sorted(store.statistics(b.id).column("who").top_values[0].value for b in batches)
    assert len(reported) == 100
    assert {b.id for b in batches} == reported
    assert whose == ["left"] * 50 + ["right"] * 50


HOLDER = textwrap.dedent("""
    import sys
    import polars as pl
    from datacheck.history import History
    from datacheck.profile import profile
    with History.open(sys.argv[1]) as store:
        for i in range(3):
            store.add(profile(pl.DataFrame({"x": [i]})), at=f"2024-06-0{i + 1}", metrics={})
        print("committed", flush=True)
        store._db.execute("BEGIN IMMEDIATE")
        store._db.execute("DELETE FROM batches")
        store._db.execute("INSERT INTO batches (at, sources, rows, columns, added, statistics, metric_columns, "
                          "metrics) VALUES ('x', '[]', 0, 0, 'x', zeroblob(5000000), '[]', x'')")
        print("mid-write", flush=True)
        import time; time.sleep(60)
""")


def test_a_process_killed_mid_write_leaves_every_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "committed"
    assert holder.stdout.readline().strip() == "mid-write"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with History.open(path) as store:
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [b.at[:10] for b in store.batches()] == ["2024-06-01", "2024-06-02", "2024-06-03"]
        store.add(profile(frame(1)), at="2024-06-04", metrics={})  # and it takes new writes
        assert len(store) == 4


def test_writers_killed_at_random_moments_never_lose_a_committed_batch(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    committed: set[int] = set()
    for run, delay in enumerate((0.05, 0.13, 0.31)):
        writer = run_writer(path, "w", 10_000, 20_000 * run)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # writing has begun: kill it somewhere in its stream of transactions
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        committed |= {int(line.split()[2]) for line in (first + out).splitlines()}
        with History.open(path) as store:
            assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {b.id for b in store.batches()}
        # A batch written but killed before it printed its id may be there too; a printed one must be.
        assert committed <= present
        assert len(present - committed) <= run + 1
    assert len(committed) >= 3


def test_a_backfilled_batch_becomes_the_previous_batch_of_the_one_after_it(tmp_path: Path) -> None:
    days = {1: ["a", "b"] * 10, 2: ["a", "b", "c", "d"] * 5, 3: ["a", "c", "e", "e"] * 5}
    stats = {day: profile(pl.DataFrame({"c": values})) for day, values in days.items()}
    with History.open(tmp_path / "h.db") as store:
        add_batch(store, stats[1], at="2024-06-01")
        add_batch(store, stats[3], at="2024-06-03")
        before = store.batches()[-1].metrics["c"]["new_share"][0]
        add_batch(store, stats[2], at="2024-06-02")  # backfilled between the two
        after = store.batches()[-1].metrics["c"]["new_share"][0]
    # Plain counts: the share of day 3's values absent from the day before it.
    assert before == pytest.approx(sum(1 for v in days[3] if v not in days[1]) / len(days[3]))
    assert after == pytest.approx(sum(1 for v in days[3] if v not in days[2]) / len(days[3]))
    assert after != before
