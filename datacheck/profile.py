"""The statistics engine: one streaming scan, per-batch exact aggregates plus mergeable sketches.

This module composes the engine's parts into its public entry points (`profile`, `profile_frame`,
`profile_dataset`, `merge`). How a scan works, and where each step lives:
1. `profile_batches` reads the input in batches: Parquet slice by slice along its row groups, one slice
   ahead; other formats through `LazyFrame.collect_batches`. Per column only bounded state is kept (the
   sketches), not the input.
2. `profile_queries` runs one set of polars queries per batch: counts of nulls, NaN, infinities, true
   values and string lengths; value counts of the columns that keep a frequency table (and of numeric
   columns with few values); HLL register updates for the rest; and, on a thread of their own, sorts of the
   other numeric and temporal columns' finite values.
3. `profile_scan` folds the results into one `profile_accumulator.ColumnAccumulator` per column: exact
   moments, extremes and sign counts from the sorted values or counts; a quantile summary (quantiles,
   histogram) for numeric and temporal columns; a frequency table (exact up to FREQUENCY_CAPACITY values,
   then Misra-Gries) and, once that overflows, a HyperLogLog sketch for the distinct count. While one batch
   is folded in, the next one is queried (`fold_batches`, here).
4. The accumulators finish as Statistics. `profile_merge` rebuilds them from saved Statistics: statistics
   of two parts of a dataset merge into the statistics of the whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Protocol

import polars as pl

from datacheck.errors import InputError, UsageError
from datacheck.file_reader import read_error
from datacheck.profile_batches import BATCH_ROWS, PROBE_ROWS, frame_batches, rows_per_batch, with_probe
from datacheck.profile_merge import merge
from datacheck.profile_queries import BatchPlan, BatchResults
from datacheck.profile_scan import Scan
from datacheck.sources import DataFile, Dataset, ReadOptions, frame_from_object, resolve_paths
from datacheck.statistics import SourceInfo, Statistics, column_kind
from datacheck.timings import ReadClock, log_scan

__all__ = ["BatchObserver", "ProgressCallback", "column_kind", "fold_batches", "merge", "profile", "profile_dataset",
           "profile_frame", "profile_sources"]


class BatchObserver(Protocol):
    """Something that wants to see every batch of the scan (validate's row-level checks use this)."""

    def observe(self, batch: pl.DataFrame, row_offset: int) -> None: ...


ProgressCallback = Callable[[int], None]


# ------------------------------------------------------------------------------------------- public API


def profile_frame(frame: pl.LazyFrame | pl.DataFrame, *, source: SourceInfo | None = None,
                  observers: Sequence[BatchObserver] = (), progress: ProgressCallback | None = None,
                  batch_rows: int = BATCH_ROWS, data_file: DataFile | None = None) -> Statistics:
    """Statistics of one frame in one streaming scan.

    Args:
        frame: the data. A LazyFrame is streamed in batches of `batch_rows` (fewer for wide tables, see
            `rows_per_batch`).
        source: how to describe the input in `Statistics.sources` (its row count is filled in).
        observers: extra per-batch work done in the same scan (validate's row-level checks).
        progress: called with the number of rows of each batch as it is processed.
        batch_rows: rows per batch.
        data_file: the file being read, so that a reader's failure names it.

    Returns:
        The Statistics of the frame.
    """
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    reads, started = ReadClock(), time.perf_counter()
    try:
        scan = Scan(lazy.collect_schema())
        batches = reads.timed(frame_batches(frame, rows_per_batch(len(scan.schema), batch_rows), data_file))
        fold_batches(scan, batches, observers, progress)
    except (InputError, UsageError):
        raise
    except pl.exceptions.PolarsError as exc:
        if data_file is None:
            raise InputError(f"cannot compute statistics: {str(exc).splitlines()[0]}") from None
        raise read_error(exc, data_file) from None
    except OSError as exc:
        if data_file is None:
            raise
        raise read_error(exc, data_file) from None
    info = replace(source, rows=scan.rows) if source is not None else SourceInfo("<memory>", "frame", scan.rows)
    log_scan(info.path, reads, started, scan.rows)
    return scan.finish([info])


def fold_batches(scan: Scan, batches: Iterator[pl.DataFrame], observers: Sequence[BatchObserver] = (),
                 progress: ProgressCallback | None = None) -> None:
    """Fold every batch into `scan`, and show each batch to the observers.

    The first PROBE_ROWS rows are folded on their own, first: until then no column is known to have too
    many distinct values for a frequency table, so that batch counts the values of every column, which is
    costly on large batches of ids. After it, batches go two at a time: while this thread folds batch k
    into the accumulators (Python, holding the GIL), a worker thread takes batch k+1 (for Parquet already
    read by `profile_batches.read_ahead`) and runs its queries (which release the GIL). Batch k+1's queries are
    planned from the state after batch k-1, never from a state that depends on timing, so the result is the
    same on every run; `Scan.absorb` accepts such a one-batch-old plan.
    """
    batches = with_probe(batches, PROBE_ROWS)
    offset = 0
    def read_and_query(plan: BatchPlan) -> tuple[int, pl.DataFrame | None, BatchResults, BatchPlan] | None:
        for batch in batches:
            if batch.height:
                # Without observers the batch is let go once queried: on a wide table it is the bulk of memory.
                return batch.height, batch if observers else None, scan.run_queries(batch, plan), plan
        return None

    def fold(height: int, batch: pl.DataFrame | None, results: BatchResults, plan: BatchPlan) -> None:
        nonlocal offset
        scan.absorb(height, results, plan)
        if batch is not None:
            for observer in observers:
                observer.observe(batch, offset)
        offset += height
        if progress is not None:
            progress(height)

    probe = read_and_query(scan.plan())
    if probe is None:
        return
    fold(*probe)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-scan")
    try:
        plan = scan.plan()
        current = worker.submit(read_and_query, plan)
        while True:
            following = worker.submit(read_and_query, plan)
            done = current.result()
            if done is None:
                following.result()
                return
            fold(*done)
            current, plan = following, scan.plan()
    finally:
        worker.shutdown(wait=True, cancel_futures=True)


def profile_dataset(dataset: Dataset, *, observers: Sequence[BatchObserver] = (),
                    progress: ProgressCallback | None = None) -> Statistics:
    """Statistics of every file of a Dataset: each file is profiled, then the results are merged."""
    parts = []
    for data_file, lazy, layout in dataset.frames_with_layout():
        source = SourceInfo(data_file.path, data_file.format, 0, layout.blank_lines, layout.stripped_whitespace)
        parts.append(profile_frame(lazy, source=source, observers=observers, progress=progress, data_file=data_file))
    statistics = merge(parts)
    if statistics.num_rows == 0 and not dataset.options.allow_empty:
        names = ", ".join(f.path for f in dataset.files)
        raise InputError("the input has no rows (a header at most)", path=names,
                         hint="check that the export that wrote it finished")
    return statistics


def profile(data: Any, options: ReadOptions | None = None, *, progress: ProgressCallback | None = None) -> Statistics:
    """Statistics of DATA: a path (file, directory, glob), a list of paths, a saved statistics file, an
    already resolved `Dataset`, or an in-memory polars/pandas/pyarrow table.

    Example:
        >>> import polars as pl, datacheck
        >>> stats = datacheck.profile(pl.DataFrame({"x": [1, 2, None]}))
        >>> stats.column("x").null_count
        1
    """
    if isinstance(data, Statistics):
        return data
    if isinstance(data, Dataset):
        return profile_dataset(data, progress=progress)
    target = resolve_paths(data, options)
    if target is not data:
        return profile(target, progress=progress)
    return profile_frame(frame_from_object(data), progress=progress)


profile_sources = profile
