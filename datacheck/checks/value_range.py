"""Range: numeric and temporal values stay within the schema's bounds, and mostly within the usual range."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.model import Example
from datacheck.checks.rows import RowEvidence, RowTest, RowWork, bound_literal, typed_values
from datacheck.checks.sampling import beyond_tolerance
from datacheck.checks.wording import count_text, fmt, pct, share
from datacheck.schema import ISO_RANGE_TYPES, ColumnSchema, parse_iso
from datacheck.statistics import ColumnStats


class Side(NamedTuple):
    """What one bound (min, max, warn_min or warn_max) found."""

    beyond: bool  # some value lies beyond it
    number: int | None  # how many (None: the statistics cannot tell)
    examples: list[Example]


_NOTHING = Side(False, 0, [])
#: The evidence for one bound: (tally key, bound, "below" or "above") -> Side.
SideEvidence = Callable[[str, Any, str], Side]
#: The share of finite values outside [warn_min, warn_max] when counts are unknown, or None.
OutsideEstimate = Callable[[Any, Any], float | None]


class ValueRange(CheckFamily):
    """Values beyond range.min/max (errors), beyond warn_min/warn_max (warnings), and too little mass inside
    the usual range: a share outside [warn_min, warn_max] beyond 1 - min_mass (as written when that tolerance
    holds 4 values of the batch or more, else by more than a small batch's binomial sampling noise:
    `datacheck.checks.sampling.beyond_tolerance`), so that a small batch with a few values past the extremes
    seen before stays a warning. A scan counts each side exactly
    with examples; statistics give the extremes, exact counts in a few cases, and the in-range share from the
    quantile summary."""

    entries = (
        Anomaly("out_of_range", "error", "range", "Value out of range",
                "Values below columns[].range.min or above range.max (too small / too big); counts each side and "
                "gives examples with row numbers.",
                "fix the values; if they are legitimate set {bounds}"),
        Anomaly("out_of_warning_range", "warning", "range", "Value outside the usual range",
                "Values below columns[].range.warn_min or above range.warn_max (the range seen before), while their "
                "share is within 1 - range.min_mass (or, in a batch too small for it to hold 4 values, the batch's "
                "sampling noise above it).",
                "if these values are legitimate set {bounds}"),
        Anomaly("range_mass_too_low", "error", "range", "Too many values outside the usual range",
                "The share of values outside [range.warn_min, range.warn_max] is above 1 - range.min_mass (in a "
                "batch too small for that to hold 4 values, by more than its binomial sampling noise): a unit "
                "change (x100, cents vs dollars) or a shifted source.",
                "check the unit and the source of {column}; if the new values are legitimate set {bounds} "
                "(or run `datacheck schema update {schema} {data} -o {schema}`)"),
    )

    def row_work(self, spec: ColumnSchema, dtype: pl.DataType, kind: str) -> RowWork:
        rng = spec.range
        values = typed_values(spec, dtype) if rng is not None else None
        if rng is None or values is None:
            return RowWork()
        floating = (dtype.is_float() or dtype.is_decimal()) and spec.type in ("integer", "float")
        usable = values.is_finite() if floating else values.is_not_null()
        tests = []
        for key, bound, op in (("below_min", rng.min, "lt"), ("above_max", rng.max, "gt"),
                               ("below_warn", rng.warn_min, "lt"), ("above_warn", rng.warn_max, "gt")):
            literal = bound_literal(spec, bound)
            if literal is None:
                continue
            lit = pl.lit(literal)
            tests.append(RowTest(key, usable & ((values < lit) if op == "lt" else (values > lit))))
        return RowWork(tuple(tests))

    def judge_rows(self, ctx: Context, spec: ColumnSchema, col: ColumnStats, rows: RowEvidence) -> None:
        if spec.range is None:
            return

        def side(key: str, bound: Any, which: str) -> Side:
            if bound is None:
                return _NOTHING
            tally = rows.tally(spec.name, key)
            return Side(tally.count > 0, tally.count, list(tally.examples))

        _judge(ctx, spec, col, side, lambda low, high: None)

    def judge_statistics(self, ctx: Context, spec: ColumnSchema, col: ColumnStats) -> None:
        if spec.range is None:
            return
        if spec.stored_as == "string":
            ctx.skip(spec.name, "range", "statistics of text do not hold the range of the parsed values")
            return
        _judge(ctx, spec, col, lambda key, bound, which: _side_from_statistics(spec, col, bound, which),
               lambda low, high: _summary_outside(col, spec, low, high))


def _extremes(spec: ColumnSchema, col: ColumnStats) -> tuple[Any, Any]:
    """The observed min and max in the form the range is stated in (ISO text for temporal types)."""
    if spec.type in ISO_RANGE_TYPES:
        if col.temporal is None:
            return None, None
        return col.temporal.min, col.temporal.max
    if col.numeric is None:
        return None, None
    return col.numeric.min, col.numeric.max


def _judge(ctx: Context, spec: ColumnSchema, col: ColumnStats, side: SideEvidence, estimate: OutsideEstimate) -> None:
    rng = spec.range
    assert rng is not None
    low, high = _extremes(spec, col)
    finite = col.sketch.finite_count if col.numeric is not None and spec.type not in ISO_RANGE_TYPES else col.count
    ctx.ran(spec.name, "range")
    observed_range = {"min": low, "max": high}
    # Error bounds: too small, too big.
    below = side("below_min", rng.min, "below")
    above = side("above_max", rng.max, "above")
    if below.beyond or above.beyond:
        parts, bounds = _broken_sides(spec.name, (below, above), ("min", "max"), (rng.min, rng.max), (low, high))
        count = _total(below, above)
        ctx.add(spec, "out_of_range",
                f"{spec.name!r}: " + " and ".join(parts) + f" (observed {fmt(low)} .. {fmt(high)})",
                observed={**observed_range, "below_min": below.number, "above_max": above.number},
                expected=rng.to_dict(), count=count, fraction=share(count, finite) if count is not None else None,
                examples=below.examples + above.examples, bounds=" and ".join(bounds))
    _warning_bounds(ctx, spec, side, estimate, observed_range, finite)


def _broken_sides(column: str, sides: tuple[Side, Side], keys: tuple[str, str], limits: tuple[Any, Any],
                  observed: tuple[Any, Any]) -> tuple[list[str], list[str]]:
    """For the sides (below, above) that broke their bound: the message parts ("3 values below min 0") and the
    fix's settings ("columns[x].range.min to -5", to the observed extreme)."""
    parts, bounds = [], []
    for side, word, key, limit, seen in zip(sides, ("below", "above"), keys, limits, observed):
        if side.beyond:
            parts.append(f"{count_text(side.number)} {word} {key} {fmt(limit)}")
            bounds.append(f"columns[{column}].range.{key} to {fmt(seen)}")
    return parts, bounds


def _warning_bounds(ctx: Context, spec: ColumnSchema, side: SideEvidence, estimate: OutsideEstimate,
                    observed_range: dict[str, Any], finite: int) -> None:
    """The warning bounds and the in-range mass: one finding, a warning or (mass too low) an error."""
    rng = spec.range
    assert rng is not None
    low, high = observed_range["min"], observed_range["max"]
    below = side("below_warn", rng.warn_min, "below")
    above = side("above_warn", rng.warn_max, "above")
    if not (below.beyond or above.beyond):
        return
    outside = _total(below, above)
    outside_share = share(outside, finite) if outside is not None else None
    if outside_share is None:
        outside_share = estimate(rng.warn_min, rng.warn_max)
    parts, bounds = _broken_sides(spec.name, (below, above), ("warn_min", "warn_max"), (rng.warn_min, rng.warn_max),
                                  (low, high))
    observed = {**observed_range, "below_warn_min": below.number, "above_warn_max": above.number,
                "in_range_fraction": round(1 - outside_share, 6) if outside_share is not None else None}
    examples = below.examples + above.examples
    if (rng.min_mass is not None and outside_share is not None
            and beyond_tolerance(round(outside_share * finite), finite, 1 - rng.min_mass)):
        ctx.add(spec, "range_mass_too_low",
                f"{spec.name!r}: only {pct(1 - outside_share)} of values lie within the usual range "
                f"{fmt(rng.warn_min)} .. {fmt(rng.warn_max)}, below min_mass {rng.min_mass}; " + " and ".join(parts),
                observed=observed, expected=rng.to_dict(), count=outside, fraction=outside_share, examples=examples,
                bounds=" and ".join(bounds))
    else:
        ctx.add(spec, "out_of_warning_range",
                f"{spec.name!r}: " + " and ".join(parts) + f" (observed {fmt(low)} .. {fmt(high)})",
                observed=observed, expected=rng.to_dict(), count=outside, fraction=outside_share, examples=examples,
                bounds=" and ".join(bounds))


def _total(below: Side, above: Side) -> int | None:
    """Values beyond either bound, or None when a bound is passed by an unknown number of values."""
    if (below.beyond and below.number is None) or (above.beyond and above.number is None):
        return None
    return (below.number or 0) + (above.number or 0)


def _side_from_statistics(spec: ColumnSchema, col: ColumnStats, bound: Any, which: str) -> Side:
    """Whether the observed extreme passes the bound; the count only where the statistics hold it exactly."""
    if bound is None:
        return _NOTHING
    low, high = _extremes(spec, col)
    extreme = low if which == "below" else high
    if spec.type in ISO_RANGE_TYPES:
        # Both sides parse to the same type (date, datetime or time): the comparison below is well defined.
        limit: Any = parse_iso(spec.type, str(bound))
        value: Any = parse_iso(spec.type, str(extreme)) if extreme else None
        if value is None or limit is None:
            return _NOTHING
        beyond = value < limit if which == "below" else value > limit
        return Side(beyond, None if beyond else 0, [Example(value)] if beyond else [])
    if extreme is None:
        return _NOTHING
    if not (extreme < bound if which == "below" else extreme > bound):
        return _NOTHING
    num = col.numeric
    exact = None
    if which == "below" and bound == 0 and num is not None:
        exact = num.negative_count  # exact: the statistics count negative values
    elif num is not None and num.min is not None and num.min == num.max:
        exact = col.sketch.finite_count
    return Side(True, exact, [Example(extreme)])


def _summary_outside(col: ColumnStats, spec: ColumnSchema, low: Any, high: Any) -> float | None:
    """The share of finite values outside [low, high], estimated from the statistics' quantile summary."""
    if col.sketch.quantiles is None or spec.type in ISO_RANGE_TYPES:
        return None
    from datacheck import sketches

    summary = sketches.QuantileSketch.from_text(col.sketch.quantiles)
    below = summary.get_rank(float(low), False) if low is not None else 0.0  # share strictly below low
    above = 1.0 - summary.get_rank(float(high), True) if high is not None else 0.0  # share strictly above high
    return round(max(0.0, min(1.0, below + above)), 6)


FAMILY = ValueRange()
