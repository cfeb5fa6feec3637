"""Generate the bad-input corpus: every input a user's bucket may hold that datacheck must answer clearly.

Each case is a row of `CASES`: how to build the input, what role it plays (DATA, a schema file, or a
statistics file given where DATA or a baseline is expected), the exit code datacheck must give, and a
fragment of the message it must print on stderr. tests/test_bad_inputs.py runs every case through every
command that reads that kind of input. Nothing here is stored as an opaque file: the corpus is rebuilt
from this script, deterministically, into a temporary directory.

Usage:
    python tests/bad_inputs/generate.py DIR          # write the whole corpus into DIR and list it
    python tests/bad_inputs/generate.py DIR ragged   # only the named cases

Roles:
    data    the input is DATA (stats, infer, validate, drift on either side, schema update).
    schema  the input is a schema file (schema check/show, validate/drift --schema, schema update).
    stats   the input is a JSON file given where saved statistics may go (DATA, --baseline, drift sides, merge).

Expected exit codes: 2 for inputs datacheck cannot run on. A few inputs look bad but are legitimate and
must WORK (exit 0, or 1 when validate finds anomalies): a UTF-8 BOM, a row holding a multi-megabyte value,
10,000 columns, a JSON column of mixed types, deeply nested JSON.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Size of the single very long line (bytes). 50 MB as the issue asks; DATACHECK_LONG_LINE_MB overrides.
LONG_LINE_BYTES = int(float(os.environ.get("DATACHECK_LONG_LINE_MB", "50")) * 1024 * 1024)
WIDE_COLUMNS = 10_000
NESTING_DEPTH = 2_000  # deeper than Python's default recursion limit (1,000)

OK = 0
CANNOT_RUN = 2


@dataclass(frozen=True)
class Case:
    """One bad input.

    Fields:
        name: short id, used in test ids and as the file stem.
        role: "data", "schema" or "stats" (see the module docstring).
        path: what is passed on the command line, relative to the corpus directory (a file, dir or glob).
        build: writes the input under the corpus directory.
        exit_code: what every command must exit with (OK means "0, or 1 when validate/drift find something").
        fragment: text the stderr message must contain (case-insensitive), besides the file's name.
        names_line: the message must name the line, as "path:LINE:".
        slow: a large input; the test runs it through fewer variants.
    """

    name: str
    role: str
    path: str
    build: Callable[[Path], None]
    exit_code: int
    fragment: str
    names_line: int | None = None
    slow: bool = False


# ----------------------------------------------------------------------------------------- helpers


def _bytes(rel: str, content: bytes) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    return build


def _text(rel: str, content: str) -> Callable[[Path], None]:
    return _bytes(rel, content.encode("utf-8"))


def _good_csv(rows: int = 200) -> str:
    """A small clean table; the good baseline the corpus cases are compared with."""
    lines = ["id,amount,city,flag"]
    cities = ["Berlin", "Paris", "Rome", "Oslo"]
    for i in range(rows):
        lines.append(f"{i},{(i * 37) % 101 + 0.5},{cities[i % 4]},{'true' if i % 3 else 'false'}")
    return "\n".join(lines) + "\n"


def _parquet_bytes() -> bytes:
    import polars as pl

    frame = pl.DataFrame({"id": list(range(5000)), "amount": [float(i % 97) for i in range(5000)],
                          "city": [["Berlin", "Paris", "Rome"][i % 3] for i in range(5000)]})
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def _truncated_parquet(root: Path) -> None:
    data = _parquet_bytes()
    (root / "truncated.parquet").write_bytes(data[: len(data) // 2])


def _corrupt_parquet(root: Path) -> None:
    # Intact magic bytes and footer length, garbage in between: the reader gets as far as the footer.
    data = bytearray(_parquet_bytes())
    for i in range(8, len(data) - 8):
        data[i] = (data[i] * 31 + i) % 256
    (root / "corrupt.parquet").write_bytes(bytes(data))


def _truncated_gzip(root: Path) -> None:
    data = gzip.compress(_good_csv(20_000).encode(), mtime=0)
    (root / "truncated.csv.gz").write_bytes(data[: len(data) // 2])


def _long_line(root: Path) -> None:
    # One line, no newline: a 50 MB header and nothing else (a dump that lost its line breaks).
    with open(root / "long_line.csv", "wb") as handle:
        chunk = b"x" * (1 << 20)
        for _ in range(LONG_LINE_BYTES // len(chunk)):
            handle.write(chunk)


def _long_value(root: Path) -> None:
    # A legitimate row holding a 50 MB text value between ordinary ones: must work.
    with open(root / "long_value.csv", "wb") as handle:
        handle.write(b"id,text\n1,short\n2,")
        chunk = b"y" * (1 << 20)
        for _ in range(LONG_LINE_BYTES // len(chunk)):
            handle.write(chunk)
        handle.write(b"\n3,short\n")


def _wide(root: Path) -> None:
    names = ",".join(f"c{i}" for i in range(WIDE_COLUMNS))
    rows = [",".join(str((r * 7 + i) % 13) for i in range(WIDE_COLUMNS)) for r in range(20)]
    (root / "wide.csv").write_text(names + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _deep_json(root: Path) -> None:
    inner = '{"a": ' * NESTING_DEPTH + "1" + "}" * NESTING_DEPTH
    (root / "deep.jsonl").write_text(f'{{"id": 1, "payload": {inner}}}\n{{"id": 2, "payload": {inner}}}\n', encoding="utf-8")


def _nested_json(root: Path) -> None:
    # Nested, but as deep as real documents get: must work (the column is profiled as "nested").
    inner = '{"a": ' * 30 + '[1, 2]' + "}" * 30
    (root / "nested.jsonl").write_text("".join(f'{{"id": {i}, "payload": {inner}}}\n' for i in range(5)), encoding="utf-8")


def _deep_json_array(root: Path) -> None:
    inner = '{"a": ' * NESTING_DEPTH + "1" + "}" * NESTING_DEPTH
    (root / "deep_array.json").write_text(f'[{{"id": 1, "payload": {inner}}}]', encoding="utf-8")


def _mixed_dir(root: Path) -> None:
    import polars as pl

    (root / "mixed").mkdir(exist_ok=True)
    (root / "mixed" / "a.csv").write_text(_good_csv(10), encoding="utf-8")
    pl.read_csv(io.StringIO(_good_csv(10))).write_parquet(root / "mixed" / "b.parquet")


def _empty_dir(root: Path) -> None:
    (root / "no_data").mkdir(exist_ok=True)
    (root / "no_data" / "README").write_text("nothing here\n", encoding="utf-8")


def _unreadable_dir(root: Path) -> None:
    target = root / "locked"
    target.mkdir(exist_ok=True)
    (target / "a.csv").write_text(_good_csv(10), encoding="utf-8")
    os.chmod(target, 0)


def _unreadable_file(root: Path) -> None:
    target = root / "locked.csv"
    target.write_text(_good_csv(10), encoding="utf-8")
    os.chmod(target, 0)


def _nothing(root: Path) -> None:
    pass


def _schema(**changes: object) -> str:
    document: dict[str, object] = {
        "$schema": "https://datacheck.dev/schemas/schema.schema.json",
        "format": "datacheck.schema",
        "version": 1,
        "columns": [{"name": "id", "type": "integer"}, {"name": "amount", "type": "float"}],
    }
    document.update(changes)
    return json.dumps(document, indent=2)


def _statistics_stub(**changes: object) -> str:
    document: dict[str, object] = {"format": "datacheck.statistics", "version": 1, "num_rows": 0, "sources": [],
                                   "columns": []}
    document.update(changes)
    return json.dumps(document, indent=2)


TFDV_STATS = json.dumps({
    "datasets": [{
        "name": "train", "numExamples": "3",
        "features": [{"path": {"step": ["age"]}, "type": "INT",
                      "numStats": {"commonStats": {"numNonMissing": "3", "numMissing": "0"}, "mean": 31.0,
                                   "min": 20.0, "max": 44.0}}],
    }]
}, indent=2)

UNKNOWN_VERSION_SCHEMA = _schema(version=99)
BAD_SCHEMA = _schema(columns=[{"name": "id", "type": "integer", "max_null_fraction": 2},
                              {"type": "float"}, {"name": "x", "type": "decimal128"}])

# ------------------------------------------------------------------------------------------- the cases

CASES: tuple[Case, ...] = (
    # CSV structure
    Case("ragged", "data", "ragged.csv", _text("ragged.csv", "a,b\n1,2\n3,4\n5,6,7\n8,9\n"), CANNOT_RUN,
         "different number of fields", names_line=4),
    Case("ragged_short", "data", "ragged_short.csv", _text("ragged_short.csv", "a,b,c\n1,2,3\n4,5\n"), CANNOT_RUN,
         "different number of fields", names_line=3),
    Case("unbalanced_quote", "data", "quote.csv", _text("quote.csv", 'a,b\n1,2\n3,"never closed\n4,5\n'), CANNOT_RUN,
         "quote", names_line=3),
    Case("semicolon_as_comma", "data", "semicolon.csv",
         _text("semicolon.csv", "id;amount;city\n1;2.5;Berlin\n2;3.5;Paris\n3;4.5;Rome\n"), CANNOT_RUN, "--delimiter ';'"),
    Case("tab_in_csv", "data", "tabbed.csv",
         _text("tabbed.csv", "id\tamount\tcity\n1\t2.5\tBerlin\n2\t3.5\tParis\n"), CANNOT_RUN, "--delimiter"),
    # encodings and binary
    Case("latin1", "data", "latin1.csv", _bytes("latin1.csv", "id,city\n1,M\xfcnchen\n2,K\xf6ln\n".encode("latin1")),
         CANNOT_RUN, "--encoding", names_line=2),
    Case("utf16", "data", "utf16.csv", _bytes("utf16.csv", "id,city\n1,Berlin\n".encode("utf-16")), CANNOT_RUN, "UTF-16"),
    Case("utf16_no_bom", "data", "utf16le.csv", _bytes("utf16le.csv", "id,city\n1,Berlin\n".encode("utf-16-le")),
         CANNOT_RUN, "UTF-16"),
    Case("utf8_bom", "data", "bom.csv", _bytes("bom.csv", b"\xef\xbb\xbfid,city\n1,Berlin\n2,Paris\n"), OK, ""),
    Case("nul_bytes", "data", "nul.csv", _bytes("nul.csv", b"id,city\n1,Ber\x00lin\n"), CANNOT_RUN, "NUL", names_line=2),
    Case("truncated_gzip", "data", "truncated.csv.gz", _truncated_gzip, CANNOT_RUN, "truncated"),
    Case("not_gzip", "data", "fake.csv.gz", _text("fake.csv.gz", "id,city\n1,Berlin\n"), CANNOT_RUN, "gzip"),
    Case("truncated_parquet", "data", "truncated.parquet", _truncated_parquet, CANNOT_RUN, "Parquet"),
    Case("corrupt_parquet", "data", "corrupt.parquet", _corrupt_parquet, CANNOT_RUN, "Parquet"),
    Case("csv_named_parquet", "data", "text.parquet", _text("text.parquet", _good_csv(5)), CANNOT_RUN, "Parquet"),
    Case("truncated_arrow", "data", "truncated.arrow", _bytes("truncated.arrow", b"ARROW1\x00\x00\xff\xff\xff\xff"),
         CANNOT_RUN, "Arrow"),
    # sizes
    Case("empty", "data", "empty.csv", _bytes("empty.csv", b""), CANNOT_RUN, "empty"),
    Case("blank_lines", "data", "blank.csv", _text("blank.csv", "\n\n\n"), CANNOT_RUN, "header"),
    Case("header_only", "data", "header_only.csv", _text("header_only.csv", "id,city\n"), CANNOT_RUN, "no rows"),
    Case("header_only_parquet", "data", "header_only.parquet",
         lambda root: __import__("polars").DataFrame({"id": [1]}).clear().write_parquet(root / "header_only.parquet"),
         CANNOT_RUN, "no rows"),
    Case("long_line", "data", "long_line.csv", _long_line, CANNOT_RUN, "longer than", names_line=1, slow=True),
    Case("long_value", "data", "long_value.csv", _long_value, OK, "", slow=True),
    # columns
    Case("duplicate_columns", "data", "dup.csv", _text("dup.csv", "id,city,id\n1,Berlin,2\n"), CANNOT_RUN,
         "duplicate column name 'id'", names_line=1),
    Case("empty_column_name", "data", "noname.csv", _text("noname.csv", "id,,city\n1,2,Berlin\n"), CANNOT_RUN,
         "empty name", names_line=1),
    Case("odd_column_names", "data", "odd_names.csv",
         _text("odd_names.csv", 'n,value,count,0|null,[red]x[/red],"a,b",😀, padded \n1,a,2,3,4,5,6,7\n2,b,3,4,5,6,7,8\n'),
         OK, ""),
    Case("duplicate_keys_json", "data", "dup.jsonl", _text("dup.jsonl", '{"id": 1, "id": 2}\n'), OK, ""),
    Case("wide", "data", "wide.csv", _wide, OK, "", slow=True),
    # JSON
    Case("json_mixed_types", "data", "mixed.jsonl",
         _text("mixed.jsonl", '{"id": 1, "v": 1}\n{"id": 2, "v": "two"}\n{"id": 3, "v": [3]}\n{"id": 4, "v": {"x": 4}}\n'),
         OK, ""),
    Case("json_array_mixed_types", "data", "mixed.json",
         _text("mixed.json", '[{"id": 1, "v": 1}, {"id": 2, "v": "two"}, {"id": 3, "v": true}]'), OK, ""),
    Case("deep_ndjson", "data", "deep.jsonl", _deep_json, CANNOT_RUN, "too deeply"),
    Case("deep_json", "data", "deep_array.json", _deep_json_array, CANNOT_RUN, "too deeply"),
    Case("nested_ndjson", "data", "nested.jsonl", _nested_json, OK, ""),
    Case("ndjson_garbage_line", "data", "garbage.jsonl",
         _text("garbage.jsonl", '{"id": 1}\n{"id": 2}\nthis is not json\n{"id": 4}\n'), CANNOT_RUN, "JSON"),
    Case("json_not_json", "data", "broken.json", _text("broken.json", '[{"id": 1}, {"id": 2'), CANNOT_RUN,
         "not valid JSON", names_line=1),
    Case("json_scalar", "data", "scalar.json", _text("scalar.json", "42\n"), CANNOT_RUN, "list of objects"),
    Case("json_list_of_numbers", "data", "numbers.json", _text("numbers.json", "[1, 2, 3]\n"), CANNOT_RUN,
         "list of objects"),
    # where DATA points
    Case("mixed_directory", "data", "mixed", _mixed_dir, CANNOT_RUN, "mixes data formats"),
    Case("directory_without_data", "data", "no_data", _empty_dir, CANNOT_RUN, "no data files"),
    Case("glob_matches_nothing", "data", "nothing_[ab]*.csv", _nothing, CANNOT_RUN, "matches no file"),
    Case("missing_file", "data", "missing.csv", _nothing, CANNOT_RUN, "no such file"),
    Case("unknown_extension", "data", "data.xlsx", _text("data.xlsx", "id\n1\n"), CANNOT_RUN, "--input-format"),
    Case("unreadable_directory", "data", "locked", _unreadable_dir, CANNOT_RUN, "permission denied"),
    Case("unreadable_file", "data", "locked.csv", _unreadable_file, CANNOT_RUN, "permission denied"),
    # schema files
    Case("schema_not_json", "schema", "not_json.schema.json",
         _text("not_json.schema.json", '{"format": "datacheck.schema",\n "version": 1,\n "columns": [}\n'), CANNOT_RUN,
         "not valid JSON", names_line=3),
    Case("schema_yaml", "schema", "schema.yaml.json", _text("schema.yaml.json", "format: datacheck.schema\nversion: 1\n"),
         CANNOT_RUN, "not valid JSON", names_line=1),
    Case("schema_breaks_json_schema", "schema", "bad.schema.json", _text("bad.schema.json", BAD_SCHEMA), CANNOT_RUN,
         "$.columns[0].max_null_fraction"),
    Case("schema_future_version", "schema", "future.schema.json", _text("future.schema.json", UNKNOWN_VERSION_SCHEMA),
         CANNOT_RUN, "version"),
    Case("schema_is_statistics", "schema", "stats_as.schema.json",
         _text("stats_as.schema.json", _statistics_stub()), CANNOT_RUN, "format"),
    Case("schema_is_list", "schema", "list.schema.json", _text("list.schema.json", "[]"), CANNOT_RUN, "JSON object"),
    Case("schema_empty", "schema", "empty.schema.json", _bytes("empty.schema.json", b""), CANNOT_RUN, "not valid JSON"),
    Case("schema_latin1", "schema", "latin1.schema.json",
         _bytes("latin1.schema.json", _schema(columns=[{"name": "M\xfcnchen", "type": "string"}]).replace("\\u00fc", "\xfc").encode("latin1")), CANNOT_RUN, "UTF-8"),
    Case("schema_missing", "schema", "missing.schema.json", _nothing, CANNOT_RUN, "no such"),
    # statistics files (where DATA or a baseline is expected)
    Case("tfdv_statistics", "stats", "tfdv_stats.json", _text("tfdv_stats.json", TFDV_STATS), CANNOT_RUN, "TFDV"),
    Case("random_json_object", "stats", "random.json", _text("random.json", '{"hello": "world", "n": 3}\n'),
         CANNOT_RUN, "list of objects"),
    Case("statistics_future_version", "stats", "future_stats.json",
         _text("future_stats.json", _statistics_stub(version=7)), CANNOT_RUN, "version"),
    Case("statistics_broken", "stats", "broken_stats.json",
         _text("broken_stats.json", _statistics_stub(num_rows="many")), CANNOT_RUN, "$.num_rows"),
    Case("statistics_truncated", "stats", "truncated_stats.json",
         _text("truncated_stats.json", _statistics_stub()[:-20]), CANNOT_RUN, "JSON"),
    Case("schema_as_data", "stats", "schema_as_data.json", _text("schema_as_data.json", _schema()), CANNOT_RUN,
         "schema"),
)

#: Good inputs the cases are combined with (a clean CSV, its schema and its statistics), written by `generate`.
GOOD_CSV = "good.csv"
GOOD_SCHEMA = "good.schema.json"
GOOD_STATS = "good.stats.json"


def generate(directory: Path | str, names: list[str] | None = None) -> dict[str, Path]:
    """Write the corpus (or the named cases) and the good inputs into `directory`; return name -> path."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    (root / GOOD_CSV).write_text(_good_csv(), encoding="utf-8")
    (root / GOOD_SCHEMA).write_text(_schema(), encoding="utf-8")
    paths = {}
    for case in CASES:
        if names is None or case.name in names:
            case.build(root)
            paths[case.name] = root / case.path
    return paths


def write_good_statistics(root: Path) -> Path:
    """The statistics of good.csv (needs datacheck itself, so separate from `generate`)."""
    from datacheck.profile import profile
    from datacheck.render.stats import stats_json

    target = root / GOOD_STATS
    target.write_text(stats_json(profile(str(root / GOOD_CSV))), encoding="utf-8")
    return target


def case(name: str) -> Case:
    return next(c for c in CASES if c.name == name)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    written = generate(sys.argv[1], sys.argv[2:] or None)
    for c in CASES:
        if c.name in written:
            print(f"{c.name:28} {c.role:7} exit {c.exit_code}  {c.path:28} {c.fragment!r}")
