"""Detection quality on the real-data corpus (issue 14): print the table that tests/test_corpus.py asserts.

    python bench/corpus.py                 # all datasets, with the lists behind each figure
    python bench/corpus.py --brief         # the table only
    python bench/corpus.py --max-rows 2000 # sample large datasets harder (faster)
    python bench/corpus.py --no-shared     # only what the packages ship (no public data folder)

The corpus, the harness and the figures live in tests/corpus/ (see its docstrings); this script only runs
them and prints. A measurement, not a test: it exits 0 whatever the figures (--strict: 1 when a target fails).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# The repository root, so that `tests.corpus` (tests/ is a namespace package) and this checkout's datacheck
# are imported.
sys.path.insert(0, str(REPO_ROOT))

from tests.corpus import (  # noqa: E402
    MAX_ROWS,
    SEED,
    catch_target,
    figures,
    format_figures,
    load_corpus,
    run_corpus,
)
from tests.corpus.summary import MAX_FALSE_ALARM_SHARE, MAX_FALSE_DRIFT_RATE  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-rows", type=int, default=MAX_ROWS, help=f"rows kept per dataset (default {MAX_ROWS})")
    parser.add_argument("--no-shared", action="store_true", help="leave out the public data folder beside the checkout")
    parser.add_argument("--brief", action="store_true", help="the table only, without the lists")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    corpus = load_corpus(max_rows=args.max_rows, include_shared=not args.no_shared)
    loaded = time.perf_counter()
    for name, why in corpus.skipped:
        print(f"skipped {name}: {why}", file=sys.stderr)
    results = run_corpus(corpus.datasets)
    done = time.perf_counter()
    fig = figures(results)
    print(format_figures(fig, detail=not args.brief))
    print(f"\nseed {SEED}, at most {args.max_rows} rows per dataset; load {loaded - start:.1f} s, "
          f"measure {done - loaded:.1f} s")
    met = (not fig.crashes and not fig.self_failures and fig.false_alarm_share <= MAX_FALSE_ALARM_SHARE
           and fig.false_drift_rate <= MAX_FALSE_DRIFT_RATE
           and all(c.share >= catch_target(c.corruption) for c in fig.corruptions))
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
