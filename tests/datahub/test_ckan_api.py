"""The CKAN Action API, driven by the real ``ckanapi`` client and by plain requests."""

from __future__ import annotations

import ckanapi
import pytest

from onedata.core import services as core_services
from onedata.datahub.models import DataTable
from tests.datahub.conftest import publish


@pytest.fixture
def published(hub):
    public = publish(hub, name="penduduk")
    private = publish(hub, name="rahasia", access="restricted", title="Data terbatas")
    return public, private


@pytest.mark.django_db
def test_envelope_and_status_show(client, hub):
    body = client.get("/api/3/action/status_show").json()
    assert body["success"] is True
    assert body["result"]["api_version"] == 3
    assert body["help"].endswith("help_show?name=status_show")
    assert client.get("/api/action/status_show").status_code == 200


@pytest.mark.django_db
def test_unknown_dataset_is_not_found_error(client, hub):
    response = client.get("/api/3/action/package_show?id=tidak-ada")
    assert response.status_code == 404
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"


@pytest.mark.django_db
def test_restricted_dataset_invisible_to_public_everywhere(client, published):
    assert client.get("/api/3/action/package_list").json()["result"] == ["penduduk"]
    assert client.get("/api/3/action/package_show?id=rahasia").status_code == 404
    search = client.get("/api/3/action/package_search?include_private=true").json()["result"]
    assert [d["name"] for d in search["results"]] == ["penduduk"]
    resource = published[1].resources.get()
    response = client.get(f"/api/3/action/datastore_search?resource_id={resource.pk}")
    assert response.status_code == 404
    assert b"rahasia" not in client.get("/data/catalog.ttl").content
    assert b"rahasia" not in client.get("/data/").content


@pytest.mark.django_db
def test_restricted_dataset_visible_to_its_steward_with_token(client, published, hub):
    token = core_services.api_token_create(
        actor="test", user=hub["users"]["steward"], name="t"
    ).plaintext
    for header in (
        {"HTTP_AUTHORIZATION": token},
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        {"HTTP_X_CKAN_API_KEY": token},
    ):
        response = client.get("/api/3/action/package_show?id=rahasia", **header)
        assert response.status_code == 200, header


@pytest.mark.django_db
def test_package_search_fq_sort_rows_and_facets(client, published):
    url = "/api/3/action/package_search"
    result = client.get(url, {"fq": "tags:penduduk", "facet.field": '["organization","tags"]'})
    body = result.json()["result"]
    assert body["count"] == 1
    assert body["facets"]["tags"] == {"demografi": 1, "penduduk": 1}
    assert body["results"][0]["resources"][0]["datastore_active"] is True
    negated = client.get(url, {"fq": "-organization:pemkab-badung"}).json()["result"]
    assert negated["count"] == 0
    since = client.get(url, {"fq": "metadata_modified:[2020-01-01T00:00:00Z TO *]"}).json()
    assert since["result"]["count"] == 1
    assert client.get(url, {"sort": "id asc", "rows": 1}).json()["result"]["count"] == 1
    bad = client.get(url, {"sort": "drop table"})
    assert bad.status_code == 400
    assert bad.json()["error"]["__type"] == "Search Query Error"
    assert client.get(url, {"rows": "5000"}).status_code == 409


@pytest.mark.django_db
def test_datastore_search_filters_sort_and_formats(client, published):
    resource = published[0].resources.get()
    url = "/api/3/action/datastore_search"
    body = client.get(
        url, {"resource_id": str(resource.pk), "sort": "penduduk desc", "limit": 2}
    ).json()["result"]
    assert [r["kabupaten"] for r in body["records"]] == ["Denpasar", "Badung"]
    assert body["total"] == 3
    assert body["_links"]["next"].endswith("offset=2&limit=2")
    filtered = client.get(
        url, {"resource_id": str(resource.pk), "filters": '{"kabupaten": "Gianyar"}'}
    ).json()["result"]
    assert filtered["records"][0]["penduduk"] == 515344
    lists = client.get(
        url, {"resource_id": str(resource.pk), "records_format": "lists", "fields": "kabupaten"}
    ).json()["result"]
    assert lists["records"][0] == ["Badung"]
    injected = client.get(url, {"resource_id": str(resource.pk), "sort": "1; DROP TABLE x"})
    assert injected.status_code == 409
    assert "sort" in injected.json()["error"]


@pytest.mark.django_db
def test_writes_need_a_token_and_a_producer(client, hub):
    response = client.post(
        "/api/3/action/package_create",
        {"name": "baru", "owner_org": "pemkab-badung", "title": "Baru"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"
    token = core_services.api_token_create(
        actor="test", user=hub["users"]["producer"], name="t"
    ).plaintext
    created = client.post(
        "/api/3/action/package_create",
        {"name": "baru", "owner_org": "pemkab-badung", "title": "Baru", "tags": [{"name": "x"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert created.status_code == 200, created.content
    assert created.json()["result"]["workflow_state"] == "draft"
    duplicate = client.post(
        "/api/3/action/package_create",
        {"name": "baru", "owner_org": "pemkab-badung", "title": "Baru"},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["__type"] == "Validation Error"
    assert "name" in duplicate.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_ckanapi_remote_client_reads_the_hub(live_server, hub, django_capture_on_commit_callbacks):
    publish(hub, name="penduduk")
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="ckanapi-test")
    found = remote.action.package_search(q="penduduk", rows=10)
    assert found["count"] == 1
    package = remote.action.package_show(id="penduduk")
    resource_id = package["resources"][0]["id"]
    assert package["resources"][0]["url"].startswith(live_server.url)
    rows = remote.action.datastore_search(resource_id=resource_id, sort="tahun asc", limit=10)
    assert rows["total"] == 3
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="tidak-ada")
    assert DataTable.objects.get().row_count == 3
