"""Timings of a run's steps, logged through the `datacheck` logger (INFO): what `datacheck -v` prints on stderr.

The library only logs; it configures no handler, so an application that imports datacheck decides where the
messages go (`logging.getLogger("datacheck")`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

LOGGER_NAME = "datacheck"
logger = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")


class ReadClock:
    """The time a scan spent waiting for its input's batches (reading and decoding them)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, batches: Iterator[T]) -> Iterator[T]:
        """`batches`, adding the time each one took to arrive to `seconds`."""
        while True:
            started = time.perf_counter()
            try:
                batch = next(batches)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            yield batch


def log_scan(what: str, reads: ReadClock, started: float, rows: int) -> None:
    """Log how long the scan of `what` took since `started` (a `time.perf_counter()`), and how much of it its
    reader spent reading batches. Reading overlaps the queries (one batch is read while the one before is
    queried), so the reading time is a part of the total, not an addition to it."""
    if logger.isEnabledFor(logging.INFO):
        logger.info("scan %s: %s rows in %.2fs (reading batches: %.2fs)", what, f"{rows:,}",
                    time.perf_counter() - started, reads.seconds)


@contextmanager
def step(what: str) -> Iterator[None]:
    """Log how long the step `what` took (INFO)."""
    started = time.perf_counter()
    yield
    if logger.isEnabledFor(logging.INFO):
        logger.info("%s: %.2fs", what, time.perf_counter() - started)


__all__ = ["LOGGER_NAME", "ReadClock", "log_scan", "logger", "step"]
