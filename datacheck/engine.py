"""The engine seam: how a Dataset is scanned, here in one process or partition by partition in parallel.

Every scan of files (`datacheck stats`, `datacheck validate`) goes through `scan`: it computes the Statistics
and, in the same pass over the data, runs an optional scan observer (validate's row checks,
`datacheck.checks.compiler.RowChecks`). Engines:

    local: one streaming scan per file, in order, in this process.
    threads: a thread pool in this process (polars releases the GIL while it reads and aggregates).
    processes: a ``concurrent.futures.ProcessPoolExecutor`` on this machine, no Dask needed.
    dask: dask.distributed, an optional dependency (``pip install 'datacheck-cli[dask]'``). With a scheduler
        address it uses that cluster; without one it starts a LocalCluster for the run and closes it after.

The parallel engines cut the dataset into partitions: one per file, and for a large Parquet file one per run
of consecutive row groups (about `PARTITION_ROWS` rows each, found in the file's footer). Each partition is
scanned on a worker exactly as a local run scans a file (one worker function for statistics and observers
alike), and the partial results are merged in a tree (`split_every` parts per merge) on the workers, so the
driver receives one result, not one per partition. Statistics merge exactly for counts, sums, min/max,
mean/variance and frequency tables that did not overflow, and within their stated bounds for the sketched
fields, so a partitioned run gives the local run's exact fields; observers merge in partition order.

A partition that cannot be read stops the run with an InputError naming it (file and row groups); no
partition is ever dropped, and ``Statistics.sources`` lists every partition with its row count.

Example:
    >>> from datacheck.sources import resolve
    >>> stats = profile_partitioned(resolve(["data/"]), engine="processes", workers=4)  # doctest: +SKIP
    >>> [s.path for s in stats.sources][:2]                                               # doctest: +SKIP
    ['data/a.parquet', 'data/big.parquet#rowgroups=0-3']
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Protocol

import polars as pl

from datacheck.errors import DatacheckError, InputError, UsageError
from datacheck.parquet_layout import read_row_group_rows
from datacheck.profile import ProgressCallback, merge, profile_frame
from datacheck.sources import DataFile, Dataset, ReadLayout, ReadOptions, resolve, scan_file_with_layout
from datacheck.statistics import SourceInfo, Statistics

#: Rows per partition when a Parquet file is split by row groups. Big enough that per-task overhead (a few
#: ms on Dask) is small; small enough that a worker's memory stays bounded and the cluster is kept busy.
PARTITION_ROWS = 2_000_000
#: Partial results per merge task: a tree of depth log_8(partitions), as dask.bag's reductions.
SPLIT_EVERY = 8
#: Workers of the LocalCluster started when no scheduler address is given.
LOCAL_CLUSTER_WORKERS = 2
ENGINES = ("local", "threads", "processes", "dask")
DASK_INSTALL_HINT = ("install the extra: pip install 'datacheck-cli[dask]' (or use --engine processes, which needs no "
                     "Dask)")


class ScanObserver(Protocol):
    """Extra per-batch work done in the statistics scan, which partitions can share: validate's row checks.

    An observer must pickle (the parallel engines ship it between processes), and two observers of
    consecutive partitions must merge into the observer of both, as if one had seen every row.
    """

    def start(self, file: str | None, row_base: int) -> None:
        """The batches that follow come from `file`, the first of them at row `row_base` within it."""
        ...

    def observe(self, batch: pl.DataFrame, row_offset: int) -> None:
        """See one batch, whose first row is `row_offset` rows after `row_base`."""
        ...

    def merge(self, other: Any) -> Any:
        """Add `other`, the observer of the rows that follow; return the merged observer."""
        ...

    def compact(self) -> Any:
        """Make the observer small to ship from a worker; return it."""
        ...


#: Makes a fresh observer (on the worker that runs a partition); must pickle, e.g. functools.partial(Cls, args).
ObserverFactory = Callable[[], ScanObserver]


# ------------------------------------------------------------------------------------------ partitions


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: a whole file, or the row groups `first_group`..`last_group` of a Parquet file.

    Fields:
        file: the file to read.
        first_group, last_group: the row-group range (inclusive), or None for the whole file.
        offset: the first row of the range within the file (0 for a whole file).
        rows: the row count the file's footer promises for this partition, or None when not known
            (a file whose footer was not read); the partition fails if it reads a different count.
    """

    file: DataFile
    first_group: int | None = None
    last_group: int | None = None
    offset: int = 0
    rows: int | None = None

    @property
    def label(self) -> str:
        """How the partition is named in sources, progress and errors: ``path`` or ``path#rowgroups=a-b``."""
        if self.first_group is None:
            return self.file.path
        return f"{self.file.path}#rowgroups={self.first_group}-{self.last_group}"


@dataclass(frozen=True, slots=True)
class PartitionProgress:
    """Reported once per finished partition (in completion order, not partition order).

    Fields:
        label: the partition's name (see Partition.label).
        rows: rows it read (0 when it failed).
        done, total: partitions finished so far, and in all.
        error: why it failed, or None.
    """

    label: str
    rows: int
    done: int
    total: int
    error: str | None = None


PartitionProgressCallback = Callable[[PartitionProgress], None]


@dataclass(frozen=True, slots=True)
class _Failure:
    """A partition that could not be read; travels up the merge tree in place of its Statistics."""

    label: str
    reason: str
    hint: str | None


@dataclass(frozen=True, slots=True)
class _Failures:
    items: tuple[_Failure, ...]


def plan_partitions(dataset: Dataset, partition_rows: int = PARTITION_ROWS) -> list[Partition]:
    """Cut a Dataset into partitions: one per file, and row-group runs of Parquet files over `partition_rows`.

    Only Parquet footers are read here (a few KB per file, in parallel); a footer that cannot be read makes
    its file one whole-file partition, whose worker then reports the failure by name.

    Example:
        >>> [p.label for p in plan_partitions(resolve(["big.parquet"]), partition_rows=1_000_000)]  # doctest: +SKIP
        ['big.parquet#rowgroups=0-1', 'big.parquet#rowgroups=2-3']
    """
    if partition_rows < 1:
        raise UsageError(f"partition_rows must be at least 1, got {partition_rows}")
    parquet = [f for f in dataset.files if f.format == "parquet" and f.compression is None]
    with ThreadPoolExecutor(max_workers=min(16, max(1, len(parquet)))) as pool:
        groups = dict(zip((f.path for f in parquet), pool.map(read_row_group_rows, (f.read_path for f in parquet))))
    partitions: list[Partition] = []
    for data_file in dataset.files:
        sizes = groups.get(data_file.path)
        if sizes is None:
            partitions.append(Partition(data_file))
            continue
        total = sum(sizes)
        if total <= partition_rows or len(sizes) < 2:
            partitions.append(Partition(data_file, rows=total))
            continue
        first, offset, rows = 0, 0, 0
        for index, size in enumerate(sizes):
            rows += size
            if rows >= partition_rows or index == len(sizes) - 1:
                partitions.append(Partition(data_file, first, index, offset, rows))
                first, offset, rows = index + 1, offset + rows, 0
    return partitions



# ----------------------------------------------------------------------------------------------- options


def check_engine_options(engine: str, scheduler: str | None = None, workers: int | None = None) -> None:
    """Refuse an unknown engine, and options the engine does not take, before anything is read.

    Raises:
        UsageError: an unknown engine, or --scheduler/--workers with the local engine.

    Example:
        >>> check_engine_options("local", workers=2)
        Traceback (most recent call last):
        datacheck.errors.UsageError: --scheduler and --workers apply to --engine dask|processes|threads, not local
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    if engine == "local" and (scheduler is not None or workers is not None):
        raise UsageError("--scheduler and --workers apply to --engine dask|processes|threads, not local",
                         hint="add --engine dask (or processes), or drop the option")


def _check_partitioned_options(engine: str, scheduler: str | None, workers: int | None, split_every: int) -> None:
    if engine not in ENGINES or engine == "local":
        raise UsageError(f"unknown partitioned engine {engine!r}", hint="use dask, processes or threads")
    if scheduler is not None and engine != "dask":
        raise UsageError(f"--scheduler applies to --engine dask, not {engine}",
                         hint="add --engine dask, or drop --scheduler")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if split_every < 2:
        raise UsageError(f"split_every must be at least 2, got {split_every}")


# ---------------------------------------------------------------------------------------- one scan, anywhere


def _scan_one(frame: pl.LazyFrame, data_file: DataFile, label: str, observer: ScanObserver | None,
              progress: ProgressCallback | None = None, layout: ReadLayout | None = None) -> Statistics:
    """The statistics of one file or partition, with `observer` seeing the same batches."""
    layout = layout or ReadLayout()
    source = SourceInfo(label, data_file.format, 0, layout.blank_lines, layout.stripped_whitespace)
    return profile_frame(frame, source=source, data_file=data_file,
                         observers=[observer] if observer is not None else (), progress=progress)


def _scan_partition(partition: Partition, options: ReadOptions,
                    observer: ObserverFactory | None = None) -> tuple[Statistics, ScanObserver | None] | _Failures:
    """Scan one partition on a worker: its Statistics, and its observer's findings when there is one.

    A read failure is returned, not raised, so that every failed partition is reported, each by name. Row
    numbers seen by the observer are relative to the file: a row-group run starts at `partition.offset`.
    """
    data_file = partition.file
    watcher = observer() if observer is not None else None
    if watcher is not None:
        watcher.start(data_file.path, partition.offset)
    try:
        frame, layout = scan_file_with_layout(data_file, options)
        if partition.first_group is not None:
            # polars pushes the slice down to the reader: only these row groups are read.
            frame = frame.slice(partition.offset, partition.rows)
        stats = _scan_one(frame, data_file, partition.label, watcher, layout=layout)
    except DatacheckError as exc:
        return _Failures((_Failure(partition.label, exc.reason, exc.hint),))
    if partition.rows is not None and stats.num_rows != partition.rows:
        return _Failures((_Failure(partition.label,
                                   f"read {stats.num_rows:,} rows where the file's footer lists {partition.rows:,}",
                                   "the file changed while it was read, or it is corrupt; rewrite it"),))
    return stats, (watcher.compact() if watcher is not None else None)


def _merge_node(*parts: tuple[Statistics, ScanObserver | None] | _Failures
                ) -> tuple[Statistics, ScanObserver | None] | _Failures:
    """One node of the merge tree (runs on a worker): merge the parts in partition order, or pass failures up."""
    failures = tuple(f for part in parts if isinstance(part, _Failures) for f in part.items)
    if failures:
        return _Failures(failures)
    done = [part for part in parts if not isinstance(part, _Failures)]
    observer = done[0][1]
    for _, following in done[1:]:
        if observer is not None:
            observer = observer.merge(following)
    return merge([stats for stats, _ in done]), observer


def _outcome(result: tuple[Statistics, ScanObserver | None] | _Failures) -> tuple[int, str | None]:
    """(rows, error) of a partition's result; a tiny task, so the driver never fetches partial results."""
    if isinstance(result, _Failures):
        return 0, result.items[0].reason
    return result[0].num_rows, None


def _refuse_empty(stats: Statistics, dataset: Dataset) -> None:
    if stats.num_rows == 0 and not dataset.options.allow_empty:
        raise InputError("the input has no rows (a header at most)", path=", ".join(f.path for f in dataset.files),
                         hint="check that the export that wrote it finished")


# ------------------------------------------------------------------------------------------ public API


def scan(dataset: Dataset, *, engine: str = "local", scheduler: str | None = None, workers: int | None = None,
         progress: ProgressCallback | None = None, observer: ObserverFactory | None = None,
         sources_by_file: bool = False) -> tuple[Statistics, ScanObserver | None]:
    """The Statistics of a Dataset, with an optional observer in the same scan: what stats and validate run.

    Args:
        dataset: the files (see `datacheck.sources.resolve`).
        engine: local, threads, processes or dask (see the module docstring).
        scheduler, workers: see `scan_partitioned`; not for the local engine.
        progress: called with the rows of each batch (local) or of each finished partition.
        observer: makes the observer that sees every batch (one for a local run, one per partition, merged).
        sources_by_file: list one source per file in the Statistics, as a local run does, rather than one per
            partition.

    Returns:
        (Statistics, the observer after every row, or None without one).

    Raises:
        InputError: a file or partition cannot be read, or the input has no rows (unless the dataset's
            options allow empty inputs). UsageError: an engine option that does not apply.

    Example:
        >>> stats, _ = scan(resolve(["sample_data/loans_train.csv"]))  # doctest: +SKIP
    """
    check_engine_options(engine, scheduler, workers)
    if engine == "local":
        watcher = observer() if observer is not None else None
        parts = []
        for data_file, frame, layout in dataset.frames_with_layout():
            if watcher is not None:
                watcher.start(data_file.path, 0)
            parts.append(_scan_one(frame, data_file, data_file.path, watcher, progress, layout))
        stats = merge(parts)
        _refuse_empty(stats, dataset)
        return stats, watcher
    on_partition = (lambda event: progress(event.rows)) if progress is not None else None
    return scan_partitioned(dataset, observer=observer, engine=engine, scheduler=scheduler, workers=workers,
                            progress=on_partition, sources_by_file=sources_by_file)


def scan_frame(frame: pl.LazyFrame | pl.DataFrame, *, observer: ObserverFactory | None = None,
               progress: ProgressCallback | None = None) -> tuple[Statistics, ScanObserver | None]:
    """The Statistics of an in-memory table, with an optional observer in the same scan (local only)."""
    watcher = observer() if observer is not None else None
    if watcher is not None:
        watcher.start(None, 0)
    stats = profile_frame(frame, observers=[watcher] if watcher is not None else (), progress=progress)
    return stats, watcher


def scan_partitioned(dataset: Dataset, *, observer: ObserverFactory | None = None, engine: str = "dask",
                     scheduler: str | None = None, workers: int | None = None,
                     progress: PartitionProgressCallback | None = None, partition_rows: int | None = None,
                     split_every: int = SPLIT_EVERY, sources_by_file: bool = False
                     ) -> tuple[Statistics, ScanObserver | None]:
    """Scan a Dataset partition by partition in parallel, merging the partial results in a tree.

    Args:
        dataset: the files to scan.
        observer: makes the observer each partition's scan runs (see `scan`).
        engine: "dask" (dask.distributed), "processes" (a local process pool) or "threads".
        scheduler: the address of a running Dask scheduler (``tcp://host:8786``); dask only. Without it a
            LocalCluster of `workers` processes (default 2, one thread each) runs for this call only.
        workers: processes or threads (default: the CPU count; for a LocalCluster, 2).
        progress: called once per finished partition with a PartitionProgress.
        partition_rows: split Parquet files with more rows than this into row-group runs of about this size
            (default PARTITION_ROWS).
        split_every: partial results merged per merge task.
        sources_by_file: sum the sources of a file's partitions into one per file, as a local run lists them.

    Returns:
        (Statistics, merged observer or None). The Statistics' exact fields equal a local run's and their
        sketched fields lie within their stated bounds; the observer has seen every row in (file, row) order.

    Raises:
        InputError: a partition could not be read (every such partition is named), or the input has no rows.
        UsageError: an unknown engine, options that do not apply to it, Dask missing, or a scheduler that
            cannot be reached.
    """
    _check_partitioned_options(engine, scheduler, workers, split_every)
    partitions = plan_partitions(dataset, PARTITION_ROWS if partition_rows is None else partition_rows)
    if not partitions:
        raise InputError("no DATA given", hint="pass a file, a directory or a glob, e.g. data/*.parquet")
    task = partial(_scan_partition, observer=observer)
    if engine == "dask":
        result = _run_dask(partitions, dataset.options, scheduler, workers, progress, split_every, task)
    else:
        result = _run_pool(partitions, dataset.options, engine, workers, progress, split_every, task)
    if isinstance(result, _Failures):
        raise _failure_error(result.items, len(partitions))
    stats, watcher = result
    _refuse_empty(stats, dataset)
    return (_by_file(stats, partitions) if sources_by_file else stats), watcher


def profile_partitioned(dataset: Dataset, *, engine: str = "dask", scheduler: str | None = None,
                        workers: int | None = None, progress: PartitionProgressCallback | None = None,
                        partition_rows: int | None = None, split_every: int = SPLIT_EVERY) -> Statistics:
    """Statistics of a Dataset, profiled partition by partition in parallel and merged in a tree.

    Args, Raises: as `scan_partitioned`.

    Returns:
        Statistics whose exact fields equal a local run's (`profile(dataset)`) and whose sketched fields lie
        within their stated bounds. `sources` lists every partition (``path`` or ``path#rowgroups=a-b``)
        with its rows.

    Example:
        >>> stats = profile_partitioned(resolve(["data/"]), engine="dask",
        ...                             scheduler="tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    stats, _ = scan_partitioned(dataset, engine=engine, scheduler=scheduler, workers=workers, progress=progress,
                                partition_rows=partition_rows, split_every=split_every)
    return stats


def profile_with_engine(data: Sequence[str | os.PathLike[str]] | str, options: ReadOptions | None = None, *,
                        engine: str = "local", scheduler: str | None = None, workers: int | None = None,
                        progress: ProgressCallback | None = None) -> Statistics:
    """Statistics of DATA paths with the chosen engine: the one call behind ``datacheck stats --engine``.

    A saved statistics file is returned as it is, whatever the engine.

    Args:
        data: files, directories, globs, or one saved statistics file.
        options: how to read them.
        engine: local, threads, processes or dask.
        scheduler, workers: see `scan_partitioned`.
        progress: called with the rows of each batch (local) or of each finished partition.

    Example:
        >>> stats = profile_with_engine(["sample_data/loans_train.csv"], engine="processes")  # doctest: +SKIP
    """
    check_engine_options(engine, scheduler, workers)
    paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    resolved = resolve(paths, options)
    if isinstance(resolved, Statistics):
        return resolved
    stats, _ = scan(resolved, engine=engine, scheduler=scheduler, workers=workers, progress=progress)
    return stats


def _by_file(stats: Statistics, partitions: list[Partition]) -> Statistics:
    """The statistics with the sources of consecutive partitions of one file summed into one per file."""
    if len(stats.sources) != len(partitions):
        return stats
    sources: list[SourceInfo] = []
    last: str | None = None
    for partition, source in zip(partitions, stats.sources):
        if partition.file.path == last:
            sources[-1] = replace(sources[-1], rows=sources[-1].rows + source.rows)
        else:
            sources.append(replace(source, path=partition.file.path))
        last = partition.file.path
    return replace(stats, sources=tuple(sources))


# --------------------------------------------------------------------------------------------- engines


def _tree(parts: list[Any], split_every: int, combine: Callable[..., Any]) -> Any:
    """Reduce `parts` level by level, `split_every` neighbours at a time, keeping their order."""
    while len(parts) > 1:
        parts = [combine(*parts[i : i + split_every]) for i in range(0, len(parts), split_every)]
    return parts[0]


def _failure_error(failures: Sequence[_Failure], total: int) -> InputError:
    if len(failures) == 1:
        only = failures[0]
        return InputError(only.reason, path=only.label,
                          hint=(only.hint + "; " if only.hint else "")
                          + "no partition is skipped: fix or remove it and run again")
    listing = "\n".join(f"  {f.label}: {f.reason}" for f in failures)
    return InputError(f"{len(failures)} of {total} partitions could not be read:\n{listing}",
                      hint="no partition is skipped: fix or remove them and run again")


def _run_pool(partitions: list[Partition], options: ReadOptions, engine: str, workers: int | None,
              progress: PartitionProgressCallback | None, split_every: int, task: Callable[..., Any]) -> Any:
    """Run `task` (a `_scan_partition`) on every partition in a local process or thread pool; merge the
    partial results here."""
    workers = workers or os.cpu_count() or 1
    workers = max(1, min(workers, len(partitions)))
    results: list[Any] = [None] * len(partitions)
    with _pool(engine, workers) as pool:
        futures = {pool.submit(task, p, options): i for i, p in enumerate(partitions)}
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                index = futures[future]
                results[index] = future.result()
                if progress is not None:
                    rows, error = _outcome(results[index])
                    progress(PartitionProgress(partitions[index].label, rows, done, len(partitions), error))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    # The same tree as on Dask, so the engines give the same bytes.
    return _tree(list(results), split_every, _merge_node)


@contextmanager
def _pool(engine: str, workers: int) -> Iterator[Executor]:
    if engine == "threads":
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    # Imported here: concurrent.futures.process imports multiprocessing, about 20 ms of every run's start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn", not "fork": forking a process whose polars thread pool is running can deadlock the child.
    # Each child gets its share of the cores, so that N processes do not each start one polars thread
    # per core; children read POLARS_MAX_THREADS when they import polars, i.e. when they start.
    threads = max(1, (os.cpu_count() or 1) // workers)
    with _environment(POLARS_MAX_THREADS=str(threads)):
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            yield pool


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for child processes started inside the block; restore them after."""
    saved = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        os.environ.setdefault(name, value)  # a value the user set wins
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise UsageError(f"--engine dask needs dask.distributed, which cannot be imported ({exc})",
                         hint=DASK_INSTALL_HINT) from None
    return distributed


def _run_dask(partitions: list[Partition], options: ReadOptions, scheduler: str | None, workers: int | None,
              progress: PartitionProgressCallback | None, split_every: int,
              task: Callable[..., Any]) -> Any:
    """Map partitions over the cluster and merge them in a tree of tasks; only the root comes back."""
    distributed = _import_distributed()
    import logging

    with _dask_client(distributed, scheduler, workers, logging.ERROR) as client:
        token = uuid.uuid4().hex[:12]
        parts = [client.submit(task, p, options, key=f"datacheck-profile-{token}-{i}", pure=False)
                 for i, p in enumerate(partitions)]
        outcomes = [client.submit(_outcome, part, key=f"datacheck-rows-{token}-{i}", pure=False)
                    for i, part in enumerate(parts)]
        counter = iter(range(len(partitions) * 2))

        def combine(*level: Any) -> Any:
            return client.submit(_merge_node, *level, key=f"datacheck-merge-{token}-{next(counter)}", pure=False)

        root = _tree(list(parts), split_every, combine)
        index_of = {future.key: i for i, future in enumerate(outcomes)}
        finished = False
        try:
            done = 0
            for future in distributed.as_completed(outcomes, loop=client.loop):
                done += 1
                rows, error = future.result()
                if progress is not None:
                    index = index_of[future.key]
                    progress(PartitionProgress(partitions[index].label, rows, done, len(partitions), error))
            result = root.result()
            finished = True
            return result
        finally:
            if not finished:
                # On a shared scheduler, leave nothing of ours running after an error or Ctrl-C.
                client.cancel([*parts, *outcomes, root])


@contextmanager
def _dask_client(distributed: Any, scheduler: str | None, workers: int | None, log_level: int) -> Iterator[Any]:
    if scheduler is not None:
        if workers is not None:
            raise UsageError("--workers sizes the local cluster; with --scheduler, the cluster's own workers run",
                             hint="start more workers with 'dask worker ADDRESS', or drop --workers")
        try:
            client = distributed.Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}",
                             hint="start one with 'dask scheduler' (and workers with 'dask worker ADDRESS'), "
                                  "or drop --scheduler to start a local cluster") from None
        with client:
            yield client
        return
    count = workers or LOCAL_CLUSTER_WORKERS
    threads = max(1, (os.cpu_count() or 1) // count)
    with distributed.LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=log_level, env={"POLARS_MAX_THREADS": str(threads)}) as cluster:
        with distributed.Client(cluster, set_as_default=False) as client:
            yield client


__all__ = ["DASK_INSTALL_HINT", "ENGINES", "PARTITION_ROWS", "SPLIT_EVERY", "ObserverFactory", "Partition",
           "PartitionProgress", "PartitionProgressCallback", "ScanObserver", "check_engine_options", "plan_partitions",
           "profile_partitioned", "profile_with_engine", "scan", "scan_frame", "scan_partitioned"]
