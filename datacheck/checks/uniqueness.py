"""Uniqueness: a key column holds every non-null value at most once."""

from __future__ import annotations

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowWork
from datacheck.checks.wording import plural, share
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats


class Uniqueness(CheckFamily):
    """Duplicate keys. A scan keeps the key column of every batch and finds duplicates across all of them;
    statistics answer only from an exact distinct count."""

    entries = (
        Anomaly("not_unique", "error", "unique", "Duplicate keys",
                "A column marked unique holds a non-null value more than once; gives the number of duplicate rows "
                "and example keys with their row numbers.",
                "deduplicate the rows on {column}; if repeated values are legitimate set columns[{column}].unique "
                "to false"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        return RowWork(keep_values=spec.unique)

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.unique:
            _judge(ctx, spec, col, *rows.duplicates(spec.name))

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if not spec.unique:
            return
        distinct = col.distinct
        if distinct is None or not distinct.exact:
            ctx.skip(spec.name, "unique", "the statistics hold only an estimate of the distinct count")
            return
        keys: int | None = None
        examples: list[Example] = []
        if col.frequencies is not None and col.frequencies.error == 0:
            dups = [v for v in col.frequencies.values if v.count > 1]
            keys = len(dups)
            examples = [Example(v.value, count=v.count) for v in dups]
        _judge(ctx, spec, col, col.count - distinct.count, keys, examples)


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, extra: int, keys: int | None,
           examples: list[Example]) -> None:
    ctx.ran(spec.name, "unique")
    if extra <= 0:
        return
    keys_text = (f" ({plural(keys, 'key')} {'occurs' if keys == 1 else 'occur'} more than once)"
                 if keys is not None else "")
    ctx.add(spec, "not_unique", f"{plural(extra, 'duplicate value')} of key {spec.name!r}{keys_text}",
            observed={"duplicates": extra, "duplicated_keys": keys, "distinct": col.count - extra},
            expected={"unique": True}, count=extra, fraction=share(extra, col.count), examples=examples)


FAMILY = Uniqueness()
