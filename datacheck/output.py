"""Writing results: atomically, so that a failed or interrupted write never leaves a half-finished file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from datacheck.errors import InputError


def to_json(data: Any) -> str:
    """Deterministic JSON: sorted nowhere (our dicts have a fixed key order), two-space indent, no NaN/Infinity."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_atomic(path: Path | str, text: str | bytes) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename.

    A kill, a full disk or Ctrl-C leaves either the old file or the new one, never a torn file, and no
    temporary file behind (except after SIGKILL, which leaves a hidden `.NAME.*.tmp` but the old file intact).

    Raises:
        InputError: the directory does not exist, or the write or rename failed (the old file is untouched).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: directory {directory} does not exist", hint="create it first")
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a directory", hint="give a file name, e.g. -o out.json")
    data = text.encode("utf-8") if isinstance(text, str) else text  # bytes: a binary format (TFDV .pb)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from None
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:  # also KeyboardInterrupt: never leave the temporary file behind
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from None
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
