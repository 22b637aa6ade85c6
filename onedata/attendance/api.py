"""The attendance API, mounted at /api/v1/attendance/.

Check-ins and enrolments are multipart (a photo plus form fields); everything else JSON.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from onedata.attendance import offices as office_services
from onedata.attendance import permissions, selectors, services, timetable, tpp
from onedata.attendance import reminders as reminder_services
from onedata.attendance import rosters as roster_services
from onedata.attendance.leave import as_days
from onedata.attendance.models import (
    CheckIn,
    Employee,
    FaceTemplate,
    LeaveRequest,
    LeaveType,
    Office,
    OfficeLocation,
    RosterImport,
    Schedule,
)
from onedata.core import scope
from onedata.core.errors import NotFound, ValidationError
from onedata.core.models import Agency
from onedata.core.roles import Role

router = Router(tags=["attendance"])


def _employee_param(request, employee_id: int | None) -> Employee:
    if employee_id is None:
        return services.require_employee(request.user)
    employee = (
        Employee.objects.select_related("office__agency__region", "supervisor", "office")
        .filter(pk=employee_id)
        .first()
    )
    if employee is None or not permissions.can_view_employee(request.user, employee):
        raise NotFound(_("No such employee (or not visible to you)."))
    return employee


# --- enrolment ---------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    employee: int
    status: Literal["pending", "approved"]
    face_width: int


def _enrolment_out(template: FaceTemplate) -> dict:
    return {
        "id": template.pk,
        "employee": template.employee_id,
        "status": template.status,
        "face_width": template.face_width,
    }


@router.post(
    "/enrolments",
    response={201: EnrolmentOut},
    summary="Enrol a reference face photo (1-3 per employee)",
)
def attendance_enrolment_create(
    request,
    photo: File[UploadedFile],
    employee: Form[int | None] = None,
):
    """HR enrols any employee of their offices (approved at once); an employee may send a
    photo of themselves, which waits for HR's approval."""
    target = _employee_param(request, employee)
    template = services.enrolment_create(actor=request.user, employee=target, photo=photo)
    return Status(201, _enrolment_out(template))


@router.post(
    "/enrolments/{template_id}/approve",
    response={200: EnrolmentOut},
    summary="Approve a face photo sent by an employee (HR)",
)
def attendance_enrolment_approve(request, template_id: int):
    template = get_object_or_404(
        FaceTemplate.objects.select_related("employee__office__agency__region"), pk=template_id
    )
    if not permissions.can_approve_face(request.user, template):
        raise NotFound(_("No such photo (or not visible to you)."))
    return Status(
        200, _enrolment_out(services.enrolment_approve(actor=request.user, template=template))
    )


# --- check-in ----------------------------------------------------------------------------


class CheckInOut(Schema):
    id: int
    kind: Literal["in", "out"]
    status: Literal["accepted", "rejected", "pending"]
    reasons: list[str]
    messages: list[str]
    face_distance: float | None
    inside_geofence: bool
    office_location: str | None
    distance_m: float | None
    recorded_at: datetime


def _checkin_out(checkin: CheckIn) -> dict:
    return {
        "id": checkin.pk,
        "kind": checkin.kind,
        "status": checkin.status,
        "reasons": checkin.reasons,
        "messages": [services.reason_text(code) for code in checkin.reasons],
        "face_distance": checkin.face_distance,
        "inside_geofence": checkin.inside_geofence,
        "office_location": checkin.location.name if checkin.location else None,
        "distance_m": checkin.distance_m,
        "recorded_at": checkin.recorded_at,
    }


@router.post(
    "/checkins",
    response={201: CheckInOut},
    summary="Check in or out with a selfie and the phone's location",
)
def attendance_checkin_create(
    request,
    photo: File[UploadedFile],
    kind: Form[Literal["in", "out"]],
    lat: Form[float],
    lon: Form[float],
    accuracy_m: Form[float | None] = None,
    note: Form[str] = "",
    frames: File[list[UploadedFile]] = None,
):
    """The time that counts is when the server received the photo. Rejected attempts are
    kept and listed; a check-in outside the office radius with a ``note`` waits for the
    supervisor (``pending``).

    Where the office requires liveness, send ``frames`` too: 3-12 images (repeat the
    field) filmed over 2-3 seconds while the employee blinks. A burst without a blink
    (a printed photo) is ``rejected`` with a ``liveness_*`` reason, e.g.
    ``liveness_no_blink``."""
    received_at = timezone.now()
    employee = services.require_employee(request.user)
    checkin = services.checkin_record(
        actor=request.user,
        employee=employee,
        kind=kind,
        photo=photo,
        lat=lat,
        lon=lon,
        accuracy_m=accuracy_m,
        note=note,
        frames=frames,
        received_at=received_at,
    )
    return Status(201, _checkin_out(checkin))


@router.get("/checkins", response={200: list[CheckInOut]}, summary="Check-ins of one day")
def attendance_checkin_list(request, employee: int | None = None, day: date | None = None):
    target = _employee_param(request, employee)
    day = day or timezone.localdate()
    items = CheckIn.objects.filter(employee=target, work_date=day).select_related("location")
    return Status(200, [_checkin_out(c) for c in items])


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


@router.post(
    "/checkins/{checkin_id}/review",
    response={200: CheckInOut},
    summary="Accept or reject a check-in from outside the office (supervisor, HR)",
)
def attendance_checkin_review(request, checkin_id: int, payload: ReviewIn):
    checkin = get_object_or_404(
        CheckIn.objects.select_related("employee__supervisor", "employee__office__agency__region"),
        pk=checkin_id,
    )
    if not permissions.can_view_employee(request.user, checkin.employee):
        raise NotFound(_("No such check-in (or not visible to you)."))
    checkin = services.checkin_review(
        actor=request.user, checkin=checkin, approve=payload.approve, note=payload.note
    )
    return Status(200, _checkin_out(checkin))


# --- days --------------------------------------------------------------------------------


class DayOut(Schema):
    date: date
    status: str
    check_in: str | None
    check_out: str | None
    late_minutes: int
    early_minutes: int
    tl: int
    psw: int
    note: str


@router.get("/days", response={200: list[DayOut]}, summary="A month of attendance days")
def attendance_day_list(request, employee: int | None = None, month: str | None = None):
    """``month`` as ``YYYY-MM`` (default: this month); ``employee`` defaults to you."""
    target = _employee_param(request, employee)
    start = services.parse_month(month)
    days = selectors.month_days(target, start)
    return Status(
        200,
        [
            {
                "date": d.date,
                "status": d.result.status.value,
                "check_in": d.result.check_in.strftime("%H:%M:%S") if d.result.check_in else None,
                "check_out": d.result.check_out.strftime("%H:%M:%S")
                if d.result.check_out
                else None,
                "late_minutes": d.result.late_minutes,
                "early_minutes": d.result.early_minutes,
                "tl": d.result.tl,
                "psw": d.result.psw,
                "note": d.result.note,
            }
            for d in days
        ],
    )


# --- leave -------------------------------------------------------------------------------


class LeaveIn(Schema):
    leave_type: str = Field(..., max_length=20, description="Leave type code, e.g. `annual`")
    start: date
    end: date
    half_day: bool = False
    reason: str = Field(..., max_length=500)


class LeaveOut(Schema):
    id: int
    employee: int
    leave_type: str
    start: date
    end: date
    half_day: bool
    days: str
    status: Literal["pending", "verified", "approved", "rejected", "cancelled"] = Field(
        ...,
        description="`pending`: waiting for the supervisor; `verified`: the supervisor "
        "approved, waiting for HR; `approved` is final",
    )
    reason: str
    verified_note: str
    decision_note: str


def _leave_out(leave: LeaveRequest) -> dict:
    return {
        "id": leave.pk,
        "employee": leave.employee_id,
        "leave_type": leave.leave_type.code,
        "start": leave.start,
        "end": leave.end,
        "half_day": leave.half_day,
        "days": as_days(leave.halfdays),
        "status": leave.status,
        "reason": leave.reason,
        "verified_note": leave.verified_note,
        "decision_note": leave.decision_note,
    }


@router.get("/leave-requests", response={200: list[LeaveOut]}, summary="Leave requests")
def attendance_leave_list(request, employee: int | None = None):
    target = _employee_param(request, employee)
    items = LeaveRequest.objects.filter(employee=target).select_related("leave_type")[:200]
    return Status(200, [_leave_out(item) for item in items])


@router.post("/leave-requests", response={201: LeaveOut}, summary="Ask for leave")
def attendance_leave_create(request, payload: LeaveIn):
    employee = services.require_employee(request.user)
    leave_type = LeaveType.objects.filter(code=payload.leave_type).first()
    if leave_type is None:
        from onedata.core.errors import ValidationError

        raise ValidationError.for_field("leave_type", _("No such leave type."))
    leave = services.leave_request_create(
        actor=request.user,
        employee=employee,
        leave_type=leave_type,
        start=payload.start,
        end=payload.end,
        half_day=payload.half_day,
        reason=payload.reason,
    )
    return Status(201, _leave_out(leave))


class DecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


@router.post(
    "/leave-requests/{leave_id}/decision",
    response={200: LeaveOut},
    summary="Approve or refuse leave: the supervisor first, then HR",
)
def attendance_leave_decide(request, leave_id: int, payload: DecisionIn):
    leave = get_object_or_404(
        LeaveRequest.objects.select_related(
            "employee__supervisor", "employee__office__agency__region", "leave_type"
        ),
        pk=leave_id,
    )
    if not permissions.can_view_employee(request.user, leave.employee):
        raise NotFound(_("No such leave request (or not visible to you)."))
    leave = services.leave_request_decide(
        actor=request.user, leave=leave, approve=payload.approve, note=payload.note
    )
    return Status(200, _leave_out(leave))


# --- allowances --------------------------------------------------------------------------


class DeductionOut(Schema):
    date: date
    reason: str
    percent: str


class AllowanceOut(Schema):
    employee: int
    name: str
    month: str
    base: int
    fixed_part: int
    attendance_part: int
    deduction_percent: str
    deduction: int
    paid: int
    deductions: list[DeductionOut]


def _allowance_out(row: selectors.AllowanceRow, month: date) -> dict:
    allowance = row.allowance
    return {
        "employee": row.employee.pk,
        "name": row.employee.name,
        "month": f"{month:%Y-%m}",
        "base": allowance.base,
        "fixed_part": allowance.fixed_part,
        "attendance_part": allowance.attendance_part,
        "deduction_percent": tpp.percent(allowance.capped_bp),
        "deduction": allowance.deduction,
        "paid": allowance.paid,
        "deductions": [
            {"date": d.day, "reason": d.reason, "percent": tpp.percent(d.basis_points)}
            for d in allowance.deductions
        ],
    }


@router.get(
    "/allowances",
    response={200: list[AllowanceOut]},
    summary="Monthly TPP with every deduction explained",
)
def attendance_allowance_list(request, office: int | None = None, month: str | None = None):
    """With ``office``: every employee of the office (HR). Without: your own allowance."""
    start = services.parse_month(month)
    if office is None:
        employee = services.require_employee(request.user)
        days = selectors.month_days(employee, start)
        row = selectors.AllowanceRow(employee, selectors.allowance_of(employee, days), days)
        return Status(200, [_allowance_out(row, start)])
    target = Office.objects.select_related("agency__region").filter(pk=office).first()
    if target is None or not permissions.can_view_office_report(request.user, target):
        raise NotFound(_("No such office (or not visible to you)."))
    return Status(
        200, [_allowance_out(row, start) for row in selectors.office_allowances(target, start)]
    )


# --- offices and locations (HR) ----------------------------------------------------------

POLICY_DOC = (
    "Policy fields of the model by name (e.g. the liveness policy), where the platform has "
    "them; unknown names are ignored."
)


class LocationOut(Schema):
    id: int
    name: str
    latitude: float
    longitude: float
    radius_m: int
    active: bool = Field(..., description="False: taken out of use; check-ins ignore it")
    policy: dict[str, Any]


class OfficeOut(Schema):
    id: int
    agency: str
    name: str
    schedule: int | None
    schedule_name: str | None
    policy: dict[str, Any]
    locations: list[LocationOut]


class OfficeIn(Schema):
    agency: str = Field(..., description="Agency slug", max_length=100)
    name: str = Field(..., max_length=200)
    schedule: int | None = Field(None, description="Default schedule id; empty: standard")
    policy: dict[str, Any] | None = Field(None, description=POLICY_DOC)


class OfficePatch(Schema):
    name: str | None = Field(None, max_length=200)
    schedule: int | None = Field(None, description="Default schedule id")
    clear_schedule: bool = Field(False, description="Go back to the standard schedule")
    policy: dict[str, Any] | None = Field(None, description=POLICY_DOC)


class LocationIn(Schema):
    name: str = Field(..., max_length=200)
    latitude: float = Field(..., description="-90 to 90 (Bali about -8.6)")
    longitude: float = Field(..., description="-180 to 180 (Bali about 115.2)")
    radius_m: int = Field(100, description="10 to 5000 metres")
    policy: dict[str, Any] | None = Field(None, description=POLICY_DOC)


class LocationPatch(Schema):
    name: str | None = Field(None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    radius_m: int | None = None
    active: bool | None = Field(None, description="False takes the location out of use")
    policy: dict[str, Any] | None = Field(None, description=POLICY_DOC)


def _policy_of(obj) -> dict:
    return {f: getattr(obj, f) for f in office_services.policy_fields(type(obj))}


def _location_out(location: OfficeLocation) -> dict:
    return {
        "id": location.pk,
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "radius_m": location.radius_m,
        "active": location.active,
        "policy": _policy_of(location),
    }


def _office_out(office: Office) -> dict:
    return {
        "id": office.pk,
        "agency": office.agency.slug,
        "name": office.name,
        "schedule": office.schedule_id,
        "schedule_name": office.schedule.name if office.schedule else None,
        "policy": _policy_of(office),
        "locations": [_location_out(loc) for loc in office_services.locations_of(office)],
    }


def _editable_office(request, office_id: int) -> Office:
    office = (
        Office.objects.select_related("agency__region", "schedule").filter(pk=office_id).first()
    )
    if office is None or not permissions.can_edit_office(request.user, office):
        raise NotFound(_("No such office (or not visible to you)."))
    return office


def _schedule_param(schedule_id: int | None) -> Schedule | None:
    if schedule_id is None:
        return None
    schedule = Schedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        raise ValidationError.for_field("schedule", _("No such schedule."))
    return schedule


@router.get("/offices", response={200: list[OfficeOut]}, summary="Offices you manage (HR)")
def attendance_office_list(request):
    if not permissions.can_use_hr_pages(request.user):
        return Status(200, [])
    offices = Office.objects.filter(
        scope.region_filter(request.user, {Role.HR_ADMIN}, "agency__region__code")
    ).select_related("agency", "schedule")
    return Status(200, [_office_out(office) for office in offices])


@router.post("/offices", response={201: OfficeOut}, summary="Create an office (HR)")
def attendance_office_create(request, payload: OfficeIn):
    """HR of the agency's region (or a platform admin). Add its locations next."""
    agency = Agency.objects.select_related("region").filter(slug=payload.agency).first()
    if agency is None or not permissions.can_create_office(request.user, agency):
        raise NotFound(_("No such agency (or not yours to manage)."))
    office = office_services.office_create(
        actor=request.user,
        agency=agency,
        name=payload.name,
        schedule=_schedule_param(payload.schedule),
        policy=payload.policy,
    )
    return Status(201, _office_out(office))


@router.get("/offices/{office_id}", response={200: OfficeOut}, summary="One office (HR)")
def attendance_office_detail(request, office_id: int):
    return Status(200, _office_out(_editable_office(request, office_id)))


@router.patch("/offices/{office_id}", response={200: OfficeOut}, summary="Change an office (HR)")
def attendance_office_update(request, office_id: int, payload: OfficePatch):
    office = _editable_office(request, office_id)
    schedule = office.schedule
    if payload.clear_schedule:
        schedule = None
    elif payload.schedule is not None:
        schedule = _schedule_param(payload.schedule)
    office = office_services.office_update(
        actor=request.user,
        office=office,
        name=payload.name if payload.name is not None else office.name,
        schedule=schedule,
        policy=payload.policy,
    )
    return Status(200, _office_out(office))


@router.post(
    "/offices/{office_id}/locations",
    response={201: LocationOut},
    summary="Add a location (point and radius) to an office (HR)",
)
def attendance_location_create(request, office_id: int, payload: LocationIn):
    office = _editable_office(request, office_id)
    location = office_services.location_create(
        actor=request.user,
        office=office,
        name=payload.name,
        latitude=payload.latitude,
        longitude=payload.longitude,
        radius_m=payload.radius_m,
        policy=payload.policy,
    )
    return Status(201, _location_out(location))


@router.patch(
    "/offices/{office_id}/locations/{location_id}",
    response={200: LocationOut},
    summary="Move, resize, rename or deactivate a location (HR)",
)
def attendance_location_update(request, office_id: int, location_id: int, payload: LocationPatch):
    office = _editable_office(request, office_id)
    location = OfficeLocation.all_objects.filter(pk=location_id, office=office).first()
    if location is None:
        raise NotFound(_("No such location."))
    changes = payload.dict(exclude_unset=True)
    if set(changes) - {"active"}:
        location = office_services.location_update(
            actor=request.user,
            location=location,
            name=changes.get("name", location.name),
            latitude=changes.get("latitude", location.latitude),
            longitude=changes.get("longitude", location.longitude),
            radius_m=changes.get("radius_m", location.radius_m),
            policy=payload.policy,
        )
    if payload.active is not None:
        location = office_services.location_set_active(
            actor=request.user, location=location, active=payload.active
        )
    return Status(200, _location_out(location))


# --- roster imports (HR) -----------------------------------------------------------------


class RosterProblemOut(Schema):
    row: int
    column: str
    message: str


class RosterImportOut(Schema):
    id: int
    office: int
    file: str
    mode: Literal["all", "valid"] = Field(
        ..., description="`all`: any problem and nothing is written; `valid`: good rows only"
    )
    status: Literal["queued", "running", "done", "failed"]
    percent: int
    total: int
    processed: int
    saved: int
    skipped: int
    message: str
    errors: list[RosterProblemOut]


def _roster_out(job: RosterImport) -> dict:
    return {
        "id": job.pk,
        "office": job.office_id,
        "file": job.original_name,
        "mode": job.mode,
        "status": job.status,
        "percent": job.percent,
        "total": job.total,
        "processed": job.processed,
        "saved": job.saved,
        "skipped": job.skipped,
        "message": job.message,
        "errors": job.errors,
    }


def _roster_office(request, office_id: int) -> Office:
    office = Office.objects.select_related("agency__region").filter(pk=office_id).first()
    if office is None or not permissions.can_import_roster(request.user, office):
        raise NotFound(_("No such office (or not visible to you)."))
    return office


@router.post(
    "/offices/{office_id}/roster-imports",
    response={202: RosterImportOut},
    summary="Upload a roster file (CSV/XLSX); checked and written in the background",
)
def attendance_roster_import_create(
    request,
    office_id: int,
    file: File[UploadedFile],
    mode: Form[Literal["all", "valid"]] = "all",
    month: Form[str | None] = None,
):
    """Columns ``nip, tanggal, kode_shift``, or a grid ``nip, nama, <day>…`` (day columns
    headed by dates, or by day numbers with ``month`` = ``YYYY-MM``). Follow the job with
    the GET of the same id; its ``errors`` list every bad row."""
    office = _roster_office(request, office_id)
    first = services.parse_month(month) if month else None
    job = roster_services.roster_import_create(
        actor=request.user, office=office, upload=file, mode=mode, month=first
    )
    return Status(202, _roster_out(job))


@router.get(
    "/offices/{office_id}/roster-imports/{job_id}",
    response={200: RosterImportOut},
    summary="A roster import's progress and per-row report",
)
def attendance_roster_import_detail(request, office_id: int, job_id: int):
    office = _roster_office(request, office_id)
    job = RosterImport.objects.filter(pk=job_id, office=office).first()
    if job is None:
        raise NotFound(_("No such roster import."))
    return Status(200, _roster_out(job))


# --- my schedule and reminders -----------------------------------------------------------


class PlannedDayOut(Schema):
    date: date
    status: str = Field(
        ...,
        description="`upcoming`/`present`/`absent` on working days; else `holiday`, `off`, "
        "`leave`, `sick`, `wfh` or `travel`",
    )
    workday: bool
    start: str | None = Field(None, description="HH:MM, WITA")
    end: str | None = Field(None, description="HH:MM, WITA (the next day when overnight)")
    overnight: bool
    late_after: str | None
    source: Literal["office", "own", "roster", "standard"]
    schedule: str
    ramadan: bool
    holiday: str


class ScheduleQuery(Schema):
    employee: int | None = None
    from_: date | None = Field(None, alias="from")
    to: date | None = None


@router.get(
    "/schedule",
    response={200: list[PlannedDayOut]},
    summary="An employee's effective schedule, day by day",
)
def attendance_schedule(request, filters: Query[ScheduleQuery]):
    """``from``/``to`` as dates (default: today and four weeks); at most 62 days.
    ``employee`` defaults to you; supervisors and HR may ask for their people."""
    target = _employee_param(request, filters.employee)
    first, last = timetable.parse_range(
        filters.from_.isoformat() if filters.from_ else None,
        filters.to.isoformat() if filters.to else None,
        timezone.localdate(),
    )
    days = timetable.days_of(target, first, last)
    return Status(
        200,
        [
            {
                "date": d.date,
                "status": d.status,
                "workday": d.workday,
                "start": f"{d.start:%H:%M}" if d.start else None,
                "end": f"{d.end:%H:%M}" if d.end else None,
                "overnight": d.overnight,
                "late_after": f"{d.late_after:%H:%M}" if d.late_after else None,
                "source": d.source,
                "schedule": d.schedule,
                "ramadan": d.ramadan,
                "holiday": d.holiday,
            }
            for d in days
        ],
    )


class ReminderSettings(Schema):
    checkin: bool = Field(..., description="Remind me when I have not checked in")
    checkout: bool = Field(..., description="Remind me when I have not checked out")


@router.get(
    "/reminders", response={200: ReminderSettings}, summary="Your check-in/out reminder settings"
)
def attendance_reminder_get(request):
    preference = reminder_services.preference_of(services.require_employee(request.user))
    return Status(200, {"checkin": preference.checkin, "checkout": preference.checkout})


@router.put("/reminders", response={200: ReminderSettings}, summary="Turn your reminders on or off")
def attendance_reminder_set(request, payload: ReminderSettings):
    preference = reminder_services.preference_set(
        actor=request.user,
        employee=services.require_employee(request.user),
        checkin=payload.checkin,
        checkout=payload.checkout,
    )
    return Status(200, {"checkin": preference.checkin, "checkout": preference.checkout})
