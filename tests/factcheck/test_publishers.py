"""Fact check's One Data tables: hand-computed from known reports, no personal data,
small report counts blanked."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from onedata.core.models import Region
from onedata.factcheck.models import Channel, Claim, Report, Review, Topic
from onedata.factcheck.publishers import PUBLICATIONS
from onedata.publishing.registry import get_publication
from tests.conftest import make_user
from tests.publishing.privacy import assert_no_personal_data

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=WITA)  # a Wednesday: the week of 23 Nov is open
REPORTS = get_publication("cek-fakta-laporan-hoaks-mingguan")
CLAIMS = get_publication("cek-fakta-klaim-mingguan")
PERSONAL = [
    "Ni Luh Putu Sari",
    "luhsari",
    "luh.sari@example.id",
    "081234567890",
    "https://wa.me/6281234567890",
    "grup arisan banjar",
]


def _at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WITA)


@pytest.fixture
def data(regions):
    citizen = make_user("luhsari", name="Ni Luh Putu Sari", email="luh.sari@example.id")
    topic = Topic.objects.create(slug="vaksin-uji", name="Vaksin Uji")
    chip = Claim.objects.create(text="Vaksin berisi chip", topic=topic, first_seen_at=_at(16, 9))
    school = Claim.objects.create(text="Sekolah ditutup", first_seen_at=_at(9, 8))
    Claim.objects.create(text="Klaim minggu ini", first_seen_at=_at(24, 8))  # week still open
    badung = Region.objects.get(code="51.03")

    def report(claim, when, channel="whatsapp", regency=None, **fields):
        made = Report.objects.create(
            claim=claim, text="pesan 081234567890", channel=channel, regency=regency, **fields
        )
        Report.objects.filter(pk=made.pk).update(created_at=when)

    report(
        chip,
        _at(16, 9),
        regency=badung,
        reporter=citizen,
        contact_email="luh.sari@example.id",
        link="https://wa.me/6281234567890",
        place="grup arisan banjar",
    )
    for day in (17, 18, 19, 20, 22):
        report(chip, _at(day, 10), regency=badung)
    report(chip, _at(18, 11), channel="facebook", regency=badung)
    report(chip, _at(19, 11), channel="facebook", regency=badung)
    for hour in (8, 9, 10, 11, 12):
        report(school, _at(10, hour))
    report(chip, _at(23, 9), regency=badung)  # this week: not published yet
    Review.objects.create(
        claim=chip,
        verdict="HOAKS",
        summary="Tidak ada chip.",
        explanation="Penjelasan.",
        status=Review.Status.PUBLISHED,
        published_at=_at(18, 10),
        reviewer=citizen,
        reviewer_name="Ni Luh Putu Sari",
    )
    return {"badung": badung}


def test_reports_table_is_the_hand_computed_one(data):
    with translation.override("id"):
        whatsapp, facebook = str(Channel.WHATSAPP.label), str(Channel.FACEBOOK.label)
    badung = data["badung"].name
    assert REPORTS.table(NOW) == [
        {
            "minggu_mulai": datetime(2026, 11, 9).date(),
            "topik": "Belum ditentukan",
            "kode_saluran": "whatsapp",
            "saluran": whatsapp,
            "kode_wilayah": "",
            "kabupaten_kota": "Tidak diketahui",
            "jumlah_laporan": 5,
            "jumlah_klaim": 1,
            "jumlah_klaim_baru": 1,
        },
        {
            "minggu_mulai": datetime(2026, 11, 16).date(),
            "topik": "Vaksin Uji",
            "kode_saluran": "facebook",
            "saluran": facebook,
            "kode_wilayah": "51.03",
            "kabupaten_kota": badung,
            "jumlah_laporan": None,  # 2 reports: blanked, and the claim counts with them
            "jumlah_klaim": None,
            "jumlah_klaim_baru": None,
        },
        {
            "minggu_mulai": datetime(2026, 11, 16).date(),
            "topik": "Vaksin Uji",
            "kode_saluran": "whatsapp",
            "saluran": whatsapp,
            "kode_wilayah": "51.03",
            "kabupaten_kota": badung,
            "jumlah_laporan": 6,  # 16, 17, 18, 19, 20 and 22 Nov (a Sunday: same week)
            "jumlah_klaim": 1,
            "jumlah_klaim_baru": 1,
        },
    ]


def test_claims_table_is_the_hand_computed_one(data):
    assert CLAIMS.table(NOW) == [
        {
            "minggu_mulai": datetime(2026, 11, 9).date(),
            "topik": "Belum ditentukan",
            "putusan": "",
            "jumlah_klaim_baru": 1,
            "jumlah_putusan": 0,
            "median_jam_sampai_putusan": None,
        },
        {
            "minggu_mulai": datetime(2026, 11, 16).date(),
            "topik": "Vaksin Uji",
            "putusan": "",
            "jumlah_klaim_baru": 1,
            "jumlah_putusan": 0,
            "median_jam_sampai_putusan": None,
        },
        {
            "minggu_mulai": datetime(2026, 11, 16).date(),
            "topik": "Vaksin Uji",
            "putusan": "HOAKS",
            "jumlah_klaim_baru": 0,
            "jumlah_putusan": 1,
            "median_jam_sampai_putusan": 49.0,  # 16 Nov 09:00 to 18 Nov 10:00
        },
    ]


def test_no_personal_data_in_any_table(data):
    for publication in PUBLICATIONS:
        rows = publication.table(NOW)
        assert rows
        assert_no_personal_data(publication, rows, personal_values=PERSONAL)


def test_small_report_counts_are_blanked(data):
    rows = REPORTS.table(NOW)
    assert all(r["jumlah_laporan"] is None or r["jumlah_laporan"] >= 5 for r in rows)
    blanked = [r for r in rows if r["jumlah_laporan"] is None]
    assert blanked and all(r["jumlah_klaim"] is None for r in blanked)


def test_catalogue_metadata_is_complete():
    for publication in PUBLICATIONS:
        assert publication.producer == "diskominfos" and publication.frequency == "weekly"
        assert publication.module == "factcheck" and publication.title and publication.tags
        assert all(column.description for column in publication.columns)
