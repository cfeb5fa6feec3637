"""`datacheck skew`: row-level feature skew between BASE and TEST joined on key columns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datacheck.cli.common import app, reporting_errors, write_result
from datacheck.cli.options import OutputOpt, format_choices, read_options
from datacheck.errors import UsageError
from datacheck.render.registry import SKEW
from datacheck.schema import Schema
from datacheck.sources import ReadOptions

BaseArg = Annotated[str, typer.Argument(help="Base side (e.g. training data): a file, directory or glob.",
                                        show_default=False)]
TestArg = Annotated[str, typer.Argument(help="Test side (e.g. serving logs): a file, directory or glob.",
                                        show_default=False)]
KeyOpt = Annotated[list[str], typer.Option(
    "--key", "-k", help="Key column that identifies an example on both sides (repeat for a composite key).",
    show_default=False)]
AbsTolOpt = Annotated[float, typer.Option("--abs-tol", help="Numbers agree when |test - base| <= abs-tol + "
                                                            "rel-tol x |base|.")]
RelTolOpt = Annotated[float, typer.Option("--rel-tol", help="Relative tolerance for numbers (see --abs-tol).")]
RateOpt = Annotated[list[str] | None, typer.Option(
    "--max-mismatch-rate", "-t", help="Largest allowed share of differing rows: X for every feature, or "
                                      "COLUMN=X (repeatable). Default 0: any differing row is skew.")]
SchemaOpt = Annotated[Path | None, typer.Option(
    "--schema", "-s", help="Schema file: columns[].skew.max_mismatch_rate per feature.")]
SkewFormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="table, json, markdown, junit, github or html. With -o FILE the default follows the "
                           "extension (.json, .md, .xml, .html).")]


def _rates(values: list[str] | None, schema: Path | None) -> tuple[float, dict[str, float]]:
    """The default rate and the per-feature rates: --max-mismatch-rate COLUMN=X first, then the schema's
    columns[].skew.max_mismatch_rate, then --max-mismatch-rate X, then 0."""
    default = 0.0
    per_feature: dict[str, float] = {}
    if schema is not None:
        per_feature = {c.name: c.skew.max_mismatch_rate for c in Schema.load(schema).columns if c.skew is not None}
    for raw in values or ():
        name, _, text = raw.rpartition("=")
        try:
            rate = float(text)
        except ValueError:
            raise UsageError(f"--max-mismatch-rate {raw!r}: {text!r} is not a number",
                             hint="write --max-mismatch-rate 0.01 or --max-mismatch-rate COLUMN=0.01") from None
        if not 0.0 <= rate <= 1.0:
            raise UsageError(f"--max-mismatch-rate {raw!r}: a rate lies in [0, 1]")
        if name:
            per_feature[name] = rate
        else:
            default = rate
    return default, per_feature


@app.command()
@format_choices(SKEW)
@read_options
def skew(
    base: BaseArg,
    test: TestArg,
    key: KeyOpt,
    abs_tol: AbsTolOpt = 0.0,
    rel_tol: RelTolOpt = 0.0,
    max_mismatch_rate: RateOpt = None,
    schema: SchemaOpt = None,
    fmt: SkewFormatOpt = None,
    output: OutputOpt = None,
    *,
    read: ReadOptions,
) -> None:
    """Join BASE and TEST on --key and report, per feature, the rows whose values differ (feature skew: one
    example computed two ways, e.g. at training and at serving time).

    Per feature: rows matched, rows differing (numbers within --abs-tol/--rel-tol), the mismatch rate, the
    most frequent (base -> test) pairs or the spread of the differences, and example keys. Rows whose key is
    only on one side are counted; keys that repeat on a side are reported and left out of the join. The join
    runs bucket by bucket through temporary Parquet files, so memory stays bounded.

    Thresholds: --max-mismatch-rate COLUMN=X, else the schema's columns[].skew.max_mismatch_rate, else
    --max-mismatch-rate X, else 0 (any differing row is skew).

    Exit codes: 0 no skew, 1 a feature above its threshold or duplicate keys, 2 could not run.

    Examples:

        datacheck skew train.parquet serving.parquet --key request_id

        datacheck skew a.csv b.csv -k user_id -k day --abs-tol 1e-6 --max-mismatch-rate 0.01

        datacheck skew train.csv serving.csv -k id --schema schema.json -o skew.html
    """
    from datacheck.skew import skew_files

    with reporting_errors():
        default, per_feature = _rates(max_mismatch_rate, schema)
        report = skew_files(base, test, key, read=read, abs_tol=abs_tol, rel_tol=rel_tol,
                            max_mismatch_rate=default, thresholds=per_feature)
    write_result(SKEW, report, fmt, output)
    raise typer.Exit(report.exit_code())
