"""Refreshing a publication publishes a new version in the hub; a broken refresh keeps the
last good one, shows on the dataset page and tells the stewards."""

from __future__ import annotations

import ckanapi
import pytest

from onedata.core.errors import NotAuthorized
from onedata.core.models import AuditEvent, Region
from onedata.datahub.models import Dataset, DatasetVersion, DataTable
from onedata.notifications.models import Message
from onedata.publishing import services
from onedata.publishing.models import PublicationStatus
from onedata.publishing.registry import get_publication
from tests.publishing.privacy import assert_no_personal_data

REGIONS = "kode-wilayah-bali"


def _refresh(name, commit, **kwargs):
    with commit(execute=True):
        return services.publication_refresh(name=name, **kwargs)


@pytest.mark.django_db
def test_first_refresh_creates_a_published_dataset_with_its_table(
    onedata, django_capture_on_commit_callbacks
):
    status = _refresh(REGIONS, django_capture_on_commit_callbacks)
    assert status.failures == 0 and status.last_version == 1
    assert status.last_rows == Region.objects.count() == 783
    dataset = Dataset.objects.get(name=REGIONS)
    assert dataset.state == Dataset.State.PUBLISHED and dataset.version == 1
    assert dataset.organization.slug == "diskominfos"
    assert dataset.steward_agency.slug == "diskominfos"
    assert dataset.update_frequency == "monthly" and dataset.access_level == "public"
    assert sorted(t.name for t in dataset.tags.all()) == ["kode referensi", "wilayah"]
    table = DataTable.objects.get(resource__dataset=dataset)
    assert table.row_count == 783
    # Declared types hold: codes stay text even though "51" looks like a number.
    assert {c["name"]: c["type"] for c in table.columns}["kode"] == "string"
    kode = next(c for c in table.columns if c["name"] == "kode")
    assert kode["description"].startswith("Kode wilayah Kemendagri")
    assert status.dataset == dataset and status.resource.dataset == dataset
    assert AuditEvent.objects.filter(action="datahub.dataset.publish").count() == 1


@pytest.mark.django_db
def test_each_refresh_is_a_new_version_with_the_new_table(
    onedata, flaky, django_capture_on_commit_callbacks
):
    commit = django_capture_on_commit_callbacks
    _refresh("uji-flaky", commit)
    flaky.rows = [*flaky.rows, {"kabupaten": "Gianyar", "jumlah": 40}]
    status = _refresh("uji-flaky", commit)
    assert status.last_version == 2 and status.last_rows == 3
    versions = DatasetVersion.objects.filter(dataset__name="uji-flaky").order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert "Refreshed by" in versions[1].note or "Diperbarui" in versions[1].note
    table = DataTable.objects.get(resource__dataset__name="uji-flaky")
    assert table.row_count == 3
    # Small counts never reach the hub: Bangli's 3 is an empty cell.
    from onedata.datahub import datastore

    records = datastore.search(table, sort="kabupaten asc").records
    assert [(r["kabupaten"], r["jumlah"]) for r in records] == [
        ("Badung", 12),
        ("Bangli", None),
        ("Gianyar", 40),
    ]
    assert Dataset.objects.filter(name="uji-flaky").count() == 1


@pytest.mark.django_db
def test_a_broken_refresh_keeps_the_last_good_version_and_tells_the_stewards(
    onedata, flaky, client, django_capture_on_commit_callbacks
):
    commit = django_capture_on_commit_callbacks
    _refresh("uji-flaky", commit)
    flaky.broken = True
    status = _refresh("uji-flaky", commit)
    assert status.failures == 1 and "the source table is gone" in status.last_error
    assert status.last_version == 1
    dataset = Dataset.objects.get(name="uji-flaky")
    assert dataset.version == 1 and dataset.state == Dataset.State.PUBLISHED
    assert DataTable.objects.get(resource__dataset=dataset).row_count == 2
    told = Message.objects.filter(subject__contains="Uji publikasi")
    assert {tuple(m.to) for m in told} == {("walidata",), ("walidata@example.test",)}
    # A second failure in a row does not notify again.
    _refresh("uji-flaky", commit)
    assert Message.objects.filter(subject__contains="Uji publikasi").count() == 2
    assert PublicationStatus.objects.get(name="uji-flaky").failures == 2
    # The dataset page says so; the error text only to stewards.
    page = client.get("/data/uji-flaky/").content.decode()
    assert 'id="lineage"' in page and "onedata.publishing" not in page
    assert "tests.publishing.conftest.Flaky" in page or "Flaky" in page
    assert "the source table is gone" not in page
    client.force_login(onedata["steward"])
    assert "the source table is gone" in client.get("/data/uji-flaky/").content.decode()
    # Mended: the next refresh succeeds and clears the failure.
    flaky.broken = False
    status = _refresh("uji-flaky", commit)
    assert status.failures == 0 and status.last_version == 2 and status.last_error == ""


@pytest.mark.django_db
def test_a_missing_producer_agency_is_a_recorded_failure(
    onedata, flaky, django_capture_on_commit_callbacks
):
    from onedata.core.models import Agency

    Agency.objects.filter(slug="diskominfos").update(slug="diskominfos-lama")
    status = _refresh("uji-flaky", django_capture_on_commit_callbacks)
    assert status.failures == 1 and "diskominfos" in status.last_error
    assert not Dataset.objects.filter(name="uji-flaky").exists()


@pytest.mark.django_db
def test_refresh_by_a_person_is_checked_and_audited(onedata, django_capture_on_commit_callbacks):
    with pytest.raises(NotAuthorized):
        services.publication_refresh(name=REGIONS, actor=onedata["badung_steward"])
    with pytest.raises(NotAuthorized):
        services.publication_refresh(name=REGIONS, actor=onedata["producer"])
    status = _refresh(REGIONS, django_capture_on_commit_callbacks, actor=onedata["steward"])
    assert status.last_version == 1
    assert AuditEvent.objects.filter(
        action="publishing.refresh.request", actor=onedata["steward"]
    ).exists()


@pytest.mark.django_db
def test_the_region_list_has_no_personal_data(onedata):
    publication = get_publication(REGIONS)
    rows = publication.table(None)
    assert_no_personal_data(publication, rows, personal_values=["pegawai@example.test"])
    assert rows[0] == {"kode": "51", "nama": "Bali", "tingkat": "province", "kode_induk": None}
    assert {
        "kode": "51.71",
        "nama": "Kota Denpasar",
        "tingkat": "regency",
        "kode_induk": "51",
    } in rows


@pytest.mark.django_db
def test_due_publications_and_the_scheduled_task(
    onedata, flaky, django_capture_on_commit_callbacks
):
    from onedata.publishing import tasks

    due = services.publications_due()
    assert REGIONS in due and "uji-flaky" in due
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publications_refresh_due.enqueue()  # the immediate backend runs each refresh
    assert services.publications_due() == []
    assert PublicationStatus.objects.filter(failures=0, last_version=1).count() >= 2


@pytest.mark.django_db(transaction=True)
def test_published_tables_are_reachable_through_the_ckan_api_and_dcat(live_server, onedata):
    services.publication_refresh(name=REGIONS)
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="ckanapi-test")
    found = remote.action.package_search(q="wilayah", rows=10)
    assert REGIONS in [p["name"] for p in found["results"]]
    package = remote.action.package_show(id=REGIONS)
    resource_id = package["resources"][0]["id"]
    rows = remote.action.datastore_search(
        resource_id=resource_id, filters={"tingkat": "regency"}, limit=20
    )
    assert rows["total"] == 9
    assert {"kode": "51.03", "nama": "Kabupaten Badung"} in [
        {"kode": r["kode"], "nama": r["nama"]} for r in rows["records"]
    ]
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/catalog.ttl") as response:  # noqa: S310
        turtle = response.read().decode()
    assert f"/data/{REGIONS}/" in turtle or REGIONS in turtle
