"""The clinic queue's open dataset: known visits give the hand-computed table, no personal
data leaves the module, and small counts are blanked."""

from datetime import date, timedelta

import pytest

from onedata.clinics import services
from onedata.clinics.models import Service
from onedata.clinics.publishers import PUBLICATIONS
from onedata.publishing.registry import all_publications
from tests.clinics.factories import add_service, book, make_clinic, unique_nik, wita
from tests.publishing.privacy import assert_no_personal_data

DAY = date(2026, 12, 7)  # a Monday
EARLY = wita(DAY, 6)
NEXT_MORNING = wita(DAY + timedelta(days=1), 6)
WAITS = [5, 10, 15, 20, 25, 30]  # minutes from check-in to call: mean 17.5
SERVICE_TIMES = [6, 8, 10, 12, 14, 16]  # minutes from start to end: mean 11.0
publication = PUBLICATIONS[0]


def at(minutes_after_seven: int):
    return wita(DAY, 7) + timedelta(minutes=minutes_after_seven)


@pytest.fixture
def visits(regions):
    clinic = make_clinic("puskesmas-densel-1", quota_online=20, quota_walkin=5)
    add_service(clinic, Service.Kind.DENTAL)
    emails = []
    for n, (wait, length) in enumerate(zip(WAITS, SERVICE_TIMES, strict=True)):
        email = f"pasien{n}@example.test"
        emails.append(email)
        booking = book(clinic, DAY, n, EARLY, email=email)
        services.booking_step(actor=None, booking=booking, step="check_in", now=at(0))
        services.booking_step(actor=None, booking=booking, step="call", now=at(wait))
        services.booking_step(actor=None, booking=booking, step="start", now=at(wait))
        services.booking_step(actor=None, booking=booking, step="finish", now=at(wait + length))
    absent = book(clinic, DAY, 10, EARLY)
    services.booking_step(actor=None, booking=absent, step="no_show", now=wita(DAY, 12, 5))
    cancelled = book(clinic, DAY, 11, EARLY)
    services.booking_cancel(actor=None, booking=cancelled, now=EARLY)
    services.walkin_issue(
        actor=None, service=clinic.services.get(kind="general"), name="Wayan Walk", now=at(30)
    )
    book(clinic, DAY, 20, EARLY, service="dental")
    book(clinic, DAY, 21, EARLY, service="dental")
    return {
        "clinic": clinic,
        "personal": [
            *(f"Pasien {n}" for n in (*range(6), 10, 11, 20, 21)),
            "Wayan Walk",
            *(unique_nik(n) for n in (*range(6), 10, 11, 20, 21)),
            "081234567890",
            "+6281234567890",
            *emails,
        ],
    }


def test_the_table_equals_the_hand_computed_one(visits):
    rows = publication.table(NEXT_MORNING)
    common = {
        "tanggal": DAY,
        "kode_wilayah": "51.71",
        "kabupaten_kota": "Kota Denpasar",
        "fasilitas_kesehatan": "Puskesmas Densel 1",
        "jenis_fasilitas": "Puskesmas",
    }
    assert rows == [
        {
            **common,
            "kode_layanan": "dental",
            "layanan": rows[0]["layanan"],
            "jumlah_nomor": None,  # 2 people: blanked
            "nomor_online": None,
            "nomor_datang_langsung": 0,
            "dilayani": 0,
            "tidak_datang": 0,
            "dibatalkan": 0,
            "rata_rata_tunggu_menit": None,
            "rata_rata_layanan_menit": None,
        },
        {
            **common,
            "kode_layanan": "general",
            "layanan": rows[1]["layanan"],
            "jumlah_nomor": 8,  # 6 served + 1 no-show + 1 walk-in; the cancelled one is not
            "nomor_online": 7,
            "nomor_datang_langsung": None,  # 1
            "dilayani": 6,
            "tidak_datang": None,  # 1
            "dibatalkan": None,  # 1
            "rata_rata_tunggu_menit": 17.5,
            "rata_rata_layanan_menit": 11.0,
        },
    ]
    assert rows[0]["layanan"] == "Gigi" or rows[0]["layanan"].lower().startswith("gigi")
    assert rows[1]["layanan"] == "Umum"


def test_no_personal_data_is_published(visits):
    rows = publication.table(NEXT_MORNING)
    assert rows
    assert_no_personal_data(publication, rows, personal_values=visits["personal"])


def test_averages_from_fewer_than_five_visits_are_left_empty(regions):
    clinic = make_clinic("puskesmas-kecil", quota_online=20)
    for n in range(4):
        booking = book(clinic, DAY, n, EARLY)
        services.booking_step(actor=None, booking=booking, step="check_in", now=at(0))
        services.booking_step(actor=None, booking=booking, step="start", now=at(5))
        services.booking_step(actor=None, booking=booking, step="finish", now=at(15))
    (row,) = publication.table(NEXT_MORNING)
    assert row["dilayani"] is None and row["rata_rata_layanan_menit"] is None


def test_today_is_not_published_before_it_is_over(visits):
    assert publication.table(wita(DAY, 23)) == []


def test_the_publication_is_registered_for_the_health_office():
    assert publication in all_publications()
    assert publication.producer == "dinkes-bali" and publication.frequency == "daily"
    assert all(column.description for column in publication.columns)
