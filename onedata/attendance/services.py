"""Attendance use cases: enrolment, check-in, corrections, leave, allowances, imports.

Every write is a keyword-only ``<entity>_<verb>(*, actor, ...)`` inside one transaction
with an audit event. Leave balances change only in ``_balance_take`` (one conditional
UPDATE) so parallel approvals never take a balance below zero.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onedata.attendance import crypto, face, geo, liveness, permissions
from onedata.attendance import leave as leave_math
from onedata.attendance.models import (
    AllowanceAdjustment,
    AllowanceMonth,
    CheckIn,
    DayCorrection,
    Employee,
    FaceTemplate,
    Holiday,
    LeaveBalance,
    LeaveRequest,
    LeaveType,
    LivenessPolicy,
    Office,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)
from onedata.attendance.nip import NipError, parse_nip
from onedata.core import audit, uploads
from onedata.core.errors import Conflict, NotAuthorized, NotFound, ValidationError

logger = logging.getLogger("onedata.attendance")

# The pure nip module raises these English messages; marked here for the catalogue.
NIP_MESSAGES = [
    gettext_noop("A NIP has exactly 18 digits."),
    gettext_noop("The first 8 digits must be a date of birth (YYYYMMDD)."),
    gettext_noop("Digits 9-14 must be the year and month of appointment (YYYYMM)."),
    gettext_noop("The appointment date is before the 17th birthday."),
    gettext_noop("Digit 15 must be 1 (man) or 2 (woman)."),
    gettext_noop("The last 3 digits (serial number) cannot be 000."),
]

MAX_FACES = 3
MAX_ACCURACY_M = 5000.0


def face_threshold() -> float:
    return float(getattr(settings, "ATTENDANCE_FACE_THRESHOLD", 0.6))


def local_now() -> datetime:
    return timezone.localtime(timezone.now())


# --- employees ---------------------------------------------------------------------------


def employee_of(user) -> Employee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Employee.objects.select_related("office", "office__agency__region", "supervisor", "user")
        .filter(user=user, active=True)
        .first()
    )


def require_employee(user) -> Employee:
    employee = employee_of(user)
    if employee is None:
        raise NotFound(_("You are not registered as an employee. Ask your HR admin."))
    return employee


def check_nip(nip: str | None, employment_type: str, *, field_name: str = "nip") -> str | None:
    nip = (nip or "").replace(" ", "") or None
    if nip is None:
        if employment_type == Employee.Type.PNS:
            raise ValidationError.for_field(field_name, _("A civil servant needs a NIP."))
        return None
    try:
        return parse_nip(nip).value
    except NipError as error:
        raise ValidationError.for_field(field_name, _(str(error))) from None


def employee_create(
    *,
    actor,
    user,
    office: Office,
    name: str,
    nip: str | None = None,
    employment_type: str = Employee.Type.PNS,
    position: str = "",
    grade: str = "",
    supervisor: Employee | None = None,
    tpp_base: int = 0,
) -> Employee:
    nip = check_nip(nip, employment_type)
    if tpp_base < 0:
        raise ValidationError.for_field("tpp_base", _("The amount cannot be negative."))
    with transaction.atomic():
        if nip and Employee.objects.filter(nip=nip).exists():
            raise ValidationError.for_field("nip", _("This NIP is already registered."))
        employee = Employee.objects.create(
            user=user,
            office=office,
            name=name,
            nip=nip,
            employment_type=employment_type,
            position=position,
            grade=grade,
            supervisor=supervisor,
            tpp_base=tpp_base,
        )
        audit.record(
            actor=actor,
            action="attendance.employee.create",
            obj=employee,
            after=audit.snapshot(employee, ["nip", "name", "office", "supervisor"]),
        )
    return employee


# --- biometric storage -------------------------------------------------------------------


def _store_encrypted(prefix: str, data: bytes, context: bytes) -> str:
    name = f"attendance/{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(crypto.encrypt(data, context=context)))


def read_photo(*, actor, name: str, context: bytes) -> bytes:
    """Decrypt a stored photo; every read is audited."""
    with default_storage.open(name, "rb") as fp:
        blob = fp.read()
    audit.record(
        actor=actor, action="attendance.biometric.read", object_type="photo", object_id=name[-40:]
    )
    return crypto.decrypt(blob, context=context)


def _descriptor_context(employee_id: int) -> bytes:
    return f"descriptor:{employee_id}".encode()


def descriptors_of(employee: Employee) -> list:
    templates = FaceTemplate.objects.filter(employee=employee, status=FaceTemplate.Status.APPROVED)
    context = _descriptor_context(employee.pk)
    return [face.from_bytes(crypto.decrypt(t.descriptor, context=context)) for t in templates]


FACE_MESSAGES = {
    face.Problem.NOT_AN_IMAGE: gettext_noop("The photo could not be read. Take it again."),
    face.Problem.NO_FACE: gettext_noop(
        "No face found in the photo. Face the camera in good light."
    ),
    face.Problem.SEVERAL_FACES: gettext_noop(
        "More than one face in the photo. Only you should be in it."
    ),
    face.Problem.FACE_TOO_SMALL: gettext_noop("The face is too small. Hold the phone closer."),
    face.Problem.TOO_DARK: gettext_noop("The photo is too dark. Move to a brighter place."),
    face.Problem.TOO_BLURRED: gettext_noop("The photo is blurred. Hold the phone still."),
}


def _analyse(data: bytes, field_name: str, *, quality: bool) -> face.Face:
    try:
        return face.analyse(face.load_rgb(data), check_quality=quality)
    except face.FaceError as error:
        raise ValidationError.for_field(field_name, _(FACE_MESSAGES[error.problem])) from None


def _checked_image(photo, field_name: str) -> bytes:
    if photo is None:
        raise ValidationError.for_field(field_name, _("Attach a photo."))
    checked = uploads.check_upload(photo, uploads.SELFIE, field=field_name)
    with checked.open() as fp:
        return fp.read()


# --- enrolment ---------------------------------------------------------------------------


def enrolment_create(*, actor, employee: Employee, photo) -> FaceTemplate:
    """A reference photo: exactly one face, large, bright and sharp enough. Taken by HR it
    is approved at once; taken by the employee it waits for HR."""
    if not permissions.can_enrol_face(actor, employee):
        raise NotAuthorized(_("You may not enrol a face for this employee."))
    data = _checked_image(photo, "photo")
    found = _analyse(data, "photo", quality=True)
    by_hr = permissions.can_approve_face(actor, FaceTemplate(employee=employee))
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)
        if FaceTemplate.objects.filter(employee=employee).count() >= MAX_FACES:
            raise ValidationError.for_field(
                "photo", _("Already %(n)d photos enrolled; delete one first.") % {"n": MAX_FACES}
            )
        template = FaceTemplate.objects.create(
            employee=employee,
            descriptor=crypto.encrypt(
                face.to_bytes(found.descriptor), context=_descriptor_context(employee.pk)
            ),
            photo_name=_store_encrypted("faces", data, b"face-photo"),
            status=FaceTemplate.Status.APPROVED if by_hr else FaceTemplate.Status.PENDING,
            face_width=found.width,
            created_by=actor,
            approved_by=actor if by_hr else None,
        )
        audit.record(
            actor=actor,
            action="attendance.face.enrol",
            obj=template,
            after={"employee": employee.pk, "status": template.status},
        )
    return template


def enrolment_approve(*, actor, template: FaceTemplate) -> FaceTemplate:
    if not permissions.can_approve_face(actor, template):
        raise NotAuthorized(_("Only HR may approve a face photo."))
    with transaction.atomic():
        updated = FaceTemplate.objects.filter(
            pk=template.pk, status=FaceTemplate.Status.PENDING
        ).update(status=FaceTemplate.Status.APPROVED, approved_by=actor)
        if not updated:
            raise Conflict(_("This photo is not waiting for approval."))
        template.refresh_from_db()
        audit.record(actor=actor, action="attendance.face.approve", obj=template)
    return template


def enrolment_delete(*, actor, template: FaceTemplate) -> None:
    if not permissions.can_approve_face(actor, template):
        raise NotAuthorized(_("Only HR may delete a face photo."))
    with transaction.atomic():
        name = template.photo_name
        audit.record(actor=actor, action="attendance.face.delete", obj=template)
        template.delete()
        if name:
            transaction.on_commit(lambda: default_storage.delete(name))


# --- check-in ----------------------------------------------------------------------------


@dataclass
class CheckInAnswer:
    checkin: CheckIn
    reasons: list[str] = field(default_factory=list)


REASON_TEXT = {
    "face_mismatch": gettext_noop("The face does not match the enrolled photos."),
    "outside_geofence": gettext_noop(
        "You are outside the office radius. Give a reason to ask your supervisor for approval."
    ),
    "outside_geofence_reason_given": gettext_noop(
        "Outside the office radius: waiting for your supervisor."
    ),
    "low_accuracy": gettext_noop("The location is not precise enough."),
    "liveness_no_frames": gettext_noop(
        "Your office requires a blink check: check in with the camera on the check-in page."
    ),
    "liveness_no_face": gettext_noop(
        "The blink check could not see your face in enough frames. Face the camera and try again."
    ),
    "liveness_several_faces": gettext_noop(
        "More than one face during the blink check. Only you should be in the picture."
    ),
    "liveness_no_blink": gettext_noop(
        "No blink seen. Look at the camera and blink when asked, then try again."
    ),
    "liveness_face_mismatch": gettext_noop(
        "The face in the blink check does not match the enrolled photos."
    ),
}


def reason_text(code: str) -> str:
    return _(REASON_TEXT.get(code, code))


def _coordinate(value, name: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError.for_field(name, _("Give the location as a number.")) from None
    if not low <= number <= high or number != number:
        raise ValidationError.for_field(
            name, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return number


_COUNTING = (CheckIn.Status.ACCEPTED, CheckIn.Status.PENDING)


def work_date_of(employee: Employee, kind: str, moment: datetime) -> date:
    """The date a check-in or check-out counts for: the calendar date, except in the
    morning after a night shift (see rules.work_date_for)."""
    from onedata.attendance import rules, selectors

    local = timezone.localtime(moment).replace(tzinfo=None)
    yesterday = local.date() - timedelta(days=1)
    plan = selectors.plan_of(employee, yesterday)
    if not plan.overnight or not plan.workday:
        return local.date()
    kinds = set(
        CheckIn.objects.filter(
            employee=employee, work_date=yesterday, status__in=_COUNTING
        ).values_list("kind", flat=True)
    )
    return rules.work_date_for(
        local,
        kind,
        plan,
        yesterday_checked_in=CheckIn.Kind.IN in kinds,
        yesterday_open=CheckIn.Kind.IN in kinds and CheckIn.Kind.OUT not in kinds,
    )


# Liveness frames: each goes through the upload checks (kind from the bytes, size while
# reading, pixel count before decoding); a burst is 8-12 frames of 640x480 from the page.
LIVENESS_FRAME = uploads.UploadPolicy(
    name="liveness_frame",
    allowed_kinds=frozenset({uploads.Kind.JPEG, uploads.Kind.PNG, uploads.Kind.WEBP}),
    max_bytes=2 * uploads.MB,
    max_pixels=4_000_000,
    not_allowed_message=uploads.SELFIE.not_allowed_message,
    too_large_message=uploads.SELFIE.too_large_message,
)
MAX_LIVENESS_FRAMES = 12


def liveness_required(employee: Employee) -> bool:
    return employee.office.liveness_policy == LivenessPolicy.REQUIRED


def _checked_frames(frames) -> list[bytes]:
    """The burst's bytes after the upload checks; ValidationError on ``frames``."""
    frames = list(frames or [])
    if len(frames) > MAX_LIVENESS_FRAMES:
        raise ValidationError.for_field(
            "frames", _("Send at most %(n)d frames.") % {"n": MAX_LIVENESS_FRAMES}
        )
    checked = []
    for frame in frames:
        with uploads.check_upload(frame, LIVENESS_FRAME, field="frames").open() as fp:
            checked.append(fp.read())
    return checked


def _frame_ear(data: bytes):
    """(rgb, box, EAR) of a frame's only face; None for a frame with no face. Several
    faces raise FaceError: someone else in the picture makes the burst ambiguous."""
    try:
        rgb = face.load_rgb(data)
        box = face.one_face(rgb)
    except face.FaceError as error:
        if error.problem == face.Problem.SEVERAL_FACES:
            raise
        return None
    return rgb, box, liveness.face_ear(face.landmarks68(rgb, box))


# Consecutive faces of one burst overlap at least this much (intersection over union): a
# head moves little in 200 ms, while a swap to another picture jumps.
MIN_TRACK_OVERLAP = 0.3


def _one_track(seen) -> bool:
    boxes = [item[1] for item in seen if item]
    pairs = zip(boxes, boxes[1:], strict=False)  # each box with the next one
    return all(face.overlap(a, b) >= MIN_TRACK_OVERLAP for a, b in pairs)


def liveness_check(frames: list[bytes], references: list) -> str | None:
    """None when the burst shows a blink by the enrolled face, else the reason code.

    EARs first (about 10 ms a frame), so a still photo is refused before any descriptor
    is computed. The faces must form one track (each overlapping the one before), and the
    closed frame and the open frame after it must be the enrolled face: two descriptors
    (75 ms each) tie the whole track to the employee, so nobody blinks for someone else."""
    if not frames:
        return "liveness_no_frames"
    try:
        seen = [_frame_ear(data) for data in frames]
    except face.FaceError:
        return "liveness_several_faces"
    ears = [item[2] if item else None for item in seen]
    if sum(ear is not None for ear in ears) < liveness.MIN_FRAMES:
        return "liveness_no_face"
    blink = liveness.find_blink(ears)
    if blink is None:
        return "liveness_no_blink"
    if not _one_track(seen):
        return "liveness_face_mismatch"
    for index in (blink.closed, blink.opened_after):
        rgb, box, _ear = seen[index]
        distance = face.closest(face.descriptor_of(rgb, box), references)
        if distance is None or distance > face_threshold():
            return "liveness_face_mismatch"
    return None


def checkin_record(
    *,
    actor,
    employee: Employee,
    kind: str,
    photo,
    lat,
    lon,
    accuracy_m=None,
    note: str = "",
    frames=None,
    received_at: datetime | None = None,
) -> CheckIn:
    """Decide one check-in or check-out. The time that counts is ``received_at``, when the
    server received the photo, taken before the (slow) face verification.

    ``frames``: the liveness burst (uploaded files), looked at only where the employee's
    office requires liveness; the selfie must match first, then the burst must blink."""
    received_at = received_at or timezone.now()
    if not permissions.can_check_in(actor, employee):
        raise NotAuthorized(_("You may only check in for yourself."))
    if kind not in CheckIn.Kind.values:
        raise ValidationError.for_field("kind", _("Choose check in or check out."))
    lat = _coordinate(lat, "lat", -90, 90)
    lon = _coordinate(lon, "lon", -180, 180)
    accuracy = None
    if accuracy_m not in (None, ""):
        accuracy = _coordinate(accuracy_m, "accuracy_m", 0, MAX_ACCURACY_M)
    note = (note or "").strip()[:500]
    work_date = work_date_of(employee, kind, received_at)
    if (
        kind == CheckIn.Kind.OUT
        and not CheckIn.objects.filter(
            employee=employee,
            work_date=work_date,
            kind=CheckIn.Kind.IN,
            status__in=[CheckIn.Status.ACCEPTED, CheckIn.Status.PENDING],
        ).exists()
    ):
        raise ValidationError.for_field("kind", _("Check in first: there is no check-in today."))
    references = descriptors_of(employee)
    if not references:
        raise ValidationError.for_field(
            "photo", _("No face photo is enrolled for you yet. Ask HR to enrol one.")
        )
    data = _checked_image(photo, "photo")
    burst = _checked_frames(frames) if liveness_required(employee) else None
    try:
        found = _analyse(data, "photo", quality=False)
    except ValidationError:
        audit.record(actor=actor, action="attendance.checkin.refused", obj=employee)
        raise
    distance = face.closest(found.descriptor, references)
    locations = {loc.pk: loc for loc in employee.office.locations.all()}
    fences = [
        geo.Fence(loc.pk, loc.latitude, loc.longitude, loc.radius_m) for loc in locations.values()
    ]
    match = geo.nearest_fence(lat, lon, fences)
    reasons: list[str] = []
    status = CheckIn.Status.ACCEPTED
    if distance is None or distance > face_threshold():
        reasons.append("face_mismatch")
        status = CheckIn.Status.REJECTED
    elif burst is not None:
        failed = liveness_check(burst, references)
        if failed:
            reasons.append(failed)
            status = CheckIn.Status.REJECTED
    inside = bool(match and match.inside)
    if not inside:
        if note:
            reasons.append("outside_geofence_reason_given")
            if status == CheckIn.Status.ACCEPTED:
                status = CheckIn.Status.PENDING
        else:
            reasons.append("outside_geofence")
            status = CheckIn.Status.REJECTED
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            employee=employee,
            kind=kind,
            recorded_at=received_at,
            work_date=work_date,
            latitude=lat,
            longitude=lon,
            accuracy_m=accuracy,
            location=locations[match.key] if match else None,  # the answer names it
            distance_m=round(match.distance_m, 1) if match else None,
            inside_geofence=inside,
            face_distance=round(distance, 4),
            status=status,
            reasons=reasons,
            note=note,
            selfie_name=_store_encrypted("selfies", data, b"selfie"),
        )
        audit.record(
            actor=actor,
            action=f"attendance.checkin.{status}",
            obj=checkin,
            after={"kind": kind, "reasons": reasons},
        )
    return checkin


def checkin_review(*, actor, checkin: CheckIn, approve: bool, note: str = "") -> CheckIn:
    if not permissions.can_review_checkin(actor, checkin):
        raise NotAuthorized(_("Only the supervisor or HR may decide this check-in."))
    with transaction.atomic():
        new = CheckIn.Status.ACCEPTED if approve else CheckIn.Status.REJECTED
        updated = CheckIn.objects.filter(pk=checkin.pk, status=CheckIn.Status.PENDING).update(
            status=new, reviewed_by=actor, reviewed_at=timezone.now()
        )
        if not updated:
            raise Conflict(_("This check-in is not waiting for approval."))
        checkin.refresh_from_db()
        audit.record(
            actor=actor,
            action="attendance.checkin.review",
            obj=checkin,
            after={"status": new, "note": note[:200]},
        )
    return checkin


def day_correct(*, actor, employee: Employee, day: date, kind: str, reason: str) -> DayCorrection:
    if not permissions.can_correct_day(actor, employee):
        raise NotAuthorized(_("Only the supervisor or HR may correct this day."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError.for_field("reason", _("Give a reason for the correction."))
    if kind not in dict(DayCorrection._meta.get_field("kind").choices):
        raise ValidationError.for_field("kind", _("Choose what the day becomes."))
    _refuse_if_finalised(employee.office, day)
    with transaction.atomic():
        before = DayCorrection.objects.filter(employee=employee, date=day).first()
        correction, _created = DayCorrection.objects.update_or_create(
            employee=employee,
            date=day,
            defaults={"kind": kind, "reason": reason[:500], "created_by": actor},
        )
        audit.record(
            actor=actor,
            action="attendance.day.correct",
            obj=correction,
            before={"kind": before.kind} if before else None,
            after={"kind": kind, "reason": reason[:200]},
        )
    return correction


# --- schedules and shifts ----------------------------------------------------------------


def shift_assign(
    *, actor, employee: Employee, start: date, end: date, schedule: Schedule | None
) -> int:
    """Put ``employee`` on ``schedule`` (None: days off) every date from ``start`` to
    ``end``, replacing what the roster had. Returns the number of dates."""
    if not permissions.can_manage_office(actor, employee.office):
        raise NotAuthorized(_("Only HR may set the roster of this office."))
    if end < start:
        raise ValidationError.for_field("end", _("The last day is before the first day."))
    if (end - start).days > 92:
        raise ValidationError.for_field("end", _("Set at most 93 days at once."))
    _refuse_if_finalised(employee.office, start)
    _refuse_if_finalised(employee.office, end)
    dates = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    with transaction.atomic():
        ShiftAssignment.objects.filter(employee=employee, date__range=(start, end)).delete()
        ShiftAssignment.objects.bulk_create(
            [
                ShiftAssignment(employee=employee, date=d, schedule=schedule, created_by=actor)
                for d in dates
            ]
        )
        audit.record(
            actor=actor,
            action="attendance.shift.assign",
            obj=employee,
            after={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "schedule": schedule.pk if schedule else None,
            },
        )
    return len(dates)


def schedule_create(*, actor, office: Office | None = None, **fields) -> Schedule:
    """A new schedule or shift (HR); with ``office``, it becomes that office's schedule."""
    if office is not None and not permissions.can_manage_office(actor, office):
        raise NotAuthorized(_("Only HR may change the schedule of this office."))
    if office is None and not permissions.can_manage_holidays(actor):
        raise NotAuthorized(_("Only HR may create schedules."))
    name = (fields.get("name") or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the schedule a name."))
    if fields.get("start") == fields.get("end"):
        raise ValidationError.for_field("end", _("The end must differ from the start."))
    with transaction.atomic():
        if Schedule.objects.filter(name=name).exists():
            raise ValidationError.for_field("name", _("A schedule with this name exists."))
        if not fields.get("end_friday"):
            fields["end_friday"] = fields.get("end")
        schedule = Schedule.objects.create(**(fields | {"name": name}))
        if office is not None:
            office.schedule = schedule
            office.save(update_fields=["schedule"])
        audit.record(
            actor=actor,
            action="attendance.schedule.create",
            obj=schedule,
            after={"office": office.pk if office else None},
        )
    return schedule


def holiday_set(*, actor, day: date, name: str, kind: str) -> Holiday:
    """Add a holiday or rename the one on that date (national, Balinese, collective)."""
    if not permissions.can_manage_holidays(actor):
        raise NotAuthorized(_("Only HR may edit the holiday calendar."))
    name = (name or "").strip()
    if not name:
        raise ValidationError.for_field("name", _("Give the holiday a name."))
    if kind not in Holiday.Kind.values:
        raise ValidationError.for_field("kind", _("Choose the kind of holiday."))
    with transaction.atomic():
        before = Holiday.objects.filter(date=day).first()
        holiday, _created = Holiday.objects.update_or_create(
            date=day, defaults={"name": name[:120], "kind": kind}
        )
        audit.record(
            actor=actor,
            action="attendance.holiday.set",
            obj=holiday,
            before={"name": before.name, "kind": before.kind} if before else None,
            after={"name": holiday.name, "kind": kind},
        )
    return holiday


def holiday_delete(*, actor, holiday: Holiday) -> None:
    if not permissions.can_manage_holidays(actor):
        raise NotAuthorized(_("Only HR may edit the holiday calendar."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="attendance.holiday.delete",
            obj=holiday,
            before={"date": holiday.date.isoformat(), "name": holiday.name},
        )
        holiday.delete()


def ramadan_period_create(*, actor, name: str, start: date, end: date) -> RamadanPeriod:
    if not permissions.can_manage_holidays(actor):
        raise NotAuthorized(_("Only HR may edit the holiday calendar."))
    if end < start:
        raise ValidationError.for_field("end", _("The last day is before the first day."))
    if (end - start).days > 31:
        raise ValidationError.for_field("end", _("Ramadan lasts at most 30 days."))
    with transaction.atomic():
        if RamadanPeriod.objects.filter(start__lte=end, end__gte=start).exists():
            raise ValidationError.for_field("start", _("Overlaps a Ramadan period already set."))
        period = RamadanPeriod.objects.create(
            name=(name or "Ramadan").strip()[:100], start=start, end=end
        )
        audit.record(
            actor=actor,
            action="attendance.ramadan.create",
            obj=period,
            after={"start": start.isoformat(), "end": end.isoformat()},
        )
    return period


def ramadan_period_delete(*, actor, period: RamadanPeriod) -> None:
    if not permissions.can_manage_holidays(actor):
        raise NotAuthorized(_("Only HR may edit the holiday calendar."))
    with transaction.atomic():
        audit.record(actor=actor, action="attendance.ramadan.delete", obj=period)
        period.delete()


# --- leave -------------------------------------------------------------------------------


def balance_for(employee: Employee, leave_type: LeaveType, year: int) -> LeaveBalance:
    balance, _created = LeaveBalance.objects.get_or_create(
        employee=employee,
        leave_type=leave_type,
        year=year,
        defaults={"allocated": 2 * leave_type.days_per_year},
    )
    return balance


def _holidays_between(start: date, end: date) -> set[date]:
    return set(Holiday.objects.filter(date__range=(start, end)).values_list("date", flat=True))


def leave_request_create(
    *,
    actor,
    employee: Employee,
    leave_type: LeaveType,
    start: date,
    end: date,
    reason: str,
    half_day: bool = False,
) -> LeaveRequest:
    if not permissions.can_request_leave(actor, employee):
        raise NotAuthorized(_("You may only ask leave for yourself."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError.for_field("reason", _("Give a reason."))
    if end < start:
        raise ValidationError.for_field("end", _("The last day is before the first day."))
    if start.year != end.year:
        raise ValidationError.for_field("end", _("Split leave that crosses a new year."))
    if (end - start).days > 366:
        raise ValidationError.for_field("end", _("Leave can be at most one year long."))
    if half_day and (start != end or not leave_type.half_days):
        raise ValidationError.for_field(
            "half_day", _("A half day is one day, and only for leave types that allow it.")
        )
    from onedata.attendance.selectors import schedule_of

    schedule = schedule_of(employee)
    weekdays = {int(d) for d in schedule.workdays}
    halfdays = leave_math.requested_halfdays(
        start, end, half_day=half_day, weekdays=weekdays, holidays=_holidays_between(start, end)
    )
    if halfdays == 0:
        raise ValidationError.for_field("start", _("There is no working day in these dates."))
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)
        clash = LeaveRequest.objects.filter(
            employee=employee,
            status__in=LeaveRequest.OPEN_STATUSES,
            start__lte=end,
            end__gte=start,
        ).first()
        if clash:
            raise ValidationError.for_field(
                "start",
                _("Overlaps your leave of %(start)s to %(end)s.")
                % {"start": clash.start.isoformat(), "end": clash.end.isoformat()},
            )
        if leave_type.needs_balance:
            balance = balance_for(employee, leave_type, start.year)
            if balance.available < halfdays:
                raise ValidationError.for_field(
                    "end",
                    _("Only %(left)s days left of %(type)s; this asks %(asked)s.")
                    % {
                        "left": leave_math.as_days(balance.available),
                        "type": leave_type.name,
                        "asked": leave_math.as_days(halfdays),
                    },
                )
        leave = LeaveRequest.objects.create(
            employee=employee,
            leave_type=leave_type,
            start=start,
            end=end,
            half_day=half_day,
            halfdays=halfdays,
            reason=reason[:500],
        )
        audit.record(
            actor=actor,
            action="attendance.leave.request",
            obj=leave,
            after={"start": start.isoformat(), "end": end.isoformat(), "halfdays": halfdays},
        )
        supervisor = employee.supervisor
        if supervisor is not None:
            username = supervisor.user.username
            subject = _("Leave request from %(name)s") % {"name": employee.name}
            text = _("%(name)s asks for %(type)s from %(start)s to %(end)s: %(reason)s") % {
                "name": employee.name,
                "type": leave_type.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "reason": reason[:200],
            }
            transaction.on_commit(lambda: _notify(username, subject, text))
    return leave


def _notify(username: str, subject: str, text: str) -> None:
    from onedata.notifications import services as notify

    try:
        notify.send(module="attendance", to=[username], subject=subject, text=text, channel="inapp")
    except Exception:  # a notification must never undo the decision already committed
        logger.exception("attendance notification failed")


def _balance_take(balance_id: int, halfdays: int) -> bool:
    """One conditional UPDATE: takes the days only if enough are left."""
    return bool(
        LeaveBalance.objects.filter(
            pk=balance_id, used__lte=F("allocated") + F("carried") - halfdays
        ).update(used=F("used") + halfdays)
    )


def leave_request_decide(
    *, actor, leave: LeaveRequest, approve: bool, note: str = ""
) -> LeaveRequest:
    """Two stages: the supervisor approves (-> ``verified``, waiting for HR) or refuses;
    then HR approves (the days are taken from the balance) or refuses. HR may also decide a
    request still waiting for the supervisor (an employee without one, or on their absence);
    its approval is final at once."""
    if not permissions.can_decide_leave(actor, leave):
        raise NotAuthorized(_("Only the supervisor or HR may decide this leave."))
    if not approve and not (note or "").strip():
        raise ValidationError.for_field("note", _("Say why the leave is refused."))
    _refuse_if_finalised(leave.employee.office, leave.start)
    is_hr = permissions.is_hr_for_office(actor, leave.employee.office)
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = LeaveRequest.objects.select_for_update().get(pk=leave.pk)
        before = locked.status
        if locked.status == LeaveRequest.Status.VERIFIED and not is_hr:
            raise Conflict(_("You already approved this request; it is waiting for HR."))
        if locked.status not in (LeaveRequest.Status.PENDING, LeaveRequest.Status.VERIFIED):
            raise Conflict(_("This leave request was already decided."))
        now = timezone.now()
        final = is_hr or not approve
        if approve and final and locked.leave_type.needs_balance:
            balance = balance_for(locked.employee, locked.leave_type, locked.start.year)
            if not _balance_take(balance.pk, locked.halfdays):
                raise Conflict(_("Not enough leave left to approve this request."))
        fields = ["status"]
        if locked.status == LeaveRequest.Status.PENDING and not is_hr:
            locked.verified_by, locked.verified_at, locked.verified_note = actor, now, note
            fields += ["verified_by", "verified_at", "verified_note"]
        if final:
            locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
            fields += ["decided_by", "decided_at", "decision_note"]
        if not approve:
            locked.status = LeaveRequest.Status.REJECTED
        elif final:
            locked.status = LeaveRequest.Status.APPROVED
        else:
            locked.status = LeaveRequest.Status.VERIFIED
        locked.save(update_fields=fields)
        audit.record(
            actor=actor,
            action="attendance.leave.decide",
            obj=locked,
            before={"status": before},
            after={"status": locked.status, "stage": "hr" if is_hr else "supervisor"},
        )
        username = locked.employee.user.username
        if locked.status == LeaveRequest.Status.VERIFIED:
            subject = _("Your leave is approved by your supervisor")
        elif approve:
            subject = _("Your leave is approved")
        else:
            subject = _("Your leave is not approved")
        text = _("%(type)s from %(start)s to %(end)s: %(status)s. %(note)s") % {
            "type": locked.leave_type.name,
            "start": locked.start.isoformat(),
            "end": locked.end.isoformat(),
            "status": locked.get_status_display(),
            "note": note,
        }
        transaction.on_commit(lambda: _notify(username, subject, text))
    return locked


def leave_request_cancel(*, actor, leave: LeaveRequest) -> LeaveRequest:
    if not permissions.can_request_leave(actor, leave.employee):
        raise NotAuthorized(_("You may only cancel your own leave."))
    with transaction.atomic():
        updated = LeaveRequest.objects.filter(
            pk=leave.pk, status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.VERIFIED]
        ).update(status=LeaveRequest.Status.CANCELLED)
        if not updated:
            raise Conflict(_("Only a request still waiting can be cancelled."))
        leave.refresh_from_db()
        audit.record(actor=actor, action="attendance.leave.cancel", obj=leave)
    return leave


# --- allowances --------------------------------------------------------------------------


def month_start(value: date) -> date:
    return value.replace(day=1)


def parse_month(text: str | None, field_name: str = "month") -> date:
    if not text:
        return month_start(local_now().date())
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError.for_field(field_name, _("Give the month as YYYY-MM.")) from None


def _refuse_if_finalised(office: Office, day: date) -> None:
    if AllowanceMonth.objects.filter(office=office, month=month_start(day)).exists():
        raise Conflict(_("This month is finalised; record a correction as an adjustment."))


def allowance_finalise(*, actor, office: Office, month: date) -> AllowanceMonth:
    from onedata.attendance.selectors import office_allowances

    if not permissions.can_finalise_allowances(actor, office):
        raise NotAuthorized(_("Only HR may finalise allowances."))
    month = month_start(month)
    if month >= month_start(local_now().date()):
        raise ValidationError.for_field("month", _("Only a month that is over can be finalised."))
    rows = office_allowances(office, month)
    figures = [
        {
            "employee": row.employee.pk,
            "name": row.employee.name,
            "base": row.allowance.base,
            "deduction": row.allowance.deduction,
            "paid": row.allowance.paid,
        }
        for row in rows
    ]
    with transaction.atomic():
        if AllowanceMonth.objects.filter(office=office, month=month).exists():
            raise Conflict(_("This month is already finalised."))
        record = AllowanceMonth.objects.create(
            office=office, month=month, finalised_by=actor, figures=figures
        )
        audit.record(actor=actor, action="attendance.allowance.finalise", obj=record)
    return record


def allowance_adjust(
    *, actor, employee: Employee, month: date, amount: int, reason: str
) -> AllowanceAdjustment:
    """A correction to a finalised month, as an explicit amount with a reason."""
    if not permissions.can_finalise_allowances(actor, employee.office):
        raise NotAuthorized(_("Only HR may adjust allowances."))
    month = month_start(month)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError.for_field("reason", _("Give a reason for the adjustment."))
    if not amount:
        raise ValidationError.for_field("amount", _("Give an amount other than zero."))
    if abs(amount) > 1_000_000_000:
        raise ValidationError.for_field("amount", _("The amount is too large."))
    with transaction.atomic():
        if not AllowanceMonth.objects.filter(office=employee.office, month=month).exists():
            raise ValidationError.for_field(
                "month", _("This month is not finalised: correct the days instead.")
            )
        adjustment = AllowanceAdjustment.objects.create(
            office=employee.office,
            employee=employee,
            month=month,
            amount=amount,
            reason=reason[:500],
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="attendance.allowance.adjust",
            obj=adjustment,
            after={"employee": employee.pk, "month": f"{month:%Y-%m}", "amount": amount},
        )
    return adjustment


def report_exported(*, actor, office: Office, month: date, kind: str) -> None:
    """A monthly report left the platform (names and NIPs inside): recorded."""
    if not permissions.can_view_office_report(actor, office):
        raise NotAuthorized(_("Only HR may export this report."))
    audit.record(
        actor=actor,
        action="attendance.report.export",
        obj=office,
        after={"month": f"{month:%Y-%m}", "format": kind},
    )


# --- retention ---------------------------------------------------------------------------


def photo_retention_days() -> int:
    return int(getattr(settings, "ATTENDANCE_PHOTO_RETENTION_DAYS", 90))


def selfies_purge(*, actor="system", now: datetime | None = None) -> int:
    """Delete check-in selfies older than the retention period (the decision and the face
    distance stay). Returns how many files were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=photo_retention_days())
    old = list(
        CheckIn.objects.filter(recorded_at__lt=cutoff)
        .exclude(selfie_name="")
        .values_list("pk", "selfie_name")[:5000]
    )
    for _pk, name in old:
        default_storage.delete(name)
    with transaction.atomic():
        CheckIn.objects.filter(pk__in=[pk for pk, _name in old]).update(selfie_name="")
        if old:
            audit.record(
                actor=actor,
                action="attendance.selfie.purge",
                object_type="checkin",
                after={"deleted": len(old), "before": cutoff.isoformat()},
            )
    return len(old)
