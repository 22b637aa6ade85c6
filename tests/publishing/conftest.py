"""One Data fixtures: the agencies publishers name, a province steward, a failing publication."""

from __future__ import annotations

import pytest

from onedata.core.models import Agency
from onedata.core.roles import Role
from onedata.publishing import registry
from onedata.publishing.registry import Column, Publication
from tests.conftest import make_agency, make_user


@pytest.fixture
def onedata(agencies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for slug in ("dinkes-bali", "bkd-bali", "dpma-bali"):
        make_agency(slug, "51")
    Agency.objects.filter(slug="diskominfos").update(email="diskominfos@example.test")
    return {
        "steward": make_user("walidata", Role.DATA_STEWARD, agencies["province"]),
        "badung_steward": make_user("walidata.badung", Role.DATA_STEWARD, agencies["badung"]),
        "producer": make_user("produsen", Role.DATA_PRODUCER, agencies["province"]),
    }


class Flaky:
    """A produce function that works until told to break."""

    def __init__(self):
        self.broken = False
        self.rows = [{"kabupaten": "Badung", "jumlah": 12}, {"kabupaten": "Bangli", "jumlah": 3}]

    def __call__(self, now):
        if self.broken:
            raise RuntimeError("the source table is gone")
        return self.rows


@pytest.fixture
def flaky(monkeypatch):
    produce = Flaky()
    publication = Publication(
        name="uji-flaky",
        title="Uji publikasi",
        description="Hanya untuk pengujian",
        module="core",
        producer="diskominfos",
        frequency="hourly",
        columns=(
            Column("kabupaten", "text", "Nama kabupaten"),
            Column("jumlah", "integer", "Jumlah orang", "orang"),
        ),
        produce=produce,
        person_count_columns=("jumlah",),
        tags=("uji",),
    )
    real = registry.all_publications
    monkeypatch.setattr(registry, "all_publications", lambda: [*real(), publication])
    return produce
