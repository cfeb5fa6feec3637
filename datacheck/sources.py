"""DATA -> something we can scan: files, directories, globs, saved statistics files and in-memory frames.

Inputs that are not local paths are dispatched in `_external_files`: stdin and pipes (`stdin_source`), object
stores and web servers (`remote`), databases (`databases`); see docs/sources.md.

This is the edge where data comes in: it decides which files (or other inputs) DATA means and in which format;
`file_reader` reads one of them. The core (`profile`, `infer`, `validate`, `drift`) never opens a file itself.
"""

from __future__ import annotations

import glob as globmod
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from datacheck import databases, json_tables, parquet_layout, remote, stdin_source
from datacheck.errors import InputError, SchemaFileError
from datacheck.file_reader import (
    DataFile,
    ReadLayout,
    ReadOptions,
    first_line,
    scan_file,
    scan_file_with_layout,
)
from datacheck.statistics import STATISTICS_FORMAT, STATISTICS_VERSION, Statistics

#: Extension -> format. Compression suffixes (.gz, .zst) are stripped first.
FORMAT_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".data": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
    ".arrow": "ipc",
    ".feather": "ipc",
    ".ipc": "ipc",
}
FORMATS = ("csv", "tsv", "parquet", "ndjson", "json", "ipc")
COMPRESSIONS = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
@dataclass(frozen=True)
class Dataset:
    """DATA resolved to files, ready to scan. `frames()` yields one LazyFrame per file."""

    files: tuple[DataFile, ...]
    options: ReadOptions = field(default_factory=ReadOptions)

    def frames(self) -> Iterable[tuple[DataFile, pl.LazyFrame]]:
        for data_file in self.files:
            yield data_file, scan_file(data_file, self.options)

    def frames_with_layout(self) -> Iterable[tuple[DataFile, pl.LazyFrame, ReadLayout]]:
        """`frames`, each with what its reading found (blank lines, stripped padding)."""
        for data_file in self.files:
            yield data_file, *scan_file_with_layout(data_file, self.options)

    def known_rows(self) -> int | None:
        """The number of rows when every file records it (Parquet footers), without reading the data; None
        otherwise (a text file's rows are only known once it has been read)."""
        if not self.files or any(f.format != "parquet" for f in self.files):
            return None
        return parquet_layout.total_rows(f.read_path for f in self.files)  # None: the scan will report the file


# --------------------------------------------------------------------------------------------- resolving


def resolve_paths(data: Any, options: ReadOptions | None = None) -> Any:
    """DATA given as a path or a list of paths resolved (`resolve`) to a Dataset or saved Statistics; anything
    else (a Dataset, Statistics, an in-memory table) returned as it is. The one place the Python API tells
    paths from tables."""
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        data = [data]
    if isinstance(data, (list, tuple)) and all(isinstance(p, str) or hasattr(p, "__fspath__") for p in data):
        return resolve([os.fspath(p) for p in data], options)
    return data


def resolve(paths: Iterable[str | os.PathLike[str]], options: ReadOptions | None = None) -> Dataset | Statistics:
    """Resolve DATA arguments to a Dataset, or to Statistics when DATA is one saved statistics file.

    Args:
        paths: files, directories (read recursively; hive-partitioned Parquet included) and glob patterns.
        options: how to read them.

    Returns:
        A Dataset of the matched files in sorted order, or the loaded Statistics.

    Raises:
        InputError: a path does not exist, a glob matches nothing, a directory holds no data files,
            or the format cannot be told from the extension.

    Example:
        >>> resolve(["sample_data/loans_train.csv"]).files[0].format
        'csv'
    """
    options = options or ReadOptions()
    names = [str(p) for p in paths]
    if not names:
        raise InputError("no DATA given", hint="pass a file, a directory or a glob, e.g. data/*.parquet")
    if len(names) == 1 and is_statistics_file(names[0]):
        return load_statistics(names[0])
    if len(names) == 1 and _is_tfdv_statistics(names[0]):
        from datacheck.tfdv_statistics import load_tfdv_statistics

        return load_tfdv_statistics(names[0])
    if len(names) == 1 and names[0].startswith("history:"):
        return history_statistics(names[0])
    files: dict[str, DataFile] = {}  # by path: a file named twice (a glob and its name) is read once
    for raw in names:
        for data_file in _external_files(raw, options) or [_data_file(p, options) for p in _expand(raw, options)]:
            files.setdefault(data_file.path, data_file)
    return Dataset(tuple(files.values()), options)


def _external_files(raw: str, options: ReadOptions) -> list[DataFile] | None:
    """DATA that is not a local file, directory or glob: stdin or a pipe (copied to a local file once), a
    database URI, an object store's or web server's URL (or glob); None for a local path."""
    if stdin_source.is_stream(raw):
        given = options.input_format or (_guess_format(raw) if raw != stdin_source.STDIN else None)
        if given is not None and given not in FORMATS:
            raise InputError(f"unknown input format {given!r}", hint=f"use one of {', '.join(FORMATS)}")
        copy = stdin_source.copy_stream(raw, given)
        return [DataFile(copy.name, copy.format, copy.compression, options.delimiter, copy.location)]
    if databases.is_database(raw):
        text = databases.query(options.sql, options.table, raw)  # refuses a missing or odd query at once
        return [DataFile(databases.display_name(raw, options.sql, options.table), "database", location=raw,
                         query=text)]
    if remote.is_remote(raw):
        storage = dict(options.storage_options)
        return [_remote_file(url, options, storage) for url in remote.list_objects(raw, storage)]
    return None


def _remote_file(url: str, options: ReadOptions, storage: dict[str, str]) -> DataFile:
    """An object store's file: read by polars where it streams the format, else from a local copy."""
    name = url.split("?", 1)[0]
    compression = next((c for s, c in COMPRESSIONS.items() if name.lower().endswith(s)), None)
    fmt = options.input_format or _guess_format(name)
    if fmt is None or fmt not in FORMATS:
        raise InputError("cannot tell the file format from the extension", path=url,
                         hint="pass --input-format csv|tsv|parquet|ndjson|json|ipc")
    if fmt in remote.NATIVE_FORMATS and compression is None and remote.scheme(url) not in ("http", "https"):
        return DataFile(url, fmt, None, options.delimiter)
    return DataFile(url, fmt, compression, options.delimiter, remote.local_copy(url, storage))


def _expand(raw: str, options: ReadOptions) -> list[str]:
    if any(ch in raw for ch in "*?["):
        matches = sorted(p for p in globmod.glob(raw, recursive=True) if os.path.isfile(p))
        if not matches:
            raise InputError(f"the pattern {raw!r} matches no file",
                             hint="check the pattern, and quote it so the shell does not expand it")
        return matches
    if os.path.isdir(raw):
        if not os.access(raw, os.R_OK | os.X_OK):
            raise InputError("cannot read this directory: permission denied", path=raw)
        found = []
        for root, dirs, names in os.walk(raw):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            for name in sorted(names):
                if name.startswith((".", "_")):
                    continue
                if options.input_format or _guess_format(name) is not None:
                    found.append(os.path.join(root, name))
        if not found:
            raise InputError("the directory holds no data files", path=raw,
                             hint=f"supported extensions: {', '.join(sorted(FORMAT_BY_EXTENSION))} "
                                  "(optionally .gz/.zst)")
        formats = {_guess_format(p) for p in found} if not options.input_format else {options.input_format}
        if len(formats) > 1:
            listing = ", ".join(sorted(f or "?" for f in formats))
            raise InputError(f"the directory mixes data formats ({listing})", path=raw,
                             hint="point DATA at one format, e.g. 'DIR/**/*.parquet'")
        return found
    if not os.path.exists(raw):
        raise InputError("no such file or directory", path=raw, hint="check the path")
    return [raw]


def _guess_format(path: str) -> str | None:
    lower = path.lower()
    for suffix in COMPRESSIONS:
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
            break
    return FORMAT_BY_EXTENSION.get(os.path.splitext(lower)[1])


def _data_file(path: str, options: ReadOptions) -> DataFile:
    compression = next((c for s, c in COMPRESSIONS.items() if path.lower().endswith(s)), None)
    fmt = options.input_format or _guess_format(path)
    if fmt is None:
        raise InputError("cannot tell the file format from the extension", path=path,
                         hint="rename the file or pass --input-format csv|tsv|parquet|ndjson|json|ipc")
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if not os.access(path, os.R_OK):
        raise InputError("cannot read this file: permission denied", path=path)
    if os.path.getsize(path) == 0:
        raise InputError("the file is empty (0 bytes)", path=path, hint="check that the export that wrote it finished")
    return DataFile(path, fmt, compression, options.delimiter)


# --------------------------------------------------------------------------------------- statistics files


def is_statistics_file(path: str) -> bool:
    """True when `path` is a JSON file that declares itself datacheck statistics."""
    if not path.lower().endswith(".json") or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'"format"' in head and STATISTICS_FORMAT.encode() in head


def history_statistics(reference: str) -> Statistics:
    """The statistics a "history:PATH[@SELECTION]" argument names (a baseline from `datacheck monitor`'s history):
    see `datacheck.history.baseline_statistics`."""
    from datacheck.history import baseline_statistics

    return baseline_statistics(reference)


def load_statistics(path: str | os.PathLike[str]) -> Statistics:
    """Load a statistics file written by `datacheck stats -o`, checked against schemas/statistics.schema.json.

    Raises:
        SchemaFileError: the file is not JSON, is not datacheck statistics, has an unknown version,
            or breaks the JSON Schema (every error is listed with its JSON path).
    """
    from datacheck.jsonschemas import schema_errors

    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the statistics file: {exc}", path=path) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaFileError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
    if not isinstance(document, dict) or document.get("format") != STATISTICS_FORMAT:
        what = json_tables.foreign_json(document) or f'expected "format": "{STATISTICS_FORMAT}"'
        raise SchemaFileError(f"not a datacheck statistics file ({what})", path=path,
                              hint="create one with 'datacheck stats DATA -o stats.json'")
    version = document.get("version")
    if not isinstance(version, int) or version > STATISTICS_VERSION:
        raise SchemaFileError(f"statistics version {version!r} is newer than this datacheck understands "
                              f"({STATISTICS_VERSION})",
                              path=path, hint="upgrade datacheck: pip install -U datacheck-cli")
    errors = schema_errors(document, "statistics")
    if errors:
        listing = "; ".join(f"{where}: {message}" for where, message in errors[:10])
        raise SchemaFileError(f"breaks schemas/statistics.schema.json: {listing}", path=path)
    return Statistics.from_dict(document)


def _is_tfdv_statistics(path: str) -> bool:
    """A TFDV statistics file (FeatureStats.pb, .pbtxt, a StatisticsGen TFRecord): see datacheck.tfdv_statistics."""
    from datacheck.tfdv_statistics import is_tfdv_statistics_file

    return is_tfdv_statistics_file(path)


# ------------------------------------------------------------------------------------ in-memory frames


def frame_from_object(data: Any) -> pl.LazyFrame:
    """A LazyFrame from a polars DataFrame/LazyFrame, a pandas DataFrame, or a pyarrow Table/RecordBatch."""
    if isinstance(data, pl.LazyFrame):
        return data
    if isinstance(data, pl.DataFrame):
        return data.lazy()
    module = type(data).__module__
    if module.startswith("pandas"):
        return _from_pandas(data).lazy()
    if module.startswith("pyarrow"):
        frame = pl.from_arrow(data)
        return (frame if isinstance(frame, pl.DataFrame) else frame.to_frame()).lazy()
    raise InputError(f"cannot profile an object of type {type(data).__name__}",
                     hint="pass a path, a polars/pandas DataFrame or a pyarrow Table")


def _from_pandas(data: Any) -> pl.DataFrame:
    """A pandas DataFrame as polars; an object column whose values mix types (text and numbers, say) is an
    InputError naming the column and its types, not a TypeError from the conversion.

    Such a column is refused rather than turned into text: whether "1.5" next to "a" is a number that should
    be checked against a range, or a code, is the caller's decision (`df[col].astype(str)`, or
    `pd.to_numeric(df[col], errors="coerce")`).
    """
    try:
        return pl.from_pandas(data)
    except Exception as exc:  # pyarrow and polars raise TypeError, ArrowTypeError, ArrowInvalid, ...
        for name in data.columns:
            column = data[name]
            if getattr(column.dtype, "kind", "") != "O":
                continue
            try:
                pl.from_pandas(column.to_frame())
            except Exception:
                kinds = sorted({type(value).__name__ for value in column.dropna()})
                raise InputError(f"column {str(name)!r} mixes value types ({', '.join(kinds)}) in one object column",
                                 hint=f"convert it first, e.g. df[{str(name)!r}].astype(str) for text, or "
                                      f"pd.to_numeric(df[{str(name)!r}], errors='coerce') for numbers") from None
        raise InputError(f"cannot convert the pandas DataFrame: {first_line(exc)}",
                         hint="convert the columns to plain types first") from None
