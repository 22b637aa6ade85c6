"""What the attendance module expects for every role (see tests/access/matrix.py).

The world's target user is an employee of an office of the ``own`` agency; the supervisor
held at ``own`` is that employee's supervisor (and has an employee record of their own).
HR admins reach the offices of agencies in their region scope; a supervisor reaches only
their own team, not everyone in their agency.
"""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from onedata.attendance import crypto
from onedata.attendance.models import (
    CheckIn,
    Employee,
    FaceTemplate,
    ImportJob,
    LeaveRequest,
    LeaveType,
    Office,
    OfficeLocation,
    RosterImport,
)
from onedata.core.roles import Role
from tests.access.matrix import Case, in_scope, logged_in, nobody, public

hr = in_scope(Role.HR_ADMIN)


def team(actor) -> bool:
    """HR in scope, the target's own supervisor, or a platform admin."""
    return hr(actor) or (actor.role == Role.SUPERVISOR and actor.place == "own")


def has_employee_record(actor) -> bool:
    return actor.role == Role.SUPERVISOR and actor.place == "own"


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 180, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("face.jpg", buffer.getvalue(), content_type="image/jpeg")


def extend_world(world):
    from tests.access.matrix import Actor

    office = Office.objects.create(agency=world.agencies["own"], name="Kantor Matrix")
    location = OfficeLocation.objects.create(
        office=office, name="Gedung", latitude=-8.6726, longitude=115.2330
    )
    boss_user = world.users[Actor(Role.SUPERVISOR, "own")]
    boss = Employee.objects.create(
        user=boss_user, office=office, name="Atasan", employment_type="contract"
    )
    target = Employee.objects.create(
        user=world.target_user,
        office=office,
        name="Target",
        employment_type="contract",
        supervisor=boss,
        tpp_base=5_000_000,
    )
    annual, _ = LeaveType.objects.get_or_create(
        code="annual", defaults={"name": "Cuti tahunan", "days_per_year": 12, "half_days": True}
    )
    start = date(timezone.localdate().year, 12, 1)
    while start.weekday() > 4:
        start += timedelta(days=1)
    leave = LeaveRequest.objects.create(
        employee=target, leave_type=annual, start=start, end=start, halfdays=2, reason="Upacara"
    )
    checkin = CheckIn.objects.create(
        employee=target,
        kind="in",
        recorded_at=timezone.now(),
        work_date=timezone.localdate(),
        latitude=-8.7,
        longitude=115.2,
        status=CheckIn.Status.PENDING,
        reasons=["outside_geofence_reason_given"],
        note="Rapat di luar",
    )
    template = FaceTemplate.objects.create(
        employee=target,
        status=FaceTemplate.Status.PENDING,
        descriptor=crypto.encrypt(b"\0" * 1024, context=f"descriptor:{target.pk}".encode()),
    )
    job = ImportJob.objects.create(office=office, original_name="pegawai.csv")
    roster_job = RosterImport.objects.create(office=office, original_name="jadwal.csv")
    world.extra.update(
        att_location=location,
        att_roster_job=roster_job,
        att_job=job,
        att_office=office,
        att_target=target,
        att_leave=leave,
        att_checkin=checkin,
        att_template=template,
    )


def _e(w):
    return w.extra["att_target"].pk


API = "/api/v1/attendance"

CASES = {
    "attendance:home": [Case("GET", lambda w: "/presensi/", public)],
    "api:attendance_enrolment_create": [
        Case(
            "POST",
            lambda w: f"{API}/enrolments",
            hr,
            data=lambda w: {"employee": _e(w), "photo": _photo()},
        )
    ],
    "api:attendance_enrolment_approve": [
        Case("POST", lambda w: f"{API}/enrolments/{w.extra['att_template'].pk}/approve", hr)
    ],
    "api:attendance_checkin_create": [
        Case(
            "POST",
            lambda w: f"{API}/checkins",
            has_employee_record,
            data=lambda w: {"kind": "in", "lat": -8.6726, "lon": 115.233, "photo": _photo()},
        )
    ],
    "api:attendance_checkin_list": [
        Case("GET", lambda w: f"{API}/checkins?employee={_e(w)}", team)
    ],
    "api:attendance_checkin_review": [
        Case(
            "POST",
            lambda w: f"{API}/checkins/{w.extra['att_checkin'].pk}/review",
            team,
            json=True,
            data=lambda w: {"approve": True},
        )
    ],
    "api:attendance_day_list": [Case("GET", lambda w: f"{API}/days?employee={_e(w)}", team)],
    "api:attendance_leave_list": [
        Case("GET", lambda w: f"{API}/leave-requests?employee={_e(w)}", team)
    ],
    "api:attendance_leave_create": [
        Case(
            "POST",
            lambda w: f"{API}/leave-requests",
            has_employee_record,
            json=True,
            data=lambda w: {
                "leave_type": "annual",
                "start": "2026-12-28",
                "end": "2026-12-28",
                "reason": "Odalan",
            },
        )
    ],
    "api:attendance_leave_decide": [
        Case(
            "POST",
            lambda w: f"{API}/leave-requests/{w.extra['att_leave'].pk}/decision",
            team,
            json=True,
            data=lambda w: {"approve": True},
        )
    ],
    "api:attendance_allowance_list": [
        Case("GET", lambda w: f"{API}/allowances?office={w.extra['att_office'].pk}", hr)
    ],
}


def hr_anywhere(actor) -> bool:
    return actor.role in (Role.HR_ADMIN, Role.PLATFORM_ADMIN)


def team_page(actor) -> bool:
    return hr_anywhere(actor) or has_employee_record(actor)


P = "/presensi"

CASES.update(
    {
        "attendance:month": [Case("GET", lambda w: f"{P}/bulan/?employee={_e(w)}", team)],
        "attendance:allowance": [Case("GET", lambda w: f"{P}/tpp/?employee={_e(w)}", team)],
        "attendance:leave": [Case("GET", lambda w: f"{P}/cuti/", has_employee_record)],
        "attendance:face": [Case("GET", lambda w: f"{P}/wajah/", has_employee_record)],
        "attendance:leave_cancel": [
            Case("POST", lambda w: f"{P}/cuti/{w.extra['att_leave'].pk}/batal/", nobody)
        ],
        "attendance:leave_decide": [
            Case(
                "POST",
                lambda w: f"{P}/cuti/{w.extra['att_leave'].pk}/keputusan/",
                team,
                data=lambda w: {"decision": "approve"},
            )
        ],
        "attendance:team": [Case("GET", lambda w: f"{P}/tim/", team_page)],
        "attendance:checkin_review": [
            Case(
                "POST",
                lambda w: f"{P}/absen/{w.extra['att_checkin'].pk}/tinjau/",
                team,
                data=lambda w: {"decision": "approve"},
            )
        ],
        "attendance:day_correct": [
            Case(
                "POST",
                lambda w: f"{P}/koreksi/",
                team,
                data=lambda w: {
                    "employee": _e(w),
                    "date": "2026-11-02",
                    "kind": "wfh",
                    "reason": "Listrik padam",
                },
            )
        ],
        "attendance:hr": [Case("GET", lambda w: f"{P}/sdm/", hr_anywhere)],
        "attendance:hr_office": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{w.extra['att_office'].pk}/", hr)
        ],
        "attendance:hr_report": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{w.extra['att_office'].pk}/laporan/", hr)
        ],
        "attendance:hr_finalise": [
            Case(
                "POST",
                lambda w: f"{P}/sdm/kantor/{w.extra['att_office'].pk}/finalisasi/?month=2026-01",
                hr,
            )
        ],
        "attendance:hr_import": [
            Case(
                "GET",
                lambda w: (
                    f"{P}/sdm/kantor/{w.extra['att_office'].pk}/impor/{w.extra['att_job'].pk}/"
                ),
                hr,
            )
        ],
        "attendance:hr_schedules": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{w.extra['att_office'].pk}/jadwal/", hr)
        ],
        "attendance:hr_calendar": [Case("GET", lambda w: f"{P}/sdm/kalender/", hr_anywhere)],
        "attendance:office_board": [
            Case("GET", lambda w: f"{P}/kantor/{w.extra['att_office'].pk}/papan/", team)
        ],
        "attendance:hr_adjust": [
            Case(
                "POST",
                lambda w: f"{P}/sdm/kantor/{w.extra['att_office'].pk}/penyesuaian/?month=2026-01",
                hr,
                data=lambda w: {"employee": _e(w), "amount": "50000", "reason": "Koreksi"},
            )
        ],
        "attendance:hr_enrol": [Case("GET", lambda w: f"{P}/sdm/pegawai/{_e(w)}/wajah/", hr)],
        "attendance:hr_face_approve": [
            Case(
                "POST",
                lambda w: f"{P}/sdm/wajah/{w.extra['att_template'].pk}/",
                hr,
                data=lambda w: {"decision": "approve"},
            )
        ],
    }
)


# --- offices, rosters, my schedule, reminders --------------------------------------------


def _o(w):
    return w.extra["att_office"].pk


def _loc(w):
    return w.extra["att_location"].pk


def _roster_csv():
    return SimpleUploadedFile(
        "jadwal.csv",
        b"nip,tanggal,kode_shift\n199002142015032001,2026-03-02,P\n",
        content_type="text/csv",
    )


def _no_office_for_outsiders(world, actor, response):
    names = [office["name"] for office in response.json()]
    if not hr(actor) and "Kantor Matrix" in names:
        return "an office outside the actor's HR scope is listed"
    return None


CASES.update(
    {
        "attendance:office_create": [Case("GET", lambda w: f"{P}/sdm/kantor/baru/", hr_anywhere)],
        "attendance:office_edit": [Case("GET", lambda w: f"{P}/sdm/kantor/{_o(w)}/ubah/", hr)],
        "attendance:location_edit": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{_o(w)}/lokasi/{_loc(w)}/", hr)
        ],
        "attendance:location_active": [
            Case(
                "POST",
                lambda w: f"{P}/sdm/kantor/{_o(w)}/lokasi/{_loc(w)}/aktif/",
                hr,
                data=lambda w: {"active": "1"},
            )
        ],
        "attendance:roster_import": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{_o(w)}/jadwal-dinas/", hr)
        ],
        "attendance:roster_job": [
            Case(
                "GET",
                lambda w: f"{P}/sdm/kantor/{_o(w)}/jadwal-dinas/{w.extra['att_roster_job'].pk}/",
                hr,
            )
        ],
        "attendance:roster_template": [
            Case("GET", lambda w: f"{P}/sdm/kantor/{_o(w)}/jadwal-dinas/templat/?layout=grid", hr)
        ],
        "attendance:my_schedule": [Case("GET", lambda w: f"{P}/jadwal/?employee={_e(w)}", team)],
        "attendance:reminders": [
            Case("POST", lambda w: f"{P}/pengingat/", has_employee_record, data=lambda w: {})
        ],
        "api:attendance_office_list": [
            Case("GET", lambda w: f"{API}/offices", logged_in, leak_check=_no_office_for_outsiders)
        ],
        "api:attendance_office_create": [
            Case(
                "POST",
                lambda w: f"{API}/offices",
                hr,
                json=True,
                data=lambda w: {"agency": "pemkab-badung", "name": "Kantor Baru Matrix"},
            )
        ],
        "api:attendance_office_detail": [Case("GET", lambda w: f"{API}/offices/{_o(w)}", hr)],
        "api:attendance_office_update": [
            Case(
                "PATCH",
                lambda w: f"{API}/offices/{_o(w)}",
                hr,
                json=True,
                data=lambda w: {"name": "Kantor Matrix"},
            )
        ],
        "api:attendance_location_create": [
            Case(
                "POST",
                lambda w: f"{API}/offices/{_o(w)}/locations",
                hr,
                json=True,
                data=lambda w: {"name": "Gedung B", "latitude": -8.67, "longitude": 115.23},
            )
        ],
        "api:attendance_location_update": [
            Case(
                "PATCH",
                lambda w: f"{API}/offices/{_o(w)}/locations/{_loc(w)}",
                hr,
                json=True,
                data=lambda w: {"radius_m": 120},
            )
        ],
        "api:attendance_roster_import_create": [
            Case(
                "POST",
                lambda w: f"{API}/offices/{_o(w)}/roster-imports",
                hr,
                data=lambda w: {"file": _roster_csv(), "mode": "all"},
            )
        ],
        "api:attendance_roster_import_detail": [
            Case(
                "GET",
                lambda w: f"{API}/offices/{_o(w)}/roster-imports/{w.extra['att_roster_job'].pk}",
                hr,
            )
        ],
        "api:attendance_schedule": [
            Case("GET", lambda w: f"{API}/schedule?employee={_e(w)}", team)
        ],
        "api:attendance_reminder_get": [
            Case("GET", lambda w: f"{API}/reminders", has_employee_record)
        ],
        "api:attendance_reminder_set": [
            Case(
                "PUT",
                lambda w: f"{API}/reminders",
                has_employee_record,
                json=True,
                data=lambda w: {"checkin": True, "checkout": False},
            )
        ],
    }
)
