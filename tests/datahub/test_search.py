"""Catalog search: the engine's full-text index, and facets from what each audience sees."""

from __future__ import annotations

import pytest

from onedata.datahub import search_index, selectors, services
from onedata.datahub.models import SearchEntry
from tests.datahub.conftest import publish


class Anonymous:
    is_authenticated = False
    is_active = False
    is_superuser = False


@pytest.mark.django_db
def test_full_text_matches_every_word_as_a_prefix(hub):
    publish(hub, name="penduduk", title="Jumlah penduduk per kabupaten")
    publish(hub, name="puskesmas", title="Puskesmas per kecamatan", tags=["kesehatan"])
    names = lambda q: [d.name for d in selectors.search_datasets(Anonymous(), q=q).datasets]  # noqa: E731
    assert names("jum") == ["penduduk"]  # a prefix of "Jumlah"
    assert names("PUSKESMAS kecamatan") == ["puskesmas"]
    assert names("puskesmas kabupaten") == []
    assert names("kesehatan") == ["puskesmas"]  # tags are in the document
    assert names('"); DROP TABLE x; --') == []  # operators never reach the engine
    assert sorted(names("")) == ["penduduk", "puskesmas"]


@pytest.mark.django_db
def test_public_facets_and_search_read_the_published_version_not_the_draft(hub):
    dataset = publish(hub, name="penduduk", tags=["penduduk"])
    services.dataset_update(
        actor=hub["users"]["producer"], dataset=dataset, title="Judul rahasia", tags=["draf-tag"]
    )
    public = selectors.search_datasets(Anonymous(), facet_fields=["tags", "organization"])
    assert public.facets["tags"] == {"penduduk": 1}
    assert public.count == 1 and sum(public.facets["organization"].values()) == 1
    assert selectors.search_datasets(Anonymous(), q="rahasia").count == 0
    assert selectors.search_datasets(Anonymous(), fq="tags:draf-tag").count == 0
    # Its producer searches the live draft.
    producer = hub["users"]["producer"]
    mine = selectors.search_datasets(producer, q="rahasia", facet_fields=["tags"])
    assert mine.count == 1 and mine.facets["tags"] == {"draf-tag": 1}
    # Approval makes the new metadata public.
    services.dataset_submit(actor=producer, dataset=dataset)
    services.dataset_approve(actor=hub["users"]["steward"], dataset=dataset)
    assert selectors.search_datasets(Anonymous(), q="rahasia").count == 1


@pytest.mark.django_db
def test_fq_negation_format_and_sort_over_documents(hub):
    publish(hub, name="a-data", title="Alpha", tags=["satu"])
    publish(hub, name="b-data", title="Beta", tags=["dua"], csv=None)
    search = lambda **kw: [d.name for d in selectors.search_datasets(Anonymous(), **kw).datasets]  # noqa: E731
    assert search(fq="res_format:csv") == ["a-data"]
    assert search(fq="-tags:satu") == ["b-data"]
    assert search(sort="name desc") == ["b-data", "a-data"]
    assert search(sort="title asc", rows=1, start=1) == ["b-data"]


@pytest.mark.django_db
def test_rebuild_restores_documents(hub):
    publish(hub, name="penduduk")
    SearchEntry.objects.all().delete()
    assert selectors.search_datasets(Anonymous()).count == 0
    assert search_index.rebuild() == 1
    assert selectors.search_datasets(Anonymous(), q="penduduk").count == 1


def test_document_text_and_facets_from_a_package():
    text, facets = search_index.document(
        {
            "name": "jumlah-penduduk",
            "title": "Jumlah",
            "organization": {"name": "pemkab-badung", "title": "Pemkab Badung"},
            "tags": [{"name": "demografi"}],
            "groups": [{"name": "kependudukan", "title": "Kependudukan"}],
            "resources": [{"name": "data.csv", "format": "csv"}],
            "license_id": "cc-by-4.0",
        }
    )
    assert "jumlah penduduk" in text and "Pemkab Badung" in text and "demografi" in text
    assert ("res_format", "CSV") in facets and ("organization", "pemkab-badung") in facets
    assert ("groups", "kependudukan") in facets and ("license_id", "cc-by-4.0") in facets


@pytest.mark.django_db
def test_ckan_tag_and_group_lists_ignore_unapproved_drafts(client, hub):
    dataset = publish(hub, name="penduduk", tags=["penduduk"], groups=["kependudukan"])
    services.dataset_update(
        actor=hub["users"]["producer"], dataset=dataset, tags=["draf-tag"], groups=["kesehatan"]
    )
    assert client.get("/api/3/action/tag_list").json()["result"] == ["penduduk"]
    groups = client.get("/api/3/action/group_list?all_fields=true").json()["result"]
    assert {g["name"]: g["package_count"] for g in groups} == {"kependudukan": 1, "kesehatan": 0}
