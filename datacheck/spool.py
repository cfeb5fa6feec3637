"""Copying a byte stream that cannot be re-read (stdin, a named pipe, a download) to a local temporary file.

The CSV reader looks at a file more than once (the first bytes, the blank lines, the types, then the rows)
and polars seeks in Parquet; a pipe allows neither. The stream is copied once, `CHUNK_BYTES` at a time, so
memory stays bounded whatever its size; the disk holds the copy for the run.

The copy must not outlive the process, however it ends (the CLI leaves through `os._exit`, which skips
`atexit`). On Linux the file is unlinked as soon as it is written and read through `/proc/PID/fd/N`: the
kernel frees it when the process exits, and the parallel engines' worker processes (same user) can open it
by that path too. Elsewhere it keeps a name in the temporary directory and is removed at interpreter exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from typing import BinaryIO

#: Bytes copied at a time: memory held by a copy, whatever the stream's size.
CHUNK_BYTES = 1 << 20
#: Bytes kept from the start of the stream, for sniffing its format.
HEAD_BYTES = 1 << 16

_open_copies: list[int] = []  # descriptors of unlinked copies: they keep the copies alive until the process ends


def spool(stream: BinaryIO, prefix: str, on_head: Callable[[bytes], object] | None = None) -> tuple[str, bytes, int]:
    """Copy `stream` to a temporary file; return (a path that reads it, the first HEAD_BYTES, the size).

    `on_head` sees the first bytes before the rest is copied, so that a stream refused for its format (a
    terminal, binary data of no known kind) is refused before gigabytes are copied.
    """
    handle, path = tempfile.mkstemp(prefix=prefix)
    try:
        head = b""
        size = 0
        with os.fdopen(os.dup(handle), "wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                    if on_head is not None and len(head) >= HEAD_BYTES:
                        on_head(head)
                        on_head = None
                out.write(chunk)
                size += len(chunk)
        if on_head is not None:
            on_head(head)
    except BaseException:
        os.close(handle)
        os.remove(path)
        raise
    return _keep(handle, path), head, size


def _keep(handle: int, path: str) -> str:
    if sys.platform.startswith("linux") and os.path.isdir(f"/proc/{os.getpid()}/fd"):
        os.remove(path)
        _open_copies.append(handle)
        return f"/proc/{os.getpid()}/fd/{handle}"
    os.close(handle)
    atexit.register(_remove, path)
    return path


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.remove(path)


__all__ = ["CHUNK_BYTES", "HEAD_BYTES", "spool"]
