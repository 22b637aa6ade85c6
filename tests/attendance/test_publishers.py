"""The One Data publication of attendance: daily counts per office, nobody identifiable."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from onedata.attendance import publishers
from onedata.attendance.models import CheckIn, DayCorrection, Employee, Holiday, LeaveRequest
from tests.attendance.conftest import RENON
from tests.conftest import make_user
from tests.publishing.privacy import assert_no_personal_data

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 6, 9, 0, tzinfo=WITA)  # Friday; the window ends Thursday 5th


def _check(employee, day, kind, hh, mm):
    CheckIn.objects.create(
        employee=employee,
        kind=kind,
        recorded_at=datetime.combine(day, time(hh, mm), tzinfo=WITA),
        work_date=day,
        latitude=RENON[0],
        longitude=RENON[1],
        inside_geofence=True,
        status=CheckIn.Status.ACCEPTED,
    )


@pytest.fixture
def ten(office, annual):
    staff = []
    for n in range(10):
        nip = f"1990021420150320{n:02d}"
        user = make_user(f"peg{n}", email=f"peg{n}@bali.example", name=f"Pegawai Rahasia {n}")
        staff.append(
            Employee.objects.create(user=user, office=office, name=f"Pegawai Rahasia {n}", nip=nip)
        )
    return staff


@pytest.fixture
def publication():
    return next(p for p in publishers.PUBLICATIONS if p.name == "presensi-harian-kantor")


def test_table_equals_the_hand_computed_counts(ten, office, annual, publication, monkeypatch):
    monkeypatch.setattr(publishers, "WINDOW_DAYS", 3)  # Tue 3rd, Wed 4th (holiday), Thu 5th
    tue, wed, thu = date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5)
    Holiday.objects.create(date=wed, name="Hari Raya Kuningan", kind="balinese")
    for employee in ten:  # Tuesday: everyone in; two late, one leaves early
        _check(employee, tue, "in", 7, 25)
        _check(employee, tue, "out", 16, 5)
    _check(ten[0], tue, "in", 7, 10)  # the first check-in counts: no change
    CheckIn.objects.filter(employee__in=ten[8:], work_date=tue, kind="in").update(
        recorded_at=datetime.combine(tue, time(7, 45), tzinfo=WITA)
    )
    CheckIn.objects.filter(employee=ten[7], work_date=tue, kind="out").update(
        recorded_at=datetime.combine(tue, time(15, 0), tzinfo=WITA)
    )
    for employee in ten[:5]:  # Thursday: five late; two on leave; one WFH; two absent
        _check(employee, thu, "in", 8, 5)
        _check(employee, thu, "out", 16, 1)
    for employee in ten[5:7]:
        LeaveRequest.objects.create(
            employee=employee,
            leave_type=annual,
            start=thu,
            end=thu,
            halfdays=2,
            reason="Upacara",
            status=LeaveRequest.Status.APPROVED,
        )
    DayCorrection.objects.create(employee=ten[7], date=thu, kind="wfh", reason="Listrik padam")

    place = {
        "kode_wilayah": office.agency.region.code,
        "instansi": office.agency.name,
        "kantor": office.name,
    }
    assert publication.table(NOW) == [
        {
            "tanggal": "2026-11-03",
            **place,
            "jumlah_pegawai": 10,
            "hadir": 10,
            "terlambat": None,  # 2: blanked
            "pulang_cepat": None,  # 1: blanked
            "tidak_hadir": 0,
            "cuti": 0,
            "sakit": 0,
            "dinas_luar": 0,
            "wfh": 0,
        },
        {
            "tanggal": "2026-11-05",
            **place,
            "jumlah_pegawai": 10,
            "hadir": 5,
            "terlambat": 5,
            "pulang_cepat": 0,
            "tidak_hadir": None,  # 2
            "cuti": None,  # 2
            "sakit": 0,
            "dinas_luar": 0,
            "wfh": None,  # 1
        },
    ]
    rows = publication.table(NOW)
    personal = []
    for employee in ten:
        personal += [employee.name, employee.nip, employee.user.email, employee.user.username]
    assert_no_personal_data(publication, rows, personal_values=personal)


def test_small_offices_publish_only_blanked_counts(staff, publication, monkeypatch):
    monkeypatch.setattr(publishers, "WINDOW_DAYS", 1)
    rows = publication.table(NOW)
    assert len(rows) == 1
    assert rows[0]["jumlah_pegawai"] is None  # 3 employees
    assert rows[0]["tidak_hadir"] is None
    assert rows[0]["hadir"] == 0
    assert_no_personal_data(
        publication,
        rows,
        personal_values=[e.name for e in (staff["boss"], staff["worker"], staff["other"])]
        + ["199002142015032001", "197001011995031001"],
    )


def test_publication_metadata_is_complete(publication):
    assert publication.producer == "bkd-bali"
    assert publication.frequency == "daily"
    assert publication.module == "attendance"
    assert all(column.description for column in publication.columns)
    assert set(publication.person_count_columns) == set(publishers.COUNT_COLUMNS)


def test_selfie_purge_is_scheduled_daily():
    from datetime import timedelta

    from onedata.attendance import schedule, tasks

    (entry,) = [p for p in schedule.SCHEDULE if p.name == "attendance-purge-old-selfies"]
    assert entry.task is tasks.purge_old_selfies
    assert entry.every == timedelta(days=1)
