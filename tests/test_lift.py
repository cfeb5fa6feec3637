"""Label statistics (`stats --label`): rates and lifts against hand counts over the rows, on census (income as
the label; skipped without the shared data) and on small frames for binary, multi-class and numeric labels."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import polars as pl
import pytest
from test_validate_real_data import DATA, read_adult

from datacheck.errors import UsageError
from datacheck.jsonschemas import schema_errors
from datacheck.lift import label_statistics, with_label_statistics
from datacheck.profile import profile
from datacheck.statistics import Statistics


@pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data not found at {DATA}")
def test_census_income_rates_and_lifts_match_a_hand_count() -> None:
    df = read_adult()
    rows = df.select("education", "age", "label").rows()
    stats = label_statistics(df, "label")
    assert stats.kind == "binary" and stats.rows == len(rows)
    rich = sum(1 for _, _, y in rows if y == ">50K") / len(rows)
    assert dict(stats.overall)[">50K"] == pytest.approx(rich, abs=1e-12)
    education = stats.feature("education")
    assert education is not None and education.by == "values"
    counted = Counter(e for e, _, _ in rows)
    top = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [(r.value, r.rows) for r in education.rates] == top
    for rate in education.rates:
        given = [y for e, _, y in rows if e == rate.value]
        share = sum(1 for y in given if y == ">50K") / len(given)
        assert dict(rate.rates)[">50K"] == pytest.approx(share, abs=1e-12)
        assert dict(rate.lifts)[">50K"] == pytest.approx(share / rich, rel=1e-12)
    # Bachelors earn more than 50K about 1.74x as often as everyone: the published Adult figures
    # (2,221 of 5,355 Bachelors; 7,841 of 32,561 rows).
    bachelors = next(r for r in education.rates if r.value == "Bachelors")
    assert bachelors.rows == 5355 and dict(bachelors.lifts)[">50K"] == pytest.approx((2221 / 5355) / (7841 / 32561))
    age = stats.feature("age")
    assert age is not None and age.by == "buckets"
    assert sum(r.rows for r in age.rates) == len(rows)
    for rate in age.rates:
        low, high = (float(x) for x in rate.value.strip("[)]").split(", "))
        closed = rate.value.endswith("]")
        given = [y for _, a, y in rows if low <= a < high or (closed and a == high)]
        assert rate.rows == len(given)
        assert dict(rate.rates)[">50K"] == pytest.approx(sum(1 for y in given if y == ">50K") / len(given))
    # Deciles: no bucket holds much more than a tenth of the rows (ties at bucket edges aside).
    assert max(r.rows for r in age.rates) < 0.15 * len(rows)


def test_multiclass_and_numeric_labels() -> None:
    rng = np.random.default_rng(4)
    n = 5_000
    df = pl.DataFrame({"cls": rng.choice(["a", "b", "c"], n), "x": rng.normal(size=n),
                       "g": rng.choice(["p", "q"], n), "y": rng.normal(10, 2, n)})
    multi = label_statistics(df, "cls")
    assert multi.kind == "multiclass" and [c for c, _ in multi.overall] == sorted(
        ["a", "b", "c"], key=lambda c: (-(df["cls"] == c).sum(), c))
    g = multi.feature("g")
    assert g is not None
    for rate in g.rates:
        part = df.filter(pl.col("g") == rate.value)
        for cls, share in rate.rates:
            assert share == pytest.approx(float((part["cls"] == cls).mean()))  # type: ignore[arg-type]
    numeric = label_statistics(df, "y")
    assert numeric.kind == "numeric"
    mean = float(df["y"].mean())  # type: ignore[arg-type]
    assert dict(numeric.overall)["mean"] == pytest.approx(mean)
    for rate in numeric.feature("g").rates:  # type: ignore[union-attr]
        given = float(df.filter(pl.col("g") == rate.value)["y"].mean())  # type: ignore[arg-type]
        assert dict(rate.rates)["mean"] == pytest.approx(given)
        assert dict(rate.lifts)["mean"] == pytest.approx(given / mean)
    binary = label_statistics(df.with_columns((pl.col("y") > 11).alias("flag")), "flag")
    assert binary.kind == "binary" and [c for c, _ in binary.overall] == ["false", "true"]


def test_label_statistics_in_the_statistics_file() -> None:
    df = pl.DataFrame({"y": [1, 0, 1, 1, None], "c": ["a", "a", "b", "b", "b"], "t": [1.0, 2.0, 3.0, 4.0, 5.0]})
    stats = with_label_statistics(profile(df), df, "y")
    data = json.loads(json.dumps(stats.to_dict()))
    assert schema_errors(data, "statistics") == []
    assert Statistics.from_dict(data) == stats
    assert stats.labels is not None and stats.labels.rows == 4
    with pytest.raises(UsageError):
        label_statistics(df, "nope")
