# ruff: noqa: S314 - parsing our own server's output
"""Open metadata for harvesters: Project Open Data /data.json and DCAT in RDF/XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from onedata.datahub import dcat, services
from tests.datahub.conftest import publish

POD_REQUIRED = (
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "contactPoint",
    "identifier",
    "accessLevel",
)
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DCAT = "{http://www.w3.org/ns/dcat#}"
DCT = "{http://purl.org/dc/terms/}"


@pytest.fixture
def catalog(hub):
    public = publish(
        hub,
        name="penduduk",
        contact_name="Bidang Statistik",
        contact_email="statistik@badung.go.id",
        update_frequency="monthly",
        temporal_start="2024-01-01",
        temporal_end="2024-12-31",
    )
    internal = publish(hub, name="internal-saja", access="internal", title="Internal saja")
    restricted = publish(hub, name="rahasia", access="restricted", title="Rahasia sekali")
    return public, internal, restricted


@pytest.mark.django_db
def test_data_json_lists_public_datasets_in_pod_schema(client, catalog):
    response = client.get("/data/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert body["@type"] == "dcat:Catalog"
    assert [d["title"] for d in body["dataset"]] == ["Jumlah penduduk per kabupaten"]
    entry = body["dataset"][0]
    for key in POD_REQUIRED:
        assert entry.get(key), key
    assert entry["accessLevel"] == "public"
    assert entry["identifier"] == str(catalog[0].pk)
    assert entry["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Bidang Statistik",
        "hasEmail": "mailto:statistik@badung.go.id",
    }
    assert entry["accrualPeriodicity"] == "R/P1M"
    assert entry["temporal"] == "2024-01-01/2024-12-31"
    assert entry["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert entry["landingPage"] == "http://testserver/data/penduduk/"
    assert sorted(entry["keyword"]) == ["demografi", "penduduk"]
    (distribution,) = entry["distribution"]
    assert distribution["downloadURL"].startswith("http://testserver/data/sumber/")
    assert distribution["format"] == "CSV"
    assert distribution["mediaType"].startswith("text/csv")


@pytest.mark.django_db
def test_data_json_never_shows_private_internal_or_unapproved_changes(client, hub, catalog):
    public = catalog[0]
    services.dataset_update(
        actor=hub["users"]["producer"], dataset=public, title="Judul draf belum disetujui"
    )
    text = client.get("/data/data.json").content.decode()
    assert "Rahasia sekali" not in text and "Internal saja" not in text
    assert "Judul draf belum disetujui" not in text
    assert "Jumlah penduduk per kabupaten" in text
    # Even a logged-in steward gets the public catalog: data.json is for harvesters.
    client.force_login(hub["users"]["steward"])
    assert "Rahasia sekali" not in client.get("/data/data.json").content.decode()


@pytest.mark.django_db
def test_catalog_and_dataset_in_rdf_xml(client, catalog):
    response = client.get("/data/catalog.rdf")
    assert response["Content-Type"].startswith("application/rdf+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{RDF}RDF"
    (catalog_node,) = root.findall(f"{DCAT}Catalog")
    datasets = catalog_node.findall(f"{DCAT}dataset/{DCAT}Dataset")
    assert [d.find(f"{DCT}title").text for d in datasets] == ["Jumlah penduduk per kabupaten"]
    assert datasets[0].get(f"{RDF}about") == "http://testserver/data/penduduk/"
    distribution = datasets[0].find(f"{DCAT}distribution/{DCAT}Distribution")
    assert distribution.find(f"{DCAT}downloadURL").get(f"{RDF}resource").startswith("http")
    modified = datasets[0].find(f"{DCT}modified")
    assert modified.get(f"{RDF}datatype") == "http://www.w3.org/2001/XMLSchema#dateTime"
    single = ET.fromstring(client.get("/data/penduduk.rdf").content)
    assert single.find(f"{DCAT}Dataset/{DCT}title").text == "Jumlah penduduk per kabupaten"
    assert client.get("/data/rahasia.rdf").status_code == 404
    assert b"Rahasia" not in response.content


def test_rdf_xml_escapes_markup_and_drops_control_characters():
    package = {
        "id": "1",
        "name": "x",
        "title": 'A <b>&"c"\x01',
        "notes": "",
        "organization": {"title": "Org & Co"},
        "metadata_created": "2026-01-01T00:00:00",
        "metadata_modified": "2026-01-01T00:00:00",
        "resources": [],
    }
    text = dcat.dataset_rdfxml(package, "http://h")
    node = ET.fromstring(text).find(f"{DCAT}Dataset")
    assert node.find(f"{DCT}title").text == 'A <b>&"c"'
    assert json.loads(json.dumps(dcat.data_json([package], "http://h")))["dataset"][0]["keyword"]
