"""The slices part of the HTML report: a view model (`slices_view`) that templates/slices.html.j2 shows as a
slice selector (one collapsible panel per slice with its columns' figures), the per-slice drift ranking, and
the label lifts as bars (`<meter>` elements: the page's security policy allows no inline styles)."""

from __future__ import annotations

from typing import Any

from datacheck.drift import DriftReport
from datacheck.render.slices import LIFT_MIN_ROWS, SHOWN
from datacheck.statistics import Slicing, Statistics

#: Label values per feature drawn as lift bars.
LIFT_VALUES = SHOWN


def slices_view(stats: Statistics | None, drift: DriftReport | None) -> dict[str, Any] | None:
    """The view model of the slices, drift per slice and label lifts; None when there are none."""
    view: dict[str, Any] = {"slicings": [], "drift": [], "lift": None}
    if stats is not None and stats.slicings:
        view["slicings"] = [_slicing(stats, s) for s in stats.slicings]
    if drift is not None and drift.slices:
        view["drift"] = [{"slice": s.slice, "slicing": s.slicing, "status": s.status.replace("_", " "),
                          "baseline_rows": s.baseline_rows, "current_rows": s.current_rows, "drifted": s.drifted,
                          "score": s.score, "drifted_columns": list(s.drifted_columns),
                          "columns": [{"column": c.column, "method": c.method, "value": c.value,
                                       "pvalue": c.pvalue, "threshold": c.threshold, "drifted": c.drifted}
                                      for c in (s.report.columns if s.report is not None else ())
                                      if c.method is not None or c.drifted]}
                         for s in drift.slices]
    if stats is not None and stats.labels is not None:
        view["lift"] = _lift(stats)
    return view if view["slicings"] or view["drift"] or view["lift"] else None


def _slicing(stats: Statistics, slicing: Slicing) -> dict[str, Any]:
    parts = [(s.key, s.statistics) for s in slicing.slices]
    if slicing.other is not None:
        parts.append(((), slicing.other.statistics))
    slices = []
    for key, part in parts:
        name = "other" if not key else ",".join(f"{c}={'null' if v is None else v}"
                                                for c, v in zip(slicing.columns, key))
        columns = []
        for col in part.columns:
            whole = stats.column(col.name)
            columns.append({"name": col.name, "null_share": col.null_fraction,
                            "whole_null_share": whole.null_fraction if whole is not None else None,
                            "mean": col.numeric.mean if col.numeric is not None else None,
                            "whole_mean": whole.numeric.mean if whole is not None and whole.numeric else None,
                            "top": col.top_values[0].value if col.top_values else None})
        slices.append({"name": name, "rows": part.num_rows,
                       "share": part.num_rows / stats.num_rows if stats.num_rows else 0.0, "columns": columns})
    return {"name": slicing.name, "max_slices": slicing.max_slices, "pooled": len(slicing.pooled),
            "pooled_complete": slicing.pooled_complete, "slices": slices}


def _lift(stats: Statistics) -> dict[str, Any]:
    labels = stats.labels
    assert labels is not None
    # Binary labels: the last class (1, true, >50K) says it all; the other's lift mirrors it.
    shown = labels.overall[-1][0] if labels.kind == "binary" else None
    features = []
    for feature in labels.features:
        bars: list[dict[str, Any]] = []
        lifts: list[float] = []
        for rate in feature.rates:
            if rate.rows < LIFT_MIN_ROWS:
                continue
            for (cls, share), (_, lift) in zip(rate.rates, rate.lifts):
                if shown is not None and cls != shown:
                    continue
                bars.append({"value": rate.value, "class": cls, "rows": rate.rows, "rate": share, "lift": lift})
                lifts.append(lift or 0.0)
        if bars:
            features.append({"feature": feature.feature, "by": feature.by, "bars": bars[:LIFT_VALUES * 3],
                             "max": max(lifts) or 1.0})
    return {"label": labels.label, "kind": labels.kind, "rows": labels.rows,
            "overall": [{"class": c, "rate": r} for c, r in labels.overall], "features": features}


__all__ = ["slices_view"]
