"""Tests of the drift signals (missingness, new and vanished values), the identifier rule, all-null columns and
the size-dependent L-infinity threshold. References: scipy's Fisher and chi-squared tests, plain-Python counts
over the rows, random permutations of the pooled rows (numpy), and hand-derived cases.
"""

from __future__ import annotations

import json
import math
import uuid
from collections import Counter

import numpy as np
import polars as pl
import pytest

from datacheck.drift import DriftReport, drift
from datacheck.drift_signals import (
    distance_threshold,
    fisher_exact_pvalue,
    unseen_permutation_pvalue,
)
from datacheck.jsonschemas import schema_errors
from datacheck.output import to_json
from datacheck.render.drift import drift_github, drift_junit, drift_markdown, drift_table

scipy_stats = pytest.importorskip("scipy.stats")


def _json_ok(report: DriftReport) -> dict:
    text = to_json(report.to_dict())
    data = json.loads(text)
    assert schema_errors(data, "drift") == []
    assert DriftReport.from_dict(data) == report
    assert "NaN" not in text and "Infinity" not in text
    return data


# ------------------------------------------------------------------------------------------- missingness


@pytest.mark.parametrize("table", [(0, 200, 7, 193), (3, 97, 12, 88), (50, 250, 40, 260), (1, 0, 0, 1),
                                   (0, 150, 0, 150), (30, 5, 2, 40)])
def test_fisher_matches_scipy(table):
    a, b, c, d = table
    assert fisher_exact_pvalue(a, b, c, d) == pytest.approx(scipy_stats.fisher_exact([[a, b], [c, d]])[1],
                                                            rel=1e-9, abs=1e-12)


def test_missingness_small_sample_is_fishers_test_on_the_null_counts():
    rng = np.random.default_rng(3)
    base = pl.DataFrame({"x": pl.Series(rng.normal(size=300)).set(pl.Series(rng.random(300) < 0.05), None)})
    cur = pl.DataFrame({"x": pl.Series(rng.normal(size=250)).set(pl.Series(rng.random(250) < 0.40), None)})
    nb, nc = sum(v is None for v in base["x"].to_list()), sum(v is None for v in cur["x"].to_list())
    sig = drift(base, cur).column("x").signal("missingness")
    expected = scipy_stats.fisher_exact([[nb, 300 - nb], [nc, 250 - nc]])[1]
    assert sig.method == "fisher" and sig.pvalue == pytest.approx(expected, rel=1e-9)
    assert sig.baseline_share == nb / 300 and sig.current_share == nc / 250
    assert sig.value == pytest.approx(abs(nc / 250 - nb / 300))
    assert sig.drifted and drift(base, cur).column("x").drifted_by == ("missingness",)


def test_missingness_large_sample_is_a_share_distance():
    n = 20_000
    rng = np.random.default_rng(4)
    values = rng.normal(size=n)
    base = pl.DataFrame({"x": pl.Series(values).set(pl.Series(rng.random(n) < 0.01), None)})
    cur = pl.DataFrame({"x": pl.Series(values).set(pl.Series(rng.random(n) < 0.25), None)})
    same = pl.DataFrame({"x": pl.Series(values).set(pl.Series(rng.random(n) < 0.01), None)})
    col = drift(base, cur).column("x")
    sig = col.signal("missingness")
    nb, nc = base["x"].null_count(), cur["x"].null_count()
    assert sig.method == "share_diff" and sig.value == pytest.approx(abs(nc - nb) / n)
    # en = 10,000: 0.05 * sqrt(1000 / 10000)
    assert sig.threshold == pytest.approx(0.05 / math.sqrt(10))
    assert col.drifted and "missingness" in col.drifted_by
    assert not drift(base, same).column("x").drifted


def test_missingness_is_measured_on_columns_whose_distribution_is_skipped():
    ids = list(range(1, 301))
    cur = pl.DataFrame({"id": [None if i % 2 else i for i in ids]})
    col = drift(pl.DataFrame({"id": ids}), cur).column("id")
    assert col.status == "skipped" and col.method is None
    assert col.drifted_by == ("missingness",) and col.signal("missingness").current_share == 0.5


# ---------------------------------------------------------------------------------- new and vanished values


def test_new_and_vanished_shares_are_hand_counts():
    rng = np.random.default_rng(5)
    base_rows = list(rng.choice(["a", "b", "c", "d", "e"], 400, p=[0.4, 0.3, 0.15, 0.1, 0.05]))
    base_rows += ["solo1", "solo2", "pair", "pair"]
    cur_rows = [v for v in rng.choice(["a", "b", "c", "d"], 380, p=[0.4, 0.3, 0.2, 0.1])] + ["new1"] * 12 + ["x"]
    col = drift(pl.DataFrame({"c": base_rows}), pl.DataFrame({"c": cur_rows})).column("c")
    base_set, cur_set = set(base_rows), set(cur_rows)
    new = col.signal("new_values")
    gone = col.signal("vanished_values")
    assert new.value == pytest.approx(sum(v not in base_set for v in cur_rows) / len(cur_rows))
    assert new.count == len(cur_set - base_set) == 2
    assert gone.value == pytest.approx(sum(v not in cur_set for v in base_rows) / len(base_rows))
    assert gone.count == len(base_set - cur_set)
    # Good-Turing: singletons / values of the side the other is compared against.
    assert new.expected == pytest.approx(sum(1 for c in Counter(base_rows).values() if c == 1) / len(base_rows))
    assert gone.expected == pytest.approx(sum(1 for c in Counter(cur_rows).values() if c == 1) / len(cur_rows))
    assert new.drifted and "new_values" in col.drifted_by  # 12 copies of one new value: 3% of the rows


def test_unseen_permutation_pvalue_matches_random_splits():
    rng = np.random.default_rng(6)
    pooled = list(rng.choice([f"v{i}" for i in range(40)], 300, p=np.arange(40, 0, -1) / 820)) + [
        f"r{i}" for i in range(15)] + ["q"] * 4
    n_other = 150
    base, other = pooled[n_other:], pooled[:n_other]
    other = other[:-6] + ["q", "q", "q", "q", "r0", "r1"]
    base = [v for v in base if v not in ("q", "r0", "r1")]
    pooled = base + other
    seen, cur = Counter(base), Counter(other)
    observed = sum(c for v, c in cur.items() if v not in seen)
    # Reference: split the pooled rows at random many times and count how often the new mass reaches it.
    arr = np.array(pooled)
    hits = 0
    trials = 4000
    for _ in range(trials):
        perm = rng.permutation(arr)
        side_o, side_s = perm[:len(other)], set(perm[len(other):].tolist())
        hits += sum(1 for v in side_o.tolist() if v not in side_s) >= observed
    assert unseen_permutation_pvalue(seen, cur) == pytest.approx(hits / trials, abs=0.03)


def test_random_halves_of_many_categories_stay_quiet():
    rng = np.random.default_rng(7)
    quiet = 0
    for _ in range(40):
        rows = rng.zipf(1.6, 600).astype(str)  # a long tail: many singletons on each side
        col = drift(pl.DataFrame({"c": rows[:300]}), pl.DataFrame({"c": rows[300:]})).column("c")
        quiet += not any(s.drifted for s in col.signals)
    assert quiet >= 38


# -------------------------------------------------------------------------------- identifiers and all-null


def test_all_distinct_measurements_are_compared_and_x1000_caught():
    rng = np.random.default_rng(8)
    pop = rng.integers(1_000, 9_000_000, 400)
    col = drift(pl.DataFrame({"population": pop[:200]}), pl.DataFrame({"population": pop[200:] * 1000}))
    entry = col.column("population")
    assert entry.status == "compared" and entry.method == "ks" and "distribution" in entry.drifted_by
    # The same column unchanged is not flagged.
    assert drift(pl.DataFrame({"population": pop[:200]}), pl.DataFrame({"population": pop[200:]})).passed


@pytest.mark.parametrize("name,values", [
    ("n", list(range(1000, 1400))),                                   # consecutive integers
    ("customer_id", list(np.random.default_rng(9).choice(10**9, 400, replace=False))),  # an id-like name
    ("token", [uuid.UUID(int=i * 7919 + 13).hex for i in range(400)]),  # hash-like text
])
def test_identifiers_are_skipped_on_positive_evidence(name, values):
    col = drift(pl.DataFrame({name: values[:200]}), pl.DataFrame({name: values[200:]})).column(name)
    assert col.status == "skipped" and "identifier" in col.note and not col.drifted


def test_all_null_side_carries_no_type():
    # One value in 15,002 rows (the taxi data's pickup_census_tract): the half without it is read as text.
    base = pl.DataFrame({"tract": pl.Series([None] * 7500 + [17031081401.0], dtype=pl.Float64)})
    cur = pl.DataFrame({"tract": pl.Series([None] * 7501, dtype=pl.String)})
    report = drift(base, cur)
    col = report.column("tract")
    assert col.status != "type_changed" and not col.drifted and report.passed
    # A column emptied in the current data is a missingness drift, not a type change.
    full = pl.DataFrame({"tract": np.arange(300, dtype=float) % 7})
    emptied = drift(full, pl.DataFrame({"tract": pl.Series([None] * 300, dtype=pl.String)})).column("tract")
    assert emptied.status == "compared" and emptied.drifted_by == ("missingness",)
    _json_ok(report)


# ------------------------------------------------------------------------- L-infinity threshold and output


def test_linf_threshold_falls_with_sample_size():
    assert distance_threshold(1000) == pytest.approx(0.05)
    assert distance_threshold(4000) == pytest.approx(0.025)
    assert distance_threshold(25_000) == pytest.approx(0.01)
    assert distance_threshold(10**6) == 0.01
    rng = np.random.default_rng(10)
    n = 200_000
    base = pl.DataFrame({"label": (rng.random(n) < 0.10).astype(np.int64)})
    cur = pl.DataFrame({"label": (rng.random(n) < 0.14).astype(np.int64)})
    col = drift(base, cur).column("label")
    share_b, share_c = float(base["label"].mean()), float(cur["label"].mean())
    assert col.method == "linf" and col.value == pytest.approx(abs(share_c - share_b))
    assert col.threshold == 0.01 and col.drifted
    same = pl.DataFrame({"label": (rng.random(n) < 0.10).astype(np.int64)})
    assert not drift(base, same).column("label").drifted


def test_every_format_names_the_signal():
    rng = np.random.default_rng(11)
    base = pl.DataFrame({"x": rng.normal(size=300)})
    cur = pl.DataFrame({"x": pl.Series(rng.normal(size=300)).set(pl.Series(rng.random(300) < 0.4), None)})
    report = drift(base, cur)
    data = _json_ok(report)
    assert data["columns"][0]["drifted_by"] == ["missingness"]
    assert data["columns"][0]["signals"][0]["signal"] == "missingness"
    assert to_json(report.to_dict()) == to_json(drift(base, cur).to_dict())
    for text in (drift_markdown(report), drift_junit(report), drift_github(report)):
        assert "missingness" in text and "null share" in text
    import io

    from rich.console import Console

    console = Console(width=160, file=io.StringIO(), color_system=None)
    console.print(drift_table(report))
    assert "missingness" in console.file.getvalue()


def test_html_report_names_the_signal(tmp_path):
    from typer.testing import CliRunner

    from datacheck.cli import app

    rng = np.random.default_rng(12)
    # Two columns: in a one-column CSV a null is an empty line, which a CSV reader skips as blank.
    pl.DataFrame({"i": range(300), "x": rng.normal(size=300)}).write_csv(tmp_path / "a.csv")
    cur = pl.Series(rng.normal(size=300)).set(pl.Series(rng.random(300) < 0.4), None)
    pl.DataFrame({"i": range(300), "x": cur}).write_csv(tmp_path / "b.csv")
    out = tmp_path / "drift.html"
    result = CliRunner().invoke(app, ["drift", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-o", str(out)])
    assert result.exit_code == 1, result.output
    page = out.read_text()
    assert "missingness: null share 0% →" in page and "no drift</p>" in page  # ks itself did not drift
