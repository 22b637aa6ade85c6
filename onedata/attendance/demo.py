"""Demo data for attendance: an office in Niti Mandala Renon, the demo employee, their
supervisor and team, the holiday calendar, leave types, a month of check-ins and leave.

Idempotent: running it twice changes nothing. The face photos in shared/testdata are for
tests only (their README says so), so no demo employee gets a face enrolled: the demo user
``pegawai`` enrols their own face on the "Face photo" page and ``admin.sdm`` approves it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from onedata.attendance.models import (
    CheckIn,
    Employee,
    Holiday,
    LeaveBalance,
    LeaveRequest,
    LeaveType,
    Office,
    OfficeLocation,
    RamadanPeriod,
    ReminderPreference,
    RosterImport,
    Schedule,
    ShiftAssignment,
)
from onedata.core.models import Agency, User

WITA = ZoneInfo("Asia/Makassar")
RENON = (-8.6726, 115.2330)

HOLIDAYS = [
    ("2026-01-01", "Tahun Baru 2026 Masehi", "national"),
    ("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948", "national"),
    ("2026-03-20", "Idul Fitri 1447 Hijriah", "national"),
    ("2026-03-21", "Idul Fitri 1447 Hijriah", "national"),
    ("2026-04-03", "Wafat Yesus Kristus", "national"),
    ("2026-05-01", "Hari Buruh Internasional", "national"),
    ("2026-05-14", "Kenaikan Yesus Kristus", "national"),
    ("2026-06-01", "Hari Lahir Pancasila", "national"),
    ("2026-06-16", "Penampahan Galungan", "balinese"),
    ("2026-06-17", "Hari Raya Galungan", "balinese"),
    ("2026-06-27", "Hari Raya Kuningan", "balinese"),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia", "national"),
    ("2026-12-25", "Hari Raya Natal", "national"),
    ("2027-01-12", "Penampahan Galungan", "balinese"),
    ("2027-01-13", "Hari Raya Galungan", "balinese"),
    ("2027-01-23", "Hari Raya Kuningan", "balinese"),
]

LEAVE_TYPES = [
    # code, name, days a year, counts as, needs balance, half days, carry forward
    ("annual", "Cuti tahunan", 12, "leave", True, True, 6),
    ("sick", "Cuti sakit", 0, "sick", False, False, 0),
    ("important", "Cuti karena alasan penting", 0, "leave", False, False, 0),
    ("maternity", "Cuti melahirkan", 0, "leave", False, False, 0),
    ("big", "Cuti besar", 0, "leave", False, False, 0),
    ("unpaid", "Cuti di luar tanggungan negara", 0, "leave", False, False, 0),
]

# username, name, NIP, position, grade, TPP base
STAFF = [
    ("atasan", "I Made Wirawan", "197805122003121002", "Kepala Bidang Aplikasi", "IV/a", 9_500_000),
    (
        "pegawai",
        "Ni Luh Putu Sari",
        "199002142015032001",
        "Pranata Komputer Ahli Muda",
        "III/c",
        5_200_000,
    ),
    (
        "demo.pegawai1",
        "I Ketut Arsana",
        "198811032012121001",
        "Pranata Komputer Ahli Pertama",
        "III/b",
        4_600_000,
    ),
    (
        "demo.pegawai2",
        "Ni Made Ayu Lestari",
        "199305222019032002",
        "Analis Data",
        "III/a",
        4_300_000,
    ),
    (
        "demo.pegawai3",
        "I Gede Suryawan",
        "198601152010011003",
        "Pengelola Sistem Informasi",
        "III/d",
        5_600_000,
    ),
]


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=WITA)


@transaction.atomic
def seed(stdout=None) -> None:
    schedule, _ = Schedule.objects.get_or_create(name="Standar 37,5 jam (Senin-Jumat)")
    agency = Agency.objects.get(slug="diskominfos")
    office, _ = Office.objects.get_or_create(
        agency=agency, name="Kantor Gubernur Bali", defaults={"schedule": schedule}
    )
    OfficeLocation.all_objects.get_or_create(
        office=office,
        name="Niti Mandala Renon, Jl. Basuki Rahmat",
        defaults={"latitude": RENON[0], "longitude": RENON[1], "radius_m": 100},
    )
    for day, name, kind in HOLIDAYS:
        Holiday.objects.get_or_create(
            date=date.fromisoformat(day), defaults={"name": name, "kind": kind}
        )
    for code, name, days, counts, balance, half, carry in LEAVE_TYPES:
        LeaveType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "days_per_year": days,
                "counts_as": counts,
                "needs_balance": balance,
                "half_days": half,
                "carry_forward_days": carry,
            },
        )
    employees = {}
    boss = None
    for username, name, nip, position, grade, base in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username, name=name, email=f"{username}@demo.onedata.local"
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        employee, _ = Employee.objects.get_or_create(
            user=user,
            defaults={
                "office": office,
                "name": name,
                "nip": nip,
                "position": position,
                "grade": grade,
                "tpp_base": base,
                "supervisor": boss,
            },
        )
        employees[username] = employee
        if boss is None:
            boss = employee
    _schedules_and_shifts(employees)
    _locations_roster_reminders(office, employees)
    if CheckIn.objects.filter(employee__office=office).exists():
        return
    _history(office, employees)
    if stdout is not None:
        stdout.write("attendance: office in Renon, 5 employees, a month of check-ins, leave\n")


RAMADAN = [
    ("Ramadan 1447 H", "2026-02-19", "2026-03-19"),
    ("Ramadan 1448 H", "2027-02-08", "2027-03-09"),
]


def _schedules_and_shifts(employees: dict[str, Employee]) -> None:
    """Ramadan periods, a night shift for the Command Center duty and its roster for the
    coming week, and one leave request the supervisor approved that waits for HR."""
    for name, first, last in RAMADAN:
        RamadanPeriod.objects.get_or_create(
            name=name,
            defaults={"start": date.fromisoformat(first), "end": date.fromisoformat(last)},
        )
    night, _ = Schedule.objects.get_or_create(
        name="Piket malam Command Center (22.00-07.00)",
        defaults={
            "start": time(22, 0),
            "end": time(7, 0),
            "end_friday": time(7, 0),
            "workdays": "0123456",
            "late_grace": 0,
            "early_grace": 0,
            "works_on_holidays": True,
            "ramadan_start": None,
            "ramadan_end": None,
            "ramadan_end_friday": None,
        },
    )
    Schedule.objects.get_or_create(
        name="Piket pagi Command Center (07.00-14.00)",
        defaults={
            "start": time(7, 0),
            "end": time(14, 0),
            "end_friday": time(14, 0),
            "workdays": "0123456",
            "late_grace": 0,
            "early_grace": 0,
            "works_on_holidays": True,
            "ramadan_start": None,
            "ramadan_end": None,
            "ramadan_end_friday": None,
        },
    )
    duty = employees["demo.pegawai3"]
    today = timezone.localdate()
    for offset in range(7):
        day = today + timedelta(days=offset)
        ShiftAssignment.objects.get_or_create(
            employee=duty,
            date=day,
            defaults={"schedule": None if offset in (2, 3) else night},
        )
    annual = LeaveType.objects.get(code="annual")
    asker = employees["demo.pegawai2"]
    if not LeaveRequest.objects.filter(
        employee=asker, status=LeaveRequest.Status.VERIFIED
    ).exists():
        holidays = set(Holiday.objects.values_list("date", flat=True))
        day = today + timedelta(days=14)
        while day.weekday() > 4 or day in holidays:
            day += timedelta(days=1)
        if (
            day.year == today.year
            and not LeaveRequest.objects.filter(
                employee=asker, start__lte=day, end__gte=day
            ).exists()
        ):
            LeaveRequest.objects.create(
                employee=asker,
                leave_type=annual,
                start=day,
                end=day,
                halfdays=2,
                reason="Upacara pernikahan adik di Tabanan",
                status=LeaveRequest.Status.VERIFIED,
                verified_by=employees["atasan"].user,
                verified_at=timezone.now(),
                verified_note="Pekerjaan sudah diserahkan ke rekan.",
            )


SHIFT_CODES = {
    "Piket pagi Command Center (07.00-14.00)": "P",
    "Piket malam Command Center (22.00-07.00)": "M",
}


def _locations_roster_reminders(office: Office, employees: dict[str, Employee]) -> None:
    """A second building of the office, shift codes, a roster imported from a file for the
    duty officers' next week (on the roster import page), and reminder settings."""
    OfficeLocation.all_objects.get_or_create(
        office=office,
        name="Gedung Wiswa Sabha Utama",
        defaults={"latitude": -8.67235, "longitude": 115.23395, "radius_m": 80},
    )
    for name, code in SHIFT_CODES.items():
        if not Schedule.objects.filter(code=code).exists():
            Schedule.objects.filter(name=name, code="").update(code=code)
    if not RosterImport.objects.filter(office=office).exists():
        _roster_from_a_file(office, employees)
    ReminderPreference.objects.get_or_create(
        employee=employees["demo.pegawai2"], defaults={"checkin": True, "checkout": False}
    )
    ReminderPreference.objects.get_or_create(
        employee=employees["demo.pegawai1"], defaults={"checkin": False, "checkout": False}
    )


def _roster_from_a_file(office: Office, employees: dict[str, Employee]) -> None:
    """The same path as an upload on the page: a stored CSV run by the import job."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from onedata.attendance import rosters

    start = timezone.localdate() + timedelta(days=7)
    start -= timedelta(days=start.weekday())  # next week's Monday
    pattern = ["P", "P", "M", "L", "L", "P", "P"]
    lines = ["nip,tanggal,kode_shift"]
    for offset, code in enumerate(pattern):
        day = start + timedelta(days=offset)
        lines.append(f"{employees['demo.pegawai3'].nip},{day.isoformat()},{code}")
        other = {"P": "M", "M": "L", "L": "P"}[code]
        lines.append(f"{employees['demo.pegawai1'].nip},{day.isoformat()},{other}")
    stored = default_storage.save(
        "attendance/rosters/demo-jadwal-dinas.csv", ContentFile(("\n".join(lines) + "\n").encode())
    )
    hr = User.objects.filter(username="admin.sdm").first()
    job = RosterImport.objects.create(
        office=office,
        created_by=hr,
        file_name=stored,
        original_name="jadwal-dinas-command-center.csv",
        mode=RosterImport.Mode.ALL,
    )
    rosters.roster_import_run(job_id=job.pk)


def _history(office: Office, employees: dict[str, Employee]) -> None:
    rng = random.Random(8)
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    location = office.locations.first()
    holidays = set(Holiday.objects.values_list("date", flat=True))
    annual = LeaveType.objects.get(code="annual")
    pegawai = employees["pegawai"]
    leave_day = start + timedelta(days=(7 - start.weekday()) % 7 + 14)  # third Monday
    rows = []
    day = start
    while day < today:
        if day.weekday() < 5 and day not in holidays:
            for username, employee in employees.items():
                if employee is pegawai and day == leave_day:
                    continue
                roll = rng.random()
                if roll < 0.03 and username != "atasan":
                    continue  # absent
                late = rng.random() < 0.15
                check_in = time(
                    7, rng.randint(31, 59) if late else rng.randint(5, 29), rng.randint(0, 59)
                )
                end_hour = 16 if day.weekday() < 4 else 16
                end_minute = 0 if day.weekday() < 4 else 30
                early = rng.random() < 0.08
                if early:
                    check_out = time(15, rng.randint(0, 28), rng.randint(0, 59))
                else:
                    check_out = time(end_hour, end_minute + rng.randint(0, 29), rng.randint(0, 59))
                for kind, at in (("in", check_in), ("out", check_out)):
                    rows.append(
                        CheckIn(
                            employee=employee,
                            kind=kind,
                            recorded_at=_local(day, at),
                            work_date=day,
                            latitude=RENON[0] + rng.uniform(-0.0004, 0.0004),
                            longitude=RENON[1] + rng.uniform(-0.0004, 0.0004),
                            accuracy_m=rng.randint(5, 30),
                            location=location,
                            distance_m=rng.randint(3, 60),
                            inside_geofence=True,
                            face_distance=round(rng.uniform(0.25, 0.45), 4),
                            status=CheckIn.Status.ACCEPTED,
                        )
                    )
        day += timedelta(days=1)
    CheckIn.objects.bulk_create(rows)
    # One rejected attempt (another face), one outside the office waiting for the supervisor.
    last = today - timedelta(days=1)
    while last.weekday() > 4:
        last -= timedelta(days=1)
    CheckIn.objects.create(
        employee=pegawai,
        kind="in",
        recorded_at=_local(last, time(7, 20)),
        work_date=last,
        latitude=RENON[0],
        longitude=RENON[1],
        accuracy_m=10,
        location=location,
        distance_m=8,
        inside_geofence=True,
        face_distance=0.83,
        status=CheckIn.Status.REJECTED,
        reasons=["face_mismatch"],
    )
    CheckIn.objects.create(
        employee=employees["demo.pegawai2"],
        kind="in",
        recorded_at=timezone.now().replace(microsecond=0),
        work_date=today,
        latitude=-8.6580,
        longitude=115.2170,
        accuracy_m=15,
        location=location,
        distance_m=2300,
        inside_geofence=False,
        face_distance=0.31,
        status=CheckIn.Status.PENDING,
        reasons=["outside_geofence_reason_given"],
        note="Rapat koordinasi di Kantor Bappeda",
    )
    # Leave: one approved (balance taken), one waiting for the supervisor (and one waiting
    # for HR, from _schedules_and_shifts).
    year = leave_day.year
    balance, _ = LeaveBalance.objects.get_or_create(
        employee=pegawai, leave_type=annual, year=year, defaults={"allocated": 24, "carried": 4}
    )
    LeaveRequest.objects.create(
        employee=pegawai,
        leave_type=annual,
        start=leave_day,
        end=leave_day,
        halfdays=2,
        reason="Upacara odalan di pura keluarga",
        status=LeaveRequest.Status.APPROVED,
        decided_by=employees["atasan"].user,
        decided_at=timezone.now(),
    )
    LeaveBalance.objects.filter(pk=balance.pk).update(used=balance.used + 2)
    future = today + timedelta(days=10)
    while future.weekday() > 4 or future in holidays:
        future += timedelta(days=1)
    if future.year == year:
        LeaveRequest.objects.create(
            employee=employees["demo.pegawai1"],
            leave_type=annual,
            start=future,
            end=future,
            halfdays=2,
            reason="Mengantar orang tua kontrol ke rumah sakit",
        )
