"""The DataStore: loading tabular resources into rows of the database, and querying them.

One loader interface, two adapters: PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg 3),
SQLite gets ``executemany`` in large batches. Rows are written under the table's next
generation and switched live in one short transaction at the end, so a failed load
leaves the previous table untouched and readable throughout.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
    """Writes (json, search) rows of one table generation. ``close()`` flushes."""

    def __init__(self, table_id: int, generation: int):
        self.table_id = table_id
        self.generation = generation
        self.count = 0

    def write(self, rows: list[tuple[str, str]]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


class SqliteWriter(RowWriter):
    SQL = (
        f'INSERT INTO "{ROW_TABLE}" (table_id, generation, rownum, data, search) '  # noqa: S608 - our own table name
        "VALUES (?, ?, ?, ?, ?)"
    )

    def write(self, rows):
        start = self.count
        params = [
            (self.table_id, self.generation, start + i + 1, data, search)
            for i, (data, search) in enumerate(rows)
        ]
        with connection.cursor() as cursor:
            cursor.connection.executemany(self.SQL, params)
        self.count += len(rows)


class PostgresWriter(RowWriter):
    """One ``COPY ... FROM STDIN`` per batch. The connection is free between batches, so
    the loader may record its progress there (a query issued while a COPY is open would
    wait on the COPY forever)."""

    SQL = f'COPY "{ROW_TABLE}" (table_id, generation, rownum, data, search) FROM STDIN'

    def write(self, rows):
        # COPY's text format, built here: one write per batch instead of one per row.
        prefix = f"{self.table_id}\t{self.generation}\t"
        start = self.count + 1
        lines = [
            f"{prefix}{start + i}\t{_copy_text(data)}\t{_copy_text(search)}\n"
            for i, (data, search) in enumerate(rows)
        ]
        with connection.cursor() as cursor, cursor.cursor.copy(self.SQL) as copy:
            copy.write("".join(lines))
        self.count += len(rows)


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


def load_file(
    table: DataTable,
    path: Path,
    fmt: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Infer (every value), validate, and write the next generation of ``table``.

    Raises ``tabular.TableError`` when the file cannot be read; the caller keeps the
    previous generation. Progress: 0-50 % inference and checks, 50-100 % writing.
    """
    progress = progress or (lambda p: None)
    source = tabular.open_table(path, fmt)
    names = tabular.column_names(source.header)
    width = len(names)
    report = tabular.Report()
    tabular.check_header(source.header, report)
    rules, key = tabular.rules_from_schema(table.schema, names)
    checker = tabular.RowChecker(names, rules, key, report)
    state: list[str | None] = [tabular.NULL] * width
    for index in tabular.code_columns(names):
        state[index] = tabular.STRING
    size = max(path.stat().st_size, 1) if fmt.upper() == "CSV" else 0
    total = 0
    approx_row_bytes = None
    for batch in tabular.batches(source.rows()):
        checker.check(batch, total + 2)
        tabular.infer_batch(state, tabular.columns_of(batch, width))
        total += len(batch)
        if size:
            if approx_row_bytes is None:
                approx_row_bytes = max(1, sum(len(",".join(r)) + 1 for r in batch) / len(batch))
            progress(int(45 * min(1.0, total * approx_row_bytes / size)))
    report.rows = total
    types = [t or tabular.STRING for t in state]
    declared = {r.name: r.type for r in rules if r.type != "any"}
    types = [declared.get(n, t) for n, t in zip(names, types, strict=True)]
    progress(50)
    verified = {i for i, n in enumerate(names) if n not in declared}
    generation = table.generation + 1
    DataRow.objects.filter(table=table, generation=generation).delete()
    written = 0
    with transaction.atomic():
        writer = row_writer(table.pk, generation)
        try:
            for batch in tabular.batches(source.rows()):
                columns = tabular.columns_of(batch, width)
                writer.write(tabular.encode_batch(names, types, columns, verified))
                written += len(batch)
                progress(50 + int(49 * written / max(total, 1)))
        finally:
            writer.close()
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
    return LoadResult(rows=written, columns=columns, report=report.as_dict())


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
        try:
            writer.write([(json.dumps(d), s) for d, s in existing])
            writer.write([encode(row) for row in rows])
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
