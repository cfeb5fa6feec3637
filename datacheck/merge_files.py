"""Saved statistics files merged into the statistics of the union of their data (`datacheck merge`)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from datacheck.errors import SchemaFileError, UsageError
from datacheck.profile import merge
from datacheck.sources import _guess_format, load_statistics
from datacheck.statistics import Statistics


def merge_statistics_files(paths: Sequence[str | os.PathLike[str]]) -> Statistics:
    """Load saved statistics files and merge them into the statistics of the union of their data.

    Raises:
        InputError: a file is missing or unreadable.
        SchemaFileError: a file is not a datacheck statistics file (a data file, other JSON, a newer version).
        UsageError: a column has a different kind in two files (naming both), or no file was given.

    Example:
        >>> merged = merge_statistics_files(["2024-05-01.json", "2024-05-02.json"])  # doctest: +SKIP
    """
    if not paths:
        raise UsageError("nothing to merge", hint="pass two or more statistics files written by 'datacheck stats -o'")
    for path in paths:
        data_format = _guess_format(str(path))
        if data_format not in (None, "json") and os.path.isfile(path):
            raise SchemaFileError(f"this is a {data_format} data file, not a datacheck statistics file", path=str(path),
                                  hint=f"compute its statistics first: datacheck stats {path} -o stats.json")
    loaded = [(str(path), load_statistics(path)) for path in paths]
    seen: dict[str, tuple[str, str, str]] = {}
    for path, stats in loaded:
        for col in stats.columns:
            first = seen.setdefault(col.name, (path, col.dtype, col.kind))
            if first[2] != col.kind:
                raise UsageError(f"column {col.name!r} is {first[1]} ({first[2]}) in {first[0]} "
                                 f"but {col.dtype} ({col.kind}) "
                                 f"in {path}; statistics of different types do not merge",
                                 hint="cast the column to one type in every input and recompute the statistics")
    return merge([stats for _, stats in loaded])


def repeated_sources(statistics: Statistics) -> list[str]:
    """Source paths listed more than once, e.g. after merging two statistics files that both cover them.

    Their rows are then counted twice, which is right only when the path held different data each time
    (a file rewritten every day). In-memory sources ("<memory>") are not reported.
    """
    counts: dict[str, int] = {}
    for source in statistics.sources:
        counts[source.path] = counts.get(source.path, 0) + 1
    return sorted(path for path, n in counts.items() if n > 1 and path != "<memory>")


__all__ = ["merge_statistics_files", "repeated_sources"]
