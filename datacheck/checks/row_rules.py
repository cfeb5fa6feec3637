"""Row rules: the schema's own named conditions over a row's columns (`shipped_at >= ordered_at`).

Each rule's SQL text passes the gate of `datacheck.rule_expr` (no subqueries, no table functions, only the
schema's columns) and is parsed by polars' SQL expression parser into one expression that the row-check
compiler sums in the statistics scan, with examples showing every column the rule names. Saved statistics
hold no rows: there, every rule is skipped, never passed.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.rows import FrameTest, FrameWork, RowEvidence
from datacheck.checks.wording import pct, plural, share
from datacheck.rule_expr import RuleExpressionError, check_expression, parse
from datacheck.schema import Schema
from datacheck.schema_rules import Rule

#: Tally keys: the failing rows of a rule, and the rows its `where` selects.
_FAILING = "rule:{}"
_SELECTED = "rule:{}:selected"


class RowRules(CheckFamily):
    """The schema's `rules`: failing rows counted in the scan against each rule's `min_pass`."""

    entries = (
        Anomaly("rule_failed", "error", "rule", "Row rule failed",
                "A row rule of the schema's `rules` is false on more rows than its min_pass allows (a null result "
                "passes unless the rule says nulls: fail); gives the failing rows, their share of the rows the "
                "rule's `where` selects, and example rows with the values of every column the rule names.",
                "correct the rows shown; if they are legitimate, change rules[{rule}].expr or lower its min_pass "
                "to {value}"),
        Anomaly("rule_not_evaluated", "warning", "rule", "Row rule not evaluated",
                "A row rule could not be evaluated on the data: a column it names is missing, has another type "
                "than the schema says, or a function failed on a value (text that is not a date).",
                "make rules[{rule}] fit the data's columns and types (see docs/rules.md), or set its severity to "
                "off"),
    )

    def frame_work(self, schema: Schema, batch_schema: pl.Schema, references: Mapping[str, pl.Series]) -> FrameWork:
        tests: list[FrameTest] = []
        problems: list[tuple[str, str]] = []
        for rule in schema.rules:
            if rule.severity == "off":
                continue
            try:
                tests.extend(_tests(rule, schema, batch_schema))
            except RuleExpressionError as exc:
                problems.append((_FAILING.format(rule.name), str(exc)))
        return FrameWork(tests=tuple(tests), problems=tuple(problems))

    def judge_frame(self, ctx: Context, rows: RowEvidence | None) -> None:
        if not ctx.schema.rules:
            return
        if rows is None:
            ctx.skip(None, "rule", "row rules need the rows; a statistics file holds none")
            return
        for rule in ctx.schema.rules:
            _judge(ctx, rule, rows)


def _tests(rule: Rule, schema: Schema, batch_schema: pl.Schema) -> list[FrameTest]:
    """The rule's tests on this batch schema: its failing rows (and the rows its `where` selects).

    The gate runs here as well as in `schema check`: a Schema built in Python never passed through a file.
    """
    names = schema.column_names
    check_expression(rule.expr, names)
    expr = parse(rule.expr)
    where = None
    if rule.where is not None:
        check_expression(rule.where, names)
        where = parse(rule.where)
    columns = tuple(dict.fromkeys(expr.meta.root_names() + (where.meta.root_names() if where is not None else [])))
    missing = [name for name in columns if name not in batch_schema]
    if missing:
        raise RuleExpressionError(f"{plural(len(missing), 'column')} not in the data: {', '.join(missing)}")
    probe = pl.DataFrame(schema={name: batch_schema[name] for name in columns})
    for part, text in ((expr, rule.expr), (where, rule.where)):
        if part is None:
            continue
        try:
            dtype = probe.select(part.alias("x")).schema["x"]
        except pl.exceptions.PolarsError as exc:
            lines = str(exc).strip().splitlines()
            raise RuleExpressionError(f"{text!r} cannot be evaluated on the data's types: "
                                      f"{lines[0] if lines else type(exc).__name__}") from None
        if dtype not in (pl.Boolean, pl.Null):
            raise RuleExpressionError(f"{text!r} gives {dtype} on the data, not true/false")
    # SQL logic: a null result of `expr` is unknown, a pass unless the rule says nulls: fail; a null `where`
    # does not select the row.
    failing = expr.not_().fill_null(False) if rule.nulls == "pass" else expr.fill_null(False).not_()
    tests = []
    if where is not None:
        selected = where.fill_null(False)
        failing = selected & failing
        tests.append(FrameTest(_SELECTED.format(rule.name), selected))
    tests.append(FrameTest(_FAILING.format(rule.name), failing, columns))
    return tests


def _judge(ctx: Context, rule: Rule, rows: RowEvidence) -> None:
    key = _FAILING.format(rule.name)
    problem = rows.frame_problem(key)
    if problem is not None:
        ctx.add(None, "rule_not_evaluated", f"rule {rule.name!r} could not be evaluated: {problem}",
                observed={"rule": rule.name, "reason": problem}, expected={"expr": rule.expr, "where": rule.where},
                default_severity="warning" if rule.severity != "off" else "off", rule=rule.name)
        return
    ctx.ran(None, "rule")
    if rule.severity == "off":
        return
    checked = rows.frame_tally(_SELECTED.format(rule.name)).count if rule.where is not None else ctx.stats.num_rows
    tally = rows.frame_tally(key)
    failing = tally.count
    if failing == 0 or 1 - failing / checked >= rule.min_pass:
        return
    scope = f" where {rule.where}" if rule.where is not None else ""
    allowed = f"; min_pass {pct(rule.min_pass)}" if rule.min_pass < 1 else ""
    passing = (checked - failing) / checked
    ctx.add(None, "rule_failed",
            f"rule {rule.name!r} ({rule.expr}) fails on {failing:,} of {plural(checked, 'row')}{scope} "
            f"({pct(failing / checked)}){allowed}",
            observed={"rule": rule.name, "failing": failing, "checked": checked, "pass_share": round(passing, 6)},
            expected={"expr": rule.expr, "where": rule.where, "min_pass": rule.min_pass, "nulls": rule.nulls},
            count=failing, fraction=share(failing, checked), examples=tally.examples,
            default_severity=rule.severity, rule=rule.name, value=_floor(passing))


def _floor(value: float, digits: int = 4) -> float:
    """A share rounded down, so that min_pass set to it accepts this batch."""
    scale = 10 ** digits
    return int(value * scale + 1e-9) / scale


FAMILY = RowRules()
