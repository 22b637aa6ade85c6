"""An employee's effective schedule ("Jadwal saya"): for each coming day, whether they work,
from when to when, and why (office schedule, own schedule, roster shift, Ramadan hours,
holiday, approved leave, WFH or official travel).

Nothing is computed here that the daily attendance does not compute the same way: the
plan of a day comes from ``selectors.Calendar`` and its status from ``selectors.days_for``
(both built on ``rules``); this module only labels where the hours came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _

from onedata.attendance import rules, selectors
from onedata.attendance.models import Employee
from onedata.core.errors import ValidationError

MAX_DAYS = 62
DEFAULT_DAYS = 28


class Source:
    OFFICE = "office"
    OWN = "own"
    ROSTER = "roster"
    STANDARD = "standard"


@dataclass(frozen=True)
class PlannedDay:
    date: date
    status: str  # a rules.DayStatus value: upcoming/present/absent for working days
    workday: bool
    start: time | None
    end: time | None
    overnight: bool
    source: str
    schedule: str
    ramadan: bool
    holiday: str
    late_after: time | None  # check-in after this is late (TL)

    @property
    def working(self) -> bool:
        return self.workday and self.status not in _AWAY


_AWAY = {
    rules.DayStatus.HOLIDAY,
    rules.DayStatus.OFF,
    rules.DayStatus.LEAVE,
    rules.DayStatus.SICK,
    rules.DayStatus.TRAVEL,
    rules.DayStatus.WFH,
}


def parse_range(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    def parse(text, name):
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            raise ValidationError.for_field(name, _("Give the date as YYYY-MM-DD.")) from None

    first = parse(start, "from") if start else today
    last = parse(end, "to") if end else first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValidationError.for_field("to", _("The last day is before the first day."))
    if (last - first).days >= MAX_DAYS:
        raise ValidationError.for_field("to", _("At most %(n)d days at once.") % {"n": MAX_DAYS})
    return first, last


def _source(employee: Employee, rostered: bool) -> tuple[str, str]:
    if rostered:
        return Source.ROSTER, ""
    if employee.schedule_id:
        return Source.OWN, employee.schedule.name
    if employee.office.schedule_id:
        return Source.OFFICE, employee.office.schedule.name
    return Source.STANDARD, selectors.DEFAULT_SCHEDULE.name


def days_of(employee: Employee, first: date, last: date) -> list[PlannedDay]:
    calendar = selectors.Calendar([employee.pk], first, last)
    results = selectors.days_for([employee], first, last)[employee.pk]
    planned = []
    for day in results:
        plan = calendar.plan(employee, day.date)
        key = (employee.pk, day.date)
        rostered = key in calendar.roster
        source, name = _source(employee, rostered)
        if rostered:
            shift = calendar.roster[key]
            name = shift.name if shift else _("Day off")
        has_hours = plan.workday and not plan.holiday
        schedule = calendar.roster.get(key) if rostered else selectors.schedule_of(employee)
        ramadan = bool(
            has_hours and day.date in calendar.ramadan and schedule and schedule.ramadan_start
        )
        planned.append(
            PlannedDay(
                date=day.date,
                status=day.result.status.value,
                workday=plan.workday,
                start=plan.start if has_hours else None,
                end=plan.end if has_hours else None,
                overnight=has_hours and plan.overnight,
                source=source,
                schedule=name,
                ramadan=ramadan,
                holiday=plan.holiday,
                late_after=_late_after(plan) if has_hours else None,
            )
        )
    return planned


def _late_after(plan: rules.DayPlan) -> time:
    minutes = plan.start.hour * 60 + plan.start.minute + plan.late_grace
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)
