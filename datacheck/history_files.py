"""Statistics files in and out of a history: `datacheck history export` and `import`.

An exported file is an ordinary statistics file (as `datacheck stats -o` writes), named TIME~ID.json with the
batch's UTC time in the name ("2024-06-01T00-00-00Z~12.json": no colons, which some file systems refuse), so
that `import` can give it its time back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from datacheck.errors import UsageError
from datacheck.history import Batch, History, parse_time, utc_text
from datacheck.output import to_json, write_atomic

_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:~\d+)?\.json$")


def export_name(batch: Batch) -> str:
    """The file name of a batch's statistics: "2024-06-01T00-00-00Z~12.json"."""
    return f"{batch.at.replace(':', '-')}~{batch.id}.json"


def export_statistics(store: History, directory: str | os.PathLike[str]) -> list[Path]:
    """Write every batch's statistics into `directory` (created if missing); returns the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for batch in store.batches():
        target = folder / export_name(batch)
        write_atomic(target, to_json(store.statistics(batch.id).to_dict()))
        written.append(target)
    return written


def time_of(path: str | os.PathLike[str]) -> str | None:
    """The batch time an exported file's name carries, or None."""
    match = _NAME.match(Path(path).name)
    if match is None:
        return None
    day, clock = match.group(1)[:10], match.group(1)[11:19].replace("-", ":")
    return utc_text(parse_time(f"{day}T{clock}Z"))


def import_statistics(store: History, files: Sequence[str | os.PathLike[str]], *, at: str | None = None,
                      replace_same: bool = True) -> list[Batch]:
    """Add statistics files as batches, not judged; the time comes from `at` or from each file's name.

    Raises:
        UsageError: a file's name carries no time and `at` is not given.
        SchemaFileError, InputError: a file is not a statistics file.
    """
    from datacheck.monitor import add_batch
    from datacheck.sources import load_statistics

    timed = []
    for path in files:
        when = utc_text(parse_time(at)) if at is not None else time_of(path)
        if when is None:
            raise UsageError(f"{os.fspath(path)}: the name carries no batch time (TIME~ID.json, as export writes)",
                             hint="pass --at TIME, or rename the file")
        timed.append((when, path))
    added = []
    for when, path in sorted(timed, key=lambda item: item[0]):  # oldest first: each is measured against the one before
        added.append(add_batch(store, load_statistics(path), at=when, replace_same=replace_same))
    return added


__all__ = ["export_name", "export_statistics", "import_statistics", "time_of"]
