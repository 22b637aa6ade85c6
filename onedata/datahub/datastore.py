"""The DataStore: loading tabular resources into rows of the database, and querying them.

One loader interface, two adapters: PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg 3),
SQLite gets ``executemany`` in large batches. Rows are written under the table's next
generation and switched live in one short transaction at the end, so a failed load
leaves the previous table untouched and readable throughout (rows of a generation that
is not live are never read, and a failed load deletes what it wrote).

The load path is built for bulk: the file is read in batches of 20,000 rows, each
batch's columns are type-checked, validated and encoded with C-level operations over
whole columns (``tabular.Column``, ``tabular.BatchEncoder``), and the cyclic garbage
collector is paused while millions of short-lived objects go by.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, F, Window
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core.errors import ValidationError
from onedata.datahub import tabular
from onedata.datahub.models import DataRow, DataTable

logger = logging.getLogger("onedata.datahub")

MAX_LIMIT = 32000
ROW_TABLE = DataRow._meta.db_table


# --- writing rows -------------------------------------------------------------------------


class RowWriter:
    """Writes rows (JSON object text, search text) of one table generation.

    ``writes_while_inferring``: the adapter may write during the first read of the file,
    with the types known so far (SQLite: each batch is its own short transaction, so the
    site stays writable during a long load and the progress shows). When a column then
    turns out to be text after numbers were written, ``discard()`` drops what was written
    and a second read writes everything again with the final types.
    """

    writes_while_inferring = False

    def __init__(self, table_id: int, generation: int):
        self.table_id = table_id
        self.generation = generation
        self.count = 0

    def write(self, rows: list[str], texts: list[str]) -> None:  # pragma: no cover
        raise NotImplementedError

    def flush(self) -> None:
        """Make what was written so far durable enough to report progress after it."""

    def close(self) -> None:
        self.flush()

    def discard(self) -> None:
        """Remove every row written to this generation (none of it is live)."""
        self.flush()
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{ROW_TABLE}" WHERE table_id = %s AND generation = %s',  # noqa: S608 - our own table name
                [self.table_id, self.generation],
            )
        self.count = 0


class SqliteWriter(RowWriter):
    """``executemany`` of the rows as the C code zips them, one transaction per batch."""

    writes_while_inferring = True
    SQL = (
        f'INSERT INTO "{ROW_TABLE}" (table_id, generation, rownum, data, search) '  # noqa: S608 - our own table name
        "VALUES (?, ?, ?, ?, ?)"
    )

    def write(self, rows, texts):
        start = self.count + 1
        params = zip(
            repeat(self.table_id),
            repeat(self.generation),
            range(start, start + len(rows)),
            rows,
            texts,
            strict=False,
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.connection.executemany(self.SQL, params)
        self.count += len(rows)


class PostgresWriter(RowWriter):
    """``COPY ... FROM STDIN`` left open over several batches, so that the server stores one
    batch while the next one is encoded. ``flush()`` ends the COPY: the connection is free
    again, so the loader may record its progress (a query issued while a COPY is open
    would wait on the COPY forever)."""

    SQL = f'COPY "{ROW_TABLE}" (table_id, generation, rownum, data, search) FROM STDIN'

    def __init__(self, table_id: int, generation: int):
        super().__init__(table_id, generation)
        self._open: ExitStack | None = None
        self._copy = None
        self.line = f"{table_id}\t{generation}\t%d\t%s\t%s"

    def write(self, rows, texts):
        if not rows:
            return
        if self._open is None:
            self._open = ExitStack()
            cursor = self._open.enter_context(connection.cursor())
            self._copy = self._open.enter_context(cursor.cursor.copy(self.SQL))
        # COPY's text format: a backslash is its escape character. JSON texts hold no
        # tab or newline (JSON escapes them), and never a NUL, so the batch is escaped
        # at once; search texts are raw cells and are escaped only when they need it.
        data = "\x00".join(rows)
        if "\\" in data:
            rows = data.replace("\\", "\\\\").split("\x00")
        words = "\x00".join(texts)
        if "\x00" in words:
            texts = [t.translate(_COPY_ESCAPES) for t in texts]
        elif any(c in words for c in "\\\t\n\r"):
            texts = words.translate(_COPY_ESCAPES).split("\x00")
        start = self.count + 1
        numbered = zip(range(start, start + len(rows)), rows, texts, strict=True)
        self._copy.write("\n".join(map(self.line.__mod__, numbered)) + "\n")
        self.count += len(rows)

    def flush(self):
        if self._open is not None:
            open_copy, self._open, self._copy = self._open, None, None
            open_copy.close()

    def abort(self) -> None:
        """End an open COPY after an error, without its rows."""
        if self._open is not None:
            open_copy, self._open, self._copy = self._open, None, None
            error = RuntimeError("load stopped")
            with suppress(Exception):
                open_copy.__exit__(RuntimeError, error, None)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES) if value else value


def row_writer(table_id: int, generation: int) -> RowWriter:
    if connection.vendor == "postgresql":
        return PostgresWriter(table_id, generation)
    return SqliteWriter(table_id, generation)


# --- loading ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    rows: int
    columns: list[dict]
    report: dict


def _set_progress(table_id: int, progress: int) -> None:
    DataTable.objects.filter(pk=table_id).update(progress=min(100, max(0, progress)))


# Column type changes that change how earlier rows were written: their cells were JSON
# numbers or booleans (and left out of the search text), and must now be strings.
_REWRITE_WHEN_TEXT = {tabular.INTEGER, tabular.NUMBER, tabular.BOOLEAN}
# PostgreSQL: end the open COPY (and report progress) after about this many rows.
PROGRESS_ROWS = 100_000


def load_file(
    table: DataTable,
    path: Path,
    fmt: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Infer (every value), validate, and write the next generation of ``table``.

    Raises ``tabular.TableError`` when the file cannot be read; the caller keeps the
    previous generation. One read of the file checks and infers each batch; an adapter
    that ``writes_while_inferring`` (SQLite) writes it at once, and the load ends there
    unless a column turned from numbers to text on the way. Otherwise a second read writes
    every row with the final types (PostgreSQL: in one transaction, so a killed load
    leaves nothing). Progress: 0-100 % for a load done in one read; 0-50 % for the first
    read and 50-100 % for the second otherwise.
    """
    # Millions of short-lived lists and strings, no reference cycles: the cyclic garbage
    # collector would only walk them again and again (a fifth of the load's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_file(table, path, fmt, progress or (lambda p: None))
    finally:
        if collecting:
            gc.enable()


def _load_file(table: DataTable, path: Path, fmt: str, progress) -> LoadResult:
    source = tabular.open_table(path, fmt)
    names = tabular.column_names(source.header)
    width = len(names)
    report = tabular.Report()
    tabular.check_header(source.header, report)
    rules, key = tabular.rules_from_schema(table.schema, names)
    checker = tabular.RowChecker(names, rules, key, report)
    declared = {i: r.type for i, r in enumerate(rules) if r.type != "any"}
    verified = {i for i in range(width) if i not in declared}
    state: list[str | None] = [tabular.NULL] * width
    for index in tabular.code_columns(names):
        state[index] = tabular.STRING
    generation = table.generation + 1
    writer = row_writer(table.pk, generation)
    writer.discard()  # rows a killed load of this generation left behind
    early = writer.writes_while_inferring
    size = max(path.stat().st_size, 1) if fmt.upper() == "CSV" else 0
    share = 99 if early else 45
    total = 0
    approx_row_bytes = None
    written_types = None
    try:
        for batch in source.batches():
            columns = tabular.columns_of(batch, width)
            checker.check(batch, total + 2, columns)
            tabular.infer_batch(state, columns)
            total += len(batch)
            if early:
                types = _column_types(state, declared)
                if written_types and _needs_rewrite(written_types, types):
                    writer.discard()
                    early, share = False, 45
                else:
                    rows, texts = tabular.BatchEncoder(names, types, verified).encode(columns)
                    writer.write(rows, texts)
                    written_types = types
            if size:
                if approx_row_bytes is None:
                    approx_row_bytes = max(1, sum(map(len, map(",".join, batch))) / len(batch) + 1)
                progress(int(share * min(1.0, total * approx_row_bytes / size)))
        writer.close()
    except BaseException:
        _abandon(writer)
        raise
    report.rows = total
    types = _column_types(state, declared)
    if not early:
        progress(50)
        _write_again(source, writer, names, types, verified, total, progress)
    progress(99)  # the switch to the new generation makes it 100
    old = {c["name"]: c for c in table.columns}
    columns = [
        {
            "name": n,
            "type": t,
            "label": old.get(n, {}).get("label", ""),
            "description": old.get(n, {}).get("description", ""),
        }
        for n, t in zip(names, types, strict=True)
    ]
    return LoadResult(rows=writer.count, columns=columns, report=report.as_dict())


def _column_types(state: list[str | None], declared: dict[int, str]) -> list[str]:
    return [declared.get(i, t or tabular.STRING) for i, t in enumerate(state)]


def _needs_rewrite(before: list[str], after: list[str]) -> bool:
    return any(
        old in _REWRITE_WHEN_TEXT and new == tabular.STRING
        for old, new in zip(before, after, strict=True)
    )


def _abandon(writer: RowWriter) -> None:
    if isinstance(writer, PostgresWriter):
        writer.abort()
    if writer.writes_while_inferring:
        writer.discard()


def _write_again(source, writer, names, types, verified, total, progress) -> None:
    """The second read: every row with the final types, in one transaction."""
    encoder = tabular.BatchEncoder(names, types, verified)
    width = len(names)
    since_flush = 0
    with transaction.atomic():
        try:
            for batch in source.batches():
                writer.write(*encoder.encode(tabular.columns_of(batch, width)))
                since_flush += len(batch)
                if since_flush >= PROGRESS_ROWS:
                    writer.flush()
                    since_flush = 0
                    progress(50 + int(49 * writer.count / max(total, 1)))
            writer.close()
        except BaseException:
            if isinstance(writer, PostgresWriter):
                writer.abort()
            raise


def switch_generation(table: DataTable, result: LoadResult) -> None:
    """Make the new generation live and drop the old one, in one transaction."""
    with transaction.atomic():
        locked = DataTable.objects.select_for_update().get(pk=table.pk)
        old_generation = locked.generation
        locked.generation = old_generation + 1
        locked.row_count = result.rows
        locked.columns = result.columns
        locked.report = result.report
        locked.status = DataTable.Status.READY
        locked.progress = 100
        locked.error = ""
        locked.loaded_at = timezone.now()
        locked.save(
            update_fields=[
                "generation",
                "row_count",
                "columns",
                "report",
                "status",
                "progress",
                "error",
                "loaded_at",
            ]
        )
        DataRow.objects.filter(table=locked, generation__lte=old_generation).delete()
    table.refresh_from_db()


def load_records(
    table: DataTable, fields: list[dict], records: list[dict], *, replace: bool = False
) -> LoadResult:
    """``datastore_create``/``upsert`` with records given inline (CKAN clients do this)."""
    names = [f["id"] for f in fields]
    types = [_ckan_to_type(f.get("type", "text")) for f in fields]
    encode = tabular.row_encoder(names, types)
    rows = [[_as_text(record.get(n)) for n in names] for record in records]
    generation = table.generation + 1
    start = 0 if replace else table.row_count
    with transaction.atomic():
        existing = (
            []
            if replace
            else list(
                DataRow.objects.filter(table=table, generation=table.generation)
                .order_by("rownum")
                .values_list("data", "search")
            )
        )
        writer = row_writer(table.pk, generation)
        writer.discard()  # rows a killed load of this generation left behind
        try:
            writer.write([json.dumps(d) for d, _s in existing], [s for _d, s in existing])
            encoded = [encode(row) for row in rows]
            writer.write([d for d, _s in encoded], [s for _d, s in encoded])
        finally:
            writer.close()
    columns = [
        {"name": n, "type": t, "label": "", "description": ""}
        for n, t in zip(names, types, strict=False)
    ]
    return LoadResult(rows=start + len(rows), columns=columns, report={"valid": True, "errors": []})


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


CKAN_TYPES = {
    tabular.INTEGER: "int",
    tabular.NUMBER: "numeric",
    tabular.BOOLEAN: "bool",
    tabular.DATE: "date",
    tabular.STRING: "text",
}


def _ckan_to_type(name: str) -> str:
    reverse = {v: k for k, v in CKAN_TYPES.items()}
    reverse.update({"int4": tabular.INTEGER, "int8": tabular.INTEGER, "float8": tabular.NUMBER})
    reverse.update({"timestamp": tabular.STRING, "bigint": tabular.INTEGER})
    return reverse.get(name, tabular.STRING)


# --- searching ----------------------------------------------------------------------------


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError.for_field(field, message)


@dataclass
class SearchResult:
    fields: list[dict]
    records: list[dict]
    total: int | None
    limit: int
    offset: int


def _typed_filter_value(column: dict, value):
    kind = column["type"]
    try:
        return tabular.cast(value, kind) if isinstance(value, str) else value
    except ValueError:
        return None


def parse_sort(sort: str, names: set[str]) -> list[tuple[str, bool]]:
    """``"a desc, b"`` → [("a", True), ("b", False)]; unknown columns refused by name."""
    order = []
    for part in (sort or "").split(","):
        bits = part.strip().rsplit(" ", 1)
        if not bits[0]:
            continue
        name, descending = bits[0].strip().strip('"'), False
        if len(bits) == 2 and bits[1].lower() in ("asc", "desc"):
            descending = bits[1].lower() == "desc"
        elif len(bits) == 2:
            name = part.strip().strip('"')
        if name not in names and name != "_id":
            raise _bad("sort", _('Unknown column "%(name)s" in sort.') % {"name": name[:60]})
        order.append((name, descending))
    return order


def search(
    table: DataTable,
    *,
    filters: dict | None = None,
    q: str = "",
    sort: str = "",
    fields: Iterable[str] | None = None,
    limit: int = 100,
    offset: int = 0,
    include_total: bool = True,
    distinct: bool = False,
) -> SearchResult:
    """Rows of a DataStore table. Columns are checked against the table's own list, so
    nothing a client types reaches SQL as a name; values go as parameters."""
    columns = {c["name"]: c for c in table.columns}
    if limit < 0 or limit > MAX_LIMIT:
        raise _bad("limit", _("limit must be between 0 and %(max)d.") % {"max": MAX_LIMIT})
    if offset < 0:
        raise _bad("offset", _("offset must not be negative."))
    chosen = list(fields) if fields else list(columns)
    for name in chosen:
        if name not in columns and name != "_id":
            raise _bad("fields", _('Unknown column "%(name)s".') % {"name": str(name)[:60]})
    rows = DataRow.objects.filter(table=table, generation=table.generation)
    counter = 0
    for name, value in (filters or {}).items():
        if name not in columns:
            raise _bad("filters", _('Unknown column "%(name)s".') % {"name": str(name)[:60]})
        values = value if isinstance(value, list) else [value]
        typed = [_typed_filter_value(columns[name], v) for v in values]
        if any(v is None for v in typed) and not all(v is None for v in values):
            rows = rows.none()
            continue
        alias = f"_filter_{counter}"
        counter += 1
        rows = rows.alias(**{alias: KeyTransform(name, "data")})
        if len(typed) == 1:
            rows = rows.filter(**{alias: typed[0]})
        else:
            rows = rows.filter(**{f"{alias}__in": typed})
    if q:
        for word in str(q).lower().split()[:10]:
            rows = rows.filter(search__contains=word)
    order = parse_sort(sort, set(columns))
    ordering = []
    for name, descending in order:
        expression = F("rownum") if name == "_id" else KeyTransform(name, "data")
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    ordering.append(F("rownum").asc())
    rows = rows.order_by(*ordering)
    total = rows.count() if include_total and distinct else None
    if distinct:
        names = [n for n in chosen if n != "_id"]
        seen = set()
        records = []
        for data in rows.values_list("data", flat=True).iterator():
            picked = tuple((n, _hashable(data.get(n))) for n in names)
            if picked in seen:
                continue
            seen.add(picked)
            if len(seen) > offset:
                records.append({n: data.get(n) for n in names})
            if len(records) >= limit:
                break
        total = len(seen) if include_total else None
    else:
        records = []
        if include_total and limit:
            # The total rides along with the page (COUNT(*) OVER ()): the filter is
            # evaluated once instead of once for the page and once for a count.
            fetched = list(
                rows.annotate(_total=Window(Count("pk"))).values_list("rownum", "data", "_total")[
                    offset : offset + limit
                ]
            )
            total = fetched[0][2] if fetched else None
        else:
            fetched = [
                (rownum, data, None)
                for rownum, data in rows.values_list("rownum", "data")[offset : offset + limit]
            ]
        if include_total and total is None:
            total = rows.count()
        for rownum, data, _total in fetched:
            record = {"_id": rownum}
            for name in chosen:
                if name != "_id":
                    record[name] = data.get(name)
            records.append(record)
    field_list = [{"id": "_id", "type": "int"}] if "_id" in chosen or not fields else []
    field_list += [
        {
            "id": n,
            "type": CKAN_TYPES.get(columns[n]["type"], "text"),
            "info": {
                "label": columns[n].get("label", ""),
                "notes": columns[n].get("description", ""),
            },
        }
        for n in chosen
        if n != "_id"
    ]
    return SearchResult(fields=field_list, records=records, total=total, limit=limit, offset=offset)


def _hashable(value):
    return value if not isinstance(value, list | dict) else repr(value)


def column_values(table: DataTable, name: str) -> Iterable:
    return (
        DataRow.objects.filter(table=table, generation=table.generation)
        .order_by("rownum")
        .values_list(KeyTextTransform(name, "data"), flat=True)
    )


# --- datastore_search_sql -----------------------------------------------------------------


@dataclass
class SqlResult:
    fields: list[dict]
    records: list[dict]
    truncated: bool


def search_sql(user, sql: str, *, seconds: float | None = None) -> SqlResult:
    """A read-only SELECT over the DataStore tables ``user`` may read (sql_search.py)."""
    import sqlite3

    from django.db import DatabaseError

    from onedata.core.errors import NotFound
    from onedata.datahub import selectors, sql_search

    seconds = seconds or sql_search.TIME_LIMIT_SECONDS
    table_names = set(connection.introspection.table_names(include_views=True))
    try:
        checked = sql_search.check(sql, table_names)
    except sql_search.SqlRefused as exc:
        raise _bad("sql", exc.message) from None
    tables: dict[str, tuple[int, int, list[dict]]] = {}
    known: dict[str, str] = {"_id": "int"}
    for name in checked.resources:
        missing = NotFound(
            _('Resource "%(id)s" was not found in the DataStore.') % {"id": name[:40]}
        )
        try:
            resource = selectors.resource_get(user, name)
        except NotFound:
            raise missing from None
        table = DataTable.objects.filter(resource=resource).first()
        if table is None or table.generation == 0:
            raise missing
        tables[name] = (table.pk, table.generation, table.columns)
        for column in table.columns:
            known.setdefault(column["name"], CKAN_TYPES.get(column["type"], "text"))
    query = " ".join(t.text for t in checked.tokens)
    nonce = sql_search.new_nonce()
    wrapped = sql_search.wrap(connection.vendor, query, tables, nonce, MAX_LIMIT + 1)
    try:
        outcome = _run_sql(wrapped, nonce, seconds, table_names)
    except sql_search.SqlRefused as exc:
        raise _bad("sql", exc.message) from None
    except (DatabaseError, sqlite3.Error) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        if "timeout" in text or "interrupted" in text or "canceling statement" in text:
            message = _("The query took longer than %(n)s seconds and was stopped.") % {
                "n": f"{seconds:g}"
            }
        elif "not authorized" in text or "prohibited" in text:
            message = _("Only DataStore tables and allowed functions can be used.")
        else:
            message = _("The query failed: %(error)s") % {"error": text[:300]}
        raise _bad("sql", message) from None
    rows = outcome.rows[:MAX_LIMIT]
    records = [
        {name: sql_search.plain(value) for name, value in zip(outcome.names, row, strict=False)}
        for row in rows
    ]
    return SqlResult(
        fields=sql_search.field_types(outcome.names, rows, known),
        records=records,
        truncated=len(outcome.rows) > MAX_LIMIT,
    )


def _run_sql(sql: str, nonce: str, seconds: float, table_names: set[str]):
    from onedata.datahub import sql_search

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return sql_search.run_sqlite(
            connection.connection, sql, limit=MAX_LIMIT + 1, seconds=seconds, tables=table_names
        )
    # PostgreSQL: a read-only subtransaction with a time limit, always rolled back.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL transaction_read_only = on")
        cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        sql_search.check_plan(json.loads(plan) if isinstance(plan, str) else plan, nonce)
        cursor.execute(sql)
        rows = cursor.fetchmany(MAX_LIMIT + 1)
        names = [d[0] for d in cursor.description or []]
        transaction.set_rollback(True)  # nothing to keep; undoes the SET LOCALs too
    return sql_search.Outcome(names=names, rows=rows)
