"""The DataStore loader end to end, on the engine under test: types from every value
across batches (earlier batches written again when a column turns to text), failed loads
that leave the previous table, validation reports across batch boundaries, text that
needs escaping (COPY, ``%``), a steward's declared types, and progress."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.db import connection

from onedata.datahub import datastore, services, tabular, typed_tables
from onedata.datahub.models import DataTable
from tests.datahub.conftest import publish, upload


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 4 rows, so that small files cross many batch boundaries."""
    monkeypatch.setattr(tabular, "BATCH", 4)


def only_live_table_rows(table) -> int:
    """Rows of the live physical table, after checking it is the table's only one."""
    live = typed_tables.table_name(table.pk, table.generation)
    assert typed_tables.names_of(table.pk) == [live]
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{live}"')  # noqa: S608 - our own name
        return cursor.fetchone()[0]


def draft(hub, name="muat"):
    return services.dataset_create(
        actor=hub["users"]["producer"],
        organization=hub["agencies"]["badung"],
        name=name,
        title="Muat",
    )


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def loaded_table(hub, text: str, name: str = "data.csv") -> DataTable:
    resource = upload(hub, draft(hub), text, name)
    table = DataTable.objects.get(resource=resource)
    assert table.status == DataTable.Status.READY, table.error
    return table


@pytest.mark.django_db
def test_a_code_on_the_last_row_turns_numbers_written_earlier_into_text(hub, small_batches):
    rows = [["produk", "jumlah", "harga", "aktif", "tanggal"]]
    rows += [
        [str(i), str(i * 3), f"{i}.50", "TRUE" if i % 2 else "false", ""] for i in range(1, 11)
    ]
    rows.append(["0164A", "7", "1e3", "ya", "2024-02-29"])
    table = loaded_table(hub, csv_text(rows))
    types = {c["name"]: c["type"] for c in table.columns}
    assert types == {
        "produk": "string",
        "jumlah": "integer",
        "harga": "number",
        "aktif": "string",
        "tanggal": "date",
    }
    records = datastore.search(table, sort="_id", limit=100).records
    assert len(records) == table.row_count == 11
    first, last = records[0], records[-1]
    assert first == {
        "_id": 1,
        "produk": "1",
        "jumlah": 3,
        "harga": 1.5,
        "aktif": "TRUE",
        "tanggal": None,
    }
    assert last["produk"] == "0164A" and last["harga"] == 1000 and last["tanggal"] == "2024-02-29"
    # Earlier rows are in the search text now that their cells are text.
    assert datastore.search(table, q="true").total == 5
    assert datastore.search(table, filters={"produk": "3"}).records[0]["jumlah"] == 9
    assert only_live_table_rows(table) == 11  # nothing left from the rewrite


@pytest.mark.django_db
def test_a_load_failing_midway_keeps_the_previous_table_and_names_the_row(hub, small_batches):
    dataset = publish(hub)
    table = DataTable.objects.get(resource__dataset=dataset)
    rows = [["kode_wilayah", "nilai"]] + [[f"51.{i:02d}", str(i)] for i in range(9)]
    rows.append(["51.99", "x" * 200_000])  # row 11: larger than the CSV reader allows
    rows += [["51.98", "1"]] * 3
    with hub["commit"](execute=True):
        services.resource_replace_file(
            actor=hub["users"]["producer"],
            resource=table.resource,
            upload=csv_text(rows).encode(),
            upload_name="rusak.csv",
        )
    table.refresh_from_db()
    assert table.status == DataTable.Status.READY  # the previous table stays live
    assert table.row_count == 3 and datastore.search(table).total == 3
    assert "11" in table.error
    assert only_live_table_rows(table) == 3  # the failed load's table is gone


@pytest.mark.django_db
def test_the_first_failed_load_marks_the_table_failed(hub, tmp_path):
    resource = upload(hub, draft(hub), "a,b\n1,2\n")
    table = DataTable.objects.get(resource=resource)
    table.generation, table.status = 0, DataTable.Status.PENDING
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n" + "1," + "y" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(tabular.TableError) as error:
        datastore.load_file(table, bad, "CSV")
    assert error.value.row == 2
    assert typed_tables.table_name(table.pk, 1) not in typed_tables.names_of(table.pk)


@pytest.mark.django_db
def test_validation_report_across_batch_boundaries(hub, small_batches):
    text = "a,b,c\n1,2,3\n4,5,6\n7,8,9\n1,2,3\n\n10,11\n12,13,14,15\n4,5,6\n"
    table = loaded_table(hub, text)
    errors = [(e["type"], e["row"]) for e in table.report["errors"]]
    assert ("duplicate-row", 5) in errors  # row 2 again, in the next batch
    assert ("duplicate-row", 9) in errors  # row 3 again, two batches later
    assert ("missing-cell", 6) in errors  # the blank line
    assert ("missing-cell", 7) in errors
    assert ("extra-cell", 8) in errors
    assert table.report["rows"] == 8 and table.row_count == 8
    assert table.report["valid"] is False


@pytest.mark.django_db
def test_text_that_needs_escaping_round_trips(hub, small_batches):
    odd = [
        'kata "kutip"',
        "garis\\miring",
        "tab\tdi tengah",
        "baris\nbaru",
        "persen %s %d %%",
        "Ñusa Penida — ᬩᬮᬶ",
        'a:"",b',
        '{"json": 1}',
        "\\N",
    ]
    rows = [['nama "x"', "persen%", "nilai"]] + [[v, v, str(i)] for i, v in enumerate(odd)]
    table = loaded_table(hub, csv_text(rows))
    records = datastore.search(table, sort="_id", limit=100).records
    assert [r['nama "x"'] for r in records] == odd
    assert [r["persen%"] for r in records] == odd
    assert [r["nilai"] for r in records] == list(range(len(odd)))
    assert datastore.search(table, q="ᬩᬮᬶ").total == 1
    assert datastore.search(table, q="garis\\miring").total == 1


@pytest.mark.django_db
def test_a_declared_type_some_cells_do_not_fit_keeps_the_column_as_text(
    hub, tmp_path, small_batches
):
    """Nothing is lost: the report names the cell, and the column keeps every value as
    text (a typed column cannot hold "dua"); a later file that fits gets the type."""
    table = loaded_table(hub, "jumlah,nama\n1,a\n2,b\n")
    table.schema = {"fields": [{"name": "jumlah", "type": "integer"}]}
    table.save(update_fields=["schema"])
    path = tmp_path / "d.csv"
    path.write_text("jumlah,nama\n12,a\ndua,b\n3,c\n4,d\n5,e\n", encoding="utf-8")
    result = datastore.load_file(table, path, "CSV")
    datastore.switch_generation(table, result)
    assert {c["name"]: c["type"] for c in table.columns}["jumlah"] == "string"
    values = [r["jumlah"] for r in datastore.search(table, sort="_id").records]
    assert values == ["12", "dua", "3", "4", "5"]
    assert ("type-error", 3) in [(e["type"], e["row"]) for e in table.report["errors"]]
    assert datastore.search(table, q="dua").total == 1
    path.write_text("jumlah,nama\n12,a\n,b\n3,c\n", encoding="utf-8")
    result = datastore.load_file(table, path, "CSV")
    datastore.switch_generation(table, result)
    assert {c["name"]: c["type"] for c in table.columns}["jumlah"] == "integer"
    assert [r["jumlah"] for r in datastore.search(table, sort="_id").records] == [12, None, 3]


@pytest.mark.django_db
def test_progress_rises_to_the_end_and_data_dictionary_changes_apply(hub, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "BATCH", 1000)
    monkeypatch.setattr(typed_tables.PostgresWriter, "FLUSH_ROWS", 1000)
    table = loaded_table(hub, "a\n1\n")
    path = Path(tmp_path / "big.csv")
    path.write_text("tahun,nilai\n" + "".join(f"{2000 + i % 20},{i}\n" for i in range(9000)))
    seen: list[int] = []
    result = datastore.load_file(table, path, "CSV", progress=seen.append)
    datastore.switch_generation(table, result)
    assert seen == sorted(seen) and len(set(seen)) >= 5 and seen[-1] == 99
    assert table.row_count == 9000
    services.data_dictionary_update(
        actor=hub["users"]["steward"], table=table, column="tahun", type="string", label="Tahun"
    )
    table.refresh_from_db()
    assert datastore.search(table, sort="_id", limit=1).records[0]["tahun"] == "2000"


@pytest.mark.django_db
def test_inline_records_are_created_then_appended(hub):
    resource = upload(hub, draft(hub), "a\n1\n")
    fields = [{"id": "nama", "type": "text"}, {"id": "jumlah", "type": "int"}]
    producer = hub["users"]["producer"]
    table = services.datastore_write(
        actor=producer,
        resource=resource,
        fields=fields,
        records=[{"nama": 'Ba\\dung "1"', "jumlah": 3}, {"nama": "Bangli\tx"}],
        replace=True,
    )
    table = services.datastore_write(
        actor=producer,
        resource=resource,
        fields=fields,
        records=[{"nama": "Gianyar", "jumlah": 5}],
        replace=False,
    )
    records = datastore.search(table, sort="_id").records
    assert [(r["nama"], r["jumlah"]) for r in records] == [
        ('Ba\\dung "1"', 3),
        ("Bangli\tx", None),
        ("Gianyar", 5),
    ]
    assert datastore.search(table, q="gianyar").total == 1
    assert only_live_table_rows(table) == 3
