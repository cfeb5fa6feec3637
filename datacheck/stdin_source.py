"""Stdin (`-`) and named pipes as DATA: copied once to a local file, the format sniffed when not given.

A pipe can be read once and not seeked, and the readers need both (see `datacheck.spool`), so the stream
is copied to a temporary file in bounded memory; the file is gone when the process ends. A stream is copied
once per process: a command that resolves DATA twice (the progress bar asks for the rows first) reads the
same copy.

The format is `--input-format` when given, else the extension of a pipe's name, else what the first bytes
say: Parquet and Arrow by their magic numbers, gzip and zstd by theirs (the format then from the
decompressed start), JSON by its first character (a first line that is a whole object, followed by another
object line, is NDJSON), and CSV otherwise (TSV when the first line has tabs and no commas).
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from datacheck.errors import InputError
from datacheck.spool import spool

STDIN = "-"
#: How stdin is named in sources, errors and notes.
STDIN_NAME = "<stdin>"
_MAGIC = ((b"PAR1", "parquet"), (b"ARROW1", "ipc"))
_COMPRESSION_MAGIC = ((b"\x1f\x8b", "gzip"), (b"\x28\xb5\x2f\xfd", "zstd"))


@dataclass(frozen=True)
class StreamCopy:
    """A stream copied to a local file: its name for people, the path that reads the copy, what it holds."""

    name: str
    location: str
    format: str
    compression: str | None


_copies: dict[object, tuple[object, StreamCopy]] = {}  # by stream (kept alive, so that its id stays its own)


def is_stream(raw: str) -> bool:
    """True for `-` and for paths that are pipes or character devices (/dev/stdin on a pipe, a FIFO)."""
    if raw == STDIN:
        return True
    try:
        mode = os.stat(raw).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def copy_stream(raw: str, input_format: str | None) -> StreamCopy:
    """Copy stdin or the pipe `raw` to a local file (once per process) and tell its format.

    Args:
        raw: `-` or the path of a pipe.
        input_format: the format given (--input-format, or the pipe's extension), or None to sniff it.

    Raises:
        InputError: stdin is a terminal, the stream is empty, or its format cannot be told.
    """
    name = STDIN_NAME if raw == STDIN else raw
    if raw == STDIN:
        stream: BinaryIO = sys.stdin.buffer
        if stream.isatty():
            raise InputError("stdin is a terminal, not data", path=name,
                             hint="pipe the data in: cat data.csv | datacheck stats - (or pass a file)")
        key: object = ("stdin", id(stream))
        return _cached(key, stream, lambda: _copy(stream, name, input_format))
    try:
        info = os.stat(raw)
        key = ("pipe", info.st_dev, info.st_ino)
        if key in _copies:
            return _copies[key][1]
        with open(raw, "rb") as handle:
            return _cached(key, None, lambda: _copy(handle, name, input_format))
    except PermissionError:
        raise InputError("cannot read this pipe: permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read this pipe: {exc.strerror}", path=name) from None


def _cached(key: object, keep: object, make: Callable[[], StreamCopy]) -> StreamCopy:
    if key in _copies:
        return _copies[key][1]
    copy = make()
    _copies[key] = (keep, copy)
    return copy


def _copy(stream: BinaryIO, name: str, input_format: str | None) -> StreamCopy:
    def sniffed(head: bytes) -> str:
        return input_format or sniff_format(_decompressed_head(head, _compression(head)), name)

    # The format is told from the first bytes before the rest is copied: `datacheck stats /dev/zero` stops at
    # 64 KiB of NUL bytes instead of filling the disk.
    location, head, size = spool(stream, "datacheck-stdin-", on_head=lambda head: None if not head else sniffed(head))
    if size == 0:
        raise InputError("the input is empty (0 bytes)", path=name,
                         hint="check the command that writes to the pipe")
    return StreamCopy(name, location, sniffed(head), _compression(head))


def _compression(head: bytes) -> str | None:
    return next((kind for magic, kind in _COMPRESSION_MAGIC if head.startswith(magic)), None)


def _decompressed_head(head: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1 << 16)
        except zlib.error:
            return b""
    if compression == "zstd":
        try:
            import zstandard
        except ImportError:
            return b""
        try:
            return zstandard.ZstdDecompressor().decompressobj().decompress(head)[: 1 << 16]
        except zstandard.ZstdError:
            return b""
    return head


def sniff_format(head: bytes, name: str) -> str:
    """The format the first bytes of a stream show (see the module docstring).

    Raises:
        InputError: binary data of no known format.

    Example:
        >>> sniff_format(b'{"a": 1}\\n{"a": 2}\\n', "<stdin>"), sniff_format(b"a\\tb\\n1\\t2\\n", "<stdin>")
        ('ndjson', 'tsv')
    """
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return fmt
    if b"\x00" in head or not head:
        raise InputError("cannot tell the format of the data from its first bytes", path=name,
                         hint="pass --input-format csv|tsv|parquet|ndjson|json|ipc")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        return "json"
    lines = [line for line in text.splitlines() if line.strip()]
    if text.startswith("{"):
        try:
            whole_line = isinstance(json.loads(lines[0]), dict)
        except json.JSONDecodeError:
            whole_line = False
        return "ndjson" if whole_line and len(lines) > 1 and lines[1].lstrip().startswith("{") else "json"
    first = lines[0] if lines else ""
    return "tsv" if "\t" in first and "," not in first else "csv"


__all__ = ["STDIN", "STDIN_NAME", "StreamCopy", "copy_stream", "is_stream", "sniff_format"]
