"""`datacheck infer DATA... -o schema.json`: infer a schema for a person to review and commit."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer

from datacheck.cli.common import app, err_console, reporting_errors, write_result
from datacheck.cli.options import DataArg, OutputOpt, read_options
from datacheck.errors import UsageError
from datacheck.infer import MAX_DOMAIN_FRACTION, MAX_DOMAIN_SIZE, MIN_TOLERANCE, infer_schema
from datacheck.render.registry import SCHEMA
from datacheck.render.schema import schema_table
from datacheck.schema import Environment, Schema
from datacheck.sources import ReadOptions

MaxDomainOpt = Annotated[int, typer.Option(
    "--max-domain-size", min=1, help="A string column with more distinct values is free text, not categorical.")]
DomainFractionOpt = Annotated[float, typer.Option(
    "--max-domain-fraction", min=0.0, max=1.0,
    help="Nor is one whose distinct values exceed this share of its values.")]
ToleranceOpt = Annotated[float, typer.Option(
    "--min-tolerance", min=0.0, max=0.5,
    help="The least share of values that may be unseen, out of range or newly null before that is an error.")]
NoUniqueOpt = Annotated[bool, typer.Option(
    "--no-unique", help="Do not mark columns with all-distinct values as unique keys.")]
DriftOpt = Annotated[float | None, typer.Option(
    "--drift-threshold", min=0.0,
    help="Add a drift check with this threshold to every numeric, categorical and boolean column.")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(
    "--exclude-in", metavar="ENV=COLUMN",
    help="Column COLUMN is not expected in environment ENV (repeatable), e.g. --exclude-in serving=tips.")]


RulesOpt = Annotated[bool, typer.Option(
    "--rules", help="Also propose rules from the rows (orderings between columns, compound keys, periods), each "
                    "with its evidence on stderr; reads the data a second time (docs/rules.md).")]


@app.command()
@read_options
def infer(
    data: DataArg,
    output: OutputOpt = None,
    max_domain_size: MaxDomainOpt = MAX_DOMAIN_SIZE,
    max_domain_fraction: DomainFractionOpt = MAX_DOMAIN_FRACTION,
    min_tolerance: ToleranceOpt = MIN_TOLERANCE,
    no_unique: NoUniqueOpt = False,
    drift_threshold: DriftOpt = None,
    exclude_in: ExcludeOpt = None,
    rules: RulesOpt = False,
    *,
    read: ReadOptions,
) -> None:
    """Infer a schema from DATA (files, directories, globs, or a saved statistics file).

    The schema goes to -o FILE (written atomically) or to stdout; a summary of what was inferred goes to
    stderr. Review it, edit it, commit it, then run `datacheck validate` against it. The rules are in
    docs/inference.md.

    Examples:

        datacheck infer sample_data/loans_train.csv -o schema.json

        datacheck infer stats.json --max-domain-size 200 -o schema.json

        datacheck infer train.csv --exclude-in serving=tips -o schema.json
    """
    with reporting_errors():
        from datacheck.profile import profile_sources

        environments = parse_excludes(exclude_in or [])
        statistics = profile_sources(list(data), read)
        schema = infer_schema(statistics, max_domain_size=max_domain_size, max_domain_fraction=max_domain_fraction,
                              min_tolerance=min_tolerance, infer_unique=not no_unique,
                              drift_threshold=drift_threshold, environments=environments)
        check_excludes(schema, environments)
        proposals = None
        if rules:
            from datacheck.infer_rules import propose_rules_for_data

            proposals = propose_rules_for_data(list(data), schema, read)
            schema = proposals.schema
    write_result(SCHEMA, schema, "json", output)
    err_console.print(schema_table(schema, title=summary_line(schema, output), compact=True))
    if proposals is not None:
        err_console.print(f"proposed rules: {len(proposals.proposals)}", highlight=False)
        for proposal in proposals.proposals:
            evidence = ", ".join(f"{k}={v}" for k, v in proposal.evidence.items())
            err_console.print(f"  {proposal.kind} {proposal.text}: {evidence}", highlight=False, soft_wrap=True)


def parse_excludes(items: list[str]) -> dict[str, Environment]:
    """--exclude-in serving=tips --exclude-in serving=id -> {"serving": Environment(excluded=("tips", "id"))}."""
    excluded: dict[str, list[str]] = {}
    for item in items:
        env, sep, column = item.partition("=")
        if not sep or not env or not column:
            raise UsageError(f"--exclude-in {item!r} is not ENV=COLUMN", hint="for example --exclude-in serving=tips")
        excluded.setdefault(env, []).append(column)
    return {env: Environment(excluded=tuple(cols)) for env, cols in excluded.items()}


def check_excludes(schema: Schema, environments: dict[str, Environment]) -> None:
    for env_name, env in environments.items():
        for column in env.excluded:
            if schema.column(column) is None:
                raise UsageError(f"--exclude-in {env_name}={column}: the data has no column {column!r}",
                                 hint=f"columns: {', '.join(schema.column_names)}")


def summary_line(schema: Schema, output: object) -> str:
    kinds = Counter(c.type for c in schema.columns)
    text = ", ".join(f"{n} {t}" for t, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    keys = [c.name for c in schema.columns if c.unique]
    where = f"wrote {output}" if output is not None else "schema on stdout"
    return (f"Inferred {len(schema.columns)} columns ({text})" + (f"; keys: {', '.join(keys)}" if keys else "")
            + f" — {where}")
