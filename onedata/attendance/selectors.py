"""Read queries shared by pages and the API: schedules, a month of days, team today,
allowances of an office."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from onedata.attendance import rules, tpp
from onedata.attendance.models import (
    CheckIn,
    DayCorrection,
    Employee,
    Holiday,
    LeaveRequest,
    Office,
    RamadanPeriod,
    Schedule,
    ShiftAssignment,
)

DEFAULT_SCHEDULE = Schedule(name="Standard")


def schedule_of(employee: Employee) -> Schedule:
    return employee.schedule or employee.office.schedule or DEFAULT_SCHEDULE


def plan_for(
    schedule: Schedule | None,
    day: date,
    holidays: dict[date, str],
    *,
    ramadan: bool = False,
    rostered: bool = False,
) -> rules.DayPlan:
    """The plan of one day. ``schedule`` None: a rostered day off. ``rostered``: a shift
    assigned for that date, worked whatever the weekday."""
    if schedule is None:
        return rules.DayPlan(workday=False, holiday=holidays.get(day, ""))
    weekday = day.weekday()
    start, end = schedule.hours_on(weekday, ramadan=ramadan)
    return rules.DayPlan(
        workday=rostered or schedule.works_on(weekday),
        start=start,
        end=end,
        late_grace=schedule.late_grace,
        early_grace=schedule.early_grace,
        holiday="" if schedule.works_on_holidays else holidays.get(day, ""),
    )


def ramadan_days(start: date, end: date) -> set[date]:
    days: set[date] = set()
    for first, last in RamadanPeriod.objects.filter(start__lte=end, end__gte=start).values_list(
        "start", "end"
    ):
        day = max(first, start)
        while day <= min(last, end):
            days.add(day)
            day += timedelta(days=1)
    return days


class Calendar:
    """Holidays, Ramadan days and the roster of a date range, loaded once: the plan of any
    employee's day without another query."""

    def __init__(self, employee_ids: list[int], start: date, end: date):
        self.holidays = dict(
            Holiday.objects.filter(date__range=(start, end)).values_list("date", "name")
        )
        self.ramadan = ramadan_days(start, end)
        self.roster: dict[tuple[int, date], Schedule | None] = {
            (a.employee_id, a.date): a.schedule
            for a in ShiftAssignment.objects.filter(
                employee_id__in=employee_ids, date__range=(start, end)
            ).select_related("schedule")
        }

    def plan(self, employee: Employee, day: date) -> rules.DayPlan:
        key = (employee.pk, day)
        if key in self.roster:
            return plan_for(
                self.roster[key],
                day,
                self.holidays,
                ramadan=day in self.ramadan,
                rostered=True,
            )
        return plan_for(schedule_of(employee), day, self.holidays, ramadan=day in self.ramadan)


def plan_of(employee: Employee, day: date) -> rules.DayPlan:
    return Calendar([employee.pk], day, day).plan(employee, day)


def month_dates(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, last + 1)]


@dataclass(frozen=True)
class Day:
    date: date
    result: rules.DayResult


def _local_time(moment: datetime):
    return timezone.localtime(moment).time().replace(microsecond=0)


def days_for(employees: list[Employee], start: date, end: date) -> dict[int, list[Day]]:
    """Each employee's days from ``start`` to ``end``: a fixed number of queries."""
    ids = [e.pk for e in employees]
    calendar_ = Calendar(ids, start, end)
    first_in: dict[tuple[int, date], datetime] = {}
    last_out: dict[tuple[int, date], datetime] = {}
    for employee_id, kind, work_date, recorded_at in (
        CheckIn.objects.filter(
            employee_id__in=ids, work_date__range=(start, end), status=CheckIn.Status.ACCEPTED
        )
        .order_by("recorded_at")
        .values_list("employee_id", "kind", "work_date", "recorded_at")
    ):
        key = (employee_id, work_date)
        if kind == CheckIn.Kind.IN:
            first_in.setdefault(key, recorded_at)
        else:
            last_out[key] = recorded_at
    leave: dict[tuple[int, date], str] = {}
    for request in LeaveRequest.objects.filter(
        employee_id__in=ids, status=LeaveRequest.Status.APPROVED, start__lte=end, end__gte=start
    ).select_related("leave_type"):
        day = max(request.start, start)
        while day <= min(request.end, end):
            leave[(request.employee_id, day)] = request.leave_type.counts_as
            day += timedelta(days=1)
    corrections = {
        (c.employee_id, c.date): c.kind
        for c in DayCorrection.objects.filter(employee_id__in=ids, date__range=(start, end))
    }
    now = timezone.localtime(timezone.now()).replace(tzinfo=None)
    result: dict[int, list[Day]] = {}
    for employee in employees:
        days = []
        day = start
        while day <= end:
            plan = calendar_.plan(employee, day)
            key = (employee.pk, day)
            finished = now >= rules.shift_ends_at(day, plan)
            checked_in = first_in.get(key)
            checked_out = last_out.get(key)
            outcome = rules.evaluate_day(
                plan,
                check_in=_local_time(checked_in) if checked_in else None,
                check_out=_local_time(checked_out) if checked_out else None,
                leave=leave.get(key, ""),
                override=corrections.get(key, ""),
                finished=finished,
            )
            days.append(Day(day, outcome))
            day += timedelta(days=1)
        result[employee.pk] = days
    return result


def month_days(employee: Employee, month: date) -> list[Day]:
    dates = month_dates(month)
    return days_for([employee], dates[0], dates[-1])[employee.pk]


@dataclass(frozen=True)
class AllowanceRow:
    employee: Employee
    allowance: tpp.Allowance
    days: list[Day]


def allowance_of(employee: Employee, days: list[Day]) -> tpp.Allowance:
    rule = tpp.Rule(attendance_share=employee.office.tpp_attendance_share)
    return tpp.compute(
        employee.tpp_base,
        [
            tpp.Day(d.date, d.result.status.value, d.result.tl, d.result.psw)
            for d in days
            if d.result.status != rules.DayStatus.UPCOMING
        ],
        rule,
    )


def office_allowances(office: Office, month: date) -> list[AllowanceRow]:
    employees = list(
        Employee.objects.filter(office=office, active=True).select_related(
            "office", "schedule", "office__schedule"
        )
    )
    dates = month_dates(month)
    by_employee = days_for(employees, dates[0], dates[-1])
    return [
        AllowanceRow(e, allowance_of(e, by_employee[e.pk]), by_employee[e.pk]) for e in employees
    ]


def team_of(user) -> list[Employee]:
    return list(
        Employee.objects.filter(supervisor__user=user, active=True).select_related(
            "office", "schedule", "office__schedule", "user"
        )
    )


def today_of(employees: list[Employee]) -> list[tuple[Employee, Day]]:
    today = timezone.localdate()
    days = days_for(employees, today, today)
    return [(e, days[e.pk][0]) for e in employees]
