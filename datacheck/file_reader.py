"""One data file -> a polars LazyFrame: the readers per format (CSV with its layout and text checks, JSON,
Parquet, IPC, NDJSON, databases, copies of remote files), and a reader's failure turned into an `InputError`
that names the file and, where one can be found, the line.

`sources` decides which files DATA means; this module reads one of them.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import polars as pl

from datacheck import csv_layout, databases, decimal_comma, json_tables, remote
from datacheck.errors import InputError

#: Rows polars looks at to guess the column types (and dates) of a CSV. Files up to CSV_FULL_INFERENCE_BYTES
#: are also read whole for numeric types: a column empty in its first rows would otherwise be typed as text.
#: Date detection stays on the first rows: polars' date guessing over a whole file costs ~15x a read.
CSV_INFER_ROWS = 10_000
CSV_FULL_INFERENCE_BYTES = 32 * 1024 * 1024
#: The encodings polars reads CSV in itself; the others are decoded to UTF-8 in memory first.
CsvEncoding = Literal["utf8", "utf8-lossy"]
#: The longest first line taken as a CSV header. 10,000 columns with long names fit; a file without line
#: breaks does not.
MAX_HEADER_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read DATA.

    Fields:
        input_format: force a format (csv, tsv, parquet, ndjson, json, ipc) instead of guessing by extension.
        delimiter: CSV field separator; default ',' (tab for .tsv).
        encoding: text encoding of CSV/JSON: utf8 (default), utf8-lossy, or any Python codec name
            (latin1, cp1252, utf16, ...), which is decoded in memory.
        null_values: CSV cell texts that mean missing, besides the empty cell.
        has_header: the first CSV row names the columns.
        allow_empty: accept inputs with a header but no rows (validate reports them as `empty_dataset`).
        keep_whitespace: keep the spaces that start CSV fields after the delimiter (`39, State-gov`). By
            default a file whose fields are padded so is read without them, names and values, so that
            numbers are numbers (see `datacheck.csv_layout`).
        decimal_comma: read CSV numbers written with a decimal comma (`1,5`); the delimiter is then usually ';'.
        storage_options: settings of object stores (credentials, endpoint, region) as (key, value) pairs, with
            polars' key names; they add to the environment's (see `datacheck.remote`).
        sql, table: for a database URI as DATA, the query to run or the table to read (see `datacheck.databases`).
        on_note: called with a one-line note when a file is read differently from its raw text (the padding
            stripped); the CLI prints it on stderr. A module-level function, so that options still pickle
            for the process engine.
    """

    input_format: str | None = None
    delimiter: str | None = None
    encoding: str = "utf8"
    null_values: tuple[str, ...] = ()
    has_header: bool = True
    allow_empty: bool = False
    keep_whitespace: bool = False
    decimal_comma: bool = False
    storage_options: tuple[tuple[str, str], ...] = ()
    sql: str | None = None
    table: str | None = None
    on_note: Callable[[str], None] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DataFile:
    """One file of DATA with its format and compression (and, for CSV, the delimiter given, so that a read
    error can find its line by parsing the file the same way)."""

    path: str
    format: str
    compression: str | None = None
    delimiter: str | None = None
    #: Where the bytes are read from when `path` only names them (stdin's local copy); None: at `path`.
    location: str | None = None
    #: For a database (format "database"): the query whose result is the data; `location` is the URI.
    query: str | None = None

    @property
    def read_path(self) -> str:
        """The path that reads the file's bytes."""
        return self.location if self.location is not None else self.path


@dataclass(frozen=True)
class ReadLayout:
    """What reading a file found in its text besides the rows: blank lines skipped (CSV), and whether the
    padding after the delimiter was stripped. Recorded in the statistics' sources."""

    blank_lines: int = 0
    stripped_whitespace: bool = False



def scan_file(data_file: DataFile, options: ReadOptions) -> pl.LazyFrame:
    """A LazyFrame over one file. Formats that polars scans lazily are streamed; the rest are read in memory."""
    return scan_file_with_layout(data_file, options)[0]


def scan_file_with_layout(data_file: DataFile, options: ReadOptions) -> tuple[pl.LazyFrame, ReadLayout]:
    """`scan_file`, with what the reading found in the file's text (blank lines, stripped padding)."""
    if data_file.format == "database":  # `location` is the connection URI, `path` its name without a password
        return databases.scan(data_file.read_path, data_file.query or "", data_file.path), ReadLayout()
    if data_file.location is not None:
        return _scan_copy(data_file, options)
    path, fmt = data_file.path, data_file.format
    try:
        if remote.is_remote(path):  # a format polars streams from the store (see `_remote_file`)
            store = remote.polars_options(dict(options.storage_options))
            if fmt in ("parquet", "ipc"):
                return (pl.scan_parquet if fmt == "parquet" else pl.scan_ipc)(path, **store), ReadLayout()
            return pl.scan_ndjson(path, infer_schema_length=CSV_INFER_ROWS, **store), ReadLayout()
        if fmt == "parquet":
            return pl.scan_parquet(path), ReadLayout()
        if fmt == "ipc":
            return pl.scan_ipc(path), ReadLayout()
        if fmt == "ndjson":
            if data_file.compression or options.encoding not in ("utf8", "utf-8"):
                return pl.read_ndjson(io.BytesIO(_decoded_bytes(data_file, options))).lazy(), ReadLayout()
            return pl.scan_ndjson(path, infer_schema_length=CSV_INFER_ROWS), ReadLayout()
        if fmt == "json":
            return _read_json(data_file, options).lazy(), ReadLayout()
        return _scan_csv(data_file, options)
    except InputError:
        raise
    except Exception as exc:  # polars raises many exception types for unreadable files
        raise read_error(exc, data_file) from None


def _scan_copy(data_file: DataFile, options: ReadOptions) -> tuple[pl.LazyFrame, ReadLayout]:
    """A file read from a local copy (`location`), named by its `path` in errors and notes."""
    assert data_file.location is not None
    location, name = data_file.location, data_file.path
    on_note = options.on_note
    renamed = replace(options, on_note=(lambda text: on_note(text.replace(location, name))) if on_note else None)
    try:
        return scan_file_with_layout(replace(data_file, path=location, location=None), renamed)
    except InputError as exc:
        raise _renamed(exc, location, name) from None


def _renamed(exc: InputError, location: str, name: str) -> InputError:
    if exc.path != location:
        return exc
    return InputError(exc.reason.replace(location, name), path=name, line=exc.line, column=exc.column, hint=exc.hint)


def _csv_kwargs(data_file: DataFile, options: ReadOptions) -> dict[str, Any]:
    separator = options.delimiter or ("\t" if data_file.format == "tsv" else ",")
    if separator == "\\t":
        separator = "\t"
    if len(separator) != 1:
        raise InputError(f"the delimiter must be one character, got {separator!r}", hint="e.g. --delimiter ';'")
    return {
        "separator": separator,
        "has_header": options.has_header,
        "null_values": list(options.null_values) or None,
        "decimal_comma": options.decimal_comma,
    }


def _scan_csv(data_file: DataFile, options: ReadOptions) -> tuple[pl.LazyFrame, ReadLayout]:
    kwargs = _csv_kwargs(data_file, options)
    native = options.encoding.lower().replace("-", "") in ("utf8", "utf8lossy")
    source: str | bytes
    encoding: CsvEncoding
    if data_file.compression or not native:
        source = _decoded_bytes(data_file, options)
        head, size, encoding = source[: 1 << 16], len(source), "utf8"
    else:
        with open(data_file.path, "rb") as handle:
            head = handle.read(1 << 16)
        source, size = data_file.path, os.path.getsize(data_file.path)
        encoding = "utf8-lossy" if options.encoding.lower().replace("-", "") == "utf8lossy" else "utf8"
    _check_text(head, data_file, options)
    if b"\n" not in head and size > len(head):
        head = _first_line_head(source, data_file)
    _check_header(head, data_file, kwargs)
    rows = _check_rows(head, data_file, kwargs, complete=size <= len(head), sniff=options.delimiter is None)
    strip = not options.keep_whitespace and csv_layout.padded_after_delimiter(rows)
    # The blank-line pass reads every byte (0.55 s for the 1.8 GB bench CSV) and the types are inferred from
    # the first rows (0.45 s there, guessing dates): both release the GIL, so they run side by side.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-blank-lines") as pool:
        finding_blank_lines = pool.submit(csv_layout.blank_lines, source, kwargs["has_header"])
        schema = None if strip else _csv_schema(source, size, encoding, kwargs)
        blank = finding_blank_lines.result()
    # Blank lines are dropped by the row numbers polars gives them: a row of empty fields is kept.
    index = _ROW_INDEX if blank.rows else None
    if schema is None:
        frame = _scan_padded_csv(source, size, encoding, kwargs, data_file, index)
    else:
        # With the schema given, polars neither infers again nor guesses dates per value while scanning.
        frame = pl.scan_csv(source, schema=schema, encoding=encoding, row_index_name=index, **kwargs)
    if blank.rows:
        blank_rows = pl.Series(blank.rows, dtype=pl.UInt32).implode()
        frame = frame.filter(~pl.col(_ROW_INDEX).is_in(blank_rows)).drop(_ROW_INDEX)
    if strip and options.on_note is not None:
        options.on_note(f"{data_file.path}: fields start with a space after the delimiter; read without it "
                        "(names and values). Pass --keep-whitespace to keep it.")
    if not options.decimal_comma and options.on_note is not None:
        note = decimal_comma.note(rows, kwargs["has_header"], frame.collect_schema(), data_file.path)
        if note is not None:
            options.on_note(note)
    return frame, ReadLayout(blank.count, strip)


_ROW_INDEX = "\0row"


def _scan_padded_csv(source: str | bytes, size: int, encoding: CsvEncoding, kwargs: dict[str, Any],
                     data_file: DataFile, index: str | None) -> pl.LazyFrame:
    """A CSV whose fields are padded after the delimiter, read as text, stripped, then typed, still lazily.

    The types are the ones polars infers for the stripped text of the first CSV_INFER_ROWS rows; up to
    CSV_FULL_INFERENCE_BYTES the whole file then decides numbers and text, as in `_csv_schema`.
    """
    nulls = list(kwargs["null_values"] or ())
    text_kwargs = {**kwargs, "null_values": None}  # null texts are matched once stripped
    raw_names = list(pl.scan_csv(source, encoding=encoding, infer_schema=False, **text_kwargs).collect_schema())
    names = [csv_layout.stripped_name(n) if kwargs["has_header"] else n for n in raw_names]
    csv_layout.check_stripped_names(raw_names, names, data_file.path)
    # polars checks the header against the schema's names: the raw names are read, the stripped ones written.
    text = pl.scan_csv(source, schema=pl.Schema(dict.fromkeys(raw_names, pl.String())), encoding=encoding,
                       row_index_name=index, **text_kwargs)
    stripped = [csv_layout.stripped_text(raw, nulls).alias(name) for raw, name in zip(raw_names, names)]
    head = text.head(CSV_INFER_ROWS).select(stripped).collect().write_csv().encode("utf-8")
    types = dict(_csv_schema(head, len(head), "utf8", {"separator": ",", "has_header": True, "null_values": None}))
    if size <= CSV_FULL_INFERENCE_BYTES:
        types.update(csv_layout.numbers_of_whole_file(text.select(stripped), types))
    keep = [pl.col(_ROW_INDEX)] if index else []
    return text.select(*keep, *(csv_layout.typed(csv_layout.stripped_text(raw, nulls), types[name]).alias(name)
                                for raw, name in zip(raw_names, names)))


def _csv_schema(source: str | bytes, size: int, encoding: CsvEncoding, kwargs: dict[str, Any]) -> pl.Schema:
    """Column types: dates and times from the first rows; numbers from the whole file when it is small."""
    sampled = pl.scan_csv(source, encoding=encoding, try_parse_dates=True, infer_schema_length=CSV_INFER_ROWS,
                          **kwargs).collect_schema()
    if size > CSV_FULL_INFERENCE_BYTES:
        return sampled
    whole = pl.scan_csv(source, encoding=encoding, infer_schema_length=None, **kwargs).collect_schema()
    # The whole file decides numbers and text (a column empty in its first rows, an int that turns float or
    # text further down); the first rows decide dates.
    return pl.Schema({name: dtype if dtype.is_temporal() and whole[name] == pl.String else whole[name]
                      for name, dtype in sampled.items()})


def _decoded_bytes(data_file: DataFile, options: ReadOptions) -> bytes:
    """The file's bytes, decompressed and re-encoded as UTF-8 (for compressed or non-UTF-8 input)."""
    path = data_file.path
    try:
        if data_file.compression == "gzip":
            with gzip.open(path, "rb") as handle:
                raw = handle.read()
        elif data_file.compression == "zstd":
            import zstandard

            with open(path, "rb") as handle:
                raw = zstandard.ZstdDecompressor().stream_reader(handle).read()
        else:
            raw = Path(path).read_bytes()
    except ImportError:
        raw = _zstd_via_pyarrow(path)
    except (EOFError, OSError, gzip.BadGzipFile) as exc:
        raise InputError(f"cannot decompress the file ({exc}); it is truncated or not {data_file.compression}",
                         path=path,
                         hint="check that the upload or export that wrote it finished") from None
    encoding = options.encoding.lower().replace("-", "")
    if encoding in ("utf8", "utf8lossy"):
        return raw
    try:
        codecs.lookup(options.encoding)
    except LookupError:
        raise InputError(f"unknown encoding {options.encoding!r}",
                         hint="use a Python codec name such as latin1, cp1252, utf16") from None
    try:
        return raw.decode(options.encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"cannot decode the file as {options.encoding}", path=path, line=line,
                         hint="pass the file's real encoding with --encoding") from None


def _zstd_via_pyarrow(path: str) -> bytes:
    import pyarrow as pa

    try:
        with pa.input_stream(path, compression="zstd") as stream:
            return stream.read()
    except Exception as exc:  # pyarrow raises OSError/ArrowInvalid for a truncated frame
        raise InputError(f"cannot decompress the file ({exc}); it is truncated or not zstd", path=path) from None


def _check_text(head: bytes, data_file: DataFile, options: ReadOptions) -> None:
    """Catch the encodings polars would misread, before it reads them."""
    encoding = options.encoding.lower().replace("-", "")
    if encoding in ("utf8", "utf8lossy"):
        utf16 = len(head) > 3 and head[1:2] == b"\x00" and head[3:4] == b"\x00"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16:
            raise InputError("the file is UTF-16 text", path=data_file.path, hint="pass --encoding utf16")
        if encoding == "utf8":
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(head) - 4:  # not just a character cut by the end of the sample
                    line = head[: exc.start].count(b"\n") + 1
                    raise InputError("the file is not valid UTF-8", path=data_file.path, line=line,
                                     hint="pass its encoding, e.g. --encoding latin1 "
                                          "(or utf8-lossy to replace bad bytes)") from None
    nul = head.find(b"\x00")
    if nul >= 0:
        line = head[:nul].count(b"\n") + 1
        raise InputError("the file contains NUL bytes; it is binary, not text", path=data_file.path, line=line,
                         hint="check the file; if it is Parquet/Arrow, give it the right extension or --input-format")


def _first_line_head(source: str | bytes, data_file: DataFile) -> bytes:
    """The start of a file whose first 64 KiB hold no line break: up to MAX_HEADER_BYTES, or refuse it.

    A header of 10,000 columns can pass 64 KiB; a first line of many megabytes is not a header but a file
    that lost its line breaks (or is not CSV), and reading it would give one absurd column.
    """
    if isinstance(source, bytes):
        head = source[:MAX_HEADER_BYTES + 1]
    else:
        with open(source, "rb") as handle:
            head = handle.read(MAX_HEADER_BYTES + 1)
    if b"\n" not in head and len(head) > MAX_HEADER_BYTES:
        raise InputError(f"the first line is longer than {MAX_HEADER_BYTES // (1 << 20)} MiB, with no line break; "
                         "this is not a CSV header", path=data_file.path, line=1,
                         hint="check that the file is CSV with line breaks (or pass --input-format)")
    return head


def _sample_rows(head: bytes, separator: str, complete: bool) -> list[list[str]]:
    """The rows of the sample, parsed as CSV; a last line cut by the end of the sample is left out."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not complete:
        cut = text.rfind("\n")
        text = text[: cut + 1] if cut >= 0 else text
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True):
            rows.append(row)
    except csv.Error:
        pass  # an unclosed quote: polars reports it, and read_error finds its line
    return rows


def _check_rows(head: bytes, data_file: DataFile, kwargs: dict[str, Any], complete: bool,
                sniff: bool) -> list[list[str]]:
    """A wrong delimiter (unless --delimiter was given), or a ragged row in the first 64 KiB.

    polars pads a row with too few fields with nulls, silently; a row with too many fails later, with its line.
    Short rows past the sample are read as padded with nulls (checking every row would cost a second parse).
    """
    separator = kwargs["separator"]
    rows = _sample_rows(head, separator, complete)
    width = len(rows[0]) if rows else 0
    if width == 1 and sniff:
        for other in (",", ";", "\t", "|"):
            if other == separator:
                continue
            widths = {len(r) for r in _sample_rows(head, other, complete)[:200] if r}
            if len(widths) == 1 and widths.pop() > 1 and other in rows[0][0]:
                shown = "\\t" if other == "\t" else other
                raise InputError(f"every line splits on '{shown}', not on the delimiter {separator!r}: the file "
                                 "would read as one column", path=data_file.path, line=1,
                                 hint=f"pass --delimiter '{shown}'")
    if not width:
        return rows
    line = 1
    for row in rows:
        # csv.reader counts physical lines; a quoted field may span several.
        if row and len(row) != width and not (len(row) == 1 and row[0] == ""):
            raise InputError(f"malformed CSV: a row has a different number of fields than the header ({len(row)}, not "
                             f"{width})", path=data_file.path, line=line,
                             hint="fix the row, or check --delimiter (quote fields that contain the delimiter)")
        line += sum(field.count("\n") for field in row) + 1
    return rows


def _check_header(head: bytes, data_file: DataFile, kwargs: dict[str, Any]) -> None:
    """Duplicate or empty column names: polars would rename them silently; we say so instead."""
    if not kwargs["has_header"]:
        return
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first_line = next(csv.reader(io.StringIO(text), delimiter=kwargs["separator"]), None)
    if not first_line or not "".join(first_line).strip():
        raise InputError("the file has no header line", path=data_file.path, line=1)
    seen: dict[str, int] = {}
    for position, name in enumerate(first_line, start=1):
        if name.strip() == "" and len(first_line) > 1:
            raise InputError(f"column {position} has an empty name", path=data_file.path, line=1, column=position,
                             hint="name every column in the header, or pass --no-header")
        if name in seen:
            raise InputError(f"duplicate column name {name!r} (columns {seen[name]} and {position})",
                             path=data_file.path, line=1, column=position, hint="rename one of them in the header")
        seen[name] = position


def _read_json(data_file: DataFile, options: ReadOptions) -> pl.DataFrame:
    data = _decoded_bytes(data_file, options)
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=data_file.path, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise InputError("the JSON nests objects or arrays too deeply to read (over ~1,000 levels)",
                         path=data_file.path,
                         hint="flatten the nested fields, or write the data as NDJSON") from None
    document = json_tables.json_table(document, data_file.path)
    try:
        return pl.DataFrame(document, infer_schema_length=None)
    except Exception as exc:
        raise InputError(f"cannot turn the JSON into a table: {first_line(exc)}", path=data_file.path,
                         hint="each field must hold one type across rows") from None


# ------------------------------------------------------------------------------------------ read errors


_OFFSET = re.compile(r"offset in the file is (\d+) bytes")


def read_error(exc: BaseException, data_file: DataFile) -> InputError:
    """Translate a reader's exception (raised while scanning `data_file`) into an InputError with a line number."""
    if data_file.format == "database":
        return InputError(f"cannot read the query's result: {first_line(exc)}", path=data_file.path)
    if data_file.location is not None:
        local = replace(data_file, path=data_file.location, location=None)
        return _renamed(read_error(exc, local), data_file.location, data_file.path)
    message = str(exc)
    path = data_file.path
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return InputError("no such file", path=path)
    if isinstance(exc, PermissionError):
        return InputError("cannot read this file: permission denied", path=path)
    if data_file.format in ("csv", "tsv"):
        line = _csv_problem_line(data_file)
        if "more fields than" in message or "fewer fields" in message or (line and line[1] == "fields"):
            where = line[0] if line else None
            return InputError("malformed CSV: a row has a different number of fields than the header", path=path,
                              line=where,
                              hint="fix the row, or check --delimiter (quote fields that contain the delimiter)")
        if line and line[1] == "quote":
            return InputError("malformed CSV: a quoted field is never closed", path=path, line=line[0],
                              hint="close the quote, or escape quotes inside fields by doubling them")
        if "invalid utf-8" in message.lower() or "utf8" in message.lower():
            return InputError("the file is not valid UTF-8", path=path,
                              hint="pass its encoding, e.g. --encoding latin1 (or utf8-lossy)")
        match = _OFFSET.search(message)
        if "could not parse" in message:
            line_no = _line_at_offset(path, int(match.group(1))) if match and not data_file.compression else None
            return InputError(f"malformed CSV: {first_line(exc)}", path=path, line=line_no,
                              hint="a column changes type part-way through; add the odd value with --null-value, "
                                   "or fix the data")
    if data_file.format == "parquet" or "parquet" in message.lower():
        return InputError(f"not a readable Parquet file ({first_line(exc)}); it may be truncated or corrupt",
                          path=path,
                          hint="rewrite the file, or check that the upload finished")
    if data_file.format == "ipc":
        return InputError(f"not a readable Arrow IPC file ({first_line(exc)})", path=path)
    if data_file.format == "ndjson":
        if "DepthLimit" in message:
            return InputError(f"a line nests objects or arrays too deeply to read ({first_line(exc)})", path=path,
                              hint="flatten the nested fields")
        return InputError(f"not valid NDJSON ({first_line(exc)})", path=path, hint="each line must be one JSON object")
    return InputError(f"cannot read the file: {first_line(exc)}", path=path)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _line_at_offset(path: str, offset: int) -> int | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(offset).count(b"\n") + 1
    except OSError:
        return None


def _csv_problem_line(data_file: DataFile) -> tuple[int, str] | None:
    """Find the first line of a CSV whose field count differs from the header's, or an unclosed quote.

    Runs only after polars failed, so its cost does not matter.
    """
    if data_file.compression:
        return None
    separator = data_file.delimiter or ("\t" if data_file.format == "tsv" else ",")
    separator = "\t" if separator == "\\t" else separator
    if len(separator) != 1:
        return None
    start = 1  # the line where the current record starts: an unclosed quote is reported where it opened
    try:
        with open(data_file.path, newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle, delimiter=separator, strict=True)
            expected = None
            for row in reader:
                if expected is None:
                    expected = len(row)
                elif row and len(row) != expected:
                    return start, "fields"
                start = reader.line_num + 1
    except csv.Error:
        return start, "quote"
    except OSError:
        return None
    return None


