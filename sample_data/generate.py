"""Generate datacheck's bundled sample data: a synthetic loan-applications dataset.

Run from anywhere::

    python sample_data/generate.py            # rewrites the files next to this script
    python sample_data/generate.py OUT_DIR    # writes them into OUT_DIR instead

The output is deterministic: every file is drawn from ``numpy.random.default_rng`` with a
fixed seed of its own, floats are rounded to a few decimals so the CSV text is stable, and
the same polars version writes the same bytes on every run. ``sample_data/README.md``
documents each file and the problems planted in it; ``tests/test_sample_data.py`` checks both.

Only numpy and polars are needed.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import polars as pl

# --- the data-generating process -------------------------------------------------------
# Every numeric column is clipped to fixed bounds whose tails carry enough mass that the
# 5,000-row training file reaches both of them. A later snapshot drawn from the same process
# therefore never leaves the training file's [min, max], so a schema inferred from train
# accepts it.
AGE_BOUNDS = (18, 75)
INCOME_BOUNDS = (15_000.0, 220_000.0)
LOAN_BOUNDS = (1_000.0, 60_000.0)
CREDIT_BOUNDS = (480, 850)
RATE_BOUNDS = (0.03, 0.20)

STATES = ["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "AZ"]
STATE_P = [0.22, 0.15, 0.12, 0.11, 0.07, 0.06, 0.05, 0.05, 0.05, 0.05, 0.04, 0.03]

EMPLOYMENT = ["full_time", "part_time", "self_employed", "contract", "unemployed"]
EMPLOYMENT_P = [0.62, 0.12, 0.14, 0.07, 0.05]

AGE_NULL_RATE = 0.02
INCOME_NULL_RATE = 0.03
NOTES_NULL_RATE = 0.10

# First application_id of each file: ids never repeat across files.
TRAIN_FIRST_ID = 100_001
TRAIN_ROWS, CLEAN_ROWS, DRIFTED_ROWS, BROKEN_ROWS, SERVING_ROWS = 5_000, 2_000, 2_000, 2_000, 200

# Application-date windows (inclusive start, length in days).
TRAIN_DATES = (dt.date(2024, 1, 1), 182)  # 2024-01-01 .. 2024-06-30
LATER_DATES = (dt.date(2024, 7, 1), 31)  # 2024-07-01 .. 2024-07-31, one month after train

SEEDS = {"train": 20240101, "clean": 20240701, "drifted": 20240702, "broken": 20240703, "serving": 20240704}

# Column order of every file (loans_broken lacks has_cosigner, loans_serving lacks defaulted).
COLUMNS = [
    "application_id",
    "age",
    "income",
    "loan_amount",
    "credit_score",
    "interest_rate",
    "state",
    "employment_type",
    "has_cosigner",
    "application_date",
    "submitted_at",
    "notes",
    "defaulted",
]

_PURPOSES = [
    "debt consolidation",
    "home renovation",
    "a used car",
    "medical bills",
    "a small business",
    "a wedding",
    "moving costs",
    "tuition",
    "refinancing a credit card",
    "a roof repair",
]
_OPENERS = [
    "Needs funds for {purpose}.",
    "Loan for {purpose}.",
    "Called about {purpose}.",
    "Walk-in; purpose is {purpose}.",
    "Online application for {purpose}.",
    "Broker referral for {purpose}.",
]
_DETAILS = [
    "{n} years at current employer.",
    "Renting, {n} years at this address.",
    "Mortgage has {n} years left.",
    "Sent {n} pay stubs.",
    "{n} months of bank statements.",
    "Has {n} open credit cards.",
    "{n} years of credit history.",
    "Last loan repaid {n} months early.",
]
_CLOSERS = [
    "",
    " Documents verified.",
    " Awaiting proof of income.",
    " Prefers email.",
    " Wants a shorter term.",
    " Follow up next week.",
    " Co-signer possible.",
    " Manual review.",
]


def _note_extremes() -> tuple[str, str]:
    """The shortest and the longest note the templates can produce."""

    def by_len(items: list[str]) -> list[str]:
        return sorted(items, key=len)

    purposes, openers, closers = by_len(_PURPOSES), by_len(_OPENERS), by_len(_CLOSERS)
    details = by_len(_DETAILS)
    shortest = openers[0].format(purpose=purposes[0]) + " " + details[0].format(n=2) + closers[0]
    longest = openers[-1].format(purpose=purposes[-1]) + " " + details[-1].format(n=24) + closers[-1]
    return shortest, longest


def _notes(rng: np.random.Generator, n: int) -> list[str | None]:
    """Varied free-text notes, mostly distinct, with about NOTES_NULL_RATE nulls."""
    purpose = rng.integers(0, len(_PURPOSES), n)
    opener = rng.integers(0, len(_OPENERS), n)
    detail = rng.integers(0, len(_DETAILS), n)
    number = rng.integers(2, 25, n)
    closer = rng.integers(0, len(_CLOSERS), n)
    is_null = rng.random(n) < NOTES_NULL_RATE
    out: list[str | None] = []
    for i in range(n):
        if is_null[i]:
            out.append(None)
            continue
        text = (
            _OPENERS[opener[i]].format(purpose=_PURPOSES[purpose[i]])
            + " "
            + _DETAILS[detail[i]].format(n=int(number[i]))
            + _CLOSERS[closer[i]]
        )
        out.append(text)
    return out


def make_loans(
    seed: int,
    n: int,
    first_id: int,
    dates: tuple[dt.date, int],
    *,
    income_shift: float = 0.0,
    rate_shift: float = 0.0,
    state_p: list[float] | None = None,
    states: list[str] | None = None,
    employment: list[str] | None = None,
    employment_p: list[float] | None = None,
) -> pl.DataFrame:
    """Draw ``n`` loan applications from the sample data's generating process.

    Args:
        seed: seed for ``numpy.random.default_rng``.
        n: number of rows.
        first_id: the first ``application_id``; ids run consecutively from it.
        dates: (first application date, number of days) of the date window.
        income_shift: added to the log-normal's log-mean of income (drift).
        rate_shift: added to interest_rate before clipping (drift).
        state_p, states, employment, employment_p: category mixes (drift).

    Returns:
        A frame with the columns of ``COLUMNS`` in that order.
    """
    rng = np.random.default_rng(seed)
    states = states or STATES
    state_p = state_p or STATE_P
    employment = employment or EMPLOYMENT
    employment_p = employment_p or EMPLOYMENT_P

    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    age = np.clip(np.rint(rng.normal(41, 12, n)), *AGE_BOUNDS).astype(np.int64)
    income = np.round(np.clip(rng.lognormal(np.log(55_000) + income_shift, 0.5, n), *INCOME_BOUNDS), 2)
    loan_ratio = rng.uniform(0.03, 0.55, n)
    loan = np.round(np.clip(income * loan_ratio, *LOAN_BOUNDS), 2)
    credit = np.clip(np.rint(rng.normal(690, 70, n)), *CREDIT_BOUNDS).astype(np.int64)
    rate = 0.05 + (850 - credit) / 2_500 + rng.normal(0, 0.02, n) + rate_shift
    rate = np.round(np.clip(rate, *RATE_BOUNDS), 4)
    state = np.asarray(states)[rng.choice(len(states), n, p=state_p)]
    emp = np.asarray(employment)[rng.choice(len(employment), n, p=employment_p)]
    cosigner = rng.random(n) < 0.18

    start, days = dates
    day_offsets = rng.integers(0, days, n)
    app_date = np.datetime64(start, "D") + day_offsets.astype("timedelta64[D]")
    # submitted_at falls on the application date, between 06:00 and 23:59:59, whole seconds.
    seconds = rng.integers(6 * 3600, 24 * 3600, n)
    submitted = app_date.astype("datetime64[us]") + (seconds * 1_000_000).astype("timedelta64[us]")

    # The label depends on credit score, debt-to-income, interest rate and cosigner.
    logit = (
        -2.05
        - 0.012 * (credit - 690)
        + 3.0 * (loan / income - 0.29)
        + 6.0 * (rate - 0.12)
        - 0.5 * cosigner
        + (emp == "unemployed") * 1.0
    )
    defaulted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)

    age_null = rng.random(n) < AGE_NULL_RATE
    income_null = rng.random(n) < INCOME_NULL_RATE
    notes = _notes(rng, n)

    return pl.DataFrame(
        {
            "application_id": ids,
            "age": age,
            "income": income,
            "loan_amount": loan,
            "credit_score": credit,
            "interest_rate": rate,
            "state": state.tolist(),
            "employment_type": emp.tolist(),
            "has_cosigner": cosigner,
            "application_date": app_date,
            "submitted_at": submitted,
            "notes": pl.Series(notes, dtype=pl.String),
            "defaulted": defaulted,
        }
    ).with_columns(
        pl.when(pl.Series(age_null)).then(None).otherwise(pl.col("age")).alias("age"),
        pl.when(pl.Series(income_null)).then(None).otherwise(pl.col("income")).alias("income"),
        pl.col("application_date").cast(pl.Date),
        pl.col("submitted_at").cast(pl.Datetime("us")),
    )


def make_drifted() -> pl.DataFrame:
    """loans_drifted: same process, shifted numerics, a changed state mix, unseen categories."""
    # TX gains 15 points (0.15 -> 0.30); NV and OR are new; the other states share the rest
    # in their training proportions.
    new_states = {"NV": 0.02, "OR": 0.015}
    tx = STATE_P[STATES.index("TX")] + 0.15
    others = 1.0 - tx - sum(new_states.values())
    rest = sum(p for s, p in zip(STATES, STATE_P) if s != "TX")
    state_p = [tx if s == "TX" else p * others / rest for s, p in zip(STATES, STATE_P)]
    states = STATES + list(new_states)
    state_p = state_p + list(new_states.values())
    # gig_worker is a new employment type with a 3% share.
    employment = EMPLOYMENT + ["gig_worker"]
    employment_p = [p * 0.97 for p in EMPLOYMENT_P] + [0.03]
    return make_loans(
        SEEDS["drifted"],
        DRIFTED_ROWS,
        TRAIN_FIRST_ID + TRAIN_ROWS + CLEAN_ROWS,
        LATER_DATES,
        income_shift=0.25,  # about +0.5 training std on the mean
        rate_shift=0.03,
        states=states,
        state_p=[p / sum(state_p) for p in state_p],
        employment=employment,
        employment_p=[p / sum(employment_p) for p in employment_p],
    )


# Planted problems of loans_broken (documented in README.md and checked by the tests).
BROKEN_DUPLICATE_IDS = 30  # ids that occur twice (60 rows share a duplicated id)
BROKEN_NEGATIVE_LOANS = 40
BROKEN_OLD_AGES = [150, 153, 160, 172, 199, 230]
BROKEN_PERCENT_RATES = 25  # interest_rate written in percent (x100)
BROKEN_PTS_SCORES = 120  # credit_score written like "712pts"
BROKEN_NA_SCORES = 60  # credit_score written as "N/A"
BROKEN_INCOME_BURST = (700, 1300)  # rows [700, 1300) have a null income: 30% of the file


def make_broken() -> pl.DataFrame:
    """loans_broken: the clean process with the planted problems listed above."""
    first_id = TRAIN_FIRST_ID + TRAIN_ROWS + CLEAN_ROWS + DRIFTED_ROWS
    df = make_loans(SEEDS["broken"], BROKEN_ROWS, first_id, LATER_DATES)
    rng = np.random.default_rng(SEEDS["broken"] + 1)
    n = df.height

    ids = df["application_id"].to_numpy().copy()
    pos = rng.choice(n, 2 * BROKEN_DUPLICATE_IDS, replace=False)
    ids[pos[BROKEN_DUPLICATE_IDS:]] = ids[pos[:BROKEN_DUPLICATE_IDS]]

    loan = df["loan_amount"].to_numpy().copy()
    loan[rng.choice(n, BROKEN_NEGATIVE_LOANS, replace=False)] *= -1

    age = df["age"].to_list()
    for p, value in zip(rng.choice(n, len(BROKEN_OLD_AGES), replace=False), BROKEN_OLD_AGES):
        age[p] = value

    rate = df["interest_rate"].to_numpy().copy()
    pct = rng.choice(n, BROKEN_PERCENT_RATES, replace=False)
    rate[pct] = np.round(rate[pct] * 100, 2)

    # credit_score becomes text. Rows 1 and 3 are among the corrupted ones so that a CSV
    # reader's type inference, which looks at the first rows, sees the strings.
    score = [str(v) for v in df["credit_score"].to_list()]
    order = rng.permutation(np.setdiff1d(np.arange(n), [1, 3]))
    pts = np.concatenate([[3], order[: BROKEN_PTS_SCORES - 1]])
    na = np.concatenate([[1], order[BROKEN_PTS_SCORES - 1 : BROKEN_PTS_SCORES + BROKEN_NA_SCORES - 2]])
    for p in pts:
        score[p] = score[p] + "pts"
    for p in na:
        score[p] = "N/A"

    lo, hi = BROKEN_INCOME_BURST
    burst = (np.arange(n) >= lo) & (np.arange(n) < hi)
    return df.drop("has_cosigner").with_columns(
        pl.Series("application_id", ids),
        pl.Series("age", age, dtype=pl.Int64),
        pl.when(pl.Series(burst)).then(None).otherwise(pl.col("income")).alias("income"),
        pl.Series("loan_amount", loan),
        pl.Series("credit_score", score, dtype=pl.String),
        pl.Series("interest_rate", rate),
    )


def build_all() -> dict[str, pl.DataFrame]:
    """Every sample frame, keyed by file stem."""
    clean_first = TRAIN_FIRST_ID + TRAIN_ROWS
    serving_first = clean_first + CLEAN_ROWS + DRIFTED_ROWS + BROKEN_ROWS
    train = make_loans(SEEDS["train"], TRAIN_ROWS, TRAIN_FIRST_ID, TRAIN_DATES)
    # The first two training notes are the shortest and longest the templates allow, so the
    # later files' note lengths always lie within the training file's.
    shortest, longest = _note_extremes()
    notes = train["notes"].to_list()
    notes[0], notes[1] = shortest, longest
    train = train.with_columns(pl.Series("notes", notes, dtype=pl.String))
    return {
        "loans_train": train,
        "loans_clean": make_loans(SEEDS["clean"], CLEAN_ROWS, clean_first, LATER_DATES),
        "loans_drifted": make_drifted(),
        "loans_broken": make_broken(),
        "loans_serving": make_loans(SEEDS["serving"], SERVING_ROWS, serving_first, LATER_DATES).drop("defaulted"),
    }


# loans_serving is CSV only; the others are written as both CSV and Parquet.
PARQUET_STEMS = ("loans_train", "loans_clean", "loans_drifted", "loans_broken")


def write_all(out_dir: Path) -> list[Path]:
    """Write every sample file into ``out_dir`` and return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, df in build_all().items():
        csv = out_dir / f"{stem}.csv"
        df.write_csv(csv, date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%S")
        written.append(csv)
        if stem in PARQUET_STEMS:
            pq = out_dir / f"{stem}.parquet"
            df.write_parquet(pq, compression="zstd", statistics=True)
            written.append(pq)
    return written


# --- orders and customers: the example of the user's own rules (docs/rules.md) --------------
# 200 customers; 31 days of July 2024 with 30 orders a day from 4 stores. Each store numbers its
# receipts from 1, so (store_id, receipt_no) is a compound key. An order is shipped 0..72 hours
# after it is placed unless it is open or cancelled; only a refunded order has a negative amount.
ORDERS_SEED = 20240801
CUSTOMERS = 200
ORDER_DAYS = (dt.date(2024, 7, 1), 31)
ORDERS_PER_DAY = 30
ORDER_STATUS = ["shipped", "open", "cancelled", "refunded"]
ORDER_STATUS_P = [0.70, 0.15, 0.10, 0.05]
#: The broken batch: the 15th of July and the 31st are missing (a gap, and a stale newest order); one
#: order shipped before it was placed; one non-refunded negative amount; one receipt number used twice in a
#: store; one customer that does not exist.
BROKEN_ORDERS_GAP_DAY = dt.date(2024, 7, 15)
BROKEN_ORDERS_LAST_DAY = dt.date(2024, 7, 30)
UNKNOWN_CUSTOMER = 9999


def make_customers() -> pl.DataFrame:
    rng = np.random.default_rng(ORDERS_SEED)
    signup = [dt.date(2023, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 540, CUSTOMERS)]
    return pl.DataFrame({"customer_id": np.arange(1, CUSTOMERS + 1), "signup_date": signup,
                         "segment": rng.choice(["retail", "business"], CUSTOMERS, p=[0.8, 0.2])})


def make_orders() -> pl.DataFrame:
    rng = np.random.default_rng(ORDERS_SEED + 1)
    start, days = ORDER_DAYS
    n = days * ORDERS_PER_DAY
    day_index = np.repeat(np.arange(days), ORDERS_PER_DAY)
    seconds = np.sort(rng.integers(0, 86_400, n).reshape(days, ORDERS_PER_DAY), axis=1).ravel()
    ordered = [dt.datetime.combine(start, dt.time()) + dt.timedelta(days=int(d), seconds=int(s))
               for d, s in zip(day_index, seconds)]
    status = rng.choice(ORDER_STATUS, n, p=ORDER_STATUS_P)
    delay = rng.integers(0, 72 * 3600, n)
    shipped = [o + dt.timedelta(seconds=int(w)) if st in ("shipped", "refunded") else None
               for o, w, st in zip(ordered, delay, status)]
    amount = np.round(rng.lognormal(3.5, 0.8, n), 2)
    amount = np.where(status == "refunded", -amount, amount)
    store = rng.integers(1, 5, n)
    receipt = np.zeros(n, dtype=np.int64)
    for s in range(1, 5):
        receipt[store == s] = np.arange(1, int((store == s).sum()) + 1)
    return pl.DataFrame({
        "order_id": np.arange(500_001, 500_001 + n), "customer_id": rng.integers(1, CUSTOMERS + 1, n),
        "store_id": store, "receipt_no": receipt, "day": [o.date() for o in ordered], "ordered_at": ordered,
        "shipped_at": pl.Series(shipped, dtype=pl.Datetime("us")), "status": status, "amount": amount,
    })


def make_orders_broken() -> pl.DataFrame:
    df = make_orders().filter((pl.col("day") != BROKEN_ORDERS_GAP_DAY) & (pl.col("day") <= BROKEN_ORDERS_LAST_DAY))
    shipped = df.get_column("shipped_at").to_list()
    ordered = df.get_column("ordered_at").to_list()
    status = df.get_column("status").to_list()
    first_shipped = next(i for i, st in enumerate(status) if st == "shipped")
    shipped[first_shipped] = ordered[first_shipped] - dt.timedelta(hours=2)
    amount = df.get_column("amount").to_list()
    first_open = next(i for i, st in enumerate(status) if st == "open")
    amount[first_open] = -abs(amount[first_open])
    receipt = df.get_column("receipt_no").to_list()
    store = df.get_column("store_id").to_list()
    later = next(i for i in range(100, len(store)) if store[i] == store[0])
    receipt[later] = receipt[0]
    customer = df.get_column("customer_id").to_list()
    customer[200] = UNKNOWN_CUSTOMER
    return df.with_columns(pl.Series("shipped_at", shipped, dtype=pl.Datetime("us")), pl.Series("amount", amount),
                           pl.Series("receipt_no", receipt), pl.Series("customer_id", customer))


def write_orders(out_dir: Path) -> list[Path]:
    """Write customers.csv, orders.csv and orders_broken.csv into ``out_dir`` (the schema is written by hand)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    frames = (("customers", make_customers()), ("orders", make_orders()), ("orders_broken", make_orders_broken()))
    for stem, df in frames:
        path = out_dir / f"{stem}.csv"
        df.write_csv(path, date_format="%Y-%m-%d", datetime_format="%Y-%m-%dT%H:%M:%S")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in write_all(target) + write_orders(target / "orders"):
        print(path)
