"""Drift: against a baseline, each column's distribution stays within its drift threshold."""

from __future__ import annotations

from datacheck.checks.family import Anomaly, CheckFamily, Context
from datacheck.checks.wording import fmt, pct, round_down_p, round_up
from datacheck.drift import drift


class DistributionDrift(CheckFamily):
    """Columns whose drift metric against the --baseline passes its threshold (see `datacheck.drift`), from the
    statistics of both sides. An error when the column's schema sets `drift`, a warning otherwise."""

    entries = (
        Anomaly("distribution_drift", "warning", "drift", "Distribution drift",
                "Against the --baseline, the column's drift metric passes its threshold. Error when the column's "
                "schema sets a `drift` check (an explicit contract), warning otherwise.",
                "if the new distribution is expected, set columns[{column}].drift to "
                "{{\"method\": \"{method}\", \"threshold\": {value}}}, or validate against a newer baseline"),
    )

    def judge_dataset(self, ctx: Context) -> None:
        baseline = ctx.baseline
        if baseline is None or ctx.stats.num_rows == 0 or baseline.num_rows == 0:
            return
        result = drift(baseline, ctx.stats, schema=ctx.schema, env=ctx.env)
        for item in result.columns:
            spec = ctx.schema.column(item.column)
            if spec is None or item.status != "compared":
                continue  # missing, new and retyped columns are reported by the presence and type checks
            ctx.ran(item.column, "drift")
            if not item.drifted:
                continue
            default = spec.severity.get("drift") or ("error" if spec.drift is not None else "warning")
            value = item.value if item.value is not None else float("inf")
            against = (f"{item.method} p-value {fmt(item.pvalue)} is below" if item.is_test
                       else f"{item.method} = {fmt(value)} is above")
            largest = (f"; largest change: {item.largest_change!r} {pct(item.largest_change_baseline)} -> "
                       f"{pct(item.largest_change_current)}" if item.largest_change is not None else "")
            ctx.add(spec, "distribution_drift",
                    f"{spec.name!r} drifted against the baseline: {against} the threshold "
                    f"{fmt(item.threshold)}{largest}",
                    observed={"method": item.method, "value": item.value, "pvalue": item.pvalue,
                              "largest_change": item.largest_change,
                              "largest_change_baseline": item.largest_change_baseline,
                              "largest_change_current": item.largest_change_current},
                    expected={"threshold": item.threshold}, default_severity=default, method=item.method,
                    value=fmt(round_up(value)) if not item.is_test else fmt(round_down_p(item.pvalue or 0.0)))


FAMILY = DistributionDrift()
