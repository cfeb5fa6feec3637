"""Hash-partitioning two datasets on their key columns into temporary Parquet buckets, for a join in bounded memory.

Both sides are streamed once (polars' streaming sink) into `buckets` Parquet partitions by a hash of the key
columns, so that rows with the same key land in the same bucket on both sides. A join then holds one bucket of
each side at a time: about 1/buckets of the data.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polars as pl

#: The seed of the key hash: fixed, so that the buckets (and the order examples are found in) never change.
HASH_SEED = 0x5EED
#: Input bytes per bucket. A bucket of the 10M-row bench file's Parquet (about 1.1 GB in memory as a frame)
#: then holds ~60 MB of compressed input, ~250 MB in memory for both sides together.
BYTES_PER_BUCKET = 64 << 20
MAX_BUCKETS = 512
BUCKET_COLUMN = "__datacheck_bucket"


@dataclass(frozen=True)
class Buckets:
    """The partitioned sides: `frame(side, i)` is bucket i of side "base" or "test" (possibly empty)."""

    directory: Path
    count: int
    schemas: dict[str, pl.Schema]

    def frame(self, side: str, index: int) -> pl.DataFrame:
        folder = self.directory / side / f"{BUCKET_COLUMN}={index}"
        files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if not files:
            return pl.DataFrame(schema=self.schemas[side])
        return pl.read_parquet(files)


def bucket_count(sizes: Sequence[int]) -> int:
    """How many buckets for inputs of these byte sizes: one per BYTES_PER_BUCKET, at least 1."""
    return max(1, min(MAX_BUCKETS, math.ceil(sum(sizes) / BYTES_PER_BUCKET)))


def key_hash(keys: Sequence[str], count: int) -> pl.Expr:
    """The bucket of each row: a seeded hash of its key columns modulo `count`."""
    return (pl.struct(list(keys)).hash(seed=HASH_SEED) % count).alias(BUCKET_COLUMN)


#: Rows per streamed batch while partitioning: ~50 MB of the bench table in memory at a time.
BATCH_ROWS = 500_000


@contextmanager
def partitioned(base: pl.LazyFrame, test: pl.LazyFrame, keys: Sequence[str], count: int) -> Iterator[Buckets]:
    """Both sides written as `count` hash buckets under a temporary directory, removed afterwards.

    Each side is streamed in batches of BATCH_ROWS; each batch is split by bucket and appended to that
    bucket's Parquet file as a row group. polars' partitioned sink did the same in one call but peaked at 1.3 GB
    on the two 10M-row sides of bench/skew.py.
    """
    import pyarrow.parquet as pq

    schemas = {"base": base.collect_schema(), "test": test.collect_schema()}
    with tempfile.TemporaryDirectory(prefix="datacheck-skew-") as tmp:
        directory = Path(tmp)
        for side, frame in (("base", base), ("test", test)):
            writers: dict[int, pq.ParquetWriter] = {}
            try:
                for batch in frame.collect_batches(chunk_size=BATCH_ROWS):
                    # Hashed per batch, not in the lazy plan: with the hash in the streaming plan the process
                    # peaked at 1.3 GB on the bench table, per batch at 0.7 GB.
                    batch = batch.with_columns(key_hash(keys, count))
                    for (index,), part in batch.partition_by(BUCKET_COLUMN, as_dict=True).items():
                        table = part.drop(BUCKET_COLUMN).to_arrow()
                        writer = writers.get(int(index))
                        if writer is None:
                            folder = directory / side / f"{BUCKET_COLUMN}={int(index)}"
                            os.makedirs(folder)
                            writer = pq.ParquetWriter(folder / "0.parquet", table.schema, compression="lz4")
                            writers[int(index)] = writer
                        writer.write_table(table)
            finally:
                for writer in writers.values():
                    writer.close()
        yield Buckets(directory, count, {k: pl.Schema(v) for k, v in schemas.items()})


__all__ = ["Buckets", "bucket_count", "key_hash", "partitioned", "HASH_SEED", "BYTES_PER_BUCKET"]
