"""A validation Report -> a rich table, JSON, Markdown, JUnit XML or GitHub workflow commands.

Renderers only format: every number shown is a field of the Report.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from datacheck.checks import CATALOGUE, Example, Finding, Report
from datacheck.output import to_json
from datacheck.render.common import escape_data, escape_property, md_escape, number, percent

_RANK = {"error": 2, "warning": 1}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}
SEVERITY_MARK = {"error": "✗ error", "warning": "! warning"}


# ------------------------------------------------------------------------------------------ shared bits


def _value_text(value: Any, width: int = 40) -> str:
    text = "null" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= width else text[: width - 1] + "…"


def _quoted(value: Any) -> str:
    text = _value_text(value)
    return "'" + text + "'" if isinstance(value, str) else text


def key_text(key: dict[str, Any]) -> str:
    """A row's key as `customer_id=42` (`day=2024-01-02, shop='B'` for a compound key); text values are quoted."""
    return ", ".join(f"{name}={_quoted(value)}" for name, value in key.items())


def example_text(example: Example) -> str:
    """`value` (row 12), `value` (customer_id=42) when the row's key is known (a database's rows), or `value` ×40
    for value-level examples; text values are quoted."""
    text = _quoted(example.value)
    if example.key:
        return f"{text} ({key_text(example.key)})"
    if example.row is not None:
        return f"{text} (row {example.row})"
    if example.count is not None:
        return f"{text} ×{number(example.count)}"
    return text


def affected_text(finding: Finding) -> str:
    if finding.count is None and finding.fraction is None:
        return ""
    if finding.count is None:
        return f"~{percent(finding.fraction or 0.0)}"
    if finding.fraction is None:
        return number(finding.count)
    return f"{number(finding.count)} ({percent(finding.fraction)})"


def headline(report: Report) -> str:
    s = report.summary
    verdict = "passed" if report.passed else "failed"
    counts = f"{s.errors} error{'s' if s.errors != 1 else ''}, {s.warnings} warning{'s' if s.warnings != 1 else ''}"
    env = f", environment {s.environment}" if s.environment else ""
    origin = " (from statistics)" if s.from_statistics else ""
    return (f"validation {verdict}: {counts} — {number(s.rows)} rows × {s.columns} columns, "
            f"{s.checks} checks ({s.failed} failed, {s.skipped} skipped){env}{origin}")


def grouped(report: Report) -> list[tuple[str | None, list[Finding]]]:
    """Findings grouped by column: the dataset first, then columns with errors, then the rest; errors first."""
    groups: dict[str | None, list[Finding]] = {}
    first_seen: dict[str | None, int] = {}
    for i, finding in enumerate(report.findings):
        groups.setdefault(finding.column, []).append(finding)
        first_seen.setdefault(finding.column, i)
    def key(column: str | None) -> tuple[int, int, int]:
        worst = max(_RANK[f.severity] for f in groups[column])
        return (0 if column is None else 1, -worst, first_seen[column])
    ordered = sorted(groups, key=key)
    return [(c, sorted(groups[c], key=lambda f: -_RANK[f.severity])) for c in ordered]


# ------------------------------------------------------------------------------------------------ table


def report_table(report: Report, width: int = 160) -> RenderableType:
    """A rich renderable: a headline, then one section per column (dataset first, errors first)."""
    style = "bold green" if report.passed else "bold red"
    head = Text(("✓ " if report.passed else "✗ ") + headline(report), style=style)
    sources = ", ".join(report.sources[:3]) + (" …" if len(report.sources) > 3 else "")
    parts: list[RenderableType] = [head]
    if sources:
        parts.append(Text(sources, style="dim"))
    if not report.findings:
        return Group(*parts)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", show_lines=False, width=width, pad_edge=False)
    table.add_column("column", overflow="fold", max_width=24)
    table.add_column("severity", no_wrap=True, min_width=9)
    table.add_column("code", overflow="fold", max_width=20)
    table.add_column("affected", justify="right", no_wrap=True, min_width=8)
    table.add_column("finding", ratio=1, overflow="fold")
    for g, (column, findings) in enumerate(grouped(report)):
        if g:
            table.add_section()
        for i, finding in enumerate(findings):
            detail = Text(finding.message)
            if finding.examples:
                detail.append("\ne.g. " + ", ".join(example_text(e) for e in finding.examples), style="dim")
            detail.append("\nfix: " + finding.fix, style="cyan")
            name = (column if column is not None else "(dataset)") if i == 0 else ""
            severity = Text(SEVERITY_MARK[finding.severity], style=SEVERITY_STYLE[finding.severity])
            table.add_row(Text(name, style="bold"), severity, finding.code, affected_text(finding), detail)
    parts.append(table)
    return Group(*parts)


# ------------------------------------------------------------------------------------------------- json


def report_json(report: Report) -> str:
    """The report as deterministic JSON (schemas/report.schema.json)."""
    return to_json(report.to_dict())


# --------------------------------------------------------------------------------------------- markdown


def report_markdown(report: Report, max_rows: int = 200) -> str:
    """GitHub-flavoured Markdown for a PR comment or $GITHUB_STEP_SUMMARY; every data value is escaped."""
    mark = "✅" if report.passed else "❌"
    lines = [f"### {mark} datacheck: {md_escape(headline(report))}", ""]
    if report.sources:
        lines += ["Data: " + ", ".join(f"`{s.replace('`', '')}`" for s in report.sources[:5]), ""]
    if not report.findings:
        lines.append("No anomalies found.")
        return "\n".join(lines) + "\n"
    lines += ["| | column | code | affected | finding | fix |", "|---|---|---|--:|---|---|"]
    shown = 0
    for column, findings in grouped(report):
        for finding in findings:
            if shown >= max_rows:
                break
            shown += 1
            icon = "🔴" if finding.severity == "error" else "🟡"
            detail = md_escape(finding.message)
            if finding.examples:
                detail += "<br>e.g. " + md_escape(", ".join(example_text(e) for e in finding.examples))
            lines.append(f"| {icon} {finding.severity} | {md_escape(column if column is not None else '(dataset)')} | "
                         f"`{finding.code}` | {affected_text(finding)} | {detail} | {md_escape(finding.fix)} |")
    if len(report.findings) > shown:
        lines += ["", f"… and {len(report.findings) - shown} more findings (see the JSON report)."]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ junit


def report_junit(report: Report, fail_on: str = "error") -> str:
    """JUnit XML: one testcase per column and check, a <failure> for findings at or above `fail_on`.

    Findings below `fail_on` (warnings by default) go to the testcase's <system-out>, so that they show in CI
    without failing it. Checks that could not run are <skipped>.
    """
    threshold = _RANK[fail_on]
    by_check: dict[tuple[str | None, str], list[Finding]] = {}
    for finding in report.findings:
        by_check.setdefault((finding.column, CATALOGUE[finding.code].check if finding.code in CATALOGUE
                             else finding.code.split(".", 1)[0]), []).append(finding)  # a plug-in's: its name
    cases = []
    failures = skipped = 0
    for check in report.checks:
        column = check.column if check.column is not None else "(dataset)"
        case = ET.Element("testcase", {"name": f"{column}: {check.check}", "classname": f"datacheck.validate.{column}",
                                       "time": "0"})
        found = by_check.get((check.column, check.check), [])
        failing = [f for f in found if _RANK[f.severity] >= threshold]
        passing = [f for f in found if _RANK[f.severity] < threshold]
        if check.status == "skipped":
            ET.SubElement(case, "skipped", {"message": check.reason or "skipped"})
            skipped += 1
        elif failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(case, "failure", {"message": first.message, "type": first.code})
            failure.text = "\n\n".join(_finding_text(f) for f in failing)
        if passing:
            out = ET.SubElement(case, "system-out")
            out.text = "\n\n".join(_finding_text(f) for f in passing)
        cases.append(case)
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": str(skipped), "time": "0"}
    root = ET.Element("testsuites", {"name": "datacheck validate", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "datacheck validate " + ", ".join(report.sources), **counts})
    suite.extend(cases)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _finding_text(finding: Finding) -> str:
    lines = [f"[{finding.severity}] {finding.code}: {finding.message}"]
    if finding.examples:
        lines.append("examples: " + ", ".join(example_text(e) for e in finding.examples))
    lines.append("fix: " + finding.fix)
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ github


def report_github(report: Report, file: str | None = None) -> str:
    """`::error`/`::warning` workflow commands, one per finding, then a plain summary line.

    Args:
        file: the path the annotations point at (default: the single data source, if there is one).
    """
    if file is None and len(report.sources) == 1 and report.sources[0] != "<memory>":
        file = report.sources[0]
    lines = []
    for finding in report.findings:
        title = f"datacheck {finding.code}" + (f" in {finding.column}" if finding.column is not None else "")
        props = ([f"file={escape_property(file)}"] if file else []) + [f"title={escape_property(title)}"]
        body = finding.message
        if finding.examples:
            body += "\nexamples: " + ", ".join(example_text(e) for e in finding.examples)
        body += "\nfix: " + finding.fix
        lines.append(f"::{finding.severity} {','.join(props)}::{escape_data(body)}")
    lines.append("datacheck: " + headline(report))
    return "\n".join(lines) + "\n"


__all__ = ["report_table", "report_json", "report_markdown", "report_junit", "report_github",
           "headline", "grouped", "example_text", "key_text"]
