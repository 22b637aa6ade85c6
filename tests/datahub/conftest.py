"""Data hub fixtures: a producer and a steward for Badung, a provincial steward, themes."""

from __future__ import annotations

import pytest

from onedata.core.roles import Role
from onedata.datahub import services
from onedata.datahub.models import Group
from tests.conftest import make_user

CSV = (
    "kode_wilayah,kabupaten,tahun,penduduk,luas_km2,tanggal\n"
    "51.03,Badung,2024,548191,418.52,2024-06-30\n"
    "51.04,Gianyar,2024,515344,368.00,2024-06-30\n"
    "51.71,Denpasar,2024,726800,127.78,2024-06-30\n"
)


@pytest.fixture
def hub(agencies, people, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    groups = {
        name: Group.objects.create(name=name, title=title)
        for name, title in [("kesehatan", "Kesehatan"), ("kependudukan", "Kependudukan")]
    }
    users = {
        "producer": make_user("produsen.badung", Role.DATA_PRODUCER, agencies["badung"]),
        "steward": make_user("walidata.badung", Role.DATA_STEWARD, agencies["badung"]),
        "province_steward": make_user("walidata", Role.DATA_STEWARD, agencies["province"]),
        "gianyar_producer": make_user("produsen.gianyar", Role.DATA_PRODUCER, agencies["gianyar"]),
        **people,
    }
    return {
        "agencies": agencies,
        "users": users,
        "groups": groups,
        "commit": django_capture_on_commit_callbacks,
    }


def upload(hub, dataset, content, name="data.csv", actor=None):
    """Add a file resource and run the load task as a commit would."""
    with hub["commit"](execute=True):
        return services.resource_create(
            actor=actor or hub["users"]["producer"],
            dataset=dataset,
            upload=content if isinstance(content, bytes) else content.encode(),
            upload_name=name,
        )


def publish(hub, name="penduduk", access="public", csv=CSV, **fields):
    """A dataset with one CSV resource, approved by the Badung steward."""
    producer, steward = hub["users"]["producer"], hub["users"]["steward"]
    dataset = services.dataset_create(
        actor=producer,
        organization=hub["agencies"]["badung"],
        name=name,
        title=fields.pop("title", "Jumlah penduduk per kabupaten"),
        access_level=access,
        tags=fields.pop("tags", ["penduduk", "demografi"]),
        groups=fields.pop("groups", ["kependudukan"]),
        **fields,
    )
    if csv is not None:
        upload(hub, dataset, csv, "penduduk.csv")
    services.dataset_submit(actor=producer, dataset=dataset)
    services.dataset_approve(actor=steward, dataset=dataset)
    dataset.refresh_from_db()
    return dataset
