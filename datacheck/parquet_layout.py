"""Row counts of Parquet files, read straight from their footers: the one place datacheck reads them.

`row_group_rows` reads the footer itself; `read_row_group_rows` falls back to pyarrow for the footers it does
not take and says None when no reader can; `total_rows` adds them up over files. The scan reads Parquet in
slices (`profile_batches.parquet_slices`); a slice that starts or ends inside a row group makes polars decode
that row group twice, which cost ~15% more read time on the bench file. Cutting slices at row-group
boundaries needs the row counts of the row groups. pyarrow can tell, but importing pyarrow.parquet takes
longer (~0.1 s) than reading the few fields needed here.

The footer is `<FileMetaData> <length: 4 bytes LE> "PAR1"`, with FileMetaData in Thrift's compact
protocol (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md). Field 4 of
FileMetaData is the list of RowGroup structs, and field 3 of RowGroup is num_rows (i64). Everything else
is skipped by type.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable

_MAGIC = b"PAR1"

# Thrift compact protocol type codes.
_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT, _UUID = range(1, 14)

#: Parsing runs at about 2 MB/s in Python; a larger footer (thousands of row groups) is not worth it.
MAX_FOOTER_BYTES = 256 * 1024

_FILE_METADATA_ROW_GROUPS = 4
_ROW_GROUP_NUM_ROWS = 3


class FooterError(ValueError):
    """The footer is not one this reader understands (the caller falls back to plain slices)."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise FooterError("footer ends early")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise FooterError("varint too long")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def skip_bytes(self, count: int) -> None:
        if count < 0 or self.pos + count > len(self.data):
            raise FooterError("footer ends early")
        self.pos += count

    def fields(self):
        """Yield (field id, type) of a struct's fields; the caller reads or skips each value."""
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return
            kind, delta = header & 0x0F, header >> 4
            last = last + delta if delta else self.zigzag()
            yield last, kind

    def skip(self, kind: int) -> None:
        if kind in (_BOOL_TRUE, _BOOL_FALSE):
            return  # a struct field's boolean lives in its type code
        if kind == _BYTE:
            self.skip_bytes(1)
        elif kind in (_I16, _I32, _I64):
            self.varint()
        elif kind == _DOUBLE:
            self.skip_bytes(8)
        elif kind == _UUID:
            self.skip_bytes(16)
        elif kind == _BINARY:
            self.skip_bytes(self.varint())
        elif kind in (_LIST, _SET):
            size, element = self.list_header()
            for _ in range(size):
                self.skip_element(element)
        elif kind == _MAP:
            size = self.varint()
            if size:
                types = self.byte()
                for _ in range(size):
                    self.skip_element(types >> 4)
                    self.skip_element(types & 0x0F)
        elif kind == _STRUCT:
            for _, field_kind in self.fields():
                self.skip(field_kind)
        else:
            raise FooterError(f"unknown Thrift type {kind}")

    def skip_element(self, kind: int) -> None:
        # Booleans inside containers take one byte each.
        if kind in (_BOOL_TRUE, _BOOL_FALSE):
            self.skip_bytes(1)
        else:
            self.skip(kind)

    def list_header(self) -> tuple[int, int]:
        header = self.byte()
        size = header >> 4
        if size == 15:
            size = self.varint()
        return size, header & 0x0F


def _footer(path: str | os.PathLike[str]) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        if size < 12:
            raise FooterError("too small to be Parquet")
        handle.seek(size - 8)
        tail = handle.read(8)
        if tail[4:] != _MAGIC:
            raise FooterError("no Parquet footer (encrypted or not Parquet)")
        length = struct.unpack("<I", tail[:4])[0]
        if length > size - 12:
            raise FooterError("footer length larger than the file")
        if length > MAX_FOOTER_BYTES:
            raise FooterError("footer too large to parse quickly")
        handle.seek(size - 8 - length)
        return handle.read(length)


def row_group_rows(path: str | os.PathLike[str]) -> list[int]:
    """The number of rows of each row group, in file order.

    Raises:
        FooterError: the footer cannot be read (not Parquet, encrypted, truncated).
        OSError: the file cannot be opened.
    """
    reader = _Reader(_footer(path))
    rows: list[int] = []
    for field_id, kind in reader.fields():
        if field_id != _FILE_METADATA_ROW_GROUPS or kind != _LIST:
            reader.skip(kind)
            continue
        count, element = reader.list_header()
        if element != _STRUCT:
            raise FooterError("row groups are not structs")
        for _ in range(count):
            num_rows = None
            for group_field, group_kind in reader.fields():
                if group_field == _ROW_GROUP_NUM_ROWS and group_kind == _I64:
                    num_rows = reader.zigzag()
                else:
                    reader.skip(group_kind)
            if num_rows is None or num_rows < 0:
                raise FooterError("a row group has no row count")
            rows.append(num_rows)
    return rows


def read_row_group_rows(path: str | os.PathLike[str]) -> list[int] | None:
    """The number of rows of each row group, in file order; None when the footer cannot be read.

    `row_group_rows` first; pyarrow for a footer that reader does not take (one too large to parse quickly,
    or a structure it does not know). A file that cannot be opened, or that neither reader takes (not Parquet,
    encrypted, truncated), gives None: reading the data then reports the problem by name.
    """
    try:
        return row_group_rows(path)
    except OSError:
        return None
    except FooterError:
        pass
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
    except Exception:  # pyarrow raises ArrowInvalid/OSError for a corrupt or truncated footer
        return None
    return [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]


def total_rows(paths: Iterable[str | os.PathLike[str]]) -> int | None:
    """The number of rows of all these Parquet files, from their footers; None when one cannot be read."""
    total = 0
    for path in paths:
        groups = read_row_group_rows(path)
        if groups is None:
            return None
        total += sum(groups)
    return total


def slice_bounds(group_rows: list[int], batch_rows: int) -> list[tuple[int, int]]:
    """(offset, length) slices of about `batch_rows` rows that start and end on row-group boundaries,
    except that a row group larger than `batch_rows` is cut into equal parts."""
    bounds: list[tuple[int, int]] = []
    start = end = 0
    for rows in group_rows:
        if rows > batch_rows:
            if end > start:
                bounds.append((start, end - start))
            parts = -(-rows // batch_rows)
            for index in range(parts):
                lo, hi = end + rows * index // parts, end + rows * (index + 1) // parts
                bounds.append((lo, hi - lo))
            start = end = end + rows
            continue
        if end + rows - start > batch_rows and end > start:
            bounds.append((start, end - start))
            start = end
        end += rows
    if end > start:
        bounds.append((start, end - start))
    return bounds
