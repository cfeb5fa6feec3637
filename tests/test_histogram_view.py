"""The histograms of the HTML pages: the bulk in equal-width bins, the outliers counted apart.

References are plain numpy over the column's values: the quartiles as the smallest value whose rank is at least
p·n (the README's definition), Tukey's far-out fences Q1 - 3·IQR and Q3 + 3·IQR, and `np.histogram` (whose
bins are [lo, hi) with the last one closed, the same rule) over the values inside the fences.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import datacheck
from datacheck.histogram_view import bulk_histogram
from datacheck.render.html import stats_html, validation_html

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def _quantile(values: np.ndarray, p: float) -> float:
    ordered = np.sort(values)
    return float(ordered[max(int(np.ceil(p * len(ordered))) - 1, 0)])


def _reference(values: np.ndarray, low_fence: float, high_fence: float, bins: int = 20) -> dict[str, object]:
    inside = values[(values >= low_fence) & (values <= high_fence)]
    counts, edges = np.histogram(inside, bins=bins, range=(inside.min(), inside.max()))
    return {"below": int((values < low_fence).sum()), "above": int((values > high_fence).sum()),
            "counts": [int(c) for c in counts], "low": float(edges[0]), "high": float(edges[-1])}


def _tukey(values: np.ndarray) -> tuple[float, float]:
    q1, q3 = _quantile(values, 0.25), _quantile(values, 0.75)
    return q1 - 3 * (q3 - q1), q3 + 3 * (q3 - q1)


@pytest.mark.parametrize(("column", "below", "above"), [("interest_rate", 0, 25), ("loan_amount", 3, 0)])
def test_broken_sample_bulk_and_outliers_match_a_plain_count(column: str, below: int, above: int) -> None:
    """Counts come from the saved quantile summary, so each cumulative count is within its proven rank error
    of the plain count (a few values on 2,000 rows here)."""
    path = SAMPLE / "loans_broken.csv"
    stats = datacheck.profile(str(path))
    col = stats.column(column)
    assert col is not None and col.numeric is not None
    tolerance = int(np.ceil(col.numeric.rank_error * col.count)) + 1
    values = pl.read_csv(path)[column].drop_nulls().to_numpy().astype(float)
    expected = _reference(values, *_tukey(values))
    # The counts the sample's README gives: 25 rates written in percent; 3 of the 40 negated loan amounts are far out.
    assert (expected["below"], expected["above"]) == (below, above)
    bulk = bulk_histogram(col)
    assert bulk is not None
    assert abs(bulk.below - below) <= tolerance and abs(bulk.above - above) <= tolerance
    assert (bulk.min, bulk.max) == (values.min(), values.max())
    assert expected["low"] - 1e-9 <= bulk.edges[0] and bulk.edges[-1] <= expected["high"] + 1e-9
    # On the page's own edges, every cumulative count within the tolerance of numpy's count.
    true_counts, _ = np.histogram(values, bins=np.array(bulk.edges))
    assert np.abs(np.cumsum(bulk.counts) - np.cumsum(true_counts)).max() <= 2 * tolerance
    assert bulk.below + sum(bulk.counts) + bulk.above == len(values)


def test_interest_rate_bulk_is_visible_in_the_validation_page() -> None:
    """The stored histogram puts 1,975 of 2,000 rates in its first bar; the page's bins spread them out and
    draw the 25 percent-rates in a bar apart."""
    path = str(SAMPLE / "loans_broken.csv")
    schema = datacheck.infer_schema(datacheck.profile(str(SAMPLE / "loans_train.csv")))
    report, stats = datacheck.checks.validate_with_statistics([path], schema)
    col = stats.column("interest_rate")
    assert col is not None and col.numeric is not None and col.numeric.histogram is not None
    assert max(col.numeric.histogram.counts) == 1975  # the one tall bar the issue shows
    for page in (validation_html(stats, report), stats_html(stats)):
        (block,) = re.findall(r'<script type="application/json" id="datacheck-data">(.*?)</script>', page, re.S)
        data = json.loads(block)
        (card,) = [c for c in data["columns"] if c["name"] == "interest_rate"]
        chart = card["chart"]
        values = chart["series"][0]["values"]
        assert chart["apart"] == [len(values) - 1] and values[-1] == 25 and values[-2] is None
        bins = values[:-2]
        assert sum(bins) == 1975 and max(bins) < 0.15 * 1975  # no bar holds the bulk alone
        assert chart["labels"][-1] == "> 0.2" and "25 above (up to 17.87)" in chart["caption"]


def test_data_without_extreme_values_keeps_the_stored_histogram() -> None:
    rng = np.random.default_rng(7)
    frame = pl.DataFrame({"x": rng.normal(size=20_000), "u": rng.uniform(0, 1, 20_000)})
    stats = datacheck.profile(frame)
    for name in ("x", "u"):
        col = stats.column(name)
        assert col is not None and col.numeric is not None
        values = frame[name].to_numpy()
        low, high = _tukey(values)
        assert values.min() >= low and values.max() <= high  # the reference agrees that nothing is far out
        assert bulk_histogram(col) is None


def test_when_the_quartiles_coincide_the_percentiles_bound_the_bulk() -> None:
    """Mostly zeros (IQR 0): the 1st to 99th percentiles bound the bulk, as on the drift page."""
    values = np.concatenate([np.zeros(900), np.arange(1, 91, dtype=float), np.array([5_000.0] * 10)])
    stats = datacheck.profile(pl.DataFrame({"v": values}))
    col = stats.column("v")
    assert col is not None
    bulk = bulk_histogram(col)
    assert bulk is not None
    p1, p99 = _quantile(values, 0.01), _quantile(values, 0.99)
    expected = _reference(values, p1, p99)
    assert (bulk.below, bulk.above, list(bulk.counts)) == (expected["below"], expected["above"], expected["counts"])
    assert bulk.above == 10 and sum(bulk.counts) + bulk.below + bulk.above == len(values)
