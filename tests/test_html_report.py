"""The HTML report: the data it embeds (golden), escaping of hostile values, and a real headless browser.

The golden file covers the JSON view model embedded in the page, not the markup, so that a change of
layout does not churn it. The browser tests drive Debian's Chromium through the Chrome DevTools Protocol
over a pipe (`--remote-debugging-pipe`, the transport Playwright uses), so they need no extra Python package.
They skip, saying how to install it, when no Chromium is found.
"""

from __future__ import annotations

import base64
import dataclasses
import fcntl
import html
import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.checks import Example, Finding, Report, Summary
from datacheck.cli import app
from datacheck.drift import ColumnDrift, DriftReport
from datacheck.output import to_json
from datacheck.profile import profile
from datacheck.render.html import drift_html, embed_json, report_data, report_html, stats_html, validation_html
from datacheck.schema import Schema
from datacheck.statistics import (
    ColumnStats,
    Distinct,
    Histogram,
    LengthStats,
    NumericStats,
    Quantile,
    SourceInfo,
    Statistics,
    TemporalRange,
    ValueCount,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
DATA_BLOCK = re.compile(r'<script type="application/json" id="datacheck-data">(.*?)</script>', re.S)

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=2">'
XSS_STYLE = "</style><script>window.__pwned=3</script>"
XSS_COMMENT = "<!--<script>window.__pwned=4</script>"
QUOTES = "it's \"quoted\" & <b>bold</b>"
SEPARATORS = "line\u2028para\u2029end"
LONG = "L" * 10_000
HOSTILE_VALUES = [XSS_SCRIPT, XSS_IMG, XSS_STYLE, XSS_COMMENT, QUOTES, SEPARATORS, LONG]


def embedded(page: str) -> dict[str, Any]:
    """The JSON view model embedded in a page."""
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1, "the page embeds exactly one data block"
    return json.loads(blocks[0])


def sample_stats(name: str) -> Statistics:
    """Statistics of a sample file, with its source path relative to the repo (so goldens do not depend on cwd)."""
    stats = profile(str(SAMPLE / name))
    sources = tuple(SourceInfo(f"sample_data/{name}", s.format, s.rows) for s in stats.sources)
    return dataclasses.replace(stats, sources=sources)


def hostile_frame() -> pl.DataFrame:
    """Hostile column names and values: every category appears twice, so all of them are top values."""
    values = HOSTILE_VALUES * 2
    n = len(values)
    return pl.DataFrame({
        XSS_SCRIPT: values,
        XSS_STYLE: list(range(n)),
        QUOTES: [float(i) / 3 for i in range(n)],
        XSS_IMG: [i % 2 == 0 for i in range(n)],
        LONG: values[::-1],
    })


def hostile_schema() -> Schema:
    """A schema that the hostile frame breaks: unexpected (hostile) categories, values out of range, a missing
    column."""
    return Schema.from_dict({
        "format": "datacheck.schema", "version": 1,
        "columns": [
            {"name": XSS_SCRIPT, "type": "categorical", "domain": {"values": ["safe"], "min_mass": 0.5}},
            {"name": XSS_STYLE, "type": "integer", "range": {"min": 0, "max": 3}},
            {"name": XSS_COMMENT, "type": "string", "required": True},
            {"name": LONG, "type": "string", "domain": {"values": [QUOTES], "min_mass": 0.0}},
        ],
    })


def hostile_pages() -> dict[str, str]:
    """A stats, a validation and a drift page over the hostile frame (the validation one has findings)."""
    frame = hostile_frame()
    stats = profile(frame)
    base_frame = frame.with_columns(pl.col(XSS_SCRIPT).str.slice(0, 3))
    report = datacheck.validate(frame, hostile_schema())
    assert {f.code for f in report.findings} >= {"domain_mass_too_low", "out_of_range", "missing_column"}
    drift = datacheck.drift(profile(base_frame), stats, method="psi")
    return {
        "stats": stats_html(stats),
        "validation": validation_html(stats, report),
        "drift": drift_html(drift, profile(base_frame), stats),
    }


# ------------------------------------------------------------------------------------------- embedded data


def golden_statistics(shift: float = 0.0) -> Statistics:
    """Statistics built by hand, one column of every kind, so the goldens do not move with the profiling engine."""
    days = (19723.0, 19768.25, 19813.5, 19858.75, 19904.0)
    micros = tuple(1.7040672e15 + i * 3.9e12 for i in range(5))
    return Statistics(num_rows=1000, sources=(SourceInfo("data/loans.csv", "csv", 1000),), columns=(
        ColumnStats("income", "Float64", "numeric", count=950, null_count=50, numeric=NumericStats(
            nan_count=2, zero_count=3, min=1000.0, max=90000.0 + shift, mean=41000.5 + shift, std=12000.25,
            quantiles=(Quantile(0.01, 1500.0), Quantile(0.5, 39000.0 + shift), Quantile(0.99, 88000.0)),
            histogram=Histogram((1000.0, 23250.0, 45500.0, 67750.0, 90000.0 + shift), (100, 400, 300, 148)))),
        ColumnStats("age", "Int64", "numeric", count=1000, null_count=0, numeric=NumericStats(
            integral=True, min=18.0, max=80.0, mean=41.2, std=12.5, quantiles=(Quantile(0.5, 40.0),),
            histogram=Histogram((17.5, 38.5, 59.5, 80.5), (500, 400, 100))), distinct=Distinct(63, True)),
        ColumnStats("state", "String", "categorical", count=990, null_count=10, lengths=LengthStats(2, 2.0, 2),
                    distinct=Distinct(3, True),
                    top_values=(ValueCount("CA", 500), ValueCount("NY", 300), ValueCount("TX", 190))),
        ColumnStats("notes", "String", "string", count=400, null_count=600, lengths=LengthStats(1, 35.5, 400),
                    distinct=Distinct(395, False), top_values=(ValueCount("n/a", 5), ValueCount("see file", 2))),
        ColumnStats("has_cosigner", "Boolean", "boolean", count=1000, null_count=0, distinct=Distinct(2, True),
                    top_values=(ValueCount("false", 800), ValueCount("true", 200))),
        ColumnStats("application_date", "Date", "temporal", count=1000, null_count=0,
                    numeric=NumericStats(integral=True, min=days[0], max=days[-1],
                                         histogram=Histogram(days, (250, 260, 240, 250))),
                    temporal=TemporalRange("2024-01-01", "2024-06-30", "days")),
        ColumnStats("submitted_at", "Datetime(time_unit='us', time_zone=None)", "temporal", count=998, null_count=2,
                    numeric=NumericStats(integral=True, min=micros[0], max=micros[-1],
                                         histogram=Histogram(micros, (300, 200, 250, 248))),
                    temporal=TemporalRange("2024-01-01 00:00:00", "2024-03-01 05:20:00", "us")),
        ColumnStats("tags", "List(String)", "nested", count=1000, null_count=0),
    ))


def golden_report() -> Report:
    findings = (
        Finding(None, "row_count_out_of_range", "error", "1,000 rows, above dataset.max_rows 900", observed=1000,
                expected={"max": 900}, count=1000,
                fix="check that the batch is complete; if this size is legitimate set dataset.max_rows to 1000"),
        Finding("income", "out_of_range", "error", "'income': 3 values below min 2000", observed={"min": 1000.0},
                expected={"min": 2000}, count=3, fraction=0.00316,
                examples=(Example(1000.0, row=7), Example(1500.0, row=42)),
                fix="fix the values; if they are legitimate set columns[income].range.min to 1000"),
        Finding("state", "unexpected_value", "warning", "'state': 1 value outside the domain: 'TX'", observed=["TX"],
                count=190, fraction=0.19, examples=(Example("TX", count=190),),
                fix='add "TX" to columns[state].domain.values'),
        Finding("zip", "missing_column", "error", "column 'zip' is missing",
                fix="restore the column in the data; if it was dropped on purpose set columns[zip].required to false"),
    )
    return Report(passed=False, findings=findings, summary=Summary(rows=1000, columns=8, errors=3, warnings=1,
                                                                   checks=20, failed=4, skipped=1),
                  sources=("data/loans.csv",))


def golden_drift() -> DriftReport:
    columns = (
        ColumnDrift("income", "numeric", "compared", "wasserstein", 0.25, 0.1, True, baseline_count=948,
                    current_count=948, baseline_shape=(0.25, 0.5, 0.25), current_shape=(0.125, 0.5, 0.375)),
        ColumnDrift("state", "categorical", "compared", "chi2", 3.5, 0.01, False, pvalue=0.17, largest_change="TX",
                    largest_change_baseline=0.2, largest_change_current=0.19, new_values=("WA",), baseline_count=990,
                    current_count=990, baseline_shape=(0.5, 0.3, 0.2, 0.0), current_shape=(0.5, 0.3, 0.19, 0.01),
                    shape_labels=("CA", "NY", "TX", "WA")),
        ColumnDrift("notes", "string", "skipped", None, None, None, False, note="free text is not compared by default"),
    )
    return DriftReport(columns=columns, drifted_share=0.5, drifted_count=1, compared_count=2, row_count_baseline=1000,
                       row_count_current=1000, row_count_change=0.0, passed=False)


def test_embedded_stats_data_matches_golden(golden: Callable[[str, str], None]) -> None:
    golden("html_stats_data.json", to_json(embedded(stats_html(golden_statistics()))))


def test_embedded_report_data_matches_golden(golden: Callable[[str, str], None]) -> None:
    page = report_html(golden_statistics(500.0), report=golden_report(), drift=golden_drift(),
                       baseline_stats=golden_statistics())
    golden("html_report_data.json", to_json(embedded(page)))


def test_embedded_data_is_the_view_model_and_numbers_come_from_the_statistics() -> None:
    stats = sample_stats("loans_train.csv")
    data = embedded(stats_html(stats))
    assert data == json.loads(json.dumps(report_data(stats)))
    assert data["kind"] == "stats"
    assert data["overview"]["rows"] == stats.num_rows == 5000
    assert data["overview"]["columns"] == len(stats.columns)
    assert data["overview"]["missing_cells"] == sum(c.null_count for c in stats.columns)
    by_name = {c["name"]: c for c in data["columns"]}
    assert set(by_name) == set(stats.column_names)
    for col in stats.columns:
        card = by_name[col.name]
        assert card["missing"] == pytest.approx(col.null_fraction)
        figures = {f["label"]: f["current"] for f in card["figures"]}
        if col.numeric is not None and col.kind == "numeric":
            assert figures["mean"] == col.numeric.mean and figures["max"] == col.numeric.max
            assert card["chart"]["type"] == "histogram"
            # The bulk's bins when values lie beyond Tukey's fences (tests/test_histogram_view.py), else the
            # stored ones.
            bins = [v for v in card["chart"]["series"][0]["values"] if v is not None]
            if not card["chart"].get("apart"):
                assert bins == list(col.numeric.histogram.counts)
            assert sum(bins) == sum(col.numeric.histogram.counts)
        elif col.top_values:
            assert card["chart"]["type"] == "top"
            assert card["chart"]["series"][0]["values"] == [v.count for v in col.top_values]


def test_page_is_deterministic_and_self_contained() -> None:
    stats = sample_stats("loans_train.csv")
    page = stats_html(stats)
    assert page == stats_html(stats)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "the page must not reference the network"
    assert page.count("<script") == 3  # the data block, Chart.js, our script
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)


def test_validation_page_puts_columns_with_anomalies_first_and_shows_each_fix() -> None:
    train = sample_stats("loans_train.csv")
    broken = sample_stats("loans_broken.csv")
    report = datacheck.validate(str(SAMPLE / "loans_broken.csv"), datacheck.infer_schema(train))
    page = validation_html(broken, report)
    data = embedded(page)
    assert data["kind"] == "validation"
    assert data["overview"]["errors"] == report.summary.errors
    assert data["overview"]["warnings"] == report.summary.warnings
    ranks = [c["rank"] for c in data["columns"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 2
    shown = [(c["name"], f["code"], f["fix"]) for c in data["columns"] for f in c["findings"]]
    shown += [(None, f["code"], f["fix"]) for f in data["dataset_findings"]]
    assert sorted(shown, key=str) == sorted(((f.column, f.code, f.fix) for f in report.findings), key=str)
    assert all(fix for _, _, fix in shown)
    for finding in report.findings:
        assert finding.code in page


def test_validation_page_without_statistics_still_lists_findings() -> None:
    schema = datacheck.infer_schema(sample_stats("loans_train.csv"))
    report = datacheck.validate(str(SAMPLE / "loans_broken.csv"), schema)
    data = embedded(validation_html(None, report))
    assert sum(len(c["findings"]) for c in data["columns"]) + len(data["dataset_findings"]) == len(report.findings)


def test_drift_page_overlays_baseline_and_current_and_shows_value_and_threshold() -> None:
    base, cur = sample_stats("loans_train.csv"), sample_stats("loans_drifted.csv")
    report = datacheck.drift(base, cur)
    data = embedded(drift_html(report, base, cur))
    assert data["kind"] == "drift" and data["with_baseline"] is True
    assert data["overview"]["drifted"] == report.drifted_count > 0
    assert data["overview"]["baseline_rows"] == base.num_rows
    assert data["columns"][0]["drift"]["drifted"] is True
    for card in data["columns"]:
        entry = report.column(card["name"])
        assert entry is not None
        assert card["drift"]["value"] == entry.value and card["drift"]["threshold"] == entry.threshold
        assert card["drift"]["drifted"] == entry.drifted
        if entry.baseline_shape:
            assert card["chart"]["type"] == "overlay"
            series = {s["name"]: s["values"] for s in card["chart"]["series"]}
            assert series == {"baseline": list(entry.baseline_shape), "current": list(entry.current_shape)}
        assert all("baseline" in f for f in card["figures"])


def test_one_page_can_hold_statistics_anomalies_and_drift() -> None:
    base, cur = sample_stats("loans_train.csv"), sample_stats("loans_broken.csv")
    report = datacheck.validate(cur, datacheck.infer_schema(base))
    drift = datacheck.drift(base, cur)
    data = embedded(report_html(cur, report=report, drift=drift, baseline_stats=base))
    overview = data["overview"]
    assert overview["errors"] == report.summary.errors and overview["drifted"] == drift.drifted_count
    assert overview["passed"] is (report.passed and drift.passed)
    assert any(c["findings"] and c["drift"] for c in data["columns"])


def test_stats_command_writes_the_html_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["stats", str(SAMPLE / "loans_train.csv"), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and embedded(page)["overview"]["rows"] == 5000


# ------------------------------------------------------------------------------------------- escaping


def test_embed_json_cannot_close_the_script_element() -> None:
    text = embed_json({"v": "</script><!--<script>\u2028\u2029&"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"v": "</script><!--<script>\u2028\u2029&"}


@pytest.mark.parametrize("kind", ["stats", "validation", "drift"])
def test_hostile_names_and_values_render_as_text(kind: str) -> None:
    page = hostile_pages()[kind]
    # Only the page's own elements: three scripts, one stylesheet; nothing from the data became markup.
    assert page.count("<script") == 3 and page.count("</script>") == 3
    assert page.count("<style") == 1 and page.count("</style>") == 1
    assert "<img" not in page and "<b>bold" not in page and "<!--" not in page
    assert "window.__pwned=1" in page  # it is there, as escaped text ...
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&#34;quoted&#34;" in page or "&quot;quoted&quot;" in page
    assert "\u2028" not in DATA_BLOCK.findall(page)[0]
    # ... and long values are cut for display: no 10,000-character run, and the page stays small.
    assert "L" * 1000 not in page
    assert len(page) < 400_000
    data = embedded(page)
    names = [c["name"] for c in data["columns"]]
    assert XSS_SCRIPT in names and XSS_STYLE in names and QUOTES in names
    assert any(name.startswith("LLL") and name.endswith("…") and len(name) <= 200 for name in names)


# ------------------------------------------------------------------------------------------- browser


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium driven over the DevTools protocol through a pipe (fd 3 in, fd 4 out, NUL-separated JSON)."""

    def __init__(self, binary: str, profile_dir: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Copied above fd 10 first, so that placing them on fds 3 and 4 cannot overwrite one another.
        high_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
        high_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)

        def place_pipes() -> None:
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions",
             "--disable-sync", "--mute-audio", "--hide-scrollbars", f"--user-data-dir={profile_dir}",
             "--remote-debugging-pipe", "--window-size=1400,4000", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=place_pipes)
        for fd in (to_browser_r, from_browser_w, high_in, high_out):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *, browser_level: bool = False,
             timeout: float = 30) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        targets = self.send("Target.getTargets", browser_level=True)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                                 browser_level=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def poll(self, expression: str, timeout: float = 15) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"])[:500])
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
                found.append(json.dumps(params.get("args"))[:500])
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(params["entry"]["text"][:500])
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.send("Browser.close", browser_level=True, timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def browser(tmp_path: Path):
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium found for the HTML report's browser test: install it with `apt-get install chromium`")
    instance = Browser(binary, tmp_path / "chromium-profile")
    try:
        yield instance
    finally:
        instance.close()


CHART_STATE = """(() => {
  const canvases = Array.from(document.querySelectorAll('article canvas'));
  const inked = canvases.filter(c => {
    if (!Chart.getChart(c) || !c.width || !c.height) return false;
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) return true;
    return false;
  });
  return {canvases: canvases.length, charts: inked.length, cards: document.querySelectorAll('article.card').length};
})()"""


def check_page(browser: Browser, path: Path) -> dict[str, Any]:
    url = path.resolve().as_uri()
    browser.open(url)
    data = embedded(path.read_text(encoding="utf-8"))
    expected = sum(1 for c in data["columns"] if c["chart"])
    assert expected > 0
    browser.poll(f"document.querySelectorAll('article[data-drawn]').length >= {expected}")
    state = browser.evaluate(CHART_STATE)
    assert state == {"canvases": expected, "charts": expected, "cards": len(data["columns"])}, state
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.errors() == []
    assert browser.requests() == [url], "the page must not request anything but itself"
    return data


def test_browser_renders_the_stats_report_with_charts_and_no_errors(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "stats.html"
    page.write_text(stats_html(sample_stats("loans_train.csv")), encoding="utf-8")
    data = check_page(browser, page)
    # Filtering and sorting work on the cards.
    shown = browser.evaluate("(() => { const q = document.getElementById('q'); q.value = 'income';"
                             " q.dispatchEvent(new Event('input'));"
                             " return document.getElementById('shown').textContent; })()")
    assert shown == f"1 of {len(data['columns'])} columns"
    first = browser.evaluate("(() => { const q = document.getElementById('q'); q.value = '';"
                             " q.dispatchEvent(new Event('input')); const s = document.getElementById('sort');"
                             " s.value = 'name'; s.dispatchEvent(new Event('change'));"
                             " return document.querySelector('article.card:not([hidden]) .name').textContent; })()")
    assert first == min((c["name"] for c in data["columns"]), key=str.lower)
    # Dark mode redraws the charts; printing to PDF works; still no errors or requests.
    browser.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    assert browser.poll("getComputedStyle(document.documentElement).backgroundColor !== 'rgb(246, 247, 249)'")
    pdf = base64.b64decode(browser.send("Page.printToPDF", {"printBackground": True})["data"])
    assert pdf.startswith(b"%PDF")
    assert browser.errors() == []
    assert browser.requests() == [page.resolve().as_uri()]


@pytest.mark.parametrize("kind", ["validation", "drift"])
def test_browser_keeps_injected_scripts_as_text(browser: Browser, tmp_path: Path, kind: str) -> None:
    page = tmp_path / f"{kind}.html"
    page.write_text(hostile_pages()[kind], encoding="utf-8")
    check_page(browser, page)
    text = browser.evaluate("document.body.innerText")
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 3
