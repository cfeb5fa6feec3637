"""Load the corpus: every source's datasets as polars frames of at least MIN_ROWS rows, capped at MAX_ROWS."""

from __future__ import annotations

import importlib
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from .frames import to_polars
from .sources import MIN_ROWS, SOURCES, shared_data_dir, shared_frames

#: The seed of every random choice in the corpus (row samples, halves, corrupted rows and columns).
SEED = 20240614
#: Larger datasets are sampled down to this many rows (without replacement, with SEED): the targets are
#: about small and medium halves, and the whole corpus must run in about a minute on two cores.
MAX_ROWS = 6000

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CorpusDataset:
    """One dataset: `name` is "source/table"; `rows` the rows before sampling; `notes` the conversions made."""

    name: str
    frame: pl.DataFrame
    rows: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Corpus:
    """The datasets loaded, and (source, reason) for every source or dataset that was left out."""

    datasets: tuple[CorpusDataset, ...]
    skipped: tuple[tuple[str, str], ...]


def rng_for(*keys: object) -> np.random.Generator:
    """A generator seeded by SEED and the keys, so each dataset's draws do not depend on the others."""
    return np.random.default_rng([SEED, *(zlib.crc32(str(k).encode()) for k in keys)])


def _cap(name: str, frame: pl.DataFrame, max_rows: int) -> pl.DataFrame:
    if frame.height <= max_rows:
        return frame
    rows = np.sort(rng_for("cap", name).choice(frame.height, size=max_rows, replace=False))
    return frame[rows]


def _add(out: list[CorpusDataset], skipped: list[tuple[str, str]], name: str, raw: object, max_rows: int) -> None:
    try:
        frame, notes = to_polars(raw)
    except Exception as exc:  # noqa: BLE001  (a table the loader cannot convert is reported, not fatal)
        skipped.append((name, f"could not convert: {type(exc).__name__}: {exc}"))
        return
    if frame.height < MIN_ROWS:
        skipped.append((name, f"{frame.height} rows < {MIN_ROWS}"))
        return
    out.append(CorpusDataset(name, _cap(name, frame, max_rows), frame.height, notes))


def load_corpus(max_rows: int = MAX_ROWS, include_shared: bool = True) -> Corpus:
    """Every dataset of every installed source (see `sources`), in a fixed order."""
    out: list[CorpusDataset] = []
    skipped: list[tuple[str, str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in SOURCES:
            try:
                importlib.import_module(source.module)
            except ImportError as exc:
                skipped.append((source.name, f"not installed ({exc})"))
                continue
            try:
                for table, raw in source.load():
                    _add(out, skipped, f"{source.name}/{table}", raw, max_rows)
            except Exception as exc:  # noqa: BLE001
                skipped.append((source.name, f"failed to load: {type(exc).__name__}: {exc}"))
        folder = shared_data_dir(REPO_ROOT) if include_shared else None
        if folder is not None:
            for table, raw in shared_frames(folder):
                _add(out, skipped, f"shared/{table}", raw, max_rows)
    return Corpus(tuple(out), tuple(skipped))
