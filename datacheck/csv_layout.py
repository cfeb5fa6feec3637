"""How a CSV's text is laid out, as its users mean it: blank lines, and whitespace after the delimiter.

polars reads a blank line as a row of nulls, and `39, State-gov, 77516` as the texts " State-gov" and
" 77516". A user (and pandas, and Python's csv module) means neither: a blank line is no row, and a field
padded after the delimiter holds the value without its padding. This module finds both in the raw bytes,
and builds the lazy expressions that read such a file as meant, still streaming:

- `blank_lines` finds the empty lines (outside quoted fields) in one pass over the bytes, and the row
  numbers polars gives them, so that the scan can drop exactly those rows (a row `,,` of empty fields
  stays: it is a row of nulls, not a blank line).
- `padded_after_delimiter` tells from the first rows whether fields start with a space after the delimiter.
- `stripped_column` is the expression that strips the leading spaces of one column read as text, applies the
  null texts, and converts it to the type its stripped values have.
"""

from __future__ import annotations

import mmap
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from datacheck.errors import InputError

if TYPE_CHECKING:
    import numpy as np

#: Bytes read at a time by the blank-line pass: the pass holds one chunk (and its newline positions).
CHUNK_BYTES = 16 << 20
#: Threads of the quick blank-line test (at most the cores): it reads memory at about 1.7 GB/s a thread.
PRETEST_THREADS = 4
#: Share of the non-empty fields after a delimiter that must start with a space for the file to be read as
#: padded. Files written as `a, b, c` pad every field (the census layout: 100%); a single text column whose
#: values happen to start with a space is at most 1 / (columns - 1) of those fields.
PADDED_SHARE = 0.9
_NEWLINE, _RETURN, _QUOTE = 10, 13, 34


@dataclass(frozen=True)
class BlankLines:
    """The blank lines of a CSV: how many, and the row numbers polars reads them as (0-based data rows).

    Blank lines before the header are counted but have no row: polars skips those itself.
    """

    count: int = 0
    rows: tuple[int, ...] = ()


def _chunks(source: str | bytes) -> Iterable[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), CHUNK_BYTES):
            yield source[start:start + CHUNK_BYTES]
        return
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def _may_have_blank_lines(source: str | bytes) -> bool:
    """A cheap test (no parsing) that is True for every file with a blank line: a line break at the start, or
    followed by a line break, or by a carriage return and a line break.

    The file is mapped a window at a time, and the positions of each window's line breaks are compared with
    their neighbours'; the windows are shared out among PRETEST_THREADS threads (numpy lets go of the GIL).
    On the 1.8 GB, 10M-row bench CSV: 0.55 s wall with two threads, 1.1 s with one, against 2.5 s for reading
    it in chunks and comparing every byte with the next (bytes.find for "\n\n": 2.7 s, as line breaks are
    frequent).
    """
    if isinstance(source, bytes):
        return any(_window_has_blank_line(offset, window) for offset, window in _windows(source))
    threads = max(1, min(PRETEST_THREADS, os.cpu_count() or 1))
    found = threading.Event()

    def share(first: int) -> None:
        for offset, window in _windows(source, first, threads):
            if found.is_set():
                return
            if _window_has_blank_line(offset, window):
                found.set()
                return

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="datacheck-blank-lines") as pool:
        list(pool.map(share, range(threads)))  # list(): a thread's error is raised here
    return found.is_set()


def _window_has_blank_line(offset: int, window: np.ndarray) -> bool:
    import numpy as np  # here, not at the top: the command line's start-up does not need numpy

    if offset == 0 and window.size and (window[0] == _NEWLINE or (
            window.size > 1 and window[0] == _RETURN and window[1] == _NEWLINE)):
        return True
    breaks = np.flatnonzero(window == _NEWLINE)
    if breaks.size < 2:
        return False
    gaps = np.diff(breaks)
    if (gaps == 1).any():
        return True
    two_apart = breaks[:-1][gaps == 2]
    return bool(two_apart.size and (window[two_apart + 1] == _RETURN).any())


def _windows(source: str | bytes, first: int = 0, step: int = 1) -> Iterator[tuple[int, np.ndarray]]:
    """Windows `first`, `first + step`, ... of the bytes of `source` (itself, or the file it names): numpy
    arrays of about CHUNK_BYTES that overlap the window before by at least two bytes, so that a blank line
    across a seam lies inside one of them; with each window its offset.

    A file is mapped one window at a time: mapping it whole made its pages count towards the process's
    resident memory (1.8 GB for the bench CSV). A window's mapping goes when the window is let go.
    """
    import numpy as np

    if isinstance(source, bytes):
        data = np.frombuffer(source, dtype=np.uint8)
        for start in range(first * CHUNK_BYTES, len(source), step * CHUNK_BYTES):
            yield max(start - 2, 0), data[max(start - 2, 0):start + CHUNK_BYTES]
        return
    with open(source, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        for start in range(first * CHUNK_BYTES, size, step * CHUNK_BYTES):
            begin = max(start - 2, 0) // mmap.ALLOCATIONGRANULARITY * mmap.ALLOCATIONGRANULARITY  # as mmap asks
            mapped = mmap.mmap(handle.fileno(), min(start + CHUNK_BYTES, size) - begin, access=mmap.ACCESS_READ,
                               offset=begin)
            yield begin, np.frombuffer(mapped, dtype=np.uint8)
            del mapped  # the window holds the mapping until the caller lets it go


def blank_lines(source: str | bytes, has_header: bool) -> BlankLines:
    """The empty lines of a CSV (nothing, or only a carriage return, between two line breaks), outside quotes.

    A line break inside a quoted field is part of the field: a quote count that is odd before a line break
    means the break is quoted (RFC 4180: quotes inside fields are doubled, which keeps the count even).
    Most files have no blank line at all, and a substring search proves it at memory speed; only the others
    are parsed, one chunk at a time in numpy.
    """
    if not _may_have_blank_lines(source):
        return BlankLines()
    import numpy as np  # here, not at the top: the command line's start-up does not need numpy

    count, rows = 0, list[int]()
    quotes_before = 0  # quotes seen before the chunk
    previous_break = -1  # position of the last unquoted line break (-1: the file starts a line)
    lines = 0  # lines ended so far, blank lines before the first content included
    first_content: int | None = None  # the line number of the first line that is not blank
    offset = 0
    last_byte = -1
    for chunk in _chunks(source):
        data = np.frombuffer(chunk, dtype=np.uint8)
        breaks = np.flatnonzero(data == _NEWLINE)
        quote_positions = np.flatnonzero(data == _QUOTE)
        unquoted = breaks[(quotes_before + np.searchsorted(quote_positions, breaks)) % 2 == 0]
        quotes_before += quote_positions.size
        if unquoted.size:
            absolute = unquoted + offset
            starts = np.concatenate(([previous_break], absolute[:-1]))
            lengths = absolute - starts - 1
            # The byte before each break: inside this chunk, or the last byte of the one before.
            inside = unquoted - 1
            byte_before = np.where(inside >= 0, data[np.maximum(inside, 0)], last_byte)
            blank = (lengths == 0) | ((lengths == 1) & (byte_before == _RETURN))
            numbers = lines + np.arange(absolute.size)
            if first_content is None and not blank.all():
                first_content = int(numbers[np.argmax(~blank)])
            count += int(blank.sum())
            if first_content is not None:
                header = 1 if has_header else 0
                rows.extend(int(n) - first_content - header for n in numbers[blank] if n > first_content)
            lines += absolute.size
            previous_break = int(absolute[-1])
        if data.size:
            last_byte = int(data[-1])
        offset += data.size
    return BlankLines(count, tuple(rows))


def padded_after_delimiter(rows: Sequence[Sequence[str]]) -> bool:
    """Whether the fields of these rows (parsed, the header included) start with a space after a delimiter:
    at least PADDED_SHARE of the non-empty ones."""
    padded = total = 0
    for row in rows:
        for value in row[1:]:
            if value:
                total += 1
                padded += value[0] == " "
    return total > 0 and padded >= PADDED_SHARE * total


def stripped_name(name: str) -> str:
    return name.lstrip(" ")


def stripped_text(column: str, null_values: Sequence[str]) -> pl.Expr:
    """Column `column` (read as text) without its leading spaces; empty and null texts as null."""
    text = pl.col(column).str.strip_chars_start(" ")
    missing = text.is_in(["", *null_values])
    return pl.when(missing).then(None).otherwise(text).alias(column)


def typed(text: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Stripped text converted to `dtype`, the type polars infers for the stripped values.

    Strict, as polars' own reader is: a value that does not fit the type inferred from the first rows fails
    the read, with the reader's message. Temporal text needs the `str` parsers (polars 2 has no cast from text
    to dates); booleans are the texts polars reads as booleans.
    """
    if dtype == pl.String:
        return text
    if dtype == pl.Boolean:
        lower = text.str.to_lowercase()
        return pl.when(lower == "true").then(True).when(lower == "false").then(False).otherwise(None)
    if dtype == pl.Date:
        return text.str.to_date()
    if isinstance(dtype, pl.Datetime):
        return text.str.to_datetime(time_unit=dtype.time_unit, time_zone=dtype.time_zone)
    if dtype == pl.Time:
        return text.str.to_time()
    return text.cast(dtype)


def numbers_of_whole_file(stripped: pl.LazyFrame, types: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """The number-or-text type of each column that is not temporal or boolean, decided by all its values in
    one streaming pass: Int64 when every value reads as an integer, else Float64 when every value reads as a
    number, else String (a column empty in the first rows, or an integer column that turns float further
    down, is typed by the whole file, as polars' own reader does with a full inference)."""
    names = [n for n, t in types.items() if not t.is_temporal() and t != pl.Boolean]
    if not names:
        return {}
    counts = stripped.select(
        *(pl.col(n).count().alias(f"{i}:n") for i, n in enumerate(names)),
        *(pl.col(n).cast(pl.Int64, strict=False).count().alias(f"{i}:int") for i, n in enumerate(names)),
        *(pl.col(n).cast(pl.Float64, strict=False).count().alias(f"{i}:float") for i, n in enumerate(names)),
    ).collect().row(0, named=True)
    decided: dict[str, pl.DataType] = {}
    for i, name in enumerate(names):
        present = counts[f"{i}:n"]
        if present == 0:
            decided[name] = types[name]
        elif counts[f"{i}:int"] == present:
            decided[name] = pl.Int64()
        elif counts[f"{i}:float"] == present:
            decided[name] = pl.Float64()
        else:
            decided[name] = pl.String()
    return decided


def check_stripped_names(raw: Sequence[str], names: Sequence[str], path: str) -> None:
    """Names that become empty or equal once stripped: an InputError naming the columns."""
    seen: dict[str, int] = {}
    for position, (before, name) in enumerate(zip(raw, names), start=1):
        if name == "" and len(names) > 1:
            raise InputError(f"column {position} has a name of spaces only ({before!r})", path=path,
                             line=1, column=position, hint="name every column, or pass --keep-whitespace")
        if name in seen:
            raise InputError(f"duplicate column name {name!r} once the spaces after the delimiter are stripped "
                             f"(columns {seen[name]} and {position})", path=path, line=1,
                             column=position, hint="rename one of them, or pass --keep-whitespace")
        seen[name] = position


__all__ = ["BlankLines", "blank_lines", "check_stripped_names", "numbers_of_whole_file", "padded_after_delimiter",
           "stripped_name", "stripped_text", "typed", "CHUNK_BYTES", "PADDED_SHARE"]
