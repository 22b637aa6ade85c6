"""Use cases for a clinic's timetable: settings, opening hours, sessions with their quotas,
and closures. Pages (``/antrean/petugas/<id>/jadwal/``) and the API call these.

Each is keyword-only, runs in one transaction and leaves an audit event with before and
after. Every mistake is reported at once, beside its field. A change never touches a
booking already made: a lower quota only stops new bookings, and a closure on a day with
bookings says how many people booked (the staff tell them; they can still cancel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from onedata.clinics.models import Booking, Clinic, Closure, OpeningHours, Service, Session
from onedata.core import audit
from onedata.core.errors import Conflict, ValidationError

SESSION_FIELDS = ["weekday", "starts_at", "ends_at", "quota_online", "quota_walkin", "quota_jkn"]
MAX_QUOTA = 2000


def _raise(fields: dict[str, list[str]]) -> None:
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)


def _hours_picture(clinic: Clinic) -> list[list]:
    return [
        [h.weekday, h.opens_at.isoformat("minutes"), h.closes_at.isoformat("minutes")]
        for h in clinic.hours.order_by("weekday", "opens_at")
    ]


# --- clinic settings ---------------------------------------------------------------------


def clinic_update(
    *,
    actor,
    clinic: Clinic,
    booking_days_ahead: int,
    booking_cutoff_minutes: int,
    is_active: bool,
) -> Clinic:
    fields: dict[str, list[str]] = {}
    if not 0 <= booking_days_ahead <= 90:
        fields["booking_days_ahead"] = [_("Choose from 0 (today only) to 90 days.")]
    if not 0 <= booking_cutoff_minutes <= 600:
        fields["booking_cutoff_minutes"] = [_("Choose from 0 to 600 minutes.")]
    _raise(fields)
    names = ["booking_days_ahead", "booking_cutoff_minutes", "is_active"]
    with transaction.atomic():
        clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
        before = audit.snapshot(clinic, names)
        clinic.booking_days_ahead = booking_days_ahead
        clinic.booking_cutoff_minutes = booking_cutoff_minutes
        clinic.is_active = is_active
        clinic.save(update_fields=names)
        audit.record(
            actor=actor,
            action="clinics.clinic.update",
            obj=clinic,
            before=before,
            after=audit.snapshot(clinic, names),
        )
    return clinic


# --- opening hours -----------------------------------------------------------------------


def clinic_hours_set(
    *, actor, clinic: Clinic, hours: dict[int, tuple[time | None, time | None]]
) -> Clinic:
    """Replace the week's opening hours. ``hours`` maps a weekday (0 = Monday) to
    (opens, closes); (None, None) or a missing weekday means closed that day."""
    fields: dict[str, list[str]] = {}
    rows = []
    for weekday in range(7):
        opens, closes = hours.get(weekday, (None, None))
        if opens is None and closes is None:
            continue
        if opens is None or closes is None:
            fields[f"hours_{weekday}"] = [_("Give both the opening and the closing time.")]
        elif closes <= opens:
            fields[f"hours_{weekday}"] = [_("The closing time must be after the opening time.")]
        else:
            rows.append(
                OpeningHours(clinic=clinic, weekday=weekday, opens_at=opens, closes_at=closes)
            )
    unknown = set(hours) - set(range(7))
    if unknown:
        fields["weekday"] = [_("A weekday is a number from 0 (Monday) to 6 (Sunday).")]
    _raise(fields)
    with transaction.atomic():
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
        before = _hours_picture(clinic)
        clinic.hours.all().delete()
        OpeningHours.objects.bulk_create(rows)
        audit.record(
            actor=actor,
            action="clinics.hours.update",
            obj=clinic,
            before={"hours": before},
            after={"hours": _hours_picture(clinic)},
        )
    return clinic


# --- sessions and quotas -----------------------------------------------------------------


@dataclass(frozen=True)
class SessionInput:
    starts_at: time | None
    ends_at: time | None
    quota_online: int | None
    quota_walkin: int | None
    quota_jkn: int | None = None


def _check_session(data: SessionInput) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    if data.starts_at is None:
        fields["starts_at"] = [_("Give the start time.")]
    if data.ends_at is None:
        fields["ends_at"] = [_("Give the end time.")]
    elif data.starts_at is not None and data.ends_at <= data.starts_at:
        fields["ends_at"] = [_("The session must end after it starts.")]
    for name, value in (("quota_online", data.quota_online), ("quota_walkin", data.quota_walkin)):
        if value is None:
            fields[name] = [_("Give a number (0 for none).")]
        elif not 0 <= value <= MAX_QUOTA:
            fields[name] = [_("Choose from 0 to %(max)d.") % {"max": MAX_QUOTA}]
    if data.quota_jkn is not None:
        if data.quota_jkn < 0:
            fields["quota_jkn"] = [_("Choose 0 or more, or leave it empty.")]
        elif data.quota_online is not None and data.quota_jkn > data.quota_online:
            fields["quota_jkn"] = [_("The JKN share cannot be larger than the online quota.")]
    return fields


def _overlaps(service: Service, weekday: int, data: SessionInput, *, exclude: int | None = None):
    others = service.sessions.filter(weekday=weekday).exclude(pk=exclude)
    return others.filter(starts_at__lt=data.ends_at, ends_at__gt=data.starts_at).exists()


def _weekday_name(weekday: int) -> str:
    from onedata.clinics.models import Weekday

    return str(Weekday(weekday).label)


def session_create(
    *, actor, service: Service, weekdays: list[int], data: SessionInput
) -> list[Session]:
    """One session per chosen weekday, with the same times and quotas."""
    fields = _check_session(data)
    weekdays = sorted(set(weekdays))
    if not weekdays:
        fields["weekdays"] = [_("Choose at least one day.")]
    elif any(not 0 <= day <= 6 for day in weekdays):
        fields["weekdays"] = [_("A weekday is a number from 0 (Monday) to 6 (Sunday).")]
    _raise(fields)
    with transaction.atomic():
        Service.objects.select_for_update().filter(pk=service.pk).first()
        clashes = [day for day in weekdays if _overlaps(service, day, data)]
        if clashes:
            raise ValidationError.for_field(
                "weekdays",
                _("These days already have a session at that time: %(days)s.")
                % {"days": ", ".join(_weekday_name(day) for day in clashes)},
            )
        created = [
            Session.objects.create(
                service=service,
                weekday=day,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                quota_online=data.quota_online,
                quota_walkin=data.quota_walkin,
                quota_jkn=data.quota_jkn,
            )
            for day in weekdays
        ]
        for session in created:
            audit.record(
                actor=actor,
                action="clinics.session.create",
                obj=session,
                after=audit.snapshot(session, SESSION_FIELDS),
            )
    return created


def session_update(*, actor, session: Session, data: SessionInput) -> Session:
    """New times or quotas. Bookings already made keep their numbers."""
    _raise(_check_session(data))
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("service").get(pk=session.pk)
        if _overlaps(session.service, session.weekday, data, exclude=session.pk):
            raise ValidationError.for_field(
                "starts_at", _("Another session of this service overlaps these times.")
            )
        before = audit.snapshot(session, SESSION_FIELDS)
        session.starts_at = data.starts_at
        session.ends_at = data.ends_at
        session.quota_online = data.quota_online
        session.quota_walkin = data.quota_walkin
        session.quota_jkn = data.quota_jkn
        session.save(
            update_fields=["starts_at", "ends_at", "quota_online", "quota_walkin", "quota_jkn"]
        )
        audit.record(
            actor=actor,
            action="clinics.session.update",
            obj=session,
            before=before,
            after=audit.snapshot(session, SESSION_FIELDS),
        )
    return session


def session_delete(*, actor, session: Session) -> None:
    """Only a session nobody ever booked; otherwise set its quotas to 0."""
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("service").get(pk=session.pk)
        before = audit.snapshot(session, ["service", *SESSION_FIELDS])
        label, pk = str(session), session.pk
        try:
            with transaction.atomic():
                session.delete()
        except ProtectedError:
            raise Conflict(
                _(
                    "This session already has bookings, so it stays in the records. "
                    "Set its quotas to 0 to stop new bookings."
                )
            ) from None
        audit.record(
            actor=actor,
            action="clinics.session.delete",
            object_type="clinics.session",
            object_id=str(pk),
            object_repr=label[:200],
            before=before,
        )


# --- closures ----------------------------------------------------------------------------


def closure_create(
    *,
    actor,
    clinic: Clinic,
    day: date | None,
    reason: str,
    service: Service | None = None,
    today: date,
) -> tuple[Closure, int]:
    """Close the clinic (or one service) on a day. Returns the closure and how many
    active bookings that day it touches (they stay; the staff tell those people)."""
    reason = " ".join((reason or "").split())
    fields: dict[str, list[str]] = {}
    if day is None:
        fields["date"] = [_("Give the date.")]
    elif day < today:
        fields["date"] = [_("That date has passed.")]
    if not reason:
        fields["reason"] = [_("Say why, e.g. Galungan or staff training.")]
    elif len(reason) > 200:
        fields["reason"] = [_("At most 200 characters.")]
    if service is not None and service.clinic_id != clinic.pk:
        fields["service"] = [_("This clinic has no such service.")]
    _raise(fields)
    with transaction.atomic():
        existing = Closure.objects.filter(clinic=clinic, date=day, service=service).first()
        if existing is not None:
            raise ValidationError.for_field("date", _("Already closed on that day."))
        closure = Closure.objects.create(clinic=clinic, service=service, date=day, reason=reason)
        affected = Booking.objects.filter(
            clinic=clinic, date=day, status__in=Booking.ACTIVE
        ).filter(**({"service": service} if service else {}))
        touched = affected.count()
        audit.record(
            actor=actor,
            action="clinics.closure.create",
            obj=closure,
            after={
                "clinic": clinic.pk,
                "service": service.pk if service else None,
                "date": day.isoformat(),
                "reason": reason,
                "bookings_that_day": touched,
            },
        )
    return closure, touched


def closure_delete(*, actor, closure: Closure) -> None:
    with transaction.atomic():
        before = {
            "clinic": closure.clinic_id,
            "service": closure.service_id,
            "date": closure.date.isoformat(),
            "reason": closure.reason,
        }
        pk, label = closure.pk, str(closure)
        closure.delete()
        audit.record(
            actor=actor,
            action="clinics.closure.delete",
            object_type="clinics.closure",
            object_id=str(pk),
            object_repr=label,
            before=before,
        )
