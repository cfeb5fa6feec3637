"""`datacheck drift`: distribution drift (or training/serving skew) between BASELINE and CURRENT."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from datacheck.cli.common import (EXIT_CANNOT_RUN, DelimiterOpt, EncodingOpt, Format, InputFormatOpt, NoHeaderOpt,
                                  NullValuesOpt, OutputOpt, app, emit, err_console, out_console, read_options,
                                  reporting_errors)
from datacheck.cli.stats_cmd import progress_bar
from datacheck.errors import UsageError

DriftFormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json, markdown, junit, github or html. With -o FILE the default follows the extension (.json, .md, .xml, .html).")]
MethodOpt = Annotated[Optional[list[str]], typer.Option(
    "--method", "-m", help="Drift method: linf, jsd, normalized_abs_diff, psi, ks, wasserstein, chi2. "
                           "METHOD for every column, or numeric=METHOD / categorical=METHOD / COLUMN=METHOD (repeatable).")]
ThresholdOpt = Annotated[Optional[list[str]], typer.Option(
    "--threshold", "-t", help="Threshold: X, or numeric=X / categorical=X / COLUMN=X (repeatable). Tests (ks, chi2) drift "
                              "when p < X; distances when the value > X.")]
SchemaOpt = Annotated[Optional[Path], typer.Option("--schema", "-s", help="Schema file: per-column drift settings, severities, environments.")]
EnvOpt = Annotated[Optional[str], typer.Option("--env", help="Schema environment of CURRENT (e.g. serving): columns it does not expect may be absent.")]


def _keyed(values: list[str] | None, what: str, number: bool) -> dict[str, object] | None:
    """Parse repeated "VALUE" / "KEY=VALUE" options into drift()'s mapping ("*" for a bare value)."""
    if not values:
        return None
    out: dict[str, object] = {}
    for raw in values:
        key, _, value = raw.rpartition("=")
        key = key or "*"
        if number:
            try:
                out[key] = float(value)
            except ValueError:
                raise UsageError(f"--{what} {raw!r}: {value!r} is not a number",
                                 hint=f"write --{what} 0.1 or --{what} COLUMN=0.1") from None
        else:
            out[key] = value
    return out


@app.command()
def drift(
    baseline: Annotated[str, typer.Argument(help="Baseline: data (file, directory, glob) or a saved statistics file.", show_default=False)],
    current: Annotated[str, typer.Argument(help="Current snapshot: data or a saved statistics file.", show_default=False)],
    schema: SchemaOpt = None,
    method: MethodOpt = None,
    threshold: ThresholdOpt = None,
    env: EnvOpt = None,
    fmt: DriftFormatOpt = None,  # type: ignore[assignment]
    output: OutputOpt = None,
    input_format: InputFormatOpt = None,
    delimiter: DelimiterOpt = None,
    encoding: EncodingOpt = "utf8",
    null_value: NullValuesOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """Compare CURRENT with BASELINE column by column and report distribution drift.

    Each side may be data or a statistics file saved by `datacheck stats -o`, so last month's statistics
    can stand in for last month's data. Every column is reported with its method, measured value and
    threshold, also when under it. Defaults: KS / chi-squared p-value < 0.01 for small samples, Wasserstein
    (in baseline std) > 0.1 / L-infinity > 0.05 for large ones (see docs/drift.md).

    Exit codes: 0 no drift, 1 drift found, 2 could not run.

    Examples:

        datacheck drift train.csv today.csv

        datacheck drift last_month_stats.json 'data/2024-07-*.parquet' --format markdown

        datacheck drift train.csv serving.csv --schema schema.json --env serving --format github

        datacheck drift a.csv b.csv --method numeric=psi --method categorical=chi2 --threshold numeric=0.25

        datacheck drift train.csv eval.csv -o drift.html
    """
    from datacheck.drift import drift as run_drift
    from datacheck.profile import profile

    if fmt is None:
        by_suffix = {".json": Format.json, ".md": Format.markdown, ".xml": Format.junit, ".html": Format.html}
        fmt = by_suffix.get(output.suffix.lower(), Format.table) if output is not None else Format.table
    with reporting_errors():
        methods, thresholds = _keyed(method, "method", False), _keyed(threshold, "threshold", True)
        spec = None
        if schema is not None:
            from datacheck.schema import Schema

            spec = Schema.load(schema)
        options = read_options(input_format, delimiter, encoding, null_value, no_header)
        with progress_bar("Profiling baseline") as progress:
            base = profile(baseline, options, progress=progress)
        with progress_bar("Profiling current") as progress:
            cur = profile(current, options, progress=progress)
        report = run_drift(base, cur, schema=spec, method=methods, threshold=thresholds, env=env)  # type: ignore[arg-type]
    _render(report, fmt, output, base, cur)
    raise typer.Exit(report.exit_code)


def _render(report: object, fmt: Format, output: Path | None, base: object = None, cur: object = None) -> None:
    from datacheck.render import drift as render
    from datacheck.render.common import render_to_text

    if fmt == Format.json:
        emit(render.drift_json(report), output)  # type: ignore[arg-type]
    elif fmt == Format.markdown:
        emit(render.drift_markdown(report), output)  # type: ignore[arg-type]
    elif fmt == Format.junit:
        emit(render.drift_junit(report), output)  # type: ignore[arg-type]
    elif fmt == Format.github:
        emit(render.drift_github(report), output)  # type: ignore[arg-type]
    elif fmt == Format.html:
        from datacheck.render.html import drift_html

        emit(drift_html(report, base, cur), output)  # type: ignore[arg-type]
    elif output is None:
        out_console.print(render.drift_table(report, out_console.width))  # type: ignore[arg-type]
    else:
        emit(render_to_text(render.drift_table(report), width=160), output)  # type: ignore[arg-type]


__all__ = ["drift", "EXIT_CANNOT_RUN", "err_console"]
