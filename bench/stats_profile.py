#!/usr/bin/env python
"""Where the CPU of `datacheck stats` goes: the scan's phases run one after another, each timed alone.

In a real run the phases overlap (the next slice is read and queried while the previous batch is folded in),
so wall time is shorter than the sum here; the CPU seconds of each phase are what this measures. Phases:
read (Parquet slices or CSV batches), per-batch queries by kind (null/NaN counts, string lengths, value counts,
HLL register updates), sorting (the quantile summaries' values), folding (`Scan.absorb`), finishing
(summaries collapsed and compressed) and rendering (the JSON document).

Usage:
    python bench/stats_profile.py FILE            # a table of CPU and wall seconds per phase
    python bench/stats_profile.py FILE --json
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Phases:
    """CPU and wall seconds per phase name, summed over the batches."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)

    def timed(self, name: str, work):
        cpu, wall = _cpu(), time.perf_counter()
        result = work()
        self.cpu[name] += _cpu() - cpu
        self.wall[name] += time.perf_counter() - wall
        return result


def profile_phases(path: str) -> dict:
    """The phases of one scan of the file at `path` (its first file, when it names several)."""
    from datacheck.profile_batches import frame_batches, rows_per_batch, with_probe
    from datacheck.profile_queries import sort_for_summary
    from datacheck.profile_scan import Scan
    from datacheck.render.stats import stats_json
    from datacheck.sources import resolve

    phases = Phases()
    data_file, lazy, _ = next(iter(resolve([path]).frames_with_layout()))
    scan = Scan(lazy.collect_schema())
    batches = phases.timed("read", lambda: list(with_probe(frame_batches(lazy, rows_per_batch(len(scan.schema)),
                                                                         data_file))))
    for batch in batches:
        plan = scan.plan()
        to_sort = {pos: (batch.get_column(col.name).to_physical() if col.kind == "temporal"
                         else batch.get_column(col.name))
                   for pos, col in enumerate(scan.queries.columns) if col.numeric_like and pos not in plan.counted}
        phases.timed("sorting (quantile summaries)", lambda to_sort=to_sort: sort_for_summary(to_sort))
        queries = phases.timed("queries: planning",
                               lambda batch=batch, plan=plan: scan.queries._queries(batch, plan))
        for key, query in queries.items():
            kind = {"aggregates": "null/NaN/inf counts", "lengths": "string lengths", "numcounts": "value counts",
                    "counts": "value counts", "hll": "HLL registers"}[key.split("|")[0]]
            phases.timed(f"queries: {kind}", query.collect)
        # The folding needs the results in the scan's own form: run them again, untimed.
        results = scan.run_queries(batch, plan)
        phases.timed("folding (Scan.absorb)",
                     lambda batch=batch, results=results, plan=plan: scan.absorb(batch.height, results, plan))
    statistics = phases.timed("finishing (summaries)", lambda: scan.finish([]))
    phases.timed("rendering (JSON)", lambda: stats_json(statistics))
    return {"path": path, "rows": scan.rows, "batches": len(batches),
            "phases": [{"phase": name, "cpu_seconds": phases.cpu[name], "wall_seconds": phases.wall[name]}
                       for name in phases.cpu]}


def print_phases(profile: dict) -> None:
    total = sum(p["cpu_seconds"] for p in profile["phases"])
    print(f"where the CPU goes: {profile['path']} ({profile['rows']:,} rows, {profile['batches']} batches; "
          "phases run one after another)")
    for p in sorted(profile["phases"], key=lambda p: -p["cpu_seconds"]):
        print(f"  {p['phase']:<34} {p['cpu_seconds']:6.2f} s CPU  {100 * p['cpu_seconds'] / total:5.1f}%"
              f"  {p['wall_seconds']:6.2f} s wall")
    print(f"  {'total':<34} {total:6.2f} s CPU")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    profile = profile_phases(args.file)
    if args.json:
        print(json.dumps(profile, indent=2))
    else:
        print_phases(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
