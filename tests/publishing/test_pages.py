"""The province dashboard, the list of publications and their API."""

from __future__ import annotations

import pytest

from onedata.publishing import services
from onedata.publishing.cards import CARDS

REGIONS = "kode-wilayah-bali"


@pytest.mark.django_db
def test_dashboard_before_anything_is_published(client, onedata):
    page = client.get("/satu-data/")
    assert page.status_code == 200
    assert page.content.decode().count("od-figure-none") == len(CARDS)


@pytest.mark.django_db
def test_dashboard_figures_come_from_the_published_tables(client, onedata):
    services.publication_refresh(name=REGIONS)
    page = client.get("/satu-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "716" in page  # villages and wards in the published region list
    assert f"/data/{REGIONS}/" in page
    body = client.get("/api/v1/onedata/dashboard").json()
    card = next(c for c in body["cards"] if c["key"] == "villages")
    assert card["value"] == 716 and card["dataset"] == REGIONS


@pytest.mark.django_db
def test_publications_list_page_and_refresh_button(client, onedata):
    page = client.get("/satu-data/publikasi/").content.decode()
    assert "onedata.core.publishers.produce_regions" in page
    assert "/perbarui/" not in page  # no refresh button for the public
    client.force_login(onedata["steward"])
    page = client.get("/satu-data/publikasi/").content.decode()
    assert f"/satu-data/publikasi/{REGIONS}/perbarui/" in page
    response = client.post(f"/satu-data/publikasi/{REGIONS}/perbarui/", follow=True)
    assert response.status_code == 200
    assert "783" in response.content.decode()


@pytest.mark.django_db
def test_api_lists_lineage_with_data_dictionary(client, onedata):
    services.publication_refresh(name=REGIONS)
    body = client.get("/api/v1/onedata/publications").json()
    entry = next(p for p in body["publications"] if p["name"] == REGIONS)
    assert entry["module"] == "core" and entry["version"] == 1 and entry["rows"] == 783
    assert entry["query"] == "onedata.core.publishers.produce_regions"
    assert entry["last_error"] is None  # error text is for stewards
    assert [c["name"] for c in entry["columns"]] == ["kode", "nama", "tingkat", "kode_induk"]
    one = client.get(f"/api/v1/onedata/publications/{REGIONS}").json()
    assert one["dataset"] == REGIONS
    missing = client.get("/api/v1/onedata/publications/tidak-ada")
    assert missing.status_code == 404 and missing.json()["error"]["code"]


@pytest.mark.django_db
def test_api_refresh_is_for_stewards(client, onedata):
    from onedata.core import services as core_services

    url = f"/api/v1/onedata/publications/{REGIONS}/refresh"
    assert client.post(url).status_code in (401, 403)
    token = core_services.api_token_create(
        actor="test", user=onedata["steward"], name="t"
    ).plaintext
    response = client.post(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
