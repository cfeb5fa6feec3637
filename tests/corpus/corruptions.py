"""The corruptions planted in the second half of each dataset, and which columns each one applies to.

Which columns a corruption applies to is decided from the data alone (exact polars counts over the whole
dataset), never from what datacheck inferred, so a change to inference cannot make a corruption "not apply".
One column per corruption and dataset is drawn with the corpus seed among the columns it applies to.

- drop: any column; removed.
- rename: any column; renamed to NAME_renamed.
- nulls_40: a column at most 5% null; 40% of the rows (drawn) set to null.
- times_1000: a numeric measurement (not an identifier, see `is_identifier`) with at least 3 distinct
  values, at most half null and at most half zeros; multiplied by 1000.
- negate: a numeric measurement never negative, positive in at least half its values, at most half null;
  negated.
- to_text: a numeric column at most half null; its values written as text.
- unseen_10: a categorical text column (see `is_categorical`); a value never seen written in 10% of rows.
- empty: every dataset; no rows.
- upper: a categorical text column whose upper-cased values leave the domain in at least 10% of its
  values; upper-cased.

The share thresholds (5% null, half null, 10% leaving the domain) keep each corruption large enough that a
validator is right to call it an error: 40 points of new nulls, a unit change on most values, a category
that was never seen in a tenth of the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

#: The value planted by `unseen_10`; it occurs in no dataset of the corpus.
UNSEEN = "zz_never_seen_category"
#: A categorical text column has 2 to MAX_CATEGORIES distinct values, at most CATEGORY_SHARE of its values.
MAX_CATEGORIES = 50
CATEGORY_SHARE = 0.1
_ID_NAME = re.compile(r"(^|[_\s.])(id|key|idx|index|code|no)$|^(id|index|row|rownames|unnamed: 0)$", re.IGNORECASE)
#: camelCase and capitalised ids: AirportID, customerId, PID (but not VALID).
_ID_SUFFIX = re.compile(r"([a-z]|^[A-Z])(ID|Id)$")


@dataclass(frozen=True)
class Profile:
    """Exact facts about one column of the whole dataset, from polars."""

    name: str
    dtype: pl.DataType
    rows: int
    nulls: int
    distinct: int
    zeros: int = 0
    positives: int = 0
    minimum: float | None = None
    maximum: float | None = None
    upper_outside: int = 0

    @property
    def values(self) -> int:
        return self.rows - self.nulls

    @property
    def numeric(self) -> bool:
        return self.dtype.is_numeric()

    @property
    def integer(self) -> bool:
        return self.dtype.is_integer()


def profile_columns(frame: pl.DataFrame) -> dict[str, Profile]:
    """Exact per-column counts of the whole dataset (the corruptions' applicability rests on these)."""
    out = {}
    for name, dtype in frame.schema.items():
        column = frame.get_column(name)
        nulls = column.null_count()
        facts: dict[str, object] = {}
        if dtype.is_numeric():
            finite = column.drop_nulls().cast(pl.Float64)
            finite = finite.filter(finite.is_finite())
            if finite.len():
                facts = {"zeros": int((finite == 0).sum()), "positives": int((finite > 0).sum()),
                         "minimum": float(finite.min()), "maximum": float(finite.max())}
        elif dtype == pl.String:
            values = column.drop_nulls()
            domain = values.unique().implode()
            facts = {"upper_outside": int((~values.str.to_uppercase().is_in(domain)).sum())}
        try:
            distinct = column.drop_nulls().n_unique()
        except Exception:  # noqa: BLE001  (nested values polars cannot hash: not used by any corruption)
            distinct = 0
        out[name] = Profile(name, dtype, frame.height, nulls, distinct, **facts)  # type: ignore[arg-type]
    return out


def is_identifier(p: Profile) -> bool:
    """An integer column whose values are all distinct and dense (max - min + 1 <= 1.5 x values: row numbers,
    consecutive ids), or whose name says it is an id (id, key, code, no, index as a word; ...ID, ...Id)."""
    if _ID_NAME.search(p.name) or _ID_SUFFIX.search(p.name):
        return True
    if not p.integer or p.distinct != p.values or p.minimum is None or p.maximum is None:
        return False
    return p.maximum - p.minimum + 1 <= 1.5 * p.values


def is_categorical(p: Profile) -> bool:
    """Text with 2 to MAX_CATEGORIES distinct values, at most CATEGORY_SHARE of its values, at most half null."""
    return (p.dtype == pl.String and p.values >= p.rows / 2 and 2 <= p.distinct <= MAX_CATEGORIES
            and p.distinct <= CATEGORY_SHARE * p.values)


def _measurement(p: Profile) -> bool:
    return p.numeric and not is_identifier(p) and p.values >= p.rows / 2 and p.minimum is not None


def _applies_times_1000(p: Profile) -> bool:
    if not _measurement(p) or p.distinct < 3 or p.zeros > p.values / 2:
        return False
    # Integers stay integers, so the product must fit in Int64.
    return not p.integer or max(abs(p.minimum or 0), abs(p.maximum or 0)) * 1000 < 2**62


def _applies_negate(p: Profile) -> bool:
    return _measurement(p) and (p.minimum or 0) >= 0 and p.positives >= p.values / 2


APPLIES: dict[str, Callable[[Profile], bool]] = {
    "drop": lambda p: True,
    "rename": lambda p: True,
    "nulls_40": lambda p: p.nulls <= 0.05 * p.rows,
    "times_1000": _applies_times_1000,
    "negate": _applies_negate,
    "to_text": lambda p: p.numeric and p.values >= p.rows / 2,
    "unseen_10": is_categorical,
    "empty": lambda p: True,
    "upper": lambda p: is_categorical(p) and p.upper_outside >= 0.1 * p.values,
}
#: Corruptions of the whole batch rather than of one column.
DATASET_LEVEL = frozenset({"empty"})
CORRUPTIONS = tuple(APPLIES)


def _rows(height: int, share: float, rng: np.random.Generator) -> pl.Series:
    """A mask of exactly round(share x height) rows, drawn without replacement."""
    mask = np.zeros(height, dtype=bool)
    mask[rng.choice(height, size=round(share * height), replace=False)] = True
    return pl.Series(mask)


def corrupt(frame: pl.DataFrame, kind: str, column: str, rng: np.random.Generator) -> pl.DataFrame:
    """`frame` with corruption `kind` planted in `column` (ignored for dataset-level corruptions)."""
    col = pl.col(column)
    dtype = frame.schema[column] if column in frame.schema else None
    if kind == "drop":
        return frame.drop(column)
    if kind == "rename":
        return frame.rename({column: f"{column}_renamed"})
    if kind == "nulls_40":
        mask = _rows(frame.height, 0.4, rng)
        return frame.with_columns(pl.when(pl.lit(mask)).then(None).otherwise(col).alias(column))
    if kind == "times_1000":
        wide = col.cast(pl.Int64) if dtype is not None and dtype.is_integer() else col
        return frame.with_columns((wide * 1000).alias(column))
    if kind == "negate":
        wide = col.cast(pl.Int64) if dtype is not None and dtype.is_integer() else col
        return frame.with_columns((-wide).alias(column))
    if kind == "to_text":
        return frame.with_columns(col.cast(pl.String))
    if kind == "unseen_10":
        mask = _rows(frame.height, 0.1, rng)
        return frame.with_columns(pl.when(pl.lit(mask)).then(pl.lit(UNSEEN)).otherwise(col).alias(column))
    if kind == "empty":
        return frame.head(0)
    if kind == "upper":
        return frame.with_columns(col.str.to_uppercase())
    raise ValueError(f"unknown corruption {kind!r}")
