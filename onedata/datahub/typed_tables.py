# ruff: noqa: S608 - every table and column name in this module is built from integers
"""The physical DataStore tables: one typed table per generation of a resource's table.

A load creates ``datastore_<table id>_<generation>`` with ``_id`` (the row number), one
column per file column (``c0``, ``c1``… in file order; the names people see live in
``DataTable.columns``, so no name from a file ever reaches SQL) and ``_search`` (the
row's text cells, lower-cased, for ``q``). Rows go straight in with the engine's bulk
path, PostgreSQL ``COPY`` or SQLite ``executemany``: no JSON, no foreign key, no index
to maintain while loading. The table is live once ``DataTable.generation`` points at it;
the previous generation's table is dropped then.

Types per engine:

============  ==========  =====================================================
type          PostgreSQL  SQLite
============  ==========  =====================================================
integer       bigint      NUMERIC (``"5"`` is stored as the integer 5)
number        numeric     NUMERIC (``"2.5"`` as a real, ``"2.0"`` as 2)
boolean       boolean     INTEGER 0/1
date          date        TEXT, ISO 8601 (sorts as dates)
string        text        TEXT
============  ==========  =====================================================

Inference guarantees that every non-empty cell of a typed column matches its pattern
(``tabular``), so the engines' own parsers never see a value they would refuse.
"""

from __future__ import annotations

import os
import re
import time
from contextlib import ExitStack, contextmanager, suppress
from decimal import Decimal

import psycopg
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from onedata.datahub import columnar
from onedata.datahub.tabular import BOOLEAN, DATE, INTEGER, NUMBER, SEP, STRING, Column

PREFIX = "datastore_"
ID = "_id"
SEARCH = "_search"
PHYSICAL_NAME = re.compile(r"^datastore_(\d+)_(\d+)$")

SQL_TYPES = {
    "postgresql": {
        INTEGER: "bigint",
        NUMBER: "numeric",
        BOOLEAN: "boolean",
        DATE: "date",
        STRING: "text",
    },
    "sqlite": {
        INTEGER: "NUMERIC",
        NUMBER: "NUMERIC",
        BOOLEAN: "INTEGER",
        DATE: "TEXT",
        STRING: "TEXT",
    },
}


def table_name(table_id: int, generation: int) -> str:
    return f"{PREFIX}{int(table_id)}_{int(generation)}"


def column(index: int) -> str:
    return f"c{int(index)}"


def _execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create(name: str, types: list[str]) -> None:
    """A new, empty table ``name`` (one left behind by a killed load is dropped first)."""
    sql_types = SQL_TYPES[connection.vendor]
    # SQLite: an INTEGER PRIMARY KEY is the row id itself, free to keep up while loading.
    # PostgreSQL: ``_id`` is indexed once the rows are in (``finish``).
    key = f"{ID} INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else f"{ID} bigint NOT NULL"
    columns = [key]
    columns += [f"{column(i)} {sql_types[kind]}" for i, kind in enumerate(types)]
    columns.append(f"{SEARCH} text NOT NULL DEFAULT ''")
    _execute(f'DROP TABLE IF EXISTS "{name}"', f'CREATE TABLE "{name}" ({", ".join(columns)})')


def finish(name: str) -> None:
    """After the last row (PostgreSQL): a BRIN index on ``_id``. A generation's table is
    written once, in ``_id`` order (batch by batch; with several COPY streams, neighbouring
    batches share block ranges) and never changed, so a block-range index finds a page of
    rows nearly as well as a b-tree would, at a third of the cost to build and a sliver of
    its size. (Statistics come from autovacuum; until then ``row_id_index`` tells the
    planner to use the index. An ANALYZE here would cost more than the index.)"""
    if connection.vendor == "postgresql":
        _execute(f'CREATE INDEX "{name}_id" ON "{name}" USING brin ({ID})')


@contextmanager
def row_id_index(cursor):
    """Around a query for a range of ``_id`` (inside a transaction): PostgreSQL reads it
    through the index. A new table has no planner statistics until autovacuum analyses
    it, and without them the planner guesses that a range holds thousands of rows and
    scans the whole table (60 ms for a million rows, against 1 ms through the index); the
    range holds exactly the page's rows, so the index is always the better plan."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")


def drop(name: str) -> None:
    _execute(f'DROP TABLE IF EXISTS "{name}"')


def names_of(table_id: int) -> list[str]:
    """Every physical table of a DataStore table, live or left behind."""
    prefix = f"{PREFIX}{int(table_id)}_"
    return [
        name
        for name in connection.introspection.table_names()
        if name.startswith(prefix) and PHYSICAL_NAME.match(name)
    ]


def drop_all(table_id: int) -> None:
    for name in names_of(table_id):
        drop(name)


# --- encoding a batch ---------------------------------------------------------------------

_COPY_NULL = {"": "\\N"}.get  # .get(value, text): \N for an empty cell
_COPY_BOOL = {
    "": "\\N",
    "true": "t",
    "TRUE": "t",
    "True": "t",
    "false": "f",
    "FALSE": "f",
    "False": "f",
}
# COPY's text format: backslash is the escape character, tab and newline end a field and a
# row. PostgreSQL text cannot hold NUL at all; it is left out.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_ESCAPES_NUL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", SEP: ""})
_NONE_FOR_EMPTY = {"": None}.get
_SQLITE_BOOL = {"": None, "true": 1, "TRUE": 1, "True": 1, "false": 0, "FALSE": 0, "False": 0}


def _copy_escaped(column: Column) -> list[str]:
    if column.joined is None:  # a value holds a NUL
        return [value.translate(_COPY_ESCAPES_NUL) for value in column.values]
    if any(c in column.joined for c in "\\\t\n\r"):
        return column.joined.translate(_COPY_ESCAPES)[1:-1].split(SEP)
    return column.values


def _search_texts(words: list, count: int) -> list[str]:
    """Each row's text cells, lower-cased, separated by spaces."""
    if not words:
        return [""] * count
    return list(map(str.lower, map(" ".join, zip(*words, strict=True))))


def copy_text(columns: list[Column], types: list[str], first_id: int) -> str:
    """A batch as COPY text lines: ``_id``, the cells, the search text."""
    count = len(columns[0].values) if columns else 0
    cells: list = [map(str, range(first_id, first_id + count))]
    words = []
    for kind, batch_column in zip(types, columns, strict=True):
        values = batch_column.values
        if kind == BOOLEAN:
            cells.append(map(_COPY_BOOL.__getitem__, values))
        elif kind in (INTEGER, NUMBER):
            cells.append(map(_COPY_NULL, values, values) if "" in values else values)
        else:
            escaped = _copy_escaped(batch_column)
            cells.append(map(_COPY_NULL, values, escaped) if "" in values else escaped)
            words.append(escaped)
    # Escapes are lower-case already (\\, \t, \n, \r), so lower-casing escaped words gives
    # the escaped lower-cased words.
    cells.append(_search_texts(words, count))
    if not count:
        return ""
    return "\n".join(map("\t".join, zip(*cells, strict=True))) + "\n"


def sqlite_rows(columns: list[Column], types: list[str], first_id: int):
    """A batch as parameter tuples: ``_id``, the cells, the search text."""
    count = len(columns[0].values) if columns else 0
    cells: list = [range(first_id, first_id + count)]
    words = []
    for kind, batch_column in zip(types, columns, strict=True):
        values = batch_column.values
        if kind == BOOLEAN:
            cells.append(map(_SQLITE_BOOL.__getitem__, values))
        else:
            cells.append(map(_NONE_FOR_EMPTY, values, values) if "" in values else values)
            if kind in (DATE, STRING):
                words.append(values)
    cells.append(_search_texts(words, count))
    return zip(*cells, strict=True)


# --- writers --------------------------------------------------------------------------------


class TableWriter:
    """Writes the rows of one new physical table, batch after batch.

    ``unflushed``: rows sent through an open COPY on Django's connection, not yet stored
    for sure; the loader reports progress only when it is 0 (a query cannot go through a
    connection while it has a COPY open)."""

    FLUSH_ROWS = 0
    FLUSH_SECONDS = 0.0

    def flush_due(self) -> bool:
        """Whether to store what was sent now, so that the loader can report progress."""
        return bool(self.unflushed) and (
            self.unflushed >= self.FLUSH_ROWS
            or time.monotonic() - self._opened_at >= self.FLUSH_SECONDS
        )

    def __init__(self, table_id: int, generation: int):
        self.name = table_name(table_id, generation)
        self.types: list[str] = []
        self.count = 0
        self.unflushed = 0
        self._opened_at = 0.0

    def create(self, types: list[str]) -> None:
        self.discard()
        create(self.name, types)
        self.types = list(types)

    def write(self, columns: list[Column]) -> None:  # pragma: no cover
        raise NotImplementedError

    def write_batch(self, batch, encoded) -> None:  # pragma: no cover
        """A ``columnar.Batch`` and its ``columnar.Encoded`` form."""
        raise NotImplementedError

    def retype(self, types: list[str]) -> bool:
        """Change column types of the rows written so far, where no written value changes
        (integer to number); False when a rewrite from the file is needed instead."""
        changed = [
            i for i, (old, new) in enumerate(zip(self.types, types, strict=True)) if old != new
        ]
        if any((self.types[i], types[i]) != (INTEGER, NUMBER) for i in changed):
            return False
        self._widen_to_number(changed)
        self.types = list(types)
        return True

    def _widen_to_number(self, indexes: list[int]) -> None:
        """SQLite: nothing to do, NUMERIC holds both."""

    def flush(self) -> None:
        """Store what was sent so far."""

    def close(self) -> None:
        self.flush()
        finish(self.name)

    def discard(self) -> None:
        """Drop the table and whatever was written to it (none of it is live). What was
        sent is stored first rather than aborted: an aborted COPY would also abort the
        transaction around the load, when there is one."""
        self.flush()
        drop(self.name)
        self.count = 0

    def abort(self) -> None:
        """Stop writing after an error, without what was not stored yet."""


class SqliteWriter(TableWriter):
    """``executemany`` of each batch in its own short transaction: the site stays writable
    during a long load, and the progress shows."""

    def write(self, columns):
        count = len(columns[0].values) if columns else 0
        self._insert(sqlite_rows(columns, self.types, self.count + 1), count)

    def write_batch(self, batch, encoded):
        self._insert(columnar.sqlite_rows(batch, encoded, self.types, self.count + 1), len(batch))

    def _insert(self, rows, count: int) -> None:
        placeholders = ", ".join("?" * (len(self.types) + 2))
        sql = f'INSERT INTO "{self.name}" VALUES ({placeholders})'
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.connection.executemany(sql, rows)
        self.count += count


class PostgresWriter(TableWriter):
    """``COPY ... FROM STDIN``, left open over all the batches, so that the server stores
    one batch while the next one is read and encoded.

    The server's side of a COPY (parsing numbers and dates, writing pages and WAL) is the
    slowest part of a load, and one COPY runs in one server process. Outside a
    transaction, the batches go round-robin to ``STREAMS`` COPYs, each on a connection of
    its own (one server process each), and Django's connection stays free for the
    loader's progress. A generation's table is not live until ``switch_generation``, so
    rows one stream committed before another failed are never read: the table is dropped.
    Inside a transaction other connections cannot see the new table: one COPY on Django's
    connection, ended every ``FLUSH_SECONDS`` (or ``FLUSH_ROWS``) so that the loader can
    record its progress on that connection.
    """

    FLUSH_ROWS = 10_000_000
    FLUSH_SECONDS = 2.0
    STREAMS = max(1, min(4, os.cpu_count() or 1))

    def __init__(self, table_id: int, generation: int):
        super().__init__(table_id, generation)
        self._streams: list[_CopyStream] = []
        self._shared = False  # a COPY open on Django's connection
        self._sent = 0

    def write(self, columns):
        text = copy_text(columns, self.types, self.count + 1)
        if text:
            self._send(text, len(columns[0].values), f'COPY "{self.name}" FROM STDIN')

    def write_batch(self, batch, encoded):
        if len(batch):
            names = ", ".join(columnar.copy_columns(len(self.types)))
            self._send(
                columnar.copy_payload(encoded, self.types, self.count + 1),
                len(batch),
                f'COPY "{self.name}" ({names}) FROM STDIN',
            )

    def _send(self, data, rows: int, statement: str) -> None:
        if not self._streams:
            self._opened_at = time.monotonic()
            self._shared = connection.in_atomic_block
            count = 1 if self._shared else self.STREAMS
            self._streams = [
                _CopyStream(statement, own_connection=not self._shared) for _ in range(count)
            ]
        self._streams[self._sent % len(self._streams)].write(data)
        self._sent += 1
        self.count += rows
        if self._shared:
            self.unflushed += rows

    def _widen_to_number(self, indexes):
        self.flush()
        _execute(
            *(f'ALTER TABLE "{self.name}" ALTER COLUMN {column(i)} TYPE numeric' for i in indexes)
        )

    def flush(self):
        streams, self._streams = self._streams, []
        try:
            for stream in streams:
                stream.close()
        except BaseException:
            for stream in streams:
                stream.abort()
            raise
        self.unflushed = 0

    def abort(self):
        streams, self._streams = self._streams, []
        for stream in streams:
            stream.abort()
        self.unflushed = 0


class _CopyStream:
    """One open COPY: on Django's connection, or on a connection of its own (autocommit,
    closed with the COPY). A queued writer: a thread sends one batch while the next one
    is encoded."""

    def __init__(self, statement: str, *, own_connection: bool):
        self._stack = ExitStack()
        if own_connection:
            raw = psycopg.connect(**connection.get_connection_params(), autocommit=True)
            self._stack.callback(raw.close)
            cursor = raw.cursor()
        else:
            cursor = self._stack.enter_context(connection.cursor()).cursor
        self._copy = self._stack.enter_context(
            cursor.copy(statement, writer=QueuedLibpqWriter(cursor))
        )

    def write(self, data) -> None:
        self._copy.write(data)

    def close(self) -> None:
        self._stack.close()

    def abort(self) -> None:
        with suppress(Exception):
            self._stack.__exit__(RuntimeError, RuntimeError("load stopped"), None)


def writer_for(table_id: int, generation: int) -> TableWriter:
    if connection.vendor == "postgresql":
        return PostgresWriter(table_id, generation)
    return SqliteWriter(table_id, generation)


# --- reading --------------------------------------------------------------------------------


def _number(value):
    """A stored number as JSON would give it: an int when whole, else a float."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _date(value):
    return value if value is None or isinstance(value, str) else value.isoformat()


def _boolean(value):
    return value if value is None or isinstance(value, bool) else bool(value)


_DECODERS = {NUMBER: _number, DATE: _date, BOOLEAN: _boolean}


def decoders(types: list[str]) -> list:
    """One function per column from the stored value to the value records carry (None
    where the stored value already is that)."""
    return [_DECODERS.get(kind) for kind in types]


def parameter(kind: str) -> str:
    """The placeholder for a value compared with a column of ``kind``."""
    if connection.vendor == "postgresql" and kind == DATE:
        return "CAST(%s AS date)"
    return "%s"


def bound(kind: str, value):
    """A filter value (``tabular.cast``) as the engine compares it with the column."""
    if kind == BOOLEAN and connection.vendor == "sqlite" and value is not None:
        return int(value)
    return value


def contains(expression: str) -> str:
    """SQL true when ``expression`` holds the parameter as a substring (no LIKE wildcards
    to escape)."""
    if connection.vendor == "postgresql":
        return f"strpos({expression}, %s) > 0"
    return f"instr({expression}, %s) > 0"
