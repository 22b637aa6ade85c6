# ruff: noqa: S608, S611 - SQL built only from constants; values are parameters
"""The engine adapter for catalog search, and the search documents it indexes.

Every dataset has up to two ``SearchEntry`` documents: ``published`` (built from the last
approved version's metadata: what everyone outside its editors sees) and ``live`` (the
dataset as it is now, for its producers and stewards). Services call ``refresh`` inside
their transaction after every change, so the index is never behind the catalog.

Full text, one interface, two engines:

- SQLite: an FTS5 table ``datahub_searchentry_fts`` with external content
  ``datahub_searchentry.text`` (``unicode61``, diacritics folded), kept current by triggers;
- PostgreSQL: a GIN index on ``to_tsvector('simple', text)``.

Both match every word of the query as a word prefix (``pendud`` finds ``penduduk``),
Indonesian and English alike: neither engine ships an Indonesian stemmer, so the
``simple`` configuration (no stemming, no stop words) serves both languages.

Note for later migrations: Django rebuilds a SQLite table to alter it, which drops its
triggers; a migration that alters ``datahub_searchentry`` must call ``install_index``.
"""

from __future__ import annotations

import re

from django.db import connection as default_connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "datahub_searchentry_fts"
PG_INDEX = "datahub_searchentry_text_gin"
ENTRY_TABLE = "datahub_searchentry"
SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='{ENTRY_TABLE}', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF text ON {ENTRY_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
PG_VECTOR = "to_tsvector('simple'::regconfig, text)"
MAX_WORDS = 10
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "spatial_code")


def install_index(connection=None) -> None:
    connection = connection or default_connection
    drop_index(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DDL:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute(f"CREATE INDEX {PG_INDEX} ON {ENTRY_TABLE} USING gin ({PG_VECTOR})")


def drop_index(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


# --- matching ----------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The query's words: letters and digits only (no operator of either engine gets
    through), lowercased, at most ``MAX_WORDS``."""
    return re.findall(r"\w+", (text or "").casefold())[:MAX_WORDS]


def match(entries: QuerySet, text: str) -> QuerySet:
    """``entries`` narrowed to documents holding every word of ``text`` (as a prefix)."""
    words = words_of(text)
    if not words:
        return entries
    if default_connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        sql = (
            f"SELECT id FROM {ENTRY_TABLE} WHERE {PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        )
    else:
        query = " ".join(f'"{w}"*' for w in words)
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return entries.filter(pk__in=RawSQL(sql, [query]))


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
            "created_at": _moment(package.get("metadata_created"), dataset.created_at),
            "modified_at": _moment(package.get("metadata_modified"), dataset.modified_at),
        },
    )
    entry.facets.all().delete()
    SearchFacet.objects.bulk_create([SearchFacet(entry=entry, field=f, value=v) for f, v in facets])


def refresh(dataset_id) -> None:
    """Rebuild both documents of one dataset (call inside the writing transaction)."""
    from onedata.datahub import selectors
    from onedata.datahub.models import Dataset

    dataset = (
        Dataset.objects.select_related("organization", "spatial_region", "steward_agency")
        .prefetch_related("tags", "groups", "resources")
        .filter(pk=dataset_id)
        .first()
    )
    if dataset is None:
        return
    _store(dataset, "live", selectors.package_dict(dataset))
    version = dataset.versions.order_by("-number").first()
    _store(dataset, "published", dict(version.metadata) if version else None)


def rebuild() -> int:
    from onedata.datahub.models import Dataset

    count = 0
    for pk in Dataset.objects.values_list("pk", flat=True).iterator():
        refresh(pk)
        count += 1
    return count


def entries_for(user, visible: Q, draft: Q | None) -> QuerySet:
    """The one document per visible dataset this user searches: the live one where the user
    may see drafts, the published one elsewhere."""
    from onedata.datahub.models import Dataset, SearchEntry

    visible_ids = Dataset.objects.filter(visible).values("pk")
    published = SearchEntry.objects.filter(kind="published", dataset__in=visible_ids)
    if draft is None:
        return published
    draft_ids = Dataset.objects.filter(visible).filter(draft).values("pk")
    return SearchEntry.objects.filter(
        Q(kind="published", dataset__in=visible_ids) & ~Q(dataset__in=draft_ids)
        | Q(kind="live", dataset__in=draft_ids)
    )
