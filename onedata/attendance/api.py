"""The attendance API, mounted at /api/v1/attendance/.

Check-ins and enrolments are multipart (a photo plus form fields); everything else JSON.
"""

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onedata.attendance import permissions, selectors, services, tpp
from onedata.attendance.leave import as_days
from onedata.attendance.models import (
    CheckIn,
    Employee,
    FaceTemplate,
    LeaveRequest,
    LeaveType,
    Office,
)
from onedata.core.errors import NotFound

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
):
    """The time that counts is when the server received the photo. Rejected attempts are
    kept and listed; a check-in outside the office radius with a ``note`` waits for the
    supervisor (``pending``)."""
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
