"""Presence: the columns the schema expects are in the data, and the data has no column the schema lacks."""

from __future__ import annotations

from datacheck.checks.family import Anomaly, CheckFamily, Context


class Presence(CheckFamily):
    """Missing and unexpected columns, from the column names alone (the same from data and statistics)."""

    entries = (
        Anomaly("missing_column", "error", "presence", "Missing column",
                "A column the schema expects in this environment (required, and not excluded by --env) is absent.",
                "restore the column in the data; if it was dropped on purpose set columns[{column}].required to "
                "false, or list it in environments.<env>.excluded"),
        Anomaly("unexpected_column", "warning", "presence", "New column",
                "The data has a column that the schema does not list.",
                "add it to the schema with `datacheck schema update {schema} {data} -o {schema}`, or drop it "
                "from the data"),
    )

    def judge_dataset(self, ctx: Context) -> None:
        expected = set(ctx.schema.expected_columns(ctx.env))
        for spec in ctx.schema.columns:
            ctx.ran(spec.name, "presence")
            if ctx.stats.column(spec.name) is None and spec.name in expected:
                where = f" in environment {ctx.env!r}" if ctx.env else ""
                ctx.add(spec, "missing_column", f"column {spec.name!r} is missing{where}",
                        observed=None, expected="present")
        for col in ctx.stats.columns:
            if ctx.schema.column(col.name) is None:
                ctx.add(None, "unexpected_column", f"column {col.name!r} is not in the schema", column=col.name,
                        observed=col.dtype, expected="absent")


FAMILY = Presence()
