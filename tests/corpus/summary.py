"""The corpus figures (issue 14's targets) from the per-dataset results, and their printed table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .corruptions import CORRUPTIONS
from .harness import DatasetResult

#: Issue 14's targets ("Done when").
MAX_FALSE_ALARM_SHARE = 0.02
MIN_CATCH_SHARE = 0.98
MIN_CATCH_SHARE_UPPER = 0.90
MAX_FALSE_DRIFT_RATE = 0.01
MIN_DATASETS = 100


def catch_target(corruption: str) -> float:
    return MIN_CATCH_SHARE_UPPER if corruption == "upper" else MIN_CATCH_SHARE


@dataclass(frozen=True)
class CorruptionFigures:
    """One corruption over the corpus. Per dataset (the column drawn): datasets it applied to, caught as an
    error naming the column, named only by warnings, and the misses ("dataset:column [codes]"). Per column
    (value corruptions: every column it applies to): columns, caught, misses; drift flagged / checked."""

    corruption: str
    applied: int
    caught: int
    warned: int
    misses: tuple[str, ...]
    drift_checked: int
    drift_flagged: int
    columns: int
    columns_caught: int
    column_misses: tuple[str, ...]

    @property
    def column_share(self) -> float:
        return self.columns_caught / self.columns if self.columns else 1.0

    @property
    def share(self) -> float:
        return self.caught / self.applied if self.applied else 1.0


@dataclass(frozen=True)
class Figures:
    datasets: int
    crashes: tuple[str, ...]
    self_failures: tuple[str, ...]
    self_checked: int
    false_alarm_datasets: tuple[str, ...]
    clean_checked: int
    false_alarm_codes: tuple[tuple[str, int], ...]
    corruptions: tuple[CorruptionFigures, ...]
    drift_compared: int
    drift_drifted: tuple[str, ...]
    drift_by_method: tuple[tuple[str, int, int], ...]
    drift_skipped: int

    @property
    def false_alarm_share(self) -> float:
        return len(self.false_alarm_datasets) / self.clean_checked if self.clean_checked else 0.0

    @property
    def false_drift_rate(self) -> float:
        return len(self.drift_drifted) / self.drift_compared if self.drift_compared else 0.0

    def corruption(self, name: str) -> CorruptionFigures:
        return next(c for c in self.corruptions if c.corruption == name)


def _codes(findings: tuple) -> str:
    return ", ".join(sorted({f"{f.column}:{f.code}" if f.column else f.code for f in findings}))


def _misses(outcomes: list) -> tuple[str, ...]:
    return tuple(f"{name}:{o.column} [{', '.join(o.codes) or 'nothing'}]" for name, o in outcomes if not o.caught)


def _corruption_figures(results: tuple[DatasetResult, ...], kind: str) -> CorruptionFigures:
    every = [(r.name, o) for r in results for o in r.outcomes if o.corruption == kind]
    drawn = [(name, o) for name, o in every if o.drawn]
    caught = [o for _, o in drawn if o.caught]
    warned = [o for _, o in drawn if not o.caught and any(c.endswith(":warning") for c in o.codes)]
    checked = [o for _, o in every if o.drift_flagged is not None]
    return CorruptionFigures(kind, len(drawn), len(caught), len(warned), _misses(drawn), len(checked),
                             sum(1 for o in checked if o.drift_flagged), len(every),
                             sum(1 for _, o in every if o.caught), _misses(every))


def figures(results: tuple[DatasetResult, ...]) -> Figures:
    """Aggregate the corpus results into the issue's figures."""
    crashes = tuple(f"{c.dataset}: {c.step}: {c.error}" for r in results for c in r.crashes)
    self_checked = [r for r in results if r.self_errors is not None]
    clean_checked = [r for r in results if r.clean_errors is not None]
    alarms = [r for r in clean_checked if r.clean_errors]
    codes = Counter(code for r in alarms for code in {f.code for f in r.clean_errors or ()})
    entries = [(r.name, e) for r in results for e in r.drift or () if e.status in ("compared", "type_changed")]
    methods: dict[str, list[int]] = {}
    for _, e in entries:
        tally = methods.setdefault(e.method or e.status, [0, 0])
        tally[0] += 1
        tally[1] += e.drifted
    drifted = tuple(
        f"{name}:{e.column} ({e.kind}, {e.method or e.status}"
        + (f", p={e.pvalue:.2g}" if e.pvalue is not None else f", {e.value:.3g}" if e.value is not None else "") + ")"
        for name, e in entries if e.drifted)
    skipped = sum(1 for r in results for e in r.drift or () if e.status == "skipped")
    return Figures(
        datasets=len(results), crashes=crashes,
        self_failures=tuple(f"{r.name}: {_codes(r.self_errors or ())}" for r in self_checked if r.self_errors),
        self_checked=len(self_checked),
        false_alarm_datasets=tuple(f"{r.name} ({r.rows} rows): {_codes(r.clean_errors or ())}" for r in alarms),
        clean_checked=len(clean_checked), false_alarm_codes=tuple(sorted(codes.items(), key=lambda kv: -kv[1])),
        corruptions=tuple(_corruption_figures(results, kind) for kind in CORRUPTIONS),
        drift_compared=len(entries), drift_drifted=drifted,
        drift_by_method=tuple((m, n, d) for m, (n, d) in sorted(methods.items())), drift_skipped=skipped,
    )


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f}%" if whole else "0/0"


def format_figures(fig: Figures, detail: bool = True) -> str:
    """The table the corpus test and bench/corpus.py print."""
    mark = {True: "ok  ", False: "FAIL"}
    lines = [f"corpus: {fig.datasets} datasets",
             f"{mark[not fig.crashes]} crashes: {len(fig.crashes)}",
             f"{mark[not fig.self_failures]} self-validation failures: "
             f"{_pct(len(fig.self_failures), fig.self_checked)}",
             f"{mark[fig.false_alarm_share <= MAX_FALSE_ALARM_SHARE]} datasets with an error on clean halves: "
             f"{_pct(len(fig.false_alarm_datasets), fig.clean_checked)} (target <= {MAX_FALSE_ALARM_SHARE:.0%})"]
    if fig.false_alarm_codes:
        lines.append("       by code (datasets): " + ", ".join(f"{c} {n}" for c, n in fig.false_alarm_codes))
    lines.append(f"{mark[fig.false_drift_rate <= MAX_FALSE_DRIFT_RATE]} false drift per compared column on clean "
                 f"halves: {_pct(len(fig.drift_drifted), fig.drift_compared)} (target <= {MAX_FALSE_DRIFT_RATE:.0%}; "
                 f"{fig.drift_skipped} columns not compared)")
    lines.append("       by method (drifted/compared): "
                 + ", ".join(f"{m} {d}/{n}" for m, n, d in fig.drift_by_method))
    lines.append("")
    lines.append(f"     {'':<11} {'per dataset (column drawn)':^41}  {'per column':^22}")
    lines.append(f"     {'corruption':<11} {'applies':>7} {'error':>6} {'share':>7} {'target':>6} {'warn':>5} "
                 f"{'missed':>6}  {'columns':>7} {'error':>6} {'share':>7}  drift flags column")
    for c in fig.corruptions:
        ok = c.share >= catch_target(c.corruption) and c.column_share >= catch_target(c.corruption)
        drift = f"{_pct(c.drift_flagged, c.drift_checked)}" if c.drift_checked else "-"
        lines.append(f"{mark[ok]} {c.corruption:<11} {c.applied:>7} {c.caught:>6} {c.share:>7.1%} "
                     f"{catch_target(c.corruption):>6.0%} {c.warned:>5} {c.applied - c.caught:>6}  "
                     f"{c.columns:>7} {c.columns_caught:>6} {c.column_share:>7.1%}  {drift}")
    if detail:
        sections = [("crashes", fig.crashes), ("self-validation failures", fig.self_failures),
                    ("errors on clean halves", fig.false_alarm_datasets), ("false drift", fig.drift_drifted)]
        sections += [(f"missed {c.corruption} (every column)", c.column_misses) for c in fig.corruptions]
        for title, items in sections:
            if items:
                lines.append("")
                lines.append(f"{title} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
    return "\n".join(lines)
