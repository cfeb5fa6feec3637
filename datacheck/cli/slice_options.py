"""The options of slicing (`--slice`, `--max-slices`, `--min-slice-rows`) shared by stats, validate and drift,
and `--label` of stats."""

from __future__ import annotations

from typing import Annotated

import typer

from datacheck.statistics import MAX_SLICES

SliceOpt = Annotated[list[str] | None, typer.Option(
    "--slice", metavar="COLUMN", help="Also compute (and judge) every value of COLUMN as a slice of its own "
                                      "(repeatable; 'a,b' crosses two columns). See docs/slices.md.")]
MaxSlicesOpt = Annotated[int, typer.Option(
    "--max-slices", min=1, help="Slices kept apart per --slice: the largest by rows; the rest are pooled as "
                                "one 'other' slice.")]
MinSliceRowsOpt = Annotated[int | None, typer.Option(
    "--min-slice-rows", min=1, help="Slices with fewer rows are listed but not judged (default 100; see "
                                    "docs/slices.md).")]
LabelOpt = Annotated[str | None, typer.Option(
    "--label", metavar="COLUMN", help="Also give every feature against this label: the label's rate per top "
                                      "value or quantile bucket, and its lift (docs/slices.md).")]
DEFAULT_MAX_SLICES = MAX_SLICES

__all__ = ["DEFAULT_MAX_SLICES", "LabelOpt", "MaxSlicesOpt", "MinSliceRowsOpt", "SliceOpt"]
