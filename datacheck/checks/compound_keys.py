"""Compound keys: `dataset.unique: [["store_id", "day"], ...]`, each combination of values at most once.

The scan keeps each key as one struct column per batch (only the key's columns, as a single-column key keeps
its column), and `RowChecks.duplicates` finds the repeated combinations across every batch and partition at
the end, exactly. A row with a null in any of the key's columns is not compared, as SQL's UNIQUE has it.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.rows import FrameWork, RowEvidence
from datacheck.checks.wording import plural, share
from datacheck.schema import Schema


def kept_name(key: tuple[str, ...]) -> str:
    """The name the scan keeps a compound key under (control characters keep it apart from column names)."""
    return "\x00key:" + "\x1f".join(key)


def key_values(key: tuple[str, ...]) -> pl.Expr:
    """The key as one struct value per row; null when any of its columns is null."""
    return (pl.when(pl.all_horizontal([pl.col(name).is_not_null() for name in key]))
            .then(pl.struct(list(key))).otherwise(None))


class CompoundKeys(CheckFamily):
    """Duplicate combinations of a compound key, counted exactly over the scan; statistics cannot tell."""

    entries = (
        Anomaly("duplicate_compound_key", "error", "compound_key", "Duplicate compound keys",
                "A combination of the columns of a compound key (dataset.unique) occurs more than once among the "
                "rows where none of them is null; gives the duplicate rows and example keys with their row "
                "numbers.",
                "deduplicate the rows on ({key}); if repeated combinations are legitimate remove [{key}] from "
                "dataset.unique"),
    )

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        keep = []
        problems = []
        for key in schema.dataset.unique:
            missing = [name for name in key if name not in batch_schema]
            if missing:
                problems.append((kept_name(key), f"not in the data: {', '.join(missing)}"))
            else:
                keep.append((kept_name(key), key_values(key)))
        return FrameWork(keep=tuple(keep), problems=tuple(problems))

    def judge_frame(self, ctx: Context, rows: RowEvidence | None) -> None:
        for key in ctx.schema.dataset.unique:
            label = ", ".join(key)
            if rows is None:
                ctx.skip(None, "compound_key", "compound keys need the rows; a statistics file holds none")
                continue
            problem = rows.frame_problem(kept_name(key))
            if problem is not None:
                ctx.skip(None, "compound_key", f"compound key ({label}): {problem}")
                continue
            ctx.ran(None, "compound_key")
            extra, keys, examples = rows.duplicates(kept_name(key))
            if extra <= 0:
                continue
            ctx.add(None, "duplicate_compound_key",
                    f"{plural(extra, 'duplicate row')} of compound key ({label}): {plural(keys, 'combination')} "
                    f"{'occurs' if keys == 1 else 'occur'} more than once",
                    observed={"key": list(key), "duplicates": extra, "duplicated_keys": keys},
                    expected={"unique": list(key)}, count=extra, fraction=share(extra, ctx.stats.num_rows),
                    examples=examples, key=label)

FAMILY = CompoundKeys()
