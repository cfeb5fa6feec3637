"""SkewReport -> a rich table, JSON, Markdown, JUnit XML, GitHub workflow commands or HTML. Formatting only."""

from __future__ import annotations

import html
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from datacheck.output import to_json
from datacheck.render.common import escape_data, escape_property, md_escape, number, percent
from datacheck.skew import FeatureSkew, Key, SideKeys, SkewReport


def _key(key: Key) -> str:
    return ", ".join("null" if v is None else v for v in key)


def _keys(keys: tuple[Key, ...]) -> str:
    return "; ".join(_key(k) for k in keys)


def summary(report: SkewReport) -> str:
    """One line: the verdict, the matched rows and what stayed out of the join."""
    skewed = report.skewed_features
    verdict = (f"SKEW: {len(skewed)} of {len(report.features)} features differ above their threshold"
               if skewed else f"no skew: {len(report.features)} features within their threshold")
    return (f"{verdict}; {report.matched:,} rows matched on {', '.join(report.keys)}; only in base "
            f"{report.base.unmatched:,}, only in test {report.test.unmatched:,}; duplicate keys base "
            f"{report.base.duplicate_keys:,}, test {report.test.duplicate_keys:,}")


def detail(feature: FeatureSkew) -> str:
    """What differs: the top (base -> test) pairs, or the spread of test - base."""
    if feature.top_pairs:
        return ", ".join(f"{_value(p.base)} → {_value(p.test)} ({p.count:,})" for p in feature.top_pairs[:3])
    parts = []
    diff = feature.differences
    if diff is not None:
        quantiles = dict(diff.quantiles)
        parts.append(f"test − base: median {number(quantiles[0.5])}, [{number(quantiles[0.0])}, "
                     f"{number(quantiles[1.0])}]")
    if feature.null_in_base or feature.null_in_test:
        parts.append(f"null only in base {feature.null_in_base:,}, only in test {feature.null_in_test:,}")
    return "; ".join(parts)


def _value(value: str | None) -> str:
    return "null" if value is None else repr(value)


def _side_lines(report: SkewReport) -> list[str]:
    lines = []
    for name, side in (("base", report.base), ("test", report.test)):
        lines.append(_side_line(name, side))
    return lines


def _side_line(name: str, side: SideKeys) -> str:
    text = f"{name}: {side.rows:,} rows, {side.unmatched:,} only here"
    if side.unmatched_examples:
        text += f" (e.g. {_keys(side.unmatched_examples)})"
    if side.duplicate_keys:
        text += (f"; {side.duplicate_keys:,} duplicate keys on {side.duplicate_rows:,} rows, not joined (e.g. "
                 f"{_keys(side.duplicate_examples)})")
    if side.null_key_rows:
        text += f"; {side.null_key_rows:,} rows with a null key, not joined"
    return text


def skew_table(report: SkewReport, width: int = 160) -> Group:
    """A table: one row per feature, with the sides' key counts above it."""
    table = Table(box=box.SIMPLE_HEAD, expand=False, width=width)
    for header, justify in (("feature", "left"), ("differing", "right"), ("rate", "right"),
                            ("threshold", "right"), ("result", "left"), ("what differs", "left"),
                            ("example keys", "left")):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for feature in report.features:
        result = Text("SKEW", style="bold red") if feature.skewed else Text("ok", style="green")
        table.add_row(feature.name, f"{feature.differing:,}", percent(feature.mismatch_rate),
                      percent(feature.threshold), result, detail(feature), _keys(feature.examples))
    head = Text(summary(report), style="bold red" if report.exit_code() else "bold green")
    notes = [Text(line) for line in _side_lines(report)]
    for label, columns in (("only in base", report.only_in_base), ("only in test", report.only_in_test)):
        if columns:
            notes.append(Text(f"columns {label} (not compared): {', '.join(columns)}"))
    return Group(head, *notes, table)


def skew_json(report: SkewReport) -> str:
    """The report as JSON (schemas/skew.schema.json)."""
    return to_json(report.to_dict())


def skew_markdown(report: SkewReport) -> str:
    """A Markdown summary and table."""
    lines = [f"**{md_escape(summary(report))}**", ""]
    lines += [f"- {md_escape(line)}" for line in _side_lines(report)]
    lines += ["", "| feature | differing | rate | threshold | result | what differs | example keys |",
              "|---|---:|---:|---:|---|---|---|"]
    for f in report.features:
        lines.append(f"| {md_escape(f.name)} | {f.differing:,} | {percent(f.mismatch_rate)} | "
                     f"{percent(f.threshold)} | {'**SKEW**' if f.skewed else 'ok'} | {md_escape(detail(f))} | "
                     f"{md_escape(_keys(f.examples))} |")
    return "\n".join(lines) + "\n"


def _message(feature: FeatureSkew) -> str:
    text = (f"{feature.differing:,} of {feature.matched:,} matched rows differ in {feature.name} "
            f"({percent(feature.mismatch_rate)}, threshold {percent(feature.threshold)})")
    extra = detail(feature)
    return f"{text}: {extra}" if extra else text


def skew_junit(report: SkewReport) -> str:
    """JUnit XML: one testcase per feature (skewed ones fail) and one per side for duplicate keys."""
    cases = []
    failures = 0
    for feature in report.features:
        message = _message(feature)
        body = f"<system-out>{xml_escape(message)}</system-out>"
        if feature.skewed:
            failures += 1
            body = f'<failure type="skew" message={quoteattr(message)}>{xml_escape(message)}</failure>'
        cases.append(f'    <testcase classname="datacheck.skew" name={quoteattr(feature.name)}>{body}</testcase>')
    for name, side in (("base", report.base), ("test", report.test)):
        body = ""
        if side.duplicate_keys:
            failures += 1
            message = _side_line(name, side)
            body = f'<failure type="duplicate_keys" message={quoteattr(message)}>{xml_escape(message)}</failure>'
        cases.append(f'    <testcase classname="datacheck.skew" name="(keys of {name})">{body}</testcase>')
    total = len(cases)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="datacheck skew" tests="{total}" failures="{failures}" skipped="0">\n'
            f'  <testsuite name="datacheck.skew" tests="{total}" failures="{failures}" errors="0" skipped="0">\n'
            + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n")


def skew_github(report: SkewReport) -> str:
    """GitHub Actions workflow commands: ::error per skewed feature and per side with duplicate keys."""
    lines = [f"::error title={escape_property(f'skew in {f.name}')}::{escape_data(_message(f))}"
             for f in report.features if f.skewed]
    for name, side in (("base", report.base), ("test", report.test)):
        if side.duplicate_keys:
            lines.append(f"::error title={escape_property(f'duplicate keys in {name}')}::"
                         f"{escape_data(_side_line(name, side))}")
    lines.append(f"::notice title={escape_property('datacheck skew')}::{escape_data(summary(report))}")
    return "\n".join(lines) + "\n"


def skew_html(report: SkewReport) -> str:
    """A self-contained HTML page: the summary, the sides and the feature table; every data value escaped."""
    esc = html.escape
    rows = "\n".join(
        f"<tr class=\"{'skew' if f.skewed else 'ok'}\"><td>{esc(f.name)}</td><td>{f.differing:,}</td>"
        f"<td>{esc(percent(f.mismatch_rate))}</td><td>{esc(percent(f.threshold))}</td>"
        f"<td>{'SKEW' if f.skewed else 'ok'}</td><td>{esc(detail(f))}</td><td>{esc(_keys(f.examples))}</td></tr>"
        for f in report.features)
    sides = "".join(f"<li>{esc(line)}</li>" for line in _side_lines(report))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>datacheck skew</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}}
tr.skew td{{background:#fde8e8}}h1{{font-size:1.3rem}}</style></head>
<body><h1>{esc(summary(report))}</h1><ul>{sides}</ul>
<table><thead><tr><th>feature</th><th>differing</th><th>rate</th><th>threshold</th><th>result</th>
<th>what differs</th><th>example keys</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


__all__ = ["skew_table", "skew_json", "skew_markdown", "skew_junit", "skew_github", "skew_html", "summary"]
