"""Reading a frame in batches for the statistics scan.

An in-memory frame is sliced. Parquet is read slice by slice along its row groups (`parquet_slices`), each
slice on a thread of its own while the previous one is queried (`read_ahead`). Other formats stream through
`LazyFrame.collect_batches`, and a database's result straight from its driver (`databases.batches`).
`with_probe` splits the first rows off as a batch of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from datacheck import databases, parquet_layout
from datacheck.sources import DataFile

#: Rows per batch. Large enough that per-batch overhead is small, small enough to bound memory; 500,000
#: was faster than 250,000 or 1,000,000 on the 10M-row bench (the sorts stay in cache).
BATCH_ROWS = 500_000
#: Values (rows x columns) per batch at most: a wide table gets fewer rows per batch, so that a batch of 2,000
#: columns is not 2,000 x 500,000 values (8 GB of floats). Tables of up to 64 columns keep BATCH_ROWS.
BATCH_VALUES = 32_000_000
#: The fewest rows a batch is cut to for width: each batch costs some work per column (~0.3 ms) whatever its rows.
MIN_BATCH_ROWS = 10_000
#: Rows of the first batch of a scan (see `datacheck.profile.fold_batches`).
PROBE_ROWS = 50_000
#: Formats read slice by slice (see `parquet_slices`); the others stream.
RANDOM_ACCESS_FORMATS = ("parquet",)


def rows_per_batch(columns: int, batch_rows: int = BATCH_ROWS) -> int:
    """Rows per batch for a table of `columns` columns: `batch_rows`, fewer when the table is wide.

    Example:
        >>> rows_per_batch(10), rows_per_batch(2_000)
        (500000, 16000)
    """
    return min(batch_rows, max(MIN_BATCH_ROWS, BATCH_VALUES // max(columns, 1)))


def frame_batches(frame: pl.LazyFrame | pl.DataFrame, batch_rows: int,
                  data_file: DataFile | None = None) -> Iterator[pl.DataFrame]:
    """The batches of `frame`, of at most `batch_rows` rows, in order.

    Args:
        frame: the data; a DataFrame is sliced, a LazyFrame streamed.
        batch_rows: rows per batch (see `rows_per_batch`).
        data_file: the file `frame` scans, when it is one: Parquet is then read slice by slice.
    """
    if isinstance(frame, pl.DataFrame):
        return frame.iter_slices(batch_rows)
    if data_file is not None and data_file.format == "database" and data_file.query is not None:
        return databases.batches(data_file.read_path, data_file.query, data_file.path, batch_rows)
    if data_file is not None and data_file.format in RANDOM_ACCESS_FORMATS:
        return read_ahead(parquet_slices(frame, batch_rows, data_file.read_path))
    return iter(frame.collect_batches(chunk_size=batch_rows, maintain_order=True))


def parquet_slices(lazy: pl.LazyFrame, batch_rows: int, path: str) -> Iterator[pl.DataFrame]:
    """Batches of a Parquet file, read slice by slice: polars reads only the row groups a slice covers.

    Reading each slice when it is due keeps only the batches in flight in memory, where the streaming
    engine's read-ahead grows with the input. Slices follow row-group boundaries where the footer tells them.
    Only the quick footer reader is asked, with no pyarrow fallback: the slices are the scan's batches, which
    the quantile summaries depend on, so a file whose footer it does not read keeps its plain slices.
    """
    # `lazy` may be a slice of the file (a partition), whose rows the file's row groups do not describe.
    total = lazy.select(pl.len()).collect().item()
    try:
        group_rows = parquet_layout.row_group_rows(path)
    except (parquet_layout.FooterError, OSError):
        group_rows = []
    if sum(group_rows) != total:
        group_rows = [total]
    for offset, length in parquet_layout.slice_bounds(group_rows, batch_rows):
        yield lazy.slice(offset, length).collect()


def read_ahead(batches: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """The batches, each read on a thread of its own while the previous one is being queried (one batch
    ahead: the streaming engine's unbounded read-ahead is what slices avoid)."""
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="datacheck-read")
    try:
        upcoming = reader.submit(next, batches, None)
        while True:
            batch = upcoming.result()
            if batch is None:
                return
            upcoming = reader.submit(next, batches, None)
            yield batch
    finally:
        reader.shutdown(wait=True, cancel_futures=True)


def with_probe(batches: Iterator[pl.DataFrame], probe_rows: int = PROBE_ROWS) -> Iterator[pl.DataFrame]:
    """The batches, with the first `probe_rows` rows split off as a batch of their own."""
    first = next(batches, None)
    if first is None:
        return
    if first.height > probe_rows:
        yield first.slice(0, probe_rows)
        first = first.slice(probe_rows)
    yield first
    yield from batches
