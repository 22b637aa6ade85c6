# ruff: noqa: S608 - the SQL around the caller's query is built from our own constants and ids
"""``datastore_search_sql``: a read-only SELECT over DataStore tables, and nothing else.

A DataStore table is named in the query as CKAN names it, by its resource id in double
quotes (``SELECT kabupaten FROM "3f1c…" WHERE penduduk > 500000``). The query runs as a
subquery under one common table expression per resource it names, each projecting that
table's live physical table (``typed_tables``) under the column names people see.

Layers, each enough on its own for what it covers:

1. ``check`` (pure, no Django): one statement, SELECT or WITH only; no comments, no
   dollar quoting, no escape strings, no ``U&`` identifiers, no bracket or backtick
   quoting; no write or session keyword; every function called is on an allow-list;
   no identifier names a table or view of the database or a system catalogue.
2. Every resource named must be one the caller may read and have a live DataStore table
   (otherwise "not found": a private dataset's existence is not told).
3. The engine adapter (``run``):
   - SQLite: an authorizer lets the statement do only SELECT, read the live tables of
     the resources named and call allowed functions; a progress handler stops it at the
     limit;
   - PostgreSQL: a read-only subtransaction with ``statement_timeout``, rolled back;
     ``EXPLAIN`` first, refusing any plan that scans a relation other than the live
     tables of the resources named, through our own expressions.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

MAX_ROWS = 32000
TIME_LIMIT_SECONDS = 10.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ALLOWED_FUNCTIONS = _words(
    """
    count sum avg min max total group_concat string_agg array_agg every bool_and bool_or
    stddev stddev_pop stddev_samp variance var_pop var_samp median percentile_cont
    percentile_disc mode corr covar_pop covar_samp regr_slope regr_intercept abs round ceil
    ceiling floor trunc sqrt power pow mod sign ln log log10 exp pi random lower upper
    length char_length character_length octet_length trim ltrim rtrim btrim substr substring
    replace coalesce nullif ifnull concat concat_ws left right position strpos instr
    initcap split_part reverse translate starts_with strftime date time datetime
    julianday unixepoch extract date_part date_trunc age to_char to_date to_number
    to_timestamp now current_date make_date greatest least iif typeof cast
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
    nth_value
    """
)
# (No repeat, lpad, rpad, printf or format: one call could ask for a gigabyte string.)
# Words that may stand before "(" without being a function call.
KEYWORDS_BEFORE_PAREN = _words(
    """
    select from where and or not in exists as join on using values over filter within any
    all some when then else case by having limit offset between is like ilike glob union
    intersect except distinct lateral row array with group order partition rows range cross
    inner left right full outer natural escape end asc desc nulls first last
    """
)
TYPE_NAMES = _words(
    """
    numeric decimal varchar char character int integer bigint smallint float real double
    precision timestamp timestamptz date time interval text boolean bool
    """
)
FORBIDDEN_WORDS = _words(
    """
    insert update delete merge upsert replace_into drop create alter truncate grant revoke
    attach detach pragma copy into vacuum analyze analyse reindex execute exec call do set
    reset lock listen notify unlisten load comment security checkpoint cluster discard
    prepare deallocate declare fetch move savepoint release rollback commit begin nowait
    returning
    """
)
SYSTEM_PREFIXES = ("pg_", "sqlite_", "information_schema")

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'(?:[^']|'')*')
  | (?P<qident>"(?:[^"]|"")*")
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>::|<=|>=|<>|!=|\|\||[-+*/%=<>(),.;|&~^!])
    """,
    re.VERBOSE,
)


class SqlRefused(Exception):
    """The query is not allowed; ``message`` says why in the user's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Token:
    kind: str
    text: str

    @property
    def name(self) -> str:
        """An identifier's name: quoted as written, bare ones folded to lower case."""
        if self.kind == "qident":
            return self.text[1:-1].replace('""', '"')
        return self.text.lower()


def tokenize(sql: str) -> list[Token]:
    tokens = []
    position = 0
    while position < len(sql):
        if sql.startswith(("--", "/*"), position):
            raise SqlRefused("Comments are not allowed in the query.")
        found = _TOKEN.match(sql, position)
        if found is None:
            raise SqlRefused(f"Cannot read the query at: {sql[position : position + 20]!r}")
        kind = found.lastgroup
        text = found.group()
        position = found.end()
        if kind == "space":
            continue
        if kind == "string" and "\\" in text:
            raise SqlRefused("Backslashes are not allowed in string literals.")
        glued = position - len(text) > 0 and not sql[position - len(text) - 1].isspace()
        if kind in ("string", "qident") and tokens and tokens[-1].kind == "word" and glued:
            raise SqlRefused("Prefixed string literals (E'', U&'', B'') are not allowed.")
        tokens.append(Token(kind, text))
    return tokens


@dataclass
class Checked:
    tokens: list[Token]
    resources: list[str]  # the quoted names of resource ids, as written


def check(sql: str, table_names: set[str]) -> Checked:
    """Refuse anything but one read-only SELECT over DataStore tables (see the module)."""
    text = (sql or "").strip()
    if not text:
        raise SqlRefused("Give an SQL query.")
    if len(text) > 20000:
        raise SqlRefused("The query is too long (at most 20000 characters).")
    tokens = tokenize(text)
    while tokens and tokens[-1].text == ";":
        tokens.pop()
    if not tokens:
        raise SqlRefused("Give an SQL query.")
    if any(t.kind == "op" and t.text == ";" for t in tokens):
        raise SqlRefused("Only one statement is allowed.")
    if tokens[0].kind != "word" or tokens[0].name not in ("select", "with"):
        raise SqlRefused("Only SELECT statements are allowed.")
    tables = {n.lower() for n in table_names}
    resources: list[str] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.kind == "op"
            and token.text == "&"
            and following
            and following.kind
            in (
                "qident",
                "string",
            )
        ):
            raise SqlRefused("U& identifiers and strings are not allowed.")
        if token.kind not in ("word", "qident"):
            continue
        name = token.name
        if token.kind == "word" and name in FORBIDDEN_WORDS:
            raise SqlRefused(f"{token.text.upper()} is not allowed: the query is read-only.")
        if _is_resource_id(name):
            if name not in resources:
                resources.append(name)
            continue
        lowered = name.lower()
        if lowered in tables or lowered.startswith(SYSTEM_PREFIXES):
            raise SqlRefused(
                f'Only DataStore tables can be queried: "{name[:60]}" is not one of them.'
            )
        if following is not None and following.text == "(":
            allowed = lowered in ALLOWED_FUNCTIONS or (
                token.kind == "word" and lowered in KEYWORDS_BEFORE_PAREN | TYPE_NAMES
            )
            if not allowed:
                raise SqlRefused(f'The function "{name[:60]}" is not allowed.')
    return Checked(tokens=tokens, resources=resources)


def _is_resource_id(name: str) -> bool:
    if len(name) != 36:
        return False
    try:
        uuid.UUID(name)
    except ValueError:
        return False
    return True


# --- the SQL around the caller's query ----------------------------------------------------


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def wrap(
    vendor: str, query: str, tables: dict[str, tuple[str, list[dict]]], nonce: str, limit: int
) -> str:
    """``query`` under one CTE per resource: {quoted name: (physical table, columns)}; the
    physical table's ``c<n>`` is the n-th of ``columns``."""
    parts = []
    for index, (name, (physical, columns)) in enumerate(tables.items()):
        alias = f'"_ds_{nonce}_{index}"'
        projected = [f"{alias}._id AS {_quote_ident('_id')}"]
        projected += [
            f"{alias}.c{position} AS {_quote_ident(c['name'])}"
            for position, c in enumerate(columns)
            if c["name"] != "_id"
        ]
        parts.append(
            f"{_quote_ident(name)} AS (SELECT {', '.join(projected)} "
            f"FROM {_quote_ident(physical)} AS {alias})"
        )
    head = ("WITH " + ", ".join(parts) + " ") if parts else ""
    return f'{head}SELECT * FROM ({query}) AS "_ds_{nonce}_result" LIMIT {int(limit)}'


def new_nonce() -> str:
    return secrets.token_hex(8)


# --- results ------------------------------------------------------------------------------

CKAN_TYPE_OF = {bool: "bool", int: "int", float: "numeric", Decimal: "numeric", str: "text"}


def plain(value, *, boolean: bool = False):
    """A result value as JSON carries it (``boolean``: SQLite's 0/1 of a boolean column)."""
    if boolean and isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and abs(value) < 2**53
            else float(value)
        )
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return None
    return value


def field_types(names: list[str], rows: list[tuple], known: dict[str, str]) -> list[dict]:
    fields = []
    for index, name in enumerate(names):
        kind = known.get(name)
        if kind is None:
            sample = next((row[index] for row in rows if row[index] is not None), None)
            kind = "date" if isinstance(sample, date) else CKAN_TYPE_OF.get(type(sample), "text")
        fields.append({"id": name, "type": kind})
    return fields


# --- engine adapters ----------------------------------------------------------------------


@dataclass
class Outcome:
    names: list[str]
    rows: list[tuple]


def run_sqlite(
    raw, sql: str, *, limit: int, seconds: float, tables: set[str], readable: set[str]
) -> Outcome:
    """Run on a sqlite3 connection under an authorizer and a deadline. ``tables``: every
    table and view of the database (reads of common table expressions are let through);
    ``readable``: the physical tables the query may read."""
    import sqlite3

    deadline = time.monotonic() + seconds
    functions = ALLOWED_FUNCTIONS
    real = {t.lower() for t in tables}

    def authorizer(action, arg1, arg2, _database, _source):
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            if arg1 in readable:
                return sqlite3.SQLITE_OK
            if (arg1 or "").lower() in real or (arg1 or "").lower().startswith(SYSTEM_PREFIXES):
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in functions:
            return sqlite3.SQLITE_OK
        if action == getattr(sqlite3, "SQLITE_RECURSIVE", 33):
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def over_time():
        return 1 if time.monotonic() > deadline else 0

    raw.set_authorizer(authorizer)
    raw.set_progress_handler(over_time, 2000)
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
            rows = cursor.fetchmany(limit)
            names = [d[0] for d in cursor.description or []]
        finally:
            cursor.close()
    finally:
        raw.set_authorizer(None)
        raw.set_progress_handler(None, 0)
    return Outcome(names=names, rows=rows)


def plan_relations(plan) -> list[tuple[str, str, str]]:
    """(node type, relation or function name, alias) of every scan in an EXPLAIN JSON."""
    found = []
    stack = list(plan if isinstance(plan, list) else [plan])
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if "Plan" in node:
            stack.append(node["Plan"])
        if "Relation Name" in node:
            found.append((node.get("Node Type", ""), node["Relation Name"], node.get("Alias", "")))
        if "Function Name" in node:
            found.append((node.get("Node Type", ""), node["Function Name"], node.get("Alias", "")))
        stack.extend(node.get("Plans", []))
    return found


def check_plan(plan, nonce: str, readable: set[str]) -> None:
    for _kind, relation, alias in plan_relations(plan):
        if relation in readable and alias.startswith(f"_ds_{nonce}_"):
            continue
        if relation.lower() in ALLOWED_FUNCTIONS:
            continue
        raise SqlRefused("Only DataStore tables can be queried.")
