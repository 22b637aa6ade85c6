from pathlib import Path

import pytest

from onedata.core.errors import ValidationError
from onedata.core.models import Region
from onedata.core.regions import regions_load


def test_regions_load_gives_all_783_regions_of_bali(regions):
    counts = {level: Region.objects.filter(level=level).count() for level in Region.Level.values}
    assert counts == {"province": 1, "regency": 9, "district": 57, "village": 716}
    assert Region.objects.count() == 783


def test_every_region_below_the_province_points_to_the_level_above(regions):
    above = {"regency": "province", "district": "regency", "village": "district"}
    for region in Region.objects.exclude(level="province").select_related("parent"):
        assert region.parent.level == above[region.level]
        assert region.code.startswith(region.parent.code + ".")


def test_denpasar_has_its_four_districts(regions):
    denpasar = Region.objects.get(code="51.71")
    assert denpasar.name == "Kota Denpasar"
    assert denpasar.children.count() == 4


def test_regions_load_twice_changes_nothing(regions):
    before = list(Region.objects.values_list("code", "name", "parent__code"))
    assert regions_load() == 783
    assert list(Region.objects.values_list("code", "name", "parent__code")) == before


def test_regions_load_refuses_a_file_with_an_unknown_parent(db, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n51,Bali,province,\n51.99.01,X,district,51.99\n")
    with pytest.raises(ValidationError) as caught:
        regions_load(path=bad)
    assert "line 3" in caught.value.fields
    assert Region.objects.count() == 0  # nothing half-loaded


def test_another_province_loads_from_the_same_format(db, tmp_path: Path):
    ntb = tmp_path / "ntb.csv"
    ntb.write_text(
        "code,name,level,parent_code\n52,Nusa Tenggara Barat,province,\n"
        "52.71,Kota Mataram,regency,52\n52.71.01,Ampenan,district,52.71\n"
    )
    assert regions_load(path=ntb) == 3
    assert Region.objects.get(code="52.71.01").parent.code == "52.71"


def test_region_api_lists_and_filters_by_parent(regions, client):
    answer = client.get("/api/v1/core/regions", {"parent": "51.71"}).json()
    assert answer["count"] == 4
    assert {item["parent_code"] for item in answer["items"]} == {"51.71"}
    assert client.get("/api/v1/core/regions/51.71").json()["name"] == "Kota Denpasar"
    missing = client.get("/api/v1/core/regions/99")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
