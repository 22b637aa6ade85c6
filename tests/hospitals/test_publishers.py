"""What hospitals publishes to One Data: hand-computed tables, privacy, small counts."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from onedata.hospitals import services
from onedata.hospitals.models import Generator
from onedata.hospitals.publishers import PUBLICATIONS
from onedata.publishing.registry import get_publication
from tests.hospitals.factories import add_report
from tests.publishing.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db

DAILY = next(p for p in PUBLICATIONS if p.name == "rs-oksigen-harian")
BEDS = next(p for p in PUBLICATIONS if p.name == "rs-tempat-tidur-tersedia")


@pytest.fixture
def world(hospital, other_hospital, staff):
    """Hospital A (Badung): 10 severe patients, reports the day before yesterday 08:00,
    yesterday 08:00 (1,000 L of liquid received) and today. Hospital B (Gianyar): 3
    moderate patients, a 10 m3/day PSA, one report the day before yesterday 09:00."""
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localtime(now, tz).date()

    def at(day, hour):
        return timezone.make_aware(datetime.combine(day, time(hour)), tz)

    d2, d1 = today - timedelta(days=2), today - timedelta(days=1)
    start_today = at(today, 0)
    severe = {"moderate": 0, "severe": 10, "critical": 0, "ventilated": 0}
    beds = {"icu_vent": services.BedCount(total=10, occupied=8)}
    common = {"liquid_unit": "litre", "cylinders": {}, "patients": severe, "beds": beds}
    add_report(hospital, reported_at=at(d2, 8), liquid_value=5000, **common)
    add_report(
        hospital, reported_at=at(d1, 8), liquid_value=4000, delivered_liquid_litres=1000, **common
    )
    add_report(
        hospital,
        reported_at=start_today + (now - start_today) / 2,
        liquid_value=3000,
        **{**common, "beds": {"icu_vent": services.BedCount(total=10, occupied=6)}},
    )
    Generator.objects.create(hospital=other_hospital, name="PSA", capacity_m3_per_day=10)
    add_report(
        other_hospital,
        reported_at=at(d2, 9),
        liquid_value=1000,
        liquid_unit="litre",
        cylinders={},
        patients={"moderate": 3},
        beds={"isolation": services.BedCount(total=20, occupied=5)},
    )
    return {"now": now, "d1": d1, "d2": d2, "a": hospital, "b": other_hospital}


def test_daily_oxygen_table_matches_the_hand_computed_one(world):
    a, b = world["a"], world["b"]
    common_a = {
        "kode_wilayah": "51.03",
        "kabupaten_kota": a.agency.region.name,
        "rumah_sakit": a.agency.name,
        "jenis_rs": "Rumah sakit umum daerah (RSUD)",
        "jumlah_laporan": 1,
        "produksi_psa_m3_per_hari": 0.0,
        "status": "safe",
        "pasien_oksigen": 10,
    }
    assert DAILY.table(world["now"]) == [
        # One report: demand = patient model, 10 x 10 L/min x 1.44 = 144 m3/day.
        # 5,000 L x 0.861 = 4,305 m3; cover 4,305 / 144 x 24 = 717.5 h.
        {
            **common_a,
            "tanggal": world["d2"].isoformat(),
            "stok_m3": 4305.0,
            "kebutuhan_m3_per_hari": 144.0,
            "diterima_m3": 0.0,
            "jam_cakupan": 717.5,
        },
        # Observed over 1 day: 4,305 + 861 - 3,444 = 1,722 m3/day; one consistent interval
        # weighs 0.3: 0.3 x 1,722 + 0.7 x 144 = 617.4 m3/day; 3,444 x 24 / 617.4 = 133.9 h.
        {
            **common_a,
            "tanggal": world["d1"].isoformat(),
            "stok_m3": 3444.0,
            "kebutuhan_m3_per_hari": 617.4,
            "diterima_m3": 861.0,
            "jam_cakupan": 133.9,
        },
        # B: 3 x 5 L/min x 1.44 = 21.6 m3/day, net of 10 m3/day PSA 11.6:
        # 861 x 24 / 11.6 = 1,781.4 h. Three patients: blanked.
        {
            "tanggal": world["d2"].isoformat(),
            "kode_wilayah": "51.04",
            "kabupaten_kota": b.agency.region.name,
            "rumah_sakit": b.agency.name,
            "jenis_rs": "Rumah sakit umum daerah (RSUD)",
            "jumlah_laporan": 1,
            "stok_m3": 861.0,
            "kebutuhan_m3_per_hari": 21.6,
            "produksi_psa_m3_per_hari": 10.0,
            "diterima_m3": 0.0,
            "jam_cakupan": 1781.4,
            "status": "safe",
            "pasien_oksigen": None,
        },
    ]


def test_free_beds_snapshot_matches_the_latest_reports(world):
    now, a, b = world["now"], world["a"], world["b"]
    rows = BEDS.table(now)
    assert [
        (r["rumah_sakit"], r["jenis_tempat_tidur"], r["jumlah"], r["terisi"], r["tersedia"])
        for r in rows
    ] == [(a.agency.name, "icu_vent", 10, 6, 4), (b.agency.name, "isolation", 20, 5, 15)]
    assert rows[0]["nama_jenis_tempat_tidur"] == "ICU dengan ventilator"
    assert {r["waktu_snapshot"] for r in rows} == {now.isoformat()}
    # A reported today; B's report is two days old: flagged, never passed off as current.
    assert [r["laporan_usang"] for r in rows] == [False, True]


def test_no_personal_data_is_published(world, staff):
    people = []
    for user in staff.values():
        people += [user.username, user.email, user.get_full_name()]
    world["a"].phone = "081234567890"
    world["a"].save(update_fields=["phone"])
    people.append("081234567890")
    for publication in PUBLICATIONS:
        rows = publication.table(world["now"])
        assert rows
        assert_no_personal_data(publication, rows, personal_values=people)


def test_small_patient_counts_are_blanked_bed_counts_are_not(world):
    rows = DAILY.table(world["now"])
    assert [r["pasien_oksigen"] for r in rows] == [10, 10, None]
    assert DAILY.person_count_columns == ("pasien_oksigen",)
    # Beds are the hospital's capacity, shown to anyone on the public page (like
    # SIRANAP): not people, so not blanked.
    assert BEDS.person_count_columns == ()
    assert [r["tersedia"] for r in BEDS.table(world["now"])] == [4, 15]


def test_publications_are_registered_with_their_producer_and_frequency():
    assert get_publication("rs-oksigen-harian").frequency == "daily"
    assert get_publication("rs-tempat-tidur-tersedia").frequency == "hourly"
    for publication in PUBLICATIONS:
        assert publication.producer == "dinkes-bali"
        assert publication.module == "hospitals"
        assert all(column.description for column in publication.columns)


def test_nothing_to_publish_gives_empty_tables(db):
    now = timezone.now()
    assert DAILY.table(now) == []
    assert BEDS.table(now) == []
