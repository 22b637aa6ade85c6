"""What the clinic queue module expects for every role (see tests/access/matrix.py).

Booking and reading a booking by its code are public; running a clinic's queue is for
clinic staff of that clinic's own agency (and platform admins); statistics are for
health analysts (scoped to their region) and platform admins.
"""

from datetime import time, timedelta

from onedata.clinics import services
from onedata.clinics.models import Clinic, Service, Session
from onedata.core.roles import Role
from tests.access.matrix import Case, public

NIK = "5103010101900001"


def extend_world(world):
    clinic = services.clinic_create(
        actor="test",
        agency=world.agencies["own"],
        kind=Clinic.Kind.PUSKESMAS,
        latitude=-8.72,
        longitude=115.17,
    )
    service = Service.objects.create(clinic=clinic, kind=Service.Kind.GENERAL, prefix="A")
    for weekday in range(7):
        Session.objects.create(
            service=service,
            weekday=weekday,
            starts_at=time(0, 0),
            ends_at=time(23, 59),
            quota_online=50,
            quota_walkin=50,
        )
    tomorrow = services.today_wita() + timedelta(days=1)
    booking, _ = services.booking_create(
        actor=None,
        clinic=clinic,
        service="general",
        day=tomorrow,
        nik="5103010101900099",
        name="Warga Matrix",
        phone="081234567890",
    )
    world.extra["clinic"] = clinic
    world.extra["booking"] = booking
    world.extra["tomorrow"] = tomorrow


def clinic_staff(actor) -> bool:
    """Clinic staff of the clinic's own agency, or a platform admin."""
    return actor.role == Role.PLATFORM_ADMIN or (
        actor.role == Role.CLINIC_STAFF and actor.place == "own"
    )


def timetable_editor(actor) -> bool:
    """Clinic staff or the agency admin of the clinic's own agency, or a platform admin."""
    return actor.role == Role.PLATFORM_ADMIN or (
        actor.role in (Role.CLINIC_STAFF, Role.AGENCY_ADMIN) and actor.place == "own"
    )


def _session_pk(w):
    return w.extra["clinic"].services.get().sessions.order_by("pk").last().pk


def _spare_session(w):
    """A session nobody booked (created fresh for each call, so a delete always finds one)."""
    service = w.extra["clinic"].services.get()
    spare = service.sessions.filter(starts_at=time(23, 59)).first() or Session.objects.create(
        service=service,
        weekday=0,
        starts_at=time(23, 59),
        ends_at=time(23, 59, 30),
        quota_online=0,
        quota_walkin=0,
    )
    return spare.pk


def _closure_pk(w):
    from onedata.clinics.models import Closure

    closure, _ = Closure.objects.get_or_create(
        clinic=w.extra["clinic"], date=w.extra["tomorrow"] + timedelta(days=30), reason="Matrix"
    )
    return closure.pk


def _session_body(w):
    return {"starts_at": "00:00", "ends_at": "23:59", "quota_online": 50, "quota_walkin": 50}


def analyst(actor) -> bool:
    return actor.role in (Role.PLATFORM_ADMIN, Role.HEALTH_ANALYST)


def _clinic(w):
    return w.extra["clinic"].pk


def _code(w):
    return w.extra["booking"].code


def _booking_body(w):
    return {
        "clinic_id": _clinic(w),
        "service": "general",
        "date": w.extra["tomorrow"].isoformat(),
        "nik": NIK,
        "name": "Ketut",
        "phone": "081234567891",
    }


def _service_pk(w):
    return w.extra["clinic"].services.get().pk


def _form_body(w):
    body = _booking_body(w)
    body.pop("clinic_id")
    return {**body, "session": "", "email": "", "bpjs_number": "", "idempotency_key": ""}


CASES = {
    "clinics:home": [Case("GET", lambda w: "/antrean/", public)],
    "clinics:find_booking": [
        Case("GET", lambda w: f"/antrean/cari-tiket/?code={_code(w)}", public)
    ],
    "clinics:clinic": [
        Case("GET", lambda w: f"/antrean/klinik/{_clinic(w)}/", public),
        Case("POST", lambda w: f"/antrean/klinik/{_clinic(w)}/", public, data=_form_body),
    ],
    "clinics:ticket": [Case("GET", lambda w: f"/antrean/tiket/{_code(w)}/", public)],
    "clinics:ticket_status": [Case("GET", lambda w: f"/antrean/tiket/{_code(w)}/status/", public)],
    "clinics:ticket_cancel": [Case("POST", lambda w: f"/antrean/tiket/{_code(w)}/batal/", public)],
    "clinics:ticket_ics": [
        Case("GET", lambda w: f"/antrean/tiket/{_code(w)}/kalender.ics", public)
    ],
    "clinics:console_index": [Case("GET", lambda w: "/antrean/petugas/", clinic_staff)],
    "clinics:console": [Case("GET", lambda w: f"/antrean/petugas/{_clinic(w)}/", clinic_staff)],
    "clinics:console_action": [
        Case(
            "POST",
            lambda w: f"/antrean/petugas/{_clinic(w)}/aksi/",
            clinic_staff,
            data=lambda w: {"action": "call_next", "service": _service_pk(w), "desk": "2"},
        )
    ],
    "clinics:timetable": [
        Case("GET", lambda w: f"/antrean/petugas/{_clinic(w)}/jadwal/", timetable_editor),
        Case(
            "POST",
            lambda w: f"/antrean/petugas/{_clinic(w)}/jadwal/",
            timetable_editor,
            data=lambda w: {
                "form": "settings",
                "booking_days_ahead": "7",
                "booking_cutoff_minutes": "30",
                "is_active": "on",
            },
        ),
    ],
    "api:clinics_timetable": [
        Case("GET", lambda w: f"/api/v1/clinics/{_clinic(w)}/timetable", timetable_editor)
    ],
    "api:clinics_clinic_update": [
        Case(
            "PUT",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/settings",
            timetable_editor,
            json=True,
            data=lambda w: {
                "booking_days_ahead": 7,
                "booking_cutoff_minutes": 30,
                "is_active": True,
            },
        )
    ],
    "api:clinics_hours_set": [
        Case(
            "PUT",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/hours",
            timetable_editor,
            json=True,
            data=lambda w: {"hours": [{"weekday": 0, "opens_at": "07:30", "closes_at": "14:00"}]},
        )
    ],
    "api:clinics_session_create": [
        Case(
            "POST",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/sessions",
            timetable_editor,
            json=True,
            data=lambda w: {
                "service": "general",
                "weekdays": [0],
                "starts_at": "00:00",
                "ends_at": "00:01",
                "quota_online": 0,
                "quota_walkin": 0,
            },
        )
    ],
    "api:clinics_session_update": [
        Case(
            "PUT",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/sessions/{_session_pk(w)}",
            timetable_editor,
            json=True,
            data=_session_body,
        )
    ],
    "api:clinics_session_delete": [
        Case(
            "DELETE",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/sessions/{_spare_session(w)}",
            timetable_editor,
            json=True,
        )
    ],
    "api:clinics_closure_create": [
        Case(
            "POST",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/closures",
            timetable_editor,
            json=True,
            data=lambda w: {
                "date": (w.extra["tomorrow"] + timedelta(days=40)).isoformat(),
                "reason": "Matrix",
            },
        )
    ],
    "api:clinics_closure_delete": [
        Case(
            "DELETE",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/closures/{_closure_pk(w)}",
            timetable_editor,
            json=True,
        )
    ],
    "clinics:board": [Case("GET", lambda w: f"/antrean/layar/{_clinic(w)}/", public)],
    "clinics:board_panel": [Case("GET", lambda w: f"/antrean/layar/{_clinic(w)}/isi/", public)],
    "clinics:statistics": [Case("GET", lambda w: "/antrean/statistik/", analyst)],
    "api:clinics_clinic_list": [Case("GET", lambda w: "/api/v1/clinics/", public)],
    "api:clinics_clinic_detail": [Case("GET", lambda w: f"/api/v1/clinics/{_clinic(w)}", public)],
    "api:clinics_availability": [
        Case(
            "GET",
            lambda w: (
                f"/api/v1/clinics/{_clinic(w)}/availability"
                f"?service=general&date={w.extra['tomorrow'].isoformat()}"
            ),
            public,
        )
    ],
    "api:clinics_queue": [Case("GET", lambda w: f"/api/v1/clinics/{_clinic(w)}/queue", public)],
    "api:clinics_booking_create": [
        Case("POST", lambda w: "/api/v1/clinics/bookings", public, json=True, data=_booking_body)
    ],
    "api:clinics_booking_detail": [
        Case("GET", lambda w: f"/api/v1/clinics/bookings/{_code(w)}", public)
    ],
    "api:clinics_booking_cancel": [
        Case("POST", lambda w: f"/api/v1/clinics/bookings/{_code(w)}/cancel", public, json=True)
    ],
    "api:clinics_booking_step": [
        Case(
            "POST",
            lambda w: f"/api/v1/clinics/bookings/{_code(w)}/steps",
            clinic_staff,
            json=True,
            data=lambda w: {"step": "check_in"},
        )
    ],
    "api:clinics_queue_call_next": [
        Case(
            "POST",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/call-next",
            clinic_staff,
            json=True,
            data=lambda w: {"service": "general", "desk": "1"},
        )
    ],
    "api:clinics_walkin_create": [
        Case(
            "POST",
            lambda w: f"/api/v1/clinics/{_clinic(w)}/walkins",
            clinic_staff,
            json=True,
            data=lambda w: {"service": "general"},
        )
    ],
}
