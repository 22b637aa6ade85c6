"""The clinic queue API, mounted at /api/v1/clinics/.

Citizens need no account: listing, availability, booking, reading and cancelling a
booking (by its code) are public; a browser session must still send its CSRF token on a
write. Running the queue (call next, check in, serve, walk-in numbers) is for the
clinic's staff.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema, Status
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from onedata.clinics import permissions, selectors, services, timetable
from onedata.clinics.models import Booking, Clinic, Closure, Service, Session
from onedata.core.errors import NotAuthorized, ValidationError

router = Router(tags=["clinics"])
MAX_ID = 2_147_483_647


class Public(APIKeyCookie):
    """Anyone; but a request that carries the browser's session cookie must also carry
    the CSRF token on a write (so another site cannot book or cancel in a visitor's name)."""

    param_name = "sessionid"

    def __call__(self, request):
        writes = request.method not in ("GET", "HEAD")
        if writes and request.COOKIES.get(self.param_name) and check_csrf(request) is not None:
            return None
        return request.user if request.user.is_authenticated else "anonymous"

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return "anonymous"


def _public():
    from onedata.api import BearerToken

    return [BearerToken(), Public()]


PUBLIC = _public()


def _actor(request):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


CLINIC_ID = Path(..., ge=1, le=MAX_ID, description="The clinic's number")


# --- schemas -------------------------------------------------------------------------------

StepName = Literal["check_in", "call", "start", "finish", "no_show", "pharmacy", "medicine_ready"]


class ServiceBrief(Schema):
    kind: str
    name: str
    remaining_today: int = Field(description="Online numbers left today")
    waiting_now: int = Field(description="People waiting for this service now")
    wait_minutes: float = Field(description="Estimated wait for someone who arrives now")
    next_free_date: date | None = Field(description="First day with an online number left")


class ClinicOut(Schema):
    id: int
    name: str
    kind: str
    regency: str
    district: str
    address: str
    latitude: float
    longitude: float
    open_now: bool
    distance_km: float | None
    travel_minutes: float | None
    total_minutes: float | None = Field(description="Travel + wait; the list is sorted by it")
    rank: int
    services: list[ServiceBrief]


class SessionOut(Schema):
    id: int
    starts_at: time
    ends_at: time
    quota_online: int
    remaining_online: int
    quota_walkin: int
    remaining_walkin: int
    quota_jkn: int | None
    open: bool = Field(description="Still taking online bookings")


class DayOut(Schema):
    date: date
    closed: bool
    reason: str
    quota: int
    remaining: int
    sessions: list[SessionOut]


class ServiceDays(ServiceBrief):
    days: list[DayOut]


class HoursOut(Schema):
    weekday: int
    opens_at: time
    closes_at: time


class ClinicDetailOut(ClinicOut):
    phone: str
    booking_days_ahead: int
    hours: list[HoursOut]
    services: list[ServiceDays]


class AvailabilityOut(Schema):
    clinic_id: int
    service: str
    date: date
    closed: bool
    reason: str
    remaining: int
    sessions: list[SessionOut]


class CalledOut(Schema):
    ticket: str
    desk: str


class QueueService(Schema):
    service: str
    name: str
    serving: list[CalledOut]
    called: list[CalledOut]
    next: list[str]
    waiting: int
    done: int


class QueueOut(Schema):
    clinic_id: int
    services: list[QueueService]


class BookingIn(Schema):
    clinic_id: int = Field(..., ge=1, le=MAX_ID)
    service: str = Field(..., max_length=30)
    date: date
    session: int | None = Field(None, ge=1, le=MAX_ID)
    nik: str = Field(..., max_length=40)
    name: str = Field(..., max_length=300)
    phone: str = Field(..., max_length=40)
    email: str = Field("", max_length=320)
    bpjs_number: str = Field("", max_length=40)


class BookingCreatedOut(Schema):
    code: str
    queue_number: int
    ticket: str
    estimated_service_at: datetime
    status: str


class EventOut(Schema):
    status: str
    task: int | None
    at: datetime


class BookingOut(Schema):
    code: str
    ticket: str
    queue_number: int
    clinic_id: int
    clinic_name: str
    service: str
    service_name: str
    date: date
    session: str
    channel: str
    status: str
    status_label: str
    estimated_service_at: datetime
    people_ahead: int
    desk: str
    name: str
    nik_masked: str
    events: list[EventOut]


class StepIn(Schema):
    step: StepName
    desk: str = Field("", max_length=20)


class CallNextIn(Schema):
    service: str = Field(..., max_length=30)
    desk: str = Field("1", max_length=20)


class CallNextOut(Schema):
    booking: BookingOut | None


class WalkinIn(Schema):
    service: str = Field(..., max_length=30)
    name: str = Field("", max_length=150)


# --- shaping -------------------------------------------------------------------------------


def _brief(row: selectors.ServiceSummary) -> dict:
    free = row.next_free_day
    return {
        "kind": row.service.kind,
        "name": row.service.get_kind_display(),
        "remaining_today": row.remaining_today,
        "waiting_now": row.waiting_now,
        "wait_minutes": round(row.wait_minutes, 1),
        "next_free_date": free.date if free else None,
    }


def _day(day: selectors.DayQuota) -> dict:
    return {
        "date": day.date,
        "closed": day.closed,
        "reason": day.reason,
        "quota": day.quota,
        "remaining": day.remaining,
        "sessions": day.sessions,
    }


def _clinic(summary: selectors.ClinicSummary, *, detail: bool = False) -> dict:
    clinic = summary.clinic
    region = clinic.agency.region
    regency = region
    while regency.parent_id and regency.level not in ("regency", "province"):
        regency = regency.parent
    data = {
        "id": clinic.pk,
        "name": clinic.name,
        "kind": clinic.kind,
        "regency": regency.name,
        "district": region.name if region.level == "district" else "",
        "address": clinic.address,
        "latitude": float(clinic.latitude),
        "longitude": float(clinic.longitude),
        "open_now": summary.open_now,
        "distance_km": None if summary.distance_km is None else round(summary.distance_km, 2),
        "travel_minutes": None
        if summary.travel_minutes is None
        else round(summary.travel_minutes, 1),
        "total_minutes": None if summary.total_minutes is None else round(summary.total_minutes, 1),
        "rank": summary.rank,
        "services": [_brief(row) for row in summary.services],
    }
    if detail:
        data["phone"] = clinic.phone
        data["booking_days_ahead"] = clinic.booking_days_ahead
        data["hours"] = list(clinic.hours.values("weekday", "opens_at", "closes_at"))
        data["services"] = [
            {**_brief(row), "days": [_day(day) for day in row.days]} for row in summary.services
        ]
    return data


def booking_data(booking: Booking) -> dict:
    return {
        "code": booking.code,
        "ticket": booking.ticket,
        "queue_number": booking.queue_number,
        "clinic_id": booking.clinic_id,
        "clinic_name": booking.clinic.name,
        "service": booking.service.kind,
        "service_name": booking.service.get_kind_display(),
        "date": booking.date,
        "session": booking.session.label,
        "channel": booking.channel,
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "estimated_service_at": services.estimate_for(booking)
        if booking.status in Booking.WAITING
        else booking.estimated_service_at,
        "people_ahead": services.people_ahead(booking) if booking.status in Booking.WAITING else 0,
        "desk": booking.desk,
        "name": booking.name,
        "nik_masked": booking.nik_masked,
        "events": list(booking.events.values("status", "task", "at")),
    }


def _service_kind(value: str) -> str:
    if value and value not in Service.Kind.values:
        raise ValidationError.for_field("service", _("Unknown service."))
    return value


def _staff_clinic(request, clinic_id: int) -> Clinic:
    clinic = get_object_or_404(Clinic.objects.select_related("agency"), pk=clinic_id)
    if not permissions.can_manage_queue(request.user, clinic):
        raise NotAuthorized(_("Only the clinic's staff may run its queue."))
    return clinic


def _staff_service(clinic: Clinic, kind: str) -> Service:
    service = clinic.services.filter(kind=kind, is_active=True).first()
    if service is None:
        raise ValidationError.for_field("service", _("This clinic has no such service."))
    return service


# --- public --------------------------------------------------------------------------------


@router.get("/", response=list[ClinicOut], auth=PUBLIC, summary="Clinics, best first")
def clinics_clinic_list(
    request,
    service: str = "",
    regency: str = Query("", max_length=20, description="Region code, e.g. 51.03"),
    near: str = Query("", max_length=60, description="lat,lon of the citizen"),
):
    """Clinics with remaining quota today and on the next days, people waiting, the
    estimated wait and (with ``near``) distance; ranked by expected total time."""
    try:
        point = selectors.parse_near(near)
    except ValueError:
        raise ValidationError.for_field(
            "near", _("Give the location as latitude,longitude, e.g. -8.65,115.21.")
        ) from None
    kind = _service_kind(service)
    clinics = list(selectors.clinics_queryset(service=kind, region_code=regency.strip())[:200])
    return [_clinic(s) for s in selectors.summarise(clinics, service=kind, near=point)]


@router.post(
    "/bookings",
    response={201: BookingCreatedOut, 200: BookingCreatedOut},
    auth=PUBLIC,
    summary="Book a queue number (201; 200 when the Idempotency-Key was seen)",
)
def clinics_booking_create(
    request,
    payload: BookingIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
):
    """Errors: 409 ``quota_full``, ``duplicate_booking``, ``closed``; 422 for a field."""
    permissions.can_book(request.user)
    clinic = Clinic.objects.select_related("agency").filter(pk=payload.clinic_id).first()
    if clinic is None:
        raise ValidationError.for_field("clinic_id", _("No clinic has this number."))
    booking, created = services.booking_create(
        actor=_actor(request),
        clinic=clinic,
        service=payload.service,
        day=payload.date,
        session_id=payload.session,
        nik=payload.nik,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        bpjs_number=payload.bpjs_number,
        idempotency_key=idempotency_key,
        ip=getattr(request, "client_ip", None),
    )
    body = {
        "code": booking.code,
        "queue_number": booking.queue_number,
        "ticket": booking.ticket,
        "estimated_service_at": booking.estimated_service_at,
        "status": booking.status,
    }
    return Status(201 if created else 200, body)


@router.get("/bookings/{code}", response=BookingOut, auth=PUBLIC, summary="A booking by code")
def clinics_booking_detail(request, code: str):
    booking = services.booking_find(code[:20])
    permissions.can_view_booking(request.user, booking)
    return booking_data(booking)


@router.post(
    "/bookings/{code}/cancel", response=BookingOut, auth=PUBLIC, summary="Cancel a booking"
)
def clinics_booking_cancel(request, code: str):
    booking = services.booking_find(code[:20])
    permissions.can_cancel_booking(request.user, booking)
    booking = services.booking_cancel(actor=_actor(request), booking=booking)
    return booking_data(services.booking_find(booking.code))


# Registered after /bookings…: Django tries URL patterns in order, and "bookings" must
# not be read as a clinic id.


@router.get("/{clinic_id}", response=ClinicDetailOut, auth=PUBLIC, summary="One clinic")
def clinics_clinic_detail(request, clinic_id: int = CLINIC_ID):
    clinic = get_object_or_404(selectors.clinics_queryset(), pk=clinic_id)
    return _clinic(selectors.clinic_summary(clinic), detail=True)


@router.get(
    "/{clinic_id}/availability",
    response=AvailabilityOut,
    auth=PUBLIC,
    summary="Sessions and remaining numbers of a service on a day",
)
def clinics_availability(request, service: str, date: date, clinic_id: int = CLINIC_ID):
    clinic = get_object_or_404(selectors.clinics_queryset(), pk=clinic_id)
    kind = _service_kind(service)
    if not clinic.services.filter(kind=kind, is_active=True).exists():
        raise ValidationError.for_field("service", _("This clinic has no such service."))
    today = services.today_wita()
    offset = (date - today).days
    if offset < 0 or offset > clinic.booking_days_ahead:
        raise ValidationError.for_field(
            "date",
            _("Choose a day from today to %(days)d days ahead.")
            % {"days": clinic.booking_days_ahead},
        )
    summary = selectors.summarise([clinic], service=kind, days=offset + 1)[0]
    day = summary.services[0].days[offset]
    return {"clinic_id": clinic.pk, "service": kind, **_day(day)}


@router.get("/{clinic_id}/queue", response=QueueOut, auth=PUBLIC, summary="The queue now")
def clinics_queue(request, clinic_id: int = CLINIC_ID):
    clinic = get_object_or_404(Clinic, pk=clinic_id)
    rows = selectors.queue_now(clinic)
    return {
        "clinic_id": clinic.pk,
        "services": [
            {
                "service": row.service.kind,
                "name": row.service.get_kind_display(),
                "serving": [{"ticket": b.ticket, "desk": b.desk} for b in row.serving],
                "called": [{"ticket": b.ticket, "desk": b.desk} for b in row.called],
                "next": [b.ticket for b in row.next_numbers],
                "waiting": row.waiting,
                "done": row.done,
            }
            for row in rows
        ],
    }


# --- staff ---------------------------------------------------------------------------------


@router.post(
    "/bookings/{code}/steps",
    response=BookingOut,
    summary="Staff: check in, call (again), start, finish, no-show",
)
def clinics_booking_step(request, code: str, payload: StepIn):
    booking = services.booking_find(code[:20])
    _staff_clinic(request, booking.clinic_id)
    services.booking_step(actor=request.user, booking=booking, step=payload.step, desk=payload.desk)
    return booking_data(services.booking_find(booking.code))


@router.post("/{clinic_id}/call-next", response=CallNextOut, summary="Staff: call the next number")
def clinics_queue_call_next(request, payload: CallNextIn, clinic_id: int = CLINIC_ID):
    clinic = _staff_clinic(request, clinic_id)
    service = _staff_service(clinic, payload.service)
    booking = services.queue_call_next(actor=request.user, service=service, desk=payload.desk)
    return {"booking": booking_data(booking) if booking else None}


@router.post("/{clinic_id}/walkins", response={201: BookingOut}, summary="Staff: a walk-in number")
def clinics_walkin_create(request, payload: WalkinIn, clinic_id: int = CLINIC_ID):
    clinic = _staff_clinic(request, clinic_id)
    service = _staff_service(clinic, payload.service)
    booking = services.walkin_issue(actor=request.user, service=service, name=payload.name)
    return Status(201, booking_data(services.booking_find(booking.code)))


# --- staff: the timetable ------------------------------------------------------------------


class TimetableSessionOut(Schema):
    id: int
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    starts_at: time
    ends_at: time
    quota_online: int
    quota_walkin: int
    quota_jkn: int | None


class TimetableServiceOut(Schema):
    kind: str
    name: str
    sessions: list[TimetableSessionOut]


class ClosureOut(Schema):
    id: int
    date: date
    service: str | None = Field(description="Empty: the whole clinic")
    reason: str


class TimetableOut(Schema):
    clinic_id: int
    booking_days_ahead: int
    booking_cutoff_minutes: int
    is_active: bool
    hours: list[HoursOut]
    services: list[TimetableServiceOut]
    closures: list[ClosureOut] = Field(description="Today and later")


class SettingsIn(Schema):
    booking_days_ahead: int = Field(..., ge=0, le=90)
    booking_cutoff_minutes: int = Field(..., ge=0, le=600)
    is_active: bool


class HoursIn(Schema):
    weekday: int = Field(..., ge=0, le=6)
    opens_at: time
    closes_at: time


class HoursWeekIn(Schema):
    hours: list[HoursIn] = Field(..., max_length=7, description="Days not listed are closed")


class SessionFieldsIn(Schema):
    starts_at: time
    ends_at: time
    quota_online: int = Field(..., ge=0, le=2000)
    quota_walkin: int = Field(..., ge=0, le=2000)
    quota_jkn: int | None = Field(None, ge=0, le=2000)


class SessionCreateIn(SessionFieldsIn):
    service: str = Field(..., max_length=30)
    weekdays: list[int] = Field(..., min_length=1, max_length=7)


class ClosureIn(Schema):
    date: date
    reason: str = Field(..., max_length=200)
    service: str = Field("", max_length=30, description="Empty: the whole clinic")


class ClosureCreatedOut(ClosureOut):
    bookings_that_day: int = Field(description="Active bookings on that day; they stay")


def _editable_clinic(request, clinic_id: int) -> Clinic:
    clinic = get_object_or_404(Clinic.objects.select_related("agency"), pk=clinic_id)
    if not permissions.can_edit_timetable(request.user, clinic):
        raise NotAuthorized(_("Only the clinic's staff may change its timetable."))
    return clinic


def _session_input(payload: SessionFieldsIn) -> timetable.SessionInput:
    return timetable.SessionInput(
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        quota_online=payload.quota_online,
        quota_walkin=payload.quota_walkin,
        quota_jkn=payload.quota_jkn,
    )


def _timetable(clinic: Clinic) -> dict:
    data = selectors.timetable(clinic)
    return {
        "clinic_id": clinic.pk,
        "booking_days_ahead": clinic.booking_days_ahead,
        "booking_cutoff_minutes": clinic.booking_cutoff_minutes,
        "is_active": clinic.is_active,
        "hours": [
            {"weekday": h.weekday, "opens_at": h.opens_at, "closes_at": h.closes_at}
            for h in data.hours
        ],
        "services": [
            {
                "kind": service.kind,
                "name": service.get_kind_display(),
                "sessions": [
                    {name: getattr(s, name) for name in ("id", *timetable.SESSION_FIELDS)}
                    for s in sessions
                ],
            }
            for service, sessions in data.services
        ],
        "closures": [_closure(c) for c in data.closures],
    }


def _closure(closure) -> dict:
    return {
        "id": closure.pk,
        "date": closure.date,
        "service": closure.service.kind if closure.service_id else None,
        "reason": closure.reason,
    }


@router.get("/{clinic_id}/timetable", response=TimetableOut, summary="Staff: the timetable")
def clinics_timetable(request, clinic_id: int = CLINIC_ID):
    return _timetable(_editable_clinic(request, clinic_id))


@router.put(
    "/{clinic_id}/settings", response=TimetableOut, summary="Staff: booking window and cut-off"
)
def clinics_clinic_update(request, payload: SettingsIn, clinic_id: int = CLINIC_ID):
    clinic = _editable_clinic(request, clinic_id)
    clinic = timetable.clinic_update(actor=request.user, clinic=clinic, **payload.dict())
    return _timetable(clinic)


@router.put("/{clinic_id}/hours", response=TimetableOut, summary="Staff: the week's opening hours")
def clinics_hours_set(request, payload: HoursWeekIn, clinic_id: int = CLINIC_ID):
    clinic = _editable_clinic(request, clinic_id)
    days = [h.weekday for h in payload.hours]
    if len(set(days)) != len(days):
        raise ValidationError.for_field("hours", _("Give each weekday once."))
    hours = {h.weekday: (h.opens_at, h.closes_at) for h in payload.hours}
    timetable.clinic_hours_set(actor=request.user, clinic=clinic, hours=hours)
    return _timetable(clinic)


@router.post(
    "/{clinic_id}/sessions",
    response={201: list[TimetableSessionOut]},
    summary="Staff: add a session on some weekdays",
)
def clinics_session_create(request, payload: SessionCreateIn, clinic_id: int = CLINIC_ID):
    clinic = _editable_clinic(request, clinic_id)
    service = _staff_service(clinic, payload.service)
    created = timetable.session_create(
        actor=request.user, service=service, weekdays=payload.weekdays, data=_session_input(payload)
    )
    return Status(
        201,
        [{name: getattr(s, name) for name in ("id", *timetable.SESSION_FIELDS)} for s in created],
    )


def _session_of(clinic: Clinic, session_id: int) -> Session:
    return get_object_or_404(Session, pk=session_id, service__clinic=clinic)


@router.put(
    "/{clinic_id}/sessions/{session_id}",
    response=TimetableSessionOut,
    summary="Staff: change a session's times or quotas",
)
def clinics_session_update(
    request,
    payload: SessionFieldsIn,
    clinic_id: int = CLINIC_ID,
    session_id: int = Path(..., ge=1, le=MAX_ID),
):
    clinic = _editable_clinic(request, clinic_id)
    session = timetable.session_update(
        actor=request.user, session=_session_of(clinic, session_id), data=_session_input(payload)
    )
    return {name: getattr(session, name) for name in ("id", *timetable.SESSION_FIELDS)}


@router.delete(
    "/{clinic_id}/sessions/{session_id}",
    response={204: None},
    summary="Staff: remove a session nobody has booked",
)
def clinics_session_delete(
    request, clinic_id: int = CLINIC_ID, session_id: int = Path(..., ge=1, le=MAX_ID)
):
    clinic = _editable_clinic(request, clinic_id)
    timetable.session_delete(actor=request.user, session=_session_of(clinic, session_id))
    return Status(204, None)


@router.post(
    "/{clinic_id}/closures",
    response={201: ClosureCreatedOut},
    summary="Staff: close the clinic or a service on a day",
)
def clinics_closure_create(request, payload: ClosureIn, clinic_id: int = CLINIC_ID):
    clinic = _editable_clinic(request, clinic_id)
    service = _staff_service(clinic, payload.service) if payload.service else None
    closure, touched = timetable.closure_create(
        actor=request.user,
        clinic=clinic,
        service=service,
        day=payload.date,
        reason=payload.reason,
        today=services.today_wita(),
    )
    return Status(201, {**_closure(closure), "bookings_that_day": touched})


@router.delete(
    "/{clinic_id}/closures/{closure_id}", response={204: None}, summary="Staff: reopen a day"
)
def clinics_closure_delete(
    request, clinic_id: int = CLINIC_ID, closure_id: int = Path(..., ge=1, le=MAX_ID)
):
    clinic = _editable_clinic(request, clinic_id)
    closure = get_object_or_404(Closure, pk=closure_id, clinic=clinic)
    timetable.closure_delete(actor=request.user, closure=closure)
    return Status(204, None)
