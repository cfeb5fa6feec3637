"""Slices in every output: the statistics and drift tables, Markdown, JUnit, GitHub annotations and HTML (with
slice names escaped)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import polars as pl

from datacheck.lift import with_label_statistics
from datacheck.render.registry import DRIFT, STATS, render_text
from datacheck.slice_drift import drift_sliced
from datacheck.slices import profile_sliced

EVIL = "<script>alert(1)</script>"


def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(5)
    n = 6_000
    df = pl.DataFrame({"g": rng.choice(["a", EVIL, "c"], n), "x": rng.normal(size=n), "y": rng.random(n) < 0.3})
    cur = df.with_columns(pl.when(pl.col("g") == EVIL).then(pl.col("x") + 3).otherwise(pl.col("x")).alias("x"))
    return df, cur


def test_statistics_outputs_show_slices_and_lifts() -> None:
    df, _ = frames()
    stats = with_label_statistics(profile_sliced(df, [("g",)]), df, "y")
    table = render_text(STATS, stats, "table")
    assert "slices by g" in table and "g=a" in table and "label y" in table
    markdown = render_text(STATS, stats, "markdown")
    assert "**slices by g**" in markdown and "\\<script\\>" in markdown and EVIL not in markdown
    html = render_text(STATS, stats, "html")
    assert "Slices by g" in html and "<meter" in html and EVIL not in html and "&lt;script&gt;" in html


def test_drift_outputs_rank_the_drifted_slice() -> None:
    base, cur = frames()
    report = drift_sliced(base, cur, [("g",)])
    assert [s.slice for s in report.slices if s.drifted] == [f"g={EVIL}"]
    table = render_text(DRIFT, report, "table")
    assert table.index(f"g={EVIL}") < table.index("g=a")
    junit = ET.fromstring(render_text(DRIFT, report, "junit"))
    cases = {c.get("name"): c for c in junit.iter("testcase")}
    assert cases[f"[g={EVIL}]"].find("failure") is not None and cases["[g=a]"].find("failure") is None
    github = render_text(DRIFT, report, "github")
    assert f"drift in slice g={EVIL}" in github
    markdown = render_text(DRIFT, report, "markdown")
    assert "slices, most drifted first" in markdown and EVIL not in markdown
    html = render_text(DRIFT, report, "html")
    assert "Drift per slice" in html and EVIL not in html
