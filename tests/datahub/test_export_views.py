"""Downloads of a filtered table view (CSV, XLSX, JSON): only the rows the view shows, in
its order, formulas escaped, numbers and dates kept as such in XLSX, a row limit."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.datahub.conftest import publish

CSV = (
    "kode_wilayah,kabupaten,catatan,penduduk,luas_km2,tanggal\n"
    '51.03,Badung,=HYPERLINK("http://x"),548191,418.52,2024-06-30\n'
    "51.04,Gianyar,+62 361 123,515344,368.00,2024-06-30\n"
    "51.71,Denpasar,@SUM(A1),726800,127.78,2023-06-30\n"
    "51.08,Buleleng,-tidak ada,791813,1365.88,2023-06-30\n"
    "51.01,Jembrana,biasa,317064,841.80,2024-06-30\n"
)


@pytest.fixture
def table_url(hub):
    resource = publish(hub, csv=CSV).resources.get()
    return f"/data/sumber/{resource.pk}/tabel/"


def _xlsx_rows(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_xlsx_of_a_filtered_sorted_view(client, table_url):
    response = client.get(
        table_url, {"format": "xlsx", "col": "tanggal", "val": "2024-06-30", "sort": "-penduduk"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx_rows(response)
    assert rows[0] == ["kode_wilayah", "kabupaten", "catatan", "penduduk", "luas_km2", "tanggal"]
    # Only the 2024 rows, largest population first.
    assert [r[1] for r in rows[1:]] == ["Badung", "Gianyar", "Jembrana"]
    badung = rows[1]
    assert badung[0] == "51.03"  # a code stays text
    assert badung[2] == '\'=HYPERLINK("http://x")'  # the formula is escaped
    assert rows[2][2] == "'+62 361 123"
    assert badung[3] == 548191 and isinstance(badung[3], int)
    assert badung[4] == pytest.approx(418.52) and isinstance(badung[4], float)
    assert badung[5] == datetime(2024, 6, 30)


@pytest.mark.django_db
def test_xlsx_escapes_every_formula_start_and_keeps_search_words(client, table_url):
    rows = _xlsx_rows(client.get(table_url, {"format": "xlsx", "sort": "kabupaten"}))
    notes = {r[1]: r[2] for r in rows[1:]}
    assert notes == {
        "Badung": '\'=HYPERLINK("http://x")',
        "Buleleng": "'-tidak ada",
        "Denpasar": "'@SUM(A1)",
        "Gianyar": "'+62 361 123",
        "Jembrana": "biasa",
    }
    searched = _xlsx_rows(client.get(table_url, {"format": "xlsx", "q": "denpasar"}))
    assert [r[1] for r in searched[1:]] == ["Denpasar"]


@pytest.mark.django_db
def test_csv_and_json_of_the_same_view(client, table_url):
    query = {"col": "tanggal", "val": "2023-06-30", "sort": "kabupaten"}
    response = client.get(table_url, {**query, "format": "csv"})
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[1] for r in rows[1:]] == ["Buleleng", "Denpasar"]
    assert rows[2][2] == "'@SUM(A1)"
    data = json.loads(
        b"".join(client.get(table_url, {**query, "format": "json"}).streaming_content)
    )
    assert data["fields"][:2] == ["kode_wilayah", "kabupaten"]
    assert [(r["kabupaten"], r["penduduk"]) for r in data["records"]] == [
        ("Buleleng", 791813),
        ("Denpasar", 726800),
    ]


@pytest.mark.django_db
def test_row_limit_is_configurable_and_a_download_may_ask_for_fewer(client, table_url, settings):
    settings.DATAHUB_EXPORT_MAX_ROWS = 3
    rows = _xlsx_rows(client.get(table_url, {"format": "xlsx", "sort": "kabupaten"}))
    assert [r[1] for r in rows[1:]] == ["Badung", "Buleleng", "Denpasar"]
    fewer = client.get(table_url, {"format": "csv", "limit": "1", "sort": "kabupaten"})
    assert len(b"".join(fewer.streaming_content).decode().strip().splitlines()) == 2
    more = client.get(table_url, {"format": "csv", "limit": "99"})
    assert len(b"".join(more.streaming_content).decode().strip().splitlines()) == 4
    page = client.get(table_url).content.decode()
    assert "format=xlsx" in page and ("3" in page)


@pytest.mark.django_db
def test_table_links_carry_the_current_filter(client, table_url):
    page = client.get(table_url, {"col": "kabupaten", "val": "Badung", "q": "hyperlink"})
    text = page.content.decode()
    assert "format=xlsx&amp;col=kabupaten&amp;val=Badung&amp;q=hyperlink" in text
