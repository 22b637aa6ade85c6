"""Check-in and check-out reminders, sent through the notification service (in-app and
mail).

Who gets one (each at most once per work date and kind):

- check-in: on a working day of their schedule or roster (not a holiday, day off,
  approved leave, WFH, official travel or any other day set by a supervisor: the same
  rules as the daily attendance, via ``selectors.days_for``), with no check-in (accepted
  or waiting for approval) ``ATTENDANCE_REMINDER_CHECKIN_MINUTES`` (default 15) after the
  start, and before the end of the day;
- check-out: checked in but not out ``ATTENDANCE_REMINDER_CHECKOUT_MINUTES`` (default 15)
  after the end, within ``LATE_WINDOW`` of that moment (a reminder hours later is noise).

Night shifts count for the date they start, so the sweep looks at yesterday too.
Idempotent: a ``ReminderSent`` row (unique per employee, date, kind) is written in the
same transaction as the messages, and the messages carry idempotency keys, so two
schedulers or a rerun never send twice. Employees turn reminders off on their page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from onedata.attendance import permissions, rules, selectors
from onedata.attendance.models import CheckIn, Employee, ReminderPreference, ReminderSent
from onedata.core import audit
from onedata.core.errors import NotAuthorized

logger = logging.getLogger("onedata.attendance")
LATE_WINDOW = timedelta(hours=3)
_COUNTING = (CheckIn.Status.ACCEPTED, CheckIn.Status.PENDING)


def checkin_after() -> timedelta:
    return timedelta(minutes=int(settings.ATTENDANCE_REMINDER_CHECKIN_MINUTES))


def checkout_after() -> timedelta:
    return timedelta(minutes=int(settings.ATTENDANCE_REMINDER_CHECKOUT_MINUTES))


@dataclass(frozen=True)
class Due:
    employee: Employee
    day: date
    kind: str  # "in" | "out"
    at: datetime  # local (naive) start or end of the day's schedule


def due(now: datetime | None = None) -> list[Due]:
    """The reminders due at ``now``, not yet sent."""
    now = now or timezone.now()
    local = timezone.localtime(now).replace(tzinfo=None)
    today = local.date()
    yesterday = today - timedelta(days=1)
    employees = list(
        Employee.objects.filter(active=True, user__is_active=True)
        .exclude(reminder_preference__checkin=False, reminder_preference__checkout=False)
        .select_related("office", "schedule", "office__schedule", "user", "reminder_preference")
    )
    if not employees:
        return []
    ids = [e.pk for e in employees]
    calendar = selectors.Calendar(ids, yesterday, today)
    days = selectors.days_for(employees, yesterday, today)
    kinds: dict[tuple[int, date], set[str]] = {}
    for employee_id, work_date, kind in CheckIn.objects.filter(
        employee_id__in=ids, work_date__range=(yesterday, today), status__in=_COUNTING
    ).values_list("employee_id", "work_date", "kind"):
        kinds.setdefault((employee_id, work_date), set()).add(kind)
    sent = set(
        ReminderSent.objects.filter(
            employee_id__in=ids, date__range=(yesterday, today)
        ).values_list("employee_id", "date", "kind")
    )
    found = []
    for employee in employees:
        preference = _preference(employee)
        for day in days[employee.pk]:
            plan = calendar.plan(employee, day.date)
            done = kinds.get((employee.pk, day.date), set())
            for kind in _kinds_due(plan, day, done, local, preference):
                if (employee.pk, day.date, kind) not in sent:
                    start = datetime.combine(day.date, plan.start)
                    end = rules.shift_ends_at(day.date, plan)
                    found.append(Due(employee, day.date, kind, start if kind == "in" else end))
    return found


def _preference(employee: Employee) -> ReminderPreference:
    try:
        return employee.reminder_preference
    except ReminderPreference.DoesNotExist:
        return ReminderPreference(employee=employee)


def _kinds_due(plan: rules.DayPlan, day, done: set[str], local: datetime, preference) -> list:
    """Which reminders a day calls for at ``local`` time; the day's status comes from the
    same rules as the attendance (holiday, off, leave, WFH, travel: no reminder)."""
    status = day.result.status
    if not plan.workday or plan.holiday:
        return []
    start = datetime.combine(day.date, plan.start)
    end = rules.shift_ends_at(day.date, plan)
    kinds = []
    no_record = status in (rules.DayStatus.UPCOMING, rules.DayStatus.ABSENT)
    if (
        preference.checkin
        and no_record
        and "in" not in done
        and start + checkin_after() <= local < end
    ):
        kinds.append("in")
    checkout_due = end + checkout_after()
    if (
        preference.checkout
        and (no_record or status == rules.DayStatus.PRESENT)
        and "in" in done
        and "out" not in done
        and checkout_due <= local < checkout_due + LATE_WINDOW
    ):
        kinds.append("out")
    return kinds


def _texts(item: Due) -> tuple[str, str]:
    words = {"name": item.employee.name, "time": f"{item.at:%H:%M}", "date": f"{item.day:%d-%m-%Y}"}
    if item.kind == "in":
        subject = _("Reminder: you have not checked in yet (%(date)s)") % words
        text = (
            _(
                "Hello %(name)s,\n\nYour work started at %(time)s WITA and we have no check-in "
                "from you yet today. Check in on the attendance page now; if you are on leave, "
                "sick or on official travel, ask your supervisor to record it.\n\n"
                "You can turn these reminders off on your schedule page."
            )
            % words
        )
    else:
        subject = _("Reminder: you have not checked out yet (%(date)s)") % words
        text = (
            _(
                "Hello %(name)s,\n\nYour work ended at %(time)s WITA and we have no check-out "
                "from you yet. Check out on the attendance page, or your day counts as leaving "
                "early (PSW4).\n\nYou can turn these reminders off on your schedule page."
            )
            % words
        )
    return subject, text


def _send(item: Due, now: datetime) -> bool:
    """Record and send one reminder; False when another sweep got there first."""
    from onedata.notifications import services as notify

    user = item.employee.user
    key = f"attendance-reminder-{item.kind}-{item.employee.pk}-{item.day.isoformat()}"
    with override(getattr(user, "language", "") or "id"):
        subject, text = _texts(item)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                employee=item.employee, date=item.day, kind=item.kind, sent_at=now
            )
            notify.send(
                module="attendance",
                to=[user.username],
                subject=subject,
                text=text,
                channel="inapp",
                idempotency_key=f"{key}-inapp",
            )
            if user.email:
                notify.send(
                    module="attendance",
                    to=[user.email],
                    subject=subject,
                    text=text,
                    channel="email",
                    idempotency_key=f"{key}-email",
                )
    except IntegrityError:
        return False
    return True


def reminders_send(*, now: datetime | None = None) -> int:
    """The periodic sweep: send what is due; returns how many reminders went out."""
    now = now or timezone.now()
    sent = 0
    for item in due(now):
        try:
            sent += _send(item, now)
        except Exception:  # one bad address must not stop everybody else's reminder
            logger.exception("attendance reminder for employee %s failed", item.employee.pk)
    return sent


def preference_of(employee: Employee) -> ReminderPreference:
    return ReminderPreference.objects.filter(employee=employee).first() or ReminderPreference(
        employee=employee
    )


def preference_set(*, actor, employee: Employee, checkin: bool, checkout: bool):
    if not permissions.can_set_reminders(actor, employee):
        raise NotAuthorized(_("Only you may change your reminders."))
    with transaction.atomic():
        preference, _created = ReminderPreference.objects.update_or_create(
            employee=employee, defaults={"checkin": checkin, "checkout": checkout}
        )
        audit.record(
            actor=actor,
            action="attendance.reminders.set",
            obj=preference,
            after={"checkin": checkin, "checkout": checkout},
        )
    return preference
