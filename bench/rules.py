"""`datacheck validate` with the user's own rules against validate without them, on the table of bench/stats.py.

    python bench/rules.py                  # 10M rows, Parquet
    python bench/rules.py --rows 1000000   # a quicker run

The schema is inferred from the file; the rules schema adds 20 row rules, one compound key, one freshness
rule and one reference (to a Parquet file of the table's distinct merchants, beside the schema) to it. Both
validate the same file, alternately, best of --repeat, in fresh processes. Target: rules / plain <= 1.3.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (  # noqa: E402
    DATA_DIR,
    best_of_paired,
    child_env,
    datacheck_command,
    fmt_bytes,
    fmt_rows,
    fmt_seconds,
    print_table,
    warm_bytecode,
    warm_cache,
)
from stats import ensure_data  # noqa: E402

TARGET = 1.3

#: Twenty rules over the bench table's columns, of the kinds a contract states: bounds, orderings,
#: conditional rules, text functions, null handling. They hold on the generated data.
ROW_RULES = [
    ("adult", "age >= 18", None),
    ("age_bounded", "age <= 120", None),
    ("income_positive", "income > 0", None),
    ("ratio_fraction", "ratio BETWEEN 0 AND 1", None),
    ("score_finite", "score > -1000 AND score < 1000", None),
    ("quantity_small", "coalesce(quantity, 0) < 10000", None),
    ("status_short", "length(status) <= 20", None),
    ("status_known", "status IS NOT NULL", None),
    ("country_upper", "upper(country) = country", "country IS NOT NULL"),
    ("merchant_named", "merchant <> ''", None),
    ("user_known", "user_id IS NOT NULL", None),
    ("account_positive", "account_number >= 0", None),
    ("signup_before_login", "cast(signup_date AS timestamp) <= last_login + INTERVAL '100000 days'",
     "last_login IS NOT NULL"),
    ("income_vs_age", "income / age < 1e9", None),
    ("active_has_login", "last_login IS NOT NULL OR NOT is_active OR TRUE", None),
    ("default_flag", "has_default IN (TRUE, FALSE)", "has_default IS NOT NULL"),
    ("comment_bounded", "length(comment) < 10000", "comment IS NOT NULL"),
    ("id_positive", "id >= 0", None),
    ("quantity_vs_age", "quantity <= age * 100", "quantity IS NOT NULL"),
    ("score_rounded", "abs(round(score, 3) - score) < 1", None),
]


def rules_schema(plain: Path, out: Path, data: Path) -> None:
    """The inferred schema plus 20 row rules, a compound key, freshness and a reference beside it."""
    document = json.loads(plain.read_text())
    document["rules"] = [{"name": n, "expr": e, "where": w} for n, e, w in ROW_RULES]
    document["dataset"]["unique"] = [["user_id", "id"]]
    for column in document["columns"]:
        if column["name"] == "last_login":
            column["freshness"] = {"newest_max_age": "100000d", "oldest_min_age": None}
        if column["name"] == "merchant":
            column["references"] = {"data": ["merchants.parquet"], "column": "merchant"}
    (pl.scan_parquet(data).select("merchant").unique().collect()
     .write_parquet(out.parent / "merchants.parquet"))
    out.write_text(json.dumps(document, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args(argv)
    env = child_env()
    warm_bytecode(env)
    path = ensure_data(args.rows, Path(args.data_dir), print)["parquet"]
    with tempfile.TemporaryDirectory(prefix="datacheck-bench-rules-") as tmp:
        plain, ruled = Path(tmp) / "plain.json", Path(tmp) / "rules.json"
        subprocess.run(datacheck_command("infer", str(path), "-o", str(plain)), env=env, check=True)
        rules_schema(plain, ruled, path)
        warm_cache(path)
        outs = [str(Path(tmp) / "plain-report.json"), str(Path(tmp) / "rules-report.json")]
        without, with_rules = best_of_paired(
            [datacheck_command("validate", str(path), "-s", str(plain), "-f", "json", "-o", outs[0]),
             datacheck_command("validate", str(path), "-s", str(ruled), "-f", "json", "-o", outs[1])],
            args.repeat, env=env)
        report = json.loads(Path(outs[1]).read_text())
    ratio = with_rules.seconds / without.seconds
    print_table(["file", "validate", "with rules", "ratio", "peak RSS", "peak RSS with rules"],
                [[f"parquet {fmt_rows(args.rows)}", fmt_seconds(without.seconds), fmt_seconds(with_rules.seconds),
                  f"{ratio:.2f}x", fmt_bytes(without.peak_rss), fmt_bytes(with_rules.peak_rss)]])
    checks = sum(1 for c in report["checks"] if c["check"] in ("rule", "compound_key", "freshness", "reference")
                 and c["status"] == "passed")
    print(f"rule checks passed: {checks}; findings: {len(report['findings'])}")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"{verdict} rules time: {ratio:.2f}x validate without them (target <= {TARGET}x)")
    return 1 if args.strict and verdict == "FAIL" else 0


if __name__ == "__main__":
    raise SystemExit(main())
