# ruff: noqa: S608, S611 - SQL built only from constants; values are parameters
"""The engine adapter for catalog search, and the search documents it indexes.

Every dataset has up to two ``SearchEntry`` documents: ``published`` (built from the last
approved version's metadata: what everyone outside its editors sees) and ``live`` (the
dataset as it is now, for its producers and stewards). Services call ``refresh`` inside
their transaction after every change, so the index is never behind the catalog.

A document holds its words as written (``text``) and their stems (``stems``, from
``stemming.py``: Sastrawi for Indonesian, Porter for English), so a query word matches a
document holding it as a word prefix (``pendud`` finds ``penduduk``) or holding a word of
the same stem (``penduduk`` finds ``kependudukan``, ``hospitals`` finds ``hospital``).
Query words are stemmed by the same function, in Python, for both engines:

- SQLite: an FTS5 table ``datahub_searchentry_fts`` over ``text`` and ``stems`` with
  external content ``datahub_searchentry`` (``unicode61``, diacritics folded), kept
  current by triggers;
- PostgreSQL: a GIN index on one stored ``tsvector`` column, ``search_vector`` (generated
  by the database; ``simple`` configuration: no stemming of its own, no stop words),
  holding ``text`` with weight A and ``stems`` with weight B, so one tsquery can ask for
  "this word in the text, or its stem in the stems". The model does not declare it.

Ranking (``score``): documents holding more query words as written come first, so an
exact match ranks above a stem-only one; ties by most recently modified.

Note for later migrations: Django rebuilds a SQLite table to alter it, which drops its
triggers; a migration that alters ``datahub_searchentry`` must call ``install_index``.
"""

from __future__ import annotations

import re

from django.db import connection as default_connection
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from onedata.datahub import stemming

FTS_TABLE = "datahub_searchentry_fts"
PG_INDEX = "datahub_searchentry_text_gin"
ENTRY_TABLE = "datahub_searchentry"
# PostgreSQL keeps the document's tsvector in a stored generated column: a weighted query
# (``word:*A``) makes the engine recheck every row the index found, and recomputing the
# vector of each one costs more than the rest of the search.
PG_VECTOR = "search_vector"
PG_VECTOR_DDL = (
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN {PG_VECTOR} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, text), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, stems), 'B')) STORED"
)
# Before migration 0006 the document had no stems (migration 0003 installs this one).
PG_VECTOR_TEXT_ONLY = "to_tsvector('simple'::regconfig, text)"
MAX_WORDS = 10
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "spatial_code")


def _sqlite_ddl(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({names}, content='{ENTRY_TABLE}', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF {names} ON {ENTRY_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {names}) VALUES (new.id, {new}); END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    ]


SQLITE_DDL = _sqlite_ddl(("text", "stems"))
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def has_stems(connection=None) -> bool:
    """Whether the entry table has its ``stems`` column yet (migration 0006)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, ENTRY_TABLE)
    return any(c.name == "stems" for c in columns)


def install_index(connection=None) -> None:
    """(Re)create the engine's full-text index for the entry table as it is: over text and
    stems, or over text alone while migrations have not yet added the stems."""
    connection = connection or default_connection
    stemmed = has_stems(connection)
    drop_index(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DDL if stemmed else _sqlite_ddl(("text",)):
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            if stemmed:
                cursor.execute(PG_VECTOR_DDL)
            vector = PG_VECTOR if stemmed else PG_VECTOR_TEXT_ONLY
            cursor.execute(f"CREATE INDEX {PG_INDEX} ON {ENTRY_TABLE} USING gin ({vector})")


def drop_index(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS {PG_VECTOR}")


# --- matching ----------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The query's words: letters and digits only (no operator of either engine gets
    through), lowercased, at most ``MAX_WORDS``."""
    return re.findall(r"\w+", (text or "").casefold())[:MAX_WORDS]


def _engine_query(words: list[str], *, stems: bool) -> str:
    """One engine query holding every word: as a prefix of a word of the text, or (with
    ``stems``) through its stem. Words are ``\\w+`` and stems are made of them, so no
    operator of either engine reaches it."""
    if default_connection.vendor == "postgresql":
        terms = [f"({w}:*A | {stemming.stem(w)}:B)" if stems else f"{w}:*A" for w in words]
        return " & ".join(terms)
    terms = [
        f'(text : "{w}"* OR stems : "{stemming.stem(w)}")' if stems else f'text : "{w}"*'
        for w in words
    ]
    return " AND ".join(terms)


def _holding(query: str) -> RawSQL:
    """Ids of the entries matching an engine query (one index look-up)."""
    if default_connection.vendor == "postgresql":
        sql = (
            f"SELECT id FROM {ENTRY_TABLE} WHERE {PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        )
    else:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return RawSQL(sql, [query])


def match(entries: QuerySet, text: str) -> QuerySet:
    """``entries`` narrowed to documents holding every word of ``text``, as a word prefix
    or through its stem."""
    words = words_of(text)
    if not words:
        return entries
    return entries.filter(pk__in=_holding(_engine_query(words, stems=True)))


def score(text: str):
    """An expression ranking documents by how many words of ``text`` they hold as written
    (word prefix); None when there is no word to rank by."""
    words = words_of(text)
    if not words:
        return None
    terms = [
        Case(
            When(Q(pk__in=_holding(_engine_query([w], stems=False))), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for w in dict.fromkeys(words)
    ]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


# --- documents ---------------------------------------------------------------------------


def document(package: dict) -> tuple[str, list[tuple[str, str]]]:
    """(full text, facet values) of a CKAN-shaped package dict. Pure."""
    parts = [
        package.get("name", ""),
        package.get("title", ""),
        package.get("notes", ""),
        package.get("organization", {}).get("title", ""),
        package.get("concept", ""),
        package.get("definition", ""),
        package.get("classification", ""),
        package.get("unit", ""),
        package.get("reference_code", ""),
        package.get("spatial_name", ""),
    ]
    parts += [t["name"] for t in package.get("tags", [])]
    parts += [g.get("title", "") for g in package.get("groups", [])]
    parts += [r.get("name", "") for r in package.get("resources", [])]
    text = " ".join(p for p in parts if p).replace("-", " ")
    facets = {("organization", package.get("organization", {}).get("name", ""))}
    facets |= {("groups", g["name"]) for g in package.get("groups", [])}
    facets |= {("tags", t["name"]) for t in package.get("tags", [])}
    facets |= {
        ("res_format", (r.get("format") or "").upper()) for r in package.get("resources", [])
    }
    facets |= {("license_id", package.get("license_id") or "")}
    facets |= {("spatial_code", package.get("spatial_code") or "")}
    return text, sorted((f, v[:250]) for f, v in facets if v)


def _moment(text: str | None, fallback):
    from datetime import UTC, datetime

    if not text:
        return fallback
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _store(dataset, kind: str, package: dict | None) -> None:
    from onedata.datahub.models import SearchEntry, SearchFacet

    if package is None:
        SearchEntry.objects.filter(dataset=dataset, kind=kind).delete()
        return
    text, facets = document(package)
    entry, _created = SearchEntry.objects.update_or_create(
        dataset=dataset,
        kind=kind,
        defaults={
            "name": package["name"][:100],
            "title": package["title"][:250],
            "text": text,
            "stems": stemming.stem_text(text),
            "created_at": _moment(package.get("metadata_created"), dataset.created_at),
            "modified_at": _moment(package.get("metadata_modified"), dataset.modified_at),
        },
    )
    entry.facets.all().delete()
    SearchFacet.objects.bulk_create([SearchFacet(entry=entry, field=f, value=v) for f, v in facets])


def refresh(dataset_id) -> None:
    """Rebuild both documents of one dataset (call inside the writing transaction)."""
    from onedata.datahub import selectors
    from onedata.datahub.models import Dataset, Resource

    dataset = (
        Dataset.objects.select_related("organization", "spatial_region", "steward_agency")
        .prefetch_related(
            "tags", "groups", Prefetch("resources", Resource.objects.select_related("datatable"))
        )
        .filter(pk=dataset_id)
        .first()
    )
    if dataset is None:
        return
    _store(dataset, "live", selectors.package_dict(dataset))
    version = dataset.versions.order_by("-number").first()
    _store(dataset, "published", dict(version.metadata) if version else None)


def rebuild() -> int:
    """Rebuild every document; 0 while the entry table lacks its stems (migration 0003
    runs before 0006, which adds them and rebuilds)."""
    from onedata.datahub.models import Dataset

    if not has_stems():
        return 0
    count = 0
    for pk in Dataset.objects.values_list("pk", flat=True).iterator():
        refresh(pk)
        count += 1
    return count


def entries_for(user, visible: Q, draft: Q | None) -> QuerySet:
    """The one document per visible dataset this user searches: the live one where the user
    may see drafts, the published one elsewhere.

    Visibility is a correlated ``EXISTS`` rather than ``dataset_id IN (...)``: with an IN
    list SQLite probes its (dataset, kind) index once per visible dataset and per text
    match, where EXISTS lets it start from the full-text matches (or the kind index)."""
    from onedata.datahub.models import Dataset, SearchEntry

    def datasets(condition: Q) -> Exists:
        return Exists(Dataset.objects.filter(condition, pk=OuterRef("dataset_id")))

    published = SearchEntry.objects.filter(kind="published")
    if draft is None:
        return published.filter(datasets(visible))
    return SearchEntry.objects.filter(
        Q(kind="published") & datasets(visible) & ~datasets(visible & draft)
        | Q(kind="live") & datasets(visible & draft)
    )
