# ruff: noqa: S608 - SQL text is the input under test
"""datastore_search_sql: read-only SELECT over the DataStore tables the caller may read."""

from __future__ import annotations

import pytest

from onedata.core import services as core_services
from onedata.datahub import datastore, sql_search, typed_tables
from onedata.datahub.models import DataTable, Resource
from tests.datahub.conftest import publish

SQL = "/api/3/action/datastore_search_sql"


@pytest.fixture
def tables(hub):
    public = publish(hub, name="penduduk").resources.get()
    private = publish(hub, name="rahasia", access="restricted").resources.get()
    return public, private


def _sql(client, sql, **headers):
    return client.get(SQL, {"sql": sql}, **headers)


@pytest.mark.django_db
def test_select_with_filter_sort_and_aggregate(client, tables):
    public = tables[0]
    body = _sql(
        client,
        f'SELECT kabupaten, penduduk FROM "{public.pk}" WHERE penduduk > 520000 '
        "ORDER BY penduduk DESC",
    ).json()
    assert body["success"] is True, body
    result = body["result"]
    assert result["records"] == [
        {"kabupaten": "Denpasar", "penduduk": 726800},
        {"kabupaten": "Badung", "penduduk": 548191},
    ]
    assert result["fields"] == [
        {"id": "kabupaten", "type": "text"},
        {"id": "penduduk", "type": "int"},
    ]
    total = _sql(client, f'SELECT count(*) AS n, sum(luas_km2) AS luas FROM "{public.pk}";')
    record = total.json()["result"]["records"][0]
    assert record["n"] == 3 and abs(record["luas"] - 914.3) < 0.001
    joined = _sql(
        client,
        f'SELECT a._id, b.kabupaten FROM "{public.pk}" a JOIN "{public.pk}" b '
        "ON a._id = b._id WHERE a.kode_wilayah = '51.71'",
    ).json()["result"]["records"]
    assert joined == [{"_id": 3, "kabupaten": "Denpasar"}]


@pytest.mark.django_db
def test_private_table_is_not_found_for_outsiders_and_readable_with_a_token(client, hub, tables):
    private = tables[1]
    response = _sql(client, f'SELECT * FROM "{private.pk}"')
    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"
    token = core_services.api_token_create(
        actor="test", user=hub["users"]["steward"], name="t"
    ).plaintext
    ok = _sql(client, f'SELECT count(*) AS n FROM "{private.pk}"', HTTP_AUTHORIZATION=token)
    assert ok.json()["result"]["records"] == [{"n": 3}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM datahub_datatable",
        "SELECT * FROM auth_user",
        "SELECT * FROM core_user",
        'SELECT * FROM "datahub_datatable"',
        "SELECT * FROM sqlite_master",
        "SELECT * FROM pg_catalog.pg_tables",
        "SELECT * FROM information_schema.tables",
        "SELECT 1; DROP TABLE datahub_dataset",
        "SELECT 1 -- comment",
        "SELECT query_to_xml('select 1', true, true, '')",
        "SELECT pg_sleep(30)",
        "SELECT load_extension('x')",
        "WITH x AS (DELETE FROM datahub_dataset RETURNING *) SELECT * FROM x",
        "SELECT E'\\x41'",
        'SELECT * FROM U&"d\\0061tahub_dataset"',
        "SELECT * FROM [datahub_dataset]",
        "",
    ],
)
def test_anything_but_a_select_over_datastore_tables_is_refused(client, tables, query):
    response = _sql(client, query)
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert "sql" in error


@pytest.mark.django_db
def test_a_physical_datastore_table_cannot_be_named_directly(client, tables):
    """Only through its resource id, which checks who may read it."""
    for resource in tables:
        table = DataTable.objects.get(resource=resource)
        physical = typed_tables.table_name(table.pk, table.generation)
        for query in (f"SELECT * FROM {physical}", f'SELECT count(*) FROM "{physical}"'):
            response = _sql(client, query)
            assert response.status_code == 409, response.content


@pytest.mark.django_db
def test_unknown_resource_and_bad_sql_get_clear_errors(client, tables):
    missing = _sql(client, 'SELECT * FROM "00000000-0000-0000-0000-000000000000"')
    assert missing.status_code == 404
    broken = _sql(client, f'SELECT nope FROM "{tables[0].pk}"')
    assert broken.status_code == 409
    assert "nope" in broken.json()["error"]["sql"][0]


@pytest.mark.django_db
def test_time_limit_stops_a_long_query(hub, tables):
    public = tables[0]
    endless = (
        "WITH RECURSIVE n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n) "
        f'SELECT count(*) FROM n, "{public.pk}"'
    )
    from onedata.core.errors import ValidationError

    with pytest.raises(ValidationError) as caught:
        datastore.search_sql(hub["users"]["steward"], endless, seconds=0.5)
    assert "sql" in caught.value.fields
    assert "0.5" in caught.value.message  # "took longer than 0.5 seconds", in either language


def test_check_is_pure_and_names_the_resources():
    rid = "3f1c2a34-1111-4222-8333-944455556666"
    checked = sql_search.check(f"SELECT a FROM \"{rid}\" WHERE b = 'x;y'", {"auth_user"})
    assert checked.resources == [rid]
    with pytest.raises(sql_search.SqlRefused):
        sql_search.check("select * from AUTH_USER", {"auth_user"})
    with pytest.raises(sql_search.SqlRefused):
        sql_search.check("select lo_import('/etc/passwd')", set())


def test_plan_check_refuses_other_relations():
    plan = [{"Plan": {"Node Type": "Seq Scan", "Relation Name": "auth_user", "Alias": "u"}}]
    with pytest.raises(sql_search.SqlRefused):
        sql_search.check_plan(plan, "abc", {"datastore_5_1"})
    ours = [{"Plan": {"Relation Name": "datastore_5_1", "Alias": "_ds_abc_0", "Plans": []}}]
    sql_search.check_plan(ours, "abc", {"datastore_5_1"})
    other = [{"Plan": {"Relation Name": "datastore_6_1", "Alias": "_ds_abc_0", "Plans": []}}]
    with pytest.raises(sql_search.SqlRefused):
        sql_search.check_plan(other, "abc", {"datastore_5_1"})


__all__ = ["Resource"]


@pytest.mark.django_db
def test_sqlite_authorizer_refuses_other_tables_even_past_the_checker():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the authorizer is SQLite's layer; PostgreSQL checks the plan")
    import sqlite3

    connection.ensure_connection()
    tables = set(connection.introspection.table_names())
    with pytest.raises(sqlite3.DatabaseError, match="not authorized|prohibited"):
        sql_search.run_sqlite(
            connection.connection,
            "SELECT * FROM core_user",
            limit=5,
            seconds=1,
            tables=tables,
            readable=set(),
        )
    with pytest.raises(sqlite3.DatabaseError, match="not authorized|prohibited"):
        sql_search.run_sqlite(
            connection.connection,
            "SELECT status FROM datahub_datatable",
            limit=5,
            seconds=1,
            tables=tables,
            readable={"datastore_1_1"},
        )
