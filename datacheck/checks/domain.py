"""Domain: the values of a categorical column are the schema's values."""

from __future__ import annotations

from typing import Any

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork, as_text
from datacheck.checks.sampling import beyond_tolerance
from datacheck.checks.wording import pct, plural, quote_values, share, show
from datacheck.schema import ColumnSchema
from datacheck.statistics import ColumnStats

#: Unexpected values listed in a finding's `observed`.
MAX_LISTED_VALUES = 20


class DomainValues(CheckFamily):
    """Values outside columns[].domain: a warning, and an error when their share is beyond 1 - min_mass: as
    written when that tolerance amounts to AS_WRITTEN_STRAYS values of the batch or more, else by more than the
    small batch's binomial sampling noise (`datacheck.checks.sampling`; with min_mass 1.0 any unexpected value
    is an error). A scan counts every unexpected value; statistics count them from the frequency table (a lower
    bound once the table overflowed)."""

    entries = (
        Anomaly("unexpected_value", "warning", "domain", "Values outside the domain",
                "Non-null values that are not in columns[].domain.values, while their share is within "
                "1 - domain.min_mass (or, in a batch too small for the tolerance to hold 4 values, within its "
                "sampling noise above it). Lists the values with their counts and shares.",
                "add {values} to columns[{column}].domain.values"),
        Anomaly("domain_mass_too_low", "error", "domain", "Too many values outside the domain",
                "The share of non-null values outside columns[].domain.values is above 1 - domain.min_mass (in a "
                "batch too small for the tolerance to hold 4 values: by more than the binomial sampling noise at "
                "the batch's size). Lists the unexpected values with their counts and shares.",
                "if these values are legitimate add {values} to columns[{column}].domain.values "
                "(or run `datacheck schema update {schema} {data} -o {schema}`)"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        if spec.domain is None:
            return RowWork()
        text = as_text(spec, dtype)
        violation = pl.col(spec.name).is_not_null() & ~text.is_in(list(spec.domain.values))
        return RowWork((RowTest("domain", violation, values=text),))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.domain is None:
            return
        tally = rows.tally(spec.name, "domain")
        ctx.ran(spec.name, "domain")
        _judge(ctx, spec, col, dict(rows.unexpected_values(spec.name)), tally.count, list(tally.examples), False)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.domain is None:
            return
        table = col.frequencies
        if table is None:
            ctx.skip(spec.name, "domain", "the statistics hold no frequency table for this column")
            return
        allowed = set(spec.domain.values)
        unexpected = {v.value: v.count for v in table.values if v.value not in allowed}
        approximate = table.error > 0
        total_bad = sum(unexpected.values())
        if approximate:
            # Untracked values may be unexpected too: every non-null value the table does not hold.
            total_bad = col.count - sum(v.count for v in table.values if v.value in allowed)
        ctx.ran(spec.name, "domain")
        _judge(ctx, spec, col, unexpected, total_bad, [], approximate)


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, unexpected: dict[Any, int], total_bad: int,
           examples: list[Example], approximate: bool) -> None:
    domain = spec.domain
    assert domain is not None
    if total_bad <= 0:
        return
    ordered = sorted(unexpected.items(), key=lambda kv: (-kv[1], kv[0]))
    bad_share = share(total_bad, col.count) or 0.0
    listed = [{"value": v, "count": n, "fraction": share(n, col.count)} for v, n in ordered[:MAX_LISTED_VALUES]]
    values_text = ", ".join(f'"{show(v)}" ({pct(share(n, col.count))})' for v, n in ordered[:5])
    if len(ordered) > 5:
        values_text += f", and {len(ordered) - 5} more"
    observed: dict[str, Any] = {"unexpected_values": listed, "distinct_unexpected": len(ordered),
                                "in_domain_fraction": round(1 - bad_share, 6)}
    if approximate:
        observed["approximate"] = True
    if not examples:
        examples = [Example(v, count=n) for v, n in ordered]
    quoted = quote_values([v for v, _ in ordered])
    if beyond_tolerance(total_bad, col.count, 1 - domain.min_mass):
        ctx.add(spec, "domain_mass_too_low",
                f"{pct(bad_share)} of {spec.name!r} ({total_bad:,} values) is outside the domain, more than "
                f"min_mass {domain.min_mass} allows: {values_text}",
                observed=observed, expected=domain.to_dict(), count=total_bad, fraction=bad_share, examples=examples,
                values=quoted)
    else:
        ctx.add(spec, "unexpected_value",
                f"{plural(total_bad, 'value')} of {spec.name!r} ({pct(bad_share)}) "
                f"{'is' if total_bad == 1 else 'are'} outside the domain: {values_text}",
                observed=observed, expected=domain.to_dict(), count=total_bad, fraction=bad_share, examples=examples,
                values=quoted)


FAMILY = DomainValues()
