"""The pages: catalog with facets, the dataset page, producer forms, review, versions, DCAT."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onedata.datahub.models import Dataset, DataTable
from tests.conftest import login_client
from tests.datahub.conftest import CSV, publish


@pytest.mark.django_db
def test_catalog_lists_public_datasets_with_facets(client, hub):
    publish(hub)
    publish(hub, name="rahasia", access="restricted", title="Rahasia sekali")
    page = client.get("/data/?q=penduduk")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jumlah penduduk per kabupaten" in text
    assert "Rahasia sekali" not in text
    filtered = client.get("/data/?tags=demografi").content.decode()
    assert "Jumlah penduduk per kabupaten" in filtered


@pytest.mark.django_db
def test_producer_creates_uploads_and_submits_then_steward_approves(
    hub, django_capture_on_commit_callbacks
):
    producer = login_client(hub["users"]["producer"])
    form = producer.get("/data/baru/")
    assert form.status_code == 200
    bad = producer.post("/data/baru/", {"name": "Bad Name", "title": ""})
    assert bad.status_code == 400
    assert "Bad Name" in bad.content.decode()
    response = producer.post(
        "/data/baru/",
        {
            "organization": hub["agencies"]["badung"].pk,
            "name": "penduduk-2024",
            "title": "Penduduk 2024",
            "access_level": "public",
            "license_id": "cc-by-4.0",
            "update_frequency": "yearly",
            "tags": "penduduk, bali",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with django_capture_on_commit_callbacks(execute=True):
        response = producer.post(
            "/data/penduduk-2024/sumber/baru/",
            {"upload": SimpleUploadedFile("p.csv", CSV.encode(), "text/csv")},
        )
    assert response.status_code == 302
    detail = producer.get("/data/penduduk-2024/")
    assert "Tabel siap" in detail.content.decode() or "Table ready" in detail.content.decode()
    assert producer.post("/data/penduduk-2024/kirim/").status_code == 302
    steward = login_client(hub["users"]["steward"])
    queue = steward.get("/data/tinjauan/").content.decode()
    assert "Penduduk 2024" in queue
    steward.post("/data/penduduk-2024/tinjau/", {"decision": "approve", "comment": ""})
    assert Dataset.objects.get(name="penduduk-2024").state == "published"


@pytest.mark.django_db
def test_dataset_page_shows_table_chart_and_versions(client, hub):
    dataset = publish(hub)
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert "dh-bars" in page and "Denpasar" in page
    resource = dataset.resources.get()
    table = client.get(f"/data/sumber/{resource.pk}/tabel/?sort=-penduduk")
    assert table.content.decode().index("Denpasar") < table.content.decode().index("Gianyar")
    filtered = client.get(f"/data/sumber/{resource.pk}/tabel/?col=kabupaten&val=Badung")
    assert "Gianyar" not in filtered.content.decode()
    exported = client.get(f"/data/sumber/{resource.pk}/tabel/?format=csv")
    assert b"".join(exported.streaming_content).decode().startswith("kode_wilayah,")
    download = client.get(f"/data/sumber/{resource.pk}/unduh/")
    assert b"".join(download.streaming_content).decode() == CSV
    versions = client.get(f"/data/{dataset.name}/versi/")
    assert versions.status_code == 200
    old = client.get(f"/data/{dataset.name}/versi/1/{resource.pk}/")
    assert b"".join(old.streaming_content).decode() == CSV
    assert DataTable.objects.get().row_count == 3


@pytest.mark.django_db
def test_dcat_catalog_and_dataset_in_turtle_and_jsonld(client, hub):
    publish(hub)
    publish(hub, name="rahasia", access="restricted")
    turtle = client.get("/data/catalog.ttl").content.decode()
    assert "dcat:Catalog" in turtle and "/data/penduduk/" in turtle
    assert "rahasia" not in turtle
    data = json.loads(client.get("/data/catalog.jsonld").content)
    assert [d["dct:title"] for d in data["dcat:dataset"]] == ["Jumlah penduduk per kabupaten"]
    single = client.get("/data/penduduk.ttl").content.decode()
    assert "dcat:distribution" in single
    assert client.get("/data/rahasia.ttl").status_code == 404
    assert client.get("/data/penduduk.jsonld").json()["dct:identifier"]
    # The same catalog at the site's root, where harvesters look first.
    assert client.get("/catalog.ttl").content.decode() == turtle
    assert json.loads(client.get("/catalog.jsonld").content) == data


@pytest.mark.django_db
def test_long_unbroken_words_in_descriptions_wrap(client, hub):
    from onedata.datahub import services

    dataset = publish(hub)
    resource = dataset.resources.get()
    word = "x" * 300
    services.resource_update(actor=hub["users"]["producer"], resource=resource, description=word)
    producer = login_client(hub["users"]["producer"])
    page = producer.get(f"/data/{dataset.name}/").content.decode()
    assert f'<p class="dh-wrap">{word}</p>' in page
    css = (settings_static() / "datahub" / "datahub.css").read_text()
    assert ".dh-wrap { overflow-wrap: anywhere;" in css


def settings_static():
    from pathlib import Path

    import onedata.datahub

    return Path(onedata.datahub.__file__).parent / "static"
