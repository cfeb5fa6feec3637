"""The bundled sample data: regenerating it is byte-stable, and the planted problems are there.

Checked with plain polars and numpy only, so these tests do not depend on datacheck itself.
sample_data/README.md documents what is asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import polars as pl
import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
STEMS = ["loans_train", "loans_clean", "loans_drifted", "loans_broken", "loans_serving"]
PARQUET_STEMS = ["loans_train", "loans_clean", "loans_drifted", "loans_broken"]
NUMERIC = ["age", "income", "loan_amount", "credit_score", "interest_rate"]


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def read_csv(stem: str) -> pl.DataFrame:
    return pl.read_csv(SAMPLE / f"{stem}.csv", try_parse_dates=True)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample_data")
    gen.write_all(out)
    return out


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    return {stem: read_csv(stem) for stem in STEMS}


# --- determinism ----------------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_regenerated_csv_is_byte_identical(regenerated: Path, stem: str) -> None:
    assert (regenerated / f"{stem}.csv").read_bytes() == (SAMPLE / f"{stem}.csv").read_bytes()


@pytest.mark.parametrize("stem", PARQUET_STEMS)
def test_parquet_matches_csv_and_regeneration(regenerated: Path, stem: str) -> None:
    # Parquet bytes carry the writer's version, so compare contents, not bytes.
    committed = pl.read_parquet(SAMPLE / f"{stem}.parquet")
    assert committed.equals(pl.read_parquet(regenerated / f"{stem}.parquet"))
    assert committed.equals(read_csv(stem))
    assert committed.schema["application_date"] == pl.Date
    assert committed.schema["submitted_at"] == pl.Datetime("us")


@pytest.mark.parametrize("stem", STEMS)
def test_csv_is_small(stem: str) -> None:
    assert (SAMPLE / f"{stem}.csv").stat().st_size < 1_000_000


# --- the baseline and the clean snapshot ----------------------------------------------


def test_train_shape_and_types(frames) -> None:
    train = frames["loans_train"]
    assert train.columns == gen.COLUMNS
    assert train.height == 5_000
    assert train["application_id"].is_unique().all()
    assert dict(train.schema) == {
        "application_id": pl.Int64,
        "age": pl.Int64,
        "income": pl.Float64,
        "loan_amount": pl.Float64,
        "credit_score": pl.Int64,
        "interest_rate": pl.Float64,
        "state": pl.String,
        "employment_type": pl.String,
        "has_cosigner": pl.Boolean,
        "application_date": pl.Date,
        "submitted_at": pl.Datetime("us"),
        "notes": pl.String,
        "defaulted": pl.Int64,
    }
    assert train["state"].n_unique() == 12
    assert train["employment_type"].n_unique() == 5
    assert 0.12 <= train["defaulted"].mean() <= 0.18
    assert 0.01 <= train["age"].null_count() / train.height <= 0.03
    assert 0.02 <= train["income"].null_count() / train.height <= 0.04
    assert 0.08 <= train["notes"].null_count() / train.height <= 0.12
    assert train["notes"].drop_nulls().n_unique() / train["notes"].count() > 0.9
    assert train["interest_rate"].min() >= 0 and train["interest_rate"].max() <= 1
    # The label is correlated with features.
    assert train.select(pl.corr("defaulted", "credit_score")).item() < -0.2
    assert train.select(pl.corr("defaulted", "interest_rate")).item() > 0.2
    # submitted_at falls on application_date.
    assert (train["submitted_at"].dt.date() == train["application_date"]).all()


@pytest.mark.parametrize("stem", ["loans_clean", "loans_serving"])
def test_later_snapshot_fits_train(frames, stem: str) -> None:
    train, later = frames["loans_train"], frames[stem]
    expected = [c for c in gen.COLUMNS if not (stem == "loans_serving" and c == "defaulted")]
    assert later.columns == expected
    assert later.schema == pl.Schema({c: train.schema[c] for c in expected})
    assert later["application_id"].is_unique().all()
    assert later["application_id"].min() > train["application_id"].max()
    for col in NUMERIC:
        assert train[col].min() <= later[col].min() and later[col].max() <= train[col].max(), col
    for col in ["state", "employment_type"]:
        assert set(later[col].unique()) <= set(train[col].unique()), col
    lengths, train_lengths = later["notes"].str.len_chars(), train["notes"].str.len_chars()
    assert train_lengths.min() <= lengths.min() and lengths.max() <= train_lengths.max()
    # Dates are the month after train's window.
    assert later["application_date"].min() > train["application_date"].max()


def test_serving_has_no_label(frames) -> None:
    serving = frames["loans_serving"]
    assert serving.height == 200
    assert "defaulted" not in serving.columns


# --- drifted --------------------------------------------------------------------------


def test_drifted(frames) -> None:
    train, drifted = frames["loans_train"], frames["loans_drifted"]
    assert drifted.schema == train.schema
    assert drifted.height == 2_000
    income_shift = (drifted["income"].mean() - train["income"].mean()) / train["income"].std()
    assert 0.4 <= income_shift <= 0.7
    assert drifted["interest_rate"].mean() - train["interest_rate"].mean() > 0.02
    share = lambda df: (df["state"] == "TX").mean()  # noqa: E731
    assert 0.12 <= share(drifted) - share(train) <= 0.18
    assert set(drifted["state"].unique()) - set(train["state"].unique()) == {"NV", "OR"}
    assert set(drifted["employment_type"].unique()) - set(train["employment_type"].unique()) == {"gig_worker"}
    for col, value in [("state", "NV"), ("state", "OR"), ("employment_type", "gig_worker")]:
        assert 0.005 <= (drifted[col] == value).mean() <= 0.04
    # Otherwise valid: ranges stay within train's, ids are unique and new.
    for col in NUMERIC:
        assert train[col].min() <= drifted[col].min() and drifted[col].max() <= train[col].max(), col
    assert drifted["application_id"].is_unique().all()
    assert drifted["application_id"].min() > frames["loans_clean"]["application_id"].max()


# --- broken ---------------------------------------------------------------------------


def test_broken(frames) -> None:
    broken = frames["loans_broken"]
    assert broken.height == 2_000
    assert "has_cosigner" not in broken.columns
    assert broken.columns == [c for c in gen.COLUMNS if c != "has_cosigner"]

    # credit_score reads as text: "712pts"-style and "N/A" among plain digits.
    score = broken["credit_score"]
    assert score.dtype == pl.String
    assert score.str.ends_with("pts").sum() == 120
    assert (score == "N/A").sum() == 60
    assert score.str.contains(r"^\d+$").sum() == 2_000 - 180
    assert score[1] == "N/A" and score[3].endswith("pts")

    # A burst of nulls in income: rows 700..1299 all null, about 32% overall.
    income = broken["income"]
    assert income.slice(700, 600).null_count() == 600
    assert 0.30 <= income.null_count() / broken.height <= 0.34

    # Out of range values.
    assert (broken["loan_amount"] < 0).sum() == 40
    assert sorted(broken.filter(pl.col("age") >= 150)["age"].to_list()) == [150, 153, 160, 172, 199, 230]
    assert broken["age"].drop_nulls().filter(broken["age"].drop_nulls() >= 150).len() == 6

    # interest_rate in percent (x100) in 25 rows.
    assert (broken["interest_rate"] > 1).sum() == 25
    assert broken["interest_rate"].max() <= 20

    # 30 application_ids occur twice.
    counts = broken["application_id"].value_counts()
    assert counts.filter(pl.col("count") > 1).height == 30
    assert counts["count"].max() == 2
    assert broken.height - broken["application_id"].n_unique() == 30

    # Everything else is as in the clean process.
    train = frames["loans_train"]
    for col in ["state", "employment_type"]:
        assert set(broken[col].unique()) <= set(train[col].unique())
    assert broken["application_date"].dtype == pl.Date
    assert broken["submitted_at"].dtype == pl.Datetime("us")


def test_broken_parquet_keeps_string_score() -> None:
    broken = pl.read_parquet(SAMPLE / "loans_broken.parquet")
    assert broken.schema["credit_score"] == pl.String
    assert "has_cosigner" not in broken.columns
