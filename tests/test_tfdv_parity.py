"""Our statistics of the TFX Chicago taxi sample agree with TFDV's own statistics of it.

TFDV (run by the TFX pipeline) split data.csv into train and eval and wrote statistics for each; the
summary in tfx_reference_outputs/summary.json lists them. TFX reads an empty CSV cell as a *present*
feature with zero values, so TFDV's `tot_num_values` is what we call `count` (non-null values).
Skipped when the public data folder beside the checkout is absent (a user's clone does not have it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datacheck.profile import profile

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "chicago_taxi_tfx"
pytestmark = pytest.mark.skipif(not (DATA / "data.csv").exists(), reason="no public data folder beside the checkout")


@pytest.fixture(scope="module")
def ours():
    return profile(str(DATA / "data.csv"))


@pytest.fixture(scope="module")
def tfdv():
    summary = json.loads((DATA / "tfx_reference_outputs" / "summary.json").read_text())
    return summary["train"], summary["eval"]


def test_row_count(ours, tfdv) -> None:
    train, evaluation = tfdv
    assert ours.num_rows == train["num_examples"] + evaluation["num_examples"] == 15_002


def test_non_missing_counts(ours, tfdv) -> None:
    train, evaluation = tfdv
    for name, feature in train["features"].items():
        expected = feature["tot_num_values"] + evaluation["features"][name]["tot_num_values"]
        assert ours.column(name).count == expected, name


def test_min_max_and_means(ours, tfdv) -> None:
    train, evaluation = tfdv
    checked = 0
    for name, feature in train["features"].items():
        other = evaluation["features"][name]
        if "mean" not in feature:
            continue
        col = ours.column(name).numeric
        # A split with no values reports min = max = mean = 0 in TFDV; it says nothing about the data.
        splits = [f for f in (feature, other) if f["tot_num_values"] > 0]
        assert col.min == pytest.approx(min(f["min"] for f in splits), rel=1e-6), name
        assert col.max == pytest.approx(max(f["max"] for f in splits), rel=1e-6), name
        mean = sum(f["mean"] * f["tot_num_values"] for f in splits) / sum(f["tot_num_values"] for f in splits)
        # TFDV accumulates in float32 for some features: agree to its rounding.
        assert col.mean == pytest.approx(mean, rel=1e-5, abs=1e-6), name
        checked += 1
    assert checked >= 14


def test_distinct_strings_and_top_value(ours, tfdv) -> None:
    train, evaluation = tfdv
    for name in ("payment_type", "company"):
        top_train = train["features"][name]["top3"][0]
        col = ours.column(name)
        assert col.top_values[0].value == top_train[0], name
        assert col.distinct.exact
        assert col.distinct.count >= max(train["features"][name]["unique"], evaluation["features"][name]["unique"])
