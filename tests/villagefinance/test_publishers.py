"""SIKUAT's One Data publications: the hand-computed tables from known data, privacy, and
(no counts of people here) nothing blanked by mistake."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from onedata.core.models import Region
from onedata.publishing.registry import get_publication
from onedata.villagefinance import services
from onedata.villagefinance.publishers import PUBLICATIONS
from tests.publishing.privacy import assert_no_personal_data

from .conftest import TODAY, YEAR, account, spend

NOW = datetime(YEAR + 1, 1, 15, 2, 0, tzinfo=UTC)
PERSONAL = [
    "I Made Sudarma",
    "081234567890",
    "Ni Luh Putu Ayu",
    "patengen.uji@example.test",
    "I Wayan Tukang Banten",
    "5103010101800001",
]


@pytest.fixture
def world(funded, treasurer, staff, other_village):
    """The funded village (see conftest) plus: a budget for punia, a ceremony spending, a
    spending cancelled, a BKK of 3 x Rp 100,000,000 with stage 1 received, used in part
    and reported and stage 2 sent; officers with names and phones; and an unpublished
    village with data that must not appear."""
    village = funded
    services.officer_set(
        actor="test", desa=village, position="bendesa", name="I Made Sudarma", phone="081234567890"
    )
    services.officer_set(
        actor="test", desa=village, position="patengen", name="Ni Luh Putu Ayu", user=treasurer
    )
    services.budget_set(actor=treasurer, desa=village, account=account("4.3.1"), amount=8_000_000)
    spend(village, treasurer, 1_200_000, counterparty="I Wayan Tukang Banten")
    cancelled = spend(village, treasurer, 500_000, code="5.1.2").entry
    services.entry_reverse(actor=treasurer, entry=cancelled, reason="salah", today=TODAY)
    grant = services.grant_create(
        actor=staff["province_admin"],
        desa=village,
        grantor=staff["province"],
        year=YEAR,
        name="BKK 2025",
        account=account("4.1.1"),
        stages=[100_000_000, 100_000_000, 100_000_000],
    )
    first, second, _third = grant.stages.all()
    services.grant_stage_disburse(actor=staff["province_admin"], stage=first)
    services.grant_stage_receive(actor=treasurer, stage=first, date=date(YEAR, 3, 1), today=TODAY)
    spend(village, treasurer, 30_000_000, code="5.2.1", fund="bank", grant_stage=first)
    services.grant_stage_account(actor=treasurer, stage=first, note="Kegiatan pawongan")
    services.grant_stage_disburse(actor=staff["province_admin"], stage=second)
    # The other village keeps its summary private: nothing of it is published.
    other_village.is_published = False
    other_village.save(update_fields=["is_published"])
    services.entry_record(
        actor="test",
        desa=other_village,
        date=date(YEAR, 1, 5),
        kind="income",
        account=account("4.3.1"),
        fund="cash",
        amount=7_000_000,
        description="Punia",
        today=TODAY,
    )
    return village


def publication(name):
    found = get_publication(name)
    assert found is not None and found in PUBLICATIONS
    return found


def place(village) -> dict:
    regency = Region.objects.get(code="51.03")
    return {
        "tahun": YEAR,
        "kode_kabupaten": "51.03",
        "kabupaten": regency.name,
        "desa_adat": village.agency.name,
    }


def test_realisation_per_village_group_and_year_is_the_hand_computed_table(world):
    rows = publication("keuangan-desa-adat-realisasi").table(NOW)
    common = {**place(world), "data_contoh": True}
    assert rows == [
        {
            **common,
            "kode_kelompok_akun": "4.1",
            "kelompok_akun": "Hibah dan bantuan pemerintah",
            "jenis": "pendapatan",
            "anggaran": 0,
            "realisasi": 150_000_000,  # BKK Rp 50 M in January + stage 1 of Rp 100 M
            "persen_realisasi": None,
        },
        {
            **common,
            "kode_kelompok_akun": "4.3",
            "kelompok_akun": "Punia dan sumbangan",
            "jenis": "pendapatan",
            "anggaran": 8_000_000,
            "realisasi": 10_000_000,
            "persen_realisasi": 125.0,
        },
        {
            **common,
            "kode_kelompok_akun": "5.1",
            "kelompok_akun": "Parahyangan (keagamaan dan pura)",
            "jenis": "belanja",
            "anggaran": 3_000_000,
            "realisasi": 1_200_000,  # 1,200,000 + 500,000 - 500,000 (cancelled)
            "persen_realisasi": 40.0,
        },
        {
            **common,
            "kode_kelompok_akun": "5.2",
            "kelompok_akun": "Pawongan (kemasyarakatan)",
            "jenis": "belanja",
            "anggaran": 0,
            "realisasi": 30_000_000,
            "persen_realisasi": None,
        },
    ]


def test_grants_disbursed_and_accounted_for_is_the_hand_computed_table(world, staff):
    rows = publication("keuangan-desa-adat-hibah").table(NOW)
    assert rows == [
        {
            **place(world),
            "pemberi_hibah": staff["province"].name,
            "sumber": "provinsi",
            "nilai_hibah": 300_000_000,
            "jumlah_tahap": 3,
            "tahap_disalurkan": 2,
            "nilai_disalurkan": 200_000_000,
            "nilai_diterima": 100_000_000,
            "nilai_dipertanggungjawabkan": 100_000_000,
            "nilai_digunakan": 30_000_000,
            "persen_dipertanggungjawabkan": 50.0,
            "data_contoh": True,
        }
    ]


def test_a_year_after_now_is_not_published(world):
    earlier = datetime(YEAR - 1, 6, 1, tzinfo=UTC)
    for item in PUBLICATIONS:
        assert item.table(earlier) == []


@pytest.mark.parametrize("name", ["keuangan-desa-adat-realisasi", "keuangan-desa-adat-hibah"])
def test_no_personal_data_leaves_the_module(world, treasurer, name):
    item = publication(name)
    rows = item.table(NOW)
    assert rows
    assert_no_personal_data(item, rows, personal_values=[*PERSONAL, treasurer.username])
    text = repr(rows)
    for secret in ("Canang", "salah", "Kegiatan pawongan"):  # descriptions, notes
        assert secret not in text


def test_there_are_no_counts_of_people_so_small_numbers_stay(world):
    """Stage counts of 1 to 4 are not people: the framework must not blank them."""
    for item in PUBLICATIONS:
        assert item.person_count_columns == ()
        assert item.producer == "dpma-bali" and item.frequency == "monthly"
        for column in item.columns:
            assert column.description
    rows = publication("keuangan-desa-adat-hibah").table(NOW)
    assert rows[0]["jumlah_tahap"] == 3 and rows[0]["tahap_disalurkan"] == 2
