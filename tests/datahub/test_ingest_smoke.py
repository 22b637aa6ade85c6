import pytest

from onedata.datahub import datastore
from onedata.datahub.models import DataTable
from tests.datahub.conftest import publish


@pytest.mark.django_db
def test_publish_loads_csv_into_datastore(hub):
    dataset = publish(hub)
    table = DataTable.objects.get(resource__dataset=dataset)
    assert table.status == "ready", table.error
    assert table.row_count == 3
    types = {c["name"]: c["type"] for c in table.columns}
    assert types == {
        "kode_wilayah": "string",
        "kabupaten": "string",
        "tahun": "integer",
        "penduduk": "integer",
        "luas_km2": "number",
        "tanggal": "date",
    }
    result = datastore.search(table, filters={"tahun": "2024"}, sort="penduduk desc")
    assert [r["kabupaten"] for r in result.records] == ["Denpasar", "Badung", "Gianyar"]
    assert result.total == 3
