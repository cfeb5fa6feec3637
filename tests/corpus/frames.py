"""pandas -> polars conversion of the corpus datasets, with the few normalisations a real table needs.

A dataset shipped inside a package is usually a pandas DataFrame. `to_polars` turns it into the polars frame
the harness works on, and says in its notes what it changed:

- a meaningful index (anything but the default 0..n-1 range) becomes a column, because many time series keep
  their dates there (statsmodels' co2, elec_equip, ...);
- pandas categoricals become text (their codes carry no order the harness uses, and a corruption that
  upper-cases a column must be able to write new values);
- an object column whose values are not all of one type (text and numbers, as sometimes happens with a
  sentinel value) becomes text with nulls kept: datacheck crashes on such a column today (issue 14), and the
  corpus measures inference, not that crash, which has its own test;
- an object column of dicts, lists or other objects becomes their text;
- names become unique text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl


def _unique_names(names: list[Any]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for raw in names:
        name = str(raw)
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        seen.setdefault(name, 0)
        out.append(name)
    return out


def _as_text(series: Any) -> Any:
    """An object Series as text, nulls kept (pandas' astype(str) would write "nan" and "None")."""
    import pandas as pd

    return series.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).astype(
        pd.StringDtype())


def _normalise_object(series: Any) -> tuple[Any, str | None]:
    values = series.dropna()
    types = {type(v) for v in values}
    # One Python type throughout (text, dates, times, decimals, ...): polars converts it as it is.
    if len(types) <= 1 and not types & {dict, list, tuple, set}:
        return series, None
    if types <= {bool, np.bool_} or all(issubclass(t, (float, np.floating)) for t in types):
        return series, None
    if all(issubclass(t, (int, np.integer)) and not issubclass(t, (bool, np.bool_)) for t in types):
        return series, None
    names = ", ".join(sorted(t.__name__ for t in types))
    return _as_text(series), f"{series.name}: object column of {names} converted to text"


def to_polars(frame: Any) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """A pandas (or polars) DataFrame as a polars DataFrame, and notes on what was converted."""
    import pandas as pd

    if isinstance(frame, pl.DataFrame):
        return frame, ()
    notes: list[str] = []
    df = frame.copy()
    index = df.index
    default_index = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    if not default_index:
        df = df.reset_index()
        notes.append("index kept as a column")
    df.columns = _unique_names(list(df.columns))
    for name in df.columns:
        column = df[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            df[name] = _as_text(column.astype(object))
        elif isinstance(column.dtype, pd.PeriodDtype):
            df[name] = column.dt.to_timestamp()
        elif column.dtype == object:
            df[name], note = _normalise_object(column)
            if note:
                notes.append(note)
    try:
        out = pl.from_pandas(df)
    except Exception as exc:  # noqa: BLE001  (any column polars cannot take is read as text instead)
        notes.append(f"polars could not convert the frame ({type(exc).__name__}); object columns read as text")
        for name in df.columns:
            if df[name].dtype == object:
                df[name] = _as_text(df[name])
        out = pl.from_pandas(df)
    # Text columns come back as String; nested or object columns polars kept as Object are not data.
    objects = [n for n, t in out.schema.items() if t == pl.Object]
    if objects:
        out = out.with_columns(pl.col(objects).map_elements(str, return_dtype=pl.String))
        notes.append(f"object columns {objects} converted to text")
    return out, tuple(notes)
