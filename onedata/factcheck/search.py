# ruff: noqa: S608 - SQL built only from constants and a whitelisted configuration name; values are parameters
"""The engine adapter for claim search: the database's full-text index finds candidates,
``matching.rank`` orders them.

SQLite (the embedded default): an FTS5 table ``factcheck_claim_fts`` with external content
``factcheck_claim.search_text``, kept current by triggers. PostgreSQL: a GIN index on
``to_tsvector('indonesian', search_text)`` (``simple`` where the server lacks the
``indonesian`` configuration). ``search_text`` already holds Sastrawi stems, so both
engines index the same terms.

Note for later migrations: Django rebuilds a SQLite table to alter it, which drops its
triggers; a migration that alters ``factcheck_claim`` must call ``install_index`` again
(it drops and recreates the index and fills it).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.db import connection as default_connection

from onedata.factcheck import matching
from onedata.factcheck.models import Claim

CANDIDATES = 60  # rows the full-text index hands to the ranking
FTS_TABLE = "factcheck_claim_fts"
PG_INDEX = "factcheck_claim_search_gin"
SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='factcheck_claim', content_rowid='id', tokenize='unicode61')",
    f"CREATE TRIGGER factcheck_claim_fts_ai AFTER INSERT ON factcheck_claim BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER factcheck_claim_fts_ad AFTER DELETE ON factcheck_claim BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER factcheck_claim_fts_au AFTER UPDATE OF search_text ON factcheck_claim "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS factcheck_claim_fts_ai",
    "DROP TRIGGER IF EXISTS factcheck_claim_fts_ad",
    "DROP TRIGGER IF EXISTS factcheck_claim_fts_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def ts_config(connection=None) -> str:
    """'indonesian' when the PostgreSQL server has it, else 'simple'."""
    connection = connection or default_connection
    cached = getattr(connection, "_factcheck_ts_config", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian'")
            cached = "indonesian" if cursor.fetchone() else "simple"
        connection._factcheck_ts_config = cached
    return cached


def install_index(connection=None) -> None:
    connection = connection or default_connection
    drop_index(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DDL:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            config = ts_config(connection)
            cursor.execute(
                f"CREATE INDEX {PG_INDEX} ON factcheck_claim "
                f"USING gin (to_tsvector('{config}'::regconfig, search_text))"
            )


def drop_index(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


# --- the vocabulary: term -> number of claims holding it ---------------------------------

_vocabulary_lock = threading.Lock()
_vocabulary_cache: dict[str, tuple[tuple, dict[str, int], int]] = {}


def vocabulary() -> tuple[dict[str, int], int]:
    """Document frequencies of every indexed term, rebuilt when the claims change."""
    with default_connection.cursor() as cursor:  # one cheap statement per search
        cursor.execute("SELECT COUNT(*), MAX(id), MAX(updated_at) FROM factcheck_claim")
        version = tuple(cursor.fetchone())
    key = default_connection.alias + default_connection.settings_dict.get("NAME", "")
    cached = _vocabulary_cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    with _vocabulary_lock:
        frequencies: dict[str, int] = {}
        documents = 0
        for text in Claim.objects.values_list("search_text", flat=True).iterator(2000):
            documents += 1
            for term in set(text.split()):
                frequencies[term] = frequencies.get(term, 0) + 1
        _vocabulary_cache[key] = (version, frequencies, documents)
    return frequencies, documents


def forget_vocabulary() -> None:
    _vocabulary_cache.clear()


# --- full-text candidates ----------------------------------------------------------------


def _fts_match(words: list[str], prefix: bool) -> str:
    return " OR ".join(f'"{w}"*' if prefix and len(w) >= 5 else f'"{w}"' for w in words)


def _pg_query(words: list[str], prefix: bool) -> str:
    return " | ".join(f"{w}:*" if prefix and len(w) >= 5 else w for w in words)


def fulltext(
    words: list[str], *, published_only: bool, limit: int = CANDIDATES, prefix: bool = True
) -> list[tuple[int, str]]:
    """(claim id, search_text) of the best full-text hits for any of ``words``."""
    words = [w for w in words if w.isalnum()]
    if not words:
        return []
    status = " AND c.status = 'published'" if published_only else ""
    with default_connection.cursor() as cursor:
        if default_connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT c.id, c.search_text FROM {FTS_TABLE} f "
                f"JOIN factcheck_claim c ON c.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{status} ORDER BY f.rank LIMIT %s",
                [_fts_match(words, prefix), limit],
            )
        else:
            config = ts_config()
            vector = f"to_tsvector('{config}'::regconfig, c.search_text)"
            cursor.execute(
                f"SELECT c.id, c.search_text FROM factcheck_claim c, "
                f"to_tsquery('{config}'::regconfig, %s) q "
                f"WHERE {vector} @@ q{status} ORDER BY ts_rank({vector}, q) DESC, c.id LIMIT %s",
                [_pg_query(words, prefix), limit],
            )
        return list(cursor.fetchall())


def bare_fulltext(text: str, *, limit: int = 10) -> list[int]:
    """The plain full-text query (words as typed, no stemming, no typo fixing, no ranking
    of ours): the baseline the benchmark compares with."""
    words = list(dict.fromkeys(re.findall(r"[a-z0-9]+", text.casefold())))
    words = words[: matching.MAX_QUERY_TERMS]
    return [row[0] for row in fulltext(words, published_only=True, limit=limit, prefix=False)]


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    coverage: float


def query_terms(text: str) -> list[str]:
    frequencies, documents = vocabulary()
    corrected = matching.correct(matching.terms(text), frequencies)
    return matching.strongest(corrected, frequencies, documents, matching.MAX_QUERY_TERMS)


def rank_ids(
    text: str, *, published_only: bool = True, limit: int = 10, min_score: float = 0.3
) -> list[matching.Scored]:
    frequencies, documents = vocabulary()
    terms = matching.strongest(
        matching.correct(matching.terms(text), frequencies),
        frequencies,
        documents,
        matching.MAX_QUERY_TERMS,
    )
    if not terms:
        return []
    rows = fulltext(terms, published_only=published_only)
    return matching.rank(
        terms,
        ((claim_id, search_text.split()) for claim_id, search_text in rows),
        frequencies,
        documents,
        limit=limit,
        min_score=min_score,
    )


def search(
    text: str, *, published_only: bool = True, limit: int = 10, min_score: float = 0.3
) -> list[Match]:
    """Checked claims matching a message, best first, with their review and topic."""
    ranked = rank_ids(text, published_only=published_only, limit=limit, min_score=min_score)
    claims = Claim.objects.select_related("review", "topic").in_bulk([s.key for s in ranked])
    return [
        Match(claim=claims[s.key], score=s.score, coverage=s.coverage)
        for s in ranked
        if s.key in claims
    ]
