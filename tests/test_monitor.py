"""The monitor: strategies against numpy and hand-computed cases, metrics against plain counts over the rows,
the command (exit codes, JSON valid against its schema, one scan with validation), and the trend report."""

from __future__ import annotations

import json
import math
import statistics as pystats
from pathlib import Path

import jsonschema
import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.history import History
from datacheck.monitor import judge_batch, monitor, trend
from datacheck.monitor_metrics import measure
from datacheck.monitor_strategies import Settings, groups, judge_series
from datacheck.profile import profile
from datacheck.render.trend import trend_html

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


def judged(values: list[float], settings: Settings | None = None, metric: str = "mean",
           noise: list[float] | None = None):
    x = np.array(values, dtype=float)
    n = np.array(noise if noise is not None else [math.nan] * len(values), dtype=float)
    return judge_series(x, n, [np.arange(len(values))], settings or Settings(), metric)


# ------------------------------------------------------------------------------------------ strategies


def test_the_robust_z_score_is_median_and_mad_of_the_window() -> None:
    history = [10.0, 12.0, 11.0, 13.0, 12.0, 11.0, 12.0, 10.0]
    result = judged(history + [30.0])
    center = pystats.median(history)
    mad = pystats.median(abs(v - center) for v in history) * 1.4826
    assert result.center[8] == pytest.approx(center)
    assert result.score[8] == pytest.approx((30.0 - center) / mad)
    assert result.flagged.tolist() == [0] * 8 + [1]


def test_a_window_of_one_value_falls_back_to_the_mean_absolute_deviation() -> None:
    history = [5.0] * 6 + [6.0, 5.0]  # MAD 0: more than half the window is one value
    result = judged(history + [9.0])
    mean_ad = sum(abs(v - 5.0) for v in history) / len(history) * 1.2533
    assert result.scale[8] == pytest.approx(mean_ad)
    assert result.flagged[8] == 1


def test_noise_floors_the_scale_and_values_seen_in_the_window_are_not_news() -> None:
    history = [0.0] * 8
    floored = judged(history + [0.003], metric="null_share", noise=[0.001] * 9)
    assert floored.scale[8] == pytest.approx(0.001)
    assert floored.flagged[8] == 0  # z = 3
    spike = [1.0, 2.0, 1.0, 2.0, 40.0, 1.0, 2.0, 1.0, 2.0]
    again = judged(spike + [40.0])
    assert again.score[9] > 5
    assert again.flagged[9] == 0  # 40 is inside what the window has seen


def test_nothing_is_judged_before_the_minimum_history() -> None:
    result = judged([1.0, 1.1, 0.9, 100.0], Settings(min_history=7))
    assert np.isnan(result.score).all()
    assert result.flagged.tolist() == [0, 0, 0, 0]


def test_relative_change_against_the_previous_batch() -> None:
    rows = [1000.0, 1010.0, math.nan, 990.0, 400.0]
    result = judged(rows, metric="row_count")
    assert result.change[4] == pytest.approx((400 - 990) / 990)
    assert result.change[3] == pytest.approx((990 - 1010) / 1010)  # the missing batch is skipped
    assert result.flagged.tolist() == [0, 0, 0, 0, 2]


def test_weekly_seasonality_compares_the_same_weekday_only() -> None:
    times = [f"2024-06-{day:02d}T00:00:00Z" for day in range(3, 31)]  # 2024-06-03 is a Monday: 4 weeks
    weekday = [0 if (day - 3) % 7 < 5 else 1 for day in range(3, 31)]
    values = np.array([1000.0 if w == 0 else 400.0 for w in weekday]) + np.arange(28) % 3
    settings = Settings(seasonality="weekly", season_min_history=3)
    positions = groups(times, "weekly")
    assert [len(p) for p in positions] == [4] * 7
    result = judge_series(values, np.full(28, math.nan), positions, settings, "row_count")
    assert not result.flagged.any()
    plain = judge_series(values, np.full(28, math.nan), groups(times, None), Settings(min_history=3), "row_count")
    assert plain.flagged.any()  # every Monday is +150% on the Sunday before


# ------------------------------------------------------------------------------------------ metrics


def test_metrics_against_plain_counts_over_the_rows() -> None:
    before = pl.DataFrame({"x": [1.0, 2.0, None, 4.0, 5.0, 6.0], "c": ["a", "a", "b", "b", None, "a"]})
    now = pl.DataFrame({"x": [2.0, None, None, 8.0, 5.0, 1.0, 3.0, 2.0],
                        "c": ["a", "z", "z", "b", "a", "y", None, "a"]})
    metrics = measure(profile(now), profile(before))
    x = [v for v in now["x"].to_list() if v is not None]
    c = [v for v in now["c"].to_list() if v is not None]
    assert metrics[""]["row_count"][0] == 8
    assert metrics["x"]["null_share"][0] == pytest.approx(2 / 8)
    assert metrics["x"]["mean"][0] == pytest.approx(float(np.mean(x)))
    assert metrics["x"]["std"][0] == pytest.approx(float(np.std(x)))
    assert metrics["c"]["distinct"][0] == len(set(c))
    assert metrics["c"]["top_share"][0] == pytest.approx(max(c.count(v) for v in set(c)) / len(c))
    seen = set(before["c"].drop_nulls().to_list())
    assert metrics["c"]["new_share"][0] == pytest.approx(sum(1 for v in c if v not in seen) / len(c))
    # The noise of a share is binomial: sqrt(p (1 - p) / n).
    assert metrics["x"]["null_share"][1] == pytest.approx(math.sqrt(0.25 * 0.75 / 8))


# ------------------------------------------------------------------------------------------ the loop


def steady(day: int, rows: int = 400, shift: float = 0.0) -> pl.DataFrame:
    rng = np.random.default_rng(day)
    return pl.DataFrame({"amount": rng.normal(100 + shift, 10, rows), "kind": rng.choice(["a", "b", "c"], rows)})


def test_monitor_flags_a_step_and_writes_the_verdict(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    for day in range(10):
        result = monitor(steady(day), path, at=f"2024-06-{day + 1:02d}")
        assert result.report.passed, result.report.findings
    result = monitor(steady(10, shift=8), path, at="2024-06-11")
    found = [(f.column, f.code, f.observed["metric"]) for f in result.report.findings]
    assert ("amount", "metric_anomaly", "mean") in found
    finding = next(f for f in result.report.findings if f.observed["metric"] == "mean")
    assert [p["at"][:10] for p in finding.observed["series"]][-2:] == ["2024-06-10", "2024-06-11"]
    assert finding.observed["series"][-1]["value"] == pytest.approx(float(steady(10, shift=8)["amount"].mean()))
    with History.open(path) as store:
        assert [b.verdict for b in store.batches()] == ["passed"] * 10 + ["failed"]


def write_batches(tmp_path: Path, days: int) -> list[Path]:
    paths = []
    for day in range(days):
        folder = tmp_path / "lake" / f"date=2024-06-{day + 1:02d}"
        folder.mkdir(parents=True)
        data = steady(day, shift=30 if day == days - 1 else 0)
        data.write_csv(folder / "part.csv")
        paths.append(folder / "part.csv")
    return paths


def test_the_command_exit_codes_json_and_determinism(tmp_path: Path) -> None:
    paths = write_batches(tmp_path, 9)
    outputs = []
    for name in ("one.db", "two.db"):
        for path in paths[:-1]:
            result = runner.invoke(app, ["monitor", str(path), "--history", str(tmp_path / name)])
            assert result.exit_code == 0, result.output
        last = runner.invoke(app, ["monitor", str(paths[-1]), "-H", str(tmp_path / name), "--format", "json"])
        assert last.exit_code == 1
        outputs.append(last.stdout)
    assert outputs[0] == outputs[1]  # the same batches give byte-identical output
    document = json.loads(outputs[0])
    jsonschema.validate(document, REPORT_SCHEMA)
    assert {f["code"] for f in document["findings"]} == {"metric_anomaly"}
    with History.open(tmp_path / "one.db") as store:
        assert [b.at[:10] for b in store.batches()] == [f"2024-06-{d:02d}" for d in range(1, 10)]  # the hive key
    bad = runner.invoke(app, ["monitor", str(paths[0]), "-H", str(tmp_path / "one.db"), "--at", "soon"])
    assert bad.exit_code == 2
    (tmp_path / "notes.db").write_text("hello " * 200)
    foreign = runner.invoke(app, ["monitor", str(paths[0]), "-H", str(tmp_path / "notes.db")])
    assert foreign.exit_code == 2
    assert "cannot open the history" in foreign.output


def test_validation_runs_in_the_same_scan_and_reports_with_the_anomalies(tmp_path: Path) -> None:
    paths = write_batches(tmp_path, 9)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"format": "datacheck.schema", "version": 1, "columns": [
        {"name": "amount", "type": "float", "range": {"min": 0, "max": 120}},
        {"name": "kind", "type": "string"}]}), encoding="utf-8")
    for path in paths:
        result = runner.invoke(app, ["monitor", str(path), "-H", str(tmp_path / "h.db"), "-s", str(schema),
                                     "--format", "json"])
    document = json.loads(result.stdout)
    jsonschema.validate(document, REPORT_SCHEMA)
    codes = {f["code"] for f in document["findings"]}
    assert {"out_of_range", "metric_anomaly"} <= codes
    rows = pl.read_csv(paths[-1])
    out_of_range = next(f for f in document["findings"] if f["code"] == "out_of_range")
    assert out_of_range["count"] == rows.filter(pl.col("amount") > 120).height
    with History.open(tmp_path / "h.db") as store:
        assert store.batches()[-1].validation["passed"] is False


# ------------------------------------------------------------------------------------------ reports


HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def hostile_history(tmp_path: Path) -> Path:
    path = tmp_path / "h.db"
    for day in range(9):
        frame = steady(day, shift=40 if day == 8 else 0).rename({"amount": HOSTILE})
        monitor(frame, path, at=f"2024-06-{day + 1:02d}")
    return path


def test_the_trend_page_is_escaped_self_contained_and_marks_the_anomaly(tmp_path: Path) -> None:
    path = hostile_history(tmp_path)
    result = runner.invoke(app, ["history", "report", str(path), "-o", str(tmp_path / "t.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert page.count('class="anomaly"') >= 1
    with History.open(path) as store:
        judged = trend(store.batches())
        stats = store.statistics(judged.batches[-1].id)
    assert trend_html(judged, judge_batch(stats, judged, 8), stats) == trend_html(
        judged, judge_batch(stats, judged, 8), stats)


def test_history_show_and_list(tmp_path: Path) -> None:
    path = hostile_history(tmp_path)
    shown = runner.invoke(app, ["history", "show", str(path), HOSTILE, "--metric", "mean", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    history_schema = json.loads((ROOT / "schemas" / "history.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(shown.stdout), history_schema)
    points = json.loads(shown.stdout)["metrics"][0]["points"]
    expected = [float(steady(d, shift=40 if d == 8 else 0)["amount"].mean()) for d in range(9)]
    assert [p["value"] for p in points] == pytest.approx(expected)
    assert [p["flagged"] for p in points] == [False] * 8 + [True]
    table = runner.invoke(app, ["history", "show", str(path), HOSTILE, "--metric", "mean"])
    assert "▲" in table.stdout
    listed = json.loads(runner.invoke(app, ["history", "list", str(path), "--format", "json"]).stdout)
    jsonschema.validate(listed, history_schema)
    assert [b["verdict"] for b in listed["batches"]] == ["passed"] * 8 + ["failed"]
    unknown = runner.invoke(app, ["history", "show", str(path), "nope"])
    assert unknown.exit_code == 2


def test_browser_draws_the_trend_page_without_errors(tmp_path: Path) -> None:
    from test_html_report import Browser, find_chromium

    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium found for the trend report's browser test: install it with `apt-get install chromium`")
    path = hostile_history(tmp_path)
    page = tmp_path / "t.html"
    assert runner.invoke(app, ["history", "report", str(path), "-o", str(page)]).exit_code == 0
    browser = Browser(binary, tmp_path / "profile")
    try:
        browser.open(page.resolve().as_uri())
        state = browser.evaluate("""(() => ({
            charts: document.querySelectorAll('figure.chart svg polyline').length,
            drawn: Array.from(document.querySelectorAll('figure.chart svg polyline'))
                        .filter(p => p.getBBox().width > 100).length,
            anomalies: document.querySelectorAll('circle.anomaly').length,
            pwned: typeof window.__pwned,
            images: document.querySelectorAll('img').length,
            text: document.body.innerText}))()""")
        assert state["charts"] == state["drawn"] > 10
        assert state["anomalies"] >= 1
        assert state["pwned"] == "undefined"
        assert state["images"] == 0
        assert HOSTILE in state["text"]
        assert browser.errors() == []
        assert browser.requests() == [page.resolve().as_uri()]
    finally:
        browser.close()


def test_a_schema_can_lower_a_metric_anomaly_to_a_warning(tmp_path: Path) -> None:
    from datacheck.schema import ColumnSchema, Schema

    schema = Schema((ColumnSchema("amount", "float", severity={"metric_anomaly": "warning"}),
                     ColumnSchema("kind", "string")))
    path = tmp_path / "h.db"
    for day in range(10):
        monitor(steady(day), path, at=f"2024-06-{day + 1:02d}", schema=schema)
    result = monitor(steady(10, shift=8), path, at="2024-06-11", schema=schema)
    assert {(f.column, f.severity) for f in result.report.findings if f.code == "metric_anomaly"} == {
        ("amount", "warning")}
    assert result.report.passed
    assert result.report.exit_code("warning") == 1
