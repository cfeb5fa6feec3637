"""`infer --rules`: what is proposed (and what is not) on hand-made frames, with evidence counted in plain
Python, and on the real data none fires on the other random half."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import datacheck
from datacheck.cli import app
from datacheck.infer import infer_schema
from datacheck.infer_rules import propose_rules

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RULE_CODES = ("rule_failed", "duplicate_compound_key", "missing_periods")


def proposed(frame: pl.DataFrame) -> dict[str, dict]:
    result = propose_rules(frame, infer_schema(datacheck.profile(frame)))
    return {p.text: p.evidence for p in result.proposals}


def test_an_ordering_that_always_holds_is_proposed_with_its_evidence() -> None:
    rng = random.Random(1)
    placed = [rng.randint(0, 10_000) for _ in range(3000)]
    shipped = [p + rng.choice([0, 0, 1, 5, 30]) for p in placed]
    found = proposed(pl.DataFrame({"placed": placed, "shipped": shipped}))
    evidence = found["placed <= shipped"]
    assert evidence["rows"] == 3000 and evidence["failing"] == 0
    assert evidence["equal"] == sum(1 for p, s in zip(placed, shipped) if p == s)
    # Zero failures in 3,000 rows: the Wilson upper bound at z = 3 is 9/3009, so min_pass = 1 - 0.00299...
    assert evidence["min_pass"] == pytest.approx(1 - 9 / 3009, abs=1e-4)
    assert "shipped <= placed" not in found


def test_an_ordering_the_ranges_imply_is_not_a_rule() -> None:
    rng = random.Random(2)
    frame = pl.DataFrame({"small": [rng.randint(0, 10) for _ in range(3000)],
                          "large": [rng.randint(20, 90) for _ in range(3000)]})
    assert proposed(frame) == {}


def test_too_few_rows_propose_nothing() -> None:
    frame = pl.DataFrame({"a": list(range(500)), "b": [i + 1 for i in range(500)]})
    assert proposed(frame) == {}


def test_a_compound_key_needs_collisions_that_chance_would_have_made() -> None:
    stores, days = list(range(40)), list(range(100))
    rows = [(s, d) for s in stores for d in days]
    random.Random(3).shuffle(rows)
    key = pl.DataFrame({"store": [s for s, _ in rows], "day": [d for _, d in rows]})
    evidence = proposed(key)["(store, day)"]
    assert evidence["rows"] == 4000
    # 4,000 random pairs from 40 x 100 = 4,000 combinations would collide about 4000 - 4000 * (1 - e^-1) times.
    assert evidence["expected_collisions_at_random"] == pytest.approx(4000 / 2.718281828, rel=0.01)
    # The same columns with a repeated pair are no key.
    assert "(store, day)" not in proposed(pl.concat([key, key.head(1)]))
    # Wide columns whose pairs would rarely collide at random are no evidence of a key.
    rng = random.Random(4)
    wide = pl.DataFrame({"a": [rng.randint(0, 3000) for _ in range(2000)],
                         "b": [rng.randint(0, 3000) for _ in range(2000)]})
    assert "(a, b)" not in proposed(wide)


def test_a_period_is_proposed_only_when_every_period_is_well_filled() -> None:
    start = dt.datetime(2024, 3, 1)
    times = [start + dt.timedelta(minutes=7 * i) for i in range(6000)]  # ~29 days, ~205 per day, ~8.6 per hour
    found = proposed(pl.DataFrame({"t": times}))
    evidence = found["t: 1d"]
    days = {t.date() for t in times}
    assert evidence["periods"] == len(days)
    assert evidence["fewest_rows_in_a_period"] == min(sum(1 for t in times if t.date() == d) for d in days)
    gappy = [t for t in times if t.date() != dt.date(2024, 3, 10)]
    assert not [text for text in proposed(pl.DataFrame({"t": gappy})) if text.startswith("t:")]


def test_the_cli_writes_the_rules_and_prints_the_evidence(tmp_path: Path) -> None:
    rng = random.Random(5)
    placed = [rng.randint(0, 10_000) for _ in range(2000)]
    data = tmp_path / "orders.csv"
    pl.DataFrame({"placed": placed, "shipped": [p + rng.randint(0, 9) for p in placed]}).write_csv(data)
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["infer", str(data), "--rules", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rules = json.loads(out.read_text())["rules"]
    assert [r["expr"] for r in rules] == ["placed <= shipped"]
    assert "ordering placed <= shipped: left=placed, right=shipped, rows=2000" in result.output
    plain = CliRunner().invoke(app, ["infer", str(data), "-o", str(tmp_path / "plain.json")])
    assert "rules" not in json.loads((tmp_path / "plain.json").read_text())
    assert plain.exit_code == 0


def read_adult() -> pl.DataFrame:
    """UCI Adult: values after ", ", '?' for missing; columns of whole numbers as integers."""
    raw = pl.read_csv(DATA / "census_adult" / "adult.data", infer_schema_length=0)
    raw = raw.with_columns(pl.all().str.strip_chars()).with_columns(
        pl.when(pl.all() == "?").then(None).otherwise(pl.all()).name.keep())
    raw = raw.filter(~pl.all_horizontal(pl.all().is_null() | (pl.all() == "")))
    return raw.with_columns(pl.col(c).cast(pl.Int64) for c in raw.columns
                            if raw.get_column(c).drop_nulls().str.contains(r"^-?\d+$").all())


REAL = {
    "chicago_taxi_tfx": lambda: pl.read_csv(DATA / "chicago_taxi_tfx" / "data.csv"),
    "chicago_taxi_tfdv": lambda: pl.read_csv(DATA / "chicago_taxi_tfdv" / "train.csv"),
    "census_adult": read_adult,
}


@pytest.mark.skipif(not DATA.is_dir(), reason="the public datasets are not beside the checkout")
@pytest.mark.parametrize("name", sorted(REAL))
@pytest.mark.parametrize("derived", [False, True], ids=["as-is", "with-derived-columns"])
def test_no_proposed_rule_fires_on_the_other_random_half(name: str, derived: bool) -> None:
    frame = REAL[name]()
    base = ""
    if derived:
        # Relationships that hold by construction, so that the check proposes rules to be tested at all.
        base = next(c for c, d in frame.schema.items() if d.is_integer())
        frame = frame.with_columns((pl.col(base) + pl.col(base).abs() % 3).alias("first_plus"))
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=20240601)
    first, second = shuffled.head(frame.height // 2), shuffled.tail(frame.height - frame.height // 2)
    result = propose_rules(first, infer_schema(datacheck.profile(first)))
    if derived:
        assert f"{base} <= first_plus" in [p.text for p in result.proposals]
    for proposal in result.proposals:
        assert proposal.evidence["rows"] >= 1000
    report = datacheck.validate(second, result.schema)
    assert [f.message for f in report.findings if f.code in RULE_CODES] == []
