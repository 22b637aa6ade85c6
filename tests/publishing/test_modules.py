"""Every module's publications, refreshed for real from the modules' demo data: each becomes
a published dataset with rows, passes the privacy check, and is listed in data.json and
DCAT. (Each module's own test checks its table cell by cell against hand-computed data.)"""

from __future__ import annotations

import importlib

import pytest

from onedata.core import demo as core_demo
from onedata.publishing import registry, services
from onedata.publishing.models import PublicationStatus
from tests.publishing.privacy import assert_no_personal_data

MODULES = ("hospitals", "clinics", "attendance", "villagefinance", "factcheck")


@pytest.fixture
def bali(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        core_demo.seed()
        for module in MODULES:
            importlib.import_module(f"onedata.{module}.demo").seed()


def test_every_module_publishes_at_least_one_dataset():
    modules = {p.module for p in registry.all_publications()}
    assert modules >= {"core", *MODULES}
    names = [p.name for p in registry.all_publications()]
    assert len(names) == len(set(names)), "dataset names must be unique"


@pytest.mark.django_db
def test_each_publication_refreshes_from_demo_data_without_personal_data(
    bali, client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    now = timezone.now()
    for publication in registry.all_publications():
        rows = publication.table(now)
        assert_no_personal_data(publication, rows)
        with django_capture_on_commit_callbacks(execute=True):
            status = services.publication_refresh(name=publication.name, now=now)
        assert status.failures == 0, f"{publication.name}: {status.last_error}"
        assert status.last_version == 1 and status.last_rows == len(rows)
    assert PublicationStatus.objects.filter(failures=0).count() == len(registry.all_publications())
    catalog = client.get("/data.json").json()
    listed = {entry["identifier"].rstrip("/").rsplit("/", 1)[-1] for entry in catalog["dataset"]}
    titles = {entry["title"] for entry in catalog["dataset"]}
    for publication in registry.all_publications():
        assert publication.name in listed or publication.title in titles, publication.name
    turtle = client.get("/catalog.ttl").content.decode()
    assert "rs-oksigen-harian" in turtle
    dashboard = client.get("/api/v1/onedata/dashboard").json()
    shown = {card["key"]: card["value"] for card in dashboard["cards"]}
    assert shown["free-beds"] is not None and shown["oxygen-cover"] is not None
    assert shown["villages"] == 716
