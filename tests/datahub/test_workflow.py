"""Publishing workflow, versions, permissions by role and scope, the DataStore loader."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection
from openpyxl import Workbook

from onedata.core.errors import Conflict, NotAuthorized, ValidationError
from onedata.datahub import datastore, permissions, selectors, services
from onedata.datahub.models import Dataset, DatasetVersion, DataTable
from tests.datahub.conftest import CSV, publish, upload


def draft(hub, name="draf", **fields):
    return services.dataset_create(
        actor=hub["users"]["producer"],
        organization=hub["agencies"]["badung"],
        name=name,
        title=fields.pop("title", "Draf"),
        **fields,
    )


@pytest.mark.django_db
def test_producer_drafts_steward_approves_and_a_version_is_kept(hub):
    dataset = publish(hub)
    assert dataset.state == "published"
    assert dataset.version == 1
    version = DatasetVersion.objects.get(dataset=dataset)
    assert version.metadata["title"] == "Jumlah penduduk per kabupaten"
    assert version.resources[0]["format"] == "CSV"
    verbs = list(dataset.activities.order_by("created_at", "id").values_list("verb", flat=True))
    assert verbs == ["created", "resource_added", "submitted", "published"]


@pytest.mark.django_db
def test_change_to_published_dataset_waits_for_review_while_public_sees_the_last_version(hub):
    dataset = publish(hub)
    services.dataset_update(actor=hub["users"]["producer"], dataset=dataset, title="Judul baru")
    dataset.refresh_from_db()
    assert dataset.state == "draft"
    citizen = hub["users"]["citizen"]
    assert selectors.package_for(citizen, dataset)["title"] == "Jumlah penduduk per kabupaten"
    assert selectors.package_for(hub["users"]["producer"], dataset)["title"] == "Judul baru"
    services.dataset_submit(actor=hub["users"]["producer"], dataset=dataset)
    services.dataset_approve(actor=hub["users"]["province_steward"], dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.version == 2
    assert selectors.package_for(citizen, dataset)["title"] == "Judul baru"


@pytest.mark.django_db
def test_steward_sends_back_with_a_comment(hub):
    dataset = draft(hub)
    services.dataset_submit(actor=hub["users"]["producer"], dataset=dataset)
    with pytest.raises(ValidationError) as error:
        services.dataset_send_back(actor=hub["users"]["steward"], dataset=dataset, comment=" ")
    assert "comment" in error.value.fields
    services.dataset_send_back(
        actor=hub["users"]["steward"], dataset=dataset, comment="Tambahkan satuan"
    )
    dataset.refresh_from_db()
    assert dataset.state == "draft"
    assert dataset.review_comment == "Tambahkan satuan"


@pytest.mark.django_db
def test_producer_cannot_approve_and_out_of_scope_steward_cannot_either(hub, agencies):
    dataset = draft(hub)
    services.dataset_submit(actor=hub["users"]["producer"], dataset=dataset)
    with pytest.raises(NotAuthorized):
        services.dataset_approve(actor=hub["users"]["producer"], dataset=dataset)
    from onedata.core.roles import Role
    from tests.conftest import make_user

    gianyar_steward = make_user("walidata.gianyar", Role.DATA_STEWARD, agencies["gianyar"])
    with pytest.raises(NotAuthorized):
        services.dataset_approve(actor=gianyar_steward, dataset=dataset)
    with pytest.raises(NotAuthorized):
        services.dataset_create(
            actor=hub["users"]["gianyar_producer"],
            organization=agencies["badung"],
            name="bukan-milik",
            title="x",
        )


@pytest.mark.django_db
def test_approving_twice_is_a_conflict_not_a_second_version(hub):
    dataset = publish(hub)
    with pytest.raises(Conflict):
        services.dataset_approve(actor=hub["users"]["steward"], dataset=dataset)
    assert DatasetVersion.objects.filter(dataset=dataset).count() == 1


@pytest.mark.django_db
def test_require_valid_report_blocks_publishing_an_invalid_table(hub):
    dataset = draft(hub, require_valid=True)
    upload(hub, dataset, "a,b\n1,2\n1,2\n")  # a duplicate row
    services.dataset_submit(actor=hub["users"]["producer"], dataset=dataset)
    with pytest.raises(Conflict):
        services.dataset_approve(actor=hub["users"]["steward"], dataset=dataset)


@pytest.mark.django_db
def test_private_and_internal_datasets_are_invisible_outside_their_audience(hub):
    restricted = publish(hub, name="terbatas", access="restricted")
    internal = publish(hub, name="internal", access="internal")
    unpublished = draft(hub, name="draf-saja")
    citizen, employee = hub["users"]["citizen"], hub["users"]["employee"]
    gianyar_admin = hub["users"]["gianyar_admin"]
    assert not permissions.can_view_dataset(citizen, restricted)
    assert not permissions.can_view_dataset(citizen, internal)
    assert not permissions.can_view_dataset(citizen, unpublished)
    assert permissions.can_view_dataset(gianyar_admin, internal)
    assert not permissions.can_view_dataset(gianyar_admin, restricted)
    assert permissions.can_view_dataset(employee, restricted)  # staff of the organisation
    names = {d.name for d in selectors.visible_datasets(citizen)}
    assert names == set()
    result = selectors.search_datasets(citizen, facet_fields=["organization", "tags"])
    assert result.count == 0 and result.facets == {"organization": {}, "tags": {}}


@pytest.mark.django_db
def test_failed_load_keeps_the_previous_table(hub, tmp_path):
    dataset = publish(hub)
    table = DataTable.objects.get(resource__dataset=dataset)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\n\n")
    resource = table.resource
    resource.file.name  # noqa: B018
    from onedata.datahub import tabular

    with pytest.raises(tabular.TableError):
        datastore.load_file(table, bad, "CSV")
    table.refresh_from_db()
    assert table.row_count == 3
    assert datastore.search(table).total == 3


@pytest.mark.django_db
def test_xlsx_and_semicolon_latin1_csv_are_loaded(hub):
    dataset = draft(hub)
    book = Workbook()
    sheet = book.active
    sheet.append(["kabupaten", "jumlah", "tanggal"])
    sheet.append(["Badung", 12, None])
    sheet.append(["Bangli", 7.5, None])
    data = io.BytesIO()
    book.save(data)
    upload(hub, dataset, data.getvalue(), "data.xlsx")
    upload(hub, dataset, "nama;nilai\nJosé;1\nNégara;2\n".encode("latin-1") * 1, "l1.csv")
    tables = {t.resource.format: t for t in DataTable.objects.filter(resource__dataset=dataset)}
    assert tables["XLSX"].status == "ready", tables["XLSX"].error
    assert {c["name"]: c["type"] for c in tables["XLSX"].columns}["jumlah"] == "number"
    records = datastore.search(tables["CSV"]).records
    assert [r["nama"] for r in records] == ["José", "Négara"]


@pytest.mark.django_db
def test_steward_changes_a_column_type_in_place(hub):
    dataset = publish(hub)
    table = DataTable.objects.get(resource__dataset=dataset)
    services.data_dictionary_update(
        actor=hub["users"]["steward"], table=table, column="tahun", type="string", label="Tahun"
    )
    table.refresh_from_db()
    assert {c["name"]: c["type"] for c in table.columns}["tahun"] == "string"
    assert datastore.search(table, filters={"tahun": "2024"}).total == 3
    with pytest.raises(ValidationError) as error:
        services.data_dictionary_update(
            actor=hub["users"]["steward"], table=table, column="kabupaten", type="integer"
        )
    assert ' 2: "Badung"' in error.value.fields["type"][0]


@pytest.mark.django_db
def test_datastore_search_refuses_unknown_columns(hub):
    table = DataTable.objects.get(resource__dataset=publish(hub))
    for bad in ({"sort": "x; drop"}, {"fields": ["nope"]}, {"filters": {"nope": 1}}):
        with pytest.raises(ValidationError):
            datastore.search(table, **bad)


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_make_one_version(hub, django_capture_on_commit_callbacks):
    if connection.vendor == "sqlite":
        pytest.skip("row locks are exercised on PostgreSQL")
    dataset = draft(hub)
    services.dataset_submit(actor=hub["users"]["producer"], dataset=dataset)
    outcomes = []

    def approve(user):
        try:
            services.dataset_approve(actor=user, dataset=Dataset.objects.get(pk=dataset.pk))
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(hub["users"][k],))
        for k in ("steward", "province_steward")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert DatasetVersion.objects.filter(dataset=dataset).count() == 1


def test_csv_fixture_is_real_shaped():
    assert CSV.count("\n") == 4


@pytest.mark.django_db
def test_demo_seed_publishes_datasets_and_is_idempotent(regions):
    from onedata.core import demo as core_demo
    from onedata.datahub import demo

    core_demo.seed()
    demo.seed()
    demo.seed()
    published = Dataset.objects.filter(state="published")
    assert published.count() == len(demo.DATASETS)
    assert all(t.status == "ready" for t in DataTable.objects.all())


@pytest.mark.django_db
def test_a_load_whose_worker_died_is_queued_again(hub):
    """A worker killed mid-load leaves the table "loading" with no heartbeat: the periodic
    resume queues it again and the load completes; a live load is left alone."""
    from datetime import timedelta

    from django.utils import timezone

    dataset = services.dataset_create(
        actor=hub["users"]["producer"],
        organization=hub["agencies"]["badung"],
        name="macet",
        title="Beban yang macet",
    )
    with hub["commit"](execute=False):  # the queued load never runs: its worker "died"
        resource = services.resource_create(
            actor=hub["users"]["producer"],
            dataset=dataset,
            upload=CSV.encode(),
            upload_name="d.csv",
        )
    table = DataTable.objects.get(resource=resource)
    DataTable.objects.filter(pk=table.pk).update(status=DataTable.Status.LOADING)
    assert services.datastore_loads_resume() == []  # still beating: not stale yet
    later = timezone.now() + services.LOAD_STALE_AFTER + timedelta(minutes=1)
    assert services.datastore_loads_resume(now=later) == [table.pk]
    table.refresh_from_db()
    assert table.status == DataTable.Status.READY and table.row_count == 3
    assert services.datastore_loads_resume(now=later) == []
