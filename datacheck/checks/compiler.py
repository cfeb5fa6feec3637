"""The row-check compiler: the families' row tests, evaluated on every batch of the statistics scan.

`RowChecks` is the batch observer that `datacheck.engine` hands to the scan (`datacheck.profile.profile_frame`),
so the data is read once for statistics and row checks alike. Per batch schema it asks every family in the
registry for its row tests (`CheckFamily.row_work`), sums each test's violations in one polars `select`, and
keeps the first examples with their row numbers (and, when asked, the key columns' values: `key_columns`, see
`datacheck.checks.example_keys`). Partial observers of consecutive partitions merge
(`merge`), and pickle without their compiled plans, so that the engine can run them on any worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from datacheck.checks.dtypes import type_compatible
from datacheck.checks.family import CheckFamily, Needs
from datacheck.checks.model import Example, json_value
from datacheck.checks.registry import FAMILIES
from datacheck.checks.rows import FrameTest, FrameWork, RowTest, Tally
from datacheck.schema import ColumnSchema, Schema
from datacheck.statistics import column_kind

#: Unexpected domain values tracked per column with their counts (the rest are summed as "other values").
MAX_TRACKED_VALUES = 1000
#: The row-number column added to a batch to find examples; no data column is expected to carry this name.
_ROW = "__datacheck_row__"
#: Prefix of the key columns' copies selected beside an example's values (a key column may be the one checked).
_KEY = "__datacheck_key__:"


@dataclass(frozen=True)
class ColumnPlan:
    """The row-level work on one column of one batch schema: every family's tests, and whether to keep its values."""

    column: str
    tests: tuple[RowTest, ...]
    keep_values: bool


def plan_column(spec: ColumnSchema, dtype: pl.DataType,
                families: tuple[CheckFamily, ...] = FAMILIES) -> ColumnPlan:
    """Ask every family for its row tests on this column. Families that need the schema's type are asked only
    when the dtype can hold it (their checks would only repeat the type mismatch)."""
    kind = column_kind(dtype)
    compatible = type_compatible(spec, str(dtype), kind)
    tests: list[RowTest] = []
    keep = False
    for family in families:
        if family.needs is Needs.TYPE and not compatible:
            continue
        work = family.row_work(spec, dtype, kind)
        tests.extend(work.tests)
        keep = keep or work.keep_values
    return ColumnPlan(spec.name, tuple(tests), keep)


class RowChecks:
    """The batch observer that runs the schema's row tests in the statistics scan, and the evidence families read.

    Tallies are keyed by (column, test key), e.g. ("amount", "above_max"); see each family's `row_work`.
    """

    def __init__(self, schema: Schema, max_examples: int = 5,
                 references: Mapping[str, pl.Series] | None = None,
                 families: tuple[CheckFamily, ...] = FAMILIES, key_columns: tuple[str, ...] = ()) -> None:
        self.schema = schema
        self.max_examples = max_examples
        #: Columns whose values each example carries as its `key` (a database's rows: see example_keys); ()
        #: for files, which pay nothing for it.
        self.key_columns = key_columns
        #: Reference keys by column (datacheck.checks.references), read before the scan.
        self.references: Mapping[str, pl.Series] = references or {}
        #: The registry's families and the schema's plug-ins (datacheck.checks.plugins).
        self.families = families
        self.frame_tallies: dict[str, Tally] = {}
        self.frame_problems: dict[str, str] = {}
        self.distinct: dict[str, pl.Series] = {}
        self._frame_plans: dict[tuple[tuple[str, str], ...], FrameWork] = {}
        self.tallies: dict[tuple[str, str], Tally] = {}
        self.value_counts: dict[str, dict[Any, int]] = {}
        self.values_other: dict[str, int] = {}
        self.kept: dict[str, list[tuple[str | None, int, pl.Series]]] = {}
        self.file: str | None = None
        #: Added to every row number: the first row, within its file, of the rows this observer sees (a Parquet
        #: row-group partition starts part-way into its file).
        self.row_base = 0
        self._plans: dict[tuple[tuple[str, str], ...], list[ColumnPlan]] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The compiled plans (polars expressions) are a cache: rebuilt on demand, never shipped to or from workers.
        state = dict(self.__dict__)
        state["_plans"] = {}
        state["_frame_plans"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- the observer, as the engine drives it ----------------------------------------------------------------

    def start(self, file: str | None, row_base: int = 0) -> None:
        """The batches that follow come from `file`, the first of them at row `row_base` within it."""
        self.file = file
        self.row_base = row_base

    def observe(self, batch: pl.DataFrame, row_offset: int) -> None:
        """Run the row tests on one batch whose first row is `row_offset` rows after `row_base`."""
        if batch.height == 0:
            return
        row_offset += self.row_base
        plan = self._plan(batch.schema)
        exprs = [test.violation.sum().alias(f"{column.column}\x00{test.key}")
                 for column in plan for test in column.tests]
        counts = batch.select(exprs).row(0, named=True) if exprs else {}
        indexed = None
        for column in plan:
            if column.keep_values:
                self.kept.setdefault(column.column, []).append((self.file, row_offset, batch.get_column(column.column)))
            for test in column.tests:
                found = int(counts.get(f"{column.column}\x00{test.key}") or 0)
                if not found:
                    continue
                tally = self.tallies.setdefault((column.column, test.key), Tally())
                tally.count += found
                need = self.max_examples - len(tally.examples)
                if need > 0:
                    if indexed is None:
                        indexed = batch.with_row_index(_ROW, offset=row_offset)
                    tally.examples.extend(self._examples(indexed, test.violation, (column.column,), need))
                if test.values is not None:
                    self._count_values(column.column, test, batch)
        self._observe_frame(batch, row_offset)

    def merge(self, other: RowChecks) -> RowChecks:
        """Add the tallies of `other`, which observed the rows that follow this observer's (the next partition
        in (file, row) order); return self.

        Counts add; examples stay the first `max_examples` in (file, row) order; unexpected values add up
        (past MAX_TRACKED_VALUES, in "other values"); the kept key columns of both are kept, so that
        `duplicates` finds keys repeated across partitions exactly as in one scan.
        """
        for key, theirs in other.tallies.items():
            self.tallies.setdefault(key, Tally()).absorb(theirs, self.max_examples)
        for column, table in other.value_counts.items():
            self._add_counts(column, table.items())
        for column, n in other.values_other.items():
            self.values_other[column] = self.values_other.get(column, 0) + n
        for column, parts in other.kept.items():
            self.kept.setdefault(column, []).extend(parts)
        self._merge_frame(other)
        return self

    def compact(self) -> RowChecks:
        """Join the per-batch key columns of one file's consecutive rows into one Series each (fewer, larger
        objects to ship from a worker); return self."""
        for column, parts in self.kept.items():
            joined: list[tuple[str | None, int, pl.Series]] = []
            for file, offset, series in parts:
                last = joined[-1] if joined else None
                if last is not None and last[0] == file and last[1] + len(last[2]) == offset \
                        and last[2].dtype == series.dtype:
                    joined[-1] = (file, last[1], pl.concat([last[2], series], rechunk=False))
                else:
                    joined.append((file, offset, series))
            self.kept[column] = [(file, offset, series.rechunk()) for file, offset, series in joined]
        return self

    # -- the evidence, as the families read it ----------------------------------------------------------------

    def tally(self, column: str, key: str) -> Tally:
        """The tally of row test `key` on `column` (an empty one when no row broke it)."""
        return self.tallies.get((column, key), Tally())

    def unexpected_values(self, column: str) -> dict[Any, int]:
        """The values of the rows that broke a counting test (the domain's), with their counts."""
        return self.value_counts.get(column, {})

    def duplicates(self, column: str) -> tuple[int, int, list[Example]]:
        """(duplicate rows beyond the first of each key, distinct duplicated keys, examples) over all batches.

        Only the keys are joined and searched; the file and row of a duplicate are worked out from its
        position afterwards, and only for the examples (a row number and file name per key would be
        several times the keys' memory).
        """
        parts = self.kept.get(column)
        if not parts:
            return 0, 0, []
        try:
            keys = pl.concat([series.rename("k").to_frame() for _, _, series in parts], how="vertical_relaxed")
        except pl.exceptions.PolarsError:
            keys = pl.concat([series.rename("k").cast(pl.String).to_frame() for _, _, series in parts])
        key = keys.get_column("k")
        nulls = key.null_count()
        if key.n_unique() - (1 if nulls else 0) == key.len() - nulls:
            return 0, 0, []  # the usual case, found ~7x faster than by marking duplicates (10M keys: 0.18 s)
        positions = (key.is_duplicated() & key.is_not_null()).arg_true()
        duplicated = pl.DataFrame({"k": key.gather(positions), "position": positions})
        distinct_dups = duplicated.get_column("k").n_unique()
        extra = duplicated.height - distinct_dups
        # Keys in the order they first occur; the second occurrence is the duplicate the example points to.
        first_keys = (duplicated.group_by("k", maintain_order=True)
                      .agg(pl.col("position").get(1).alias("second"), pl.len().alias("count"))
                      .head(self.max_examples))
        starts = np.cumsum([0] + [len(series) for _, _, series in parts])
        examples: list[Example] = []
        for value, position, count in first_keys.iter_rows():
            part = int(np.searchsorted(starts, position, side="right")) - 1
            file, offset, _ = parts[part]
            examples.append(Example(value, offset + int(position - starts[part]), file, count=int(count)))
        return extra, distinct_dups, examples

    def frame_tally(self, key: str) -> Tally:
        """The tally of frame test `key` (an empty one when no row broke it)."""
        return self.frame_tallies.get(key, Tally())

    def frame_problem(self, key: str) -> str | None:
        """Why frame test `key` could not run on some batch, or None."""
        return self.frame_problems.get(key)

    def kept_values(self, name: str) -> pl.Series | None:
        """Every batch's kept values under `name`, in (file, row) order, as one Series; None when none were kept."""
        parts = self.kept.get(name)
        if not parts:
            return None
        return pl.concat([series.rename(name).to_frame() for _, _, series in parts]).get_column(name)

    def distinct_values(self, name: str) -> pl.Series | None:
        """The distinct values kept under `name` over every batch, or None when none were kept."""
        return self.distinct.get(name)

    # -- frame work: tests over several columns (row rules, compound keys, periods, references) ---------------

    def _observe_frame(self, batch: pl.DataFrame, row_offset: int) -> None:
        """Run the families' frame work on one batch. Its tests run in their own `select`, so that a rule that
        fails to evaluate on this batch (text that does not parse as a date) is set aside with its reason and
        cannot stop the built-in checks."""
        work = self._frame_plan(batch.schema)
        tests = list(work.tests)
        counts: dict[str, Any] = {}
        if tests:
            try:
                counts = batch.select([t.violation.sum().alias(t.key) for t in tests]).row(0, named=True)
            except pl.exceptions.PolarsError:
                tests = self._set_aside(batch, tests)
                counts = batch.select([t.violation.sum().alias(t.key) for t in tests]).row(0, named=True)
        indexed = None
        for test in tests:
            found = int(counts.get(test.key) or 0)
            if not found:
                continue
            tally = self.frame_tallies.setdefault(test.key, Tally())
            tally.count += found
            need = self.max_examples - len(tally.examples)
            if need > 0 and test.columns:
                if indexed is None:
                    indexed = batch.with_row_index(_ROW, offset=row_offset)
                tally.examples.extend(self._examples(indexed, test.violation, test.columns, need, whole_row=True))
        for name, expr in work.keep:
            self.kept.setdefault(name, []).append((self.file, row_offset, batch.select(expr.alias(name)).to_series()))
        for name, expr in work.distinct:
            values = batch.select(expr.alias(name)).to_series().unique()
            known = self.distinct.get(name)
            self.distinct[name] = values if known is None else pl.concat([known, values]).unique()

    def _set_aside(self, batch: pl.DataFrame, tests: list[FrameTest]) -> list[FrameTest]:
        """The tests that evaluate on this batch; the others are recorded as problems and left out of this batch
        schema's plan from now on."""
        good: list[FrameTest] = []
        for test in tests:
            try:
                batch.select(test.violation.sum())
                good.append(test)
            except pl.exceptions.PolarsError as exc:
                lines = str(exc).strip().splitlines()
                self.frame_problems.setdefault(test.key, lines[0] if lines else type(exc).__name__)
        key = tuple((name, str(dtype)) for name, dtype in batch.schema.items())
        plan = self._frame_plans[key]
        self._frame_plans[key] = FrameWork(tuple(good), plan.keep, plan.distinct, plan.problems)
        return good

    def _merge_frame(self, other: RowChecks) -> None:
        for key, theirs in other.frame_tallies.items():
            self.frame_tallies.setdefault(key, Tally()).absorb(theirs, self.max_examples)
        for key, reason in other.frame_problems.items():
            self.frame_problems.setdefault(key, reason)
        for name, values in other.distinct.items():
            known = self.distinct.get(name)
            self.distinct[name] = values if known is None else pl.concat([known, values]).unique()

    def _frame_plan(self, batch_schema: pl.Schema) -> FrameWork:
        key = tuple((name, str(dtype)) for name, dtype in batch_schema.items())
        plan = self._frame_plans.get(key)
        if plan is None:
            works = [family.frame_work(self.schema, batch_schema, self.references) for family in self.families]
            plan = FrameWork(tuple(t for w in works for t in w.tests), tuple(k for w in works for k in w.keep),
                             tuple(d for w in works for d in w.distinct), tuple(p for w in works for p in w.problems))
            for test_key, reason in plan.problems:
                self.frame_problems.setdefault(test_key, reason)
            self._frame_plans[key] = plan
        return plan

    # -- internals ----------------------------------------------------------------------------------------------

    def _examples(self, indexed: pl.DataFrame, violation: pl.Expr, columns: tuple[str, ...], need: int,
                  whole_row: bool = False) -> list[Example]:
        """The first `need` rows of `indexed` (a batch with its row numbers) that break `violation`, as examples:
        the value of `columns[0]`, or with `whole_row` a dict of every column's JSON-ready value (dates as ISO
        text, so that every format prints the row the same way); and the row's key when `key_columns` are set
        and the batch holds them all. The one place an example's row is taken."""
        keys = self.key_columns if all(k in indexed.schema for k in self.key_columns) else ()
        rows = indexed.filter(violation).select(_ROW, *columns, *(pl.col(k).alias(_KEY + k) for k in keys)).head(need)
        examples = []
        for row in rows.iter_rows():
            values = row[1:1 + len(columns)]
            value = {c: json_value(v) for c, v in zip(columns, values)} if whole_row else values[0]
            key = {k: json_value(v) for k, v in zip(keys, row[1 + len(columns):])} if keys else None
            examples.append(Example(value, int(row[0]), self.file, key=key))
        return examples

    def _plan(self, batch_schema: pl.Schema) -> list[ColumnPlan]:
        key = tuple((name, str(dtype)) for name, dtype in batch_schema.items())
        plan = self._plans.get(key)
        if plan is None:
            plan = [plan_column(spec, batch_schema[spec.name], self.families) for spec in self.schema.columns
                    if spec.name in batch_schema]
            self._plans[key] = plan
        return plan

    def _count_values(self, column: str, test: RowTest, batch: pl.DataFrame) -> None:
        assert test.values is not None
        counted = (batch.select(test.values.alias("v"), test.violation.alias("bad"))
                   .filter(pl.col("bad")).group_by("v").len())
        self._add_counts(column, ((value, int(n)) for value, n in counted.iter_rows()))

    def _add_counts(self, column: str, counts: Any) -> None:
        table = self.value_counts.setdefault(column, {})
        for value, n in counts:
            if value in table or len(table) < MAX_TRACKED_VALUES:
                table[value] = table.get(value, 0) + n
            else:
                self.values_other[column] = self.values_other.get(column, 0) + n


__all__ = ["MAX_TRACKED_VALUES", "ColumnPlan", "RowChecks", "plan_column"]
