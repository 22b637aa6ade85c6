"""Saved charts (resource views): the pages that save, edit, reorder and delete them, who
sees them, and the CKAN ``resource_view_*`` actions."""

from __future__ import annotations

import pytest

from onedata.core import services as core_services
from onedata.core.models import AuditEvent
from onedata.datahub import resource_views
from onedata.datahub.models import Dataset, ResourceView
from tests.conftest import login_client
from tests.datahub.conftest import publish

PIE = {
    "title": "Penduduk per kabupaten",
    "description": "Bagian tiap kabupaten",
    "chart_type": "pie",
    "x": "kabupaten",
    "aggregate": "sum",
    "y": "penduduk",
    "fcol": "",
    "fval": "",
}


def _save(client, resource, **changes):
    return client.post(f"/data/sumber/{resource.pk}/grafik/baru/", {**PIE, **changes})


@pytest.mark.django_db
def test_producer_saves_a_pie_and_the_public_sees_it(client, hub):
    dataset = publish(hub)
    resource = dataset.resources.get()
    producer = login_client(hub["users"]["producer"])
    form = producer.get(
        f"/data/sumber/{resource.pk}/grafik/baru/", {"chart": "pie", "x": "kabupaten"}
    )
    assert form.status_code == 200
    assert b"dh-pie-svg" in form.content  # the preview of what will be saved
    response = _save(producer, resource)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/data/{dataset.name}/#saved-charts")
    view = ResourceView.objects.get()
    assert view.config == {
        "chart_type": "pie",
        "x": "kabupaten",
        "y": "penduduk",
        "aggregate": "sum",
        "filters": {},
    }
    event = AuditEvent.objects.get(action="datahub.resource_view.create")
    assert event.object_id == str(view.pk) and event.actor == hub["users"]["producer"]
    # A view is presentation: the dataset stays published.
    assert Dataset.objects.get(pk=dataset.pk).state == Dataset.State.PUBLISHED
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert "Penduduk per kabupaten" in page and "Bagian tiap kabupaten" in page
    assert "dh-pie-svg" in page
    # Denpasar 726800 of 1790335 people: 40.6 %.
    assert "40,6%" in page or "40.6%" in page
    assert "Edit chart" not in page and "Ubah grafik" not in page


@pytest.mark.django_db
def test_bad_input_names_the_field_and_keeps_what_was_typed(hub):
    resource = publish(hub).resources.get()
    producer = login_client(hub["users"]["producer"])
    response = _save(producer, resource, title="", x="tidak-ada", description="Catatan saya")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Catatan saya" in text
    assert 'id="id_title-error"' in text and 'id="id_x-error"' in text
    map_of_names = _save(producer, resource, chart_type="map", x="penduduk", title="Peta")
    assert map_of_names.status_code == 400
    assert "51.03" in map_of_names.content.decode()  # "choose a column with region codes"
    bad_filter = _save(producer, resource, fcol="penduduk", fval="banyak")
    assert bad_filter.status_code == 400 and 'id="id_fval-error"' in bad_filter.content.decode()
    assert not ResourceView.objects.exists()


@pytest.mark.django_db
def test_edit_move_and_delete(client, hub):
    dataset = publish(hub)
    resource = dataset.resources.get()
    producer = login_client(hub["users"]["producer"])
    _save(producer, resource)
    _save(producer, resource, title="Peta penduduk", chart_type="map", x="kode_wilayah")
    first, second = ResourceView.objects.order_by("position")
    assert (first.position, second.position) == (0, 1)
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert "dh-map-svg" in page and "Badung (51.03)" in page

    edit = producer.get(f"/data/grafik/{first.pk}/ubah/")
    assert edit.status_code == 200 and b"Penduduk per kabupaten" in edit.content
    changed = producer.post(
        f"/data/grafik/{first.pk}/ubah/",
        {**PIE, "title": "Luas per kabupaten", "chart_type": "bar", "y": "luas_km2"},
    )
    assert changed.status_code == 302
    first.refresh_from_db()
    assert first.title == "Luas per kabupaten" and first.config["y"] == "luas_km2"
    assert AuditEvent.objects.filter(action="datahub.resource_view.update").count() == 1

    assert producer.post(f"/data/grafik/{second.pk}/pindah/", {"step": "-1"}).status_code == 302
    assert [v.title for v in ResourceView.objects.order_by("position")] == [
        "Peta penduduk",
        "Luas per kabupaten",
    ]
    page = client.get(f"/data/{dataset.name}/").content.decode()
    assert page.index("Peta penduduk") < page.index("Luas per kabupaten")

    assert producer.post(f"/data/grafik/{second.pk}/hapus/").status_code == 302
    assert list(ResourceView.objects.values_list("title", flat=True)) == ["Luas per kabupaten"]
    assert AuditEvent.objects.filter(action="datahub.resource_view.delete").count() == 1
    assert AuditEvent.objects.filter(action="datahub.resource_view.reorder").count() == 1


@pytest.mark.django_db
def test_outsiders_may_not_save_edit_or_delete(client, hub):
    resource = publish(hub).resources.get()
    view = resource_views.resource_view_create(
        actor=hub["users"]["producer"], resource=resource, title="Pai", settings={"chart": "pie"}
    )
    for user in (hub["users"]["gianyar_producer"], hub["users"]["employee"]):
        other = login_client(user)
        assert _save(other, resource).status_code == 403
        assert other.get(f"/data/grafik/{view.pk}/ubah/").status_code == 403
        assert other.post(f"/data/grafik/{view.pk}/hapus/").status_code == 403
    assert client.post(f"/data/grafik/{view.pk}/hapus/").status_code == 302  # to log in
    assert ResourceView.objects.filter(pk=view.pk).exists()


@pytest.mark.django_db
def test_views_of_a_restricted_dataset_stay_hidden(client, hub):
    dataset = publish(hub, name="rahasia", access="restricted", title="Data terbatas")
    resource = dataset.resources.get()
    view = resource_views.resource_view_create(
        actor=hub["users"]["steward"],
        resource=resource,
        title="Grafik rahasia",
        settings={"chart": "map"},
    )
    assert client.get(f"/data/{dataset.name}/").status_code == 404
    assert client.get(f"/api/3/action/resource_view_show?id={view.pk}").status_code == 404
    listed = client.get(f"/api/3/action/resource_view_list?id={resource.pk}")
    assert listed.status_code == 404
    outsider = login_client(hub["users"]["gianyar_producer"])
    assert outsider.get(f"/api/3/action/resource_view_show?id={view.pk}").status_code == 404
    staff = login_client(hub["users"]["employee"])  # Badung staff: the dataset's audience
    page = staff.get(f"/data/{dataset.name}/").content.decode()
    assert "Grafik rahasia" in page and "dh-map-svg" in page


# --- CKAN actions -------------------------------------------------------------------------


def _token(user) -> str:
    return core_services.api_token_create(actor="test", user=user, name="t").plaintext


def _post(client, action, body, token=None):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    return client.post(f"/api/3/action/{action}", body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_ckan_resource_view_create_show_list_update_delete(client, hub):
    dataset = publish(hub)
    resource = dataset.resources.get()
    token = _token(hub["users"]["producer"])
    created = _post(
        client,
        "resource_view_create",
        {
            "resource_id": str(resource.pk),
            "title": "Peta",
            "view_type": "chart",
            "chart_type": "map",
            "x": "kode_wilayah",
            "y": "penduduk",
            "filters": {"tahun": [2024]},
        },
        token,
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert body["success"] is True and body["help"].endswith("name=resource_view_create")
    view = body["result"]
    assert view["resource_id"] == str(resource.pk) and view["package_id"] == str(dataset.pk)
    assert (view["title"], view["view_type"], view["chart_type"]) == ("Peta", "chart", "map")
    assert view["aggregate"] == "sum" and view["filters"] == {"tahun": [2024]}
    assert set(view) >= {"id", "resource_id", "title", "description", "view_type"}

    shown = client.get(f"/api/3/action/resource_view_show?id={view['id']}").json()["result"]
    assert shown == view
    second = _post(
        client,
        "resource_view_create",
        {
            "resource_id": str(resource.pk),
            "title": "Pai",
            "view_type": "chart",
            "config": {"chart_type": "pie", "x": "kabupaten"},
        },
        token,
    ).json()["result"]
    listed = client.get(f"/api/3/action/resource_view_list?id={resource.pk}").json()["result"]
    assert [v["title"] for v in listed] == ["Peta", "Pai"]

    reordered = _post(
        client, "resource_view_reorder", {"id": str(resource.pk), "order": [second["id"]]}, token
    ).json()["result"]
    assert reordered["order"] == [second["id"], view["id"]]

    updated = _post(
        client,
        "resource_view_update",
        {"id": view["id"], "title": "Peta baru", "aggregate": "avg"},
        token,
    )
    assert updated.status_code == 200
    assert updated.json()["result"]["title"] == "Peta baru"
    assert updated.json()["result"]["chart_type"] == "map"  # not given: kept

    deleted = _post(client, "resource_view_delete", {"id": view["id"]}, token)
    assert deleted.status_code == 200 and deleted.json()["result"] is None
    assert client.get(f"/api/3/action/resource_view_show?id={view['id']}").status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "datahub.resource_view.create",
        "datahub.resource_view.update",
        "datahub.resource_view.reorder",
        "datahub.resource_view.delete",
    } <= actions


@pytest.mark.django_db
def test_ckan_resource_view_errors(client, hub):
    resource = publish(hub).resources.get()
    body = {"resource_id": str(resource.pk), "title": "Pai", "view_type": "chart"}
    anonymous = _post(client, "resource_view_create", body)
    assert anonymous.status_code == 403
    assert anonymous.json()["error"]["__type"] == "Authorization Error"
    outsider = _post(client, "resource_view_create", body, _token(hub["users"]["gianyar_producer"]))
    assert outsider.status_code == 403
    assert outsider.json()["error"]["__type"] == "Authorization Error"

    token = _token(hub["users"]["producer"])
    invalid = _post(
        client,
        "resource_view_create",
        {**body, "title": "", "view_type": "image_view", "chart_type": "radar", "y": "kabupaten"},
        token,
    )
    assert invalid.status_code == 409
    error = invalid.json()["error"]
    assert error["__type"] == "Validation Error"
    assert "title" in error  # "Missing value", as CKAN says for a required key
    fields = _post(
        client,
        "resource_view_create",
        {**body, "view_type": "image_view", "chart_type": "radar", "y": "kabupaten"},
        token,
    ).json()["error"]
    assert {"view_type", "chart_type", "y"} <= set(fields)
    assert isinstance(fields["chart_type"], list)
    missing = client.get("/api/3/action/resource_view_show?id=00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["error"]["__type"] == "Not Found Error"
    assert not ResourceView.objects.exists()


@pytest.mark.django_db
def test_demo_saves_pie_map_and_line_charts_once(client, regions, settings, tmp_path):
    from onedata.core import demo as core_demo
    from onedata.datahub import demo

    settings.MEDIA_ROOT = tmp_path / "media"
    core_demo.seed()
    demo.seed()
    demo.seed()
    kinds = sorted(v.config["chart_type"] for v in ResourceView.objects.all())
    assert kinds == ["line", "map", "map", "pie", "pie"]
    page = client.get("/data/jumlah-penduduk-kabupaten-kota-2024/").content.decode()
    assert "Peta jumlah penduduk" in page and "dh-map-svg" in page and "dh-pie-svg" in page
    assert "Buleleng (51.08)" in page


@pytest.mark.django_db
def test_api_gives_a_saved_charts_numbers_to_its_audience_only(client, hub):
    public = publish(hub).resources.get()
    view = resource_views.resource_view_create(
        actor=hub["users"]["producer"],
        resource=public,
        title="Peta",
        settings={"chart_type": "map", "x": "kode_wilayah", "y": "penduduk"},
    )
    body = client.get(f"/api/v1/datahub/views/{view.pk}/data").json()
    assert (body["title"], body["chart_type"], body["aggregate"]) == ("Peta", "map", "sum")
    rows = {r["label"]: r["value"] for r in body["rows"]}
    assert rows["Badung (51.03)"] == 548191 and rows["Buleleng (51.08)"] is None
    hidden = publish(hub, name="rahasia", access="restricted").resources.get()
    secret = resource_views.resource_view_create(
        actor=hub["users"]["producer"], resource=hidden, title="Rahasia", settings={}
    )
    assert client.get(f"/api/v1/datahub/views/{secret.pk}/data").status_code == 404


@pytest.mark.django_db
def test_a_saved_chart_keeps_its_filter_of_several_values(client, hub):
    dataset = publish(hub)
    resource = dataset.resources.get()
    producer = login_client(hub["users"]["producer"])
    preview = producer.post(
        f"/data/sumber/{resource.pk}/grafik/baru/",
        {**PIE, "fcol": "kabupaten", "fval": "Badung, Gianyar", "preview": "1"},
    )
    assert preview.status_code == 200 and not ResourceView.objects.exists()
    assert preview.content.decode().count('<path d="M') == 2
    assert _save(producer, resource, fcol="kabupaten", fval="Badung, Gianyar").status_code == 302
    view = ResourceView.objects.get()
    assert view.config["filters"] == {"kabupaten": ["Badung", "Gianyar"]}
    page = client.get(f"/data/{dataset.name}/").content.decode()
    # Badung 548191 of 548191 + 515344 = 1063535: 51.5 %; Denpasar is filtered out.
    assert "51,5%" in page or "51.5%" in page
    saved = page[page.index('id="saved-charts"') : page.index('id="chart"')]
    assert "Denpasar" not in saved
