"""A rule's SQL expression → a polars expression, reaching nothing but the row's own columns.

Rules in a schema are SQL expressions (`shipped_at >= ordered_at`), parsed by polars' own SQL expression
parser (`pl.sql_expr`), never by Python's `eval`. A schema file is data that may come from an untrusted pull
request, and polars' parser is a whole SQL engine: it accepts subqueries, and it runs them *while parsing*
(`a IN (SELECT x FROM read_csv('/etc/passwd'))` reads the file inside `pl.sql_expr` and prints its first line
in the error). So every expression first passes a lexical gate, `check_expression`, that admits only:

- literals (numbers, 'text'), operators and parentheses;
- the functions of `FUNCTIONS` (pure functions of their arguments: no table functions, no clock);
- the keywords of `KEYWORDS` (no SELECT, FROM, WITH, VALUES, TABLE: no subquery can be written);
- column names of the schema, bare or "quoted".

Only then is the text handed to polars. The gate is a whitelist, so a function polars adds later stays out
until it is listed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

#: Functions a rule may call: polars SQL functions that compute a value from their arguments alone (checked
#: against polars 2.1). Table functions (read_csv, read_parquet, ...) and the clock (now, current_date) are
#: left out: the first reach files or the network, the second make the same data pass one day and fail the next.
FUNCTIONS = frozenset("""
abs cbrt ceil ceiling exp floor ln log log10 log2 mod pow power round sign sqrt trunc greatest least
lower upper length char_length octet_length bit_length trim ltrim rtrim starts_with ends_with strpos substr
substring left right concat replace regexp_like regexp_replace reverse initcap normalize split_part lpad rpad
coalesce nullif ifnull if date_part strftime dayofweek
""".split())

#: Bare words a rule may use besides column names and functions. SELECT, FROM (except in IS DISTINCT FROM),
#: WITH, TABLE and VALUES are absent: without them no subquery can be written.
KEYWORDS = frozenset("""
and or not is null true false in between like ilike case when then else end cast as distinct interval
int integer bigint smallint tinyint float double real precision decimal numeric varchar text string char
date time timestamp datetime boolean bool
""".split())

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<text>'(?:[^']|'')*')
  | (?P<quoted>"(?:[^"]|"")*")
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>::|<=|>=|<>|!=|\|\||[-+*/%<>=(),.:])
""", re.VERBOSE)

#: Polars types a schema type is stored as, to type-check an expression before any data is read.
_DTYPES: Mapping[str, pl.DataType] = {
    "integer": pl.Int64(), "float": pl.Float64(), "string": pl.String(), "categorical": pl.String(),
    "boolean": pl.Boolean(), "date": pl.Date(), "datetime": pl.Datetime("us"), "time": pl.Time(),
    "duration": pl.Duration("us"), "binary": pl.Binary(),
}


class RuleExpressionError(ValueError):
    """An expression that datacheck does not evaluate: it does not parse, reaches beyond the row, names an
    unknown column, or is not true/false."""


@dataclass(frozen=True)
class CompiledExpression:
    """A checked expression: the polars expression and the columns it names, in order of first mention."""

    text: str
    expr: pl.Expr
    columns: tuple[str, ...]


def check_expression(text: str, columns: Iterable[str]) -> None:
    """Raise RuleExpressionError unless `text` uses only literals, operators, FUNCTIONS, KEYWORDS and `columns`.

    Example:
        >>> check_expression("a >= b", ["a", "b"])
        >>> check_expression("a IN (SELECT x FROM read_csv('f.csv'))", ["a"])
        Traceback (most recent call last):
        ...
        datacheck.rule_expr.RuleExpressionError: 'SELECT' is not allowed in a rule (no subqueries): ...
    """
    known = set(columns)
    tokens = _tokens(text)
    for i, (kind, value) in enumerate(tokens):
        if kind != "word":
            continue
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        word = value.lower()
        if following == "(" and value not in known:
            if word not in FUNCTIONS and word not in KEYWORDS:
                raise RuleExpressionError(f"function {value!r} is not allowed in a rule; the functions are: "
                                          + ", ".join(sorted(FUNCTIONS)))
        elif word == "from" and i > 0 and tokens[i - 1][1].lower() == "distinct":
            continue  # IS [NOT] DISTINCT FROM
        elif word in ("select", "from", "with", "table", "values"):
            raise RuleExpressionError(f"{value!r} is not allowed in a rule (no subqueries): a rule sees one row's "
                                      "columns and nothing else")
        elif word not in KEYWORDS and value not in known:
            raise RuleExpressionError(f"{value!r} is not a column of the schema"
                                      + (" (a name that is also an SQL keyword must be written in double quotes)"
                                         if word in ("current_date", "current_time", "current_timestamp") else ""))
    for i, (kind, value) in enumerate(tokens):
        if kind == "quoted":
            name = value[1:-1].replace('""', '"')
            if name not in known:
                raise RuleExpressionError(f"{name!r} is not a column of the schema")
            if i + 1 < len(tokens) and tokens[i + 1][1] == "(":
                raise RuleExpressionError(f"a quoted name cannot be called as a function: {value}")


def compile_expression(text: str, column_types: Mapping[str, str]) -> CompiledExpression:
    """Check `text` against the columns `column_types` names (column -> schema type), parse it with polars,
    and check that it gives true/false on those types.

    Raises:
        RuleExpressionError: see `check_expression`; or polars cannot parse it; or it is not boolean.

    Example:
        >>> compile_expression("b > a", {"a": "integer", "b": "integer"}).columns
        ('b', 'a')
    """
    check_expression(text, column_types)
    expr = parse(text)
    names = tuple(dict.fromkeys(expr.meta.root_names()))
    probe = pl.DataFrame(schema={name: _DTYPES.get(column_types[name], pl.String()) for name in names})
    try:
        dtype = probe.select(expr.alias("rule")).schema["rule"]
    except pl.exceptions.PolarsError as exc:
        raise RuleExpressionError(f"cannot be evaluated on the schema's types: {_first_line(exc)}") from None
    if dtype not in (pl.Boolean, pl.Null):
        raise RuleExpressionError(f"gives {dtype}, not true/false (a rule is a condition, like a >= b)")
    return CompiledExpression(text, expr, names)


def parse(text: str) -> pl.Expr:
    """polars' parse of an expression that `check_expression` admitted.

    Raises:
        RuleExpressionError: polars cannot parse it.
    """
    try:
        return pl.sql_expr(text)
    except (pl.exceptions.PolarsError, ValueError, TypeError) as exc:
        raise RuleExpressionError(f"does not parse: {_first_line(exc)}") from None


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise RuleExpressionError(f"unexpected character {text[pos]!r} at position {pos + 1}"
                                      + (" (one expression only)" if text[pos] == ";" else ""))
        kind = match.lastgroup or ""
        if kind != "space":
            found.append((kind, match.group()))
        pos = match.end()
    return found


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


__all__ = ["FUNCTIONS", "KEYWORDS", "CompiledExpression", "RuleExpressionError", "check_expression",
           "compile_expression", "parse"]
