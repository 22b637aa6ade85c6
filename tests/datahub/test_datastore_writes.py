"""DataStore writes through CKAN's actions: ``datastore_create`` with a primary key,
``datastore_upsert`` (insert, upsert, update), ``datastore_delete`` with filters. Bad
records are refused by number before anything is written; parallel writers all land."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from onedata.core import services as core_services
from onedata.core.errors import ValidationError
from onedata.datahub import datastore, services
from onedata.datahub.models import DataTable
from tests.datahub.test_ingest_load import draft

ACTION = "/api/3/action/"


@pytest.fixture
def writer(client, hub):
    """A draft DataStore-only resource, and a function posting an action with a token."""
    producer = hub["users"]["producer"]
    resource = services.resource_create(
        actor=producer, dataset=draft(hub), url="https://example.org/faskes.csv"
    )
    token = core_services.api_token_create(actor="test", user=producer, name="t").plaintext

    def post(name: str, **body):
        body.setdefault("resource_id", str(resource.pk))
        return client.post(
            ACTION + name, body, content_type="application/json", HTTP_AUTHORIZATION=token
        )

    post.resource = resource
    return post


def names_record(message: str, number: int) -> bool:
    """The error names the record by its number (in either language)."""
    return re.search(rf"\b{number}\b", message) is not None


def rows(resource) -> list[tuple]:
    table = DataTable.objects.get(resource=resource)
    return [
        (r["_id"], r["kode"], r["nama"], r["bed"])
        for r in datastore.search(table, sort="_id").records
    ]


FIELDS = [{"id": "kode", "type": "text"}, {"id": "nama"}, {"id": "bed", "type": "int"}]


def create(writer, **extra):
    records = [
        {"kode": "RS01", "nama": "RSUP Prof. Ngoerah", "bed": 40},
        {"kode": "RS02", "nama": "RSUD Wangaya", "bed": 12},
    ]
    return writer("datastore_create", fields=FIELDS, records=records, **extra)


@pytest.mark.django_db
def test_create_with_a_primary_key_then_upsert_updates_and_appends(writer):
    created = create(writer, primary_key="kode")
    assert created.status_code == 200, created.content
    assert created.json()["result"]["primary_key"] == ["kode"]
    upserted = writer(
        "datastore_upsert",
        records=[{"kode": "RS02", "bed": 9}, {"kode": "RS03", "nama": "RSUD Bali Mandara"}],
    )
    assert upserted.status_code == 200, upserted.content
    assert upserted.json()["result"]["method"] == "upsert"  # CKAN's default
    assert rows(writer.resource) == [
        (1, "RS01", "RSUP Prof. Ngoerah", 40),
        (2, "RS02", "RSUD Wangaya", 9),  # the name, not sent, is kept
        (3, "RS03", "RSUD Bali Mandara", None),
    ]


@pytest.mark.django_db
def test_update_of_a_missing_key_and_insert_of_a_present_one_change_nothing(writer):
    create(writer, primary_key=["kode"])
    before = rows(writer.resource)
    missing = writer(
        "datastore_upsert",
        method="update",
        records=[{"kode": "RS01", "bed": 1}, {"kode": "RS99", "bed": 2}],
    )
    assert missing.status_code == 409
    assert names_record(missing.json()["error"]["records"][0], 2)
    present = writer("datastore_upsert", method="insert", records=[{"kode": "RS01", "bed": 1}])
    assert present.status_code == 409
    assert names_record(present.json()["error"]["records"][0], 1)
    empty_key = writer("datastore_upsert", method="upsert", records=[{"nama": "Tanpa kode"}])
    assert empty_key.status_code == 409
    assert "kode" in empty_key.json()["error"]["records"][0]
    bad_type = writer("datastore_upsert", records=[{"kode": "RS01", "bed": "banyak"}])
    assert bad_type.status_code == 409
    assert "bed" in bad_type.json()["error"]["records"][0]
    assert rows(writer.resource) == before


@pytest.mark.django_db
def test_upsert_and_update_need_a_primary_key_insert_does_not(writer):
    create(writer)
    refused = writer("datastore_upsert", records=[{"kode": "RS03", "bed": 1}])
    assert refused.status_code == 409
    assert "method" in refused.json()["error"]
    unknown = writer("datastore_upsert", method="merge", records=[])
    assert unknown.status_code == 409 and "method" in unknown.json()["error"]
    inserted = writer("datastore_upsert", method="insert", records=[{"kode": "RS01", "bed": 1}])
    assert inserted.status_code == 200
    assert [r[1] for r in rows(writer.resource)] == ["RS01", "RS02", "RS01"]
    duplicate_keys = create(writer, primary_key="kode")  # the records are checked too
    assert duplicate_keys.status_code == 200
    twice = writer(
        "datastore_create",
        fields=FIELDS,
        records=[{"kode": "A", "bed": 1}, {"kode": "A", "bed": 2}],
        primary_key="kode",
    )
    assert twice.status_code == 409 and names_record(twice.json()["error"]["records"][0], 2)
    wrong_key = writer("datastore_create", fields=FIELDS, records=[], primary_key="kelas")
    assert wrong_key.status_code == 409 and "primary_key" in wrong_key.json()["error"]


@pytest.mark.django_db
def test_delete_with_filters_removes_those_rows_and_without_drops_the_table(writer):
    create(writer, primary_key="kode")
    writer("datastore_upsert", records=[{"kode": "RS03", "nama": "RS Bhayangkara", "bed": 12}])
    deleted = writer("datastore_delete", filters={"bed": 12})
    assert deleted.status_code == 200, deleted.content
    assert deleted.json()["result"]["filters"] == {"bed": 12}
    assert rows(writer.resource) == [(1, "RS01", "RSUP Prof. Ngoerah", 40)]
    unknown = writer("datastore_delete", filters={"kelas": "A"})
    assert unknown.status_code == 409 and "filters" in unknown.json()["error"]
    assert writer("datastore_delete").status_code == 200
    assert not DataTable.objects.filter(resource=writer.resource).exists()
    info = writer("datastore_info", id=str(writer.resource.pk))
    assert info.status_code == 404


@pytest.mark.django_db
def test_another_agency_cannot_write_the_table(client, hub, writer):
    create(writer, primary_key="kode")
    outsider = core_services.api_token_create(
        actor="test", user=hub["users"]["gianyar_producer"], name="t"
    ).plaintext
    for name, body in [
        ("datastore_upsert", {"records": [{"kode": "RS01", "bed": 0}]}),
        ("datastore_delete", {"filters": {"kode": "RS01"}}),
    ]:
        response = client.post(
            ACTION + name,
            {"resource_id": str(writer.resource.pk), **body},
            content_type="application/json",
            HTTP_AUTHORIZATION=outsider,
        )
        assert response.status_code in (403, 404), response.content
    assert rows(writer.resource)[0][3] == 40


def test_merge_records_is_pure():
    names = ["kode", "bed"]
    stored = [["A", "1"], ["B", "2"]]
    merged = datastore.merge_records(
        names, stored, [{"kode": "B", "bed": 5}, {"kode": "C"}], method="upsert", key=["kode"]
    )
    assert merged == [["A", "1"], ["B", "5"], ["C", ""]]
    assert stored == [["A", "1"], ["B", "2"]]  # not changed in place
    with pytest.raises(ValidationError):
        datastore.merge_records(names, stored, [{"kode": "Z"}], method="update", key=["kode"])


@pytest.mark.django_db(transaction=True)
def test_parallel_upserts_all_land(hub):
    producer = hub["users"]["producer"]
    resource = services.resource_create(
        actor=producer, dataset=draft(hub), url="https://example.org/oksigen.csv"
    )
    fields = [{"id": "kode", "type": "text"}, {"id": "tabung", "type": "int"}]
    services.datastore_write(
        actor=producer,
        resource=resource,
        fields=fields,
        records=[],
        replace=True,
        primary_key=["kode"],
    )
    errors = []

    def upsert(worker: int) -> None:
        try:
            for n in range(5):
                services.datastore_write(
                    actor=producer,
                    resource=resource,
                    fields=fields,
                    records=[{"kode": f"W{worker}-{n}", "tabung": n}],
                    replace=False,
                    method="upsert",
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=upsert, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    table = DataTable.objects.get(resource=resource)
    keys = sorted(r["kode"] for r in datastore.search(table, limit=100).records)
    assert keys == sorted(f"W{w}-{n}" for w in range(4) for n in range(5))
    assert table.row_count == 20
