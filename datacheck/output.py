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


def write_atomic(path: Path | str, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename.

    A kill or a full disk leaves either the old file or the new one, never a torn file.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: directory {directory} does not exist", hint="create it first")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except OSError as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise InputError(f"cannot write {path}: {exc.strerror or exc}", path=str(path)) from None
