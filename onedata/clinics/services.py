"""Use cases of the clinic queue: booking, cancelling, and the staff's steps of a visit.

Every write is a keyword-only ``<entity>_<verb>(*, actor, ...)`` inside one transaction,
leaves an audit event and sends mail only after commit. Queue numbers and quotas change
only while the service's day counter is locked (``locks.lock_day``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from onedata.clinics import locks, waits
from onedata.clinics.models import Booking, Clinic, Closure, Service, Session, VisitEvent
from onedata.core import audit, ratelimit
from onedata.core.errors import Conflict, NotFound, RateLimited, ValidationError
from onedata.core.nik import NikError, validate_nik
from onedata.core.phone import PhoneError, normalise_phone
from onedata.core.regions import known_district_codes

WITA = ZoneInfo("Asia/Makassar")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
CODE_LENGTH = 8
BPJS_PATTERN = re.compile(r"^[0-9]{13}$")
RECENT_DAYS = 14
RECENT_VISITS = 60
Status = Booking.Status
Task = VisitEvent.Task


class QuotaFull(Conflict):
    code = "quota_full"


class DuplicateBooking(Conflict):
    code = "duplicate_booking"


class Closed(Conflict):
    code = "closed"


class IdempotencyMismatch(Conflict):
    code = "idempotency_key_reused"


class WrongState(Conflict):
    code = "wrong_status"


class _Replay(Exception):  # noqa: N818 - a signal, not an error
    """The same idempotency key was committed while this request waited for the lock."""

    def __init__(self, booking: Booking):
        super().__init__(booking.code)
        self.booking = booking


# --- time helpers --------------------------------------------------------------------------


def now_utc() -> datetime:
    return timezone.now()


def today_wita(now: datetime | None = None) -> date:
    return (now or now_utc()).astimezone(WITA).date()


def at_wita(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=WITA)


# --- reading the schedule ------------------------------------------------------------------


def closure_on(service: Service, day: date) -> Closure | None:
    return (
        Closure.objects.filter(date=day)
        .filter(
            Q(clinic__isnull=True, service__isnull=True)
            | Q(clinic=service.clinic_id, service__isnull=True)
            | Q(service=service)
        )
        .first()
    )


def sessions_on(service: Service, day: date) -> list[Session]:
    return list(service.sessions.filter(weekday=day.weekday()).order_by("starts_at"))


def booking_closes_at(session: Session, day: date, clinic: Clinic) -> datetime:
    return at_wita(day, session.ends_at) - timedelta(minutes=clinic.booking_cutoff_minutes)


def recent_minutes(service: Service, now: datetime | None = None) -> list[float]:
    """How long the service's recent visits took (service start to end), newest first."""
    since = (now or now_utc()) - timedelta(days=RECENT_DAYS)
    rows = (
        Booking.objects.filter(
            service=service,
            status=Status.DONE,
            finished_at__gte=since,
            started_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_VISITS]
    )
    return [(end - start).total_seconds() / 60 for start, end in rows]


def minutes_per_patient(service: Service, now: datetime | None = None) -> float:
    return waits.minutes_per_patient(recent_minutes(service, now), service.default_minutes)


def people_ahead(booking: Booking) -> int:
    """Bookings of the same service and day still to be served before this one."""
    return (
        Booking.objects.filter(
            service_id=booking.service_id,
            date=booking.date,
            status__in=Booking.WAITING,
            queue_number__lt=booking.queue_number,
        )
        .exclude(pk=booking.pk)
        .count()
    )


def estimate_for(booking: Booking, now: datetime | None = None) -> datetime:
    now = now or now_utc()
    return waits.estimated_service_at(
        at_wita(booking.date, booking.session.starts_at),
        now,
        people_ahead(booking),
        minutes_per_patient(booking.service, now),
        booking.service.counters,
    )


# --- validating what a citizen typed -------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    nik: str
    name: str
    phone: str
    email: str
    bpjs_number: str


def clean_identity(
    *, nik: str, name: str, phone: str, email: str = "", bpjs_number: str = ""
) -> Identity:
    """Every mistake at once, each beside its field."""
    fields: dict[str, list[str]] = {}
    cleaned_nik = ""
    try:
        cleaned_nik = validate_nik(nik or "", known_district_codes())
    except NikError as error:
        fields["nik"] = [_(str(error))]
    name = " ".join((name or "").split())
    if not name:
        fields["name"] = [_("Write the patient's name.")]
    elif len(name) > 150:
        fields["name"] = [_("The name is too long (at most 150 characters).")]
    try:
        phone = normalise_phone(phone or "")
    except PhoneError:
        fields["phone"] = [_("Write a mobile number such as 0812 3456 7890.")]
    else:
        if phone.startswith("+62") and not phone.startswith("+628"):
            fields["phone"] = [_("Write a mobile number (it starts with 08), not a landline.")]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            fields["email"] = [_("This email address is not valid.")]
        if len(email) > 254:
            fields["email"] = [_("This email address is too long.")]
    bpjs_number = re.sub(r"[\s.-]", "", bpjs_number or "")
    if bpjs_number and not BPJS_PATTERN.match(bpjs_number):
        fields["bpjs_number"] = [_("The BPJS card number has exactly 13 digits.")]
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return Identity(cleaned_nik, name, phone, email, bpjs_number)


def _service_of(clinic: Clinic, kind: str) -> Service:
    service = clinic.services.filter(kind=kind, is_active=True).first()
    if service is None:
        raise ValidationError.for_field(
            "service", _("This clinic does not offer that service online.")
        )
    return service


def _check_date(clinic: Clinic, day: date, now: datetime) -> None:
    today = today_wita(now)
    if day < today:
        raise ValidationError.for_field("date", _("That date has passed. Choose today or later."))
    if day > today + timedelta(days=clinic.booking_days_ahead):
        raise ValidationError.for_field(
            "date",
            _("You can book at most %(days)d days ahead.") % {"days": clinic.booking_days_ahead},
        )


def _open_sessions(
    clinic: Clinic, service: Service, day: date, now: datetime, *, walkin: bool = False
) -> list[Session]:
    if not clinic.is_active:
        raise Closed(_("This clinic is not taking online bookings."))
    closure = closure_on(service, day)
    if closure is not None:
        raise Closed(
            _("The clinic is closed on that day: %(reason)s.") % {"reason": closure.reason}
        )
    sessions = sessions_on(service, day)
    if not sessions:
        raise Closed(_("This service has no session on that day. Choose another day."))
    if walkin:  # at the counter: the session running now or the next one, else the last
        return [s for s in sessions if at_wita(day, s.ends_at) > now] or sessions[-1:]
    still_open = [s for s in sessions if booking_closes_at(s, day, clinic) > now]
    if not still_open:
        raise Closed(_("Booking for that day has closed. Choose another day."))
    return still_open


def _request_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _rate_limit(ip: str | None, nik: str) -> None:
    checks = []
    if ip:
        checks.append((f"clinics:book:ip:{ip}", settings_value("CLINICS_BOOKINGS_PER_HOUR_IP")))
    if nik:
        checks.append((f"clinics:book:nik:{nik}", settings_value("CLINICS_BOOKINGS_PER_HOUR_NIK")))
    for key, limit in checks:
        decision = ratelimit.hit(key, limit=limit, period=3600)
        if not decision.allowed:
            raise RateLimited(
                _("Too many bookings from here. Try again in %(minutes)d minutes.")
                % {"minutes": max(1, decision.retry_after // 60)},
                retry_after=decision.retry_after,
            )


DEFAULTS = {"CLINICS_BOOKINGS_PER_HOUR_IP": 30, "CLINICS_BOOKINGS_PER_HOUR_NIK": 10}


def settings_value(name: str) -> int:
    """A knob of this module; settings.py may set it, tests override it."""
    return int(getattr(settings, name, DEFAULTS[name]))


# --- booking -------------------------------------------------------------------------------


def booking_create(
    *,
    actor,
    clinic: Clinic,
    service: str,
    day: date,
    nik: str,
    name: str,
    phone: str,
    email: str = "",
    bpjs_number: str = "",
    session_id: int | None = None,
    idempotency_key: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> tuple[Booking, bool]:
    """Book an online queue number. Returns (booking, created); the same idempotency key
    with the same request gives back the first booking and False."""
    now = now or now_utc()
    idempotency_key = (idempotency_key or "").strip()[:100]
    payload = {
        "clinic": clinic.pk,
        "service": service,
        "date": day,
        "session": session_id,
        "nik": nik,
        "name": name,
        "phone": phone,
        "email": email,
        "bpjs": bpjs_number,
    }
    request_hash = _request_hash(payload)
    if idempotency_key:
        earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return _same_request(earlier, request_hash), False
    identity = clean_identity(nik=nik, name=name, phone=phone, email=email, bpjs_number=bpjs_number)
    service_obj = _service_of(clinic, service)
    _check_date(clinic, day, now)
    sessions = _open_sessions(clinic, service_obj, day, now)
    if session_id is not None:
        sessions = [s for s in sessions if s.pk == session_id]
        if not sessions:
            raise ValidationError.for_field(
                "session", _("That session is not open for booking on that day.")
            )
    _rate_limit(ip, identity.nik)
    minutes = minutes_per_patient(service_obj, now)  # read before the lock
    for attempt in range(3):
        try:
            with transaction.atomic():
                booking = _allocate(
                    actor=actor,
                    service=service_obj,
                    sessions=sessions,
                    day=day,
                    identity=identity,
                    channel=Booking.Channel.ONLINE,
                    idempotency_key=idempotency_key,
                    request_hash=request_hash,
                    now=now,
                    minutes=minutes,
                )
            break
        except _Replay as replay:
            return _same_request(replay.booking, request_hash), False
        except IntegrityError:
            # The number and the NIK were checked under the lock, so either a parallel
            # twin of this request (same idempotency key) won, or the booking code was
            # drawn twice: answer with the twin's booking, or draw again.
            earlier = (
                Booking.objects.filter(idempotency_key=idempotency_key).first()
                if idempotency_key
                else None
            )
            if earlier is not None:
                return _same_request(earlier, request_hash), False
            if attempt == 2:
                raise
    if booking.email or (booking.phone and _sms_on()):
        transaction.on_commit(lambda: _send_confirmation(booking.pk))
    return booking, True


def _same_request(earlier: Booking, request_hash: str) -> Booking:
    if earlier.request_hash != request_hash:
        raise IdempotencyMismatch(
            _("This idempotency key was already used for a different booking.")
        )
    return earlier


def _allocate(
    *,
    actor,
    service: Service,
    sessions: list[Session],
    day: date,
    identity: Identity,
    channel: str,
    idempotency_key: str,
    request_hash: str,
    now: datetime,
    minutes: float,
    checked_in: bool = False,
) -> Booking:
    """Runs inside the caller's transaction and takes the day lock: quota, duplicate and
    number checks are final. Five statements with the lock held (claim, one aggregate,
    the booking, its first timeline event, the audit event); ``minutes`` (the service's
    recent minutes per patient) is read before the lock."""
    number = locks.claim_number(service.pk, day)
    nik = identity.nik
    used = (
        Booking.objects.filter(service_id=service.pk, date=day)
        .exclude(status=Status.CANCELLED)
        .order_by()
        .values("session_id", "channel", "jkn")
        .annotate(
            n=Count("pk"),
            waiting=Count("pk", filter=Q(status__in=Booking.WAITING)),
            same_nik=Count("pk", filter=Q(nik=nik, status__in=Booking.ACTIVE)) if nik else Value(0),
        )
    )
    counts: dict[tuple[int, str, bool], int] = {}
    ahead = duplicate = 0
    for row in used:
        counts[(row["session_id"], row["channel"], row["jkn"])] = row["n"]
        ahead += row["waiting"]
        duplicate += row["same_nik"]
    if duplicate:
        if idempotency_key:  # a twin of this request committed while this one waited
            earlier = Booking.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                raise _Replay(earlier)
        raise DuplicateBooking(
            _("This NIK already has a queue number for this service on that day."),
            fields={"nik": [_("Already booked for this service on that day.")]},
        )
    jkn = bool(identity.bpjs_number)
    online = channel == Booking.Channel.ONLINE
    session = None
    for candidate in sessions:
        taken_jkn = counts.get((candidate.pk, channel, True), 0)
        taken_other = counts.get((candidate.pk, channel, False), 0)
        quota = candidate.quota_online if online else candidate.quota_walkin
        if taken_jkn + taken_other >= quota:
            continue
        if online and candidate.quota_jkn is not None:
            same_payer = taken_jkn if jkn else taken_other
            limit = candidate.quota_jkn if jkn else candidate.quota_online - candidate.quota_jkn
            if same_payer >= limit:
                continue
        session = candidate
        break
    if session is None:
        raise QuotaFull(_("No numbers left for this service on that day. Choose another day."))
    booking = Booking(
        code=_new_code(),
        clinic_id=service.clinic_id,
        service=service,
        session=session,
        date=day,
        queue_number=number,
        channel=channel,
        jkn=jkn,
        nik=nik,
        name=identity.name,
        phone=identity.phone,
        email=identity.email,
        bpjs_number=identity.bpjs_number,
        user=_user(actor),
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        status=Status.CHECKED_IN if checked_in else Status.BOOKED,
        checked_in_at=now if checked_in else None,
        estimated_service_at=waits.estimated_service_at(
            at_wita(day, session.starts_at), now, ahead, minutes, service.counters
        ),
    )
    booking.save(force_insert=True)  # a code drawn twice (1 in 10^12) fails; caller retries
    if checked_in:
        _event(booking, Status.CHECKED_IN, [Task.WAIT_ADMISSION], actor, now)
    else:
        VisitEvent.objects.create(booking=booking, status=Status.BOOKED, at=now, actor=_user(actor))
    audit.record(
        actor=actor,
        action="clinics.walkin.issue" if checked_in else "clinics.booking.create",
        obj=booking,
        after=audit.snapshot(booking, ["service", "date", "queue_number", "channel", "nik"]),
    )
    return booking


def walkin_issue(
    *, actor, service: Service, name: str = "", now: datetime | None = None
) -> Booking:
    """A number for someone at the counter today, from the walk-in quota."""
    now = now or now_utc()
    day = today_wita(now)
    sessions = _open_sessions(service.clinic, service, day, now, walkin=True)
    identity = Identity("", " ".join((name or "").split())[:150], "", "", "")
    minutes = minutes_per_patient(service, now)
    with transaction.atomic():
        return _allocate(
            actor=actor,
            service=service,
            sessions=sessions,
            day=day,
            identity=identity,
            channel=Booking.Channel.WALKIN,
            idempotency_key="",
            request_hash="",
            now=now,
            minutes=minutes,
            checked_in=True,
        )


def booking_cancel(*, actor, booking: Booking, now: datetime | None = None) -> Booking:
    """Cancel up to the start of the session. The place goes back to the quota at once.
    The number itself goes back to the pool only when nobody holds a later one (it was the
    highest handed out that day): handing a freed lower number to a later booking would
    put that person ahead of everyone who booked before them."""
    now = now or now_utc()
    with transaction.atomic():
        counter = locks.lock_day(booking.service_id, booking.date)
        booking = Booking.objects.select_related("session", "service").get(pk=booking.pk)
        if booking.status != Status.BOOKED:
            raise WrongState(_("Only a booking that is still waiting can be cancelled."))
        if now >= at_wita(booking.date, booking.session.starts_at):
            raise WrongState(
                _("The session has started; a booking can be cancelled only before it.")
            )
        before = audit.snapshot(booking, ["status"])
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        if counter.last_number == booking.queue_number:
            highest = (
                Booking.objects.filter(service_id=booking.service_id, date=booking.date)
                .exclude(status=Status.CANCELLED)
                .aggregate(top=Max("queue_number"))["top"]
            )
            locks.release_number(counter.pk, booking.queue_number, highest or 0)
        _event(booking, Status.CANCELLED, [Task.CANCELLED], actor, now)
        audit.record(
            actor=actor,
            action="clinics.booking.cancel",
            obj=booking,
            before=before,
            after={"status": booking.status},
        )
    return booking


# --- the staff's steps ---------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(booking: Booking, status: str, tasks, actor, now: datetime) -> None:
    VisitEvent.objects.bulk_create(
        [
            VisitEvent(booking=booking, status=status, task=task, at=now, actor=_user(actor))
            for task in (tasks or [None])
        ]
    )


# status -> (allowed previous statuses, timestamp field, task ids recorded)
STEPS = {
    "check_in": (
        Status.CHECKED_IN,
        (Status.BOOKED,),
        "checked_in_at",
        [Task.WAIT_ADMISSION, Task.ADMISSION, Task.WAIT_SERVICE],
    ),
    "call": (Status.CALLED, (Status.BOOKED, Status.CHECKED_IN, Status.CALLED), "called_at", []),
    "start": (
        Status.SERVING,
        (Status.CALLED, Status.CHECKED_IN),
        "started_at",
        [Task.SERVICE_START],
    ),
    "finish": (Status.DONE, (Status.SERVING, Status.CALLED), "finished_at", [Task.SERVICE_END]),
    "no_show": (
        Status.NO_SHOW,
        (Status.BOOKED, Status.CHECKED_IN, Status.CALLED),
        None,
        [Task.CANCELLED],
    ),
    # After the visit: the prescription reaches the pharmacy, then the medicine is ready.
    # The status stays "done"; only the timeline (BPJS tasks 6 and 7) grows.
    "pharmacy": (Status.DONE, (Status.DONE,), None, [Task.PHARMACY]),
    "medicine_ready": (Status.DONE, (Status.DONE,), None, [Task.MEDICINE_READY]),
}
AFTER_VISIT = {"pharmacy": Task.PHARMACY, "medicine_ready": Task.MEDICINE_READY}


def booking_step(
    *, actor, booking: Booking, step: str, desk: str = "", now: datetime | None = None
) -> Booking:
    """Move a visit one step on: check_in, call (again: recall), start, finish, no_show;
    after the visit pharmacy and medicine_ready (timeline only)."""
    if step not in STEPS:
        raise ValidationError.for_field("step", _("Unknown step."))
    now = now or now_utc()
    status, allowed, stamp, tasks = STEPS[step]
    with transaction.atomic():
        locks.lock_day(booking.service_id, booking.date)
        booking = Booking.objects.select_related("service", "session").get(pk=booking.pk)
        task = AFTER_VISIT.get(step)
        if task is not None:
            done = set(
                booking.events.filter(task__in=AFTER_VISIT.values()).values_list("task", flat=True)
            )
            if task in done or (task == Task.MEDICINE_READY and Task.PHARMACY not in done):
                raise WrongState(_("That step is already recorded, or comes after another."))
        if booking.status not in allowed:
            raise WrongState(
                _("This number is “%(status)s”; that step is not possible now.")
                % {"status": booking.get_status_display()}
            )
        before = audit.snapshot(booking, ["status"])
        fields = ["status"]
        if step == "finish" and booking.started_at is None:
            booking.started_at = booking.called_at or now
            fields.append("started_at")
        booking.status = status
        if stamp:
            setattr(booking, stamp, now)
            fields.append(stamp)
        if step == "call":
            booking.desk = (desk or booking.desk or "1")[:20]
            fields.append("desk")
        booking.save(update_fields=fields)
        _event(booking, status, tasks, actor, now)
        audit.record(
            actor=actor,
            action=f"clinics.booking.{step}",
            obj=booking,
            before=before,
            after={"status": booking.status, "desk": booking.desk},
        )
    return booking


def queue_call_next(
    *, actor, service: Service, desk: str = "1", now: datetime | None = None
) -> Booking | None:
    """Call the lowest waiting number of today: checked-in patients first, then bookings.
    Under the day lock, so two counters pressing at once never call the same person."""
    now = now or now_utc()
    day = today_wita(now)
    with transaction.atomic():
        locks.lock_day(service.pk, day)
        waiting = Booking.objects.filter(service=service, date=day)
        nxt = (
            waiting.filter(status=Status.CHECKED_IN).order_by("queue_number").first()
            or waiting.filter(status=Status.BOOKED).order_by("queue_number").first()
        )
        if nxt is None:
            return None
        return booking_step(actor=actor, booking=nxt, step="call", desk=desk, now=now)


def booking_find(code: str) -> Booking:
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    booking = (
        Booking.objects.select_related("clinic__agency", "service", "session")
        .filter(code=code)
        .first()
    )
    if booking is None:
        raise NotFound(_("No booking has that code."))
    return booking


# --- background work -----------------------------------------------------------------------


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Bookings still waiting after their session ended become no-shows (task 99)."""
    now = now or now_utc()
    today = today_wita(now)
    candidates = Booking.objects.filter(status__in=Booking.WAITING, date__lte=today).select_related(
        "session"
    )
    marked = 0
    for booking in candidates:
        if at_wita(booking.date, booking.session.ends_at) > now:
            continue
        try:
            booking_step(actor="system", booking=booking, step="no_show", now=now)
        except WrongState:
            continue  # served meanwhile
        marked += 1
    return marked


REMINDER_BEFORE = timedelta(hours=2)


def send_reminders(*, now: datetime | None = None) -> int:
    """A reminder by mail, once, when the session starts within two hours."""
    now = now or now_utc()
    today = today_wita(now)
    sent = 0
    due = (
        Booking.objects.filter(
            status=Status.BOOKED, date__gte=today, date__lte=today + timedelta(days=1)
        )
        .filter(Q(email__gt="") | Q(phone__gt="") if _sms_on() else Q(email__gt=""))
        .filter(reminder_sent_at__isnull=True)
    )
    for booking in due.select_related("session", "service", "clinic__agency"):
        starts = at_wita(booking.date, booking.session.starts_at)
        if not now <= starts <= now + REMINDER_BEFORE:
            continue
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if updated:
                _mail(booking, reminder=True)
                sent += 1
    return sent


def _send_confirmation(booking_pk: int) -> None:
    booking = Booking.objects.select_related("clinic__agency", "service", "session").get(
        pk=booking_pk
    )
    _mail(booking, reminder=False)


def _mail(booking: Booking, *, reminder: bool) -> None:
    from onedata.notifications import services as notify

    local = booking.estimated_service_at.astimezone(WITA)
    words = {
        "clinic": booking.clinic.name,
        "service": booking.service.get_kind_display(),
        "ticket": booking.ticket,
        "code": booking.code,
        "date": booking.date.strftime("%d-%m-%Y"),
        "session": booking.session.label,
        "time": local.strftime("%H:%M"),
    }
    if reminder:
        subject = _("Reminder: queue %(ticket)s at %(clinic)s today") % words
    else:
        subject = _("Your queue number %(ticket)s at %(clinic)s") % words
    text = (
        _(
            "Booking code: %(code)s\nQueue number: %(ticket)s\nClinic: %(clinic)s\n"
            "Service: %(service)s\nDate: %(date)s, session %(session)s WITA\n"
            "Estimated service time: about %(time)s WITA\n\n"
            "Show the booking code or its QR code at the counter when you arrive. "
            "If you cannot come, cancel the booking so someone else can take the number."
        )
        % words
    )
    kind = "reminder" if reminder else "confirm"
    # A message the notification service refuses must not undo the booking.
    if booking.email:
        with contextlib.suppress(ValidationError, Conflict, NotFound):
            notify.send(
                module="clinics",
                to=[booking.email],
                subject=subject,
                text=text,
                channel="email",
                idempotency_key=f"clinics-{kind}-{booking.code}",
            )
    if booking.phone and _sms_on():
        short = (
            _("Queue %(ticket)s, %(clinic)s, %(date)s about %(time)s WITA. Booking code %(code)s.")
            % words
        )
        with contextlib.suppress(ValidationError, Conflict, NotFound):
            notify.send(
                module="clinics",
                to=[booking.phone],
                text=short,
                channel="sms",
                idempotency_key=f"clinics-{kind}-sms-{booking.code}",
            )


def _sms_on() -> bool:
    """SMS goes through the notification service only where a provider is configured."""
    return bool(getattr(settings, "NOTIFY_SMS_URL", ""))


# --- set-up (demo, back office, tests) ------------------------------------------------------


def clinic_create(
    *,
    actor,
    agency,
    kind: str,
    latitude: float,
    longitude: float,
    address: str = "",
    phone: str = "",
    booking_days_ahead: int = 7,
) -> Clinic:
    with transaction.atomic():
        clinic = Clinic.objects.create(
            agency=agency,
            kind=kind,
            latitude=round(latitude, 6),
            longitude=round(longitude, 6),
            address=address,
            phone=phone,
            booking_days_ahead=booking_days_ahead,
        )
        audit.record(actor=actor, action="clinics.clinic.create", obj=clinic)
    return clinic
