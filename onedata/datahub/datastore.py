"""The DataStore: loading tabular resources into typed tables, and querying them.

Each generation of a resource's table is its own physical table (``typed_tables``):
PostgreSQL gets ``COPY ... FROM STDIN`` (psycopg 3), SQLite gets ``executemany`` per
batch. A load writes the next generation's table and switches it live in one short
transaction at the end, so a failed load leaves the previous table untouched and
readable throughout (a table that is not live is never read, and a failed load drops it).

The load path is built for bulk: the file is read in batches of about 10,000 rows as
Arrow columns (``columnar``), and each batch is stripped, type-checked, hashed for the
duplicate-row check and encoded with vectorised kernels over whole columns; the cyclic
garbage collector is paused while many short-lived objects go by. Inline records (small)
take the Python path of ``tabular``, which is also the reference the Arrow checks are
tested against.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.core.errors import ValidationError
from onedata.datahub import columnar, tabular, typed_tables
from onedata.datahub.models import DataTable

logger = logging.getLogger("onedata.datahub")

MAX_LIMIT = 32000


# --- loading ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    rows: int
    columns: list[dict]
    report: dict


def storage_type(declared: str | None, inferred: str | None) -> str:
    """The column's type in the table: the steward's declared type when every value fits
    it (the validation report lists those that do not, and the column then keeps its
    text), else the inferred one."""
    if declared is None:
        return inferred or tabular.STRING
    if inferred in (tabular.NULL, declared) or (declared, inferred) == (
        tabular.NUMBER,
        tabular.INTEGER,
    ):
        return declared
    return tabular.STRING


def load_file(
    table: DataTable,
    path: Path,
    fmt: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Infer (every value), validate, and write the next generation of ``table``.

    Raises ``tabular.TableError`` when the file cannot be read; the caller keeps the
    previous generation. One read of the file checks, infers and writes each batch with
    the types known so far. A column that turns from integers to numbers is widened in
    place; any other change of a written column's type (numbers that turn out to be text)
    drops what was written, and a second read writes every row with the final types.
    Progress: 0-99 % for a load done in one read; 0-45 % for the first read and 50-99 %
    for the second otherwise (``switch_generation`` makes it 100).
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
    declared = [r.type if r.type != "any" else None for r in rules]
    state: list[str | None] = [tabular.NULL] * width
    for index in tabular.code_columns(names):
        state[index] = tabular.STRING
    for index, kind in enumerate(declared):
        if kind == tabular.STRING:
            state[index] = tabular.STRING

    def types_now() -> list[str]:
        return [storage_type(d, s) for d, s in zip(declared, state, strict=True)]

    writer = typed_tables.writer_for(table.pk, table.generation + 1)
    size = max(path.stat().st_size, 1) if fmt.upper() == "CSV" else 0
    one_read, share, total = True, 99, 0
    approx_row_bytes = None
    try:
        writer.create(types_now())
        for raw in columnar.batches(source, path, fmt, width):
            first_row = total + 2
            if raw.rows is not None:
                checker.cell_counts(raw.rows, first_row)
            batch = columnar.strip_all(raw)
            if checker.needs_rows:
                checker.check_rules(columnar.python_rows(batch), first_row)
            columnar.infer_batch(state, batch)
            total += len(batch)
            types = types_now() if one_read else writer.types
            encoded = columnar.encode(batch, types)
            checker.duplicates(*columnar.row_hashes(encoded), first_row)
            if one_read:
                if types != writer.types and not writer.count:
                    writer.create(types)  # nothing written yet: a table of the right types
                if types != writer.types and not writer.retype(types):
                    writer.discard()
                    one_read, share = False, 45
                else:
                    writer.write_batch(batch, encoded)
                    if writer.flush_due():
                        writer.flush()
            if size and not writer.unflushed:
                if approx_row_bytes is None:
                    approx_row_bytes = columnar.row_bytes(batch)
                progress(int(share * min(1.0, total * approx_row_bytes / size)))
        if one_read:
            writer.close()
    except BaseException:
        _abandon(writer)
        raise
    checker.finish()
    report.rows = total
    types = types_now()
    if not one_read:
        progress(50)
        _write_again(source, path, fmt, writer, types, width, total, progress)
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


def _abandon(writer: typed_tables.TableWriter) -> None:
    """After an error: drop what was written; an unfinished COPY that cannot be ended is
    aborted (its error is the one being raised)."""
    try:
        writer.discard()
    except Exception:
        writer.abort()
        with suppress(Exception):
            typed_tables.drop(writer.name)


def _write_again(source, path, fmt, writer, types, width, total, progress) -> None:
    """The second read: every row with the final types, into a new table."""
    try:
        writer.create(types)
        for raw in columnar.batches(source, path, fmt, width):
            batch = columnar.strip_all(raw)
            writer.write_batch(batch, columnar.encode(batch, types))
            if writer.flush_due():
                writer.flush()
            if not writer.unflushed:
                progress(50 + int(49 * writer.count / max(total, 1)))
        writer.close()
    except BaseException:
        _abandon(writer)
        raise


def switch_generation(table: DataTable, result: LoadResult) -> None:
    """Make the new generation live and drop the old one's table, in one transaction."""
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
        if old_generation:
            typed_tables.drop(typed_tables.table_name(locked.pk, old_generation))
    table.refresh_from_db()


def write_rows(table: DataTable, names: list[str], types: list[str], rows: list[list[str]]):
    """Write ``rows`` (cell texts) as the next generation of ``table``, checking every cell
    against its column's type first; a cell that does not fit raises ``CellMisfit``,
    naming its row (1 = the first of ``rows``) and column. Returns the number of rows."""
    return write_generation(table.pk, table.generation + 1, names, types, rows)


def write_generation(table_id, generation, names, types, rows) -> int:
    width = len(names)
    writer = typed_tables.writer_for(table_id, generation)
    try:
        writer.create(types)
        for start in range(0, len(rows), tabular.BATCH):
            # Checked batch by batch as it is written: a misfit drops the table, which was
            # never live, so nothing is half-written where anyone reads.
            columns = tabular.columns_of(rows[start : start + tabular.BATCH], width)
            for name, kind, batch_column in zip(names, types, columns, strict=True):
                misfit = tabular.first_misfit(kind, batch_column)
                if misfit is not None:
                    value = batch_column.values[misfit]
                    raise CellMisfit(start + misfit + 1, name, value, kind)
            writer.write(columns)
        writer.close()
    except BaseException:
        _abandon(writer)
        raise
    return writer.count


@dataclass
class CellMisfit(Exception):
    row: int
    column: str
    value: str
    type: str


def stored_rows(table: DataTable, names: list[str] | None = None) -> Iterator[list[str]]:
    """The live rows as cell texts (``names``: those columns, in that order; a column the
    table does not have gives empty cells), in row order."""
    known = [c["name"] for c in table.columns]
    names = known if names is None else names
    if not table.generation or not known:
        return
    picked = [known.index(n) if n in known else None for n in names]
    index_of = {
        i: position for position, i in enumerate(sorted({p for p in picked if p is not None}))
    }
    select = [typed_tables.column(i) for i in index_of] or [typed_tables.ID]
    decode = typed_tables.decoders([table.columns[i]["type"] for i in index_of])
    name = typed_tables.table_name(table.pk, table.generation)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT {", ".join(select)} FROM "{name}" ORDER BY {typed_tables.ID}')  # noqa: S608 - our own names
        while chunk := cursor.fetchmany(2000):
            for row in chunk:
                values = [f(v) if f else v for f, v in zip(decode, row, strict=False)]
                yield ["" if p is None else as_text(values[index_of[p]]) for p in picked]


INSERT, UPSERT, UPDATE = "insert", "upsert", "update"
METHODS = (INSERT, UPSERT, UPDATE)


def primary_key(table: DataTable) -> list[str]:
    """The key ``datastore_create`` was given (kept as the Table Schema's ``primaryKey``)."""
    key = (table.schema or {}).get("primaryKey") or []
    names = {c["name"] for c in table.columns}
    return [k for k in ([key] if isinstance(key, str) else key) if k in names]


def load_records(
    table: DataTable,
    fields: list[dict],
    records: list[dict],
    *,
    replace: bool = False,
    method: str = INSERT,
    key: list[str] | None = None,
) -> LoadResult:
    """``datastore_create`` (``replace``) and ``datastore_upsert`` with records given
    inline, as CKAN clients send them: the live rows merged with the records (``method``,
    by ``key``: the table's primary key unless given) as the next generation. Every record
    is checked before anything is written; a bad one is refused by its number."""
    names = [f["id"] for f in fields]
    types = [_ckan_to_type(f.get("type", "text")) for f in fields]
    key = primary_key(table) if key is None else key
    _check_records(names, types, records)
    existing = [] if replace else list(stored_rows(table, names))
    rows = merge_records(names, existing, records, method=method, key=key)
    count = write_rows(table, names, types, rows)
    columns = [
        {"name": n, "type": t, "label": "", "description": ""}
        for n, t in zip(names, types, strict=False)
    ]
    return LoadResult(rows=count, columns=columns, report={"valid": True, "errors": []})


def _check_records(names: list[str], types: list[str], records: list[dict]) -> None:
    for name, kind in zip(names, types, strict=True):
        values = tabular.Column([as_text(record.get(name)) for record in records])
        misfit = tabular.first_misfit(kind, values)
        if misfit is not None:
            raise _bad(
                "records",
                _('Record %(n)d: "%(value)s" is not a valid %(type)s for field "%(field)s".')
                % {
                    "n": misfit + 1,
                    "value": values.values[misfit][:40],
                    "type": CKAN_TYPES.get(kind, "text"),
                    "field": name[:60],
                },
            )


def merge_records(
    names: list[str], rows: list[list[str]], records: list[dict], *, method: str, key: list[str]
) -> list[list[str]]:
    """Pure: ``rows`` (cell texts) with ``records`` applied as CKAN's ``datastore_upsert``
    does. ``insert`` appends (a record whose key is already there is refused), ``update``
    changes the fields given of the row with the record's key (there must be one),
    ``upsert`` updates when the key is there and appends otherwise. Keys compare as text."""
    if method not in METHODS:
        raise _bad("method", _("Choose insert, upsert or update."))
    if method != INSERT and not key:
        raise _bad(
            "method",
            _("%(method)s needs the table's primary key (primary_key in datastore_create).")
            % {"method": method},
        )
    rows = [list(row) for row in rows]
    position = {n: i for i, n in enumerate(names)}
    key_at = [position[k] for k in key]
    by_key = {tuple(row[i] for i in key_at): n for n, row in enumerate(rows)} if key else {}
    for number, record in enumerate(records, start=1):
        cells = {n: as_text(record[n]) for n in names if n in record}
        found = None
        if key:
            empty = next((k for k in key if not cells.get(k)), None)
            if empty is not None:
                raise _bad(
                    "records",
                    _('Record %(n)d: the key field "%(field)s" is empty.')
                    % {"n": number, "field": empty[:60]},
                )
            record_key = tuple(cells[k] for k in key)
            found = by_key.get(record_key)
        if method == INSERT and found is not None:
            raise _bad(
                "records",
                _("Record %(n)d: a row with this key is already there (use upsert or update).")
                % {"n": number},
            )
        if method == UPDATE and found is None:
            raise _bad("records", _("Record %(n)d: no row has this key.") % {"n": number})
        if found is None:
            rows.append([cells.get(n, "") for n in names])
            if key:
                by_key[record_key] = len(rows) - 1
        else:
            for name, value in cells.items():
                rows[found][position[name]] = value
    return rows


def delete_rows(table: DataTable, filters: dict) -> tuple[LoadResult, int]:
    """``datastore_delete`` with ``filters``: the live rows but those matching, as the next
    generation (row numbers close up, so ``_id`` stays 1..n), and how many went."""
    query = _query(table, filters, "", "")
    physical = typed_tables.table_name(table.pk, table.generation)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT {typed_tables.ID} FROM "{physical}" WHERE {query.where_sql()}',  # noqa: S608 - our own names
            query.params,
        )
        doomed = {row[0] for row in cursor.fetchall()}
    names = [c["name"] for c in table.columns]
    kept = [row for number, row in enumerate(stored_rows(table), start=1) if number not in doomed]
    count = write_rows(table, names, [c["type"] for c in table.columns], kept)
    return LoadResult(rows=count, columns=table.columns, report=table.report), len(doomed)


def retype_column(table: DataTable, column: str, kind: str) -> LoadResult:
    """The live rows with one column converted to ``kind`` (``tabular.cast``), as the next
    generation; a value that does not fit raises ``CellMisfit`` naming its row."""
    names = [c["name"] for c in table.columns]
    index = names.index(column)
    rows = []
    for number, row in enumerate(stored_rows(table), start=1):
        if row[index]:
            try:
                row[index] = as_text(tabular.cast(row[index], kind))
            except ValueError:
                raise CellMisfit(number, column, row[index], kind) from None
        rows.append(row)
    columns = [dict(c) for c in table.columns]
    columns[index]["type"] = kind
    count = write_rows(table, names, [c["type"] for c in columns], rows)
    return LoadResult(rows=count, columns=columns, report=table.report)


def drop_tables(sender, instance: DataTable, **kwargs) -> None:
    """``post_delete`` of a DataTable (also when its resource or dataset is deleted): its
    physical tables go with it."""
    typed_tables.drop_all(instance.pk)


def as_text(value) -> str:
    """A stored or given value as the cell text a file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
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


@dataclass
class _Query:
    """A search turned into SQL over the live physical table: every name in it is ours
    (``_id``, ``c<n>``, ``_search``), every value a parameter."""

    where: list[str]
    params: list
    order: list[str]
    nothing: bool = False

    def whole_table_in_order(self) -> bool:
        return not self.where and not self.nothing and len(self.order) == 1

    def where_sql(self) -> str:
        return " AND ".join([*self.where, "1 = 0"] if self.nothing else self.where) or "1 = 1"

    def sql(self, table_name: str, select: list[str]) -> tuple[str, list]:
        return (
            f'SELECT {", ".join(select)} FROM "{table_name}" WHERE {self.where_sql()} '  # noqa: S608 - our own names
            f"ORDER BY {', '.join(self.order)}",
            list(self.params),
        )


def _query(table: DataTable, filters: dict | None, q: str, sort: str) -> _Query:
    index = {c["name"]: i for i, c in enumerate(table.columns)}
    query = _Query(where=[], params=[], order=[])
    for name, value in (filters or {}).items():
        if name not in index:
            raise _bad("filters", _('Unknown column "%(name)s".') % {"name": str(name)[:60]})
        column = table.columns[index[name]]
        values = value if isinstance(value, list) else [value]
        typed = [_typed_filter_value(column, v) for v in values]
        if any(v is None for v in typed) and not all(v is None for v in values):
            query.nothing = True  # a value the column cannot hold matches no row
            continue
        kind = column["type"]
        placeholder = typed_tables.parameter(kind)
        expression = typed_tables.column(index[name])
        if len(typed) == 1:
            query.where.append(f"{expression} = {placeholder}")
        else:
            query.where.append(f"{expression} IN ({', '.join([placeholder] * len(typed))})")
        query.params += [typed_tables.bound(kind, v) for v in typed]
    if q:
        for word in str(q).lower().split()[:10]:
            query.where.append(typed_tables.contains(typed_tables.SEARCH))
            query.params.append(word)
    for name, descending in parse_sort(sort, set(index)):
        expression = typed_tables.ID if name == "_id" else typed_tables.column(index[name])
        query.order.append(f"{expression} {'DESC' if descending else 'ASC'} NULLS LAST")
    query.order.append(f"{typed_tables.ID} ASC")
    return query


def _live_rows(table: DataTable, run: Callable[[], object]):
    """Run a read of the live table; when a load switched generations (and dropped the
    table read) between reading ``table`` and the query, read the new one once more."""
    try:
        with transaction.atomic():
            return run()
    except DatabaseError:
        generation = table.generation
        table.refresh_from_db(fields=["generation", "columns", "row_count"])
        if table.generation == generation:
            raise
        return run()


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
    query = _query(table, filters, q, sort)
    if not table.generation:
        records, total = [], 0 if include_total else None
    else:
        records, total = _live_rows(
            table,
            lambda: _fetch(table, query, chosen, limit, offset, include_total, distinct),
        )
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


def _fetch(table, query: _Query, chosen, limit, offset, include_total, distinct):
    index = {c["name"]: i for i, c in enumerate(table.columns)}
    names = [n for n in chosen if n != "_id"]
    select = [typed_tables.column(index[n]) for n in names]
    decode = typed_tables.decoders([table.columns[index[n]]["type"] for n in names])
    physical = typed_tables.table_name(table.pk, table.generation)

    def record_of(values) -> dict:
        return {n: (f(v) if f else v) for n, f, v in zip(names, decode, values, strict=True)}

    with connection.cursor() as cursor:
        if distinct:
            sql, params = query.sql(physical, select or [typed_tables.ID])
            cursor.execute(sql, params)
            seen, records = set(), []
            while len(records) < limit and (chunk := cursor.fetchmany(2000)):
                for row in chunk:
                    picked = tuple(map(_hashable, row))
                    if picked in seen:
                        continue
                    seen.add(picked)
                    if len(seen) > offset:
                        records.append(record_of(row))
                    if len(records) >= limit:
                        break
            if include_total:
                distinct_sql = ", ".join(select or [typed_tables.ID])
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT DISTINCT {distinct_sql} "  # noqa: S608 - our own names
                    f'FROM "{physical}" WHERE {query.where_sql()}) AS d',
                    query.params,
                )
                return records, cursor.fetchone()[0]
            return records, None
        total = None
        rows = []
        if limit and query.whole_table_in_order():
            # Row numbers are 1..row_count with no gap in a generation's table: a page of
            # the whole table is a range of them (an index range, not a scan and a sort).
            row_id = typed_tables.ID
            with typed_tables.row_id_index(cursor):
                cursor.execute(
                    f'SELECT {", ".join([row_id, *select])} FROM "{physical}" '  # noqa: S608 - our own names
                    f"WHERE {row_id} > %s AND {row_id} <= %s ORDER BY {row_id}",
                    [offset, offset + limit],
                )
                rows = cursor.fetchall()
            total = table.row_count if include_total else None
        elif limit:
            # The total rides along with the page (COUNT(*) OVER ()): the filter is
            # evaluated once instead of once for the page and once for a count.
            extra = ["count(*) OVER ()"] if include_total else []
            sql, params = query.sql(physical, [typed_tables.ID, *select, *extra])
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, limit, offset])
            rows = cursor.fetchall()
            if include_total and rows:
                total = rows[0][-1]
        if include_total and total is None:
            cursor.execute(
                f'SELECT count(*) FROM "{physical}" WHERE {query.where_sql()}',  # noqa: S608 - our own names
                query.params,
            )
            total = cursor.fetchone()[0]
    records = []
    for row in rows:
        record = {"_id": row[0]}
        record.update(record_of(row[1 : 1 + len(names)]))
        records.append(record)
    return records, total


def _hashable(value):
    return value if not isinstance(value, list | dict) else repr(value)


# --- datastore_search_sql -----------------------------------------------------------------


@dataclass
class SqlResult:
    fields: list[dict]
    records: list[dict]
    truncated: bool


def search_sql(user, sql: str, *, seconds: float | None = None) -> SqlResult:
    """A read-only SELECT over the DataStore tables ``user`` may read (sql_search.py)."""
    import sqlite3

    from onedata.core.errors import NotFound
    from onedata.datahub import selectors, sql_search

    seconds = seconds or sql_search.TIME_LIMIT_SECONDS
    table_names = set(connection.introspection.table_names(include_views=True))
    try:
        checked = sql_search.check(sql, table_names)
    except sql_search.SqlRefused as exc:
        raise _bad("sql", exc.message) from None
    tables: dict[str, tuple[str, list[dict]]] = {}
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
        tables[name] = (typed_tables.table_name(table.pk, table.generation), table.columns)
        for column in table.columns:
            known.setdefault(column["name"], CKAN_TYPES.get(column["type"], "text"))
    query = " ".join(t.text for t in checked.tokens)
    nonce = sql_search.new_nonce()
    wrapped = sql_search.wrap(connection.vendor, query, tables, nonce, MAX_LIMIT + 1)
    try:
        outcome = _run_sql(wrapped, nonce, seconds, table_names, {t for t, _c in tables.values()})
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
    booleans = {n for n in outcome.names if known.get(n) == "bool"}
    records = [
        {
            name: sql_search.plain(value, boolean=name in booleans)
            for name, value in zip(outcome.names, row, strict=False)
        }
        for row in rows
    ]
    return SqlResult(
        fields=sql_search.field_types(outcome.names, rows, known),
        records=records,
        truncated=len(outcome.rows) > MAX_LIMIT,
    )


def _run_sql(sql: str, nonce: str, seconds: float, table_names: set[str], readable: set[str]):
    from onedata.datahub import sql_search

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return sql_search.run_sqlite(
            connection.connection,
            sql,
            limit=MAX_LIMIT + 1,
            seconds=seconds,
            tables=table_names,
            readable=readable,
        )
    # PostgreSQL: a read-only subtransaction with a time limit, always rolled back.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL transaction_read_only = on")
        cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
        sql_search.check_plan(json.loads(plan) if isinstance(plan, str) else plan, nonce, readable)
        cursor.execute(sql)
        rows = cursor.fetchmany(MAX_LIMIT + 1)
        names = [d[0] for d in cursor.description or []]
        transaction.set_rollback(True)  # nothing to keep; undoes the SET LOCALs too
    return sql_search.Outcome(names=names, rows=rows)
