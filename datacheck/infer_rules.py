"""`infer --rules`: propose the user's own rules from the rows of a sample, each with its evidence.

Three kinds, each proposed only when chance cannot explain it (docs/rules.md, "Proposed rules"):

- **orderings** `a <= b` between two numeric, or two date/datetime, columns that hold on every row where both
  are set, over at least MIN_ROWS rows, where pairing the same values at random breaks the ordering on at
  least MIN_SHUFFLED_BREAKS of the rows (so the ranges alone do not imply it). The rule gets `min_pass` =
  1 - the Wilson upper bound (z = Z) of its failure rate: zero failures in n rows cannot rule out a rate of
  about 9/n, and a rule proposed at 1.0 would fire on the next batch for that alone.
- **compound keys** of two columns, neither a key alone, whose combinations are all distinct where random
  pairs of their values would have collided at least MIN_EXPECTED_COLLISIONS times.
- **periods** of a date or datetime column: the finest of 1h, 1d, 1w in which every period between the first
  and last value holds at least MIN_PER_PERIOD rows, over at least MIN_PERIODS periods.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from datacheck.infer import expected_collisions, wilson_upper
from datacheck.schema import Schema
from datacheck.schema_rules import Rule
from datacheck.statistics import Statistics

#: Rows with both values set that an ordering must hold on. 1,000 rows with no break put the failure rate
#: below 1% with z = 3 (Wilson), so the proposed min_pass is at least 0.99.
MIN_ROWS = 1000
#: z of the Wilson bound that sets a proposed ordering's min_pass (3: the same as the schema's other shares).
Z = 3.0
#: The share of rows on which the ordering must break when the two columns are paired at random. At 1% over
#: 1,000 rows the chance that independent columns keep the ordering on every row is 0.99**1000 = 4e-5.
MIN_SHUFFLED_BREAKS = 0.01
#: Collisions random pairs of the two columns' values would give; 0 seen against 10 expected is p ~ e^-10.
MIN_EXPECTED_COLLISIONS = 10.0
#: Rows in every period, and periods, before a period is proposed: a period with 10 rows in the sample is
#: missed by a batch of the same size with probability about e^-10.
MIN_PER_PERIOD = 10
MIN_PERIODS = 7
#: The most rows read for proposals (a uniform sample, seeded, beyond it).
MAX_ROWS = 1_000_000
PERIODS = ("1h", "1d", "1w")


@dataclass(frozen=True)
class Proposal:
    """One proposed rule and why.

    Fields:
        kind: "ordering", "compound_key" or "period".
        text: the rule as the schema states it ("fare <= trip_total", "(store, day)", "day: 1d").
        evidence: rows checked and what they showed (JSON-ready numbers).
    """

    kind: str
    text: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "evidence": dict(self.evidence)}


@dataclass(frozen=True)
class RuleProposals:
    """The schema with the proposed rules added, and each proposal with its evidence."""

    schema: Schema
    proposals: tuple[Proposal, ...]


def propose_rules(frame: pl.DataFrame, schema: Schema, *, seed: int = 0) -> RuleProposals:
    """Add to `schema` the orderings, compound keys and periods that `frame`'s rows support (see the module).

    Example:
        >>> import polars as pl
        >>> from datacheck.schema import ColumnSchema, Schema
        >>> df = pl.DataFrame({"a": list(range(2000)), "b": [i + i % 7 for i in range(2000)]})
        >>> s = Schema((ColumnSchema("a", "integer"), ColumnSchema("b", "integer")))
        >>> [p.text for p in propose_rules(df, s).proposals]
        ['a <= b']
    """
    if frame.height > MAX_ROWS:
        frame = frame.sample(MAX_ROWS, seed=seed)
    known = set(schema.column_names)
    frame = frame.select([name for name in frame.columns if name in known])
    proposals = _orderings(frame, seed) + _compound_keys(frame) + _periods(frame)
    rules = list(schema.rules)
    names = {rule.name for rule in rules}
    keys = list(schema.dataset.unique)
    columns = {spec.name: spec for spec in schema.columns}
    for proposal in proposals:
        if proposal.kind == "ordering":
            name = _rule_name(proposal.evidence["left"], proposal.evidence["right"], names)
            names.add(name)
            rules.append(Rule(name, proposal.text, min_pass=proposal.evidence["min_pass"],
                              description=f"proposed by infer --rules: held on all {proposal.evidence['rows']:,} "
                                          "rows with both values"))
        elif proposal.kind == "compound_key":
            keys.append(tuple(proposal.evidence["columns"]))
        else:
            column = proposal.evidence["column"]
            columns[column] = replace(columns[column], period=proposal.evidence["period"])
    dataset = replace(schema.dataset, unique=tuple(keys))
    updated = replace(schema, columns=tuple(columns[spec.name] for spec in schema.columns), dataset=dataset,
                      rules=tuple(rules))
    return RuleProposals(updated, tuple(proposals))


def propose_rules_for_data(paths: list[str], schema: Schema, options: Any = None) -> RuleProposals:
    """`propose_rules` on DATA paths (files, directories, globs), read once more: proposals need the rows.

    Raises:
        UsageError: DATA is a saved statistics file (it holds no rows). InputError: the data cannot be read.
    """
    from datacheck.errors import UsageError
    from datacheck.sources import resolve

    data = resolve(paths, options)
    if isinstance(data, Statistics):
        raise UsageError("infer --rules needs the rows; a statistics file holds none",
                         hint="run `datacheck infer DATA --rules` on the data itself")
    frames = [frame for _, frame in data.frames()]
    frame = pl.concat(frames, how="vertical_relaxed").collect() if len(frames) > 1 else frames[0].collect()
    return propose_rules(frame, schema)


def _quoted(name: str) -> str:
    return name if name.isidentifier() and name.lower() == name else '"' + name.replace('"', '""') + '"'


def _rule_name(left: str, right: str, taken: set[str]) -> str:
    base = "".join(c if c.isalnum() or c in "_.-" else "_" for c in f"{left}_le_{right}")
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    return name


def _orderable(frame: pl.DataFrame) -> list[list[str]]:
    """Groups of columns that compare with each other: numbers, dates, naive datetimes, datetimes by zone."""
    groups: dict[str, list[str]] = {}
    for name, dtype in frame.schema.items():
        if dtype.is_numeric() and not dtype.is_decimal():
            groups.setdefault("number", []).append(name)
        elif dtype == pl.Date:
            groups.setdefault("date", []).append(name)
        elif isinstance(dtype, pl.Datetime):
            groups.setdefault(f"datetime {dtype.time_zone}", []).append(name)
    return [names for names in groups.values() if len(names) > 1]


def _orderings(frame: pl.DataFrame, seed: int) -> list[Proposal]:
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=seed + 1)
    found = []
    for group in _orderable(frame):
        for left, right in itertools.permutations(group, 2):
            a, b = frame.get_column(left), frame.get_column(right)
            both = a.is_not_null() & b.is_not_null()
            if a.dtype.is_float():
                both = both & a.is_finite()
            if b.dtype.is_float():
                both = both & b.is_finite()
            rows = int(both.sum())
            if rows < MIN_ROWS or int((both & (a > b)).sum()) or bool((a.filter(both) == b.filter(both)).all()):
                continue
            sa, sb = a.filter(both), shuffled.get_column(right).filter(shuffled.get_column(right).is_not_null())
            sb = sb.head(min(len(sa), len(sb)))
            sa = sa.head(len(sb))
            breaks = int((sa > sb).sum()) / max(len(sb), 1)
            if breaks < MIN_SHUFFLED_BREAKS:
                continue
            min_pass = _floor(1 - wilson_upper(0, rows, Z))
            found.append(Proposal("ordering", f"{_quoted(left)} <= {_quoted(right)}",
                                  {"left": left, "right": right, "rows": rows, "failing": 0,
                                   "equal": int((a.filter(both) == b.filter(both)).sum()),
                                   "shuffled_breaks": round(breaks, 6), "min_pass": min_pass}))
    return found


def _compound_keys(frame: pl.DataFrame) -> list[Proposal]:
    candidates = []
    for name, dtype in frame.schema.items():
        if dtype.is_float() or isinstance(dtype, (pl.List, pl.Struct, pl.Array)):
            continue
        column = frame.get_column(name)
        distinct = column.drop_nulls().n_unique()
        if 1 < distinct < column.len() - column.null_count():
            candidates.append((name, distinct))
    found = []
    for (left, d_left), (right, d_right) in itertools.combinations(candidates, 2):
        pairs = frame.select(left, right).drop_nulls()
        expected = expected_collisions(pairs.height, float(d_left) * float(d_right))
        if pairs.height < MIN_ROWS or expected < MIN_EXPECTED_COLLISIONS:
            continue
        if pairs.n_unique() == pairs.height:
            found.append(Proposal("compound_key", f"({left}, {right})",
                                  {"columns": [left, right], "rows": pairs.height,
                                   "expected_collisions_at_random": round(expected, 1)}))
    return found


def _periods(frame: pl.DataFrame) -> list[Proposal]:
    found = []
    for name, dtype in frame.schema.items():
        if not isinstance(dtype, (pl.Date, pl.Datetime)):
            continue
        values = frame.get_column(name).drop_nulls()
        for period in PERIODS:
            if dtype == pl.Date and period == "1h":
                continue
            counts = values.dt.truncate(period).value_counts(name="n")
            present = counts.height
            fewest = int(counts.get_column("n").cast(pl.Int64).min() or 0)
            laid = _laid_out(values, period)
            if laid is None or present < MIN_PERIODS or present != laid or fewest < MIN_PER_PERIOD:
                continue
            found.append(Proposal("period", f"{name}: {period}",
                                  {"column": name, "period": period, "rows": values.len(), "periods": present,
                                   "fewest_rows_in_a_period": fewest}))
            break
    return found


def _laid_out(values: pl.Series, period: str) -> int | None:
    """How many periods lie between the first and last value (the periods check's own layout)."""
    from datacheck.checks.periods import MAX_PERIODS, layout_periods

    truncated = values.dt.truncate(period).unique().sort()
    if truncated.len() == 0:
        return None
    if (truncated[-1] - truncated[0]).total_seconds() / 3600 > MAX_PERIODS:
        return None
    return layout_periods(truncated, period).len()


def _floor(value: float, digits: int = 4) -> float:
    scale = 10 ** digits
    return int(value * scale) / scale


__all__ = ["MIN_ROWS", "Proposal", "RuleProposals", "propose_rules", "propose_rules_for_data"]
