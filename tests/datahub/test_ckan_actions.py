"""The CKAN Action API, action by action, through the real HTTP layer and database.

Each action: CKAN's success envelope (``help``, ``success``, ``result``), the result's
important fields, and CKAN's error envelope and status (Not Found Error 404,
Authorization Error 403, Validation Error 409 naming the field). Writes are POSTs with an
API token and are checked by reading back (``package_show``, ``resource_show``,
``datastore_search``) and through the audit log.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onedata.core import services as core_services
from onedata.core.models import AuditEvent
from onedata.datahub import services
from tests.datahub.conftest import CSV, publish

API = "/api/3/action"

CSV_2025 = (
    "kode_wilayah,kabupaten,tahun,penduduk,luas_km2,tanggal\n"
    "51.03,Badung,2025,552003,418.52,2025-06-30\n"
    "51.04,Gianyar,2025,519870,368.00,2025-06-30\n"
)


# --- helpers ------------------------------------------------------------------------------


def token_for(user) -> str:
    return core_services.api_token_create(actor="test", user=user, name="t").plaintext


def ok(response):
    """The result of a successful action, after checking CKAN's success envelope."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    name = response.request["PATH_INFO"].rstrip("/").rsplit("/", 1)[-1]
    assert body["help"] == f"http://testserver/api/3/action/help_show?name={name}"
    return body["result"]


def error(response, status: int, kind: str | None) -> dict:
    """The error of a failed action, after checking CKAN's error envelope."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"help", "success", "error"}
    assert body["success"] is False
    assert body["error"]["message"]
    if kind is not None:
        assert body["error"]["__type"] == kind
    return body["error"]


def get(client, name: str, token: str | None = None, **params):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    return client.get(f"{API}/{name}", params, **headers)


def post(client, name: str, data: dict, token: str | None = None, **headers):
    if token:
        headers.setdefault("HTTP_AUTHORIZATION", token)
    return client.post(f"{API}/{name}", data, content_type="application/json", **headers)


def post_form(client, name: str, data: dict, token: str, hub=None):
    """A multipart POST (a file upload), run as a commit would so the load task runs."""
    if hub is None:
        return client.post(f"{API}/{name}", data, HTTP_AUTHORIZATION=token)
    with hub["commit"](execute=True):
        return client.post(f"{API}/{name}", data, HTTP_AUTHORIZATION=token)


def csv_file(text: str, name: str = "penduduk-2025.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def audited(action: str, user, object_id: str | None = None) -> bool:
    events = AuditEvent.objects.filter(action=action, actor=user)
    if object_id is not None:
        events = events.filter(object_id=object_id)
    return events.exists()


@pytest.fixture
def published(hub):
    """A public dataset with a loaded CSV, and a restricted one, both approved."""
    public = publish(hub, name="penduduk")
    private = publish(
        hub, name="rahasia", access="restricted", title="Data terbatas", tags=["terbatas"]
    )
    return public, private


@pytest.fixture
def tokens(hub):
    users = hub["users"]
    return {key: token_for(users[key]) for key in ("producer", "steward", "gianyar_producer")}


@pytest.fixture
def link(hub, published):
    """A link resource on the public dataset (no DataStore table)."""
    return services.resource_create(
        actor=hub["users"]["producer"],
        dataset=published[0],
        name="Sumber BPS",
        url="https://bali.bps.go.id/penduduk.xlsx",
        format="XLSX",
    )


# --- site -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_site_read_is_true_on_both_prefixes(client, hub):
    assert ok(client.get(f"{API}/site_read")) is True
    response = client.get("/api/action/site_read")
    assert response.status_code == 200
    assert response.json()["result"] is True


@pytest.mark.django_db
def test_license_list_gives_ids_titles_and_urls(client, hub):
    licences = ok(client.get(f"{API}/license_list"))
    by_id = {licence["id"]: licence for licence in licences}
    assert len(by_id) == len(licences)
    assert by_id["cc-by-4.0"] == {
        "id": "cc-by-4.0",
        "title": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "status": "active",
    }
    assert {"cc-by-sa-4.0", "cc-zero", "odc-odbl"} <= set(by_id)
    assert all(licence["status"] == "active" for licence in licences)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["site_read", "license_list", "group_list", "tag_list", "organization_list"]
)
def test_read_actions_refuse_methods_other_than_get_and_post(client, hub, name):
    response = client.put(f"{API}/{name}")
    err = error(response, 400, "Bad request")
    assert "POST" in err["message"]


@pytest.mark.django_db
def test_unknown_action_is_a_bad_request(client, hub):
    response = client.get(f"{API}/site_reed")
    err = error(response, 400, None)
    assert "site_reed" in err["message"]


# --- organisations ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_organization_list_all_fields_counts_public_published_datasets(client, hub, published):
    services.dataset_create(
        actor=hub["users"]["producer"],
        organization=hub["agencies"]["badung"],
        name="konsep",
        title="Draf yang belum terbit",
    )
    result = ok(get(client, "organization_list", all_fields="true"))
    by_name = {org["name"]: org for org in result}
    assert [org["name"] for org in result] == sorted(by_name)
    assert set(by_name) == {"diskominfos", "dinkes-badung", "pemkab-badung", "pemkab-gianyar"}
    badung = by_name["pemkab-badung"]
    assert badung["id"] == str(hub["agencies"]["badung"].pk)
    assert badung["title"] == badung["display_name"] == "Pemkab Badung"
    assert badung["type"] == "organization"
    assert badung["is_organization"] is True
    assert badung["state"] == "active"
    # the restricted dataset and the unpublished draft are not counted for anyone
    assert badung["package_count"] == 1
    assert by_name["pemkab-gianyar"]["package_count"] == 0
    steward = ok(get(client, "organization_list", token_for(hub["users"]["steward"]), all_fields=1))
    assert {o["name"]: o["package_count"] for o in steward}["pemkab-badung"] == 1


@pytest.mark.django_db
def test_organization_list_names_limit_and_offset(client, hub, published):
    assert ok(get(client, "organization_list")) == ["pemkab-badung"]
    everyone = ok(get(client, "organization_list", include_empty="true"))
    assert everyone == ["dinkes-badung", "diskominfos", "pemkab-badung", "pemkab-gianyar"]
    page = ok(get(client, "organization_list", include_empty="true", limit=2, offset=1))
    assert page == ["diskominfos", "pemkab-badung"]


@pytest.mark.django_db
def test_organization_list_bad_limit_is_a_validation_error(client, hub):
    err = error(get(client, "organization_list", limit="banyak"), 409, "Validation Error")
    assert "limit" in err
    err = error(get(client, "organization_list", limit="5000"), 409, "Validation Error")
    assert "limit" in err


@pytest.mark.django_db
def test_organization_show_by_name_or_id_with_its_public_datasets(client, hub, published):
    badung = hub["agencies"]["badung"]
    result = ok(get(client, "organization_show", id="pemkab-badung"))
    assert result["id"] == str(badung.pk)
    assert result["name"] == "pemkab-badung"
    assert result["is_organization"] is True
    assert result["package_count"] == 1
    assert "packages" not in result
    by_id = ok(get(client, "organization_show", id=str(badung.pk), include_datasets="true"))
    assert by_id["name"] == "pemkab-badung"
    assert [p["name"] for p in by_id["packages"]] == ["penduduk"]
    package = by_id["packages"][0]
    assert package["organization"]["name"] == "pemkab-badung"
    assert package["resources"][0]["url"].startswith("http://testserver/")


@pytest.mark.django_db
def test_organization_show_unknown_or_missing_id(client, hub):
    err = error(get(client, "organization_show", id="pemkab-tidak-ada"), 404, "Not Found Error")
    assert err["message"]
    err = error(get(client, "organization_show"), 409, "Validation Error")
    assert len(err["id"]) == 1


# --- groups ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_group_list_names_and_all_fields_with_public_counts(client, hub, published):
    assert ok(get(client, "group_list")) == ["kependudukan", "kesehatan"]
    result = ok(get(client, "group_list", all_fields="true"))
    by_name = {group["name"]: group for group in result}
    assert by_name["kependudukan"]["title"] == "Kependudukan"
    assert by_name["kependudukan"]["display_name"] == "Kependudukan"
    assert by_name["kependudukan"]["type"] == "group"
    assert by_name["kependudukan"]["is_organization"] is False
    assert by_name["kependudukan"]["id"] == str(hub["groups"]["kependudukan"].pk)
    # the restricted dataset is in kependudukan too, but the public count leaves it out
    assert by_name["kependudukan"]["package_count"] == 1
    assert by_name["kesehatan"]["package_count"] == 0


@pytest.mark.django_db
def test_group_show_with_its_public_datasets(client, hub, published):
    result = ok(get(client, "group_show", id="kependudukan", include_datasets="true"))
    assert result["name"] == "kependudukan"
    assert result["title"] == "Kependudukan"
    assert result["package_count"] == 1
    assert [p["name"] for p in result["packages"]] == ["penduduk"]
    by_id = ok(get(client, "group_show", id=str(hub["groups"]["kesehatan"].pk)))
    assert by_id["name"] == "kesehatan"
    assert by_id["package_count"] == 0
    assert "packages" not in by_id


@pytest.mark.django_db
def test_group_show_unknown_is_not_found(client, hub):
    error(get(client, "group_show", id="pariwisata"), 404, "Not Found Error")
    err = error(get(client, "group_show"), 409, "Validation Error")
    assert "id" in err


@pytest.mark.django_db
def test_unpublished_theme_change_shows_in_no_public_group_count(client, hub, published, tokens):
    """A draft moved to another theme: the public keeps seeing the published themes, in
    group_list and in group_show alike."""
    ok(
        post(
            client, "package_patch", {"id": "penduduk", "groups": ["kesehatan"]}, tokens["producer"]
        )
    )
    counts = {g["name"]: g["package_count"] for g in ok(get(client, "group_list", all_fields=1))}
    assert counts == {"kependudukan": 1, "kesehatan": 0}
    assert ok(get(client, "group_show", id="kependudukan"))["package_count"] == 1
    kesehatan = ok(get(client, "group_show", id="kesehatan", include_datasets="true"))
    assert kesehatan["package_count"] == 0
    assert kesehatan["packages"] == []


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tag_list_lists_public_published_tags_and_filters_by_query(client, hub, published):
    assert ok(get(client, "tag_list")) == ["demografi", "penduduk"]
    assert ok(get(client, "tag_list", query="demo")) == ["demografi"]
    assert ok(get(client, "tag_list", query="tidak-ada")) == []
    full = ok(get(client, "tag_list", all_fields="true"))
    assert [t["name"] for t in full] == ["demografi", "penduduk"]
    assert full[0]["display_name"] == "demografi"
    assert full[0]["id"]


@pytest.mark.django_db
def test_tag_list_leaves_out_a_drafts_new_tags(client, hub, published, tokens):
    ok(post(client, "package_patch", {"id": "penduduk", "tags": ["sensus"]}, tokens["producer"]))
    assert ok(get(client, "tag_list")) == ["demografi", "penduduk"]


# --- resources: reading -------------------------------------------------------------------------


@pytest.mark.django_db
def test_resource_show_gives_an_absolute_download_url_and_datastore_state(client, hub, published):
    resource = published[0].resources.get()
    result = ok(get(client, "resource_show", id=str(resource.pk)))
    assert result["id"] == str(resource.pk)
    assert result["package_id"] == str(published[0].pk)
    assert result["name"] == "penduduk.csv"
    assert result["format"] == "CSV"
    assert result["url_type"] == "upload"
    assert result["url"].startswith("http://testserver/")
    assert result["size"] == len(CSV.encode())
    assert result["hash"].startswith("sha256:")
    assert result["datastore_active"] is True
    assert result["state"] == "active"
    download = client.get(result["url"].removeprefix("http://testserver"))
    assert download.status_code == 200


@pytest.mark.django_db
def test_resource_show_unknown_or_restricted_is_not_found(client, hub, published, tokens):
    error(get(client, "resource_show", id=str(uuid.uuid4())), 404, "Not Found Error")
    error(get(client, "resource_show", id="bukan-uuid"), 404, "Not Found Error")
    err = error(get(client, "resource_show"), 409, "Validation Error")
    assert "id" in err
    restricted = published[1].resources.get()
    error(get(client, "resource_show", id=str(restricted.pk)), 404, "Not Found Error")
    error(
        get(client, "resource_show", tokens["gianyar_producer"], id=str(restricted.pk)),
        404,
        "Not Found Error",
    )
    shown = ok(get(client, "resource_show", tokens["steward"], id=str(restricted.pk)))
    assert shown["package_id"] == str(published[1].pk)


# --- packages: writing --------------------------------------------------------------------------


@pytest.mark.django_db
def test_package_update_replaces_metadata_and_keeps_public_on_published_version(
    client, hub, published, tokens
):
    result = ok(
        post(
            client,
            "package_update",
            {
                "id": "penduduk",
                "title": "Jumlah penduduk Bali 2024",
                "notes": "Hasil proyeksi penduduk per kabupaten.",
                "license_id": "cc-by-4.0",
                "maintainer": "Bidang Statistik",
                "maintainer_email": "statistik@badungkab.go.id",
                "tags": [{"name": "sensus"}, {"name": "Proyeksi"}],
                "groups": [{"name": "kesehatan"}],
            },
            tokens["producer"],
        )
    )
    assert result["id"] == str(published[0].pk)
    assert result["name"] == "penduduk"
    assert result["title"] == "Jumlah penduduk Bali 2024"
    assert result["notes"] == "Hasil proyeksi penduduk per kabupaten."
    assert result["license_id"] == "cc-by-4.0"
    assert result["license_title"] == "Creative Commons Attribution 4.0"
    assert result["maintainer"] == "Bidang Statistik"
    assert result["maintainer_email"] == "statistik@badungkab.go.id"
    assert sorted(t["name"] for t in result["tags"]) == ["proyeksi", "sensus"]
    assert [g["name"] for g in result["groups"]] == ["kesehatan"]
    assert result["workflow_state"] == "draft"
    assert len(result["resources"]) == 1

    mine = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert mine["title"] == "Jumlah penduduk Bali 2024"
    assert sorted(t["name"] for t in mine["tags"]) == ["proyeksi", "sensus"]
    # the public keeps the approved version until a steward approves the change
    public = ok(get(client, "package_show", id="penduduk"))
    assert public["title"] == "Jumlah penduduk per kabupaten"
    assert sorted(t["name"] for t in public["tags"]) == ["demografi", "penduduk"]

    event = AuditEvent.objects.get(action="datahub.dataset.update", actor=hub["users"]["producer"])
    assert event.object_id == str(published[0].pk)
    assert event.after["title"] == "Jumlah penduduk Bali 2024"
    assert event.before["title"] == "Jumlah penduduk per kabupaten"


@pytest.mark.django_db
def test_package_update_without_tags_or_groups_clears_them(client, hub, published, tokens):
    result = ok(
        post(client, "package_update", {"id": "penduduk", "title": "Penduduk"}, tokens["producer"])
    )
    assert result["tags"] == []
    assert result["groups"] == []
    assert result["num_tags"] == 0


@pytest.mark.django_db
def test_package_update_invalid_fields_are_validation_errors(client, hub, published, tokens):
    response = post(
        client,
        "package_update",
        {"id": "penduduk", "license_id": "hak-cipta", "maintainer_email": "bukan-email"},
        tokens["producer"],
    )
    err = error(response, 409, "Validation Error")
    assert "license_id" in err
    assert "contact_email" in err
    unknown_theme = post(
        client, "package_update", {"id": "penduduk", "groups": ["pariwisata"]}, tokens["producer"]
    )
    assert "groups" in error(unknown_theme, 409, "Validation Error")
    mine = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert mine["license_id"] != "hak-cipta"
    assert [g["name"] for g in mine["groups"]] == ["kependudukan"]
    assert mine["workflow_state"] == "published"


@pytest.mark.django_db
def test_package_update_unknown_dataset_is_not_found(client, hub, tokens):
    response = post(client, "package_update", {"id": "tidak-ada", "title": "X"}, tokens["producer"])
    error(response, 404, "Not Found Error")
    err = error(post(client, "package_update", {"title": "X"}, tokens["producer"]), 409, None)
    assert "name" in err


@pytest.mark.django_db
def test_package_patch_changes_only_the_fields_given(client, hub, published, tokens):
    result = ok(
        post(
            client,
            "package_patch",
            {"id": str(published[0].pk), "notes": "Catatan baru dari Bappeda."},
            None,
            HTTP_AUTHORIZATION=f"Bearer {tokens['producer']}",
        )
    )
    assert result["notes"] == "Catatan baru dari Bappeda."
    assert result["title"] == "Jumlah penduduk per kabupaten"
    assert sorted(t["name"] for t in result["tags"]) == ["demografi", "penduduk"]
    assert [g["name"] for g in result["groups"]] == ["kependudukan"]
    assert result["workflow_state"] == "draft"
    mine = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert mine["notes"] == "Catatan baru dari Bappeda."
    assert audited("datahub.dataset.update", hub["users"]["producer"], str(published[0].pk))


@pytest.mark.django_db
def test_package_patch_private_flag_sets_the_access_level(client, hub, published, tokens):
    result = ok(
        post(client, "package_patch", {"id": "penduduk", "private": True}, tokens["producer"])
    )
    assert result["private"] is True
    assert result["access_level"] == "internal"


@pytest.mark.django_db
def test_package_patch_on_the_short_prefix(client, hub, published, tokens):
    response = client.post(
        "/api/action/package_patch",
        {"id": "penduduk", "title": "Penduduk Badung"},
        content_type="application/json",
        HTTP_AUTHORIZATION=tokens["producer"],
    )
    assert response.status_code == 200
    assert response.json()["result"]["title"] == "Penduduk Badung"


@pytest.mark.django_db
def test_package_patch_by_a_producer_of_another_agency_is_refused(client, hub, published, tokens):
    response = post(
        client,
        "package_patch",
        {"id": "penduduk", "title": "Diubah Gianyar"},
        tokens["gianyar_producer"],
    )
    err = error(response, 403, "Authorization Error")
    assert err["message"].startswith("Access denied")
    mine = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert mine["title"] == "Jumlah penduduk per kabupaten"
    assert mine["workflow_state"] == "published"
    assert not AuditEvent.objects.filter(action="datahub.dataset.update").exists()


@pytest.mark.django_db
def test_package_patch_without_a_valid_token_is_anonymous_and_refused(client, hub, published):
    data = {"id": "penduduk", "title": "Tanpa token"}
    error(post(client, "package_patch", data), 403, "Authorization Error")
    error(post(client, "package_patch", data, "bukan-token-yang-sah"), 403, "Authorization Error")
    # a browser session counts for GET only: a POST without a token is anonymous
    client.force_login(hub["users"]["producer"])
    error(post(client, "package_patch", data), 403, "Authorization Error")
    # the session still reads as the producer, and nothing changed
    mine = ok(get(client, "package_show", id="penduduk"))
    assert mine["title"] == "Jumlah penduduk per kabupaten"
    assert mine["workflow_state"] == "published"


@pytest.mark.django_db
def test_package_patch_needs_a_post(client, hub, published, tokens):
    response = get(client, "package_patch", tokens["producer"], id="penduduk", title="Lewat GET")
    err = error(response, 400, "Bad request")
    assert "POST" in err["message"]


@pytest.mark.django_db
def test_package_patch_unknown_dataset_is_not_found(client, hub, tokens):
    response = post(client, "package_patch", {"id": "tidak-ada", "title": "X"}, tokens["producer"])
    error(response, 404, "Not Found Error")


@pytest.mark.django_db
def test_package_delete_by_a_steward_hides_the_dataset(client, hub, published, tokens):
    dataset = published[0]
    response = post(
        client,
        "package_delete",
        {"id": "penduduk"},
        None,
        HTTP_X_CKAN_API_KEY=tokens["steward"],
    )
    assert ok(response) is None
    error(get(client, "package_show", id="penduduk"), 404, "Not Found Error")
    error(get(client, "package_show", tokens["producer"], id="penduduk"), 404, "Not Found Error")
    assert ok(get(client, "package_list")) == []
    assert ok(get(client, "package_search"))["count"] == 0
    assert ok(get(client, "organization_show", id="pemkab-badung"))["package_count"] == 0
    # CKAN: a deleted dataset disappears from every API view; the row stays, marked deleted
    dataset.refresh_from_db()
    assert dataset.state == "deleted"
    event = AuditEvent.objects.get(action="datahub.dataset.delete")
    assert event.actor == hub["users"]["steward"]
    assert event.object_id == str(dataset.pk)
    assert event.after == {"state": "deleted"}
    # deleting it again: it is gone for the steward
    again = post(client, "package_delete", {"id": "penduduk"}, tokens["steward"])
    error(again, 404, "Not Found Error")


@pytest.mark.django_db
def test_package_delete_refused_to_producers_and_strangers(client, hub, published, tokens):
    for token in (tokens["producer"], tokens["gianyar_producer"]):
        response = post(client, "package_delete", {"id": "penduduk"}, token)
        error(response, 403, "Authorization Error")
    error(post(client, "package_delete", {"id": "penduduk"}), 403, "Authorization Error")
    error(post(client, "package_delete", {"id": "tidak-ada"}, tokens["steward"]), 404, None)
    err = error(post(client, "package_delete", {}, tokens["steward"]), 409, "Validation Error")
    assert "id" in err
    assert ok(get(client, "package_show", id="penduduk"))["state"] == "active"


# --- resources: writing -------------------------------------------------------------------------


@pytest.mark.django_db
def test_resource_create_uploads_a_csv_and_loads_the_datastore(client, hub, published, tokens):
    dataset = published[0]
    response = post_form(
        client,
        "resource_create",
        {
            "package_id": "penduduk",
            "name": "Penduduk 2025",
            "description": "Proyeksi 2025",
            "upload": csv_file(CSV_2025),
        },
        tokens["producer"],
        hub,
    )
    result = ok(response)
    assert result["package_id"] == str(dataset.pk)
    assert result["name"] == "Penduduk 2025"
    assert result["description"] == "Proyeksi 2025"
    assert result["format"] == "CSV"
    assert result["url_type"] == "upload"
    assert result["url"].startswith("http://testserver/")
    assert result["size"] == len(CSV_2025.encode())
    resource_id = result["id"]

    shown = ok(get(client, "resource_show", tokens["producer"], id=resource_id))
    assert shown["datastore_active"] is True
    rows = ok(
        get(client, "datastore_search", tokens["producer"], resource_id=resource_id, sort="_id")
    )
    assert rows["total"] == 2
    assert [r["kabupaten"] for r in rows["records"]] == ["Badung", "Gianyar"]
    assert rows["records"][0]["penduduk"] == 552003
    package = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert package["num_resources"] == 2
    assert package["workflow_state"] == "draft"
    # not yet approved: the public neither lists nor reads the new file
    assert ok(get(client, "package_show", id="penduduk"))["num_resources"] == 1
    error(get(client, "resource_show", id=resource_id), 404, "Not Found Error")
    assert audited("datahub.resource.create", hub["users"]["producer"], resource_id)


@pytest.mark.django_db
def test_resource_create_link_keeps_its_url_and_format(client, hub, published, tokens):
    result = ok(
        post(
            client,
            "resource_create",
            {
                "package_id": str(published[0].pk),
                "name": "Tabel BPS",
                "url": "https://bali.bps.go.id/tabel/penduduk.xlsx",
                "format": "xlsx",
            },
            tokens["producer"],
        )
    )
    assert result["url"] == "https://bali.bps.go.id/tabel/penduduk.xlsx"
    assert result["format"] == "XLSX"
    assert result["url_type"] is None
    assert result["datastore_active"] is False
    shown = ok(get(client, "resource_show", tokens["producer"], id=result["id"]))
    assert shown["name"] == "Tabel BPS"


@pytest.mark.django_db
def test_resource_create_errors(client, hub, published, tokens):
    producer = tokens["producer"]
    no_file = post(client, "resource_create", {"package_id": "penduduk", "name": "X"}, producer)
    assert "upload" in error(no_file, 409, "Validation Error")
    bad_url = post(
        client, "resource_create", {"package_id": "penduduk", "url": "ftp://x/y.csv"}, producer
    )
    assert "url" in error(bad_url, 409, "Validation Error")
    no_package = post(client, "resource_create", {"url": "https://x.id/a.csv"}, producer)
    assert "package_id" in error(no_package, 409, "Validation Error")
    unknown = post(
        client,
        "resource_create",
        {"package_id": "tidak-ada", "url": "https://x.id/a.csv"},
        producer,
    )
    error(unknown, 404, "Not Found Error")
    stranger = post_form(
        client,
        "resource_create",
        {"package_id": "penduduk", "upload": csv_file(CSV_2025)},
        tokens["gianyar_producer"],
    )
    error(stranger, 403, "Authorization Error")
    anonymous = client.post(
        f"{API}/resource_create", {"package_id": "penduduk", "upload": csv_file(CSV_2025)}
    )
    error(anonymous, 403, "Authorization Error")
    assert published[0].resources.count() == 1


@pytest.mark.django_db
def test_resource_update_replaces_the_file_and_reloads_the_datastore(
    client, hub, published, tokens
):
    resource = published[0].resources.get()
    result = ok(
        post_form(
            client,
            "resource_update",
            {
                "id": str(resource.pk),
                "name": "Penduduk 2025",
                "description": "Diganti dengan data 2025",
                "upload": csv_file(CSV_2025),
            },
            tokens["producer"],
            hub,
        )
    )
    assert result["id"] == str(resource.pk)
    assert result["name"] == "Penduduk 2025"
    assert result["description"] == "Diganti dengan data 2025"
    assert result["size"] == len(CSV_2025.encode())
    rows = ok(get(client, "datastore_search", tokens["producer"], resource_id=str(resource.pk)))
    assert rows["total"] == 2
    assert {r["tahun"] for r in rows["records"]} == {2025}
    info = ok(get(client, "datastore_info", tokens["producer"], id=str(resource.pk)))
    assert info["meta"]["count"] == 2
    assert audited("datahub.resource.replace", hub["users"]["producer"], str(resource.pk))
    assert audited("datahub.resource.update", hub["users"]["producer"], str(resource.pk))


@pytest.mark.django_db
def test_resource_update_changes_a_links_url_and_refuses_a_bad_one(
    client, hub, published, link, tokens
):
    result = ok(
        post(
            client,
            "resource_update",
            {
                "id": str(link.pk),
                "name": "Sumber BPS 2025",
                "url": "https://bali.bps.go.id/penduduk-2025.xlsx",
                "format": "XLSX",
            },
            tokens["producer"],
        )
    )
    assert result["url"] == "https://bali.bps.go.id/penduduk-2025.xlsx"
    assert result["name"] == "Sumber BPS 2025"
    bad = post(
        client,
        "resource_update",
        {"id": str(link.pk), "url": "javascript:alert(1)"},
        tokens["producer"],
    )
    assert "url" in error(bad, 409, "Validation Error")
    shown = ok(get(client, "resource_show", tokens["producer"], id=str(link.pk)))
    assert shown["url"] == "https://bali.bps.go.id/penduduk-2025.xlsx"


@pytest.mark.django_db
def test_resource_update_refused_to_strangers_and_unknown_ids(client, hub, published, tokens):
    resource = published[0].resources.get()
    data = {"id": str(resource.pk), "name": "Diubah"}
    error(post(client, "resource_update", data, tokens["gianyar_producer"]), 403, None)
    error(post(client, "resource_update", data), 403, "Authorization Error")
    unknown = post(client, "resource_update", {"id": str(uuid.uuid4())}, tokens["producer"])
    error(unknown, 404, "Not Found Error")
    assert ok(get(client, "resource_show", id=str(resource.pk)))["name"] == "penduduk.csv"


@pytest.mark.django_db
def test_resource_patch_changes_only_the_fields_given(client, hub, published, link, tokens):
    ok(
        post(
            client,
            "resource_patch",
            {"id": str(link.pk), "description": "Tabel resmi BPS Provinsi Bali"},
            tokens["producer"],
        )
    )
    result = ok(
        post(
            client, "resource_patch", {"id": str(link.pk), "name": "Tabel BPS"}, tokens["producer"]
        )
    )
    assert result["name"] == "Tabel BPS"
    assert result["description"] == "Tabel resmi BPS Provinsi Bali"
    assert result["url"] == "https://bali.bps.go.id/penduduk.xlsx"
    assert result["format"] == "XLSX"
    shown = ok(get(client, "resource_show", tokens["producer"], id=str(link.pk)))
    assert shown["name"] == "Tabel BPS"
    assert (
        AuditEvent.objects.filter(action="datahub.resource.update", object_id=str(link.pk)).count()
        == 2
    )


@pytest.mark.django_db
def test_resource_patch_refused_to_a_producer_of_another_agency(client, hub, published, tokens):
    resource = published[0].resources.get()
    response = post(
        client, "resource_patch", {"id": str(resource.pk), "name": "X"}, tokens["gianyar_producer"]
    )
    error(response, 403, "Authorization Error")
    missing = post(client, "resource_patch", {"name": "X"}, tokens["producer"])
    assert "id" in error(missing, 409, "Validation Error")
    unknown = post(client, "resource_patch", {"id": str(uuid.uuid4())}, tokens["producer"])
    error(unknown, 404, "Not Found Error")


@pytest.mark.django_db
def test_resource_delete_removes_it_from_the_draft(client, hub, published, link, tokens):
    assert ok(post(client, "resource_delete", {"id": str(link.pk)}, tokens["producer"])) is None
    error(get(client, "resource_show", tokens["producer"], id=str(link.pk)), 404, "Not Found Error")
    package = ok(get(client, "package_show", tokens["producer"], id="penduduk"))
    assert [r["name"] for r in package["resources"]] == ["penduduk.csv"]
    assert audited("datahub.resource.delete", hub["users"]["producer"], str(link.pk))
    again = post(client, "resource_delete", {"id": str(link.pk)}, tokens["producer"])
    error(again, 404, "Not Found Error")


@pytest.mark.django_db
def test_resource_delete_refused_to_strangers_and_anonymous(client, hub, published, tokens):
    resource = published[0].resources.get()
    data = {"id": str(resource.pk)}
    error(post(client, "resource_delete", data, tokens["gianyar_producer"]), 403, None)
    error(post(client, "resource_delete", data), 403, "Authorization Error")
    assert ok(get(client, "resource_show", id=str(resource.pk)))["id"] == str(resource.pk)


# --- DataStore ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_datastore_info_describes_the_columns_and_the_row_count(client, hub, published):
    resource_id = str(published[0].resources.get().pk)
    result = ok(get(client, "datastore_info", id=resource_id))
    assert result["meta"]["count"] == 3
    assert result["meta"]["id"] == resource_id
    assert result["meta"]["table_type"] == "BASE TABLE"
    types = {f["id"]: f["type"] for f in result["fields"]}
    assert list(types) == ["kode_wilayah", "kabupaten", "tahun", "penduduk", "luas_km2", "tanggal"]
    assert types["kabupaten"] == "text"
    assert types["tahun"] == "int"
    assert types["penduduk"] == "int"
    assert types["luas_km2"] == "numeric"
    assert types["tanggal"] == "date"
    assert all("schema" in f and "info" in f for f in result["fields"])
    by_resource_id = ok(get(client, "datastore_info", resource_id=resource_id))
    assert by_resource_id["meta"]["count"] == 3


@pytest.mark.django_db
def test_datastore_info_without_a_table_is_not_found(client, hub, published, link, tokens):
    error(
        get(client, "datastore_info", tokens["producer"], id=str(link.pk)), 404, "Not Found Error"
    )
    error(get(client, "datastore_info", id=str(uuid.uuid4())), 404, "Not Found Error")
    restricted = str(published[1].resources.get().pk)
    error(get(client, "datastore_info", id=restricted), 404, "Not Found Error")
    assert "resource_id" in error(get(client, "datastore_info"), 409, "Validation Error")


DATASTORE_FIELDS = [
    {"id": "kecamatan", "type": "text"},
    {"id": "penduduk", "type": "int"},
    {"id": "luas_km2", "type": "numeric"},
]
DATASTORE_RECORDS = [
    {"kecamatan": "Kuta", "penduduk": 97213, "luas_km2": 17.52},
    {"kecamatan": "Mengwi", "penduduk": 135436, "luas_km2": 82.00},
]


@pytest.mark.django_db
def test_datastore_create_replaces_the_rows_with_inline_records(client, hub, published, tokens):
    resource_id = str(published[0].resources.get().pk)
    result = ok(
        post(
            client,
            "datastore_create",
            {
                "resource_id": resource_id,
                "force": True,
                "fields": DATASTORE_FIELDS,
                "records": DATASTORE_RECORDS,
            },
            tokens["producer"],
        )
    )
    assert result["resource_id"] == resource_id
    assert result["method"] == "insert"
    assert [f["id"] for f in result["fields"]] == ["kecamatan", "penduduk", "luas_km2"]
    assert "records" not in result

    rows = ok(
        get(client, "datastore_search", tokens["producer"], resource_id=resource_id, sort="_id")
    )
    assert rows["total"] == 2
    assert [r["kecamatan"] for r in rows["records"]] == ["Kuta", "Mengwi"]
    assert rows["records"][1]["penduduk"] == 135436
    info = ok(get(client, "datastore_info", tokens["producer"], id=resource_id))
    assert info["meta"]["count"] == 2
    assert {f["id"]: f["type"] for f in info["fields"]} == {
        "kecamatan": "text",
        "penduduk": "int",
        "luas_km2": "numeric",
    }
    assert audited("datahub.datastore.write", hub["users"]["producer"])


@pytest.mark.django_db
def test_datastore_create_with_records_only_takes_the_fields_from_them(
    client, hub, published, link, tokens
):
    result = ok(
        post(
            client,
            "datastore_create",
            {"resource_id": str(link.pk), "records": [{"desa": "Canggu", "kk": "2140"}]},
            tokens["producer"],
        )
    )
    assert [f["id"] for f in result["fields"]] == ["desa", "kk"]
    rows = ok(get(client, "datastore_search", tokens["producer"], resource_id=str(link.pk)))
    assert rows["total"] == 1
    assert rows["records"][0]["desa"] == "Canggu"


@pytest.mark.django_db
def test_datastore_create_with_a_resource_dict_makes_a_new_resource(client, hub, published, tokens):
    result = ok(
        post(
            client,
            "datastore_create",
            {
                "resource": {"package_id": "penduduk", "name": "Penduduk per kecamatan"},
                "fields": DATASTORE_FIELDS,
                "records": DATASTORE_RECORDS,
            },
            tokens["producer"],
        )
    )
    resource_id = result["resource_id"]
    shown = ok(get(client, "resource_show", tokens["producer"], id=resource_id))
    assert shown["name"] == "Penduduk per kecamatan"
    assert shown["package_id"] == str(published[0].pk)
    assert shown["datastore_active"] is True
    rows = ok(get(client, "datastore_search", tokens["producer"], resource_id=resource_id))
    assert rows["total"] == 2


@pytest.mark.django_db
def test_datastore_create_invalid_fields_or_records_are_validation_errors(
    client, hub, published, tokens
):
    resource_id = str(published[0].resources.get().pk)
    cases = [
        ({"fields": [{"type": "text"}], "records": []}, "fields"),
        ({"fields": [{"id": "_id"}], "records": []}, "fields"),
        ({"fields": [{"id": "a"}, {"id": "a"}], "records": []}, "fields"),
        ({"fields": [{"id": "a"}], "records": [{"b": 1}]}, "records"),
        ({"fields": [{"id": "a", "type": "int"}], "records": [{"a": "dua"}]}, "records"),
        ({"fields": [{"id": "a"}], "records": ["bukan objek"]}, "records"),
    ]
    for data, field in cases:
        response = post(
            client, "datastore_create", {"resource_id": resource_id, **data}, tokens["producer"]
        )
        err = error(response, 409, "Validation Error")
        assert field in err, (data, err)
    # nothing was replaced
    rows = ok(get(client, "datastore_search", resource_id=resource_id))
    assert rows["total"] == 3


@pytest.mark.django_db
def test_datastore_create_refused_to_strangers_and_unknown_resources(
    client, hub, published, tokens
):
    resource_id = str(published[0].resources.get().pk)
    data = {"resource_id": resource_id, "fields": DATASTORE_FIELDS, "records": DATASTORE_RECORDS}
    error(post(client, "datastore_create", data, tokens["gianyar_producer"]), 403, None)
    error(post(client, "datastore_create", data), 403, "Authorization Error")
    unknown = post(
        client, "datastore_create", {**data, "resource_id": str(uuid.uuid4())}, tokens["producer"]
    )
    error(unknown, 404, "Not Found Error")
    missing = post(client, "datastore_create", {"records": []}, tokens["producer"])
    assert "resource_id" in error(missing, 409, "Validation Error")
    assert ok(get(client, "datastore_search", resource_id=resource_id))["total"] == 3


@pytest.mark.django_db
def test_datastore_create_marks_any_resource_datastore_active(client, hub, published, tokens):
    """CKAN sets ``datastore_active`` on whatever resource gets a DataStore table, whatever
    its format (an API link, a JSON file)."""
    api = services.resource_create(
        actor=hub["users"]["producer"],
        dataset=published[0],
        name="API kependudukan",
        url="https://data.badungkab.go.id/api/penduduk",
        format="JSON",
    )
    ok(
        post(
            client,
            "datastore_create",
            {"resource_id": str(api.pk), "fields": DATASTORE_FIELDS, "records": DATASTORE_RECORDS},
            tokens["producer"],
        )
    )
    assert (
        ok(get(client, "datastore_info", tokens["producer"], id=str(api.pk)))["meta"]["count"] == 2
    )
    shown = ok(get(client, "resource_show", tokens["producer"], id=str(api.pk)))
    assert shown["datastore_active"] is True
