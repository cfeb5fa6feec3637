"""Schema -> a rich table: one row per column, what its values must look like. Formatting only."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from datacheck.render.common import number, percent
from datacheck.schema import ColumnSchema, Schema


def schema_table(schema: Schema, title: str | None = None, compact: bool = False) -> Table:
    """A rich table of a schema: type, nulls, key, domain or range, lengths, pattern; dataset rules as caption.

    `compact` (the summary `datacheck infer` prints) leaves out the "other" column and lists no domain values.
    """
    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    table.add_column("column", no_wrap=True)
    table.add_column("type")
    table.add_column("nulls ≤ (warn)", no_wrap=True)
    table.add_column("unique")
    table.add_column("values", overflow="fold")
    if not compact:
        table.add_column("other", overflow="fold")
    for col in schema.columns:
        row = [col.name, column_type(col), null_text(col), "key" if col.unique else "", values_text(col, compact)]
        table.add_row(*row if compact else [*row, other_text(col)])
    table.caption = dataset_text(schema)
    table.caption_justify = "left"
    return table


def column_type(col: ColumnSchema) -> str:
    text = col.type
    if col.stored_as:
        text += f" (as {col.stored_as}" + (f" {col.format}" if col.format else "") + ")"
    if not col.required:
        text += ", optional"
    return text


def null_text(col: ColumnSchema) -> str:
    if col.max_null_fraction is None:
        return "any"
    text = "never" if col.max_null_fraction == 0 else percent(col.max_null_fraction)
    if col.warn_max_null_fraction is not None and col.warn_max_null_fraction != col.max_null_fraction:
        text += f" ({percent(col.warn_max_null_fraction)})"
    return text


def _bound(value: Any) -> str:
    if value is None:
        return "…"
    return value if isinstance(value, str) else number(value)


def values_text(col: ColumnSchema, compact: bool = False) -> str:
    if col.domain is not None and compact:
        return f"{len(col.domain.values)} values, ≥ {percent(col.domain.min_mass)} in domain"
    if col.domain is not None:
        shown = ", ".join(col.domain.values[:8]) + (f", … ({len(col.domain.values)} values)"
                                                     if len(col.domain.values) > 8 else "")
        return f"{{{shown}}}, ≥ {percent(col.domain.min_mass)} in domain"
    if col.range is not None:
        r = col.range
        parts = []
        if (r.min, r.max) != (None, None):
            parts.append(f"[{_bound(r.min)}, {_bound(r.max)}]")
        if (r.warn_min, r.warn_max) != (None, None):
            warn = f"warn outside [{_bound(r.warn_min)}, {_bound(r.warn_max)}]"
            if r.min_mass is not None and not compact:
                warn += f", ≥ {percent(r.min_mass)} inside"
            parts.append(warn)
        return "; ".join(parts)
    return ""


def other_text(col: ColumnSchema) -> str:
    parts = []
    if col.length is not None:
        lb = col.length
        if (lb.min, lb.max) != (None, None):
            parts.append("length " + (f"{lb.min}" if lb.min == lb.max else f"{_bound(lb.min)}..{_bound(lb.max)}"))
        if (lb.warn_min, lb.warn_max) != (None, None):
            parts.append(f"warn length {_bound(lb.warn_min)}..{_bound(lb.warn_max)}")
    if col.pattern:
        parts.append(f"pattern {col.pattern}")
    if col.type == "float" and (col.allow_nan or col.allow_inf):
        parts.append("allows " + " and ".join(x for x, ok in (("NaN", col.allow_nan), ("inf", col.allow_inf)) if ok))
    if col.drift is not None:
        parts.append(f"drift {col.drift.method} > {number(col.drift.threshold)}")
    parts.extend(f"{code}: {level}" for code, level in col.severity.items())
    parts.extend(user_rules_text(col))
    return "; ".join(parts)


def user_rules_text(col: ColumnSchema) -> list[str]:
    """A column's own rules (docs/rules.md): freshness, period, reference."""
    parts = []
    if col.freshness is not None:
        if col.freshness.newest_max_age is not None:
            parts.append(f"newest ≤ {col.freshness.newest_max_age} old")
        if col.freshness.oldest_min_age is not None:
            parts.append(f"oldest ≥ {col.freshness.oldest_min_age} old")
    if col.period is not None:
        parts.append(f"every {col.period} filled")
    if col.references is not None:
        parts.append(f"in {', '.join(col.references.data)} [{col.references.column}]")
    return parts


def dataset_rules_text(schema: Schema) -> list[str]:
    """The schema's compound keys, row rules and plug-ins, one line each (docs/rules.md)."""
    lines = [f"unique ({', '.join(key)})" for key in schema.dataset.unique]
    for rule in schema.rules:
        text = f"rule {rule.name}: {rule.expr}"
        if rule.where is not None:
            text += f" where {rule.where}"
        extra = [rule.severity]
        if rule.min_pass < 1:
            extra.append(f"min_pass {percent(rule.min_pass)}")
        if rule.nulls != "pass":
            extra.append("nulls fail")
        lines.append(text + f" ({', '.join(extra)})")
    lines.extend(f"plug-in {plugin.name}" + (f" {dict(plugin.options)}" if plugin.options else "")
                 for plugin in schema.plugins)
    return lines


def dataset_text(schema: Schema) -> str:
    d = schema.dataset
    parts = [f"{len(schema.columns)} columns"]
    if (d.min_rows, d.max_rows) != (None, None):
        parts.append(f"rows {_bound(d.min_rows)}..{_bound(d.max_rows)}")
    if d.max_row_count_change is not None:
        parts.append(f"row count change ≤ {percent(d.max_row_count_change)}")
    for name, env in schema.environments.items():
        mark = " (default)" if name == schema.default_environment else ""
        text = f"environment {name}{mark}"
        if env.expected is not None:
            text += f": expects {', '.join(env.expected)}"
        if env.excluded:
            text += f": without {', '.join(env.excluded)}"
        parts.append(text)
    return "\n".join([" · ".join(parts), *dataset_rules_text(schema)])
