"""The DataStore's physical tables: one typed table per generation, read through the
resource's column names; widened in place, dropped with their resource, copied over from
the JSON rows of before by the migration. On the engine under test."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from onedata.core.errors import ValidationError
from onedata.datahub import datastore, services, tabular, typed_tables
from onedata.datahub.models import DataTable
from tests.datahub.test_ingest_load import csv_text, draft, loaded_table, only_live_table_rows


def column_types(table: DataTable) -> dict[str, str]:
    return {c["name"]: c["type"] for c in table.columns}


@pytest.mark.django_db
def test_integers_that_turn_to_numbers_are_widened_in_place(hub, monkeypatch):
    monkeypatch.setattr(tabular, "BATCH", 3)

    def second_read(*args, **kwargs):
        raise AssertionError("integer to number needs no second read of the file")

    monkeypatch.setattr(datastore, "_write_again", second_read)
    rows = [["nilai", "jumlah"]] + [[str(i), str(i)] for i in range(1, 8)] + [["2.5", "8"]]
    table = loaded_table(hub, csv_text(rows))
    assert column_types(table) == {"nilai": "number", "jumlah": "integer"}
    records = datastore.search(table, sort="nilai desc", limit=3).records
    assert [(r["nilai"], r["jumlah"]) for r in records] == [(7, 7), (6, 6), (5, 5)]
    assert datastore.search(table, filters={"nilai": "2.5"}).records[0]["jumlah"] == 8
    assert only_live_table_rows(table) == 8


@pytest.mark.django_db
def test_a_page_of_the_whole_table_is_the_same_as_a_sorted_one(hub):
    rows = [["kode", "nilai"]] + [[f"K{i}", str(i % 4)] for i in range(1, 21)]
    table = loaded_table(hub, csv_text(rows))
    for offset, limit in [(0, 5), (7, 6), (18, 10), (25, 5)]:
        fast = datastore.search(table, limit=limit, offset=offset)
        general = datastore.search(table, sort="_id asc", limit=limit, offset=offset)
        assert fast.records == general.records
        assert fast.total == general.total == 20


@pytest.mark.django_db
def test_a_search_with_an_older_table_in_hand_reads_the_live_generation(hub, tmp_path):
    table = loaded_table(hub, "a,b\n1,x\n2,y\n")
    stale = DataTable.objects.get(pk=table.pk)
    path = tmp_path / "new.csv"
    path.write_text("a,b\n10,p\n20,q\n30,r\n", encoding="utf-8")
    datastore.switch_generation(table, datastore.load_file(table, path, "CSV"))
    # ``stale`` still names generation 1, whose table was dropped by the switch.
    assert stale.generation == table.generation - 1
    result = datastore.search(stale, filters={"b": "q"})
    assert result.records == [{"_id": 2, "a": 20, "b": "q"}]
    assert stale.generation == table.generation


@pytest.mark.django_db
def test_inline_records_that_do_not_fit_their_field_type_are_refused_by_name(hub):
    resource = services.resource_create(
        actor=hub["users"]["producer"], dataset=draft(hub), url="https://example.org/x.csv"
    )
    fields = [{"id": "nama", "type": "text"}, {"id": "jumlah", "type": "int"}]
    producer = hub["users"]["producer"]
    table = services.datastore_write(
        actor=producer,
        resource=resource,
        fields=fields,
        records=[{"nama": "Badung", "jumlah": 3}],
        replace=True,
    )
    with pytest.raises(ValidationError) as refused:
        services.datastore_write(
            actor=producer,
            resource=resource,
            fields=fields,
            records=[{"nama": "Bangli", "jumlah": 4}, {"nama": "Buleleng", "jumlah": "tiga"}],
            replace=False,
        )
    message = refused.value.fields["records"][0]
    assert re.search(r"\b2\b", message) and "jumlah" in message and "tiga" in message
    table.refresh_from_db()
    assert [r["nama"] for r in datastore.search(table).records] == ["Badung"]  # nothing half
    assert only_live_table_rows(table) == 1


@pytest.mark.django_db
def test_a_deleted_table_takes_its_physical_tables_with_it(hub):
    table = loaded_table(hub, "a\n1\n")
    leftover = typed_tables.table_name(table.pk, table.generation + 1)
    typed_tables.create(leftover, [tabular.INTEGER])  # as a killed load leaves one
    assert len(typed_tables.names_of(table.pk)) == 2
    services.datastore_clear(actor=hub["users"]["producer"], resource=table.resource)
    assert typed_tables.names_of(table.pk) == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_json_rows_into_typed_tables(hub):
    """0007 on a database that holds DataStore rows as JSON: every live row is copied,
    and a column with a value its type cannot hold becomes text."""
    call_command("migrate", "datahub", "0006", verbosity=0)
    try:
        table = DataTable.objects.create(
            resource=services.resource_create(
                actor=hub["users"]["producer"],
                dataset=draft(hub),
                url="https://example.org/x.csv",
            ),
            generation=2,
            columns=[
                {"name": "kode", "type": "string", "label": "Kode", "description": ""},
                {"name": "jumlah", "type": "integer", "label": "", "description": ""},
                {"name": "luas", "type": "number", "label": "", "description": ""},
                {"name": "aktif", "type": "boolean", "label": "", "description": ""},
                {"name": "tanggal", "type": "date", "label": "", "description": ""},
            ],
            status=DataTable.Status.READY,
        )
        old = [
            {"kode": "51.03", "jumlah": 5, "luas": 1.5, "aktif": True, "tanggal": "2024-01-02"},
            {"kode": "51.04", "jumlah": "dua", "luas": 2, "aktif": False, "tanggal": None},
        ]
        with connection.cursor() as cursor:
            for number, data in enumerate(old, start=1):
                for generation in (1, 2):  # generation 1 is not live: not copied
                    cursor.execute(
                        "INSERT INTO datahub_datarow (table_id, generation, rownum, data, search) "
                        "VALUES (%s, %s, %s, %s, '')",
                        [table.pk, generation, number, json.dumps(data)],
                    )
    finally:
        call_command("migrate", "datahub", verbosity=0)
    table.refresh_from_db()
    assert column_types(table)["jumlah"] == "string"
    assert table.columns[0]["label"] == "Kode" and table.row_count == 2
    assert datastore.search(table).records == [
        {
            "_id": 1,
            "kode": "51.03",
            "jumlah": "5",
            "luas": 1.5,
            "aktif": True,
            "tanggal": "2024-01-02",
        },
        {"_id": 2, "kode": "51.04", "jumlah": "dua", "luas": 2, "aktif": False, "tanggal": None},
    ]
    assert typed_tables.names_of(table.pk) == [typed_tables.table_name(table.pk, 2)]


def several_streams(monkeypatch) -> list[bool]:
    """Three COPY streams and batches of 50 rows; the streams opened, by whether each has
    a connection of its own, are listed."""
    monkeypatch.setattr(tabular, "BATCH", 50)
    monkeypatch.setattr(typed_tables.PostgresWriter, "STREAMS", 3)
    opened: list[bool] = []
    real = typed_tables._CopyStream.__init__

    def counted(self, statement, *, own_connection):
        opened.append(own_connection)
        real(self, statement, own_connection=own_connection)

    monkeypatch.setattr(typed_tables._CopyStream, "__init__", counted)
    return opened


@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_writes_through_several_copy_streams(
    hub, tmp_path, monkeypatch
):
    """Batches go round-robin to COPYs on connections of their own (PostgreSQL), while
    progress is recorded on Django's; the table holds every row once, numbered in file
    order, and a page is a range of them."""
    table = loaded_table(hub, "a\n1\n")
    opened = several_streams(monkeypatch)
    rows = [["kode", "nilai", "tanggal"]]
    rows += [[f"K{i}", str(i), f"2024-01-{1 + i % 28:02d}"] for i in range(1000)]
    path = tmp_path / "besar.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    seen: list[int] = []
    result = datastore.load_file(table, path, "CSV", progress=seen.append)
    datastore.switch_generation(table, result)
    if connection.vendor == "postgresql":
        assert opened == [True, True, True]
    assert len(seen) >= 10 and seen == sorted(seen)
    assert table.row_count == 1000 and only_live_table_rows(table) == 1000
    page = datastore.search(table, offset=500, limit=10)
    assert [(r["_id"], r["nilai"], r["kode"]) for r in page.records] == [
        (i + 1, i, f"K{i}") for i in range(500, 510)
    ]
    assert datastore.search(table, sort="nilai desc", limit=1).records[0]["kode"] == "K999"
    assert datastore.search(table, q="k777").records[0]["_id"] == 778


@pytest.mark.django_db(transaction=True)
def test_a_load_failing_after_several_streams_wrote_leaves_only_the_live_table(
    hub, tmp_path, monkeypatch
):
    table = loaded_table(hub, "a\n1\n")
    several_streams(monkeypatch)
    rows = [["kode", "nilai"]] + [[f"K{i}", str(i)] for i in range(700)]
    rows += [["K700", "x" * 200_000]] + [["K701", "1"]]  # row 702: too large a cell
    path = tmp_path / "rusak.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    with pytest.raises(tabular.TableError) as failed:
        datastore.load_file(table, path, "CSV")
    assert failed.value.row == 702
    assert typed_tables.names_of(table.pk) == [typed_tables.table_name(table.pk, 1)]
    assert datastore.search(table).records[0]["a"] == 1
