"""`datacheck skew`: counts on a fixture with planted mismatches equal a plain polars join computed here; the
bucketed join equals the one-bucket join; CLI outputs, exit codes and the JSON Schema."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from datacheck.cli import app
from datacheck.jsonschemas import schema_errors
from datacheck.skew import skew

N = 20_000
runner = CliRunner()


@pytest.fixture(scope="module")
def sides() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Training and serving rows of one feature pipeline, with planted skew:
    - `fare_bucket` recomputed with a bug in 3% of rows (a shifted bucket), `kind` relabelled in some of them;
    - `fare` rounded to 2 decimals at serving (differences up to 0.005);
    - 150 training keys missing at serving, 80 serving keys missing in training;
    - 25 keys duplicated in training, 10 in serving; a few null keys."""
    rng = np.random.default_rng(19)
    ids = np.arange(N)
    fare = rng.lognormal(2.0, 0.7, N)
    train = pl.DataFrame({"id": ids, "fare": fare, "fare_bucket": (fare // 5).astype(np.int64),
                          "kind": rng.choice(["cash", "card", "app"], N), "only_train": rng.random(N)})
    bug = rng.random(N) < 0.03
    relabel = bug & (rng.random(N) < 0.5)
    serving = train.drop("only_train").with_columns(
        pl.Series("fare", np.round(fare, 2)),
        pl.Series("fare_bucket", np.where(bug, (fare // 5).astype(np.int64) + 1, (fare // 5).astype(np.int64))),
        pl.Series("kind", np.where(relabel, "CARD", train["kind"].to_numpy())),
    )
    extra = serving.slice(0, 80).with_columns(pl.col("id") + N)
    serving = pl.concat([serving.filter(~pl.col("id").is_in(list(range(100, 250)))), extra])
    train = pl.concat([train, train.filter(pl.col("id").is_in(list(range(1000, 1025))))])
    serving = pl.concat([serving, serving.filter(pl.col("id").is_in(list(range(5000, 5010))))
                         .with_columns(pl.col("kind") + "_dup")])
    train = pl.concat([train, train.slice(0, 3).with_columns(pl.lit(None, dtype=pl.Int64).alias("id"))])
    return train.sample(fraction=1.0, shuffle=True, seed=1), serving.sample(fraction=1.0, shuffle=True, seed=2)


def reference(train: pl.DataFrame, serving: pl.DataFrame, abs_tol: float, rel_tol: float) -> dict:
    """The same counts by a plain polars join: keys unique on their side, inner join, row-wise comparison."""
    def unique(frame: pl.DataFrame) -> pl.DataFrame:
        frame = frame.filter(pl.col("id").is_not_null())
        return frame.filter(pl.col("id").is_in(frame.group_by("id").len().filter(pl.col("len") == 1)["id"].implode()))

    a, b = unique(train), unique(serving)
    joined = a.join(b, on="id", suffix="_s")
    fare_a, fare_s = joined["fare"].to_numpy(), joined["fare_s"].to_numpy()
    out = {
        "matched": joined.height,
        "only_base": a.filter(~pl.col("id").is_in(serving["id"].drop_nulls().implode())).height,
        "only_test": b.filter(~pl.col("id").is_in(train["id"].drop_nulls().implode())).height,
        "fare": int((np.abs(fare_s - fare_a) > abs_tol + rel_tol * np.abs(fare_a)).sum()),
        "fare_bucket": int((joined["fare_bucket"] != joined["fare_bucket_s"]).sum()),
        "kind": int((joined["kind"] != joined["kind_s"]).sum()),
        "pairs": joined.filter(pl.col("kind") != pl.col("kind_s")).group_by("kind", "kind_s").len()
                       .sort("len", "kind", descending=[True, False]).rows(),
    }
    return out


@pytest.mark.parametrize(("abs_tol", "rel_tol"), [(0.0, 0.0), (0.005, 0.0), (0.0, 1e-4)])
def test_counts_equal_a_plain_join(sides, abs_tol: float, rel_tol: float) -> None:
    train, serving = sides
    expected = reference(train, serving, abs_tol, rel_tol)
    report = skew(train.lazy(), serving.lazy(), ["id"], abs_tol=abs_tol, rel_tol=rel_tol, buckets=7)
    assert report.matched == expected["matched"]
    assert (report.base.unmatched, report.test.unmatched) == (expected["only_base"], expected["only_test"])
    for name in ("fare", "fare_bucket", "kind"):
        assert report.feature(name).differing == expected[name], name
    assert [(p.base, p.test, p.count) for p in report.feature("kind").top_pairs] == expected["pairs"]
    assert report.only_in_base == ("only_train",)


def test_planted_amounts(sides) -> None:
    """The fixture's planted facts, counted independently of the join."""
    train, serving = sides
    report = skew(train.lazy(), serving.lazy(), ["id"], abs_tol=0.005 + 1e-12)
    assert (report.base.duplicate_keys, report.base.duplicate_rows) == (25, 50)
    assert (report.test.duplicate_keys, report.test.duplicate_rows) == (10, 20)
    assert report.base.null_key_rows == 3 and report.test.null_key_rows == 0
    assert (report.base.unmatched, report.test.unmatched) == (150, 80)
    assert report.base.unmatched_examples == tuple((str(i),) for i in range(100, 105))
    assert report.base.duplicate_examples[0] == ("1000",)
    assert report.feature("fare").differing == 0  # rounding to 2 decimals moves a value by at most 0.005
    rate = report.feature("fare_bucket").mismatch_rate
    assert 0.025 < rate < 0.035
    assert report.exit_code() == 1


def test_buckets_do_not_change_the_report(sides) -> None:
    train, serving = sides
    one = skew(train.lazy(), serving.lazy(), ["id"], buckets=1)
    many = skew(train.lazy(), serving.lazy(), ["id"], buckets=13)
    assert skew(train.lazy(), serving.lazy(), ["id"], buckets=13) == many  # same input, same report
    # Counts, pairs and examples are exact; the spread of differences is summed and sketched bucket by bucket.
    assert replace(one, features=()) == replace(many, features=())
    for a, b in zip(one.features, many.features):
        assert replace(a, differences=None) == replace(b, differences=None)
    fare_one, fare_many = one.feature("fare").differences, many.feature("fare").differences
    assert fare_one.count == fare_many.count and fare_one.mean == pytest.approx(fare_many.mean, abs=1e-12)
    exact = np.sort(serving.join(train, on="id").filter(pl.col("id").is_in(
        [k for k in train["id"].drop_nulls().to_list()])).select(pl.col("fare") - pl.col("fare_right"))
        .to_series().to_numpy())
    assert fare_many.quantiles[0][1] <= np.quantile(exact, 0.01) and fare_many.quantiles[-1][1] >= -0.005
    assert one.feature("fare_bucket").examples == tuple(sorted(one.feature("fare_bucket").examples,
                                                               key=lambda k: int(k[0])))


def test_differences_of_numbers() -> None:
    base = pl.LazyFrame({"k": [1, 2, 3, 4, 5], "x": [1.0, 2.0, float("nan"), None, 5.0]})
    test = pl.LazyFrame({"k": [1, 2, 3, 4, 5], "x": [1.5, 2.0, float("nan"), 4.0, 4.0]})
    feature = skew(base, test, ["k"]).feature("x")
    assert (feature.differing, feature.null_in_base) == (3, 1)
    assert feature.differences.count == 2
    assert dict(feature.differences.quantiles)[0.0] == -1.0 and dict(feature.differences.quantiles)[1.0] == 0.5
    assert feature.differences.mean == pytest.approx(-0.25)


def test_cli_formats_and_exit_codes(sides, tmp_path: Path) -> None:
    train, serving = sides
    train.write_parquet(tmp_path / "train.parquet")
    serving.write_csv(tmp_path / "serving.csv")
    args = ["skew", str(tmp_path / "train.parquet"), str(tmp_path / "serving.csv"), "--key", "id"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert schema_errors(document, "skew") == []
    assert document["features"][1]["name"] == "fare_bucket"
    # Duplicate keys alone keep the exit code at 1 even when every rate is allowed.
    assert runner.invoke(app, [*args, "--max-mismatch-rate", "1"]).exit_code == 1
    clean = tmp_path / "clean.csv"
    train.filter(pl.col("id").is_not_null()).unique("id", keep="none").write_csv(clean)
    assert runner.invoke(app, ["skew", str(clean), str(clean), "--key", "id"]).exit_code == 0
    for fmt, marker in (("markdown", "| fare\\_bucket |"), ("junit", "<failure type=\"skew\""),
                        ("github", "::error title=skew in fare_bucket::"), ("html", "<td>fare_bucket</td>")):
        result = runner.invoke(app, [*args, "--format", fmt])
        assert result.exit_code == 1 and marker in result.stdout, fmt
    result = runner.invoke(app, [*args[:3], "--key", "missing"])
    assert result.exit_code == 2 and "no key column 'missing'" in result.stderr
    result = runner.invoke(app, [*args, "--max-mismatch-rate", "x"])
    assert result.exit_code == 2


def test_html_escapes_values(tmp_path: Path) -> None:
    pl.DataFrame({"id": [1], "v": ["<b>"]}).write_csv(tmp_path / "a.csv")
    pl.DataFrame({"id": [1], "v": ["<script>"]}).write_csv(tmp_path / "b.csv")
    result = runner.invoke(app, ["skew", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-k", "id", "-f", "html"])
    assert "<script>" not in result.stdout and "&lt;script&gt;" in result.stdout


def test_thresholds_from_schema_and_command_line(sides, tmp_path: Path) -> None:
    from datacheck.schema import ColumnSchema, Schema, Skew

    train, serving = sides
    clean_train = train.filter(pl.col("id").is_not_null()).unique("id", keep="none")
    clean_serving = serving.unique("id", keep="none")
    clean_train.write_parquet(tmp_path / "a.parquet")
    clean_serving.write_parquet(tmp_path / "b.parquet")
    rates = skew(clean_train.lazy(), clean_serving.lazy(), ["id"])
    bucket, kind = rates.feature("fare_bucket").mismatch_rate, rates.feature("kind").mismatch_rate
    Schema((ColumnSchema("fare_bucket", "integer", skew=Skew(0.04)), ColumnSchema("kind", "string", skew=Skew(0.02)),
            ColumnSchema("fare", "float", skew=Skew(1.0)))).dump(tmp_path / "schema.json")
    args = ["skew", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"), "-k", "id", "-f", "json"]
    assert bucket < 0.04 and kind < 0.02
    result = runner.invoke(app, [*args, "--schema", str(tmp_path / "schema.json")])
    assert result.exit_code == 0, result.stdout
    assert [f["threshold"] for f in json.loads(result.stdout)["features"]] == [1.0, 0.04, 0.02]
    # A threshold for one feature on the command line wins over the schema's.
    result = runner.invoke(app, [*args, "--schema", str(tmp_path / "schema.json"), "-t", f"kind={kind / 2}"])
    assert result.exit_code == 1 and json.loads(result.stdout)["skewed"] == ["kind"]


def test_unreadable_side_is_exit_2(tmp_path: Path) -> None:
    pl.DataFrame({"id": [1, 2], "x": [1.0, 2.0]}).write_csv(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text('id,x\n1,2\n2,"3\n3,4,5,6\n')
    result = runner.invoke(app, ["skew", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-k", "id"])
    assert result.exit_code == 2 and "cannot read" in result.stderr and result.stdout == ""
