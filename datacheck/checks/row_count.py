"""Row count: the data has rows, within the schema's bounds, and not far from the baseline's count."""

from __future__ import annotations

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.wording import ceil_fraction, pct


class RowCount(CheckFamily):
    """Empty data, a row count outside dataset.min_rows/max_rows, and (with a baseline) a relative change above
    dataset.max_row_count_change. The statistics hold the row count, so both back-ends judge alike."""

    entries = (
        Anomaly("empty_dataset", "error", "row_count", "Empty dataset",
                "The data has no rows (a header at most) and dataset.min_rows is 1 or more.",
                "check that the export that wrote the data finished; if an empty batch is legitimate set "
                "dataset.min_rows to 0"),
        Anomaly("row_count_out_of_range", "error", "row_count", "Row count out of range",
                "The number of rows is below dataset.min_rows or above dataset.max_rows.",
                "check that the batch is complete; if this size is legitimate set {bounds}"),
        Anomaly("row_count_change", "error", "row_count", "Row count changed",
                "The relative change of the row count against the --baseline, |rows - baseline| / baseline, is "
                "above dataset.max_row_count_change.",
                "check that the batch is complete; if the change is legitimate set dataset.max_row_count_change to "
                "{value}"),
    )

    def judge_dataset(self, ctx: Context) -> None:
        _bounds(ctx)
        if ctx.baseline is not None:
            _change(ctx, ctx.baseline.num_rows)


def _bounds(ctx: Context) -> None:
    rows = ctx.stats.num_rows
    ds = ctx.schema.dataset
    ctx.ran(None, "row_count")
    if rows == 0 and ds.min_rows is not None and ds.min_rows >= 1:
        ctx.add(None, "empty_dataset", "the data has no rows", observed=0, expected={"min_rows": ds.min_rows}, count=0)
        return
    expected = {"min_rows": ds.min_rows, "max_rows": ds.max_rows}
    if ds.min_rows is not None and rows < ds.min_rows:
        ctx.add(None, "row_count_out_of_range", f"{rows:,} rows, fewer than dataset.min_rows ({ds.min_rows:,})",
                observed=rows, expected=expected, count=rows, bounds=f"dataset.min_rows to {rows}")
    if ds.max_rows is not None and rows > ds.max_rows:
        ctx.add(None, "row_count_out_of_range", f"{rows:,} rows, more than dataset.max_rows ({ds.max_rows:,})",
                observed=rows, expected=expected, count=rows, bounds=f"dataset.max_rows to {rows}")


def _change(ctx: Context, base_rows: int) -> None:
    limit = ctx.schema.dataset.max_row_count_change
    rows = ctx.stats.num_rows
    if limit is None:
        return
    ctx.ran(None, "row_count")
    if base_rows <= 0:
        return
    change = abs(rows - base_rows) / base_rows
    if change > limit:
        ctx.add(None, "row_count_change",
                f"{rows:,} rows against {base_rows:,} in the baseline: a change of {pct(change)}, "
                f"above dataset.max_row_count_change ({pct(limit)})",
                observed={"rows": rows, "baseline_rows": base_rows, "change": round(change, 6)},
                expected={"max_row_count_change": limit}, value=ceil_fraction(change, 3))


FAMILY = RowCount()
